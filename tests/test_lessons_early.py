"""The views lessons 00–02 call: who wrote each part of the cable (01), which U.S. point answers
which Soviet query (02), and the abbreviations a cable uses (01). Real values from telegram 1379,
small telegrams of our own for the other shapes."""

from __future__ import annotations

import re
from html import escape as html_escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import cablelab  # noqa: E402
from cablelab import charts, widgets  # noqa: E402

# Points on both sides, but not telegram 1379: the curated pairings do not apply to it.
OTHER_TELEGRAM = """Telegram From the Department of State to the Mission to the United Nations

Washington, November 28, 1962, 8 p.m.

1400. For Stevenson. Re urtel 1990.

1. Soviets have raised two points:

(a) the wording of the declaration;

(b) the overflights.

2. Suggest following points be stressed:

(a) we prepared for prompt wind-up in SC;

(b) overflights continue.

Source: Department of State, Central Files. Secret. Drafted by Sisco.
"""

BARE_MEMO = """Memorandum From the Historian to the Archivist

Washington, November 27, 1962.

SUBJECT: Nothing

A paragraph with no numbers and no names.
"""


@pytest.fixture(scope="module")
def other_cable():
    return cablelab.read(OTHER_TELEGRAM)


@pytest.fixture(scope="module")
def bare_memo():
    return cablelab.read(BARE_MEMO)


@pytest.fixture(scope="module")
def anatomy(seed_cable):
    return charts.structure(seed_cable)


@pytest.fixture(scope="module")
def pairing(seed_cable):
    return charts.points_matrix(seed_cable)


def box_texts(fig) -> dict[str, matplotlib.text.Text]:
    """The pairing chart's boxes, by the point ref that opens each."""
    return {t.get_text().split()[0]: t for t in fig.axes[0].texts if t.get_bbox_patch() is not None}


# --- who wrote each part (lesson 01) ----------------------------------------------------------


def test_structure_caption_counts_the_1962_words_and_the_editors_words_from_the_blocks(seed_cable, anatomy):
    # Words of each block, the letters (a), (b) … of its points not counted as words.
    blocks = seed_cable.blocks.assign(section=seed_cable.blocks["section"].astype("str"),
                                      words=[len(re.sub(r"\([a-z]\)", " ", t).split()) for t in seed_cable.blocks["text"]])
    original = blocks.loc[blocks["section"] == "body", "words"].sum()
    added = blocks.loc[blocks["section"].isin(["header", "footnote", "source"]), "words"].sum()
    assert (original, added) == (409, 164)
    assert f"the 1962 text is {original} of its {original + added} words" in anatomy.alt_text
    assert f"the editors added {added} (29 %) in 3 heading lines, 5 footnotes and 1 source note" in anatomy.alt_text
    assert "setting 5 footnote numbers into the text" in anatomy.alt_text


def test_structure_data_says_who_wrote_each_block(anatomy):
    written = dict(zip(charts.data_table(anatomy)["label"], charts.data_table(anatomy)["written_by"]))
    assert written["¶3"] == written["Lead"] == "the 1962 text"
    assert written["Footnote 5"] == "the editors: footnotes"
    assert written["Source note"] == "the editors: source note"
    assert written["Header"] == "the editors: heading and dateline"


def test_structure_key_names_the_writer_of_each_colour(anatomy):
    legend = anatomy.axes[0].get_legend()
    assert legend.get_title().get_text() == "Who wrote it"
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[:4] == ["the editors: heading and dateline", "the 1962 text", "the editors: footnotes",
                          "the editors: source note"]
    assert anatomy.axes[0].get_title() == "Who wrote each part of telegram 1379"


def test_structure_names_the_heading_blocks_by_their_first_words_not_three_times_header(anatomy):
    rows = [t.get_text() for t in anatomy.axes[0].row_labels]
    assert rows[:3] == ["“The Cuban Missile Crisis”", "“Telegram From the…”", "“Washington, November…”"]
    assert rows[3:5] == ["Lead", "¶1"] and rows[-1] == "Source note"


def test_an_undated_document_is_the_original_text_not_the_1962_text(bare_memo):
    undated = cablelab.read(BARE_MEMO.replace("Washington, November 27, 1962.", "Washington, undated."))
    assert "the 1962 text" in charts.structure(bare_memo).alt_text
    fig = charts.structure(undated)
    assert "1962" not in fig.alt_text and "the original text is" in fig.alt_text


# --- which U.S. point answers which Soviet query (lesson 02) ----------------------------------


def test_pairing_table_lists_each_query_with_its_answer_then_the_points_that_answer_none(pairing):
    table = charts.data_table(pairing)
    assert list(table.columns) == ["concern", "concern_topic", "answer", "answer_topic"]
    assert list(zip(table["concern"], table["answer"])) == [
        ("1(a)", "—"), ("1(b)", "3(b)"), ("1(c)", "3(b)"), ("1(d)", "3(e)"),
        ("—", "3(a)"), ("—", "3(c)"), ("—", "3(d)"), ("—", "3(f)")]
    assert table.set_index("answer").loc["3(e)", "answer_topic"] == "overflights"


def test_pairing_alt_text_answers_the_lessons_questions(pairing):
    assert pairing.alt_text == (
        "Pairing chart of telegram 1379: of the 4 concerns, 3 get an answer among the 6 U.S. talking points "
        "(1(b) and 1(c) by 3(b); 1(d) by 3(e)); 1(a) gets none, and 4 U.S. points (3(a), 3(c), 3(d) and 3(f)) "
        "answer no concern.")
    assert charts.describe(pairing).startswith(pairing.alt_text)


