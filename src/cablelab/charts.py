"""Charts of a cable: functions returning matplotlib Figures that carry their own alt text.

Each chart draws one table of :mod:`cablelab.tables` and returns a :class:`ChartFigure`
(:mod:`cablelab.figures`) holding its alt text, its longer description and the data drawn;
the alt text states the answer computed from that table. A chart whose data the document
lacks (no points, no footnotes, no dates) returns a figure saying so in a sentence; it never
raises.

Charts a widget redraws (points_matrix, actor_mentions, timeline) lay themselves out in one
pass (``fast_layout``) and are shown by widgets as SVG, text kept as text, to answer within
about 100 ms.

The names of :mod:`cablelab.figures` and :mod:`cablelab.tables` are importable from here too
(``charts.to_html``, ``charts.timeline_rows``, ...), as the notebooks call them.
"""

from __future__ import annotations

import math
import re
import textwrap

import pandas as pd
from matplotlib.dates import AutoDateLocator, DayLocator
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from cablelab.figures import (  # noqa: F401  (re-exported: charts.to_html, charts.INK, ...)
    BLUE, DARK, DATE_FORMAT, GREY, IMAGE_FORMATS, INK, KIND_STYLE, MID, ORANGE, PALE, PALE_BLUE, PALETTE, PEACH, RC,
    RUST, SECTION_STYLE, SIDE_STYLE, SKY, ChartFigure, Missing, alt_text, chart, column_labels, data_table, describe,
    fast_layout, finish, img_tag, legend_columns, legend_patches, message_figure, new_figure, row_labels, show, style_of, text_inches,
    title_of, to_html)
from cablelab.tables import (  # noqa: F401  (re-exported: charts.timeline_rows, charts.pairings, ...)
    ANNOTATED_NUMBER, BLOCK_LABELS, CITED_AS_CORRESPONDENCE, CITED_BY_EDITORS, CITED_IN_BOTH, CITED_IN_TEXT, EDITORS, EDITORS_COLUMN,
    EDITORS_DATE, EDITORS_SECTIONS, LETTER_KIND, NONE, PARTY_ALIASES, SECTION_COLUMNS, SIDES, TELEGRAM_SERIES, TELEGRAM_WORDS,
    TEXT_COLUMN, TEXT_DATE, TEXT_SECTIONS, THIS_CABLE, TRAIL_KINDS, WRITER, actor_mentions_table, actor_order,
    actors_by_paragraph_table, annotations_for, block_label, cable_dates_table, cited_in, context_events, counted,
    doc_name, event_date, footnote_markers, leaders, mentions_conclusion, mentions_table, pairing_table, pairings,
    paper_trail_table, party, refs_in, sent_year, sentence_date, sentence_list, short, structure_table, telegram_date,
    text_blocks, timeline_rows, timeline_table, within, words, words_used, writer_of)


# --- structure ---------------------------------------------------------------------------------


def structure_row_label(cable, block: int, label: str) -> str:
    """A header block is named by its first words (three blocks called 'Header' would tell nothing)."""
    if label != BLOCK_LABELS["header"]:
        return label
    return f"“{short(cable.blocks.set_index('block').loc[block, 'text'], 24)}”"


