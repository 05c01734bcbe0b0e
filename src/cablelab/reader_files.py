"""The reader's edition's curated files and the passages they point to (``cablelab.reader`` draws the page).

Three teacher-editable files in ``data/`` (see data/README.md), validated on load with the
file, line and column of any mistake (curated.py's reader and checks, then the checks below):

- ``reader_edition.csv``: the words telegraphese drops, put back in brackets. Each row names
  a paragraph or point (``where``), the exact phrase of the cable and the same phrase with
  bracketed insertions; the phrase must be found, once, where the row says, and the
  bracketed version with its brackets taken out (:func:`strip_brackets`) must give it back.
- ``headnote.csv``: who wrote it, to whom, when, why, and what it cannot tell, each with sources.
- ``vocabulary.csv``: the hard words, in plain English; each must occur where its row says.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cablelab import curated
from cablelab.errors import CableFormatError

EDITION_FILE = "reader_edition.csv"
VOCABULARY_FILE = "vocabulary.csv"
HEADNOTE_FILE = "headnote.csv"
HEADNOTE_PARTS = ["who", "to", "when", "why", "limits"]

_WHERE = (r"lead|\d{1,2}(\([a-z]\))?", "3(e)")

SPECS: dict[str, curated.FileSpec] = {
    EDITION_FILE: curated.FileSpec(
        columns=("where", "original", "reader", "note", "source"),
        optional=("note", "source"),
        patterns={"where": _WHERE},
    ),
    VOCABULARY_FILE: curated.FileSpec(
        columns=("word", "where", "meaning", "here", "source"),
        optional=("here", "source"),
        patterns={"where": _WHERE},
        unique=("word",),
    ),
    HEADNOTE_FILE: curated.FileSpec(
        columns=("part", "heading", "text", "source"),
        closed={"part": HEADNOTE_PARTS},
        unique=("part",),
    ),
}


# ---------------------------------------------------------------- the passages of a document


@dataclass(frozen=True)
class Passage:
    """A paragraph (its text before its first lettered point) or a lettered point.

    ``ref`` is how the data files and saved claims name it ('lead', '1', '1(a)'; 'p3' for the
    third paragraph when it has no number); ``label`` how a reader does ('Lead', '¶1', '¶1(a)').
    ``start`` and ``end`` are offsets in the text of block ``block``.
    """

    ref: str
    label: str
    block: int
    start: int
    end: int
    text: str


_PARAGRAPH_LABELS = {"lead": ("lead", "Lead"), "numbered": ("{n}", "¶{n}"), "signature": ("signature", "Signature")}


def passages(cable) -> list[Passage]:
    """Every paragraph and lettered point of the document's body, in reading order."""
    blocks = cable.skeleton.blocks
    points: dict[int, list] = {}
    for point in cable.skeleton.points:
        points.setdefault(point.block, []).append(point)
    found: list[Passage] = []
    seen: dict[str, int] = {}

    def add(ref: str, label: str, block: int, start: int, end: int) -> None:
        seen[ref] = seen.get(ref, 0) + 1
        if seen[ref] > 1:
            ref, label = f"{ref}#{seen[ref]}", f"{label} (#{seen[ref]})"
        found.append(Passage(ref, label, block, start, end, blocks[block].text[start:end]))

    for row in cable.paragraphs.itertuples():
        number = None if pd.isna(row.paragraph) else int(row.paragraph)
        kind = row.kind if number is not None or row.kind != "numbered" else "unnumbered"
        ref, label = _PARAGRAPH_LABELS.get(kind, ("p{p}", "Paragraph {p}"))
        ref, label = ref.format(n=number, p=row.position + 1), label.format(n=number, p=row.position + 1)
        add(ref, label, row.block, 0, len(row.lead))
        for point in points.get(row.block, []):
            add(f"{ref}({point.label})", f"{label}({point.label})", row.block, point.start,
                point.start + len(blocks[row.block].text[point.start:point.end].rstrip()))
    return found


def passage_map(cable) -> dict[str, Passage]:
    """The passages by ``ref``."""
    return {p.ref: p for p in passages(cable)}


# ---------------------------------------------------------------- brackets


_BRACKET = re.compile(r"\[[^\[\]]*\]")


def strip_brackets(text: str) -> str:
    """``text`` with every bracketed insertion taken out: the cable's own words.

    '[We are] prepared for [a] prompt wind-up' -> 'prepared for prompt wind-up'. The space an
    insertion leaves is closed up: double spaces become one, a space before closing punctuation
    or after an opening parenthesis goes, and the ends are trimmed.
    """
    plain = _BRACKET.sub("", text)
    plain = re.sub(r" {2,}", " ", plain)
    plain = re.sub(r" (?=[.,;:!?)])|(?<=\() ", "", plain)
    return plain.strip()


