"""The question bank and its widgets: validation, feedback shown, answers stored, teacher mode.

Widgets are driven as a notebook would drive them, without a kernel: set a control's
``.value``, press ``check.click()``, read the feedback widget's value and the answers file.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import ipywidgets
import pytest
from ipywidgets.embed import dependency_state
from markupsafe import escape

from cablelab import answers, exercises
from cablelab.exercises import QuestionBankError, parse_bank

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(autouse=True)
def fresh_session(tmp_path, monkeypatch):
    """A new kernel: no name, student mode, answers in a temporary folder (never in ~)."""
    for name in (exercises.ENV_STUDENT, exercises.ENV_TEACHER, exercises.ENV_FRAMES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(answers.ENV_FOLDER, str(tmp_path / "answers"))
    answers.set_folder(None)
    exercises.reset_session()
    yield tmp_path / "answers"
    exercises.reset_session()
    answers.set_folder(None)


def shown(text: str) -> str:
    """How a bank text appears inside a feedback widget's HTML."""
    return str(escape(" ".join(text.split())))


def option(question_id: str, correct: bool) -> exercises.Option:
    return next(o for o in exercises.question(question_id).options if o.correct is correct)


def saved(student: str, question_id: str) -> dict:
    return answers.load(student)[question_id]


def widget_state_text(widget) -> str:
    """Everything a static export would embed for this widget and every widget inside it."""
    return json.dumps(dependency_state(widget, drop_defaults=False), ensure_ascii=False)


# ---------------------------------------------------------------- the bank


def test_the_bank_loads_and_every_closed_question_has_a_right_answer_and_feedback_for_every_option():
    bank = exercises.load_bank()
    assert len(bank) >= 30
    for q in bank.values():
        if q.kind in ("single", "multiple"):
            assert any(o.correct for o in q.options), q.id
            assert all(len(o.feedback.split()) >= 40 for o in q.options), q.id  # about 60 words, never "Correct!"
        elif q.kind == "match":
            assert all(p.right in q.choices and p.feedback for p in q.pairs), q.id
        elif q.kind == "order":
            assert all(item.feedback for item in q.items), q.id
        elif q.kind == "text":
            assert q.accepted and q.feedback["correct"] and q.feedback["incorrect"], q.id
        else:
            assert q.model_answer and len(q.checklist) == 3 and q.frames, q.id


def test_each_lesson_has_the_closed_and_open_questions_it_needs():
    # Lessons as they are in notebooks/: lesson 03 brings its own questions with its notebook.
    lessons = sorted(path.name[:2] for path in NOTEBOOKS_DIR.glob("0[0-7]_*.ipynb"))
    assert lessons, f"no lessons in {NOTEBOOKS_DIR}"
    table = exercises.questions()
    for notebook in lessons:
        kinds = table.loc[table["notebook"] == notebook, "kind"]
        closed, open_ = int((kinds != "open").sum()), int((kinds == "open").sum())
        assert closed >= 3 and open_ >= 1, (notebook, closed, open_)
    assert set(table["kind"]) == set(exercises.KINDS)


def test_later_lessons_bring_the_drafting_skill_back_on_new_telegrams_not_the_same_question():
    original = exercises.question("01-drafting-note")
    for transfer_id, document in (("05-transfer-who-drafted", "FRUS XI, doc. 252"),
                                  ("07-transfer-whose-words", "FRUS XI, doc. 210")):
        transfer = exercises.question(transfer_id)
        assert transfer.recalls is None and transfer.kind == "single"
        assert transfer.skill.startswith("sourcing") and document in transfer.prompt
        assert not {o.text for o in transfer.options} & {o.text for o in original.options}
    rusk = exercises.question("05-transfer-who-drafted")
    right = next(o for o in rusk.options if o.correct)
    assert "Rusk" in rusk.prompt and "U. Alexis Johnson" in right.text


def test_wrong_options_come_from_the_real_misreadings_named_in_the_teaching_notes():
    wrong = {qid: [o.text for o in exercises.question(qid).options if not o.correct]
             for qid in ("01-urtel", "00-what-kind-of-document", "05-over-on-october-28")}
    assert any("Soviet" in text for text in wrong["01-urtel"])
    assert any("record of what Mikoyan said" in text for text in wrong["00-what-kind-of-document"])
    assert any("over on October 28" in text for text in wrong["05-over-on-october-28"])


