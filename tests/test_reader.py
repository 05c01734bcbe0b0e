"""The reader's edition: curated brackets checked against the cable, the whole text shown,
a headnote and word box, escaped HTML, another document, and one printed page."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import cablelab
from cablelab import curated, reader
from cablelab.errors import CableFormatError
from cablelab.text import strip_markers

DATA = Path(__file__).resolve().parents[1] / "data"
READER_FILES = (reader.EDITION_FILE, reader.VOCABULARY_FILE, reader.HEADNOTE_FILE)


def visible_text(fragment: str, *, without_insertions: bool) -> str:
    """What a reader sees, as plain text; optionally without the added [words] and note letters."""
    if without_insertions:
        fragment = re.sub(r'<span class="cr-ins[^"]*">[^<]*</span>', "", fragment)
        fragment = re.sub(r'<sup class="cr-(?:rn|fn)">.*?</sup>', "", fragment)
    fragment = re.sub(r"<style>.*?</style>", "", fragment, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return normal(text)


def normal(text: str) -> str:
    """Whitespace as one space, none before closing punctuation or after '(' (as strip_brackets)."""
    text = " ".join(text.split())
    return re.sub(r" (?=[.,;:!?)])|(?<=\() ", "", text)


def body_texts(cable) -> list[str]:
    return [normal(strip_markers(b.text)) for b in cable.skeleton.blocks if b.section == "body"]


@pytest.fixture(autouse=True)
def fresh_curated_cache():
    curated.clear_cache()
    yield
    curated.clear_cache()


# ---------------------------------------------------------------- the curated brackets


def test_every_original_phrase_is_found_verbatim_where_its_row_says(seed_cable):
    where = reader.passage_map(seed_cable)
    rows = reader.insertions()
    assert len(rows) >= 25
    for row in rows.itertuples():
        passage = where[row.where]
        assert passage.text.count(row.original) == 1, (row.where, row.original)
        assert row.original in seed_cable.skeleton.blocks[passage.block].text


def test_every_bracketed_version_without_its_brackets_is_the_original():
    for row in reader.insertions().itertuples():
        assert "[" in row.reader and reader.strip_brackets(row.reader) == row.original, row.reader


def test_strip_brackets_closes_the_gaps_an_insertion_leaves():
    assert reader.strip_brackets("[We are] prepared for [a] prompt wind-up") == "prepared for prompt wind-up"
    assert reader.strip_brackets("U Thant['s] proposal [is] unacceptable") == "U Thant proposal unacceptable"
    assert reader.strip_brackets("([the] purpose is") == "(purpose is"
    assert reader.strip_brackets("November 20 [for the declaration];") == "November 20;"
    assert reader.strip_brackets("re[garding the] use [of] our") == "re use our"


def test_the_edition_puts_back_dropped_words_in_the_sentences_the_issue_names(seed_cable):
    page = reader.edition_html(seed_cable)
    assert 'We <span class="cr-ins">[are]</span> prepared for <span class="cr-ins">[a]</span> prompt wind-up' in page
    assert '<span class="cr-ins">[The]</span> Soviet protocol <span class="cr-ins">[is]</span> categorically' in page
    assert 'We <span class="cr-ins">[are]</span> not seeking to humiliate' in page


def test_every_sentence_of_the_body_has_a_curated_row_but_the_address_and_subject_lines(seed_cable):
    """Telegraphese drops words in every sentence of 1379's body except its address and subject lines
    (whose abbreviations the glossary expands); each such sentence holds a row's phrase."""
    from cablelab.text import sentences

    originals: dict[str, list[str]] = {}
    for row in reader.insertions().itertuples():
        originals.setdefault(row.where, []).append(row.original)
    uncovered = []
    for passage in reader.passages(seed_cable):
        for start, end in sentences(passage.text):
            sentence = passage.text[start:end]
            if not any(original in sentence or sentence.startswith(original) for original in originals.get(passage.ref, [])):
                uncovered.append(sentence)
    assert uncovered == ["For Stevenson and McCloy.", "Subject: New York Negotiations (urtels 1941, 1942, 1943).(1)"]


