"""The teacher's side: a folder of answer files read into one table, a CSV and a summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cablelab import answers

ROOT = Path(__file__).resolve().parents[1]
URTEL_RIGHT = "Telegrams the U.S. Mission in New York had sent to the State Department."
URTEL_SOVIET = "Messages from the Soviet delegation that the cable answers."
URTEL_DEPT = "Earlier telegrams the State Department had sent to New York."
BAD_FILES = {
    "broken.json": b'{"format": "cablelab-answers", "answers": {',
    "a-list.json": b"[1, 2, 3]",
    "latin1.json": "{\"student\": \"Jos\xe9\"}".encode("latin-1"),
    "someone.corrupt-20261128T080000Z.json": b"{ set aside earlier",
}


def answer_urtel(student: str, *choices: str) -> None:
    for choice in choices:
        right = choice == URTEL_RIGHT
        answers.save(student, "01-urtel", choice, notebook="01", kind="single", correct=right,
                     mistakes=[] if right else [choice])


@pytest.fixture
def class_folder(tmp_path) -> Path:
    """Three students' files, four bad files and a stray note, as a teacher might gather them."""
    folder = tmp_path / "class-7b"
    answers.set_folder(folder)
    answer_urtel("Ana", URTEL_SOVIET, URTEL_RIGHT)
    answer_urtel("Ben", URTEL_SOVIET)
    answer_urtel("Chloé", URTEL_DEPT, URTEL_RIGHT)
    answers.save("Ana", "02-reservations-and-answers", {"1(d)": "¶3(f)", "1(a)": None}, notebook="02",
                 kind="match", correct=False, mistakes=["1(d) -> ¶3(f)", "1(a) -> (none)"])
    answers.save("Ben", "07-open-claim", "¶3(e) shows, which suggests", notebook="07", kind="open", correct=None)
    answers.set_folder(None)
    for name, content in BAD_FILES.items():
        (folder / name).write_bytes(content)
    (folder / "notes.txt").write_text("not an answers file", encoding="utf-8")
    return folder


def run_collect(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cablelab", "collect", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_collect_reads_every_good_file_into_one_row_per_student_and_question(class_folder):
    table, _, _ = answers.collect(class_folder)
    assert sorted(table["student"].unique()) == ["Ana", "Ben", "Chloé"]
    assert len(table) == 5
    ana = table[(table["student"] == "Ana") & (table["question"] == "01-urtel")].iloc[0]
    assert ana["answer"] == URTEL_RIGHT and bool(ana["correct"]) and not bool(ana["first_correct"])
    assert ana["attempts"] == 2 and ana["file"] == "ana.json"
    assert str(table["correct"].dtype) == "boolean" and str(table["attempts"].dtype) == "Int64"
    assert isinstance(table["last_saved"].dtype, pd.DatetimeTZDtype)
    assert pd.isna(table.loc[table["question"] == "07-open-claim", "correct"]).all()
    match = table.loc[table["question"] == "02-reservations-and-answers", "answer"].item()
    assert match == "1(d) -> ¶3(f) | 1(a) -> (none)"


def test_the_summary_counts_right_and_wrong_and_names_the_most_common_wrong_choice(class_folder):
    _, summary, _ = answers.collect(class_folder)
    urtel = summary.set_index("question").loc["01-urtel"]
    assert (urtel["answered"], urtel["right"], urtel["wrong"], urtel["right_first_try"]) == (3, 2, 1, 0)
    assert urtel["most_common_wrong"] == URTEL_SOVIET and urtel["times_chosen"] == 2
    match = summary.set_index("question").loc["02-reservations-and-answers"]
    assert match["most_common_wrong"] in {"1(d) -> ¶3(f)", "1(a) -> (none)"}
    claim = summary.set_index("question").loc["07-open-claim"]
    assert (claim["right"], claim["wrong"], claim["times_chosen"]) == (0, 0, 0)


def test_every_bad_file_is_named_with_a_reason_and_skipped(class_folder):
    _, _, skipped = answers.collect(class_folder)
    reasons = dict(skipped)
    assert set(reasons) == set(BAD_FILES)
    assert "not valid JSON" in reasons["broken.json"]
    assert "JSON object" in reasons["a-list.json"]
    assert "UTF-8" in reasons["latin1.json"]
    assert "set aside earlier" in reasons["someone.corrupt-20261128T080000Z.json"]
    assert (class_folder / "broken.json").read_bytes() == BAD_FILES["broken.json"]  # collect never changes a file


def test_the_collect_command_writes_the_csv_prints_the_summary_and_names_bad_files(class_folder):
    result = run_collect(str(class_folder))
    assert result.returncode == 0, result.stderr
    written = pd.read_csv(class_folder / "answers.csv")
    assert len(written) == 5 and set(written["question"]) == {"01-urtel", "02-reservations-and-answers", "07-open-claim"}
    assert "5 answers from 3 student(s)" in result.stdout
    assert "01-urtel" in result.stdout and URTEL_SOVIET[:40] in result.stdout
    for name in BAD_FILES:
        assert f"skipped {name}:" in result.stdout


def test_the_collect_command_writes_where_it_is_told_and_a_second_run_ignores_its_own_csv(class_folder, tmp_path):
    out = tmp_path / "reports" / "7b.csv"
    assert run_collect(str(class_folder), "--out", str(out)).returncode == 0
    assert len(pd.read_csv(out)) == 5
    again = run_collect(str(class_folder))
    skipped_lines = [line for line in again.stdout.splitlines() if line.startswith("skipped")]
    assert again.returncode == 0 and not any("answers.csv" in line for line in skipped_lines)


def test_the_collect_command_on_a_missing_folder_says_so_and_exits_2(tmp_path):
    result = run_collect(str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no such folder" in result.stderr and "nowhere" in result.stderr


def test_collect_on_an_empty_folder_gives_empty_tables(tmp_path):
    table, summary, skipped = answers.collect(tmp_path)
    assert table.empty and summary.empty and skipped == []
    assert answers.collect_command(tmp_path) == 0
    assert (tmp_path / "answers.csv").exists()


def test_the_collect_command_says_so_when_the_csv_cannot_be_written(class_folder, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    assert answers.collect_command(class_folder, out=blocker / "answers.csv") == 2
    assert "could not write" in capsys.readouterr().err
