"""Grading closed answers, and the order a student sees choices in: pure functions, no widgets.

``grade(question, answer)`` gives a ``Verdict`` (right or not, the feedback as HTML, the
wrong parts named for the teacher), or None when nothing is chosen yet; one grader per kind
in ``GRADERS``. ``shuffled`` gives the order a student sees a question's choices in.
All HTML is built with markupsafe, which escapes every text put into it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from markupsafe import Markup

from cablelab import answers
from cablelab.bank import Question


# ---------------------------------------------------------------- the order choices are shown in


def shuffled(texts: Iterable[str], question_id: str, student: str | None = None) -> list[str]:
    """`texts` in the order shown to `student` for this question; never the order given.

    The order comes from a SHA-256 hash of the student's name (as the answers file writes
    it, so "Ana Lima" and "ana  lima" see the same) and the question id: the same on every
    reload and every machine, different from one student to the next. With no student, it
    comes from the question id alone. A list of fewer than two different texts is returned
    as it is.
    """
    texts = list(texts)
    if len(set(texts)) < 2:
        return texts
    who = _order_key(student)
    salt = 0
    while True:  # a new salt in the rare case the hash gives back the order written
        order = sorted(texts, key=functools.partial(_rank, who, question_id, salt))
        if order != texts:
            return order
        salt += 1


def _order_key(student: str | None) -> str:
    """The student's name as their answers file spells it ("" for no name)."""
    if not student:
        return ""
    try:
        return answers.safe_name(student)
    except ValueError:  # a name no file may carry still gets an order of its own
        return " ".join(student.split()).casefold()


def _rank(who: str, question_id: str, salt: int, text: str) -> bytes:
    return hashlib.sha256(f"{who}\x1f{question_id}\x1f{salt}\x1f{text}".encode("utf-8")).digest()


# ---------------------------------------------------------------- HTML pieces (everything escaped)


_MARKS = {True: ("✓", "Right", "#1b7837"), False: ("✗", "Not this one", "#b35806"), None: ("•", "", "#444")}
_NOTE = Markup('<div style="border-left:4px solid {colour};padding:2px 8px;margin:4px 0">'
               "<strong>{label}</strong>{heading}{body}</div>")


def note(verdict: bool | None, heading: str, body: str = "") -> Markup:
    """One feedback block: a symbol and a word for the verdict (never colour alone), then the text."""
    mark, word, colour = _MARKS[verdict]
    label = f"{mark} {word}: " if word else f"{mark} "
    text = Markup("<div>{}</div>").format(body) if body else ""
    return _NOTE.format(colour=colour, label=label, heading=heading, body=text)


def feedback_box(blocks: Iterable[str]) -> str:
    """Feedback blocks in the region a screen reader announces."""
    return str(Markup('<div class="cablelab-feedback" role="status" aria-live="polite">{}</div>').format(
        Markup("").join(blocks)))


def opens(summary: str, inner_html: str) -> Markup:
    """A choice that opens to its feedback, with no script: works on a static page."""
    return Markup("<details><summary>{}</summary>{}</details>").format(summary, Markup(inner_html))


@dataclass
class Verdict:
    """What a closed answer earned: right or not, the feedback HTML, the wrong parts named for the teacher."""

    correct: bool | None
    html: str
    mistakes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- grading, one function per kind


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _grade_single(q: Question, answer: str | None) -> Verdict | None:
    option = next((o for o in q.options if o.text == answer), None)
    if option is None:
        return None
    return Verdict(option.correct, feedback_box([note(option.correct, option.text, option.feedback)]),
                   [] if option.correct else [option.text])


def _grade_multiple(q: Question, answer: list[str] | None) -> Verdict | None:
    chosen = [o for o in q.options if o.text in set(answer or [])]
    if not chosen:
        return None
    blocks = [note(o.correct, o.text, o.feedback) for o in chosen]
    missing = [o for o in q.options if o.correct and o not in chosen]
    if missing:
        blocks.append(note(None, f"{len(missing)} more choice(s) fit and are not ticked yet. "
                                  "Reread the paragraphs the feedback names, then check again."))
    wrong = [o.text for o in chosen if not o.correct]
    correct = not wrong and not missing
    return Verdict(correct, feedback_box(blocks), wrong + [f"missed: {o.text}" for o in missing])


def _grade_match(q: Question, answer: dict[str, str | None] | None) -> Verdict | None:
    answer = answer or {}
    if not any(answer.get(p.left) for p in q.pairs):
        return None
    blocks, mistakes = [], []
    for pair in q.pairs:
        choice = answer.get(pair.left)
        if not choice:
            blocks.append(note(None, pair.left, "Choose a match for this one too."))
            mistakes.append(f"{pair.left} -> (none)")
        elif pair.accepts(choice):
            blocks.append(note(True, f"{pair.left} → {choice}", pair.feedback))
        else:
            blocks.append(note(False, f"{pair.left} → {choice}", pair.wrong.get(choice, pair.feedback)))
            mistakes.append(f"{pair.left} -> {choice}")
    return Verdict(not mistakes, feedback_box(blocks), mistakes)


def _grade_order(q: Question, answer: list[str | None] | None) -> Verdict | None:
    answer = list(answer or [])
    if not any(answer):
        return None
    by_text = {item.text: item for item in q.items}
    blocks, mistakes = [], []
    repeated = {text for text in answer if text and answer.count(text) > 1}
    if repeated:
        blocks.append(note(None, "Each event belongs in one place only; one is chosen twice."))
    for position, (item, choice) in enumerate(zip(q.items, answer), start=1):
        if not choice:
            blocks.append(note(None, f"Place {position}: still empty."))
            mistakes.append(f"place {position}: (none)")
        elif choice == item.text:
            blocks.append(note(True, f"Place {position}: {choice}", item.feedback))
        else:
            # The chosen item's own note (its date) lets the student move it without being told where.
            blocks.append(note(False, f"Place {position}: {choice}", by_text[choice].feedback))
            mistakes.append(f"place {position}: {choice}")
    return Verdict(not mistakes, feedback_box(blocks), mistakes)


def _grade_text(q: Question, answer: str | None) -> Verdict | None:
    if not answer or not answer.strip():
        return None
    typed = _normal(answer)
    if typed in {_normal(a) for a in q.accepted}:
        return Verdict(True, feedback_box([note(True, answer.strip(), q.feedback["correct"])]))
    special = next((m for m in q.misreadings if _normal(m.answer) == typed), None)
    feedback = special.feedback if special else q.feedback["incorrect"]
    return Verdict(False, feedback_box([note(False, answer.strip(), feedback)]), [answer.strip()])


GRADERS: dict[str, Callable[[Question, Any], Verdict | None]] = {
    "single": _grade_single, "multiple": _grade_multiple, "match": _grade_match,
    "order": _grade_order, "text": _grade_text,
}


def grade(q: Question, answer: Any) -> Verdict | None:
    """The verdict on a closed answer, or None when nothing has been chosen yet."""
    return GRADERS[q.kind](q, answer)
