"""The ten Kennedy–Khrushchev messages of FRUS VI beside telegram 1379: files, registry, reading.

Each letter is read through the TEI reader and checked on its own printed values (date,
sender, recipient, opening, signature, paragraphs, footnotes), as tests/test_cable.py checks
the seed. The files are the volume's bytes: their sha256 is checked against the manifest and,
where ../shared exists, against the README that came with them.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

import cablelab
from cablelab import companions
from cablelab.sources import markup_kind, open_source
from conftest import SHARED, need

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "data" / "companions"
LETTERS = ["d67", "d68", "d75", "d77", "d78", "d79", "d81", "d82", "d83", "d84"]


@pytest.fixture(scope="module")
def letters() -> dict[str, cablelab.Cable]:
    return {doc: cablelab.load(doc) for doc in LETTERS}


# --- the files and their provenance -----------------------------------------------------------


def test_the_manifest_lists_the_ten_files_in_date_order():
    rows = companions.manifest()
    assert rows["id"].tolist() == LETTERS
    assert rows["date"].is_monotonic_increasing
    assert sorted(rows["file"]) == sorted(p.name for p in FOLDER.glob("*.xml"))
    assert set(rows["commit"]) == {"068783a11dd40e9cd8b6f8016da1c95f91306678"}
    assert rows.set_index("id").loc["d79", "url"] == "https://history.state.gov/historicaldocuments/frus1961-63v06/d79"


@pytest.mark.parametrize("doc", LETTERS)
def test_each_file_is_the_volumes_bytes_as_the_manifest_records_them(doc):
    row = companions.manifest().set_index("id").loc[doc]
    data = (FOLDER / row["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["sha256"]
    assert len(data) == row["bytes"]
    text = data.decode("utf-8")
    assert len(text) == row["length"]
    assert text.startswith(f'<div type="document" xml:id="{doc}"') and text.endswith("</div>")


def test_each_file_matches_the_sha256_in_the_readme_that_came_with_it():
    readme = SHARED / "companions" / "README.md"
    need(readme.is_file(), f"{readme} is absent (a fresh clone has no ../shared)")
    published = dict(re.findall(r"\| `(frus1961-63v06_d\d+\.xml)` \|.*?\| `([0-9a-f]{64})` \|", readme.read_text(encoding="utf-8")))
    rows = companions.manifest()
    assert dict(zip(rows["file"], rows["sha256"])) == published
    for name, digest in published.items():
        assert hashlib.sha256((SHARED / "companions" / name).read_bytes()).hexdigest() == digest


def test_a_typo_in_the_manifest_names_its_line_and_column(tmp_path, monkeypatch):
    (tmp_path / "companions").mkdir()
    lines = (FOLDER / "manifest.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",dateline,", ",guessed,")  # d68, line 3 of the file
    (tmp_path / "companions" / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("CABLELAB_DATA", str(tmp_path))
    with pytest.raises(cablelab.CableFormatError, match=r"manifest.csv.*line 3.*'dated_by'.*'guessed'"):
        companions.manifest()


# --- the registry -----------------------------------------------------------------------------


def test_documents_lists_the_telegram_then_the_ten_letters():
    table = cablelab.documents()
    assert table.columns.tolist()[:6] == ["id", "date", "sender", "recipient", "title", "kind"]
    assert table["id"].tolist() == ["telegram_1379", *LETTERS]
    first = table.iloc[0]
    assert (first["date"], first["sender"], first["kind"]) == (pd.Timestamp("1962-11-26"), "Department of State", "telegram 1379")
    d79 = table.set_index("id").loc["d79"]
    assert (d79["date"], d79["sender"], d79["recipient"]) == (pd.Timestamp("1962-11-20"), "Chairman Khrushchev", "President Kennedy")
    assert table.set_index("id").loc["d67", "kind"] == "telegram carrying a letter from President Kennedy to Chairman Khrushchev"


def test_documents_agree_with_what_each_document_says_of_itself(letters):
    table = cablelab.documents().set_index("id")
    for doc, cable in letters.items():
        meta = cable.metadata
        assert table.loc[doc, "date"] == meta["date"].normalize(), doc
        assert (table.loc[doc, "sender"], table.loc[doc, "recipient"], table.loc[doc, "title"]) == \
            (meta["sender"], meta["recipient"], meta["title"]), doc
        assert meta["frus_number"] == int(doc[1:])


def test_load_without_an_id_is_still_telegram_1379_and_an_unknown_id_names_the_known_ones():
    assert cablelab.load().metadata["number"] == "1379"
    assert cablelab.load("telegram_1379").metadata["number"] == "1379"
    with pytest.raises(KeyError, match="d79"):
        cablelab.load("d80")


def test_read_takes_a_bare_document_div_for_tei_not_for_an_html_page():
    text = (FOLDER / "frus1961-63v06_d81.xml").read_text(encoding="utf-8")
    assert markup_kind(text) == "tei"
    assert markup_kind('<div class="page"><p>Hello</p></div>') == "html"
    cable = cablelab.read(FOLDER / "frus1961-63v06_d81.xml")
    assert cable.metadata["page_kind"] == "tei"
    assert cable.metadata["date"] == pd.Timestamp("1962-11-21")
    assert cable.paragraphs["text"].tolist() == cablelab.load("d81").paragraphs["text"].tolist()


def test_a_bare_div_keeps_its_own_line_numbers():
    page = open_source(FOLDER / "frus1961-63v06_d79.xml")
    assert page.lines[0].number == 4  # the <head> is on the file's fourth line
    dateline = next(line for line in page.lines if line.text.startswith("Moscow"))
    assert dateline.number == 16


def test_read_corpus_reads_the_companion_folder():
    frames = cablelab.read_corpus(FOLDER)
    meta = frames["metadata"]
    assert meta["doc_id"].tolist() == [f"frus1961-63v06_{doc}" for doc in LETTERS]
    assert meta["frus_number"].tolist() == [int(doc[1:]) for doc in LETTERS]
    assert meta["complete"].all()
    assert set(frames["footnotes"]["doc_id"]) == set(meta["doc_id"])
    khrushchev = frames["mentions"].query("actor == 'Nikita S. Khrushchev'")
    assert khrushchev["doc_id"].nunique() == 10


# --- each letter on its own values --------------------------------------------------------------

EXPECTED = {
    # doc: (date, place, sender, recipient, opening, signed_by, paragraphs, (note, start of its text))
    "d67": ("1962-10-27 20:05", "Washington", "Department of State", "Embassy in the Soviet Union",
            "Dear Mr. Chairman", ["Rusk"], 8, (1, "See Document 65.")),
    "d68": ("1962-10-28", "Moscow", "Chairman Khrushchev", "President Kennedy",
            "Dear Mr. President", ["N. Khrushchev"], 33, (3, "Printed from a translation that indicates Khrushchev signed")),
    "d75": ("1962-11-11", "Moscow", "Chairman Khrushchev", "President Kennedy",
            "Dear Mr. President", [], 20, (2, "Printed from an unsigned copy.")),
    "d77": ("1962-11-14", "Moscow", "Chairman Khrushchev", "President Kennedy",
            None, [], 14, (1, "Apparent reference to Document 74.")),
    "d78": ("1962-11-15", "Washington", "President Kennedy", "Chairman Khrushchev",
            None, [], 12, (1, "See Document 77.")),
    "d79": ("1962-11-20", "Moscow", "Chairman Khrushchev", "President Kennedy",
            None, [], 42, (5, "Stevenson’s account of this meeting, transmitted in telegram 1818 from USUN")),
    "d81": ("1962-11-21", "Washington", "President Kennedy", "Chairman Khrushchev",
            "Dear Mr. Chairman", [], 2, (2, "In a statement at his press conference on November 20")),
    "d82": ("1962-11-22", "Moscow", "Chairman Khrushchev", "President Kennedy",
            "Dear Mr. President", ["N. Khrushchev"], 14, (2, "Printed from a copy that bears this typed signature.")),
    "d83": ("1962-12-11", "Moscow", "Chairman Khrushchev", "President Kennedy",
            "Dear Mr. President", [], 19, (1, "Transmitted in telegram 2179 from USUN, December 6; see vol. XI, Document 234.")),
    "d84": ("1962-12-14", "Washington", "President Kennedy", "Chairman Khrushchev",
            "Dear Mr. Chairman", [], 12, (3, "Printed from an unsigned copy.")),
}


@pytest.mark.parametrize("doc", LETTERS)
def test_each_letter_reads_with_its_printed_date_parties_opening_and_signature(letters, doc):
    date, place, sender, recipient, opening, signed, n_paragraphs, (note, text) = EXPECTED[doc]
    cable = letters[doc]
    meta = cable.metadata
    assert meta["date"] == pd.Timestamp(date)
    assert (meta["place"], meta["sender"], meta["recipient"]) == (place, sender, recipient)
    assert cable.opening == opening
    assert meta["signed_by"] == signed
    assert len(cable.paragraphs) == n_paragraphs
    assert cable.footnotes.set_index("number").loc[note, "text"].startswith(text)
    assert meta["source_note"] and meta["page_kind"] == "tei" and meta["complete"]


def test_d75_is_undated_in_its_dateline_and_dated_by_the_volume(letters):
    cable = letters["d75"]
    assert "Moscow, undated." in cable.blocks.query("section == 'header'")["text"].tolist()
    assert cable.metadata["date"] == pd.Timestamp("1962-11-11")
    assert cable.page.when == "1962-11-11"
    # 'today' in the letter is the day the volume dates it
    assert pd.Timestamp("1962-11-11") in cable.dates.query("relative")["date"].tolist()


def test_d75_two_notes_printed_n1_are_told_apart_by_their_xml_ids(letters):
    notes = letters["d75"].footnotes
    assert notes["number"].tolist() == [0, 1, 2]
    assert notes.set_index("number").loc[2, "sentence"] == "Sincerely,(2)"


def test_a_head_that_prints_its_number_is_not_numbered_twice(letters):
    header = letters["d79"].blocks.query("section == 'header'")["text"].tolist()
    assert header[0] == "79. Message From Chairman Khrushchev to President Kennedy(0)"
    assert letters["d79"].metadata["title"] == "Message From Chairman Khrushchev to President Kennedy"


def test_the_telegram_carrying_kennedys_letter_keeps_its_number_and_markings(letters):
    meta = letters["d67"].metadata
    assert meta["number"] == "1015"
    assert meta["classification"] == ["Unclassified", "Niact"]
    assert meta["drafted_by"] == ["Brubeck"] and meta["cleared_by"] == ["Brubeck"]
    quoted = letters["d67"].paragraphs.query("kind == 'quoted'")["text"].tolist()
    assert quoted == ['"Dear Mr. Chairman:']


def test_a_letter_closing_on_an_editors_bracket_is_complete(letters):
    last = letters["d79"].paragraphs["text"].iloc[-1]
    assert last.startswith("[Here follow, on a separate page, 2 paragraphs") and last.endswith("Document 196.]")
    assert letters["d79"].metadata["complete"] is True


def test_mentions_dates_and_references_of_the_letters_are_found(letters):
    d79 = letters["d79"]
    assert {"Vasily V. Kuznetsov", "Adlai E. Stevenson", "John J. McCloy", "U Thant"} <= set(d79.mentions["actor"])
    assert ["telegram 1818 from USUN", 1818] in d79.references[["surface", "number"]].values.tolist()
    d81 = letters["d81"]
    assert d81.dates.query("surface == 'yesterday'")["date"].tolist() == [pd.Timestamp("1962-11-20")] * 2
    assert d81.footnotes.set_index("number").loc[1, "sentence"].startswith("Dear Mr. Chairman: I have been glad to get your letter of November 20,(1)")
    d84 = letters["d84"]
    assert ["telegram 1593 to USUN", "telegram"] in d84.references[["surface", "kind"]].values.tolist()


def test_the_page_numbers_of_the_volume_are_set_aside_not_read_as_text(letters):
    assert letters["d79"].leftovers["text"].tolist() == [f"[Page {n}]" for n in range(216, 223)]
    assert not letters["d79"].blocks["text"].str.contains(r"\[Page").any()


# --- readers' excerpts (data/excerpts.yaml) -----------------------------------------------------

from cablelab import excerpts  # noqa: E402
from cablelab.errors import CableFormatError  # noqa: E402
from cablelab.text import strip_markers  # noqa: E402


def letter_paragraphs(doc: str) -> list[str]:
    """The letter's paragraphs read afresh, markers out: independent of excerpts.paragraphs."""
    return [" ".join(strip_markers(t).split()) for t in cablelab.load(doc).paragraphs["text"]]


