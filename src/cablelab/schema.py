"""Every frame's columns, dtypes and meaning, in one place.

The parser and the extractors produce plain values, as records (dicts) or as lists by
column; ``build(name, records)`` and ``build_columns(name, columns, length)`` turn them
into a DataFrame with exactly these columns, in this order, with these dtypes. The
metadata is a Series for one document (``metadata``) and, in ``read_corpus``, a frame
with a row per document and METADATA's dtypes. Documentation is generated from
``FRAMES`` too (``describe()``), so what is written here is what a user gets.

Locations: every row that points into the document carries ``block`` (the id of a
row of ``Cable.blocks``), ``section``, ``paragraph`` (the body paragraph's printed
number, ``<NA>`` when unnumbered or not in the body), ``footnote`` (the footnote's
number when the row is in a footnote), ``point`` (the lettered point's label, when
inside one), ``sentence`` (the whole sentence it sits in) and ``start``/``end``
(character offsets into that block's ``text``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import repeat
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

SECTIONS = ["header", "body", "footnote", "source"]
SIDES = ["US", "USSR", "Cuba", "UN", "other"]
ACTOR_KINDS = ["person", "office", "state", "organisation"]
BLOCK_KINDS = ["lead", "numbered", "unnumbered", "signature", "quoted", "footnote", "source_note", "header"]
REFERENCE_KINDS = ["urtel", "reftel", "deptel", "embtel", "ourtel", "mytel", "telegram", "document", "memcon", "telecon"]
LEFTOVER_KINDS = ["back_link", "page_footer", "navigation", "page_marker", "other"]


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    meaning: str


def _cat(values: list[str]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(values)


# dtype names understood by build(): "str", "Int64", "int64", "bool", "datetime",
# "object" (lists), or "cat:<NAME>" for a categorical over one of the closed sets above.
_CATEGORIES = {
    "section": SECTIONS,
    "side": SIDES,
    "actor_kind": ACTOR_KINDS,
    "block_kind": BLOCK_KINDS,
    "reference_kind": REFERENCE_KINDS,
    "leftover_kind": LEFTOVER_KINDS,
}

_LOCATION = [
    Column("block", "int64", "id of the row of `blocks` this sits in"),
    Column("section", "cat:section", "header, body, footnote or source (the source note)"),
    Column("paragraph", "Int64", "printed number of the body paragraph; <NA> when unnumbered or outside the body"),
    Column("footnote", "Int64", "footnote number when in a footnote, else <NA>"),
    Column("point", "str", "label of the lettered point it sits in ('a', 'b', ...), else <NA>"),
    Column("sentence", "str", "the whole sentence it occurs in"),
    Column("start", "int64", "offset of the first character in the block's text"),
    Column("end", "int64", "offset just past the last character in the block's text"),
]

# The location columns' names: rows of references, mentions and dates end with them.
LOCATION: tuple[str, ...] = tuple(column.name for column in _LOCATION)

FRAMES: dict[str, list[Column]] = {
    "blocks": [
        Column("block", "int64", "0-based id, in reading order"),
        Column("section", "cat:section", "header, body, footnote or source"),
        Column("kind", "cat:block_kind", "lead, numbered, unnumbered, signature, quoted, footnote, source_note, header"),
        Column("paragraph", "Int64", "printed paragraph number (body), else <NA>"),
        Column("footnote", "Int64", "footnote number (footnotes), else <NA>"),
        Column("text", "str", "the block's text, page leftovers removed; lines joined with '\\n'"),
        Column("line", "int64", "1-based source line where the block starts"),
    ],
    "paragraphs": [
        Column("block", "int64", "id of the row of `blocks`"),
        Column("position", "int64", "0-based position among the body paragraphs"),
        Column("paragraph", "Int64", "printed number; <NA> when unnumbered (e.g. the lead)"),
        Column("kind", "cat:block_kind", "lead, numbered, unnumbered, signature or quoted"),
        Column("text", "str", "the whole paragraph, its lettered points included"),
        Column("lead", "str", "the text before the first lettered point (the whole text when none)"),
        Column("n_points", "int64", "how many lettered points it holds"),
        Column("n_sentences", "int64", "how many sentences"),
        Column("n_words", "int64", "how many words"),
        Column("line", "int64", "1-based source line where it starts"),
    ],
    "points": [
        Column("block", "int64", "id of the paragraph's row of `blocks`"),
        Column("paragraph", "Int64", "printed number of the paragraph holding the point"),
        Column("label", "str", "'a', 'b', ... as printed, lower case"),
        Column("ref", "str", "paragraph and label as a teacher writes it: '1(a)', '3(e)'"),
        Column("text", "str", "the point's text, without its '(a)' marker"),
        Column("speaker", "cat:side", "whom the point speaks for, read from its paragraph's lead sentence"),
        Column("line", "int64", "1-based source line where it starts"),
    ],
    "footnotes": [
        Column("number", "int64", "the footnote's number (0 for a source note printed as a footnote)"),
        Column("text", "str", "the note's text, page leftovers ('Back') removed"),
        Column("block", "Int64", "id of the block holding its marker, <NA> when the marker was not found"),
        Column("paragraph", "Int64", "printed number of the body paragraph holding the marker"),
        Column("point", "str", "label of the point holding the marker, else <NA>"),
        Column("sentence", "str", "the body sentence its marker annotates, else <NA>"),
        Column("line", "int64", "1-based source line of the note"),
    ],
    "references": [
        Column("surface", "str", "as written: 'urtel 1941', 'Deptel 1359', 'Document 207', 'Telegram 1972 from USUN'"),
        Column("kind", "cat:reference_kind", "urtel, reftel, deptel, telegram, document, ..."),
        Column("number", "Int64", "the telegram or document number, <NA> when none is given (reftels)"),
        Column("origin", "str", "who sent the cited paper ('USUN', 'Department of State'); <NA> when unknown"),
        *_LOCATION,
    ],
    "mentions": [
        Column("actor", "str", "canonical name from data/actors.csv"),
        Column("surface", "str", "the words as written ('Secretary', 'SYG', 'Soviets')"),
        Column("kind", "cat:actor_kind", "person, office (a title standing for a person), state or organisation"),
        Column("side", "cat:side", "the actor's side in the crisis"),
        *_LOCATION,
    ],
    "dates": [
        Column("surface", "str", "as written ('October 28', 'today', 'November 26, 1962')"),
        Column("date", "datetime", "the calendar day meant (relative words resolved from the cable's own date)"),
        Column("relative", "bool", "True for 'today', 'tonight', 'yesterday', ..."),
        *_LOCATION,
    ],
    "leftovers": [
        Column("line", "int64", "1-based source line"),
        Column("text", "str", "what was set aside"),
        Column("kind", "cat:leftover_kind", "back_link, page_footer, navigation, page_marker, other"),
    ],
}

METADATA: list[Column] = [
    Column("collection", "str", "the page's collection line ('The Cuban Missile Crisis'), or None"),
    Column("doc_type", "str", "'Telegram', 'Memorandum', 'Letter', ..."),
    Column("title", "str", "the document's heading as printed"),
    Column("sender", "str", "'Department of State', 'Mission to the United Nations', a person, ..."),
    Column("recipient", "str", "to whom it went, as the heading says"),
    Column("place", "str", "place of the dateline ('Washington'), or None"),
    Column("date", "datetime", "date and, when printed, time of sending (NaT when none); a Timestamp in the Series"),
    Column("time", "str", "'HH:MM' (24-hour) when printed, else None"),
    Column("time_end", "str", "'HH:MM' end of a printed time range, else None"),
    Column("number", "str", "the telegram number as printed ('1379'), else None"),
    Column("frus_number", "Int64", "the FRUS document number when the page prints it, else <NA>"),
    Column("addressees", "object", "a list of str: names after 'For' ('Stevenson', 'McCloy')"),
    Column("participants", "object", "a list of str: the PARTICIPANTS of a memorandum of conversation, as printed"),
    Column("subject", "str", "text after 'Subject:', else None"),
    Column("classification", "object", "a list of str: markings of the source note ('Top Secret', 'Sensitive', 'Eyes Only')"),
    Column("drafted_by", "object", "a list of str: names after 'Drafted by'"),
    Column("cleared_by", "object", "a list of str: names after 'cleared by' / 'cleared with'"),
    Column("approved_by", "object", "a list of str: names after 'approved by'"),
    Column("signed_by", "object", "a list of str: signature lines"),
    Column("file_citation", "str", "archival file the source note gives"),
    Column("received", "str", "the 'Received ...' line, else None"),
    Column("source_note", "str", "the whole source note"),
    Column("page_kind", "str", "how the source was recognised: avalon-text, avalon-html, hsg-text, hsg-html, tei, plain"),
    Column("complete", "bool", "False when the document is truncated"),
]


def dtype_of(spec: str):
    """The pandas dtype for a dtype name used in FRAMES."""
    if spec.startswith("cat:"):
        return _cat(_CATEGORIES[spec[4:]])
    return {"str": "str", "datetime": "datetime64[ns]"}.get(spec, spec)


def build(name: str, records: Iterable[Mapping], leading: Mapping[str, list[str]] | None = None) -> pd.DataFrame:
    """A frame named in FRAMES (or 'metadata', one row per document) from records, with
    exactly its columns and dtypes.

    Missing keys become missing values; unknown keys are an error (a typo in the
    parser should fail loudly, not add a stray column). ``leading`` puts str columns
    before the frame's own (``read_corpus``'s ``doc_id``), one value per record.
    """
    rows = records if isinstance(records, list) else list(records)
    if not _NAMES[name].issuperset(set().union(*rows)):
        i, row = next((i, row) for i, row in enumerate(rows) if not _NAMES[name].issuperset(row))
        raise KeyError(f"{name} record {i} has unknown columns {sorted(set(row) - _NAMES[name])}")
    columns = {column.name: [row.get(column.name) for row in rows] for column in _SPECS[name]}
    return build_columns(name, columns, len(rows), leading)


def build_columns(
    name: str, columns: Mapping[str, list], length: int, leading: Mapping[str, list[str]] | None = None
) -> pd.DataFrame:
    """The frame ``name`` from its values column by column: ``columns`` maps a column's
    name to a list of ``length`` values (a column left out is all missing; an unknown name
    is an error). What ``build`` does after turning rows into columns.

    Frames are built for every document read, so this is the hot path of ``Cable`` and
    ``read_corpus``. ``pd.DataFrame(dict)`` followed by ``astype`` costs about 0.3 ms a
    frame inferring and re-checking what is known here (lengths, dtypes, labels), many
    times the cost of a document's few rows. So each column is made in its final dtype
    at once, the int64 columns as one block, and pandas' low-level constructor takes
    those arrays as they are.
    """
    if not _NAMES[name].issuperset(columns):
        raise KeyError(f"{name} has no columns {sorted(set(columns) - _NAMES[name])}")
    leading = leading or {}
    wrong = next((key for key, values in {**leading, **columns}.items() if len(values) != length), None)
    if wrong is not None:
        raise ValueError(f"{name} column {wrong!r} has {len({**leading, **columns}[wrong])} values, expected {length}")
    blocks = [(_column(values, "str"), _PLACEMENTS[i]) for i, values in enumerate(leading.values())]
    int64, int64_at = [], []
    missing = [None] * length
    for i, column in enumerate(_SPECS[name], start=len(leading)):
        values = columns.get(column.name, missing)
        if column.dtype == "int64":
            int64.append(values)
            int64_at.append(i)
        else:
            array = _column(values, column.dtype)
            blocks.append((array.reshape(1, -1) if isinstance(array, np.ndarray) else array, _PLACEMENTS[i]))
    if int64:
        blocks.append((np.array(int64, dtype=np.int64), np.array(int64_at, dtype=np.intp)))
    labels = _labels(name, tuple(leading))
    # A view of the labels made once: renaming one frame's columns leaves the others alone.
    return create_dataframe_from_blocks(blocks, index=pd.RangeIndex(length), columns=labels.view())


def metadata(fields: Mapping, name: str) -> pd.Series:
    """A document's metadata as an object Series named ``name``, keyed by METADATA's names
    (``fields`` holds exactly those keys, in that order).

    Filled item by item: a list value (addressees) stays one item, and the labels are
    made once, not per document.
    """
    values = np.empty(len(fields), dtype=object)
    for i, value in enumerate(fields.values()):
        values[i] = value
    return pd.Series(values, index=_METADATA_LABELS.view(), name=name, copy=False)


_METADATA_LABELS = pd.Index([c.name for c in METADATA])
# What build() knows: every frame, and the metadata as a frame (read_corpus: a row per document).
_SPECS: dict[str, list[Column]] = {**FRAMES, "metadata": METADATA}
_NAMES = {name: frozenset(c.name for c in columns) for name, columns in _SPECS.items()}
# Where a one-column block goes: 0, 1, 2, ... (made once; a frame has a few leading columns at most).
_PLACEMENTS = [np.array([i], dtype=np.intp) for i in range(4 + max(len(columns) for columns in _SPECS.values()))]


@functools.cache
def _labels(name: str, leading: tuple[str, ...]) -> pd.Index:
    return pd.Index([*leading, *(c.name for c in _SPECS[name])])


def _column(values: list, spec: str):
    """One column's values as an array of the dtype ``spec`` names (None is missing)."""
    if spec == "str":
        dtype, array_type = _strings()
        return array_type._from_sequence(values, dtype=dtype)
    if spec.startswith("cat:"):
        codes = _codes(spec)
        # Missing values and anything outside the closed set become NaN, as astype would;
        # the codes are valid by construction, so pandas need not check them.
        try:
            found = np.fromiter(map(codes.get, values, repeat(-1)), dtype=np.int8, count=len(values))
        except TypeError:  # an unhashable value: outside the set too
            found = np.array([codes.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=np.int8)
        return pd.Categorical.from_codes(found, dtype=_resolved(spec), validate=False)
    if spec == "int64":
        return np.array(values, dtype=np.int64)
    if spec == "Int64":
        boxed = np.array(values, dtype=object)
        missing = boxed == None  # noqa: E711 (elementwise: numpy compares each value)
        boxed[missing] = 0
        return pd.arrays.IntegerArray(boxed.astype(np.int64), missing)
    if spec == "bool":
        return np.array(values, dtype=bool)
    if spec == "datetime":
        return np.array([_NAT if v is None or v is pd.NaT else v.asm8 for v in values], dtype="datetime64[ns]")
    if spec == "object":
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    return pd.array(values, dtype=_resolved(spec))


@functools.cache
def _strings():
    """The str dtype (python or pyarrow storage, as pandas is configured) and its array type."""
    dtype = _resolved("str")
    return dtype, dtype.construct_array_type()


_NAT = np.datetime64("NaT", "ns")


@functools.cache
def _codes(spec: str) -> dict[str, int]:
    return {category: code for code, category in enumerate(_resolved(spec).categories)}


@functools.cache
def _resolved(spec: str):
    """The dtype object for a spec, looked up once (a lookup by name costs more than the array)."""
    return pd.api.types.pandas_dtype(dtype_of(spec))


def describe(name: str | None = None) -> pd.DataFrame:
    """The documentation as a frame: one row per column (of one frame or all)."""
    spec = {"metadata": METADATA, **FRAMES}
    names = [name] if name else list(spec)
    return pd.DataFrame(
        [{"frame": n, "column": c.name, "dtype": c.dtype, "meaning": c.meaning} for n in names for c in spec[n]]
    )
