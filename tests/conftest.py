"""Fixtures shared by every test module.

Rules that hold across the suite:
- Tests that read ../shared skip when it is absent, except under CI (CI=true), where
  its absence is a failure.
- Browser tests skip when no Chromium is found, except under CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Flags for Debian's Chromium on this kind of machine: no sandbox as root, and no
# background connections (the network is closed; they would only fail noisily).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def need(condition: bool, reason: str) -> None:
    """Skip when `condition` is false, but fail under CI: there, nothing may be skipped."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required under CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (the seed and the corpus); skips outside CI when absent."""
    need(SHARED.is_dir(), f"{SHARED} is absent (a fresh clone has no ../shared)")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    corpus = shared_dir / "corpus"
    need(corpus.is_dir(), f"{corpus} is absent")
    return corpus


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium; skips (fails under CI) when not installed."""
    path = os.environ.get("CABLELAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    need(Path(path).exists(), "no Chromium found (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def seed_cable():
    """The built-in telegram 1379, read once for the session."""
    import cablelab

    return cablelab.load()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that a test may edit; the library reads it instead ($CABLELAB_DATA)."""
    from cablelab import curated

    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("CABLELAB_DATA", str(target))
    curated.clear_cache()
    yield target
    monkeypatch.delenv("CABLELAB_DATA")
    curated.clear_cache()