def test_a_phrase_the_cable_does_not_print_is_refused_with_its_file_and_line(tmp_path):
    for name in ("telegram_1379.txt", *READER_FILES, "glossary.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    edition = tmp_path / reader.EDITION_FILE
    lines = edition.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("they have asked reason", "they asked reason", 1)
    edition.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CableFormatError, match=r"reader_edition\.csv: line 4: column 'original'"):
        reader.insertions(tmp_path)


def test_a_bracketed_version_that_changes_the_cable_s_words_is_refused(tmp_path):
    for name in ("telegram_1379.txt", *READER_FILES):
        shutil.copy(DATA / name, tmp_path / name)
    edition = tmp_path / reader.EDITION_FILE
    text = edition.read_text(encoding="utf-8").replace("[The] Soviet protocol [is] categorically",
                                                       "[The] Soviet protocol [is] completely", 1)
    edition.write_text(text, encoding="utf-8")
    with pytest.raises(CableFormatError, match=r"column 'reader': without its brackets it reads"):
        reader.insertions(tmp_path)


# ---------------------------------------------------------------- the whole text in one view


def test_the_edition_holds_the_whole_body_header_footnotes_and_source_note(seed_cable):
    page = visible_text(reader.edition_html(seed_cable), without_insertions=True)
    for text in body_texts(seed_cable):
        assert text in page, text[:60]
    assert "Washington, November 26, 1962, 9:28 p.m." in page
    assert "1379. For Stevenson and McCloy." in page
    for note in seed_cable.skeleton.footnotes:
        assert normal(note.text) in page
    assert normal(seed_cable.skeleton.source_note) in page


def test_footnotes_and_source_note_are_set_apart_as_the_editors_additions(seed_cable):
    page = reader.edition_html(seed_cable)
    assert "<section" not in page  # a deck would take each <section> for a slide of its own
    cable_part = page[page.index('<div class="cr-cable"'):page.index('<aside class="cr-side"')]
    assert "Document 207." not in cable_part and "Drafted by Sisco" not in cable_part
    editorial = page[page.index('<aside class="cr-editorial"'):]
    assert "Editors' additions" in editorial and "not part of the 1962 text" in editorial
    assert "Document 207." in editorial and "Drafted by Sisco" in editorial
    assert '<a href="#cr-fn-2"' in cable_part  # the marker after "October 28" points to its note


def test_telegraphese_is_expanded_from_the_glossary_after_the_word_it_explains(seed_cable):
    page = reader.edition_html(seed_cable)
    assert re.search(r">urtels</abbr><span class=\"cr-ins cr-exp\"> \[your telegrams\]</span> 1941", page)
    assert ">SYG</abbr>" in page and "[UN Secretary-General]" in page
    assert ">Deptel</abbr>" in page and "[Department of State telegram]" in page


def test_the_edition_for_a_notebook_is_html_that_needs_no_kernel(seed_cable):
    shown = reader.edition(seed_cable)
    bundle = shown._repr_mimebundle_()
    assert bundle["text/html"] == reader.edition_html(seed_cable) == shown._repr_html_()
    assert "reader's edition of telegram 1379" in bundle["text/plain"]
    assert reader.edition()._repr_html_() == bundle["text/html"]  # None: the built-in cable


# ---------------------------------------------------------------- headnote and word box


def test_the_headnote_says_who_to_whom_when_and_why_with_sources():
    note = reader.headnote().set_index("part")
    assert list(note.index) == ["who", "to", "when", "why", "limits"]
    assert "Sisco" in note.loc["who", "text"] and "Rusk" in note.loc["who", "text"]
    assert "Stevenson" in note.loc["to", "text"] and "McCloy" in note.loc["to", "text"]
    assert "26 November 1962" in note.loc["when", "text"] and "9:28" in note.loc["when", "text"]
    assert "FRUS XI d212" in note.loc["who", "source"]
    assert all(note["source"].str.contains(r"FRUS|Office of the Historian"))


def test_every_vocabulary_word_is_in_the_cable_where_its_row_says(seed_cable):
    where = reader.passage_map(seed_cable)
    words = reader.vocabulary()
    for word in ("recapitulation", "pursuant to", "undertakings", "protocol", "safeguards", "lest"):
        assert word in set(words["word"])
    for row in words.itertuples():
        assert reader.word_pattern(row.word).search(where[row.where].text), (row.word, row.where)
        assert 1 <= len(row.meaning.split()) <= 16, row.word  # short enough for a 15-year-old to take in


