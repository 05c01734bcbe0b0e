"""Charts of a cable: functions returning matplotlib Figures that carry their own alt text.

Every chart is a :class:`ChartFigure` (a ``matplotlib.figure.Figure``, made without pyplot,
so nothing is registered globally and a widget redraw leaks nothing). Each one carries:

- ``fig.alt_text``: one sentence for someone who cannot see it (also written into the PNG);
- ``fig.description``: the longer description (type, axes, key, main point);
- ``fig.data``: the numbers drawn, as a DataFrame.

Shown in a notebook, a ChartFigure's ``_repr_html_`` gives ``<figure>`` with ``<img alt=...>``,
a ``<figcaption>`` with the alt text, and a ``<details>`` holding the description and the data
table, so notebook outputs and HTML exports carry all three (``to_html(fig)`` gives the same).

A chart whose data the document lacks (no points, no footnotes, no dates) returns a figure
saying so in a sentence; it never raises.

Style: ``tableau-colorblind10`` colours, each series also told apart by hatching, marker shape
or a direct label; fonts of 13–18 pt on figures about 11 in wide, so a notebook column shows
them near full size. Charts a widget redraws (points_matrix, actor_mentions, timeline) lay
themselves out in one pass (``fast_layout``) and are shown by widgets as SVG, text kept as
text, to answer within about 100 ms; the others use constrained layout.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
import re
import textwrap
from typing import Callable

import matplotlib
import matplotlib.style
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter, DayLocator
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from cablelab import curated

_CB = matplotlib.style.library["tableau-colorblind10"]
PALETTE: list[str] = _CB["axes.prop_cycle"].by_key()["color"]
BLUE, ORANGE, GREY, DARK, SKY, RUST, MID, PALE_BLUE, PEACH, PALE = PALETTE
INK = "#1a1a1a"
TEXT_TO_PATH = TextToPath()
DATE_FORMAT = DateFormatter("%d %b\n%Y")

# Sizes readable from the back of a classroom.
RC = {
    **_CB,
    "font.size": 14,
    "axes.titlesize": 18,
    "axes.titleweight": "bold",
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "savefig.dpi": 90,
}

# Colour AND a second cue (hatch, marker) for each side, so nothing relies on colour alone.
SIDE_STYLE: dict[str, dict] = {
    "US": {"color": BLUE, "hatch": "", "marker": "o"},
    "USSR": {"color": RUST, "hatch": "//", "marker": "s"},
    "Cuba": {"color": DARK, "hatch": "xx", "marker": "^"},
    "UN": {"color": SKY, "hatch": "++", "marker": "D"},
    "other": {"color": MID, "hatch": "--", "marker": "v"},
}
SECTION_STYLE: dict[str, dict] = {
    "header": {"color": MID, "hatch": "--", "marker": "v"},
    "body": {"color": BLUE, "hatch": "", "marker": "o"},
    "footnote": {"color": ORANGE, "hatch": "..", "marker": "^"},
    "source": {"color": DARK, "hatch": "xx", "marker": "s"},
}
KIND_STYLE: dict[str, dict] = {
    "person": {"color": BLUE, "hatch": "", "marker": "o"},
    "office": {"color": SKY, "hatch": "..", "marker": "D"},
    "state": {"color": RUST, "hatch": "//", "marker": "s"},
    "organisation": {"color": DARK, "hatch": "xx", "marker": "^"},
}
_CYCLE = [{"color": c, "hatch": h, "marker": m} for c, h, m in zip(
    [BLUE, RUST, DARK, SKY, ORANGE, MID], ["", "//", "xx", "..", "\\\\", "--"], ["o", "s", "^", "D", "P", "v"])]

BLOCK_LABELS = {
    "header": "Header",
    "lead": "Lead",
    "numbered": "¶{paragraph}",
    "unnumbered": "Unnumbered",
    "signature": "Signature",
    "quoted": "Quoted",
    "footnote": "Footnote {footnote}",
    "source_note": "Source note",
}

# The curated annotations describe telegram 1379 only; another document's "1(a)" is not its 1(a)
# (``curated.applies_to`` decides which documents they describe).
ANNOTATED_NUMBER = curated.SEED_NUMBER


class Missing(Exception):
    """Raised inside a chart when the document lacks its data; becomes a figure saying so."""


class ChartFigure(Figure):
    """A Figure that keeps its alt text, long description and data, and shows them in HTML."""

    alt_text: str = ""
    description: str = ""
    data: pd.DataFrame = pd.DataFrame()

    def png(self) -> bytes:
        """The figure as PNG bytes, its alt text written into the PNG's Description."""
        return self.save("png")

    def svg(self) -> bytes:
        """The figure as SVG with its text kept as text: vector, small, and quicker to draw than PNG."""
        # The DOCTYPE names a DTD by URL; nothing needs it, and offline pages should name no URL to fetch.
        return re.sub(rb"<!DOCTYPE[^>]*>\s*", b"", self.save("svg"), count=1)

    def save(self, image: str) -> bytes:
        """The figure saved as "png" or "svg", titled and described by its alt text."""
        buffer = io.BytesIO()
        metadata = {"Title": title_of(self), "Description": self.alt_text, **({"Date": None} if image == "svg" else {})}
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cablelab"}):
            self.savefig(buffer, format=image, metadata=metadata)
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """PNG (alt text in its metadata) and the HTML figure around the same PNG: drawn once."""
        png = self.png()
        return ({"image/png": base64.b64encode(png).decode("ascii"), "text/html": to_html(self, png=png)},
                {"image/png": {"alt": self.alt_text}})

    def _repr_png_(self) -> tuple[bytes, dict]:
        return self.png(), {"alt": self.alt_text}

    def _repr_html_(self) -> str:
        return to_html(self)