def test_pairing_chart_draws_one_line_per_pairing_from_the_query_to_its_answer(pairing):
    boxes = box_texts(pairing)
    assert sorted(boxes) == ["1(a)", "1(b)", "1(c)", "1(d)", "3(a)", "3(b)", "3(c)", "3(d)", "3(e)", "3(f)"]
    lines = {(round(float(line.get_ydata()[0]), 2), round(float(line.get_ydata()[1]), 2))
             for line in pairing.axes[0].lines}
    y = {ref: round(float(box.get_position()[1]), 2) for ref, box in boxes.items()}
    assert lines == {(y["1(b)"], y["3(b)"]), (y["1(c)"], y["3(b)"]), (y["1(d)"], y["3(e)"])}


def test_pairing_chart_dashes_the_boxes_of_points_with_no_partner_and_names_both_columns(pairing):
    dashed = {ref for ref, box in box_texts(pairing).items() if box.get_bbox_patch().get_linestyle() != "-"}
    assert dashed == {"1(a)", "3(a)", "3(c)", "3(d)", "3(f)"}
    shown = [t.get_text() for t in pairing.axes[0].texts]
    assert "Soviet queries (¶1)" in shown and "U.S. talking points (¶3)" in shown
    assert pairing.axes[0].get_title() == "Soviet queries and the U.S. answers"


def test_pairing_chart_quotes_the_first_words_of_each_point(pairing):
    assert box_texts(pairing)["1(d)"].get_text() == "1(d) overflights\n“inclusion of our overflight\nreservation.”"
    assert box_texts(pairing)["3(c)"].get_text().startswith("3(c) Soviet protocol\n“Soviet protocol categorically")


def test_pairing_chart_highlight_shades_and_bolds_the_chosen_points(seed_cable, pairing):
    fig = charts.points_matrix(seed_cable, highlight=["1(d)", "3(e)"])
    boxes = box_texts(fig)
    bold = {ref for ref, box in boxes.items() if box.get_fontweight() == "bold"}
    shaded = {ref for ref, box in boxes.items()
              if matplotlib.colors.to_hex(box.get_bbox_patch().get_facecolor()) == charts.PEACH.lower()}
    assert bold == shaded == {"1(d)", "3(e)"}
    assert fig.png() != pairing.png()


def test_pairing_chart_of_another_telegram_lists_both_sides_with_no_line(other_cable):
    assert list(other_cable.points["speaker"].astype("str")) == ["USSR", "USSR", "US", "US"]
    fig = charts.points_matrix(other_cable)
    assert "no curated pairings exist for this document" in fig.alt_text
    assert not fig.axes[0].lines
    assert sorted(box_texts(fig)) == ["1(a)", "1(b)", "2(a)", "2(b)"]
    assert "Soviet points (¶1)" in [t.get_text() for t in fig.axes[0].texts]


def test_pairing_chart_of_a_document_without_points_says_so(bare_memo):
    fig = charts.points_matrix(bare_memo)
    assert "no lettered points on both sides" in fig.alt_text


# --- the abbreviations a cable uses (lesson 01) -------------------------------------------------


def test_abbreviations_are_the_eight_glossary_terms_telegram_1379_uses_in_order_of_first_use(seed_cable):
    table = widgets.abbreviations(seed_cable)
    assert list(table.columns) == ["Abbreviation", "As written", "Meaning", "Where in the document",
                                   "Source of the meaning"]
    assert list(table["Abbreviation"]) == ["urtel", "reftel", "telecon", "Deptel", "SYG", "SC", "USUN", "Eyes Only"]
    rows = table.set_index("Abbreviation")
    assert rows.loc["urtel", "As written"] == "urtels, urtel"
    assert rows.loc["urtel", "Where in the document"] == "Lead, ¶2, ¶5"
    assert rows.loc["urtel", "Meaning"] == "your telegram"
    assert rows.loc["USUN", "Where in the document"] == "Footnote 1, Footnote 5"
    assert len(cablelab.glossary()) > 3 * len(table), "the whole glossary is much longer than the cable's own terms"


def test_abbreviations_of_a_document_without_any_is_an_empty_table_with_the_same_columns(bare_memo):
    table = widgets.abbreviations(bare_memo)
    assert table.empty and "Meaning" in table.columns


def test_abbreviations_of_another_telegram_are_its_own(other_cable):
    table = widgets.abbreviations(other_cable)
    assert list(table["Abbreviation"]) == ["urtel", "SC"]


def test_abbreviations_table_shows_every_text_in_full_without_row_numbers_and_escaped(seed_cable):
    html = widgets.abbreviations_table(seed_cable)._repr_mimebundle_()["text/html"]
    source = widgets.abbreviations(seed_cable).set_index("Abbreviation").loc["urtel", "Source of the meaning"]
    assert len(source) > 100 and html_escape(source, quote=False) in html
    markup = widgets.FullTable(pd.DataFrame({"Abbreviation": ["<b>x</b>"]}), "none")._repr_mimebundle_()
    assert "<b>x</b>" not in markup["text/html"] and "&lt;b&gt;x&lt;/b&gt;" in markup["text/html"]
    assert "<th>Abbreviation</th>" in html and "<th></th>" not in html and "<td>0</td>" not in html
    plain = widgets.abbreviations_table(seed_cable)._repr_mimebundle_()["text/plain"]
    assert "Eyes Only" in plain and "dtype" not in plain


def test_abbreviations_table_of_a_document_without_any_says_so_in_a_sentence(bare_memo):
    bundle = widgets.abbreviations_table(bare_memo)._repr_mimebundle_()
    assert bundle["text/plain"] == "This document uses none of the glossary's abbreviations."
    assert "<table" not in bundle["text/html"]
