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

This module copies the assets, chooses the widget views, renders the decks and pages and
runs the build. Beside it: ``export_notebooks`` (finding, running and trimming the
lessons), ``export_student`` (the student copies), ``export_printables`` (the pages to
print and the indexes), and the templates, CSS and script in ``templates/export_*``.
Their public names are importable from here too.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cablelab import page_templates
from cablelab.export_notebooks import (  # noqa: F401  (public here: the notebooks' helpers)
    HIDDEN_TAGS,
    NotebookFailed,
    cell_tags,
    execute,
    hidden_cells_to_notes,
    lesson_notebooks,
    notebook_title,
    remove_hidden_cells,
    slide_type,
)
from cablelab.export_printables import write_index, write_printables  # noqa: F401
from cablelab.export_student import (  # noqa: F401
    STUDENT_CELL_METADATA,
    STUDENT_NOTEBOOK_METADATA,
    student_copy,
    write_student_copies,
)

from cablelab.fallback import FALLBACK_CLASS, NO_KERNEL_NOTE as KERNEL_NOTE

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
NODE_MODULES = ROOT / "node_modules"
ASSETS = "_assets"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
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

# A deck is made for a projector: a 1280×720 frame shown at its own size on a 1280×720
# screen (no margin, so no scaling), and type readable from the back of the room: no text
# under 24 px (templates/export_slides.css; reveal's theme and nbconvert's reveal CSS come
# first, so its rules win).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
MIN_SLIDE_TEXT_PX = 24


def _exporter(kind: str, assets_url: str):
    """A SlidesExporter ('slides') or HTMLExporter ('site') whose pages load only ``assets_url``."""
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

    # templates/export_{slides,site}.html.j2, over nbconvert's reveal and lab templates.
    cls = SlidesExporter if kind == "slides" else HTMLExporter
    return cls(config=config, extra_loaders=[page_templates.loader()], template_file=f"export_{kind}.html.j2")


# ------------------------------------------------------------------ widgets in a page


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