def test_every_letter_has_an_excerpt_with_a_headnote_a_source_and_words_to_know():
    found = excerpts.excerpts()
    assert list(found) == LETTERS
    for e in found.values():
        assert len(e.headnote.split()) >= 40, e.document
        assert "FRUS VI, doc." in e.source
        assert 1 <= len(e.vocabulary) <= 5


@pytest.mark.parametrize("doc", LETTERS)
def test_every_excerpt_passage_is_found_verbatim_in_its_letter(doc):
    paragraphs = letter_paragraphs(doc)
    shown = [b["text"] for b in excerpts.blocks(excerpts.excerpt(doc)) if not b["omitted"]]
    for text in shown:
        for piece in text.strip(" …").split(" … "):  # a paragraph joins two passages with " … "
            assert any(piece in paragraph for paragraph in paragraphs), f"{doc}: {piece[:80]!r}"


@pytest.mark.parametrize("doc", LETTERS)
def test_every_excerpt_is_a_readers_length(doc):
    assert excerpts.WORDS[0] <= excerpts.excerpt(doc).words <= excerpts.WORDS[1]


def test_omissions_are_marked_where_a_passage_is_cut_and_where_paragraphs_are_left_out():
    shown = excerpts.blocks(excerpts.excerpt("d79"))
    texts = [b["text"] for b in shown]
    assert texts[0].startswith("I informed you that the IL-28 planes are twelve years old")
    assert "we regarded your request with understanding. … Since you might really have your difficulties" in texts[0]
    assert texts[0].endswith("our consent to remove these planes from Cuba. …")
    assert texts[1] == "[…]" and shown[1]["omitted"]
    assert "For instance, a declaration (or declarations) which would be confirmed by the U.N." in texts[4]
    whole = excerpts.blocks(excerpts.excerpt("d81"))
    assert [b["text"][:18] for b in whole] == ["Dear Mr. Chairman:", "I am now instructi"]
    assert not any("…" in b["text"] for b in whole)


