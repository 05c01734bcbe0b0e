"""Where the built-in cable and the curated teaching files live.

In a checkout they are the repository's ``data/``, the one copy a teacher edits. An
installed package (a wheel, or ``pip install git+…``) carries the same files inside it,
as ``cablelab/data/`` (pyproject.toml maps the package ``cablelab.data`` onto ``data/``),
and finds them with ``importlib.resources``.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path


def data_dir() -> Path:
    """The folder of curated files: $CABLELAB_DATA, else the installed package's data, else the checkout's data/."""
    override = os.environ.get("CABLELAB_DATA")
    return Path(override) if override else _default_data()


@functools.cache
def _default_data() -> Path:
    installed = Path(str(resources.files("cablelab"))) / "data"
    if (installed / "telegram_1379.txt").is_file():
        return installed
    return Path(__file__).resolve().parents[2] / "data"


def builtin_cable() -> Path:
    """The suite's built-in document, telegram 1379."""
    return data_dir() / "telegram_1379.txt"
