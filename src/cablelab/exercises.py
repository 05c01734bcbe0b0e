"""Self-checks and open responses from ``data/questions.yaml``, as ipywidgets.

    from cablelab import exercises
    exercises.student_widget()              # once per notebook: the student's name
    exercises.ask("02-hardest-bargainer", cable=cable)   # one question; on another document, a note

Closed questions (single, multiple, match, order, text) give explanatory feedback when
the student presses Check; retries are unlimited and no score is shown. Their choices
(options, a match's right-hand texts, the events to order) appear in an order shuffled for
each student (``shuffled``): the same order every time that student reopens the notebook,
another order for the next student, and before a name is given an order drawn from the
question id alone, never the order the bank is written in. Answers are saved and graded by
text, so the order shown changes nothing else.

Open questions give a text box (with sentence frames) and show their success criteria,
the three-level checklist, before the student writes, in every mode. Their model answer is
for the teacher: it appears only in teacher mode (``teacher_mode(True)`` or
``CABLELAB_TEACHER=1``) and only when asked. In student mode the model answer is in no
widget, no widget state and no HTML, so a static export cannot leak it.

Every answer is saved at once through ``cablelab.answers``. Before the student has given
a name, answers are kept in memory and saved as soon as the name is known. A widget's
parts are attributes (``w.choice``, ``w.check``, ``w.feedback``, ``w.status`` ...), so its
logic can be driven outside a kernel: set a control's ``.value``, call ``w.check.click()``
and read ``w.feedback.value``.

The work is shared by concept: ``cablelab.bank`` (the bank's schema and validation),
``cablelab.grading`` (verdicts and the students' orders, pure functions) and
``cablelab.session`` (the name, teacher mode, answers waiting for a name, the widgets that
follow the name box). This module holds the widgets, one ``CONTROLS`` row per kind of
question, and keeps every name of those modules that notebooks use (``exercises.ask``,
``exercises.load_bank``, ``exercises.set_student`` ...).
"""

from __future__ import annotations

import os
import warnings
from abc import ABC, abstractmethod
from typing import Any

import ipywidgets as widgets
import traitlets
from markupsafe import Markup

from cablelab import answers, curated
from cablelab.bank import (  # noqa: F401  (the bank's names, as notebooks and tests know them)
    FORBIDDEN_OPTIONS, ID_PATTERN, KIND_FIELDS, KINDS, MIN_FEEDBACK_WORDS, NOTEBOOKS, YAML_LOADER, BankFigures,
    Item, Level, Misreading, Option, Pair, Question, QuestionBankError, bank_figures, bank_path, load_bank,
    parse_bank, question, questions,
)
from cablelab.grading import Verdict, feedback_box, grade, note, opens, shuffled  # noqa: F401
from cablelab.session import (  # noqa: F401
    ENV_STUDENT, ENV_TEACHER, SESSION, Session, reset_session, set_student, student, teacher_mode,
)

ENV_FRAMES = "CABLELAB_FRAMES"
STATIC_NOTE = ("Self-check: in a running notebook you answer and press Check. Here, open a choice "
               "to read its feedback.")
STATIC_NOTE_OPEN = "Written answer: write it in a running notebook, where it is saved."
NO_NAME_YET_ASKED = ("No name yet: give your name at the top of the notebook so that your answers are saved. "
                     "Answers given before that are kept until you do.")
NO_NAME_YET = ("No name yet: this answer is kept in memory. Give your name in the box at the top of "
               "the notebook and it will be saved.")
NOT_THIS_DOCUMENT = ("This {what} is about telegram {seed} and does not apply to the loaded document "
                     "({name}), so nothing is asked or saved here.")
HUB_SIGNED_IN = ("You are signed in to the class hub as {name}: your answers are saved under that name, "
                 "in your own folder of the class hand-in folder, and only you and your teacher can read them.")

_WIDE = widgets.Layout(width="auto", max_width="100%")
_CHOOSE = ("Choose…", None)


def _em(text: Any) -> str:
    return str(Markup("<em>{}</em>").format(text))


def _strong(text: Any) -> str:
    return str(Markup("<strong>{}</strong>").format(text))


def _items(tag: str, texts) -> Markup:
    """`texts` as the items of a list (``ul`` or ``ol``), each escaped."""
    return Markup("<{0}>{1}</{0}>").format(Markup(tag), Markup("").join(Markup("<li>{}</li>").format(t)
                                                                        for t in texts))


def _notices(caught) -> str:
    """The answers file's warnings, one paragraph each."""
    return str(Markup("").join(Markup("<p><strong>{}</strong></p>").format(str(w.message)) for w in caught))


