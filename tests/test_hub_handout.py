"""Student copies of the lessons, and handing them out: copied once, never over a student's edits."""

from __future__ import annotations

import json

import nbformat
import pytest

from cablelab import handout

from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    return out, handout.student_copies(NOTEBOOKS, out)


def test_every_lesson_gets_a_copy_and_the_app_is_not_a_lesson(copies):
    out, written = copies
    assert [p.name for p in written] == [p.name for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]
    assert not (out / "app.ipynb").exists()


def test_a_student_copy_holds_no_teacher_note_or_model_answer_anywhere(copies):
    out, written = copies
    forbidden = handout.model_answers()
    for path in written:
        original = nbformat.read(NOTEBOOKS / path.name, as_version=4)
        notes = handout.teacher_sentences(original)
        copy = nbformat.read(path, as_version=4)
        assert not handout.leaks(copy, notes + forbidden), path.name
        assert not any({"teacher", "solution"} & set(c.metadata.get("tags", [])) for c in copy.cells)
        assert set(copy.metadata) <= {"kernelspec", "language_info"}
        assert all(c.outputs == [] and c.execution_count is None for c in copy.cells if c.cell_type == "code")


def test_a_teacher_sentence_left_in_an_untagged_cell_is_caught(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "02_negotiation_points.ipynb", as_version=4)
    solution = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []))
    nb.cells.append(nbformat.v4.new_markdown_cell(solution.source))
    (tmp_path / "in").mkdir()
    nbformat.write(nb, tmp_path / "in" / "02_negotiation_points.ipynb")
    with pytest.raises(ValueError, match="02_negotiation_points.ipynb: the student copy would still hold"):
        handout.student_copies(tmp_path / "in", tmp_path / "out")


def lesson(folder, name, text):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)])
    nbformat.write(nb, folder / name)


def test_a_lesson_is_copied_once_and_the_students_edits_are_never_overwritten(tmp_path):
    source, home = tmp_path / "source", tmp_path / "home" / "lessons"
    source.mkdir()
    lesson(source, "02_points.ipynb", "version 1")
    assert handout.hand_out(source, home, today="2026-12-04").copied == ["02_points.ipynb"]
    mine = home / "02_points.ipynb"
    mine.write_text(mine.read_text().replace("version 1", "version 1 and my notes"))
    again = handout.hand_out(source, home, today="2026-12-04")
    assert again.kept == ["02_points.ipynb"] and "my notes" in mine.read_text()


def test_a_newer_version_of_a_lesson_is_added_beside_the_students_never_over_it(tmp_path):
    source, home = tmp_path / "source", tmp_path / "lessons"
    source.mkdir()
    lesson(source, "02_points.ipynb", "version 1")
    handout.hand_out(source, home, today="2026-12-04")
    lesson(source, "02_points.ipynb", "version 2")
    done = handout.hand_out(source, home, today="2026-12-05")
    assert done.beside == ["02_points (updated 2026-12-05).ipynb"]
    assert "version 1" in (home / "02_points.ipynb").read_text()
    assert "version 2" in (home / "02_points (updated 2026-12-05).ipynb").read_text()
    lesson(source, "02_points.ipynb", "version 3")
    assert handout.hand_out(source, home, today="2026-12-05").beside == ["02_points (updated 2026-12-05, 2).ipynb"]
    assert handout.hand_out(source, home, today="2026-12-05").kept == ["02_points.ipynb"]


def test_a_file_of_the_students_own_with_a_lessons_name_is_kept_and_the_lesson_goes_beside(tmp_path):
    source, home = tmp_path / "source", tmp_path / "lessons"
    source.mkdir()
    home.mkdir()
    lesson(source, "02_points.ipynb", "the lesson")
    (home / "02_points.ipynb").write_text("my own file")
    done = handout.hand_out(source, home, today="2026-12-04")
    assert (home / "02_points.ipynb").read_text() == "my own file" and done.beside


def test_a_deleted_lesson_comes_back_as_handed_out(tmp_path):
    source, home = tmp_path / "source", tmp_path / "lessons"
    source.mkdir()
    lesson(source, "02_points.ipynb", "version 1")
    handout.hand_out(source, home)
    (home / "02_points.ipynb").unlink()
    assert handout.hand_out(source, home).restored == ["02_points.ipynb"]
    assert "version 1" in (home / "02_points.ipynb").read_text()
    manifest = json.loads((home / handout.MANIFEST).read_text())
    assert set(manifest["lessons"]) == {"02_points.ipynb"}


def test_the_command_line_hands_out_and_says_what_it_did(tmp_path, capsys):
    source = tmp_path / "source"
    source.mkdir()
    lesson(source, "02_points.ipynb", "x")
    assert handout.main(["--from", str(source), "--to", str(tmp_path / "lessons")]) == 0
    assert "1 copied" in capsys.readouterr().out
    assert handout.main(["--from", str(tmp_path / "empty"), "--to", str(tmp_path / "l")]) == 2
