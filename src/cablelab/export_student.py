"""Student copies: the lesson notebooks as handed out (``python -m cablelab.export student``).

A copy has no cell tagged teacher or solution (removed, not hidden), no outputs, execution
counts or widget state, and only the metadata that runs it.
"""

from __future__ import annotations

import copy
from pathlib import Path

from cablelab.export_notebooks import lesson_notebooks, remove_hidden_cells

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