@chart
def structure(cable) -> ChartFigure:
    """Who wrote what a reader sees: each block of the printed document, the sender's text told apart
    from what the editors added (heading and dateline, footnotes, source note).

    One bar per block in reading order, its length the block's words; lettered points are hatched
    segments, stars mark where the editors set a footnote number into the text. The alt text gives
    the answer computed from the blocks: how many words are the original's, how many the editors'.
    """
    title = f"Who wrote each part of {doc_name(cable)}"
    table = structure_table(cable)
    if table.empty:
        raise Missing(title, "This document has no blocks of text to measure.")
    year = sent_year(cable)
    order = list(dict.fromkeys(table["block"]))
    # Laid out in one pass (no constrained layout), the bars in one call, rows labelled by plain texts.
    fig, ax = new_figure(11, 1.8 + 0.42 * len(order), layout=None)
    y_of = {block: i for i, block in enumerate(order)}  # the first block on top: the y axis runs downwards
    ys = table["block"].map(y_of)
    lefts = table.groupby("block", sort=False)["words"].cumsum() - table["words"]
    styles = [SECTION_STYLE[section] for section in table["section"]]
    is_point = table["part"] != "text"
    ax.barh(ys, table["words"], left=lefts, height=0.7, color=[s["color"] for s in styles], edgecolor=INK,
            hatch=["\\\\" if point else s["hatch"] for point, s in zip(is_point, styles)])
    labelled = is_point & (table["words"] >= 6)
    for y, left, count, part in zip(ys[labelled], lefts[labelled], table["words"][labelled], table["part"][labelled]):
        ax.text(left + count / 2, y, part, ha="center", va="center", fontsize=11, color="white", fontweight="bold",
                bbox={"boxstyle": "round,pad=0.1", "fc": INK, "ec": "none"})
    ends = table.groupby("block", sort=False)["words"].sum().to_dict()
    for block, end in ends.items():
        ax.text(end + 2, y_of[block], f"{end:.0f} words", va="center", fontsize=12)
    markers = footnote_markers(cable)
    stars = [(ends.get(block, 0) + 40 + 12 * (markers["block"][:i] == block).sum(), y_of.get(block, 0), number)
             for i, (block, number) in enumerate(zip(markers["block"], markers["number"]))]
    if stars:
        ax.plot([x for x, _, _ in stars], [y for _, y, _ in stars], linestyle="none", marker="*", markersize=16,
                color=ORANGE, markeredgecolor=INK)
    for x, y, number in stars:
        ax.text(x, y - 0.42, str(number), ha="center", fontsize=10)
    labels = table.drop_duplicates("block").set_index("block")["label"]
    row_labels(ax, [structure_row_label(cable, b, labels[b]) for b in order], [False] * len(order))
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, max(ends.values()) * 1.25 + 40)
    ax.set_title(title)
    ax.set_xlabel("Length in words (each bar is one block, in reading order from the top)")
    ax.set_ylabel("Block of the printed page")
    sections = [s for s in SECTION_STYLE if s in set(table["section"])]
    handles = [Patch(facecolor=SECTION_STYLE[s]["color"], hatch=SECTION_STYLE[s]["hatch"], edgecolor=INK,
                     label=writer_of(s, year)) for s in sections] + [
        Patch(facecolor="white", hatch="\\\\", edgecolor=INK, label="lettered point (a), (b), …"),
        Line2D([], [], marker="*", markersize=14, color=ORANGE, markeredgecolor=INK, linestyle="none",
               label="footnote number the editors set in the text")]
    ax.legend(handles=handles, loc="lower right", title="Who wrote it")
    fast_layout(fig, ax)
    return finish_structure(fig, cable, table, markers)


def finish_structure(fig: ChartFigure, cable, table: pd.DataFrame, markers: pd.DataFrame) -> ChartFigure:
    """Alt text and description of the structure chart: the original's words against the editors'."""
    year = sent_year(cable)
    by_block = table.groupby("block", sort=False).agg(label=("label", "first"), section=("section", "first"),
                                                      words=("words", "sum"))
    points = table[table["part"] != "text"]
    total = int(by_block["words"].sum())
    added = by_block[by_block["section"].isin(EDITORS)]
    counted = by_block.groupby("section", sort=False)["label"].count()
    parts = sentence_list([f"{counted[s]} {name}" for s, name in
                           (("header", "heading lines"), ("footnote", "footnotes"), ("source", "source note"))
                           if s in counted.index])
    alt = (f"Bar chart of {doc_name(cable)} as printed, one bar per block: the {year} text is "
           f"{total - int(added['words'].sum())} of its {total} words, and the editors added "
           f"{int(added['words'].sum())} ({round(100 * added['words'].sum() / total)} %) in {parts}"
           + (f", setting {len(markers)} footnote numbers into the text." if len(markers) else "."))
    description = (f"{alt} Each bar is one block in reading order, top to bottom; the x axis counts words. "
                   "Colour and hatching say who wrote the block (the key); hatched segments inside a bar are "
                   "its lettered points, labelled (a), (b) and so on; stars mark where a footnote's number "
                   "appears. Per block: " + "; ".join(f"{r.label} {r.words} words" for r in by_block.itertuples())
                   + ".")
    data = by_block.reset_index().assign(
        written_by=[writer_of(s, year) for s in by_block["section"]],
        points=[", ".join(points.loc[points["block"] == b, "part"]) for b in by_block.index],
        footnote_markers=[", ".join(map(str, markers.loc[markers["block"] == b, "number"])) for b in by_block.index])
    return finish(fig, alt, description, data)


# --- points matrix -----------------------------------------------------------------------------


SIDE_ADJECTIVES = {"USSR": "Soviet", "Cuba": "Cuban", "UN": "UN", "US": "U.S."}
PAIR_BOX = {"boxstyle": "round,pad=0.45", "linewidth": 2.5}


def pair_box_text(ref: str, topics: dict[str, str], texts: dict[str, str]) -> str:
    """'1(d) overflights' over the point's first words, on two lines: what a pairing box says."""
    heading = f"{ref} {topics[ref]}" if topics.get(ref) else ref
    first = re.split(r"(?<=[.;])\s", " ".join(str(texts.get(ref, "")).split()), maxsplit=1)[0]
    return "\n".join([heading, *textwrap.wrap(f"“{first.rstrip(';')}”", 36, max_lines=2, placeholder="…”",
                                               break_on_hyphens=False)])


def column_heading(cable, speakers: set[str], annotated: bool, concerns: bool) -> str:
    """'Soviet queries (¶1)' / 'U.S. talking points (¶3)': whose points a column holds, and where."""
    points = cable.points
    side = points["speaker"].astype("str")
    mine = points[(side != "US") if concerns else (side == "US")]
    where = ", ".join(f"¶{p}" for p in dict.fromkeys(mine["paragraph"].dropna().astype("int64")))
    who = " and ".join(SIDE_ADJECTIVES.get(s, s) for s in sorted(speakers))
    kind = ("queries" if concerns else "talking points") if annotated else "points"
    return f"{who} {kind}" + (f" ({where})" if where else "")


def pairing_title(other_sides: set[str]) -> str:
    """'Soviet queries and the U.S. answers' (or 'Concerns and …' when the other side is not the Soviets)."""
    return ("Soviet queries" if other_sides == {"USSR"} else "Concerns") + " and the U.S. answers"


@chart
def points_matrix(cable, highlight: list[str] | None = None) -> ChartFigure:
    """Which US point answers which concern: the other side's points (the Soviet queries of ¶1) in a
    column on the left, the US talking points (¶3) on the right, a line for each curated pairing
    (e.g. 1(d) with 3(e)); a point with no partner has a dashed box.

    ``highlight``: refs to shade and set in bold (the points a filter selected).
    """
    points = cable.points
    speakers = points["speaker"].astype("str")
    title = pairing_title(set(speakers[speakers != "US"]))
    concerns, answers = list(points.loc[speakers != "US", "ref"]), list(points.loc[speakers == "US", "ref"])
    if not concerns or not answers:
        raise Missing(title, "This document has no lettered points on both sides to pair "
                             f"({len(concerns)} non-US points, {len(answers)} US points).")
    pairs = pairings(cable)
    notes = annotations_for(cable)
    annotated = len(notes) > 0
    topics, texts = dict(zip(notes["ref"], notes["topic"].astype("str"))), dict(zip(points["ref"], points["text"]))
    rows = max(len(concerns), len(answers))
    fig, ax = new_figure(11, 2.4 + 1.05 * rows, layout=None)
    # Each column spreads its boxes over the same height, so the lines between them stay short.
    y_of = {ref: i * (rows - 1) / max(len(column) - 1, 1) if len(column) > 1 else (rows - 1) / 2
            for column in (concerns, answers) for i, ref in enumerate(column)}
    paired = set(pairs["concern"]) | set(pairs["answer"])
    chosen = set(highlight or [])
    across = blended_transform_factory(ax.transAxes, ax.transData)
    for column, x, ha, colour in ((concerns, 0.44, "right", RUST), (answers, 0.56, "left", BLUE)):
        for ref in column:
            ax.text(x, y_of[ref], pair_box_text(ref, topics, texts), transform=across, ha=ha, va="center",
                    multialignment="left", fontsize=13, fontweight="bold" if ref in chosen else "normal", zorder=3,
                    bbox={**PAIR_BOX, "fc": PEACH if ref in chosen else "white", "ec": colour,
                          "linestyle": "-" if ref in paired else "--"})
    for concern, answer in zip(pairs["concern"], pairs["answer"]):
        ax.plot([0.455, 0.545], [y_of[concern], y_of[answer]], transform=across, color=INK, linewidth=2.5,
                marker="o", markersize=7, zorder=2)
    left = column_heading(cable, set(speakers[speakers != "US"]), annotated, True)
    right = column_heading(cable, {"US"}, annotated, False)
    for x, ha, text in ((0.44, "right", left), (0.56, "left", right)):
        ax.text(x, -0.75, text, transform=across, ha=ha, va="bottom", fontsize=15, fontweight="bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(rows - 0.5, -1.1)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    ax.set_xlabel(f"Left: {left}; right: {right}")
    ax.set_ylabel("Order in the cable (first at the top)")
    handles = [Line2D([], [], color=INK, linewidth=2.5, marker="o", markersize=7,
                      label="answers it (the lesson authors' annotation)"),
               Patch(facecolor="white", edgecolor=INK, linestyle="--", linewidth=2, label="no partner on the other side")]
    if highlight:
        handles.append(Patch(facecolor=PEACH, edgecolor=INK, label="selected by the filter (bold)"))
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), frameon=False, ncols=len(handles))
    fast_layout(fig, ax, bottom_legend_rows=1)
    return finish_matrix(fig, cable, concerns, answers, pairs)


