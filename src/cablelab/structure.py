"""The document's skeleton: one ordered table of line shapes, read by one small loop.

Each row of ``LINE_SHAPES`` names a shape a line of a FRUS document can have
(collection line, heading, dateline, lead, numbered paragraph, lettered point,
footnote, source note, signature ...) and the zones of the document where it may
occur. ``parse(page)`` reads the lines in order; the first row whose zone allows
it, whose pattern matches and whose handler accepts the line wins. Adding a
variation is adding a row. Every pattern is anchored and linear: no nested
quantifiers, so a 10 MB line or 100,000 markers cost time in proportion.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Iterator

from cablelab.errors import CableFormatError
from cablelab.sources import Line, Page

MONTHS = (
    "January February March April May June July August September October November December".split()
)
_MONTH = "(?:" + "|".join(MONTHS) + ")"
DOC_TYPES = (
    "Telegram|Circular Telegram|Memorandum|Letter|Message|Oral Message|Editorial Note|Airgram|"
    "Circular Airgram|Paper|Briefing Paper|Position Paper|Talking Paper|Notes?|Minutes|Record|"
    "Summary|Report|Instruction|Despatch|Draft|Intelligence Memorandum|Note Verbale|Aide-M[ée]moire|"
    "Special National Intelligence Estimate|National Intelligence Estimate|Chronology|Statement"
)
_TIME = (
    r"(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s?(?P<ap1>[ap]\.\s?m\.|[ap]m\b)?"
    r"(?:\s?[-–—]\s?(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?)?\s?(?P<ap2>[ap]\.\s?m\.|[ap]m\b|noon|midnight)"
)
_MARKER = r"\(\d{1,3}\)"


@dataclass(frozen=True)
class Shape:
    """A row of the table: a named line shape, the zones it may occur in, its pattern.

    ``first`` is what the line's first character may be (a pattern for one character,
    or the empty string); it lets the loop skip rows that cannot match at a glance.
    """

    name: str
    zones: frozenset[str]
    first: str
    pattern: re.Pattern[str]
    max_len: int = 1_000_000_000  # shapes of short lines are not tried on long ones


def _shape(name: str, zones: str, first: str, pattern: str, max_len: int = 1_000_000_000) -> Shape:
    return Shape(name, frozenset(zones.split()), first, re.compile(pattern), max_len)


# Zones: 'head' before the document's text, 'body' its text, 'notes' after it.
LINE_SHAPES: tuple[Shape, ...] = (
    _shape("blank", "head body notes", r"\s?", r"\s*"),
    _shape("heading", "head", r"[0-9A-Z]", rf"(?:(?P<frus>\d{{1,4}})\.\s+)?(?P<title>(?P<doc_type>{DOC_TYPES})\b.*)", 400),
    _shape("frus_number", "head", r"\d", r"(?P<frus>\d{1,4})\.", 8),
    _shape(
        "dateline",
        "head",
        r"[A-Z]",
        rf"(?:(?P<place>[A-Z][\w.' -]{{0,40}}?),\s+)?(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})"
        rf"(?:,\s+{_TIME})?\.?\s*(?:{_MARKER})?",
        160,
    ),
    # 'Moscow, undated.': FRUS prints no date; a TEI volume's date attributes may still give one (Page.when).
    _shape("undated", "head", r"[A-Z]", rf"(?P<place>[A-Z][\w.' -]{{0,40}}?),\s+[Uu]ndated\.?\s*(?:{_MARKER})?", 80),
    _shape("field", "head", r"[A-Z]", r"(?P<field>SUBJECT|PARTICIPANTS|TO|FROM|DATE|PLACE|TIME)\s*:?\s*(?P<text>.*)", 400),
    _shape("field", "head", r"[A-Z]", r"(?P<field>Subject|Participants|To|From|Date|Place|Time):\s*(?P<text>.*)", 400),
    _shape("received", "head", r"R", r"Received\b.{0,200}"),
    _shape("bullet", "head", r"[\s•·*–-]", r"\s*[•·*–-]\s+(?P<text>\S.*)", 400),
    _shape("collection", "head", r"[A-Z]", r"(?P<text>[A-Z][^.:;]{2,80})", 82),
    _shape("source_note", "head body notes", r"S", r"Source:\s*(?P<text>.*)"),
    _shape("footnote_item", "body notes", r"\s", r"\s{1,8}(?P<number>\d{1,3})\.\s+(?P<text>\S.*)"),
    _shape("footnote", "body notes", r"\d", r"(?P<number>\d{1,3})\s+(?P<text>\S.*)"),
    _shape("lead", "body", r"[0-9A-Z]", r"(?P<number>[A-Z]{2,8}\s\d{1,6}(?:-\d{2})?|\d{2,6}(?:-\d{2})?)\.?(?:\s+(?P<text>\S.*))?"),
    _shape("numbered", "body", r"\d", r"(?P<number>\d{1,3})\.\s+(?P<text>\S.*)"),
    _shape("point", "body", r"\(", r"\((?P<label>[a-z])\)\s*(?P<text>\S.*)"),
    _shape("point", "body", r"[A-H]", r"(?P<label>[A-H])\.\s+(?P<text>\S.*)"),
    _shape("signature", "body", r"[A-Z]", rf"(?P<text>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}})(?P<marker>{_MARKER})?", 60),
    _shape("paragraph", "body", r"\S", r"(?P<text>\S.*)"),
    _shape("continued", "notes", r"\S", r"(?P<text>\S.*)"),
)


# --- the skeleton -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """A block of text: a header line, a body paragraph, a footnote or the source note."""

    section: str  # schema.SECTIONS
    kind: str  # schema.BLOCK_KINDS
    text: str
    line: int
    paragraph: int | None = None
    footnote: int | None = None


@dataclass(frozen=True, slots=True)
class Point:
    """A lettered point: its paragraph's block id, label, and span in that block's text."""

    block: int
    label: str
    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Footnote:
    """An editorial note: its number, text, line, and the id of its own block."""

    number: int
    text: str
    line: int
    block: int


@dataclass(frozen=True, slots=True)
class Header:
    """What the heading, the dateline and the lead say about the document."""

    collection: str | None = None
    title: str | None = None
    doc_type: str | None = None
    sender: str | None = None
    recipient: str | None = None
    frus_number: int | None = None
    place: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    time: str | None = None
    time_end: str | None = None
    number: str | None = None
    addressees: tuple[str, ...] = ()
    subject: str | None = None
    participants: tuple[str, ...] = ()
    received: str | None = None


@dataclass(frozen=True)
class Skeleton:
    """A parsed document: header, blocks in reading order, points, footnotes, source note."""

    header: Header
    blocks: tuple[Block, ...]
    points: tuple[Point, ...]
    footnotes: tuple[Footnote, ...]
    source_note: str | None
    complete: bool
    markers: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # footnote -> (block, start, end)


# --- the reader -------------------------------------------------------------------------


_POINT_HOLDERS = frozenset({"lead", "numbered", "unnumbered"})


class _Reader:
    """State of one pass over the lines; ``on_<shape>`` handlers return False to decline."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.zone = "head"
        self.header: dict[str, object] = {}
        self.field: str | None = None  # header field a bullet line continues
        self.blocks: list[dict] = []  # mutable while reading; frozen at the end
        self.points: list[list] = []  # [block, label, start, line]
        self.footnotes: list[list] = []  # [number, block]
        self.markers: set[int] = set()
        self.previous_blank = True
        self.footnote_base: int | None = None
        self.body_count = 0  # body blocks so far

    # Blocks under construction -------------------------------------------------------
    def open(self, section: str, kind: str, text: str, line: int, paragraph=None, footnote=None) -> None:
        self.body_count += section == "body"
        self.blocks.append(
            {"section": section, "kind": kind, "parts": [text], "length": len(text) + 1, "line": line, "paragraph": paragraph, "footnote": footnote}
        )

    def current(self, section: str) -> dict | None:
        return self.blocks[-1] if self.blocks and self.blocks[-1]["section"] == section else None

    # Handlers -------------------------------------------------------------------------
    def on_blank(self, m: re.Match, line: Line) -> bool:
        return True

    def on_heading(self, m: re.Match, line: Line) -> bool:
        if "title" in self.header:
            return False
        title = strip_markers(m["title"]).strip()
        self.header.update(title=title, doc_type=m["doc_type"], **_parties(title[len(m["doc_type"]) :]))
        if m["frus"]:
            self.header["frus_number"] = int(m["frus"])
        self.open("header", "header", m.group().strip(), line.number)
        return True

    def on_frus_number(self, m: re.Match, line: Line) -> bool:
        if "frus_number" in self.header:
            return False
        self.header["frus_number"] = int(m["frus"])
        return True

    def on_dateline(self, m: re.Match, line: Line) -> bool:
        if "month" in self.header or not _real_day(int(m["year"]), MONTHS.index(m["month"]) + 1, int(m["day"])):
            return False
        place = m["place"].strip() if m["place"] else None
        self.header.update(place=place, year=int(m["year"]), month=MONTHS.index(m["month"]) + 1, day=int(m["day"]))
        if m["h1"]:
            self.header.update(_times(m))
        self.open("header", "header", m.group().strip(), line.number)
        return True

    def on_undated(self, m: re.Match, line: Line) -> bool:
        if self.header.keys() & {"month", "place"}:
            return False
        self.header["place"] = m["place"].strip()
        self.open("header", "header", m.group().strip(), line.number)
        return True

    def on_field(self, m: re.Match, line: Line) -> bool:
        name = m["field"].lower()
        self.field = name
        if m["text"].strip():
            self.add_field(name, m["text"].strip())
        self.open("header", "header", line.text.strip(), line.number)
        return True

    def add_field(self, name: str, value: str) -> None:
        value = strip_markers(value).strip()
        if name == "subject":
            self.header["subject"] = f"{self.header['subject']} {value}" if self.header.get("subject") else value
        elif name == "participants":
            self.header.setdefault("participants", []).append(value)  # type: ignore[union-attr]
        elif name in {"to", "from"}:
            self.header.setdefault("recipient" if name == "to" else "sender", value)

    def on_received(self, m: re.Match, line: Line) -> bool:
        self.header["received"] = m.group().strip()
        self.open("header", "header", m.group().strip(), line.number)
        return True

    def on_bullet(self, m: re.Match, line: Line) -> bool:
        if self.field is None:
            return False
        self.add_field(self.field, m["text"])
        self.extend(self.blocks[-1], line.text.strip())
        return True

    def on_collection(self, m: re.Match, line: Line) -> bool:
        if self.header.keys() & {"title", "month", "collection"}:
            return False
        self.header["collection"] = m["text"].strip()
        self.open("header", "header", m["text"].strip(), line.number)
        return True

    def on_source_note(self, m: re.Match, line: Line) -> bool:
        self.zone = "notes"
        self.open("source", "source_note", m["text"].strip(), line.number)
        return True

    def on_footnote_item(self, m: re.Match, line: Line) -> bool:
        if not self.page.numbered_notes:
            return False  # an indented '1.' is a footnote list item only on history.state.gov and TEI pages
        text = m["text"].strip()
        printed = int(m["number"])
        if self.footnote_base is None:
            # history.state.gov prints its notes as a list 1., 2., ...; the source note is note 0.
            self.footnote_base = printed if text.startswith("Source:") else printed - 1
        number = printed - self.footnote_base
        self.zone = "notes"
        if number == 0 and text.startswith("Source:"):
            self.open("source", "source_note", text.removeprefix("Source:").strip(), line.number, footnote=0)
        else:
            self.open("footnote", "footnote", text, line.number, footnote=number)
        self.footnotes.append([number, len(self.blocks) - 1])
        return True

    def on_footnote(self, m: re.Match, line: Line) -> bool:
        number = int(m["number"])
        last = self.footnotes[-1][0] if self.footnotes else None
        if number not in self.markers and not (last is not None and number == last + 1):
            return False
        self.zone = "notes"
        self.open("footnote", "footnote", m["text"].strip(), line.number, footnote=number)
        self.footnotes.append([number, len(self.blocks) - 1])
        return True

    def on_lead(self, m: re.Match, line: Line) -> bool:
        if self.body_count or "number" in self.header:
            return False
        self.header["number"] = m["number"]
        self.open("body", "lead", (m["text"] or "").strip(), line.number)
        return True

    def on_numbered(self, m: re.Match, line: Line) -> bool:
        if not self.previous_blank and self.current("body"):
            return False
        self.open("body", "numbered", m["text"].strip(), line.number, paragraph=int(m["number"]))
        return True

    def on_point(self, m: re.Match, line: Line) -> bool:
        block = self.blocks[-1] if self.blocks else None
        if block is None or block["section"] != "body" or block["kind"] not in _POINT_HOLDERS:
            return False
        index = len(self.blocks) - 1
        last = self.points[-1] if self.points and self.points[-1][0] == index else None
        label = m["label"].lower()
        if label != (chr(ord(last[1]) + 1) if last else "a"):
            return False
        self.points.append([index, label, block["length"] + m.start("text"), line.number])
        self.extend(block, line.text.strip())
        return True

    def extend(self, block: dict, text: str) -> None:
        block["parts"].append(text)
        block["length"] += len(text) + 1

    def on_signature(self, m: re.Match, line: Line) -> bool:
        if not self.body_count or not self.previous_blank:
            return False
        self.open("body", "signature", m.group().strip(), line.number)
        return True

    def on_paragraph(self, m: re.Match, line: Line) -> bool:
        text = line.text.strip()
        block = self.current("body")
        if block is not None and not self.previous_blank:
            self.extend(block, text)
        else:
            kind = "quoted" if text[0] in "\"“‘'" else "unnumbered"
            self.open("body", kind, text, line.number)
        return True

    def on_continued(self, m: re.Match, line: Line) -> bool:
        if not self.blocks:
            return False
        self.extend(self.blocks[-1], line.text.strip())
        return True

    # The loop -------------------------------------------------------------------------
    def read(self, lines: tuple[Line, ...]) -> None:
        for line in lines:
            text = line.text
            if not text:  # a blank line (lines come without trailing space): half of most pages
                self.previous_blank = True
                continue
            for shape in _candidates(self.zone, text[:1]):
                if len(text) <= shape.max_len and (m := shape.pattern.fullmatch(text)) and getattr(self, f"on_{shape.name}")(m, line):
                    break
            else:
                # No head shape fits: the document's text has begun; read the line again there.
                if self.zone == "head":
                    self.zone = "body"
                    self.read((line,))
                    continue
            if self.zone != "notes" and "(" in text:
                self.markers.update(int(n) for n in _GLUED_MARKER.findall(text))
            self.previous_blank = not text or text.isspace()


