"""`make slides` time against executing the same notebooks with nbclient alone.

Why that baseline: building the slides has to run every lesson (its charts and widgets are
outputs), so executing the same notebooks with nbclient alone (same kernel, widget state
stored, as many notebooks at once as the export runs: min(notebooks, cores, 4)), in the
same run, is the floor `make slides` cannot go below. The ratio is what the export adds on
top of that floor (process start, conversion, templating, writing files, make's own
checks); a target of 1.5 says the export may cost at most half as much again as running
the lessons.

    python benchmarks/bench_slides.py        # runs alone, prints its rows

Medians over REPEATS interleaved runs, after one untimed run of each (which also brings the venv
stamp up to date, so pip never runs inside a timed `make slides`).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
REPEATS = 3
TARGET = "<= 1.5"


def has_slides_target() -> bool:
    makefile = ROOT / "Makefile"
    return makefile.is_file() and re.search(r"^slides\s*:", makefile.read_text(), re.MULTILINE) is not None


def lessons() -> list[Path]:
    """The lesson notebooks the slides are made from (the Voila app is not a lesson)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def make_slides() -> float:
    started = time.perf_counter()
    subprocess.run(["make", "-s", "slides"], cwd=ROOT, check=True, capture_output=True, timeout=1800)
    return time.perf_counter() - started


def _execute_one(path: Path) -> None:
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()


def execute_with_nbclient(paths: list[Path]) -> float:
    """Seconds to execute every notebook with nbclient, as many at once as the export runs."""
    workers = min(len(paths), os.cpu_count() or 1, 4)
    started = time.perf_counter()
    if workers <= 1:
        for path in paths:
            _execute_one(path)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_execute_one, paths))
    return time.perf_counter() - started


def skipped(why: str) -> list[dict]:
    return [dict(name="make slides", value=None, unit="s", baseline=None, ratio=None, target=TARGET, note=why)]


def measure() -> list[dict]:
    if not has_slides_target():
        return skipped("skipped: the Makefile has no `slides` target yet")
    paths = lessons()
    if not paths:
        return skipped("skipped: no lesson notebooks in notebooks/")
    make_slides()
    execute_with_nbclient(paths)
    runs = [(make_slides(), execute_with_nbclient(paths)) for _ in range(REPEATS)]  # interleaved against drift
    slides = statistics.median(run[0] for run in runs)
    floor = statistics.median(run[1] for run in runs)
    return [
        dict(name=f"make slides ({len(paths)} notebooks)", value=slides, unit="s", baseline=floor,
             ratio=slides / floor, target=TARGET, note="baseline: nbclient alone running the same notebooks"),
    ]


if __name__ == "__main__":
    for row in measure():
        print(row)
    sys.exit(0)
