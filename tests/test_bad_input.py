"""Input that is not a readable document fails clearly; awkward encodings read right."""

from __future__ import annotations

import pytest

import cablelab
from cablelab import CableFormatError
from cablelab.paths import builtin_cable


@pytest.fixture(scope="module")
def seed_text() -> str:
    return builtin_cable().read_text(encoding="utf-8")


def test_empty_text_is_refused_as_empty():
    with pytest.raises(CableFormatError, match="expected the text of a document, found an empty input"):
        cablelab.read(b"")


def test_whitespace_only_text_is_refused_as_whitespace():
    with pytest.raises(CableFormatError, match="found only whitespace"):
        cablelab.read("   \n\t\n   \n")


def test_binary_data_is_refused_as_binary():
    with pytest.raises(CableFormatError, match="binary"):
        cablelab.read(bytes(range(256)) * 8)


def test_a_file_of_binary_data_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(CableFormatError, match=r"picture\.txt: expected text, found binary data"):
        cablelab.read(path)


def test_an_html_page_that_is_not_a_frus_document_is_refused():
    page = "<!DOCTYPE html><html><head><title>Bake Sale</title></head><body><h1>Cakes</h1><p>Lemon, 3 dollars.</p></body></html>"
    with pytest.raises(CableFormatError, match="line 1: expected a FRUS document page .* titled 'Bake Sale' whose text begins 'Cakes'"):
        cablelab.read(page)


def test_a_text_that_is_not_a_cable_is_refused_at_its_first_line():
    text = "\n\nShopping list\n\nEggs, flour and sugar for the weekend.\n"
    with pytest.raises(CableFormatError) as caught:
        cablelab.read(text)
    assert caught.value.line == 3
    assert "line 3: expected a FRUS document" in str(caught.value)
    assert "dateline like 'Washington, November 26, 1962, 9:28 p.m.'" in str(caught.value)
    assert "'Shopping list'" in str(caught.value)


def test_cp1252_curly_quotes_read_as_curly_quotes(seed_text):
    text = seed_text.replace('"had not been capable of fulfillment,"', "\u201chad not been capable of fulfillment,\u201d")
    cable = cablelab.read(text.encode("cp1252"))
    assert "\u201chad not been capable of fulfillment,\u201d" in cable.paragraphs.loc[2, "text"]


def test_a_utf8_byte_order_mark_is_dropped(seed_text):
    cable = cablelab.read(b"\xef\xbb\xbf" + seed_text.encode("utf-8"))
    assert cable.metadata["collection"] == "The Cuban Missile Crisis"
    assert cable.blocks.loc[0, "line"] == 1


def test_crlf_line_endings_read_like_lf(seed_text, seed_cable):
    cable = cablelab.read(seed_text.replace("\n", "\r\n").encode("utf-8"))
    assert cable.points["text"].tolist() == seed_cable.points["text"].tolist()
    assert cable.blocks["line"].tolist() == seed_cable.blocks["line"].tolist()


def test_old_mac_cr_line_endings_read_like_lf(seed_text, seed_cable):
    cable = cablelab.read(seed_text.replace("\n", "\r"))
    assert cable.paragraphs["text"].tolist() == seed_cable.paragraphs["text"].tolist()


def test_a_missing_path_is_a_file_not_found_error_naming_it(tmp_path):
    missing = tmp_path / "no_such_telegram.txt"
    with pytest.raises(FileNotFoundError, match="no_such_telegram.txt"):
        cablelab.read(missing)
    with pytest.raises(FileNotFoundError, match="no_such_telegram.txt"):
        cablelab.read(str(missing))


def test_a_page_footer_alone_is_refused_at_its_line_naming_it():
    with pytest.raises(CableFormatError) as caught:
        cablelab.read("127 Wall Street, New Haven, CT 06511.\n")
    assert caught.value.line == 1
    assert "found only the web page's page footer '127 Wall Street, New Haven, CT 06511.'" in str(caught.value)


def test_whitespace_only_bytes_are_refused_as_whitespace_not_as_empty():
    with pytest.raises(CableFormatError, match="found only whitespace"):
        cablelab.read(b" \r\n\t \n")


def test_utf16_with_a_byte_order_mark_and_an_odd_last_byte_is_still_read_as_text(seed_text):
    cable = cablelab.read(seed_text.encode("utf-16") + b"\x00")
    assert cable.metadata["number"] == "1379"


def test_a_folder_given_to_read_points_to_read_corpus(tmp_path):
    with pytest.raises(FileNotFoundError, match="is a folder, not a document"):
        cablelab.read(tmp_path)


def test_an_html_page_given_as_one_line_of_text_is_refused_as_a_page_not_sought_as_a_file():
    with pytest.raises(CableFormatError, match="found an HTML page titled '\\(untitled\\)' whose text begins 'Weather'"):
        cablelab.read("<html><body><h1>Weather</h1><p>Sunny.</p></body></html>")


def test_a_short_document_with_classic_mac_line_endings_is_read_as_text(seed_text):
    short = "\r".join(seed_text.split("\n")[:12])  # heading, dateline, lead, paragraph 1: short enough to be a path
    assert len(short.encode("utf-8")) < 4096
    cable = cablelab.read(short)
    assert cable.metadata["number"] == "1379"
    assert cable.metadata["date"] == cablelab.load().metadata["date"]


@pytest.mark.parametrize("length", [300, 3000, 30_000])
def test_a_document_pasted_as_one_line_is_refused_as_text_never_sought_as_a_file(seed_text, length):
    one_line = " ".join(seed_text.split())[:length]
    with pytest.raises(CableFormatError, match="line 1: expected a FRUS document") as caught:
        cablelab.read(one_line)
    assert "Telegram From the Department of State" in str(caught.value)


def test_text_given_as_text_is_never_taken_for_a_path(seed_text):
    path = str(builtin_cable())
    with pytest.raises(CableFormatError, match="found '.*telegram_1379.txt'"):
        cablelab.read(text=path)
    assert cablelab.read(text=seed_text).metadata["number"] == "1379"
    assert cablelab.read(text=seed_text.encode("cp1252", "replace")).metadata["number"] == "1379"
    assert cablelab.read(path).metadata["number"] == "1379"


def test_read_takes_a_source_or_text_but_not_both_and_not_neither(seed_text):
    with pytest.raises(TypeError, match="not both"):
        cablelab.read(builtin_cable(), text=seed_text)
    with pytest.raises(TypeError, match="not both"):
        cablelab.read()
    with pytest.raises(TypeError, match="text= takes str or bytes, got PosixPath|text= takes str or bytes, got WindowsPath"):
        cablelab.read(text=builtin_cable())


@pytest.mark.parametrize(
    "given, taken_for",
    [
        ("notes.txt", "path"),
        ("corpus/d212", "path"),
        ("Shopping list", "text"),
        ("<p>Telegram</p>", "text"),
        ("  <TEI>", "text"),
        ("Telegram\rWashington", "text"),
        ("Telegram\u2028Washington", "text"),
        ("x" * 256 + ".txt", "text"),
        ("a/" * 2100 + "b.txt", "text"),
        ("with\x00nul.txt", "text"),
    ],
)
def test_a_str_is_a_path_only_when_it_could_name_a_file(given, taken_for):
    from cablelab.sources import is_path

    assert is_path(given) == (taken_for == "path")
