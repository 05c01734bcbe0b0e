"""cablelab: read a FRUS diplomatic document into tidy pandas frames, and teach with it.

    import cablelab
    cable = cablelab.load()          # the built-in telegram 1379 of 26 November 1962
    cable.points                     # the lettered points, with whom each speaks for
    cablelab.charts.structure(cable) # submodules load on first use, no import needed

Only pandas-level modules are imported here; matplotlib and ipywidgets load when
``cablelab.charts``, ``cablelab.widgets`` or ``cablelab.exercises`` is first used
(a module ``__getattr__``, PEP 562).
"""

import importlib

from cablelab.actors import actors
from cablelab.cable import Cable, load, read, read_corpus
from cablelab.errors import CableFormatError
from cablelab.glossary import expand, glossary

__all__ = ["Cable", "CableFormatError", "actors", "expand", "glossary", "load", "read", "read_corpus"]
__version__ = "0.1.0"

#: Submodules reachable as attributes of the package, imported the first time one is asked for.
LAZY_SUBMODULES = ("answers", "charts", "claims", "curated", "exercises", "export", "reader", "report", "widgets")


def __getattr__(name: str):
    if name in LAZY_SUBMODULES:
        module = importlib.import_module(f"cablelab.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'cablelab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *LAZY_SUBMODULES})
