"""cablelab: read a FRUS diplomatic document into tidy pandas frames, and teach with it.

    import cablelab
    cable = cablelab.load()          # the built-in telegram 1379 of 26 November 1962
    cable.points                     # the lettered points, with whom each speaks for

Only pandas-level modules are imported here; matplotlib and ipywidgets load when
``cablelab.charts`` or ``cablelab.widgets`` is first used.
"""

from cablelab.actors import actors
from cablelab.cable import Cable, load, read, read_corpus
from cablelab.errors import CableFormatError
from cablelab.glossary import expand, glossary

__all__ = ["Cable", "CableFormatError", "actors", "expand", "glossary", "load", "read", "read_corpus"]
__version__ = "0.1.0"
