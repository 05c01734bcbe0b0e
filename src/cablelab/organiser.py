"""The corroboration organiser of lesson 03: what each side wrote about the cable's points.

    cablelab.organiser.widget(cable)                      # the organiser; every entry saved at once
    cablelab.organiser.write_sheet("organiser.html")      # the printable sheet (blank, or a student's answers)

For each Soviet query of telegram 1379's ¶1, the student writes what Khrushchev himself
wrote about it; for ¶3(c), ¶3(e) and ¶3(f), what each side wrote; and, for every row,
whether the letters agree with the cable, disagree or are silent. The whole organiser is
one answer, saved under the student's name by ``cablelab.answers`` (question id
``03-organiser``) the moment a box is left, exactly as the self-checks save theirs: before
a name is given it waits in memory and is saved as soon as the name is known. The sheet is
a standalone HTML page to print or save as PDF, so the organiser also works on paper.
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import jinja2
import markupsafe

from cablelab import answers, exercises
from cablelab.cable import load
from cablelab.corroboration import applies, cable_words, not_this_document
from cablelab.session import SESSION

QUESTION_ID = "03-organiser"
NOTEBOOK = "03"
KIND = "organiser"
VERDICTS = ["agree", "disagree", "silent", "partly"]
SIDES = {"USSR": "Khrushchev", "US": "Kennedy"}
TITLE = "Corroboration organiser: telegram 1379 beside the Kennedy–Khrushchev letters"
INSTRUCTIONS = ("For each point, write what the letters say about the same matter: a few of the letter's own "
                "words in quotation marks, and which letter (for example FRUS VI, doc. 79). Then choose whether the "
                "letters agree with the cable, disagree, are silent, or partly agree.")
CRITERIA = (
    "Every box names its letter and quotes a few of its words.",
    "For ¶1, you say whether Khrushchev's own words explain the Soviet query.",
    "For ¶3(c), ¶3(e) and ¶3(f), you give both sides, or say that one side is silent.",
    "Your choice of agree, disagree, silent or partly fits the words you quoted.",
)


@dataclass(frozen=True)
class Row:
    """One row of the organiser: a point of telegram 1379, whose letters to read, and the question."""

    point: str
    sides: tuple[str, ...]
    question: str


ROWS: tuple[Row, ...] = (
    Row("1(a)", ("USSR",), "The Soviets asked why the draft cites U Thant's letter. What did Khrushchev write about U Thant or the UN's part?"),
    Row("1(b)", ("USSR",), "The draft said Soviet undertakings were unfulfilled. What did Khrushchev write about Moscow's obligations?"),
    Row("1(c)", ("USSR",), "The draft listed Soviet \"concessions\". What did Khrushchev call Moscow's own moves?"),
    Row("1(d)", ("USSR",), "The draft kept a U.S. right to fly over Cuba. What did Khrushchev write about the flights?"),
    Row("3(c)", ("USSR", "US"), "Washington rejects the Soviet protocol. What did each side write about a protocol or declarations?"),
    Row("3(e)", ("USSR", "US"), "Washington will check compliance with its own resources. What did each side write about this surveillance?"),
    Row("3(f)", ("USSR", "US"), "Washington rejects a U Thant proposal and any inspection of the U.S. without one of the USSR. What did each side write about UN posts?"),
)


def field(point: str, part: str) -> str:
    """The key of one box in the saved answer: '1(c) · Khrushchev', '3(e) · verdict'."""
    return f"{point} · {part}"


def fields() -> list[str]:
    """Every key of the saved answer, in the organiser's order."""
    return [field(row.point, part) for row in ROWS for part in [*(SIDES[s] for s in row.sides), "verdict"]]


# --- the printable sheet -------------------------------------------------------------------------

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_SHEET = _ENV.from_string("""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #000; margin: 1em; }
h1 { font-size: 15pt; margin: 0 0 0.3em 0; }
h2 { font-size: 12pt; margin: 1em 0 0.3em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #e6e6e6; }
td.write { height: 5.5em; width: 24%; white-space: pre-wrap; }
td.cable { width: 26%; font-style: italic; }
td.verdict { width: 11%; }
tr { page-break-inside: avoid; }
.name { margin: 0.5em 0 0.8em 0; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="name">Name: {{ student or "______________________" }} &nbsp;&nbsp; Date: ____________</p>
<p>{{ instructions }}</p>
<table>
<thead><tr><th scope="col">Point</th><th scope="col">What telegram 1379 says</th><th scope="col">What Khrushchev wrote (letter, words)</th><th scope="col">What Kennedy wrote (letter, words)</th><th scope="col">Agree, disagree, silent or partly?</th></tr></thead>
<tbody>
{% for r in rows %}
<tr><th scope="row">¶{{ r.point }}</th><td class="cable"><p>“{{ r.words }}”</p><p style="font-style:normal">{{ r.question }}</p></td>
<td class="write">{{ r.Khrushchev }}</td><td class="write">{{ r.Kennedy }}</td><td class="verdict">{{ r.verdict }}</td></tr>
{% endfor %}
</tbody>
</table>
<h2>Success criteria</h2>
<ul>{% for c in criteria %}<li>{{ c }}</li>{% endfor %}</ul>
<p style="font-size:9pt">The letters: FRUS 1961–1963, vol. VI, documents 67–84 (history.state.gov). Telegram 1379: FRUS 1961–1963, vol. XI, document 212.</p>
</body>
</html>
""")
NOT_ASKED = "(not asked for this point)"


