"""Dates a document mentions: 'October 28', 'November 26, 1962', '24 Nov 62', 'today', 'tonight'.

Relative words are resolved from the document's own date (the anchor). File
citations ('737.56361/11-2662'), page ranges ('pp. 446-447'), bare years and
numeric dates ('11/15/63') are not taken: in FRUS notes they are archive keys,
not days the text speaks of.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

from cablelab.structure import MONTHS

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

# One table: each row a named shape of a date mention.
DATE_SHAPES: tuple[tuple[str, str], ...] = (
    ("month_day", rf"{_MONTH_WORD}\s(?P<day>[0-3]?\d)(?!\d|[/-]\d|\.\d)(?:st|nd|rd|th)?(?:,?\s(?P<year>1[89]\d\d)(?!\d))?"),
    ("day_month", rf"(?P<day>[0-3]?\d)\s{_MONTH_WORD}\s(?P<year>(?:19)?\d\d)"),
    ("relative", r"(?i:" + "|".join(sorted(map(re.escape, RELATIVE), key=len, reverse=True)) + r")"),
    ("weekday", "|".join(_DAY_NAMES)),
)
# The rows joined into one pattern read in a single pass (faster than a pass per row);
# each row's groups are renamed '<row>_<group>' so that the names stay unique.
# The first characters a date mention can have (months, weekdays, relative words in any
# case, a day's digits): a lookahead on them lets the engine skip all other words fast.
_FIRST = "0-9JFMASONDWTtYyLlDd"
_DATES = re.compile(
    rf"(?=[{_FIRST}])\b(?:"
    + "|".join(f"(?P<{name}>" + re.sub(r"\(\?P<(\w+)>", rf"(?P<{name}_\1>", pattern) + ")" for name, pattern in DATE_SHAPES)
    + r")\b"
)


def find_dates(text: str, anchor: pd.Timestamp | date | None = None, year: int | None = None) -> list[dict]:
    """Date mentions in text: dicts with surface, date, relative, start, end.

    ``anchor`` is the document's date: it supplies the year of 'October 28' and the
    day of 'today'; weekday names resolve to the nearest such day (within three days
    either side). Without an anchor, ``year`` (when known otherwise) dates 'October 28';
    the rest is NaT.
    """
    day0 = pd.Timestamp(anchor).normalize() if anchor is not None and not pd.isna(anchor) else None
    year = day0.year if day0 is not None else year
    found: list[dict] = []
    for m in _DATES.finditer(text):
        when, relative = _resolve(m.lastgroup, m, day0, year)
        if when is not None:
            found.append({"surface": m.group(), "date": when, "relative": relative, "start": m.start(), "end": m.end()})
    return found


def _resolve(name: str, m: re.Match[str], day0: pd.Timestamp | None, default_year: int | None):
    """(Timestamp or NaT, relative) for a match; (None, _) when it is not a real date."""
    if name == "relative":
        offset = RELATIVE[m.group().lower()]
        return (day0 + timedelta(days=offset) if day0 is not None else pd.NaT), True
    if name == "weekday":
        if day0 is None:
            return pd.NaT, True
        delta = (_DAY_NAMES.index(m.group()) - day0.weekday() + 3) % 7 - 3
        return day0 + timedelta(days=delta), True
    month = m[f"{name}_month"].rstrip(".")
    number = MONTHS.index(month) + 1 if month in MONTHS else _ABBREVIATED[month]
    year = m[f"{name}_year"]
    if year is None:
        year = default_year
    else:
        year = int(year) + (1900 if len(year) == 2 else 0)
    if year is None:
        return pd.NaT, False
    try:
        return pd.Timestamp(year=year, month=number, day=int(m[f"{name}_day"])), False
    except ValueError:
        return None, False  # 'May 45' is not a day
