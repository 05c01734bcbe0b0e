"""Widgets for the lessons: functions returning ipywidgets, their parts as attributes.

Each widget is a :class:`Panel` (a VBox) with a visible heading, a one-sentence instruction,
labelled controls and HTML views; tests set a control's ``.value`` and read the views' values.
Charts are redrawn as HTML (``<figure>``, an SVG ``<img alt>``, ``<figcaption>``, and the
description and data in ``<details>``, from ``charts.to_html``), never through
``with output:``, and their Figures are not kept, so changing a widget neither leaks figures
nor duplicates plots.

HTML is built with markupsafe templates (:func:`fill`): every piece of document or curated text
is escaped as it goes in, so a cable containing ``<script>`` shows it as text. The tables the
views list come from :mod:`cablelab.tables`, the same tables the charts draw.

Without a widget renderer (a static page, jupyterlab-rise) a Panel still shows: its display
bundle carries a ``text/html`` copy of the current view next to the widget view (see
``Panel._repr_mimebundle_`` and :func:`display_with_fallback`). :func:`static_explorer` builds
a kernel-free explorer whose choices keep working in exported HTML.
"""

from __future__ import annotations

import base64
import functools
from typing import Callable

import ipywidgets as widgets
import pandas as pd
from ipywidgets.widgets.widget_string import HTMLStyle
from markupsafe import Markup

from cablelab import charts, curated
from cablelab.actors import actors as actor_registry
from cablelab.fallback import FALLBACK_CLASS, NO_KERNEL_NOTE
from cablelab.glossary import find_terms, glossary
from cablelab.tables import (  # noqa: F401  (widgets.abbreviations, widgets.points_table: the lessons' names)
    ABBREVIATION_COLUMNS, TEXT_SECTIONS, THIS_CABLE, abbreviations, block_label, context_events, doc_name, points_table,
    short, timeline_rows)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LABEL_STYLE = {"description_width": "initial"}
ALL = "All"


def fill(template: str, *args, **kwargs) -> Markup:
    """HTML from a template, every argument escaped unless it is already Markup (a fragment built here)."""
    return Markup(template).format(*args, **kwargs)


def joined(fragments) -> Markup:
    """Fragments of HTML (each escaped unless already Markup) one after another."""
    return Markup("").join(fragments)


class Panel(widgets.VBox):
    """A VBox that also displays, for renderers without widgets, an HTML copy of its current view."""

    def view_html(self) -> str:
        """The current view as plain HTML: heading, instruction and the views, no controls."""
        return str(joined(Markup(view_of_child(child)) for child in self.children))

    def fallback_html(self) -> str:
        """The current view as HTML, under a one-line note saying it needs a kernel to change."""
        return str(fill('<div class="{}"><p><em>{}</em></p>{}</div>', FALLBACK_CLASS, NO_KERNEL_NOTE,
                        Markup(self.view_html())))

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.fallback_html()
        bundle["text/plain"] = NO_KERNEL_NOTE
        return bundle


def selected_child(container) -> widgets.Widget | None:
    """The shown child of a Tab or Stack."""
    return container.children[container.selected_index or 0] if container.children else None


# What each kind of child contributes to a Panel's HTML copy; controls contribute nothing.
CHILD_VIEWS: list[tuple[type, Callable[[widgets.Widget], str]]] = [
    (Panel, lambda child: child.view_html()),
    (widgets.HTML, lambda child: child.value),
    (widgets.Tab, lambda child: view_of_child(selected_child(child))),
    (widgets.Stack, lambda child: view_of_child(selected_child(child))),
]


def view_of_child(child) -> str:
    """A child's contribution to the HTML copy of a Panel."""
    return next((view(child) for kind, view in CHILD_VIEWS if isinstance(child, kind)), "")


def panel(title: str, instruction: str, *children: widgets.Widget, **parts) -> Panel:
    """A Panel: an H3 title, a one-sentence instruction, then the children; ``parts`` become attributes."""
    header = widgets.HTML(str(fill("<h3>{}</h3><p>{}</p>", title, instruction)))
    box = Panel([header, *children])
    box.header = header
    for name, part in parts.items():
        setattr(box, name, part)
    return box