def test_questions_is_a_table_of_the_bank_without_the_answers():
    table = exercises.questions("02")
    assert list(table.columns) == ["id", "notebook", "kind", "skill", "prompt", "source", "choices", "recalls", "optional"]
    assert set(table["notebook"]) == {"02"} and "02-reservations-and-answers" in set(table["id"])
    assert table.loc[table["id"] == "02-reservations-and-answers", "kind"].item() == "match"
    assert exercises.questions(5)["id"].str.startswith("05-").all()


# Twenty words: long enough for the length check, so each bank below breaks one rule only.
LONG = " ".join(["word"] * 20)
BROKEN_BANKS = {
    "missing option feedback": ("""
questions:
- id: 01-x
  notebook: "01"
  kind: single
  skill: sourcing
  source: ¶1
  prompt: Which?
  options:
    - {text: A, correct: true, feedback: "a reason that runs to more than twenty words so that it would pass the length check on any ordinary day of the week"}
    - {text: B, correct: false}
""", "question '01-x', field 'options[1].feedback'"),
    "two right answers to a single question": ("""
questions:
- id: 02-y
  notebook: "02"
  kind: single
  skill: sourcing
  source: ¶1
  prompt: Which?
  options:
    - {text: A, correct: true, feedback: LONG}
    - {text: B, correct: true, feedback: LONG}
""", "question '02-y', field 'options': a single-answer question needs exactly one correct option, found 2"),
    "a bare Correct!": ("""
questions:
- id: 03-z
  notebook: "03"
  kind: multiple
  skill: sourcing
  source: ¶1
  prompt: Which?
  options:
    - {text: A, correct: true, feedback: "Correct!"}
    - {text: B, correct: false, feedback: LONG}
""", "question '03-z', field 'options[0].feedback': only 1 words"),
    "a typo in a field name": ("""
questions:
- id: 04-w
  notebook: "04"
  kind: text
  skill: close reading
  source: ¶5
  prompt: Type it.
  acepted: [Secretary-General]
  feedback: {correct: LONG, incorrect: LONG}
""", "question '04-w', field 'acepted': is not a field of a text question"),
    "a notebook that contradicts the id": ("""
questions:
- id: 05-v
  notebook: "04"
  recalls: 01-nothing
""", "question '05-v', field 'notebook': is '04' but the id says '05'"),
    "a recall of an unknown question": ("""
questions:
- id: 05-v
  notebook: "05"
  recalls: 01-nothing
""", "question '05-v', field 'recalls': '01-nothing' is not the id of a question in the bank"),
    "an all of the above option": ("""
questions:
- id: 00-u
  notebook: "00"
  kind: single
  skill: sourcing
  source: ¶1
  prompt: Which?
  options:
    - {text: All of the above, correct: true, feedback: LONG}
    - {text: B, correct: false, feedback: LONG}
""", "question '00-u', field 'options[0].text': no 'all/none of the above' options"),
    "a checklist of two levels": ("""
questions:
- id: 01-t
  notebook: "01"
  kind: open
  skill: sourcing
  source: ¶1
  prompt: Write.
  frames: ["¶… shows"]
  model_answer: A model.
  checklist:
    - {level: Beginning, signs: [a]}
    - {level: Secure, signs: [b]}
""", "question '01-t', field 'checklist': needs a list of at least 3"),
    "a match whose alternative is not offered": ("""
questions:
- id: 02-s
  notebook: "02"
  kind: match
  skill: close reading
  source: ¶1
  prompt: Match.
  pairs:
    - {left: a, right: x, feedback: "one two three four five six seven eight nine ten", also_accept: [zz]}
    - {left: b, right: y, feedback: "one two three four five six seven eight nine ten"}
""", "question '02-s', field 'pairs[0]': 'zz' is not one of the right-hand choices"),
}


