"""Reading sources: decoding, page kinds, and the page leftovers set aside with their lines."""

from __future__ import annotations

from pathlib import Path

import pytest

import cablelab
from cablelab import CableFormatError
from cablelab.paths import builtin_cable
from cablelab.sources import markup_kind, open_source, read_text, text_kind

DOCS = Path(__file__).parent / "fixtures" / "docs"


def test_a_path_a_str_path_bytes_and_text_give_the_same_text():
    path = builtin_cable()
    expected = path.read_text(encoding="utf-8")
    assert read_text(path)[0] == expected
    assert read_text(str(path))[0] == expected
    assert read_text(path.read_bytes())[0] == expected
    assert read_text(expected)[0] == expected
    assert read_text(path)[1] == "telegram_1379.txt"


def test_cp1252_bytes_decode_to_curly_quotes():
    assert read_text("\u201cEyes Only\u201d\n".encode("cp1252"))[0] == "\u201cEyes Only\u201d\n"


def test_utf8_with_and_without_bom_decode_alike():
    text = "Washington, November 26, 1962, 9:28 p.m.\n"
    assert read_text(b"\xef\xbb\xbf" + text.encode())[0] == read_text(text.encode())[0] == text


def test_crlf_and_cr_become_newlines():
    assert read_text(b"a\r\nb\rc\n")[0] == "a\nb\nc\n"


def test_the_seed_is_recognised_as_an_avalon_text_page():
    assert open_source(builtin_cable()).kind == "avalon-text"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("avalon_212_page.html", "avalon-html"),
        ("hsg_212_page.html", "hsg-html"),
        ("tei_volume_d211_d212.xml", "tei"),
        ("plain_policy_wrapped.txt", "plain"),
        ("avalon_memcon_ny.txt", "avalon-text"),
    ],
)
def test_each_page_kind_is_recognised(name, kind):
    assert open_source(DOCS / name).kind == kind


def test_a_history_state_gov_text_is_recognised_by_its_numbered_heading():
    text = "257. Memorandum From Johnson to Rusk0\n\nBody.\n\n  1. Source: Files. Secret.\n"
    assert text_kind(text) == "hsg-text"


def test_markup_kind_tells_html_from_tei_and_from_text():
    assert markup_kind("Washington, November 26, 1962") is None
    assert markup_kind("<html><body><p>Bake sale</p></body></html>") == "html"
    assert markup_kind('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>') == "tei"


def test_back_words_and_the_footer_are_set_aside_with_their_line_numbers():
    page = open_source(builtin_cable())
    assert [(left.line, left.text, left.kind) for left in page.leftovers] == [
        (40, "Back", "back_link"),
        (42, "Back", "back_link"),
        (44, "Back", "back_link"),
        (46, "Back", "back_link"),
        (48, "Back", "back_link"),
        (52, "127 Wall Street, New Haven, CT 06511.", "page_footer"),
    ]
    kept = {line.number: line.text for line in page.lines}
    assert kept[44] == "3 Document 207."
    assert 52 not in kept


def test_leftovers_are_recognised_by_pattern_not_by_line_number():
    text = "The Cuban Missile Crisis\nTelegram From A to B\n\nWashington, May 1, 1962.\n\nText.(1)\n\n1 A note. Back\n\n9 Elm Street, Springfield, MA 01101.\n"
    page = open_source(text)
    assert [(left.line, left.kind) for left in page.leftovers] == [(8, "back_link"), (10, "page_footer")]


def test_a_logo_line_is_navigation_not_a_collection():
    page = open_source("Logo\nThe Cuban Missile Crisis\nTelegram From A to B\n\nWashington, May 1, 1962.\n\nText.\n")
    assert page.leftovers[0].text == "Logo" and page.leftovers[0].kind == "navigation"


def test_an_avalon_html_page_reads_like_its_text():
    html, text = cablelab.read(DOCS / "avalon_212_page.html"), cablelab.load()
    assert html.paragraphs["text"].tolist() == text.paragraphs["text"].tolist()
    assert html.points["ref"].tolist() == text.points["ref"].tolist()
    assert html.footnotes["sentence"].tolist() == text.footnotes["sentence"].tolist()
    assert dict(html.metadata.drop(["page_kind"])) == dict(text.metadata.drop(["page_kind"]))


def test_an_avalon_html_page_sets_aside_navigation_back_links_and_footer():
    left = cablelab.read(DOCS / "avalon_212_page.html").leftovers
    assert left["kind"].astype(str).value_counts().to_dict() == {"navigation": 5, "back_link": 5, "page_footer": 2}
    assert "127 Wall Street, New Haven, CT 06511." in left["text"].tolist()


