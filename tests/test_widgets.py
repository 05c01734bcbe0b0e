"""Widgets: set a control's value and check that what is shown changed; nothing leaks, nothing unescaped."""

from __future__ import annotations

import gc
import html
import weakref
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402
from ipywidgets.embed import embed_data  # noqa: E402

import cablelab  # noqa: E402
from cablelab import charts, widgets  # noqa: E402
from test_charts import EVIL_TELEGRAM  # noqa: E402

BLOCK_OF_PARAGRAPH_5 = 8
FIXTURES = Path(__file__).parent / "fixtures" / "docs"


@pytest.fixture(scope="module")
def evil_cable():
    return cablelab.read(EVIL_TELEGRAM)


@pytest.fixture(scope="module")
def static(seed_cable):
    """Static explorers of the seed cable, built once per kind (each pre-renders every view as HTML)."""
    built: dict[str, widgets.Panel] = {}
    def get(kind: str) -> widgets.Panel:
        if kind not in built:
            built[kind] = widgets.static_explorer(seed_cable, kind)
        return built[kind]

    return get


@pytest.fixture
def tracked_figures(monkeypatch):
    """Weak references to every Figure a widget renders."""
    refs: list[weakref.ref] = []
    render = widgets.chart_html

    def tracking(fig):
        refs.append(weakref.ref(fig))
        return render(fig)

    monkeypatch.setattr(widgets, "chart_html", tracking)
    return refs


def instruction_of(widget) -> str:
    return widget.header.value


# A control is anything a student sets or presses; HTML and labels only show.
SHOWN_ONLY = (ipywidgets.HTML, ipywidgets.HTMLMath, ipywidgets.Label, ipywidgets.Valid)
CHOOSERS = (ipywidgets.Dropdown, ipywidgets.SelectionSlider, ipywidgets.SelectionRangeSlider, ipywidgets.Select,
            ipywidgets.RadioButtons, ipywidgets.ToggleButtons)


def controls_in(widget) -> list:
    """Every control in a widget's whole tree (inside boxes, tabs, stacks and accordions), in order."""
    found, pending = [], [widget]
    while pending:
        item = pending.pop(0)
        if isinstance(item, (ipywidgets.ValueWidget, ipywidgets.Button)) and not isinstance(item, SHOWN_ONLY):
            found.append(item)
        pending.extend(getattr(item, "children", ()))
    return found


def unlabelled(widget) -> list:
    """The controls with no visible label: no description, or a chooser whose label is not 'Name:'."""
    return [control for control in controls_in(widget)
            if not control.description.strip()
            or (isinstance(control, CHOOSERS) and not control.description.endswith(":"))]


LABELLED_WIDGETS = {  # widget -> how many controls it holds, all of them labelled
    "paragraph_reader": (widgets.paragraph_reader, 1),
    "points_explorer": (widgets.points_explorer, 2),
    "actor_cards": (widgets.actor_cards, 1),
    "timeline_explorer": (widgets.timeline_explorer, 1),
    "explorer": (widgets.explorer, 5),
    "static_explorer": (lambda cable: widgets.static_explorer(cable, "point"), 1),
}


@pytest.mark.parametrize("name", list(LABELLED_WIDGETS))
def test_every_widget_has_a_heading_an_instruction_and_labelled_controls(seed_cable, name):
    make, count = LABELLED_WIDGETS[name]
    box = make(seed_cable)
    assert "<h3>" in instruction_of(box) and instruction_of(box).count(".") >= 1
    assert len(controls_in(box)) == count
    assert unlabelled(box) == []


def test_the_label_check_finds_an_unlabelled_control_anywhere_in_the_tree():
    hidden = ipywidgets.Dropdown(options=["a", "b"])
    pressed = ipywidgets.Button()
    toggles = ipywidgets.ToggleButtons(options=["x", "y"], description="Side")
    typed = ipywidgets.Text(description="Your name:")
    tabs = ipywidgets.Tab(children=[ipywidgets.VBox([ipywidgets.HBox([hidden, pressed]), toggles])])
    box = widgets.panel("A widget", "Choose something.", tabs, ipywidgets.HBox([typed]))
    assert controls_in(box) == [typed, toggles, hidden, pressed]
    assert unlabelled(box) == [toggles, hidden, pressed]


def test_paragraph_reader_shows_the_chosen_paragraph_with_its_abbreviations_expanded(seed_cable):
    reader = widgets.paragraph_reader(seed_cable)
    before = reader.view.value
    reader.choice.value = BLOCK_OF_PARAGRAPH_5
    shown = reader.view.value
    assert shown != before and "<h4>¶5</h4>" in shown
    assert '<abbr title="UN Secretary-General">SYG</abbr></mark>' in shown
    assert "[UN Security Council]" in shown
    assert "<dt><strong>urtel</strong></dt>" in shown