def chart_html(fig) -> str:
    """A chart as HTML (SVG image) with its alt text, caption, description and data.

    Nothing keeps the Figure (it was never registered with pyplot), so it is freed once drawn.
    """
    return charts.to_html(fig)


def dropdown(label: str, options, **kwargs) -> widgets.Dropdown:
    """A Dropdown whose label is always fully visible."""
    return widgets.Dropdown(options=options, description=label, style=LABEL_STYLE, **kwargs)


def on_change(redraw: Callable[[], None], *controls: widgets.Widget) -> None:
    """Call ``redraw`` now and whenever any control's value changes."""
    for control in controls:
        control.observe(lambda _change: redraw(), names="value")
    redraw()


def missing_html(sentence: str) -> str:
    """A view that says, in a sentence, what is missing."""
    return str(fill("<p><em>{}</em></p>", sentence))


# --- paragraph reader --------------------------------------------------------------------------


def block_options(cable) -> list[tuple[str, int]]:
    """Dropdown options for every block: ('¶1 — We understand from reftels…', block id)."""
    return [(f"{block_label(row)} — {short(row['text'], 48)}", int(row["block"]))
            for _, row in cable.blocks.iterrows()]


MARKED_TERM = ('<mark title="{expansion}"><abbr title="{expansion}">{surface}</abbr></mark>'
               ' <span class="expansion">[{expansion}]</span>')


def marked_terms(text: str) -> str:
    """Text as HTML, each telegraphese term highlighted, its expansion after it and on hover."""
    pieces, last = [], 0
    for term in sorted(find_terms(text), key=lambda t: t["start"]):
        if term["start"] < last:
            continue
        pieces += [text[last:term["start"]], fill(MARKED_TERM, expansion=str(term["expansion"]),
                                                  surface=term["surface"])]
        last = term["end"]
    return str(joined([*pieces, text[last:]]))


def glossary_notes(text: str) -> str:
    """A definition list of the telegraphese terms in a text, with the glossary's explanation."""
    found = list({t["term"]: t for t in find_terms(text)}.values())
    if not found:
        return "<p>No telegraphese abbreviations in this block.</p>"
    details = glossary_details()
    items = joined(fill("<dt><strong>{}</strong></dt><dd>{}{}</dd>", t["surface"], str(t["expansion"]),
                        Markup(details.get(t["term"], ""))) for t in found)
    return str(fill("<dl>{}</dl>", items))


GLOSSARY_EXTRA = ("explanation", "source")


def glossary_details() -> dict[str, str]:
    """For each glossary term, its further columns (explanation, source) as escaped HTML."""
    return _glossary_details(curated.folder_of())


@functools.cache
def _glossary_details(folder) -> dict[str, str]:
    # Worked out once per curated folder (every paragraph view asks); cleared with curated.clear_cache().
    table = glossary(folder)
    extra = [c for c in GLOSSARY_EXTRA if c in table.columns]
    return {str(row["term"]): str(joined(fill("<br><small>{}: {}</small>", c.capitalize(), str(row[c]))
                                          for c in extra if pd.notna(row[c]) and str(row[c])))
            for row in table.to_dict("records")}


curated.on_clear(_glossary_details.cache_clear)


def paragraph_html(cable, block: int) -> str:
    """One block with its telegraphese expanded and highlighted, then the terms explained."""
    row = cable.blocks.set_index("block").loc[block]
    text = str(row["text"])
    return str(fill('<h4>{}</h4><div style="white-space:pre-wrap;font-size:1.1em;line-height:1.6">{}</div>'
                    "<h5>Abbreviations in this block</h5>{}", block_label(row), Markup(marked_terms(text)),
                    Markup(glossary_notes(text))))


