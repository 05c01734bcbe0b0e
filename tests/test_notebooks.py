"""The lesson notebooks: their committed form (fast) and a run top to bottom (slow).

Fast tests read the committed .ipynb files: no outputs, slide metadata on every cell, a
first cell that states the lesson, a `parameters` cell, question ids that exist, teacher
and solution cells tagged, a minute plan in the metadata that fills a 50-minute period. Slow tests execute every lesson with nbclient in this one
pytest process (one kernel per notebook), on the built-in telegram 1379 and on documents
of ../shared/corpus, with answers written to a temporary folder, never into ~.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSON_NAMES = [
    "00_start_here",
    "01_reading_the_cable",
    "02_negotiation_points",
    "03_two_sides",
    "04_actors",
    "05_timeline",
    "06_role_play",
    "07_claim_and_debrief",
]
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
ASK = re.compile(r"""exercises\.ask\(\s*["']([^"']+)["']""")
HEADING = re.compile(r"^(#{1,6})\s+\S", re.MULTILINE)
PARAMETERS_LINE = "document = None  # path to another FRUS document; None = the built-in telegram 1379"
LOAD_LINE = "cable = cablelab.read(document) if document else cablelab.load()"
IMAGE = "image/svg+xml"
WIDGET = "application/vnd.jupyter.widget-view+json"
# Two documents of another shape than the seed: no lettered points, a different page layout.
CORPUS_DOCUMENTS = ["069_avalon_dept_to_usun_1084.txt", "hsg_v11_d257_johnson_to_rusk_memo.txt"]
TIMEOUT = 180
PERIOD_MINUTES = 50
# A teacher note's plan table row: "| 0–3 | Log in … |".
PLAN_ROW = re.compile(r"^\|\s*(\d+)\s*[–-]\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", re.MULTILINE)
# What a student must never see in an output: a pandas Series footer, the parser's page kind.
DEVELOPER_NOISE = re.compile(r"\bdtype: \w+|\bName: \S+, dtype|Read as\s+avalon|\bavalon-text\b")


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def question_bank() -> dict[str, dict]:
    questions = yaml.safe_load((ROOT / "data" / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    return {q["id"]: q for q in questions}


def asked(nb) -> list[str]:
    return [qid for cell in nb.cells if cell.cell_type == "code" for qid in ASK.findall(cell.source)]


def tagged(nb, tag: str) -> list:
    return [cell for cell in nb.cells if tag in cell.metadata.get("tags", [])]


def student_markdown(nb) -> list[str]:
    """Markdown a student sees on the static site (teacher and solution cells left out)."""
    return [c.source for c in nb.cells if c.cell_type == "markdown"
            and not {"teacher", "solution"} & set(c.metadata.get("tags", []))]


lessons = pytest.mark.parametrize("name", LESSON_NAMES)


# --- the committed notebooks (fast) ------------------------------------------------------------


def test_the_eight_lessons_00_to_07_are_in_the_notebooks_folder():
    assert sorted(p.stem for p in NOTEBOOKS.glob("0*.ipynb")) == LESSON_NAMES
    assert [name[:2] for name in LESSON_NAMES] == [f"{n:02d}" for n in range(8)]


def plan_of(nb) -> list:
    return nb.metadata.get("cablelab", {}).get("plan")


@lessons
def test_each_lesson_holds_a_minute_plan_that_fills_exactly_one_50_minute_period(name):
    plan = plan_of(read(name))
    assert isinstance(plan, list) and plan, f"{name}: no metadata.cablelab.plan"
    for step in plan:
        assert set(step) == {"minutes", "activity"}, f"{name}: plan step {step}"
        assert isinstance(step["minutes"], int) and not isinstance(step["minutes"], bool) and step["minutes"] > 0, \
            f"{name}: minutes must be a positive whole number: {step}"
        assert isinstance(step["activity"], str) and step["activity"].strip(), f"{name}: a step without an activity"
    total = sum(step["minutes"] for step in plan)
    assert total == PERIOD_MINUTES, f"{name}: the plan adds up to {total} minutes, not {PERIOD_MINUTES}"


@lessons
def test_a_plan_table_in_a_teacher_note_is_the_metadata_plan(name):
    nb = read(name)
    tables = [PLAN_ROW.findall(cell.source) for cell in tagged(nb, "teacher") if PLAN_ROW.search(cell.source)]
    for rows in tables:
        plan = plan_of(nb) or []
        starts = [sum(step["minutes"] for step in plan[:i]) for i in range(len(plan))]
        expected = [(str(start), str(start + step["minutes"]), step["activity"]) for start, step in zip(starts, plan)]
        assert rows == expected, f"{name}: the teacher's plan table differs from metadata.cablelab.plan"


@lessons
def test_committed_notebook_has_no_outputs_or_execution_counts(name):
    for i, cell in enumerate(read(name).cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name} cell {i} has outputs"
            assert cell.execution_count is None, f"{name} cell {i} has an execution count"


@lessons
def test_every_cell_has_a_slide_type(name):
    for i, cell in enumerate(read(name).cells):
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        assert slide_type in SLIDE_TYPES, f"{name} cell {i}: slide_type {slide_type!r}"


@lessons
def test_first_cell_states_title_question_objectives_time_and_prerequisites(name):
    first = read(name).cells[0]
    assert first.cell_type == "markdown"
    assert first.metadata["slideshow"]["slide_type"] == "slide"
    text = first.source.lower()
    assert re.match(r"# \S", first.source), "the first cell opens with the H1 title"
    for needed in ("central historical question", "objectives", "estimated time", "minutes", "prerequisites"):
        assert needed in text, f"{name}: first cell lacks {needed!r}"


@lessons
def test_one_h1_and_no_skipped_heading_levels(name):
    for source in (student_markdown(read(name)), [c.source for c in read(name).cells if c.cell_type == "markdown"]):
        levels = [len(h) for s in source for h in HEADING.findall(s)]
        assert levels.count(1) == 1 and levels[0] == 1, f"{name}: one H1, first"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{name}: heading level jumps from {before} to {after}"


@lessons
def test_a_parameters_cell_names_the_document_and_the_next_cell_reads_it(name):
    cells = read(name).cells
    params = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{name}: exactly one cell tagged parameters"
    cell = cells[params[0]]
    assert cell.cell_type == "code"
    assert cell.source.splitlines() == ["import cablelab", PARAMETERS_LINE]
    assert cells[params[0] + 1].source.strip() == LOAD_LINE


@lessons
def test_every_question_the_notebook_asks_exists_in_the_bank(name):
    bank = question_bank()
    ids = asked(read(name))
    missing = [qid for qid in ids if qid not in bank]
    assert not missing, f"{name} asks questions not in data/questions.yaml: {missing}"
    assert len(ids) == len(set(ids)), f"{name} asks a question twice"


@lessons
def test_every_self_check_is_told_the_lessons_document(name):
    calls = [c.source for c in read(name).cells if c.cell_type == "code" and "exercises.ask(" in c.source]
    assert calls and all(re.search(r"exercises\.ask\([^)]*\bcable=cable\)", s) for s in calls), \
        f"{name}: an exercises.ask(...) without cable=cable"


@lessons
def test_no_cell_imports_the_views_cablelab_loads_them_itself(name):
    assert not [c.source for c in read(name).cells if re.search(r"^\s*(import|from) cablelab\.", c.source, re.M)]


@pytest.mark.parametrize("name,kind", [("02_negotiation_points", "point"), ("04_actors", "actor"),
                                       ("05_timeline", "date")])
def test_the_main_explorer_of_a_lesson_works_without_a_kernel(name, kind):
    sources = [c.source for c in read(name).cells if c.cell_type == "code"]
    assert f'cablelab.widgets.static_explorer(cable, "{kind}")' in sources


@lessons
def test_at_least_three_closed_self_checks_and_an_open_response(name):
    bank = question_bank()
    kinds = [bank[qid].get("kind") or bank[bank[qid]["recalls"]]["kind"] for qid in asked(read(name)) if qid in bank]
    assert sum(k != "open" for k in kinds) >= 3, f"{name}: closed self-checks {kinds}"
    assert "open" in kinds, f"{name}: no open response"


@lessons
def test_the_name_widget_appears_once_near_the_top(name):
    cells = read(name).cells
    where = [i for i, c in enumerate(cells) if c.cell_type == "code" and "exercises.student_widget(" in c.source]
    assert len(where) == 1 and where[0] < 10, f"{name}: name widget cells {where}"


@lessons
def test_teacher_guidance_and_model_answers_are_tagged_markdown_notes(name):
    nb = read(name)
    for tag in ("teacher", "solution"):
        cells = tagged(nb, tag)
        assert cells, f"{name}: no cell tagged {tag}"
        for cell in cells:
            assert cell.cell_type == "markdown", f"{name}: {tag} cells are markdown"
            assert cell.metadata["slideshow"]["slide_type"] == "notes"
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, \
                f"{name}: a {tag} cell is open to students in JupyterLab (collapse it)"
    assert not any("teacher_mode(" in c.source for c in nb.cells if c.cell_type == "code"), \
        "teacher mode is not switched on in the student flow"


@lessons
def test_code_cells_are_short_and_call_the_library(name):
    for i, cell in enumerate(read(name).cells):
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 12, f"{name} cell {i} is long"
            assert "cablelab" in cell.source or "cable." in cell.source, f"{name} cell {i} calls no library"
            assert not re.search(r"^\s*(if|for|while|def|class)\b", cell.source, re.MULTILINE), \
                f"{name} cell {i} holds logic that belongs in src/"


@lessons
def test_each_lesson_calls_a_chart_and_a_view_of_the_text_and_ends_with_going_further(name):
    sources = [c.source for c in read(name).cells if c.cell_type == "code"]
    # A chart: one of cablelab.charts, or a view module's own chart (lesson 03's corroboration chart).
    assert any("cablelab.charts." in s or re.search(r"cablelab\.\w+\.chart\(", s) for s in sources), f"{name}: no chart"
    # A view of the text: an explorer widget, or the reader's edition (the whole cable in one view).
    assert any("cablelab.widgets." in s or "cablelab.reader.edition(" in s for s in sources), \
        f"{name}: no widget and no reader's edition"
    markdown = "\n".join(student_markdown(read(name)))
    assert "## Going further" in markdown
    assert "avalon.law.yale.edu/20th_century/msc_cuba212.asp" in markdown


@lessons
def test_each_lesson_ends_with_a_claim_for_the_tracker_under_its_own_number(name):
    sources = [c.source.strip() for c in read(name).cells if c.cell_type == "code"]
    assert f'cablelab.claims.tracker("{name[:2]}", cable=cable)' in sources, f"{name}: no claim tracker cell"
    where = sources.index(f'cablelab.claims.tracker("{name[:2]}", cable=cable)')
    assert where > len(sources) / 2, f"{name}: the claim tracker belongs near the end of the lesson"


@lessons
def test_a_lesson_that_asks_for_the_whole_telegram_shows_the_readers_edition(name):
    nb = read(name)
    asks = any(re.search(r"whole telegram", s, re.IGNORECASE) for s in student_markdown(nb))
    shows = any("cablelab.reader.edition(cable)" in c.source for c in nb.cells if c.cell_type == "code")
    assert shows or not asks, f"{name} asks students to read the whole telegram but never shows it"


@pytest.mark.parametrize("name", ["00_start_here", "01_reading_the_cable"])
def test_the_first_two_lessons_show_the_readers_edition(name):
    assert any(c.source.strip() == "cablelab.reader.edition(cable)" for c in read(name).cells if c.cell_type == "code")


@lessons
def test_no_lesson_shows_the_whole_glossary_only_the_abbreviations_its_document_uses(name):
    sources = [c.source for c in read(name).cells if c.cell_type == "code"]
    assert not any("cablelab.glossary()" in s for s in sources), f"{name} shows all the glossary's terms"


# Statements issue 12 found wrong (FRUS XI docs. 16, 210, 212; A/RES/1771 (XVII); Proclamation 3504).
MISSTATEMENTS = {
    r"November 24\s*[–-]\s*25": "McCloy's dinner with Kuznetsov was on 24 November only (FRUS XI, doc. 210)",
    r"naval blockade": "the quarantine was a selective interdiction, named so as not to call it a blockade",
    r"Acting Secretary[- ]General in November": "Thant was Acting Secretary-General until 30 November only",
    r"\bthe meeting itself\b": "the meeting with Mikoyan is only planned in the cable",
    r"Richard D\. Heyser": "the pilot was Maj. Richard S. Heyser (FRUS XI, doc. 16 misprints 'D.')",
    r"lesson 04 returns to it": "no later lesson returns to the weeks after October 28",
}


@lessons
def test_no_lesson_repeats_a_misstatement_issue_12_corrected(name):
    text = "\n".join(c.source for c in read(name).cells if c.cell_type == "markdown")
    found = [why for pattern, why in MISSTATEMENTS.items() if re.search(pattern, text)]
    assert not found, f"{name}: {found}"


# --- executed (slow) ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_notebook(tmp_path_factory):
    """Execute a lesson once per (notebook, document) for the module; answers go to a tmp folder."""
    from nbclient import NotebookClient

    answers = tmp_path_factory.mktemp("answers")
    cache: dict[tuple[str, str | None], nbformat.NotebookNode] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CABLELAB_ANSWERS", str(answers))
        patch.setenv("CABLELAB_STUDENT", "test-student")

        def run(name: str, document: str | None = None) -> nbformat.NotebookNode:
            key = (name, document)
            if key not in cache:
                nb = read(name)
                if document:
                    cell = tagged(nb, "parameters")[0]
                    cell.source = f"import cablelab\ndocument = {document!r}"
                client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                                        resources={"metadata": {"path": str(NOTEBOOKS)}})
                cache[key] = client.execute()
            return cache[key]

        yield run


def outputs(nb) -> list:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def errors(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"
                                              and "Traceback" in out.text):
                found.append(f"cell {i}: {out.get('ename', '')} {out.get('evalue', out.get('text', ''))[:300]}")
    return found


def mimetypes(nb) -> set[str]:
    return {mime for out in outputs(nb) for mime in out.get("data", {})}


@pytest.mark.slow
@lessons
def test_lesson_runs_top_to_bottom_with_a_chart_image_and_a_widget(run_notebook, name):
    nb = run_notebook(name)
    assert not errors(nb), errors(nb)
    assert IMAGE in mimetypes(nb), f"{name}: no chart image output"
    assert WIDGET in mimetypes(nb), f"{name}: no widget view output"


def shown_text(out) -> str:
    """What a reader sees of an output: its HTML when it has one, else its plain text or stream."""
    if out.output_type == "stream":
        return out.text
    data = out.get("data", {})
    return str(data.get("text/html") or data.get("text/plain") or "")


@pytest.mark.slow
@lessons
def test_no_output_shows_developer_noise(run_notebook, name):
    noisy = [shown_text(out)[:200] for out in outputs(run_notebook(name)) if DEVELOPER_NOISE.search(shown_text(out))]
    assert not noisy, f"{name}: {noisy}"


@pytest.mark.slow
def test_the_abbreviations_table_of_lesson_01_holds_only_the_cables_own_terms(run_notebook):
    nb = run_notebook("01_reading_the_cable")
    cell = next(c for c in nb.cells if c.cell_type == "code" and "widgets.abbreviations_table(" in c.source)
    table = cell.outputs[0]["data"]["text/html"]
    terms = re.findall(r"<tr>\s*<td>([^<]+)</td>", table)
    assert terms == ["urtel", "reftel", "telecon", "Deptel", "SYG", "SC", "USUN", "Eyes Only"]


@pytest.mark.slow
@lessons
def test_every_chart_shown_carries_alt_text(run_notebook, name):
    html = [out["data"]["text/html"] for out in outputs(run_notebook(name)) if "text/html" in out.get("data", {})]
    images = [h for h in html if "<img" in h]
    assert images, f"{name}: no chart shown as HTML"
    assert all(re.search(r'<img[^>]+alt="[^"]{20,}"', h) for h in images), f"{name}: an image lacks alt text"


@pytest.mark.slow
@pytest.mark.parametrize("document", CORPUS_DOCUMENTS)
@lessons
def test_lesson_runs_on_another_document_of_the_crisis(run_notebook, corpus_dir, name, document):
    path = corpus_dir / document
    assert path.is_file(), f"{path} is missing from the corpus"
    nb = run_notebook(name, str(path))
    assert not errors(nb), errors(nb)
    assert IMAGE in mimetypes(nb), f"{name} on {document}: no chart image output"
    assert WIDGET in mimetypes(nb), f"{name} on {document}: no widget view output"


@pytest.mark.slow
def test_on_a_document_without_lettered_points_the_points_lesson_says_so(run_notebook, corpus_dir):
    nb = run_notebook("02_negotiation_points", str(corpus_dir / CORPUS_DOCUMENTS[0]))
    shown = " ".join(str(out.get("data", {}).get(mime, "")) for out in outputs(nb)
                     for mime in ("text/html", "text/plain"))
    assert "no lettered points" in shown