@pytest.mark.parametrize("case", list(BROKEN_BANKS))
def test_a_broken_bank_is_refused_with_the_question_id_and_field(case):
    text, message = BROKEN_BANKS[case]
    with pytest.raises(QuestionBankError) as err:
        parse_bank(text.replace("LONG", LONG), source="questions.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("questions.yaml:")


def test_every_mistake_in_a_bank_is_reported_at_once():
    text = BROKEN_BANKS["missing option feedback"][0] + BROKEN_BANKS["two right answers to a single question"][0].split("questions:")[1]
    with pytest.raises(QuestionBankError) as err:
        parse_bank(text.replace("LONG", LONG))
    assert "'01-x'" in str(err.value) and "'02-y'" in str(err.value) and "2 problem(s)" in str(err.value)


# ---------------------------------------------------------------- closed questions, kind by kind


def test_a_single_choice_shows_the_chosen_options_explanation_and_saves_every_attempt():
    exercises.set_student("Ana")
    w = exercises.ask("01-urtel")
    wrong, right = option("01-urtel", False), option("01-urtel", True)
    w.choice.value = wrong.text
    w.check.click()
    assert shown(wrong.feedback) in w.feedback.value and "Not this one" in w.feedback.value
    assert saved("Ana", "01-urtel")["correct"] is False
    w.choice.value = right.text
    w.check.click()
    assert shown(right.feedback) in w.feedback.value and "✓ Right" in w.feedback.value
    record = saved("Ana", "01-urtel")
    assert record["answer"] == right.text and record["correct"] is True and record["attempts"] == 2
    assert [a["correct"] for a in record["history"]] == [False, True]
    assert record["history"][0]["mistakes"] == [wrong.text]
    assert record["notebook"] == "01" and record["kind"] == "single"


def test_checking_with_nothing_chosen_asks_for_an_answer_and_saves_nothing(fresh_session):
    exercises.set_student("Ana")
    w = exercises.ask("02-hardest-bargainer")
    w.check.click()
    assert "Choose an answer first" in w.feedback.value
    assert answers.load("Ana") == {}


def test_a_multiple_choice_explains_each_ticked_option_and_says_when_one_is_missing():
    exercises.set_student("Ana")
    q = exercises.question("04-at-the-table")
    w = exercises.ask("04-at-the-table")
    boxes = {box.description: box for box in w.choices}
    right = [o for o in q.options if o.correct]
    castro = next(o for o in q.options if o.text == "Castro")
    boxes[right[0].text].value = True
    boxes["Castro"].value = True
    w.check.click()
    assert shown(right[0].feedback) in w.feedback.value and shown(castro.feedback) in w.feedback.value
    assert "1 more choice(s) fit" in w.feedback.value
    record = saved("Ana", "04-at-the-table")
    assert record["correct"] is False and "Castro" in record["mistakes"]
    for o in q.options:
        boxes[o.text].value = o.correct
    w.check.click()
    assert saved("Ana", "04-at-the-table")["correct"] is True
    assert saved("Ana", "04-at-the-table")["answer"] == [o.text for o in right]  # the bank's order


def test_the_reservations_match_pairs_the_overflight_reservation_with_point_3e():
    exercises.set_student("Ana")
    q = exercises.question("02-reservations-and-answers")
    w = exercises.ask("02-reservations-and-answers")
    overflight = next(p for p in q.pairs if p.left.startswith("1(d)"))
    assert overflight.right.startswith("¶3(e)")
    assert all(isinstance(d, ipywidgets.Dropdown) for d in w.dropdowns.values())
    thant = "¶3(f): U Thant proposal unacceptable"
    w.dropdowns[overflight.left].value = thant
    w.check.click()
    assert shown(overflight.wrong[thant]) in w.feedback.value
    assert "Choose a match for this one too" in w.feedback.value
    record = saved("Ana", "02-reservations-and-answers")
    assert record["correct"] is False and f"{overflight.left} -> {thant}" in record["mistakes"]
    for pair in q.pairs:
        w.dropdowns[pair.left].value = pair.right
    w.check.click()
    assert all(shown(p.feedback) in w.feedback.value for p in q.pairs)
    assert saved("Ana", "02-reservations-and-answers")["correct"] is True


def test_a_match_accepts_a_listed_alternative_answer():
    exercises.set_student("Ana")
    q = exercises.question("02-reservations-and-answers")
    w = exercises.ask("02-reservations-and-answers")
    for pair in q.pairs:
        w.dropdowns[pair.left].value = pair.also_accept[0] if pair.also_accept else pair.right
    w.check.click()
    assert saved("Ana", "02-reservations-and-answers")["correct"] is True


def test_an_ordering_says_what_each_misplaced_event_is_without_placing_it():
    exercises.set_student("Ana")
    q = exercises.question("05-put-in-order")
    w = exercises.ask("05-put-in-order")
    assert [o[1] for o in w.slots[0].options[1:]] != [item.text for item in q.items]  # shown mixed
    order = [item.text for item in q.items]
    order[0], order[1] = order[1], order[0]
    for slot, text in zip(w.slots, order):
        slot.value = text
    w.check.click()
    assert shown(q.items[1].feedback) in w.feedback.value and "Place 1" in w.feedback.value
    assert saved("Ana", "05-put-in-order")["correct"] is False
    for slot, item in zip(w.slots, q.items):
        slot.value = item.text
    w.check.click()
    assert saved("Ana", "05-put-in-order")["correct"] is True
    assert saved("Ana", "05-put-in-order")["answer"] == [item.text for item in q.items]


def test_a_short_text_answer_ignores_case_and_punctuation_and_explains_a_known_misreading():
    exercises.set_student("Ana")
    q = exercises.question("01-syg")
    w = exercises.ask("01-syg")
    w.text.value = "security council"
    w.check.click()
    misreading = next(m for m in q.misreadings if m.answer == "Security Council")
    assert shown(misreading.feedback) in w.feedback.value
    w.text.value = "  secretary general. "
    w.check.click()
    assert shown(q.feedback["correct"]) in w.feedback.value
    record = saved("Ana", "01-syg")
    assert record["correct"] is True and record["attempts"] == 2


RECALL_BANK = """
questions:
- id: 01-first
  notebook: "01"
  kind: single
  skill: sourcing
  source: ¶1
  prompt: Which?
  options:
    - {text: A, correct: true, feedback: LONG}
    - {text: B, correct: false, feedback: LONG}
    - {text: C, correct: false, feedback: LONG}
- id: 05-again
  notebook: "05"
  recalls: 01-first
  prompt: Which, once more?
"""


def test_a_recalled_question_takes_its_originals_options_and_is_saved_under_its_own_id_and_notebook():
    bank = parse_bank(RECALL_BANK.replace("LONG", LONG))
    recall = bank["05-again"]
    assert recall.recalls == "01-first" and recall.kind == "single" and recall.notebook == "05"
    assert recall.options == bank["01-first"].options and recall.prompt == "Which, once more?"
    exercises.set_student("Ana")
    w = exercises.SelfCheck(recall)
    w.choice.value = "A"
    w.check.click()
    stored = answers.load("Ana")
    assert "01-first" not in stored
    assert stored["05-again"]["notebook"] == "05" and stored["05-again"]["correct"] is True
    assert exercises.bank_figures(bank).questions == 1  # a recall is not counted twice


# ---------------------------------------------------------------- the order choices are shown in


def shown_order(w: exercises.SelfCheck) -> list[str]:
    """The choices as the student sees them, read from the controls themselves."""
    kind = w.question.kind
    if kind == "single":
        return list(w.choice.options)
    if kind == "multiple":
        return [box.description for box in w.choices]
    dropdown = next(iter(w.dropdowns.values())) if kind == "match" else w.slots[0]
    return [value for _, value in dropdown.options[1:]]


def written_order(q: exercises.Question) -> list[str]:
    if q.kind in ("single", "multiple"):
        return [o.text for o in q.options]
    return q.choices if q.kind == "match" else [item.text for item in q.items]


def with_choices() -> list[exercises.Question]:
    return [q for q in exercises.load_bank().values() if q.kind in ("single", "multiple", "match", "order")]


def orders_for(student: str | None) -> dict[str, list[str]]:
    """Each question's order in a fresh kernel for `student` (None: no name given yet)."""
    exercises.reset_session()
    if student:
        exercises.set_student(student)
    return {q.id: shown_order(exercises.ask(q.id)) for q in with_choices()}


def test_a_student_sees_the_same_order_after_reopening_and_every_choice_in_it():
    first = orders_for("Ana Lima")
    assert first == orders_for("ana  LIMA")  # the same student (the same answers file), a new kernel
    for q in with_choices():
        assert sorted(first[q.id]) == sorted(written_order(q)), q.id
        assert first[q.id] != written_order(q), f"{q.id} is shown in the order the bank is written in"


def test_two_students_see_most_questions_in_different_orders():
    ana, ben = orders_for("Ana Lima"), orders_for("Ben Okafor")
    differ = [qid for qid in ana if ana[qid] != ben[qid]]
    assert len(differ) >= 2 * len(ana) / 3, f"only {len(differ)} of {len(ana)} questions differ"


def test_before_a_name_the_order_comes_from_the_question_id_and_is_never_the_written_one():
    nameless = orders_for(None)
    assert nameless == orders_for(None)
    for q in with_choices():
        assert nameless[q.id] == exercises.shuffled(written_order(q), q.id) != written_order(q), q.id


def test_the_order_is_a_hash_of_name_and_question_the_same_in_every_python_process():
    code = ("from cablelab import exercises; "
            "print(exercises.shuffled(['a', 'b', 'c', 'd', 'e'], '05-put-in-order', 'Ana Lima'))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")}
    assert runs == {f"{exercises.shuffled(list('abcde'), '05-put-in-order', 'Ana Lima')}\n"}