def test_points_explorer_filters_by_speaker_and_topic_and_shows_the_pairing(seed_cable):
    explorer = widgets.points_explorer(seed_cable)
    everything, matrix = explorer.view.value, explorer.figure_view.value
    assert "10 of 10 points." in everything
    explorer.speaker.value = "USSR"
    assert "4 of 10 points." in explorer.view.value and explorer.figure_view.value != matrix
    explorer.topic.value = "overflights"
    assert "1 of 10 points." in explorer.view.value
    assert "<strong>1(d)</strong>" in explorer.view.value
    assert "<em>Paired with:</em> 3(e)" in explorer.view.value


def test_actor_cards_show_the_chosen_actors_role_side_and_mentions(seed_cable):
    cards = widgets.actor_cards(seed_cable)
    cards.choice.value = "U Thant"
    thant, thant_chart = cards.view.value, cards.figure_view.value
    assert "Acting Secretary-General of the United Nations" in thant
    assert "<dt>Side</dt><dd>UN</dd>" in thant
    assert "<mark>SYG</mark>" in thant and "Mentions (5)" in thant
    cards.choice.value = "Anastas I. Mikoyan"
    assert "First Deputy Chairman, USSR Council of Ministers" in cards.view.value
    assert cards.figure_view.value != thant_chart
    assert "Where Anastas I. Mikoyan is mentioned" in cards.figure_view.value


def test_timeline_explorer_redraws_the_chosen_range(seed_cable):
    explorer = widgets.timeline_explorer(seed_cable)
    whole = explorer.figure_view.value
    dates = [value for _, value in explorer.range.options]
    week = (dates.index(min(d for d in dates if d.month == 11 and d.day >= 20)),
            dates.index(max(d for d in dates if d.month == 11 and d.day <= 27)))
    explorer.range.index = week
    zoomed = explorer.figure_view.value
    assert zoomed != whole
    assert "from 20 November 1962 to 27 November 1962" in zoomed or "to 27 November 1962" in zoomed
    assert "14 October" not in zoomed.split("<details>")[0]


def test_explorer_holds_the_four_views_in_tabs(seed_cable):
    app = widgets.explorer(seed_cable)
    assert [app.tabs.get_title(i) for i in range(4)] == ["Paragraph", "Point", "Actor", "Date"]
    assert list(app.tabs.children) == [app.paragraphs, app.points, app.actors, app.timeline]
    app.actors.choice.value = "U Thant"
    assert "Acting Secretary-General" in app.actors.view.value


def test_changing_a_widget_leaks_no_figure(seed_cable, tracked_figures):
    before = plt.get_fignums()
    cards = widgets.actor_cards(seed_cable)
    for actor in [value for _, value in cards.choice.options[:5]]:
        cards.choice.value = actor
    explorer = widgets.points_explorer(seed_cable)
    explorer.speaker.value = "US"
    gc.collect()
    assert len(tracked_figures) >= 6
    assert all(ref() is None for ref in tracked_figures)
    assert plt.get_fignums() == before


def test_document_markup_shows_as_text_in_every_widget(evil_cable):
    views = [widgets.paragraph_reader(evil_cable), widgets.points_explorer(evil_cable),
             widgets.actor_cards(evil_cable)]
    views[0].choice.value = 3
    views[2].choice.value = "Anastas I. Mikoyan"
    shown = " ".join(w.fallback_html() for w in views)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in shown  # markupsafe writes " as &#34;
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "&lt;b&gt;bold&lt;/b&gt;" in shown
    assert "<script" not in shown and "<img src=x" not in shown and "<b>bold" not in shown


def test_document_markup_shows_as_text_in_the_static_explorer(evil_cable):
    box = widgets.static_explorer(evil_cable, "paragraph")
    pages = " ".join(child.value for child in box.stack.children)
    assert "&lt;script&gt;" in pages and "<script" not in pages


@pytest.mark.parametrize("kind", ["paragraph", "point", "actor", "date"])
def test_static_explorer_links_its_dropdown_to_a_stack_of_one_view_per_option(static, kind):
    box = static(kind)
    assert box.link.source == (box.choice, "index")
    assert box.link.target == (box.stack, "selected_index")
    assert len(box.stack.children) == len(box.choice.options) >= 4
    assert all(isinstance(child, ipywidgets.HTML) for child in box.stack.children)
    assert len({child.value for child in box.stack.children}) == len(box.stack.children)
    box.choice.index = 2
    assert box.stack.selected_index == 2


def test_static_explorer_link_is_part_of_the_embedded_widget_state(static):
    box = static("actor")
    state = embed_data(views=[box])["manager_state"]["state"]
    links = [(s["state"]["source"], s["state"]["target"]) for s in state.values() if s["model_name"] == "LinkModel"]
    assert ([f"IPY_MODEL_{box.choice.model_id}", "index"],
            [f"IPY_MODEL_{box.stack.model_id}", "selected_index"]) in links


def test_static_paragraph_explorer_opens_on_paragraph_1_in_step_with_its_stack(seed_cable):
    box = widgets.static_explorer(seed_cable, "paragraph")
    assert box.choice.label.startswith("¶1") and box.stack.selected_index == box.choice.index
    assert "<h4>¶1</h4>" in box.fallback_html()


