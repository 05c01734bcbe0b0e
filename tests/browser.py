"""What the browser tests ask of a page, shared by the JupyterLab and the Voila tests.

Playwright's sync API drives Debian's Chromium (never a downloaded browser). The checks
read the DOM both front ends share (JupyterLab's output areas, ipywidgets' classes), so
one set of conditions serves both:

- `wait_widgets_rendered(page, expected)`: every widget output has become widgets, with
  no "Loading widget..." left, and every image in an output has loaded; returns
  `summary(page)` (counts of outputs, widgets, images; error outputs; raw widget text);
- `problems(summary)`: tracebacks, raw widget text ("VBox(children=..."), widgets not
  rendered or disconnected, each as a sentence;
- `change_main_widget(page, root)`: choose another option in the first visible Dropdown,
  ToggleButtons or slider in `root`, wait until what `root` shows (other than the
  control) changes, then until it stops changing;
- `screenshot_whole(page, path)`: a screenshot including what inner scrolling areas hide;
- `small_text(page, least_px, root)`: visible text set smaller than `least_px` (type a class
  cannot read);
- `chromium(...)`, `assert_nothing_left()`: a browser that is always closed, and the
  check that no server, kernel or browser process outlives the tests.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from servers import alive, descendants, describe, orphans

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"

# Text that means a widget did not render: its Python repr, or a front end still waiting.
RAW_WIDGET_TEXT = [
    "Loading widget...",
    "Error displaying widget",
    "Error rendering",
    "VBox(children=",
    "HBox(children=",
    "Tab(children=",
    "Accordion(children=",
    "Dropdown(",
    "ToggleButtons(",
    "Output(",
    "HTML(value=",
    "interactive(children=",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# JS: a summary of the page's outputs. Every rendered ipywidget carries the
# `jupyter-widgets` class; a widget output that has none is still loading or broken.
SUMMARY_JS = """
(raw) => {
  const outs = [...document.querySelectorAll('.jp-OutputArea-output')];
  // Outputs of cells, not those inside an Output widget.
  const top = outs.filter(o => o.parentElement.closest('.jupyter-widgets') === null);
  const widgetOuts = top.filter(o => o.getAttribute('data-mime-type') === '%s'
    || o.querySelector('.jupyter-widgets') !== null
    || /Loading widget|Error displaying widget|Error rendering/.test(o.innerText || ''));
  const rendered = widgetOuts.filter(o => o.querySelector('.jupyter-widgets') !== null).length;
  const unrendered = widgetOuts.length - rendered;
  const text = outs.map(o => o.innerText || '').join('\\n');
  const rawFound = raw.filter(r => text.includes(r));
  const imgs = [...document.querySelectorAll('.jp-OutputArea-output img')];
  const loaded = imgs.filter(i => i.complete && i.naturalWidth > 0);
  const errors = outs
    .filter(o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr')
    .map(o => o.innerText || '')
    .filter(t => /Traceback|Error\\b|Exception/.test(t));
  const widgets = document.querySelectorAll('.jupyter-widgets').length;
  const disconnected = document.querySelectorAll('.jupyter-widgets-disconnected').length;
  return {outputs: outs.length, widgetOutputs: widgetOuts.length, rendered, unrendered, rawFound,
          images: imgs.length, imagesLoaded: loaded.length, errors, widgets, disconnected};
}
""" % WIDGET_MIME


def summary(page) -> dict:
    """What the page's outputs hold (see SUMMARY_JS)."""
    return page.evaluate(SUMMARY_JS, RAW_WIDGET_TEXT)


def wait_widgets_rendered(page, expected: int = 1, timeout_ms: float = 60_000) -> dict:
    """Wait until `expected` widget outputs (at least) are rendered, none is still loading,
    and every image has loaded; returns the summary."""
    page.wait_for_function(
        f"([raw, expected]) => {{ const s = ({SUMMARY_JS})(raw);"
        " return s.rendered >= expected && s.unrendered === 0"
        " && !s.rawFound.includes('Loading widget...') && s.imagesLoaded === s.images; }",
        arg=[RAW_WIDGET_TEXT, expected],
        timeout=timeout_ms,
        polling=250,
    )
    return summary(page)


def problems(info: dict) -> list[str]:
    """What is wrong with a page according to its summary (empty when all is well)."""
    found = [f"error output: {text[:500]}" for text in info["errors"]]
    found += [f"raw widget text left: {text!r}" for text in info["rawFound"]]
    if info["unrendered"]:
        found.append(f"{info['unrendered']} widget output(s) not rendered")
    if info["disconnected"]:
        found.append(f"{info['disconnected']} widget(s) disconnected from the kernel")
    return found


# JS: in `root` (a selector), find the first visible Dropdown, ToggleButtons or slider, mark
# it and the root, and say what kind it is.
MARK_JS = """
(root) => {
  document.querySelectorAll('[data-e2e-control]').forEach(e => e.removeAttribute('data-e2e-control'));
  document.querySelectorAll('[data-e2e-view]').forEach(e => e.removeAttribute('data-e2e-view'));
  const area = document.querySelector(root);
  if (!area) return null;
  const visible = e => e.checkVisibility ? e.checkVisibility() : e.offsetParent !== null;
  const control = [...area.querySelectorAll(
      '.widget-dropdown, .widget-toggle-buttons, .widget-hslider, .widget-inline-hbox:has(.noUi-target)')]
    .find(visible);
  if (!control) return null;
  control.setAttribute('data-e2e-control', '1');
  area.setAttribute('data-e2e-view', '1');
  const kind = control.classList.contains('widget-dropdown') ? 'dropdown'
             : control.classList.contains('widget-toggle-buttons') ? 'toggle' : 'slider';
  const label = (control.querySelector('.widget-label') || {}).innerText || '';
  return {kind, label};
}
"""

# JS: what the marked root shows, without the control itself (whose own state changes).
VIEW_JS = """
() => {
  const area = document.querySelector('[data-e2e-view]');
  if (!area) return null;
  const copy = area.cloneNode(true);
  copy.querySelectorAll('[data-e2e-control]').forEach(c => c.remove());
  return copy.innerHTML;
}
"""

# JS: what a person sees in the marked root, without the control: its text (whitespace
# collapsed) and the address of each picture (a redrawn chart is a new image).
SEEN_JS = """
() => {
  const area = document.querySelector('[data-e2e-view]');
  if (!area) return null;
  const control = area.querySelector('[data-e2e-control]');
  const display = control ? control.style.display : '';
  if (control) control.style.display = 'none';  // innerText leaves out what is not displayed
  const text = area.innerText.replace(/\\s+/g, ' ').trim();
  if (control) control.style.display = display;
  return {text, images: [...area.querySelectorAll('img')].map(e => e.currentSrc || e.src)};
}
"""

SETTLED_MS = 1000
# JS: true once the marked view has not changed for `quiet` milliseconds.
SETTLED_JS = f"""
(quiet) => {{
  const now = ({VIEW_JS})();
  const seen = window.__e2eSettle || (window.__e2eSettle = {{view: null, since: 0}});
  if (now !== seen.view) {{ seen.view = now; seen.since = Date.now(); return false; }}
  return Date.now() - seen.since >= quiet;
}}
"""


def _choose(page, kind: str) -> tuple[str | None, str]:
    """Move the marked control to another value; returns (before, after) as shown to a student."""
    handle = page.locator("[data-e2e-control]")
    handle.scroll_into_view_if_needed()
    if kind == "dropdown":
        select = handle.locator("select")
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("s => s.selectedIndex")
        assert len(options) > 1, f"the Dropdown has one option: {options}"
        # Nothing chosen yet (index -1): the first option is a prompt ("Choose …"), so take the second.
        target = (current + 1) % len(options) if current >= 0 else 1
        select.select_option(index=target)
        return (options[current] if current >= 0 else None), options[target]
    if kind == "toggle":
        buttons = handle.locator("button")
        texts = buttons.all_inner_texts()
        assert len(texts) > 1, f"the ToggleButtons has one button: {texts}"
        active = [i for i in range(len(texts)) if "mod-active" in (buttons.nth(i).get_attribute("class") or "")]
        current = active[0] if active else -1
        target = (current + 1) % len(texts)
        buttons.nth(target).click()
        return (texts[current] if current >= 0 else None), texts[target]
    # A slider (noUiSlider): drag its first handle a third of the way along the track, as a
    # student would (leftwards when it is already in the right half); the value changes
    # when the mouse is released.
    readout = handle.locator(".widget-readout")
    before = readout.first.inner_text() if readout.count() else None
    track = handle.locator(".noUi-target").first.bounding_box()
    knob = handle.locator(".noUi-handle").first.bounding_box()
    assert track and knob, "the slider is not laid out"
    x, y = knob["x"] + knob["width"] / 2, knob["y"] + knob["height"] / 2
    step = track["width"] / 3 if x < track["x"] + track["width"] / 2 else -track["width"] / 3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + step, y, steps=8)
    page.mouse.up()
    after = readout.first.inner_text() if readout.count() else "(moved)"
    return before, after


