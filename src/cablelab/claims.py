"""The claim tracker: one claim per lesson about the central question, with its evidence.

    cablelab.claims.tracker("02", cable=cable)     # at the end of a lesson: write one claim, cite its passage
    cablelab.claims.review(cable)                  # lesson 07: every claim saved, in lesson order
    cablelab.claims.look_back("00-notice-think-wonder")   # an earlier answer shown back

A claim is saved at once with the student's answers (``cablelab.answers``) under the
question id ``"NN-claim"`` and kind ``"claim"``; its answer is a mapping: ``claim`` (the
sentence), ``evidence`` (a passage ref such as '3(e)', see ``reader.passages``),
``evidence_label`` ('¶3(e)'), ``quote`` (the words quoted) and ``document`` (what it was
written about). The student is the one the notebook's name box set
(``exercises.student()``). Before a name is given the claim stays in the box and waits, as a
self-check's answer does, and is saved as soon as the name is known. Reopening the notebook
shows the saved claim.

Without a kernel (an exported page) each view shows a sentence saying what it does in a
running notebook, and never another student's text. Every text is escaped (markupsafe).
"""

from __future__ import annotations

import re
import textwrap
import warnings
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup, escape

from cablelab import answers, curated, exercises, reader
from cablelab.session import SESSION
from cablelab.text import strip_markers

KIND = "claim"
CENTRAL_QUESTION = reader.CENTRAL_QUESTION
#: The lessons of the suite, in order: the code a claim's id starts with, and the lesson's name.
LESSONS: dict[str, str] = {
    "00": "Start here",
    "01": "Reading the cable",
    "02": "Negotiation points",
    "03": "Two sides",
    "04": "Actors",
    "05": "Timeline",
    "06": "Role-play",
    "07": "Claim and debrief",
}
CLAIM_ID = re.compile(r"^(0[0-7])-claim$")

PROMPT = ("Write one claim that answers the central question as far as this lesson lets you, then choose "
          "the paragraph or point of the document that supports it and copy the words you rely on.")
PLACEHOLDER = "Washington and Moscow could not close the deal because …"
NO_NAME_YET = ("No name yet: your claim is kept here, not lost. Give your name in the box at the top of the "
               "notebook and it is saved at once.")
NO_NAME_TO_SHOW = ("No name yet: give your name in the box at the top of the notebook, and your saved work "
                   "appears here.")
WRITE_FIRST = "Write your claim first: one sentence is enough."
STATIC_TRACKER = ("Claim tracker: in a running notebook you write your claim here, choose its evidence, and it "
                  "is saved with your answers.")
STATIC_REVIEW = ("Your claims: in a running notebook, every claim you saved in the lessons is shown here, "
                 "lesson by lesson, with its evidence.")
STATIC_LOOK_BACK = "In a running notebook, your saved answer to this question is shown here: {prompt}"
OTHER_DOCUMENT = ("The evidence list comes from {name}, the document loaded in this lesson; your claim is saved "
                  "with its name.")


def question_id(lesson: str) -> str:
    """'02' (or '2', or '02_negotiation_points') -> '02-claim'; ValueError for anything else."""
    code = lesson_code(lesson)
    return f"{code}-claim"


def lesson_code(lesson: str | int) -> str:
    """The two-digit code of a lesson of the suite: '02' from '02', '2', 2 or '02_negotiation_points'."""
    match = re.match(r"^\s*(\d{1,2})(?:\D.*)?$", str(lesson))
    code = f"{int(match.group(1)):02d}" if match else ""
    if code not in LESSONS:
        raise ValueError(f"{lesson!r} is not a lesson of the suite ({', '.join(LESSONS)})")
    return code


def lesson_name(code: str) -> str:
    return f"Lesson {code}: {LESSONS.get(code, '')}".rstrip(": ")


def _document(cable) -> tuple[Any, str]:
    """The document meant (None: the built-in cable) and its short name."""
    if cable is None:
        from cablelab.cable import load

        cable = load()
    return cable, reader._doc_name(cable)


