"""The answers file: where it lives, what a record holds, and that nothing is ever lost.

The crash and concurrency tests run real writer processes. A writer loads
``src/cablelab/answers.py`` by its path: that module imports only the standard library
and filelock, so a writer starts in a few hundredths of a second and a hundred of them
can be killed in a few seconds (importing the package would load pandas each time).
"""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from cablelab import answers

ANSWERS_PY = Path(answers.__file__)
KILLS = 120
WAIT = 30.0  # seconds: the most any one condition is waited for

WRITER = r"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("answers_under_test", sys.argv[1])
answers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(answers)
folder, student, prefix, count = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
# Wait, already started, for "go <first id>": a writer can be started while the last one still runs.
command = sys.stdin.readline().split()
if not command or command[0] != "go":
    sys.exit(1)
first = int(command[1])
for n in range(first, first + count if count else 10**9):
    answers.save(student, f"{prefix}-{n}", f"answer {n}", notebook="00", kind="text", correct=True, where=folder)
    print(n, flush=True)  # printed only after save() has returned
"""


@pytest.fixture(autouse=True)
def answers_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(answers.ENV_FOLDER, str(tmp_path / "answers"))
    answers.set_folder(None)
    yield tmp_path / "answers"
    answers.set_folder(None)


def start_writer(folder: Path, prefix: str, count: int = 0, student: str = "Ana") -> subprocess.Popen:
    """A writer process, started and waiting for go(): it then saves `count` answers (0: until killed)."""
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ANSWERS_PY), str(folder), student, prefix, str(count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def go(writer: subprocess.Popen, first: int = 0) -> None:
    writer.stdin.write(f"go {first}\n")
    writer.stdin.flush()


def finish(writer: subprocess.Popen) -> list[str]:
    """Wait for the writer to end; the lines it printed that were not read yet."""
    writer.wait(timeout=WAIT)
    rest = writer.stdout.read().splitlines()
    for stream in (writer.stdin, writer.stdout, writer.stderr):
        stream.close()
    return [line.strip() for line in rest]


def read_lines(process: subprocess.Popen, how_many: int) -> list[str]:
    """Wait (up to WAIT seconds) until the process has printed `how_many` lines."""
    lines: list[str] = []
    deadline = time.monotonic() + WAIT
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while len(lines) < how_many:
            assert selector.select(timeout=max(0.0, deadline - time.monotonic())), "the writer stopped printing"
            line = process.stdout.readline()
            assert line, f"the writer ended early: {process.stderr.read()}"
            lines.append(line.strip())
    return lines


# ---------------------------------------------------------------- names and places


def test_a_student_name_becomes_a_safe_file_name():
    assert answers.safe_name("  Ana Lima ") == "ana-lima"
    assert answers.safe_name("José Núñez") == "josé-núñez"
    assert answers.safe_name("O'Brien, K.") == "o-brien-k"
    assert answers.safe_name("con") == "con-student"
    assert answers.answers_path("Ana Lima").name == "ana-lima.json"


@pytest.mark.parametrize("name", ["../secrets", "a/b", "a\\b", "..", "   ", "?!", "nul\0"])
def test_a_name_that_is_a_path_or_has_no_letters_is_refused(name):
    with pytest.raises(ValueError):
        answers.safe_name(name)


def test_the_folder_is_the_one_set_then_the_environment_then_home(tmp_path, monkeypatch, answers_folder):
    assert answers.folder() == answers_folder
    answers.set_folder(tmp_path / "class-7b")
    assert answers.answers_path("Ana") == tmp_path / "class-7b" / "ana.json"
    answers.set_folder(None)
    monkeypatch.delenv(answers.ENV_FOLDER)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert answers.folder() == tmp_path / "home" / ".cablelab" / "answers"


# ---------------------------------------------------------------- records


def test_a_record_keeps_the_answer_its_correctness_attempts_times_and_history(answers_folder):
    first = answers.save("Ana", "01-urtel", "wrong one", notebook="01", kind="single", correct=False,
                         mistakes=["wrong one"])
    second = answers.save("Ana", "01-urtel", "right one", notebook="01", kind="single", correct=True)
    assert second["question"] == "01-urtel" and second["notebook"] == "01" and second["kind"] == "single"
    assert second["answer"] == "right one" and second["correct"] is True and second["attempts"] == 2
    assert second["first_saved"] == first["first_saved"] < second["last_saved"]
    assert [(a["answer"], a["correct"], a["mistakes"]) for a in second["history"]] == [
        ("wrong one", False, ["wrong one"]), ("right one", True, [])]
    on_disk = json.loads((answers_folder / "ana.json").read_text(encoding="utf-8"))
    assert on_disk["format"] == answers.FORMAT and on_disk["student"] == "Ana"
    assert on_disk["answers"]["01-urtel"] == second


def test_open_answers_are_saved_with_no_verdict_and_other_questions_are_kept():
    answers.save("Ana", "01-urtel", "x", notebook="01", kind="single", correct=True)
    answers.save("Ana", "07-open-claim", "My claim, ¶3(e).", notebook="07", kind="open", correct=None)
    saved = answers.load("Ana")
    assert set(saved) == {"01-urtel", "07-open-claim"} and saved["07-open-claim"]["correct"] is None


def test_a_save_leaves_no_temporary_file_and_a_file_the_teacher_can_read(answers_folder):
    for n in range(5):
        answers.save("Ana", f"00-q{n}", n, notebook="00", kind="text", correct=True)
    assert [p.name for p in answers_folder.iterdir() if not p.name.endswith(".lock")] == ["ana.json"]
    assert (answers_folder / "ana.json").stat().st_mode & 0o044 == 0o044


def test_an_answer_that_cannot_be_written_as_json_fails_before_the_file_is_touched(answers_folder):
    answers.save("Ana", "00-a", "kept", notebook="00", kind="text", correct=True)
    before = (answers_folder / "ana.json").read_bytes()
    with pytest.raises(TypeError):
        answers.save("Ana", "00-b", object(), notebook="00", kind="text", correct=True)
    assert (answers_folder / "ana.json").read_bytes() == before


def test_temporaries_left_by_a_killed_writer_are_cleared_by_the_next_save(answers_folder):
    answers_folder.mkdir(parents=True)
    stale = answers_folder / ".ana.json.abc123.tmp"
    stale.write_text('{"half": ', encoding="utf-8")
    answers.save("Ana", "00-a", "x", notebook="00", kind="text", correct=True)
    assert not stale.exists()


# ---------------------------------------------------------------- damaged files


@pytest.mark.parametrize("content", [b"{ not json", b"[1, 2, 3]", b'{"format": "something else"}',
                                     b"\xff\xfe\x00garbage", b"",
                                     b'{"format": "cablelab-answers", "answers": {"01-x": {"answer": 1}}}'])
def test_a_corrupt_file_is_moved_aside_with_a_warning_and_a_fresh_file_started(answers_folder, content):
    answers_folder.mkdir(parents=True)
    (answers_folder / "ana.json").write_bytes(content)
    with pytest.warns(answers.AnswersFileWarning, match=r"could not be read .* kept as ana\.corrupt-\d{8}T\d{6}Z\.json"):
        answers.save("Ana", "01-urtel", "right one", notebook="01", kind="single", correct=True)
    backups = list(answers_folder.glob("ana.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == content
    assert set(answers.load("Ana")) == {"01-urtel"}


def test_loading_a_corrupt_file_also_sets_it_aside_rather_than_hiding_it(answers_folder):
    answers_folder.mkdir(parents=True)
    (answers_folder / "ana.json").write_text("{ broken by hand", encoding="utf-8")
    with pytest.warns(answers.AnswersFileWarning):
        assert answers.load("Ana") == {}
    assert [p.read_text(encoding="utf-8") for p in answers_folder.glob("ana.corrupt-*.json")] == ["{ broken by hand"]


def test_a_second_corruption_in_the_same_second_never_overwrites_the_first_backup(answers_folder):
    answers_folder.mkdir(parents=True)
    for text in ("{ first", "{ second"):
        (answers_folder / "ana.json").write_text(text, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", answers.AnswersFileWarning)
            answers.load("Ana")
    assert sorted(p.read_text(encoding="utf-8") for p in answers_folder.glob("ana.corrupt-*.json")) == ["{ first", "{ second"]


# ---------------------------------------------------------------- crashes and concurrency


@pytest.mark.parametrize("kills", [pytest.param(12, id="12-kills"),
                                   pytest.param(KILLS, id=f"{KILLS}-kills", marks=pytest.mark.slow)])
def test_a_writer_killed_at_random_moments_never_loses_an_answer_whose_save_returned(answers_folder, kills):
    """SIGKILL a saving writer `kills` times; after each kill the file loads and holds every returned save.

    The full run (120 kills) took about 40 s on a busy two-core machine, so it is marked slow;
    the quick loop runs 12.
    """
    rng = random.Random(1379)
    returned: set[int] = set()
    started = time.monotonic()
    next_id, kills_mid_run = 0, 0
    writer = start_writer(answers_folder, "00-kill")
    for _ in range(kills):
        go(writer, next_id)
        upcoming = start_writer(answers_folder, "00-kill")  # its start-up overlaps this writer's run
        printed = read_lines(writer, rng.randint(0, 6))
        spin = time.perf_counter() + rng.uniform(0, 0.02)  # lands the kill at a random point of a save
        while time.perf_counter() < spin:
            pass
        os.kill(writer.pid, signal.SIGKILL)
        printed += finish(writer)
        assert writer.returncode == -signal.SIGKILL
        returned |= {int(n) for n in printed}
        kills_mid_run += bool(printed)
        next_id = max(returned, default=next_id) + 1000  # fresh ids: a lost answer cannot hide behind a later one
        saved = answers.read_file(answers_folder / "ana.json")["answers"] if returned else {}
        missing = {n for n in returned if f"00-kill-{n}" not in saved}
        assert not missing, f"answers lost after a kill: {sorted(missing)[:5]}"
        writer = upcoming
    writer.kill()
    finish(writer)
    elapsed = time.monotonic() - started
    print(f"{kills} kills in {elapsed:.1f} s; {len(returned)} returned saves all present")
    assert kills_mid_run >= kills // 2  # most kills hit a writer that was saving, not one starting up
    assert len(list(answers_folder.glob(".ana.json.*.tmp"))) <= 1  # at most the last victim's temporary
    assert not list(answers_folder.glob("*.corrupt-*"))  # no kill ever left a file that had to be set aside


def test_several_notebooks_saving_for_one_student_at_once_lose_no_answer(answers_folder):
    writers = [start_writer(answers_folder, f"00-w{k}", count=25) for k in range(4)]
    for writer in writers:  # all are running before any is told to start
        go(writer)
    for writer in writers:
        assert len(read_lines(writer, 25)) == 25
        finish(writer)
        assert writer.returncode == 0
    saved = answers.load("Ana")
    assert {f"00-w{k}-{n}" for k in range(4) for n in range(25)} == set(saved)


def test_concurrent_attempts_at_the_same_question_are_all_kept_in_its_history(answers_folder):
    writers = [start_writer(answers_folder, "00-same", count=1) for _ in range(6)]
    for writer in writers:
        go(writer)
    for writer in writers:
        finish(writer)
        assert writer.returncode == 0
    record = answers.load("Ana")["00-same-0"]
    assert record["attempts"] == len(record["history"]) == 6