def test_static_explorer_actor_views_are_the_actor_cards(static):
    box = static("actor")
    names = [label for label, _ in box.choice.options]
    thant = next(i for i, name in enumerate(names) if name.startswith("U Thant"))
    assert "Acting Secretary-General" in box.stack.children[thant].value


def test_static_point_views_show_the_annotation_and_the_paired_points_text(static):
    box = static("point")
    overflights = next(i for i, (label, _) in enumerate(box.choice.options) if label.startswith("1(d)"))
    view = box.stack.children[overflights].value
    assert "overflights" in box.choice.options[overflights][0]
    assert "<dt>Topic</dt><dd>overflights</dd>" in view and "<dt>Annotation</dt>" in view
    assert "<strong>3(e)</strong>: In absence of agreement on UN verification" in view


def test_static_date_views_show_the_sentences_giving_the_day_and_that_days_events(static):
    box = static("date")
    labels = [label for label, _ in box.choice.options]
    assert labels[:2] == ["28 Oct 1962: “October 28”", "20 Nov 1962: “November 20”"]
    view = box.stack.children[1].value
    assert "Presidential press statement of <mark>November 20</mark>" in view
    assert "At a news conference Kennedy reports" in view and "(source: JFK Library" in view


def test_static_date_views_tell_the_telegrams_text_from_the_editors_footnotes(static):
    box = static("date")
    labels = [label for label, _ in box.choice.options]
    assert labels[-1] == "27 Nov 1962: “November 27” (editors' note only)"
    last = box.stack.children[-1].value
    assert "<h5>In the editors' notes</h5>" in last and "<h5>In the text</h5>" not in last
    day = box.stack.children[labels.index("26 Nov 1962: “today”, “tonight”, “November 26”")].value
    assert day.index("<h5>In the text</h5>") < day.index("meeting with Mikoyan <mark>tonight</mark>") \
        < day.index("<h5>In the editors' notes</h5>") < day.index("<strong>Footnote 1</strong>")


def test_timeline_explorer_says_what_the_stars_and_crosses_mean(seed_cable):
    explorer = widgets.timeline_explorer(seed_cable)
    shown = html.unescape(explorer.header.value)
    assert "starred rows are dates the document's own text gives" in shown
    assert "dates only the editors' footnotes give" in shown


def test_static_explorer_views_are_text_and_quick_to_build(seed_cable):
    for kind in widgets.STATIC_KINDS:
        box = widgets.static_explorer(seed_cable, kind)
        assert not any("<img" in child.value for child in box.stack.children), f"{kind}: a chart was pre-rendered"


def test_on_another_document_the_static_point_views_say_the_annotations_are_the_seeds():
    other = cablelab.read(FIXTURES / "avalon_memcon_ny.txt")
    box = widgets.static_explorer(other, "point")
    assert len(box.stack.children) == len(other.points) > 0
    assert all("describe telegram 1379 only" in child.value and "<dt>Topic</dt>" not in child.value
               for child in box.stack.children)


def test_a_panel_displays_an_html_copy_of_its_current_view_next_to_the_widget(seed_cable):
    cards = widgets.actor_cards(seed_cable)
    cards.choice.value = "U Thant"
    bundle = cards._repr_mimebundle_()
    assert widgets.WIDGET_VIEW in bundle
    assert "Acting Secretary-General" in bundle["text/html"] and widgets.NO_KERNEL_NOTE in bundle["text/html"]
    assert "VBox" not in bundle["text/plain"]


def test_the_explorers_html_copy_is_the_tab_on_show(seed_cable):
    app = widgets.explorer(seed_cable)
    assert "<h3>Read a paragraph</h3>" in app.fallback_html()
    app.tabs.selected_index = 2
    app.actors.choice.value = "U Thant"
    copy = app.fallback_html()
    assert "Acting Secretary-General" in copy and "Read a paragraph" not in copy


def test_display_with_fallback_publishes_the_widget_view_and_an_image_of_the_chart(seed_cable, static):
    InteractiveShell.instance()
    box = static("date")
    with capture_output() as captured:
        bundle = widgets.display_with_fallback(box, charts.timeline(seed_cable, "1962-11-20", "1962-11-27"))
    published = captured.outputs[0].data
    assert published == bundle
    assert published[widgets.WIDGET_VIEW]["model_id"] == box.model_id
    assert published["image/svg+xml"].startswith("<?xml") and "<svg" in published["image/svg+xml"]
    assert 'alt="Timeline of' in published["text/html"]


def test_display_with_fallback_uses_the_panels_own_view_when_no_fallback_is_given(seed_cable):
    reader = widgets.paragraph_reader(seed_cable)
    bundle = widgets.fallback_bundle(reader)
    assert set(bundle) == {"text/plain", widgets.WIDGET_VIEW, "text/html"}
    assert "<h4>¶1</h4>" in bundle["text/html"]
