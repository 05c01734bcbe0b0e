"""Charts: every one a Figure with a title, labelled axes, alt text and the cable's real data."""

from __future__ import annotations

import base64
import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (only to prove charts never register figures with it)
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from markupsafe import escape  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

import cablelab  # noqa: E402
from cablelab import charts, tables  # noqa: E402

CHARTS = [charts.structure, charts.points_matrix, charts.mentions_by_side, charts.actors_by_paragraph,
          charts.timeline, charts.paper_trail]

# A small telegram of our own: two lettered points, one date, and markup that must stay text.
EVIL_TELEGRAM = """Telegram From the Department of State to the Mission to the United Nations

Washington, November 27, 1962, 7 p.m.

1400. For Stevenson.

1. Mikoyan said <script>alert("x")</script> and U Thant sent <img src=x onerror=alert(1)> urtel 1941 today.

2. Soviets have raised:

(a) first point <b>bold</b>;

(b) second point.

Source: Department of State, Central Files. Secret. Drafted by Sisco.
"""

# A telegram whose text names the US and the USSR twice each.
TIED_TELEGRAM = """Telegram From the Department of State to the Mission to the United Nations

Washington, November 27, 1962, 7 p.m.

1401. Eyes only.

1. Kennedy and the US have told the Soviets that Khrushchev must answer.

Source: Department of State, Central Files. Secret. Drafted by Sisco.
"""

# A memorandum with no points, no footnotes, no references, no names and no dates in its text.
BARE_MEMO = """Memorandum From the Historian to the Archivist

Washington, November 27, 1962.

SUBJECT: Nothing

A paragraph with no numbers and no names.
"""


@pytest.fixture(scope="module")
def evil_cable():
    return cablelab.read(EVIL_TELEGRAM)


@pytest.fixture(scope="module")
def bare_memo():
    return cablelab.read(BARE_MEMO)


@pytest.fixture(scope="module")
def drawn(seed_cable):
    """Each chart of the seed cable, drawn once for the module."""
    return {chart.__name__: chart(seed_cable) for chart in CHARTS}


def texts_of(fig: Figure) -> str:
    """Every piece of text drawn in a figure, joined."""
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.mark.parametrize("name", [c.__name__ for c in CHARTS])
def test_every_chart_is_a_figure_with_title_axis_labels_and_alt_text(drawn, name):
    fig = drawn[name]
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert fig.alt_text.endswith(".") and len(fig.alt_text.split()) >= 8
    assert charts.describe(fig).startswith(fig.alt_text) and len(charts.describe(fig)) > len(fig.alt_text)
    assert len(charts.data_table(fig)) > 0


@pytest.mark.parametrize("name", [c.__name__ for c in CHARTS])
def test_every_chart_shows_as_html_carrying_alt_text_caption_and_data_table(drawn, name):
    markup = drawn[name]._repr_html_()
    alt = escape(drawn[name].alt_text)
    assert f'alt="{alt}"' in markup
    assert f"<figcaption>{alt}</figcaption>" in markup
    assert "<table" in markup and 'src="data:image/svg+xml;base64,' in markup


def test_the_png_itself_carries_the_alt_text_as_its_description(drawn):
    image = Image.open(io.BytesIO(drawn["timeline"].png()))
    assert image.text["Description"] == drawn["timeline"].alt_text
    assert image.text["Title"] == "The crisis and telegram 1379"


@pytest.mark.parametrize("name", ["structure", "mentions_by_side", "actors_by_paragraph", "timeline", "paper_trail"])
def test_charts_with_several_series_have_a_legend(drawn, name):
    fig = drawn[name]
    assert fig.axes[0].get_legend() is not None or fig.legends


def test_structure_has_one_bar_per_block_with_the_points_of_paragraphs_1_and_3(seed_cable, drawn):
    table = charts.data_table(drawn["structure"])
    assert len(table) == len(seed_cable.blocks) == 15
    points = dict(zip(table["label"], table["points"]))
    assert points["¶1"] == "(a), (b), (c), (d)"
    assert points["¶3"] == "(a), (b), (c), (d), (e), (f)"
    assert dict(zip(table["label"], table["footnote_markers"]))["¶3"] == "4"


