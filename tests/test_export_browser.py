"""The offline exports in headless Chromium, opened from file:// with the network off.

The browser is Debian's Chromium driven by Playwright (never a downloaded browser). Every
request that is not file:// is aborted and recorded, the context is offline and DNS
resolves nothing, so a page that still reached for a CDN fails here. axe-core is injected
from node_modules/ for the WCAG 2.1 AA check. A screenshot of each deck is kept in
build/screenshots/export/.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import chromium, small_text
from conftest import CHROMIUM_ARGS, need
from test_export import WHICH, built, slides_asked_for

from cablelab import export

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots" / "export"
AXE = export.NODE_MODULES / "axe-core" / "axe.min.js"
# Generous: conditions, not sleeps, and the machine may be busy with other kernels and browsers.
WAIT_MS = 90_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Text that means a widget did not render: still loading, an error, or its Python repr.
RAW_WIDGET_TEXT = [
    "Loading widget...", "Error displaying widget", "Error rendering", "children=(",
    "VBox(", "HBox(", "Dropdown(", "ToggleButtons(", "Stack(", "Output(", "HTML(value=", "IntSlider(",
]


@pytest.fixture(scope="module")
def browser(chromium_path):
    # The shared launcher resolves no name but loopback's: nothing can leave the machine.
    with chromium(chromium_path, CHROMIUM_ARGS) as launched:
        yield launched


@contextmanager
def offline_page(browser, path: Path, query: str = "", viewport: dict | None = None):
    """A page on ``path`` (file://) with the network off; yields (page, log) and checks the log."""
    context = browser.new_context(offline=True, viewport=viewport or {"width": 1280, "height": 800},
                                  service_workers="block")
    log = {"web": [], "failed": [], "errors": []}

    def route(request_route):
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            log["web"].append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("requestfailed", lambda r: log["failed"].append(f"{r.url} {r.failure}"))
    page.on("pageerror", lambda err: log["errors"].append(str(err)))
    page.on("console", lambda m: m.type == "error" and log["errors"].append(m.text))
    try:
        page.goto(path.as_uri() + query)
        yield page, log
    finally:
        context.close()


STATE_JS = """() => ({
  reveal: !!(window.Reveal && window.Reveal.isReady && window.Reveal.isReady()),
  views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  rendered: document.querySelectorAll('.widget-subarea').length,
})"""


def wait_for(page, condition: str, what: str, log: dict | None = None, arg=None) -> None:
    """Wait for a JS condition; on timeout say what the page looked like (and its log)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(condition, arg=arg, timeout=WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"timed out waiting for {what}: page {page.evaluate(STATE_JS)}, log {log}")


def wait_reveal(page, log: dict | None = None) -> None:
    wait_for(page, "window.Reveal && window.Reveal.isReady()", "reveal to initialise", log)


def wait_widgets(page, log: dict | None = None) -> int:
    """Wait until every embedded widget view has become a rendered widget; returns how many."""
    wait_for(page, f"() => {{ const s = ({STATE_JS})(); return s.views === 0 || s.rendered >= s.views; }}",
             "the widgets to render", log)
    return page.evaluate("document.querySelectorAll('.widget-subarea').length")


def raw_widget_text(page) -> list[str]:
    """Raw widget text left in the outputs (the code cells may well say `VBox(`)."""
    text = page.evaluate("[...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent).join('\\n')")
    return [raw for raw in RAW_WIDGET_TEXT if raw in text]


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def serious_violations(page) -> list[dict]:
    need(AXE.is_file(), "node_modules/axe-core is missing: run `make assets`")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, AXE_TAGS)


FOLDERS = {"fixture": ROOT / "tests" / "fixtures" / "notebooks", "lessons": export.NOTEBOOKS}
# Listed at collection (cheap); built on first use, once per session.
DECKS = [(which, path.stem) for which in WHICH for path in export.lesson_notebooks(FOLDERS[which])]
DECK_IDS = [f"{which}-{stem}" for which, stem in DECKS]


def deck_of(which: str, stem: str):
    return next(page for page in built(which).slides if page.path.name == f"{stem}.slides.html")


def _expected(which: str, stem: str) -> int:
    import nbformat

    return slides_asked_for(nbformat.read(FOLDERS[which] / f"{stem}.ipynb", as_version=4))



def embedded_views(path: Path) -> int:
    """How many widget views a built page embeds (the kernel-free explorers it keeps)."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return len(page.find_all("script", type=export.WIDGET_VIEW))

GO_TO_EXPLORER = """() => {
  // The first Dropdown or ToggleButtons left in a widget output belongs to a kernel-free
  // explorer (kernel-bound widgets were replaced by their image): show its slide.
  const control = document.querySelector('.widget-subarea .widget-dropdown, .widget-subarea .widget-toggle-buttons');
  if (!control) return null;
  if (window.Reveal) {
    const slide = control.closest('section section') || control.closest('section');
    const at = Reveal.getIndices(slide);
    Reveal.slide(at.h, at.v, Number.MAX_SAFE_INTEGER);  // all fragments shown
  }
  const output = control.closest('.widget-subarea');
  output.setAttribute('data-test-explorer', '1');
  control.setAttribute('data-test-control', '1');
  return control.classList.contains('widget-dropdown') ? 'dropdown' : 'toggle';
}"""

SHOWN = """() => {
  const output = document.querySelector('[data-test-explorer]');
  return output.innerText.replace(output.querySelector('[data-test-control]').innerText, '').trim();
}"""


def choose_another_option(page) -> tuple[str, str] | None:
    """In the first kernel-free explorer, pick the next option; returns what was shown before and after."""
    kind = page.evaluate(GO_TO_EXPLORER)
    if kind is None:
        return None
    control = page.locator("[data-test-control]")
    control.scroll_into_view_if_needed()
    before = page.evaluate(SHOWN)
    if kind == "dropdown":
        select = control.locator("select")
        count = select.locator("option").count()
        assert count > 1, "the explorer's Dropdown has one option"
        select.select_option(index=(select.evaluate("s => s.selectedIndex") + 1) % count)
    else:
        buttons = control.locator("button")
        active = [i for i in range(buttons.count()) if "mod-active" in (buttons.nth(i).get_attribute("class") or "")]
        buttons.nth(((active[0] if active else -1) + 1) % buttons.count()).click()
    page.wait_for_function(f"(before) => ({SHOWN})() !== before", arg=before, timeout=WAIT_MS)
    return before, page.evaluate(SHOWN)


@pytest.mark.parametrize("which,stem", DECKS, ids=DECK_IDS)
def test_each_deck_works_from_file_with_the_network_off(browser, which, stem):
    deck = deck_of(which, stem)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with offline_page(browser, deck.path) as (page, log):
        wait_reveal(page, log)
        assert page.evaluate("Reveal.getTotalSlides()") == _expected(which, stem)
        widgets = wait_widgets(page, log)
        page.screenshot(path=str(SCREENSHOTS / f"{deck.path.stem}.title.png"))
        changed = choose_another_option(page)
        page.screenshot(path=str(SCREENSHOTS / f"{deck.path.stem}.png"))
        assert not raw_widget_text(page)
        if not embedded_views(deck.path):  # a deck with no explorer (lesson 00) has no widget to draw
            assert widgets == 0 and changed is None
        else:
            assert widgets >= 1, "no widget rendered from the embedded state"
            assert changed is not None, "no kernel-free explorer (cablelab.widgets.static_explorer) in this deck"
            assert changed[0] != changed[1]
        if which == "fixture":
            assert "FIXTURE VIEW A" in changed[0] and "FIXTURE VIEW B" in changed[1]
        assert log["web"] == [], f"requests to the web: {log['web']}"
        assert log["failed"] == [], f"requests that failed: {log['failed']}"
        assert log["errors"] == [], f"page errors: {log['errors']}"


@pytest.mark.parametrize("which", WHICH)
def test_the_site_pages_work_offline_show_every_widget_and_keep_the_explorers_interactive(browser, which):
    result = built(which)
    site = result.student[0].path.parent
    lessons = [p.path for p in result.student + result.teacher]
    problems = []
    for path in [site / "index.html", site / "teacher" / "index.html"] + lessons:
        with offline_page(browser, path) as (page, log):
            wait_widgets(page, log)
            where = path.relative_to(site)
            problems += [f"{where}: raw widget text {raw!r}" for raw in raw_widget_text(page)]
            broken = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).length")
            problems += [f"{where}: {broken} image(s) not shown"] if broken else []
            # A page with widget views keeps its explorer interactive; lesson 00 has none (its text is
            # the reader's edition, plain HTML).
            if path in lessons and embedded_views(path) and choose_another_option(page) is None:
                problems.append(f"{where}: no kernel-free explorer")
            if path.parent == site:  # the student edition: one screenshot a page
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"site.{path.stem}.png"))
            problems += [f"{where}: {kind}: {log[kind]}" for kind in ("web", "failed", "errors") if log[kind]]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("which", WHICH)