def test_giving_a_name_puts_the_widgets_already_shown_in_that_students_order_and_keeps_the_choice():
    right = option("01-urtel", True).text
    w = exercises.ask("01-urtel")
    assert shown_order(w) == exercises.shuffled(written_order(w.question), "01-urtel")
    w.choice.value = right
    multiple = exercises.ask("04-at-the-table")
    next(box for box in multiple.choices if box.description == "Mikoyan").value = True
    exercises.set_student("Ana Lima")
    assert shown_order(w) == exercises.shuffled(written_order(w.question), "01-urtel", "Ana Lima")
    assert w.choice.value == right and multiple.answer() == ["Mikoyan"]
    assert shown_order(multiple) == exercises.shuffled(written_order(multiple.question), "04-at-the-table", "Ana Lima")
    w.check.click()
    assert saved("Ana Lima", "01-urtel")["answer"] == right


@pytest.mark.parametrize("student", ["Ana Lima", "Ben Okafor"])
def test_grading_and_saved_answers_do_not_depend_on_the_order_shown(student):
    exercises.set_student(student)
    for q in with_choices():
        w = exercises.ask(q.id)
        if q.kind == "single":
            w.choice.value = next(o.text for o in q.options if o.correct)
            expected = w.choice.value
        elif q.kind == "multiple":
            for box in w.choices:
                box.value = any(o.correct and o.text == box.description for o in q.options)
            expected = [o.text for o in q.options if o.correct]
        elif q.kind == "match":
            for pair in q.pairs:
                w.dropdowns[pair.left].value = pair.right
            expected = {pair.left: pair.right for pair in q.pairs}
        else:
            for slot, item in zip(w.slots, q.items):
                slot.value = item.text
            expected = [item.text for item in q.items]
        w.check.click()
        record = saved(student, q.id)
        assert record["correct"] is True and record["answer"] == expected, q.id


