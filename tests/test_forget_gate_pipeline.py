"""The forget-gate assignment through the real nbgrader pipeline: release, autograde, feedback.

One batch of submissions is graded once (a session fixture); each test reads its outcome.
"""

import pytest
from conftest import grade_batch, graded_cells

from autograder import samples
from autograder.course import assignment

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
FORGET_GATE_CELLS = {"forget_gate_lecture", "forget_gate_hidden"}


@pytest.fixture(scope="module")
def batch(released_course, tmp_path_factory):
    release = released_course.release_directory
    right = samples.solved(ASSIGNMENT, release)
    submissions = {
        "right": right,
        "blank": samples.released(ASSIGNMENT, release),
        "tanh": samples.edit_answer(right, "forget_gate", "sigmoid(", "np.tanh("),
        # Wrong answer, and the visible test cell that would catch it replaced by `pass`.
        "edits_test": samples.set_cell(
            samples.edit_answer(right, "forget_gate", "sigmoid(", "np.tanh("), "forget_gate_lecture", "pass"
        ),
        "raises": samples.set_cell(right, "forget", "def forget(f_t, C_prev):\n    raise ValueError('oops')"),
        "loops": samples.set_cell(
            right, "forget_gate", "def forget_gate(W_f, h_prev, x_t, b_f):\n    while True:\n        pass"
        ),
    }
    return grade_batch(released_course, ASSIGNMENT, submissions, tmp_path_factory.mktemp("inbox"), with_feedback=True)


def full_marks():
    return sum(graded_cells(ASSIGNMENT).values())


def test_the_solution_gets_full_marks(batch):
    assert batch.total("right") == full_marks() == assignment(ASSIGNMENT).points


def test_the_blank_notebook_gets_zero(batch):
    assert batch.total("blank") == 0
    for grade_id in graded_cells(ASSIGNMENT):
        assert batch.cell("blank", grade_id) == 0, f"{grade_id} gave credit to the blank notebook"


def test_tanh_for_sigmoid_loses_exactly_the_forget_gate_cells(batch):
    points = graded_cells(ASSIGNMENT)
    lost = {grade_id for grade_id in points if batch.cell("tanh", grade_id) < points[grade_id]}
    assert lost == FORGET_GATE_CELLS
    assert batch.total("tanh") == full_marks() - sum(points[g] for g in FORGET_GATE_CELLS)


def test_an_edited_test_cell_is_graded_by_the_original_test(batch):
    assert batch.cell("edits_test", "forget_gate_lecture") == 0
    assert batch.total("edits_test") == batch.total("tanh")


def test_an_answer_that_raises_scores_zero_on_its_cells_only(batch):
    points = graded_cells(ASSIGNMENT)
    assert batch.cell("raises", "forget_lecture") == 0
    assert batch.cell("raises", "forget_hidden") == 0
    assert batch.total("raises") == full_marks() - points["forget_lecture"] - points["forget_hidden"]


def test_an_answer_that_loops_forever_scores_zero_and_the_batch_goes_on(batch):
    assert batch.cell("loops", "forget_gate_lecture") == 0
    assert batch.cell("loops", "forget_gate_hidden") == 0
    assert batch.total("loops") == full_marks() - 4
    assert "ran past the time limit" in batch.feedback_html("loops")


def test_every_student_was_graded(batch):
    assert set(batch.rows) >= {"right", "blank", "tanh", "edits_test", "raises", "loops"}
    assert all(batch.total(student) is not None for student in batch.rows)


def test_feedback_shows_no_hidden_test(batch):
    import re

    import nbformat

    from autograder.cells import notebook_checks

    source = nbformat.read(assignment("forget_gate").source_notebooks[0], as_version=4)
    secrets = ["BEGIN HIDDEN TESTS", "expected="] + [
        f"seed={check.key}" for check in notebook_checks(source, hidden=True)
    ]
    for student in batch.rows:
        text = re.sub(r"<[^>]+>", "", batch.feedback_html(student))  # the page's text, highlighting dropped
        assert "forget_gate" in text  # the feedback exists and is about this assignment
        for secret in secrets:
            assert secret not in text, f"{student}'s feedback shows hidden tests ({secret!r})"


def test_feedback_says_what_was_expected(batch):
    html = batch.feedback_html("tanh")
    assert "forget_gate(W_f, h_{t-1}, x_t, b_f) on lecture 004" in html
    assert "expected" in html and "received" in html
