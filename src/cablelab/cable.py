"""``Cable``: one document and its tidy frames; ``load``, ``read``, ``read_corpus``.

A Cable holds the decoded page and its skeleton. Each frame (schema.FRAMES) is
built the first time it is asked for and kept. Rows that point into the text
carry the same location columns (block, section, paragraph, footnote, point,
sentence, start, end), computed once per block.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from os import PathLike
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from cablelab import schema
from cablelab.paths import builtin_cable
from cablelab.sources import Page, Source, open_source
from cablelab.structure import Block, Skeleton, citation_year, parse, sentences, source_note_fields

# Whom a paragraph's lettered points speak for, read from the sentence that introduces
# them. First match wins; 'sender' means the side the document is sent from.
SPEAKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "USSR",
        re.compile(
            r"\b(?:Soviets?|Russians?|USSR|Moscow|Khrushchev|Mikoyan|Kuznetsov|Zorin|Gromyko)\b[^.:]{0,120}?"
            r"\b(?:expressed|raised|asked|queried|objected|proposed|demanded|insisted|wants?|reservations|queries|objections|"
            r"conditions|concerns|position|demands|terms|points?)\b"
        ),
    ),
    ("Cuba", re.compile(r"\b(?:Cubans?|Castro|Dorticos|Roa)\b[^.:]{0,120}?\b(?:demands?|points|conditions|proposed|insisted|expressed)\b")),
    ("UN", re.compile(r"\b(?:U Thant|SYG|Secretary[- ]General|UN Secretariat)\b[^.:]{0,120}?\b(?:proposed|suggested|points|proposals?)\b")),
    (
        "US",
        re.compile(r"\b(?:McCloy|Stevenson|Rusk|Kennedy|President|Yost|Ball|Thompson)\b[^.:]{0,80}?\b(?:replied|said|stated|proposed|suggested|stressed|insisted)\b"),
    ),
    ("sender", re.compile(r"\b(?:[Ss]uggest|[Ww]e|[Oo]ur|[Yy]ou should|should be stressed|[Ff]ollowing points|[Tt]alking points|[Ii]nstructions?)\b")),
)
# The side a sender stands on, from its name.
SENDER_SIDES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("US", re.compile(r"Department of State|Mission to the United Nations|Embassy|White House|President Kennedy|\bUS\b|United States|Secretary of (?:State|Defense)|Under Secretary|Ambassador|McCloy|Stevenson|Rusk|Kennedy")),
    ("USSR", re.compile(r"Soviet|Khrushchev|Chairman|Mikoyan|Kuznetsov|Gromyko")),
    ("Cuba", re.compile(r"Cuba|Castro|Dorticos")),
    ("UN", re.compile(r"Secretary[- ]General|U Thant|United Nations Secretariat")),
)
# Sections searched for dates and references: the header's dateline and number are
# metadata already. Mentions also search the header: a memorandum's heading names its people.
_EXTRACTED = ("body", "footnote", "source")
_NAMED = ("header", *_EXTRACTED)
_SEPARATOR = "\n\u2029¶\u2029\n"  # between blocks searched together; no word, date or number


@dataclass(frozen=True)
class _Where:
    """What every row located in one block shares, and how to place an offset in it."""

    block: int
    section: str
    paragraph: int | None
    footnote: int | None
    sentence_spans: list[tuple[int, int]]
    point_spans: list[tuple[int, int, str]]
    text: str

    @cached_property
    def sentences(self) -> list[str]:
        """Each sentence's text, cut once: rows share these strings, never a copy per row.

        A copy per row cost time and memory in rows x sentence length (a 500 KB sentence with
        14,000 dates held 7 GB).
        """
        return [self.text[start:end] for start, end in self.sentence_spans]

    def locate(self, start: int, end: int) -> dict:
        return self.place({}, start, end)

    def place(self, row: dict, start: int, end: int) -> dict:
        """``row`` with the location columns of the span start..end of this block added."""
        spans = self.sentence_spans
        i = bisect.bisect_right(spans, (start, len(self.text) + 1)) - 1
        point = None
        for s, e, label in self.point_spans:  # few per block; most blocks have none
            if s - 4 <= start < e + 1:
                point = label
                break
        row["block"] = self.block
        row["section"] = self.section
        row["paragraph"] = self.paragraph
        row["footnote"] = self.footnote
        row["point"] = point
        row["sentence"] = self.sentences[i] if i >= 0 else None
        row["start"] = start
        row["end"] = end
        return row


class _Frame:
    """A frame of schema.FRAMES named like the attribute, built on first use and kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, cable: "Cable | None", owner: type | None = None):
        if cable is None:
            return self
        frame = schema.build(self.name, cable.records(self.name))
        cable.__dict__[self.name] = frame  # a non-data descriptor: the instance's copy wins from now on
        return frame