def test_structure_bars_use_the_colour_blind_palette_and_hatching_for_points(drawn):
    bars = [p for p in drawn["structure"].axes[0].patches]
    colours = {matplotlib.colors.to_hex(p.get_facecolor()).upper() for p in bars}
    assert colours <= {c.upper() for c in charts.PALETTE}
    assert sum(p.get_hatch() == "\\\\" for p in bars) == 10


def test_points_matrix_highlight_changes_the_picture(seed_cable, drawn):
    assert charts.points_matrix(seed_cable, highlight=["1(d)"]).png() != drawn["points_matrix"].png()


def test_mentions_by_side_counts_the_1962_text_apart_from_what_the_editors_added(seed_cable, drawn):
    table = charts.data_table(drawn["mentions_by_side"]).set_index("side")
    sections = seed_cable.mentions.assign(side=seed_cable.mentions["side"].astype("str"))
    body = sections[sections["section"] == "body"]["side"].value_counts()
    added = sections[sections["section"] != "body"]["side"].value_counts()
    assert table["in the text"].to_dict() == body.to_dict() == {"USSR": 20, "US": 11, "UN": 8, "Cuba": 4}
    assert table["added by the editors"].reindex(added.index).to_dict() == added.to_dict()
    assert table.loc["US", ["of which heading", "of which footnotes", "of which source note"]].tolist() == [2, 8, 5]
    assert list(table.index) == ["USSR", "US", "UN", "Cuba"]  # ordered by the text's counts


def test_mentions_by_side_concludes_from_the_body_that_the_ussr_is_named_most(seed_cable, drawn):
    conclusion = charts.mentions_conclusion(seed_cable)
    assert conclusion.startswith("In the text of telegram 1379 itself, USSR is named most: "
                                 "USSR 20, US 11, UN 8 and Cuba 4 mentions.")
    assert "US would wrongly seem the most named (26 against 20 for USSR)" in conclusion
    assert conclusion in drawn["mentions_by_side"].alt_text
    assert "US is mentioned most" not in drawn["mentions_by_side"].alt_text


def test_mentions_by_side_draws_the_text_and_the_editors_additions_side_by_side_not_stacked(drawn):
    bars = drawn["mentions_by_side"].axes[0].patches
    assert len(bars) == 8 and all(bar.get_y() == 0 for bar in bars)
    heights = {(matplotlib.colors.to_hex(b.get_facecolor()), round(b.get_height())) for b in bars}
    assert (matplotlib.colors.to_hex(charts.TEXT_STYLE["color"]), 20) in heights
    assert {b.get_hatch() for b in bars} == {"", "//"}  # told apart without colour too


def test_mentions_conclusion_on_a_text_where_two_sides_tie_names_both():
    tied = cablelab.read(TIED_TELEGRAM)
    conclusion = charts.mentions_conclusion(tied)
    assert "US and USSR are named equally often" in conclusion
    assert "wrongly" not in conclusion


def test_mentions_conclusion_when_only_the_editors_name_anyone():
    only_notes = cablelab.read(BARE_MEMO + "\nSource: Department of State, Central Files. Secret. Drafted by Sisco.\n")
    assert set(only_notes.mentions["section"].astype("str")) == {"source"}
    conclusion = charts.mentions_conclusion(only_notes)
    assert conclusion.startswith("The text of this memorandum itself names no actor; every mention is in the "
                                 "editors' additions.")
    assert "add US 2." in conclusion and "wrongly" not in conclusion


def test_actors_by_paragraph_shows_where_each_actor_is_named_in_the_text_only(seed_cable, drawn):
    table = charts.data_table(drawn["actors_by_paragraph"])
    castro = table[table["actor"] == "Fidel Castro"]
    assert castro[["paragraph", "mentions"]].values.tolist() == [["¶2", 1]]
    assert set(table.loc[table["actor"] == "U Thant", "paragraph"]) == {"¶1", "¶3", "¶5"}
    assert "Joseph J. Sisco" not in set(table["actor"])  # named only in the editors' source note
    assert table["mentions"].sum() == (seed_cable.mentions["section"] == "body").sum()
    alt = drawn["actors_by_paragraph"].alt_text
    assert "Fidel Castro (¶2)" in alt and "named in one paragraph only" in alt


