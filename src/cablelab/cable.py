"""``Cable``: one document and its tidy frames; ``load``, ``read``, ``read_corpus``.

A Cable holds the decoded page and its skeleton. Each frame (schema.FRAMES) is
built the first time it is asked for and kept. Rows that point into the text
carry the same location columns (block, section, paragraph, footnote, point,
sentence, start, end), computed once per block.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from itertools import chain
from operator import itemgetter
from os import PathLike
from pathlib import Path
from typing import Iterable

import pandas as pd

from cablelab import schema
from cablelab.actors import mention_columns, sender_side, sides_named
from cablelab.dates import find_dates
from cablelab.header import citation_year, opening, source_note_fields
from cablelab.page import Page
from cablelab.paths import builtin_cable
from cablelab.references import find_references
from cablelab.sources import Source, open_source
from cablelab.structure import Block, Skeleton, parse
from cablelab.text import sentences, strip_markers

# Whom a paragraph's lettered points speak for, read from the sentence that introduces them:
# an actor of data/actors.csv on one side, followed within the clause (no '.' or ':' between,
# at most ``reach`` characters) by a word of that side's speaking. Sides are tried in this
# order and the first found wins; failing all, the points speak for the sender's side.
SPEAKING: tuple[tuple[str, int, str], ...] = (
    ("USSR", 120, "expressed|raised|asked|queried|objected|proposed|demanded|insisted|wants?|reservations|queries|"
                  "objections|conditions|concerns|position|demands|terms|points?"),
    ("Cuba", 120, "demands?|points|conditions|proposed|insisted|expressed"),
    ("UN", 120, "proposed|suggested|points|proposals?"),
    ("US", 80, "replied|said|stated|proposed|suggested|stressed|insisted"),
)
_SPEAKING = tuple((side, re.compile(rf"[^.:]{{0,{reach}}}?\b(?:{words})\b")) for side, reach, words in SPEAKING)

# Sections searched for dates and references: the header's dateline and number are
# metadata already. Mentions also search the header: a memorandum's heading names its people.
_EXTRACTED = ("body", "footnote", "source")
_NAMED = ("header", *_EXTRACTED)
# Between blocks searched together: no word, date or number, and no white space a pattern
# could run on through. ASCII, so that an ASCII document's text stays one byte a character.
_SEPARATOR = "\n\x00\n"
# Frames whose rows finders locate in the text; their columns are kept, not rows.
_LOCATED = ("references", "mentions", "dates")
_OWN = {name: [c.name for c in schema.FRAMES[name] if c.name not in schema.LOCATION] for name in _LOCATED}


class _Where:
    """What every row located in one block shares, and how to place an offset in it."""

    __slots__ = ("block", "section", "paragraph", "footnote", "text", "sentence_spans", "point_spans", "sentences", "sentence_starts")

    def __init__(self, block: int, b: Block, point_spans: list[tuple[int, int, str]]) -> None:
        self.block, self.section, self.paragraph, self.footnote, self.text = block, b.section, b.paragraph, b.footnote, b.text
        self.sentence_spans = sentences(b.text)
        self.point_spans = point_spans
        # Each sentence's text, cut once: rows share these strings, never a copy per row
        # (which would hold rows x sentence length: a long sentence full of dates, gigabytes).
        self.sentences = [b.text[start:end] for start, end in self.sentence_spans]
        self.sentence_starts = [start for start, _ in self.sentence_spans]

    def sentence_at(self, start: int) -> str | None:
        """The sentence holding offset ``start`` (the last one begun before it)."""
        i = bisect.bisect_right(self.sentence_starts, start) - 1
        return self.sentences[i] if i >= 0 else None

    def point_at(self, start: int) -> str | None:
        """The label of the lettered point holding offset ``start``, else None."""
        for s, e, label in self.point_spans:  # few per block; most blocks have none
            if s - 4 <= start < e + 1:
                return label
        return None


class _Searched:
    """The blocks the finders search, as one text, and where each of its offsets lies.

    One text, so that each finder runs once per document rather than once per block; the
    separator between blocks is crossed by no pattern. Every sentence of every block is
    listed in reading order with its start in the text, so that a row is placed by one
    binary search: found rows start on a word, and every word lies in a sentence.
    """

    __slots__ = ("text", "wheres", "offsets", "ends", "sentence_starts", "sentence_where", "sentence_texts")

    def __init__(self, wheres: list[_Where]) -> None:
        self.wheres = wheres
        self.offsets, self.ends = [], []
        self.sentence_starts, self.sentence_where, self.sentence_texts = [], [], []
        offset = 0
        for w, where in enumerate(wheres):
            self.offsets.append(offset)
            self.ends.append(offset + len(where.text))
            self.sentence_starts += [offset + start for start in where.sentence_starts]
            self.sentence_where += [w] * len(where.sentence_starts)
            self.sentence_texts += where.sentences
            offset += len(where.text) + len(_SEPARATOR)
        self.text = _SEPARATOR.join(where.text for where in wheres)

    def locate(self, own: list[str], found: dict[str, list], sections: tuple[str, ...]) -> dict[str, list]:
        """``found`` (a finder's columns over ``text``, with start and end) with the location
        columns added, for the rows that lie in a block of ``sections``: the ``own`` columns
        and schema.LOCATION's."""
        at = [bisect.bisect_right(self.sentence_starts, start) - 1 for start in found["start"]]
        where = [self.sentence_where[i] for i in at]
        wheres, ends = self.wheres, self.ends
        offsets = self.offsets
        keep = [
            k for k, (w, start, end) in enumerate(zip(where, found["start"], found["end"]))
            # wholly inside the block (not across a separator), and in a section searched
            if offsets[w] <= start and end <= ends[w] and wheres[w].section in sections
        ]
        columns = {key: [found[key][k] for k in keep] for key in own}
        at, where = [at[k] for k in keep], [where[k] for k in keep]
        starts, stops = [found["start"][k] for k in keep], [found["end"][k] for k in keep]
        blocks = [wheres[w] for w in where]
        offsets = [offsets[w] for w in where]
        columns["block"] = [b.block for b in blocks]
        columns["section"] = [b.section for b in blocks]
        columns["paragraph"] = [b.paragraph for b in blocks]
        columns["footnote"] = [b.footnote for b in blocks]
        columns["start"] = [start - offset for start, offset in zip(starts, offsets)]
        columns["end"] = [stop - offset for stop, offset in zip(stops, offsets)]
        columns["point"] = [b.point_at(start) for b, start in zip(blocks, columns["start"])]
        columns["sentence"] = [self.sentence_texts[i] for i in at]
        return {key: columns[key] for key in (*own, *schema.LOCATION)}


class _Frame:
    """A frame of schema.FRAMES named like the attribute, built on first use and kept."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, cable: "Cable | None", owner: type | None = None):
        if cable is None:
            return self
        columns = cable.columns(self.name)
        frame = schema.build_columns(self.name, columns, _length(columns))
        cable.__dict__[self.name] = frame  # a non-data descriptor: the instance's copy wins from now on
        return frame


class Cable:
    """One FRUS document and its tidy frames.

    Build it with ``cablelab.load()`` or ``cablelab.read(source)``. ``metadata`` is a
    Series (keys in schema.METADATA); ``blocks``, ``paragraphs``, ``points``,
    ``footnotes``, ``references``, ``mentions``, ``dates`` and ``leftovers`` are
    DataFrames (columns in schema.FRAMES), built on first use. ``records(name)``
    gives a frame's rows as dicts, ``columns(name)`` its values as lists by column (what
    the frame is built from, and what ``read_corpus`` concatenates).

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
        signed = [strip_markers(b.text).strip() for b in self.skeleton.blocks if b.kind == "signature"]
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
            "opening": self.opening,
            "signed_by": signed,
            "file_citation": note.get("file_citation"),
            "received": header.received or note.get("received"),
            "source_note": self.skeleton.source_note,
            "page_kind": self.page.kind,
            "complete": self.skeleton.complete,
        }
        return {column.name: values[column.name] for column in schema.METADATA}

    @cached_property
    def opening(self) -> str | None:
        """A letter's salutation as printed ('Dear Mr. President'), else None."""
        return opening(self.skeleton.blocks)

    @cached_property
    def metadata(self) -> pd.Series:
        """Header fields as a Series; keys in schema.METADATA."""
        return schema.metadata(self.fields, self.page.name or "document")

    # --- frames -------------------------------------------------------------------------
    def records(self, name: str) -> list[dict]:
        """The rows of frame ``name`` as dicts, keyed by its columns."""
        columns = self.columns(name)
        return [dict(zip(columns, values)) for values in zip(*columns.values())]

    def columns(self, name: str) -> dict[str, list]:
        """The values of frame ``name`` column by column: each column's name and a list of
        its values (what ``read_corpus`` concatenates, and each frame is built from)."""
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

    # --- each frame's values, column by column (schema.FRAMES' order) --------------------
    @cached_property
    def _where(self) -> list[_Where]:
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for point in self.skeleton.points:
            spans.setdefault(point.block, []).append((point.start, point.end, point.label))
        return [_Where(i, b, spans.get(i, [])) for i, b in enumerate(self.skeleton.blocks)]

    @cached_property
    def _blocks(self) -> dict[str, list]:
        blocks = self.skeleton.blocks
        return {
            "block": list(range(len(blocks))),
            "section": [b.section for b in blocks],
            "kind": [b.kind for b in blocks],
            "paragraph": [b.paragraph for b in blocks],
            "footnote": [b.footnote for b in blocks],
            "text": [b.text for b in blocks],
            "line": [b.line for b in blocks],
        }

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
    def _paragraphs(self) -> dict[str, list]:
        counts: dict[int, int] = {}
        for point in self.skeleton.points:
            counts[point.block] = counts.get(point.block, 0) + 1
        body = self._body()
        return {
            "block": [i for i, _ in body],
            "position": list(range(len(body))),
            "paragraph": [b.paragraph for _, b in body],
            "kind": [b.kind for _, b in body],
            "text": [b.text for _, b in body],
            "lead": [self._lead_texts[i] for i, _ in body],
            "n_points": [counts.get(i, 0) for i, _ in body],
            "n_sentences": [len(self._where[i].sentence_spans) for i, _ in body],
            "n_words": [len(b.text.split()) for _, b in body],
            "line": [b.line for _, b in body],
        }

    def speaker(self, lead: str) -> str:
        """Whom points introduced by ``lead`` speak for (see SPEAKING): a side of data/actors.csv."""
        spans = sentences(lead)
        sentence = lead[slice(*spans[-1])] if spans else lead
        named = sides_named(sentence)
        for side, speaking in _SPEAKING:
            if any(named_side == side and speaking.match(sentence, end) for named_side, end in named):
                return side
        return self.sender_side

    @cached_property
    def sender_side(self) -> str:
        """The side the sender is on (actors.sender_side): 'US', 'USSR', 'Cuba', 'UN' or 'other'."""
        return sender_side(self.fields["sender"])

    @cached_property
    def _points(self) -> dict[str, list]:
        blocks, points = self.skeleton.blocks, self.skeleton.points
        speakers: dict[int, str] = {}
        for point in points:
            if point.block not in speakers:
                speakers[point.block] = self.speaker(self._lead_texts[point.block])
        numbers = ["" if blocks[p.block].paragraph is None else str(blocks[p.block].paragraph) for p in points]
        return {
            "block": [p.block for p in points],
            "paragraph": [blocks[p.block].paragraph for p in points],
            "label": [p.label for p in points],
            "ref": [f"{number}({p.label})" for number, p in zip(numbers, points)],
            "text": [blocks[p.block].text[p.start : p.end].strip() for p in points],
            "speaker": [speakers[p.block] for p in points],
            "line": [p.line for p in points],
        }

    @cached_property
    def _footnotes(self) -> dict[str, list]:
        notes, markers = self.skeleton.footnotes, self.skeleton.markers
        # Where each note's marker sits: (its block's _Where, offset), or None when not found.
        at = [(self._where[m[0]], m[1]) if (m := markers.get(note.number)) else None for note in notes]
        return {
            "number": [note.number for note in notes],
            "text": [note.text for note in notes],
            "block": [a[0].block if a else None for a in at],
            "paragraph": [a[0].paragraph if a else None for a in at],
            "point": [a[0].point_at(a[1]) if a else None for a in at],
            "sentence": [a[0].sentence_at(a[1]) if a else None for a in at],
            "line": [note.line for note in notes],
        }

    @cached_property
    def _searched(self) -> _Searched:
        """The blocks the finders search (see _Searched); never the page's collection line,
        which names the web page's series, not the document's people."""
        collection = self.skeleton.header.collection
        return _Searched([
            w for w in self._where
            if w.section in _NAMED and not (w.section == "header" and w.text == collection)
        ])

    def _located(self, name: str, found: dict[str, list], sections: tuple[str, ...] = _EXTRACTED) -> dict[str, list]:
        """The columns of frame ``name`` from a finder's columns over the searched text."""
        return self._searched.locate(_OWN[name], found, sections)

    @cached_property
    def _references(self) -> dict[str, list]:
        found = find_references(self._searched.text, sender=self.fields["sender"], recipient=self.fields["recipient"])
        return self._located("references", _by_column(found, schema.FRAMES["references"]))

    @cached_property
    def _dates(self) -> dict[str, list]:
        year = citation_year(self.fields["file_citation"])  # for a document printed without a dateline
        found = find_dates(self._searched.text, self.fields["date"], year)
        return self._located("dates", _by_column(found, schema.FRAMES["dates"]))

    @cached_property
    def _mentions(self) -> dict[str, list]:
        return self._located("mentions", mention_columns(self._searched.text), _NAMED)

    @cached_property
    def _leftovers(self) -> dict[str, list]:
        leftovers = self.page.leftovers
        return {
            "line": [left.line for left in leftovers],
            "text": [left.text for left in leftovers],
            "kind": [left.kind for left in leftovers],
        }


