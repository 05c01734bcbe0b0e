"""The pattern table and the skeleton: headings, datelines, leads, points, notes, sentences."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

import cablelab
from cablelab.header import citation_year, source_note_fields
from cablelab.structure import LINE_SHAPES, inline_points, parse
from cablelab.text import head_words, sentences, split_names
from cablelab.sources import open_source

DOCS = Path(__file__).parent / "fixtures" / "docs"


def read(name: str) -> cablelab.Cable:
    return cablelab.read(DOCS / name)


def test_every_line_shape_is_named_and_anchored_by_fullmatch():
    names = [shape.name for shape in LINE_SHAPES]
    assert {"heading", "dateline", "lead", "numbered", "point", "footnote", "source_note", "signature"} <= set(names)
    assert names[0] == "blank" and names[-1] == "continued"


def sentence_texts(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


def test_sentences_do_not_break_inside_initials_or_abbreviations():
    text = "Drafted by Sisco, cleared by U. Alexis Johnson and with Rusk. Sent 9:28 p.m. on time. See pp. 446-447. Next."
    assert sentence_texts(text) == [
        "Drafted by Sisco, cleared by U. Alexis Johnson and with Rusk.",
        "Sent 9:28 p.m. on time.",
        "See pp. 446-447.",
        "Next.",
    ]


def test_sentences_keep_u_thant_and_document_numbers_whole():
    text = "Document 210 and footnote 1 thereto. Telegram 1943 from USUN, in which U Thant spoke, is in Files, 737.56361/11-2662."
    assert sentence_texts(text) == [
        "Document 210 and footnote 1 thereto.",
        "Telegram 1943 from USUN, in which U Thant spoke, is in Files, 737.56361/11-2662.",
    ]


def test_a_footnote_marker_stays_with_the_sentence_it_follows():
    assert sentence_texts("Subject: Talks (urtels 1941).(1) Following amplifies.") == [
        "Subject: Talks (urtels 1941).(1)",
        "Following amplifies.",
    ]


def test_inline_points_need_a_and_b_in_order():
    text = "Three matters: (a) timing; (b) ships; and (c) letters."
    assert [(label, text[s:e]) for label, s, e in inline_points(text)] == [("a", "timing;"), ("b", "ships; and"), ("c", "letters.")]
    assert inline_points("See paragraph (a) above.") == []
    assert inline_points("(b) first (a) then") == []


def test_names_are_split_on_commas_and_and():
    assert split_names("U. Alexis Johnson and with Rusk in substance") == ["U. Alexis Johnson", "Rusk"]
    assert split_names("Cleveland, Martin, Thompson, and McGeorge Bundy") == ["Cleveland", "Martin", "Thompson", "McGeorge Bundy"]


def test_source_note_fields_read_markings_roles_and_received():
    fields = source_note_fields(
        "Department of State, USUN Files: NYFRC 84-84-001, Incoming Telegrams. Secret; Niact; Eyes Only. "
        "Drafted and approved by U. Alexis Johnson and cleared in substance with the President. Received in New York at 3:01 a.m."
    )
    assert fields == {
        "file_citation": "Department of State, USUN Files: NYFRC 84-84-001, Incoming Telegrams",
        "classification": ["Secret", "Niact", "Eyes Only"],
        "drafted_by": ["U. Alexis Johnson"],
        "approved_by": ["U. Alexis Johnson"],
        "cleared_by": ["President"],
        "received": "Received in New York at 3:01 a.m.",
    }


def test_the_seed_skeleton_has_its_header_lead_paragraphs_notes_and_source():
    skeleton = parse(open_source(cablelab.paths.builtin_cable()))
    kinds = [(b.section, b.kind) for b in skeleton.blocks]
    assert kinds[:4] == [("header", "header"), ("header", "header"), ("header", "header"), ("body", "lead")]
    assert kinds.count(("body", "numbered")) == 5
    assert kinds.count(("footnote", "footnote")) == 5
    assert kinds[-1] == ("source", "source_note")
    assert skeleton.header.number == "1379" and skeleton.header.time == "21:28"
    assert skeleton.complete


def test_a_misspelled_collection_line_and_a_logo_are_read():
    cable = read("avalon_memcon_ny.txt")
    assert cable.metadata["collection"] == "The Cuban Misile Crisis"
    assert cable.leftovers.loc[0, "text"] == "Logo"


def test_a_memorandum_of_conversation_gives_participants_subject_and_a_time_range():
    meta = read("avalon_memcon_ny.txt").metadata
    assert meta["doc_type"] == "Memorandum" and meta["title"] == "Memorandum of Conversation"
    assert meta["participants"] == ["First Deputy Chairman Mikoyan", "Ambassador Stevenson", "Mr. McCloy"]
    assert meta["subject"] == "Cuba"
    assert (meta["place"], meta["time"], meta["time_end"]) == ("New York", "16:40", "19:55")
    assert meta["sender"] is None and meta["number"] is None


def test_capital_letter_points_and_inline_points_are_both_points():
    points = read("avalon_memcon_ny.txt").points
    assert points["ref"].tolist() == ["1(a)", "1(b)", "1(c)", "2(a)", "2(b)", "2(c)"]
    assert points["speaker"].tolist() == ["USSR"] * 3 + ["US"] * 3
    assert points.loc[0, "text"] == "the United States should give firm guarantees against an invasion of Cuba;"
    assert points.loc[3, "text"] == "inspection by the UN;"


def test_a_lot_file_and_cleared_with_are_read_from_the_source_note():
    meta = read("avalon_memcon_ny.txt").metadata
    assert meta["file_citation"] == "Department of State, Secretary's Memoranda of Conversation: Lot 65 D 330"
    assert meta["classification"] == ["Secret", "Limit Distribution"]
    assert (meta["drafted_by"], meta["cleared_by"]) == (["Akalovsky"], ["McCloy"])


def test_a_cap_number_a_quoted_letter_and_a_signature_are_read():
    cable = read("avalon_cap_quoted_letter.txt")
    meta = cable.metadata
    assert meta["number"] == "CAP 55515-62"
    assert meta["addressees"] == ["Thompson"]
    assert meta["recipient"] == "Embassy in the Soviet Union"
    assert cable.paragraphs["kind"].tolist() == ["lead", "quoted", "signature"]
    assert meta["signed_by"] == ["Rusk"]
    assert meta["classification"] == ["Secret", "Niact", "Limit Distribution"]
    assert (meta["drafted_by"], meta["approved_by"], meta["cleared_by"]) == (["Ball"], ["Ball"], ["Bundy"])
    assert meta["file_citation"] == "Kennedy Library, National Security Files, Countries Series, USSR"


def test_a_dateline_without_a_place_and_a_received_line_are_read():
    cable = read("avalon_misun_received.txt")
    meta = cable.metadata
    assert meta["place"] is None and str(meta["date"]) == "1962-10-30 23:45:00"
    assert meta["received"] == "Received October 31, 1962, 1:15 a.m."
    assert meta["number"] == "MISUN 22" and meta["addressees"] == ["Secretary"]
    assert cable.points["speaker"].tolist() == ["USSR"] * 3
    assert meta["signed_by"] == ["Stevenson"]


def test_an_editorial_note_has_no_dateline_and_is_complete_without_a_source_note():
    cable = read("avalon_editorial_note.txt")
    meta = cable.metadata
    assert meta["doc_type"] == "Editorial Note" and pd.isna(meta["date"])
    assert meta["complete"] is True
    assert cable.footnotes.loc[0, "sentence"].endswith("would be lifted.(1)")
    assert cable.dates["surface"].tolist() == ["November 20, 1962"]


def test_a_numbered_opening_with_a_word_and_wrapped_lines_are_read():
    cable = read("plain_policy_wrapped.txt")
    assert cable.metadata["number"] == "1149"
    assert cable.paragraphs["paragraph"].tolist()[1:3] == [1, 2]
    assert cable.paragraphs.loc[1, "text"] == "We continue to hold that the IL-28 bombers must leave Cuba\nbefore the quarantine is lifted."
    assert cable.metadata["drafted_by"] == ["Cleveland"] and cable.metadata["cleared_by"] == ["Johnson"]


def test_a_truncated_copy_reads_what_it_holds_and_says_it_is_incomplete():
    text = cablelab.paths.builtin_cable().read_text(encoding="utf-8")
    cut = cablelab.read(text[: text.index("(e) In absence")])
    assert cut.metadata["complete"] is False
    assert cut.metadata["number"] == "1379"
    assert cut.points["ref"].tolist()[-1] == "3(d)"
    assert cut.footnotes.empty


def test_a_copy_cut_mid_sentence_is_incomplete_even_with_its_notes_in_place():
    text = cablelab.paths.builtin_cable().read_text(encoding="utf-8")
    cut = cablelab.read(text[: text.index("Source:")].replace("appropriate arrangements.(5)", "appropriate arr"))
    assert cut.metadata["complete"] is False


@pytest.mark.parametrize(
    "extra",
    ["(a) " * 100_000, "(a) point\n" * 100_000, "Soviets press urtel 1941 " * 28_000, "." * 1_000_000, "(" * 1_000_000],
    ids=["inline markers", "marker lines", "1 MB line", "full stops", "parentheses"],
)
def test_pathological_input_is_read_in_linear_time(extra):
    text = cablelab.paths.builtin_cable().read_text(encoding="utf-8")
    at = text.index("\n4. ")
    started = time.process_time()
    cable = cablelab.read(text[:at] + "\n\n" + extra + "\n" + text[at:])
    cable.points, cable.footnotes
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize("dateline", ["Washington, November 26, 0962, 9:28 p.m.", "Washington, November 0, 1962.", "Washington, February 30, 1962."])
def test_a_dateline_that_is_no_real_day_is_not_taken_as_the_date(dateline):
    text = cablelab.paths.builtin_cable().read_text(encoding="utf-8").replace("Washington, November 26, 1962, 9:28 p.m.", dateline)
    cable = cablelab.read(text)
    assert pd.isna(cable.metadata["date"])
    relative = cable.dates[cable.dates["relative"]]
    assert relative["surface"].tolist() == ["today", "tonight"]
    assert relative["date"].isna().all()  # no day to count from


@pytest.mark.parametrize("time_printed", ["5:83 p.m.", "18 p.m."])
def test_a_time_no_clock_shows_leaves_the_day_without_a_time(time_printed):
    text = cablelab.paths.builtin_cable().read_text(encoding="utf-8").replace("9:28 p.m.", time_printed)
    meta = cablelab.read(text).metadata
    assert meta["time"] is None
    assert meta["date"] == pd.Timestamp("1962-11-26")


def test_a_file_citation_gives_the_year_of_its_archive_key():
    assert citation_year("Department of State, Central Files, 737.56361/11-2662") == 1962
    assert citation_year("Kennedy Library, National Security Files, Countries Series, Cuba, General, 12/62") == 1962
    assert citation_year("Department of State, USUN Files: NYFRC 84-84-001, Incoming Telegrams") is None
    assert citation_year(None) is None


def test_head_words_are_whole_words_holding_a_needle():
    text = "Deptel 5, hotel; urtel1941 x_telex TELEGRAM Telegrams"
    assert head_words(text, any_case=("tel",)) == [(0, "Deptel"), (10, "hotel"), (35, "TELEGRAM"), (44, "Telegrams")]


def test_exact_needles_keep_their_case_and_any_case_ones_do_not():
    assert head_words("Nov. November nov novel", exact=("Nov",)) == [(0, "Nov"), (5, "November")]
    assert head_words("today TODAY tOdAy yesterday", any_case=("day",)) == [
        (0, "today"), (6, "TODAY"), (12, "tOdAy"), (18, "yesterday")]


def test_head_word_offsets_hold_when_lower_case_would_change_the_length():
    text = "İstanbul, today"  # 'İ'.lower() is two characters
    assert "İ".lower() != "i" and len("İ".lower()) == 2
    [(start, word)] = head_words(text, any_case=("day",))
    assert (start, word) == (10, "today") and text[start:start + len(word)] == "today"