def paragraph_reader(cable) -> Panel:
    """Choose a block (paragraph, footnote, header) and read it with its abbreviations expanded.

    Parts: ``choice`` (Dropdown of block ids), ``view`` (HTML of the block).
    """
    options = block_options(cable)
    choice = dropdown("Paragraph:", options, value=first_body_block(cable, options))
    view = widgets.HTML(missing_html("This document has no paragraphs.") if not options else "")
    if options:
        on_change(lambda: setattr(view, "value", paragraph_html(cable, choice.value)), choice)
    return panel("Read a paragraph", "Choose a paragraph; highlighted abbreviations are expanded in brackets "
                 "and explained below the text (hover over one to see its meaning).", choice, view,
                 choice=choice, view=view)


class FullTable:
    """A table to read, not to inspect: every text in full (a notebook's own view of a DataFrame cuts
    long cells and numbers the rows), escaped, the same table as plain text. ``frame``: the data."""

    def __init__(self, frame: pd.DataFrame, empty: str) -> None:
        self.frame, self.empty = frame, empty

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        if self.frame.empty:
            return {"text/html": missing_html(self.empty), "text/plain": self.empty}
        return {"text/html": self.frame.to_html(index=False, escape=True, na_rep="", border=0),
                "text/plain": self.frame.to_string(index=False)}


def abbreviations_table(cable) -> FullTable:
    """:func:`abbreviations` shown in full, or a sentence when the document uses none."""
    return FullTable(abbreviations(cable), "This document uses none of the glossary's abbreviations.")


def first_body_block(cable, options: list) -> int | None:
    """The first numbered paragraph's block, else the first block, else None."""
    numbered = cable.blocks.loc[cable.blocks["kind"] == "numbered", "block"]
    return int(numbered.iloc[0]) if len(numbered) else (options[0][1] if options else None)


# --- points explorer ---------------------------------------------------------------------------


def point_html(point) -> str:
    """One point with its annotation and pairing, escaped."""
    fields = [("Topic", point.topic), ("Annotation", point.note), ("Paired with", point.paired_with),
              ("Source", point.source)]
    extra = joined(fill("<br><em>{}:</em> {}", name, value) for name, value in fields
                   if isinstance(value, str) and value)
    return str(fill("<li><strong>{}</strong> ({}) {}{}</li>", point.ref, point.speaker, point.text, extra))


def filtered(table: pd.DataFrame, speaker: str, topic: str) -> pd.DataFrame:
    """The points matching a speaker and a topic ('All' matches everything)."""
    keep = pd.Series(True, index=table.index)
    if speaker != ALL:
        keep &= table["speaker"] == speaker
    if topic != ALL:
        keep &= table["topic"] == topic
    return table[keep]


def points_explorer(cable) -> Panel:
    """Filter the lettered points by speaker and topic; see each with its annotation, and the matrix.

    Parts: ``speaker``, ``topic`` (Dropdowns), ``view`` (HTML list), ``figure_view`` (HTML chart).
    """
    table = points_table(cable)
    speaker = dropdown("Speaker:", [ALL, *sorted(set(table["speaker"]))])
    topic = dropdown("Topic:", [ALL, *sorted(set(table["topic"].dropna()))])
    view, figure_view = widgets.HTML(), widgets.HTML()

    def redraw() -> None:
        chosen = filtered(table, speaker.value, topic.value)
        view.value = str(fill("<p>{} of {} points.</p><ul>{}</ul>", len(chosen), len(table),
                              joined(Markup(point_html(p)) for p in chosen.itertuples()))) if len(table) else \
            missing_html("This document has no lettered points.")
        everything = speaker.value == ALL and topic.value == ALL
        highlight = None if everything else list(chosen["ref"])
        figure_view.value = chart_html(charts.points_matrix(cable, highlight=highlight))

    on_change(redraw, speaker, topic)
    return panel("Explore the negotiation points", "Choose a speaker and a topic to list the matching points with "
                 "their annotation; the grid shows which US point answers which concern.",
                 widgets.HBox([speaker, topic]), view, figure_view,
                 speaker=speaker, topic=topic, view=view, figure_view=figure_view)


