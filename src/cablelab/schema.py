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

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

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
    Column("opening", "str", "a letter's salutation as printed ('Dear Mr. President'), else None"),
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

    A value outside a categorical column's closed set is an error that names the frame,
    the column and the value: a typo in the parser fails loudly instead of becoming NaN.
    """
    if not _NAMES[name].issuperset(columns):
        raise KeyError(f"{name} has no columns {sorted(set(columns) - _NAMES[name])}")
    leading = leading or {}
    wrong = next((key for key, values in {**leading, **columns}.items() if len(values) != length), None)
    if wrong is not None:
        raise ValueError(f"{name} column {wrong!r} has {len({**leading, **columns}[wrong])} values, expected {length}")
    data = {key: pd.array(values, dtype="str") for key, values in leading.items()}
    missing = [None] * length
    for column in _SPECS[name]:
        data[column.name] = _column(columns.get(column.name, missing), column, name)
    return pd.DataFrame(data, index=pd.RangeIndex(length))


def metadata(fields: Mapping, name: str) -> pd.Series:
    """A document's metadata as an object Series named ``name``, keyed by METADATA's names
    (``fields`` holds exactly those keys, in that order); a list value (addressees) stays
    one item."""
    values = np.empty(len(fields), dtype=object)
    for i, value in enumerate(fields.values()):
        values[i] = value
    return pd.Series(values, index=[c.name for c in METADATA], name=name)


# What build() knows: every frame, and the metadata as a frame (read_corpus: a row per document).
_SPECS: dict[str, list[Column]] = {**FRAMES, "metadata": METADATA}
_NAMES = {name: frozenset(c.name for c in columns) for name, columns in _SPECS.items()}


def _column(values: list, column: Column, frame: str):
    """One column's values as an array of the column's dtype (None is missing)."""
    spec = column.dtype
    if spec.startswith("cat:"):
        dtype = dtype_of(spec)
        allowed = set(dtype.categories)
        outside = next((v for v in values if v is not None and not (isinstance(v, str) and v in allowed)), None)
        if outside is not None:
            raise ValueError(f"{frame} column {column.name!r}: {outside!r} is not one of {list(dtype.categories)}")
        return pd.Categorical(values, dtype=dtype)
    if spec == "object":  # lists stay one value each
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array
    if spec in {"int64", "bool"}:
        return np.array(values, dtype=spec)
    return pd.array(values, dtype=dtype_of(spec))


def describe(name: str | None = None) -> pd.DataFrame:
    """The documentation as a frame: one row per column (of one frame or all)."""
    spec = {"metadata": METADATA, **FRAMES}
    names = [name] if name else list(spec)
    return pd.DataFrame(
        [{"frame": n, "column": c.name, "dtype": c.dtype, "meaning": c.meaning} for n in names for c in spec[n]]
    )
