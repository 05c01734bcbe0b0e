"""The real documents of ../shared/corpus read right: metadata, counts, people, dates.

Skipped where ../shared is absent (a fresh clone), never under CI (conftest.corpus_dir).
"""

from __future__ import annotations

import pandas as pd

import cablelab
from cablelab import schema


def read(corpus_dir, stem: str) -> cablelab.Cable:
    (path,) = corpus_dir.glob(f"{stem}*.txt")
    return cablelab.read(path)


def people(cable: cablelab.Cable) -> set[str]:
    found = cable.mentions
    return set(found.loc[found["kind"].isin(["person", "office"]), "actor"])


def test_every_corpus_document_reads_and_builds_every_frame(corpus_dir):
    paths = sorted(corpus_dir.glob("*.txt"))
    assert len(paths) >= 6
    for path in paths:
        cable = cablelab.read(path)
        assert list(cable.metadata.index) == [c.name for c in schema.METADATA], path.name
        for name in schema.FRAMES:
            assert list(getattr(cable, name).columns) == [c.name for c in schema.FRAMES[name]], (path.name, name)


def test_read_corpus_reads_the_folder_into_frames_with_doc_ids(corpus_dir):
    frames = cablelab.read_corpus(corpus_dir)
    assert len(frames["metadata"]) == len(list(corpus_dir.glob("*.txt")))
    assert "069_avalon_dept_to_usun_1084" in set(frames["paragraphs"]["doc_id"])
    assert frames["metadata"].set_index("doc_id").loc["hsg_v11_d257_johnson_to_rusk_memo", "frus_number"] == 257


def test_telegram_1084_with_a_misspelled_title_fyi_paragraph_and_received_line(corpus_dir):
    cable = read(corpus_dir, "069")
    meta = cable.metadata
    assert meta["collection"] == "Cuban Missle Crisis"
    assert (meta["number"], meta["sender"], meta["recipient"]) == ("1084", "Department of State", "Mission to the United Nations")
    assert meta["date"] == pd.Timestamp("1962-10-25 02:00")
    assert meta["addressees"] == ["Stevenson"]
    assert meta["classification"] == ["Secret", "Niact", "Eyes Only"]
    assert meta["file_citation"] == "Department of State, USUN Files: NYFRC 84-84-001, Incoming Telegrams"
    assert meta["received"] == "Received in New York at 3:01 a.m."
    assert cable.paragraphs["paragraph"].dropna().tolist() == [1, 2, 3, 4]
    assert len(cable.paragraphs) == 7 and cable.paragraphs.iloc[-1]["text"].startswith("FYI:")
    assert cable.points.empty
    assert cable.footnotes.loc[0, "sentence"].startswith("On further checking with White House")
    assert {"Adlai E. Stevenson", "Nikita S. Khrushchev", "U Thant"} <= people(cable)
    body = cable.dates[cable.dates["section"] == "body"]
    assert body["date"].dt.strftime("%m-%d").tolist() == ["10-25", "10-24", "10-24"]
    assert cable.dates[cable.dates["section"] == "footnote"]["surface"].tolist() == ["October 25"]


def test_telegram_1579_from_new_york_with_no_footnotes(corpus_dir):
    cable = read(corpus_dir, "128")
    meta = cable.metadata
    assert (meta["number"], meta["place"], meta["time"]) == ("1579", "New York", "22:00")
    assert (meta["sender"], meta["recipient"]) == ("Mission to the United Nations", "Department of State")
    assert meta["classification"] == ["Confidential", "Eyes Only"]
    assert meta["received"] == "Received in the Department of State at 10:59 p.m."
    assert meta["file_citation"] == "Department of State, Central Files, 611.3722/10-3162"
    assert cable.paragraphs["kind"].astype(str).tolist() == ["lead", "numbered", "numbered", "unnumbered"]
    assert cable.footnotes.empty and cable.points.empty
    assert {"John J. McCloy", "Vasily V. Kuznetsov"} <= people(cable)
    assert cable.dates[["surface", "date"]].values.tolist() == [["tomorrow", pd.Timestamp("1962-11-01")]]


