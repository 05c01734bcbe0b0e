"""The one error a reader of documents sees: what was wrong, and where."""

from __future__ import annotations


class CableFormatError(ValueError):
    """A source that is not a readable document of the expected kind.

    ``line`` is the 1-based line of the source where the problem was found
    (``None`` when it concerns the whole input, e.g. empty or binary data);
    ``source`` names the file when there is one. ``str(err)`` reads
    ``"telegram.txt: line 3: expected a dateline like ..., found '...'"``.
    """

    def __init__(self, message: str, line: int | None = None, source: str | None = None):
        self.message = message
        self.line = line
        self.source = source
        where = [part for part in (source, f"line {line}" if line is not None else None) if part]
        super().__init__(": ".join([*where, message]))
