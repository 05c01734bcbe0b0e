"""Dates a document mentions: 'October 28', 'November 26, 1962', '24 Nov 62', 'today', 'tonight'.

Relative words are resolved from the document's own date (the anchor). File
citations ('737.56361/11-2662'), page ranges ('pp. 446-447'), bare years and
numeric dates ('11/15/63') are not taken: in FRUS notes they are archive keys,
not days the text speaks of.
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

import pandas as pd

from cablelab.text import MONTHS, head_words, scan

_ABBREVIATED = {m[:3]: i for i, m in enumerate(MONTHS, start=1)} | {"Sept": 9}
_MONTH_WORD = r"(?P<month>" + "|".join(MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_DAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Relative words and how many days from the anchor each means.
RELATIVE = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
    "tomorrow morning": 1,
    "tomorrow night": 1,
    "day after tomorrow": 2,
    "day before yesterday": -2,
}

# One table: each row a named shape of a date mention and the words it may begin at. Every
# shape begins at a month, a weekday or a relative word, except 'day_month' ('24 Nov 62'),
# whose day stands before its month: it is tried from there.
DATE_SHAPES: tuple[tuple[str, str], ...] = (
    ("day_month", rf"\b(?P<day>[0-3]?\d)\s{_MONTH_WORD}\s(?P<year>(?:19)?\d\d)\b"),
    ("month_day", rf"{_MONTH_WORD}\s(?P<day>[0-3]?\d)(?!\d|[/-]\d|\.\d)(?:st|nd|rd|th)?(?:,?\s(?P<year>1[89]\d\d)(?!\d))?\b"),
    ("relative", r"(?i:" + "|".join(sorted(map(re.escape, RELATIVE), key=len, reverse=True)) + r")\b"),
    ("weekday", "(?:" + "|".join(_DAY_NAMES) + r")\b"),
)
_PATTERNS = {name: re.compile(pattern) for name, pattern in DATE_SHAPES}
# The shapes each start word may begin (months and weekdays as written; relative words in any case).
_MONTH_WORDS = [*MONTHS, *_ABBREVIATED]
STARTS: dict[str, tuple[str, ...]] = {
    **{month: ("day_month", "month_day") for month in _MONTH_WORDS},
    **{day: ("weekday",) for day in _DAY_NAMES},
}
RELATIVE_STARTS = frozenset(phrase.split()[0] for phrase in RELATIVE)
# Every start word holds one of these (text.head_words finds them): month names and
# their abbreviations share their first three letters; weekdays end in 'day'.
NEEDLES = tuple(sorted({month[:3] for month in _MONTH_WORDS}))
ANY_CASE_NEEDLES = ("day", "night", "morrow", "this", "last")


def find_dates(text: str, anchor: pd.Timestamp | date | None = None, year: int | None = None) -> list[dict]:
    """Date mentions in text: dicts with surface, date, relative, start, end.

    ``anchor`` is the document's date: it supplies the year of 'October 28' and the
    day of 'today'; weekday names resolve to the nearest such day (within three days
    either side). Without an anchor, ``year`` (when known otherwise) dates 'October 28';
    the rest is NaT.
    """
    day0 = _day0(anchor) if anchor is not None else None
    year = day0.year if day0 is not None else year
    found: list[dict] = []
    for name, m in scan(text, head_words(text, exact=NEEDLES, any_case=ANY_CASE_NEEDLES), _shape_at):
        when, relative = _resolve(name, m, day0, year)
        if when is not None:
            found.append({"surface": m.group(), "date": when, "relative": relative, "start": m.start(), "end": m.end()})
    return found


def _shape_at(text: str, start: int, word: str, free_from: int) -> tuple[str, re.Match[str]] | None:
    """The first date shape matching at the word ``word`` (text.scan) and beginning no
    earlier than ``free_from``, if any."""
    for name in STARTS.get(word) or (("relative",) if word.lower() in RELATIVE_STARTS else ()):
        if name == "day_month":  # from the day before the month: '24 Nov', '4 Nov'
            m = next((m for back in (3, 2) if start >= back and (m := _PATTERNS[name].match(text, start - back))), None)
        else:
            m = _PATTERNS[name].match(text, start)
        if m and m.start() >= free_from:
            return name, m
    return None


def _resolve(name: str, m: re.Match[str], day0: pd.Timestamp | None, default_year: int | None):
    """(Timestamp or NaT, relative) for a match; (None, _) when it is not a real date."""
    if name == "relative":
        offset = RELATIVE[m.group().lower()]
        return (_shifted(day0, offset) if day0 is not None else pd.NaT), True
    if name == "weekday":
        if day0 is None:
            return pd.NaT, True
        delta = (_DAY_NAMES.index(m.group()) - day0.weekday() + 3) % 7 - 3
        return _shifted(day0, delta), True
    month = m["month"].rstrip(".")
    number = MONTHS.index(month) + 1 if month in MONTHS else _ABBREVIATED[month]
    year = m["year"]
    if year is None:
        year = default_year
    else:
        year = int(year) + (1900 if len(year) == 2 else 0)
    if year is None:
        return pd.NaT, False
    return _day(year, number, int(m["day"])), False  # None for 'May 45': not a day


# A document names a few days many times: each Timestamp is made once (pandas' constructor
# costs more than the rest of finding a date).
@functools.lru_cache(maxsize=4096)
def _day(year: int, month: int, day: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _day0(anchor: pd.Timestamp | date) -> pd.Timestamp | None:
    """The calendar day of a document's date (None for NaT)."""
    return None if pd.isna(anchor) else pd.Timestamp(anchor).normalize()


@functools.lru_cache(maxsize=4096)
def _shifted(day0: pd.Timestamp, days: int) -> pd.Timestamp:
    return day0 + timedelta(days=days)
