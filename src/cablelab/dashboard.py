"""The teacher's live class dashboard: the class's answers, read from the hand-in folder.

    from cablelab import dashboard
    dashboard.live()                 # in the teacher's server (classroom/dashboard.ipynb, shown with Voila)

What it shows, refreshed every few seconds while the lesson runs (only when a file changed):

- **who has started and how far each is**: every student of the roster, whether their
  server has started, how many answers they have saved in each lesson, their furthest lesson;
- **self-checks**: for each, how many answered, the share right at the first try, and the
  wrong options chosen most (every attempt counts): the misconceptions to address now;
- **claims and open responses** by question, every student's side by side, and two chosen
  ones next to each other, to pick for discussion;
- **download**: every answer as CSV (``cablelab.answers.collect``) and the per-question summary.

Each chart carries its alt text, a description and its data table (``charts.to_html``).
The data come from ``read_class(handin)``, pure pandas, which the tests and the widget share.

Only the teacher can open it: the hub serves it from the teacher's own server, and the
hand-in folder is readable by the teachers' group only (``cablelab.handin``); anyone else
gets a sentence saying so.
"""

from __future__ import annotations

import asyncio
import base64
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment
from markupsafe import Markup

from cablelab import answers, handin

REFRESH_SECONDS = 5.0
CLOSED_KINDS = frozenset({"single", "multiple", "match", "order", "text"})
ENV_HANDIN = "CABLELAB_HANDIN"
TOP_WRONG = 3
NOT_FOR_YOU = ("This dashboard is the teacher's: it reads every student's answers in the class hand-in "
               "folder, which this account cannot open ({reason}).")

_html = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)


# ---------------------------------------------------------------- the data


@dataclass
class ClassView:
    """Everything the dashboard shows, as frames (see each attribute)."""

    #: one row per student: username, student (display name), started, answered, furthest, last_saved, one column per lesson
    progress: pd.DataFrame
    #: one row per self-check: question, lesson, prompt, answered, right_first_try, share_first_try, wrong_options
    checks: pd.DataFrame
    #: one row per wrong option chosen: question, option, times, students
    wrong: pd.DataFrame
    #: one row per student and open question (claims included): question, lesson, prompt, username, student, answer, saved_at
    responses: pd.DataFrame
    #: (file, reason) for every file that could not be read
    skipped: list[tuple[str, str]] = field(default_factory=list)
    read_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def _bank() -> dict[str, Any]:
    from cablelab import exercises

    return exercises.load_bank()


def _lesson_of(qid: str) -> str:
    return qid.split("-", 1)[0]


def read_class(hand_in: str | os.PathLike[str], bank: dict[str, Any] | None = None) -> ClassView:
    """The class as the dashboard shows it, from the hand-in folder (see ``ClassView``).

    Raises PermissionError when this account cannot read the hand-in folder (a student's).
    """
    hand_in = Path(hand_in)
    if not os.access(hand_in, os.R_OK | os.X_OK):
        raise PermissionError(f"{hand_in}: permission denied")
    bank = _bank() if bank is None else bank
    members = [m for m in handin.class_roster(hand_in) if not m.teacher]
    tries, skipped = answers.attempts(hand_in)
    names = {m.username: m.display_name for m in members}
    started = {entry.name for entry in hand_in.iterdir() if entry.is_dir()}
    # Students known from their answers but missing from the roster are shown too.
    for username in sorted(set(tries["student"]) - set(names)):
        names[username] = username
    tries = tries.assign(display=tries["student"].map(names).fillna(tries["student"]),
                         lesson=tries["question"].map(_lesson_of))
    return ClassView(progress=_progress(tries, names, started, bank), checks=_checks(tries, bank),
                     wrong=_wrong(tries), responses=_responses(tries, bank), skipped=skipped)


