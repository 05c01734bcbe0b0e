"""The actor registry (data/actors.csv) and find_mentions, on the real telegram 1379."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cablelab.actors import actors, find_mentions
from cablelab.paths import builtin_cable
from cablelab.schema import ACTOR_KINDS, SIDES

SEED = builtin_cable().read_text(encoding="utf-8")


def _part(start: str, stop: str | None) -> str:
    """The seed's text from the line starting with ``start`` up to the one starting with ``stop``."""
    lines = SEED.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next((i for i, line in enumerate(lines) if stop and i > first and line.startswith(stop)), len(lines))
    return "\n".join(lines[first:last])


BODY = _part("1379.", "1 Document 210")
SOURCE_NOTE = _part("Source:", None)


def _people(text: str) -> set[str]:
    return {m["actor"] for m in find_mentions(text) if m["kind"] in ("person", "office")}


def test_the_registry_has_every_person_of_the_facts_table_and_the_states_and_organisations():
    registry = actors()
    names = set(registry["name"])
    assert {"Adlai E. Stevenson", "John J. McCloy", "Anastas I. Mikoyan", "Vasily V. Kuznetsov", "U Thant",
            "Fidel Castro", "John F. Kennedy", "Nikita S. Khrushchev", "Dean Rusk", "Charles W. Yost",
            "C. V. Narasimhan", "Joseph J. Sisco", "U. Alexis Johnson", "Harlan Cleveland", "George W. Ball",
            "Llewellyn E. Thompson", "McGeorge Bundy", "Robert F. Kennedy", "Anatoly F. Dobrynin",
            "Valerian A. Zorin", "Lev I. Mendelevich", "Indar Jit Rikhye", "Rudolf Anderson Jr.",
            "Richard S. Heyser"} <= names
    assert {"United States", "Soviet Union", "Cuba", "United Nations", "Security Council",
            "Department of State", "U.S. Mission to the United Nations", "McNamara"} <= names
    assert registry["source"].str.len().min() > 0
    assert set(registry["side"].cat.categories) == set(SIDES)
    assert set(registry["kind"]) <= set(ACTOR_KINDS) - {"office"}


def test_aliases_and_offices_are_lists_of_surface_forms():
    registry = actors().set_index("name")
    assert registry.loc["Dean Rusk", "offices"] == ["Secretary", "Secretary of State"]
    assert "SYG" in registry.loc["U Thant", "offices"]
    assert "Acting Secretary General" in registry.loc["U Thant", "offices"]
    assert registry.loc["United States", "aliases"][:2] == ["US", "U.S."]
    assert registry.loc["McNamara", "aliases"] == []


def test_the_body_names_the_nine_people_of_the_cable():
    assert _people(BODY) == {"Adlai E. Stevenson", "John J. McCloy", "John F. Kennedy", "Nikita S. Khrushchev",
                             "Anastas I. Mikoyan", "Fidel Castro", "U Thant", "Charles W. Yost",
                             "C. V. Narasimhan", "Dean Rusk"}


def test_secretary_is_rusk_through_his_office():
    secretary = [m for m in find_mentions(BODY) if m["surface"] == "Secretary's"]
    assert secretary == [{"actor": "Dean Rusk", "surface": "Secretary's", "kind": "office", "side": "US",
                          "start": BODY.index("Secretary's"), "end": BODY.index("Secretary's") + 11}]


def test_syg_and_acting_secretary_general_are_u_thant_as_an_office():
    offices = {m["surface"]: m["actor"] for m in find_mentions(BODY) if m["kind"] == "office"}
    assert offices == {"Secretary's": "Dean Rusk", "Acting Secretary General's": "U Thant", "SYG": "U Thant"}


def test_the_source_note_names_drafter_clearers_and_approver():
    mentions = [m for m in find_mentions(SOURCE_NOTE) if m["kind"] == "person"]
    assert [(m["actor"], m["surface"]) for m in mentions] == [
        ("Joseph J. Sisco", "Sisco"),
        ("U. Alexis Johnson", "U. Alexis Johnson"),
        ("Dean Rusk", "Rusk"),
        ("Harlan Cleveland", "Cleveland"),
    ]


def test_the_longest_form_wins():
    [johnson] = find_mentions("cleared by U. Alexis Johnson today")
    assert (johnson["surface"], johnson["actor"]) == ("U. Alexis Johnson", "U. Alexis Johnson")
    [thant] = find_mentions("the Acting Secretary General replied")
    assert (thant["surface"], thant["actor"], thant["kind"]) == ("Acting Secretary General", "U Thant", "office")
    [mcnamara] = find_mentions("to Secretary of Defense McNamara")[:1]
    assert mcnamara["surface"] == "Secretary of Defense" and mcnamara["actor"] == "McNamara"


def test_short_all_capital_forms_match_only_in_capitals():
    assert find_mentions("he said to us that the sc met") == []
    found = find_mentions("outside framework US-USSR transaction")
    assert [(m["actor"], m["surface"], m["start"]) for m in found] == [
        ("United States", "US", 18), ("Soviet Union", "USSR", 21)]


def test_titles_in_lower_case_are_not_people_but_capitals_are():
    assert find_mentions("the secretary of the club") == []
    assert [m["actor"] for m in find_mentions("FOR STEVENSON AND MCCLOY")] == ["Adlai E. Stevenson", "John J. McCloy"]


def test_possessives_are_found_with_their_apostrophe():
    found = find_mentions("Castro's demands and the Kremlin’s stable")
    assert [(m["actor"], m["surface"]) for m in found] == [("Fidel Castro", "Castro's"), ("Soviet Union", "Kremlin’s")]


