"""The built-in telegram 1379 reads into the values issue 2 §3 lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import cablelab
from cablelab import schema


def test_header_fields_are_those_of_telegram_1379(seed_cable):
    meta = seed_cable.metadata
    assert meta["number"] == "1379"
    assert meta["date"] == pd.Timestamp("1962-11-26 21:28")
    assert meta["time"] == "21:28"
    assert meta["place"] == "Washington"
    assert meta["sender"] == "Department of State"
    assert meta["recipient"] == "Mission to the United Nations"
    assert meta["doc_type"] == "Telegram"
    assert meta["collection"] == "The Cuban Missile Crisis"
    assert meta["addressees"] == ["Stevenson", "McCloy"]
    assert meta["subject"] == "New York Negotiations"
    assert meta["page_kind"] == "avalon-text"
    assert meta["complete"] is True


def test_source_note_gives_markings_people_and_file(seed_cable):
    meta = seed_cable.metadata
    assert meta["classification"] == ["Top Secret", "Sensitive", "Eyes Only"]
    assert meta["drafted_by"] == ["Sisco"]
    assert meta["cleared_by"] == ["U. Alexis Johnson", "Rusk"]
    assert meta["approved_by"] == ["Cleveland"]
    assert meta["file_citation"] == "Department of State, Central Files, 737.56361/11-2662"
    assert meta["received"] is None


def test_metadata_has_exactly_the_schema_keys(seed_cable):
    assert list(seed_cable.metadata.index) == [c.name for c in schema.METADATA]


def test_five_numbered_paragraphs_follow_the_unnumbered_lead(seed_cable):
    paragraphs = seed_cable.paragraphs
    assert paragraphs["paragraph"].tolist()[0] is pd.NA
    assert paragraphs["paragraph"].dropna().tolist() == [1, 2, 3, 4, 5]
    assert paragraphs["kind"].tolist() == ["lead", "numbered", "numbered", "numbered", "numbered", "numbered"]
    assert paragraphs.loc[4, "text"].startswith("Hope you can probe Mikoyan")


def test_soviet_reservations_are_the_four_points_of_paragraph_1(seed_cable):
    points = seed_cable.points
    soviet = points[points["paragraph"] == 1]
    assert soviet["label"].tolist() == ["a", "b", "c", "d"]
    assert set(soviet["speaker"]) == {"USSR"}
    assert soviet.iloc[3]["text"].startswith("inclusion of our overflight reservation.")
    assert soviet.iloc[3]["text"].endswith("for our consideration.")


def test_us_talking_points_are_the_six_points_of_paragraph_3(seed_cable):
    points = seed_cable.points
    us = points[points["paragraph"] == 3]
    assert us["ref"].tolist() == ["3(a)", "3(b)", "3(c)", "3(d)", "3(e)", "3(f)"]
    assert set(us["speaker"]) == {"US"}
    assert us.iloc[-1]["text"] == "U Thant proposal unacceptable and no inspection of US could be made without inspection USSR."
    assert len(points) == 10


def test_each_footnote_is_tied_to_the_sentence_holding_its_marker(seed_cable):
    notes = seed_cable.footnotes
    assert notes["number"].tolist() == [1, 2, 3, 4, 5]
    assert notes["sentence"].str.contains(r"\(\d\)").all()
    assert notes.loc[0, "sentence"] == "Subject: New York Negotiations (urtels 1941, 1942, 1943).(1)"
    assert notes.loc[1, "point"] == "a" and notes.loc[1, "paragraph"] == 1
    assert notes.loc[2, "sentence"].endswith("on basis Deptel 1359(3) and urtel 1941.")
    assert notes.loc[3, "sentence"].startswith("Alternatively, we prepared to substitute Presidential press statement")
    assert notes.loc[4, "paragraph"] == 5
    assert notes.loc[2, "text"] == "Document 207."
    assert not notes["text"].str.contains("Back").any()


def test_dates_are_resolved_from_the_cables_own_day(seed_cable):
    dates = seed_cable.dates
    body = dates[dates["section"] == "body"]
    notes = dates[dates["section"] == "footnote"]
    assert body[~body["relative"]]["date"].dt.strftime("%Y-%m-%d").tolist() == ["1962-10-28", "1962-11-20"]
    assert notes["date"].dt.strftime("%Y-%m-%d").tolist() == ["1962-11-26", "1962-11-27"]
    relative = dates[dates["relative"]]
    assert relative["surface"].tolist() == ["today", "tonight"]
    assert (relative["date"] == pd.Timestamp("1962-11-26")).all()


def test_references_are_those_of_body_and_notes_with_their_origin(seed_cable):
    refs = seed_cable.references
    body = refs[refs["section"] == "body"]
    assert body["surface"].tolist() == ["urtels 1941", "urtels 1942", "urtels 1943", "reftels", "Deptel 1359", "urtel 1941", "urtel 1943"]
    assert body["origin"].tolist()[:3] == ["USUN"] * 3
    assert body.set_index("surface").loc["Deptel 1359", "origin"] == "Department of State"
    notes = refs[refs["section"] == "footnote"]
    assert notes["surface"].tolist() == ["Document 210", "Telegram 1943 from USUN", "Document 207", "Telegram 1972 from USUN"]
    assert notes["number"].tolist() == [210, 1943, 207, 1972]


def test_page_leftovers_are_five_back_links_and_the_footer(seed_cable):
    left = seed_cable.leftovers
    assert left["kind"].tolist() == ["back_link"] * 5 + ["page_footer"]
    assert left["text"].tolist()[:5] == ["Back"] * 5
    assert left["text"].tolist()[-1] == "127 Wall Street, New Haven, CT 06511."
    assert not seed_cable.blocks["text"].str.contains("Wall Street").any()


def test_people_are_found_in_the_body_and_in_the_notes(seed_cable):
    mentions = seed_cable.mentions
    body = set(mentions.loc[mentions["section"] == "body", "actor"])
    for surname in ["Stevenson", "McCloy", "Kennedy", "Khrushchev", "Mikoyan", "Castro", "U Thant", "Yost", "Narasimhan"]:
        assert any(surname in actor for actor in body), surname
    source = set(mentions.loc[mentions["section"] == "source", "actor"])
    for surname in ["Sisco", "Johnson", "Rusk", "Cleveland"]:
        assert any(surname in actor for actor in source), surname


def test_offices_stand_for_the_person_the_text_implies(seed_cable):
    mentions = seed_cable.mentions.set_index("surface")
    assert "Rusk" in mentions.loc["Secretary's", "actor"]
    assert mentions.loc["SYG", "actor"] == "U Thant"
    assert mentions.loc["Acting Secretary General's", "point"] == "a"


def test_mentions_carry_offsets_into_their_block(seed_cable):
    blocks = seed_cable.blocks.set_index("block")["text"]
    for row in seed_cable.mentions.itertuples():
        assert blocks[row.block][row.start : row.end] == row.surface


def test_every_frame_has_the_schema_columns_and_dtypes(seed_cable):
    for name, columns in schema.FRAMES.items():
        frame = getattr(seed_cable, name)
        assert list(frame.columns) == [c.name for c in columns], name
        for column in columns:
            assert str(frame[column.name].dtype) == str(schema.dtype_of(column.dtype)), (name, column.name)


def test_frames_are_built_once_and_kept(seed_cable):
    assert seed_cable.points is seed_cable.points


def test_read_takes_the_text_itself(seed_cable):
    text = cablelab.paths.builtin_cable().read_text(encoding="utf-8")
    cable = cablelab.read(text)
    assert cable.metadata["number"] == "1379"
    assert cable.points["ref"].tolist() == seed_cable.points["ref"].tolist()


def test_read_corpus_concatenates_frames_with_a_doc_id(tmp_path):
    text = cablelab.paths.builtin_cable().read_bytes()
    (tmp_path / "a.txt").write_bytes(text)
    (tmp_path / "b.txt").write_bytes(text)
    frames = cablelab.read_corpus(tmp_path)
    assert set(frames) == {"metadata", *schema.FRAMES}
    assert frames["points"].columns[0] == "doc_id"
    assert frames["points"]["doc_id"].value_counts().to_dict() == {"a": 10, "b": 10}
    assert frames["metadata"]["number"].tolist() == ["1379", "1379"]


def test_read_corpus_keeps_doc_ids_apart_when_a_file_is_given_twice():
    path = cablelab.paths.builtin_cable()
    frames = cablelab.read_corpus([path, path])
    assert frames["metadata"]["doc_id"].tolist() == ["telegram_1379", "telegram_1379#2"]


def test_importing_cablelab_loads_neither_matplotlib_nor_ipywidgets():
    code = "import sys, cablelab; cablelab.load(); print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_views_are_attributes_of_the_package_imported_on_first_use():
    code = ("import sys, cablelab; before = 'cablelab.widgets' in sys.modules; "
            "print(before, cablelab.widgets.static_explorer.__module__, cablelab.charts.structure.__module__, "
            "cablelab.exercises.ask.__module__, cablelab.report.summary.__module__, 'export' in dir(cablelab))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "cablelab.widgets", "cablelab.charts", "cablelab.exercises", "cablelab.report", "True"]
    with pytest.raises(AttributeError, match="no attribute 'nowhere'"):
        cablelab.nowhere


def test_summary_command_prints_the_seed_header():
    out = subprocess.run([sys.executable, "-m", "cablelab", "summary"], capture_output=True, text=True, check=True).stdout
    assert "Telegram 1379" in out
    assert "Top Secret; Sensitive; Eyes Only" in out
    assert "USSR: 1(a), 1(b), 1(c), 1(d)" in out
    assert "'tonight' (¶2)" in out


@pytest.mark.parametrize("missing", ["nowhere/telegram.txt", "absent.txt"])
def test_summary_command_names_a_missing_file(missing):
    done = subprocess.run([sys.executable, "-m", "cablelab", "summary", missing], capture_output=True, text=True)
    assert done.returncode == 2
    assert missing in done.stderr


def test_summary_of_a_memorandum_of_conversation_lists_its_participants_and_time_range():
    from cablelab.report import summary

    text = summary(cablelab.read(Path(__file__).parent / "fixtures" / "docs" / "avalon_memcon_ny.txt"))
    assert "Participants    First Deputy Chairman Mikoyan, Ambassador Stevenson, Mr." in text
    assert "Sent            New York, Thursday 1 November 1962, 16:40–19:55" in text


SEED_LEAD_1 = "1. We understand from reftels and Stevenson telecon that Soviets have expressed reservations or queries on four points:"


SEED_TEXT = cablelab.paths.builtin_cable().read_text(encoding="utf-8")


def _paragraph_1_speaker(lead: str) -> str:
    return cablelab.read(SEED_TEXT.replace(SEED_LEAD_1, lead)).points.loc[0, "speaker"]


def test_whom_points_speak_for_follows_the_actors_registry_not_a_list_in_the_code(tmp_path, monkeypatch):
    # Dobrynin is a Soviet actor of data/actors.csv; 'AIM' is nobody until a teacher adds it.
    assert _paragraph_1_speaker("1. Dobrynin has raised four points:") == "USSR"
    assert _paragraph_1_speaker("1. Castro has insisted on four points:") == "Cuba"
    assert _paragraph_1_speaker("1. AIM has raised four points:") == "US"  # nobody named: the sender's side
    original = (cablelab.paths.builtin_cable().parent / "actors.csv").read_text(encoding="utf-8")
    (tmp_path / "actors.csv").write_text(original.replace("Anastas Mikoyan|Mikoyan", "Anastas Mikoyan|Mikoyan|AIM"), encoding="utf-8")
    monkeypatch.setenv("CABLELAB_DATA", str(tmp_path))
    assert _paragraph_1_speaker("1. AIM has raised four points:") == "USSR"


@pytest.mark.parametrize(
    "sender, side",
    [
        ("Department of State", "US"),
        ("Embassy in the Soviet Union", "US"),
        ("Chairman Khrushchev", "USSR"),
        ("Ambassador Dobrynin", "USSR"),
        ("Acting Secretary General U Thant", "UN"),
        ("Prime Minister Castro", "Cuba"),
        ("the Red Cross", "other"),
        ("Nobody Known", "other"),
    ],
)
def test_a_senders_side_comes_from_the_actors_it_names(sender, side):
    text = SEED_TEXT.replace("Telegram From the Department of State to the Mission", f"Telegram From {sender} to the Mission")
    cable = cablelab.read(text)
    assert cable.metadata["sender"] == sender.removeprefix("the ")
    assert cable.sender_side == side