def _frames_on(frames: bool | None) -> bool:
    if frames is not None:
        return frames
    return os.environ.get(ENV_FRAMES, "1").strip().lower() not in {"0", "false", "no", "off"}


# ---------------------------------------------------------------- one row per kind of question


class _Controls(ABC):
    """How one kind of question shows in a ``SelfCheck``: its controls, the order of its choices,
    the answer they hold, and its page with no kernel. The parts are set on the widget itself."""

    @abstractmethod
    def build(self, w: SelfCheck) -> list[widgets.Widget]:
        """The controls, empty of choices: ``arrange`` fills them in the student's order."""

    def written(self, q: Question) -> list[str]:
        """The choices as the bank writes them (never shown in this order)."""
        return []

    def arrange(self, w: SelfCheck, order: list[str]) -> None:
        """Put the choices in `order`, keeping whatever is already chosen."""

    @abstractmethod
    def answer(self, w: SelfCheck) -> Any:
        """The answer the controls hold now (None, or empty, when nothing is chosen)."""

    @abstractmethod
    def show(self, w: SelfCheck, answer: Any) -> None:
        """Put a saved answer back in the controls; an error when it no longer fits."""

    @abstractmethod
    def static(self, w: SelfCheck) -> Markup:
        """The question's body on a page with no kernel."""


class _Single(_Controls):
    def build(self, w):
        w.choice = widgets.RadioButtons(options=[], value=None, layout=_WIDE)
        return [w.choice]

    def written(self, q):
        return [o.text for o in q.options]

    def arrange(self, w, order):
        chosen = w.choice.value
        w.choice.options = order
        w.choice.value = chosen

    def answer(self, w):
        return w.choice.value

    def show(self, w, answer):
        w.choice.value = answer

    def static(self, w):
        by_text = {o.text: o for o in w.question.options}
        return Markup("").join(opens(text, note(by_text[text].correct, "", by_text[text].feedback))
                               for text in w.shown_order)


class _Multiple(_Single):
    def build(self, w):
        w._boxes = {o.text: widgets.Checkbox(value=False, description=o.text, indent=False, layout=_WIDE)
                    for o in w.question.options}
        w.choices = list(w._boxes.values())
        w._choice_list = widgets.VBox(w.choices)
        return [w._choice_list]

    def arrange(self, w, order):
        w.choices = [w._boxes[text] for text in order]
        w._choice_list.children = tuple(w.choices)

    def answer(self, w):  # in the bank's order, whatever order they are shown in
        return [o.text for o in w.question.options if w._boxes[o.text].value]

    def show(self, w, answer):
        for text, box in w._boxes.items():
            box.value = text in set(answer)


class _Dropdowns(_Controls):
    """Choices offered in dropdowns: a match's right-hand texts, an order's events."""

    @abstractmethod
    def dropdowns(self, w: SelfCheck) -> list[widgets.Dropdown]:
        """The dropdowns that offer the choices."""

    def arrange(self, w, order):
        offered = [_CHOOSE] + [(text, text) for text in order]
        for dropdown in self.dropdowns(w):
            chosen = dropdown.value
            dropdown.options = offered
            dropdown.value = chosen


class _Match(_Dropdowns):
    def build(self, w):
        w.dropdowns = {p.left: widgets.Dropdown(options=[_CHOOSE], value=None, layout=_WIDE)
                       for p in w.question.pairs}
        return [widgets.VBox([widgets.HTML(_strong(left)), dropdown]) for left, dropdown in w.dropdowns.items()]

    def dropdowns(self, w):
        return list(w.dropdowns.values())

    def written(self, q):
        return q.choices

    def answer(self, w):
        return {left: dropdown.value for left, dropdown in w.dropdowns.items()}

    def show(self, w, answer):
        for left, dropdown in w.dropdowns.items():
            dropdown.value = answer.get(left)

    def static(self, w):
        checks = Markup("").join(opens(f"Check: {p.left}", note(True, p.right, p.feedback)) for p in w.question.pairs)
        return Markup("<p>Choices:</p>") + _items("ul", w.shown_order) + checks


class _Order(_Dropdowns):
    def build(self, w):
        w.slots = [widgets.Dropdown(options=[_CHOOSE], value=None, description=f"{n}.", layout=_WIDE,
                                    style={"description_width": "2em"})
                   for n in range(1, len(w.question.items) + 1)]
        return [widgets.HTML("<em>Earliest first.</em>"), *w.slots]

    def dropdowns(self, w):
        return w.slots

    def written(self, q):
        return [item.text for item in q.items]

    def answer(self, w):
        return [slot.value for slot in w.slots]

    def show(self, w, answer):
        for slot, value in zip(w.slots, answer):
            slot.value = value

    def static(self, w):
        in_order = _items("ol", (f"{i.text}: {i.feedback}" for i in w.question.items))
        return _items("ul", w.shown_order) + opens("Check your order", in_order)


