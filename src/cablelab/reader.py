"""The reader's edition: the whole telegram in one view, readable by a 15-year-old.

    import cablelab
    cablelab.reader.edition()                            # in a notebook: the whole cable, one view
    cablelab.reader.edition_html(standalone=True)        # a printable one-page HTML document

What it shows, from three teacher-editable files in ``data/`` (see data/README.md):

- ``reader_edition.csv``: the words telegraphese drops, put back in brackets
  (``[We are] prepared for prompt wind-up…``). Each row names a paragraph or point, the exact
  phrase of the cable and the same phrase with bracketed insertions; the cable is never
  retyped. On load each row is checked against the built-in cable: the phrase must be found,
  once, where the row says, and the bracketed version with its brackets taken out
  (:func:`strip_brackets`) must give the phrase back.
- ``headnote.csv``: who wrote it, to whom, when, why, and what it cannot tell, each with sources.
- ``vocabulary.csv``: the hard words, in plain English; each must occur where its row says.

Telegraphese abbreviations ('urtel', 'SYG') are expanded in brackets from the glossary
(``cablelab.glossary``), after the word, which stays. Footnotes and the source note are the
FRUS editors' additions and are set apart. The curated brackets, notes, headnote and word box
describe telegram 1379 (``curated.applies_to``); another document gets its whole text with
its abbreviations expanded, a headnote made from its own header, and a sentence saying what
does not apply. Every piece of text is escaped (markupsafe); the page loads nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from jinja2 import Environment
from markupsafe import Markup, escape

from cablelab import curated
from cablelab.errors import CableFormatError
from cablelab.glossary import find_terms
from cablelab.text import strip_markers

EDITION_FILE = "reader_edition.csv"
VOCABULARY_FILE = "vocabulary.csv"
HEADNOTE_FILE = "headnote.csv"
HEADNOTE_PARTS = ["who", "to", "when", "why", "limits"]

CENTRAL_QUESTION = ("A month after Khrushchev agreed to remove the missiles, why were Washington and Moscow "
                    "still unable to close the deal?")
TEXT_SOURCE = ("Foreign Relations of the United States, 1961–1963, vol. XI, document 212, as printed by the "
               "Avalon Project (Yale Law School), msc_cuba212.asp.")
BRACKETS_SENTENCE = ("Words in [brackets] are added to help you read: the words telegraphese leaves out, and "
                     "what its abbreviations stand for. Everything else is the 1962 text, word for word.")
NOT_THIS_DOCUMENT = ("The headnote, the words put back in brackets, the notes and the word box's explanations were "
                     "written for telegram {seed} and do not apply to {name}. Shown here: its whole text, with its "
                     "abbreviations expanded in [brackets] from the glossary, and a headnote read from its own header.")
EDITORS_SENTENCE = ("Added by the editors of Foreign Relations of the United States when they published the "
                    "telegram; not part of the 1962 text.")

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


# ---------------------------------------------------------------- rendering the text


@dataclass(frozen=True)
class _Span:
    """What replaces the cable's text from ``start`` to ``end`` of a block: a curated phrase or a marker."""

    start: int
    end: int
    reader: str | None = None
    note: str | None = None
    marker: int | None = None


def _glossed(text: str, skip_last: bool = False) -> Markup:
    """Escaped text with each glossary abbreviation followed by its expansion in brackets.

    ``skip_last``: an abbreviation ending the text is left alone (a curated insertion follows it).
    """
    out, last = [], 0
    for term in find_terms(text):
        if skip_last and not text[term["end"]:].strip():
            continue
        out += [escape(text[last:term["start"]]),
                Markup('<abbr title="{0}">{1}</abbr><span class="cr-ins cr-exp"> [{0}]</span>').format(
                    term["expansion"], term["surface"])]
        last = term["end"]
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _reader_phrase(reader: str) -> Markup:
    pieces = segments(reader)
    out = []
    for i, (text, inserted) in enumerate(pieces):
        if inserted:
            out.append(Markup('<span class="cr-ins">{}</span>').format(text))
        else:
            out.append(_glossed(text, skip_last=i + 1 < len(pieces) and pieces[i + 1][1]))
    return Markup("").join(out)


