"""The curated teaching files in data/: loaded once, checked on load, errors that say where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cablelab import curated
from cablelab.actors import actors
from cablelab.errors import CableFormatError
from cablelab.paths import data_dir

CURATED = ["actors.csv", "glossary.csv", "context_events.csv", "point_annotations.csv"]


def _broken(tmp_path: Path, name: str, line: int, old: str, new: str) -> Path:
    """A copy of data/<name> in tmp_path with ``old`` replaced by ``new`` on CSV line ``line``."""
    lines = (data_dir() / name).read_text(encoding="utf-8").splitlines()
    assert old in lines[line - 1], f"fixture: {old!r} not on line {line} of {name}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _error(name: str, folder: Path) -> str:
    with pytest.raises(CableFormatError) as error:
        curated.table(name, folder)
    return str(error.value)


# -- loading ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", CURATED)
def test_every_curated_file_loads_and_every_row_has_a_source(name: str):
    frame = curated.table(name)
    assert len(frame) > 0
    assert frame["source"].str.len().min() > 5


def test_a_file_is_read_once_and_callers_get_their_own_copy():
    first = curated.annotations()
    first.loc[0, "note"] = "changed by a student"
    assert curated.annotations().loc[0, "note"] != "changed by a student"
    assert curated._load.cache_info().hits > 0


def test_cablelab_data_points_the_loader_at_another_folder(tmp_path: Path, monkeypatch):
    shutil.copy(data_dir() / "point_annotations.csv", tmp_path)
    _broken(tmp_path, "point_annotations.csv", 2, "declaration wording", "verification")
    monkeypatch.setenv("CABLELAB_DATA", str(tmp_path))
    assert curated.annotations().loc[0, "topic"] == "verification"
    monkeypatch.delenv("CABLELAB_DATA")
    assert curated.annotations().loc[0, "topic"] == "declaration wording"


def test_clear_cache_makes_an_edited_file_visible(tmp_path: Path):
    shutil.copy(data_dir() / "point_annotations.csv", tmp_path)
    assert curated.annotations(tmp_path).loc[0, "speaker"] == "USSR"
    _broken(tmp_path, "point_annotations.csv", 2, "USSR", "US")
    curated.clear_cache()
    assert curated.annotations(tmp_path).loc[0, "speaker"] == "US"


# -- validation: file, line, column ----------------------------------------------------


# Each typo: (file, CSV line, text on that line, the typo, the whole message a teacher sees).
TYPOS = {
    "a side outside the closed set": (
        "actors.csv", 4, ",USSR,", ",Soviet,",
        "actors.csv: line 4: column 'side': 'Soviet' is not one of US, USSR, Cuba, UN, other"),
    "a kind outside the closed set": (
        "actors.csv", 2, ",person,", ",people,",
        "actors.csv: line 2: column 'kind': 'people' is not one of person, state, organisation"),
    "a date that is not a calendar date": (
        "context_events.csv", 3, "1962-10-15", "1962-10-32",
        "context_events.csv: line 3: column 'date': '1962-10-32' is not a real calendar date"),
    "a malformed ref": (
        "point_annotations.csv", 2, "1(a)", "1a",
        "point_annotations.csv: line 2: column 'ref': '1a' is not written like '3(e)'"),
    "an answer naming no point of the file": (
        "point_annotations.csv", 5, ",3(e),", ",3(g),",
        "point_annotations.csv: line 5: column 'answers': '3(g)' is not a ref of this file"),
    "a topic outside the closed set": (
        "point_annotations.csv", 10, "overflights", "overflight",
        "point_annotations.csv: line 10: column 'topic': 'overflight' is not one of " + ", ".join(curated.TOPICS)),
}


@pytest.mark.parametrize("typo", TYPOS.values(), ids=list(TYPOS))
def test_a_typo_is_reported_with_file_line_and_column(tmp_path: Path, typo):
    name, line, old, new, message = typo
    assert _error(name, _broken(tmp_path, name, line, old, new)) == message


def test_a_date_in_another_format_shows_the_expected_one(tmp_path: Path):
    folder = _broken(tmp_path, "context_events.csv", 2, "1962-10-14", "14 Oct 1962")
    assert "written YYYY-MM-DD, like 1962-11-26" in _error("context_events.csv", folder)


def test_an_end_date_before_the_start_is_refused(tmp_path: Path):
    lines = (data_dir() / "context_events.csv").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("1962-11-02,1962-11-26"))
    folder = _broken(tmp_path, "context_events.csv", line, "1962-11-02,1962-11-26", "1962-11-02,1962-10-26")
    assert _error("context_events.csv", folder) == (
        f"context_events.csv: line {line}: column 'end_date': 1962-10-26 is before date 1962-11-02")


def test_an_empty_source_is_refused(tmp_path: Path):
    lines = (data_dir() / "point_annotations.csv").read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4][: lines[4].rindex(',"FRUS')] + ","
    (tmp_path / "point_annotations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _error("point_annotations.csv", tmp_path) == (
        "point_annotations.csv: line 5: column 'source': is empty; every row needs it")


def test_a_misspelt_column_header_is_named(tmp_path: Path):
    folder = _broken(tmp_path, "point_annotations.csv", 1, "speaker", "speakr")
    message = _error("point_annotations.csv", folder)
    assert message.startswith("point_annotations.csv: line 1: missing column(s) speaker; unknown column(s) speakr")


def test_a_row_with_an_unquoted_comma_is_explained(tmp_path: Path):
    lines = (data_dir() / "point_annotations.csv").read_text(encoding="utf-8").splitlines()
    lines.append("3(g),US,verification,,a note, with a comma,a source")
    (tmp_path / "point_annotations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _error("point_annotations.csv", tmp_path)
    assert message.startswith(f"point_annotations.csv: line {len(lines)}: expected 6 comma-separated values, found 7")


def test_a_missing_file_is_named(tmp_path: Path):
    assert "point_annotations.csv: curated file not found" in _error("point_annotations.csv", tmp_path)


# -- the point annotations -------------------------------------------------------------


def test_annotations_cover_the_ten_lettered_points_with_their_speakers():
    points = curated.annotations().set_index("ref")
    assert list(points.index) == ["1(a)", "1(b)", "1(c)", "1(d)", "3(a)", "3(b)", "3(c)", "3(d)", "3(e)", "3(f)"]
    assert points["speaker"].tolist() == ["USSR"] * 4 + ["US"] * 6
    assert set(points["topic"]) <= set(curated.TOPICS)


def test_the_overflight_reservation_is_answered_by_3e_and_back():
    points = curated.annotations().set_index("ref")
    assert points.loc["1(d)", "answers"] == ["3(e)"]
    assert points.loc["3(e)", "answers"] == ["1(d)"]
    assert points.loc["1(d)", "topic"] == points.loc["3(e)", "topic"] == "overflights"
    assert points.loc["3(f)", "topic"] == "U Thant's proposals"


def test_pairings_read_the_same_from_both_sides():
    points = curated.annotations().set_index("ref")
    forward = {(soviet, us) for soviet, row in points.iterrows() if soviet.startswith("1") for us in row["answers"]}
    backward = {(soviet, us) for us, row in points.iterrows() if us.startswith("3") for soviet in row["answers"]}
    assert forward == backward == {("1(b)", "3(b)"), ("1(c)", "3(b)"), ("1(d)", "3(e)")}


def test_annotation_refs_are_the_refs_of_the_parsed_cable(seed_cable):
    assert set(curated.annotations()["ref"]) == set(seed_cable.points["ref"])


# -- the chronology --------------------------------------------------------------------


def test_context_events_have_timestamps_and_are_in_date_order():
    events = curated.context_events()
    assert events["date"].dtype == "datetime64[ns]" and events["end_date"].dtype == "datetime64[ns]"
    assert events["date"].is_monotonic_increasing
    assert events["date"].min() == pd.Timestamp("1962-10-14")
    assert events["date"].max() == pd.Timestamp("1963-01-07")
    assert set(events["status"]) == {"confirmed", "secondary"}


def _on(day: str) -> pd.DataFrame:
    events = curated.context_events()
    return events[events["date"] == pd.Timestamp(day)]


def test_the_readable_chronology_spells_dates_and_leaves_no_missing_markers():
    table = curated.events_table()
    assert len(table) == len(curated.context_events())
    assert table.loc[0, "when"] == "14 Oct 1962"
    assert "28 Dec 1962 to 3 Jan 1963" in set(table["when"])
    assert not table.isna().any().any()
    assert not table.apply(lambda column: column.str.contains(r"\bNaT\b|\bnan\b")).any().any()


def test_the_chronology_holds_the_events_the_timeline_lesson_needs():
    assert _on("1962-10-14")["event"].str.contains("U-2").any()
    assert _on("1962-10-22")["event"].str.contains("address").any()
    assert _on("1962-10-24")["event"].str.contains("quarantine takes effect").any()
    assert _on("1962-10-28")["event"].str.contains("U Thant writes to Kennedy").any()
    assert _on("1962-11-20")["event"].str.contains("IL-28").any()
    assert set(_on("1962-11-23")["time"]) == {"9:40 p.m.", "9:43 p.m."}
    assert _on("1963-01-07")["event"].str.contains("joint letter").any()


def test_this_cable_is_the_one_event_of_its_category_at_928_pm():
    events = curated.context_events()
    cable = events[events["category"] == "this cable"]
    assert len(cable) == 1
    assert (cable["date"].iloc[0], cable["time"].iloc[0]) == (pd.Timestamp("1962-11-26"), "9:28 p.m.")


def test_mikoyans_havana_mission_is_a_secondary_range():
    events = curated.context_events()
    havana = events[events["end_date"].notna() & events["event"].str.contains("Havana")]
    assert list(zip(havana["date"], havana["end_date"])) == [(pd.Timestamp("1962-11-02"), pd.Timestamp("1962-11-26"))]
    assert havana["status"].tolist() == ["secondary"]


def test_unconfirmed_parts_are_left_out_of_the_chronology():
    address = _on("1962-10-22")
    assert address.loc[address["event"].str.contains("address"), "time"].isna().all()
    # the proclamation's 7:06 p.m. is printed with its signature (77 Stat. 959); the blog's "7 p.m." is not used
    assert sorted(_on("1962-10-23")["time"].dropna()) == ["4 p.m.", "7:06 p.m."]
    thant = _on("1962-10-28")
    assert thant["event"].str.contains("open question").any()
    assert not thant["event"].str.contains("the one telegram 1379 means").any()
    committee = _on("1962-10-29")
    assert not committee["event"].str.contains("McCloy").any()
    assert not curated.context_events()["event"].str.contains("evening of 31|IL-28s among", regex=True).any()


def test_every_actor_of_an_event_is_in_the_registry():
    names = set(actors()["name"])
    named = {actor for listed in curated.context_events()["actors"] for actor in listed}
    assert named <= names
    assert "Anastas I. Mikoyan" in named


# -- historical accuracy: what the rows say is what their sources say -------------------------


def _event(day: str, word: str) -> pd.Series:
    rows = _on(day)
    rows = rows[rows["event"].str.contains(word, regex=False)]
    assert len(rows) == 1, f"one event on {day} mentioning {word!r}"
    return rows.iloc[0]


def test_the_u2_pilot_is_heyser_with_the_initial_s_and_the_frus_misprint_is_named():
    flight = _event("1962-10-14", "U-2")
    assert "Maj. Richard S. Heyser" in flight["event"] and "Richard S. Heyser" in flight["actors"]
    assert "misprints" in flight["source"] and "'D.'" in flight["source"]
    assert not curated.context_events()["event"].str.contains("Richard D. Heyser").any()


def test_the_robert_kennedy_dobrynin_row_says_what_was_said_about_turkey_and_whose_account_it_is():
    meeting = _event("1962-10-27", "Dobrynin")
    assert "time is short" in meeting["event"] and "Turkey" in meeting["event"]
    assert "Khrushchev's account" in meeting["event"] and "four to five months" in meeting["event"]
    assert "cannot discuss them in public" in meeting["event"] and "NATO decision" in meeting["event"]
    assert meeting["source"].startswith("FRUS XI d96") and "FRUS VI d70" in meeting["source"]


def test_mccloys_dinner_with_kuznetsov_is_on_24_november_and_its_report_on_the_25th():
    dinner = _event("1962-11-24", "dinner")
    assert "Saturday 24 Nov" in dinner["event"] and "Sat 24 Nov 62" in dinner["source"]
    assert "USUN 1941 reports the dinner of 24 Nov" in _event("1962-11-25", "USUN 1941")["event"]
    events = curated.context_events()
    assert not events["event"].str.contains(r"24[–-]25|dinner of 25", regex=True).any()


def test_the_quarantine_is_a_selective_interdiction_not_called_a_blockade():
    proclamation = _event("1962-10-23", "Proclamation 3504")
    assert proclamation["time"] == "7:06 p.m."
    assert "Interdiction of the Delivery of Offensive Weapons to Cuba" in proclamation["event"]
    assert "rather than a blockade" in proclamation["event"] and "act of war" in proclamation["event"]
    assert "77 Stat. 958-959" in proclamation["source"]
    assert not curated.context_events()["event"].str.contains("naval blockade").any()


def test_the_meeting_with_mikoyan_that_night_is_only_planned_in_the_cable():
    cable = _event("1962-11-26", "Telegram 1379")
    assert "meeting with Mikoyan planned for that night" in cable["event"]
    assert "no report of that meeting" in cable["event"]


def test_the_soviet_draft_that_mikoyan_announced_is_cited_to_document_219():
    assert "d219 (Mikoyan: the Soviet delegation would submit a draft)" in _event("1962-11-29", "Mikoyan")["source"]


def test_the_27_november_telegram_is_marked_as_known_from_the_editors_footnote():
    usun = _event("1962-11-27", "USUN 1972")
    assert "editors' footnote" in usun["event"] and usun["source"] == "FRUS XI d212 n.5"


def test_the_us_draft_is_a_declaration_the_united_states_makes_on_its_own():
    assert "declaration the United States would make on its own" in _event("1962-11-21", "Deptel 1339")["event"]


def test_confirmed_rows_rest_on_no_encyclopedia_devotional_page_or_personal_transcription():
    weak = r"Wikipedia|srichinmoy|walterdorn\.net/pub\?id=177"
    for name in CURATED:
        frame = curated.table(name)
        if "status" not in frame:
            continue
        confirmed = frame[frame["status"] == "confirmed"]
        assert not confirmed["source"].str.contains(weak, regex=True).any(), name


def test_the_american_presidency_project_is_never_cited_without_the_document_named():
    for name in CURATED:
        for source in curated.table(name)["source"]:
            if "American Presidency Project" in source:
                assert "'Message in Reply to a Broadcast by Chairman Khrushchev" in source, (name, source)


def test_no_curated_file_holds_an_internal_fact_sheet_label():
    label = r"\bFACTS\b|\b[CPT]\d{2}\b|\bfinding \d\b"
    for name in [*CURATED, "README.md"]:
        text = (data_dir() / name).read_text(encoding="utf-8")
        assert not pd.Series(text.splitlines()).str.contains(label, regex=True).any(), name


# -- the trie matcher ------------------------------------------------------------------


def test_surface_pattern_prefers_the_longest_form_and_whole_words():
    pattern = curated.surface_pattern(["Secretary", "Secretary General", "Acting Secretary General"])
    found = [m.group("surface") for m in pattern.finditer("Acting Secretary General; Secretary Generalship")]
    assert found == ["Acting Secretary General", "Secretary"]
    assert [m.group(0) for m in pattern.finditer("Secretaryship Secretary0")] == ["Secretary"]


# -- which documents the curated content describes ---------------------------------------


@pytest.mark.parametrize("fixture", [None, "hsg_212_page.txt", "avalon_212_page.html"])
def test_curated_content_applies_to_telegram_1379_from_any_page(seed_cable, fixture: str | None):
    import cablelab

    cable = seed_cable if fixture is None else cablelab.read(Path(__file__).parent / "fixtures" / "docs" / fixture)
    assert curated.applies_to(cable)


@pytest.mark.parametrize("fixture", ["avalon_memcon_ny.txt", "avalon_misun_received.txt", "tei_volume_d211_d212.xml"])
def test_curated_content_does_not_apply_to_other_documents(fixture: str):
    import cablelab

    assert not curated.applies_to(cablelab.read(Path(__file__).parent / "fixtures" / "docs" / fixture))