# --- actor cards -------------------------------------------------------------------------------

# Card field -> registry columns that may hold it, first present wins.
CARD_FIELDS = {
    "Role in November 1962": ("role_nov_1962", "role", "office"),
    "Side": ("side",),
    "Who": ("bio", "one_line", "description", "note"),
    "Source": ("source",),
    "Status": ("status",),
}


def actor_options(cable) -> list[tuple[str, str]]:
    """Actors mentioned, most mentioned first: ('U Thant (UN, 4 mentions)', 'U Thant')."""
    counts = cable.mentions.groupby("actor").agg(side=("side", "first"), n=("actor", "size"))
    counts = counts.sort_values(["n"], ascending=False, kind="stable")
    return [(f"{name} ({row.side}, {row.n} mention{'s' * (row.n != 1)})", name) for name, row in counts.iterrows()]


def registry_row(actor: str) -> dict:
    """The registry's row for an actor (matched on its name column), else {}."""
    table = actor_registry()
    column = next((c for c in ("name", "actor") if c in table.columns), table.columns[0])
    rows = table[table[column] == actor]
    return rows.iloc[0].to_dict() if len(rows) else {}


def card_facts(actor: str, side: str) -> str:
    """The card's facts (role, side, bio, source) as an escaped definition list."""
    row = {"side": side, **registry_row(actor)}
    facts = {label: next((row[c] for c in names if c in row and pd.notna(row[c]) and str(row[c])), None)
             for label, names in CARD_FIELDS.items()}
    return str(fill("<dl>{}</dl>", joined(fill("<dt>{}</dt><dd>{}</dd>", label, str(value))
                                          for label, value in facts.items() if value is not None)))


def marked_sentence(mention, block_text: str) -> str:
    """The mention's sentence, escaped, with the surface highlighted where it occurs."""
    sentence, surface = str(mention.sentence), str(mention.surface)
    offset = block_text.find(sentence)
    start = mention.start - offset if 0 <= offset <= mention.start else -1
    if sentence[start:start + len(surface)] != surface or start < 0:
        start = sentence.find(surface)  # the offsets did not lead to the words: take their first occurrence
    if start < 0:
        return str(fill("{}", sentence))
    end = start + len(surface)
    return str(fill("{}<mark>{}</mark>{}", sentence[:start], sentence[start:end], sentence[end:]))


def actor_card_html(cable, actor: str) -> str:
    """An actor's card: facts, then every mention in its sentence with the words highlighted."""
    mentions = cable.mentions[cable.mentions["actor"] == actor]
    side = str(mentions["side"].iloc[0]) if len(mentions) else ""
    blocks = cable.blocks.set_index("block")
    items = joined(fill("<li><strong>{}</strong>: {}</li>", block_label(blocks.loc[m.block]),
                        Markup(marked_sentence(m, str(blocks.loc[m.block, "text"])))) for m in mentions.itertuples())
    return str(fill("<h4>{}</h4>{}<h5>Mentions ({})</h5><ol>{}</ol>", actor, Markup(card_facts(actor, side)),
                    len(mentions), items))


def actor_cards(cable) -> Panel:
    """Choose an actor: role in November 1962, side, bio, source, every mention in its sentence, a chart.

    Parts: ``choice`` (Dropdown of actor names), ``view`` (HTML card), ``figure_view`` (HTML chart).
    """
    options = actor_options(cable)
    choice = dropdown("Actor:", options)
    view, figure_view = widgets.HTML(), widgets.HTML()

    def redraw() -> None:
        view.value = actor_card_html(cable, choice.value)
        figure_view.value = chart_html(charts.actor_mentions(cable, choice.value))

    if options:
        on_change(redraw, choice)
    else:
        view.value = missing_html("No actor from the registry is mentioned in this document.")
    return panel("Actor cards", "Choose an actor to see their role in November 1962, their side, and every "
                 "sentence that names them, the words highlighted.", choice, view, figure_view,
                 choice=choice, view=view, figure_view=figure_view)


