"""The teacher's live class dashboard: what it counts from the hand-in folder, and how it shows it."""

from __future__ import annotations

import asyncio
import base64
import re
import time

import pandas as pd
import pytest

from cablelab import answers, dashboard, exercises

QUESTION = "02-hardest-bargainer"
OPEN = "02-open-how-far-to-bend"
ROSTER = "username,display_name,role\nms-r,Ms. R,teacher\nada,Ada L.,student\nben,Ben K.,student\ncal,Cal M.,student\n"


@pytest.fixture
def options():
    q = exercises.question(QUESTION)
    right = next(o.text for o in q.options if o.correct)
    wrong = [o.text for o in q.options if not o.correct]
    return right, wrong


def save(hand_in, who, qid, answer, correct, kind="single"):
    answers.save(who, qid, answer, notebook=qid[:2], kind=kind, correct=correct,
                 mistakes=[] if correct in (True, None) else [answer], where=hand_in / who)


@pytest.fixture
def hand_in(tmp_path, options):
    """Ada wrong then right; Ben right at once; Dee (not on the roster) wrong twice; Cal never started."""
    folder = tmp_path / "handin"
    folder.mkdir()
    (folder / "roster.csv").write_text(ROSTER)
    right, wrong = options
    save(folder, "ada", QUESTION, wrong[0], False)
    save(folder, "ada", QUESTION, right, True)
    save(folder, "ben", QUESTION, right, True)
    save(folder, "dee", QUESTION, wrong[0], False)
    save(folder, "dee", QUESTION, wrong[1], False)
    save(folder, "ada", OPEN, "Only a little: ¶2 concedes a phrase.", None, kind="open")
    save(folder, "ben", OPEN, "Draft one", None, kind="open")
    save(folder, "ben", OPEN, "Not at all on overflights (¶3).", None, kind="open")
    return folder


def test_every_student_of_the_roster_is_listed_with_how_far_they_are(hand_in):
    view = dashboard.read_class(hand_in)
    progress = view.progress.set_index("username")
    assert set(progress.index) == {"ada", "ben", "cal", "dee"}  # the teacher is not a student; dee is from her file
    assert progress.loc["cal", "started"] == False and progress.loc["cal", "answered"] == 0  # noqa: E712
    assert progress.loc["ada", "answered"] == 2 and progress.loc["ada", "furthest"] == "02"
    assert progress.loc["ada", "02"] == 2 and progress.loc["ada", "student"] == "Ada L."


def test_a_self_check_shows_the_share_right_at_the_first_try_and_the_wrong_options_chosen_most(hand_in, options):
    right, wrong = options
    view = dashboard.read_class(hand_in)
    check = view.checks.set_index("question").loc[QUESTION]
    assert (check["answered"], check["right_first_try"]) == (3, 1)
    assert check["share_first_try"] == pytest.approx(1 / 3)
    assert check["wrong_options"] == f"{wrong[0]} (2×); {wrong[1]} (1×)"
    wrong_rows = view.wrong[view.wrong["question"] == QUESTION]
    assert list(wrong_rows["option"]) == [wrong[0], wrong[1]] and list(wrong_rows["times"]) == [2, 1]
    assert wrong_rows.iloc[0]["students"] == "Ada L., dee"


def test_open_responses_are_each_students_latest_answer_by_question(hand_in):
    view = dashboard.read_class(hand_in)
    responses = view.responses[view.responses["question"] == OPEN].set_index("username")
    assert responses.loc["ben", "answer"] == "Not at all on overflights (¶3)."
    assert responses.loc["ada", "student"] == "Ada L." and len(responses) == 2
    assert responses.loc["ada", "prompt"].startswith("How far was Washington")


def test_each_chart_has_alt_text_a_description_and_its_data(hand_in):
    view = dashboard.read_class(hand_in)
    first = dashboard.first_try_chart(view)
    assert "ranges from 33% to 33%" in first.alt_text and "02-hardest-bargainer (1 of 3)" in first.alt_text
    assert list(first.data["right at first try (%)"]) == [33]
    progress = dashboard.progress_chart(view)
    assert "4 students: 3 have started" in progress.alt_text and len(progress.data) == 4
    assert first.description and progress.description


def test_the_widget_shows_tables_charts_downloads_and_two_answers_side_by_side(hand_in):
    board = dashboard.Dashboard(hand_in)
    assert board.refresh() is True
    assert "3 of 4 students have started" in board.status.value
    assert 'alt="Bar chart of 4 students' in board.progress.value and "<table" in board.progress.value
    assert "Right at first try" in board.checks.value and "<caption>" in board.checks.value
    links = re.findall(r'href="data:text/csv;base64,([^"]+)"', board.downloads.value)
    table = pd.read_csv(pd.io.common.StringIO(base64.b64decode(links[0]).decode()))
    assert sorted(set(table["student"])) == ["ada", "ben", "dee"] and len(table) == 5
    assert board.question.value == OPEN
    board.first.value, board.second.value = "ada", "ben"
    assert board.pair.value.index("Ada L.") < board.pair.value.index("Ben K.")
    assert "Not at all on overflights" in board.pair.value and "Draft one" not in board.pair.value


def test_html_from_answers_is_escaped(hand_in):
    save(hand_in, "cal", OPEN, "<script>alert(1)</script>", None, kind="open")
    board = dashboard.Dashboard(hand_in)
    board.refresh()
    assert "<script>" not in board.responses.value and "&lt;script&gt;" in board.responses.value


def test_the_dashboard_redraws_only_when_an_answer_changed(hand_in):
    board = dashboard.Dashboard(hand_in)
    assert board.refresh() is True
    assert board.refresh() is False
    save(hand_in, "cal", QUESTION, "anything", False)
    assert board.refresh() is True
    assert "4 of 4 students have started" in board.status.value


def test_the_live_dashboard_refreshes_itself_while_the_lesson_runs(hand_in):
    async def scenario() -> bool:
        board = dashboard.Dashboard(hand_in).start(every=0.1)
        try:
            save(hand_in, "cal", OPEN, "A claim from Cal", None, kind="open")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if board.view is not None and "cal" in set(board.view.responses["username"]):
                    return True
                await asyncio.sleep(0.05)
            return False
        finally:
            board.stop()

    assert asyncio.run(scenario())


def test_an_account_that_cannot_read_the_hand_in_folder_gets_a_sentence_not_the_answers(hand_in, monkeypatch):
    assert "no class hand-in folder is set" in dashboard.live("").value
    monkeypatch.setattr(dashboard.os, "access", lambda path, mode: False)
    shown = dashboard.live(hand_in)
    assert "This dashboard is the teacher&#39;s" in shown.value and "permission denied" in shown.value
    with pytest.raises(PermissionError):
        dashboard.read_class(hand_in)
