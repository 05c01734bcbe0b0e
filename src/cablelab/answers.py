"""The answers file: every answer a student gives, saved at once and never lost.

One JSON file per student, ``<folder>/<student>.json``; the folder is the one given to
``set_folder(path)``, else ``$CABLELAB_ANSWERS``, else ``~/.cablelab/answers``.

Whose answers: on a class hub (JupyterHub sets ``$JUPYTERHUB_USER``) answers are saved and
read under the hub user's name only; asking for any other name raises AnswersError, so no
student types a name and none saves under someone else's (``own_name``). The hub points
``$CABLELAB_ANSWERS`` at the student's own folder of the class hand-in folder
(``cablelab.handin``), one folder per student, which ``collect`` reads as well.

What "never lost" means here:
- every save is atomic: a temporary file in the same folder, flushed and fsynced, then
  ``os.replace``d over the old file and the folder fsynced. A crash or ``kill -9`` at any
  moment leaves the old file or the new one whole, never half of each;
- a lock (filelock) is held around read-merge-write, so two notebooks saving for the same
  student at once keep both answers;
- a file that is not a valid answers file (corrupt, or broken by hand) is moved aside as
  ``<student>.corrupt-<UTC timestamp>.json`` with a warning, and a fresh file is started;
  nothing is silently overwritten.

Teacher's side: ``collect(folder)`` reads a folder of answer files into frames, and
``collect_command(folder, out=None)`` is ``python -m cablelab collect DIR``.

This module imports only the standard library and filelock at import time (pandas is
loaded by ``collect``), so a writer process starts fast.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import unicodedata
import warnings
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

if TYPE_CHECKING:
    import pandas as pd

ENV_FOLDER = "CABLELAB_ANSWERS"
#: Set by JupyterHub in every single-user server (and so in its kernels): who signed in.
ENV_HUB_USER = "JUPYTERHUB_USER"
FORMAT = "cablelab-answers"
VERSION = 1
#: Seconds to wait for another notebook that is saving for the same student.
LOCK_TIMEOUT = 30.0
RECORD_KEYS = ("question", "notebook", "kind", "answer", "correct", "attempts",
               "first_saved", "last_saved", "history")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

_folder: Path | None = None


class AnswersError(Exception):
    """An answer could not be saved (the message says why and where)."""


class AnswersFileWarning(UserWarning):
    """An answers file was unreadable and has been moved aside; a fresh one was started."""


# ---------------------------------------------------------------- where answers go


def set_folder(path: str | os.PathLike[str] | None) -> Path:
    """Save answers in `path` from now on (None: back to $CABLELAB_ANSWERS or the default)."""
    global _folder
    _folder = Path(path).expanduser() if path is not None else None
    return folder()


def folder() -> Path:
    """The answers folder: set_folder's, else $CABLELAB_ANSWERS, else ~/.cablelab/answers."""
    if _folder is not None:
        return _folder
    env = os.environ.get(ENV_FOLDER)
    return Path(env).expanduser() if env else Path.home() / ".cablelab" / "answers"


def safe_name(student: str) -> str:
    """The file-name form of a student's name: lowercase words joined by '-'.

    Letters of any script are kept ("José Núñez" -> "josé-núñez"). A name holding a path
    separator, or with nothing usable in it, raises ValueError: a name is never a path.
    """
    if not isinstance(student, str):
        raise ValueError(f"a student name must be text, not {type(student).__name__}")
    if any(sep in student for sep in ("/", "\\", os.sep, os.altsep or "/", "\0")):
        raise ValueError(f"a student name may not contain '/' or '\\': {student!r}")
    text = unicodedata.normalize("NFC", student).strip().casefold()
    slug = re.sub(r"[^\w]+", "-", text).strip("-_")[:64].strip("-_")
    if not slug:
        raise ValueError(f"a student name needs at least one letter or digit: {student!r}")
    # Windows refuses these names whatever the extension; a shared drive may be Windows.
    return f"{slug}-student" if slug in _WINDOWS_RESERVED else slug


def hub_user() -> str | None:
    """The name the class hub signed this person in as ($JUPYTERHUB_USER), or None off a hub."""
    name = os.environ.get(ENV_HUB_USER, "").strip()
    return name or None


def own_name(student: str | None = None) -> str:
    """The name answers are saved and read under: the identity rule.

    On a class hub it is always the hub user: `student` may be None or the same name (in
    any case or spacing), and any other name raises AnswersError, so nobody saves or reads
    under someone else's name. Off a hub it is `student`, which must then be given.
    """
    hub = hub_user()
    if hub is None:
        if student is None:
            raise AnswersError("no student name given: type your name in the name box first")
        return student
    if student is not None and safe_name(student) != safe_name(hub):
        raise AnswersError(
            f"on the class hub your answers are saved under the name you signed in with, {hub}; "
            f"they cannot be saved or read under another name ({student!r})"
        )
    return hub