def title_of(fig: Figure) -> str:
    """The chart's title (the first axes' title)."""
    return fig.axes[0].get_title() if fig.axes else ""


def alt_text(fig: Figure) -> str:
    """The figure's one-sentence alt text."""
    return getattr(fig, "alt_text", "")


def describe(fig: Figure) -> str:
    """The longer description (type of chart, axes, key, main point)."""
    return getattr(fig, "description", "") or alt_text(fig)


def data_table(fig: Figure) -> pd.DataFrame:
    """The data drawn in the chart, as a table."""
    return getattr(fig, "data", pd.DataFrame())


IMAGE_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def img_tag(fig: Figure, png: bytes | None = None, image: str = "png") -> str:
    """An ``<img>`` holding the chart inline (PNG, or SVG with ``image="svg"``), the alt text as ``alt``."""
    data = png if png is not None else getattr(fig, image)()
    payload = base64.b64encode(data).decode("ascii")
    return (f'<img src="data:{IMAGE_FORMATS[image]};base64,{payload}" alt="{html.escape(alt_text(fig))}" '
            'style="max-width:100%;height:auto"/>')


def to_html(fig: Figure, details: bool = True, png: bytes | None = None, image: str = "png") -> str:
    """The chart as HTML: ``<figure>``, ``<img alt>``, ``<figcaption>``, then description and data.

    ``image``: "png" (default) or "svg" (text stays text; what the widgets use, being quicker).
    """
    parts = [f'<figure class="cablelab-chart" style="margin:0">{img_tag(fig, png, image)}',
             f"<figcaption>{html.escape(alt_text(fig))}</figcaption>"]
    if details:
        table = data_table(fig)
        parts.append(f"<details><summary>Description and data of “{html.escape(title_of(fig))}”</summary>"
                     f"<p>{html.escape(describe(fig))}</p>"
                     f"{table.to_html(index=False, na_rep='', escape=True) if len(table) else ''}</details>")
    return "".join(parts) + "</figure>"


def show(fig: Figure):
    """An object a notebook displays as the chart's HTML (alt text, caption, description, data)."""
    from IPython.display import HTML

    return HTML(to_html(fig))


# --- building blocks ---------------------------------------------------------------------------


def chart(builder: Callable[..., ChartFigure]) -> Callable[..., ChartFigure]:
    """Run a chart builder in the suite's style; a :class:`Missing` becomes a sentence figure."""

    @functools.wraps(builder)
    def build(*args, **kwargs) -> ChartFigure:
        with matplotlib.rc_context(RC):
            try:
                return builder(*args, **kwargs)
            except Missing as missing:
                title, sentence = missing.args
                return message_figure(title, sentence)

    return build


def new_figure(width: float, height: float, layout: str | None = "constrained") -> tuple[ChartFigure, Axes]:
    """A ChartFigure (no pyplot) with one axes; constrained layout unless the chart lays itself out."""
    fig = ChartFigure(figsize=(width, height), layout=layout)
    return fig, fig.add_subplot()


def finish(fig: ChartFigure, alt: str, description: str, data: pd.DataFrame) -> ChartFigure:
    """Attach the alt text, the longer description and the data to a chart."""
    fig.alt_text, fig.description, fig.data = alt, description, data.reset_index(drop=True)
    return fig


@functools.cache
def glyph_width(char: str, weight: str = "normal") -> float:
    """Advance width of one character at 1 pt, in points (measured once, then remembered)."""
    prop = FontProperties(family=matplotlib.rcParams["font.family"], size=100, weight=weight)
    return TEXT_TO_PATH.get_text_width_height_descent(char, prop, ismath=False)[0] / 100


def text_inches(text: str, size: float, weight: str = "normal") -> tuple[float, float]:
    """Width and height in inches of a (multi-line) text at a font size, without drawing it."""
    lines = str(text).split("\n")
    width = max(sum(glyph_width(c, weight) for c in line) for line in lines) * size / 72
    return width, len(lines) * size * 1.3 / 72


