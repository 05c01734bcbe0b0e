"""Every notebook, run top to bottom in JupyterLab in a real browser, as a class would.

One JupyterLab, started as `make lab` starts it (tests/servers.py), serves a temporary copy
of notebooks/ (the teacher's copies; the repository's notebooks stay free of outputs) and,
in student/, of the student copies `make student` writes to build/student/. For each
notebook: open it, Run All (JupyterLab's own command), wait until every code cell has an
execution count and the kernel is idle, then check that no cell failed, that a chart
rendered and that every widget rendered (no raw widget text); then use the notebook's main
widget (another paragraph, point, actor or date) and check that what it shows changes.

Then what the page shows: a student copy shows no sentence of any teacher note or model
answer (tests/hidden_text.py); the teacher's copy, once its collapsed notes are opened as a
teacher opens them (a click on each collapsed bar), shows every sentence of its own. No page
ever asks about Jupyter news. A screenshot and a JSON record (stage timings, what was
chosen) of each are kept in build/screenshots/student/, teacher/ and lab/ (the app and the
fixtures).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from browser import (
    assert_nothing_left,
    change_main_widget,
    chromium,
    problems,
    screenshot_path,
    screenshot_whole,
    wait_widgets_rendered,
)
from conftest import CHROMIUM_ARGS, need
from hidden_text import all_hidden, cell_sentences, found_in, normalise
from servers import jupyter_lab

from cablelab import export

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "browser"
# The notebooks a class uses; any other notebook added to notebooks/ is tested too.
EXPECTED = [
    "00_start_here.ipynb",
    "01_reading_the_cable.ipynb",
    "02_negotiation_points.ipynb",
    "04_actors.ipynb",
    "05_timeline.ipynb",
    "06_role_play.ipynb",
    "07_claim_and_debrief.ipynb",
    "app.ipynb",
]
NOTEBOOK_NAMES = sorted(set(EXPECTED) | {p.name for p in NOTEBOOKS.glob("*.ipynb")})
LESSONS = export.lesson_notebooks(NOTEBOOKS)
STUDENT = "student"  # the folder of the student copies, in the served root as in build/
NEWS_PROMPT = "official Jupyter news"
FIXTURE = "fixtures/widget_and_chart.ipynb"
BROKEN = "fixtures/raises.ipynb"
# The notebook's main widget: the first code cell whose source contains this text.
MAIN_WIDGET = {
    # Lesson 00's only control is the claim tracker's choice of evidence (its text is the reader's edition).
    "00_start_here.ipynb": "claims.tracker(",
    "01_reading_the_cable.ipynb": "widgets.static_explorer(",
    "02_negotiation_points.ipynb": "widgets.static_explorer(",
    FIXTURE: "widgets.Dropdown(",
}
DEFAULT_MAIN_WIDGET = "cablelab.widgets."
NOTEBOOK_TIMEOUT_S = 180

# JS: the open notebook panel for `path` (JupyterLab exposes the app as window.jupyterapp).
PANEL_JS = """
(path) => {
  const app = window.jupyterapp;
  if (!app || !app.shell) return null;
  for (const w of app.shell.widgets('main')) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
}
"""

# JS: where the notebook stands: kernel status, execution counts, error outputs.
STATE_JS = f"""
(path) => {{
  const panel = ({PANEL_JS})(path);
  if (!panel || !panel.context.isReady) return {{ready: false}};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const dialog = document.querySelector('.jp-Dialog') !== null;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  const errors = [];
  let widgets = 0;
  code.forEach((cell, i) => {{
    const outputs = cell.model.outputs;
    for (let k = 0; k < outputs.length; k++) {{
      const out = outputs.get(k).toJSON();
      if (out.output_type === 'error') errors.push(`cell ${{i}}: ${{out.ename}}: ${{out.evalue}}`);
      if (out.data && out.data['application/vnd.jupyter.widget-view+json']) widgets += 1;
    }}
  }});
  const prompts = [...panel.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.innerText.trim());
  // The toolbar's kernel status indicator, as a student sees it (null when not shown).
  const indicator = panel.node.querySelector('.jp-Notebook-ExecutionIndicator[data-status]');
  return {{
    ready: true, dialog,
    status: kernel ? kernel.status : 'none',
    indicator: indicator ? indicator.getAttribute('data-status') : null,
    counts: code.map(c => c.model.executionCount),
    busyPrompts: prompts.filter(p => p.includes('*')).length,
    errors, widgets,
  }};
}}
"""


@pytest.fixture(scope="module", autouse=True)
def leaves_no_processes():
    """After this module's servers and browsers are stopped, none of their processes remain."""
    yield
    assert_nothing_left()


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """A copy of notebooks/, of the student copies (written to build/student/ as `make student`
    writes them) and of the fixture notebooks, for JupyterLab to run and save."""
    root = tmp_path_factory.mktemp("lab-notebooks")
    if NOTEBOOKS.is_dir():
        for notebook in NOTEBOOKS.glob("*.ipynb"):
            shutil.copy2(notebook, root / notebook.name)
    if LESSONS:
        export.write_student_copies(LESSONS, export.BUILD / STUDENT)
        shutil.copytree(export.BUILD / STUDENT, root / STUDENT)
    (root / "fixtures").mkdir()
    for fixture in (FIXTURE, BROKEN):
        shutil.copy2(FIXTURES / Path(fixture).name, root / fixture)
    return root