def test_the_student_site_has_no_serious_accessibility_violations(browser, which):
    result = built(which)
    site = result.student[0].path.parent
    found = {}
    for path in [site / "index.html"] + [p.path for p in result.student]:
        with offline_page(browser, path) as (page, log):
            wait_widgets(page, log)
            violations = serious_violations(page)
            if violations:
                found[path.name] = violations
    assert not found, json.dumps(found, indent=1)


@pytest.mark.parametrize("which,stem", DECKS, ids=DECK_IDS)
def test_each_deck_has_no_serious_accessibility_violations_on_any_slide(browser, which, stem):
    """Each slide as projected (fragments shown), one axe run a slide: axe judges colours only
    where an element is on screen and not covered, so a view of all slides at once would hide
    problems from it."""
    deck = deck_of(which, stem)
    found = {}
    with offline_page(browser, deck.path) as (page, log):
        wait_reveal(page, log)
        wait_widgets(page, log)
        # No transitions: a slide or fragment half faded in would read as low contrast.
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
        slides = page.evaluate("Reveal.getSlides().map(s => Reveal.getIndices(s))")
        assert len(slides) == _expected(which, stem)
        for slide in slides:
            at = [slide["h"], slide.get("v") or 0]
            page.evaluate("([h, v]) => Reveal.slide(h, v, Number.MAX_SAFE_INTEGER)", at)
            wait_for(page, "([h, v]) => { const i = Reveal.getIndices(); return i.h === h && (i.v || 0) === v; }",
                     f"slide {at}", log, arg=at)
            for violation in serious_violations(page):
                found.setdefault(violation["id"], {**violation, "slides": []})["slides"].append("/".join(map(str, at)))
        assert log["web"] == []
    assert not found, json.dumps(found, indent=1)


