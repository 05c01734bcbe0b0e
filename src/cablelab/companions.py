"""The built-in documents: telegram 1379 and the ten Kennedy–Khrushchev messages beside it.

    cablelab.documents()          # id, date, sender, recipient, title, kind, source, url
    cablelab.load("d79")          # Khrushchev's message of 20 November 1962 (FRUS VI, doc. 79)

The messages are the "Kennedy-Khrushchev correspondence" telegram 1379 names twice (¶1(c),
¶3(d)): ten document divs of FRUS 1961–1963, vol. VI, cut byte for byte from the Office of
the Historian's TEI, in ``data/companions/``. Their provenance (FRUS number, character offset
and length in the volume, sha256, source commit, online address) is ``manifest.csv`` there,
checked on load like every curated file. This module only names files: reading them is
``cablelab.read``'s work, so it sits above ``cable`` and imports nothing heavy.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from cablelab.paths import builtin_cable, data_dir

#: The id of the built-in telegram 1379 among the documents.
SEED_ID = "telegram_1379"
FOLDER = "companions"
MANIFEST = "manifest.csv"
VOLUME_URL = "https://history.state.gov/historicaldocuments/frus1961-63v06/{id}"
SEED_SOURCE = "FRUS 1961–1963, vol. XI, doc. 212"
SEED_URL = "http://avalon.law.yale.edu/20th_century/msc_cuba212.asp"
#: Columns of ``documents()``.
COLUMNS = ["id", "date", "sender", "recipient", "title", "kind", "source", "url"]


def folder() -> Path:
    """The folder of the companion documents and their manifest (data/companions/)."""
    return data_dir() / FOLDER


@functools.cache
def _spec():
    # curated is loaded on first use only: `import cablelab` stays light.
    from cablelab.curated import FileSpec

    return FileSpec(
        columns=("id", "frus_doc", "date", "dated_by", "sender", "recipient", "title", "kind", "file",
                 "start_offset", "length", "bytes", "sha256", "source", "commit", "url"),
        closed={"dated_by": ["dateline", "volume"]},
        dates=("date",),
        patterns={
            "id": (r"d\d{1,4}", "d79"),
            "frus_doc": (r"\d{1,4}", "79"),
            "file": (r"[\w.-]+\.xml", "frus1961-63v06_d79.xml"),
            "start_offset": (r"\d+", "966937"),
            "length": (r"\d+", "28127"),
            "bytes": (r"\d+", "28169"),
            "sha256": (r"[0-9a-f]{64}", "e76e0b2a… (64 hexadecimal digits)"),
            "commit": (r"[0-9a-f]{40}", "068783a1… (40 hexadecimal digits)"),
            "url": (r"https://\S+", "https://history.state.gov/historicaldocuments/frus1961-63v06/d79"),
        },
        unique=("id", "file", "sha256"),
    )


@functools.cache
def _manifest(where: Path) -> pd.DataFrame:
    from cablelab.curated import _check, _frame, _read_rows

    path = where / MANIFEST
    header, rows = _read_rows(path)
    _check(path, _spec(), header, rows)
    frame = _frame(_spec(), rows)
    for column in ("frus_doc", "start_offset", "length", "bytes"):
        frame[column] = frame[column].astype("int64")
    return frame


def manifest() -> pd.DataFrame:
    """The provenance of the ten companion files (data/companions/manifest.csv), validated:
    a mistake names the file, line and column."""
    return _manifest(folder().resolve()).copy(deep=False)


def ids() -> list[str]:
    """Every built-in document's id, telegram 1379 first, then the letters in date order."""
    return [SEED_ID, *manifest()["id"]]


def document_path(document: str) -> Path:
    """The file of a built-in document by its id (``documents()``); KeyError names the ids."""
    if document == SEED_ID:
        return builtin_cable()
    rows = manifest()
    found = rows.loc[rows["id"] == document, "file"]
    if found.empty:
        raise KeyError(f"no built-in document {document!r}; the ids are {', '.join(ids())} "
                       "(cablelab.documents() lists them; cablelab.read(path) reads any other file)")
    return folder() / found.iloc[0]


def documents() -> pd.DataFrame:
    """The built-in documents, one row each: id, date, sender, recipient, title, kind, source, url.

    Sender and recipient are as each document's heading gives them (d67 is the State Department's
    telegram carrying Kennedy's letter of 27 October; its ``kind`` says so). Load one with
    ``cablelab.load(id)``.
    """
    from cablelab.cable import load

    seed = load().fields
    rows = manifest()
    letters = pd.DataFrame({
        "id": rows["id"],
        "date": rows["date"],
        "sender": rows["sender"],
        "recipient": rows["recipient"],
        "title": rows["title"],
        "kind": rows["kind"],
        "source": [f"FRUS 1961–1963, vol. VI, doc. {n}" for n in rows["frus_doc"]],
        "url": rows["url"],
    })
    telegram = pd.DataFrame({
        "id": [SEED_ID],
        "date": [seed["date"].normalize()],
        "sender": [seed["sender"]],
        "recipient": [seed["recipient"]],
        "title": [seed["title"]],
        "kind": [f"telegram {seed['number']}"],
        "source": [SEED_SOURCE],
        "url": [SEED_URL],
    })
    table = pd.concat([telegram, letters], ignore_index=True)
    table["date"] = table["date"].astype("datetime64[ns]")
    return table[COLUMNS]


def short_name(document: str) -> str:
    """How a lesson cites a built-in document: 'telegram 1379', 'FRUS VI, doc. 79'."""
    if document == SEED_ID:
        return "telegram 1379"
    return f"FRUS VI, doc. {document.removeprefix('d')}"


def date_label(document: str) -> str:
    """A document's date as a lesson prints it: '20 November 1962'; in brackets, '[11 November 1962]',
    when the document is undated and the date is the one FRUS gives it."""
    if document == SEED_ID:
        day, supplied = documents().iloc[0]["date"], False
    else:
        row = manifest().set_index("id").loc[document]
        day, supplied = row["date"], row["dated_by"] == "volume"
    text = f"{day.day} {day:%B %Y}"
    return f"[{text}]" if supplied else text
