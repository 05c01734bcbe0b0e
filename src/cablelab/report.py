"""A readable summary of a cable: what ``python -m cablelab summary [PATH]`` prints."""

from __future__ import annotations

import textwrap

import pandas as pd

from cablelab.cable import Cable

_WIDTH = 78


def summary(cable: Cable) -> str:
    """Header fields, counts, actors, dates and references, as plain text for a terminal."""
    meta = cable.fields
    sections = [_header(meta), _counts(cable), _actors(cable), _dates(cable), _references(cable)]
    if cable.page.leftovers:
        sections.append(_title("Set aside from the web page") + "\n" + _wrap(_leftovers(cable)))
    if not meta["complete"]:
        sections.append("Note: this copy looks incomplete (no source note, or a note or sentence is cut off).")
    return "\n\n".join(sections)


def _title(text: str) -> str:
    return f"{text}\n{'-' * len(text)}"


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _names(values: list[str]) -> str:
    return ", ".join(values) if values else "—"


def _header(meta: dict) -> str:
    heading = meta["title"] or meta["doc_type"] or "Document"
    number = f"{meta['doc_type'] or 'Document'} {meta['number']}" if meta["number"] else None
    when = "undated"
    if not pd.isna(meta["date"]):
        day = meta["date"]
        when = f"{day:%A} {day.day} {day:%B %Y}" + (f", {meta['time']}" if meta["time"] else "")
        when += f"–{meta['time_end']}" if meta["time_end"] else ""
    rows = [
        ("Number", number),
        ("FRUS document", meta["frus_number"]),
        ("From", meta["sender"]),
        ("To", meta["recipient"]),
        ("For", _names(meta["addressees"]) if meta["addressees"] else None),
        ("Participants", _names(meta["participants"]) if meta["participants"] else None),
        ("Sent", f"{meta['place']}, {when}" if meta["place"] else when),
        ("Subject", meta["subject"]),
        ("Classification", "; ".join(meta["classification"]) or None),
        ("Drafted by", _names(meta["drafted_by"]) if meta["drafted_by"] else None),
        ("Cleared by", _names(meta["cleared_by"]) if meta["cleared_by"] else None),
        ("Approved by", _names(meta["approved_by"]) if meta["approved_by"] else None),
        ("Opening", meta["opening"]),
        ("Signed", _names(meta["signed_by"]) if meta["signed_by"] else None),
        ("Received", meta["received"].removeprefix("Received ") if meta["received"] else None),
        ("File", meta["file_citation"]),
        ("Read as", f"{meta['page_kind']}{'' if meta['complete'] else ' (incomplete)'}"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [heading, "=" * min(len(heading), _WIDTH)]
    if meta["collection"]:
        lines.insert(0, meta["collection"])
    for label, value in rows:
        if value is not None and value != "":
            lines.append(textwrap.fill(str(value), _WIDTH, initial_indent=f"{label:<{width}}  ", subsequent_indent=" " * (width + 2)))
    return "\n".join(lines)


def _counts(cable: Cable) -> str:
    paragraphs = cable.records("paragraphs")
    numbered = sum(1 for p in paragraphs if p["paragraph"] is not None)
    points = cable.records("points")
    speakers: dict[str, list[str]] = {}
    for point in points:
        speakers.setdefault(point["speaker"], []).append(point["ref"])
    lines = [
        f"  {_count(len(paragraphs), 'paragraph')} ({numbered} numbered)",
        f"  {_count(len(points), 'lettered point')}" + "".join(f"\n    {side}: {', '.join(refs)}" for side, refs in speakers.items()),
        f"  {_count(len(cable.records('footnotes')), 'footnote')}",
    ]
    return _title("Counts") + "\n" + "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _actors(cable: Cable) -> str:
    try:
        mentions = cable.records("mentions")
    except Exception as err:  # the curated registry is a teacher's file: report, don't crash
        return _title("Actors") + f"\n  (could not read the actor registry: {err})"
    counts: dict[tuple[str, str], int] = {}
    for row in mentions:
        key = (row["side"], row["actor"])
        counts[key] = counts.get(key, 0) + 1
    by_side: dict[str, list[str]] = {}
    for (side, actor), n in sorted(counts.items(), key=lambda item: (-item[1], item[0][1])):
        by_side.setdefault(side, []).append(f"{actor} ×{n}" if n > 1 else actor)
    body = "\n".join(_wrap(f"{side}: " + ", ".join(names)) for side, names in by_side.items()) or "  —"
    return _title(f"Actors ({len(mentions)} mentions)") + "\n" + body


def _dates(cable: Cable) -> str:
    rows = cable.records("dates")
    lines = []
    for row in rows:
        day = f"{row['date']:%d %b %Y}" if not pd.isna(row["date"]) else "date unknown"
        where = _where(row)
        lines.append(f"  {day:<12}  {row['surface']!r} ({where})")
    return _title("Dates") + "\n" + ("\n".join(lines) or "  —")


def _references(cable: Cable) -> str:
    rows = cable.records("references")
    lines = []
    for row in rows:
        origin = f", from {row['origin']}" if row["origin"] else ""
        lines.append(f"  {row['surface']:<26}{row['kind']}{origin} ({_where(row)})")
    return _title("References") + "\n" + ("\n".join(lines) or "  —")


def _where(row: dict) -> str:
    if row["section"] == "footnote":
        return f"footnote {row['footnote']}"
    if row["section"] == "source":
        return "source note"
    if row["paragraph"] is None:
        return "unnumbered paragraph" if row["section"] == "body" else row["section"]
    return f"¶{row['paragraph']}" + (f"({row['point']})" if row["point"] else "")


def _leftovers(cable: Cable) -> str:
    kinds: dict[str, list[str]] = {}
    for left in cable.page.leftovers:
        kinds.setdefault(left.kind, []).append(str(left.line))
    return "; ".join(f"{kind.replace('_', ' ')} on line{'s' if len(lines) > 1 else ''} {', '.join(lines)}" for kind, lines in kinds.items())
