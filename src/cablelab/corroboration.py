"""The corroboration table: each point of telegram 1379 beside what the letters say about it.

    cablelab.corroboration.table()                  # data/corroboration.csv, validated, one row per link
    cablelab.corroboration.view(cable)              # choose a point: the cable's words beside each side's
    cablelab.corroboration.chart(cable)             # which letters speak to which point, and how

Each row of ``data/corroboration.csv`` links a point of telegram 1379 ('1(a)' … '3(f)', or a
paragraph '¶2') to a passage of one of the Kennedy–Khrushchev letters, quoted word for word
(the load checks it is in the letter, once), with its relation to the point (supports,
contradicts, explains, context), a one-sentence note and its source. A point the letters do
not speak to has one row with the relation 'no counterpart' and no passage. The table is
curated for telegram 1379: on another document the views say so in a sentence.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
import markupsafe
import pandas as pd

from cablelab import companions, curated
from cablelab.actors import sender_side
from cablelab.cable import load
from cablelab.errors import CableFormatError
from cablelab.excerpts import full_text, occurrences, paragraphs
from cablelab.paths import data_dir
from cablelab.text import strip_markers

FILE = "corroboration.csv"
NONE = "no counterpart"
RELATIONS = ["supports", "contradicts", "explains", "context", NONE]
#: What each relation means, for the key under the views and the chart.
MEANINGS = {
    "supports": "the letter bears out what the cable says here",
    "contradicts": "the letter says otherwise",
    "explains": "the letter gives the reason or the background",
    "context": "the letter bears on the same matter without settling it",
    NONE: "none of the letters speaks to it",
}
#: A symbol beside each relation's word, so that nothing rests on colour alone.
SYMBOLS = {"supports": "✓", "contradicts": "✗", "explains": "→", "context": "•", NONE: "–"}
WRITERS = {"USSR": "Khrushchev", "US": "Kennedy"}
SIDE_HEADINGS = {"USSR": "The Soviet side: Khrushchev's letters", "US": "The U.S. side: Kennedy's letters"}
NOT_THIS_DOCUMENT = ("The corroboration table links points of telegram 1379 to the Kennedy-Khrushchev letters; "
                     "the loaded document ({name}) is another one, so it does not apply here.")
_POINT = (r"\d\([a-z]\)|¶\d", "3(e) or ¶2")


@functools.cache
def _spec() -> curated.FileSpec:
    return curated.FileSpec(
        columns=("point", "document", "passage", "relation", "note", "source"),
        optional=("document", "passage"),
        closed={"relation": RELATIONS},
        patterns={"point": _POINT},
    )


def seed_points() -> list[str]:
    """The points of telegram 1379 a row may name, in reading order: each lettered point, and
    '¶n' for a numbered paragraph without lettered points."""
    cable = load()
    refs: list[str] = []
    lettered = cable.points.groupby("paragraph")["ref"].agg(list).to_dict()
    for number in cable.paragraphs["paragraph"].dropna():
        refs += lettered.get(number, [f"¶{number}"])
    return refs


def _check_rows(path: Path, rows: list[tuple[int, dict[str, str]]]) -> None:
    """What a CSV spec cannot say: the point is in the cable, the passage in the letter."""
    known, letters = seed_points(), companions.ids()[1:]
    silent: dict[str, int] = {}
    linked: dict[str, int] = {}

    def fail(line: int, column: str, problem: str) -> None:
        raise CableFormatError(f"column '{column}': {problem}", line=line, source=path.name)

    for line, row in rows:
        point, document, passage = row["point"], row["document"], row["passage"]
        if point not in known:
            fail(line, "point", f"{point!r} is not a point of telegram 1379 ({', '.join(known)})")
        if row["relation"] == NONE:
            if document or passage:
                fail(line, "document", f"a '{NONE}' row names no document and quotes no passage")
            silent.setdefault(point, line)
            continue
        linked.setdefault(point, line)
        if document not in letters:
            fail(line, "document", f"{document!r} is not one of the letters: {', '.join(letters)}")
        if not passage:
            fail(line, "passage", "is empty; quote the letter's words")
        found = len(occurrences(full_text(document), passage))
        if found != 1:
            where = companions.short_name(document)
            fail(line, "passage", f"is not in {where} word for word" if not found else
                 f"occurs {found} times in {where}; quote more words to make it unique")
    for point, line in silent.items():
        if point in linked:
            fail(line, "relation", f"{point} is marked '{NONE}' but line {linked[point]} links it to a letter")
    lettered = [ref for ref in load().points["ref"] if ref not in silent and ref not in linked]
    if lettered:
        fail(1, "point", f"no row for {', '.join(lettered)}: link each lettered point of telegram 1379 to a letter, "
                         f"or mark it '{NONE}'")


@functools.cache
def _table(path: Path) -> pd.DataFrame:
    header, rows = curated._read_rows(path)
    curated._check(path, _spec(), header, rows)
    _check_rows(path, rows)
    frame = curated._frame(_spec(), rows)
    frame["line"] = [line for line, _ in rows]
    return frame


def table() -> pd.DataFrame:
    """The corroboration table, validated, with what the views need beside the file's columns:
    ``side`` (whose letter), ``writer``, ``date``, ``letter`` ('FRUS VI, doc. 79'),
    ``after`` (written after telegram 1379) and ``paragraph`` (its number in the letter, from 1)."""
    frame = _table((data_dir() / FILE).resolve()).copy(deep=False)
    documents = companions.documents().set_index("id")
    linked = frame["document"].notna()
    sides = [sender_side(documents.loc[d, "sender"]) if isinstance(d, str) else None for d in frame["document"]]
    seed_day = documents.loc[companions.SEED_ID, "date"]
    dates = [documents.loc[d, "date"] if isinstance(d, str) else pd.NaT for d in frame["document"]]
    return frame.assign(
        side=pd.Series(sides, dtype="str"),
        writer=pd.Series([WRITERS.get(s) for s in sides], dtype="str"),
        date=pd.Series(dates, dtype="datetime64[ns]"),
        letter=pd.Series([companions.short_name(d) if isinstance(d, str) else None for d in frame["document"]], dtype="str"),
        after=pd.Series([bool(linked[i] and dates[i] > seed_day) for i in range(len(frame))], dtype="bool"),
        paragraph=pd.array([_paragraph_of(d, p) if isinstance(d, str) else None
                            for d, p in zip(frame["document"], frame["passage"])], dtype="Int64"),
    )


def _paragraph_of(document: str, passage: str) -> int | None:
    """The number (from 1) of the letter's paragraph holding the passage."""
    return next((i for i, text in enumerate(paragraphs(document), start=1) if passage in text), None)