PRINTED = """() => {
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  return {
    widgets: document.documentElement.getAttribute('data-cablelab-widgets'),
    pages: document.querySelectorAll('.pdf-page').length,
    views: views.length,
    drawn: views.filter(v => { const a = v.parentElement.querySelector('.widget-subarea'); return a && a.firstElementChild; }).length,
    notes: document.querySelectorAll('aside.notes').length,
    notesShown: [...document.querySelectorAll('aside.notes, .speaker-notes-pdf')]
      .filter(n => n.getClientRects().length > 0 && getComputedStyle(n).display !== 'none').length,
  };
}"""


@pytest.mark.parametrize("which,stem", DECKS, ids=DECK_IDS)
def test_the_print_view_of_each_deck_shows_every_widget(browser, which, stem):
    """Handouts: `?print-pdf` lays every slide out as a page. reveal takes the slides out of the
    document while it does so, and a widget renderer running then used to miss them (about one
    load in four of a deck left its explorer blank); the print view now waits for the widgets.
    Speaker notes are not printed. Each deck is opened three times, and printed to
    build/screenshots/export/<deck>.pdf."""
    deck = deck_of(which, stem)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        with offline_page(browser, deck.path, "?print-pdf") as (page, log):
            wait_for(page, "document.documentElement.getAttribute('data-cablelab-reveal') === 'ready'"
                     " && document.querySelectorAll('.pdf-page').length > 0", "the print view", log)
            printed = page.evaluate(PRINTED)
            assert printed["widgets"] == "drawn", printed
            if embedded_views(deck.path):  # lesson 00's deck has no widget view to draw
                assert printed["views"] >= 1 and printed["drawn"] == printed["views"], printed
            else:
                assert printed["views"] == 0, printed
            assert printed["pages"] >= _expected(which, stem), printed
            # A handout for students: the speaker notes (teacher notes, model answers) stay unprinted.
            assert printed["notesShown"] == 0, printed
            assert not raw_widget_text(page)
            if attempt == 0:
                pdf = SCREENSHOTS / f"{deck.path.stem}.pdf"
                page.pdf(path=str(pdf), print_background=True, prefer_css_page_size=True)
                assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
            assert log["web"] == [] and log["errors"] == [], log