class Cable:
    """One FRUS document and its tidy frames.

    Build it with ``cablelab.load()`` or ``cablelab.read(source)``. ``metadata`` is a
    Series (keys in schema.METADATA); ``blocks``, ``paragraphs``, ``points``,
    ``footnotes``, ``references``, ``mentions``, ``dates`` and ``leftovers`` are
    DataFrames (columns in schema.FRAMES), built on first use. ``records(name)``
    gives a frame's rows as dicts (what ``read_corpus`` concatenates).

    Dates and references are searched in the body, the footnotes and the source
    note; mentions also in the heading lines (a memorandum's heading names its
    people), never in the page's collection line.
    """

    def __init__(self, page: Page, skeleton: Skeleton) -> None:
        self.page = page
        self.skeleton = skeleton

    def __repr__(self) -> str:
        meta = self.fields
        when = meta["date"].strftime("%Y-%m-%d") if not pd.isna(meta["date"]) else "undated"
        number = f" {meta['number']}" if meta["number"] else ""
        parties = " → ".join(p for p in (meta["sender"], meta["recipient"]) if p)
        return f"<Cable {meta['doc_type'] or 'document'}{number}, {when}{meta['time'] and ' ' + meta['time'] or ''}, {parties}>"

    # --- metadata -----------------------------------------------------------------------
    @cached_property
    def fields(self) -> dict:
        """The metadata as a plain dict (cheap; ``metadata`` is its Series)."""
        header = self.skeleton.header
        note = source_note_fields(self.skeleton.source_note)
        date = pd.NaT
        if header.year:
            hour, minute = map(int, header.time.split(":")) if header.time else (0, 0)
            date = pd.Timestamp(year=header.year, month=header.month, day=header.day, hour=hour, minute=minute)
        signed = [re.sub(r"\(\d{1,3}\)", "", b.text).strip() for b in self.skeleton.blocks if b.kind == "signature"]
        values = {
            **{f: getattr(header, f) for f in ("collection", "doc_type", "title", "sender", "recipient", "place", "time", "time_end", "number", "subject")},
            "date": date,
            "frus_number": header.frus_number,
            "addressees": list(header.addressees),
            "participants": list(header.participants),
            "classification": note.get("classification", []),
            "drafted_by": note.get("drafted_by", []),
            "cleared_by": note.get("cleared_by", []),
            "approved_by": note.get("approved_by", []),
            "signed_by": signed,
            "file_citation": note.get("file_citation"),
            "received": header.received or note.get("received"),
            "source_note": self.skeleton.source_note,
            "page_kind": self.page.kind,
            "complete": self.skeleton.complete,
        }
        return {column.name: values[column.name] for column in schema.METADATA}

    @cached_property
    def metadata(self) -> pd.Series:
        """Header fields as a Series; keys in schema.METADATA."""
        return schema.metadata(self.fields, self.page.name or "document")

    # --- frames -------------------------------------------------------------------------
    def records(self, name: str) -> list[dict]:
        """The rows of frame ``name`` as dicts (built once; what ``read_corpus`` concatenates)."""
        if name not in schema.FRAMES:
            raise KeyError(f"no frame named {name!r}; frames are {', '.join(schema.FRAMES)}")
        return getattr(self, f"_{name}")

    blocks = _Frame()
    paragraphs = _Frame()
    points = _Frame()
    footnotes = _Frame()
    references = _Frame()
    mentions = _Frame()
    dates = _Frame()
    leftovers = _Frame()

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame of schema.FRAMES, by name."""
        return {name: getattr(self, name) for name in schema.FRAMES}

    # --- records ------------------------------------------------------------------------
    @cached_property
    def _where(self) -> list[_Where]:
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for point in self.skeleton.points:
            spans.setdefault(point.block, []).append((point.start, point.end, point.label))
        return [
            _Where(i, b.section, b.paragraph, b.footnote, sentences(b.text), spans.get(i, []), b.text)
            for i, b in enumerate(self.skeleton.blocks)
        ]

    @cached_property
    def _blocks(self) -> list[dict]:
        return [
            {"block": i, "section": b.section, "kind": b.kind, "paragraph": b.paragraph, "footnote": b.footnote, "text": b.text, "line": b.line}
            for i, b in enumerate(self.skeleton.blocks)
        ]

    def _body(self) -> list[tuple[int, Block]]:
        return [(i, b) for i, b in enumerate(self.skeleton.blocks) if b.section == "body"]

    @cached_property
    def _lead_texts(self) -> dict[int, str]:
        """Each body paragraph's text before its first lettered point."""
        first: dict[int, int] = {}
        for point in self.skeleton.points:
            first.setdefault(point.block, point.start)
        leads = {}
        for i, block in self._body():
            cut = first.get(i)
            if cut is not None:
                # Back to the start of the first point's line, or to its inline '(a)' marker.
                line_start = block.text.rfind("\n", 0, cut)
                cut = line_start if line_start >= 0 else max(block.text.rfind("(", 0, cut), 0)
            leads[i] = block.text[:cut].rstrip() if cut is not None else block.text
        return leads

    @cached_property
    def _paragraphs(self) -> list[dict]:
        counts: dict[int, int] = {}
        for point in self.skeleton.points:
            counts[point.block] = counts.get(point.block, 0) + 1
        return [
            {
                "block": i,
                "position": position,
                "paragraph": b.paragraph,
                "kind": b.kind,
                "text": b.text,
                "lead": self._lead_texts[i],
                "n_points": counts.get(i, 0),
                "n_sentences": len(self._where[i].sentence_spans),
                "n_words": len(b.text.split()),
                "line": b.line,
            }
            for position, (i, b) in enumerate(self._body())
        ]

    def speaker(self, lead: str) -> str:
        """Whom points introduced by ``lead`` speak for (see SPEAKERS)."""
        spans = sentences(lead)
        sentence = lead[slice(*spans[-1])] if spans else lead
        side = next((side for side, pattern in SPEAKERS if pattern.search(sentence)), "sender")
        return self.sender_side if side == "sender" else side

    @cached_property
    def sender_side(self) -> str:
        sender = self.fields["sender"] or ""
        return next((side for side, pattern in SENDER_SIDES if pattern.search(sender)), "other")

    @cached_property
    def _points(self) -> list[dict]:
        blocks = self.skeleton.blocks
        speakers: dict[int, str] = {}
        rows = []
        for point in self.skeleton.points:
            block = blocks[point.block]
            if point.block not in speakers:
                speakers[point.block] = self.speaker(self._lead_texts[point.block])
            number = "" if block.paragraph is None else str(block.paragraph)
            rows.append(
                {
                    "block": point.block,
                    "paragraph": block.paragraph,
                    "label": point.label,
                    "ref": f"{number}({point.label})",
                    "text": block.text[point.start : point.end].strip(),
                    "speaker": speakers[point.block],
                    "line": point.line,
                }
            )
        return rows

    @cached_property
    def _footnotes(self) -> list[dict]:
        rows = []
        for note in self.skeleton.footnotes:
            marker = self.skeleton.markers.get(note.number)
            where = self._where[marker[0]].locate(marker[1], marker[2]) if marker else {}
            rows.append(
                {
                    "number": note.number,
                    "text": note.text,
                    "block": where.get("block"),
                    "paragraph": where.get("paragraph"),
                    "point": where.get("point"),
                    "sentence": where.get("sentence"),
                    "line": note.line,
                }
            )
        return rows

    def _located(self, find: Callable[[str], list[dict]], sections: tuple[str, ...] = _EXTRACTED) -> list[dict]:
        """Rows of ``find`` over the blocks of ``sections``, with location columns added.

        The blocks are searched as one text joined by a separator no pattern crosses,
        so each finder runs once per document rather than once per block.
        """
        collection = self.skeleton.header.collection
        wheres = [
            w for w in self._where
            if w.section in sections and not (w.section == "header" and w.text == collection)
        ]  # the collection line names the web page's series, not the document's people
        starts, offset = [], 0
        for where in wheres:
            starts.append(offset)
            offset += len(where.text) + len(_SEPARATOR)
        rows = []
        for found in find(_SEPARATOR.join(w.text for w in wheres)):
            i = bisect.bisect_right(starts, found["start"]) - 1
            start, end = found["start"] - starts[i], found["end"] - starts[i]
            if i < 0 or end > len(wheres[i].text):
                continue  # spans a separator: not a real mention
            rows.append(wheres[i].place(found, start, end))  # the finder's own dict, completed
        return rows

    @cached_property
    def _references(self) -> list[dict]:
        from cablelab.references import find_references

        sender, recipient = self.fields["sender"], self.fields["recipient"]
        return self._located(lambda text: find_references(text, sender=sender, recipient=recipient))

    @cached_property
    def _dates(self) -> list[dict]:
        from cablelab.dates import find_dates

        anchor = self.fields["date"]
        year = citation_year(self.fields["file_citation"])  # for a document printed without a dateline
        return self._located(lambda text: find_dates(text, anchor, year))

    @cached_property
    def _mentions(self) -> list[dict]:
        from cablelab.actors import find_mentions  # loads the curated registry on first use

        return self._located(find_mentions, _NAMED)

    @cached_property
    def _leftovers(self) -> list[dict]:
        return [{"line": left.line, "text": left.text, "kind": left.kind} for left in self.page.leftovers]


