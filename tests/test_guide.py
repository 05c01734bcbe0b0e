"""The teacher's guide: lesson plans that add up to a period, and a guide that shows them."""

from __future__ import annotations

import json

import pytest

from cablelab import guide

LESSONS = guide.lessons()


def test_the_guide_shows_every_lessons_current_plan():
    text = guide.GUIDE.read_text(encoding="utf-8")
    assert text == guide.with_plans(text), "TEACHERS.md is out of date: run `python -m cablelab.guide --write`"
    for path in LESSONS:
        assert f"`{path.name}`, 50 minutes" in text


def test_a_plan_with_a_bad_entry_is_refused_with_its_place(tmp_path):
    nb = tmp_path / "09_x.ipynb"
    nb.write_text(json.dumps({"cells": [], "metadata": {"cablelab": {"plan": [
        {"minutes": 10, "activity": "Warm-up"}, {"minutes": "ten", "activity": "Reading"}]}}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"09_x.ipynb: plan entry 1"):
        guide.plan(nb)
    nb.write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match="no minute plan"):
        guide.plan(nb)


def test_the_printable_guide_renders_the_plans_and_escapes_raw_html():
    page = guide.guide_html("# Guide\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<table>" in page and "<h1>Guide</h1>" in page