def sheet_rows(answer: dict | None = None) -> list[dict]:
    """The sheet's rows: point, the cable's words, the question, and each box (a saved answer's text, or blank)."""
    cable, answer = load(), answer or {}
    rows = []
    for row in ROWS:
        boxes = {name: (answer.get(field(row.point, name)) or "") if side in row.sides else NOT_ASKED
                 for side, name in SIDES.items()}
        rows.append({"point": row.point, "words": cable_words(cable, row.point), "question": row.question,
                     **boxes, "verdict": answer.get(field(row.point, "verdict")) or ""})
    return rows


def sheet_html(student: str | None = None, answer: dict | None = None) -> str:
    """The printable organiser as a standalone HTML page (no script, no link to fetch): blank, or
    filled with ``answer`` (the saved answer's dict) under ``student``'s name."""
    return _SHEET.render(title=TITLE, student=student, instructions=INSTRUCTIONS, rows=sheet_rows(answer),
                         criteria=CRITERIA)


def write_sheet(path: str | Path, student: str | None = None) -> Path:
    """Write the printable sheet to ``path``: blank, or with ``student``'s saved organiser filled in."""
    record = answers.saved_answer(student, QUESTION_ID) if student else None
    target = Path(path)
    target.write_text(sheet_html(student, record["answer"] if record else None), encoding="utf-8")
    return target


def sheet_link(student: str | None = None, answer: dict | None = None) -> markupsafe.Markup:
    """A link that downloads the sheet (as shown now) from the page itself: no kernel or server needed."""
    payload = base64.b64encode(sheet_html(student, answer).encode("utf-8")).decode("ascii")
    return markupsafe.Markup(
        '<p><a download="organiser_03.html" href="data:text/html;charset=utf-8;base64,{}">Download the printable '
        "sheet</a> (an HTML page: open it in a browser, then print it or save it as PDF).</p>").format(payload)


# --- the widget -----------------------------------------------------------------------------------

_LAYOUT = {"width": "100%"}