def points_without_rows() -> list[str]:
    """The lettered points of telegram 1379 the table neither links nor marks: none, when complete."""
    named = set(table()["point"])
    return [ref for ref in load().points["ref"] if ref not in named]


def applies(cable) -> bool:
    """Whether the table applies to ``cable`` (telegram 1379; None is the built-in one)."""
    return curated.applies_to(cable)


def not_this_document(cable) -> str:
    """The sentence the views show on another document."""
    from cablelab.exercises import _document_name

    return NOT_THIS_DOCUMENT.format(name=_document_name(cable))


# --- the cable's words and each side's, as HTML ------------------------------------------------------


def cable_words(cable, point: str) -> str:
    """The words of telegram 1379 at a point: the lettered point's text, or the whole paragraph."""
    if point.startswith("¶"):
        rows = cable.paragraphs[cable.paragraphs["paragraph"] == int(point[1:])]
    else:
        rows = cable.points[cable.points["ref"] == point]
    return strip_markers(str(rows["text"].iloc[0])) if len(rows) else ""  # footnote markers are not its words


def _label(point: str) -> str:
    return point if point.startswith("¶") else f"¶{point}"


_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_POINT_VIEW = _ENV.from_string("""\
<div class="cablelab-corroboration" style="line-height:1.4">
<h4 style="margin:0.2em 0">Telegram 1379, {{ label }}</h4>
<blockquote style="border-left:4px solid #595959;margin:6px 0;padding:2px 12px"><p>{{ words }}</p>
<footer><small>Telegram 1379 (FRUS XI, doc. 212), {{ label }}: Washington's instruction to its negotiators, 26 November 1962.</small></footer></blockquote>
{% if silent %}<p><strong>{{ symbols["no counterpart"] }} No counterpart in the letters.</strong> {{ silent.note }} <small>(Source: {{ silent.source }})</small></p>
{% else %}
<div style="display:flex;flex-wrap:wrap;gap:1em">
{% for side, heading, rows in sides %}
<div role="region" style="flex:1 1 22em;min-width:16em" aria-label="{{ heading }}">
<h5 style="margin:0.4em 0;font-size:1em">{{ heading }}</h5>
{% for r in rows %}
<div style="border:1px solid #bbb;padding:4px 8px;margin:0 0 8px 0">
<p style="margin:2px 0"><strong>{{ symbols[r.relation] }} {{ r.relation }}</strong> · {{ r.letter }}, {{ r.writer }}, {{ r.day }}{% if r.after %} (after telegram 1379){% endif %}, paragraph {{ r.paragraph }}</p>
<blockquote style="margin:4px 0 4px 0.8em;font-style:italic">“{{ r.passage }}”</blockquote>
<p style="margin:2px 0">{{ r.note }} <small>(Source: {{ r.source }})</small></p>
</div>
{% else %}
<p><em>Nothing in {{ writers[side] }}'s letters on this point.</em></p>
{% endfor %}
</div>
{% endfor %}
</div>
{% endif %}
</div>""")
_KEY = _ENV.from_string("""\
<p><small><strong>Key.</strong>
{% for relation, meaning in meanings.items() %}{{ symbols[relation] }} <em>{{ relation }}</em>: {{ meaning }}{% if not loop.last %}; {% endif %}{% endfor %}.
The links are the lesson authors' reading (data/corroboration.csv): test them against the letters.</small></p>""")