def evidence_options(cable) -> list[tuple[str, str | None]]:
    """The evidence dropdown's options: each paragraph and point, its label and its opening words."""
    return [("Choose the paragraph or point…", None)] + [
        (f"{p.label}: {textwrap.shorten(' '.join(strip_markers(p.text).split()), 60, placeholder='…')}", p.ref)
        for p in reader.passages(cable)]


def _normal(text: str) -> str:
    text = re.sub(r"[“”\"‘’']", "", strip_markers(text)).casefold()
    return " ".join(text.split())


def quote_found(quote: str, passage_text: str) -> bool:
    """Whether every part of the quoted words (parts split at an ellipsis) is in the passage, word for word
    (case, quotation marks and spacing aside)."""
    parts = [_normal(part) for part in re.split(r"…|\.\.\.", quote)]
    parts = [part for part in parts if part]
    return bool(parts) and all(part in _normal(passage_text) for part in parts)


def _esc_block(text: str) -> Markup:
    """Text a student wrote, escaped, its line breaks kept."""
    return Markup("<br>").join(escape(line) for line in str(text).split("\n"))


def _notices(caught) -> Markup:
    return Markup("").join(Markup("<p><strong>{}</strong></p>").format(str(w.message)) for w in caught)


def _load_saved(who: str) -> tuple[dict, Markup, str | None]:
    """The student's saved answers, any notice about the file, and an error sentence (or None)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", answers.AnswersFileWarning)
        try:
            saved = answers.load(who)
        except (answers.AnswersError, OSError, ValueError) as err:
            return {}, Markup(""), f"Saved answers could not be read: {err}"
    return saved, _notices(caught), None


def _join_the_session(widget) -> None:
    """Be shown again, like a self-check, when the student gives a name (exercises.set_student)."""
    SESSION.follow(widget)


class _Saved:
    """What a claim view shares with a self-check, so the notebook's name box reaches it too."""

    _student_override: str | None = None
    _answered = False

    def _who(self) -> str | None:
        return self._student_override or exercises.student()


# ---------------------------------------------------------------- the tracker