def finish_matrix(fig: ChartFigure, cable, concerns: list[str], answers: list[str], pairs: pd.DataFrame) -> ChartFigure:
    """Alt text and description of the pairing chart: the answers to the lesson's questions, computed."""
    description = ("Left column: the concerns the other side raised, in the cable's order; right column: the "
                   "U.S. talking points. A line joins a U.S. point to the concern it answers, according to the "
                   "curated annotations (data/point_annotations.csv); a dashed box is a point with no partner. "
                   "The data table lists each concern with its answer (— for none), then the U.S. points that "
                   "answer no concern.")
    if not len(pairs):
        alt = (f"Pairing chart of {doc_name(cable)}: no curated pairings exist for this document, so its "
               f"{len(concerns)} concerns and {len(answers)} U.S. points are listed with no line between them.")
        return finish(fig, alt, f"{alt} {description}", pairing_table(cable, pairs))
    answered = [c for c in concerns if c in set(pairs["concern"])]
    unanswered = [c for c in concerns if c not in answered]
    unasked = [a for a in answers if a not in set(pairs["answer"])]
    links = "; ".join(f"{sentence_list(list(group['concern']))} by {answer}"
                      for answer, group in pairs.groupby("answer", sort=False))
    none = f"{sentence_list(unanswered)} {'gets' if len(unanswered) == 1 else 'get'} none, and " if unanswered else ""
    idle = (f"{len(unasked)} U.S. {'point' if len(unasked) == 1 else 'points'} ({sentence_list(unasked)}) "
            f"{'answers' if len(unasked) == 1 else 'answer'} no concern" if unasked else "every U.S. point answers one")
    alt = (f"Pairing chart of {doc_name(cable)}: of the {len(concerns)} concerns, {len(answered)} get an answer "
           f"among the {len(answers)} U.S. talking points ({links}); {none}{idle}.")
    return finish(fig, alt, f"{alt} {description}", pairing_table(cable, pairs))


# --- mentions by side: the document's own text apart from what the editors added ----------------

TEXT_STYLE = {"color": BLUE, "hatch": "", "marker": "o"}
EDITORS_STYLE = {"color": ORANGE, "hatch": "//", "marker": "^"}


@chart
def mentions_by_side(cable) -> ChartFigure:
    """Actor mentions by side, the document's own text (body) beside what the editors added (heading,
    footnotes, source note): two bars per side, never stacked, the conclusion drawn from the text alone."""
    title = f"Who {doc_name(cable)} names, by side"
    if cable.mentions.empty:
        raise Missing(title, "No actor from the registry is mentioned in this document.")
    table = mentions_table(cable)
    fig, ax = new_figure(11, 6.4, layout=None)
    xs = range(len(table))
    width = 0.38
    for offset, column, style, label in (
            (-width / 2, TEXT_COLUMN, TEXT_STYLE, "In the 1962 text (lead and numbered paragraphs)"),
            (width / 2, EDITORS_COLUMN, EDITORS_STYLE, "Added by the editors (heading, footnotes, source note)")):
        positions = [x + offset for x in xs]
        ax.bar(positions, table[column], width=width, color=style["color"], hatch=style["hatch"], edgecolor=INK,
               label=label)
        for x, n in zip(positions, table[column]):
            ax.text(x, n + 0.3, str(int(n)), ha="center", va="bottom", fontsize=15, fontweight="bold")
    ax.set_xticks(list(xs), list(table["side"]))
    ax.set_ylim(0, table[[TEXT_COLUMN, EDITORS_COLUMN]].max().max() * 1.25 + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel("Side in the crisis (sides ordered by mentions in the 1962 text)")
    ax.set_ylabel("Mentions (names, titles, states)")
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=1, frameon=False)
    fast_layout(fig, ax, xtick_lines=1, bottom_legend_rows=2)
    conclusion = mentions_conclusion(cable, table)
    alt = f"Bar chart of actor mentions by side, two bars per side. {conclusion}"
    description = (f"{alt} For each side the left bar (solid blue) counts the mentions in the document's own "
                   "text, the lead and numbered paragraphs written in 1962; the right bar (hatched orange) counts "
                   "those in what the editors of Foreign Relations of the United States added: the heading, the "
                   "footnotes and the source note. The bars are side by side, not stacked, because only the text "
                   "answers the question of whom the negotiators were writing about. Every mention is written "
                   "from the U.S. side: the document speaks about the others, not for them.")
    return finish(fig, alt, description, table)