def answers_path(student: str, where: str | os.PathLike[str] | None = None) -> Path:
    """The answers file of `student` (in `where`, else the answers folder)."""
    return Path(where or folder()) / f"{safe_name(student)}.json"


def _lock_for(path: Path) -> FileLock:
    # filelock re-checks the inode after locking, so its removing the lock file on release is
    # safe; and it falls back to a soft lock on a shared drive that has no flock.
    return FileLock(path.parent / f".{path.name}.lock", timeout=LOCK_TIMEOUT)


# ---------------------------------------------------------------- reading


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _problem(data: Any) -> str | None:
    """Why `data` is not an answers file, or None when it is one."""
    if not isinstance(data, dict):
        return "the file does not hold a JSON object"
    if data.get("format") != FORMAT:
        return f"its 'format' is {data.get('format')!r}, not {FORMAT!r}"
    records = data.get("answers")
    if not isinstance(records, dict):
        return "it has no 'answers' object"
    for qid, record in records.items():
        if not isinstance(record, dict):
            return f"answer {qid!r} is not an object"
        missing = [key for key in RECORD_KEYS if key not in record]
        if missing:
            return f"answer {qid!r} lacks {', '.join(missing)}"
        if not isinstance(record["history"], list) or not isinstance(record["attempts"], int):
            return f"answer {qid!r} has a malformed history or attempts count"
    return None


def read_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read one answers file; raise ValueError saying what is wrong with it."""
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise ValueError(f"not UTF-8 text (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    problem = _problem(data)
    if problem:
        raise ValueError(problem)
    return data


def _fresh(student: str) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "student": student, "answers": {}}


def _backup_name(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    stem = path.name.removesuffix(".json")
    candidate = path.with_name(f"{stem}.corrupt-{stamp}.json")
    n = 2
    while candidate.exists():  # two in the same second: never overwrite a backup
        candidate = path.with_name(f"{stem}.corrupt-{stamp}-{n}.json")
        n += 1
    return candidate


def _read_or_set_aside(path: Path, student: str) -> dict[str, Any]:
    """The file's contents; a bad file is moved aside (with a warning) and a fresh one begun.

    The caller holds the lock, so no writer can replace the file while it is moved.
    """
    if not path.exists():
        return _fresh(student)
    try:
        return read_file(path)
    except ValueError as err:
        backup = _backup_name(path)
        os.replace(path, backup)
        _fsync_dir(path.parent)
        warnings.warn(
            f"The answers file {path} could not be read ({err}). It has been kept as "
            f"{backup.name} and a fresh answers file started; show it to your teacher.",
            AnswersFileWarning,
            stacklevel=3,
        )
        return _fresh(student)


def load(student: str | None, where: str | os.PathLike[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every saved answer of `student`, keyed by question id ({} when there are none).

    A corrupt file is moved aside with an AnswersFileWarning, never overwritten. On a class
    hub only the hub user's own answers can be read this way (``own_name``).
    """
    student = own_name(student)
    path = answers_path(student, where)
    if not path.exists():
        return {}
    try:
        return read_file(path)["answers"]
    except (ValueError, OSError):
        pass
    # Only under the lock may a file be moved aside: a writer could be replacing it.
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        return _read_or_set_aside(path, student)["answers"]


def saved_answer(student: str | None, question_id: str, where: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """The saved record of one question for `student`, or None."""
    return load(student, where).get(question_id)


# ---------------------------------------------------------------- writing


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on Windows.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the new one, whole."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from a teacher collecting it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _remove_stale_temporaries(path: Path) -> None:
    # Only writers holding the lock make temporaries, so any left now are from a killed one.
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)