# --- public functions ---------------------------------------------------------------------


def read(source: Source | None = None, document: str | None = None, *, text: str | bytes | None = None) -> Cable:
    """A Cable from a path, bytes, or the document's text.

    A path is a PathLike, or a ``str`` naming a file; a ``str`` with a line break, one that
    starts with '<', or one longer than a path can be is the document's text
    (``sources.is_path`` has the rule). ``read(text=...)`` says so explicitly.

    Recognises Avalon Project pages (text or saved HTML), history.state.gov pages,
    FRUS TEI XML (``document`` picks one div of a volume by xml:id, e.g. 'd212') and
    plain text. Raises FileNotFoundError for a missing path and CableFormatError
    (with the line) for input that is not a document of this kind.
    """
    page = open_source(source, document, text=text)
    return Cable(page, parse(page))


def load(document: str | None = None) -> Cable:
    """A built-in document: telegram 1379 of 26 November 1962 (data/telegram_1379.txt) by default,
    or one of the Kennedy–Khrushchev messages beside it by its id ('d79'; ``cablelab.documents()``
    lists them). KeyError for an id that is not built in."""
    if document is None:
        return read(builtin_cable())
    from cablelab.companions import document_path

    return read(document_path(document))


def read_corpus(paths_or_folder: str | PathLike | Iterable[str | PathLike]) -> dict[str, pd.DataFrame]:
    """Many documents as one dict of frames, each with a leading ``doc_id`` column.

    Returns a dict rather than an object so that notebooks can take what they need
    (``frames["points"]``) and pandas does the rest: the keys are 'metadata' (one row
    per document) and every frame of schema.FRAMES. ``doc_id`` is the file's stem. A
    folder is read in name order (``*.txt``, ``*.html``, ``*.htm``, ``*.asp``, ``*.xml``).
    Frames are built once from all documents' values, so cost grows linearly.
    """
    paths = _corpus_paths(paths_or_folder)
    docs = _doc_ids(paths)
    fields: list[dict] = []
    ids: dict[str, list[str]] = {name: [] for name in schema.FRAMES}
    parts: dict[str, list[dict[str, list]]] = {name: [] for name in schema.FRAMES}
    for doc, path in zip(docs, paths):
        cable = read(path)
        fields.append(cable.fields)
        for name in schema.FRAMES:
            columns = cable.columns(name)  # only the values are kept, not the Cable's parse state
            ids[name] += [doc] * _length(columns)
            parts[name].append(columns)
    frames = {"metadata": schema.build("metadata", fields, leading={"doc_id": docs})}
    for name, columns in schema.FRAMES.items():
        joined = {c.name: list(chain.from_iterable(map(itemgetter(c.name), parts[name]))) for c in columns}
        frames[name] = schema.build_columns(name, joined, len(ids[name]), leading={"doc_id": ids[name]})
    return frames


def _doc_ids(paths: list[Path]) -> list[str]:
    """Each file's stem; a stem seen before gets '#2', '#3', ..."""
    seen: dict[str, int] = {}
    docs = []
    for path in paths:
        doc = path.name.split(".")[0]
        seen[doc] = seen.get(doc, 0) + 1
        docs.append(doc if seen[doc] == 1 else f"{doc}#{seen[doc]}")
    return docs


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


def _by_column(rows: list[dict], columns: list[schema.Column]) -> dict[str, list]:
    """A finder's rows as lists by key: the frame's own columns, and start and end."""
    keys = [c.name for c in columns if c.name not in schema.LOCATION] + ["start", "end"]
    return {key: [row[key] for row in rows] for key in keys}


def _length(columns: dict[str, list]) -> int:
    return len(next(iter(columns.values())))