def segments(reader: str) -> list[tuple[str, bool]]:
    """A bracketed phrase as (text, inserted) pieces, in order; inserted pieces keep their brackets."""
    pieces, last = [], 0
    for match in _BRACKET.finditer(reader):
        if match.start() > last:
            pieces.append((reader[last:match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(reader):
        pieces.append((reader[last:], False))
    return pieces


# ---------------------------------------------------------------- the curated files


def _seed_passages(folder: Path) -> dict[str, Passage]:
    from cablelab.cable import read

    return passage_map(read(folder / "telegram_1379.txt"))


def _check_edition(path: Path, rows: list[tuple[int, dict[str, str]]], folder: Path) -> None:
    where = _seed_passages(folder)
    for line, row in rows:
        def fail(column: str, problem: str) -> None:
            raise CableFormatError(f"column '{column}': {problem}", line=line, source=path.name)

        passage = where.get(row["where"])
        if passage is None:
            fail("where", f"{row['where']!r} is not a paragraph or point of telegram 1379 "
                          f"(it has {', '.join(where)})")
        original, reader = row["original"], row["reader"]
        if "\n" in original or re.search(r"\(\d{1,3}\)", original):
            fail("original", "a phrase must lie on one line and hold no footnote marker such as (2); "
                             "end it before the marker")
        count = passage.text.count(original)
        if count != 1:
            problem = "is not found" if not count else f"is found {count} times"
            fail("original", f"{original!r} {problem} in {passage.label} of telegram 1379; copy the phrase "
                             "exactly as the cable prints it")
        if reader.count("[") != reader.count("]") or not _BRACKET.search(reader):
            fail("reader", "put each added word in [square brackets], opened and closed")
        if strip_brackets(reader) != original:
            fail("reader", f"without its brackets it reads {strip_brackets(reader)!r}, not the original "
                           f"{original!r}; only add words in brackets, never change the cable's own")
        if row["note"] and not row["source"]:
            fail("source", "a note needs the source it comes from")
    spans = sorted((where[row["where"]].block, where[row["where"]].start + where[row["where"]].text.find(row["original"]),
                    len(row["original"]), line) for line, row in rows)
    for (block, start, length, _), (next_block, next_start, _, line2) in zip(spans, spans[1:]):
        if block == next_block and next_start < start + length:
            raise CableFormatError("column 'original': this phrase overlaps the phrase of an earlier row",
                                   line=line2, source=path.name)


def _check_vocabulary(path: Path, rows: list[tuple[int, dict[str, str]]], folder: Path) -> None:
    where = _seed_passages(folder)
    for line, row in rows:
        passage = where.get(row["where"])
        if passage is None or not word_pattern(row["word"]).search(passage.text):
            place = passage.label if passage else repr(row["where"])
            raise CableFormatError(f"column 'word': {row['word']!r} is not in {place} of telegram 1379",
                                   line=line, source=path.name)
        if row["here"] and not row["source"]:
            raise CableFormatError("column 'source': what a word means in the cable needs its source",
                                   line=line, source=path.name)


def _check_nothing(path: Path, rows: list, folder: Path) -> None:
    return None


_ROW_CHECKS = {EDITION_FILE: _check_edition, VOCABULARY_FILE: _check_vocabulary, HEADNOTE_FILE: _check_nothing}


@functools.cache
def _load(name: str, folder: Path) -> pd.DataFrame:
    path, spec = folder / name, SPECS[name]
    # curated.py's reader and checks: the same messages (file, line, column) as every curated file.
    header, rows = curated._read_rows(path)
    curated._check(path, spec, header, rows)
    _ROW_CHECKS[name](path, rows, folder)
    return curated._frame(spec, rows)


curated.on_clear(_load.cache_clear)


def table(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """One of this module's curated files (EDITION_FILE, VOCABULARY_FILE, HEADNOTE_FILE), validated."""
    if name not in SPECS:
        raise KeyError(f"no reader file {name!r}; known: {', '.join(SPECS)}")
    return _load(name, curated.folder_of(folder)).copy(deep=False)


def insertions(folder: str | Path | None = None) -> pd.DataFrame:
    """data/reader_edition.csv: where, original, reader (with [insertions]), note, source."""
    return table(EDITION_FILE, folder)


def vocabulary(folder: str | Path | None = None) -> pd.DataFrame:
    """data/vocabulary.csv: word, where (first use), meaning, here (its sense in the cable), source."""
    return table(VOCABULARY_FILE, folder)


def headnote(folder: str | Path | None = None) -> pd.DataFrame:
    """data/headnote.csv: part (who, to, when, why, limits), heading, text, source."""
    return table(HEADNOTE_FILE, folder)


@functools.cache
def word_pattern(word: str) -> re.Pattern[str]:
    """The word as a whole word, any case ('Kremlin' finds "Kremlin's")."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
