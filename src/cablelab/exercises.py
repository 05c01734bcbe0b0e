"""Self-checks and open responses from ``data/questions.yaml``, as ipywidgets.

    from cablelab import exercises
    exercises.student_widget()              # once per notebook: the student's name
    exercises.ask("02-hardest-bargainer", cable=cable)   # one question; on another document, a note

Closed questions (single, multiple, match, order, text) give explanatory feedback when
the student presses Check; retries are unlimited and no score is shown. Their choices
(options, a match's right-hand texts, the events to order) appear in an order shuffled for
each student (``shuffled``): the same order every time that student reopens the notebook,
another order for the next student, and before a name is given an order drawn from the
question id alone, never the order the bank is written in. Answers are saved and graded by
text, so the order shown changes nothing else.

Open questions give a text box (with sentence frames) and show their success criteria,
the three-level checklist, before the student writes, in every mode. Their model answer is
for the teacher: it appears only in teacher mode (``teacher_mode(True)`` or
``CABLELAB_TEACHER=1``) and only when asked. In student mode the model answer is in no
widget, no widget state and no HTML, so a static export cannot leak it.

Every answer is saved at once through ``cablelab.answers``. Before the student has given
a name, answers are kept in memory and saved as soon as the name is known. A widget's
parts are attributes (``w.choice``, ``w.check``, ``w.feedback``, ``w.status`` ...), so its
logic can be driven outside a kernel: set a control's ``.value``, call ``w.check.click()``
and read ``w.feedback.value``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import unicodedata
import warnings
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import ipywidgets as widgets
import pandas as pd
import traitlets
import yaml
from markupsafe import Markup

from cablelab import answers, curated
from cablelab.paths import data_dir

KINDS = ("single", "multiple", "match", "order", "text", "open")
NOTEBOOKS = ("00", "01", "02", "03", "04", "05", "06", "07")
ENV_TEACHER = "CABLELAB_TEACHER"
ENV_STUDENT = "CABLELAB_STUDENT"
ENV_FRAMES = "CABLELAB_FRAMES"
ID_PATTERN = re.compile(r"^(0[0-7])-[a-z0-9]+(?:-[a-z0-9]+)*$")
STATIC_NOTE = ("Self-check: in a running notebook you answer and press Check. Here, open a choice "
               "to read its feedback.")
STATIC_NOTE_OPEN = "Written answer: write it in a running notebook, where it is saved."
NO_NAME_YET_ASKED = ("No name yet: give your name at the top of the notebook so that your answers are saved. "
                     "Answers given before that are kept until you do.")
NO_NAME_YET = ("No name yet: this answer is kept in memory. Give your name in the box at the top of "
               "the notebook and it will be saved.")
#: Below this many words an option's feedback cannot give a verdict, a reason and a next step.
MIN_FEEDBACK_WORDS = 20
FORBIDDEN_OPTIONS = re.compile(r"\b(all|none) of the (above|below)\b", re.IGNORECASE)

_COMMON = {"id", "notebook", "kind", "skill", "prompt", "source", "recalls", "optional"}
_BY_KIND = {
    "single": {"options"},
    "multiple": {"options"},
    "match": {"pairs", "distractors"},
    "order": {"items"},
    "text": {"accepted", "feedback", "misreadings"},
    "open": {"frames", "model_answer", "checklist"},
}


#: libyaml's loader when PyYAML has it (about 15 times quicker on the bank), else the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NOT_THIS_DOCUMENT = ("This {what} is about telegram {seed} and does not apply to the loaded document "
                     "({name}), so nothing is asked or saved here.")


class QuestionBankError(ValueError):
    """The question bank has mistakes; the message lists each with its question id and field."""


# ---------------------------------------------------------------- the bank


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    feedback: str
    also_accept: tuple[str, ...] = ()
    wrong: dict[str, str] = field(default_factory=dict)

    def accepts(self, choice: str | None) -> bool:
        return choice == self.right or choice in self.also_accept


@dataclass(frozen=True)
class Item:
    text: str
    feedback: str


@dataclass(frozen=True)
class Misreading:
    answer: str
    feedback: str


@dataclass(frozen=True)
class Level:
    level: str
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One question of the bank, validated; a recall carries its original's content."""

    id: str
    notebook: str
    kind: str
    prompt: str
    skill: str
    source: str
    options: tuple[Option, ...] = ()
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()
    accepted: tuple[str, ...] = ()
    feedback: dict[str, str] = field(default_factory=dict)
    misreadings: tuple[Misreading, ...] = ()
    frames: tuple[str, ...] = ()
    model_answer: str = ""
    checklist: tuple[Level, ...] = ()
    recalls: str | None = None
    optional: bool = False

    @property
    def closed(self) -> bool:
        return self.kind != "open"

    @property
    def choices(self) -> list[str]:
        """Every right-hand text a match offers, sorted; a widget shows them in its student's order."""
        texts = {pair.right for pair in self.pairs} | set(self.distractors)
        return sorted(texts, key=str.casefold)


