"""Header fields: what a document's heading, dateline, lead and source note say about it.

The line reader (structure.py) finds the lines; these functions read fields out of them:
sender and recipient from a heading, a dateline's time, a lead's addressees and subject, a
source note's file citation, markings, drafters, clearances and approval, the year an archive
key gives, and a letter's salutation.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Iterable

from cablelab.text import sentences, split_names, strip_markers

if TYPE_CHECKING:
    from cablelab.structure import Block

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


def parties(rest: str) -> dict[str, str]:
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


def real_day(year: int, month: int, day: int) -> bool:
    """A calendar day in the range FRUS covers (and pandas' nanosecond Timestamps hold)."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1800 <= year <= 2100


def times(m: re.Match) -> dict[str, str]:
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


def lead_fields(text: str) -> dict[str, object]:
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

