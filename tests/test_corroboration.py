"""The corroboration table (data/corroboration.csv), its views and chart, and the lesson's organiser.

Every quotation in the table is checked word for word against the letter as cablelab reads
it; every lettered point of telegram 1379 has a row or is marked as having no counterpart.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cablelab
from cablelab import answers, companions, corroboration, exercises, organiser
from cablelab.errors import CableFormatError
from cablelab.text import sentences, strip_markers

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "fixtures" / "docs" / "avalon_memcon_ny.txt"


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return corroboration.table()


# --- the table ----------------------------------------------------------------------------------


def test_every_lettered_point_of_1379_has_a_row_or_is_marked_without_counterpart(rows):
    refs = cablelab.load().points["ref"].tolist()
    assert refs == ["1(a)", "1(b)", "1(c)", "1(d)", "3(a)", "3(b)", "3(c)", "3(d)", "3(e)", "3(f)"]
    assert set(refs) <= set(rows["point"])
    assert corroboration.points_without_rows() == []
    silent = rows[rows["relation"] == corroboration.NONE]
    assert silent["point"].tolist() == ["¶5"] and silent["document"].isna().all()


def test_every_passage_is_quoted_word_for_word_from_its_letter(rows):
    linked = rows[rows["relation"] != corroboration.NONE]
    for document, passage in zip(linked["document"], linked["passage"]):
        paragraphs = [" ".join(strip_markers(t).split()) for t in cablelab.load(document).paragraphs["text"]]
        assert sum(paragraph.count(passage) for paragraph in paragraphs) == 1, f"{document}: {passage[:70]!r}"


def test_each_row_has_a_relation_a_one_sentence_note_and_a_source_naming_its_letter(rows):
    assert set(rows["relation"]) <= set(corroboration.RELATIONS)
    for note in rows["note"]:
        assert len(sentences(note)) == 1 and note.endswith((".", ".”", '."')), note
    linked = rows[rows["relation"] != corroboration.NONE]
    for document, source in zip(linked["document"], linked["source"]):
        assert companions.short_name(document) in source, source


def test_rows_know_whose_letter_and_whether_it_came_after_the_telegram(rows):
    def value(point: str, document: str, column: str):
        return rows.loc[(rows["point"] == point) & (rows["document"] == document), column].iloc[0]

    assert value("3(e)", "d81", "writer") == "Kennedy"
    assert value("3(f)", "d77", "side") == "USSR"
    assert value("3(d)", "d83", "after") and not value("3(d)", "d82", "after")
    assert value("3(c)", "d79", "paragraph") == 18  # 'We do not attach decisive significance to a form.'


def test_the_soviet_side_on_the_key_points_is_in_khrushchevs_own_words(rows):
    d79 = rows[(rows["document"] == "d79")].set_index("point")["passage"]
    assert "We do not attach decisive significance to a form." in d79.loc["3(c)"]
    assert "“presence of the U.N.,”" in d79.loc["3(f)"].iloc[0]
    assert "we moved in your direction" in " ".join(d79.loc["1(c)"])


def test_a_passage_that_is_not_in_the_letter_is_refused_with_line_and_column(data_copy):
    path = data_copy / "corroboration.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "act of goodwill" in line)
    lines[at] = lines[at].replace("act of goodwill", "act of good will")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CableFormatError, match=rf"corroboration.csv: line {at + 1}: column 'passage': is not in FRUS VI, doc. 79 word for word"):
        corroboration.table()


@pytest.mark.parametrize("change, message", [
    (("3(e),d81", "3(g),d81"), "column 'point': '3\\(g\\)' is not a point of telegram 1379"),
    (("3(e),d81", "3(e),d80"), "column 'document': 'd80' is not one of the letters"),
    ((",supports,", ",confirms,"), "column 'relation': 'confirms' is not one of supports"),
])
def test_typos_in_the_table_name_the_column(data_copy, change, message):
    path = data_copy / "corroboration.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    with pytest.raises(CableFormatError, match=message):
        corroboration.table()


def test_a_lettered_point_left_without_a_row_is_named(data_copy):
    path = data_copy / "corroboration.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("3(a),")) + "\n", encoding="utf-8")
    with pytest.raises(CableFormatError, match=r"line 1: column 'point': no row for 3\(a\)"):
        corroboration.table()


def test_a_point_marked_without_counterpart_may_not_also_be_linked(data_copy):
    path = data_copy / "corroboration.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("¶5,,,no counterpart", "¶4,,,no counterpart"), encoding="utf-8")
    with pytest.raises(CableFormatError, match="¶4 is marked 'no counterpart' but line"):
        corroboration.table()


# --- the view --------------------------------------------------------------------------------------


def test_the_view_shows_the_cables_words_beside_each_sides_words():
    page = str(corroboration.point_html(cablelab.load(), "3(e)"))
    cable_at, soviet_at, us_at = (page.index(s) for s in ("In absence of agreement on UN verification",
                                                          "The Soviet side: Khrushchev", "The U.S. side: Kennedy"))
    assert cable_at < soviet_at < us_at
    soviet, us = page[soviet_at:us_at], page[us_at:]
    assert "stop the flights of American aircraft over Cuba" in soviet and "contradicts" in soviet
    assert "we must continue to rely upon our own means of information" in us and "supports" in us
    assert "21 November 1962" in us and "Key." in page


def test_a_point_without_counterpart_says_so():
    page = str(corroboration.point_html(cablelab.load(), "¶5"))
    assert "No counterpart in the letters." in page and "Narasimhan" in page  # the cable's ¶5 is shown


def test_the_view_widget_works_without_a_kernel_and_starts_on_the_concessions():
    w = corroboration.view(cablelab.load())
    labels = [label for label, _ in w.choice.options]
    assert labels[0].startswith("¶1(a):") and labels[-1].startswith("¶5:") and len(labels) == 13
    assert labels[w.choice.index].startswith("¶1(c):")
    assert (w.link.source, w.link.target) == ((w.choice, "index"), (w.stack, "selected_index"))
    w.choice.index = labels.index(next(label for label in labels if label.startswith("¶3(f)")))
    assert "observation posts at the appropriate ports in the Soviet Union" in w.stack.children[w.stack.selected_index].value
    assert "observation posts at the appropriate ports in the Soviet Union" in w.view_html()


def test_on_another_document_the_view_and_chart_say_the_table_belongs_to_1379():
    other = cablelab.read(OTHER)
    w = corroboration.view(other)
    assert "does not apply here" in w.view_html()
    fig = corroboration.chart(other)
    assert "does not apply here" in fig.alt_text


def test_the_chart_draws_every_link_and_says_what_it_shows():
    fig = corroboration.chart(cablelab.load())
    assert fig.alt_text.startswith("Grid of 13 points of telegram 1379 against the ten Kennedy–Khrushchev letters")
    assert "contradict ¶3(d), ¶3(e) and ¶3(f)" in fig.alt_text and "nothing in the letters answers ¶5" in fig.alt_text
    assert len(fig.data) == len(corroboration.table())
    assert "Kennedy's letters contradict none of its points" in fig.description
    assert fig.png()[:4] == b"\x89PNG"


# --- the organiser ---------------------------------------------------------------------------------


@pytest.fixture
def session(tmp_path, monkeypatch):
    monkeypatch.delenv(exercises.ENV_STUDENT, raising=False)
    answers.set_folder(tmp_path / "answers")
    exercises.reset_session()
    yield tmp_path / "answers"
    exercises.reset_session()
    answers.set_folder(None)


def test_the_organiser_asks_for_khrushchevs_words_on_paragraph_1_and_both_sides_on_3cef(session):
    w = organiser.widget(cablelab.load())
    assert [k for k in w.boxes if k.endswith("Kennedy")] == ["3(c) · Kennedy", "3(e) · Kennedy", "3(f) · Kennedy"]
    assert [k for k in w.boxes if k.endswith("Khrushchev")][:4] == [f"1({x}) · Khrushchev" for x in "abcd"]
    assert list(w.verdicts) == ["1(a)", "1(b)", "1(c)", "1(d)", "3(c)", "3(e)", "3(f)"]


def test_what_a_student_writes_before_giving_a_name_is_saved_once_the_name_is_known(session):
    w = organiser.widget(cablelab.load())
    w.boxes["1(c) · Khrushchev"].value = 'doc. 79: "we moved in your direction"'
    assert "No name yet" in w.status.value
    assert not list(session.glob("*.json"))  # nothing written yet: the answer waits in memory
    exercises.set_student("Ana B")
    saved = answers.saved_answer("Ana B", organiser.QUESTION_ID)
    assert saved["answer"]["1(c) · Khrushchev"] == 'doc. 79: "we moved in your direction"'
    assert (saved["notebook"], saved["kind"], saved["correct"]) == ("03", "organiser", None)
    w.verdicts["3(e)"].value = "disagree"
    assert answers.saved_answer("Ana B", organiser.QUESTION_ID)["answer"]["3(e) · verdict"] == "disagree"
    assert "Saved for Ana B" in w.status.value


def test_reopening_the_organiser_shows_the_saved_answers_and_the_sheet_carries_them(session, tmp_path):
    exercises.set_student("Ana B")
    first = organiser.widget(cablelab.load())
    first.boxes["3(f) · Kennedy"].value = "doc. 78: posts in Soviet ports <too>"
    again = organiser.widget(cablelab.load())
    assert again.boxes["3(f) · Kennedy"].value == "doc. 78: posts in Soviet ports <too>"
    sheet = organiser.write_sheet(tmp_path / "sheet.html", student="Ana B").read_text(encoding="utf-8")
    assert sheet.startswith("<!DOCTYPE html>") and "Name: Ana B" in sheet
    assert "doc. 78: posts in Soviet ports &lt;too&gt;" in sheet
    assert "Soviet protocol categorically unacceptable" in sheet  # the cable's words for 3(c)
    assert "letter of October 28 (purpose is" in sheet  # its footnote marker '(2)' is not part of them
    assert sheet.count(organiser.NOT_ASKED) == 4  # no Kennedy box for the four Soviet queries
    assert "download=\"organiser_03.html\"" in again.link.value


def test_a_blank_sheet_has_a_row_per_point_and_the_success_criteria():
    sheet = organiser.sheet_html()
    assert sheet.count('<th scope="row">') == len(organiser.ROWS)
    assert "Name: ______" in sheet and "Success criteria" in sheet and "<script" not in sheet


def test_on_another_document_the_organiser_says_so_and_saves_nothing(session):
    exercises.set_student("Ana B")
    w = organiser.widget(cablelab.read(OTHER))
    assert isinstance(w, organiser.NotThisDocument) and "does not apply here" in w.sentence
    assert answers.saved_answer("Ana B", organiser.QUESTION_ID) is None
