"""What reading costs a user: start-up, and a FRUS volume's worth of documents.

    python benchmarks/bench_load.py

Rows (CONTRIBUTING.md):
- ``python -c "import cablelab; cablelab.load()"`` against ``python -c "import pandas"``
  (medians of alternating subprocess runs with bytecode cached, as a user's Python runs;
  target <= 1.15);
- ``read_corpus`` over 700 documents (about one FRUS volume), in seconds (target <= 3 s);
- linear growth: the time for 700 documents against ten times the time for 70 (ratio
  about 1 when each document costs the same however many there are; target <= 1.25).
The curated registry is loaded before timing ("cached data excluded").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import cablelab  # noqa: E402
from cablelab.paths import builtin_cable  # noqa: E402

IMPORT_RUNS = 15
VOLUME = 700


# As a user's Python runs: bytecode is cached (a machine may set PYTHONDONTWRITEBYTECODE,
# which would make every run compile cablelab's sources while pandas' bytecode was cached
# at install time, and the ratio would measure the compiler).
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _run_seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=_ENV)
    return time.perf_counter() - started


def import_ratio(runs: int = IMPORT_RUNS) -> dict:
    """Median wall time of import + load over median of a bare pandas import."""
    _run_seconds("import cablelab; cablelab.load()")  # writes the bytecode cache, as a first use does
    baseline, value = [], []
    for _ in range(runs):  # alternate, so that drift in machine load hits both alike
        baseline.append(_run_seconds("import pandas"))
        value.append(_run_seconds("import cablelab; cablelab.load()"))
    base, mine = statistics.median(baseline), statistics.median(value)
    return {"name": "import cablelab + load() vs import pandas", "value": mine, "unit": "s", "baseline": base,
            "ratio": mine / base, "target": "<= 1.15"}


def _median_seconds(work, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def volume(size: int = VOLUME) -> list[dict]:
    """read_corpus over ``size`` copies of the seed on disk: seconds, and growth against a tenth of it."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(size):
            path = Path(folder) / f"doc{i:04d}.txt"
            path.write_bytes(builtin_cable().read_bytes())
            paths.append(path)
        cablelab.read_corpus(paths[:1])  # warm: registry and imports
        whole = _median_seconds(lambda: cablelab.read_corpus(paths))
        tenth = _median_seconds(lambda: cablelab.read_corpus(paths[: size // 10]))
    note = f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    return [
        {"name": f"read_corpus, {size} documents (a FRUS volume)", "value": whole, "unit": "s", "baseline": None,
         "ratio": None, "target": "<= 3 s", "note": note},
        {"name": f"read_corpus growth, {size} vs 10 x {size // 10} documents", "value": whole, "unit": "s",
         "baseline": 10 * tenth, "ratio": whole / (10 * tenth), "target": "<= 1.25", "note": note},
    ]


def measure() -> list[dict]:
    return [import_ratio(), *volume()]


if __name__ == "__main__":
    for row in measure():
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        baseline = f"{row['baseline']:.3f}" if row["baseline"] is not None else "-"
        print(f"{row['name']:<45} {row['value']:>10.3f} {row['unit']:<9} baseline {baseline:>9}  ratio {ratio:>5}  target {row['target']}")
