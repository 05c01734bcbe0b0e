"""The site's pages made without a kernel: the pages to print, and the index of each edition.

The reader's edition of the cable and a worksheet per lesson go on the students' site, the
teacher's guide on the teacher's; each edition's index links its lessons, then its printables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cablelab.page_templates import environment

if TYPE_CHECKING:
    from cablelab.export import Page

_INTRO = {
    "student": "Read the lessons in order. Each page works without a network.",
    "teacher": "Every lesson with the teacher notes and model answers. Do not share this folder with students.",
}


def write_printables(notebooks: list[Path], site_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """The pages made to be printed, with no kernel: the reader's edition of the cable and a
    worksheet per lesson (students' site), and the teacher's guide (teacher's site).

    Returns the links for each edition's index: ``{"student": [(href, title)], "teacher": [...]}``.
    """
    from cablelab import guide, reader, worksheet

    site_dir = Path(site_dir)
    (site_dir / "worksheets").mkdir(parents=True, exist_ok=True)
    (site_dir / "reader.html").write_text(reader.edition_html(standalone=True), encoding="utf-8")
    links = [("reader.html", "The reader's edition of telegram 1379 (one page, to print)")]
    for path in notebooks:
        target = site_dir / "worksheets" / f"{path.stem}.html"
        target.write_text(worksheet.worksheet_html(path), encoding="utf-8")
        links.append((f"worksheets/{target.name}", f"Worksheet: {worksheet.lesson_title(path)}"))
    (site_dir / "teacher").mkdir(parents=True, exist_ok=True)
    (site_dir / "teacher" / "guide.html").write_text(guide.guide_html(), encoding="utf-8")
    teacher = [("guide.html", "The teacher's guide (how to run a class, every lesson's plan; to print)")]
    teacher += [(f"../{href}", title) for href, title in links]
    return {"student": links, "teacher": teacher}


def write_index(pages: list[Page], out_dir: Path, edition: str, printables: list[tuple[str, str]] = ()) -> Path:
    """An accessible index page linking every lesson, then the pages to print (escaped by the template)."""
    body = environment().get_template("export_index.html.j2").render(
        heading="cablelab lessons" + (": teacher edition" if edition == "teacher" else ""),
        intro=_INTRO["teacher" if edition == "teacher" else "student"],
        lessons=[(page.path.name, page.title) for page in pages],
        printables=list(printables),
    )
    path = Path(out_dir) / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path