# --- timeline explorer -------------------------------------------------------------------------


def date_options(rows: pd.DataFrame) -> list[tuple[str, pd.Timestamp]]:
    """Every date on the timeline, as slider options ('26 Nov 62', Timestamp).

    Two-digit years keep the slider's readout ('27 Oct 62 - 7 Jan 63') inside its box; the day has
    no leading zero (written out, as strftime's ``%-d`` works on glibc only).
    """
    return [(f"{d.day} {d:%b %y}", d) for d in sorted(set(rows["date"]))]


def timeline_explorer(cable) -> Panel:
    """Zoom the timeline: a range slider over the dated events redraws ``charts.timeline``.

    Parts: ``range`` (SelectionRangeSlider of Timestamps), ``figure_view`` (HTML chart).
    """
    rows = timeline_rows(cable)
    options = date_options(rows)
    figure_view = widgets.HTML()
    if not options:
        figure_view.value = chart_html(charts.timeline(cable))
        return panel("Zoom the timeline", "This document has no dates to place on a timeline.", figure_view,
                     range=None, figure_view=figure_view)
    window = widgets.SelectionRangeSlider(options=options, index=(0, len(options) - 1), description="Dates:",
                                          style=LABEL_STYLE, continuous_update=False,
                                          layout=widgets.Layout(width="95%"))
    on_change(lambda: setattr(figure_view, "value", chart_html(charts.timeline(cable, *window.value, rows=rows))),
              window)
    return panel("Zoom the timeline", "Drag the two ends of the date slider to zoom the timeline onto a period; "
                 "starred rows are dates the document's own text gives, crossed rows dates only the editors' "
                 "footnotes give.", window, figure_view,
                 range=window, figure_view=figure_view)


# --- the classroom app -------------------------------------------------------------------------

EXPLORER_TABS = [("Paragraph", paragraph_reader, "paragraphs"), ("Point", points_explorer, "points"),
                 ("Actor", actor_cards, "actors"), ("Date", timeline_explorer, "timeline")]


def explorer(cable) -> Panel:
    """The classroom app: tabs to choose a paragraph, a point, an actor or a date range and see its views.

    Parts: ``tabs`` (Tab) and one attribute per tab: ``paragraphs``, ``points``, ``actors``, ``timeline``.
    """
    parts = {name: make(cable) for _, make, name in EXPLORER_TABS}
    tabs = widgets.Tab(children=list(parts.values()), titles=[title for title, _, _ in EXPLORER_TABS])
    tabs.selected_index = 0
    title = f"Explore {doc_name(cable)}"
    return panel(title, "Pick a tab (paragraph, point, actor or date), then make a choice inside it to see "
                 "the document from that angle.", tabs, tabs=tabs, **parts)


# --- kernel-free views for static exports ------------------------------------------------------


def point_views(cable) -> list[tuple[str, str]]:
    """One card per lettered point: its text, then its annotation and the points it is paired with."""
    table = points_table(cable)
    texts = dict(zip(table["ref"], table["text"]))
    note = "" if curated.applies_to(cable) else missing_html(
        f"The curated annotations describe telegram {curated.SEED_NUMBER} only; this document's points have none.")
    return [(f"{p.ref} ({p.speaker}{f': {p.topic}' if isinstance(p.topic, str) else ''})",
             point_card_html(p, texts) + note) for p in table.itertuples()]


