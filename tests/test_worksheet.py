"""Printable worksheets: every question a lesson asks, success criteria, no model answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cablelab import exercises, worksheet

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&#34;", '"')


@pytest.mark.parametrize("notebook", LESSONS, ids=lambda p: p.stem)
def test_a_worksheet_holds_every_question_the_lesson_asks_and_no_model_answer(notebook):
    asked = worksheet.lesson_questions(notebook)
    assert asked, f"{notebook.name} asks no self-check"
    page = worksheet.worksheet_html(notebook)
    text = _text(page)
    for q in asked:
        assert re.sub(r"\s+", " ", q.prompt)[:60] in text
        if q.model_answer:
            first = re.split(r"(?<=[.!?])\s", q.model_answer.strip())[0]
            assert first not in text, f"{q.id}: model answer printed"
        for level in q.checklist:
            assert level.signs[0][:40] in text, f"{q.id}: success criteria missing"
    assert "Claim tracker" in text and "Name:" in text


def test_an_order_question_is_never_printed_in_its_right_order():
    q = exercises.question(next(q.id for q in exercises.load_bank().values() if q.kind == "order"))
    right = [item.text for item in q.items]
    assert worksheet._mixed(right) != right and sorted(worksheet._mixed(right)) == sorted(right)


def test_text_of_the_bank_is_escaped_on_the_page(tmp_path, monkeypatch):
    nb = tmp_path / "09_x.ipynb"
    nb.write_text('{"cells": [{"cell_type": "markdown", "source": ["# A <b>bold</b> title"]}]}', encoding="utf-8")
    page = worksheet.worksheet_html(nb)
    assert "A &lt;b&gt;bold&lt;/b&gt; title" in page and "<b>bold</b>" not in page


def test_the_site_gets_the_reader_the_worksheets_and_the_guide_linked_from_each_index(tmp_path):
    from cablelab import export

    links = export.write_printables(LESSONS, tmp_path)
    assert (tmp_path / "reader.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.stem for p in (tmp_path / "worksheets").glob("*.html")) == [p.stem for p in LESSONS]
    assert "lesson plans" not in (tmp_path / "teacher" / "guide.html").read_text(encoding="utf-8")[:200]
    assert "50 minutes" in (tmp_path / "teacher" / "guide.html").read_text(encoding="utf-8")
    index = export.write_index([], tmp_path, "student", links["student"]).read_text(encoding="utf-8")
    assert 'href="reader.html"' in index and 'href="worksheets/02_negotiation_points.html"' in index
    assert "guide.html" not in index  # the guide is on the teacher's site only
    teacher = export.write_index([], tmp_path / "teacher", "teacher", links["teacher"]).read_text(encoding="utf-8")
    assert 'href="guide.html"' in teacher and 'href="../reader.html"' in teacher
