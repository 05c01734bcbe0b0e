"""Telegraphese (data/glossary.csv): the glossary, finding its terms, expanding them.

Each row gives a ``term``, other spellings (``variants``), its ``expansion`` and, when
the term takes a plural 's' ('urtels'), the expansion's ``plural``. Case comes from the
data's ``match_case`` column: 'yes' (acronyms such as SC, SYG, GA) matches only as
written, so 'sc' or 'ga' in ordinary words never match; 'no' matches as written, in
lower case, with a capital first letter or in full capitals ('urtel', 'Urtel', 'URTEL').

    expand('urtels 1941, 1942')   ->  'your telegrams 1941, 1942'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cablelab import curated


def glossary(folder: str | Path | None = None) -> pd.DataFrame:
    """The glossary: term, variants (list), expansion, plural, explanation, match_case
    (bool), source, status. Validated on load; see data/README.md."""
    return curated.table("glossary.csv", folder)


@dataclass(frozen=True)
class _Entry:
    term: str
    expansion: str
    lower_case_term: bool


def _casings(form: str, match_case: bool) -> set[str]:
    if match_case:
        return {form}
    return {form, form.lower(), form.upper(), form[0].upper() + form[1:], form[0].upper() + form[1:].lower()}


@functools.cache
def _matcher(folder: Path) -> tuple[re.Pattern, dict[str, _Entry]]:
    entries: dict[str, _Entry] = {}
    for row in glossary(folder).itertuples(index=False):
        forms = [(form, row.expansion) for form in [row.term, *row.variants]]
        if isinstance(row.plural, str):
            forms += [(form + "s", row.plural) for form, _ in forms]
        for form, expansion in forms:
            for surface in _casings(form, row.match_case):
                entries.setdefault(surface, _Entry(row.term, expansion, row.term[0].islower()))
    return curated.surface_pattern(entries), entries


curated.on_clear(_matcher.cache_clear)


def _cased(expansion: str, surface: str, entry: _Entry) -> str:
    """The expansion in the surface's case: 'URTEL' -> 'YOUR TELEGRAM', 'Urtel' -> 'Your telegram'."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) > 1 and surface.isupper() and not entry.term.isupper():
        return expansion.upper()
    if surface[0].isupper() and entry.lower_case_term:
        return expansion[0].upper() + expansion[1:]
    return expansion


def find_terms(text: str, folder: str | Path | None = None) -> list[dict]:
    """Every glossary term in ``text``, in reading order.

    Each is a dict with keys term (the glossary's headword), surface (as written),
    expansion (singular or plural, in the surface's case), start, end.
    """
    pattern, entries = _matcher(curated.folder_of(folder))
    found = []
    for match in pattern.finditer(text):
        surface = match.group(0)
        entry = entries[surface]
        found.append(
            {
                "term": entry.term,
                "surface": surface,
                "expansion": _cased(entry.expansion, surface, entry),
                "start": match.start(),
                "end": match.end(),
            }
        )
    return found


def expand(text: str, folder: str | Path | None = None) -> str:
    """``text`` with every glossary term replaced by its expansion.

    'urtels' -> 'your telegrams', 'urtel 1941' -> 'your telegram 1941',
    'SYG report' -> 'UN Secretary-General report'. Everything else is left as it is.
    """
    pieces, last = [], 0
    for term in find_terms(text, folder):
        pieces += [text[last : term["start"]], term["expansion"]]
        last = term["end"]
    pieces.append(text[last:])
    return "".join(pieces)