def test_the_kernel_free_view_lists_the_choices_in_the_widgets_order():
    exercises.set_student("Ana Lima")
    for qid in ("02-hardest-bargainer", "05-put-in-order", "02-reservations-and-answers"):
        w = exercises.ask(qid)
        page = w._repr_mimebundle_()["text/html"]
        places = [page.index(shown(text)) for text in shown_order(w)]
        assert places == sorted(places), qid


# ---------------------------------------------------------------- open questions, teacher and student


def test_an_open_question_saves_the_text_and_shows_the_sentence_frames():
    exercises.set_student("Ana")
    q = exercises.question("07-open-claim")
    w = exercises.ask("07-open-claim")
    assert all(shown(frame) in w.frames.value for frame in q.frames)
    w.response.value = "¶3(e) shows that the U.S. would not give up overflights."
    record = saved("Ana", "07-open-claim")
    assert record["answer"].startswith("¶3(e)") and record["correct"] is None and record["kind"] == "open"


def test_sentence_frames_can_be_switched_off_for_undergraduates(monkeypatch):
    assert exercises.ask("07-open-claim", frames=False).frames.value == ""
    monkeypatch.setenv(exercises.ENV_FRAMES, "0")
    assert exercises.ask("07-open-claim").frames.value == ""


def checklist_texts(q: exercises.Question) -> list[str]:
    return [text for level in q.checklist for text in (level.level, *level.signs)]


def forms(text: str) -> tuple[str, ...]:
    """A text as it may sit in widget state or HTML: plain, HTML-escaped, JSON-escaped (first 60 characters)."""
    return tuple(form[:60] for form in (" ".join(text.split()), shown(text), json.dumps(" ".join(text.split()))[1:-1]))


@pytest.mark.parametrize("teacher", [False, True], ids=["student", "teacher"])
def test_the_success_criteria_are_shown_before_the_student_writes_in_every_mode(teacher):
    exercises.teacher_mode(teacher)
    for q in (q for q in exercises.load_bank().values() if q.kind == "open"):
        w = exercises.ask(q.id)
        children = list(w.children)
        assert children.index(w.criteria) < children.index(w.response), q.id  # above the box, before writing
        page = html.unescape(w._repr_mimebundle_()["text/html"])
        for text in checklist_texts(q):
            assert text in html.unescape(w.criteria.value) and text in page, (q.id, text)
        assert page.index("What a good answer does") < page.index(q.frames[0])


def test_in_student_mode_no_model_answer_is_in_any_widget_state_html_or_bundle_even_after_asking():
    exercises.set_student("Ana")
    opened = []
    for q in exercises.load_bank().values():
        if q.kind == "open":
            w = exercises.ask(q.id)
            assert w.reveal not in w.buttons.children  # no button that only says "not for you"
            w.response.value = "My answer."
            w.reveal.click()  # even if a student reached it, it shows no model answer
            assert "teacher's version" in html.unescape(w.model.value)
            opened.append((q, w))
    assert len(opened) >= 7
    for q, w in opened:
        state = widget_state_text(w)
        bundle = w._repr_mimebundle_()
        everything = state + w.static_html() + bundle["text/html"] + bundle["text/plain"]
        for form in forms(q.model_answer):
            assert form not in everything, f"{q.id}: {form!r} is in the student's widget, HTML or bundle"
        assert "My answer." in state  # the check does see the widget's contents
        assert all(sign in html.unescape(json.loads(json.dumps(state)))
                   for level in q.checklist for sign in level.signs), q.id  # the criteria are there to read