def fast_layout(fig: Figure, ax, xtick_lines: int = 0, bottom_legend_rows: int = 0, pad: float = 0.15,
                right_legend: bool = False) -> None:
    """Margins from the measured title, axis labels and tick (or row) labels: one draw, where
    constrained layout draws twice. Used by the charts widgets redraw, to keep a redraw near 100 ms.
    ``right_legend``: the axes' legend sits right of the axes; room is made for its widest line."""
    width, height = fig.get_size_inches()
    rc = matplotlib.rcParams
    labels = [*ax.get_yticklabels(), *getattr(ax, "row_labels", [])]
    ytick = max((text_inches(t.get_text(), rc["ytick.labelsize"], t.get_fontweight())[0]
                 for t in labels if t.get_text()), default=0)
    columns = [*ax.get_xticklabels(), *getattr(ax, "column_labels", [])]
    xtick = max([text_inches(t.get_text(), rc["xtick.labelsize"])[1] for t in columns if t.get_text()]
                + [xtick_lines * rc["xtick.labelsize"] * 1.3 / 72])
    ylabel = text_inches(ax.get_ylabel(), rc["axes.labelsize"])[1] if ax.get_ylabel() else 0
    xlabel = text_inches(ax.get_xlabel(), rc["axes.labelsize"])[1] if ax.get_xlabel() else 0
    title = text_inches(ax.get_title(), rc["axes.titlesize"], "bold")[1] if ax.get_title() else 0
    ticks = 0.16  # tick length and label padding
    left = pad + ylabel + ytick + ticks + 0.1
    bottom = pad + xlabel + xtick + ticks + 0.1 + bottom_legend_rows * rc["legend.fontsize"] * 2.0 / 72
    # The right margin leaves room for half of a last tick label that sits on the axis end.
    legend = ax.get_legend() if right_legend else None
    # Its widest line: the handle (2 em) and paddings, then the text; the axes' end needs no room of its own.
    beside = max([text_inches(t.get_text(), rc["legend.fontsize"])[0] + 0.7 for t in legend.get_texts()]
                 + [text_inches(legend.get_title().get_text(), rc["legend.fontsize"])[0] + 0.3]) - 0.2 if legend else 0
    left, right = min(left / width, 0.7), 1 - (pad + 0.35 + beside) / width
    low, top = min(bottom / height, 0.6), 1 - (pad + title + 0.1) / height
    fig.subplots_adjust(left=left, right=right, bottom=low, top=top)
    # With plain-text labels instead of tick labels, place the axis labels past them.
    if getattr(ax, "row_labels", None):
        ax.yaxis.set_label_coords(-(ytick + ticks + 0.05) / ((right - left) * width), 0.5)
    if getattr(ax, "column_labels", None):
        ax.xaxis.set_label_coords(0.5, -(xtick + ticks + 0.05) / ((top - low) * height))


def row_labels(ax, labels: list[str], bold: list[bool]) -> None:
    """One label left of each row (y = 0, 1, ...): plain texts, much cheaper to make than tick labels."""
    ax.set_yticks([])
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    ax.row_labels = [ax.text(-0.012, y, label, transform=beside, ha="right", va="center",
                             fontsize=matplotlib.rcParams["ytick.labelsize"], fontweight="bold" if strong else "normal")
                     for y, (label, strong) in enumerate(zip(labels, bold))]


def column_labels(ax, labels: list[str], bold: list[bool]) -> None:
    """One label under each column (x = 0, 1, ...): plain texts, like ``row_labels``."""
    ax.set_xticks([])
    below = blended_transform_factory(ax.transData, ax.transAxes)
    size = matplotlib.rcParams["xtick.labelsize"]
    ax.column_labels = [ax.text(x, -0.025, label, transform=below, ha="center", va="top", fontsize=size,
                                fontweight="bold" if strong else "normal")
                        for x, (label, strong) in enumerate(zip(labels, bold))]


def message_figure(title: str, sentence: str) -> ChartFigure:
    """A figure that says in a sentence why there is nothing to draw."""
    with matplotlib.rc_context(RC):
        fig, ax = new_figure(10, 3)
        ax.set_title(title)
        ax.set_xlabel("(nothing to plot)")
        ax.set_ylabel("")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, textwrap.fill(sentence, 70), ha="center", va="center", transform=ax.transAxes, fontsize=15)
    return finish(fig, f"{title}: {sentence}", sentence, pd.DataFrame({"message": [sentence]}))


def style_of(table: dict[str, dict], key: str, index: int = 0) -> dict:
    """The style of a key, or the next style of the cycle for keys the table does not know."""
    return table.get(key, _CYCLE[index % len(_CYCLE)])


def legend_patches(styles: dict[str, dict], keys: list[str]) -> list[Patch]:
    """Legend entries showing colour and hatch for each key."""
    return [Patch(facecolor=styles[k]["color"], hatch=styles[k]["hatch"], edgecolor=INK, label=k) for k in keys]


def words(text: str) -> int:
    """How many words a text has."""
    return len(str(text).split())


