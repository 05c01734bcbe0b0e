"""Widget response: the median time from setting a widget's value to its redrawn chart.

For each widget that redraws a chart (points explorer, actor cards, timeline explorer) the
value is set to a series of choices, and the time of each assignment is taken: the widget
redraws synchronously, so when ``control.value = ...`` returns, the new chart (HTML with its
SVG, alt text and data) is in ``figure_view.value``. Each timing is checked to have changed
what is shown. The baseline is the same chart, for the same choices, rendered once directly
(``charts.to_html(chart(...), image="svg")``) in the same run: the ratio is what the widget
adds on top of drawing the chart (its text views, escaping, traitlets events). Target: <= 100 ms.

Times are wall clock (what a student waits). A last row gives the same changes in CPU time
of this process, which a busy machine (other jobs on few cores) does not inflate.

    python benchmarks/bench_widgets.py        # runs alone, prints its rows
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import cablelab  # noqa: E402
from cablelab import charts, widgets  # noqa: E402

REPEATS = 3
TARGET = "<= 100 ms"


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Milliseconds one call takes: wall clock, and this process's CPU (which other load does not inflate)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def respond(control, trait: str, value, shown) -> tuple[float, float]:
    """Milliseconds from setting a control's trait to the redrawn view; fails if nothing changed."""
    before = shown.value
    elapsed = timed(lambda: setattr(control, trait, value))
    if shown.value == before:
        raise AssertionError(f"setting {trait}={value!r} did not change what is shown")
    return elapsed


def week_windows(explorer) -> list[tuple[int, int]]:
    """Slider index pairs covering about a week each, stepping through the crisis."""
    dates = [value for _, value in explorer.range.options]
    return [(i, min(i + 4, len(dates) - 1)) for i in range(0, len(dates) - 4, 3)]


def cases(cable) -> list[dict]:
    """Per widget: how to build it, the control, the trait, the values, and the direct chart for each."""
    points = widgets.points_explorer(cable)
    topics = [t for t in points.topic.options if t != widgets.ALL]
    table = widgets.points_table(cable)
    cards = widgets.actor_cards(cable)
    timeline = widgets.timeline_explorer(cable)
    windows = week_windows(timeline)
    dates = [value for _, value in timeline.range.options]
    rows = charts.timeline_rows(cable)
    return [
        {"name": "points_explorer: topic -> matrix", "widget": points, "control": points.topic,
         "trait": "value", "values": [*topics, widgets.ALL],
         "direct": lambda topic: charts.points_matrix(cable, highlight=None if topic == widgets.ALL else list(
             widgets.filtered(table, widgets.ALL, topic)["ref"]))},
        {"name": "actor_cards: actor -> card and chart", "widget": cards, "control": cards.choice,
         "trait": "value", "values": [value for _, value in cards.choice.options][:10],
         "direct": lambda actor: charts.actor_mentions(cable, actor)},
        {"name": "timeline_explorer: date range -> timeline", "widget": timeline, "control": timeline.range,
         "trait": "index", "values": windows,
         "direct": lambda window: charts.timeline(cable, dates[window[0]], dates[window[1]], rows=rows)},
    ]


def measure_case(case: dict) -> tuple[dict, list, list]:
    """Median response and median direct render (ms) over every value, REPEATS times, and the timings."""
    shown = case["widget"].figure_view
    responses, direct = [], []
    for _ in range(REPEATS):
        for value in case["values"]:
            responses.append(respond(case["control"], case["trait"], value, shown))
            direct.append(timed(lambda: charts.to_html(case["direct"](value), image="svg")))
    value, baseline = (statistics.median(wall for wall, _ in timings) for timings in (responses, direct))
    cpu, cpu_baseline = (statistics.median(cpu for _, cpu in timings) for timings in (responses, direct))
    row = {"name": f"widget response, {case['name']}", "value": round(value, 1), "unit": "ms",
           "baseline": round(baseline, 1), "ratio": round(value / baseline, 2), "target": TARGET,
           "note": f"median of {len(responses)} changes; CPU {cpu:.0f} ms (direct {cpu_baseline:.0f} ms); "
                   f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"}
    return row, responses, direct


def cpu_row(responses: list, direct: list) -> dict:
    """Every widget's changes together, in CPU time: what the response costs when the machine is not shared."""
    value, baseline = (statistics.median(cpu for _, cpu in timings) for timings in (responses, direct))
    return {"name": "widget response, all widgets, CPU time of this process", "value": round(value, 1),
            "unit": "ms", "baseline": round(baseline, 1), "ratio": round(value / baseline, 2), "target": TARGET,
            "note": "wall-clock rows above include waiting for a busy CPU; this one does not"}


def measure() -> list[dict]:
    cable = cablelab.load()
    all_cases = cases(cable)
    for case in all_cases:  # one untimed pass: fonts, caches, first-use imports
        respond(case["control"], case["trait"], case["values"][1], case["widget"].figure_view)
    measured = [measure_case(case) for case in all_cases]
    responses = [t for _, timings, _ in measured for t in timings]
    direct = [t for _, _, timings in measured for t in timings]
    return [row for row, _, _ in measured] + [cpu_row(responses, direct)]


if __name__ == "__main__":
    for row in measure():
        print(f"{row['name']}: {row['value']} {row['unit']} (baseline {row['baseline']} {row['unit']}, "
              f"ratio {row['ratio']}, target {row['target']}; {row['note']})")