def _progress(tries: pd.DataFrame, names: dict[str, str], started: set[str], bank: dict[str, Any]) -> pd.DataFrame:
    lessons = sorted({q.notebook for q in bank.values()} | set(tries["lesson"]))
    latest = tries.drop_duplicates(["student", "question"], keep="last")
    counts = latest.groupby(["student", "lesson"]).size()
    rows = []
    for username, display in names.items():
        row = {"username": username, "student": display,
               "started": username in started or username in set(tries["student"])}
        mine = latest[latest["student"] == username]
        row["answered"] = len(mine)
        row["furthest"] = max(mine["lesson"], default="")
        row["last_saved"] = tries.loc[tries["student"] == username, "saved_at"].max()
        for lesson in lessons:
            row[lesson] = int(counts.get((username, lesson), 0))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["username", "student", "started", "answered", "furthest", "last_saved", *lessons])
    return frame.sort_values(["started", "answered", "student"], ascending=[False, False, True], ignore_index=True)


def _checks(tries: pd.DataFrame, bank: dict[str, Any]) -> pd.DataFrame:
    closed = tries[tries["kind"].isin(CLOSED_KINDS)]
    firsts = closed[closed["attempt"] == 1]
    rows = []
    for qid, group in firsts.groupby("question", sort=True):
        wrong = _wrong(closed[closed["question"] == qid]).head(TOP_WRONG)
        right = int((group["correct"] == True).sum())  # noqa: E712 (nullable booleans)
        q = bank.get(qid)
        rows.append({"question": qid, "lesson": _lesson_of(qid), "prompt": q.prompt if q else "",
                     "answered": len(group), "right_first_try": right, "share_first_try": right / len(group),
                     "wrong_options": "; ".join(f"{o} ({t}×)" for o, t in zip(wrong["option"], wrong["times"]))})
    columns = ["question", "lesson", "prompt", "answered", "right_first_try", "share_first_try", "wrong_options"]
    # The hardest first: the questions to go over with the class now.
    return pd.DataFrame(rows, columns=columns).sort_values(["share_first_try", "question"], ignore_index=True)


def _wrong(tries: pd.DataFrame) -> pd.DataFrame:
    """Each wrong option chosen (over every attempt): how often and by whom, most chosen first."""
    wrong = tries[(tries["correct"] == False) & tries["kind"].isin(CLOSED_KINDS)]  # noqa: E712
    exploded = wrong.explode("mistakes").dropna(subset=["mistakes"])
    exploded = exploded[~exploded["mistakes"].astype(str).str.startswith("missed: ")]
    rows = [{"question": qid, "option": option, "times": len(group),
             "students": ", ".join(sorted(set(group["display"] if "display" in group else group["student"])))}
            for (qid, option), group in exploded.groupby(["question", "mistakes"], sort=False)]
    frame = pd.DataFrame(rows, columns=["question", "option", "times", "students"])
    return frame.sort_values(["question", "times", "option"], ascending=[True, False, True], ignore_index=True)


def _responses(tries: pd.DataFrame, bank: dict[str, Any]) -> pd.DataFrame:
    written = tries[~tries["kind"].isin(CLOSED_KINDS)].drop_duplicates(["student", "question"], keep="last")
    rows = [{"question": row.question, "lesson": row.lesson,
             "prompt": bank[row.question].prompt if row.question in bank else "",
             "username": row.student, "student": row.display, "answer": row.answer, "saved_at": row.saved_at}
            for row in written.itertuples()]
    frame = pd.DataFrame(rows, columns=["question", "lesson", "prompt", "username", "student", "answer", "saved_at"])
    return frame.sort_values(["question", "student"], ignore_index=True)


# ---------------------------------------------------------------- charts (alt text, description, data)


def first_try_chart(view: ClassView):
    """Horizontal bars: the share of students right at the first try, per self-check."""
    import matplotlib

    from cablelab import charts

    data = view.checks[["question", "answered", "right_first_try", "share_first_try"]].copy()
    if data.empty:
        return charts.message_figure("Right at the first try", "No self-check has been answered yet.")
    with matplotlib.rc_context(charts.RC):
        fig, ax = charts.new_figure(11, max(2.5, 0.55 * len(data) + 1.5))
        shares = data["share_first_try"] * 100
        bars = ax.barh(data["question"], shares, color=charts.BLUE, edgecolor=charts.INK)
        for bar, row in zip(bars, data.itertuples()):
            ax.text(min(bar.get_width() + 1, 88), bar.get_y() + bar.get_height() / 2,
                    f"{row.right_first_try} of {row.answered}", va="center", color=charts.INK)
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("Students right at the first try (%)")
        ax.set_ylabel("Self-check")
        ax.set_title("Right at the first try, per self-check")
    lowest = data.loc[data["share_first_try"].idxmin()]
    alt = (f"Bar chart of {len(data)} self-checks: the share of students right at the first try ranges from "
           f"{data['share_first_try'].min():.0%} to {data['share_first_try'].max():.0%}; lowest is "
           f"{lowest['question']} ({lowest['right_first_try']} of {lowest['answered']}).")
    description = ("Horizontal bars, one per self-check answered so far; the length is the percentage of the "
                   "students who answered it that were right at their first attempt, labelled with the counts. "
                   "Short bars mark the questions to go over with the class now.")
    table = data.assign(share_first_try=(data["share_first_try"] * 100).round().astype(int)).rename(
        columns={"share_first_try": "right at first try (%)"})
    return charts.finish(fig, alt, description, table)


