"""The course also works with stock nbgrader: an instructor who runs `nbgrader autograde`
(or formgrader's Autograde button) instead of our grader gets full marks for the solutions, zero
for the blank notebooks, and takes points from a wrong answer in the hidden tests, whose right
results (and inputs) the release wrote into nbgrader's copy of them (autograder/cells.py's seal).

(Our grader is what the course uses; this guards the notebooks against depending on it.)
"""

import pytest
from conftest import TEST_TIMEOUT, graded_cells, release

from autograder import report, samples
from autograder.course import assignments, mistakes
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stock_grades(tmp_path_factory):
    root = tmp_path_factory.mktemp("stock-nbgrader")
    course = CourseRun(root=root, release_directory=root / "release", timeout=TEST_TIMEOUT)
    ids = [a.id for a in assignments()]
    release(course, *ids)
    for assignment_id in ids:
        release_directory = course.release_directory
        samples.write_submission(
            samples.solved(assignment_id, release_directory),
            root / "inbox",
            "right",
            assignment_id,
            samples.solution_files(assignment_id),
        )
        samples.write_submission(
            samples.released(assignment_id, release_directory), root / "inbox", "blank", assignment_id
        )
    # A forgotten bias: the hidden test must see it (with the right results nbgrader holds for it).
    no_bias = samples.with_function(
        samples.solved("forget_gate", course.release_directory), "forget_gate", mistakes()["forget_gate/no-bias"].source
    )
    samples.write_submission(no_bias, root / "inbox", "no_bias", "forget_gate")
    course.collect(root / "inbox")
    # One `nbgrader autograde` for the whole course (its assignment id a glob, as nbgrader's paths
    # allow): the same preprocessors on every notebook, one process start instead of six.
    result = course.nbgrader_autograde("*")
    assert result.returncode == 0, result.stderr[-3000:]
    return {(row["student"], row["assignment"]): row for row in report.grade_rows(course.db_url, ids)}


@pytest.mark.parametrize("assignment", assignments(), ids=[a.id for a in assignments()])
def test_stock_nbgrader_gives_the_solution_full_marks_and_the_blank_zero(stock_grades, assignment):
    cells = graded_cells(assignment.id)
    assert stock_grades[("right", assignment.id)]["score"] == sum(cells.values()) == assignment.points
    blank = stock_grades[("blank", assignment.id)]
    assert blank["score"] == 0
    assert all(blank[grade_id] == 0 for grade_id in cells), "a test cell gave credit to the blank notebook"


def test_stock_nbgrader_takes_points_from_a_mistake_in_the_hidden_test(stock_grades):
    wrong, right = stock_grades[("no_bias", "forget_gate")], stock_grades[("right", "forget_gate")]
    assert wrong["forget_gate_hidden"] == 0 < right["forget_gate_hidden"]
    assert wrong["sigmoid_hidden"] == right["sigmoid_hidden"] > 0