@functools.cache
def _candidates(zone: str, first: str) -> tuple[Shape, ...]:
    """The rows that may apply in a zone to a line starting with ``first``, worked out once."""
    return tuple(s for s in LINE_SHAPES if zone in s.zones and re.fullmatch(s.first, first))


# Starts with the literal '(' so the engine can skip ahead to candidates.
_GLUED_MARKER = re.compile(r"\((?<=[^\s(]\()(\d{1,3})\)")
_BARE_MARKER = re.compile(r"(?<=[A-Za-z.,;:!?)\]\"”’'])(\d{1,3})(?=[\s.,;:!?)\"”’']|$)")
_FOOTNOTE_ITEM = LINE_SHAPES[[s.name for s in LINE_SHAPES].index("footnote_item")].pattern


def _glue_bare_markers(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """history.state.gov prints markers as digits glued to words ('Rusk0'): write them '(0)'.

    Only numbers the page's own footnote list holds are taken, so '12/62' or 'd257'
    are left alone.
    """
    items = [(i, m) for i, line in enumerate(lines) if (m := _FOOTNOTE_ITEM.fullmatch(line.text))]
    if not items:
        return lines
    first = items[0][1]
    base = int(first["number"]) - (0 if first["text"].startswith("Source:") else 1)
    numbers = {str(int(m["number"]) - base) for _, m in items}

    def glue(match: re.Match[str]) -> str:
        return f"({match.group(1)})" if match.group(1) in numbers else match.group()

    end = items[0][0]
    text = [_BARE_MARKER.sub(glue, line.text) for line in lines[:end]]
    _glue_after_digits(text, sorted(int(n) for n in numbers))
    return tuple(Line(line.number, t) for line, t in zip(lines, text)) + lines[end:]


def _glue_after_digits(text: list[str], numbers: list[int]) -> None:
    """Markers glued to a number ('October 282', 'Deptel 13593'), found in order.

    Such a marker cannot be told from the number by itself; markers run in order,
    so for each note still without one, the first number ending in its digits after
    the previous note's marker is taken (a year such as '1962' never is).
    """
    where = (0, 0)  # (line, offset) just past the last marker seen
    for n in numbers:
        found = _marker_position(text, f"({n})")
        if found is None:
            pattern = re.compile(rf"(?<=\d){n}(?=[\s.,;:!?)\"”’']|$)")
            found = _first_after(text, pattern, where, n)
        if found is not None:
            where = found


def _marker_position(text: list[str], marker: str) -> tuple[int, int] | None:
    for i, line in enumerate(text):
        at = line.find(marker)
        if at >= 0:
            return i, at + len(marker)
    return None


def _first_after(text: list[str], pattern: re.Pattern[str], where: tuple[int, int], n: int) -> tuple[int, int] | None:
    for i in range(where[0], len(text)):
        for m in pattern.finditer(text[i], where[1] if i == where[0] else 0):
            number = re.search(r"\d+$", text[i][: m.end()]).group()
            if re.fullmatch(r"1[89]\d\d", number):
                continue  # a year, not a number with a marker
            text[i] = f"{text[i][: m.start()]}({n}){text[i][m.end():]}"
            return i, m.start() + len(str(n)) + 2
    return None


def parse(page: Page) -> Skeleton:
    """The skeleton of a page; CableFormatError when it is not a document of this kind."""
    lines = _glue_bare_markers(page.lines) if page.bare_markers else page.lines
    reader = _Reader(page)
    reader.read(lines)
    header = reader.header
    if not header.keys() & {"title", "month", "number"}:
        first = next((line for line in lines if line.text.strip()), None)
        if first is not None:
            found, where = repr(_clip(first.text)), first.number
        elif page.leftovers:  # nothing but what a web page adds (a footer, 'Back' links)
            left = page.leftovers[0]
            found, where = f"only the web page's {left.kind.replace('_', ' ')} {_clip(left.text)!r}", left.line
        else:
            found, where = "no text", None
        raise CableFormatError(
            "expected a FRUS document: a heading like 'Telegram From the Department of State to the Mission "
            f"to the United Nations' or a dateline like 'Washington, November 26, 1962, 9:28 p.m.', found {found}",
            line=where,
            source=page.name,
        )
    if "month" not in header and page.when:
        # No date in the text; the volume's own dating of the document stands in for it.
        year, month, day = map(int, page.when.split("-"))
        if _real_day(year, month, day):
            header.update(year=year, month=month, day=day)
    return _freeze(reader, header)


def _freeze(reader: _Reader, found: dict) -> Skeleton:
    """Frozen blocks, points, footnotes and header from the reader's working state."""
    blocks = tuple(
        Block(b["section"], b["kind"], "\n".join(b["parts"]), b["line"], b["paragraph"], b["footnote"]) for b in reader.blocks
    )
    points = _points(reader.points, blocks)
    footnotes = tuple(Footnote(n, blocks[i].text, blocks[i].line, i) for n, i in reader.footnotes)
    source = next((b for b in blocks if b.kind == "source_note"), None)
    lead = next((b for b in blocks if b.section == "body"), None)
    if lead is not None and lead.kind == "lead":
        found.update(_lead_fields(lead.text))
    found["participants"] = tuple(found.get("participants", ()))
    markers = _find_markers(blocks, {f.number for f in footnotes})
    last_body = next((b for b in reversed(blocks) if b.section == "body"), None)
    editorial = (found.get("doc_type") or "") == "Editorial Note"  # editorial notes have no source note
    complete = (
        (source is not None or editorial)
        and set(markers) <= {f.number for f in footnotes}
        # An editor's bracketed note ('[Here follow ... Document 196.]') may close a document.
        and (last_body is None or last_body.kind == "signature" or last_body.text.rstrip()[-1:] in ".:;?!\"”')]")
    )
    return Skeleton(Header(**found), blocks, points, footnotes, source.text if source else None, complete, markers)


def _points(working: list[list], blocks: tuple[Block, ...]) -> tuple[Point, ...]:
    """Points on lines of their own, else inline '(a) ... (b) ...' in a paragraph."""
    points: list[Point] = []
    by_block: dict[int, list[list]] = {}
    for row in working:
        by_block.setdefault(row[0], []).append(row)
    for index, block in enumerate(blocks):
        rows = by_block.get(index)
        if rows:
            starts = [r[2] for r in rows]
            # A point runs to the newline before the next point's '(b)' marker.
            ends = [block.text.rfind("\n", 0, s) for s in starts[1:]] + [len(block.text)]
            points += [Point(index, r[1], r[2], e, r[3]) for r, e in zip(rows, ends)]
        elif block.section == "body" and block.kind in {"lead", "numbered", "unnumbered"}:
            points += [Point(index, label, s, e, block.line) for label, s, e in inline_points(block.text)]
    return tuple(points)


# The literal '(' comes first so the engine jumps from one '(' to the next; the lookbehind after
# it (a space or the start before the '(') matches exactly what a leading lookbehind would.
_INLINE_POINT = re.compile(r"\((?<=(?<!\S)\()([a-z])\)\s+")


def inline_points(text: str) -> list[tuple[str, int, int]]:
    """'(a) ... (b) ...' within a paragraph: (label, start, end), when at least (a) and (b) are there."""
    found: list[tuple[str, int, int]] = []
    expected = "a"
    for m in _INLINE_POINT.finditer(text):
        if m.group(1) == expected:
            found.append((expected, m.end(), m.start()))
            expected = chr(ord(expected) + 1)
    if len(found) < 2:
        return []
    ends = [marker for _, _, marker in found[1:]] + [len(text)]
    return [(label, start, _trim_end(text, start, end)) for (label, start, _), end in zip(found, ends)]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _find_markers(blocks: tuple[Block, ...], numbers: set[int]) -> dict[int, tuple[int, int, int]]:
    """Where each footnote's '(n)' marker sits: footnote -> (block, start, end); first one wins."""
    markers: dict[int, tuple[int, int, int]] = {}
    for index, block in enumerate(blocks):
        if block.section not in {"header", "body"}:
            continue
        for m in _GLUED_MARKER.finditer(block.text):
            markers.setdefault(int(m.group(1)), (index, m.start(), m.end()))
    return markers


# --- header, lead and source note fields ------------------------------------------------

# A letter's salutation opening one of its first body paragraphs: 'Dear Mr. President, I ...',
# or a quoted letter's '"Dear Mr. Chairman:' after a telegram's lead.
_OPENING = re.compile(r"[\"“]?(?P<opening>Dear [A-Z][\w.'’ -]{0,40}?)\s*[,:]")
_OPENING_WITHIN = 3  # body paragraphs searched


def opening(blocks: Iterable[Block]) -> str | None:
    """A letter's salutation ('Dear Mr. President'), from the start of one of its first body
    paragraphs; None for a document that opens without one."""
    body = [b for b in blocks if b.section == "body"][:_OPENING_WITHIN]
    found = next((m for b in body if (m := _OPENING.match(b.text))), None)
    return found["opening"] if found else None


# Words that end a name containing ' to ' ("Mission to the United Nations").
_TO_COMPOUNDS = {"Mission", "Representative", "Ambassador", "Delegation", "Embassy", "Assistant", "Adviser", "Envoy", "Delegate"}


def _parties(rest: str) -> dict[str, str]:
    """Sender and recipient from a heading's 'From X to Y' (names containing ' to ' kept whole)."""
    rest = rest.strip()
    if not rest.startswith(("From ", "from ", "to ", "To ")):
        return {}
    words = rest.split(" ")
    if words[0].lower() == "to":
        return {"recipient": _name(" ".join(words[1:]))}
    words = words[1:]
    for i, word in enumerate(words):
        if word == "to" and i > 0 and words[i - 1] not in _TO_COMPOUNDS:
            return {"sender": _name(" ".join(words[:i])), "recipient": _name(" ".join(words[i + 1 :]))}
    return {"sender": _name(" ".join(words))}


def _name(text: str) -> str:
    text = strip_markers(text).strip().rstrip(".")
    return text[4:] if text.startswith("the ") else text


_MARKERS = re.compile(_MARKER)


def strip_markers(text: str) -> str:
    """``text`` without its footnote markers ('John F. Kennedy(1)' -> 'John F. Kennedy')."""
    return _MARKERS.sub("", text) if "(" in text else text


def _real_day(year: int, month: int, day: int) -> bool:
    """A calendar day in the range FRUS covers (and pandas' nanosecond Timestamps hold)."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1800 <= year <= 2100


def _times(m: re.Match) -> dict[str, str]:
    """'HH:MM' start (and end of a range) from a dateline's time."""
    end_ap = (m["ap2"] or "").replace(" ", "").replace(".", "")
    start_ap = (m["ap1"] or "").replace(" ", "").replace(".", "") or end_ap
    h1, h2 = int(m["h1"]), int(m["h2"]) if m["h2"] else None
    if not m["ap1"] and h2 is not None and end_ap == "pm" and h1 > h2 and h1 != 12:
        start_ap = "am"  # '11:30-1:15 p.m.' starts in the morning
    times = {"time": _clock(h1, m["m1"], start_ap)}
    if h2 is not None:
        times["time_end"] = _clock(h2, m["m2"], end_ap)
    return {key: value for key, value in times.items() if value is not None}


def _clock(hour: int, minutes: str | None, meridiem: str) -> str | None:
    """'HH:MM' on a 24-hour clock; None for a time no clock shows ('5:83 p.m.')."""
    if not (0 <= int(minutes or 0) <= 59 and (0 <= hour <= 12 if meridiem else 0 <= hour <= 23)):
        return None
    if meridiem == "pm" and hour != 12:
        hour += 12
    elif meridiem in {"am", "midnight"} and hour == 12:
        hour = 0
    return f"{hour:02d}:{int(minutes or 0):02d}"


# Sentences of a lead that name its addressees, first match wins.
_ADDRESSEES = (
    re.compile(r"(?:(?:Literally )?[Ee]yes [Oo]nly |Personal |Please deliver |)[Ff]or (?:the )?(?P<names>[A-Z].*?)(?: from (?P<sender>[A-Z].*?))?\.?"),
    re.compile(r"(?:Please )?[Dd]eliver to (?P<names>[A-Z][\w.]*(?: [A-Z][\w.]*)*)(?: personally)?(?: .*)?\.?"),
)
_TITLES = re.compile(r"^(?:the |Ambassador |Governor |Mr\. |Mrs\. |Dr\. |Senator |General )+")
_SUBJECT = re.compile(r"\bSubject:\s*(?P<subject>[^(.\n]{1,200}?)\s*(?:\(|\.|\n|$)")


def _lead_fields(text: str) -> dict[str, object]:
    """Addressees and subject from a lead ('For Stevenson and McCloy. Subject: ...')."""
    found: dict[str, object] = {}
    for start, end in sentences(text[:600])[:3]:
        sentence = strip_markers(text[start:end]).strip()
        for pattern in _ADDRESSEES:
            m = pattern.fullmatch(sentence)
            names = split_names(m["names"]) if m else []
            if names and all(n[:1].isupper() for n in names):
                found["addressees"] = tuple(_TITLES.sub("", n) for n in names)
                break
        if "addressees" in found:
            break
    subject = _SUBJECT.search(text[:600])
    if subject:
        found["subject"] = subject["subject"].strip()
    return found


_NAME_SEPARATORS = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_NAME_FILLER = re.compile(r"^(?:and |with |by )+|\s+in substance$|^the ")


def split_names(text: str) -> list[str]:
    """'U. Alexis Johnson and with Rusk in substance' -> ['U. Alexis Johnson', 'Rusk']."""
    names = []
    for part in _NAME_SEPARATORS.split(text):
        part = _NAME_FILLER.sub("", part.strip()).strip(" .;")
        if part:
            names.append(part)
    return names


_LEVELS = re.compile(r"(?:Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|Unclassified)\b")
# Who did what to the paper: 'Drafted by X', 'Drafted and approved by X', 'cleared in substance with Y'.
_ROLES = re.compile(
    r"\b(?P<verb>Drafted(?: and (?:approved|cleared))?|[Cc]leared|[Aa]pproved)(?: in substance)?\s+(?:by|with)\s+"
)


def source_note_fields(note: str | None) -> dict[str, object]:
    """File citation, markings, drafters, clearances, approval and 'Received' from a source note."""
    if not note:
        return {}
    found: dict[str, object] = {}
    spans = sentences(note[:4000])  # a source note is a few lines; a runaway one is not read whole
    texts = [note[s:e].strip() for s, e in spans]
    if texts:
        found["file_citation"] = texts[0].rstrip(".")
    for sentence in texts[1:]:
        parts = [p.strip() for p in sentence.rstrip(".").split(";")]
        if _LEVELS.match(sentence) and all(len(p.split()) <= 4 for p in parts) and "classification" not in found:
            found["classification"] = parts
        elif sentence.startswith("Received") and "received" not in found:
            found["received"] = sentence
        elif _ROLES.search(sentence):
            _roles(sentence, found)
    return found


# Archive keys that end in a date: Central Files '737.56361/11-2662' (month-dayyear),
# folders such as 'Cuba, General, 12/62' (month/year).
_CITATION_YEAR = re.compile(r"/\d{1,2}-\d{2}(\d{2})\b|\b\d{1,2}/(\d{2})\b(?!/)")


def citation_year(citation: str | None) -> int | None:
    """The year a file citation's archive key gives ('.../11-2662' or '12/62' -> 1962), else None.

    Used to date 'October 27' in a document printed without a dateline.
    """
    found = list(_CITATION_YEAR.finditer(citation or ""))
    if not found:
        return None
    last = found[-1]
    return 1900 + int(last.group(1) or last.group(2))


_TRAILING_AND = re.compile(r"(?:[,;]\s*|\s+)and$|[,;]$")


_VERBS = re.compile(r"drafted|approved|cleared")


def _roles(sentence: str, found: dict[str, object]) -> None:
    matches = list(_ROLES.finditer(sentence))
    for m, nxt in zip(matches, [*matches[1:], None]):
        names = sentence[m.end() : nxt.start() if nxt else len(sentence)]
        names = _TRAILING_AND.sub("", names.strip().rstrip("."))
        for verb in _VERBS.findall(m["verb"].lower()):
            key = f"{verb}_by"
            found[key] = [*found.get(key, []), *split_names(names)]  # type: ignore[misc]


# --- sentences --------------------------------------------------------------------------

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "a.m p.m pp p no nos vol vols mr mrs ms dr st gen adm amb sec dept u.s u.n i.e e.g cf viz jr sr messrs "
    "lt col capt maj sgt ft ed eds ca al fig art para paras op cit ibid approx".split()
)
# A newline, or a stop with its closing quotes and marker before the next sentence. It
# begins with one character set (the rest tested after it), so that the regex engine can
# skip in C to the few stops and newlines instead of trying each position.
_BOUNDARY = re.compile(r"[.?!\n](?:(?<=\n)|[\"'”’)\]]*(?:\(\d{1,3}\))?(?=\s+[\"'“‘(\[]?[A-Z0-9]))")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of a block's text, stops inside names and abbreviations kept.

    Handles 'U. Alexis Johnson', 'p.m.', 'pp. 446-447', 'Document 210', and a
    colon before a new line of points; newlines always end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == "." and _no_stop(text, m.start()):
            continue
        stop = m.end()
        _add_trimmed(spans, text, start, stop)
        start = stop
    _add_trimmed(spans, text, start, len(text))
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append the span start..end without its white space at either end, if anything is left."""
    if start < end and not text[start].isspace() and not text[end - 1].isspace():
        spans.append((start, end))  # most sentences: nothing to trim, nothing to copy
        return
    segment = text[start:end]
    kept = segment.rstrip()
    if kept:
        spans.append((start + len(kept) - len(kept.lstrip()), start + len(kept)))


_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))
# The word before a full stop: what follows the last space, '(' or opening quote (12 characters at most).
_WORD_BEFORE = re.compile(r"[^\s(\"“]*\Z")


def _no_stop(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` belongs to an initial or an abbreviation."""
    if dot > _LONGEST_ABBREVIATION and text[dot - _LONGEST_ABBREVIATION - 1 : dot].isalpha():
        return False  # a word longer than any abbreviation: most full stops, told at once
    word = _WORD_BEFORE.search(text, max(dot - 12, 0), dot).group()
    if len(word) == 1 and word.isupper():
        return True  # an initial: 'U. Alexis Johnson', 'John F. Kennedy'
    return word.lower() in _ABBREVIATIONS


