"""Chart figures: a matplotlib Figure that carries its own alt text, description and data, the suite's
chart style, and the layout helpers the charts share.

Every chart is a :class:`ChartFigure` (a ``matplotlib.figure.Figure``, made without pyplot,
so nothing is registered globally and a widget redraw leaks nothing). Each one carries:

- ``fig.alt_text``: one sentence for someone who cannot see it (also written into the PNG);
- ``fig.description``: the longer description (type, axes, key, main point);
- ``fig.data``: the numbers drawn, as a DataFrame.

Shown in a notebook, a ChartFigure gives ``<figure>`` with ``<img alt=...>``, a ``<figcaption>``
with the alt text, and a ``<details>`` holding the description and the data table, so notebook
outputs and HTML exports carry all three (``to_html(fig)`` gives the same, built from escaping
templates). The image is SVG with its text kept as text: sharp on a projector and in print, a
tenth of a PNG's size, and several times quicker to draw (a class of thirty runs its lessons on
one server). ``fig.png()`` gives a PNG for a slide or a document that wants one.

Style: ``tableau-colorblind10`` colours, each series also told apart by hatching, marker shape
or a direct label; fonts of 13–18 pt on figures about 11 in wide. ``fast_layout`` lays a chart
out in one pass, for the charts a widget redraws.
"""

from __future__ import annotations

import base64
import functools
import io
import re
import textwrap
from typing import Callable

import matplotlib
import matplotlib.style
import numpy
import pandas as pd
from markupsafe import Markup
from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.transforms import blended_transform_factory

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
        """The HTML figure, and its SVG image on its own (alt text in its metadata): drawn once."""
        svg = self.svg()
        return ({"image/svg+xml": svg.decode("utf-8"), "text/html": to_html(self, image=svg)},
                {"image/svg+xml": {"alt": self.alt_text}})

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


IMG = Markup('<img src="data:{mime};base64,{payload}" alt="{alt}" style="max-width:100%;height:auto"/>')
FIGURE = Markup('<figure class="cablelab-chart" style="margin:0">{img}<figcaption>{caption}</figcaption>{details}'
                '</figure>')
DETAILS = Markup("<details><summary>Description and data of “{title}”</summary><p>{description}</p>{table}"
                 "</details>")


def img_tag(fig: Figure, image: str | bytes = "svg") -> str:
    """An ``<img>`` holding the chart inline, the alt text as ``alt``.

    ``image``: "svg" (default) or "png", or the bytes of one already drawn (PNG or SVG).
    """
    data = getattr(fig, image)() if isinstance(image, str) else image
    mime = IMAGE_FORMATS["png" if data.startswith(b"\x89PNG") else "svg"]
    return str(IMG.format(mime=mime, payload=base64.b64encode(data).decode("ascii"), alt=alt_text(fig)))


def to_html(fig: Figure, details: bool = True, image: str | bytes = "svg") -> str:
    """The chart as HTML: ``<figure>``, ``<img alt>``, ``<figcaption>``, then description and data.

    ``image``: "svg" (default; text stays text), "png", or the bytes of an image already drawn.
    """
    table = data_table(fig)
    # pandas escapes the table's cells itself.
    rows = Markup(table.to_html(index=False, na_rep="", escape=True)) if len(table) else ""
    more = DETAILS.format(title=title_of(fig), description=describe(fig), table=rows) if details else ""
    return str(FIGURE.format(img=Markup(img_tag(fig, image)), caption=alt_text(fig), details=more))


def show(fig: Figure):
    """An object a notebook displays as the chart's HTML (alt text, caption, description, data)."""
    from IPython.display import HTML

    return HTML(to_html(fig))


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


def legend_columns(labels: list[str], width: float, most: int = 4) -> int:
    """How many columns a legend under a figure ``width`` inches wide can have and still fit.

    The legend splits its labels into columns as ``numpy.array_split`` does (top to bottom, the
    first columns one longer); each column takes its widest label plus the marker and spacing
    (about 0.8 in at the legend's size). Fewer columns mean more rows, never a key cut off.
    """
    size = matplotlib.rcParams["legend.fontsize"]
    widths = [text_inches(label, size)[0] for label in labels]
    for columns in range(min(most, len(labels)), 1, -1):
        needed = sum(max(column) + 0.8 for column in numpy.array_split(widths, columns))
        if needed <= width - 0.3:
            return columns
    return 1


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
