"""Student copies (`make student`, cablelab.export.student_copy): what a class is handed.

Every lesson of notebooks/ goes to build/student/ with its teacher and solution cells
removed, outputs, execution counts and widget state stripped, and only the metadata a
notebook needs to run. No sentence of a teacher note or of a model answer (the notebooks'
tagged cells, data/questions.yaml's `model_answer`) may be anywhere in a copy's file.
test_browser_lab.py opens the same copies in JupyterLab and runs them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from hidden_text import all_hidden, bank_sentences, cell_sentences, found_in, json_strings

from cablelab import export

ROOT = Path(__file__).resolve().parents[1]
LESSONS = export.lesson_notebooks(export.NOTEBOOKS)


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> list[Path]:
    """The student copies, written by the command `make student` runs, into a fresh folder."""
    build = tmp_path_factory.mktemp("build")
    assert export.main(["student", "--build", str(build)]) == 0
    return sorted((build / "student").glob("*.ipynb"))


def test_make_student_runs_the_export_command_that_writes_build_student():
    dry_run = subprocess.run(["make", "-n", "student"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "-m cablelab.export student" in dry_run


def test_there_is_one_copy_per_lesson_and_no_other_notebook(copies):
    assert LESSONS, "no lessons in notebooks/"
    assert [path.name for path in copies] == [path.name for path in LESSONS]
    assert "app.ipynb" not in {path.name for path in copies}


def test_no_sentence_of_a_teacher_note_or_a_model_answer_is_in_any_student_copy(copies):
    hidden = all_hidden(LESSONS)
    assert len(hidden) > 50, f"too few sentences to look for ({len(hidden)}): is the extraction broken?"
    leaks = [f"{copy.name}: {h.source}: {h.sentence!r}" for copy in copies for h in found_in(json_strings(copy), hidden)]
    assert not leaks, "\n".join(leaks)


def test_the_search_finds_every_teacher_sentence_in_the_teachers_own_notebooks():
    """The control of the test above: the same search, on notebooks/, finds every sentence."""
    missing = [f"{h.source}: {h.sentence!r}" for path in LESSONS for h in cell_sentences(path)
               if h not in found_in(json_strings(path), cell_sentences(path))]
    assert not missing, "\n".join(missing)
    assert all(cell_sentences(path) for path in LESSONS), "a lesson with no teacher note or model answer"


def test_a_model_answer_pasted_into_a_student_cell_would_be_found(copies, tmp_path):
    """A model answer of the bank copied into an ordinary cell, in bold, is caught."""
    answer = bank_sentences()[0]
    nb = nbformat.read(copies[0], as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"Remember:\n**{answer.sentence.capitalize()}**"))
    planted = tmp_path / "planted.ipynb"
    nbformat.write(nb, planted)
    assert found_in(json_strings(planted), [answer]) == [answer]
    assert found_in(json_strings(copies[0]), [answer]) == []


def test_each_copy_keeps_every_other_cell_in_order_with_its_source(copies):
    for lesson, copy in zip(LESSONS, copies):
        source = nbformat.read(lesson, as_version=4)
        kept = [cell for cell in source.cells if not export.HIDDEN_TAGS & set(cell.metadata.get("tags", []))]
        student = nbformat.read(copy, as_version=4)
        nbformat.validate(student)
        assert [c.id for c in student.cells] == [c.id for c in kept], copy.name
        assert [c.source for c in student.cells] == [c.source for c in kept], copy.name
        assert len(student.cells) < len(source.cells), f"{copy.name}: no teacher or solution cell was removed"


def _lesson_with_everything_to_strip():
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "cablelab": {"plan": [{"minutes": 10, "activity": "TEACHER PLAN SENTINEL"}]},
        "widgets": {export.WIDGET_STATE: {"state": {"m": {"state": {"value": "WIDGET STATE SENTINEL"}}}}},
    })
    code = nbformat.v4.new_code_cell("cablelab.load()", metadata={
        "tags": ["parameters"], "slideshow": {"slide_type": "slide"}, "notes": "CELL METADATA SENTINEL"})
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "OUTPUT SENTINEL"}, execution_count=3)]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Lesson", metadata={"slideshow": {"slide_type": "slide"}}),
        code,
        nbformat.v4.new_markdown_cell("TEACHER NOTE SENTINEL", metadata={"tags": ["teacher"]}),
        nbformat.v4.new_code_cell("print('MODEL ANSWER SENTINEL')", metadata={"tags": ["solution", "x"]}),
    ]
    return nb


def test_a_copy_strips_outputs_counts_widget_state_and_the_lesson_plan_but_keeps_tags_and_slides():
    nb = _lesson_with_everything_to_strip()
    student = export.student_copy(nb)
    text = nbformat.writes(student)
    for sentinel in ["TEACHER PLAN", "WIDGET STATE", "CELL METADATA", "OUTPUT", "TEACHER NOTE", "MODEL ANSWER"]:
        assert f"{sentinel} SENTINEL" not in text
    assert set(student.metadata) == {"kernelspec", "language_info"}
    assert [c.source for c in student.cells] == ["# Lesson", "cablelab.load()"]
    code = student.cells[1]
    assert code.outputs == [] and code.execution_count is None
    assert code.metadata == {"tags": ["parameters"], "slideshow": {"slide_type": "slide"}}
    assert "TEACHER PLAN SENTINEL" in nbformat.writes(nb), "the teacher's notebook itself is left as it was"


def test_a_lesson_renamed_since_the_last_build_leaves_no_stale_copy(tmp_path):
    (tmp_path / "student").mkdir()
    nbformat.write(_lesson_with_everything_to_strip(), tmp_path / "student" / "05_synthesis.ipynb")
    (tmp_path / "student" / "notes.txt").write_text("a teacher's own file stays")
    written = export.write_student_copies(LESSONS[:1], tmp_path / "student")
    assert sorted(p.name for p in (tmp_path / "student").iterdir()) == sorted([LESSONS[0].name, "notes.txt"])
    assert written == [tmp_path / "student" / LESSONS[0].name]


@pytest.mark.slow
def test_every_student_copy_runs_from_its_own_folder_outside_the_repository(copies):
    """Run top to bottom where the copies are (a temporary folder): nothing is read relative to
    notebooks/, the copies need only the installed cablelab."""
    failures = []
    for copy in copies:
        try:
            executed = export.execute(copy)
        except export.NotebookFailed as err:
            failures.append(str(err))
            continue
        assert any(cell.get("outputs") for cell in executed.cells), copy.name
    assert not failures, "\n".join(failures)
