"""Where the built-in cable and the curated teaching files live."""

from __future__ import annotations

import functools
import os
from pathlib import Path


def data_dir() -> Path:
    """The folder of curated files: $CABLELAB_DATA, else the repository's data/."""
    override = os.environ.get("CABLELAB_DATA")
    return Path(override) if override else _repository_data()


@functools.cache
def _repository_data() -> Path:
    # Resolving __file__ costs system calls; the package does not move while it runs.
    return Path(__file__).resolve().parents[2] / "data"


def builtin_cable() -> Path:
    """The suite's built-in document, telegram 1379."""
    return data_dir() / "telegram_1379.txt"
