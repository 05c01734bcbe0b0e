"""The reader's edition: the whole telegram in one view, readable by a 15-year-old.

    import cablelab
    cablelab.reader.edition()                            # in a notebook: the whole cable, one view
    cablelab.reader.edition_html(standalone=True)        # a printable one-page HTML document

What it shows comes from three teacher-editable files in ``data/``, loaded and checked
against the cable by ``cablelab.reader_files``: the words telegraphese drops, put back in
[brackets] (``reader_edition.csv``, the cable never retyped), the headnote (``headnote.csv``)
and the word box (``vocabulary.csv``). This module draws the page; its templates and CSS are
``templates/reader*``.

Telegraphese abbreviations ('urtel', 'SYG') are expanded in brackets from the glossary
(``cablelab.glossary``), after the word, which stays. Footnotes and the source note are the
FRUS editors' additions and are set apart. The curated brackets, notes, headnote and word box
describe telegram 1379 (``curated.applies_to``); another document gets its whole text with
its abbreviations expanded, a headnote made from its own header, and a sentence saying what
does not apply. Every piece of text is escaped (markupsafe); the page loads nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup, escape

from cablelab import curated, page_templates
from cablelab.glossary import find_terms
from cablelab.reader_files import (  # noqa: F401  (public here: the files and passages)
    EDITION_FILE,
    HEADNOTE_FILE,
    HEADNOTE_PARTS,
    SPECS,
    VOCABULARY_FILE,
    Passage,
    headnote,
    insertions,
    passage_map,
    passages,
    segments,
    strip_brackets,
    table,
    vocabulary,
    word_pattern,
)
from cablelab.text import strip_markers

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


def edition_html(cable=None, *, standalone: bool = False) -> str:
    """The reader's edition as HTML: a fragment for a notebook, or (``standalone``) a whole
    printable page (inline CSS with print rules; it loads nothing). The templates and CSS are
    templates/reader*."""
    context = page_context(cable)
    env = page_templates.environment()
    article = env.get_template("reader_edition.html.j2").render(**context)
    css = Markup(page_templates.text("reader.css"))
    if not standalone:
        return str(Markup("<style>{}</style>").format(css) + Markup(article))
    return env.get_template("reader_page.html.j2").render(
        title=context["title"], css=css, print_css=Markup(page_templates.text("reader_print.css")),
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