# ------------------------------------------------------------------- projector

PROJECTOR = {"width": export.SLIDE_WIDTH, "height": export.SLIDE_HEIGHT}

# JS: how the current slide sits in its frame: how far its content runs past the slide's box
# (down and across), whether the box itself is inside the window, and the cells it shows
# (their ids and heights: which cell to cut when a slide is too full).
FIT_JS = """() => {
  const slide = Reveal.getCurrentSlide();
  const box = slide.getBoundingClientRect();
  return {
    scale: Reveal.getScale(),
    down: slide.scrollHeight - slide.clientHeight,
    across: slide.scrollWidth - slide.clientWidth,
    inWindow: box.left >= -1 && box.top >= -1 && box.right <= window.innerWidth + 1 && box.bottom <= window.innerHeight + 1,
    cells: [...slide.querySelectorAll('.jp-Cell')].filter(c => c.getClientRects().length)
      .map(c => `${c.id.replace('cell-id=', '')} (${Math.round(c.getBoundingClientRect().height)} px)`),
  };
}"""


LESSON_DECKS = [(which, stem) for which, stem in DECKS if which == "lessons"]


@pytest.mark.parametrize("which,stem", LESSON_DECKS, ids=[f"{w}-{s}" for w, s in LESSON_DECKS])
def test_every_slide_fits_a_1280_by_720_screen_with_no_text_under_24_px(browser, which, stem):
    """Each slide of each lesson's deck as projected at 1280x720 (fragments shown): its content
    stays inside the slide (nothing to scroll, down or across; a chart may be drawn smaller and
    an explorer's view may scroll inside its own box to make room), and no text on it is under
    24 px. A slide too full for the frame is named with its cells, for the lesson's author to
    cut or split. (The fixture deck tests the export's mechanics, not a lesson: see the control.)"""
    deck = deck_of(which, stem)
    overflowing, small = [], []
    with offline_page(browser, deck.path, viewport=PROJECTOR) as (page, log):
        wait_reveal(page, log)
        wait_widgets(page, log)
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        page.wait_for_function("[...document.images].every(i => i.complete)", timeout=WAIT_MS)
        slides = page.evaluate("Reveal.getSlides().map(s => Reveal.getIndices(s))")
        assert len(slides) == _expected(which, stem)
        for slide in slides:
            at = [slide["h"], slide.get("v") or 0]
            page.evaluate("([h, v]) => Reveal.slide(h, v, Number.MAX_SAFE_INTEGER)", at)
            fit = page.evaluate(FIT_JS)
            assert fit["scale"] == 1, f"slide {at} is scaled by {fit['scale']}: sizes on screen differ from CSS px"
            if fit["down"] > 1 or fit["across"] > 1 or not fit["inWindow"]:
                overflowing.append(f"slide {at[0]}/{at[1]}: {fit['down']} px too tall, {fit['across']} px too wide;"
                                   f" cells {', '.join(fit['cells'])}")
            current = page.evaluate_handle("Reveal.getCurrentSlide()")
            small += [f"slide {at[0]}/{at[1]}: {t['size']} px {t['element']} {t['text']!r}"
                      for t in small_text(page, export.MIN_SLIDE_TEXT_PX, current)]
        assert log["errors"] == [], log["errors"]
    assert not small, f"{deck.path.name}: text under {export.MIN_SLIDE_TEXT_PX} px:\n" + "\n".join(small[:30])
    assert not overflowing, f"{deck.path.name}: slides that run past the 1280x720 frame:\n" + "\n".join(overflowing)


def test_the_fit_check_sees_a_slide_that_runs_past_its_frame(browser):
    """The control: a paragraph of 60 lines added to a slide is reported, down and by its cell."""
    deck = deck_of("fixture", DECKS[0][1])
    with offline_page(browser, deck.path, viewport=PROJECTOR) as (page, log):
        wait_reveal(page, log)
        page.evaluate("""() => { const cell = Reveal.getCurrentSlide().querySelector('.jp-Cell');
            const p = document.createElement('p'); p.innerHTML = 'line<br>'.repeat(60); cell.appendChild(p); }""")
        fit = page.evaluate(FIT_JS)
        assert fit["down"] > 1000 and fit["cells"], fit
        assert small_text(page, 1000, page.evaluate_handle("Reveal.getCurrentSlide()")), "no text seen at all"