def short(text: str, width: int) -> str:
    """A text shortened to a width, on a word boundary."""
    return textwrap.shorten(" ".join(str(text).split()), width, placeholder="…")


def block_label(row) -> str:
    """How a teacher names a block: 'Lead', '¶3', 'Footnote 2', 'Source note'."""
    return BLOCK_LABELS.get(str(row["kind"]), str(row["kind"])).format(
        paragraph=row["paragraph"], footnote=row["footnote"])


def sentence_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('none' for no items)."""
    if len(items) < 2:
        return items[0] if items else "none"
    return ", ".join(items[:-1]) + " and " + items[-1]


def doc_name(cable) -> str:
    """The document's short name ('telegram 1379', or its type)."""
    meta = cable.metadata
    number = meta.get("number")
    kind = str(meta.get("doc_type") or "document").lower()
    return f"{kind} {number}" if isinstance(number, str) and number else f"this {kind}"


# --- curated data (curated.py reads its files on first use) -------------------------------------


def annotations_for(cable) -> pd.DataFrame:
    """The curated point annotations when they describe this document, else an empty frame."""
    if not curated.applies_to(cable):
        return pd.DataFrame(columns=["ref", "speaker", "topic", "answers", "note", "source"])
    return curated.annotations()


def context_events() -> pd.DataFrame:
    """The curated chronology of the crisis."""
    return curated.context_events()


# --- structure ---------------------------------------------------------------------------------

# Who wrote each section of a FRUS document as printed: the sender's text, or the editors'.
WRITER = {
    "header": "the editors: heading and dateline",
    "body": "the {year} text",
    "footnote": "the editors: footnotes",
    "source": "the editors: source note",
}
EDITORS = ("header", "footnote", "source")


def writer_of(section: str, year: str) -> str:
    """Who wrote a section, as the structure chart's key names it."""
    return WRITER.get(section, section).format(year=year)


def sent_year(cable) -> str:
    """The year the document was written ('1962'), or 'original' when it is undated."""
    sent = cable.metadata.get("date")
    return f"{pd.Timestamp(sent):%Y}" if pd.notna(sent) else "original"


def structure_table(cable) -> pd.DataFrame:
    """One row per segment of each block: its lead or one lettered point, with word counts."""
    leads = dict(zip(cable.paragraphs["block"], cable.paragraphs["lead"]))
    rows = []
    for block in cable.blocks.itertuples(index=False):
        row = block._asdict()
        label = block_label(row)
        points = cable.points[cable.points["block"] == block.block]
        lead = leads.get(block.block, block.text) if len(points) else block.text
        rows.append({"block": block.block, "label": label, "section": str(block.section), "part": "text",
                     "words": words(lead)})
        rows += [{"block": block.block, "label": label, "section": str(block.section), "part": f"({p.label})",
                  "words": words(p.text)} for p in points.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["block", "label", "section", "part", "words"])


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


def footnote_markers(cable) -> pd.DataFrame:
    """Footnotes whose marker was found in a block: block and number."""
    found = cable.footnotes.dropna(subset=["block"])
    return pd.DataFrame({"block": found["block"].astype("int64"), "number": found["number"]}).reset_index(drop=True)


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


def pairings(cable) -> pd.DataFrame:
    """Pairs (concern, answer) from the annotations: a non-US point and the US point that answers it."""
    speakers = dict(zip(cable.points["ref"], cable.points["speaker"].astype("str")))
    notes = annotations_for(cable)
    topics = dict(zip(notes["ref"], notes["topic"].astype("str")))
    rows = []
    for note in notes.itertuples(index=False):
        for other in refs_in(note.answers):
            pair = (note.ref, other)
            concern, answer = pair if speakers.get(pair[1]) == "US" else pair[::-1]
            if concern in speakers and answer in speakers and speakers[answer] == "US" != speakers[concern]:
                rows.append({"concern": concern, "answer": answer, "concern_topic": topics.get(concern, ""),
                             "answer_topic": topics.get(answer, "")})
    return pd.DataFrame(rows, columns=["concern", "answer", "concern_topic", "answer_topic"]).drop_duplicates()


def refs_in(answers) -> list[str]:
    """The refs an annotation answers: a list, or a '|'-separated string."""
    if isinstance(answers, str):
        return [ref.strip() for ref in answers.split("|") if ref.strip()]
    return [str(ref) for ref in answers] if isinstance(answers, (list, tuple)) else []


NONE = "—"  # in the pairing table: no point on the other side
SIDE_ADJECTIVES = {"USSR": "Soviet", "Cuba": "Cuban", "UN": "UN", "US": "U.S."}
PAIR_BOX = {"boxstyle": "round,pad=0.45", "linewidth": 2.5}


