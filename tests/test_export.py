"""The offline exports: decks and the two editions of the site (cablelab.export).

The slow tests build the fixture lesson (tests/fixtures/notebooks/) and the real lessons
(notebooks/NN_*.ipynb) once per session, into build/test-export/, executing each notebook
once; test_export_browser.py opens the same builds in Chromium.
"""

from __future__ import annotations

import copy
import functools
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import need

from cablelab import export

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
TEST_BUILD = ROOT / "build" / "test-export"

# ------------------------------------------------------------------ shared builds


@functools.cache
def built(which: str) -> export.Built:
    """The decks and site of 'fixture' or 'lessons', built once per test process."""
    need((export.NODE_MODULES / "reveal.js").is_dir(), "node_modules/ is missing: run `make assets`")
    notebooks = export.lesson_notebooks(FIXTURES if which == "fixture" else export.NOTEBOOKS)
    need(bool(notebooks), f"no NN_*.ipynb lessons to export for {which}")
    out = TEST_BUILD / which
    return export.build(notebooks, out / "slides", out / "site")


def sources(which: str) -> dict[str, nbformat.NotebookNode]:
    folder = FIXTURES if which == "fixture" else export.NOTEBOOKS
    return {p.stem: nbformat.read(p, as_version=4) for p in export.lesson_notebooks(folder)}


def output_files(which: str) -> list[Path]:
    out = TEST_BUILD / which
    return sorted(p for p in out.rglob("*") if p.suffix in {".html", ".css"} and p.is_file())


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


WHICH = ["fixture", "lessons"]

# ------------------------------------------------------------ resource URL checks

WEB = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*['"]?\s*((?:https?:)?//[^'")\s]+)|@import\s+['"]((?:https?:)?//[^'"]+)""", re.I)
# Attributes through which an element makes the browser fetch something.
RESOURCE_ATTRS = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
    "input": ["src"],
}
# Inline scripts: code that loads a module or script from the web.
JS_LOAD = re.compile(r"""(import\s*\(?\s*|\.src\s*=\s*|require\(\s*\[?\s*|fetch\(\s*)['"`](https?:)?//""", re.I)


def web_resources_in_html(text: str, where: str) -> list[str]:
    """Every http(s) resource an HTML text would load (plain <a href> links are not resources)."""
    found = []
    page = BeautifulSoup(text, "html.parser")
    for tag, attrs in RESOURCE_ATTRS.items():
        for element in page.find_all(tag):
            for attr in attrs:
                value = element.get(attr)
                if value and any(WEB.match(part.strip()) for part in str(value).split(",")):
                    found.append(f"{where}: <{tag} {attr}={value!r}>")
    for element in page.find_all(style=True):
        found += [f"{where}: style url {m.group(0)}" for m in CSS_URL.finditer(element["style"])]
    for element in page.find_all("style"):
        found += [f"{where}: <style> {m.group(0)}" for m in CSS_URL.finditer(element.get_text())]
    for element in page.find_all("script"):
        kind = element.get("type", "")
        body = element.string or ""
        if kind == export.WIDGET_STATE or kind == export.WIDGET_VIEW:
            # HTML held in widget state is rendered into the page: check it the same way.
            for value in _strings(json.loads(body) if body.strip() else {}):
                if "<" in value and ">" in value:
                    found += web_resources_in_html(value, f"{where} (widget state)")
        elif not kind or "javascript" in kind or kind == "module":
            found += [f"{where}: <script> {m.group(0)}" for m in JS_LOAD.finditer(body)]
    return found


def _strings(value):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def test_the_resource_check_finds_web_urls_but_not_plain_links():
    page = """<html><head><script src="https://cdn.example/x.js"></script>
    <link rel="stylesheet" href="//fonts.example/css"><style>@import url(https://f.example/a.css);</style>
    </head><body><a href="https://history.state.gov/">source</a><img src="local.png">
    <div style="background: url('http://x.example/b.png')"></div>
    <script>import("https://cdn.example/mermaid.mjs")</script></body></html>"""
    found = web_resources_in_html(page, "p")
    assert len(found) == 5, found
    assert not any("history.state.gov" in f for f in found)


# ---------------------------------------------------------- fast, unit-level tests


def _widget_output(model_id: str, extra: dict | None = None, kernel_free: bool = False):
    data = {export.WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": model_id},
            "text/plain": "VBox(...)"}
    data.update(extra or {})
    metadata = {"cablelab": {"kernel_free": True}} if kernel_free else {}
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def _state(**models):
    return {m: {"model_name": name, "model_module": "@jupyter-widgets/controls",
                "model_module_version": "2.0.0", "state": state} for m, (name, state) in models.items()}