class ClaimTracker(_Saved, widgets.VBox):
    """One lesson's claim: ``claim`` (Textarea), ``evidence`` (Dropdown of passage refs), ``quote``
    (Textarea), ``save`` (Button), ``status`` (HTML: saved or waiting), ``check`` (HTML: whether the
    quoted words are in the passage chosen)."""

    def __init__(self, lesson: str, cable=None, student: str | None = None) -> None:
        self.lesson = lesson_code(lesson)
        self.question_id = question_id(self.lesson)
        self._student_override = student
        self.cable, self.document = _document(cable)
        self.passages = reader.passage_map(self.cable)
        self._last_saved: dict | None = None
        self._restoring = False
        other = "" if curated.applies_to(cable) else OTHER_DOCUMENT.format(name=self.document)
        self.prompt = widgets.HTML(self._prompt_html(other))
        self.claim = widgets.Textarea(placeholder=PLACEHOLDER, continuous_update=False, description="My claim:",
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="100%", height="5em"))
        self.evidence = widgets.Dropdown(options=evidence_options(self.cable), value=None, description="Evidence:",
                                         style={"description_width": "initial"},
                                         layout=widgets.Layout(width="auto", max_width="100%"))
        self.quote = widgets.Textarea(placeholder="Copy the words of the document you rely on", continuous_update=False,
                                      description="Words quoted:", style={"description_width": "initial"},
                                      layout=widgets.Layout(width="100%", height="3.5em"))
        self.save = widgets.Button(description="Save my claim", tooltip="Save my claim",
                                   layout=widgets.Layout(width="auto"))
        self.save.on_click(lambda _: self._on_save(pressed=True))
        for control in (self.claim, self.evidence, self.quote):
            control.observe(lambda _change: self._on_save(pressed=False), names="value")
        self.check = widgets.HTML("")
        self.status = widgets.HTML("")
        super().__init__([self.prompt, self.claim, self.evidence, self.quote, self.save, self.check, self.status],
                         layout=widgets.Layout(border="2px solid #6a3d9a", padding="6px", margin="8px 0"))
        self.add_class("cablelab-claim")
        _join_the_session(self)
        self._restore()

    def _prompt_html(self, other: str = "") -> str:
        note = Markup("<p><em>{}</em></p>").format(other) if other else ""
        return str(Markup('<div><strong>Claim tracker</strong> <span style="color:#555">· {}</span></div>'
                          "<p><strong>Central question:</strong> {}</p><p>{}</p>{}").format(
            lesson_name(self.lesson), CENTRAL_QUESTION, PROMPT, note))

    def answer(self) -> dict[str, str]:
        """The claim as the boxes hold it now."""
        ref = self.evidence.value
        label = self.passages[ref].label if ref in self.passages else ""
        return {"claim": self.claim.value.strip(), "evidence": ref or "", "evidence_label": label,
                "quote": self.quote.value.strip(), "document": self.document}

    def _on_save(self, pressed: bool) -> None:
        if self._restoring:
            return
        answer = self.answer()
        self.check.value = self._check_html(answer)
        if not answer["claim"]:
            if pressed:
                self.status.value = str(Markup("<em>{}</em>").format(WRITE_FIRST))
            return
        if answer == self._last_saved:
            return
        self._answered = True
        self._record(answer)

    def _check_html(self, answer: dict) -> str:
        """Whether the quoted words are in the passage chosen: a check on copying, not on the claim."""
        passage = self.passages.get(answer["evidence"])
        if passage is None:
            return ""
        if not answer["quote"]:  # the passage chosen, to copy the words from
            return str(Markup("<p><strong>{} reads:</strong> “{}” Copy the words you rely on into "
                              "<em>Words quoted</em>.</p>").format(passage.label, passage.text))
        if quote_found(answer["quote"], passage.text):
            return str(Markup("<p>✓ The words you quoted are in {}, word for word.</p>").format(passage.label))
        return str(Markup("<p>• The words you quoted are not in {} word for word. A quotation copies the "
                          "document exactly: check them against the text, or choose the passage they come "
                          "from.</p>").format(passage.label))

    def _record(self, answer: dict) -> None:
        if self._who() is None:
            SESSION.wait(self, answer, None, latest_only=True)
            self.status.value = str(Markup("<em>{}</em>").format(NO_NAME_YET))
            return
        self._save(answer, None)

    def _save(self, answer: dict, verdict=None) -> None:
        """Save now (called by exercises.set_student for a claim that waited for a name)."""
        who = self._who()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", answers.AnswersFileWarning)
            try:
                record = answers.save(who, self.question_id, answer, notebook=self.lesson, kind=KIND, correct=None)
            except (answers.AnswersError, OSError, ValueError) as err:
                self.status.value = str(Markup("<strong>{}</strong>").format(
                    f"Not saved yet: {err}. Your claim is still in the box; press Save to try again."))
                return
        self._last_saved = answer
        self.status.value = str(_notices(caught) + Markup("<em>{}</em>").format(
            f"Saved for {who}; every version is kept ({record['attempts']} so far)."))

    def _restore(self) -> None:
        """Show the saved claim, if the student has one; else say what to do."""
        who = self._who()
        if who is None:
            self.status.value = str(Markup("<em>{}</em>").format(NO_NAME_TO_SHOW))
            return
        saved, notices, error = _load_saved(who)
        if error:
            self.status.value = str(Markup("<strong>{}</strong>").format(error))
            return
        record = saved.get(self.question_id)
        answer = record.get("answer") if record else None
        if not isinstance(answer, dict):
            self.status.value = str(notices)
            return
        ref = answer.get("evidence")
        self._restoring = True  # the observers must not save a half-restored claim
        try:
            self.claim.value = str(answer.get("claim", ""))
            self.evidence.value = ref if ref in self.passages else None
            self.quote.value = str(answer.get("quote", ""))
        finally:
            self._restoring = False
        self._last_saved = self.answer() if ref in self.passages or not ref else answer
        self._answered = True
        self.check.value = self._check_html(self.answer())
        shown = f"Your saved claim is shown (saved {record['attempts']} time(s))."
        if ref and ref not in self.passages:
            shown += f" It cited {answer.get('evidence_label') or ref} of {answer.get('document', 'another document')}."
        self.status.value = str(notices + Markup("<em>{}</em>").format(shown))

    def static_html(self) -> str:
        """The tracker with no kernel: the question and what to do, no student text."""
        return str(Markup('<div class="cablelab-fallback cablelab-claim"><p><em>{}</em></p>{}</div>').format(
            STATIC_TRACKER, Markup(self._prompt_html())))

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"Claim tracker, {lesson_name(self.lesson)}: {CENTRAL_QUESTION}"
        return bundle