def head_words(text: str, exact: Iterable[str] = (), any_case: Iterable[str] = ()) -> list[tuple[int, str]]:
    """Whole words of ``text`` that contain one of the needles: (start, word), in reading order.

    A finder whose shapes all begin with known words (a month, 'urtel', 'today') tries its
    patterns only at these. ``exact`` needles are found as written, ``any_case`` ones
    (lower case) in any case. Whole words: no letter, digit or '_' touches either end.

    Needles are found in C, several times faster than a regex trying each word at every
    position: words such as 'today' or 'deptel' begin with letters so common that a regex
    engine has nothing to skip. ``exact`` needles (capitalised, as month names are) make one
    alternation, which the engine jumps through by their first letters; ``any_case`` ones
    are found by str.find in the lower-cased text.
    """
    hits: list[int] = []
    if exact:
        hits += [m.start() for m in _alternation(tuple(exact)).finditer(text)]
    if any_case:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters grow when lower-cased ('İ'): keep those as they are
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        for needle in any_case:
            at = lowered.find(needle)
            while at >= 0:
                hits.append(at)
                at = lowered.find(needle, at + len(needle))
    starts = set()
    for start in hits:  # back to the start of the word holding the needle
        while start and text[start - 1].isalpha():
            start -= 1
        starts.add(start)
    words = []
    for start in sorted(starts):
        if start and _is_word_char(text[start - 1]):
            continue
        word = _LETTERS.match(text, start).group()
        end = start + len(word)
        if end < len(text) and _is_word_char(text[end]):
            continue
        words.append((start, word))
    return words


_LETTERS = re.compile(r"[^\W\d_]*")

# What a finder tries at a head word: (text, the word's start, the word, where a match may
# begin at the earliest) -> (shape name, match) or None.
MatchAt = Callable[[str, int, str, int], "tuple[str, re.Match[str]] | None"]


def scan(text: str, words: Iterable[tuple[int, str]], match_at: MatchAt) -> Iterator[tuple[str, re.Match[str]]]:
    """(name, match) of what ``match_at`` finds at each of ``words`` (``head_words``), in
    reading order, none overlapping another."""
    end = 0
    for start, word in words:
        if start < end:
            continue  # inside the last match
        found = match_at(text, start, word, end)
        if found is not None:
            end = found[1].end()
            yield found


@functools.cache
def _alternation(needles: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, needles)))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _clip(text: str, width: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= width else text[: width - 1] + "…"