def pairing_table(cable, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each concern with the US points that answer it (one row per pair; "—" for none), then the US
    points that answer no concern: columns concern, concern_topic, answer, answer_topic."""
    pairs = pairings(cable) if pairs is None else pairs
    speakers = cable.points["speaker"].astype("str")
    notes = annotations_for(cable)
    topics = dict(zip(notes["ref"], notes["topic"].astype("str")))
    rows = []
    for concern in cable.points.loc[speakers != "US", "ref"]:
        answers = list(pairs.loc[pairs["concern"] == concern, "answer"]) or [NONE]
        rows += [{"concern": concern, "answer": answer} for answer in answers]
    rows += [{"concern": NONE, "answer": answer} for answer in cable.points.loc[speakers == "US", "ref"]
             if answer not in set(pairs["answer"])]
    table = pd.DataFrame(rows, columns=["concern", "answer"])
    return table.assign(concern_topic=[topics.get(ref, "") for ref in table["concern"]],
                        answer_topic=[topics.get(ref, "") for ref in table["answer"]])[
        ["concern", "concern_topic", "answer", "answer_topic"]]


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

TEXT_SECTIONS = ("body",)  # the lead and the numbered paragraphs: what the 1962 text says
EDITORS_SECTIONS = ("header", "footnote", "source")  # the heading, the footnotes, the source note
TEXT_COLUMN = "in the text"
EDITORS_COLUMN = "added by the editors"
SECTION_COLUMNS = {"header": "of which heading", "footnote": "of which footnotes", "source": "of which source note"}
TEXT_STYLE = {"color": BLUE, "hatch": "", "marker": "o"}
EDITORS_STYLE = {"color": ORANGE, "hatch": "//", "marker": "^"}


def mentions_table(cable) -> pd.DataFrame:
    """Mentions by side: in the document's text (body) and added by the editors (heading, footnotes,
    source note), with the editors' share split by section. Sides the document never names are left out;
    sides in the order of the text's counts, most named first."""
    mentions = cable.mentions
    sides = mentions["side"].astype("str")
    sections = mentions["section"].astype("str")
    counts = pd.crosstab(sides, sections).reindex(columns=[*TEXT_SECTIONS, *EDITORS_SECTIONS], fill_value=0)
    table = pd.DataFrame({"side": counts.index.astype("str"),
                          TEXT_COLUMN: counts[list(TEXT_SECTIONS)].sum(axis=1).to_numpy(),
                          EDITORS_COLUMN: counts[list(EDITORS_SECTIONS)].sum(axis=1).to_numpy(),
                          **{label: counts[section].to_numpy() for section, label in SECTION_COLUMNS.items()}})
    table = table[table[[TEXT_COLUMN, EDITORS_COLUMN]].sum(axis=1) > 0]
    return table.sort_values([TEXT_COLUMN, EDITORS_COLUMN, "side"], ascending=[False, False, True],
                             ignore_index=True)


def counted(table: pd.DataFrame, column: str) -> str:
    """'USSR 20, US 11, UN 8 and Cuba 4': the sides a column counts, most first, zeros left out."""
    rows = table[table[column] > 0].sort_values([column, "side"], ascending=[False, True])
    return sentence_list([f"{side} {n}" for side, n in zip(rows["side"], rows[column])])


def leaders(counts: pd.Series) -> list[str]:
    """The sides with the highest count (several when they tie)."""
    return sorted(counts.index[counts == counts.max()]) if len(counts) and counts.max() > 0 else []


def mentions_conclusion(cable, table: pd.DataFrame | None = None) -> str:
    """The chart's conclusion, computed from the document's text alone (the editors' additions apart).

    On telegram 1379: 'In the text of telegram 1379 itself, USSR is named most: USSR 20, US 11, UN 8
    and Cuba 4 mentions. ...' and what counting the editors' additions too would wrongly suggest.
    """
    table = mentions_table(cable) if table is None else table
    name = doc_name(cable)
    text = table.set_index("side")[TEXT_COLUMN]
    top = leaders(text)
    if not top:
        said = f"The text of {name} itself names no actor; every mention is in the editors' additions."
    elif len(top) == 1:
        said = f"In the text of {name} itself, {top[0]} is named most: {counted(table, TEXT_COLUMN)} mentions."
    else:
        said = (f"In the text of {name} itself, {sentence_list(top)} are named equally often: "
                f"{counted(table, TEXT_COLUMN)} mentions.")
    added = table[EDITORS_COLUMN].sum()
    if not added:
        return said + " The editors added no mention of their own."
    said += f" The editors' heading, footnotes and source note add {counted(table, EDITORS_COLUMN)}"
    total = table.set_index("side")[[TEXT_COLUMN, EDITORS_COLUMN]].sum(axis=1)
    misleading = leaders(total)
    if top and len(misleading) == 1 and misleading[0] not in top:
        first, rival = misleading[0], top[0]
        return (said + f"; counted together with the text, {first} would wrongly seem the most named "
                f"({total[first]} against {total[rival]} for {rival}).")
    return said + "."


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


def text_blocks(cable) -> pd.DataFrame:
    """The blocks of the document's own text (the body), in reading order, with their labels."""
    blocks = cable.blocks[cable.blocks["section"].astype("str").isin(TEXT_SECTIONS)]
    return blocks.assign(label=[block_label(row) for _, row in blocks.iterrows()])[["block", "label"]]