def _line_html(text: str, offset: int, spans: list[_Span]) -> Markup:
    """One line of a block (starting at ``offset`` in it) with its spans applied."""
    out, last = [], 0
    for span in spans:
        start, end = span.start - offset, span.end - offset
        if start < 0 or end > len(text) or start < last:
            continue
        out.append(_glossed(text[last:start]))
        if span.marker is not None:
            out.append(Markup('<sup class="cr-fn"><a href="#cr-fn-{0}" title="Editors\' footnote {0}">{0}</a>'
                              "</sup>").format(span.marker))
        else:
            out.append(_reader_phrase(span.reader or text[start:end]))
            if span.note is not None:
                out.append(Markup('<sup class="cr-rn"><a href="#cr-rn-{0}" title="Reader\'s note {0}">{0}</a></sup>')
                           .format(span.note))
        last = end
    out.append(_glossed(text[last:]))
    return Markup("").join(out)


_POINT_LINE = re.compile(r"^\s*\([a-z]\)\s")


def _block_html(text: str, spans: list[_Span], prefix: str = "") -> Markup:
    """A body block as paragraphs: its first line, then each further line (a lettered point) apart."""
    out, offset = [], 0
    for n, line in enumerate(text.split("\n")):
        css = "cr-point" if n and _POINT_LINE.match(line) else "cr-para" if not n else "cr-cont"
        number = Markup('<span class="cr-num">{}</span> ').format(prefix) if prefix and not n else ""
        out.append(Markup('<p class="{}">{}{}</p>').format(css, number, _line_html(line, offset, spans)))
        offset += len(line) + 1
    return Markup("").join(out)


def _spans(cable, curated_rows: list[dict]) -> dict[int, list[_Span]]:
    """Every block's spans: the curated phrases (when they apply) and the footnote markers."""
    by_block: dict[int, list[_Span]] = {}
    for number, (block, start, end) in cable.skeleton.markers.items():
        by_block.setdefault(block, []).append(_Span(start, end, marker=number))
    where = passage_map(cable)
    for row in curated_rows:
        passage = where.get(row["where"])
        at = passage.text.find(row["original"]) if passage else -1
        if at < 0:
            continue  # a phrase of another copy of the telegram that this copy prints otherwise
        start = passage.start + at
        by_block.setdefault(passage.block, []).append(
            _Span(start, start + len(row["original"]), row["reader"], row.get("note_label")))
    return {block: sorted(spans, key=lambda s: s.start) for block, spans in by_block.items()}


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class _Headnote:
    heading: str
    text: str
    source: str


def _doc_name(cable) -> str:
    """'telegram 1379', 'memorandum', 'this document'."""
    meta = cable.metadata
    kind = str(meta.get("doc_type") or "document").lower()
    number = meta.get("number")
    return f"{kind} {number}" if isinstance(number, str) and number else f"this {kind}"


def _when(cable) -> str:
    meta = cable.metadata
    date = meta.get("date")
    day = f"{date:%A} {date.day} {date:%B %Y}" if not pd.isna(date) else "no date printed"
    time = f", {date:%-I:%M %p}".replace("AM", "a.m.").replace("PM", "p.m.") if meta.get("time") else ""
    place = f"{meta.get('place')}, " if meta.get("place") else ""
    return f"{place}{day}{time}"


