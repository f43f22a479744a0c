"""Every assignment of the manifest through the real pipeline: each solution gets full marks and
each blank release gets zero, in ONE autograde batch per assignment. (How each released notebook
runs on a student's machine is tested in test_student_side.py.)"""

import pytest
from conftest import grade_batch, graded_cells

from autograder import samples
from autograder.course import assignments

pytestmark = pytest.mark.slow

ASSIGNMENTS = assignments()
IDS = [a.id for a in ASSIGNMENTS]


@pytest.fixture(scope="module", params=IDS)
def batch(request, released_course, tmp_path_factory):
    assignment_id = request.param
    release = released_course.release_directory
    submissions = {
        "pipeline_solution": samples.solved(assignment_id, release),
        "pipeline_blank": samples.released(assignment_id, release),
    }
    return grade_batch(
        released_course, assignment_id, submissions, tmp_path_factory.mktemp("inbox"), with_files={"pipeline_solution"}
    )


def test_the_solution_gets_full_marks_and_the_blank_zero(batch):
    points = graded_cells(batch.assignment_id)
    manifest_points = next(a.points for a in ASSIGNMENTS if a.id == batch.assignment_id)
    assert batch.total("pipeline_solution") == sum(points.values()) == manifest_points
    for grade_id, full in points.items():
        assert batch.cell("pipeline_solution", grade_id) == full, f"the solution loses points in {grade_id}"
        assert batch.cell("pipeline_blank", grade_id) == 0, f"{grade_id} gives credit to the blank notebook"
    assert batch.total("pipeline_blank") == 0