@pytest.fixture(scope="module")
def hidden():
    """Every sentence of a teacher note or model answer (notebooks/ and the question bank)."""
    sentences = all_hidden(LESSONS)
    assert sentences, "no teacher note or model answer found to look for"
    return sentences


@pytest.fixture(scope="module")
def lab(chromium_path, lab_root, tmp_path_factory):
    """JupyterLab on the copy (started only when there is a browser to drive it)."""
    with jupyter_lab(lab_root, home=tmp_path_factory.mktemp("lab-home")) as server:
        yield server


@pytest.fixture(scope="module")
def browser_context(chromium_path):
    """One browser context for the module: each notebook gets a page of its own, and
    JupyterLab's scripts come from the HTTP cache after the first."""
    with chromium(chromium_path, CHROMIUM_ARGS) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()
# JS: mark the output area of the first code cell whose source contains `needle`.
MARK_MAIN_JS = f"""
([path, needle]) => {{
  const panel = ({PANEL_JS})(path);
  const cell = panel.content.widgets.find(
    c => c.model.type === 'code' && c.model.sharedModel.getSource().includes(needle));
  if (!cell) return null;
  const area = cell.node.querySelector('.jp-Cell-outputArea');
  area.setAttribute('data-e2e-main', '1');
  return cell.model.sharedModel.getSource();
}}
"""


def wait_state(page, path: str, condition: str, timeout_s: float) -> dict:
    """Wait until STATE_JS(path) satisfies `condition` (a JS expression over `s`); return it."""
    page.wait_for_function(
        f"(path) => {{ const s = ({STATE_JS})(path); return s.ready && ({condition}); }}",
        arg=path,
        timeout=timeout_s * 1000,
        polling=250,
    )
    return page.evaluate(STATE_JS, path)


def open_kernel_ready(page, path: str, deadline: float) -> None:
    """Wait until the notebook's kernel is idle, accepting a kernel-choice dialog if one shows."""
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"{path}: the kernel did not start"
        state = wait_state(page, path, "s.dialog || s.status === 'idle'", left)
        if not state["dialog"]:
            return
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
        page.locator(".jp-Dialog").wait_for(state="detached", timeout=left * 1000)


# JS: open every collapsed input of the notebook at `path` by clicking its bar, as a teacher
# would; returns how many were opened.
OPEN_COLLAPSED_JS = f"""
(path) => {{
  const panel = ({PANEL_JS})(path);
  const bars = [...panel.node.querySelectorAll('.jp-InputPlaceholder')];
  bars.forEach(bar => (bar.querySelector('.jp-Placeholder-content') || bar).click());
  return bars.length;
}}
"""