def tracker(lesson: str, cable=None) -> ClaimTracker:
    """The claim tracker of a lesson ('02'): one claim about the central question and its evidence."""
    return ClaimTracker(lesson, cable)


# ---------------------------------------------------------------- showing saved work back


class _ShownBack(_Saved, widgets.VBox):
    """A view of saved work: ``view`` (HTML) and ``refresh`` (Button); redrawn when a name is given."""

    static_sentence = ""

    def __init__(self) -> None:
        self.view = widgets.HTML("")
        self.refresh = widgets.Button(description="Show again", tooltip="Read the saved answers again",
                                      layout=widgets.Layout(width="auto"))
        self.refresh.on_click(lambda _: self._restore())
        super().__init__([self.view, self.refresh], layout=widgets.Layout(margin="8px 0"))
        _join_the_session(self)
        self._restore()

    def _restore(self) -> None:
        who = self._who()
        if who is None:
            self.view.value = self._frame(Markup("<p><em>{}</em></p>").format(NO_NAME_TO_SHOW))
            return
        saved, notices, error = _load_saved(who)
        if error:
            self.view.value = self._frame(Markup("<p><strong>{}</strong></p>").format(error))
            return
        self.view.value = self._frame(notices + self._body(who, saved))

    def _frame(self, inner: Markup) -> str:
        return str(Markup('<div class="cablelab-claims">{}{}</div>').format(self._heading(), inner))

    def _heading(self) -> Markup:
        return Markup("")

    def _body(self, who: str, saved: dict) -> Markup:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = str(Markup('<div class="cablelab-fallback cablelab-claims">{}<p><em>{}</em></p>'
                                         "</div>").format(self._heading(), self.static_sentence))
        bundle["text/plain"] = self.static_sentence
        return bundle


def saved_claims(saved: dict) -> list[dict]:
    """The claim records among a student's saved answers, in lesson order."""
    claims = [record for qid, record in saved.items()
              if CLAIM_ID.match(qid) and isinstance(record.get("answer"), dict)]
    return sorted(claims, key=lambda record: record["question"])


