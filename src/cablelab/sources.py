"""Reading a source into numbered lines: decoding, page kinds, page leftovers.

A source is a path, bytes, or the text itself. ``open_source`` decodes it (UTF-8
with or without BOM, else cp1252 so curly quotes read right), normalises line
endings, recognises what kind of page it came from, turns HTML and TEI (tei.py) into
lines, and sets aside what the web page added (Avalon's "Back" links, its
footer address, navigation words, history.state.gov's "[Page 641]" markers)
with the line numbers where they stood. Nothing here knows about one document.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from os import PathLike
from pathlib import Path

from cablelab.errors import CableFormatError
from cablelab.page import PAGE_KINDS, Leftover, Line, Page  # noqa: F401 (the page types, importable from here)
from cablelab.tei import tei_page

Source = str | bytes | PathLike

_SUFFIXES = {".txt", ".text", ".html", ".htm", ".asp", ".xml", ".tei"}


# --- decoding ---------------------------------------------------------------------------


def _decode(data: bytes, name: str | None) -> str:
    """Bytes to text: BOMs honoured, UTF-8 first, cp1252 (Windows "smart quotes") after."""
    if not data.strip():
        what = "only whitespace" if data else "an empty input"
        raise CableFormatError(f"expected the text of a document, found {what}", source=name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # a BOM makes UTF-16 certain; an odd byte is no reason to fail
    sample = data[:4096]
    if b"\x00" in sample:
        raise CableFormatError("expected text, found binary data (NUL bytes)", source=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; map them rather than fail on a stray one.
        return data.decode("cp1252", errors="replace")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _check_text(text: str, name: str | None) -> str:
    """Normalise line endings and refuse what is not text at all."""
    text = text.lstrip("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        what = "an empty input" if not text else "only whitespace"
        raise CableFormatError(f"expected the text of a document, found {what}", source=name)
    sample = text[:4096]
    control = len(_CONTROL.findall(sample)) + sample.count("\ufffd") if _CONTROL.search(sample) or "\ufffd" in sample else 0
    if "\x00" in sample or control > len(sample) * 0.1:
        raise CableFormatError("expected text, found binary data (mostly control bytes)", source=name)
    return text


def read_text(source: Source | None = None, *, text: str | bytes | None = None) -> tuple[str, str | None]:
    """The decoded, normalised text of a source and its name (the file name, or None).

    ``source`` is a path (a PathLike, or a ``str`` that ``is_path`` takes for one), bytes,
    or the document's text; ``text=`` gives the text (or its bytes) explicitly.
    """
    if (source is None) == (text is None):
        raise TypeError("give a path, bytes or text as the source, or the text as text=..., not both")
    if text is not None:
        if not isinstance(text, (str, bytes, bytearray, memoryview)):
            raise TypeError(f"text= takes str or bytes, got {type(text).__name__}")
        source = text
    name = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        decoded = _decode(bytes(source), None)
    elif isinstance(source, PathLike) or (text is None and isinstance(source, str) and is_path(source)):
        path = Path(source)
        name = path.name
        try:
            is_file = path.is_file()  # one system call in the common case; a pipe or device is no document either
            is_dir = not is_file and path.is_dir()
        except (OSError, ValueError):  # a name too long, or with a NUL, names no file
            is_file = is_dir = False
        if not is_file:
            if is_dir:
                raise FileNotFoundError(f"{path} is a folder, not a document (cablelab.read_corpus reads a folder)")
            raise FileNotFoundError(f"no such document: {path}")
        decoded = _decode(path.read_bytes(), name)
    elif isinstance(source, str):
        decoded = source
    else:
        raise TypeError(f"expected a path, bytes or text, got {type(source).__name__}")
    return _check_text(decoded, name), name


# What str.splitlines breaks at: any of these makes a str text, never a path.
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# The longest path, and the longest name in it, that the system can open (in bytes).
_PATH_MAX = 4096 if os.name == "posix" else 260
_NAME_MAX = 255


def is_path(source: str) -> bool:
    """Whether ``read`` takes a ``str`` for a path rather than the document's text.

    Text is anything with a line break, anything that starts with '<', and anything longer
    than a path can be (or that no file system can name). Of the rest, a path is what names
    something that exists, or looks like a file name (a document's suffix, or a '/' and no
    space); any other line ('Shopping list') is text.
    """
    if not source.strip() or _LINE_BREAK.search(source) or source.lstrip().startswith("<"):
        return False
    try:
        encoded = os.fsencode(source)
    except UnicodeError:
        return False
    if b"\x00" in encoded or len(encoded) > _PATH_MAX or any(len(part) > _NAME_MAX for part in re.split(rb"[/\\]", encoded)):
        return False
    path = Path(source)
    try:
        if path.exists():
            return True
    except OSError:
        return False
    return path.suffix.lower() in _SUFFIXES or ("/" in source and " " not in source)


# --- page leftovers ---------------------------------------------------------------------
# Whole lines the web page added. Order matters only for readability; each line is
# tested against every row and the first match wins.

_WHOLE_LINE_LEFTOVERS: tuple[tuple[str, str], ...] = (
    ("back_link", r"Back|\^|↩"),
    ("page_footer", r"\d{1,6} [A-Z][A-Za-z. ]{1,40} (?:Street|Avenue|Road|Boulevard|Place), [A-Z][A-Za-z. ]{1,30}, [A-Z]{2} \d{5}(?:-\d{4})?\.?"),
    ("page_footer", r"(?:©|Copyright ©?) ?.{0,120}"),
    ("page_marker", r"\[(?:Page|p\.) ?\d{1,5}\]"),
    (
        "navigation",
        r"(?i:Logo|Avalon Home|Document Collections?|Ancient 4000bce - 399|Medieval 400 - 1399|"
        r"1[5-9]th Century|20th Century|21st Century|Avalon Statement of Purpose|Contact Us|"
        r"Search Avalon|Yale Law Library|University Library|Yale University|Lillian Goldman Law Library|"
        r"(?:< ?)?Previous(?: Document)?(?: ?>)?|(?:< ?)?Next(?: Document)?(?: ?>)?|Contents|"
        r"Print|Share|Open Document in new tab|Office of the Historian|Historical Documents|"
        r"Cuban Missile Crisis Page|Documents Page|Table of Contents)",
    ),
)
# The rows joined into one pattern (group k<i> is row i), so each line is scanned once.
_WHOLE_LINE = re.compile("|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(_WHOLE_LINE_LEFTOVERS)))
# No whole-line leftover starts with these; such lines skip the test.
_NEVER_FIRST = frozenset("(\"'“‘-–—*•.,;:")
# Pieces of a line the web page added: Avalon's "Back" after a footnote, hsg page markers.
_BACK_SUFFIX = re.compile(r"^(?P<keep>\s*\d{1,3}\.?\s.*?)\s+(?P<left>Back)\s*$")
_PAGE_MARKER = re.compile(r" ?\[Page \d{1,5}\] ?")


def set_aside(lines: list[Line]) -> tuple[list[Line], list[Leftover]]:
    """Split numbered lines into the document's lines and the page's leftovers."""
    kept: list[Line] = []
    leftovers: list[Leftover] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            kept.append(line)
            continue
        whole = _WHOLE_LINE.fullmatch(text) if len(text) <= 200 and text[0] not in _NEVER_FIRST else None
        if whole:
            kind = _WHOLE_LINE_LEFTOVERS[int(whole.lastgroup[1:])][0]
            leftovers.append(Leftover(line.number, text, kind))
            continue
        back = _BACK_SUFFIX.match(line.text) if line.text.endswith("Back") else None
        if back:
            leftovers.append(Leftover(line.number, back["left"], "back_link"))
            line = Line(line.number, back["keep"])
        if "[Page " in line.text:
            for marker in _PAGE_MARKER.finditer(line.text):
                leftovers.append(Leftover(line.number, marker.group().strip(), "page_marker"))
            line = Line(line.number, _PAGE_MARKER.sub(_join_around, line.text))
        kept.append(line)
    return kept, leftovers


def _join_around(match: re.Match[str]) -> str:
    # "the [Page 641] end" keeps one space; "end [Page 641]." keeps none.
    return " " if match.group().startswith(" ") and match.group().endswith(" ") else ""


# --- page kinds -------------------------------------------------------------------------

_HSG_HEADING = re.compile(r"\s*\d{1,4}\.\s+(?:Telegram|Memorandum|Letter|Message|Editorial Note|Note|Paper|Airgram|Circular)\b")
# Multi-line patterns use [ \t], never \s: \s would run across thousands of blank lines.
# They begin with a newline, not '^', and are searched in '\n' + text (see _marked): a
# pattern that begins with a literal lets the engine jump from line to line in C.
_AVALON_MARKS = re.compile(r"\n(?:\d{1,3}[ \t].*[ \t]Back[ \t]*$|\d+ Wall Street, New Haven|Logo$)", re.MULTILINE)
# Avalon's layout: a collection line, then the heading ('Telegram From ...').
_AVALON_TOP = re.compile(r"(?:Logo\n{1,4})?[A-Z][^.:;\n]{2,80}\n{1,4}(?:Telegram|Memorandum|Letter|Message|Editorial Note)\b")
_HSG_MARKS = re.compile(r"\n(?:\[Page \d+\]$|[ \t]{1,8}\d{1,3}\.[ \t]+Source:)", re.MULTILINE)


def _marked(pattern: re.Pattern[str], text: str) -> bool:
    """Whether a line of ``text`` has one of ``pattern``'s marks."""
    return pattern.search("\n" + text) is not None


