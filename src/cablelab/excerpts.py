"""Readers' excerpts of the Kennedy–Khrushchev letters: modified documents, never retyped text.

    cablelab.excerpts.show("d79")        # headnote, words to know, the passages, the full text one click away
    cablelab.excerpts.reader()           # every letter's excerpt, chosen from a menu (works with no kernel)

Each excerpt is curated in ``data/excerpts.yaml`` as passage ranges over the letter's full
text (a ``from`` phrase and a ``to`` phrase, or one ``quote``), with a headnote (who wrote
it, to whom, when, how it travelled, why) and a short vocabulary box. The passages are cut
from the text ``cablelab.load(id)`` reads, so every word shown is the document's own: a
phrase that is not in the letter, or is there twice, stops the load with the file's line.
Omissions are marked: "…" where a passage begins or ends inside a paragraph, "[…]" where
whole paragraphs are left out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import yaml

from cablelab import companions
from cablelab.cable import load
from cablelab.errors import CableFormatError
from cablelab.paths import data_dir
from cablelab.text import strip_markers

FILE = "excerpts.yaml"
#: How long a reader's excerpt may be, in words (a test holds every excerpt to it).
WORDS = (150, 350)
OMITTED = "[…]"
ELLIPSIS = "…"
_KEYS = {"document", "title", "headnote", "source", "vocabulary", "passages"}
_PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Passage:
    """A stretch of a letter: its text (paragraph breaks kept) and where it lies in the full text."""

    text: str
    start: int
    end: int
    opens_inside: bool  # begins inside a paragraph: shown after "…"
    closes_inside: bool  # ends inside a paragraph: shown before "…"


@dataclass(frozen=True)
class Excerpt:
    """One letter's excerpt as curated in data/excerpts.yaml (``line``: where its entry starts)."""

    document: str
    title: str
    headnote: str
    source: str
    vocabulary: tuple[tuple[str, str], ...]
    passages: tuple[Passage, ...]
    line: int

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.passages)

    def joins(self) -> list[str]:
        """How each passage after the first follows the one before: 'same' (later in the same
        paragraph), 'next' (in the next paragraph) or 'gap' (whole paragraphs left out between)."""
        full = full_text(self.document)
        kinds = []
        for a, b in zip(self.passages, self.passages[1:]):
            breaks = full[a.end:b.start].count(_PARAGRAPH_BREAK)
            kinds.append("same" if breaks == 0 else "next" if breaks == 1 else "gap")
        return kinds


# --- the letters' text ---------------------------------------------------------------------------


@functools.cache
def _paragraphs(document: str, where: Path) -> tuple[str, ...]:
    cable = load(document)
    return tuple(" ".join(strip_markers(text).split()) for text in cable.paragraphs["text"])


def paragraphs(document: str) -> tuple[str, ...]:
    """A built-in document's body paragraphs as read, footnote markers taken out: the text
    excerpts and the corroboration table quote."""
    return _paragraphs(document, data_dir().resolve())


def full_text(document: str) -> str:
    """The paragraphs joined by a blank line: what passage ranges are found in."""
    return _PARAGRAPH_BREAK.join(paragraphs(document))


def occurrences(text: str, phrase: str) -> list[int]:
    """Every offset where ``phrase`` occurs in ``text`` (overlapping ones too)."""
    found, at = [], text.find(phrase)
    while at >= 0 and phrase:
        found.append(at)
        at = text.find(phrase, at + 1)
    return found


def find_passage(document: str, start: str, end: str | None = None) -> Passage:
    """The passage from the phrase ``start`` through the first ``end`` after it (``end`` None:
    ``start`` is the whole passage). ValueError says which phrase is missing or ambiguous."""
    full = full_text(document)
    where = occurrences(full, start)
    if len(where) != 1:
        raise ValueError(f"{'is not in' if not where else f'occurs {len(where)} times in'} "
                         f"{companions.short_name(document)}: {start!r}"
                         + ("" if not where else " (quote more words to make it unique)"))
    first = where[0]
    if end is None:
        last = first + len(start)
    else:
        after = full.find(end, first)
        if after < 0:
            raise ValueError(f"is not in {companions.short_name(document)} after the start phrase: {end!r}")
        last = after + len(end)
    return Passage(
        text=full[first:last],
        start=first,
        end=last,
        opens_inside=first > 0 and not full[:first].endswith(_PARAGRAPH_BREAK),
        closes_inside=last < len(full) and not full[last:].startswith(_PARAGRAPH_BREAK),
    )