def test_actors_by_paragraph_is_a_grid_with_no_lines_joining_actors(drawn):
    ax = drawn["actors_by_paragraph"].axes[0]
    assert not ax.lines  # no edges: being named in one paragraph is not a relationship
    assert "do not mean two actors dealt with each other" in charts.describe(drawn["actors_by_paragraph"])


def test_timeline_includes_the_28_october_letter_and_the_day_of_the_cable(drawn):
    table = charts.data_table(drawn["timeline"])
    own = table[table["kind"] == charts.TEXT_DATE]
    assert pd.Timestamp("1962-10-28") in set(own["date"])
    assert "“October 28” (¶1)" in own.set_index("date").loc[pd.Timestamp("1962-10-28"), "label"]
    itself = table[table["kind"] == "this document"]
    assert itself["date"].tolist() == [pd.Timestamp("1962-11-26")]
    assert "1962-11-26" in drawn["timeline"].alt_text or "26 November 1962" in drawn["timeline"].alt_text


def test_timeline_stars_only_the_dates_the_telegrams_text_gives_not_the_editors_27_november(drawn):
    table = charts.data_table(drawn["timeline"])
    starred = table.loc[table["kind"] == charts.TEXT_DATE, "date"]
    assert list(starred) == [pd.Timestamp(d) for d in ("1962-10-28", "1962-11-20", "1962-11-26")]
    notes = table[table["kind"] == charts.EDITORS_DATE]
    assert list(notes["date"]) == [pd.Timestamp("1962-11-27")]
    assert notes["label"].iloc[0] == "Only in the editors' notes: “November 27” (Footnote 5)"
    alt = drawn["timeline"].alt_text
    assert "starred (28 Oct, 20 Nov and 26 Nov)" in alt and "crossed (27 Nov)" in alt
    markers = {line.get_label(): line.get_marker() for line in drawn["timeline"].axes[0].lines}
    assert markers[charts.TEXT_DATE] == "*" and markers[charts.EDITORS_DATE] != "*"


def test_timeline_zooms_to_the_range_asked_for(seed_cable):
    table = charts.data_table(charts.timeline(seed_cable, "1962-11-20", "1962-11-27"))
    last = table["end_date"].fillna(table["date"])
    assert (table["date"] <= pd.Timestamp("1962-11-27")).all() and (last >= pd.Timestamp("1962-11-20")).all()
    assert pd.Timestamp("1962-10-14") not in set(table["date"])


def test_paper_trail_shows_who_sent_each_cited_telegram_and_when(drawn):
    table = charts.data_table(drawn["paper_trail"]).set_index("telegram")
    assert table.loc["Deptel 1359", ["sender", "recipient"]].tolist() == ["Department of State", "USUN"]
    assert table.loc["USUN 1941", "date"] == pd.Timestamp("1962-11-25")
    assert table.loc["USUN 1943", "date"] == pd.Timestamp("1962-11-26")
    assert table.loc["USUN 1972", "date"] == pd.Timestamp("1962-11-27")
    assert {"USUN 1942", "Telegram 1379"} <= set(table.index)
    assert table.loc["Telegram 1379", "kind"] == "this document"


def test_paper_trail_tells_the_telegrams_citations_from_the_editors_footnotes(drawn):
    table = charts.data_table(drawn["paper_trail"]).set_index("telegram")
    assert table.loc["USUN 1972", "cited_in"] == charts.CITED_BY_EDITORS
    assert table.loc["USUN 1943", "cited_in"] == charts.CITED_IN_BOTH
    assert table.loc["Deptel 1359", "cited_in"] == charts.CITED_IN_TEXT
    alt = drawn["paper_trail"].alt_text
    text_part, notes_part = alt.split("only the editors' footnotes add")
    assert "1972" not in text_part and "USUN 1972 of 27 Nov" in notes_part
    assert "its own text cites Deptel 1359 of 23 Nov, USUN 1941 of 25 Nov, USUN 1942 of 25 Nov and USUN 1943" in alt
    dotted = [t for t in drawn["paper_trail"].axes[0].texts if "USUN 1972" in t.get_text()]
    assert dotted and "editors' footnote only" in dotted[0].get_text()


