"""Telegraphese: the glossary (data/glossary.csv), find_terms and expand."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cablelab.errors import CableFormatError
from cablelab.glossary import expand, find_terms, glossary
from cablelab.paths import builtin_cable

SEED = builtin_cable().read_text(encoding="utf-8")


def test_the_glossary_covers_the_telegraphese_of_the_lessons():
    terms = set(glossary()["term"])
    assert {"urtel", "reftel", "Deptel", "Embtel", "ourtel", "mytel", "telecon", "memcon", "SYG", "SC", "GA",
            "USUN", "Niact", "Eyes Only", "Limdis", "FYI", "ICRC", "OAS", "ExComm", "Sov", "Secto",
            "Tosec"} <= terms


def test_unconfirmed_terms_are_left_out():
    terms = set(glossary()["term"])
    assert "MISUN" not in terms and "CAP" not in terms
    committee = glossary().set_index("term").loc["Coordinating Committee"]
    assert "Open question" in committee["explanation"]


def test_syg_says_thant_was_acting_on_26_november_and_appointed_on_the_30th():
    syg = glossary().set_index("term").loc["SYG", "explanation"]
    assert "on 26 November 1962 U Thant, still Acting Secretary-General" in syg and "30 November" in syg
    assert "in November 1962" not in syg


def test_every_term_has_a_source_and_a_status():
    terms = glossary()
    assert terms["source"].str.len().min() > 0
    assert set(terms["status"]) == {"confirmed", "secondary"}
    assert terms.set_index("term").loc["Eyes Only", "status"] == "secondary"


def test_plurals_expand_to_plural_expansions():
    assert expand("urtels") == "your telegrams"
    assert expand("reftels") == "reference telegrams"
    assert expand("Sovs") == "Soviets"


def test_numbers_after_a_term_are_kept():
    assert expand("urtel 1941") == "your telegram 1941"
    assert expand("Deptel 1359") == "Department of State telegram 1359"


def test_the_case_of_the_surface_is_kept():
    assert expand("Urtel 1943 and URTEL 1942") == "Your telegram 1943 and YOUR TELEGRAM 1942"
    assert expand("telcon with McCloy") == "telephone conversation with McCloy"


def test_acronyms_match_only_in_capitals():
    assert expand("the SC and the GA") == "the UN Security Council and the UN General Assembly"
    assert expand("a sc of ga, Sc") == "a sc of ga, Sc"
    assert glossary().set_index("term").loc["SC", "match_case"]
    assert not glossary().set_index("term").loc["urtel", "match_case"]


def test_terms_inside_other_words_are_left_alone():
    assert expand("Scandal; urtelx; GAs; FYIs") == "Scandal; urtelx; GAs; FYIs"


def test_find_terms_on_the_seed_gives_its_telegraphese_in_order():
    found = find_terms(SEED)
    assert [(t["term"], t["surface"]) for t in found] == [
        ("urtel", "urtels"), ("reftel", "reftels"), ("telecon", "telecon"), ("Deptel", "Deptel"),
        ("urtel", "urtel"), ("urtel", "urtel"), ("SYG", "SYG"), ("SC", "SC"), ("USUN", "USUN"),
        ("USUN", "USUN"), ("Eyes Only", "Eyes Only")]
    first = found[0]
    assert SEED[first["start"]:first["end"]] == "urtels" and first["expansion"] == "your telegrams"


def test_expanding_the_seed_subject_line():
    line = next(line for line in SEED.splitlines() if line.startswith("1379."))
    assert "(your telegrams 1941, 1942, 1943)" in expand(line)
    paragraph5 = next(line for line in SEED.splitlines() if line.startswith("5. "))
    assert expand(paragraph5).startswith(
        "5. Re your telegram 1943, we believe it important that US have opportunity to review "
        "UN Secretary-General report before it submitted to UN Security Council.")


def test_expand_is_linear_on_a_large_text():
    big = (SEED * (5_000_000 // len(SEED) + 1))[:5_000_000]
    started = time.perf_counter()
    assert len(expand(big)) > len(big)
    assert time.perf_counter() - started < 10


def test_a_bad_match_case_value_names_file_line_and_column(tmp_path: Path):
    original = (builtin_cable().parent / "glossary.csv").read_text(encoding="utf-8").splitlines()
    original[3] = original[3].replace(",no,", ",maybe,", 1)
    (tmp_path / "glossary.csv").write_text("\n".join(original) + "\n", encoding="utf-8")
    with pytest.raises(CableFormatError) as error:
        glossary(tmp_path)
    assert str(error.value) == "glossary.csv: line 4: column 'match_case': 'maybe' should be yes or no"
