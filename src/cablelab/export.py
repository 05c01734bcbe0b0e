"""Slides and the self-study site, built to work offline from ``file://``.

    python -m cablelab.export assets        # copy the npm assets under build/ (after `npm ci`)
    python -m cablelab.export slides        # build/slides/<notebook>.slides.html
    python -m cablelab.export site          # build/site/index.html (students), build/site/teacher/
    python -m cablelab.export student       # build/student/<lesson>.ipynb: the copies to hand out
    python -m cablelab.export all           # all three, executing each notebook once

Every notebook is executed fresh (nbclient, widget state stored) and rendered with
nbconvert configured so that nothing a page loads comes from the web: reveal.js,
require.js, jQuery and the widget renderer are local copies under ``_assets/`` next to
the pages (taken from ``node_modules/`` by ``make assets``); MathJax and Mermaid are left
out, as the lessons use neither.

Decks and pages show what the code made, never the code: no input cells, no In/Out
prompts. A deck is laid out for a projector: a 1280x720 slide shown at its own size, no text
under 24 px, and a slide too full for its frame draws its chart smaller or lets its explorer's
view scroll in its own box (never its text: a slide with too much text is the lesson's to cut).

Student copies (``student``) are the lesson notebooks as handed out: teacher and solution
cells removed, outputs and execution counts stripped, metadata reduced to what runs them.

Widgets in a static page:
- a kernel-free explorer (``cablelab.widgets.static_explorer``: a Dropdown jslinked to a
  Stack of pre-rendered views; recognised by the jslink inside its widget tree, or by
  output metadata ``{"cablelab": {"kernel_free": true}}``) keeps its widget view: its state
  is embedded and it stays interactive without a kernel;
- any other widget output that carries a text/html or image/png fallback (a
  ``cablelab.widgets.Panel``, or the bundle of ``display_with_fallback``) is shown as that
  fallback with a one-line note, since it needs a running kernel;
- the embedded widget state keeps only the models a remaining view needs, so a removed
  cell (a teacher note, a model answer) leaves nothing behind in the page.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from cablelab.fallback import FALLBACK_CLASS, NO_KERNEL_NOTE as KERNEL_NOTE

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
NODE_MODULES = ROOT / "node_modules"
ASSETS = "_assets"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
HIDDEN_TAGS = frozenset({"teacher", "solution"})
LINK_MODELS = frozenset({"LinkModel", "DirectionalLinkModel"})

# What `make assets` copies from node_modules/ into <out>/_assets/: (package, source, target,
# the outputs that need it). Only what a page loads at run time: reveal's one theme in use
# (the others @import Google Fonts), no source maps, no non-AMD bundles.
THEME = "white"  # takes its font from reveal's own dist/theme/fonts/source-sans-pro
ASSET_FILES: tuple[tuple[str, str, str, frozenset[str]], ...] = (
    ("reveal.js", "dist/reveal.js", "reveal.js/dist/reveal.js", frozenset({"slides"})),
    ("reveal.js", "dist/reveal.css", "reveal.js/dist/reveal.css", frozenset({"slides"})),
    ("reveal.js", f"dist/theme/{THEME}.css", f"reveal.js/dist/theme/{THEME}.css", frozenset({"slides"})),
    ("reveal.js", "dist/theme/fonts/source-sans-pro", "reveal.js/dist/theme/fonts/source-sans-pro", frozenset({"slides"})),
    ("reveal.js", "plugin/notes", "reveal.js/plugin/notes", frozenset({"slides"})),
    ("jquery", "dist/jquery.min.js", "jquery.min.js", frozenset({"slides"})),
    ("requirejs", "require.js", "require.js", frozenset({"slides", "site"})),
    ("@jupyter-widgets/html-manager", "dist/embed-amd.js", "html-manager/dist/embed-amd.js", frozenset({"slides", "site"})),
    # The widget renderer's Font Awesome and Lato fonts, fetched next to embed-amd.js.
    *(
        ("@jupyter-widgets/html-manager", f"dist/*.{ext}", "html-manager/dist/", frozenset({"slides", "site"}))
        for ext in ("woff2", "woff", "ttf", "eot", "svg")
    ),
)
SKIP_SUFFIXES = (".map", ".esm.js")


class AssetsMissing(RuntimeError):
    """node_modules/ lacks a package the pages need: run `make assets` (npm ci) first."""


class NotebookFailed(RuntimeError):
    """A notebook raised while executing; the message names it and the failing cell."""


# --------------------------------------------------------------------------- assets


def asset_versions(node_modules: Path = NODE_MODULES) -> dict[str, str]:
    """The installed version of each npm package the pages load."""
    versions = {}
    for package in sorted({entry[0] for entry in ASSET_FILES}):
        manifest = node_modules / package / "package.json"
        if not manifest.exists():
            raise AssetsMissing(f"{manifest} is missing: run `make assets` (npm ci) first")
        versions[package] = json.loads(manifest.read_text())["version"]
    return versions


def _copy_if_changed(source: Path, target: Path) -> None:
    if target.exists():
        same = target.stat().st_size == source.stat().st_size
        if same and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def install_assets(out_dir: Path, kind: str, node_modules: Path = NODE_MODULES) -> Path:
    """Copy what ``kind`` ('slides' or 'site') loads into ``out_dir/_assets`` (idempotent).

    Copies only files that changed. Returns the assets folder. Raises AssetsMissing when
    node_modules/ lacks a package.
    """
    versions = asset_versions(node_modules)
    assets = Path(out_dir) / ASSETS
    for package, source, target, kinds in ASSET_FILES:
        if kind not in kinds:
            continue
        base = node_modules / package
        if "*" in source:
            matches = sorted(base.glob(source))
            pairs = [(match, assets / target / match.name) for match in matches]
        elif (base / source).is_dir():
            pairs = [
                (path, assets / target / path.relative_to(base / source))
                for path in sorted((base / source).rglob("*"))
                if path.is_file() and not path.name.endswith(SKIP_SUFFIXES)
            ]
        else:
            pairs = [(base / source, assets / target)]
        if not pairs or not all(src.exists() for src, _ in pairs):
            raise AssetsMissing(f"{base / source} is missing: run `make assets` (npm ci) first")
        for src, dst in pairs:
            _copy_if_changed(src, dst)
    (assets / "VERSIONS.json").write_text(json.dumps(versions, indent=2) + "\n")
    return assets


# ------------------------------------------------------------------------ templates

# Blocks of nbconvert's `lab` and `reveal` templates that would reach the web are
# replaced here; the rest of those templates is used as it is.
_NO_WEB_BLOCKS = """
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