def open_collapsed_inputs(page, path: str) -> int:
    """Click each collapsed cell's bar; wait until none is left. Returns how many there were."""
    opened = page.evaluate(OPEN_COLLAPSED_JS, path)
    page.wait_for_function(
        f"(path) => ({PANEL_JS})(path).node.querySelectorAll('.jp-InputPlaceholder').length === 0",
        arg=path, timeout=10_000,
    )
    return opened


# JS: the text of the output area holding the marked button.
PRESSED_OUTPUT_JS = "() => document.querySelector('[data-e2e-press]').closest('.jp-OutputArea').innerText"


def press_buttons(page, label: str, timeout_ms: float = 30_000) -> int:
    """Press every widget button whose label contains `label` (any case), as a curious student
    would, each time waiting until its output area shows something new. Returns how many."""
    buttons = page.locator(".jp-Notebook button.jupyter-button", has_text=re.compile(label, re.IGNORECASE))
    count = buttons.count()
    for index in range(count):
        button = buttons.nth(index)
        button.evaluate("b => b.setAttribute('data-e2e-press', '1')")
        before = page.evaluate(PRESSED_OUTPUT_JS)
        button.scroll_into_view_if_needed()
        button.click()
        page.wait_for_function(f"(before) => ({PRESSED_OUTPUT_JS})() !== before", arg=before, timeout=timeout_ms)
        button.evaluate("b => b.removeAttribute('data-e2e-press')")
    return count


def page_text(page) -> str:
    """What the page shows as text (innerText: nothing hidden by CSS), normalised."""
    return normalise(page.evaluate("() => document.body.innerText"))


