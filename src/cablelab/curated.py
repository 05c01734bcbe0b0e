"""The curated teaching files in ``data/``: loaded once, validated on load.

Every CSV file in ``data/`` has a ``FileSpec`` below: its columns, which must be
filled, which hold a closed set of values, dates, '|'-separated lists. A teacher's typo
raises ``CableFormatError`` naming the file, the line of the CSV (the header is line 1)
and the column, e.g. ``actors.csv: line 7: column 'side': 'Soviet' is not one of US,
USSR, Cuba, UN, other``.

Public: ``table(name, folder=None)`` for any spec'd file, ``annotations()``,
``context_events()``, ``applies_to(cable)`` (whether content curated for telegram 1379
applies to a document), and ``surface_pattern()`` (one compiled, linear-time matcher for
a list of surface forms, shared by ``actors`` and ``glossary``).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from cablelab.errors import CableFormatError
from cablelab.paths import data_dir
from cablelab.schema import SIDES

LIST_SEPARATOR = "|"

#: Topics of the lettered points (data/point_annotations.csv); see data/README.md.
TOPICS = [
    "declaration wording",
    "Soviet undertakings",
    "verification",
    "overflights",
    "Security Council wind-up",
    "Soviet protocol",
    "Cuba's demands",
    "U Thant's proposals",
]
EVENT_CATEGORIES = ["crisis", "diplomacy", "UN", "this cable"]
STATUSES = ["confirmed", "secondary"]
REGISTRY_KINDS = ["person", "state", "organisation"]


@dataclass(frozen=True)
class FileSpec:
    """What one curated CSV file must look like.

    ``columns`` must all be present (the frame keeps this order) and filled on every
    row, except the ``optional`` ones, which may be empty. ``closed`` maps a column to its allowed values
    (loaded as a categorical in that order); ``flags`` columns hold 'yes'/'no' (loaded
    as bool); ``lists`` columns hold '|'-separated values (loaded as lists of str);
    ``dates`` hold YYYY-MM-DD (loaded as Timestamps); ``patterns`` map a column to
    (regex, example). ``unique`` columns may not repeat; every item of the
    ``unique_items`` columns, taken together, may occur only once in the file.
    ``refs`` maps a list column to the column whose values its items must name.
    ``not_before`` maps a date column to the date column it may not precede.
    """

    columns: tuple[str, ...]
    optional: tuple[str, ...] = ()
    closed: dict[str, list[str]] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    patterns: dict[str, tuple[str, str]] = field(default_factory=dict)
    unique: tuple[str, ...] = ()
    unique_items: tuple[str, ...] = ()
    refs: dict[str, str] = field(default_factory=dict)
    not_before: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.optional)


_REF = (r"\d+\([a-z]\)", "3(e)")
_TIME = (r"\d{1,2}(:\d{2})?(–\d{1,2}(:\d{2})?)? ?(a\.m\.|p\.m\.|GMT|EDT|EST)", "9:28 p.m.")

SPECS: dict[str, FileSpec] = {
    "actors.csv": FileSpec(
        columns=("name", "aliases", "offices", "kind", "side", "role_nov_1962", "bio", "source", "status"),
        optional=("aliases", "offices"),
        closed={"kind": REGISTRY_KINDS, "side": SIDES, "status": STATUSES},
        lists=("aliases", "offices"),
        unique=("name",),
        unique_items=("name", "aliases", "offices"),
    ),
    "glossary.csv": FileSpec(
        columns=("term", "variants", "expansion", "plural", "explanation", "match_case", "source", "status"),
        optional=("variants", "plural"),
        closed={"status": STATUSES},
        flags=("match_case",),
        lists=("variants",),
        unique=("term",),
        unique_items=("term", "variants"),
    ),
    "context_events.csv": FileSpec(
        columns=("date", "end_date", "time", "event", "actors", "category", "source", "status"),
        optional=("end_date", "time"),
        closed={"category": EVENT_CATEGORIES, "status": STATUSES},
        lists=("actors",),
        dates=("date", "end_date"),
        patterns={"time": _TIME},
        not_before={"end_date": "date"},
    ),
    "point_annotations.csv": FileSpec(
        columns=("ref", "speaker", "topic", "answers", "note", "source"),
        optional=("answers",),
        closed={"speaker": SIDES, "topic": TOPICS},
        lists=("answers",),
        patterns={"ref": _REF},
        unique=("ref",),
        refs={"answers": "ref"},
    ),
}


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and (CSV line number, row) pairs; blank lines are skipped."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise CableFormatError("curated file not found", source=str(path)) from None
    with handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        rows = []
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise CableFormatError(
                    f"expected {len(header)} comma-separated values, found {len(values)} "
                    "(a comma inside a value needs the value in double quotes)",
                    line=start,
                    source=path.name,
                )
            rows.append((start, {name: value.strip() for name, value in zip(header, values)}))
    return header, rows


def _check(path: Path, spec: FileSpec, header: list[str], rows: list[tuple[int, dict[str, str]]]) -> None:
    """Raise CableFormatError for the first problem, naming file, line and column."""
    name = path.name

    def fail(line: int, column: str, problem: str) -> None:
        raise CableFormatError(f"column '{column}': {problem}", line=line, source=name)

    missing = [c for c in spec.columns if c not in header]
    unknown = [c for c in header if c not in spec.columns]
    if missing or unknown:
        parts = [f"missing column(s) {', '.join(missing)}" if missing else "",
                 f"unknown column(s) {', '.join(unknown)}" if unknown else ""]
        raise CableFormatError(
            "; ".join(p for p in parts if p) + f" (expected: {', '.join(spec.columns)})", line=1, source=name
        )
    if not rows:
        raise CableFormatError("no rows below the header", line=1, source=name)
    seen: dict[str, dict[str, int]] = {c: {} for c in spec.unique}
    seen_items: dict[str, tuple[int, str]] = {}
    for line, row in rows:
        for column in spec.required:
            if not row[column]:
                fail(line, column, "is empty; every row needs it")
        for column, allowed in spec.closed.items():
            if row[column] and row[column] not in allowed:
                fail(line, column, f"{row[column]!r} is not one of {', '.join(allowed)}")
        for column in spec.flags:
            if row[column] not in ("yes", "no"):
                fail(line, column, f"{row[column]!r} should be yes or no")
        for column in spec.dates:
            if row[column] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[column]):
                fail(line, column, f"{row[column]!r} is not a date written YYYY-MM-DD, like 1962-11-26")
            if row[column]:
                try:
                    pd.Timestamp(row[column])
                except ValueError:
                    fail(line, column, f"{row[column]!r} is not a real calendar date")
        for column, (pattern, example) in spec.patterns.items():
            if row[column] and not re.fullmatch(pattern, row[column]):
                fail(line, column, f"{row[column]!r} is not written like {example!r}")
        for column, earlier in spec.not_before.items():
            if row[column] and row[earlier] and row[column] < row[earlier]:
                fail(line, column, f"{row[column]} is before {earlier} {row[earlier]}")
        for column in spec.unique:
            if row[column] in seen[column]:
                fail(line, column, f"{row[column]!r} already appears on line {seen[column][row[column]]}")
            seen[column][row[column]] = line
        for column in spec.unique_items:
            for item in _split(row[column]) if column in spec.lists else [row[column]]:
                if item in seen_items and seen_items[item][0] != line:
                    first, other = seen_items[item]
                    fail(line, column, f"{item!r} is already given on line {first} (column '{other}'); "
                                       "a surface form may stand for one entry only")
                seen_items.setdefault(item, (line, column))
    for column, target in spec.refs.items():
        known = {row[target] for _, row in rows}
        for line, row in rows:
            for item in _split(row[column]):
                if item not in known:
                    fail(line, column, f"{item!r} is not a {target} of this file")


def _frame(spec: FileSpec, rows: list[tuple[int, dict[str, str]]]) -> pd.DataFrame:
    data: dict[str, object] = {}
    for column in spec.columns:
        values = [row[column] for _, row in rows]
        if column in spec.lists:
            data[column] = pd.Series([_split(v) for v in values], dtype="object")
        elif column in spec.flags:
            data[column] = pd.Series([v == "yes" for v in values], dtype="bool")
        elif column in spec.dates:
            data[column] = pd.to_datetime(pd.Series([v or None for v in values], dtype="object"), format="%Y-%m-%d").astype(
                "datetime64[ns]"
            )
        elif column in spec.closed:
            data[column] = pd.Series(values, dtype=pd.CategoricalDtype(spec.closed[column]))
        else:
            data[column] = pd.Series([v or None for v in values], dtype="str")
    return pd.DataFrame(data, columns=list(spec.columns))


@functools.cache
def _load(name: str, folder: Path) -> pd.DataFrame:
    path = folder / name
    spec = SPECS[name]
    header, rows = _read_rows(path)
    _check(path, spec, header, rows)
    return _frame(spec, rows)


def table(name: str, folder: str | Path | None = None) -> pd.DataFrame:
    """The validated curated file ``name`` (e.g. 'actors.csv') from ``folder`` (default data/).

    Loaded once per folder; callers get a copy-on-write copy, so changing it does not
    change what others see. List columns hold Python lists of str.
    """
    if name not in SPECS:
        raise KeyError(f"no spec for curated file {name!r}; known: {', '.join(SPECS)}")
    return _load(name, folder_of(folder)).copy(deep=False)


def folder_of(folder: str | Path | None = None) -> Path:
    """The curated folder meant: ``folder``, else data_dir() ($CABLELAB_DATA or data/), resolved.

    Caches built from curated data key on this, so changing $CABLELAB_DATA takes effect.
    """
    return _resolved(folder or data_dir())


@functools.cache
def _resolved(folder: str | Path) -> Path:
    # Every find_mentions / find_terms call asks; resolving is system calls each time.
    return Path(folder).resolve()


_dependents: list[Callable[[], None]] = []


def on_clear(forget: Callable[[], None]) -> None:
    """Register a cache of a module built from curated data, cleared by clear_cache()."""
    _dependents.append(forget)


def clear_cache() -> None:
    """Forget loaded files (after a teacher edits one in a running session)."""
    _load.cache_clear()
    _resolved.cache_clear()
    for forget in _dependents:
        forget()


def annotations(folder: str | Path | None = None) -> pd.DataFrame:
    """data/point_annotations.csv: one row per lettered point, keyed by ``ref`` ('1(a)').

    Columns: ref, speaker (side), topic (one of TOPICS), answers (list of refs), note,
    source. The pairings in ``answers`` are an editorial reading, not the cable's words.
    """
    return table("point_annotations.csv", folder)


def context_events(folder: str | Path | None = None) -> pd.DataFrame:
    """data/context_events.csv: the crisis chronology, sorted by date.

    ``date`` and ``end_date`` are Timestamps (``end_date`` NaT for one-day events);
    ``time`` is the printed clock time where a source confirms it, else <NA>;
    ``actors`` is a list of names.
    """
    return table("context_events.csv", folder).sort_values("date", kind="stable", ignore_index=True)


def day_month_year(day) -> str:
    """'14 Oct 1962': the day without a leading zero (strftime's ``%-d`` works on glibc only)."""
    return f"{day.day} {day:%b %Y}"


def events_table(folder: str | Path | None = None) -> pd.DataFrame:
    """The chronology as a reader sees it: one text column per field, no NaT or NaN.

    ``when`` is '14 Oct 1962' or '28 Dec 1962 to 3 Jan 1963'; empty cells are ''.
    """
    events = context_events(folder)
    ends = events["end_date"].map(lambda day: f" to {day_month_year(day)}" if pd.notna(day) else "")
    return pd.DataFrame({
        "when": events["date"].map(day_month_year) + ends,
        "time": events["time"].fillna(""),
        "event": events["event"],
        "who": events["actors"].map("; ".join),
        "source": events["source"],
        "status": events["status"].astype("str"),
    })


#: The document the curated content describes: telegram 1379 of 26 November 1962.
SEED_NUMBER = "1379"
SEED_DAY = pd.Timestamp("1962-11-26")


def applies_to(cable) -> bool:
    """Whether content curated for the built-in telegram 1379 (point annotations, the questions
    of the lessons) applies to ``cable``: its number is 1379 and, when dated, it is of 26 November 1962.

    The one place that decides it: charts, widgets and exercises all ask here. The same telegram
    read from another page (Avalon, history.state.gov, TEI) is the same document and qualifies;
    ``None`` (no document named) means the built-in one.
    """
    if cable is None:
        return True
    meta = cable.metadata
    if str(meta.get("number")) != SEED_NUMBER:
        return False
    sent = meta.get("date")
    return bool(pd.isna(sent) or pd.Timestamp(sent).normalize() == SEED_DAY)


def _trie_regex(surfaces: Iterable[str], after_first: str = "") -> str:
    """A regex for the surfaces as a trie: at most one path is tried per prefix,
    longer surfaces before shorter ones, so matching never backtracks beyond the
    length of one surface. ``after_first`` (a regex) follows each first character."""
    trie: dict = {}
    for surface in surfaces:
        node = trie
        for char in surface:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict, after: str = "") -> str:
        branches = [re.escape(char) + after + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{'|'.join(branches)})"
        return f"{body}?" if "" in node else body

    return render(trie, after_first)


def surface_pattern(surfaces: Iterable[str], suffix: str = "") -> re.Pattern:
    """One compiled pattern finding any of ``surfaces`` as whole words, longest first.

    Whole words: no letter may touch either end (a digit may follow, as a footnote
    marker). The match's group ``surface`` is the surface form as listed; ``suffix`` (a regex,
    e.g. a possessive ``['’]s``) may follow it inside the whole match. Runs in time
    linear in the text (a trie, not a list of alternatives).
    """
    # No word character before the first one. The test sits after that first character
    # rather than before it, so that the pattern begins with its possible first
    # characters: the regex engine then skips every other position in C, several times
    # faster than trying a lookbehind at each position of the text.
    body = _trie_regex(sorted(set(surfaces)), after_first=r"(?<!\w[\s\S])")
    tail = f"(?:{suffix})?" if suffix else ""
    # A digit may follow: history.state.gov pages print footnote markers bare ("Rusk0").
    return re.compile(rf"(?P<surface>{body}){tail}(?![^\W\d])")