def _notebook_with_widgets():
    nb = nbformat.v4.new_notebook()
    explorer = nbformat.v4.new_code_cell("explorer")
    explorer.outputs = [_widget_output("box", {"text/html": "<p>first view</p>"}, kernel_free=True)]
    bound = nbformat.v4.new_code_cell("slider")
    bound.outputs = [_widget_output("slider", {"image/png": "iVBORw0KGgo="})]
    answer = nbformat.v4.new_code_cell("answer", metadata={"tags": ["solution"]})
    answer.outputs = [_widget_output("answer")]
    nb.cells = [explorer, bound, answer]
    nb.metadata["widgets"] = {export.WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": _state(
        box=("VBoxModel", {"children": ["IPY_MODEL_choice", "IPY_MODEL_stack"], "layout": "IPY_MODEL_l1"}),
        choice=("DropdownModel", {"index": 0}),
        stack=("StackModel", {"children": ["IPY_MODEL_v1"], "selected_index": 0}),
        v1=("HTMLModel", {"value": "<p>view one</p>"}),
        l1=("LayoutModel", {}),
        link=("LinkModel", {"source": ["IPY_MODEL_choice", "index"], "target": ["IPY_MODEL_stack", "selected_index"]}),
        slider=("IntSliderModel", {"value": 2}),
        answer=("HTMLModel", {"value": "MODEL ANSWER"}),
    )}}
    return nb


def test_a_kernel_free_explorer_keeps_its_widget_view_and_a_kernel_bound_widget_becomes_its_image():
    nb = export.choose_widget_views(_notebook_with_widgets())
    explorer, bound, answer = (cell.outputs[0].data for cell in nb.cells)
    assert export.WIDGET_VIEW in explorer
    assert export.WIDGET_VIEW not in bound
    assert '<img src="data:image/png;base64,iVBORw0KGgo="' in bound["text/html"]
    assert export.KERNEL_NOTE in bound["text/html"]
    assert export.WIDGET_VIEW in answer, "a widget without a fallback keeps its view"


def test_an_explorer_whose_widgets_are_jslinked_counts_as_kernel_free_without_a_marker():
    nb = _notebook_with_widgets()
    nb.cells[0].outputs[0].metadata = {}
    state = nb.metadata.widgets[export.WIDGET_STATE]["state"]
    assert export.is_kernel_free(nb.cells[0].outputs[0], state)
    assert not export.is_kernel_free(nb.cells[1].outputs[0], state)
    del state["link"]
    assert not export.is_kernel_free(nb.cells[0].outputs[0], state)


def test_a_fallback_that_already_carries_its_note_is_shown_as_it_is():
    html_fallback = '<div class="cablelab-fallback"><p><em>note</em></p><h3>Actors</h3></div>'
    output = _widget_output("panel", {"text/html": html_fallback})
    assert export._fallback_html(output) == html_fallback


def test_pruned_widget_state_keeps_the_explorer_its_jslink_and_nothing_of_removed_cells():
    nb = export.remove_hidden_cells(_notebook_with_widgets())
    nb = export.prune_widget_state(export.choose_widget_views(nb))
    kept = set(nb.metadata.widgets[export.WIDGET_STATE]["state"])
    assert kept == {"box", "choice", "stack", "v1", "l1", "link"}


def test_a_notebook_whose_widgets_all_go_loses_its_widget_state():
    nb = _notebook_with_widgets()
    nb.cells = nb.cells[1:2]
    nb = export.prune_widget_state(export.choose_widget_views(nb))
    assert "widgets" not in nb.metadata


def test_the_student_edition_removes_teacher_and_solution_cells_entirely():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text, metadata={"tags": tags}) for text, tags in
                [("lesson", []), ("note", ["teacher"]), ("answer", ["solution"]), ("both", ["x", "solution"])]]
    assert [c.source for c in export.remove_hidden_cells(nb).cells] == ["lesson"]


def test_the_lessons_are_the_numbered_notebooks_in_order(tmp_path):
    for name in ["app.ipynb", "01_b.ipynb", "00_a.ipynb", "notes.ipynb"]:
        (tmp_path / name).write_text("{}")
    assert [p.name for p in export.lesson_notebooks(tmp_path)] == ["00_a.ipynb", "01_b.ipynb"]


def test_the_pinned_assets_are_reveal_5_and_html_manager_1():
    need((export.NODE_MODULES / "reveal.js").is_dir(), "node_modules/ is missing: run `make assets`")
    versions = export.asset_versions()
    assert versions["reveal.js"].split(".")[0] in {"4", "5"}, "nbconvert's reveal template needs reveal.js 4 or 5"
    assert versions["@jupyter-widgets/html-manager"].startswith("1."), "ipywidgets 8 needs html-manager 1.x"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/reveal.js"]["version"] == versions["reveal.js"]


