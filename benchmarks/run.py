"""Run every benchmarks/bench_*.py and print one table (`make bench`).

    python benchmarks/run.py                 # every bench module
    python benchmarks/run.py load widgets    # only bench_load.py and bench_widgets.py
    python benchmarks/run.py --json out.json # the rows as JSON too
    python benchmarks/run.py --markdown benchmarks/RESULTS.md   # the table as a Markdown page too

Each bench module defines ``measure() -> list[dict]`` with the keys
``name, value, unit, baseline, ratio, target`` (CONTRIBUTING.md). Every module runs in
its own Python process, so one that fails to import, raises, hangs past
``$CABLELAB_BENCH_TIMEOUT`` seconds (default 1800) or dies does not stop the others:
it becomes a row of the table saying what went wrong, and the run goes on.

``target`` says what passes. Its forms:

- ``"<= 1.15"``, ``"ratio <= 1.15"``, ``"< 2x"``: the ratio is compared;
- ``">= 1000 cables/s"``, ``"value >= 1000"``, ``"<= 0.1 s"``: the value is compared
  (a unit after the number, or the word ``value``, means the value);
- a bare number: the ratio must be at most that number;
- ``None`` or ``""``: nothing to judge (shown as ``-``).

A row may carry ``passed`` (a bool, the module's own verdict, which wins over the
target) and ``note`` (a short text, shown after the verdict). A row whose ``value`` is
``None`` is reported as skipped with its note (e.g. ``make slides`` does not exist yet).
The exit status is 0 unless ``--strict`` is given and a row failed or errored.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import signal
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEYS = ("name", "value", "unit", "baseline", "ratio", "target")
TIMEOUT = float(os.environ.get("CABLELAB_BENCH_TIMEOUT", "1800"))

# Runs in the child process: import one bench module by path, call measure(), and write
# the rows as JSON on the last line of stdout (anything the module prints comes before).
_CHILD = r"""
import importlib.util, json, math, sys
path = sys.argv[1]
spec = importlib.util.spec_from_file_location("bench_under_test", path)
module = importlib.util.module_from_spec(spec)
sys.modules["bench_under_test"] = module
spec.loader.exec_module(module)
if not callable(getattr(module, "measure", None)):
    raise SystemExit("defines no measure()")
rows = module.measure()
def plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return None if math.isnan(number) else number
if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
    raise SystemExit(f"measure() returned {type(rows).__name__}, not a list of dicts")
print("\n@@ROWS@@" + json.dumps([{k: plain(v) for k, v in row.items()} for row in rows]))
"""

_TARGET = re.compile(
    r"^\s*(?P<subject>ratio|value)?\s*(?P<op><=|>=|<|>|==|≤|≥)?\s*"
    r"(?P<number>[-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?)\s*(?P<unit>.*?)\s*$",
    re.IGNORECASE,
)
_OPS = {
    "<=": lambda a, b: a <= b,
    "≤": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "≥": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}
_RATIO_UNITS = {"", "x", "×", "ratio", "times"}


def machine() -> dict:
    """Date, CPU model, cores, Python and pandas versions: what the figures depend on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pandas = subprocess.run(
            [sys.executable, "-c", "import pandas; print(pandas.__version__)"],
            capture_output=True, text=True, timeout=120,
        ).stdout.strip() or "not importable"
    except (OSError, subprocess.SubprocessError):
        pandas = "not importable"
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pandas": pandas,
        "platform": platform.platform(terse=True),
        "load": " ".join(f"{n:.1f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "?",
    }


def error_row(module: str, what: str) -> dict:
    return {"name": module, "value": None, "unit": "", "baseline": None, "ratio": None,
            "target": None, "result": "ERROR", "note": what}


