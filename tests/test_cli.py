"""One command line: `python -m cablelab COMMAND`, with --help on every command."""

from __future__ import annotations

import pytest

from cablelab.__main__ import main


@pytest.mark.parametrize("command,expected", [
    ([], "summary"), (["summary"], "built-in telegram 1379"), (["collect"], "answers.csv"),
    (["export"], "slides"), (["guide"], "--write"),
])
def test_every_command_has_a_help_that_says_what_it_takes(command, expected, capsys):
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    assert expected in capsys.readouterr().out


def test_an_unknown_command_is_refused_with_the_list_of_commands(capsys):
    with pytest.raises(SystemExit) as done:
        main(["grade"])
    assert done.value.code == 2 and "invalid choice: 'grade'" in capsys.readouterr().err


def test_a_missing_document_is_a_one_line_error_not_a_traceback(tmp_path, capsys):
    assert main(["summary", str(tmp_path / "none.txt")]) == 2
    assert capsys.readouterr().err.startswith("cablelab: ")
