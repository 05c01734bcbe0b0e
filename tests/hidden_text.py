"""What a student must never be shown, as sentences to look for in a file or a page.

Teacher notes and model answers live in the cells of notebooks/ tagged `teacher` or
`solution`, and in the `model_answer` of each open question of data/questions.yaml. Each
is cut into sentences (a markdown cell's lines, list items and table cells first, its
markup dropped as a page renders it), and every sentence of at least MIN_WORDS words is
kept, whitespace collapsed and lower-cased, so that it can be looked for in any text
normalised the same way (`normalise`).

A sentence that quotes the cable itself (data/telegram_1379.txt) is left out: the lessons
show the cable to students, and finding its words on a page reveals nothing.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
HIDDEN_TAGS = frozenset({"teacher", "solution"})
MIN_WORDS = 6

# A line that starts a new block of its own in markdown: a heading, a list item, a quote, a table row.
BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\|)")
LINE_MARKUP = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]*\s+")


def normalise(text: str) -> str:
    """Whitespace collapsed, lower case: how page text and sentences are compared."""
    return re.sub(r"\s+", " ", text).strip().lower()


CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _prose(text: str) -> str:
    """Markdown outside code as it reads once rendered: links and images keep their text,
    emphasis marks and HTML tags go, entities and escapes are resolved."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\*\*|\*", "", text)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|\"'])", r"\1", text)
    return html.unescape(text)


def _inline(text: str) -> str:
    """A markdown line as it reads once rendered; code spans keep their text as it is."""
    parts, end = [], 0
    for match in CODE_SPAN.finditer(text):
        parts += [_prose(text[end:match.start()]), match.group(2).strip()]
        end = match.end()
    return "".join(parts + [_prose(text[end:])])


def markdown_segments(source: str) -> list[str]:
    """The runs of text a markdown cell renders: paragraphs, list items, headings, table cells."""
    segments: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            segments.append(" ".join(current))
            current.clear()

    for line in source.splitlines():
        if not line.strip() or TABLE_RULE.match(line):
            close()
            continue
        if BLOCK_START.match(line):
            close()
        if line.lstrip().startswith("|"):
            segments.extend(cell for cell in line.strip().strip("|").split("|"))
            continue
        current.append(LINE_MARKUP.sub("", line))
    close()
    return [_inline(segment) for segment in segments]


def sentences(segments: list[str], min_words: int = MIN_WORDS) -> list[str]:
    """Each sentence of at least `min_words` words, normalised."""
    found = []
    for segment in segments:
        for sentence in SENTENCE_END.split(normalise(segment)):
            sentence = sentence.strip()
            if len(sentence.split()) >= min_words:
                found.append(sentence)
    return found


@dataclass(frozen=True)
class Hidden:
    """A sentence a student must not see, and where it comes from (for a readable failure)."""

    sentence: str
    source: str  # "02_negotiation_points.ipynb cell 02-028" or "questions.yaml 02-how-far"


def _cable_text() -> str:
    return normalise(_inline((ROOT / "data" / "telegram_1379.txt").read_text(encoding="utf-8")))


def cell_sentences(notebook: Path) -> list[Hidden]:
    """Sentences of the notebook's teacher and solution cells (code cells: their string literals)."""
    nb = nbformat.read(notebook, as_version=4)
    cable = _cable_text()
    found = []
    for cell in nb.cells:
        if not HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            segments = markdown_segments(cell.source)
        else:
            segments = [literal for _, literal in re.findall(r"""(['"])((?:(?!\1).)+)\1""", cell.source)]
        where = f"{notebook.name} cell {cell.get('id', '?')}"
        found += [Hidden(s, where) for s in sentences(segments) if s not in cable]
    return found


def bank_sentences() -> list[Hidden]:
    """Sentences of every model answer in the question bank (loaded and validated by cablelab)."""
    from cablelab import exercises

    cable = _cable_text()
    return [
        Hidden(sentence, f"questions.yaml {question.id}")
        for question in exercises.load_bank().values()
        if question.model_answer
        for sentence in sentences([question.model_answer])
        if sentence not in cable
    ]


def all_hidden(notebooks: list[Path]) -> list[Hidden]:
    """Every teacher-only sentence of these notebooks and of the whole question bank."""
    return [h for path in notebooks for h in cell_sentences(path)] + bank_sentences()


def json_strings(path: Path) -> str:
    """Every string in a JSON file (keys and values, decoded), joined and normalised: what a
    notebook file holds in its cells, outputs and metadata, escapes resolved; then the same
    strings with markdown marks dropped."""
    found: list[str] = []

    def walk(item) -> None:  # in document order: a cell's source lines stay in sequence
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                found.append(key)
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(json.loads(path.read_text(encoding="utf-8")))
    # As written, and as rendered (markdown marks dropped): a sentence in bold is still found.
    return normalise(" \n ".join(found)) + " \n " + normalise(" \n ".join(_inline(text) for text in found))


def found_in(text: str, hidden: list[Hidden]) -> list[Hidden]:
    """The hidden sentences that occur in `text` (already normalised)."""
    return [h for h in hidden if h.sentence in text]
