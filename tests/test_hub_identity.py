"""Answers under the hub name: the identity rule of cablelab.answers, and reading a class's folders."""

from __future__ import annotations

import json

import pytest

from cablelab import answers


@pytest.fixture(autouse=True)
def off_the_hub(monkeypatch, tmp_path):
    monkeypatch.delenv(answers.ENV_HUB_USER, raising=False)
    monkeypatch.setenv(answers.ENV_FOLDER, str(tmp_path / "mine"))
    answers.set_folder(None)
    yield
    answers.set_folder(None)


def test_off_a_hub_answers_are_saved_under_the_name_given():
    assert answers.hub_user() is None
    assert answers.own_name("Ana Gomez") == "Ana Gomez"
    with pytest.raises(answers.AnswersError, match="no student name"):
        answers.own_name(None)


def test_on_a_hub_answers_are_saved_under_the_hub_user_with_no_name_typed(monkeypatch, tmp_path):
    monkeypatch.setenv(answers.ENV_HUB_USER, "ada")
    record = answers.save(None, "02-hardest-bargainer", "To back up the instruction", notebook="02",
                          kind="single", correct=True)
    data = json.loads((tmp_path / "mine" / "ada.json").read_text())
    assert data["student"] == "ada" and record["attempts"] == 1
    assert answers.load(None)["02-hardest-bargainer"]["answer"] == "To back up the instruction"
    assert answers.own_name("  ADA ") == "ada"  # the same name typed differently is still theirs


def test_on_a_hub_no_one_saves_or_reads_under_another_name(monkeypatch, tmp_path):
    monkeypatch.setenv(answers.ENV_HUB_USER, "ada")
    with pytest.raises(answers.AnswersError, match="signed in with, ada"):
        answers.save("ben", "02-x", "x", notebook="02", kind="open", correct=None)
    with pytest.raises(answers.AnswersError):
        answers.load("ben")
    assert not (tmp_path / "mine").exists() or not list((tmp_path / "mine").glob("*.json"))


def test_collect_reads_a_hand_in_folder_of_one_folder_per_student(tmp_path):
    hand_in = tmp_path / "handin"
    for name, answer, correct in [("ada", "A", True), ("ben", "B", False)]:
        answers.save(name, "02-q", answer, notebook="02", kind="single", correct=correct,
                     mistakes=[] if correct else [answer], where=hand_in / name)
    answers.save("ben", "02-q", "A", notebook="02", kind="single", correct=True, where=hand_in / "ben")
    table, summary, skipped = answers.collect(hand_in)
    assert sorted(table["student"]) == ["ada", "ben"] and skipped == []
    assert sorted(table["file"]) == ["ada/ada.json", "ben/ben.json"]
    row = summary.set_index("question").loc["02-q"]
    assert (row["answered"], row["right"], row["right_first_try"], row["most_common_wrong"]) == (2, 2, 1, "B")


def test_every_attempt_is_one_row_with_its_number_verdict_and_wrong_parts(tmp_path):
    hand_in = tmp_path / "handin"
    for answer, correct in [("B", False), ("C", False), ("A", True)]:
        answers.save("ben", "02-q", answer, notebook="02", kind="single", correct=correct,
                     mistakes=[] if correct else [answer], where=hand_in / "ben")
    tries, skipped = answers.attempts(hand_in)
    assert list(tries["attempt"]) == [1, 2, 3] and list(tries["correct"]) == [False, False, True]
    assert list(tries["mistakes"]) == [["B"], ["C"], []] and skipped == []
    assert str(tries["saved_at"].dtype).startswith("datetime64")


def test_on_a_hub_the_name_box_shows_the_signed_in_user_and_refuses_another_name(monkeypatch, tmp_path):
    from cablelab import exercises

    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    monkeypatch.setenv("CABLELAB_ANSWERS", str(tmp_path))
    exercises.reset_session()
    box = exercises.student_widget()
    assert exercises.student() == "ana"
    assert "signed in to the class hub as ana" in box.status.value and box.children == (box.status,)
    with pytest.raises(ValueError):
        exercises.set_student("ben")
    assert exercises.student() == "ana"
