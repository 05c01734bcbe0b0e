"""The actor registry (data/actors.csv) and finding its actors in a text.

``actors()`` is the registry: one row per person, state or organisation, with
``aliases`` (names and other surface forms) and ``offices`` (titles that stand for a
person in a State Department cable: 'Secretary' is Rusk, 'SYG' is U Thant) as lists of
str. ``find_mentions(text)`` finds them all in one pass.

Case rule (applied to every surface form alike): a form written entirely in capitals
('US', 'SC', 'SYG') matches only as written, so 'to us' is not the United States;
any other form matches as written or in full capitals ('Stevenson', 'STEVENSON'), so a
lower-case 'secretary' is not Rusk.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cablelab import curated

POSSESSIVE = r"['’][sS]"


def actors(folder: str | Path | None = None) -> pd.DataFrame:
    """The registry: name, aliases (list), offices (list), kind, side, role_nov_1962, bio,
    source, status. Validated on load; see data/README.md."""
    return curated.table("actors.csv", folder)


@dataclass(frozen=True)
class _Hit:
    actor: str
    kind: str
    side: str


def _variants(surface: str) -> set[str]:
    letters = [c for c in surface if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return {surface}
    return {surface, surface.upper()}


@functools.cache
def _matcher(folder: Path) -> tuple[re.Pattern, dict[str, _Hit]]:
    registry = actors(folder)
    hits: dict[str, _Hit] = {}
    for row in registry.itertuples(index=False):
        forms = [(form, row.kind) for form in [row.name, *row.aliases]]
        forms += [(form, "office") for form in row.offices]
        for form, kind in forms:
            for variant in _variants(form):
                # An upper-case variant may coincide with another entry's acronym; the
                # form as written wins.
                if variant == form or variant not in hits:
                    hits[variant] = _Hit(row.name, kind, row.side)
    return curated.surface_pattern(hits, suffix=POSSESSIVE), hits


curated.on_clear(_matcher.cache_clear)


def find_mentions(text: str, folder: str | Path | None = None) -> list[dict]:
    """Every mention of a registry actor in ``text``, in reading order.

    Each is a dict with keys actor (canonical name), surface (as written, a possessive
    "'s" included), kind ('office' when found through a title, else the actor's kind),
    side, start, end (character offsets). The longest form wins ("Acting Secretary
    General" over "Secretary"); forms match as whole words only.
    """
    columns = mention_columns(text, folder)
    return [dict(zip(columns, values)) for values in zip(*columns.values())]


def mention_columns(text: str, folder: str | Path | None = None) -> dict[str, list]:
    """``find_mentions`` column by column: each key's values as a list, mentions in reading order.

    What ``Cable`` uses: a document has more mentions than anything else it holds, and
    lists made at once cost less than a dict per mention.
    """
    pattern, hits = _matcher(curated.folder_of(folder))
    matches = list(pattern.finditer(text))
    found = [hits[m.group("surface")] for m in matches]
    return {
        "actor": [hit.actor for hit in found],
        "surface": [m.group() for m in matches],
        "kind": [hit.kind for hit in found],
        "side": [hit.side for hit in found],
        "start": [m.start() for m in matches],
        "end": [m.end() for m in matches],
    }


# The sides in the order a sender's side is decided: a sender naming actors of two sides
# ('Embassy in the Soviet Union' aside, see _US_POST) is on the first one named here.
SIDES = ("US", "USSR", "Cuba", "UN")
# A U.S. post as a FRUS heading names it: 'Embassy in the Soviet Union', 'Mission to the United
# Nations'. FRUS names a foreign post with its country ('Soviet Embassy'), never this way.
_US_POST = re.compile(r"(?:[Tt]he )?(?:U\.S\. |United States )?(?:Embassy|Consulate(?: General)?|Legation|Mission|Delegation) (?:in|to|at)\b")


def sides_named(text: str, folder: str | Path | None = None) -> list[tuple[str, int]]:
    """(side, end) of each registry actor named in ``text``, in reading order: the actor's
    side and where its mention ends."""
    columns = mention_columns(text, folder)
    return list(zip(columns["side"], columns["end"]))


def sender_side(sender: str | None, folder: str | Path | None = None) -> str:
    """The side a document's sender is on: a U.S. post ('Embassy in the Soviet Union') is US;
    otherwise the side of the actors it names, in the order of SIDES ('Chairman Khrushchev'
    is USSR); 'other' when it names none of them."""
    if not sender:
        return "other"
    if _US_POST.match(sender):
        return "US"
    named = {side for side, _ in sides_named(sender, folder)}
    return next((side for side in SIDES if side in named), "other")
