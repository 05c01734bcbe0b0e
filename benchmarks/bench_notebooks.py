"""How long the lesson suite takes to execute, against the floor of starting kernels.

The floor, per notebook: a fresh kernel started by nbclient, running only
``import pandas, matplotlib.pyplot, ipywidgets`` (what any lesson pays before its first
line of teaching). The suite: each lesson executed top to bottom in the same way. Both are
measured in the same run, interleaved notebook by notebook, and the medians over repeats
are summed. Target: suite / floor <= 1.5.

    python benchmarks/bench_notebooks.py            # prints the rows
    CABLELAB_BENCH_REPEATS=5 python benchmarks/bench_notebooks.py
"""

from __future__ import annotations

import compileall
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
FLOOR_SOURCE = "import pandas, matplotlib.pyplot, ipywidgets"
REPEATS = int(os.environ.get("CABLELAB_BENCH_REPEATS", "3"))
TARGET = 1.5


def _as_a_user_runs() -> None:
    """Kernels see bytecode cached, as on a user's machine.

    A machine may set PYTHONDONTWRITEBYTECODE; its kernels would then compile cablelab's
    sources at every start while the floor's packages were compiled at install time, and the
    ratio would measure the compiler (about 0.1 s a notebook here). Kernels inherit this
    process's environment, so the variable is dropped here and the package compiled once,
    as its first use on a user's machine would.
    """
    import cablelab

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(Path(cablelab.__file__).parent, quiet=1)


def execute(nb: nbformat.NotebookNode) -> float:
    """Seconds to start a kernel, run the notebook and shut the kernel down."""
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return time.perf_counter() - start


def floor_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    return nb


def measure() -> list[dict]:
    rows = []
    floors, lessons = [], []
    with tempfile.TemporaryDirectory() as answers:
        os.environ["CABLELAB_ANSWERS"] = answers
        os.environ.setdefault("CABLELAB_STUDENT", "benchmark")
        _as_a_user_runs()
        execute(floor_notebook())  # warm the file cache; not counted
        for path in LESSONS:
            lesson = nbformat.read(path, as_version=4)
            floor_times, lesson_times = [], []
            for _ in range(REPEATS):
                floor_times.append(execute(floor_notebook()))
                lesson_times.append(execute(nbformat.from_dict(lesson)))
            floor, value = statistics.median(floor_times), statistics.median(lesson_times)
            floors.append(floor)
            lessons.append(value)
            rows.append({"name": f"notebook {path.stem} execution", "value": round(value, 3), "unit": "s",
                         "baseline": round(floor, 3), "ratio": round(value / floor, 3), "target": None,
                         "note": "per notebook, for diagnosis; the suite row is judged"})
    suite, floor = sum(lessons), sum(floors)
    rows.insert(0, {"name": "lesson suite execution vs kernel-start floor", "value": round(suite, 3), "unit": "s",
                    "baseline": round(floor, 3), "ratio": round(suite / floor, 3), "target": f"<= {TARGET}",
                    "note": f"{len(LESSONS)} notebooks, median of {REPEATS} runs each; floor = kernel start + "
                            f"'{FLOOR_SOURCE}'"})
    return rows


if __name__ == "__main__":
    for row in measure():
        print(f"{row['name']:<52} {row['value']:>8.3f} {row['unit']}  floor {row['baseline']:>7.3f}  "
              f"ratio {row['ratio']:>5.2f}  target {row['target'] or '-'}", file=sys.stdout)