# An image keeps the alt text its output carries (metadata {"image/png": {"alt": ...}}).
_ALT_TEXT_BLOCK = """
{%- block data_png scoped -%}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- if alt %} alt="{{ alt | escape_html }}"{% endif %}>
</div>
{%- endblock data_png -%}
"""

_CABLELAB_CSS = """
<style type="text/css">
/* WCAG AA contrast: JupyterLab dims the prompts of inactive cells to half opacity. */
:root { --jp-cell-prompt-not-active-opacity: 1; --jp-cell-prompt-not-active-font-color: #595959; }
/* Links in text are underlined, not told by colour alone (WCAG 1.4.1). */
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited, .cablelab-nav a { text-decoration: underline; }
.cablelab-kernel-note { font-style: italic; margin: 0.25em 0 0; }
.cablelab-fallback img { max-width: 100%; }
.cablelab-nav { padding: 0.5em 1em; border-bottom: 1px solid #767676; }
.cablelab-nav a { color: #0b57d0; }
</style>
"""

def _template(css_and_blocks: str) -> str:
    """An nbconvert template over the lab one: nothing loaded from the web, alt text kept,
    our CSS, then the page kind's own CSS (closing its ``<style>``) and blocks."""
    return (
        "{%- extends 'index.html.j2' -%}"
        + _NO_WEB_BLOCKS
        + _ALT_TEXT_BLOCK
        + "\n{%- block html_head_css -%}"
        + _CABLELAB_CSS
        + '\n<style type="text/css">\n'
        + css_and_blocks
    )