class _locked:
    """The student's lock, with a message that says what to do when it cannot be had."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = _lock_for(path)

    def __enter__(self) -> None:
        try:
            self.lock.acquire()
        except Timeout:
            raise AnswersError(
                f"could not save to {self.path}: another notebook has held its lock for "
                f"{LOCK_TIMEOUT:.0f} s. Your answer is kept; try again."
            ) from None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def save(
    student: str | None,
    question_id: str,
    answer: Any,
    *,
    notebook: str,
    kind: str,
    correct: bool | None,
    mistakes: list[str] | None = None,
    where: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Save one answer now and return its record.

    `answer` must be JSON-serialisable (text, a list, a mapping). `mistakes` names the
    wrong parts (a wrong option, a wrong pair) for the teacher's summary. The record keeps
    the latest answer, whether it was right (None for open responses), the number of
    attempts, the first and last save times and every attempt in `history`.

    On a class hub `student` must be the hub user (or None): see ``own_name``.
    """
    student = own_name(student)
    path = answers_path(student, where)
    attempt = {"answer": answer, "correct": correct, "mistakes": list(mistakes or []), "saved_at": _now()}
    json.dumps(attempt)  # a value that cannot be saved fails here, before the file is touched
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AnswersError(f"could not create the answers folder {path.parent}: {err}") from None
    with _locked(path):
        data = _read_or_set_aside(path, student)
        record = data["answers"].get(question_id)
        if record is None:
            record = {"question": question_id, "notebook": notebook, "kind": kind,
                      "first_saved": attempt["saved_at"], "attempts": 0, "history": []}
        record.update(answer=answer, correct=correct, mistakes=attempt["mistakes"],
                      notebook=notebook, kind=kind, last_saved=attempt["saved_at"])
        record["history"].append(attempt)
        record["attempts"] = len(record["history"])
        data["answers"][question_id] = record
        data["student"] = student
        _remove_stale_temporaries(path)
        try:
            _write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError as err:
            raise AnswersError(f"could not save to {path}: {err}") from None
    return record


# ---------------------------------------------------------------- the teacher's side


def _as_text(answer: Any) -> str:
    """One readable cell for a CSV: options joined by ' | ', pairs as 'left -> right'."""
    if answer is None:
        return ""
    if isinstance(answer, dict):
        return " | ".join(f"{left} -> {right if right is not None else '(none)'}" for left, right in answer.items())
    if isinstance(answer, list):
        return " | ".join(str(item) for item in answer)
    return str(answer)