# --- data/excerpts.yaml --------------------------------------------------------------------------


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader (libyaml's where installed) that notes the line (1-based) where each mapping
    starts, as '__line__'."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def _fail(message: str, line: int | None) -> None:
    raise CableFormatError(message, line=line, source=FILE)


def _text(entry: dict, key: str, what: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(f"{what}: '{key}' is missing or empty", entry.get("__line__"))
    return " ".join(value.split())


def _parse(entry: object, known: list[str]) -> Excerpt:
    if not isinstance(entry, dict):
        _fail("each excerpt is a mapping with document, title, headnote, source, vocabulary, passages", None)
    line = entry["__line__"]
    document = entry.get("document")
    if document not in known[1:]:
        _fail(f"document {document!r} is not one of the letters: {', '.join(known[1:])}", line)
    what = f"excerpt of {document}"
    unknown = set(entry) - _KEYS - {"__line__"}
    if unknown:
        _fail(f"{what}: unknown key(s) {', '.join(sorted(unknown))} (expected: {', '.join(sorted(_KEYS))})", line)
    words = entry.get("vocabulary") or []
    if not isinstance(words, list) or not words:
        _fail(f"{what}: 'vocabulary' needs at least one {{term, meaning}}", line)
    vocabulary = tuple((_text(w, "term", what), _text(w, "meaning", what)) for w in words)
    raw = entry.get("passages") or []
    if not isinstance(raw, list) or not raw:
        _fail(f"{what}: 'passages' needs at least one passage", line)
    passages = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not ({"from", "quote"} & set(item)):
            _fail(f"{what}: passage {n} needs 'from' and 'to' phrases, or a 'quote'",
                  item.get("__line__", line) if isinstance(item, dict) else line)
        try:
            if "quote" in item:
                passages.append(find_passage(document, item["quote"]))
            else:
                passages.append(find_passage(document, item["from"], item.get("to")))
        except ValueError as err:
            _fail(f"{what}: passage {n}: the phrase {err}", item["__line__"])
        if len(passages) > 1 and passages[-1].start < passages[-2].end:
            _fail(f"{what}: passage {n} begins before passage {n - 1} ends; keep passages in reading order", item["__line__"])
    return Excerpt(document, _text(entry, "title", what), _text(entry, "headnote", what), _text(entry, "source", what),
                   vocabulary, tuple(passages), line)


@functools.cache
def _excerpts(path: Path) -> dict[str, Excerpt]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (a SafeLoader)
    except FileNotFoundError:
        raise CableFormatError("curated file not found", source=str(path)) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        _fail(f"not valid YAML ({getattr(err, 'problem', err)})", mark.line + 1 if mark else None)
    entries = raw.get("excerpts") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        _fail("expected a top-level 'excerpts:' list", 1)
    known = companions.ids()
    found: dict[str, Excerpt] = {}
    for entry in entries:
        excerpt = _parse(entry, known)
        if excerpt.document in found:
            _fail(f"{excerpt.document} has a second excerpt (the first is on line {found[excerpt.document].line})", excerpt.line)
        found[excerpt.document] = excerpt
    return found


def excerpts() -> dict[str, Excerpt]:
    """Every curated excerpt by document id, validated (CableFormatError names the line)."""
    return _excerpts((data_dir() / FILE).resolve())


def excerpt(document: str) -> Excerpt:
    """One letter's excerpt; KeyError names the letters that have one."""
    found = excerpts()
    if document not in found:
        raise KeyError(f"no excerpt of {document!r}; excerpts exist for {', '.join(found)}")
    return found[document]


# --- as HTML -----------------------------------------------------------------------------------

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_TEMPLATE = _ENV.from_string("""\
<article class="cablelab-excerpt" style="max-width:52em;line-height:1.45">
{% if note %}<p><em>{{ note }}</em></p>{% endif %}
<h4 style="margin:0.2em 0">{{ e.title }}</h4>
<p><strong>About this document.</strong> {{ e.headnote }} <small>(Sources: {{ e.source }})</small></p>
<aside aria-label="Words to know" style="border:1px solid #bbb;padding:4px 10px;margin:6px 0">
<strong>Words to know</strong>
<dl style="margin:4px 0">
{% for term, meaning in e.vocabulary %}<dt style="font-weight:bold">{{ term }}</dt><dd style="margin:0 0 4px 1.5em">{{ meaning }}</dd>
{% endfor %}
</dl></aside>
<blockquote style="border-left:4px solid #5f9ed1;margin:8px 0;padding:2px 12px">
{% for block in blocks %}<p{% if block.omitted %} style="text-align:center" aria-label="paragraphs left out"{% endif %}>{{ block.text }}</p>
{% endfor %}
</blockquote>
<p><small>{{ cite }}: an excerpt of {{ e.words }} of the letter's {{ total }} words; "…" and "[…]" mark what is left out.
<a href="{{ url }}" target="_blank" rel="noopener">Read it on history.state.gov</a>.</small></p>
<details><summary>Full text in the suite: {{ cite }}</summary>
{% for paragraph in full %}<p>{{ paragraph }}</p>
{% endfor %}
{% if notes %}<p><strong>Notes</strong></p><ol start="0" class="cx-notes">
{% for number, text in notes %}<li value="{{ number }}">{{ text }}</li>
{% endfor %}</ol>{% endif %}
</details>
</article>""")


def blocks(e: Excerpt) -> list[dict]:
    """What the excerpt shows, paragraph by paragraph: passage text with "…" where it is cut
    inside a paragraph, and "[…]" for whole paragraphs left out between passages."""
    shown: list[dict] = []
    for passage, join in zip(e.passages, ["first", *e.joins()]):
        parts = passage.text.split(_PARAGRAPH_BREAK)
        if passage.opens_inside and join != "same":
            parts[0] = f"{ELLIPSIS} {parts[0]}"
        if passage.closes_inside:
            parts[-1] = f"{parts[-1]} {ELLIPSIS}"
        if join == "gap":
            shown.append({"text": OMITTED, "omitted": True})
        if join == "same":  # later in the paragraph the last passage ended in (which ends in "…")
            shown[-1]["text"] = f"{shown[-1]['text']} {parts.pop(0)}"
        shown.extend({"text": part, "omitted": False} for part in parts)
    return shown


def html(document: str, cable=None) -> markupsafe.Markup:
    """The excerpt as HTML: headnote, words to know, the passages, a link online and the full
    text in a ``<details>`` (one click away, no kernel needed). Every text is escaped.

    ``cable``: the lesson's document; when it is not telegram 1379, a sentence says that these
    letters are the correspondence telegram 1379 names, read here as background.
    """
    e = excerpt(document)
    row = companions.manifest().set_index("id").loc[document]
    return markupsafe.Markup(_TEMPLATE.render(
        e=e, blocks=blocks(e), note=background_note(cable), cite=companions.short_name(document),
        url=row["url"], total=sum(len(p.split()) for p in paragraphs(document)),
        full=paragraphs(document), notes=notes(document),
    ))


def notes(document: str) -> list[tuple[int, str]]:
    """A letter's notes as printed: (0, 'Source: ...') first, then (n, text)."""
    return list(_notes(document, data_dir().resolve()))


@functools.cache
def _notes(document: str, where: Path) -> tuple[tuple[int, str], ...]:
    read = load(document).footnotes
    return tuple((int(n), f"Source: {t}" if n == 0 else t) for n, t in zip(read["number"], read["text"]))


def background_note(cable) -> str:
    """'' for telegram 1379 (or no document); else the sentence saying whose companions these are."""
    from cablelab import curated

    if curated.applies_to(cable):
        return ""
    return ("These letters are the Kennedy-Khrushchev correspondence that telegram 1379 names; the loaded "
            "document is another one, so read them here as background: the lesson's pairings belong to telegram 1379.")


class Shown:
    """A notebook display of HTML (no kernel needed to read it): ``_repr_html_`` and ``.html``."""

    def __init__(self, markup: str) -> None:
        self.html = str(markup)

    def _repr_html_(self) -> str:
        return self.html


def show(document: str, cable=None) -> Shown:
    """Display one letter's excerpt in a notebook (see ``html``)."""
    return Shown(html(document, cable))


def reader(documents: list[str] | None = None, cable=None):
    """A widget: choose a letter, read its excerpt. A Dropdown jslinked to a Stack of the
    excerpts' HTML, so the choice keeps working in exported slides and pages with no kernel.
    Parts: ``choice``, ``stack``, ``link``."""
    import ipywidgets as widgets

    from cablelab.widgets import dropdown, panel

    chosen = documents or list(excerpts())
    options = [(f"{companions.short_name(d)}: {excerpt(d).title}", i) for i, d in enumerate(chosen)]
    stack = widgets.Stack([widgets.HTML(str(html(d, cable))) for d in chosen], selected_index=0)
    choice = dropdown("Letter:", options, index=0, layout=widgets.Layout(width="46em", max_width="100%"))
    link = widgets.jslink((choice, "index"), (stack, "selected_index"))
    choice.observe(lambda change: setattr(stack, "selected_index", change["new"]), names="index")
    return panel("The letters, in excerpts", "Choose a letter to read its excerpt; the full text opens under it.",
                 choice, stack, choice=choice, stack=stack, link=link)


def _forget() -> None:
    _excerpts.cache_clear()
    _paragraphs.cache_clear()
    _notes.cache_clear()


def _register() -> None:
    from cablelab import curated

    curated.on_clear(_forget)  # curated.clear_cache() makes an edited excerpts.yaml visible


_register()
