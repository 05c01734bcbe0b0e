"""Student copies of the lessons, and handing them out into a student's home.

Two steps, each usable alone:

- ``student_copies(notebooks, out_dir)`` writes the copy of every lesson a student gets:
  no cell tagged ``teacher`` or ``solution`` (removed, not hidden), no outputs, execution
  counts or widget state, and only the notebook metadata a kernel needs (a lesson plan in
  the metadata stays in the teacher's copy). ``leaks(copy, forbidden)`` finds any teacher
  sentence left in a copy. When ``make student`` has written ``build/student/``, the hub
  hands out those files instead; this function makes the same copies where it has not.
- ``hand_out(source, target)`` puts the copies into a student's folder, run as the student
  when their server starts. A lesson is copied once: the student's own edits are never
  overwritten, and a newer version of a lesson is added beside theirs as
  ``<lesson> (updated <date>).ipynb``, never over it. A lesson the student deleted or renamed
  comes back as it was handed out (nothing of theirs is touched by that). What was handed
  out is remembered in ``<target>/.handed-out.json``.

    python -m cablelab.handout --from build/student --to ~/lessons
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from cablelab.export_notebooks import HIDDEN_TAGS as TEACHER_TAGS
from cablelab.export_student import student_copy  # one definition of a student copy, shared with `make student`

MANIFEST = ".handed-out.json"
#: Lessons are the numbered notebooks ("02_negotiation_points.ipynb"); app.ipynb is not one.
LESSON_GLOB = "[0-9][0-9]_*.ipynb"


# ---------------------------------------------------------------- making the copies


def lessons(folder: str | os.PathLike[str]) -> list[Path]:
    """The lesson notebooks in `folder`, in lesson order."""
    return sorted(Path(folder).glob(LESSON_GLOB))


def teacher_sentences(nb: Any) -> list[str]:
    """The sentences of a lesson's teacher and solution cells (the text a copy must not hold)."""
    found = []
    for cell in nb.cells:
        if TEACHER_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            found += _sentences(cell.source)
    return found


def _sentences(text: str, shortest: int = 40) -> list[str]:
    """Stretches of text long enough to be telling, split at line ends and full stops."""
    import re

    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    cleaned = [re.sub(r"[*_`#>]+", "", part).strip() for part in parts]
    return [part for part in cleaned if len(part) >= shortest]


def leaks(nb: Any, forbidden: Iterable[str]) -> list[str]:
    """The forbidden sentences found anywhere in the notebook's file (cells, outputs, metadata)."""
    import nbformat

    text = " ".join(nbformat.writes(nb).replace("\\n", " ").split())
    return [sentence for sentence in forbidden if " ".join(sentence.split()) in text]


def model_answers() -> list[str]:
    """The model answers and their sentences in the question bank (teacher-only text)."""
    from cablelab import exercises

    found = []
    for q in exercises.load_bank().values():
        if q.model_answer:
            found += _sentences(q.model_answer)
    return found


def student_copies(notebooks: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write the student copy of every lesson in `notebooks` into `out_dir`; returns the paths.

    Raises ValueError naming the lesson and the sentence when a copy would still hold a
    teacher note or a model answer (in a cell that is not tagged, say). A copy left from an
    earlier build whose lesson is gone is removed, so `out_dir` holds exactly the lessons.
    """
    import nbformat

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sources = lessons(notebooks)
    if not sources:
        raise ValueError(f"no lesson notebooks (NN_name.ipynb) in {notebooks}")
    names = {path.name for path in sources}
    for stale in lessons(out):
        if stale.name not in names:
            stale.unlink()
    answers_text = model_answers()
    written = []
    for path in sources:
        original = nbformat.read(path, as_version=4)
        copy_ = student_copy(original)
        found = leaks(copy_, teacher_sentences(original) + answers_text)
        if found:
            raise ValueError(f"{path.name}: the student copy would still hold teacher text: {found[0]!r}")
        nbformat.validate(copy_)
        target = out / path.name
        tmp = target.with_name(f".{target.name}.tmp")
        nbformat.write(copy_, tmp)
        os.replace(tmp, target)
        written.append(target)
    return written


# ---------------------------------------------------------------- handing them out


@dataclass
class HandOut:
    """What one hand-out did: lessons copied for the first time, added beside, restored, kept."""

    copied: list[str] = field(default_factory=list)
    beside: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.copied)} copied", f"{len(self.beside)} newer version(s) added beside",
                 f"{len(self.restored)} restored", f"{len(self.kept)} kept as they are"]
        return ", ".join(parts)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(target: Path) -> dict[str, dict[str, Any]]:
    path = target / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged record only means lessons may be added beside again: nothing is overwritten.
        return {}
    return data.get("lessons", {}) if isinstance(data, dict) else {}


def _write_manifest(target: Path, entries: dict[str, dict[str, Any]]) -> None:
    path = target / MANIFEST
    tmp = path.with_name(f"{path.name}.tmp")
    tmp.write_text(json.dumps({"lessons": entries}, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _create(path: Path, data: bytes) -> bool:
    """Write a new file; False (and nothing written) when the name is taken: never overwrites."""
    try:
        with open(path, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        return False
    return True


def _beside(target: Path, name: str, data: bytes, today: str) -> str:
    """Put a lesson beside the student's file of that name; returns the name used."""
    stem = name.removesuffix(".ipynb")
    candidate, n = f"{stem} (updated {today}).ipynb", 2
    while not _create(target / candidate, data):
        candidate, n = f"{stem} (updated {today}, {n}).ipynb", n + 1
    return candidate


def hand_out(source: str | os.PathLike[str], target: str | os.PathLike[str], *, today: str | None = None) -> HandOut:
    """Copy the notebooks of `source` into `target` without ever overwriting a file there.

    - a lesson never handed out is copied (beside, if the student has a file of that name);
    - a lesson handed out and unchanged since is left alone; if its file is gone (deleted or
      renamed), it is copied again;
    - a lesson changed since it was handed out is added beside the student's file as
      ``<lesson> (updated <date>).ipynb`` (or under its own name if theirs is gone).
    """
    source, target = Path(source), Path(target).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    today = today or datetime.now(timezone.utc).strftime("%Y-%m-%d")
    given = _read_manifest(target)
    done = HandOut()
    for lesson in sorted(source.glob("*.ipynb")):
        data = lesson.read_bytes()
        digest, name = _digest(data), lesson.name
        entry = given.get(name)
        present = (target / name).exists()
        if entry is None:
            if _create(target / name, data):
                done.copied.append(name)
            else:
                done.beside.append(_beside(target, name, data, today))
        elif entry.get("sha256") == digest:
            if present:
                done.kept.append(name)
                continue
            _create(target / name, data)
            done.restored.append(name)
        elif _create(target / name, data):
            done.restored.append(name)
        else:
            done.beside.append(_beside(target, name, data, today))
        given[name] = {"sha256": digest, "handed_out": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    _write_manifest(target, given)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cablelab.handout", description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, type=Path,
                        help="the folder of student copies (build/student/)")
    parser.add_argument("--to", dest="target", required=True, type=Path, help="the student's lessons folder")
    args = parser.parse_args(argv)
    if not any(args.source.glob("*.ipynb")):
        print(f"cablelab.handout: no notebooks in {args.source}", file=sys.stderr)
        return 2
    done = hand_out(args.source, args.target)
    print(f"{args.target.expanduser()}: {done.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