def key_html() -> markupsafe.Markup:
    """The relations' key, in words and symbols."""
    return markupsafe.Markup(_KEY.render(meanings=MEANINGS, symbols=SYMBOLS))


def point_html(cable, point: str) -> markupsafe.Markup:
    """For one point: the cable's words, then Khrushchev's and Kennedy's words on the same
    matter side by side, each with its relation, letter, note and source (all escaped)."""
    if not applies(cable):
        return markupsafe.Markup("<p><em>{}</em></p>").format(not_this_document(cable))
    return _point_html(cable, point, table(), _date_labels())


def _point_html(cable, point: str, links: pd.DataFrame, days: dict[str, str]) -> markupsafe.Markup:
    rows = links[links["point"] == point].sort_values(["date", "line"])
    silent = rows[rows["relation"] == NONE]
    records = [dict(r, day=days[r["document"]]) for r in rows[rows["relation"] != NONE].to_dict("records")]
    sides = [(side, SIDE_HEADINGS[side], [r for r in records if r["side"] == side]) for side in ("USSR", "US")]
    return markupsafe.Markup(_POINT_VIEW.render(
        label=_label(point), words=cable_words(cable, point), sides=sides, writers=WRITERS, symbols=SYMBOLS,
        silent=silent.iloc[0].to_dict() if len(silent) else None,
    )) + key_html()


def _date_labels() -> dict[str, str]:
    return {document: companions.date_label(document) for document in companions.ids()[1:]}


def views(cable) -> list[tuple[str, str]]:
    """(menu label, HTML) for every point the table covers, in the cable's order."""
    if not applies(cable):
        return []
    links, days = table(), _date_labels()  # once for every view
    return [(f"{_label(p)}: {_short(cable_words(cable, p))}", str(_point_html(cable, p, links, days)))
            for p in seed_points() if p in set(links["point"])]


