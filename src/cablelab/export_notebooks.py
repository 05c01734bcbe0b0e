"""The lessons as notebooks, for ``cablelab.export``: finding them, running them, and the
cells a page or a student copy keeps.

A cell tagged ``teacher`` or ``solution`` is for the teacher: a student's page and copy drop
it entirely, a deck turns it into speaker notes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

HIDDEN_TAGS = frozenset({"teacher", "solution"})


class NotebookFailed(RuntimeError):
    """A notebook raised while executing; the message names it and the failing cell."""


def lesson_notebooks(folder: Path) -> list[Path]:
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


def cell_tags(cell) -> set[str]:
    """A cell's tags."""
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell) -> str:
    """A cell's slide type ('slide', 'subslide', 'fragment', 'notes', 'skip'), '-' when none."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def remove_hidden_cells(nb, tags: Iterable[str] = HIDDEN_TAGS):
    """Drop every cell tagged teacher or solution, entirely (TagRemovePreprocessor)."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    remover = TagRemovePreprocessor(remove_cell_tags=set(tags), enabled=True)
    nb, _ = remover.preprocess(nb, {})
    return nb


def hidden_cells_to_notes(nb):
    """Teacher and solution cells inside a slide become speaker notes: never projected to a class.

    A cell that starts a slide or subslide keeps its type, so the deck keeps its shape.
    """
    for cell in nb.cells:
        if HIDDEN_TAGS & cell_tags(cell) and slide_type(cell) in {"-", "fragment"}:
            cell.metadata.setdefault("slideshow", {})["slide_type"] = "notes"
    return nb


def notebook_title(nb, fallback: str) -> str:
    """The first markdown heading of the notebook (its H1), else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback
