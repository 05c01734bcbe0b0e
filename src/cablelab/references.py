"""Cross-references: 'urtels 1941, 1942, 1943', 'Deptel 1359', 'reftels', 'Document 207', 'Telegram 1972 from USUN'.

``find_references(text, sender=..., recipient=...)`` returns one dict per cited
paper (a list of numbers gives one row per number) with surface, kind, number,
origin, start and end. The origin of 'urtel' (your telegram) is the document's
addressee, of 'ourtel'/'mytel' its sender, of 'Deptel' the Department of State.
"""

from __future__ import annotations

import functools
import re

from cablelab.text import head_words, scan

_NUMBER_LIST = r"(?P<numbers>\d{1,5}(?:(?:,\s?|,?\s(?:and|&)\s)\d{1,5})*)"

# One table: (kind, pattern, origin rule). Telegraphese words ('urtel', 'Deptel') are also
# read in capitals, as a teletype printed them. Origin rules: 'recipient', 'sender', a fixed
# name, 'named' (the pattern's own origin group), or None (unknown).
REFERENCE_SHAPES: tuple[tuple[str, re.Pattern[str], str | None], ...] = (
    ("urtel", re.compile(rf"\b(?P<word>[Uu]rtels?|URTELS?)(?:\s{_NUMBER_LIST})?"), "recipient"),
    ("reftel", re.compile(rf"\b(?P<word>[Rr]eftels?|REFTELS?)(?:\s{_NUMBER_LIST})?"), None),
    ("deptel", re.compile(rf"\b(?P<word>Deptels?|DEPTELS?)(?:\s{_NUMBER_LIST})?"), "Department of State"),
    ("embtel", re.compile(rf"\b(?P<word>Embtels?|EMBTELS?)(?:\s{_NUMBER_LIST})?"), "embassy"),
    ("ourtel", re.compile(rf"\b(?P<word>[Oo]urtels?|OURTELS?)(?:\s{_NUMBER_LIST})?"), "sender"),
    ("mytel", re.compile(rf"\b(?P<word>[Mm]ytels?|MYTELS?)(?:\s{_NUMBER_LIST})?"), "sender"),
    (
        "telegram",
        re.compile(
            r"\b(?P<word>[Tt]elegrams?)\s(?P<numbers>\d{1,5})\s(?P<direction>from|to)\s"
            r"(?P<origin>USUN|the Department(?: of State)?|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}|[A-Z]{2,6})"
        ),
        "named",
    ),
    ("document", re.compile(rf"\b(?P<word>Documents?)\s{_NUMBER_LIST}"), None),
)

# The word each shape begins with (lower-cased, singular and plural): shapes are tried there only.
STARTS = {word: (kind, pattern) for kind, pattern, _ in REFERENCE_SHAPES for word in (kind, kind + "s")}
# Every start word, in any case, holds one of these: text.head_words finds them.
NEEDLES = ("tel", "document")
_RULES = {kind: rule for kind, _, rule in REFERENCE_SHAPES}
_DIGITS = re.compile(r"\d+")

# Short names for the posts a document is sent between (what FRUS notes call them).
_SHORT = (
    (re.compile(r"Mission to the United Nations|\bUSUN\b|U\.S\. Mission"), "USUN"),
    (re.compile(r"Department of State|\bDepartment\b"), "Department of State"),
    (re.compile(r"Embassy in the Soviet Union|Moscow"), "Moscow"),
    (re.compile(r"White House|President"), "White House"),
)


@functools.lru_cache(maxsize=1024)  # a corpus names the same few posts in every document
def short_name(party: str | None) -> str | None:
    """'Mission to the United Nations' -> 'USUN'; other names as they are."""
    if not party:
        return None
    return next((short for pattern, short in _SHORT if pattern.search(party)), party)


def find_references(text: str, sender: str | None = None, recipient: str | None = None) -> list[dict]:
    """Cross-references in text, one dict per cited number (see the module docstring)."""
    parties = {"sender": short_name(sender), "recipient": short_name(recipient)}
    embassy = next((p for p in (sender, recipient) if p and "Embassy" in p), None)
    found: list[dict] = []
    for kind, m in scan(text, head_words(text, any_case=NEEDLES), _shape_at):
        origin = _origin(_RULES[kind], m, parties, embassy)
        if not m["numbers"]:
            found.append(_row(m.group(), kind, None, origin, m.start(), m.end()))
            continue
        base = m.start("numbers")
        for i, number in enumerate(_DIGITS.finditer(m["numbers"])):
            if kind == "telegram":
                surface, start, end = m.group(), m.start(), m.end()
            else:
                # The first number's span takes in the word: 'urtels 1941'; the others are bare.
                surface = f"{m['word']} {number.group()}"
                start, end = (m.start() if i == 0 else base + number.start()), base + number.end()
            found.append(_row(surface, kind, int(number.group()), origin, start, end))
    return found


def _shape_at(text: str, start: int, word: str, free_from: int) -> tuple[str, re.Match[str]] | None:
    """The reference beginning at the word ``word`` (text.scan), if any."""
    shape = STARTS.get(word.lower())
    m = shape[1].match(text, start) if shape else None
    return (shape[0], m) if m else None


def _origin(rule: str | None, m: re.Match[str], parties: dict[str, str | None], embassy: str | None) -> str | None:
    if rule in parties:
        return parties[rule]
    if rule == "embassy":
        return short_name(embassy)
    if rule == "named":
        if m["direction"] == "to":
            return "Department of State"  # FRUS notes say 'telegram N to X' of the Department's own
        return short_name(m["origin"])
    return rule


def _row(surface: str, kind: str, number: int | None, origin: str | None, start: int, end: int) -> dict:
    return {"surface": surface, "kind": kind, "number": number, "origin": origin, "start": start, "end": end}