class _Text(_Controls):
    def build(self, w):
        w.text = widgets.Text(placeholder="Type your answer", description="Answer:", layout=_WIDE)
        return [w.text]

    def answer(self, w):
        return w.text.value

    def show(self, w, answer):
        w.text.value = answer

    def static(self, w):
        q = w.question
        return opens("Check your answer", note(True, q.accepted[0], q.feedback["correct"]))


class _Open(_Controls):
    def build(self, w):
        q = w.question
        shown = q.frames if w._frames else ()
        w.frames = widgets.HTML(str(Markup("<div>Sentence starters:</div>") + _items("ul", shown)) if shown else "")
        # Success criteria come before the writing, for every student (TEACHING.md §4).
        w.criteria = widgets.HTML(w._criteria_html())
        w.response = widgets.Textarea(placeholder="Write your answer here. It is saved when you click away "
                                                  "or press Save.",
                                      continuous_update=False, layout=widgets.Layout(width="100%", height="9em"))
        w.response.observe(lambda change: w._on_open_change(), "value")
        w.save = w._button("Save my answer", w._on_open_change)
        w.reveal = w._button("Show the model answer (teacher)", w._on_reveal)
        # Filled only on request in teacher mode: in student mode the model answer is never in any widget state.
        w.model = widgets.HTML("")
        # A student's copy has no button that only says "not for you": the model answer is discussed in class.
        w.buttons = widgets.HBox([w.save, w.reveal] if teacher_mode() else [w.save])
        return [w.criteria, w.frames, w.response, w.buttons, w.model]

    def answer(self, w):
        return w.response.value

    def show(self, w, answer):
        w._last_open_saved = answer  # set first: the observer must not save it again
        w.response.value = answer

    def static(self, w):
        # Teacher mode only, and folded: a teacher's exported copy can show it when asked.
        model = opens("Model answer", w._model_html()) if teacher_mode() else ""
        return Markup(w.criteria.value) + Markup(w.frames.value) + model


#: One row per kind of question: how a self-check shows it.
CONTROLS: dict[str, _Controls] = {"single": _Single(), "multiple": _Multiple(), "match": _Match(),
                                  "order": _Order(), "text": _Text(), "open": _Open()}


# ---------------------------------------------------------------- the self-check