def test_in_teacher_mode_the_model_answer_appears_only_when_asked():
    exercises.teacher_mode(True)
    q = exercises.question("02-open-how-far-to-bend")
    w = exercises.ask("02-open-how-far-to-bend")
    assert w.reveal in w.buttons.children
    assert all(form not in widget_state_text(w) for form in forms(q.model_answer))
    w.reveal.click()
    assert shown(q.model_answer) in w.model.value and "Model answer" in w.model.value


def test_success_criteria_from_the_bank_are_escaped_where_they_become_html():
    bank = parse_bank("""
questions:
- id: 01-evil-open
  notebook: "01"
  kind: open
  skill: sourcing
  source: ¶1
  prompt: Write.
  frames: ["¶… shows"]
  model_answer: A model.
  checklist:
    - {level: "<b>Beginning</b>", signs: ["<script>x()</script>"]}
    - {level: Developing, signs: [b]}
    - {level: Secure, signs: ['Quotes "¶3" & names a limit']}
""")
    w = exercises.SelfCheck(bank["01-evil-open"])
    assert "<script>" not in w.criteria.value and "&lt;script&gt;" in w.criteria.value
    assert "<b>Beginning" not in w.criteria.value
    assert 'Quotes "¶3" & names a limit' in html.unescape(w.criteria.value)


def test_teacher_mode_follows_the_environment_unless_set_in_the_session(monkeypatch):
    assert exercises.teacher_mode() is False
    monkeypatch.setenv(exercises.ENV_TEACHER, "1")
    assert exercises.teacher_mode() is True
    w = exercises.ask("04-open-through-us-eyes")
    w.reveal.click()
    assert shown(exercises.question("04-open-through-us-eyes").model_answer) in w.model.value
    assert exercises.teacher_mode(False) is False


# ---------------------------------------------------------------- the student's name


def test_answers_given_before_a_name_are_kept_then_saved_in_order_when_the_name_is_given(fresh_session):
    w = exercises.ask("01-urtel")
    assert "No name yet: give your name at the top" in w.status.value
    untouched = exercises.ask("01-syg")
    w.choice.value = option("01-urtel", False).text
    w.check.click()
    assert "No name yet" in w.status.value
    w.choice.value = option("01-urtel", True).text
    w.check.click()
    assert not fresh_session.exists() or not list(fresh_session.glob("*.json"))
    box = exercises.student_widget()
    box.name.value = "Ana Lima"
    box.button.click()
    assert "ana-lima.json" in box.status.value
    record = saved("Ana Lima", "01-urtel")
    assert record["attempts"] == 2 and [a["correct"] for a in record["history"]] == [False, True]
    assert "Saved for Ana Lima" in w.status.value
    assert "No name yet" not in untouched.status.value and "01-syg" not in answers.load("Ana Lima")


def test_a_name_with_a_path_separator_is_refused_and_nothing_is_written(fresh_session):
    box = exercises.student_widget()
    box.name.value = "../../etc/passwd"
    box.button.click()
    assert "cannot be used" in box.status.value
    assert exercises.student() is None
    with pytest.raises(ValueError):
        exercises.set_student("a/b")


def test_the_student_name_can_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(exercises.ENV_STUDENT, "Env Student")
    w = exercises.ask("02-hardest-bargainer")
    w.choice.value = option("02-hardest-bargainer", True).text
    w.check.click()
    assert saved("Env Student", "02-hardest-bargainer")["correct"] is True
    assert exercises.student_widget().name.value == "Env Student"


def test_a_student_given_to_ask_overrides_the_session_name():
    exercises.set_student("Ana")
    w = exercises.ask("02-hardest-bargainer", student="Ben")
    w.choice.value = option("02-hardest-bargainer", True).text
    w.check.click()
    assert "02-hardest-bargainer" in answers.load("Ben") and answers.load("Ana") == {}


