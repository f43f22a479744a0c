"""One student's code must not stall the class's feedback.

`python -m autograder feedback` is nbgrader's generate_feedback: one process renders every
student's graded notebook to HTML with nbconvert, one after the other, and nbconvert highlights
code slowly: a cell `x = [1,1,...]` of 32 kB took 15 s here, 128 kB 73 s. Tried for real before
the cut: three such 32 kB cells added to a right notebook made `feedback` for a class of two take
41 s (the student itself graded 12/12); a 25 MB notebook would have held up every student's
feedback for hours. Outputs have a budget (1 MB a notebook); the page now shows at most
feedback.SHOWN_CODE characters of the student's code (autograder/feedback.py's CutLongCode, one of
the feedback's preprocessors in course/nbgrader_config.py), and says where it cut.
"""

import nbformat

from autograder import feedback, samples
from autograder.cells import grade_id, is_answer, is_test
from autograder.gradebook import course_config

CELL = "x = [" + "1," * 16_000 + "]"
NOTE = "more characters of your code are cut here"


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
    assert notes, "the page says where it cut"
    assert student_code(page) <= feedback.SHOWN_CODE + 200 * len(notes), student_code(page)
    assert checked(page) == expected_tests  # the test cells and their outputs stay whole


def test_the_solutions_page_shows_all_of_its_code():
    right = nbformat.writes(samples.solved("forget_gate"))
    assert nbformat.writes(shown(nbformat.reads(right, as_version=4))) == right


def test_feedback_runs_the_cut():
    assert "autograder.feedback.CutLongCode" in course_config().GenerateFeedback.preprocessors