# A deck is made for a projector: a 1280×720 frame shown at its own size on a 1280×720
# screen (no margin, so no scaling), and type readable from the back of the room: no text
# under 24 px. reveal's theme and nbconvert's reveal CSS come first; these win.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
MIN_SLIDE_TEXT_PX = 24

SLIDES_TEMPLATE = _template(""".reveal .controls { color: #0b57d0; }
/* On .reveal, not :root: reveal's theme and the widget renderer set their :root later in the page. */
.reveal {
    --jp-content-font-size0: 24px; --jp-content-font-size1: 24px; --jp-content-font-size2: 28px;
    --jp-content-font-size3: 34px; --jp-content-font-size4: 38px; --jp-content-font-size5: 44px;
    --jp-ui-font-size0: 24px; --jp-ui-font-size1: 24px; --jp-ui-font-size2: 28px; --jp-ui-font-size3: 32px;
    --jp-code-font-size: 24px; --jp-widgets-font-size: 24px;
    --jp-widgets-inline-height: 44px; --jp-widgets-inline-label-width: 220px; --jp-widgets-inline-width: 640px;
    --jp-cell-prompt-width: 0px; --jp-cell-padding: 2px;
    /* One typeface on a slide: reveal's, for the lesson's text and the widgets alike. */
    --jp-content-font-family: var(--r-main-font); --jp-ui-font-family: var(--r-main-font);
    --r-main-font-size: 24px; --r-heading-text-transform: none; --r-heading-margin: 0 0 12px 0;
    --r-heading1-size: 40px; --r-heading2-size: 34px; --r-heading3-size: 30px; --r-heading4-size: 26px;
    --r-block-margin: 12px;
}
.reveal .slides section { box-sizing: border-box; padding: 16px 40px; }
.reveal .slides section.stack { padding: 0; }
/* Nothing on a slide is smaller than 24 px: tables, captions, small print, widget text. */
.reveal .slides section :is(h5, h6, small, sub, sup, figcaption, table, th, td, code, pre, .widget-label,
    .widget-html-content, .jupyter-widgets, .jp-RenderedText pre) {
    font-size: max(1em, 24px);
}
.reveal .slides section .jp-RenderedHTMLCommon :is(h1, h2, h3, h4) { line-height: 1.2; }
.reveal .jp-RenderedHTMLCommon p { line-height: 1.3; }
.reveal .jp-RenderedHTMLCommon li { line-height: 1.25; }
.reveal .jp-RenderedHTMLCommon :is(p, ul, ol, blockquote, table) { margin-top: 0; margin-bottom: 10px; }
.reveal .jp-OutputPrompt, .reveal .jp-InputPrompt { display: none; }
/* A definition list in an output (an actor card) keeps JupyterLab's two columns: no reveal indent. */
.reveal .jp-OutputArea-output dt { width: 25%; margin: 0; }
.reveal .jp-OutputArea-output dd { width: 75%; margin: 0; }
/* A chart fits the frame: drawn no taller than the slide leaves room for (and cablelabFit below). */
.reveal .slides section img { max-width: 100%; max-height: 600px; width: auto; height: auto; object-fit: contain; }
.reveal .jupyter-widgets { max-width: 100%; }
.reveal .widget-dropdown > select { font-size: 24px; font-family: inherit; }
/* ipywidgets sets an HTML widget's line height to a control's height (44 px here): text gets its own. */
.reveal .widget-html-content { line-height: 1.3; }
/* A slide taller than the screen scrolls instead of being cut off (not in the print view). */
html:not(.print-pdf) .reveal .slides section:not(.stack) { height: 100%; overflow-y: auto; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script>
// The print view (?print-pdf: handouts, a PDF of the deck) takes the slides out of the page
// while it lays them out as pages; the widget renderer, running at that moment, would miss
// the widgets on them. So the print view starts once every widget is drawn (or after 20 s).
function cablelabWhenWidgetsDrawn(start) {
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    var since = Date.now();
    (function check() {
        var drawn = Array.prototype.every.call(views, function (view) {
            var area = view.parentElement.querySelector(".widget-subarea");
            return area !== null && area.firstElementChild !== null;
        });
        if (drawn || Date.now() - since > 20000) {
            document.documentElement.setAttribute("data-cablelab-widgets", drawn ? "drawn" : "timed-out");
            start();
        } else {
            setTimeout(check, 50);
        }
    })();
}
// A slide that runs past the frame makes room from its pictures and its explorers, never
// from its text: the tallest chart is drawn smaller, or the tallest explorer view (the box
// under an explorer's menu) scrolls inside its box, down to a third of the frame's height.
function cablelabFit(slide) {
    if (!slide || /print-pdf/i.test(window.location.search)) return;
    var parts = Array.prototype.slice.call(slide.querySelectorAll("img, .widget-dropdown ~ .widget-box"));
    var over = function () { return slide.scrollHeight - slide.clientHeight; };
    for (var round = 0; round < parts.length * 2 && over() > 1; round++) {
        var tallest = parts.reduce(function (a, b) { return b.clientHeight > a.clientHeight ? b : a; });
        var height = Math.max({{ reveal_height }} / 3, tallest.clientHeight - over() - 2);
        if (height >= tallest.clientHeight) break;
        tallest.style.maxHeight = Math.floor(height) + "px";
        if (tallest.tagName !== "IMG") {
            tallest.style.overflowY = "auto";
            tallest.setAttribute("tabindex", "0");  // a box that scrolls takes the keyboard too
        }
    }
}
require(
    // Local files: never give up on a slow machine (require.js' default is 7 seconds).
    { waitSeconds: 0 },
    ["{{ reveal_url_prefix }}/dist/reveal.js", "{{ reveal_url_prefix }}/plugin/notes/notes.js"],
    function (Reveal, RevealNotes) {
        window.Reveal = Reveal;
        var start = function () {
            Reveal.initialize({
                controls: true,
                progress: true,
                hash: true,
                center: false,
                transition: "{{ reveal_transition }}",
                slideNumber: "{{ reveal_number }}",
                plugins: [RevealNotes],
                width: {{ reveal_width }},
                height: {{ reveal_height }},
                margin: 0
            }).then(function () {
                cablelabFit(Reveal.getCurrentSlide());
                Reveal.on("slidechanged", function (event) { cablelabFit(event.currentSlide); });
                document.documentElement.setAttribute("data-cablelab-reveal", "ready");
            });
        };
        if (/print-pdf/i.test(window.location.search)) {
            cablelabWhenWidgetsDrawn(start);
        } else {
            start();
        }
    }
);
</script>
{% endblock footer_js %}
""")