# --- public functions ---------------------------------------------------------------------


def read(source: Source, document: str | None = None) -> Cable:
    """A Cable from a path, bytes, or the document's text.

    Recognises Avalon Project pages (text or saved HTML), history.state.gov pages,
    FRUS TEI XML (``document`` picks one div of a volume by xml:id, e.g. 'd212') and
    plain text. Raises FileNotFoundError for a missing path and CableFormatError
    (with the line) for input that is not a document of this kind.
    """
    page = open_source(source, document)
    return Cable(page, parse(page))


def load() -> Cable:
    """The built-in document: telegram 1379 of 26 November 1962 (data/telegram_1379.txt)."""
    return read(builtin_cable())


def read_corpus(paths_or_folder: str | PathLike | Iterable[str | PathLike]) -> dict[str, pd.DataFrame]:
    """Many documents as one dict of frames, each with a leading ``doc_id`` column.

    Returns a dict rather than an object so that notebooks can take what they need
    (``frames["points"]``) and pandas does the rest: the keys are 'metadata' (one row
    per document) and every frame of schema.FRAMES. ``doc_id`` is the file's stem. A
    folder is read in name order (``*.txt``, ``*.html``, ``*.htm``, ``*.asp``, ``*.xml``).
    Frames are built once from all documents' records, so cost grows linearly.
    """
    paths = _corpus_paths(paths_or_folder)
    seen: dict[str, int] = {}
    docs: list[str] = []
    fields: list[dict] = []
    ids: dict[str, list[str]] = {name: [] for name in schema.FRAMES}
    rows: dict[str, list[dict]] = {name: [] for name in schema.FRAMES}
    for path in paths:
        doc = _doc_id(path)
        seen[doc] = seen.get(doc, 0) + 1
        doc = doc if seen[doc] == 1 else f"{doc}#{seen[doc]}"
        cable = read(path)
        docs.append(doc)
        fields.append(cable.fields)
        for name in schema.FRAMES:
            found = cable.records(name)
            ids[name] += [doc] * len(found)
            rows[name] += found
        # Only the rows are kept, not each Cable's parse state: memory, and the garbage
        # collector's passes over everything alive, then grow with the rows alone.
    frames: dict[str, pd.DataFrame] = {}
    meta = pd.DataFrame(fields, columns=[c.name for c in schema.METADATA])
    meta.insert(0, "doc_id", pd.array(docs, dtype="str"))
    frames["metadata"] = meta
    for name in schema.FRAMES:
        frames[name] = schema.build(name, rows[name], leading={"doc_id": ids[name]})
    return frames


_CORPUS_SUFFIXES = {".txt", ".html", ".htm", ".asp", ".xml"}


def _corpus_paths(paths_or_folder) -> list[Path]:
    if isinstance(paths_or_folder, (str, PathLike)):
        folder = Path(paths_or_folder)
        if not folder.exists():
            raise FileNotFoundError(f"no such folder or document: {folder}")
        if folder.is_file():
            return [folder]
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in _CORPUS_SUFFIXES and p.is_file())
    return [Path(p) for p in paths_or_folder]


def _doc_id(path: Path) -> str:
    return path.name.split(".")[0]
