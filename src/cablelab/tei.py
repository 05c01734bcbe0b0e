"""FRUS TEI XML (the Office of the Historian's volumes) as a Page of lines.

A volume, or one document div cut from it, is laid out as lines in the shape of a text page
(heading with its number, dateline, paragraphs with '(n)' markers, signature, footnotes,
source note), so that one structure reader serves every kind of page.
"""

from __future__ import annotations

import re

from cablelab.errors import CableFormatError
from cablelab.page import Leftover, Line, Page

_SPACES = re.compile(r"\s+")

_TEI = "{http://www.tei-c.org/ns/1.0}"
_FRUS = "{http://history.state.gov/frus/ns/1.0}"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# The namespaces a FRUS volume's root declares. A document div cut from the volume uses its
# 'frus:' prefix undeclared and sits in no namespace; wrapped in this element it reads as in
# the volume. The wrapper opens on the div's own line, so line numbers stay those of the file.
_VOLUME_NAMESPACES = (
    '<cablelab-volume xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" '
    'xmlns:xi="http://www.w3.org/2001/XInclude">'
)
_PROLOG = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*", re.DOTALL)


def _in_volume_namespaces(text: str) -> str:
    """A bare document div (no namespace declared on it) inside the volume's namespaces; other text as it is."""
    prolog = _PROLOG.match(text).end()
    root = re.match(r"<div\b[^>]*>", text[prolog:])
    if root is None or "xmlns" in root.group():
        return text
    return f"{text[:prolog]}{_VOLUME_NAMESPACES}{text[prolog:]}</cablelab-volume>"