def run_notebook(lab, browser_context, path: str, shots: str = "lab", open_collapsed: bool = False,
                 press: str | None = None, lesson_checks: bool = True) -> dict:
    """Open `path` in JupyterLab, Run All, check it, use its main widget, keep a screenshot in
    build/screenshots/<shots>/. With `open_collapsed`, open every collapsed cell first; with
    `press`, press every button whose label contains it. Without `lesson_checks`, what makes a
    lesson (a chart, a widget, a main widget that redraws: checked on the teacher's copy) is
    not asked again: only that it runs and renders. The result holds the page's text ("text",
    normalised) as the screenshot shows it."""
    name = Path(path).stem
    screenshot_path(shots, f"{name}.failed").unlink(missing_ok=True)
    deadline = time.monotonic() + NOTEBOOK_TIMEOUT_S
    page = browser_context.new_page()
    console = []
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    started = time.monotonic()
    seconds = {}  # stage -> seconds since the start, for the report

    def stage(name: str) -> None:
        seconds[name] = round(time.monotonic() - started, 1)

    try:
        # A workspace of its own per notebook: no tabs carried over from the previous one.
        page.goto(lab.page_url(f"lab/workspaces/e2e-{name}/tree/{path}?reset"))
        open_kernel_ready(page, path, deadline)
        stage("kernel idle")
        page.evaluate(
            f"(path) => {{ const app = window.jupyterapp; app.shell.activateById(({PANEL_JS})(path).id);"
            " app.commands.execute('notebook:run-all-cells'); }",
            path,
        )
        # Done when every code cell has a count and the kernel is idle, or when a cell
        # failed (Run All stops there, so later cells would never get a count).
        state = wait_state(
            page,
            path,
            "s.status === 'idle' && (s.indicator === null || s.indicator === 'idle') && s.busyPrompts === 0"
            " && (s.errors.length > 0 || s.counts.every(c => c !== null))",
            max(1, deadline - time.monotonic()),
        )
        stage("ran all")
        assert not state["errors"], f"{path}: errors while running:\n" + "\n".join(state["errors"])
        assert all(count is not None for count in state["counts"]), f"{path}: cells not run: {state['counts']}"

        info = wait_widgets_rendered(page, state["widgets"], timeout_ms=max(1, deadline - time.monotonic()) * 1000)
        assert not problems(info), f"{path}: " + "; ".join(problems(info))
        after, main, changed = info, None, None
        if lesson_checks:
            assert info["imagesLoaded"] >= 1, f"{path}: no rendered image in any output"
            assert state["widgets"] >= 1, f"{path}: no widget displayed"
        stage("rendered")

        if lesson_checks:
            needle = MAIN_WIDGET.get(path, DEFAULT_MAIN_WIDGET)
            main = page.evaluate(MARK_MAIN_JS, [path, needle])
            assert main, f"{path}: no code cell calls {needle!r} (its main widget)"
            changed = change_main_widget(page, "[data-e2e-main]", timeout_ms=30_000)
            after = wait_widgets_rendered(page, state["widgets"], timeout_ms=max(1, deadline - time.monotonic()) * 1000)
            assert not problems(after), f"{path} after choosing {changed['after']!r}: " + "; ".join(problems(after))
            state = page.evaluate(STATE_JS, path)
            assert not state["errors"], f"{path}: errors after using the widget:\n" + "\n".join(state["errors"])
            stage("widget changed")

        opened = open_collapsed_inputs(page, path) if open_collapsed else 0
        pressed = press_buttons(page, press) if press else 0
        # The whole notebook in one picture, without the side bar.
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        screenshot_whole(page, screenshot_path(shots, name))
        text = page_text(page)
        assert normalise(NEWS_PROMPT) not in text, f"{path}: JupyterLab asks about Jupyter news"
        stage("screenshot")
        result = {"path": path, "code_cells": len(state["counts"]), "widget_outputs": state["widgets"],
                  "images": after["imagesLoaded"], "main_widget": main, "changed": changed,
                  "collapsed_opened": opened, "pressed": pressed, "seconds": seconds}
        screenshot_path(shots, name).with_suffix(".json").write_text(json.dumps(result, indent=2))
        return {**result, "text": text}
    except Exception:
        # Keep a picture of the failure too, then say what the page said.
        try:
            page.screenshot(path=screenshot_path(shots, f"{name}.failed"))
        except Exception:  # noqa: BLE001 - the screenshot is a courtesy
            pass
        if console:
            print("\n".join(console[-20:]))
        print(lab.log_tail())
        raise
    finally:
        try:
            page.evaluate("() => window.jupyterapp && window.jupyterapp.serviceManager.sessions.shutdownAll()")
        except Exception:  # noqa: BLE001 - the server shutdown stops kernels anyway
            pass
        page.close()


def test_the_harness_runs_a_fixture_notebook_and_sees_its_widget_redraw(lab, browser_context):
    result = run_notebook(lab, browser_context, FIXTURE)
    assert result["images"] >= 2
    changed = result["changed"]
    # The fixture's Dropdown goes from its first actor to the second, and its Output draws
    # that actor's chart: one picture, a new one, under the unchanged prompt.
    assert (changed["before"], changed["after"]) == ("Stevenson", "Mikoyan")
    assert len(changed["images"]) == 1 and changed["images"] != changed["images_before"], changed
    assert "Pick an actor." in changed["text"]


def test_the_harness_reports_a_cell_that_raises(lab, browser_context):
    with pytest.raises(AssertionError, match="ValueError: a deliberate failure"):
        run_notebook(lab, browser_context, BROKEN)


@pytest.mark.parametrize("notebook", NOTEBOOK_NAMES)
def test_notebook_runs_all_in_jupyterlab_with_charts_and_working_widgets(lab, browser_context, notebook):
    """The teacher's copy (notebooks/): once its collapsed cells are opened, every sentence of
    its teacher notes and model answers is on the page."""
    need((NOTEBOOKS / notebook).exists(), f"notebooks/{notebook} is not written yet")
    lesson = NOTEBOOKS / notebook in LESSONS
    result = run_notebook(lab, browser_context, notebook, shots="teacher" if lesson else "lab", open_collapsed=lesson)
    print({k: v for k, v in result.items() if k != "text"})
    if lesson:
        own = cell_sentences(NOTEBOOKS / notebook)
        assert own, f"{notebook} has no teacher note or model answer"
        missing = [f"{h.source}: {h.sentence!r}" for h in own if h not in found_in(result["text"], own)]
        assert not missing, "the teacher's copy does not show:\n" + "\n".join(missing)


