"""One notebook kernel's session: the student's name, teacher mode, answers waiting for a name,
and the answer widgets that follow the name box.

    from cablelab.session import SESSION
    SESSION.follow(widget)                 # shown again when the student gives a name
    SESSION.wait(widget, answer)           # kept until the name is known, then widget._save(...)

Every answer widget (a self-check, a claim tracker, the organiser) is a ``Follower``. Before a
name is known its answers wait here in memory, oldest first; ``set_student`` saves them and
shows every live follower the saved answers of the student just named.
"""

from __future__ import annotations

import os
import weakref
from typing import Any, Protocol

from cablelab import answers

ENV_TEACHER = "CABLELAB_TEACHER"
ENV_STUDENT = "CABLELAB_STUDENT"
_YES = {"1", "true", "yes", "on"}


class Follower(Protocol):
    """What an answer widget gives the session so that it follows the name box.

    ``_student_override``: a name given to this widget alone (it then ignores the name box);
    ``_answered``: the student has answered here, so a saved answer must not replace it;
    ``_who()``: the name its answers are saved under; ``_save(answer, verdict)``: save now;
    ``_restore()``: show the saved answer. A self-check also has ``_arrange()``, which puts
    its choices in the new student's order.
    """

    _student_override: str | None
    _answered: bool

    def _who(self) -> str | None: ...

    def _save(self, answer: Any, verdict: Any = None) -> None: ...

    def _restore(self) -> None: ...


class Session:
    """The state of one kernel: ``name``, ``teacher``, ``pending`` answers and the ``live`` followers."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.teacher: bool | None = None
        #: Answers given before a name was known, oldest first: (widget, answer, verdict).
        self.pending: list[tuple[Follower, Any, Any]] = []
        self.live: weakref.WeakSet[Any] = weakref.WeakSet()

    def reset(self) -> None:
        """Forget the name, teacher mode, waiting answers and followers (a fresh kernel; for tests)."""
        self.name = None
        self.teacher = None
        self.pending.clear()
        self.live.clear()

    # -- who and in which mode

    def teacher_mode(self, on: bool | None = None) -> bool:
        """Switch teacher mode on or off (None: just report it). Default: $CABLELAB_TEACHER == 1."""
        if on is not None:
            self.teacher = bool(on)
        if self.teacher is not None:
            return self.teacher
        return os.environ.get(ENV_TEACHER, "").strip().lower() in _YES

    def student(self) -> str | None:
        """On a class hub the signed-in user; else the name given, else $CABLELAB_STUDENT, else None."""
        name = answers.hub_user() or self.name or os.environ.get(ENV_STUDENT, "").strip()
        return name or None

    def set_student(self, name: str) -> str:
        """Set the name, save the answers waiting for it, and show each follower its saved answer.

        Raises ValueError (with a sentence a student can act on) for a name that cannot be a file name.
        """
        name = " ".join(str(name).split())
        answers.safe_name(name)
        try:
            name = answers.own_name(name)  # on a hub, only the signed-in user's own name
        except answers.AnswersError as err:
            raise ValueError(str(err)) from None
        self.name = name
        self.flush()
        for widget in list(self.live):
            if widget._student_override is None:
                arrange = getattr(widget, "_arrange", None)
                if arrange is not None:
                    arrange()  # this student's order, keeping what is already chosen
                if not widget._answered:
                    widget._restore()
        return name

    # -- the followers and their waiting answers

    def follow(self, widget: Follower) -> None:
        """Have `widget` follow the name box: shown its saved answer when the student gives a name."""
        self.live.add(widget)

    def wait(self, widget: Follower, answer: Any, verdict: Any = None, *, latest_only: bool = False) -> None:
        """Keep `answer` until `widget` knows its student; `latest_only` drops the widget's earlier waiting ones."""
        if latest_only:
            self.pending[:] = [entry for entry in self.pending if entry[0] is not widget]
        self.pending.append((widget, answer, verdict))

    def flush(self) -> None:
        """Save, oldest first, every waiting answer whose student is now known."""
        waiting = list(self.pending)
        self.pending.clear()
        for widget, answer, verdict in waiting:
            if widget._who() is None:
                self.pending.append((widget, answer, verdict))
            else:
                widget._save(answer, verdict)


#: The session of this kernel.
SESSION = Session()


def teacher_mode(on: bool | None = None) -> bool:
    """Switch teacher mode on or off (None: just report it). Default: $CABLELAB_TEACHER == 1."""
    return SESSION.teacher_mode(on)


def student() -> str | None:
    """The student's name: on a class hub the signed-in user; else set_student's, else $CABLELAB_STUDENT, else None."""
    return SESSION.student()


def set_student(name: str) -> str:
    """Set the student's name for this session, save any answers kept waiting for it, and show saved ones.

    Raises ValueError (with a sentence a student can act on) for a name that cannot be a file name.
    """
    return SESSION.set_student(name)


def reset_session() -> None:
    """Forget the name, teacher mode and waiting answers (a fresh kernel; for tests)."""
    SESSION.reset()
