"""The claim tracker, the review of every claim, and looking back at an earlier answer.

Widgets are driven as a notebook drives them, without a kernel: set a control's ``.value``,
press ``save.click()``, read the status and the answers file.
"""

from __future__ import annotations

import json

import pytest
from ipywidgets.embed import dependency_state

import cablelab
from cablelab import answers, claims, exercises


@pytest.fixture(autouse=True)
def fresh_session(tmp_path, monkeypatch):
    """A new kernel: no name, answers in a temporary folder (never in ~)."""
    for name in (exercises.ENV_STUDENT, exercises.ENV_TEACHER):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(answers.ENV_FOLDER, str(tmp_path / "answers"))
    answers.set_folder(None)
    exercises.reset_session()
    yield tmp_path / "answers"
    exercises.reset_session()
    answers.set_folder(None)


def write(tracker, claim: str, ref: str | None = None, quote: str = "") -> None:
    tracker.claim.value = claim
    tracker.evidence.value = ref
    tracker.quote.value = quote
    tracker.save.click()


def test_a_claim_is_saved_at_once_with_its_evidence_under_the_lesson_s_claim_id():
    exercises.set_student("Ana")
    tracker = claims.tracker("02")
    write(tracker, "The overflights blocked the deal.", "3(e)", "reservation re use our own resources")
    record = answers.load("Ana")["02-claim"]
    assert record["kind"] == "claim" and record["notebook"] == "02" and record["correct"] is None
    assert record["answer"] == {"claim": "The overflights blocked the deal.", "evidence": "3(e)",
                                "evidence_label": "¶3(e)", "quote": "reservation re use our own resources",
                                "document": "telegram 1379"}
    assert "Saved for Ana" in tracker.status.value


def test_the_evidence_dropdown_lists_every_paragraph_and_point_of_the_cable(seed_cable):
    refs = [ref for _, ref in claims.evidence_options(seed_cable)][1:]
    assert refs == ["lead", "1", "1(a)", "1(b)", "1(c)", "1(d)", "2", "3", "3(a)", "3(b)", "3(c)", "3(d)",
                    "3(e)", "3(f)", "4", "5"]
    assert claims.tracker("02").evidence.options[0] == ("Choose the paragraph or point…", None)


def test_reopening_the_lesson_shows_the_saved_claim_and_saves_nothing_more():
    exercises.set_student("Ana")
    write(claims.tracker("03"), "Cuba was not at the table.", "3(d)", "outside framework")
    attempts = answers.load("Ana")["03-claim"]["attempts"]
    reopened = claims.tracker("03")
    assert reopened.claim.value == "Cuba was not at the table."
    assert reopened.evidence.value == "3(d)" and reopened.quote.value == "outside framework"
    assert "Your saved claim is shown" in reopened.status.value
    reopened.save.click()
    assert answers.load("Ana")["03-claim"]["attempts"] == attempts


def test_every_change_is_kept_in_the_history_nothing_is_overwritten():
    exercises.set_student("Ana")
    tracker = claims.tracker("04")
    write(tracker, "First try.")
    write(tracker, "Second, better try.", "2")
    record = answers.load("Ana")["04-claim"]
    assert record["answer"]["claim"] == "Second, better try."
    assert [h["answer"]["claim"] for h in record["history"]][0] == "First try."


def test_with_no_name_yet_the_claim_stays_in_the_box_and_is_saved_when_the_name_is_given():
    tracker = claims.tracker("02")
    write(tracker, "Moscow wanted Castro's demands in.", "2", "some or all of Castro's demands")
    assert "No name yet" in tracker.status.value and "kept" in tracker.status.value
    assert tracker.claim.value == "Moscow wanted Castro's demands in."
    assert not answers.folder().exists() or not list(answers.folder().glob("*.json"))
    exercises.set_student("Ben")
    record = answers.load("Ben")["02-claim"]
    assert record["answer"] == {"claim": "Moscow wanted Castro's demands in.", "evidence": "2", "evidence_label": "¶2",
                                "quote": "some or all of Castro's demands", "document": "telegram 1379"}
    assert record["attempts"] == 1  # the claim waited once, as it stood when the name came
    assert "Saved for Ben" in tracker.status.value


def test_pressing_save_with_no_claim_asks_for_one_and_saves_nothing():
    exercises.set_student("Ana")
    tracker = claims.tracker("02")
    tracker.evidence.value = "1(d)"
    tracker.save.click()
    assert "Write your claim first" in tracker.status.value
    assert "02-claim" not in answers.load("Ana")


def test_quoted_words_are_checked_against_the_passage_chosen():
    exercises.set_student("Ana")
    tracker = claims.tracker("02")
    write(tracker, "Washington would not give up its flights.", "3(e)", "lest some … miscalculation")
    assert "are in ¶3(e), word for word" in tracker.check.value
    write(tracker, "Washington would not give up its flights.", "3(e)", "we will never stop flying")
    assert "not in ¶3(e) word for word" in tracker.check.value
    assert claims.quote_found('"categorically   Unacceptable"', "Soviet protocol categorically unacceptable;")