def text_kind(text: str) -> str:
    """avalon-text, hsg-text or plain, from marks only one kind of page has.

    Only the top and the tail of the page are looked at, where those marks stand.
    """
    top = text.lstrip()[:4000]
    tail = text[-8000:]
    first = top.split("\n", 1)[0]
    if _HSG_HEADING.match(first) or _marked(_HSG_MARKS, top) or _marked(_HSG_MARKS, tail):
        return "hsg-text"
    if _marked(_AVALON_MARKS, tail) or _AVALON_TOP.match(top) or top.startswith("Logo\n"):
        return "avalon-text"
    return "plain"


# A document div cut from a FRUS TEI volume: its namespaces are declared on the volume's root.
_BARE_TEI_DOCUMENT = re.compile(r"""(?:<\?xml[^>]*>\s*)?<div\s[^>]*\btype=["']document["']""")


def markup_kind(text: str) -> str | None:
    """tei, hsg-html, avalon-html, 'html' for another HTML page, or None for text."""
    head = text.lstrip()[:2000]
    if not head.startswith("<"):
        return None
    sample = text[:200_000]
    if "http://www.tei-c.org/ns/1.0" in sample or re.search(r"<TEI[\s>]", head) or _BARE_TEI_DOCUMENT.match(head):
        return "tei"
    lowered = sample.lower()
    if "history.state.gov" in lowered or 'class="tei-' in lowered or "frus" in lowered and "historicaldocuments" in lowered:
        return "hsg-html"
    if "avalon" in lowered or "lillian goldman" in lowered or "yale law" in lowered:
        return "avalon-html"
    return "html"


