"""A decoded page: the document's numbered lines, what the web page added, and its kind.

``sources.open_source`` makes a Page from a path, bytes or text (``tei.tei_page`` from a
FRUS TEI file); ``structure.parse`` reads its lines.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_KINDS = ("avalon-text", "avalon-html", "hsg-text", "hsg-html", "tei", "plain")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the document, with its 1-based line number in the source."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Leftover:
    """Something the web page added, set aside rather than lost."""

    line: int
    text: str
    kind: str  # one of schema.LEFTOVER_KINDS


@dataclass(frozen=True)
class Page:
    """A decoded source: the document's lines, what was set aside, and its kind.

    ``bare_markers`` is True for pages that print footnote markers as bare digits
    glued to words (history.state.gov). ``numbered_notes`` is True for pages whose
    notes are an indented numbered list, the source note first (history.state.gov, TEI).
    ``title`` is an HTML page's <title>, for messages. ``when`` is the day a TEI volume's
    own date attributes give the document ('1962-11-11'), when they name one day; the
    reader dates a document by it only when the text prints no date.
    """

    lines: tuple[Line, ...]
    leftovers: tuple[Leftover, ...]
    kind: str
    name: str | None = None
    title: str | None = None
    bare_markers: bool = False
    when: str | None = None

    @property
    def numbered_notes(self) -> bool:
        return self.kind in {"hsg-text", "hsg-html", "tei"}
