"""The course also works with stock nbgrader: an instructor who runs `nbgrader autograde`
instead of our grader gets full marks for the solutions and zero for the blank notebooks.

(Our grader is what the course uses; this guards the notebooks against depending on it.)
"""
import pytest

from autograder import report, samples
from autograder.course import assignments
from autograder.pipeline import CourseRun

from conftest import TEST_TIMEOUT, graded_cells

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stock_grades(tmp_path_factory):
    root = tmp_path_factory.mktemp("stock-nbgrader")
    course = CourseRun(root=root, release_directory=root / "release", timeout=TEST_TIMEOUT)
    ids = [a.id for a in assignments()]
    for assignment_id in ids:
        course.release(assignment_id)
        release = course.release_directory
        samples.write_submission(samples.solved(assignment_id, release), root / "inbox", "right", assignment_id)
        samples.write_submission(samples.released(assignment_id, release), root / "inbox", "blank", assignment_id)
    course.collect(root / "inbox")
    for assignment_id in ids:
        result = course.nbgrader_autograde(assignment_id)
        assert result.returncode == 0, result.stderr[-3000:]
    return {(row["student"], row["assignment"]): row for row in report.grade_rows(course.db_url, ids)}


@pytest.mark.parametrize("assignment", assignments(), ids=[a.id for a in assignments()])
def test_stock_nbgrader_gives_the_solution_full_marks_and_the_blank_zero(stock_grades, assignment):
    cells = graded_cells(assignment.id)
    assert stock_grades[("right", assignment.id)]["score"] == sum(cells.values()) == assignment.points
    blank = stock_grades[("blank", assignment.id)]
    assert blank["score"] == 0
    assert all(blank[grade_id] == 0 for grade_id in cells), "a test cell gave credit to the blank notebook"
