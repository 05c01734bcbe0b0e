"""benchmarks/run.py: one table, whatever the bench modules do."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


GOOD = '''
def measure():
    return [
        dict(name="import ratio", value=0.5, unit="s", baseline=0.45, ratio=0.5 / 0.45, target="<= 1.15"),
        dict(name="throughput", value=2500.0, unit="cables/s", baseline=None, ratio=None, target=">= 1,000 cables/s"),
        dict(name="too slow", value=3.0, unit="s", baseline=1.0, ratio=3.0, target=2),
        dict(name="not yet", value=None, unit="s", baseline=None, ratio=None, target=None, note="no make slides"),
    ]
'''

BROKEN = {
    "bench_badimport.py": ('raise ImportError("boom")', "ImportError: boom"),
    "bench_raises.py": ("def measure():\n    return 1 / 0", "ZeroDivisionError"),
    "bench_nomeasure.py": ("x = 1", "defines no measure()"),
    "bench_notalist.py": ("def measure():\n    return 5", "returned int"),
    "bench_dies.py": ("import os\ndef measure():\n    os._exit(3)", "exit status 3"),
    "bench_badrow.py": ("def measure():\n    return [dict(name='half', value=1)]", "row lacks unit"),
}


def test_every_row_is_judged_against_its_target(run, tmp_path):
    (tmp_path / "bench_good.py").write_text(GOOD)
    rows = {row["name"]: row for row in run.run_module(tmp_path / "bench_good.py")}
    assert {name: row["result"] for name, row in rows.items()} == {
        "import ratio": "PASS", "throughput": "PASS", "too slow": "FAIL", "not yet": "SKIP",
    }


@pytest.mark.parametrize("filename", BROKEN)
def test_a_broken_bench_module_becomes_an_error_row_saying_why(run, tmp_path, filename):
    source, why = BROKEN[filename]
    (tmp_path / filename).write_text(source)
    [row] = run.run_module(tmp_path / filename)
    assert row["result"] == "ERROR"
    assert why in row["note"]


def test_a_bench_module_that_hangs_is_stopped_and_reported(run, tmp_path):
    (tmp_path / "bench_hangs.py").write_text("import threading\ndef measure():\n    threading.Event().wait()")
    [row] = run.run_module(tmp_path / "bench_hangs.py", timeout=3)
    assert row["result"] == "ERROR" and "did not finish within 3 s" in row["note"]


def test_the_table_has_every_row_the_date_and_the_machine(run, tmp_path, capsys):
    (tmp_path / "bench_good.py").write_text(GOOD)
    (tmp_path / "bench_raises.py").write_text(BROKEN["bench_raises.py"][0])
    assert run.main(["--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    header = [cell.strip() for cell in out.splitlines()[0].strip("|").split("|")]
    assert header == ["name", "value", "unit", "baseline", "ratio", "target", "result"]
    for text in ("import ratio", "throughput", "bench_raises", "ERROR", "SKIP (no make slides)", "Python ", "pandas ", "cores"):
        assert text in out
    assert "2 pass · 1 fail · 1 error · 1 skip" in out


def test_strict_mode_fails_the_run_when_a_row_fails(run, tmp_path, capsys):
    (tmp_path / "bench_good.py").write_text(GOOD)
    assert run.main(["--dir", str(tmp_path), "--strict"]) == 1
    assert run.main(["--dir", str(tmp_path), "nothere"]) == 0
    assert "no such bench module" in capsys.readouterr().out