def test_names_and_bank_text_are_escaped_where_they_become_html():
    exercises.set_student("<img src=x onerror=alert(1)> Ana")
    w = exercises.ask("02-hardest-bargainer")
    w.choice.value = option("02-hardest-bargainer", True).text
    w.check.click()
    assert "<img" not in w.status.value and "&lt;img src=x onerror=alert(1)&gt; Ana" in w.status.value
    bank = parse_bank("""
questions:
- id: 01-evil
  notebook: "01"
  kind: single
  skill: close reading
  source: ¶1
  prompt: <img src=x onerror=alert(1)> Which?
  options:
    - {text: "<b>A</b>", correct: true, feedback: "<script>x()</script> LONG"}
    - {text: B, correct: false, feedback: LONG}
""".replace("LONG", LONG))
    evil = exercises.SelfCheck(bank["01-evil"])
    evil.choice.value = "<b>A</b>"
    evil.check.click()
    assert "<img" not in evil.prompt.value and "&lt;img src=x onerror=alert(1)&gt;" in evil.prompt.value
    assert "<script>" not in evil.feedback.value and "&lt;b&gt;A&lt;/b&gt;" in evil.feedback.value


# ---------------------------------------------------------------- reopening


def test_reopening_a_notebook_shows_every_kind_of_saved_answer_back_in_the_widgets():
    exercises.set_student("Ana")
    given = {
        "01-urtel": lambda w: setattr(w.choice, "value", option("01-urtel", True).text),
        "04-at-the-table": lambda w: [setattr(b, "value", b.description in {"Mikoyan", "Castro"})
                                      for b in w.choices],
        "01-telegraphese": lambda w: [setattr(w.dropdowns[p.left], "value", p.right) for p in
                                      exercises.question("01-telegraphese").pairs],
        "05-put-in-order": lambda w: [setattr(s, "value", i.text) for s, i in
                                      zip(w.slots, exercises.question("05-put-in-order").items)],
        "01-syg": lambda w: setattr(w.text, "value", "SYG is the Secretary-General"),
        "00-notice-think-wonder": lambda w: setattr(w.response, "value", "I notice ¶3."),
    }
    before = {}
    for qid, answer_it in given.items():
        w = exercises.ask(qid)
        answer_it(w)
        if hasattr(w, "check"):
            w.check.click()
        before[qid] = w.answer()

    exercises.reset_session()  # a new kernel, the same student
    exercises.set_student("Ana")
    for qid, answer in before.items():
        w = exercises.ask(qid)
        assert w.answer() == answer, qid
        assert "Your saved answer is shown (1 attempt(s))" in w.status.value, qid
        if hasattr(w, "check"):
            assert w.feedback.value, qid  # the explanation is shown again with it
    assert answers.load("Ana")["00-notice-think-wonder"]["attempts"] == 1  # showing it did not save it again


def test_widgets_made_before_the_name_fill_in_with_saved_answers_once_it_is_given():
    answers.save("Ana", "01-urtel", option("01-urtel", True).text, notebook="01", kind="single", correct=True)
    w = exercises.ask("01-urtel")
    assert w.choice.value is None
    exercises.set_student("Ana")
    assert w.choice.value == option("01-urtel", True).text