class SelfCheck(widgets.VBox):
    """One question: its prompt, controls, a Check (or Save) button, the feedback and a save status.

    Parts as attributes: ``prompt``, ``feedback`` and ``status`` (HTML); ``check`` (Button,
    closed questions); per kind ``choice`` (RadioButtons), ``choices`` (Checkboxes, in the
    order shown), ``dropdowns`` (left text -> Dropdown), ``slots`` (Dropdowns, first place
    first), ``text`` (Text), or ``criteria`` (the checklist, shown to everyone), ``response``,
    ``buttons`` (``save``, and ``reveal`` in teacher mode) and ``model`` (open). Choices are
    shown in the student's order (``shuffled``); ``shown_order`` is that order, and it follows
    the name when the student gives one.
    """

    def __init__(self, q: Question, student_name: str | None = None, frames: bool | None = None) -> None:
        self.question = q
        self._controls = CONTROLS[q.kind]
        self._student_override = student_name
        self._answered = False
        self._last_open_saved: str | None = None
        self._frames = _frames_on(frames)
        self.shown_order: list[str] = []
        self.prompt = widgets.HTML(self._prompt_html())
        self.feedback = widgets.HTML("")
        self.status = widgets.HTML("")
        controls = self._controls.build(self)
        if q.closed:
            self.check = self._button("Check my answer", self._on_check)
            controls.append(self.check)
        super().__init__([self.prompt, *controls, self.feedback, self.status],
                         layout=widgets.Layout(border="1px solid #bbb", padding="6px", margin="8px 0"))
        self.add_class("cablelab-question")
        self._arrange()
        SESSION.follow(self)
        self._restore()

    # -- building

    def _prompt_html(self) -> str:
        q = self.question
        optional = " (optional)" if q.optional else ""
        return str(Markup('<div><strong>{}{}</strong> <span style="color:#555">· {}</span></div><p>{}</p>').format(
            "Self-check" if q.closed else "Your answer", optional, q.skill, q.prompt))

    def _button(self, label: str, handler) -> widgets.Button:
        button = widgets.Button(description=label, tooltip=label, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _: handler())
        return button

    def _arrange(self) -> None:
        """Put the choices in this student's order, keeping whatever is already chosen."""
        order = shuffled(self._controls.written(self.question), self.question.id, self._who())
        if order == self.shown_order:
            return
        self.shown_order = order
        self._controls.arrange(self, order)

    def _criteria_html(self) -> str:
        """The three-level checklist, shown before the student writes."""
        level = Markup("<li><strong>{}</strong><ul>{}</ul></li>")
        sign = Markup("<li>{}</li>")
        levels = Markup("").join(level.format(lv.level, Markup("").join(sign.format(s) for s in lv.signs))
                                 for lv in self.question.checklist)
        return str(Markup('<div class="cablelab-criteria"><p><strong>What a good answer does</strong> (read '
                          "this before you write, and check your answer against it before you save)</p>"
                          "<ul>{}</ul></div>").format(levels))

    # -- without a kernel (a static page, jupyterlab-rise): the question in plain HTML

    def static_html(self) -> str:
        """The question as HTML that works with no kernel: each choice opens to its feedback.

        Choices come in the same order as in the widget. An open question shows its prompt,
        success criteria and sentence starters; its model answer only in teacher mode.
        """
        note_text = STATIC_NOTE if self.question.closed else STATIC_NOTE_OPEN
        return str(Markup('<div class="cablelab-fallback cablelab-question"><p><em>{}</em></p>{}{}</div>').format(
            note_text, Markup(self._prompt_html()), self._controls.static(self)))

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html()
        label = "Self-check" if self.question.closed else "Written answer"
        bundle["text/plain"] = f"{label} {self.question.id}: {self.question.prompt}"
        return bundle

    # -- reading and showing answers

    def answer(self) -> Any:
        """The answer the controls hold now (None, or empty, when nothing is chosen)."""
        return self._controls.answer(self)

    def _show(self, answer: Any) -> bool:
        """Put a saved answer back into the controls; False when it no longer fits the question."""
        try:
            self._controls.show(self, answer)
        except (KeyError, TypeError, ValueError, AttributeError, traitlets.TraitError):
            return False  # the teacher changed the question since; leave the controls empty
        return True

    # -- events

    def _on_check(self) -> None:
        verdict = grade(self.question, self.answer())
        if verdict is None:
            self.feedback.value = feedback_box([note(None, "Choose an answer first, then check it.")])
            return
        self.feedback.value = verdict.html
        self._answered = True
        self._record(self.answer(), verdict)

    def _on_open_change(self) -> None:
        text = self.response.value
        if not text.strip() or text == self._last_open_saved:
            return
        self._last_open_saved = text
        self._answered = True
        self._record(text, Verdict(None, ""))

    def _on_reveal(self) -> None:
        if not teacher_mode():
            self.model.value = feedback_box([note(None, "The model answer is in the teacher's version of this "
                                                        "notebook. Check your answer against the list above, save "
                                                        "it, and discuss it in class.")])
            return
        self.model.value = self._model_html()

    def _model_html(self) -> str:
        """The model answer; callers check teacher mode first (the checklist is shown to everyone)."""
        return str(Markup('<div class="cablelab-model-answer"><p><strong>Model answer</strong> (one of several '
                          "good ones)</p><p>{}</p></div>").format(self.question.model_answer))

    # -- saving

    def _who(self) -> str | None:
        return self._student_override or student()

    def _record(self, answer: Any, verdict: Verdict) -> None:
        if self._who() is None:
            SESSION.wait(self, answer, verdict)
            self.status.value = _em(NO_NAME_YET)
            return
        SESSION.flush()  # answers an earlier failure left waiting go first, to keep the history in order
        self._save(answer, verdict)

    def _save(self, answer: Any, verdict: Verdict) -> None:
        q, who = self.question, self._who()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", answers.AnswersFileWarning)
            try:
                record = answers.save(who, q.id, answer, notebook=q.notebook, kind=q.kind,
                                      correct=verdict.correct, mistakes=verdict.mistakes)
            except (answers.AnswersError, OSError, ValueError) as err:
                # Keep it: the next answer, or set_student, tries again.
                SESSION.wait(self, answer, verdict)
                self.status.value = _strong(f"Not saved yet: {err}")
                return
        for w in caught:
            warnings.warn(str(w.message), answers.AnswersFileWarning, stacklevel=2)
        self.status.value = _notices(caught) + _em(f"Saved for {who} (attempt {record['attempts']}).")

    def _restore(self) -> None:
        """Show the saved answer of this question, if the student has one."""
        who = self._who()
        if who is None:
            self.status.value = _em(NO_NAME_YET_ASKED)
            return
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", answers.AnswersFileWarning)
            try:
                record = answers.saved_answer(who, self.question.id)
            except (answers.AnswersError, OSError, ValueError) as err:
                self.status.value = _strong(f"Saved answers could not be read: {err}")
                return
        notices = _notices(caught)
        if record is None or not self._show(record["answer"]):
            self.status.value = notices
            return
        self._answered = True
        if self.question.closed:
            verdict = grade(self.question, record["answer"])
            self.feedback.value = verdict.html if verdict else ""
        self.status.value = notices + _em(f"Your saved answer is shown ({record['attempts']} attempt(s)).")