def progress_chart(view: ClassView):
    """Horizontal bars: the answers each student has saved, with their furthest lesson."""
    import matplotlib
    from matplotlib.ticker import MaxNLocator

    from cablelab import charts

    data = view.progress[["student", "started", "answered", "furthest"]].copy()
    if data.empty:
        return charts.message_figure("Answers saved per student", "The roster lists no students.")
    with matplotlib.rc_context(charts.RC):
        fig, ax = charts.new_figure(11, max(2.5, 0.5 * len(data) + 1.5))
        colours = [charts.BLUE if s else charts.GREY for s in data["started"]]
        bars = ax.barh(data["student"], data["answered"], color=colours, edgecolor=charts.INK)
        top = max(int(data["answered"].max()), 1)
        for bar, row in zip(bars, data.itertuples()):
            label = f"lesson {row.furthest}" if row.furthest else ("started, no answer yet" if row.started
                                                                  else "not started")
            ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, label, va="center",
                    color=charts.INK)
        ax.set_xlim(0, top * 1.35)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.invert_yaxis()
        ax.set_xlabel("Answers saved")
        ax.set_ylabel("Student")
        ax.set_title("Answers saved per student")
    begun = int(data["started"].sum())
    alt = (f"Bar chart of {len(data)} students: {begun} have started; answers saved range from "
           f"{int(data['answered'].min())} to {int(data['answered'].max())}.")
    description = ("Horizontal bars, one per student of the roster, the length the number of questions they have "
                   "answered; each bar is labelled with the furthest lesson they have answered in, or says they "
                   "have not started (grey bars).")
    return charts.finish(fig, alt, description, data)


# ---------------------------------------------------------------- HTML pieces


_PROGRESS = _html.from_string("""
<table class="cablelab-progress"><caption>Who has started, and answers saved per lesson</caption>
<thead><tr><th scope="col">Student</th><th scope="col">Started</th><th scope="col">Answers</th>
{% for lesson in lessons %}<th scope="col">Lesson {{ lesson }}</th>{% endfor %}<th scope="col">Last answer (UTC)</th></tr></thead>
<tbody>{% for row in rows %}<tr><th scope="row">{{ row.student }}</th><td>{{ "yes" if row.started else "not yet" }}</td>
<td>{{ row.answered }}</td>{% for lesson in lessons %}<td>{{ row[lesson] }}</td>{% endfor %}
<td>{{ row.last_saved }}</td></tr>{% endfor %}</tbody></table>
""")

_CHECKS = _html.from_string("""
<table class="cablelab-checks"><caption>Self-checks: right at the first try, and the wrong options chosen most</caption>
<thead><tr><th scope="col">Self-check</th><th scope="col">Question</th><th scope="col">Answered</th>
<th scope="col">Right at first try</th><th scope="col">Wrong options chosen most (times)</th></tr></thead>
<tbody>{% for row in rows %}<tr><th scope="row">{{ row.question }}</th><td>{{ row.prompt }}</td><td>{{ row.answered }}</td>
<td>{{ row.right_first_try }} ({{ "%.0f"|format(row.share_first_try * 100) }} %)</td><td>{{ row.wrong_options or "none" }}</td></tr>
{% endfor %}</tbody></table>
""")