# --- where each actor is named ------------------------------------------------------------------


@chart
def actors_by_paragraph(cable) -> ChartFigure:
    """Which actor is named in which paragraph of the document's text: a grid, never a network.

    A mark means "named in this paragraph" (its number: how many times), not that two actors in
    the same column deal with each other; the actor cards give the sentences.
    """
    title = f"Where each actor is named in the text of {doc_name(cable)}"
    table = actors_by_paragraph_table(cable)
    if table.empty:
        raise Missing(title, "The text of this document names no actor from the registry.")
    columns = text_blocks(cable)
    column_of = {block: i for i, block in enumerate(columns["block"])}
    actors = actor_order(table)
    row_of = {actor: i for i, actor in enumerate(actors)}
    sides = dict(zip(table["actor"], table["side"]))
    fig, ax = new_figure(11, 2.2 + 0.36 * len(actors), layout=None)
    for side, rows in table.groupby("side", sort=False):
        style = SIDE_STYLE.get(side, SIDE_STYLE["other"])
        ax.scatter(rows["block"].map(column_of), rows["actor"].map(row_of), s=230 + 120 * rows["mentions"],
                   marker=style["marker"], color=style["color"], edgecolor=INK, linewidth=1.2, zorder=3, label=side)
    for row in table.itertuples(index=False):
        if row.mentions > 1:
            ax.text(column_of[row.block] + 0.22, row_of[row.actor], f"×{row.mentions}", va="center", fontsize=12)
    row_labels(ax, [f"{actor} ({sides[actor]})" for actor in actors], [False] * len(actors))
    column_labels(ax, list(columns["label"]), [False] * len(columns))
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.vlines([x + 0.5 for x in range(len(columns) - 1)], -0.5, len(actors) - 0.5, color=PALE, linewidth=1)
    ax.set_title(title)
    ax.set_xlabel("Paragraph of the text, in reading order")
    ax.set_ylabel("Actor (side), grouped by side")
    ax.legend(title="Side", loc="upper left", bbox_to_anchor=(1.01, 1), markerscale=0.6)
    fast_layout(fig, ax, right_legend=True)
    return finish_actors_by_paragraph(fig, cable, table, columns)


def finish_actors_by_paragraph(fig: ChartFigure, cable, table: pd.DataFrame, columns: pd.DataFrame) -> ChartFigure:
    """Alt text and description of the actors-by-paragraph grid."""
    spread = table.groupby("actor", sort=False)["paragraph"].agg(list)
    widest = spread.map(len).max()
    most = sentence_list([f"{a} ({', '.join(p)})" for a, p in spread.items() if len(p) == widest])
    once = sentence_list([f"{a} ({p[0]})" for a, p in spread.items() if len(p) == 1])
    alt = (f"Grid of the {len(spread)} actors named in the text of {doc_name(cable)} against its "
           f"{len(columns)} paragraphs: named in the most paragraphs ({widest}), {most}; named in one paragraph "
           f"only, {once}.")
    description = (f"{alt} Rows are actors grouped by side (marker shape and colour give the side), columns are the "
                   "paragraphs of the text in reading order; a mark means the actor is named in that paragraph, its "
                   "size and the number beside it how many times. Two marks in one column do not mean two actors "
                   "dealt with each other: only the sentence can tell, so read it in the actor cards. The heading, "
                   "footnotes and source note, which the editors added, are left out.")
    return finish(fig, alt, description, table.drop(columns="block"))