@pytest.mark.parametrize("chart, sentence", [
    (charts.points_matrix, "no lettered points"),
    (charts.paper_trail, "cites no numbered telegrams"),
    (charts.mentions_by_side, "No actor"),
    (charts.actors_by_paragraph, "names no actor from the registry"),
])
def test_a_document_without_the_data_gets_a_figure_saying_so(bare_memo, chart, sentence):
    fig = chart(bare_memo)
    assert sentence in texts_of(fig) and sentence in fig.alt_text
    assert fig.axes[0].get_title()
    fig.png()


def test_a_timeline_with_no_events_and_no_dates_says_so(bare_memo):
    empty = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "event": pd.Series(dtype="str")})
    fig = charts.timeline(bare_memo, "1970-01-01", "1970-12-31", events=empty)
    assert "No dated event falls in this range" in texts_of(fig)


def test_a_document_with_points_on_one_side_only_says_there_is_nothing_to_pair(evil_cable):
    fig = charts.points_matrix(evil_cable)
    assert "2 non-US points, 0 US points" in fig.alt_text


def test_document_markup_stays_text_in_chart_html(evil_cable):
    for chart in CHARTS:
        markup = chart(evil_cable)._repr_html_()
        assert "<script" not in markup and "<img src=x" not in markup and "<b>" not in markup


def test_drawing_every_chart_registers_no_pyplot_figure(seed_cable):
    before = plt.get_fignums()
    for chart in CHARTS:
        chart(seed_cable).png()
    assert plt.get_fignums() == before


def test_importing_charts_and_widgets_does_not_import_pyplot():
    code = "import sys, cablelab.charts, cablelab.widgets; print('matplotlib.pyplot' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_derived_tables_need_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, cablelab.tables; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_charts_and_widgets_read_one_set_of_tables_and_one_document_name(seed_cable):
    from cablelab import tables, widgets

    assert charts.timeline_rows is tables.timeline_rows is widgets.timeline_rows
    assert charts.doc_name is tables.doc_name is widgets.doc_name
    assert charts.block_label is tables.block_label is widgets.block_label
    drawn = charts.timeline(seed_cable).data
    pd.testing.assert_frame_equal(drawn, tables.timeline_rows(seed_cable).reset_index(drop=True))
    assert tables.party("Mission to the United Nations") == tables.party(" USUN ") == "USUN"


def test_svg_keeps_text_as_text_names_no_dtd_and_carries_the_title_and_alt_text(drawn):
    from xml.etree import ElementTree

    svg = drawn["points_matrix"].svg().decode()
    assert "<!DOCTYPE" not in svg
    assert "<title>Soviet queries and the U.S. answers</title>" in svg
    assert "3(e)" in svg and "<text" in svg  # labels stay text a browser renders
    svg = drawn["timeline"].svg()
    root = ElementTree.fromstring(svg)
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "The crisis and telegram 1379"
    assert root.findtext(".//{http://purl.org/dc/elements/1.1/}description") == drawn["timeline"].alt_text
    assert b"<!DOCTYPE" not in svg and b"/DTD/" not in svg  # an offline page names no URL to fetch


def test_charts_as_png_html_keep_the_alt_text(drawn):
    markup = charts.to_html(drawn["timeline"], image="png")
    assert 'src="data:image/png;base64,iVBORw0KGgo' in markup
    assert f'alt="{escape(drawn["timeline"].alt_text)}"' in markup


def test_show_gives_an_object_displayed_as_the_charts_html(drawn):
    shown = charts.show(drawn["paper_trail"])
    assert "<figcaption>" in shown._repr_html_() and "Deptel 1359" in shown._repr_html_()


def test_a_notebook_shows_a_chart_as_svg_with_alt_metadata_and_as_html(drawn):
    from IPython.core.interactiveshell import InteractiveShell

    data, metadata = InteractiveShell.instance().display_formatter.format(drawn["structure"])
    assert {"image/svg+xml", "text/html"} <= set(data)
    assert "image/png" not in data  # drawn once, as SVG; fig.png() draws a PNG on request
    assert metadata["image/svg+xml"]["alt"] == drawn["structure"].alt_text
    # The HTML holds the very same SVG.
    assert base64.b64encode(data["image/svg+xml"].encode("utf-8")).decode("ascii") in data["text/html"]


