"""The HTML templates, stylesheets and scripts of the pages cablelab writes: package files in
``cablelab/templates/``.

``export_*``: the decks, the site's pages and its index (``cablelab.export``); ``reader*``: the
reader's edition (``cablelab.reader``). They are found with ``importlib.resources`` (through
jinja2's PackageLoader), so an installed cablelab has them too.
"""

from __future__ import annotations

import functools
from importlib import resources

from jinja2 import Environment, PackageLoader


def text(name: str) -> str:
    """One of the files here, as text (a stylesheet, say)."""
    return resources.files("cablelab").joinpath("templates", name).read_text(encoding="utf-8")


def loader() -> PackageLoader:
    """A jinja2 loader for the files here (nbconvert's exporters take it as an extra loader)."""
    return PackageLoader("cablelab", "templates")


@functools.cache
def environment() -> Environment:
    """An escaping environment over the files here: every value a template shows is escaped."""
    return Environment(loader=loader(), autoescape=True, keep_trailing_newline=True)
