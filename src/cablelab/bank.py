"""The question bank, ``data/questions.yaml``: its schema, its validation, and the bank as a table.

A teacher edits the bank; ``parse_bank`` checks every question and raises one
``QuestionBankError`` listing every mistake, each with its question id and field, so
they can all be fixed at once. Each kind of question has one row in ``KIND_FIELDS``
(the fields it takes) and one in ``_PARSERS`` (how they are checked).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd
import yaml

from cablelab.paths import data_dir

KINDS = ("single", "multiple", "match", "order", "text", "open")
NOTEBOOKS = ("00", "01", "02", "03", "04", "05", "06", "07")
ID_PATTERN = re.compile(r"^(0[0-7])-[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Below this many words an option's feedback cannot give a verdict, a reason and a next step.
MIN_FEEDBACK_WORDS = 20
FORBIDDEN_OPTIONS = re.compile(r"\b(all|none) of the (above|below)\b", re.IGNORECASE)

_COMMON = {"id", "notebook", "kind", "skill", "prompt", "source", "recalls", "optional"}
#: The fields particular to each kind of question.
KIND_FIELDS = {
    "single": {"options"},
    "multiple": {"options"},
    "match": {"pairs", "distractors"},
    "order": {"items"},
    "text": {"accepted", "feedback", "misreadings"},
    "open": {"frames", "model_answer", "checklist"},
}

#: libyaml's loader when PyYAML has it (about 15 times quicker on the bank), else the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def _parse_options(raw: dict, qid: str, kind: str, problems: _Problems) -> dict[str, Any]:
    """A single- or multiple-answer question's options."""
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
    return {"options": tuple(options)}


def _parse_pairs(raw: dict, qid: str, kind: str, problems: _Problems) -> dict[str, Any]:
    """A match's pairs and the distractors among its right-hand choices."""
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
    return {"pairs": tuple(pairs), "distractors": tuple(distractors)}




def _parse_items(raw: dict, qid: str, kind: str, problems: _Problems) -> dict[str, Any]:
    """An order question's events, earliest first."""
    items = tuple(Item(_text(e, "text", qid, f"{w}.text", problems),
                       _text(e, "feedback", qid, f"{w}.feedback", problems, words=10))
                  for w, e in _entries(raw, "items", qid, problems, least=3))
    _unique((i.text for i in items), qid, "items", problems)
    return {"items": items}


def _parse_text(raw: dict, qid: str, kind: str, problems: _Problems) -> dict[str, Any]:
    """A typed answer's accepted spellings, its feedback and the misreadings foreseen."""
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


def _parse_open(raw: dict, qid: str, kind: str, problems: _Problems) -> dict[str, Any]:
    """An open question's sentence starters, model answer and three-level checklist."""
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


#: One parser per kind: (raw, qid, kind, problems) -> the Question fields particular to that kind.
_PARSERS: dict[str, Callable[[dict, str, str, _Problems], dict[str, Any]]] = {
    "single": _parse_options, "multiple": _parse_options, "match": _parse_pairs,
    "order": _parse_items, "text": _parse_text, "open": _parse_open,
}


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
    unknown = set(raw) - _COMMON - KIND_FIELDS[kind]
    if unknown:
        problems.add(qid, sorted(unknown)[0], f"is not a field of a {kind} question (fields: "
                                              f"{', '.join(sorted(_COMMON | KIND_FIELDS[kind]))})")
    return Question(
        id=qid, notebook=notebook, kind=kind,
        prompt=_text(raw, "prompt", qid, "prompt", problems),
        skill=_text(raw, "skill", qid, "skill", problems),
        source=_text(raw, "source", qid, "source", problems),
        optional=raw.get("optional") is True,
        **_PARSERS[kind](raw, qid, kind, problems),
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