def point_card_html(point, texts: dict[str, str]) -> str:
    """A point's card: ref, speaker, paragraph, its text, topic, annotation and source, and each partner's text."""
    facts = [("Speaker", point.speaker), ("Topic", point.topic), ("Annotation", point.note), ("Source", point.source)]
    partners = [ref for ref in str(point.paired_with or "").split(", ") if ref]
    paired = joined(fill("<li><strong>{}</strong>: {}</li>", ref, str(texts.get(ref, ""))) for ref in partners)
    facts_list = joined(fill("<dt>{}</dt><dd>{}</dd>", name, value) for name, value in facts
                        if isinstance(value, str) and value)
    return str(fill('<h4>Point {}</h4><blockquote style="white-space:pre-wrap">{}</blockquote><dl>{}</dl>{}',
                    point.ref, str(point.text), facts_list,
                    fill("<h5>Paired with</h5><ul>{}</ul>", paired) if paired else
                    Markup("<p>Paired with no other point.</p>")))


def actor_views(cable) -> list[tuple[str, str]]:
    """One actor card per actor mentioned (role, side, every mention in its sentence); no chart."""
    return [(name, actor_card_html(cable, actor)) for name, actor in actor_options(cable)]


def date_views(cable) -> list[tuple[str, str]]:
    """One view per day the document gives: the words and sentences that give it (the text's apart from
    the editors' notes), and the chronology's events of that day (else the nearest before and after),
    each with its source."""
    dates = cable.dates.dropna(subset=["date"])
    if dates.empty:
        return []
    events = context_events()
    blocks = cable.blocks.set_index("block")
    this = curated.applies_to(cable)
    views = []
    for day, group in dates.groupby(dates["date"].dt.normalize(), sort=True):
        said = ", ".join(dict.fromkeys(f"“{s}”" for s in group["surface"]))
        in_text = group["section"].astype("str").isin(TEXT_SECTIONS)
        parts = [(heading, rows) for heading, rows in (("In the text", group[in_text]),
                                                       ("In the editors' notes", group[~in_text])) if len(rows)]
        views.append((f"{day:%d %b %Y}: {said}" + ("" if in_text.any() else " (editors' note only)"),
                      str(fill("<h4>{}</h4>{}{}", f"{day:%A %d %B %Y}",
                               joined(fill("<h5>{}</h5>{}", Markup(heading), Markup(date_sentences(rows, blocks)))
                                      for heading, rows in parts),
                               Markup(day_events_html(events, day, this))))))
    return views


def date_sentences(dates: pd.DataFrame, blocks: pd.DataFrame) -> str:
    """The sentences that give a date, each with its block ('¶2', 'Footnote 5') and the words marked."""
    return str(fill("<ol>{}</ol>", joined(
        fill("<li><strong>{}</strong> (“{}”): {}</li>", block_label(blocks.loc[m.block]), str(m.surface),
             Markup(marked_sentence(m, str(blocks.loc[m.block, "text"])))) for m in dates.itertuples())))


def day_events_html(events: pd.DataFrame, day: pd.Timestamp, this: bool) -> str:
    """The chronology's events of a day (those spanning it too), else the nearest before and after."""
    last = events["end_date"].fillna(events["date"])
    same = events[(events["date"] <= day) & (last >= day)]
    heading = "The chronology that day"
    if same.empty:
        before, after = events[last < day].tail(1), events[events["date"] > day].head(1)
        same, heading = pd.concat([before, after]), "No event of the chronology that day; the nearest"
    items = joined(fill("<li><strong>{}</strong>{}: {} <small>(source: {})</small></li>",
                        f"{e.date:%d %b %Y}" + (f"–{e.end_date:%d %b %Y}" if pd.notna(e.end_date) else ""),
                        " (this document)" if this and e.category == THIS_CABLE else "", str(e.event), str(e.source))
                   for e in same.itertuples())
    return str(fill("<h5>{}</h5><ul>{}</ul>", Markup(heading), items)) if items else ""


def paragraph_views(cable) -> list[tuple[str, str]]:
    """One view per block: the text with its abbreviations expanded."""
    return [(name, paragraph_html(cable, block)) for name, block in block_options(cable)]