def _short(text: str, width: int = 60) -> str:
    import textwrap

    return textwrap.shorten(" ".join(text.split()), width, placeholder="…")


def view(cable, point: str = "1(c)"):
    """A widget: choose a point of telegram 1379, read the cable's words beside each side's words.

    Kernel-free like ``widgets.static_explorer``: a Dropdown jslinked to a Stack of pre-rendered
    views, so the choice keeps working in exported slides and pages. Parts: ``choice``,
    ``stack``, ``link``. On another document it says in a sentence that the table does not apply.
    """
    import ipywidgets as widgets
    from ipywidgets.widgets.widget_string import HTMLStyle

    from cablelab.widgets import dropdown, missing_html, panel

    shown = views(cable)
    labels = [label for label, _ in shown]
    first = next((i for i, label in enumerate(labels) if label.startswith(f"{_label(point)}:")), 0)
    layout, style = widgets.Layout(), HTMLStyle()
    stack = widgets.Stack([widgets.HTML(html, layout=layout, style=style) for _, html in shown]
                          or [widgets.HTML(missing_html(not_this_document(cable)))], selected_index=first)
    choice = dropdown("Point of telegram 1379:", [(label, i) for i, label in enumerate(labels)] or [("(none)", 0)],
                      index=first, layout=widgets.Layout(width="46em", max_width="100%"))
    link = widgets.jslink((choice, "index"), (stack, "selected_index"))
    choice.observe(lambda change: setattr(stack, "selected_index", change["new"]), names="index")
    return panel("Two sides on one point", "Choose a point of the cable to read what Khrushchev and Kennedy "
                 "wrote about the same matter.", choice, stack, choice=choice, stack=stack, link=link)


# --- the chart -----------------------------------------------------------------------------------------

RELATION_STYLE = {
    "supports": {"marker": "o", "color": "#006BA4", "filled": True},
    "contradicts": {"marker": "X", "color": "#C85200", "filled": True},
    "explains": {"marker": "D", "color": "#595959", "filled": True},
    "context": {"marker": "s", "color": "#595959", "filled": False},
}


def chart(cable):
    """Which letter speaks to which point of telegram 1379, and how: a grid of the cable's
    points (rows) against the letters in date order (columns), one marker per link, its shape
    and colour the relation. A figure with alt text, description and data (cablelab.charts)."""
    from cablelab import charts

    return charts.chart(_chart)(cable)


def chart_table() -> pd.DataFrame:
    """The chart's data: one row per link (point, letter, date, side, writer, relation, after)."""
    rows = table()
    return rows[["point", "document", "letter", "date", "side", "writer", "relation", "after"]].reset_index(drop=True)