class ClaimReview(_ShownBack):
    """Every claim the student saved, lesson by lesson, with its evidence and the passage it cites."""

    static_sentence = STATIC_REVIEW

    def __init__(self, cable=None, student: str | None = None) -> None:
        self._student_override = student
        self.cable, self.document = _document(cable)
        self.passages = reader.passage_map(self.cable)
        super().__init__()

    def _heading(self) -> Markup:
        return Markup("<h3>Your claims, lesson by lesson</h3><p><strong>Central question:</strong> {}</p>").format(
            CENTRAL_QUESTION)

    def _body(self, who: str, saved: dict) -> Markup:
        claims = saved_claims(saved)
        if not claims:
            return Markup("<p><em>{}</em></p>").format(
                f"No claim saved yet under the name {who}. Each lesson ends with a claim tracker: write one claim "
                "there and it appears here.")
        return Markup("<ol>{}</ol>").format(Markup("").join(self._item(record) for record in claims))

    def _item(self, record: dict) -> Markup:
        answer = record["answer"]
        code = CLAIM_ID.match(record["question"]).group(1)
        ref, label = answer.get("evidence") or "", answer.get("evidence_label") or answer.get("evidence") or ""
        same_document = answer.get("document") == self.document
        passage = self.passages.get(ref) if same_document else None
        evidence = Markup("<em>no paragraph chosen</em>") if not ref else Markup("{}{}").format(
            label, "" if same_document else f" of {answer.get('document', 'another document')}")
        cited = Markup("<blockquote>{}</blockquote>").format(" ".join(strip_markers(passage.text).split())) if passage else ""
        quote = answer.get("quote") or ""
        quoted = Markup("<p>Words quoted: “{}”</p>").format(quote) if quote else ""
        return Markup("<li><p><strong>{}</strong></p><p>{}</p><p>Evidence: {}</p>{}{}</li>").format(
            lesson_name(code), _esc_block(answer.get("claim", "")), evidence, quoted, cited)


def review(cable=None) -> ClaimReview:
    """Every claim the student saved across the lessons, in lesson order, with its evidence (lesson 07)."""
    return ClaimReview(cable)


def _answer_html(answer: Any) -> Markup:
    """A saved answer of any kind as HTML: text, a list, pairs, or a claim."""
    if isinstance(answer, dict) and "claim" in answer:
        label = answer.get("evidence_label") or answer.get("evidence") or "no paragraph chosen"
        return Markup("<p>{}</p><p>Evidence: {}</p>").format(_esc_block(answer["claim"]), label)
    if isinstance(answer, dict):
        return Markup("<ul>{}</ul>").format(Markup("").join(
            Markup("<li>{} → {}</li>").format(left, right if right is not None else "(none)")
            for left, right in answer.items()))
    if isinstance(answer, list):
        return Markup("<ol>{}</ol>").format(Markup("").join(Markup("<li>{}</li>").format(item) for item in answer))
    return Markup("<blockquote>{}</blockquote>").format(_esc_block("" if answer is None else answer))


class LookBack(_ShownBack):
    """A student's saved answer to an earlier question, shown back (or where to write it)."""

    def __init__(self, question_id: str, student: str | None = None) -> None:
        self.question_id = question_id
        self._student_override = student
        try:
            self.prompt = exercises.question(question_id).prompt
        except KeyError:
            self.prompt = ""
        match = re.match(r"^(\d{2})-", question_id)
        self.code = match.group(1) if match else ""
        self.static_sentence = STATIC_LOOK_BACK.format(prompt=self.prompt or question_id)
        super().__init__()

    def _heading(self) -> Markup:
        where = f" ({lesson_name(self.code)})" if self.code in LESSONS else ""
        return Markup("<h3>Looking back{}</h3>{}").format(
            where, Markup("<p>{}</p>").format(self.prompt) if self.prompt else "")

    def _body(self, who: str, saved: dict) -> Markup:
        record = saved.get(self.question_id)
        if record is None or record.get("answer") in (None, "", [], {}):
            where = f"in {lesson_name(self.code)}, " if self.code in LESSONS else ""
            return Markup("<p><em>{}</em></p>").format(
                f"Nothing saved yet under the name {who} for this question. Write it {where}in the box under "
                "the question, then press Show again here.")
        when = str(record.get("last_saved", ""))[:10]
        return Markup("<p>What you wrote{}:</p>{}").format(f" (saved {when})" if when else "",
                                                          _answer_html(record["answer"]))


def look_back(question_id: str) -> LookBack:
    """The student's saved answer to an earlier question (e.g. '00-notice-think-wonder'), or a sentence
    saying nothing is saved yet and where to write it."""
    return LookBack(question_id)