# kind -> (control label, instruction, views(cable) -> [(option label, HTML)], sentence when there are none)
STATIC_KINDS: dict[str, tuple[str, str, Callable, str]] = {
    "paragraph": ("Paragraph:", "Choose a paragraph to read it with its abbreviations expanded.",
                  paragraph_views, "This document has no paragraphs."),
    "point": ("Point:", "Choose a point to see its text, its annotation and the points it is paired with.",
              point_views, "This document has no lettered points."),
    "actor": ("Actor:", "Choose an actor to see their card and every sentence that names them.",
              actor_views, "No actor from the registry is mentioned in this document."),
    "date": ("Date:", "Choose a date the document gives to see the sentences that give it and what else "
             "happened that day.", date_views, "This document gives no dates."),
}


def first_static_view(cable, kind: str) -> int:
    """The option shown first: the first numbered paragraph for 'paragraph' (a header line says little)."""
    if kind != "paragraph":
        return 0
    options = block_options(cable)
    first = first_body_block(cable, options)
    return next((i for i, (_, block) in enumerate(options) if block == first), 0)


def static_explorer(cable, kind: str = "actor") -> Panel:
    """An explorer that keeps working in exported HTML with no kernel (issue 5 §3).

    A Dropdown is ``jslink``ed (in the browser, no kernel round trip) from its ``index`` to the
    ``selected_index`` of a Stack holding one pre-rendered HTML view per option, so choosing
    another option in a static page shows its view from the embedded widget state.
    ``kind``: 'paragraph', 'point' (text, annotation, pairing), 'actor' (the actor card) or
    'date' (the day's sentences and events). Views are text, no charts, so building one is quick.
    Parts: ``choice`` (Dropdown), ``stack`` (Stack), ``link`` (the jslink). In a live kernel
    the Python side follows too.
    """
    label, instruction, views_of, none = STATIC_KINDS[kind]
    views = views_of(cable)
    first = first_static_view(cable, kind) if views else 0
    # The views share one layout and one style: a third of the widget models to create and embed.
    layout, style = widgets.Layout(), HTMLStyle()
    stack = widgets.Stack([widgets.HTML(view, layout=layout, style=style) for _, view in views]
                          or [widgets.HTML(missing_html(none))], selected_index=first)
    choice = dropdown(label, [(name, i) for i, (name, _) in enumerate(views)] or [("(none)", 0)], index=first)
    link = widgets.jslink((choice, "index"), (stack, "selected_index"))
    choice.observe(lambda change: setattr(stack, "selected_index", change["new"]), names="index")
    return panel(f"Explore by {kind}", instruction, choice, stack, choice=choice, stack=stack, link=link)


# --- display for renderers without widget support ----------------------------------------------


def fallback_bundle(widget: widgets.Widget, fallback=None) -> dict:
    """One display bundle: the widget view, plus an image (PNG or SVG) or text/html copy of its current view.

    ``fallback``: a Figure (its SVG and its HTML with alt text), PNG bytes, an HTML string, or None
    (the Panel's own current view as HTML). ``text/plain`` is a sentence, never the widget's repr.
    """
    data = {"text/plain": NO_KERNEL_NOTE,
            WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}}
    if fallback is None:
        data["text/html"] = widget.fallback_html() if isinstance(widget, Panel) else missing_html(NO_KERNEL_NOTE)
    elif isinstance(fallback, bytes):
        data["image/png"] = base64.b64encode(fallback).decode("ascii")
    elif isinstance(fallback, str):
        data["text/html"] = fallback
    else:
        svg = fallback.svg()
        data["image/svg+xml"] = svg.decode("utf-8")
        data["text/html"] = charts.to_html(fallback, image=svg)
    return data


def display_with_fallback(widget: widgets.Widget, fallback=None) -> dict:
    """Display a widget so that a renderer without ipywidgets 8 (jupyterlab-rise) shows an image or HTML.

    Publishes one bundle (see :func:`fallback_bundle`) holding the widget view mimetype and the
    fallback; widget-aware front ends pick the widget, others the image or HTML, never raw
    widget text. Returns the bundle.
    """
    from IPython.display import display

    bundle = fallback_bundle(widget, fallback)
    display(bundle, raw=True)
    return bundle