def test_the_review_shows_every_claim_in_lesson_order_with_its_evidence():
    exercises.set_student("Ana")
    write(claims.tracker("05"), "Time was short: the meeting was that night.", "2", "tonight")
    write(claims.tracker("01"), "The cable is one side's instructions.", "lead")
    write(claims.tracker("03"), "Cuba was not at the table.", "3(d)")
    view = claims.review().view.value
    positions = [view.index(f"Lesson {code}") for code in ("01", "03", "05")]
    assert positions == sorted(positions)
    assert "Cuba was not at the table." in view and "Evidence: ¶3(d)" in view
    assert "Question of discussing outstanding issues with Cuba" in view  # the passage it cites


def test_the_review_with_no_claims_says_where_to_write_them_and_follows_the_name_box():
    review = claims.review()
    assert "No name yet" in review.view.value
    exercises.set_student("Cleo")
    assert "No claim saved yet under the name Cleo" in review.view.value


def test_look_back_shows_the_saved_notice_think_wonder_log():
    exercises.set_student("Ana")
    answers.save("Ana", "00-notice-think-wonder", "I notice ¶2 says tonight.\nI wonder why so late.",
                 notebook="00", kind="open", correct=None)
    view = claims.look_back("00-notice-think-wonder").view.value
    assert "I notice ¶2 says tonight.<br>I wonder why so late." in view
    assert exercises.question("00-notice-think-wonder").prompt in view


def test_look_back_says_when_nothing_is_saved_yet_and_where_to_write_it():
    exercises.set_student("Ana")
    view = claims.look_back("00-notice-think-wonder").view.value
    assert "Nothing saved yet" in view and "Lesson 00: Start here" in view


def test_another_document_gives_its_own_passages_and_a_sentence_saying_so(corpus_dir):
    exercises.set_student("Ana")
    other = cablelab.read(corpus_dir / "069_avalon_dept_to_usun_1084.txt")
    tracker = claims.tracker("04", cable=other)
    refs = [ref for _, ref in tracker.evidence.options][1:]
    assert refs and "3(e)" not in refs
    assert "The evidence list comes from telegram 1084" in tracker.prompt.value
    write(tracker, "Earlier, speed mattered too.", refs[0])
    assert answers.load("Ana")["04-claim"]["answer"]["document"] == "telegram 1084"
    view = claims.review(other).view.value
    assert "Earlier, speed mattered too." in view
    assert "of telegram 1084" not in view  # the same document: its passage is shown
    assert "of telegram 1084" in claims.review().view.value  # seen from 1379: named as another document's


def test_student_text_is_escaped_in_every_view():
    exercises.set_student("Ana")
    write(claims.tracker("02"), "<script>alert(1)</script> & <b>bold</b>", "2", "<img src=x>")
    for html in (claims.review().view.value, claims.look_back("02-claim").view.value):
        assert "<script>" not in html and "<b>bold" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_without_a_kernel_each_view_says_what_it_does_and_shows_no_student_text():
    exercises.set_student("Ana")
    tracker = claims.tracker("02")
    write(tracker, "A private claim.", "2")
    for widget in (tracker, claims.review(), claims.look_back("02-claim")):
        bundle = widget._repr_mimebundle_()
        assert "in a running notebook" in bundle["text/html"].lower()
        assert "A private claim." not in bundle["text/html"]
    assert claims.CENTRAL_QUESTION in tracker._repr_mimebundle_()["text/html"]


def test_lessons_are_named_by_their_two_digit_code():
    assert claims.question_id("02") == claims.question_id(2) == claims.question_id("02_negotiation_points") == "02-claim"
    with pytest.raises(ValueError, match="not a lesson"):
        claims.question_id("12")


def test_the_teacher_s_collection_reads_claims_with_the_other_answers(fresh_session):
    exercises.set_student("Ana")
    write(claims.tracker("07"), "Verification was the sticking point.", "3(b)")
    table, summary, skipped = answers.collect(fresh_session)
    row = table[table["question"] == "07-claim"].iloc[0]
    assert row["kind"] == "claim" and "Verification was the sticking point." in row["answer"]
    assert not skipped


def test_with_no_name_as_in_an_export_no_saved_claim_reaches_the_widget_state():
    exercises.set_student("Ana")
    write(claims.tracker("02"), "A private claim.", "2")
    exercises.reset_session()  # a fresh kernel, as the site export runs: no name
    tracker = claims.tracker("02")
    state = json.dumps(dependency_state(tracker, drop_defaults=False), ensure_ascii=False)
    assert "A private claim." not in state and tracker.claim.value == ""
    assert "No name yet" in tracker.status.value


def test_choosing_the_evidence_shows_the_passage_to_quote_from(seed_cable):
    tracker = claims.tracker("02", cable=seed_cable)
    tracker.evidence.value = "3(e)"
    point = seed_cable.points.set_index("ref").loc["3(e)", "text"]
    assert "¶3(e) reads:" in tracker.check.value and point.split()[3] in tracker.check.value