class Organiser(widgets.VBox):
    """The organiser: a row per point, a text box per side, an agree/disagree/silent choice.

    Parts: ``boxes`` (key -> Textarea, keys as ``fields()``), ``verdicts`` (point -> Dropdown),
    ``status`` (HTML: saved or not), ``link`` (HTML: the printable sheet). ``answer()`` is the
    dict saved. It follows the self-checks' saving contract (``cablelab.exercises``): answers
    given before a name is known wait and are saved once it is.
    """

    def __init__(self, cable=None, student: str | None = None) -> None:
        self._student_override = student
        self._answered = False
        self._restoring = False
        self.boxes: dict[str, widgets.Textarea] = {}
        self.verdicts: dict[str, widgets.Dropdown] = {}
        cable = cable or load()
        rows = [widgets.HTML(f"<h3>{markupsafe.escape(TITLE)}</h3><p>{markupsafe.escape(INSTRUCTIONS)}</p>")]
        for row in ROWS:
            rows.append(self._row(cable, row))
        self.status = widgets.HTML("")
        self.link = widgets.HTML(str(sheet_link()))
        criteria = "".join(f"<li>{markupsafe.escape(c)}</li>" for c in CRITERIA)
        super().__init__([*rows, widgets.HTML(f"<p><strong>Success criteria</strong></p><ul>{criteria}</ul>"),
                          self.status, self.link],
                         layout=widgets.Layout(border="1px solid #bbb", padding="6px", margin="8px 0"))
        self.add_class("cablelab-organiser")
        SESSION.follow(self)
        self._restore()

    def _row(self, cable, row: Row) -> widgets.VBox:
        words = markupsafe.escape(cable_words(cable, row.point))
        head = widgets.HTML(f"<p><strong>¶{row.point}</strong> <em>“{words}”</em></p>"
                            f"<p>{markupsafe.escape(row.question)}</p>")
        parts: list[widgets.Widget] = [head]
        for side in row.sides:
            name = SIDES[side]
            box = widgets.Textarea(placeholder=f"What {name} wrote: the letter, and a few of its words in quotation marks",
                                   description=f"{name}:", continuous_update=False,
                                   style={"description_width": "7em"}, layout=widgets.Layout(**_LAYOUT, height="4.5em"))
            box.observe(self._on_change, names="value")
            self.boxes[field(row.point, name)] = box
            parts.append(box)
        verdict = widgets.Dropdown(options=[("Choose…", None), *[(v, v) for v in VERDICTS]], value=None,
                                   description="The letters and the cable:", style={"description_width": "initial"})
        verdict.observe(self._on_change, names="value")
        self.verdicts[row.point] = verdict
        parts.append(verdict)
        return widgets.VBox(parts, layout=widgets.Layout(border_bottom="1px solid #ddd", padding="4px 0"))

    # -- the answer

    def answer(self) -> dict[str, str | None]:
        """Every box and choice, keyed as ``fields()``."""
        found: dict[str, str | None] = {key: box.value for key, box in self.boxes.items()}
        found.update({field(point, "verdict"): d.value for point, d in self.verdicts.items()})
        return {key: found[key] for key in fields()}

    def _show(self, answer: dict) -> None:
        self._restoring = True
        try:
            for key, box in self.boxes.items():
                box.value = str(answer.get(key) or "")
            for point, dropdown in self.verdicts.items():
                value = answer.get(field(point, "verdict"))
                dropdown.value = value if value in VERDICTS else None
        finally:
            self._restoring = False

    # -- saving, as exercises.SelfCheck does

    def _who(self) -> str | None:
        return self._student_override or exercises.student()

    def _on_change(self, _change=None) -> None:
        if self._restoring:
            return
        self._answered = True
        answer, verdict = self.answer(), exercises.Verdict(None, "")
        if self._who() is None:
            SESSION.wait(self, answer, verdict)
            self.status.value = f"<em>{markupsafe.escape(exercises.NO_NAME_YET)}</em>"
            return
        SESSION.flush()
        self._save(answer, verdict)

    def _save(self, answer: dict, verdict=None) -> None:
        who = self._who()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", answers.AnswersFileWarning)
            try:
                record = answers.save(who, QUESTION_ID, answer, notebook=NOTEBOOK, kind=KIND, correct=None)
            except (answers.AnswersError, OSError, ValueError) as err:
                SESSION.wait(self, answer, verdict or exercises.Verdict(None, ""))
                self.status.value = f"<strong>{markupsafe.escape('Not saved yet: ' + str(err))}</strong>"
                return
        notices = "".join(f"<p><strong>{markupsafe.escape(w.message)}</strong></p>" for w in caught)
        saved = f"Saved for {who} ({record['attempts']} save(s) so far)."
        self.status.value = notices + f"<em>{markupsafe.escape(saved)}</em>"
        self.link.value = str(sheet_link(who, answer))

    def _restore(self) -> None:
        who = self._who()
        if who is None:
            self.status.value = f"<em>{markupsafe.escape(exercises.NO_NAME_YET_ASKED)}</em>"
            return
        try:
            record = answers.saved_answer(who, QUESTION_ID)
        except (answers.AnswersError, OSError, ValueError) as err:
            self.status.value = f"<strong>{markupsafe.escape('Saved answers could not be read: ' + str(err))}</strong>"
            return
        if record is None or not isinstance(record.get("answer"), dict):
            self.status.value = ""
            return
        self._answered = True
        self._show(record["answer"])
        self.status.value = f"<em>{markupsafe.escape('Your saved organiser is shown.')}</em>"
        self.link.value = str(sheet_link(who, record["answer"]))

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        note = "The organiser is filled in a running notebook, where it is saved. The printable sheet:"
        bundle["text/html"] = f'<div class="cablelab-fallback"><p><em>{markupsafe.escape(note)}</em></p>{self.link.value}</div>'
        bundle["text/plain"] = note
        return bundle


class NotThisDocument(widgets.HTML):
    """What ``widget`` shows on a document other than telegram 1379: a sentence; nothing is saved."""

    def __init__(self, cable) -> None:
        self.sentence = not_this_document(cable)
        super().__init__(f'<div class="cablelab-organiser"><p><em>{markupsafe.escape(self.sentence)}</em></p></div>')

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"], bundle["text/plain"] = self.value, self.sentence
        return bundle


def widget(cable=None, student: str | None = None) -> Organiser | NotThisDocument:
    """The organiser for the lesson's document (telegram 1379); on another one, a sentence saying
    that it belongs to telegram 1379, and nothing saved. ``student`` overrides the session's name."""
    if not applies(cable):
        return NotThisDocument(cable)
    return Organiser(cable, student)