def test_the_timeline_shows_the_leaders_letters_told_apart_from_events_and_telegrams(seed_cable):
    rows = tables.timeline_rows(seed_cable)
    letters = rows[rows["kind"] == tables.LETTER_KIND]
    assert list(letters["source"]) == [f"FRUS VI, doc. {n}" for n in (67, 68, 75, 77, 78, 79, 81, 82, 83, 84)]
    nov20 = letters[letters["date"] == pd.Timestamp("1962-11-20")]
    assert list(nov20["label"]) == ["Chairman Khrushchev to President Kennedy: message"]
    assert tables.LETTER_KIND not in set(rows.loc[rows["kind"] != tables.LETTER_KIND, "kind"])


def test_the_paper_trail_draws_the_letters_the_cable_names_as_the_correspondence_dashed(seed_cable):
    trail = tables.paper_trail_table(seed_cable)
    letters = trail[trail["kind"] == "letter"]
    assert list(letters["telegram"]) == ["Khrushchev, FRUS VI d79", "Kennedy, FRUS VI d81", "Khrushchev, FRUS VI d82"]
    assert set(letters["cited_in"]) == {tables.CITED_AS_CORRESPONDENCE}
    figure = charts.paper_trail(seed_cable)
    assert "Kennedy-Khrushchev correspondence (¶1(c), ¶3(d)): Khrushchev, FRUS VI d79 of 20 Nov" in figure.alt_text
    arrows = [a.arrow_patch for a in figure.axes[0].texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == len(trail)
    assert sum(arrow.get_linestyle() == "--" for arrow in arrows) == 3


# The lessons' zooms of the timeline (00, 07, the explorer's whole range) and every chart of the seed.
ZOOMS = [("1962-11-20", "1962-11-27"), ("1962-11-26", "1963-01-07"), (None, None)]


def outside_the_figure(fig: Figure) -> list[str]:
    """Each legend or text of ``fig`` that runs past the figure's edges, as drawn (a key cut off)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    width, height = fig.bbox.width, fig.bbox.height
    # Ticks beyond an axis's limits keep a label that is never drawn.
    undrawn = {id(label) for ax in fig.axes for axis, (low, high) in ((ax.xaxis, sorted(ax.get_xlim())),
                                                                     (ax.yaxis, sorted(ax.get_ylim())))
               for tick in axis.get_major_ticks() + axis.get_minor_ticks()
               if not low - 1e-9 <= tick.get_loc() <= high + 1e-9 for label in (tick.label1, tick.label2)}
    artists = [*fig.legends, *(legend for ax in fig.axes if (legend := ax.get_legend()) is not None),
               *(t for t in fig.findobj(matplotlib.text.Text)
                 if t.get_text() and t.get_visible() and id(t) not in undrawn)]
    cut = []
    for artist in artists:
        box = artist.get_window_extent(renderer)
        if box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1:
            cut.append(f"{type(artist).__name__} {getattr(artist, 'get_text', lambda: '')()!r}: "
                       f"x {box.x0:.0f}..{box.x1:.0f} of {width:.0f}, y {box.y0:.0f}..{box.y1:.0f} of {height:.0f}")
    return cut


@pytest.mark.parametrize("name", [c.__name__ for c in CHARTS])
def test_no_chart_cuts_off_its_key_or_a_label(drawn, name):
    assert not outside_the_figure(drawn[name])


@pytest.mark.parametrize("zoom", ZOOMS, ids=["lesson 00", "lesson 07", "whole range"])
def test_every_zoom_of_the_timeline_shows_its_whole_key(seed_cable, zoom):
    assert not outside_the_figure(charts.timeline(seed_cable, *zoom))


def test_a_letter_keeps_its_marker_in_every_zoom_of_the_timeline(seed_cable):
    markers = set()
    for zoom in ZOOMS:
        legend = charts.timeline(seed_cable, *zoom).legends[0]
        labels = [t.get_text() for t in legend.get_texts()]
        markers.add(legend.legend_handles[labels.index(tables.LETTER_KIND)].get_marker())
    assert markers == {"s"}


def test_no_actor_card_chart_or_corroboration_chart_cuts_off_a_label(seed_cable):
    figures = {actor: charts.actor_mentions(seed_cable, actor) for actor in seed_cable.mentions["actor"].unique()}
    figures["the letters against the cable"] = cablelab.corroboration.chart(seed_cable)
    cut = {name: where for name, fig in figures.items() if (where := outside_the_figure(fig))}
    assert not cut
