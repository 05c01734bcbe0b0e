"""How long reading costs: import + load against bare pandas, and documents per second.

    python benchmarks/bench_load.py

Rows (CONTRIBUTING.md): the ratio of ``python -c "import cablelab; cablelab.load()"``
to ``python -c "import pandas"`` (medians of alternating subprocess runs with bytecode
cached, as a user's Python runs; target <= 1.15); seed parse throughput, lazily and with
every frame built (target >= 1000 cables/s); and ``read_corpus`` throughput for 1, 10, 100
and 1000 copies of the seed (target >= 1000 documents/s, judged on wall-clock time; the
note gives the CPU-time rate and the machine's load). The ratio to the 1-document rate
shows whether cost grows linearly: about 1 or above when it does (above 1 because one
call's fixed cost, building nine frames, is shared by more documents), well below 1 when
each document costs more as the corpus grows. The curated registry is loaded before
timing ("cached data excluded").
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
from cablelab import schema  # noqa: E402
from cablelab.paths import builtin_cable  # noqa: E402

IMPORT_RUNS = 15
CORPUS_SIZES = (1, 10, 100, 1000)


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


def _median_rates(work, count: int, repeats: int = 5, loops: int = 1) -> tuple[float, float]:
    """(wall-clock, CPU-time) items per second: the medians of ``repeats`` timed batches, each
    ``loops`` calls of ``work`` handling ``count`` items per call."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(loops):
            work()
        walls.append(count * loops / (time.perf_counter() - wall))
        cpus.append(count * loops / (time.process_time() - cpu))
    return statistics.median(walls), statistics.median(cpus)


def seed_throughput(batch: int = 50) -> list[dict]:
    """Seed cables per second, from its bytes: parsed (frames are built on first use), and whole.

    `read()` parses the skeleton and leaves each frame to be built when first asked for;
    the second row asks for the metadata and every frame, the cost a notebook pays once.
    """
    data = builtin_cable().read_bytes()
    cablelab.load().mentions  # the curated registry, cached for the process

    def parse() -> None:
        for _ in range(batch):
            cablelab.read(data)

    def whole() -> None:
        for _ in range(batch):
            cable = cablelab.read(data)
            cable.metadata
            for name in schema.FRAMES:
                getattr(cable, name)

    rows = []
    for name, work in (("parse seed (frames on first use)", parse), ("parse seed, all frames", whole)):
        rows.append({"name": name, "value": _median_rates(work, batch)[0], "unit": "cables/s", "baseline": None,
                     "ratio": None, "target": ">= 1000 cables/s"})
    return rows


def corpus_throughput(sizes=CORPUS_SIZES) -> list[dict]:
    """read_corpus over n copies of the seed on disk, documents per second.

    Judged on wall-clock time; the note gives the rate in this process's CPU time too
    (what the code costs, without the waits of a busy shared machine) and the load.
    """
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i in range(max(sizes)):
            path = Path(folder) / f"doc{i:04d}.txt"
            path.write_bytes(builtin_cable().read_bytes())
            paths.append(path)
        cablelab.read_corpus(paths[:1])  # warm: registry and imports
        one = None
        for n in sizes:
            # Small corpora are read several times per batch: each batch is 100 documents or more.
            loops = max(1, 100 // n)
            rate, cpu = _median_rates(lambda: cablelab.read_corpus(paths[:n]), n, repeats=3, loops=loops)
            one = one or rate
            load = os.getloadavg()[0]
            rows.append({"name": f"read_corpus, {n} documents", "value": rate, "unit": "docs/s", "baseline": one,
                         "ratio": rate / one, "target": ">= 1000 docs/s",
                         "note": f"CPU time: {cpu:,.0f} docs/s; load {load:.1f} on {os.cpu_count()} CPUs"})
    # What each further document costs: the time of the largest corpus less that of one
    # document, over the documents added. A call's fixed cost (building nine frames) drops out.
    first, last = rows[0], rows[-1]
    added = max(sizes) - min(sizes)
    seconds = max(sizes) / last["value"] - min(sizes) / first["value"]
    rows.append({"name": f"read_corpus, each document added ({min(sizes)} -> {max(sizes)})", "value": added / seconds,
                 "unit": "docs/s", "baseline": None, "ratio": None, "target": ">= 1000 docs/s",
                 "note": f"a call's fixed cost: {(min(sizes) / first['value'] - min(sizes) * seconds / added) * 1e3:.1f} ms"})
    return rows


def measure() -> list[dict]:
    return [import_ratio(), *seed_throughput(), *corpus_throughput()]


if __name__ == "__main__":
    for row in measure():
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        baseline = f"{row['baseline']:.3f}" if row["baseline"] is not None else "-"
        print(f"{row['name']:<45} {row['value']:>10.3f} {row['unit']:<9} baseline {baseline:>9}  ratio {ratio:>5}  target {row['target']}")