class _Problems:
    """Collects every mistake in the bank, so a teacher sees them all at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, qid: str, where: str, problem: str) -> None:
        self.messages.append(f"question {qid!r}, field '{where}': {problem}")

    def raise_if_any(self) -> None:
        if self.messages:
            listing = "\n  ".join(self.messages)
            raise QuestionBankError(f"{self.source}: {len(self.messages)} problem(s):\n  {listing}")


def _text(raw: dict, key: str, qid: str, where: str, problems: _Problems, *, words: int = 0) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(qid, where, "missing or empty (it must be text)")
        return ""
    value = " ".join(value.split())
    if words and len(value.split()) < words:
        problems.add(qid, where, f"only {len(value.split())} words; feedback must explain "
                                 f"(verdict, reason with a paragraph, next step), at least {words} words")
    return value


def _list(raw: dict, key: str, qid: str, problems: _Problems, *, least: int, required: bool = True) -> list:
    value = raw.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or len(value) < least:
        problems.add(qid, key, f"needs a list of at least {least}")
        return []
    return value


def _unique(texts: Iterable[str], qid: str, where: str, problems: _Problems) -> None:
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            problems.add(qid, where, f"{text!r} appears twice")
        seen.add(text)


def _entries(raw: dict, key: str, qid: str, problems: _Problems, least: int) -> list[tuple[str, dict]]:
    """The mappings of a list field, each with its field path such as 'options[2]'."""
    found = []
    for i, entry in enumerate(_list(raw, key, qid, problems, least=least)):
        if isinstance(entry, dict):
            found.append((f"{key}[{i}]", entry))
        else:
            problems.add(qid, f"{key}[{i}]", "must be a mapping of fields")
    return found


def _parse_options(raw: dict, qid: str, kind: str, problems: _Problems) -> tuple[Option, ...]:
    options = []
    for where, entry in _entries(raw, "options", qid, problems, least=2):
        text = _text(entry, "text", qid, f"{where}.text", problems)
        if FORBIDDEN_OPTIONS.search(text):
            problems.add(qid, f"{where}.text", "no 'all/none of the above' options")
        if not isinstance(entry.get("correct"), bool):
            problems.add(qid, f"{where}.correct", "must be true or false")
        feedback = _text(entry, "feedback", qid, f"{where}.feedback", problems, words=MIN_FEEDBACK_WORDS)
        options.append(Option(text, entry.get("correct") is True, feedback))
    _unique((o.text for o in options), qid, "options", problems)
    right = sum(o.correct for o in options)
    if options and kind == "single" and right != 1:
        problems.add(qid, "options", f"a single-answer question needs exactly one correct option, found {right}")
    if options and kind == "multiple" and not (0 < right < len(options)):
        problems.add(qid, "options", "a multiple-answer question needs at least one correct and one wrong option")
    return tuple(options)


def _parse_pairs(raw: dict, qid: str, problems: _Problems) -> tuple[tuple[Pair, ...], tuple[str, ...]]:
    pairs = []
    for where, entry in _entries(raw, "pairs", qid, problems, least=2):
        also = entry.get("also_accept") or []
        wrong = entry.get("wrong") or {}
        if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
            problems.add(qid, f"{where}.also_accept", "must be a list of right-hand texts")
            also = []
        if not isinstance(wrong, dict):
            problems.add(qid, f"{where}.wrong", "must map a right-hand text to its feedback")
            wrong = {}
        pairs.append(Pair(
            _text(entry, "left", qid, f"{where}.left", problems),
            _text(entry, "right", qid, f"{where}.right", problems),
            _text(entry, "feedback", qid, f"{where}.feedback", problems, words=10),
            tuple(" ".join(a.split()) for a in also),
            {" ".join(str(k).split()): " ".join(str(v).split()) for k, v in wrong.items()},
        ))
    distractors = raw.get("distractors") or []
    if not isinstance(distractors, list) or not all(isinstance(d, str) for d in distractors):
        problems.add(qid, "distractors", "must be a list of texts")
        distractors = []
    distractors = [" ".join(d.split()) for d in distractors]
    _unique((p.left for p in pairs), qid, "pairs.left", problems)
    rights = {p.right for p in pairs}
    offered = rights | set(distractors)
    for d in distractors:
        if d in rights:
            problems.add(qid, "distractors", f"{d!r} is already a right-hand answer")
    for i, pair in enumerate(pairs):
        for text in (*pair.also_accept, *pair.wrong):
            if text not in offered:
                problems.add(qid, f"pairs[{i}]", f"{text!r} is not one of the right-hand choices")
    return tuple(pairs), tuple(distractors)


def _parse_kind(raw: dict, qid: str, kind: str, problems: _Problems) -> dict[str, Any]:
    """The fields particular to `kind`, validated."""
    if kind in ("single", "multiple"):
        return {"options": _parse_options(raw, qid, kind, problems)}
    if kind == "match":
        pairs, distractors = _parse_pairs(raw, qid, problems)
        return {"pairs": pairs, "distractors": distractors}
    if kind == "order":
        items = tuple(Item(_text(e, "text", qid, f"{w}.text", problems),
                           _text(e, "feedback", qid, f"{w}.feedback", problems, words=10))
                      for w, e in _entries(raw, "items", qid, problems, least=3))
        _unique((i.text for i in items), qid, "items", problems)
        return {"items": items}
    if kind == "text":
        accepted = tuple(str(a) for a in _list(raw, "accepted", qid, problems, least=1))
        feedback = raw.get("feedback") if isinstance(raw.get("feedback"), dict) else {}
        if not feedback:
            problems.add(qid, "feedback", "needs 'correct' and 'incorrect' feedback")
        texts = {k: _text(feedback, k, qid, f"feedback.{k}", problems, words=MIN_FEEDBACK_WORDS)
                 for k in ("correct", "incorrect")} if feedback else {}
        misreadings = []
        for w, e in (_entries(raw, "misreadings", qid, problems, least=0) if "misreadings" in raw else []):
            misreadings.append(Misreading(_text(e, "answer", qid, f"{w}.answer", problems),
                                          _text(e, "feedback", qid, f"{w}.feedback", problems, words=10)))
        return {"accepted": accepted, "feedback": texts, "misreadings": tuple(misreadings)}
    # open
    frames = raw.get("frames") or []
    if not isinstance(frames, list) or not all(isinstance(f, str) for f in frames):
        problems.add(qid, "frames", "must be a list of sentence starters")
        frames = []
    levels = []
    for w, e in _entries(raw, "checklist", qid, problems, least=3):
        signs = e.get("signs")
        if not isinstance(signs, list) or not signs or not all(isinstance(s, str) and s.strip() for s in signs):
            problems.add(qid, f"{w}.signs", "needs a list of what work at this level looks like")
            signs = []
        levels.append(Level(_text(e, "level", qid, f"{w}.level", problems), tuple(" ".join(s.split()) for s in signs)))
    if len(levels) != 3 and "checklist" in raw:
        problems.add(qid, "checklist", f"needs exactly three levels, found {len(levels)}")
    return {"frames": tuple(" ".join(f.split()) for f in frames),
            "model_answer": _text(raw, "model_answer", qid, "model_answer", problems),
            "checklist": tuple(levels)}


def _parse_question(raw: Any, index: int, problems: _Problems) -> Question | None:
    if not isinstance(raw, dict):
        problems.add(f"#{index + 1}", "-", "each question must be a mapping of fields")
        return None
    qid = str(raw.get("id", f"#{index + 1}"))
    match = ID_PATTERN.match(qid)
    if not match:
        problems.add(qid, "id", "must look like 'NN-slug' (NN = 00..07, slug of lowercase words joined by '-')")
    notebook = raw.get("notebook")
    notebook = f"{notebook:02d}" if isinstance(notebook, int) else str(notebook)
    if match and notebook != match.group(1):
        problems.add(qid, "notebook", f"is {notebook!r} but the id says {match.group(1)!r}")
    if "optional" in raw and not isinstance(raw["optional"], bool):
        problems.add(qid, "optional", "must be true or false")
    if raw.get("recalls") is not None:
        extra = set(raw) - {"id", "notebook", "recalls", "prompt", "skill", "source", "optional"}
        if extra:
            problems.add(qid, "recalls", f"a recall takes its content from {raw['recalls']!r}; remove {sorted(extra)}")
        return Question(qid, notebook, "recall", str(raw.get("prompt") or ""), str(raw.get("skill") or ""),
                        str(raw.get("source") or ""), recalls=str(raw["recalls"]), optional=raw.get("optional") is True)
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.add(qid, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")
        return None
    unknown = set(raw) - _COMMON - _BY_KIND[kind]
    if unknown:
        problems.add(qid, sorted(unknown)[0], f"is not a field of a {kind} question (fields: "
                                              f"{', '.join(sorted(_COMMON | _BY_KIND[kind]))})")
    return Question(
        id=qid, notebook=notebook, kind=kind,
        prompt=_text(raw, "prompt", qid, "prompt", problems),
        skill=_text(raw, "skill", qid, "skill", problems),
        source=_text(raw, "source", qid, "source", problems),
        optional=raw.get("optional") is True,
        **_parse_kind(raw, qid, kind, problems),
    )


def _resolve_recalls(bank: dict[str, Question], problems: _Problems) -> dict[str, Question]:
    for qid, question in list(bank.items()):
        if question.kind != "recall":
            continue
        original = bank.get(question.recalls or "")
        if original is None or original.kind == "recall":
            problems.add(qid, "recalls", f"{question.recalls!r} is not the id of a question in the bank")
            continue
        bank[qid] = replace(original, id=qid, notebook=question.notebook, recalls=original.id,
                            prompt=" ".join(question.prompt.split()) or original.prompt,
                            skill=question.skill or original.skill, source=question.source or original.source,
                            optional=question.optional)
    return bank


def parse_bank(text: str, source: str = "questions.yaml") -> dict[str, Question]:
    """Parse and validate a question bank's YAML text; raise QuestionBankError listing every mistake."""
    problems = _Problems(source)
    try:
        data = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as err:
        raise QuestionBankError(f"{source}: not valid YAML: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise QuestionBankError(f"{source}: expected a top-level 'questions:' list")
    bank: dict[str, Question] = {}
    for index, raw in enumerate(data["questions"]):
        question = _parse_question(raw, index, problems)
        if question is None:
            continue
        if question.id in bank:
            problems.add(question.id, "id", "is used twice")
        bank[question.id] = question
    bank = _resolve_recalls(bank, problems)
    problems.raise_if_any()
    return bank


@functools.cache
def _cached_bank(path: str, stamp: tuple[int, int]) -> dict[str, Question]:
    return parse_bank(Path(path).read_text(encoding="utf-8"), source=path)


def bank_path() -> Path:
    """The question bank: data/questions.yaml (or under $CABLELAB_DATA)."""
    return data_dir() / "questions.yaml"


def load_bank(path: str | os.PathLike[str] | None = None) -> dict[str, Question]:
    """Every question, validated, keyed by id; cached until the file changes."""
    path = Path(path or bank_path())
    info = path.stat()
    return _cached_bank(str(path), (info.st_mtime_ns, info.st_size))


def question(question_id: str) -> Question:
    """One question of the bank; KeyError names the id when it is not there."""
    bank = load_bank()
    if question_id not in bank:
        raise KeyError(f"no question {question_id!r} in {bank_path()}")
    return bank[question_id]


def questions(notebook: str | int | None = None) -> pd.DataFrame:
    """The bank as a table (no answers in it): id, notebook, kind, skill, prompt, source, choices, recalls, optional."""
    rows = []
    for q in load_bank().values():
        choices = len(q.options) or len(q.pairs) or len(q.items) or None
        rows.append({"id": q.id, "notebook": q.notebook, "kind": q.kind, "skill": q.skill, "prompt": q.prompt,
                     "source": q.source, "choices": choices, "recalls": q.recalls, "optional": q.optional})
    frame = pd.DataFrame(rows, columns=["id", "notebook", "kind", "skill", "prompt", "source", "choices",
                                        "recalls", "optional"])
    frame = frame.astype({"id": "str", "notebook": pd.CategoricalDtype(NOTEBOOKS),
                          "kind": pd.CategoricalDtype(KINDS), "skill": "str", "prompt": "str", "source": "str",
                          "choices": "Int64", "recalls": "str", "optional": "bool"})
    if notebook is not None:
        wanted = f"{notebook:02d}" if isinstance(notebook, int) else str(notebook)[:2]
        frame = frame[frame["notebook"] == wanted].reset_index(drop=True)
    return frame


@dataclass(frozen=True)
class BankFigures:
    """Whether the written bank gives its right answers away: where they sit and how long they are.

    Counted over the single-choice questions written in the bank (a recall repeats another
    question and is not counted). ``right_at`` maps a written position (1 = first) to the
    number of questions whose right option sits there; the right option is "longest" or
    "shortest" when no other option of its question is longer, or shorter, in characters.
    """

    questions: int
    right_at: dict[int, int]
    right_longest: int
    right_shortest: int

    @property
    def top_position_share(self) -> float:
        """The share of right answers at the position holding most of them (0 when there are none)."""
        return max(self.right_at.values(), default=0) / self.questions if self.questions else 0.0

    @property
    def longest_share(self) -> float:
        return self.right_longest / self.questions if self.questions else 0.0

    @property
    def shortest_share(self) -> float:
        return self.right_shortest / self.questions if self.questions else 0.0

    def __str__(self) -> str:
        positions = ", ".join(f"option {n}: {count}" for n, count in sorted(self.right_at.items()))
        return (f"{self.questions} single-choice questions; right option at {positions} "
                f"(top {self.top_position_share:.0%}); right option longest in {self.right_longest} "
                f"({self.longest_share:.0%}), shortest in {self.right_shortest} ({self.shortest_share:.0%})")


def bank_figures(bank: dict[str, Question] | None = None) -> BankFigures:
    """Where the right options of the bank's single-choice questions are written, and how long they are."""
    written = [q for q in (bank if bank is not None else load_bank()).values()
               if q.kind == "single" and q.recalls is None]
    right_at: dict[int, int] = {}
    longest = shortest = 0
    for q in written:
        position, right = next((n, o) for n, o in enumerate(q.options, start=1) if o.correct)
        right_at[position] = right_at.get(position, 0) + 1
        others = [len(o.text) for o in q.options if o is not right]
        longest += len(right.text) >= max(others)
        shortest += len(right.text) <= min(others)
    return BankFigures(len(written), dict(sorted(right_at.items())), longest, shortest)


# ---------------------------------------------------------------- the session: student, teacher mode


_session: dict[str, Any] = {"student": None, "teacher": None}
#: Answers given before a name was known, oldest first: (widget, answer, verdict).
_pending: list[tuple["SelfCheck", Any, "Verdict"]] = []
_live: "weakref.WeakSet[SelfCheck]" = weakref.WeakSet()


def teacher_mode(on: bool | None = None) -> bool:
    """Switch teacher mode on or off (None: just report it). Default: $CABLELAB_TEACHER == 1."""
    if on is not None:
        _session["teacher"] = bool(on)
    if _session["teacher"] is not None:
        return _session["teacher"]
    return os.environ.get(ENV_TEACHER, "").strip().lower() in {"1", "true", "yes", "on"}


def student() -> str | None:
    """The student's name: on a class hub the signed-in user; else set_student's, else $CABLELAB_STUDENT, else None."""
    name = answers.hub_user() or _session["student"] or os.environ.get(ENV_STUDENT, "").strip()
    return name or None


def set_student(name: str) -> str:
    """Set the student's name for this session, save any answers kept waiting for it, and show saved ones.

    Raises ValueError (with a sentence a student can act on) for a name that cannot be a file name.
    """
    name = " ".join(str(name).split())
    answers.safe_name(name)
    try:
        name = answers.own_name(name)  # on a hub, only the signed-in user's own name
    except answers.AnswersError as err:
        raise ValueError(str(err)) from None
    _session["student"] = name
    _flush_pending()
    # Every live answer widget (self-checks, claim trackers, the organiser) follows the name
    # box: it has _student_override, _answered and _restore(); a self-check also _arrange().
    for widget in list(_live):
        if widget._student_override is None:
            arrange = getattr(widget, "_arrange", None)
            if arrange is not None:
                arrange()  # this student's order, keeping what is already chosen
            if not widget._answered:
                widget._restore()
    return name


def _flush_pending() -> None:
    """Save, oldest first, every waiting answer whose student is now known."""
    waiting = list(_pending)
    _pending.clear()
    for widget, answer, verdict in waiting:
        if widget._who() is None:
            _pending.append((widget, answer, verdict))
        else:
            widget._save(answer, verdict)


def reset_session() -> None:
    """Forget the name, teacher mode and waiting answers (a fresh kernel; for tests)."""
    _session.update(student=None, teacher=None)
    _pending.clear()
    _live.clear()


def student_widget() -> "NameBox":
    """The name box at the top of a notebook: a text field and a button; answers are saved under this name."""
    return NameBox()


ask_name = student_widget


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


def _frames_on(frames: bool | None) -> bool:
    if frames is not None:
        return frames
    return os.environ.get(ENV_FRAMES, "1").strip().lower() not in {"0", "false", "no", "off"}


# ---------------------------------------------------------------- HTML pieces (everything escaped)


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


_MARKS = {True: ("✓", "Right", "#1b7837"), False: ("✗", "Not this one", "#b35806"), None: ("•", "", "#444")}


def _note(verdict: bool | None, heading: str, body: str = "") -> str:
    """One feedback block: a symbol and a word for the verdict (never colour alone), then the text."""
    mark, word, colour = _MARKS[verdict]
    label = f"{mark} {word}: " if word else f"{mark} "
    text = f"<div>{_esc(body)}</div>" if body else ""
    return (f'<div style="border-left:4px solid {colour};padding:2px 8px;margin:4px 0">'
            f"<strong>{_esc(label)}</strong>{_esc(heading)}{text}</div>")


def _box(blocks: list[str]) -> str:
    return f'<div class="cablelab-feedback" role="status" aria-live="polite">{"".join(blocks)}</div>'


def _opens(summary: str, inner_html: str) -> str:
    """A choice that opens to its feedback, with no script: works on a static page."""
    return f"<details><summary>{_esc(summary)}</summary>{inner_html}</details>"


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
    return Verdict(option.correct, _box([_note(option.correct, option.text, option.feedback)]),
                   [] if option.correct else [option.text])


def _grade_multiple(q: Question, answer: list[str] | None) -> Verdict | None:
    chosen = [o for o in q.options if o.text in set(answer or [])]
    if not chosen:
        return None
    blocks = [_note(o.correct, o.text, o.feedback) for o in chosen]
    missing = [o for o in q.options if o.correct and o not in chosen]
    if missing:
        blocks.append(_note(None, f"{len(missing)} more choice(s) fit and are not ticked yet. "
                                  "Reread the paragraphs the feedback names, then check again."))
    wrong = [o.text for o in chosen if not o.correct]
    correct = not wrong and not missing
    return Verdict(correct, _box(blocks), wrong + [f"missed: {o.text}" for o in missing])


def _grade_match(q: Question, answer: dict[str, str | None] | None) -> Verdict | None:
    answer = answer or {}
    if not any(answer.get(p.left) for p in q.pairs):
        return None
    blocks, mistakes = [], []
    for pair in q.pairs:
        choice = answer.get(pair.left)
        if not choice:
            blocks.append(_note(None, pair.left, "Choose a match for this one too."))
            mistakes.append(f"{pair.left} -> (none)")
        elif pair.accepts(choice):
            blocks.append(_note(True, f"{pair.left} → {choice}", pair.feedback))
        else:
            blocks.append(_note(False, f"{pair.left} → {choice}", pair.wrong.get(choice, pair.feedback)))
            mistakes.append(f"{pair.left} -> {choice}")
    return Verdict(not mistakes, _box(blocks), mistakes)


def _grade_order(q: Question, answer: list[str | None] | None) -> Verdict | None:
    answer = list(answer or [])
    if not any(answer):
        return None
    by_text = {item.text: item for item in q.items}
    blocks, mistakes = [], []
    repeated = {text for text in answer if text and answer.count(text) > 1}
    if repeated:
        blocks.append(_note(None, "Each event belongs in one place only; one is chosen twice."))
    for position, (item, choice) in enumerate(zip(q.items, answer), start=1):
        if not choice:
            blocks.append(_note(None, f"Place {position}: still empty."))
            mistakes.append(f"place {position}: (none)")
        elif choice == item.text:
            blocks.append(_note(True, f"Place {position}: {choice}", item.feedback))
        else:
            # The chosen item's own note (its date) lets the student move it without being told where.
            blocks.append(_note(False, f"Place {position}: {choice}", by_text[choice].feedback))
            mistakes.append(f"place {position}: {choice}")
    return Verdict(not mistakes, _box(blocks), mistakes)


def _grade_text(q: Question, answer: str | None) -> Verdict | None:
    if not answer or not answer.strip():
        return None
    typed = _normal(answer)
    if typed in {_normal(a) for a in q.accepted}:
        return Verdict(True, _box([_note(True, answer.strip(), q.feedback["correct"])]))
    special = next((m for m in q.misreadings if _normal(m.answer) == typed), None)
    feedback = special.feedback if special else q.feedback["incorrect"]
    return Verdict(False, _box([_note(False, answer.strip(), feedback)]), [answer.strip()])


_GRADERS = {"single": _grade_single, "multiple": _grade_multiple, "match": _grade_match,
            "order": _grade_order, "text": _grade_text}


def grade(q: Question, answer: Any) -> Verdict | None:
    """The verdict on a closed answer, or None when nothing has been chosen yet."""
    return _GRADERS[q.kind](q, answer)


# ---------------------------------------------------------------- widgets


_WIDE = widgets.Layout(width="auto", max_width="100%")


class SelfCheck(widgets.VBox):
    """One question: its prompt, controls, a Check (or Save) button, the feedback and a save status.

    Parts as attributes: ``prompt``, ``feedback`` and ``status`` (HTML); ``check`` (Button,
    closed questions); per kind ``choice`` (RadioButtons), ``choices`` (Checkboxes, in the
    order shown), ``dropdowns`` (left text -> Dropdown), ``slots`` (Dropdowns, first place
    first), ``text`` (Text), or ``criteria`` (the checklist, shown to everyone), ``response``,
    ``buttons`` (``save``, and ``reveal`` in teacher mode) and ``model`` (open). Choices are
    shown in the student's order (``shuffled``); ``shown_order`` is that order, and it follows
    the name when the student gives one.
    """

    def __init__(self, q: Question, student_name: str | None = None, frames: bool | None = None) -> None:
        self.question = q
        self._student_override = student_name
        self._answered = False
        self._last_open_saved: str | None = None
        self.shown_order: list[str] = []
        self.prompt = widgets.HTML(self._prompt_html())
        self.feedback = widgets.HTML("")
        self.status = widgets.HTML("")
        controls = self._build_controls(_frames_on(frames))
        super().__init__([self.prompt, *controls, self.feedback, self.status],
                         layout=widgets.Layout(border="1px solid #bbb", padding="6px", margin="8px 0"))
        self.add_class("cablelab-question")
        self._arrange()
        _live.add(self)
        self._restore()

    # -- building

    def _prompt_html(self) -> str:
        q = self.question
        optional = " (optional)" if q.optional else ""
        return (f'<div><strong>{_esc("Self-check" if q.closed else "Your answer")}{_esc(optional)}</strong> '
                f'<span style="color:#555">· {_esc(q.skill)}</span></div><p>{_esc(q.prompt)}</p>')

    def _button(self, label: str, handler) -> widgets.Button:
        button = widgets.Button(description=label, tooltip=label, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _: handler())
        return button

    def _build_controls(self, frames: bool) -> list[widgets.Widget]:
        """The controls, empty of choices: ``_arrange`` fills them in the student's order."""
        q = self.question
        if q.kind == "single":
            self.choice = widgets.RadioButtons(options=[], value=None, layout=_WIDE)
            parts: list[widgets.Widget] = [self.choice]
        elif q.kind == "multiple":
            self._boxes = {o.text: widgets.Checkbox(value=False, description=o.text, indent=False, layout=_WIDE)
                           for o in q.options}
            self.choices = list(self._boxes.values())
            self._choice_list = widgets.VBox(self.choices)
            parts = [self._choice_list]
        elif q.kind == "match":
            self.dropdowns = {p.left: widgets.Dropdown(options=[("Choose…", None)], value=None, layout=_WIDE)
                              for p in q.pairs}
            parts = [widgets.VBox([widgets.HTML(f"<strong>{_esc(left)}</strong>"), dropdown])
                     for left, dropdown in self.dropdowns.items()]
        elif q.kind == "order":
            self.slots = [widgets.Dropdown(options=[("Choose…", None)], value=None, description=f"{n}.",
                                           layout=_WIDE, style={"description_width": "2em"})
                          for n in range(1, len(q.items) + 1)]
            parts = [widgets.HTML("<em>Earliest first.</em>"), *self.slots]
        elif q.kind == "text":
            self.text = widgets.Text(placeholder="Type your answer", description="Answer:", layout=_WIDE)
            parts = [self.text]
        else:
            return self._build_open(frames)
        self.check = self._button("Check my answer", self._on_check)
        return [*parts, self.check]

    def _written_order(self) -> list[str]:
        """The choices as the bank writes them (never shown in this order)."""
        q = self.question
        if q.kind in ("single", "multiple"):
            return [o.text for o in q.options]
        if q.kind == "match":
            return q.choices
        if q.kind == "order":
            return [item.text for item in q.items]
        return []

    def _arrange(self) -> None:
        """Put the choices in this student's order, keeping whatever is already chosen."""
        order = shuffled(self._written_order(), self.question.id, self._who())
        if order == self.shown_order:
            return
        self.shown_order = order
        kind = self.question.kind
        if kind == "single":
            chosen = self.choice.value
            self.choice.options = order
            self.choice.value = chosen
        elif kind == "multiple":
            self.choices = [self._boxes[text] for text in order]
            self._choice_list.children = tuple(self.choices)
        elif kind in ("match", "order"):
            offered = [("Choose…", None)] + [(text, text) for text in order]
            for dropdown in (self.dropdowns.values() if kind == "match" else self.slots):
                chosen = dropdown.value
                dropdown.options = offered
                dropdown.value = chosen

    def _build_open(self, frames: bool) -> list[widgets.Widget]:
        q = self.question
        shown = q.frames if frames else ()
        starters = "".join(f"<li>{_esc(f)}</li>" for f in shown)
        self.frames = widgets.HTML(f"<div>Sentence starters:</div><ul>{starters}</ul>" if shown else "")
        # Success criteria come before the writing, for every student (TEACHING.md §4).
        self.criteria = widgets.HTML(self._criteria_html())
        self.response = widgets.Textarea(placeholder="Write your answer here. It is saved when you click away "
                                                     "or press Save.",
                                         continuous_update=False,
                                         layout=widgets.Layout(width="100%", height="9em"))
        self.response.observe(lambda change: self._on_open_change(), "value")
        self.save = self._button("Save my answer", self._on_open_change)
        self.reveal = self._button("Show the model answer (teacher)", self._on_reveal)
        # Filled only on request in teacher mode: in student mode the model answer is never in any widget state.
        self.model = widgets.HTML("")
        # A student's copy has no button that only says "not for you": the model answer is discussed in class.
        self.buttons = widgets.HBox([self.save, self.reveal] if teacher_mode() else [self.save])
        return [self.criteria, self.frames, self.response, self.buttons, self.model]

    def _criteria_html(self) -> str:
        """The three-level checklist, shown before the student writes."""
        level = Markup("<li><strong>{}</strong><ul>{}</ul></li>")
        sign = Markup("<li>{}</li>")
        levels = Markup("").join(level.format(lv.level, Markup("").join(sign.format(s) for s in lv.signs))
                                 for lv in self.question.checklist)
        return str(Markup('<div class="cablelab-criteria"><p><strong>What a good answer does</strong> (read '
                          "this before you write, and check your answer against it before you save)</p>"
                          "<ul>{}</ul></div>").format(levels))

    # -- without a kernel (a static page, jupyterlab-rise): the question in plain HTML

    def static_html(self) -> str:
        """The question as HTML that works with no kernel: each choice opens to its feedback.

        Choices come in the same order as in the widget. An open question shows its prompt,
        success criteria and sentence starters; its model answer only in teacher mode.
        """
        note = STATIC_NOTE if self.question.closed else STATIC_NOTE_OPEN
        return (f'<div class="cablelab-fallback cablelab-question"><p><em>{_esc(note)}</em></p>'
                f"{self._prompt_html()}{self._static_body()}</div>")

    def _static_body(self) -> str:
        q, opens, order = self.question, _opens, self.shown_order
        if q.kind in ("single", "multiple"):
            by_text = {o.text: o for o in q.options}
            return "".join(opens(text, _note(by_text[text].correct, "", by_text[text].feedback)) for text in order)
        if q.kind == "match":
            choices = "".join(f"<li>{_esc(text)}</li>" for text in order)
            return (f"<p>Choices:</p><ul>{choices}</ul>"
                    + "".join(opens(f"Check: {p.left}", _note(True, p.right, p.feedback)) for p in q.pairs))
        if q.kind == "order":
            mixed = "".join(f"<li>{_esc(text)}</li>" for text in order)
            in_order = "".join(f"<li>{_esc(i.text)}: {_esc(i.feedback)}</li>" for i in q.items)
            return f"<ul>{mixed}</ul>" + opens("Check your order", f"<ol>{in_order}</ol>")
        if q.kind == "text":
            return opens("Check your answer", _note(True, q.accepted[0], q.feedback["correct"]))
        # Teacher mode only, and folded: a teacher's exported copy can show it when asked.
        model = opens("Model answer", self._model_html()) if teacher_mode() else ""
        return self.criteria.value + self.frames.value + model

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html()
        label = "Self-check" if self.question.closed else "Written answer"
        bundle["text/plain"] = f"{label} {self.question.id}: {self.question.prompt}"
        return bundle

    # -- reading and showing answers

    def answer(self) -> Any:
        """The answer the controls hold now (None, or empty, when nothing is chosen)."""
        kind = self.question.kind
        if kind == "single":
            return self.choice.value
        if kind == "multiple":  # in the bank's order, whatever order they are shown in
            return [o.text for o in self.question.options if self._boxes[o.text].value]
        if kind == "match":
            return {left: dropdown.value for left, dropdown in self.dropdowns.items()}
        if kind == "order":
            return [slot.value for slot in self.slots]
        if kind == "text":
            return self.text.value
        return self.response.value

    def _show(self, answer: Any) -> bool:
        """Put a saved answer back into the controls; False when it no longer fits the question."""
        kind = self.question.kind
        try:
            if kind == "single":
                self.choice.value = answer
            elif kind == "multiple":
                for text, box in self._boxes.items():
                    box.value = text in set(answer)
            elif kind == "match":
                for left, dropdown in self.dropdowns.items():
                    dropdown.value = answer.get(left)
            elif kind == "order":
                for slot, value in zip(self.slots, answer):
                    slot.value = value
            elif kind == "text":
                self.text.value = answer
            else:
                self._last_open_saved = answer  # set first: the observer must not save it again
                self.response.value = answer
        except (KeyError, TypeError, ValueError, AttributeError, traitlets.TraitError):
            return False  # the teacher changed the question since; leave the controls empty
        return True

    # -- events

    def _on_check(self) -> None:
        verdict = grade(self.question, self.answer())
        if verdict is None:
            self.feedback.value = _box([_note(None, "Choose an answer first, then check it.")])
            return
        self.feedback.value = verdict.html
        self._answered = True
        self._record(self.answer(), verdict)

    def _on_open_change(self) -> None:
        text = self.response.value
        if not text.strip() or text == self._last_open_saved:
            return
        self._last_open_saved = text
        self._answered = True
        self._record(text, Verdict(None, ""))

    def _on_reveal(self) -> None:
        if not teacher_mode():
            self.model.value = _box([_note(None, "The model answer is in the teacher's version of this notebook. "
                                                 "Check your answer against the list above, save it, and "
                                                 "discuss it in class.")])
            return
        self.model.value = self._model_html()

    def _model_html(self) -> str:
        """The model answer; callers check teacher mode first (the checklist is shown to everyone)."""
        return ('<div class="cablelab-model-answer"><p><strong>Model answer</strong> (one of several '
                f"good ones)</p><p>{_esc(self.question.model_answer)}</p></div>")

    # -- saving

    def _who(self) -> str | None:
        return self._student_override or student()

    def _record(self, answer: Any, verdict: Verdict) -> None:
        if self._who() is None:
            _pending.append((self, answer, verdict))
            self.status.value = f"<em>{_esc(NO_NAME_YET)}</em>"
            return
        _flush_pending()  # answers an earlier failure left waiting go first, to keep the history in order
        self._save(answer, verdict)

    def _save(self, answer: Any, verdict: Verdict) -> None:
        q, who = self.question, self._who()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", answers.AnswersFileWarning)
            try:
                record = answers.save(who, q.id, answer, notebook=q.notebook, kind=q.kind,
                                      correct=verdict.correct, mistakes=verdict.mistakes)
            except (answers.AnswersError, OSError, ValueError) as err:
                # Keep it: the next answer, or set_student, tries again.
                _pending.append((self, answer, verdict))
                self.status.value = f"<strong>{_esc('Not saved yet: ' + str(err))}</strong>"
                return
        notices = [str(w.message) for w in caught]
        for notice in notices:
            warnings.warn(notice, answers.AnswersFileWarning, stacklevel=2)
        saved = f"Saved for {who} (attempt {record['attempts']})."
        self.status.value = "".join(f"<p><strong>{_esc(n)}</strong></p>" for n in notices) + f"<em>{_esc(saved)}</em>"

    def _restore(self) -> None:
        """Show the saved answer of this question, if the student has one."""
        who = self._who()
        if who is None:
            self.status.value = f"<em>{_esc(NO_NAME_YET_ASKED)}</em>"
            return
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", answers.AnswersFileWarning)
            try:
                record = answers.saved_answer(who, self.question.id)
            except (answers.AnswersError, OSError, ValueError) as err:
                self.status.value = f"<strong>{_esc('Saved answers could not be read: ' + str(err))}</strong>"
                return
        notices = "".join(f"<p><strong>{_esc(w.message)}</strong></p>" for w in caught)
        if record is None or not self._show(record["answer"]):
            self.status.value = notices
            return
        self._answered = True
        if self.question.closed:
            verdict = grade(self.question, record["answer"])
            self.feedback.value = verdict.html if verdict else ""
        shown = f"Your saved answer is shown ({record['attempts']} attempt(s))."
        self.status.value = notices + f"<em>{_esc(shown)}</em>"


HUB_SIGNED_IN = ("You are signed in to the class hub as {name}: your answers are saved under that name, "
                 "in your own folder of the class hand-in folder, and only you and your teacher can read them.")


class NameBox(widgets.VBox):
    """The name box: ``name`` (Text), ``button`` (Button) and ``status`` (HTML)."""

    def __init__(self) -> None:
        hub = answers.hub_user()
        if hub:  # signed in to the class hub: nothing to type, and no other name to choose
            self.intro = widgets.HTML("")
            self.name = widgets.Text(value=hub, disabled=True, description="Your name:")
            self.button = widgets.Button(description="Save my name", layout=widgets.Layout(display="none"))
            self.status = widgets.HTML(f"<p>{_esc(HUB_SIGNED_IN.format(name=hub))}</p>")
            super().__init__([self.status])
            return
        self.intro = widgets.HTML("<p>Type your name and press <em>Save my name</em>. Your answers in this "
                                  "notebook are saved under it, and shown again when you reopen the notebook.</p>")
        self.name = widgets.Text(value=student() or "", placeholder="First name and last initial",
                                 description="Your name:", style={"description_width": "initial"})
        self.button = widgets.Button(description="Save my name", tooltip="Save my name")
        self.button.on_click(lambda _: self._on_save())
        self.status = widgets.HTML(self._saved_message() if student() else "")
        super().__init__([self.intro, widgets.HBox([self.name, self.button]), self.status])

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        text = "Your name is asked here in a running notebook; your answers are saved under it."
        bundle["text/html"] = f'<div class="cablelab-fallback"><p><em>{_esc(text)}</em></p></div>'
        bundle["text/plain"] = text
        return bundle

    def _saved_message(self) -> str:
        who = student() or ""
        where = answers.answers_path(who)
        return f"<em>{_esc(f'Answers are saved for {who} in {where}.')}</em>"

    def _on_save(self) -> None:
        try:
            set_student(self.name.value)
        except ValueError as err:
            self.status.value = f"<strong>{_esc(f'That name cannot be used: {err}. Try letters and digits.')}</strong>"
            return
        self.status.value = self._saved_message()


class NotThisDocument(widgets.HTML):
    """What ``ask`` shows on a document other than telegram 1379: one sentence; nothing is saved.

    ``question`` is the question it stands for; the sentence is also its kernel-free view.
    """

    def __init__(self, q: Question, cable) -> None:
        self.question = q
        what = "self-check" if q.closed else "question"
        self.sentence = NOT_THIS_DOCUMENT.format(what=what, seed=curated.SEED_NUMBER, name=_document_name(cable))
        super().__init__(f'<div class="cablelab-question"><p><em>{_esc(self.sentence)}</em></p></div>')

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.value
        bundle["text/plain"] = self.sentence
        return bundle


def _document_name(cable) -> str:
    """'Telegram MISUN 22', 'Memorandum', 'Editorial Note': the loaded document's kind and number."""
    meta = cable.metadata
    kind, number = meta.get("doc_type"), meta.get("number")
    kind = kind if isinstance(kind, str) and kind else "document"
    return f"{kind} {number}" if isinstance(number, str) and number else kind


def ask(question_id: str, student: str | None = None, *, frames: bool | None = None,
        cable=None) -> SelfCheck | NotThisDocument:
    """The widget for one question of the bank.

    `student` overrides the session's student for this widget. `frames` shows or hides an
    open question's sentence starters (default: shown, unless $CABLELAB_FRAMES=0). `cable`:
    the lesson's document; the bank's questions are about telegram 1379, so on another
    document (``curated.applies_to``) the widget says so in a sentence and saves nothing.
    """
    q = question(question_id)
    if not curated.applies_to(cable):
        return NotThisDocument(q, cable)
    return SelfCheck(q, student_name=student, frames=frames)