def test_an_excerpt_renders_as_escaped_html_with_headnote_vocabulary_and_the_full_text():
    page = str(excerpts.html("d79"))
    assert "we moved in your direction" in page
    assert "Words to know" in page and "<dt" in page and "“presence of the U.N.”" in page
    assert "<details><summary>Full text in the suite: FRUS VI, doc. 79</summary>" in page
    assert "Here follow, on a separate page, 2 paragraphs apparently added by Dobrynin" in page  # the whole letter
    assert "https://history.state.gov/historicaldocuments/frus1961-63v06/d79" in page
    assert "Stevenson’s account of this meeting" in page  # its notes too
    assert "Khrushchev&#39;s" in page or "Khrushchev's" not in page  # text is escaped, not raw


def test_on_another_document_an_excerpt_says_whose_companion_it_is():
    other = cablelab.read(ROOT / "tests" / "fixtures" / "docs" / "avalon_memcon_ny.txt")
    assert "correspondence that telegram 1379 names" in str(excerpts.html("d79", cable=other))
    assert "correspondence that telegram 1379 names" not in str(excerpts.html("d79", cable=cablelab.load()))


def test_the_excerpt_reader_switches_letters_in_the_browser_without_a_kernel():
    w = excerpts.reader()
    assert len(w.stack.children) == len(w.choice.options) == 10
    assert (w.link.source, w.link.target) == ((w.choice, "index"), (w.stack, "selected_index"))
    w.choice.index = LETTERS.index("d81")
    assert "our own means of information" in w.stack.children[w.stack.selected_index].value
    assert w.choice.options[2][0] == 'FRUS VI, doc. 75: Khrushchev to Kennedy, about 11 November 1962: "now it is your turn"'
    assert companions.date_label("d75") == "[11 November 1962]" and companions.date_label("d79") == "20 November 1962"