def test_a_word_the_cable_does_not_use_is_refused(tmp_path):
    for name in ("telegram_1379.txt", *READER_FILES):
        shutil.copy(DATA / name, tmp_path / name)
    path = tmp_path / reader.VOCABULARY_FILE
    path.write_text(path.read_text(encoding="utf-8") + "perfidious,2,disloyal,,\n", encoding="utf-8")
    with pytest.raises(CableFormatError, match=r"vocabulary\.csv: line \d+: column 'word': 'perfidious' is not in ¶2"):
        reader.vocabulary(tmp_path)


def test_the_reader_files_cite_documents_never_internal_row_labels():
    for name in READER_FILES:
        text = (DATA / name).read_text(encoding="utf-8")
        assert not re.search(r"\bFACTS\b|\b[CPT]\d{2}\b|finding \d", text), name
        assert "UNCONFIRMED" not in text


def test_the_page_shows_the_headnote_word_box_and_notes(seed_cable):
    page = visible_text(reader.edition_html(seed_cable), without_insertions=False)
    assert "Who wrote it." in page and "What it cannot tell you." in page
    assert "lest" in page and "for fear that" in page
    assert "Central question: " + reader.CENTRAL_QUESTION in page
    assert "Reader's notes." in page and "Deptel 1359 (23 November)" in page


# ---------------------------------------------------------------- escaping and other documents


def test_text_from_a_document_is_escaped_never_run(tmp_path):
    text = (DATA / "telegram_1379.txt").read_text(encoding="utf-8")
    hostile = cablelab.read(text.replace("Hope you can probe Mikoyan", "Hope <script>alert(1)</script> you can probe"))
    page = reader.edition_html(hostile, standalone=True)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_document_gets_its_whole_text_and_a_sentence_on_what_does_not_apply(corpus_dir):
    other = cablelab.read(corpus_dir / "252_avalon_dept_to_usun_1687.txt")
    page = reader.edition_html(other)
    plain = visible_text(page, without_insertions=True)
    for text in body_texts(other):
        assert text in plain
    assert "do not apply to telegram 1687" in plain
    assert "Central question" not in plain and "Reader's notes" not in plain
    assert "Department of State" in plain  # the headnote read from its own header
    assert 'class="cr-ins"' not in page  # no curated brackets; glossary expansions carry cr-exp
    assert isinstance(reader.edition(other)._repr_html_(), str)


def test_a_memorandum_without_number_or_points_still_renders(corpus_dir):
    memo = cablelab.read(corpus_dir / "148_avalon_kennedy_to_mcnamara_memo.txt")
    plain = visible_text(reader.edition_html(memo, standalone=True), without_insertions=True)
    for text in body_texts(memo):
        assert text in plain


# ---------------------------------------------------------------- the printable page


def test_the_standalone_page_is_whole_and_loads_nothing(seed_cable):
    page = reader.edition_html(seed_cable, standalone=True)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "@media print" in page and "@page" in page
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|\bsrc=", page, re.IGNORECASE)
    plain = visible_text(page, without_insertions=True)
    for text in body_texts(seed_cable):
        assert text in plain


@pytest.mark.slow
@pytest.mark.browser
def test_the_standalone_page_prints_on_one_a4_and_one_letter_page(tmp_path, chromium_path):
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    path = tmp_path / "reader.html"
    path.write_text(reader.edition_html(standalone=True), encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(path.as_uri())
            assert page.locator(".cr-cable").inner_text().count("categorically unacceptable") == 1
            for paper in ("A4", "Letter"):
                pdf = page.pdf(format=paper, print_background=True)
                assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, paper
            page.screenshot(path=str(tmp_path / "reader.png"), full_page=True)
        finally:
            browser.close()
    assert requests == [path.as_uri()]


def test_the_edition_holds_no_section_element_so_a_deck_takes_none_of_its_parts_for_a_slide(seed_cable):
    # reveal.js makes a slide of every <section> under its slides, however deep: lesson 00's
    # deck, which shows the edition, would gain a slide for its headnote and one for its text.
    page = BeautifulSoup(reader.edition_html(seed_cable), "html.parser")
    assert page.find("section") is None
    regions = [part["aria-label"] for part in page.find_all(attrs={"role": "region"})]
    assert regions == ["Headnote", "The telegram"]