def run_module(path: Path, timeout: float = TIMEOUT) -> list[dict]:
    """The rows of one bench module, or one error row saying why there are none."""
    module = path.stem
    try:
        # Its own process group, so a timeout also ends what it started (kernels, browsers).
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, cwd=HERE.parent, start_new_session=True,
        )
    except OSError as err:
        return [error_row(module, f"could not start: {err}")]
    try:
        stdout, stderr = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return [error_row(module, f"did not finish within {timeout:g} s")]
    done = subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
    marker = done.stdout.rfind("@@ROWS@@")
    if done.returncode != 0 or marker < 0:
        lines = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()]
        last = lines[-1].strip() if lines else f"exit status {done.returncode}"
        return [error_row(module, f"failed: {last}"[:200])]
    try:
        rows = json.loads(done.stdout[marker + len("@@ROWS@@"):])
    except json.JSONDecodeError as err:
        return [error_row(module, f"printed rows that are not JSON: {err}")]
    if not rows:
        return [error_row(module, "measure() returned no rows")]
    return [judge(module, row) for row in rows]


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def verdict(row: dict) -> str:
    """PASS, FAIL, SKIP or '-' (nothing to judge) for one checked row."""
    if _number(row.get("value")) is None and row.get("value") in (None, ""):
        return "SKIP"
    if isinstance(row.get("passed"), bool):
        return "PASS" if row["passed"] else "FAIL"
    target = row.get("target")
    if target is None or target == "":
        return "-"
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        ratio = _number(row.get("ratio"))
        return "-" if ratio is None else ("PASS" if ratio <= target else "FAIL")
    match = _TARGET.match(str(target))
    if not match:
        return "?"
    unit = match["unit"].strip().lower()
    subject = (match["subject"] or ("ratio" if unit in _RATIO_UNITS else "value")).lower()
    measured = _number(row.get(subject))
    if measured is None:
        return "?"
    limit = float(match["number"].replace(",", ""))
    return "PASS" if _OPS[match["op"] or "<="](measured, limit) else "FAIL"


def judge(module: str, row: dict) -> dict:
    """The row with its keys checked and its verdict in ``result``."""
    missing = [key for key in KEYS if key not in row]
    if missing:
        return error_row(f"{module}: {row.get('name', '?')}", f"row lacks {', '.join(missing)}")
    return {**row, "result": verdict(row)}


def _fmt(value) -> str:
    number = _number(value)
    if number is None:
        return "-" if value in (None, "") else str(value)
    if number == 0:
        return "0"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    if abs(number) >= 100:
        return f"{number:.1f}"
    return f"{number:.3g}"


def table(rows: list[dict], info: dict) -> str:
    """One Markdown table of every row, then the date and the machine."""
    header = ["name", "value", "unit", "baseline", "ratio", "target", "result"]
    cells = [
        [
            str(row["name"]), _fmt(row["value"]), str(row.get("unit") or ""), _fmt(row["baseline"]),
            _fmt(row["ratio"]), str(row["target"]) if row.get("target") not in (None, "") else "-",
            row["result"] + (f" ({row['note']})" if row.get("note") else ""),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]

    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths)) + " |"

    counts = {key: sum(row["result"] == key for row in rows) for key in ("PASS", "FAIL", "ERROR", "SKIP")}
    return "\n".join([
        line(header),
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        *(line(c) for c in cells),
        "",
        f"{info['date']} · {info['cpu']}, {info['cores']} cores · Python {info['python']} · "
        f"pandas {info['pandas']} · {info['platform']} · load average {info['load']} at the end",
        " · ".join(f"{n} {key.lower()}" for key, n in counts.items() if n) or "no rows",
    ])


def modules(only: list[str], folder: Path = HERE) -> list[Path]:
    """The bench modules to run, in name order; names that match no file are kept, to report."""
    if not only:
        return sorted(folder.glob("bench_*.py"))
    wanted = [name if name.startswith("bench_") else f"bench_{name}" for name in only]
    return [folder / f"{name.removesuffix('.py')}.py" for name in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help="bench topics to run (default: all)")
    parser.add_argument("--json", type=Path, help="also write the rows and the machine here")
    parser.add_argument("--markdown", type=Path, help="also write the table here, under a heading (for the README)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a row fails or errors")
    parser.add_argument("--dir", type=Path, default=HERE, help="where the bench modules are")
    args = parser.parse_args(argv)

    rows: list[dict] = []
    paths = modules(args.only, args.dir)
    for path in paths:
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        if not path.is_file():
            rows.append(error_row(path.stem, "no such bench module"))
            continue
        rows.extend(run_module(path))
    if not paths:
        rows.append(error_row("benchmarks", "no bench_*.py module found"))
    info = machine()
    printed = table(rows, info)
    print(printed)
    if args.markdown:
        args.markdown.write_text(f"# Benchmarks\n\nWhat `make bench` printed ({info['date']}):\n\n{printed}\n")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=2))
    bad = any(row["result"] in {"FAIL", "ERROR"} for row in rows)
    return 1 if args.strict and bad else 0


if __name__ == "__main__":
    sys.exit(main())
