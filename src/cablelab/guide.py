"""The teacher's guide: TEACHERS.md, with each lesson's minute plan taken from its notebook.

A lesson's plan lives in its notebook (``metadata.cablelab.plan``: a list of
``{"minutes": int, "activity": str}`` adding up to 50). The guide shows the plans between
two markers in TEACHERS.md, written by ``python -m cablelab.guide --write`` so that the
guide and the lessons never disagree (a test checks it), and is built into the site's
teacher pages as a printable page.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "TEACHERS.md"
NOTEBOOKS = ROOT / "notebooks"
START, END = "<!-- lesson plans: start (written by `python -m cablelab.guide --write`) -->", "<!-- lesson plans: end -->"
PERIOD = 50


@dataclass(frozen=True)
class Step:
    minutes: int
    activity: str


@dataclass(frozen=True)
class LessonPlan:
    notebook: str
    title: str
    steps: tuple[Step, ...]

    @property
    def total(self) -> int:
        return sum(step.minutes for step in self.steps)


def _title(cells: list[dict], fallback: str) -> str:
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def plan(notebook: Path) -> LessonPlan:
    """A lesson's minute plan, read from its notebook's metadata; ValueError names a bad entry."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    raw = nb.get("metadata", {}).get("cablelab", {}).get("plan")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{Path(notebook).name}: no minute plan (metadata.cablelab.plan)")
    steps = []
    for i, entry in enumerate(raw):
        minutes, activity = entry.get("minutes"), entry.get("activity")
        if not isinstance(minutes, int) or minutes <= 0 or not isinstance(activity, str) or not activity.strip():
            raise ValueError(f"{Path(notebook).name}: plan entry {i}: needs a positive 'minutes' and an 'activity'")
        steps.append(Step(minutes, activity.strip()))
    return LessonPlan(Path(notebook).name, _title(nb["cells"], Path(notebook).stem), tuple(steps))


def lessons(folder: Path = NOTEBOOKS) -> list[Path]:
    """The lesson notebooks in order (NN_*.ipynb; the app is not a lesson)."""
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def plans_markdown(folder: Path = NOTEBOOKS) -> str:
    """Every lesson's plan as markdown: a heading and a table of minutes, from its notebook."""
    parts = []
    for path in lessons(folder):
        lesson = plan(path)
        parts.append(f"### {lesson.notebook[:2]} · {lesson.title}\n\n`{lesson.notebook}`, {lesson.total} minutes\n")
        clock = 0
        rows = ["| minutes | at | what happens |", "|---:|---:|---|"]
        for step in lesson.steps:
            rows.append(f"| {step.minutes} | {clock}′ | {step.activity.replace('|', '/')} |")
            clock += step.minutes
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def with_plans(text: str, folder: Path = NOTEBOOKS) -> str:
    """TEACHERS.md's text with the plans section replaced by the notebooks' current plans."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"TEACHERS.md needs the two markers {START!r} and {END!r}")
    return f"{head}{START}\n\n{plans_markdown(folder)}\n{END}{tail}"


_PAGE = jinja2.Environment(autoescape=False).from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cablelab: the teacher's guide</title>
<style>
  body { font-family: Georgia, "Times New Roman", serif; font-size: 13pt; line-height: 1.5;
         max-width: 48em; margin: 2em auto; padding: 0 1em; color: #111; }
  table { border-collapse: collapse; margin: .5em 0 1em; }
  th, td { border: 1px solid #888; padding: .25em .5em; vertical-align: top; }
  code, pre { font-size: .92em; background: #f3f3f3; }
  pre { padding: .6em; overflow-x: auto; }
  h2 { border-top: 2px solid #333; padding-top: .4em; }
  @media print { body { margin: 0; max-width: none; } h2, h3 { break-after: avoid; } table, pre { break-inside: avoid; } }
</style>
</head>
<body>
{{ body }}
</body>
</html>
""")


def guide_html(text: str | None = None) -> str:
    """The guide as one printable HTML page (markdown rendered with mistune; raw HTML escaped)."""
    import mistune

    source = text if text is not None else with_plans(GUIDE.read_text(encoding="utf-8"))
    render = mistune.create_markdown(escape=True, plugins=["table"])
    return _PAGE.render(body=render(source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cablelab.guide", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the lesson plans section of TEACHERS.md")
    parser.add_argument("--html", type=Path, help="write the guide as one printable HTML page here")
    args = parser.parse_args(argv)
    text = with_plans(GUIDE.read_text(encoding="utf-8"))
    if args.write:
        GUIDE.write_text(text, encoding="utf-8")
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        args.html.write_text(guide_html(text), encoding="utf-8")
    if not args.write and not args.html:
        print(plans_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