@pytest.mark.parametrize("lesson", [path.name for path in LESSONS])
def test_the_student_copy_runs_all_and_shows_no_teacher_note_or_model_answer(lab, browser_context, hidden, lesson):
    """Run All, then every "model answer" button pressed: still no sentence of one on the page."""
    result = run_notebook(lab, browser_context, f"{STUDENT}/{lesson}", shots="student", press="model answer",
                          lesson_checks=False)
    assert result["collapsed_opened"] == 0
    shown = [f"{h.source}: {h.sentence!r}" for h in found_in(result["text"], hidden)]
    assert not shown, f"student/{lesson} shows:\n" + "\n".join(shown)


# ---------------------------------------------------------------- no news prompt

ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
# JS: once JupyterLab has restored its layout and loaded the notification settings (the
# moment the announcements plugin asks its question), whether that plugin is there at all.
SETTLED_JS = f"""
async () => {{
  const app = window.jupyterapp;
  if (!app) return null;
  await app.restored;
  return {{hasAnnouncements: app.hasPlugin('{ANNOUNCEMENTS}'),
          activated: app.isPluginActivated('{ANNOUNCEMENTS}')}};
}}
"""


def open_lab(browser_context, server, workspace: str):
    page = browser_context.new_page()
    page.goto(server.page_url(f"lab/workspaces/{workspace}?reset"))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
    return page


def test_make_lab_starts_jupyterlab_with_the_configuration_these_tests_use():
    from servers import LAB_CONFIG, root_flag

    dry_run = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    command = dry_run.replace("\\\n", " ")
    assert f'JUPYTER_CONFIG_PATH="{LAB_CONFIG}' in command
    for flag in ["jupyter lab", "--ip=127.0.0.1", "--ServerApp.root_dir=notebooks", *root_flag()]:
        assert flag in command
    page_config = json.loads((LAB_CONFIG / "labconfig" / "page_config.json").read_text())
    assert page_config["disabledExtensions"][ANNOUNCEMENTS] is True


def test_a_fresh_jupyterlab_started_as_make_lab_starts_it_asks_nothing_about_news(lab, browser_context):
    page = open_lab(browser_context, lab, "e2e-news")
    try:
        plugin = page.evaluate(SETTLED_JS)
        assert plugin == {"hasAnnouncements": False, "activated": False}, plugin
        # Open a notebook too, the moment a toast would cover it.
        page.goto(lab.page_url(f"lab/workspaces/e2e-news/tree/{FIXTURE}"))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.evaluate(SETTLED_JS)
        assert normalise(NEWS_PROMPT) not in page_text(page)
        assert page.locator(".Toastify__toast").count() == 0
        page.screenshot(path=screenshot_path("lab", "no-news-prompt"))
    finally:
        page.close()


def test_without_the_project_configuration_jupyterlab_asks_about_news(chromium_path, browser_context, tmp_path):
    """The control: the same JupyterLab without etc/jupyter/ shows the prompt, and the check sees it."""
    (tmp_path / "root").mkdir()
    with jupyter_lab(tmp_path / "root", home=tmp_path / "home", config=None) as plain:
        page = open_lab(browser_context, plain, "e2e-plain")
        try:
            assert page.evaluate(SETTLED_JS) == {"hasAnnouncements": True, "activated": True}
            page.get_by_text(NEWS_PROMPT).first.wait_for(timeout=60_000)
            assert normalise(NEWS_PROMPT) in page_text(page)
            page.screenshot(path=screenshot_path("lab", "news-prompt-without-config"))
        finally:
            page.close()