def test_html_lines_are_numbered_by_the_line_of_the_html_source():
    cable = cablelab.read(DOCS / "avalon_212_page.html")
    lines = (DOCS / "avalon_212_page.html").read_text(encoding="utf-8").split("\n")
    for row in cable.blocks.itertuples():
        assert row.text.split("\n")[0][:20] in lines[row.line - 1], row.block


def test_a_history_state_gov_page_reads_its_note_0_as_the_source_note():
    cable = cablelab.read(DOCS / "hsg_212_page.html")
    assert cable.metadata["frus_number"] == 212
    assert cable.footnotes["number"].tolist() == [0, 1, 2, 3, 4, 5]
    assert cable.footnotes.loc[0, "text"].startswith("Department of State, Central Files")
    assert cable.metadata["classification"] == ["Top Secret", "Sensitive", "Eyes Only"]
    assert cable.blocks.set_index("block").loc[cable.footnotes.loc[0, "block"], "section"] == "header"


def test_a_history_state_gov_page_keeps_markers_glued_to_numbers_apart():
    notes = cablelab.read(DOCS / "hsg_212_page.html").footnotes.set_index("number")
    assert notes.loc[2, "point"] == "a"
    assert notes.loc[2, "sentence"].endswith("letter of October 28(2) (purpose is to underscore international character of undertakings);")
    assert notes.loc[3, "sentence"].endswith("Deptel 1359(3) and urtel 1941.")


def test_a_page_marker_inside_a_sentence_is_removed_and_set_aside():
    cable = cablelab.read(DOCS / "hsg_212_page.html")
    assert cable.leftovers.query("kind == 'page_marker'")["text"].tolist() == ["[Page 544]"]
    assert "stable of tough negotiators" in cable.paragraphs.loc[2, "text"]
    assert "[Page" not in " ".join(cable.blocks["text"])
    assert "urtel 1941. Mikoyan has well" in cable.paragraphs.loc[2, "text"]


def test_curly_quotes_of_a_history_state_gov_page_are_kept():
    cable = cablelab.read(DOCS / "hsg_212_page.html")
    assert "\u201chad not been capable of fulfillment,\u201d" in cable.paragraphs.loc[2, "text"]


def test_a_tei_volume_reads_the_document_chosen_by_its_id():
    cable = cablelab.read(DOCS / "tei_volume_d211_d212.xml", document="d212")
    seed = cablelab.load()
    assert cable.metadata["page_kind"] == "tei"
    assert cable.metadata["frus_number"] == 212
    assert cable.metadata["number"] == "1379"
    assert cable.metadata["date"] == seed.metadata["date"]
    assert cable.points["ref"].tolist() == seed.points["ref"].tolist()
    assert cable.footnotes["number"].tolist() == [0, 1, 2, 3, 4, 5]
    assert cable.footnotes["sentence"].tolist()[1:] == seed.footnotes["sentence"].tolist()
    assert cable.metadata["cleared_by"] == ["U. Alexis Johnson", "Rusk"]
    assert cable.leftovers["text"].tolist() == ["[Page 544]"]


def test_a_tei_volume_without_a_chosen_id_reads_its_first_document():
    cable = cablelab.read(DOCS / "tei_volume_d211_d212.xml")
    meta = cable.metadata
    assert (meta["frus_number"], meta["number"], meta["place"], meta["time"]) == (211, "1955", "New York", "13:00")
    assert meta["signed_by"] == ["Stevenson"]
    assert meta["received"] == "Received in the Department of State at 2:10 p.m."
    assert cable.points["ref"].tolist() == ["(a)", "(b)", "(c)"]
    assert cable.footnotes.set_index("number").loc[1, "point"] == "b"


def test_a_tei_id_that_is_not_there_is_a_clear_error():
    with pytest.raises(CableFormatError, match="xml:id='d999'"):
        cablelab.read(DOCS / "tei_volume_d211_d212.xml", document="d999")


def test_malformed_tei_is_refused_with_its_line():
    with pytest.raises(CableFormatError) as caught:
        cablelab.read('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text>\n<p>open\n</TEI>')
    assert caught.value.line == 4
    assert "expected well-formed TEI XML" in str(caught.value)


def test_a_history_state_gov_text_finds_markers_glued_to_words_and_to_numbers():
    cable = cablelab.read(DOCS / "hsg_212_page.txt")
    seed = cablelab.load()
    assert cable.metadata["page_kind"] == "hsg-text"
    assert cable.footnotes["number"].tolist() == [0, 1, 2, 3, 4, 5]
    assert cable.footnotes["sentence"].tolist()[1:] == seed.footnotes["sentence"].tolist()
    assert cable.references["surface"].tolist() == seed.references["surface"].tolist()
    assert cable.leftovers[["text", "kind"]].values.tolist() == [["[Page 544]", "page_marker"]]
    assert cable.points["ref"].tolist() == seed.points["ref"].tolist()