def _parse_xml(text: str, name: str | None):
    """An ElementTree whose elements carry their source line in the '_line' attribute."""
    from xml.etree.ElementTree import TreeBuilder
    from xml.parsers import expat

    builder = TreeBuilder()
    # The text is decoded already and handed over as UTF-8: expat must not follow the
    # declaration (an unknown name raised LookupError; ISO-8859-1 turned 'é' into 'Ã©').
    parser = expat.ParserCreate(encoding="utf-8", namespace_separator="}")

    def qualify(key: str) -> str:
        return "{" + key if "}" in key else key

    def start(tag: str, attrs: dict[str, str]) -> None:
        found = {qualify(k): v for k, v in attrs.items()}
        found["_line"] = str(parser.CurrentLineNumber)
        builder.start(qualify(tag), found)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(qualify(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as err:
        raise CableFormatError(f"expected well-formed TEI XML, {err}", line=err.lineno, source=name) from None
    return builder.close()


def tei_page(text: str, name: str | None, doc_id: str | None = None) -> Page:
    """A FRUS TEI document (one document div, or a volume and the div whose xml:id is doc_id).

    The document is laid out as lines in the shape of a text page (heading with its
    number, dateline, paragraphs with '(n)' markers, signature, footnotes, source
    note), so one structure reader serves every kind of page.
    """
    root = _parse_xml(_in_volume_namespaces(text), name)
    documents = [div for div in root.iter(f"{_TEI}div") if div.get("type") == "document"]
    if root.tag == f"{_TEI}div" and root.get("type") == "document":
        documents = [root]
    if doc_id is not None:
        documents = [div for div in documents if div.get(_XML_ID) == doc_id]
    if not documents:
        wanted = f"a document div with xml:id={doc_id!r}" if doc_id else "a <div type=\"document\">"
        raise CableFormatError(f"expected {wanted} in the TEI file", line=int(root.get("_line", 1)), source=name)
    document = documents[0]
    notes: list[tuple[int, str, int]] = []
    leftovers: list[Leftover] = []

    def flat(element) -> str:
        return _tei_text(element, notes, leftovers)

    lines: list[Line] = []

    def emit(element, text: str) -> None:
        text = _SPACES.sub(" ", text).strip()
        if text:
            number = int(element.get("_line", 0))
            lines.extend([Line(number, text), Line(number, "")])

    parents = {child: parent for parent in document.iter() for child in parent}
    for element in document.iter():
        tag = element.tag.removeprefix(_TEI)
        if tag == "note" and lines and _outside_lines(parents, document, element):
            # A note standing outside any line (after the <signed> in a <closer>): its marker
            # goes at the end of the line before it, where the printed page puts it.
            number = _note_number(element, notes)
            notes.append((number, _SPACES.sub(" ", flat(element)).strip(), int(element.get("_line", 0))))
            lines[-2] = Line(lines[-2].number, f"{lines[-2].text}({number})")
            continue
        if element is document or tag == "note":
            continue
        if tag == "pb" and not _nested(parents, document, element):
            leftovers.append(Leftover(int(element.get("_line", 0)), f"[Page {element.get('n', '?')}]", "page_marker"))
        if tag == "head" and not lines:
            head, number = flat(element), document.get("n") or ""
            # The volume prints the number in some heads ('79. Message From ...'), not in others.
            numbered = number.isdigit() and not re.match(rf"\s*{number}\.\s", head)
            emit(element, f"{number}. {head}" if numbered else head)
        elif tag in _TEI_LINES and not _nested(parents, document, element):
            label = element.get("n", "") if tag == "item" else ""
            # A lettered item is printed '(a) ...', as points are in the text pages.
            emit(element, f"({label}) {flat(element)}" if len(label) == 1 and label.isalpha() else flat(element))
    # Notes as history.state.gov lists them: '  0. Source: ...', '  1. ...'.
    for number, note, line in sorted(notes):
        lines.extend([Line(line, f"  {number}. {note}"), Line(line, "")])
    return Page(tuple(lines), tuple(sorted(leftovers, key=lambda left: left.line)), "tei", name, when=_volume_day(document))


def _volume_day(document) -> str | None:
    """The day the volume's date attributes give a document ('1962-11-11'), when both ends of
    its range (frus:doc-dateTime-min/max, as written, in local time) fall on that one day."""
    first, last = (document.get(f"{_FRUS}doc-dateTime-{end}") or "" for end in ("min", "max"))
    day = first[:10]
    return day if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) and last[:10] == day else None


_TEI_LINES = frozenset({"dateline", "p", "item", "signed", "salute"})


def _tei_text(element, notes: list[tuple[int, str, int]], leftovers: list[Leftover]) -> str:
    """Text of an element with footnotes replaced by '(n)' markers (the notes go to ``notes``)
    and page breaks set aside (to ``leftovers``)."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.removeprefix(_TEI)
        if tag == "note":
            number = _note_number(child, notes)
            notes.append((number, _SPACES.sub(" ", _tei_text(child, notes, leftovers)).strip(), int(child.get("_line", 0))))
            parts[-1] = parts[-1].rstrip()
            parts.append(f"({number})")
        elif tag == "pb":
            leftovers.append(Leftover(int(child.get("_line", 0)), f"[Page {child.get('n', '?')}]", "page_marker"))
        elif tag == "lb":
            parts.append(" ")
        else:
            parts.append(_tei_text(child, notes, leftovers))
        parts.append(child.tail or "")
    return "".join(parts)


_NOTE_ID = re.compile(r"fn(\d{1,3})$")


def _note_number(note, notes: list[tuple[int, str, int]]) -> int:
    """A note's number: its ``n``; when an earlier note has that number already (the volume's
    typo: d75 of FRUS 1961-63 VI prints two notes n="1"), the one its xml:id gives ('d75fn2')."""
    n = note.get("n", "")
    number = int(n) if n.isdecimal() else len(notes) + 1
    if any(number == seen for seen, _, _ in notes):
        by_id = _NOTE_ID.search(note.get(_XML_ID, ""))
        number = int(by_id.group(1)) if by_id else len(notes) + 1
    return number


def _outside_lines(parents: dict, document, element) -> bool:
    """True for an element in no line, no note and no head (whose notes its own text takes)."""
    node = parents.get(element)
    while node is not None and node is not document:
        tag = node.tag.removeprefix(_TEI)
        if tag in _TEI_LINES or tag in {"note", "head"}:
            return False
        node = parents.get(node)
    return True


def _nested(parents: dict, document, element) -> bool:
    """True inside a <note> or inside another element that is already a line (a p in an item)."""
    node = parents.get(element)
    while node is not None and node is not document:
        tag = node.tag.removeprefix(_TEI)
        if tag == "note" or tag in _TEI_LINES:
            return True
        node = parents.get(node)
    return False