def test_a_phrase_that_is_not_in_the_letter_stops_the_load_with_its_line(data_copy):
    path = data_copy / "excerpts.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "Furthermore, your planes still continue" in line)
    path.write_text(text.replace("Furthermore, your planes still continue", "Furthermore, your aircraft still continue"), encoding="utf-8")
    with pytest.raises(CableFormatError, match=r"excerpts.yaml: line \d+: excerpt of d79: passage 3: the phrase is not in FRUS VI, doc. 79") as caught:
        excerpts.excerpts()
    assert caught.value.line == at + 1


def test_a_phrase_found_twice_is_refused_as_ambiguous(data_copy):
    path = data_copy / "excerpts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('- from: "Furthermore, your planes still continue to fly over the Cuban territory."',
                                 '- from: "Cuba"'), encoding="utf-8")
    with pytest.raises(CableFormatError, match="occurs .* times in FRUS VI, doc. 79"):
        excerpts.excerpts()


def test_text_in_the_excerpts_file_is_shown_as_text_never_as_markup(data_copy):
    path = data_copy / "excerpts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("term: crate", "term: <script>alert(1)</script>"), encoding="utf-8")
    page = str(excerpts.html("d68"))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_letters_opening_is_in_its_metadata_and_a_telegram_has_none():
    import cablelab

    assert cablelab.load("d68").metadata["opening"] == "Dear Mr. President"
    assert cablelab.load().metadata["opening"] is None
