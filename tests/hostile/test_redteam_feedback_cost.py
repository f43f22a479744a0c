"""One student's code must not stall the class's feedback.

`python -m autograder feedback` is nbgrader's generate_feedback: one process renders every
student's graded notebook to HTML with nbconvert, one after the other, and nbconvert highlights
code slowly: a cell `x = [1,1,...]` of 32 kB took 15 s here, 128 kB 73 s. Tried for real before
the cut: three such 32 kB cells added to a right notebook made `feedback` for a class of two take
41 s (the student itself graded 12/12); a 25 MB notebook would have held up every student's
feedback for hours (timings measured once, here; this test checks the cut, not the time).
Outputs have a budget (1 MB a notebook); the page now shows at most feedback.SHOWN_CODE characters
of the student's code (autograder/feedback.py's CutLongCode, one of the feedback's preprocessors
in course/nbgrader_config.py), and says where it cut.
"""

import nbformat
import pytest

from autograder import feedback, samples
from autograder.cells import grade_id, is_answer, is_test
from autograder.course import assignments
from autograder.gradebook import course_config

CELL = "\n".join(["x = [" + "1," * 40 + "]"] * 400)  # 34 kB in lines of 86 characters
NOTE = "this page shows at most 64,000 characters of your code per notebook"


def shown(notebook):
    page, _ = feedback.CutLongCode().preprocess(notebook, {})
    return page


def student_code(notebook):
    """Characters of code in the cells a student writes (answers and cells they added)."""
    return sum(
        len(cell.source)
        for cell in notebook.cells
        if cell.cell_type == "code" and (is_answer(cell) or not grade_id(cell))
    )


def checked(notebook):
    return [(cell.source, cell.get("outputs")) for cell in notebook.cells if is_test(cell)]


def test_the_code_a_feedback_page_shows_is_bounded():
    right = samples.solved("forget_gate")
    flood = [nbformat.v4.new_code_cell(CELL) for _ in range(40)]  # 1.3 MB in cells the student added
    notebook = nbformat.from_dict({**right, "cells": right.cells[:3] + flood + right.cells[3:]})
    expected_tests = checked(notebook)
    page = shown(notebook)
    notes = [cell.source for cell in page.cells if NOTE in cell.source]
    assert "more characters of your code are cut here" in notes[0], "the page says where it cut"
    # past the cut, each cell the student wrote is one short line
    assert all(note.startswith("# ... cut:") and len(note) < 100 for note in notes[1:]), notes[1:3]
    assert student_code(page) <= feedback.SHOWN_CODE + sum(map(len, notes)), student_code(page)
    assert checked(page) == expected_tests  # the test cells and their outputs stay whole


@pytest.mark.parametrize("assignment_id", [a.id for a in assignments()])
def test_the_solutions_page_shows_all_of_its_code(assignment_id):
    right = nbformat.writes(samples.solved(assignment_id))
    assert nbformat.writes(shown(nbformat.reads(right, as_version=4))) == right


def test_feedback_runs_the_cut():
    assert "autograder.feedback.CutLongCode" in course_config().GenerateFeedback.preprocessors


def test_a_long_line_is_cut_to_what_highlighting_renders_quickly():
    """With IPython's lexer (JupyterLab's notebooks name it), highlighting costs the square of a
    line's length: every line a page shows of a student's code is at most LINE_CHARS long, plus
    the note."""
    right = samples.solved("forget_gate")
    long_line = "x = " + "1." * 16_000
    notebook = nbformat.from_dict({**right, "cells": [*right.cells, nbformat.v4.new_code_cell(long_line + "\ny = 2")]})
    (cell,) = [c for c in shown(notebook).cells if c.source.startswith("x = ")]
    first, second = cell.source.split("\n")
    assert first.startswith(long_line[: feedback.LINE_CHARS]) and len(first) < feedback.LINE_CHARS + 80
    assert "31,004 more characters of this line are cut here" in first and second == "y = 2"
