"""Text helpers every reader and finder shares: footnote markers, sentences, names, months,
and the words a finder starts from.

``strip_markers`` drops the '(n)' footnote markers the page prints; ``sentences`` cuts a
block's text into sentence spans, stops inside names and abbreviations kept; ``split_names``
splits a list of names ('Sisco and Johnson'); ``head_words`` and ``scan`` let a finder try
its patterns only at the words they can begin with.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable, Iterator

MONTHS = (
    "January February March April May June July August September October November December".split()
)
# A footnote marker as the page prints it: '(1)', glued to the word before.
MARKER = r"\(\d{1,3}\)"
_MARKERS = re.compile(MARKER)


def strip_markers(text: str) -> str:
    """``text`` without its footnote markers ('John F. Kennedy(1)' -> 'John F. Kennedy')."""
    return _MARKERS.sub("", text) if "(" in text else text


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
    previous, previous_start = -1, 0
    for hit in sorted(set(hits)):  # back to the start of the word holding the needle
        start = hit
        # Not past the hit before: when the letters run back to it, its word's start is this
        # one's too (so a word of 'todaytoday...' is walked once, not once per hit).
        while start > previous + 1 and text[start - 1].isalpha():
            start -= 1
        if start == previous + 1 and previous >= 0 and text[previous].isalpha():
            start = previous_start
        previous, previous_start = hit, start
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


def clip(text: str, width: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= width else text[: width - 1] + "…"

