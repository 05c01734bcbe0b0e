"""The document's skeleton: one ordered table of line shapes, read by one small loop.

Each row of ``LINE_SHAPES`` names a shape a line of a FRUS document can have
(collection line, heading, dateline, lead, numbered paragraph, lettered point,
footnote, source note, signature ...) and the zones of the document where it may
occur. ``parse(page)`` reads the lines in order; the first row whose zone allows
it, whose pattern matches and whose handler accepts the line wins. Adding a
variation is adding a row. Every pattern is anchored and linear: no nested
quantifiers, so a 10 MB line or 100,000 markers cost time in proportion.

The fields read out of the lines found (sender, time, addressees, source-note roles) are
header.py's; the text helpers (markers, sentences, names, months) are text.py's.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from cablelab.errors import CableFormatError
from cablelab.header import lead_fields, parties, real_day, times
from cablelab.page import Line, Page
from cablelab.text import MARKER, MONTHS, clip, strip_markers

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
        rf"(?:,\s+{_TIME})?\.?\s*(?:{MARKER})?",
        160,
    ),
    # 'Moscow, undated.': FRUS prints no date; a TEI volume's date attributes may still give one (Page.when).
    _shape("undated", "head", r"[A-Z]", rf"(?P<place>[A-Z][\w.' -]{{0,40}}?),\s+[Uu]ndated\.?\s*(?:{MARKER})?", 80),
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
    _shape("signature", "body", r"[A-Z]", rf"(?P<text>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,3}})(?P<marker>{MARKER})?", 60),
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
        self.header.update(title=title, doc_type=m["doc_type"], **parties(title[len(m["doc_type"]) :]))
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
        if "month" in self.header or not real_day(int(m["year"]), MONTHS.index(m["month"]) + 1, int(m["day"])):
            return False
        place = m["place"].strip() if m["place"] else None
        self.header.update(place=place, year=int(m["year"]), month=MONTHS.index(m["month"]) + 1, day=int(m["day"]))
        if m["h1"]:
            self.header.update(times(m))
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
            found, where = repr(clip(first.text)), first.number
        elif page.leftovers:  # nothing but what a web page adds (a footer, 'Back' links)
            left = page.leftovers[0]
            found, where = f"only the web page's {left.kind.replace('_', ' ')} {clip(left.text)!r}", left.line
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
        if real_day(year, month, day):
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
        found.update(lead_fields(lead.text))
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