# ---------------------------------------------------------------- the name box, another document, ask


class NameBox(widgets.VBox):
    """The name box: ``name`` (Text), ``button`` (Button) and ``status`` (HTML)."""

    def __init__(self) -> None:
        hub = answers.hub_user()
        if hub:  # signed in to the class hub: nothing to type, and no other name to choose
            self.intro = widgets.HTML("")
            self.name = widgets.Text(value=hub, disabled=True, description="Your name:")
            self.button = widgets.Button(description="Save my name", layout=widgets.Layout(display="none"))
            self.status = widgets.HTML(str(Markup("<p>{}</p>").format(HUB_SIGNED_IN.format(name=hub))))
            super().__init__([self.status])
            return
        self.intro = widgets.HTML("<p>Type your name and press <em>Save my name</em>. Your answers in this "
                                  "notebook are saved under it, and shown again when you reopen the notebook.</p>")
        self.name = widgets.Text(value=student() or "", placeholder="First name and last initial",
                                 description="Your name:", style={"description_width": "initial"})
        self.button = widgets.Button(description="Save my name", tooltip="Save my name")
        self.button.on_click(lambda _: self._on_save())
        self.status = widgets.HTML(self._saved_message() if student() else "")
        super().__init__([self.intro, widgets.HBox([self.name, self.button]), self.status])

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        text = "Your name is asked here in a running notebook; your answers are saved under it."
        bundle["text/html"] = str(Markup('<div class="cablelab-fallback"><p><em>{}</em></p></div>').format(text))
        bundle["text/plain"] = text
        return bundle

    def _saved_message(self) -> str:
        who = student() or ""
        return _em(f"Answers are saved for {who} in {answers.answers_path(who)}.")

    def _on_save(self) -> None:
        try:
            set_student(self.name.value)
        except ValueError as err:
            self.status.value = _strong(f"That name cannot be used: {err}. Try letters and digits.")
            return
        self.status.value = self._saved_message()


class NotThisDocument(widgets.HTML):
    """What ``ask`` shows on a document other than telegram 1379: one sentence; nothing is saved.

    ``question`` is the question it stands for; the sentence is also its kernel-free view.
    """

    def __init__(self, q: Question, cable) -> None:
        self.question = q
        what = "self-check" if q.closed else "question"
        self.sentence = NOT_THIS_DOCUMENT.format(what=what, seed=curated.SEED_NUMBER, name=_document_name(cable))
        super().__init__(str(Markup('<div class="cablelab-question"><p><em>{}</em></p></div>').format(self.sentence)))

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.value
        bundle["text/plain"] = self.sentence
        return bundle


def _document_name(cable) -> str:
    """'Telegram MISUN 22', 'Memorandum', 'Editorial Note': the loaded document's kind and number."""
    meta = cable.metadata
    kind, number = meta.get("doc_type"), meta.get("number")
    kind = kind if isinstance(kind, str) and kind else "document"
    return f"{kind} {number}" if isinstance(number, str) and number else kind


def student_widget() -> NameBox:
    """The name box at the top of a notebook: a text field and a button; answers are saved under this name."""
    return NameBox()


ask_name = student_widget


def ask(question_id: str, student: str | None = None, *, frames: bool | None = None,
        cable=None) -> SelfCheck | NotThisDocument:
    """The widget for one question of the bank.

    `student` overrides the session's student for this widget. `frames` shows or hides an
    open question's sentence starters (default: shown, unless $CABLELAB_FRAMES=0). `cable`:
    the lesson's document; the bank's questions are about telegram 1379, so on another
    document (``curated.applies_to``) the widget says so in a sentence and saves nothing.
    """
    q = question(question_id)
    if not curated.applies_to(cable):
        return NotThisDocument(q, cable)
    return SelfCheck(q, student_name=student, frames=frames)