def _chart(cable):
    from matplotlib.lines import Line2D

    from cablelab import charts

    if not applies(cable):
        raise charts.Missing("What the letters say about telegram 1379", not_this_document(cable))
    data = chart_table()
    points = [p for p in seed_points() if p in set(data["point"])]
    letters = companions.documents().iloc[1:].reset_index(drop=True)
    column = {doc: i for i, doc in enumerate(letters["id"])}
    row = {p: i for i, p in enumerate(points)}
    fig, ax = charts.new_figure(11.5, 0.47 * len(points) + 2.7)  # fits a projected slide
    ax.set_title("What the Kennedy–Khrushchev letters say\nabout each point of telegram 1379")
    links = data[data["relation"] != NONE]
    for (point, doc), group in links.groupby(["point", "document"], sort=False):
        kinds = list(dict.fromkeys(group["relation"]))
        for k, relation in enumerate(kinds):
            style = RELATION_STYLE[relation]
            x = column[doc] + (k - (len(kinds) - 1) / 2) * 0.28
            ax.plot(x, row[point], linestyle="none", marker=style["marker"], markersize=13,
                    color=style["color"], markerfacecolor=style["color"] if style["filled"] else "white",
                    markeredgewidth=2)
    for point in data.loc[data["relation"] == NONE, "point"]:
        ax.text(len(letters) / 2 - 0.5, row[point], "no counterpart in the letters", ha="center", va="center",
                fontsize=13, style="italic", color=charts.INK)
    seed_day = companions.documents().iloc[0]["date"]
    boundary = (letters["date"] <= seed_day).sum() - 0.5
    ax.axvline(boundary, color=charts.INK, linestyle="--", linewidth=1.5)
    ax.text(boundary, -0.9, " telegram 1379,\n 26 Nov", ha="left", va="center", fontsize=12)
    ax.set_xticks(range(len(letters)))
    supplied = set(companions.manifest().query("dated_by == 'volume'")["id"])  # undated: FRUS's date, in brackets
    ax.set_xticklabels([f"doc. {d[1:]}\n{f'[{day:%d %b}]' if d in supplied else f'{day:%d %b}'}\n{WRITERS[sender_side(s)]}"
                        for d, day, s in zip(letters["id"], letters["date"], letters["sender"])], fontsize=12)
    ax.set_yticks(range(len(points)))
    ax.set_yticklabels([_label(p) for p in points])
    ax.set_ylim(len(points) - 0.5, -1.4)
    ax.set_xlim(-0.6, len(letters) - 0.4)
    ax.grid(True, color="#d9d9d9", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel("The letters in date order (FRUS VI document number, date, writer)")
    ax.set_ylabel("Point of telegram 1379")
    handles = [Line2D([], [], linestyle="none", marker=s["marker"], markersize=11, color=s["color"],
                      markerfacecolor=s["color"] if s["filled"] else "white", markeredgewidth=2,
                      label=f"{relation}: {MEANINGS[relation]}") for relation, s in RELATION_STYLE.items()]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=12)
    return charts.finish(fig, _alt(data, points), _description(data, points), data)


def _alt(data: pd.DataFrame, points: list[str]) -> str:
    against = [_label(p) for p in points if ((data["point"] == p) & (data["relation"] == "contradicts")).any()]
    silent = [_label(p) for p in points if ((data["point"] == p) & (data["relation"] == NONE)).any()]
    return (f"Grid of {len(points)} points of telegram 1379 against the ten Kennedy–Khrushchev letters: "
            f"the letters speak to {len(points) - len(silent)} of them; passages contradict "
            f"{_sentence_list(against)}" + (f", and nothing in the letters answers {_sentence_list(silent)}." if silent else "."))


def _description(data: pd.DataFrame, points: list[str]) -> str:
    links = data[data["relation"] != NONE]
    busiest = links["document"].value_counts()
    top = busiest.index[0]
    return ("A dot chart. Rows: the lettered points and unlettered paragraphs of telegram 1379, in the cable's order. "
            "Columns: the ten letters of FRUS 1961-1963 vol. VI, documents 67 to 84, in date order; a dashed line "
            "marks 26 November, the telegram's date, so the two letters right of it came later. Each marker is one "
            "passage of a letter linked to the point; its shape and colour give the relation (circle: supports; "
            "cross: contradicts; diamond: explains; hollow square: context). "
            "A date in brackets is FRUS's own: the letter is undated. "
            f"{len(links)} links in all; the letter with the most is {companions.short_name(top)} "
            f"({busiest.iloc[0]} links). Main point: " + _main_point(links))


def _main_point(links: pd.DataFrame) -> str:
    """Which side's letters contradict which points, in a sentence."""
    parts = []
    for side in ("USSR", "US"):
        against = links[(links["side"] == side) & (links["relation"] == "contradicts")]["point"]
        named = [_label(p) for p in dict.fromkeys(against)]
        parts.append(f"{WRITERS[side]}'s letters contradict {_sentence_list(named) if named else 'none of its points'}")
    return "; ".join(parts) + ". The other links bear out, explain or set the context of the cable's points."


def _sentence_list(items: list[str]) -> str:
    if len(items) < 2:
        return items[0] if items else "none"
    return ", ".join(items[:-1]) + " and " + items[-1]


curated.on_clear(_table.cache_clear)  # curated.clear_cache() makes an edited table visible