def _plain_list(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else (items[0] if items else "")


def _own_headnote(cable) -> list[_Headnote]:
    """A headnote read from a document's own header and source note (no curated facts)."""
    meta = cable.metadata
    who = [str(meta.get("sender") or "not named in the heading")]
    for role, key in (("drafted by", "drafted_by"), ("cleared by", "cleared_by"), ("approved by", "approved_by"),
                      ("signed", "signed_by")):
        if meta.get(key):
            who.append(f"{role} {_plain_list(list(meta[key]))}")
    to = str(meta.get("recipient") or "not named in the heading")
    if list(meta.get("addressees") or []):
        to += f" (for {_plain_list(list(meta['addressees']))})"
    source = "the document's heading and source note"
    return [_Headnote("Who wrote it", "; ".join(who) + ".", source), _Headnote("To whom", to + ".", source),
            _Headnote("When", _when(cable) + ".", source)]


def _curated_headnote(folder) -> list[_Headnote]:
    return [_Headnote(r.heading, r.text, r.source) for r in headnote(folder).itertuples()]


def _title(cable, applies: bool) -> str:
    if applies:
        return "Telegram 1379: Washington to New York, 26 November 1962"
    meta = cable.metadata
    return str(meta.get("title") or _doc_name(cable).capitalize())


def _body_blocks(cable, spans: dict[int, list[_Span]]) -> list[Markup]:
    meta = cable.metadata
    body = []
    for i, block in enumerate(cable.skeleton.blocks):
        if block.section != "body":
            continue
        if block.kind == "lead" and meta.get("number"):
            prefix = f"{meta['number']}."
        elif block.kind == "numbered":
            prefix = f"{block.paragraph}."
        else:
            prefix = ""
        css = "cr-signature" if block.kind == "signature" else "cr-block"
        body.append(Markup('<div class="{}">{}</div>').format(css, _block_html(block.text, spans.get(i, []), prefix)))
    return body


def _header_lines(cable) -> tuple[str | None, list[str]]:
    """The editors' title and the other heading lines (the dateline…), without the page's collection line."""
    meta = cable.metadata
    title, lines = None, []
    for block in cable.skeleton.blocks:
        if block.section != "header":
            continue
        text = strip_markers(block.text).strip()
        if text == meta.get("collection"):
            continue
        if text == meta.get("title") and title is None:
            title = text
        else:
            lines.append(text)
    return title, lines


def note_label(number: int) -> str:
    """A reader's note's label: A, B, … Z, then 27, 28, … (the editors' footnotes are numbered)."""
    return chr(ord("A") + number - 1) if 1 <= number <= 26 else str(number)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts, an empty optional cell as '' (never NaN)."""
    return [{key: value if isinstance(value, str) else "" for key, value in row.items()}
            for row in frame.astype("object").to_dict("records")]


def _vocabulary_rows(cable, applies: bool, folder) -> list[dict]:
    words = _records(vocabulary(folder))
    if applies:
        return words
    text = "\n".join(b.text for b in cable.skeleton.blocks if b.section == "body")
    return [{**row, "here": "", "source": ""} for row in words if word_pattern(row["word"]).search(text)]


def page_context(cable=None, folder=None) -> dict:
    """Everything the page shows, as plain values (the template escapes them)."""
    from cablelab.cable import load

    applies = curated.applies_to(cable)
    cable = cable if cable is not None else load()
    rows = _records(insertions(folder)) if applies else []
    notes = []
    for row in rows:
        if row["note"]:
            row["note_label"] = note_label(len(notes) + 1)
            notes.append({"label": row["note_label"], "where": row["where"], "note": row["note"],
                          "source": row["source"]})
    spans = _spans(cable, rows)
    title, heading_lines = _header_lines(cable)
    footnotes = [{"number": f.number, "text": strip_markers(f.text).strip()} for f in cable.skeleton.footnotes]
    return {
        "title": _title(cable, applies),
        "applies": applies,
        "not_this": "" if applies else NOT_THIS_DOCUMENT.format(seed=curated.SEED_NUMBER, name=_doc_name(cable)),
        "question": CENTRAL_QUESTION if applies else "",
        "brackets": BRACKETS_SENTENCE,
        "headnote": _curated_headnote(folder) if applies else _own_headnote(cable),
        "editors_title": title,
        "heading_lines": heading_lines,
        "body": _body_blocks(cable, spans),
        "footnotes": footnotes,
        "source_note": cable.skeleton.source_note,
        "editors": EDITORS_SENTENCE,
        "words": _vocabulary_rows(cable, applies, folder),
        "notes": notes,
        "text_source": TEXT_SOURCE if applies else "",
    }


CSS = """
.cablelab-reader{--ink:#1a1a1a;--soft:#555;--ins:#6a3d9a;--rule:#bbb;
  font-family:Georgia,"Times New Roman",serif;color:var(--ink);background:#fff;line-height:1.45;
  max-width:64rem;font-size:1rem}
.cablelab-reader h2{font-size:1.35em;margin:.1em 0 .2em}
.cablelab-reader h3{font-size:.95em;margin:0 0 .2em;text-transform:uppercase;letter-spacing:.04em}
.cablelab-reader p{margin:.25em 0}
.cablelab-reader .cr-kicker{color:var(--soft);font-size:.9em;margin:0}
.cablelab-reader .cr-question{border-left:4px solid var(--ins);padding-left:.5em;margin:.2em 0}
.cablelab-reader .cr-missing{font-style:italic;border:1px dashed var(--rule);padding:.3em .5em}
.cablelab-reader .cr-headnote{display:grid;grid-template-columns:repeat(auto-fit,minmax(12em,1fr));gap:.2em 1em;
  border-top:2px solid var(--ink);border-bottom:1px solid var(--rule);padding:.3em 0;margin:.3em 0;font-size:.88em}
.cablelab-reader .cr-headnote p{margin:0}
.cablelab-reader .cr-src{color:var(--soft);font-size:.85em}
.cablelab-reader .cr-grid{display:grid;grid-template-columns:minmax(0,1fr) 17em;gap:1.2em}
.cablelab-reader .cr-block{margin:.35em 0}
.cablelab-reader .cr-point{margin:.1em 0 .1em 1.6em;text-indent:-1.6em;padding-left:1.6em}
.cablelab-reader .cr-num{font-weight:bold}
.cablelab-reader .cr-ins,.cablelab-reader .cr-rn{color:var(--ins);font-style:italic}
.cablelab-reader abbr{text-decoration:none;border-bottom:1px dotted var(--ins)}
.cablelab-reader sup{font-size:.72em;line-height:0}
.cablelab-reader sup a{color:inherit;text-decoration:none}
.cablelab-reader .cr-heading{font-variant:small-caps;margin:0}
.cablelab-reader .cr-side{font-size:.86em;border-left:1px solid var(--rule);padding-left:.8em}
.cablelab-reader .cr-word{margin:0 0 .15em;text-indent:-.8em;padding-left:.8em}
.cablelab-reader .cr-word small{color:var(--soft)}
.cablelab-reader .cr-bottom{display:grid;grid-template-columns:repeat(auto-fit,minmax(20em,1fr));gap:.4em 1.2em;
  margin-top:.4em;font-size:.82em}
.cablelab-reader .cr-bottom p{margin:0 0 .1em}
.cablelab-reader .cr-editorial{font-family:Arial,Helvetica,sans-serif;color:#333;background:#f3f3f3;
  border-left:4px solid var(--rule);padding:.3em .6em}
.cablelab-reader .cr-notes{border-left:4px solid var(--ins);padding:.3em .6em}
.cablelab-reader .cr-label{font-weight:bold;text-transform:uppercase;font-size:.9em;letter-spacing:.04em}
.cablelab-reader .cr-editorial ol{margin:.1em 0;padding-left:1.4em}
.cablelab-reader .cr-foot{color:var(--soft);font-size:.78em;margin-top:.3em;border-top:1px solid var(--rule)}
@media (max-width:46rem){.cablelab-reader .cr-grid{grid-template-columns:1fr}
  .cablelab-reader .cr-side{border-left:0;padding-left:0}}
"""

PRINT_CSS = """
@page{size:auto;margin:8mm}
@media print{
  html,body{margin:0!important;background:#fff}
  .cablelab-reader{max-width:none;font-size:7.6pt;line-height:1.25}
  .cablelab-reader h2{font-size:12pt}
  .cablelab-reader .cr-headnote{grid-template-columns:1.1fr 1fr 1fr 1.7fr 1fr;gap:0 3mm}
  .cablelab-reader .cr-grid{grid-template-columns:minmax(0,1fr) 64mm;gap:3.5mm}
  .cablelab-reader .cr-bottom{grid-template-columns:1fr 1fr;gap:0 3.5mm}
  .cablelab-reader .cr-ins,.cablelab-reader .cr-rn{color:#4b2a73}
  .cablelab-reader .cr-editorial{background:none;border-left:2px solid #777}
  .cablelab-reader a{color:inherit;text-decoration:none}
}
"""

_TEMPLATE = """\
<article class="cablelab-reader" lang="en">
<header>
<p class="cr-kicker">Reader's edition · {{ brackets }}</p>
<h2>{{ title }}</h2>
{% if question %}<p class="cr-question"><strong>Central question:</strong> {{ question }}</p>{% endif %}
{% if not_this %}<p class="cr-missing">{{ not_this }}</p>{% endif %}
</header>
<div role="region" class="cr-headnote" aria-label="Headnote">
{% for part in headnote %}<p><strong>{{ part.heading }}.</strong> {{ part.text }} <span class="cr-src">({{ part.source }})</span></p>
{% endfor %}</div>
<div class="cr-grid">
<div role="region" class="cr-cable" aria-label="The telegram">
{% if editors_title %}<p class="cr-heading">{{ editors_title }} <span class="cr-src">(the editors' title)</span></p>{% endif %}
{% for line in heading_lines %}<p class="cr-heading">{{ line }}</p>
{% endfor %}{% for block in body %}{{ block }}
{% endfor %}</div>
<aside class="cr-side" aria-label="Word box">
<h3>Word box</h3>
{% for w in words %}<p class="cr-word"><strong>{{ w.word }}</strong> <small>{{ "¶" if w.where != "lead" }}{{ w.where }}</small> {{ w.meaning }}{% if w.here %}. <em>Here:</em> {{ w.here }} <span class="cr-src">({{ w.source }})</span>{% endif %}</p>
{% else %}<p>None of the word box's words is in this document.</p>
{% endfor %}</aside>
</div>
<div class="cr-bottom">
{% if footnotes or source_note %}<aside class="cr-editorial" aria-label="The editors' additions">
<p><span class="cr-label">Editors' additions.</span> {{ editors }}</p>
{% if footnotes %}<ol>{% for note in footnotes %}<li value="{{ note.number }}" id="cr-fn-{{ note.number }}">{{ note.text }}</li>{% endfor %}</ol>{% endif %}
{% if source_note %}<p><strong>Source note:</strong> {{ source_note }}</p>{% endif %}
</aside>{% endif %}
{% if notes %}<aside class="cr-notes" aria-label="Reader's notes">
<p><span class="cr-label">Reader's notes.</span> Who and what the lettered words are.</p>
{% for n in notes %}<p id="cr-rn-{{ n.label }}"><strong class="cr-ins">{{ n.label }}</strong> {{ n.note }} <span class="cr-src">({{ n.source }})</span></p>
{% endfor %}</aside>{% endif %}
</div>
{% if text_source %}<p class="cr-foot">Text: {{ text_source }} Headnote, notes and word box: cablelab, from the sources named in each.</p>{% endif %}
</article>"""

_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}: reader's edition</title>
<style>body{margin:1.2rem}{{ css }}{{ print_css }}</style>
</head>
<body>
{{ article }}
</body>
</html>
"""

_env = Environment(autoescape=True, trim_blocks=False, keep_trailing_newline=True)


def edition_html(cable=None, *, standalone: bool = False) -> str:
    """The reader's edition as HTML: a fragment for a notebook, or (``standalone``) a whole
    printable page (inline CSS with print rules; it loads nothing)."""
    context = page_context(cable)
    article = _env.from_string(_TEMPLATE).render(**context)
    if not standalone:
        return str(Markup("<style>{}</style>").format(Markup(CSS)) + Markup(article))
    return _env.from_string(_PAGE).render(title=context["title"], css=Markup(CSS), print_css=Markup(PRINT_CSS),
                                          article=Markup(article))


class Edition:
    """The reader's edition for a notebook: shown as HTML, so it needs no kernel."""

    def __init__(self, html: str, name: str) -> None:
        self.html = html
        self.text = f"The reader's edition of {name}: the whole text in one view, words added in [brackets]."

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.html, "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def edition(cable=None) -> Edition:
    """The reader's edition of the whole document in one view (for a notebook cell)."""
    name = _doc_name(cable) if cable is not None else f"telegram {curated.SEED_NUMBER}"
    return Edition(edition_html(cable), name)