def actors_by_paragraph_table(cable) -> pd.DataFrame:
    """One row per actor named in the text (body) and paragraph: how many times, with the actor's side."""
    mentions = cable.mentions[cable.mentions["section"].astype("str").isin(TEXT_SECTIONS)]
    labels = dict(zip(*text_blocks(cable).to_dict("list").values()))
    table = (mentions.assign(side=mentions["side"].astype("str"))
             .groupby(["actor", "side", "block"], sort=False).size().rename("mentions").reset_index())
    return table.assign(paragraph=table["block"].map(labels))[["actor", "side", "paragraph", "block", "mentions"]]


def actor_order(table: pd.DataFrame) -> list[str]:
    """Actors grouped by side (the sides in SIDE_STYLE's order), each side's actors by first appearance."""
    order = {side: i for i, side in enumerate(SIDE_STYLE)}
    first = table.groupby("actor", sort=False).agg(side=("side", "first"), block=("block", "min"))
    first = first.assign(rank=first["side"].map(order).fillna(len(order)))
    return list(first.sort_values(["rank", "block"], kind="stable").index)


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


def actor_mentions_table(cable, actor: str) -> pd.DataFrame:
    """One actor's mentions counted by block, in reading order."""
    mentions = cable.mentions[cable.mentions["actor"] == actor]
    blocks = cable.blocks.set_index("block")
    counts = mentions.groupby("block").size()
    return pd.DataFrame({"block": counts.index,
                         "where": [block_label(blocks.loc[b]) for b in counts.index],
                         "mentions": counts.to_numpy()})


@chart
def actor_mentions(cable, actor: str) -> ChartFigure:
    """Small bar chart: where in the document one actor is mentioned."""
    title = f"Where {actor} is mentioned"
    table = actor_mentions_table(cable, actor)
    if table.empty:
        raise Missing(title, f"{actor} is not mentioned in this document.")
    side = str(cable.mentions.loc[cable.mentions["actor"] == actor, "side"].iloc[0])
    style = SIDE_STYLE.get(side, SIDE_STYLE["other"])
    fig, ax = new_figure(max(6, 1.5 + 1.1 * len(table)), 4.2, layout=None)
    ax.bar([w.replace(" ", "\n") for w in table["where"]], table["mentions"], color=style["color"],
           hatch=style["hatch"], edgecolor=INK)
    for x, n in enumerate(table["mentions"]):
        ax.text(x, n + 0.05, str(n), ha="center", va="bottom", fontsize=13)
    ax.set_ylim(0, table["mentions"].max() + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=15)
    ax.set_xlabel("Block of the document")
    ax.set_ylabel("Mentions")
    fast_layout(fig, ax)
    alt = (f"Bar chart of where {actor} ({side}) is mentioned in {doc_name(cable)}: "
           + ", ".join(f"{w} {n}" for w, n in zip(table["where"], table["mentions"])) + ".")
    return finish(fig, alt, alt + " One bar per block that names the actor; the height is the number of mentions.",
                  table)


# --- timeline ----------------------------------------------------------------------------------

THIS_CABLE = "this cable"  # the curated chronology's category for telegram 1379 itself
CABLE_DATE_STYLE = {"color": ORANGE, "marker": "*", "hatch": ""}
EDITORS_DATE_STYLE = {"color": ORANGE, "marker": "X", "hatch": ""}
DOCUMENT_STYLE = {"color": INK, "marker": "P", "hatch": ""}
TEXT_DATE = "date in the text"  # a day the document's own text (its body) gives: starred
EDITORS_DATE = "date only in the editors' notes"  # a day only the heading, footnotes or source note give
# Context categories never take the document's own colours (orange stars and crosses, black cross).
CONTEXT_CYCLE = [{"color": c, "marker": m, "hatch": ""} for c, m in zip(
    [BLUE, RUST, DARK, SKY, MID, PALE_BLUE], ["o", "s", "^", "D", "v", "h"])]


def cable_dates_table(cable) -> pd.DataFrame:
    """The document's own dates, one row per day, with the words used and where.

    ``kind``: TEXT_DATE when the document's text (its body) gives the day, EDITORS_DATE when only the
    editors' additions do (telegram 1379's 27 November is in footnote 5, not in the telegram).
    """
    dates = cable.dates.dropna(subset=["date"])
    if dates.empty:
        return pd.DataFrame(columns=["date", "kind", "label", "source"])
    blocks = cable.blocks.set_index("block")
    where = [block_label(blocks.loc[b]) for b in dates["block"]]
    in_text = dates["section"].astype("str").isin(TEXT_SECTIONS)
    grouped = dates.assign(where=where, in_text=in_text, day=dates["date"].dt.normalize()).groupby("day")
    return pd.DataFrame({"date": list(grouped.groups),
                         "kind": [TEXT_DATE if day["in_text"].any() else EDITORS_DATE for _, day in grouped],
                         "label": [words_used(day) for _, day in grouped], "source": doc_name(cable)})