@chart
def actor_mentions(cable, actor: str) -> ChartFigure:
    """Small bar chart: where in the document one actor is mentioned."""
    title = f"Where {actor} is mentioned"
    table = actor_mentions_table(cable, actor)
    if table.empty:
        raise Missing(title, f"{actor} is not mentioned in this document.")
    side = str(cable.mentions.loc[cable.mentions["actor"] == actor, "side"].iloc[0])
    style = SIDE_STYLE.get(side, SIDE_STYLE["other"])
    width = max(6, 1.5 + 1.1 * len(table))
    fig, ax = new_figure(width, 4.2, layout=None)
    ax.bar([w.replace(" ", "\n") for w in table["where"]], table["mentions"], color=style["color"],
           hatch=style["hatch"], edgecolor=INK)
    for x, n in enumerate(table["mentions"]):
        ax.text(x, n + 0.05, str(n), ha="center", va="bottom", fontsize=13)
    ax.set_ylim(0, table["mentions"].max() + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(textwrap.fill(title, int(width * 7)), fontsize=15)  # a long name on two lines, not cut off
    ax.set_xlabel("Block of the document")
    ax.set_ylabel("Mentions")
    fast_layout(fig, ax)
    alt = (f"Bar chart of where {actor} ({side}) is mentioned in {doc_name(cable)}: "
           + ", ".join(f"{w} {n}" for w, n in zip(table["where"], table["mentions"])) + ".")
    return finish(fig, alt, alt + " One bar per block that names the actor; the height is the number of mentions.",
                  table)


# --- timeline ----------------------------------------------------------------------------------

CABLE_DATE_STYLE = {"color": ORANGE, "marker": "*", "hatch": ""}
EDITORS_DATE_STYLE = {"color": ORANGE, "marker": "X", "hatch": ""}
DOCUMENT_STYLE = {"color": INK, "marker": "P", "hatch": ""}
# Context categories never take the document's own colours (orange stars and crosses, black cross).
CONTEXT_CYCLE = [{"color": c, "marker": m, "hatch": ""} for c, m in zip(
    [BLUE, RUST, DARK, SKY, MID, PALE_BLUE], ["o", "s", "^", "D", "v", "h"])]
# The curated kinds keep one marker in every chart and zoom (a letter is always a square); a kind
# a teacher adds takes the next free one.
TIMELINE_KINDS = ["context: diplomacy", LETTER_KIND, "context: crisis", "context: UN"]
DOCUMENT_KIND_STYLES = {TEXT_DATE: CABLE_DATE_STYLE, EDITORS_DATE: EDITORS_DATE_STYLE, "this document": DOCUMENT_STYLE}


def timeline_styles(kinds: list[str]) -> dict[str, dict]:
    """Marker and colour of each timeline kind: the document's own dates fixed, the curated kinds
    fixed (``TIMELINE_KINDS``), other kinds in order of appearance after them."""
    context = TIMELINE_KINDS + [k for k in kinds if k not in DOCUMENT_KIND_STYLES and k not in TIMELINE_KINDS]
    styles = {**{k: CONTEXT_CYCLE[i % len(CONTEXT_CYCLE)] for i, k in enumerate(context)}, **DOCUMENT_KIND_STYLES}
    return {k: styles[k] for k in kinds}


@chart
def timeline(cable, start=None, end=None, events: pd.DataFrame | None = None,
             rows: pd.DataFrame | None = None) -> ChartFigure:
    """Context events (curated) and the document's own dates, one labelled row each, date on x.

    ``start``/``end`` zoom the range (anything ``pd.Timestamp`` reads); ``events`` replaces
    ``curated.context_events()``; ``rows``: ``timeline_rows(cable)`` when the caller keeps it
    (the timeline explorer does, to redraw quicker). The document's sending date is highlighted.
    """
    title = "The crisis and " + doc_name(cable)
    table = within(timeline_rows(cable, events) if rows is None else rows, start, end)
    if table.empty:
        raise Missing(title, "No dated event falls in this range, and the document gives no dates in it.")
    kinds = list(dict.fromkeys(table["kind"]))
    styles = timeline_styles(kinds)
    fig, ax = new_figure(11, 2.6 + 0.42 * len(table), layout=None)
    for kind in kinds:
        of_kind = table[table["kind"] == kind]
        style = styles[kind]
        ax.plot(of_kind["date"], of_kind.index, linestyle="none", marker=style["marker"], color=style["color"],
                markeredgecolor=INK, markersize=16 if kind == "this document" else 11, zorder=3, label=kind)
        spans = of_kind[of_kind["end_date"].notna()]
        if len(spans):
            ax.hlines(spans.index, spans["date"], spans["end_date"], color=style["color"], linewidth=6, zorder=2)
    sent = cable.metadata.get("date")
    if pd.notna(sent):
        ax.axvline(pd.Timestamp(sent), color=INK, linestyle="--", linewidth=2, zorder=1)
    row_labels(ax, [f"{d:%d %b} · {short(label, 44)}" for d, label in zip(table["date"], table["label"])],
               list(table["kind"] == "this document"))
    ax.set_ylim(len(table) - 0.5, -0.5)
    pad = max(pd.Timedelta(days=1), (table["date"].max() - table["date"].min()) * 0.04)
    first = max(table["date"].min(), pd.Timestamp(start)) if start is not None else table["date"].min()
    last = min(table[["date", "end_date"]].max().max(), pd.Timestamp(end)) if end is not None else \
        table[["date", "end_date"]].max().max()
    ax.set_xlim(first - pad, last + pad)
    ax.grid(axis="x", color=PALE)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=6))
    ax.xaxis.set_major_formatter(DATE_FORMAT)
    ax.set_title(title)
    ax.set_xlabel("Date (1962–63)\ndashed line: the day the document was sent")
    ax.set_ylabel("Event (date · what happened)")
    columns = legend_columns(kinds, fig.get_figwidth())
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=columns, frameon=False)
    fast_layout(fig, ax, xtick_lines=2, bottom_legend_rows=math.ceil(len(kinds) / columns))
    return finish_timeline(fig, cable, table)