_CARDS = _html.from_string("""
<div class="cablelab-responses" style="display:grid;grid-template-columns:repeat(auto-fill,minmax(18em,1fr));gap:0.8em">
{% for row in rows %}<section class="cablelab-response" style="border:1px solid #888;padding:0.6em;font-size:18px">
<h4 style="margin:0 0 0.4em 0">{{ row.student }}</h4><p style="white-space:pre-wrap;margin:0">{{ row.answer }}</p></section>
{% else %}<p>No claim or written answer has been saved yet.</p>{% endfor %}</div>
""")

_PAIR = _html.from_string("""
<div class="cablelab-pair" style="display:grid;grid-template-columns:1fr 1fr;gap:1em">
{% for row in rows %}<section style="border:2px solid #1a1a1a;padding:0.8em;font-size:22px">
<h4 style="margin:0 0 0.4em 0">{{ row.student }}</h4><p style="white-space:pre-wrap;margin:0">{{ row.answer }}</p></section>
{% endfor %}</div>
""")

_DOWNLOADS = _html.from_string("""
<p class="cablelab-downloads"><a download="{{ stem }}-answers.csv" href="data:text/csv;base64,{{ answers }}">Download every answer (CSV)</a>
 · <a download="{{ stem }}-summary.csv" href="data:text/csv;base64,{{ summary }}">Download the per-question summary (CSV)</a></p>
""")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.astype(object).where(frame.notna(), "").to_dict("records")


def progress_html(view: ClassView) -> str:
    lessons = [c for c in view.progress.columns if c not in {"username", "student", "started", "answered", "furthest",
                                                              "last_saved"}]
    frame = view.progress.assign(last_saved=view.progress["last_saved"].map(
        lambda t: "" if pd.isna(t) else t.strftime("%H:%M:%S")))
    return _PROGRESS.render(rows=_records(frame), lessons=lessons)


def checks_html(view: ClassView) -> str:
    return _CHECKS.render(rows=_records(view.checks))


def responses_html(view: ClassView, question: str | None) -> str:
    return _CARDS.render(rows=_records(view.responses[view.responses["question"] == question]))


def pair_html(view: ClassView, question: str | None, students: list[str]) -> str:
    mine = view.responses[view.responses["question"] == question].set_index("username")
    rows = [mine.loc[name] for name in students if name in mine.index]
    return _PAIR.render(rows=rows) if rows else ""


def downloads_html(hand_in: str | os.PathLike[str]) -> str:
    """Links that download every answer and the summary as CSV files (``answers.collect``)."""
    table, summary, _ = answers.collect(hand_in)
    encode = lambda frame: base64.b64encode(frame.to_csv(index=False).encode("utf-8")).decode("ascii")  # noqa: E731
    stem = datetime.now(timezone.utc).strftime("class-%Y%m%d-%H%M")
    return _DOWNLOADS.render(stem=stem, answers=encode(table), summary=encode(summary))


def fingerprint(hand_in: str | os.PathLike[str]) -> tuple:
    """What changes when any answer is saved: each answers file's name, size and time."""
    found = []
    for folder in sorted(Path(hand_in).iterdir()):
        if folder.is_dir() and os.access(folder, os.R_OK | os.X_OK):
            for path in sorted(folder.glob("*.json")):
                try:
                    info = path.stat()
                except OSError:
                    continue
                found.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(found)


# ---------------------------------------------------------------- the widget


