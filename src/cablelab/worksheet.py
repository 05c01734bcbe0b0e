"""Printable worksheets: a lesson's self-checks and written tasks on paper.

For a class with no computers: the teacher projects the deck, students read the printed
reader's edition and answer on the worksheet. A worksheet holds, in the order the lesson
asks them, every question of the bank that the lesson's notebook asks, with its choices,
the success criteria of each written task (never its model answer), space to write, and
the claim box of the claim tracker.

    cablelab.worksheet.worksheet_html(Path("notebooks/02_negotiation_points.ipynb"))
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from cablelab import exercises

ASK = re.compile(r"""exercises\.ask\(\s*["']([0-9]{2}-[a-z0-9-]+)["']""")
TITLE = re.compile(r"^#\s+(.+)$", re.M)

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_PAGE = _ENV.from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Worksheet: {{ title }}</title>
<style>
  body { font-family: Georgia, "Times New Roman", serif; font-size: 13pt; line-height: 1.45;
         max-width: 46em; margin: 1.5em auto; padding: 0 1em; color: #111; }
  h1 { font-size: 1.5em; margin-bottom: .2em; }
  .who { border: 1px solid #555; padding: .4em .6em; margin: .6em 0 1em; }
  ol.questions > li { margin: 0 0 1.2em; break-inside: avoid; }
  ul.choices { list-style: none; padding-left: .5em; }
  ul.choices li::before { content: "\\2610\\00a0\\00a0"; }
  .lines { border-bottom: 1px solid #999; height: 1.9em; }
  .criteria { font-size: .92em; margin: .3em 0 .5em; }
  .criteria dt { font-weight: bold; }
  .frames { font-style: italic; }
  .small { font-size: .9em; color: #333; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
<h1>Worksheet: {{ title }}</h1>
<p class="small">Telegram 1379, 26 November 1962 (FRUS 1961&ndash;63, vol. XI, doc. 212). Use the
printed reader's edition of the cable. Cite paragraphs and points as &para;3(e).</p>
<div class="who">Name: ______________________________ &nbsp; Date: ______________</div>
<ol class="questions">
{% for q in questions %}
  <li>
    <p>{{ q.prompt }}</p>
    {% if q.kind in ("single", "multiple") %}
    <p class="small">{{ "Tick one." if q.kind == "single" else "Tick every one that applies." }}</p>
    <ul class="choices">{% for o in q.options %}<li>{{ o.text }}</li>{% endfor %}</ul>
    {% elif q.kind == "match" %}
    <p class="small">Write the letter of the matching description beside each item.</p>
    <ul>{% for p in q.pairs %}<li>{{ p.left }} &rarr; ____</li>{% endfor %}</ul>
    <p class="small">Descriptions:</p>
    <ol type="A">{% for c in q.choices %}<li>{{ c }}</li>{% endfor %}</ol>
    {% elif q.kind == "order" %}
    <p class="small">Number these from 1 (first) to {{ q.mixed|length }}.</p>
    <ul>{% for text in q.mixed %}<li>____ {{ text }}</li>{% endfor %}</ul>
    {% elif q.kind == "text" %}
    <div class="lines"></div>
    {% else %}
    {% if q.checklist %}
    <dl class="criteria">
      <dt>Success criteria: what a strong answer does</dt>
      {% for level in q.checklist %}<dd><b>{{ level.level }}:</b> {{ level.signs|join("; ") }}</dd>{% endfor %}
    </dl>
    {% endif %}
    {% if q.frames %}<p class="frames">Sentence starters: {{ q.frames|join(" … ") }}</p>{% endif %}
    {% for _ in range(8) %}<div class="lines"></div>{% endfor %}
    {% endif %}
  </li>
{% endfor %}
  <li>
    <p><b>Claim tracker.</b> Write one claim about the central question (a month after Khrushchev
    agreed to remove the missiles, why were Washington and Moscow still unable to close the deal?)
    and the evidence for it.</p>
    <p>My claim:</p>{% for _ in range(3) %}<div class="lines"></div>{% endfor %}
    <p>Evidence (paragraph or point, and the words): </p>{% for _ in range(2) %}<div class="lines"></div>{% endfor %}
  </li>
</ol>
</body>
</html>
""")


def lesson_questions(notebook: Path) -> list[exercises.Question]:
    """The bank's questions a lesson notebook asks, in the order it asks them (each once)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    ids = list(dict.fromkeys(ASK.findall(code)))
    return [exercises.question(qid) for qid in ids]


def lesson_title(notebook: Path) -> str:
    """The lesson's H1 (the file name when it has none)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            match = TITLE.search("".join(cell["source"]))
            if match:
                return match.group(1).strip()
    return Path(notebook).stem


def _mixed(items: list[str]) -> list[str]:
    # A fixed order that never prints the answer: the right order read from both ends inwards.
    mixed = [*items[1::2], *items[0::2][::-1]]
    return mixed if mixed != items else items[::-1]


def worksheet_html(notebook: Path) -> str:
    """A complete, printable HTML worksheet for one lesson notebook (no model answers in it)."""
    questions = []
    for q in lesson_questions(notebook):
        view = {"prompt": q.prompt, "kind": q.kind, "options": q.options, "pairs": q.pairs,
                "choices": q.choices, "mixed": _mixed([i.text for i in q.items]),
                "checklist": q.checklist, "frames": q.frames}
        questions.append(view)
    return _PAGE.render(title=lesson_title(notebook), questions=questions)