def finish_timeline(fig: ChartFigure, cable, table: pd.DataFrame) -> ChartFigure:
    """Alt text and description of the timeline."""
    def days(kind: str) -> str:
        return sentence_list([f"{d:%d %b}" for d in table.loc[table["kind"] == kind, "date"]])

    text, notes = (table["kind"] == TEXT_DATE).any(), (table["kind"] == EDITORS_DATE).any()
    alt = (f"Timeline of {len(table)} dated rows from {table['date'].min():%d %B %Y} to "
           f"{table['date'].max():%d %B %Y}"
           + (f", the dates the document's own text gives starred ({days(TEXT_DATE)})" if text
              else ", the document's text giving no dates of its own")
           + (f", a date only the editors' notes give crossed ({days(EDITORS_DATE)})" if notes else "")
           + (f", and {doc_name(cable)} sent on {pd.Timestamp(cable.metadata['date']):%d %B %Y} highlighted."
              if pd.notna(cable.metadata.get("date")) else "; the document itself is undated."))
    description = (f"{alt} One row per event, earliest at the top; x is the date; the marker shape and colour "
                   "give the kind (see the key); thick bars show events that last several days. A star marks "
                   "a day the document's own text gives; a cross, a day found only in what the editors added "
                   "(heading, footnotes, source note). Each context event carries its source in the data table.")
    return finish(fig, alt, description, table)


# --- paper trail -------------------------------------------------------------------------------

PARTY_NAMES = {"USUN": "US Mission\nto the UN\n(New York)", "Department of State": "Department\nof State\n(Washington)",
               "Kennedy": "President\nKennedy", "Khrushchev": "Chairman\nKhrushchev"}
PARTY_COLOURS = [BLUE, DARK, SKY, MID]
# Line style by where the document cites a telegram: its own text (solid) or only the editors' notes (dotted).
TRAIL_STYLE = {CITED_IN_TEXT: "-", CITED_IN_BOTH: "-", CITED_BY_EDITORS: ":", "this document": "-",
               CITED_AS_CORRESPONDENCE: "--"}
# How an arrow is labelled (and its legend entry): a telegram the text cites, whether or not a footnote does too.
CITED_LABELS = {CITED_IN_TEXT: "the text", CITED_IN_BOTH: "the text", CITED_BY_EDITORS: "editors' footnote only",
                "this document": "this document", CITED_AS_CORRESPONDENCE: "¶1(c), ¶3(d): letters"}
LABEL_STYLE = {"the text": "-", "editors' footnote only": ":", "this document": "-", "¶1(c), ¶3(d): letters": "--"}


