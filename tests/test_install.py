"""The package works installed: a wheel carries the cable and the curated files.

Builds the wheel, installs it into a fresh virtual environment outside the checkout (its
dependencies are taken from the running environment, so nothing is downloaded), and uses it
from another folder, as a classroom server or a JupyterHub image would.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with only the built wheel in it; returns its python."""
    work = tmp_path_factory.mktemp("installed")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "dist"), str(ROOT)], check=True, capture_output=True, text=True)
    wheel = next((work / "dist").glob("cablelab-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, text=True)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # Dependencies (pandas, ipywidgets, ...) from the running environment; its .pth files
    # (the checkout's editable install among them) are not processed from a path line.
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _run(python: Path, code: str, cwd: Path) -> str:
    done = subprocess.run([str(python), "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_installed_package_loads_the_cable_actors_and_a_self_check_from_its_own_data(installed, tmp_path):
    out = _run(installed, """
        import cablelab
        from cablelab import exercises, paths
        assert "site-packages" in cablelab.__file__, cablelab.__file__
        assert "site-packages" in str(paths.data_dir()), paths.data_dir()
        cable = cablelab.load()
        print(cable.metadata["number"], len(cable.points), len(cablelab.actors()))
        q = exercises.question("01-urtel")
        print(q.kind, len(exercises.load_bank()) > 30)
        """, tmp_path)
    number, points, actors, kind, many = out.split()
    assert number == "1379" and int(points) == 10 and int(actors) > 20 and many == "True"


def test_the_installed_command_line_prints_the_summary(installed, tmp_path):
    done = subprocess.run([str(installed), "-m", "cablelab", "summary"], cwd=tmp_path, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "1379" in done.stdout and "Stevenson" in done.stdout