class Dashboard:
    """The live dashboard: ``box`` (the widget shown), ``refresh()`` (read and redraw now),
    ``start(every)`` (refresh on the kernel's event loop every `every` seconds)."""

    def __init__(self, hand_in: str | os.PathLike[str]) -> None:
        import ipywidgets as widgets

        self.hand_in = Path(hand_in)
        self.view: ClassView | None = None
        self._seen: tuple | None = None
        self._task: asyncio.Task | None = None
        self._updating = False
        self.status = widgets.HTML()
        self.downloads = widgets.HTML()
        self.progress = widgets.HTML()
        self.checks = widgets.HTML()
        self.question = widgets.Dropdown(description="Question:", options=[], style={"description_width": "initial"},
                                         layout=widgets.Layout(width="60em"))
        self.first = widgets.Dropdown(description="Compare:", options=[], style={"description_width": "initial"})
        self.second = widgets.Dropdown(description="with:", options=[], style={"description_width": "initial"})
        self.pair = widgets.HTML()
        self.responses = widgets.HTML()
        for control in (self.question, self.first, self.second):
            control.observe(lambda _: self._show_responses(), names="value")
        heading = lambda text: widgets.HTML(f"<h2>{Markup.escape(text)}</h2>")  # noqa: E731
        self.box = widgets.VBox([
            self.status, self.downloads,
            heading("Who has started, and how far each student is"), self.progress,
            heading("Self-checks: right at the first try, and the misconceptions"), self.checks,
            heading("Claims and open responses, side by side"),
            widgets.HTML("<p>Choose a question to see every student's answer; choose two students to put their "
                         "answers next to each other for the discussion.</p>"),
            self.question, widgets.HBox([self.first, self.second]), self.pair, self.responses,
        ])
        self.box.add_class("cablelab-dashboard")

    def refresh(self, force: bool = False) -> bool:
        """Read the hand-in folder and redraw when anything changed; True when it redrew."""
        from cablelab import charts

        seen = fingerprint(self.hand_in)
        if not force and seen == self._seen:
            return False
        self._seen = seen
        view = read_class(self.hand_in)
        self.view = view
        begun = int(view.progress["started"].sum())
        skipped = "".join(f"<li>{Markup.escape(name)}: {Markup.escape(reason)}</li>" for name, reason in view.skipped)
        self.status.value = (f"<p><strong>{begun} of {len(view.progress)} students have started</strong>; "
                             f"{len(view.progress.query('answered > 0'))} have saved answers. Updated "
                             f"{view.read_at:%H:%M:%S} UTC; the page refreshes itself every few seconds.</p>"
                             + (f"<p>Files not read:</p><ul>{skipped}</ul>" if skipped else ""))
        self.downloads.value = downloads_html(self.hand_in)
        self.progress.value = charts.to_html(progress_chart(view)) + progress_html(view)
        self.checks.value = charts.to_html(first_try_chart(view)) + checks_html(view)
        questions = view.responses.drop_duplicates("question")
        options = [(f"{row.question}: {row.prompt[:90]}" if row.prompt else row.question, row.question)
                   for row in questions.itertuples()]
        keep = self.question.value
        values = [value for _, value in options]
        self._updating = True
        try:
            self.question.options = options
            self.question.value = keep if keep in values else (values[0] if values else None)
        finally:
            self._updating = False
        self._show_responses()
        return True

    def _show_responses(self) -> None:
        if self.view is None or self._updating:
            return
        question = self.question.value
        mine = self.view.responses[self.view.responses["question"] == question]
        students = [("(choose)", None)] + list(zip(mine["student"], mine["username"]))
        self._updating = True
        try:
            for control in (self.first, self.second):
                keep = control.value
                if list(control.options) != students:
                    control.options = students
                control.value = keep if keep in set(mine["username"]) else None
        finally:
            self._updating = False
        chosen = [name for name in (self.first.value, self.second.value) if name]
        self.pair.value = pair_html(self.view, question, chosen)
        self.responses.value = responses_html(self.view, question)

    async def _loop(self, every: float) -> None:
        while True:
            try:
                self.refresh()
            except Exception as err:  # a half-written roster or a file moved away: say so, keep going
                self.status.value = f"<p><strong>Could not refresh: {Markup.escape(str(err))}</strong></p>"
            await asyncio.sleep(every)

    def start(self, every: float = REFRESH_SECONDS) -> "Dashboard":
        """Refresh now, then every `every` seconds on the running event loop (a kernel's)."""
        self.refresh(force=True)
        self._task = asyncio.get_event_loop().create_task(self._loop(every))
        return self

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


def live(hand_in: str | os.PathLike[str] | None = None, every: float = REFRESH_SECONDS):
    """The dashboard widget, refreshing itself; a sentence instead for an account that is not the teacher's."""
    import ipywidgets as widgets

    hand_in = hand_in or os.environ.get(ENV_HANDIN, "")
    if not hand_in:
        return widgets.HTML(f"<p>{Markup.escape(NOT_FOR_YOU.format(reason='no class hand-in folder is set'))}</p>")
    try:
        return Dashboard(hand_in).start(every).box
    except PermissionError as err:
        return widgets.HTML(f"<p>{Markup.escape(NOT_FOR_YOU.format(reason=err))}</p>")