def _answer_files(where: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The answers files in `where` and in its folders one level down (a class hand-in
    folder holds one folder per student), and (name, reason) for what cannot be read."""
    files, skipped = [], []
    folders = [where]
    try:
        folders += sorted(entry for entry in where.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    except OSError as err:
        return [], [(where.name, f"the folder cannot be read ({err.strerror})")]
    for folder in folders:
        # A student's folder that this account may not open (another student's) is named, not fatal.
        if not os.access(folder, os.R_OK | os.X_OK):
            skipped.append((folder.name, "the folder cannot be read (permission denied)"))
            continue
        found = sorted(folder.glob("*.json"))
        for path in found:
            name = path.name if folder is where else f"{folder.name}/{path.name}"
            if ".corrupt-" in path.name:
                skipped.append((name, "a damaged answers file set aside earlier (open it by hand to recover answers)"))
            else:
                files.append(path)
    return files, skipped


def _read_class(where: Path) -> tuple[list[tuple[str, Path, dict[str, Any]]], list[tuple[str, str]]]:
    """(student, file, contents) for every readable answers file under `where`, and the skipped ones."""
    files, skipped = _answer_files(where)
    read = []
    for path in files:
        name = str(path.relative_to(where))
        try:
            data = read_file(path)
        except (ValueError, OSError) as err:
            skipped.append((name, str(err)))
            continue
        read.append((str(data.get("student") or path.stem), path, data))
    return read, skipped


def collect(where: str | os.PathLike[str]) -> tuple["pd.DataFrame", "pd.DataFrame", list[tuple[str, str]]]:
    """Read a folder of answer files: (answers, per-question summary, skipped files).

    The files are those in `where` and in its folders one level down (the class hand-in
    folder of a hub: one folder per student).
    answers: one row per student and question (the latest answer; `attempts` counts them).
    summary: per question, how many answered, right and wrong now, right at the first
    attempt, and the most common wrong choice over all attempts.
    skipped: (file name, reason) for every file that could not be read; never fatal.
    """
    source = Path(where)
    read, skipped = _read_class(source)
    rows, wrong_choices = [], {}
    for student, path, data in read:
        for qid, record in data["answers"].items():
            history = record["history"]
            first = history[0] if history else {}
            rows.append({
                "student": student,
                "question": qid,
                "notebook": str(record["notebook"]),
                "kind": str(record["kind"]),
                "answer": _as_text(record["answer"]),
                "correct": record["correct"],
                "first_correct": first.get("correct"),
                "attempts": record["attempts"],
                "first_saved": record["first_saved"],
                "last_saved": record["last_saved"],
                "file": str(path.relative_to(source)),
            })
            counter = wrong_choices.setdefault(qid, Counter())
            for attempt in history:
                if attempt.get("correct") is False:
                    counter.update(attempt.get("mistakes") or [_as_text(attempt.get("answer"))])
    answers = _answers_frame(rows)
    return answers, _summary(answers, wrong_choices), skipped


def attempts(where: str | os.PathLike[str]) -> tuple["pd.DataFrame", list[tuple[str, str]]]:
    """Every attempt of every student under `where`, one row each, and the skipped files.

    Columns: student, question, notebook, kind, attempt (1 = the first), answer (as text),
    correct (None for open responses), mistakes (the wrong parts named, a list), saved_at.
    What a live class view counts from: right at the first try, the wrong choices made.
    """
    import pandas as pd

    read, skipped = _read_class(Path(where))
    rows = [
        {"student": student, "question": qid, "notebook": str(record["notebook"]), "kind": str(record["kind"]),
         "attempt": number, "answer": _as_text(attempt.get("answer")), "correct": attempt.get("correct"),
         "mistakes": list(attempt.get("mistakes") or []), "saved_at": attempt.get("saved_at")}
        for student, _, data in read
        for qid, record in data["answers"].items()
        for number, attempt in enumerate(record["history"], start=1)
    ]
    columns = ["student", "question", "notebook", "kind", "attempt", "answer", "correct", "mistakes", "saved_at"]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype({"student": "str", "question": "str", "notebook": "str", "kind": "str",
                          "attempt": "Int64", "answer": "str", "correct": "boolean"})
    frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True, format="ISO8601")
    return frame.sort_values(["student", "question", "attempt"], ignore_index=True), skipped


def _answers_frame(rows: list[dict[str, Any]]) -> "pd.DataFrame":
    import pandas as pd

    columns = ["student", "question", "notebook", "kind", "answer", "correct", "first_correct",
               "attempts", "first_saved", "last_saved", "file"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({
        "student": "str", "question": "str", "notebook": "category", "kind": "category",
        "answer": "str", "correct": "boolean", "first_correct": "boolean", "attempts": "Int64",
        "file": "str",
    }).assign(
        first_saved=pd.to_datetime(frame["first_saved"], utc=True, format="ISO8601"),
        last_saved=pd.to_datetime(frame["last_saved"], utc=True, format="ISO8601"),
    ).sort_values(["question", "student"], ignore_index=True)


def _summary(answers: "pd.DataFrame", wrong_choices: dict[str, Counter]) -> "pd.DataFrame":
    import pandas as pd

    rows = []
    for qid, group in answers.groupby("question", sort=True, observed=True):
        common = wrong_choices.get(qid, Counter()).most_common(1)
        rows.append({
            "question": qid,
            "kind": str(group["kind"].iloc[0]),
            "answered": len(group),
            "right": int((group["correct"] == True).sum()),  # noqa: E712 (nullable booleans)
            "wrong": int((group["correct"] == False).sum()),  # noqa: E712
            "right_first_try": int((group["first_correct"] == True).sum()),  # noqa: E712
            "most_common_wrong": common[0][0] if common else pd.NA,
            "times_chosen": common[0][1] if common else 0,
        })
    columns = ["question", "kind", "answered", "right", "wrong", "right_first_try",
               "most_common_wrong", "times_chosen"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"question": "str", "kind": "str", "answered": "Int64", "right": "Int64", "wrong": "Int64",
         "right_first_try": "Int64", "most_common_wrong": "str", "times_chosen": "Int64"})


def collect_command(where: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> int:
    """``python -m cablelab collect DIR [--out CSV]``: write the CSV, print the summary.

    Returns 0, or 2 when the folder does not exist or the CSV cannot be written. Bad files
    are named and skipped.
    """
    import pandas as pd

    source = Path(where)
    if not source.is_dir():
        print(f"cablelab collect: no such folder: {source}", file=sys.stderr)
        return 2
    answers, summary, skipped = collect(source)
    target = Path(out) if out else source / "answers.csv"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, answers.to_csv(index=False))
    except OSError as err:
        print(f"cablelab collect: could not write {target}: {err}", file=sys.stderr)
        return 2
    students = answers["student"].nunique()
    print(f"{len(answers)} answers from {students} student(s) written to {target}")
    if len(summary):
        shown = summary.assign(most_common_wrong=summary["most_common_wrong"].map(
            lambda text: "" if pd.isna(text) else (text if len(text) <= 60 else text[:57] + "...")))
        print(shown.to_string(index=False))
    else:
        print("No answers found.")
    for name, reason in skipped:
        print(f"skipped {name}: {reason}")
    return 0