def change_main_widget(page, root: str, timeout_ms: float = 60_000) -> dict:
    """Use the first visible Dropdown, ToggleButtons or slider in `root` (a CSS selector) and
    wait until what `root` shows, other than the control, changes.

    Returns {kind, label, before, after (the values chosen, as the control shows them),
    text_before, text (what `root` shows besides the control, whitespace collapsed),
    images_before, images (a digest of each picture's address in `root`)}. Raises AssertionError when `root` has no such
    control; Playwright's TimeoutError when nothing shown changes in time.
    """
    control = page.evaluate(MARK_JS, root)
    assert control, f"no visible Dropdown, ToggleButtons or slider in {root}"
    before_view = page.evaluate(VIEW_JS)
    seen_before = page.evaluate(SEEN_JS)
    before, after = _choose(page, control["kind"])
    page.wait_for_function(
        f"(before) => {{ const now = ({VIEW_JS})(); return now !== null && now !== before; }}",
        arg=before_view,
        timeout=timeout_ms,
        polling=100,
    )
    # A view can be several widgets redrawn one after the other (a card, then its chart):
    # wait until it has stopped changing, so the screenshot shows one consistent state.
    page.evaluate("() => { window.__e2eSettle = null; }")
    page.wait_for_function(SETTLED_JS, arg=SETTLED_MS, timeout=timeout_ms, polling=100)
    seen = page.evaluate(SEEN_JS)
    return {**control, "before": before, "after": after, "text_before": seen_before["text"], "text": seen["text"],
            "images_before": _digests(seen_before["images"]), "images": _digests(seen["images"])}