def numbered_lines(text: str, first: int = 1) -> list[Line]:
    """The text's lines with their 1-based numbers, trailing white space dropped."""
    return [Line(i, t.rstrip()) for i, t in enumerate(text.split("\n"), start=first)]


def open_source(source: Source | None = None, document: str | None = None, *, text: str | bytes | None = None) -> Page:
    """Decode a source (or the ``text=`` given) and set its page leftovers aside; see the
    module docstring. ``document`` chooses one document of a TEI volume by its xml:id ('d212').
    """
    text, name = read_text(source, text=text)
    kind = markup_kind(text)
    if kind == "tei":
        return tei_page(text, name, document)
    title = None
    if kind is not None:
        lines, title, extra = _html_lines(text, hsg=kind == "hsg-html")
        if kind == "html":
            kind = text_kind("\n".join(line.text for line in lines)).replace("-text", "-html").replace("plain", "html")
            if kind == "html":
                first = lines[0] if lines else None
                raise CableFormatError(
                    f"expected a FRUS document page (Avalon Project or history.state.gov), "
                    f"found an HTML page titled {title or '(untitled)'!r}"
                    + (f" whose text begins {first.text[:60]!r}" if first else ""),
                    line=first.number if first else None,
                    source=name,
                )
    else:
        lines, extra = numbered_lines(text), []
        kind = text_kind(text)
    kept, leftovers = set_aside(lines)
    leftovers = sorted([*extra, *leftovers], key=lambda left: left.line)
    return Page(tuple(kept), tuple(leftovers), kind, name, title, bare_markers=kind.startswith("hsg"))


# --- HTML pages -------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "p div br h1 h2 h3 h4 h5 h6 li tr td th table blockquote pre section article header footer "
    "nav ul ol dl dt dd address center hr title form".split()
)
_SKIP_TAGS = frozenset("script style noscript head button select svg".split())
_SPACES = re.compile(r"\s+")
_CONTAINER_ID = re.compile(r"""<(\w+)\b[^>]*\bid=["'](d\d{1,4}|document)["']""", re.IGNORECASE)