@chart
def paper_trail(cable, events: pd.DataFrame | None = None) -> ChartFigure:
    """The telegrams the document cites (and itself) as arrows from sender to recipient.

    On a date axis when every date is known (from ``curated.context_events()`` or the
    document's own sentence), else in the order the document cites them.
    """
    title = f"The paper trail behind {doc_name(cable)}"
    table = paper_trail_table(cable, events)
    if len(table) < 2:
        raise Missing(title, "This document cites no numbered telegrams.")
    dated = table["date"].notna().all()
    x = trail_positions(table) if dated else table["order"].astype("float")
    parties = list(dict.fromkeys([*table["sender"], *table["recipient"]]))
    lane = {p: i for i, p in enumerate(reversed(parties))}
    fig, ax = new_figure(11, 2.8 + 1.9 * len(parties), layout=None)
    colours = {p: PARTY_COLOURS[i % len(PARTY_COLOURS)] for i, p in enumerate(parties)}
    for (i, row), xi in zip(table.iterrows(), x):
        y0, y1 = lane[row["sender"]], lane[row["recipient"]]
        mine = row["kind"] == "this document"
        ax.annotate("", (xi, y1), (xi, y0), arrowprops={
            "arrowstyle": "-|>,head_width=0.5,head_length=0.9", "color": RUST if mine else colours[row["sender"]],
            "linewidth": 4 if mine else 2.5, "linestyle": TRAIL_STYLE[row["cited_in"]],
            "shrinkA": 9, "shrinkB": 4})
        ax.plot(xi, y0, marker="P" if mine else "o", markersize=14 if mine else 10,
                color=RUST if mine else colours[row["sender"]], markeredgecolor=INK, zorder=3)
        where = "this document" if mine else "letter" if row["kind"] == "letter" else "in " + CITED_LABELS[row["cited_in"]]
        label = f"{row['telegram']} ({where})" + (
            f"\n{row['date']:%d %b}" if pd.notna(row["date"]) else "")
        ax.annotate(label, (xi, (y0 + y1) / 2), xytext=(-7, 0), textcoords="offset points", rotation=90,
                    ha="right", va="center", fontsize=11, fontweight="bold" if mine else "normal")
    ax.set_yticks(list(lane.values()), [PARTY_NAMES.get(p, p) for p in lane])
    ax.set_ylim(-0.4, len(parties) - 0.6)
    if dated:
        ax.xaxis.set_major_locator(DayLocator())
        ax.xaxis.set_major_formatter(DATE_FORMAT)
    else:
        ax.set_xticks(list(x), [str(i + 1) for i in range(len(x))])
    ax.margins(x=0.12)
    ax.set_title(title)
    ax.set_xlabel("Date sent (telegrams of the same day side by side)" if dated
                  else "Order in which the document cites them (some dates unknown)")
    ax.set_ylabel("Sender → recipient")
    places = list(dict.fromkeys(CITED_LABELS[k] for k in table["cited_in"]))
    ax.legend(handles=[Line2D([], [], color=RUST if k == "this document" else INK, linewidth=4 if k == "this document"
                              else 2.5, linestyle=LABEL_STYLE[k], label=textwrap.fill(k, 22)) for k in places],
              title="Cited in", loc="upper left", bbox_to_anchor=(1.01, 1))
    fast_layout(fig, ax, xtick_lines=2 if dated else 1, right_legend=True)
    return finish_trail(fig, cable, table, dated)


def trail_positions(table: pd.DataFrame) -> list:
    """Dates nudged apart (a quarter day each) when several telegrams share a day."""
    seen: dict = {}
    positions = []
    for date in table["date"]:
        day = pd.Timestamp(date).normalize()
        positions.append(day + pd.Timedelta(hours=10 * seen.get(day, 0)))
        seen[day] = seen.get(day, 0) + 1
    return positions


def finish_trail(fig: ChartFigure, cable, table: pd.DataFrame, dated: bool) -> ChartFigure:
    """Alt text and description of the paper trail: what the document's text cites, apart from what
    only the editors' footnotes add (telegram 1379 does not cite USUN 1972 of 27 November; footnote 5 does)."""
    name = doc_name(cable)

    def listed(rows: pd.DataFrame) -> str:
        return sentence_list([f"{r.telegram}{f' of {r.date:%d %b}' if pd.notna(r.date) else ''}"
                              for r in rows.itertuples()])

    letters = table[table["cited_in"] == CITED_AS_CORRESPONDENCE]
    by_text = table[table["cited_in"].isin([CITED_IN_TEXT, CITED_IN_BOTH])]
    by_editors = table[table["cited_in"] == CITED_BY_EDITORS]
    sent = table.loc[table["kind"] == "this document", "date"]
    later = by_editors[by_editors["date"] > sent.iloc[0]] if len(sent) and pd.notna(sent.iloc[0]) else by_editors[:0]
    alt = ("Arrow chart of the telegrams behind " + name + ", each drawn from sender to recipient: "
           + (f"its own text cites {listed(by_text)}" if len(by_text) else "its own text cites no numbered telegram")
           + (f"; only the editors' footnotes add {listed(by_editors)}" if len(by_editors) else "")
           + (f", sent after {name}" if len(later) == len(by_editors) and len(later) else "")
           + (f"; dashed arrows are the leaders' letters it names only as the Kennedy-Khrushchev correspondence "
              f"(¶1(c), ¶3(d)): {listed(letters)}" if len(letters) else "") + ".")
    description = (f"{alt} Each lane is a sender or recipient; an arrow runs from the sender's lane to the "
                   "recipient's; the x axis is " + ("the date sent." if dated else
                                                     "the order of citation, because some dates are unknown.")
                   + " A solid arrow is a telegram the document's own text cites (urtel: a telegram from the "
                   "addressee; Deptel: from the Department); a dotted arrow, one that only the editors of Foreign "
                   "Relations of the United States cite in a footnote; the thick arrow is the document itself.")
    return finish(fig, alt, description, table.drop(columns="order"))