def test_forms_match_as_whole_words_only():
    assert find_mentions("Presidential press statement; Presidents; Cubanism; USUNX") == []
    assert [m["actor"] for m in find_mentions("Kennedy-Khrushchev correspondence")] == [
        "John F. Kennedy", "Nikita S. Khrushchev"]


def test_a_ten_megabyte_text_is_searched_in_linear_time():
    big = (SEED * (10_000_000 // len(SEED) + 1))[:10_000_000]
    started = time.perf_counter()
    found = find_mentions(big)
    assert time.perf_counter() - started < 10
    assert len(found) > 150_000
    near_misses = "Acting Secretary Genera " * 400_000
    started = time.perf_counter()
    assert {m["actor"] for m in find_mentions(near_misses)} == {"Dean Rusk"}
    assert time.perf_counter() - started < 10


def test_corpus_documents_resolve_their_officials(corpus_dir: Path):
    memo = (corpus_dir / "148_avalon_kennedy_to_mcnamara_memo.txt").read_text(encoding="utf-8")
    assert {"John F. Kennedy", "McNamara", "Soviet Union"} <= {m["actor"] for m in find_mentions(memo)}
    johnson = (corpus_dir / "hsg_v11_d257_johnson_to_rusk_memo.txt").read_text(encoding="utf-8")
    first_line = johnson.splitlines()[0]
    assert [m["actor"] for m in find_mentions(first_line)] == ["U. Alexis Johnson", "U. Alexis Johnson",
                                                              "Dean Rusk", "Dean Rusk"]
    usun = (corpus_dir / "128_avalon_usun_to_dept_1579.txt").read_text(encoding="utf-8")
    names = {m["actor"] for m in find_mentions(usun)}
    assert {"Akalovsky", "Vasily V. Kuznetsov", "John J. McCloy", "White House", "Dean Rusk",
            "International Committee of the Red Cross"} <= names


def test_a_surface_form_given_twice_is_refused_with_file_line_and_column(tmp_path: Path):
    from cablelab.errors import CableFormatError

    original = (builtin_cable().parent / "actors.csv").read_text(encoding="utf-8")
    lines = original.splitlines()
    lines.append('Someone,Rusk,,person,US,role,bio,a source,confirmed')
    (tmp_path / "actors.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CableFormatError) as error:
        actors(tmp_path)
    assert str(error.value).startswith(f"actors.csv: line {len(lines)}: column 'aliases': 'Rusk' is already given")


def test_mentions_frame_of_the_loaded_cable_resolves_offices(seed_cable):
    mentions = seed_cable.mentions
    offices = mentions[mentions["kind"] == "office"]
    assert set(zip(offices["surface"], offices["actor"])) >= {("SYG", "U Thant"), ("Secretary's", "Dean Rusk")}
    body = set(mentions.loc[mentions["section"] == "body", "actor"])
    assert {"Anastas I. Mikoyan", "C. V. Narasimhan", "Charles W. Yost"} <= body


def test_a_teachers_new_alias_in_another_data_folder_is_found(tmp_path: Path, monkeypatch):
    original = (builtin_cable().parent / "actors.csv").read_text(encoding="utf-8")
    (tmp_path / "actors.csv").write_text(original.replace("Anastas Mikoyan|Mikoyan", "Anastas Mikoyan|Mikoyan|AIM"),
                                         encoding="utf-8")
    assert find_mentions("AIM arrives") == []
    monkeypatch.setenv("CABLELAB_DATA", str(tmp_path))
    assert [m["actor"] for m in find_mentions("AIM arrives")] == ["Anastas I. Mikoyan"]
    monkeypatch.delenv("CABLELAB_DATA")
    assert find_mentions("AIM arrives") == []


def test_frus_misprint_of_heysers_initial_still_finds_him():
    assert [m["actor"] for m in find_mentions("piloted by Air Force Major Richard D. Heyser")] == ["Richard S. Heyser"]
    assert "misprints" in actors().set_index("name").loc["Richard S. Heyser", "source"]


def test_thant_is_acting_secretary_general_on_26_november_not_all_month():
    role = actors().set_index("name").loc["U Thant", "role_nov_1962"]
    assert role.startswith("Acting Secretary-General of the United Nations on 26 Nov 1962")
    assert "appointed Secretary-General on 30 Nov 1962" in role and "A/RES/1771 (XVII)" in actors().set_index("name").loc["U Thant", "source"]


def test_robert_kennedys_entry_says_what_was_said_about_turkey_and_whose_account_it_is():
    rfk = actors().set_index("name").loc["Robert F. Kennedy"]
    assert "time was short" in rfk["bio"] and "Turkey" in rfk["bio"] and "Khrushchev's account" in rfk["bio"]
    assert "FRUS VI d70" in rfk["source"]


def test_drafter_and_clearer_claims_cite_the_documents_that_show_them():
    registry = actors().set_index("name")
    sisco, johnson = registry.loc["Joseph J. Sisco"], registry.loc["U. Alexis Johnson"]
    assert "many" not in sisco["bio"] and "Deptel 1141" in sisco["bio"] and "FRUS XI d119" in sisco["source"]
    assert "many" not in johnson["bio"] and "Deptel 1687" in johnson["bio"] and "d252" in johnson["source"]


def test_khrushchevs_role_is_the_one_frus_gives_and_narasimhan_rests_on_frus():
    registry = actors().set_index("name")
    assert registry.loc["Nikita S. Khrushchev", "role_nov_1962"] == "Chairman of the USSR Council of Ministers"
    assert "Wikipedia" not in registry.loc["Nikita S. Khrushchev", "source"]
    narasimhan = registry.loc["C. V. Narasimhan"]
    assert narasimhan["source"].startswith("FRUS XI d119") and "srichinmoy" not in narasimhan["source"]