SITE_TEMPLATE = _template("""/* No code and no In/Out prompts on a page: the prompt column goes too. */
:root { --jp-cell-prompt-width: 0px; }
.jp-OutputPrompt, .jp-InputPrompt { display: none; }
/* Widgets take the page's sans-serif, as in JupyterLab (the body has no font of its own here). */
.jupyter-widgets, .widget-subarea { font-family: var(--jp-ui-font-family); }
</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="cablelab-nav" aria-label="Lessons"><a href="index.html">All lessons</a>
{%- if resources.cablelab_edition == 'teacher' %} · Teacher edition: includes teacher notes and model answers{% endif -%}
</nav>
{%- endblock body_header -%}
""")


def _exporter(kind: str, assets_url: str):
    """A SlidesExporter ('slides') or HTMLExporter ('site') whose pages load only ``assets_url``."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter, SlidesExporter
    from traitlets.config import Config

    config = Config()
    html_config = config.HTMLExporter
    html_config.require_js_url = f"{assets_url}/require.js"
    html_config.jquery_url = f"{assets_url}/jquery.min.js"
    html_config.widget_renderer_url = f"{assets_url}/html-manager/dist/embed-amd.js"
    html_config.jupyter_widgets_base_url = f"{assets_url}/"  # unused while widget_renderer_url is set
    html_config.mathjax_url = ""  # the mathjax block is removed; this keeps a stray use harmless
    config.SlidesExporter.reveal_url_prefix = f"{assets_url}/reveal.js"
    config.SlidesExporter.reveal_theme = THEME
    config.SlidesExporter.reveal_transition = "slide"
    config.SlidesExporter.reveal_width = str(SLIDE_WIDTH)
    config.SlidesExporter.reveal_height = str(SLIDE_HEIGHT)
    # Decks and pages show what the code made, never the code: no input, no In/Out prompts.
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.SlidesExporter.font_awesome_url = ""  # not used by the reveal template
    # Of pygments' light styles, xcode is the one whose every colour reaches 4.5:1 on the
    # cells' #f5f5f5 (the default style's numbers and comments fall just short).
    config.CSSHTMLHeaderPreprocessor.style = "xcode"

    name = f"cablelab_{kind}.html.j2"
    source = SLIDES_TEMPLATE if kind == "slides" else SITE_TEMPLATE
    loader = DictLoader({name: source})
    cls = SlidesExporter if kind == "slides" else HTMLExporter
    return cls(config=config, extra_loaders=[loader], template_file=name)


# ----------------------------------------------------------------------- notebooks


def lesson_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The lessons, in order: ``NN_*.ipynb`` (app.ipynb is the Voila app, not a lesson)."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def execute(path: Path, timeout: int = 600):
    """Run a notebook top to bottom in its own folder, storing the widget state."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as err:
        first = str(err).strip().splitlines()
        cell = next((i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        error = next((f"{o.ename}: {o.evalue}" for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"), first[-1] if first else "")
        raise NotebookFailed(f"{Path(path).name}: cell {cell} raised {error}") from None
    return nb


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def expected_slide_count(nb) -> int:
    """How many reveal slides (horizontal and vertical) a notebook's slide metadata asks for."""
    return sum(slide_type(cell) in {"slide", "subslide"} for cell in nb.cells)


def remove_hidden_cells(nb, tags: Iterable[str] = HIDDEN_TAGS):
    """Drop every cell tagged teacher or solution, entirely (TagRemovePreprocessor)."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    remover = TagRemovePreprocessor(remove_cell_tags=set(tags), enabled=True)
    nb, _ = remover.preprocess(nb, {})
    return nb


def is_kernel_free(output, state: dict) -> bool:
    """True for an explorer that works from its embedded state alone.

    Either its output says so (metadata ``{"cablelab": {"kernel_free": true}}``), or its widget
    tree holds a jslink between two of its own widgets (a LinkModel, which the browser runs
    without a kernel): the shape of ``cablelab.widgets.static_explorer``.
    """
    if output.get("metadata", {}).get("cablelab", {}).get("kernel_free"):
        return True
    view = output.get("data", {}).get(WIDGET_VIEW) or {}
    tree = _reachable(state, {view.get("model_id")})
    return any(
        entry.get("model_name") in LINK_MODELS and (refs := _references(entry.get("state", {}))) and refs <= tree
        for entry in state.values()
    )


def _fallback_html(output) -> str | None:
    """The fallback of a kernel-bound widget with a one-line note, or None when it has none."""
    data = output.get("data", {})
    note = f'<figcaption class="cablelab-kernel-note">{html.escape(KERNEL_NOTE)}</figcaption>'
    if "text/html" in data:
        body = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
        if FALLBACK_CLASS in body:  # cablelab.widgets' fallback already carries its note
            return body
    elif "image/png" in data:
        meta = output.get("metadata", {}).get("image/png", {})
        alt = meta.get("alt") or "The widget as it first appears"
        png = data["image/png"].replace("\n", "")
        body = f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}">'
    else:
        return None
    return f'<figure class="{FALLBACK_CLASS}">{body}{note}</figure>'


def _widget_state(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def choose_widget_views(nb):
    """Keep the widget view of kernel-free explorers; show the others as their fallback."""
    state = _widget_state(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data or is_kernel_free(output, state):
                continue
            fallback = _fallback_html(output)
            if fallback is None:
                continue  # no fallback: the embedded state still shows the widget
            output["data"] = {"text/html": fallback, "text/plain": data.get("text/plain", "")}
    return nb


def _references(value) -> set[str]:
    """Model ids a piece of widget state points to ("IPY_MODEL_<id>", or a view's model_id)."""
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item.startswith("IPY_MODEL_"):
                found.add(item[len("IPY_MODEL_") :])
        elif isinstance(item, dict):
            if isinstance(item.get("model_id"), str):
                found.add(item["model_id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _reachable(state: dict, roots: set) -> set[str]:
    """The models ``roots`` need: themselves and every model their state points to, transitively."""
    kept: set[str] = set()
    pending = [root for root in roots if root in state]
    while pending:
        model = pending.pop()
        if model not in kept:
            kept.add(model)
            pending.extend(m for m in _references(state[model].get("state", {})) if m in state and m not in kept)
    return kept


def prune_widget_state(nb):
    """Keep only the widget models the remaining views need (and the jslinks between them)."""
    state = _widget_state(nb)
    if not state:
        return nb
    roots = {
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    }
    kept = _reachable(state, roots)
    while True:  # a jslink is referenced by nothing: keep it when all it links is kept
        links = {
            model
            for model, entry in state.items()
            if model not in kept
            and entry.get("model_name") in LINK_MODELS
            and (refs := _references(entry.get("state", {})))
            and refs <= kept
        }
        if not links:
            break
        kept |= _reachable(state, links)
    if kept:
        nb.metadata.widgets[WIDGET_STATE]["state"] = {m: state[m] for m in state if m in kept}
    else:
        del nb.metadata["widgets"]
    return nb


# ------------------------------------------------------------------------- exports


@dataclass(frozen=True)
class Page:
    notebook: str  # file name of the source notebook
    title: str
    path: Path  # the written page


def notebook_title(nb, fallback: str) -> str:
    """The first markdown heading of the notebook (its H1), else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback


def hidden_cells_to_notes(nb):
    """Teacher and solution cells inside a slide become speaker notes: never projected to a class.

    A cell that starts a slide or subslide keeps its type, so the deck keeps its shape.
    """
    for cell in nb.cells:
        if HIDDEN_TAGS & _tags(cell) and slide_type(cell) in {"-", "fragment"}:
            cell.metadata.setdefault("slideshow", {})["slide_type"] = "notes"
    return nb


def render_slides(nb, name: str, out_dir: Path) -> Page:
    """Write ``out_dir/<name>.slides.html`` from an executed notebook (teacher and solution cells as notes)."""
    nb = prune_widget_state(choose_widget_views(hidden_cells_to_notes(copy.deepcopy(nb))))
    title = notebook_title(nb, name)
    nb.metadata["title"] = title
    body, _ = _exporter("slides", ASSETS).from_notebook_node(
        nb, resources={"metadata": {"name": name, "path": str(out_dir)}}
    )
    path = Path(out_dir) / f"{name}.slides.html"
    path.write_text(body, encoding="utf-8")
    return Page(f"{name}.ipynb", title, path)


def render_page(nb, name: str, out_dir: Path, edition: str, assets_url: str) -> Page:
    """Write ``out_dir/<name>.html``: the student edition drops teacher and solution cells."""
    nb = copy.deepcopy(nb)
    if edition == "student":
        nb = remove_hidden_cells(nb)
    nb = prune_widget_state(choose_widget_views(nb))
    title = notebook_title(nb, name)
    nb.metadata["title"] = title
    resources = {"metadata": {"name": name, "path": str(out_dir)}, "cablelab_edition": edition}
    body, _ = _exporter("site", assets_url).from_notebook_node(nb, resources=resources)
    path = Path(out_dir) / f"{name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return Page(f"{name}.ipynb", title, path)


def write_printables(notebooks: list[Path], site_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """The pages made to be printed, with no kernel: the reader's edition of the cable and a
    worksheet per lesson (students' site), and the teacher's guide (teacher's site).

    Returns the links for each edition's index: ``{"student": [(href, title)], "teacher": [...]}``.
    """
    from cablelab import guide, reader, worksheet

    site_dir = Path(site_dir)
    (site_dir / "worksheets").mkdir(parents=True, exist_ok=True)
    (site_dir / "reader.html").write_text(reader.edition_html(standalone=True), encoding="utf-8")
    links = [("reader.html", "The reader's edition of telegram 1379 (one page, to print)")]
    for path in notebooks:
        target = site_dir / "worksheets" / f"{path.stem}.html"
        target.write_text(worksheet.worksheet_html(path), encoding="utf-8")
        links.append((f"worksheets/{target.name}", f"Worksheet: {worksheet.lesson_title(path)}"))
    (site_dir / "teacher").mkdir(parents=True, exist_ok=True)
    (site_dir / "teacher" / "guide.html").write_text(guide.guide_html(), encoding="utf-8")
    teacher = [("guide.html", "The teacher's guide (how to run a class, every lesson's plan; to print)")]
    teacher += [(f"../{href}", title) for href, title in links]
    return {"student": links, "teacher": teacher}


def write_index(pages: list[Page], out_dir: Path, edition: str, printables: list[tuple[str, str]] = ()) -> Path:
    """An accessible index page linking every lesson, then the pages to print."""
    teacher = edition == "teacher"
    heading = "cablelab lessons" + (": teacher edition" if teacher else "")
    intro = (
        "Every lesson with the teacher notes and model answers. Do not share this folder with students."
        if teacher
        else "Read the lessons in order. Each page works without a network."
    )
    items = "\n".join(
        f'    <li><a href="{html.escape(page.path.name)}">{html.escape(page.title)}</a></li>'
        for page in pages
    )
    to_print = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for href, title in printables
    )
    printed = f"<h2>To print</h2>\n<ul>\n{to_print}\n</ul>\n" if printables else ""
    body = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #1a1a1a; background: #fff; }}
a {{ color: #0b57d0; }}
li {{ margin: 0.4em 0; }}
</style>
</head>
<body>
<main>
<h1>{html.escape(heading)}</h1>
<p>{html.escape(intro)}</p>
<p>State Department telegram 1379 to Adlai Stevenson and John McCloy at the UN, 26 November 1962.</p>
<ol>
{items}
</ol>
{printed}</main>
</body>
</html>
"""
    path = Path(out_dir) / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


# ------------------------------------------------------------------ student copies

# What a student copy keeps: the notebook's kernel and language (a lesson plan, or anything a
# later tool writes into the notebook's metadata, stays in the teacher's copy), and for each
# cell its slide, its tags and how it is shown.
STUDENT_NOTEBOOK_METADATA = frozenset({"kernelspec", "language_info"})
STUDENT_CELL_METADATA = frozenset({"slideshow", "tags", "jupyter", "editable", "deletable", "collapsed", "scrolled"})


def student_copy(nb):
    """A lesson as a student receives it: no cell tagged teacher or solution (removed, not
    hidden), no outputs, execution counts or widget state, and only the metadata above."""
    import nbformat

    nb = remove_hidden_cells(copy.deepcopy(nb))
    nb.metadata = nbformat.from_dict({k: v for k, v in nb.metadata.items() if k in STUDENT_NOTEBOOK_METADATA})
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict({k: v for k, v in cell.metadata.items() if k in STUDENT_CELL_METADATA})
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def write_student_copies(notebooks: list[Path], out_dir: Path) -> list[Path]:
    """Write the student copy of each lesson into ``out_dir`` (build/student/); returns the paths.

    A lesson copy left from an earlier build whose notebook is gone (a renamed lesson) is
    removed, so the folder holds exactly the lessons to hand out. The copies run from any
    folder: they read the cable and the curated files through the installed cablelab.
    """
    import nbformat

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = {Path(path).name for path in notebooks}
    for stale in lesson_notebooks(out_dir):
        if stale.name not in names:
            stale.unlink()
    written = []
    for path in notebooks:
        nb = student_copy(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        target = out_dir / Path(path).name
        nbformat.write(nb, target)
        written.append(target)
    return written


@dataclass
class Built:
    slides: list[Page]
    student: list[Page]
    teacher: list[Page]
    executed: dict[str, object]  # notebook stem -> the executed notebook, outputs and widget state


def _execute_all(notebooks: list[Path], workers: int | None):
    workers = workers or min(len(notebooks), os.cpu_count() or 1, 4)
    if workers <= 1 or len(notebooks) <= 1:
        return [execute(path) for path in notebooks]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(execute, notebooks))


def build(
    notebooks: list[Path],
    slides_dir: Path | None = None,
    site_dir: Path | None = None,
    workers: int | None = None,
    node_modules: Path = NODE_MODULES,
) -> Built:
    """Execute each notebook once, then write the decks and/or the two editions of the site."""
    notebooks = [Path(p) for p in notebooks]
    if not notebooks:
        raise FileNotFoundError("no notebooks to export")
    for folder, kind in ((slides_dir, "slides"), (site_dir, "site")):
        if folder is not None:
            Path(folder).mkdir(parents=True, exist_ok=True)
            install_assets(Path(folder), kind, node_modules)
    executed = _execute_all(notebooks, workers)
    built = Built([], [], [], {})
    for path, nb in zip(notebooks, executed):
        name = path.stem
        built.executed[name] = nb
        if slides_dir is not None:
            built.slides.append(render_slides(nb, name, Path(slides_dir)))
        if site_dir is not None:
            built.student.append(render_page(nb, name, Path(site_dir), "student", ASSETS))
            built.teacher.append(
                render_page(nb, name, Path(site_dir) / "teacher", "teacher", f"../{ASSETS}")
            )
    if site_dir is not None:
        printables = write_printables(notebooks, Path(site_dir))
        write_index(built.student, Path(site_dir), "student", printables["student"])
        write_index(built.teacher, Path(site_dir) / "teacher", "teacher", printables["teacher"])
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cablelab.export", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["assets", "slides", "site", "student", "all"])
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of NN_*.ipynb lessons")
    parser.add_argument("--build", type=Path, default=BUILD, help="output root (default build/)")
    parser.add_argument("--workers", type=int, default=None, help="kernels run in parallel")
    args = parser.parse_args(argv)
    slides_dir, site_dir = args.build / "slides", args.build / "site"
    try:
        if args.command == "assets":
            install_assets(slides_dir, "slides")
            install_assets(site_dir, "site")
            versions = asset_versions()
            print("assets: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
            return 0
        notebooks = lesson_notebooks(args.notebooks)
        if not notebooks:
            raise FileNotFoundError(f"no NN_*.ipynb lessons in {args.notebooks}")
        copies = write_student_copies(notebooks, args.build / "student") if args.command in {"student", "all"} else []
        if args.command == "student":
            for path in copies:
                print(_shown(path, args.build))
            return 0
        built = build(
            notebooks,
            slides_dir if args.command in {"slides", "all"} else None,
            site_dir if args.command in {"site", "all"} else None,
            workers=args.workers,
        )
    except (AssetsMissing, NotebookFailed, FileNotFoundError) as err:
        print(f"cablelab.export: {err}", file=sys.stderr)
        return 2
    for path in copies + [page.path for page in built.slides + built.student + built.teacher]:
        print(_shown(path, args.build))
    return 0


def _shown(path: Path, build_dir: Path) -> Path:
    """A written file as the command prints it: relative to the build folder's parent when inside it."""
    return path.relative_to(build_dir.parent) if path.is_relative_to(build_dir.parent) else path


if __name__ == "__main__":
    sys.exit(main())