def test_a_corrupt_answers_file_is_named_in_the_widget_and_set_aside(fresh_session):
    fresh_session.mkdir(parents=True)
    (fresh_session / "ana.json").write_text("{ not json", encoding="utf-8")
    exercises.set_student("Ana")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        w = exercises.ask("01-urtel")
    assert "could not be read" in w.status.value and "ana.corrupt-" in w.status.value
    backups = list(fresh_session.glob("ana.corrupt-*.json"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == "{ not json"


def test_the_name_box_says_where_answers_go(fresh_session):
    exercises.set_student("Ana")
    box = exercises.ask_name()
    assert box.name.value == "Ana"
    assert shown(str(Path(fresh_session) / "ana.json")) in box.status.value


# ---------------------------------------------------------------- without a kernel


def test_without_a_kernel_a_self_check_shows_its_choices_each_opening_to_its_feedback():
    q = exercises.question("02-hardest-bargainer")
    bundle = exercises.ask(q.id)._repr_mimebundle_()
    assert bundle["text/plain"] == f"Self-check {q.id}: {q.prompt}"  # a sentence, never the widget's repr
    page = bundle["text/html"]
    assert 'class="cablelab-fallback' in page and "application/vnd.jupyter.widget-view+json" in bundle
    for o in q.options:
        assert f"<details><summary>{shown(o.text)}</summary>" in page and shown(o.feedback) in page


@pytest.mark.parametrize("question_id", ["01-telegraphese", "05-put-in-order", "01-syg", "00-notice-think-wonder"])
def test_every_kind_has_a_kernel_free_view_of_its_question(question_id):
    q = exercises.question(question_id)
    page = exercises.ask(question_id)._repr_mimebundle_()["text/html"]
    assert shown(q.prompt) in page
    if q.kind == "open":
        assert shown(q.frames[0]) in page and shown(q.model_answer)[:60] not in page
    else:
        assert "<details>" in page


def test_a_teachers_kernel_free_view_folds_the_model_answer_and_a_students_has_none():
    q = exercises.question("05-open-timing")
    assert shown(q.model_answer) not in exercises.ask(q.id)._repr_mimebundle_()["text/html"]
    exercises.teacher_mode(True)
    page = exercises.ask(q.id)._repr_mimebundle_()["text/html"]
    assert "<details><summary>Model answer</summary>" in page and shown(q.model_answer) in page


def test_the_name_box_without_a_kernel_says_what_it_is_for():
    bundle = exercises.student_widget()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Your name is asked here")


# ---------------------------------------------------------------- another document


def test_on_another_document_a_self_check_says_it_is_about_telegram_1379_and_saves_nothing(fresh_session):
    import cablelab

    exercises.set_student("Ada L")
    other = cablelab.read(Path(__file__).parent / "fixtures" / "docs" / "avalon_memcon_ny.txt")
    widget = exercises.ask("02-hardest-bargainer", cable=other)
    assert not isinstance(widget, exercises.SelfCheck)
    sentence = "This self-check is about telegram 1379 and does not apply to the loaded document (Memorandum)"
    assert sentence in widget.value and sentence in widget._repr_mimebundle_()["text/html"]
    assert widget.question.id == "02-hardest-bargainer"
    assert not fresh_session.exists() or not any(fresh_session.iterdir())


def test_on_the_built_in_telegram_the_question_is_asked(seed_cable):
    widget = exercises.ask("02-hardest-bargainer", cable=seed_cable)
    assert isinstance(widget, exercises.SelfCheck) and widget.question.id == "02-hardest-bargainer"


def test_a_question_id_not_in_the_bank_is_refused_on_any_document():
    import cablelab

    other = cablelab.read(Path(__file__).parent / "fixtures" / "docs" / "avalon_memcon_ny.txt")
    with pytest.raises(KeyError, match="02-no-such-question"):
        exercises.ask("02-no-such-question", cable=other)


# ---------------------------------------------------------------- the parts: one row per kind, one session


def test_every_kind_of_question_has_its_parser_its_controls_and_if_closed_its_grader():
    from cablelab import bank, grading

    assert set(bank._PARSERS) == set(bank.KIND_FIELDS) == set(exercises.CONTROLS) == set(exercises.KINDS)
    assert set(grading.GRADERS) == set(exercises.KINDS) - {"open"}


class _Follower:
    """The least a widget needs to follow the name box (``session.Follower``), recording what it is told."""

    def __init__(self, override: str | None = None) -> None:
        self._student_override = override
        self._answered = False
        self.saved: list[tuple[str | None, object]] = []
        self.restored = 0

    def _who(self) -> str | None:
        return self._student_override or exercises.student()

    def _save(self, answer, verdict=None) -> None:
        self.saved.append((self._who(), answer))

    def _restore(self) -> None:
        self.restored += 1


def test_a_widget_that_follows_the_session_saves_its_waiting_answers_and_is_shown_again_when_named():
    from cablelab.session import SESSION

    waiting, answered, own_name = _Follower(), _Follower(), _Follower(override="Ben K")
    answered._answered = True
    for widget in (waiting, answered, own_name):
        SESSION.follow(widget)
    SESSION.wait(waiting, "first")
    SESSION.wait(waiting, "second")
    SESSION.flush()
    assert waiting.saved == [] and len(SESSION.pending) == 2  # no name yet: nothing saved, nothing lost
    exercises.set_student("Ana Lima")
    assert waiting.saved == [("Ana Lima", "first"), ("Ana Lima", "second")] and SESSION.pending == []
    assert (waiting.restored, answered.restored, own_name.restored) == (1, 0, 0)


def test_a_widget_waiting_with_latest_only_keeps_just_its_newest_answer_and_not_another_widgets():
    from cablelab.session import SESSION

    tracker, other = _Follower(), _Follower()
    SESSION.wait(other, "other's")
    SESSION.wait(tracker, "draft")
    SESSION.wait(tracker, "final", latest_only=True)
    assert [(w, a) for w, a, _ in SESSION.pending] == [(other, "other's"), (tracker, "final")]
    exercises.reset_session()
    assert SESSION.pending == [] and list(SESSION.live) == [] and exercises.student() is None