def _digests(addresses: list[str]) -> list[str]:
    """Pictures named by a digest of their address (a data: URL can be megabytes long)."""
    return [hashlib.sha256(address.encode()).hexdigest()[:16] for address in addresses]


# JS: the scrolling elements (JupyterLab's notebook, Voila's main area) and how tall their
# content is; a screenshot shows everything once the viewport is that tall.
SCROLLERS_JS = """
() => [...document.querySelectorAll('body, body *')]
  .filter(e => e.scrollHeight > e.clientHeight + 2 && e.clientHeight > 100
               && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
  .map(e => e.scrollHeight - e.clientHeight)
"""
MAX_HEIGHT = 14_000  # Chromium's largest texture is 16384 px


def screenshot_whole(page, path: Path, width: int = 1280) -> None:
    """A screenshot of the whole page, including what its inner scrolling areas hide."""
    extra = max(page.evaluate(SCROLLERS_JS), default=0)
    height = page.viewport_size["height"] if page.viewport_size else 900
    if extra:
        page.set_viewport_size({"width": width, "height": int(min(height + extra + 40, MAX_HEIGHT))})
        page.wait_for_function(
            f"() => ({SCROLLERS_JS})().length === 0 || window.innerHeight >= {MAX_HEIGHT}", timeout=10_000
        )
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": width, "height": height})


def screenshot_path(kind: str, name: str) -> Path:
    folder = SCREENSHOTS / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


# JS: the visible text under `root` set smaller than `least` px, as a person sees it: for each
# text node, its element's computed font-size (before any zoom of the page).
SMALL_TEXT_JS = """
([root, least]) => {
  const found = [];
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || !element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < least) found.push({size, element: element.tagName.toLowerCase() + [...element.classList].map(c => '.' + c).join(''), text: text.slice(0, 60)});
  }
  return found;
}
"""


def small_text(page, least_px: float, root=None) -> list[dict]:
    """Visible text under `root` (an element handle; the whole page by default) smaller than
    `least_px`: [{size, element, text}], empty when all is large enough."""
    return page.evaluate(SMALL_TEXT_JS, [root, least_px])


def assert_nothing_left() -> None:
    """No server, kernel, Chromium or Playwright driver started by these tests is still running."""
    left = orphans() + chromium_leftovers()
    assert not left, "processes left running:\n" + "\n".join(left)


def chromium_leftovers() -> list[str]:
    """Browser processes (Chromium, Playwright's driver) still running below this process."""
    found = []
    for pid in descendants(os.getpid()):
        text = describe(pid)
        if alive(pid) and ("chrom" in text or "playwright" in text):
            found.append(text)
    return found


@contextmanager
def chromium(executable: str, args: list[str]) -> Iterator[object]:
    """A headless Chromium (Debian's), closed with its Playwright driver on the way out."""
    from playwright.sync_api import sync_playwright

    # No name resolves but loopback's: nothing can leave the machine, even by mistake.
    args = [*args, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args, headless=True)
        try:
            yield browser
        finally:
            browser.close()
