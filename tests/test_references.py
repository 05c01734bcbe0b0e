"""Cross-references: telegraphese kinds, lists of numbers, and where each cited paper came from."""

from __future__ import annotations

from cablelab.references import NEEDLES, STARTS, find_references, short_name

DEPT_TO_USUN = {"sender": "Department of State", "recipient": "Mission to the United Nations"}


def rows(text: str, **parties) -> list[tuple]:
    return [(r["surface"], r["kind"], r["number"], r["origin"]) for r in find_references(text, **parties)]


def test_a_list_of_urtels_gives_one_row_per_number_from_the_addressee():
    assert rows("Subject: New York Negotiations (urtels 1941, 1942, 1943).", **DEPT_TO_USUN) == [
        ("urtels 1941", "urtel", 1941, "USUN"),
        ("urtels 1942", "urtel", 1942, "USUN"),
        ("urtels 1943", "urtel", 1943, "USUN"),
    ]


def test_deptel_comes_from_the_department_and_urtel_from_the_addressee():
    assert rows("on basis Deptel 1359(3) and urtel 1941.", **DEPT_TO_USUN) == [
        ("Deptel 1359", "deptel", 1359, "Department of State"),
        ("urtel 1941", "urtel", 1941, "USUN"),
    ]


def test_urtel_in_a_telegram_to_the_department_comes_from_the_department():
    assert rows("Re urtel 1359.", sender="Mission to the United Nations", recipient="Department of State") == [
        ("urtel 1359", "urtel", 1359, "Department of State")
    ]


def test_ourtel_and_mytel_come_from_the_sender():
    assert rows("ourtel 12 and mytel 13", **DEPT_TO_USUN) == [
        ("ourtel 12", "ourtel", 12, "Department of State"),
        ("mytel 13", "mytel", 13, "Department of State"),
    ]


def test_reftels_without_a_number_have_no_number_and_no_origin():
    assert rows("We understand from reftels and Stevenson telecon", **DEPT_TO_USUN) == [("reftels", "reftel", None, None)]


def test_telegrams_and_documents_of_the_editors_notes():
    text = "Document 210 and footnote 1 thereto. Telegram 1943 from USUN, November 26; Telegram 1375 to Moscow."
    assert rows(text) == [
        ("Document 210", "document", 210, None),
        ("Telegram 1943 from USUN", "telegram", 1943, "USUN"),
        ("Telegram 1375 to Moscow", "telegram", 1375, "Department of State"),
    ]


def test_embtel_comes_from_the_embassy_of_the_exchange():
    assert rows("Embtel 1101", sender="Department of State", recipient="Embassy in the Soviet Union") == [
        ("Embtel 1101", "embtel", 1101, "Moscow")
    ]


def test_offsets_cover_the_word_and_the_first_number():
    text = "(urtels 1941, 1942)"
    first, second = find_references(text)
    assert text[first["start"] : first["end"]] == "urtels 1941"
    assert text[second["start"] : second["end"]] == "1942"


def test_short_names_of_the_posts():
    assert short_name("Mission to the United Nations") == "USUN"
    assert short_name("Department of State") == "Department of State"
    assert short_name("Secretary of Defense McNamara") == "Secretary of Defense McNamara"


def test_every_start_word_holds_a_needle_in_any_case():
    """find_references tries its shapes only at words holding a needle: a new shape needs one."""
    for word in STARTS:
        for form in (word, word.title(), word.upper()):
            assert any(needle in form.lower() for needle in NEEDLES), form


def test_references_in_capitals_and_words_that_only_contain_tel():
    assert rows("URTEL 12 and Hotel 9; DEPTELS 3, 4; urtel1941", **DEPT_TO_USUN) == [
        ("URTEL 12", "urtel", 12, "USUN"),
        ("DEPTELS 3", "deptel", 3, "Department of State"),
        ("DEPTELS 4", "deptel", 4, "Department of State"),
    ]