class _HTMLReader(HTMLParser):
    """An HTML page's text as numbered lines, its leftovers and its title (see _html_lines)."""

    def __init__(self, container: re.Match[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.container = container
        self.lines: list[Line] = []
        self.leftovers: list[Leftover] = []
        self.parts: list[str] = []
        self.start_line: int | None = None
        self.link_text = 0  # characters of the current line inside links
        self.skip = 0
        self.links = 0
        self.back = False
        self.note_ref = False
        self.title: list[str] = []
        self.in_title = False
        # Restricting to the document element: depth of its tag name while inside.
        self.inside = self.container is None
        self.depth = 0
        self.lists: list[list[int]] = []  # numbering of open footnote lists
        self.prefix = ""  # '  N. ' of the list item whose text has not come yet

    def flush(self) -> None:
        line = _SPACES.sub(" ", "".join(self.parts)).strip()
        if line and self.start_line is not None:
            if self.link_text >= len(line.replace(" ", "")) and not re.fullmatch(r"\(?\d{1,3}\)?", line):
                self.leftovers.append(Leftover(self.start_line, line, "navigation"))
            else:
                # A footnote list item keeps its number and indent, as a browser prints it.
                self.lines.append(Line(self.start_line, self.prefix + line))
            self.prefix = ""
        self.parts, self.start_line, self.link_text = [], None, 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.container is not None:
            if not self.inside and found.get("id") == self.container.group(2):
                self.inside, self.depth = True, 0
            if self.inside and tag == self.container.group(1).lower():
                self.depth += 1
        if tag == "title":
            self.in_title = True
        if tag in _SKIP_TAGS:
            self.skip += 1
        if tag in _BLOCK_TAGS:
            self.flush()
        if tag == "ol":
            start = found.get("start") or ""
            self.lists.append([int(start) - 1 if start.isdecimal() else 0])
        if tag == "li" and self.lists and self.inside:
            numbering = self.lists[-1]
            numbering[0] = int(found["value"]) if (found.get("value") or "").isdecimal() else numbering[0] + 1
            self.prefix = f"  {numbering[0]}. "
        if tag == "a":
            self.links += 1
            self.back = "fn-back" in (found.get("class") or "") or (found.get("href") or "").startswith("#fnref")
            # A footnote reference: its bare number is written '(n)', as Avalon prints it,
            # because glued to a number ('October 282') it could not be told apart later.
            self.note_ref = found.get("rel") == "footnote" or (found.get("href") or "").startswith("#fn:")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1
        if tag == "a" and self.links:
            self.links -= 1
            self.back = self.note_ref = False
        if tag == "ol" and self.lists:
            self.lists.pop()
        if tag in _BLOCK_TAGS:
            self.flush()
        if self.container is not None and self.inside and tag == self.container.group(1).lower():
            self.depth -= 1
            if self.depth <= 0:
                self.flush()
                self.inside = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if self.skip or not self.inside:
            return
        if self.back and data.strip():
            self.leftovers.append(Leftover(self.getpos()[0], data.strip(), "back_link"))
            return
        if data.strip() and self.start_line is None:
            self.start_line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        if self.links:
            self.link_text += len(data.replace(" ", "").strip())
        if self.note_ref and data.strip().isdigit():
            data = f"({data.strip()})"
        self.parts.append(data)


def _html_lines(text: str, hsg: bool) -> tuple[list[Line], str | None, list[Leftover]]:
    """An HTML page as lines of text (numbered by the HTML line they start on).

    Block elements end a line; runs of white space collapse; lines made only of links
    are navigation. On history.state.gov pages only the document's own element is
    read, and footnote list items become '  N. text' as a browser prints them.
    """
    container = _CONTAINER_ID.search(text) if hsg else None

    reader = _HTMLReader(container)
    try:
        reader.feed(text)
        reader.close()
    except AssertionError as err:  # html.parser's way of refusing a malformed '<![' section
        raise CableFormatError(f"expected an HTML page, found malformed markup ({err})", line=reader.getpos()[0]) from None
    reader.flush()
    title = _SPACES.sub(" ", "".join(reader.title)).strip() or None
    # Blank lines between blocks, as in the text pages, so that paragraphs stay apart.
    lines: list[Line] = []
    for line in reader.lines:
        lines.extend([line, Line(line.number, "")])
    return lines, title, reader.leftovers