def test_kennedys_memorandum_with_a_signature_carrying_a_footnote(corpus_dir):
    cable = read(corpus_dir, "148")
    meta = cable.metadata
    assert (meta["doc_type"], meta["sender"], meta["recipient"]) == ("Memorandum", "President Kennedy", "Secretary of Defense McNamara")
    assert meta["date"] == pd.Timestamp("1962-11-05") and meta["time"] is None and meta["number"] is None
    assert meta["signed_by"] == ["John F. Kennedy"]
    assert meta["classification"] == ["Top Secret"]
    assert meta["file_citation"] == "Kennedy Library, National Security Files, Cuba, General, 11/1/62-11/6/62"
    assert cable.paragraphs["kind"].astype(str).tolist() == ["unnumbered", "signature"]
    assert cable.footnotes.loc[0, "sentence"] == "John F. Kennedy(1)"
    assert {"John F. Kennedy", "McNamara"} <= people(cable)
    assert cable.dates.empty  # the note's '11/15/63' is a receipt stamp, not a date the text speaks of


def test_telegram_1687_in_the_newer_layout_with_logo_number_line_and_signature(corpus_dir):
    cable = read(corpus_dir, "252")
    meta = cable.metadata
    assert (meta["frus_number"], meta["number"]) == (252, "1687")
    assert meta["date"] == pd.Timestamp("1962-12-18 14:09")
    assert meta["addressees"] == ["Stevenson", "McCloy"]
    assert meta["signed_by"] == ["Rusk"]
    assert (meta["drafted_by"], meta["approved_by"], meta["cleared_by"]) == (["U. Alexis Johnson"], ["U. Alexis Johnson"], ["President"])
    assert cable.leftovers["text"].tolist() == ["Logo", "127 Wall Street, New Haven, CT 06511."]
    assert cable.paragraphs["kind"].astype(str).tolist() == ["lead", "signature"]
    assert {"Vasily V. Kuznetsov", "Dean Rusk"} <= people(cable)


def test_the_history_state_gov_memorandum_with_note_0_and_a_page_marker(corpus_dir):
    cable = read(corpus_dir, "hsg_v11_d257")
    meta = cable.metadata
    assert meta["page_kind"] == "hsg-text"
    assert meta["frus_number"] == 257 and meta["doc_type"] == "Memorandum"
    assert meta["sender"] == "Deputy Under Secretary of State for Political Affairs (Johnson)"
    assert meta["recipient"] == "Secretary of State Rusk"
    assert meta["subject"] == "Cuba New York Negotiations"
    assert meta["classification"] == ["Confidential"]
    assert meta["file_citation"] == "Kennedy Library, National Security Files, Countries Series, Cuba, General, 12/62"
    assert cable.footnotes["number"].tolist() == [0, 1]
    assert cable.footnotes.loc[1, "text"] == "No other record of the dinner conversation has been found."
    assert "dinner yesterday(1) Kuznetsov" in cable.footnotes.loc[1, "sentence"]
    assert cable.leftovers[["line", "text"]].values.tolist() == [[9, "[Page 641]"]]
    assert len(cable.paragraphs) == 3
    assert "\u201csquirming\u201d" in cable.paragraphs.loc[1, "text"]
    assert {"U. Alexis Johnson", "Dean Rusk", "John J. McCloy", "Vasily V. Kuznetsov"} <= people(cable)
    assert cable.dates["surface"].tolist() == ["this morning", "yesterday", "October 27", "November 20"]
    # No dateline: the file folder '12/62' gives the year, no day to count 'yesterday' from.
    assert cable.dates["date"].dt.strftime("%Y-%m-%d").fillna("NaT").tolist() == ["NaT", "NaT", "1962-10-27", "1962-11-20"]


def test_the_truncated_copy_reads_what_it_holds_and_is_incomplete(corpus_dir):
    cable = read(corpus_dir, "210")
    meta = cable.metadata
    assert meta["complete"] is False
    assert (meta["number"], meta["sender"]) == ("1941", "Mission to the United Nations")
    assert meta["date"] == pd.Timestamp("1962-11-25 11:00")
    assert meta["addressees"] == ["Secretary"]
    assert meta["source_note"] is None and meta["classification"] == []
    assert len(cable.paragraphs) == 5
    assert cable.footnotes.empty  # its marker (1) is there, the note was cut off
    assert {"John J. McCloy", "Vasily V. Kuznetsov", "Anastas I. Mikoyan"} <= people(cable)
    assert cable.dates.loc[0, "date"] == pd.Timestamp("1962-11-24")