@pytest.mark.parametrize("which", WHICH)
def test_the_lessons_hold_no_tex_so_pages_without_mathjax_lose_nothing(which):
    """The exports leave MathJax out (it would come from a CDN); a lesson with TeX would need it back."""
    tex = re.compile(r"\$[^$\n]+\$|\\\(|\\\[|\\begin\{")
    found = [f"{name} cell {i}: {m.group(0)!r}" for name, nb in sources(which).items()
             for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown" for m in tex.finditer(cell.source)]
    assert not found, found


@pytest.mark.slow
def test_jupyterlab_rise_is_enabled_for_live_slides():
    jupyter = Path(sys.executable).with_name("jupyter")
    listing = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    line = next((row for row in text.splitlines() if "jupyterlab-rise" in row), "")
    assert "enabled" in line and "OK" in line, text



def slides_asked_for(nb) -> int:
    """How many reveal slides (horizontal and vertical) a notebook's slide metadata asks for."""
    return sum(export.slide_type(cell) in {"slide", "subslide"} for cell in nb.cells)

# ------------------------------------------------------------------ slow: builds

slow = pytest.mark.slow


@slow
@pytest.mark.parametrize("which", WHICH)
def test_every_deck_has_one_reveal_slide_per_slide_or_subslide_cell(which):
    decks = built(which).slides
    notebooks = sources(which)
    assert [p.path.name for p in decks] == [f"{n}.slides.html" for n in notebooks]
    for page in decks:
        nb = notebooks[page.path.name.removesuffix(".slides.html")]
        # reveal's slides: each section under div.slides, or its own sections when it has some (a
        # vertical stack); a section inside a slide's content (the reader's edition) is no slide.
        tops = soup(page.path).select("div.slides > section")
        leaves = [leaf for top in tops for leaf in (top.find_all("section", recursive=False) or [top])]
        assert len(leaves) == slides_asked_for(nb) > 0, page.path.name


@slow
@pytest.mark.parametrize("which", WHICH)
def test_no_output_loads_anything_from_an_http_url(which):
    built(which)
    files = output_files(which)
    assert any(p.suffix == ".html" for p in files)
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".css":
            found += [f"{path}: {m.group(0)}" for m in CSS_URL.finditer(text)]
        else:
            found += web_resources_in_html(text, str(path.relative_to(TEST_BUILD)))
    assert not found, "\n".join(found)


@slow
@pytest.mark.parametrize("which", WHICH)
def test_pages_load_their_assets_by_relative_paths_that_exist(which):
    result = built(which)
    missing = []
    for page in result.slides + result.student + result.teacher:
        for element in soup(page.path).find_all(["script", "link"]):
            ref = element.get("src") or element.get("href")
            if ref and not ref.startswith(("data:", "#")):
                if not (page.path.parent / ref).is_file():
                    missing.append(f"{page.path.name}: {ref}")
    assert not missing, missing


def _visible_text(path: Path) -> str:
    page = soup(path)
    state = " ".join(
        s.string or "" for s in page.find_all("script") if s.get("type") in {export.WIDGET_STATE, export.WIDGET_VIEW}
    )
    # Joined with and without spaces: code is split into many spans, prose into blocks.
    return _normalise(page.get_text(" ") + " " + page.get_text("") + " " + html.unescape(state))


def _normalise(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return re.sub(r"\s+", " ", text).strip().lower()


def _passages(text: str, shortest: int = 30) -> list[str]:
    """Sentences of a model answer long enough to be telling when found in a page."""
    text = re.sub(r"^\s*(#+|>|[-*] |\d+\.)\s*", "", text, flags=re.MULTILINE)  # headings, quotes, lists
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images keep their text
    text = re.sub(r"[*`]", "", text)
    sentences = re.split(r"(?<=[.!?])\s+|\n|\|", text)  # sentences, lines, table cells
    return [s for s in (_normalise(s) for s in sentences) if len(s) >= shortest]


def model_answers(which: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per notebook: passages of its solution/teacher cells, and of its questions.yaml model answers."""
    answers: dict[str, list[str]] = {}
    bank_answers: dict[str, list[str]] = {}
    bank = yaml.safe_load((ROOT / "data" / "questions.yaml").read_text()) if which == "lessons" else {}
    for name, nb in sources(which).items():
        found = []
        for cell in nb.cells:
            if export.HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
                if cell.cell_type == "markdown":
                    found += _passages(cell.source)
                else:  # code: its string literals are what a page could show
                    for literal in re.findall(r"""(['"])((?:(?!\1).){30,})\1""", cell.source):
                        found += _passages(literal[1])
        answers[name] = found
        bank_answers[name] = [
            passage
            for question in (bank or {}).get("questions", [])
            if str(question.get("notebook")) == name[:2] and question.get("model_answer")
            for passage in _passages(str(question["model_answer"]))
        ]
    return answers, bank_answers


@slow
@pytest.mark.parametrize("which", WHICH)
def test_the_student_site_has_no_teacher_or_solution_content(which):
    result = built(which)
    answers, bank_answers = model_answers(which)
    leaks = []
    for page in result.student:
        text = _visible_text(page.path) + " " + _normalise(page.path.read_text(encoding="utf-8"))
        hidden = answers[page.path.stem] + bank_answers[page.path.stem]
        leaks += [f"{page.path.name}: {p!r}" for p in hidden if p in text]
    assert not leaks, "\n".join(leaks)
    # ... and the check would see them: the teacher edition has every passage of those cells.
    teacher_text = " ".join(_visible_text(p.path) for p in result.teacher)
    absent = [p for ps in answers.values() for p in ps if p not in teacher_text]
    assert not absent, f"the teacher edition lacks: {absent[:5]}"


@slow
@pytest.mark.parametrize("which", WHICH)
def test_decks_show_teacher_and_solution_cells_only_as_speaker_notes(which):
    answers, _ = model_answers(which)
    projected = []
    for page in built(which).slides:
        deck = soup(page.path)
        for aside in deck.select("aside.notes"):
            aside.decompose()
        text = _normalise(deck.get_text(" ")) + " " + _normalise(deck.get_text(""))
        projected += [f"{page.path.name}: {p!r}" for p in answers[page.path.name.removesuffix(".slides.html")] if p in text]
    assert not projected, "\n".join(projected)


def _code_lines(which: str, stem: str) -> list[str]:
    """The lines of a notebook's code cells long enough to be telling when found in a page."""
    return [line.strip() for cell in sources(which)[stem].cells if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line.strip()) >= 12]


def _shown_text(path: Path, drop: str = "") -> str:
    """The text a page shows: no scripts (widget state, code), no styles, no elements matching `drop`."""
    page = soup(path)
    for element in page.select("script, style" + (f", {drop}" if drop else "")):
        element.decompose()
    return re.sub(r"\s+", " ", page.get_text(" "))


@slow
@pytest.mark.parametrize("which", WHICH)
def test_decks_and_site_pages_show_no_code_and_no_in_or_out_prompts(which):
    """Only outputs and text: no code cell keeps an input area (a markdown cell's rendered text
    sits in one in JupyterLab's markup, so those are allowed), no prompt, no line of code."""
    result = built(which)
    found = []
    for page in result.slides + result.student + result.teacher:
        where = str(page.path.relative_to(TEST_BUILD))
        markup = soup(page.path)
        found += [f"{where}: {len(markup.select(sel))} x {sel}" for sel in
                  (".jp-CodeCell .jp-InputArea", ".jp-InputArea-editor", ".highlight pre")
                  if markup.select(sel)]
        prompts = [p.get_text(strip=True) for p in markup.select(".jp-InputPrompt, .jp-OutputPrompt") if p.get_text(strip=True)]
        found += [f"{where}: prompt {prompt!r}" for prompt in prompts[:3]]
        text = _shown_text(page.path, drop="aside.notes")
        found += [f"{where}: code {line!r}" for line in _code_lines(which, page.path.name.split(".")[0]) if line in text]
        found += [f"{where}: {m.group(0)!r}" for m in re.finditer(r"\b(In|Out) ?\[\d*\]:", text)]
        # What the code cells left on the page (their outputs) names no library call; the
        # lesson's prose may ("a kernel-free explorer from `cablelab.widgets`").
        outputs = _shown_text(page.path, drop="aside.notes, .jp-MarkdownCell")
        found += [f"{where}: {m.group(0)!r}" for m in re.finditer(r"cablelab\.\w+", outputs)]
    assert not found, "\n".join(found[:40])
    # ... and the check would see code: every code cell's lines are in the notebooks themselves.
    assert all(_code_lines(which, stem) for stem in sources(which))


def test_a_solution_cell_inside_a_slide_becomes_a_speaker_note_and_a_slide_start_keeps_its_type():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text, metadata={"tags": tags, "slideshow": {"slide_type": kind}})
                for text, tags, kind in [("q", [], "slide"), ("a", ["solution"], "fragment"),
                                         ("t", ["teacher"], "-"), ("s", ["teacher"], "subslide")]]
    kinds = [export.slide_type(cell) for cell in export.hidden_cells_to_notes(nb).cells]
    assert kinds == ["slide", "notes", "notes", "subslide"]


@slow
def test_the_fixture_teacher_and_solution_sentinels_are_only_in_the_teacher_edition():
    result = built("fixture")
    for page in result.student:
        assert "SENTINEL" not in page.path.read_text(encoding="utf-8"), page.path
    teacher = " ".join(p.path.read_text(encoding="utf-8") for p in result.teacher)
    for sentinel in ["TEACHER-NOTE-SENTINEL", "MODEL-ANSWER-SENTINEL", "SOLUTION-WIDGET-SENTINEL"]:
        assert sentinel in teacher


@slow
@pytest.mark.parametrize("which", WHICH)
def test_the_site_indexes_link_every_lesson_and_the_student_one_hides_the_teacher_edition(which):
    result = built(which)
    site = TEST_BUILD / which / "site"
    student, teacher = soup(site / "index.html"), soup(site / "teacher" / "index.html")
    assert [a["href"] for a in student.select("ol a")] == [p.path.name for p in result.student]
    assert [a["href"] for a in teacher.select("ol a")] == [p.path.name for p in result.teacher]
    # Then the pages to print: the reader's edition and a worksheet per lesson; the guide for the teacher.
    printed = ["reader.html", *(f"worksheets/{p.path.name}" for p in result.student)]
    assert [a["href"] for a in student.select("ul a")] == printed
    assert [a["href"] for a in teacher.select("ul a")] == ["guide.html", *(f"../{href}" for href in printed)]
    assert all((site / href).is_file() for href in printed) and (site / "teacher" / "guide.html").is_file()
    assert not any("teacher" in a["href"] for a in student.find_all("a"))
    assert "teacher edition" not in soup(site / "index.html").get_text().lower()


@slow
def test_the_fixture_deck_keeps_the_explorer_and_shows_the_kernel_bound_widget_as_an_image_with_a_note():
    deck = soup(built("fixture").slides[0].path)
    views = deck.find_all("script", type=export.WIDGET_VIEW)
    state = json.loads(deck.find("script", type=export.WIDGET_STATE).string)["state"]
    names = [entry["model_name"] for entry in state.values()]
    assert {"DropdownModel", "StackModel", "LinkModel"} <= set(names)
    assert names.count("LinkModel") == 2, "both kernel-free explorers (the fixture's, static_explorer) keep their jslink"
    assert len(views) == 2
    assert "IntSliderModel" not in names, "the kernel-bound slider's state is not embedded"
    assert all(json.loads(v.string)["model_id"] in state for v in views)
    panel = deck.find("div", class_="cablelab-fallback")  # points_explorer: a Panel's own fallback
    assert panel is not None and "Soviet" in panel.get_text()
    figure = deck.find("figure", class_="cablelab-fallback")
    assert figure.img["alt"] == "A slider set to paragraph 2"
    assert figure.figcaption.get_text() == export.KERNEL_NOTE
    alts = [img.get("alt") for img in deck.find_all("img")]
    assert "Bar chart: paragraph 3 is the longest, with 200 words." in alts


@slow
@pytest.mark.parametrize("which", WHICH)
def test_every_widget_output_also_carries_an_image_or_html_for_rise(which):
    """jupyterlab-rise does not render ipywidgets 8: each widget output needs a fallback it can show."""
    bare = []
    for name, nb in built(which).executed.items():
        for index, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if export.WIDGET_VIEW in data and not {"image/png", "text/html"} & set(data):
                    bare.append(f"{name} cell {index}: {cell.source.splitlines()[:1]}")
    assert not bare, "widget outputs without an image/png or text/html fallback:\n" + "\n".join(bare)


@slow
def test_the_cli_builds_slides_and_site_from_a_folder(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    nb = copy.deepcopy(sources("fixture")["00_fixture_lesson"])
    nbformat.write(nb, folder / "07_copy.ipynb")
    need((export.NODE_MODULES / "reveal.js").is_dir(), "node_modules/ is missing: run `make assets`")
    code = export.main(["all", "--notebooks", str(folder), "--build", str(tmp_path / "build")])
    assert code == 0
    assert (tmp_path / "build" / "slides" / "07_copy.slides.html").is_file()
    assert (tmp_path / "build" / "site" / "teacher" / "07_copy.html").is_file()
    assert (tmp_path / "build" / "slides" / "_assets" / "reveal.js" / "dist" / "reveal.js").is_file()