def words_used(dates: pd.DataFrame) -> str:
    """'In the text: “today” (Lead), “tonight” (¶2); in the editors' notes: “November 26” (Footnote 1)'.

    The words a day is given in, and where, the text apart from the editors' notes.
    """
    def quoted(rows: pd.DataFrame) -> str:
        return ", ".join(dict.fromkeys(f"“{surface}” ({where})" for surface, where in zip(rows["surface"],
                                                                                          rows["where"])))
    text, notes = dates[dates["in_text"]], dates[~dates["in_text"]]
    if not len(text):
        return f"Only in the editors' notes: {quoted(notes)}"
    return f"In the text: {quoted(text)}" + (f"; in the editors' notes: {quoted(notes)}" if len(notes) else "")


def timeline_rows(cable, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every row of the timeline, by date: context events, the document's dates and the document itself."""
    events = context_events() if events is None else events
    category = events.get("category", pd.Series("event", index=events.index)).astype("str").replace("nan", "event")
    is_this = curated.applies_to(cable)
    kind = [("this document" if is_this else f"context: telegram {ANNOTATED_NUMBER}") if c == THIS_CABLE
            else f"context: {c}" for c in category]
    context = pd.DataFrame({
        "date": pd.to_datetime(events["date"]).dt.normalize(),
        "end_date": pd.to_datetime(events.get("end_date", pd.Series(pd.NaT, index=events.index))),
        "label": list(events["event"].astype("str")),
        "kind": kind,
        "source": events.get("source", ""),
    })
    own = cable_dates_table(cable).assign(end_date=pd.NaT)
    sent = cable.metadata.get("date")
    itself = pd.DataFrame([{"date": pd.Timestamp(sent).normalize(), "end_date": pd.NaT, "kind": "this document",
                            "label": f"{doc_name(cable).capitalize()} is sent", "source": doc_name(cable)}]
                          ) if pd.notna(sent) and "this document" not in kind else pd.DataFrame()
    table = pd.concat([t for t in (context, own, itself) if len(t)], ignore_index=True)
    return table.sort_values(["date", "kind"], kind="stable", ignore_index=True)[
        ["date", "end_date", "kind", "label", "source"]]


def within(rows: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """The timeline rows that touch the range from start to end (inclusive; None is open)."""
    last = rows["end_date"].fillna(rows["date"])
    inside = pd.Series(True, index=rows.index)
    if start is not None:
        inside &= last >= pd.Timestamp(start)
    if end is not None:
        inside &= rows["date"] <= pd.Timestamp(end)
    return rows[inside].reset_index(drop=True)


def timeline_table(cable, start=None, end=None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The timeline's rows between start and end (inclusive)."""
    return within(timeline_rows(cable, events), start, end)


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
    own = {TEXT_DATE: CABLE_DATE_STYLE, EDITORS_DATE: EDITORS_DATE_STYLE, "this document": DOCUMENT_STYLE}
    context = [k for k in kinds if k not in own]
    styles = {**{k: CONTEXT_CYCLE[i % len(CONTEXT_CYCLE)] for i, k in enumerate(context)}, **own}
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
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=min(4, len(kinds)), frameon=False)
    fast_layout(fig, ax, xtick_lines=2, bottom_legend_rows=math.ceil(len(kinds) / 4))
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

PARTY_ALIASES = {
    "usun": "USUN",
    "mission to the united nations": "USUN",
    "united states mission to the united nations": "USUN",
    "u.s. mission to the united nations": "USUN",
    "department of state": "Department of State",
    "department": "Department of State",
    "state": "Department of State",
}
PARTY_NAMES = {"USUN": "US Mission\nto the UN\n(New York)", "Department of State": "Department\nof State\n(Washington)"}
PARTY_COLOURS = [BLUE, DARK, SKY, MID]
TELEGRAM_SERIES = {"Department of State": "Deptel", "USUN": "USUN"}
TRAIL_KINDS = ("urtel", "reftel", "deptel", "embtel", "ourtel", "mytel", "telegram")
CITED_IN_TEXT = "the text"
CITED_BY_EDITORS = "an editors' footnote only"
CITED_IN_BOTH = "the text and an editors' footnote"
# Line style by where the document cites a telegram: its own text (solid) or only the editors' notes (dotted).
TRAIL_STYLE = {CITED_IN_TEXT: "-", CITED_IN_BOTH: "-", CITED_BY_EDITORS: ":", "this document": "-"}
# How an arrow is labelled (and its legend entry): a telegram the text cites, whether or not a footnote does too.
CITED_LABELS = {CITED_IN_TEXT: "the text", CITED_IN_BOTH: "the text", CITED_BY_EDITORS: "editors' footnote only",
                "this document": "this document"}
LABEL_STYLE = {"the text": "-", "editors' footnote only": ":", "this document": "-"}
TELEGRAM_WORDS = r"(?:USUN|Deptel|urtel|tel\.?|telegram|Embtel)"


def party(name) -> str:
    """A sender or recipient under one name ('Mission to the United Nations' → 'USUN')."""
    text = str(name).strip() if isinstance(name, str) else "unknown"
    return PARTY_ALIASES.get(text.lower(), text)


def event_date(number: int, events: pd.DataFrame):
    """The day a context event says telegram ``number`` was sent, else NaT."""
    pattern = re.compile(rf"\b{TELEGRAM_WORDS}\s+{number}\b", re.IGNORECASE)
    hits = events[events["event"].astype("str").str.contains(pattern)]
    return pd.Timestamp(hits["date"].min()).normalize() if len(hits) else pd.NaT


def sentence_date(cable, sentence: str):
    """A date the document gives in the same sentence as a reference (footnotes do), else NaT."""
    dates = cable.dates[(cable.dates["sentence"] == sentence) & ~cable.dates["relative"]]
    return pd.Timestamp(dates["date"].iloc[0]).normalize() if len(dates) else pd.NaT


def telegram_date(cable, number: int, sentences: pd.Series, events: pd.DataFrame) -> tuple:
    """When a cited telegram was sent, and where that came from: the chronology, else the document, else unknown."""
    date = event_date(number, events)
    if pd.notna(date):
        return date, "context events"
    date = next((d for d in (sentence_date(cable, s) for s in sentences) if pd.notna(d)), pd.NaT)
    return date, "the document" if pd.notna(date) else ""


def paper_trail_table(cable, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The telegrams the document cites, plus itself: who sent them to whom, and when if known."""
    events = context_events() if events is None else events
    refs = cable.references
    refs = refs[refs["kind"].astype("str").isin(TRAIL_KINDS) & refs["number"].notna()]
    sender, recipient = party(cable.metadata.get("sender")), party(cable.metadata.get("recipient"))
    other = {sender: recipient, recipient: sender}
    rows = []
    for (origin, number), group in refs.groupby([refs["origin"].map(party), "number"], sort=False):
        date, how = telegram_date(cable, number, group["sentence"], events)
        rows.append({"telegram": f"{TELEGRAM_SERIES.get(origin, origin)} {number}", "kind": str(group["kind"].iloc[0]),
                     "number": int(number), "sender": origin, "recipient": other.get(origin, "unknown"),
                     "date": date, "date_from": how, "cited_in": cited_in(group["section"]),
                     "cited_as": ", ".join(dict.fromkeys(group["surface"]))})
    sent = cable.metadata.get("date")
    rows.append({"telegram": doc_name(cable).capitalize(), "kind": "this document",
                 "number": pd.NA, "sender": sender, "recipient": recipient,
                 "date": pd.Timestamp(sent) if pd.notna(sent) else pd.NaT, "date_from": "the document",
                 "cited_in": "this document", "cited_as": doc_name(cable)})
    table = pd.DataFrame(rows).astype({"number": "Int64"})
    if table["date"].notna().all():
        table = table.sort_values("date", kind="stable", ignore_index=True)
    return table.assign(order=range(len(table)))


def cited_in(sections: pd.Series) -> str:
    """Where a telegram is cited: the document's text (body), only the editors' notes, or both."""
    in_text = sections.astype("str").isin(TEXT_SECTIONS)
    if in_text.all():
        return CITED_IN_TEXT
    return CITED_IN_BOTH if in_text.any() else CITED_BY_EDITORS


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
        label = f"{row['telegram']} ({'this document' if mine else 'in ' + CITED_LABELS[row['cited_in']]})" + (
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

    by_text = table[table["cited_in"].isin([CITED_IN_TEXT, CITED_IN_BOTH])]
    by_editors = table[table["cited_in"] == CITED_BY_EDITORS]
    sent = table.loc[table["kind"] == "this document", "date"]
    later = by_editors[by_editors["date"] > sent.iloc[0]] if len(sent) and pd.notna(sent.iloc[0]) else by_editors[:0]
    alt = ("Arrow chart of the telegrams behind " + name + ", each drawn from sender to recipient: "
           + (f"its own text cites {listed(by_text)}" if len(by_text) else "its own text cites no numbered telegram")
           + (f"; only the editors' footnotes add {listed(by_editors)}" if len(by_editors) else "")
           + (f", sent after {name}" if len(later) == len(by_editors) and len(later) else "") + ".")
    description = (f"{alt} Each lane is a sender or recipient; an arrow runs from the sender's lane to the "
                   "recipient's; the x axis is " + ("the date sent." if dated else
                                                     "the order of citation, because some dates are unknown.")
                   + " A solid arrow is a telegram the document's own text cites (urtel: a telegram from the "
                   "addressee; Deptel: from the Department); a dotted arrow, one that only the editors of Foreign "
                   "Relations of the United States cite in a footnote; the thick arrow is the document itself.")
    return finish(fig, alt, description, table.drop(columns="order"))
