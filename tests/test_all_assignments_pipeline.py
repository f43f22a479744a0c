"""Every assignment of the manifest through the real pipeline: each solution gets full marks and
each blank release gets zero, in ONE autograde run for the whole course. (How each released notebook
runs on a student's machine is tested in test_student_side.py.)"""

import pytest
from conftest import TEST_TIMEOUT, grade_batches, graded_cells, release

from autograder import gradebook, samples
from autograder.course import assignments
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow

ASSIGNMENTS = assignments()
IDS = [a.id for a in ASSIGNMENTS]


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    """Every assignment's solution and blank release, graded in one run of the grader."""
    root = tmp_path_factory.mktemp("all-assignments")
    course = release(CourseRun(root=root, release_directory=root / "release", timeout=TEST_TIMEOUT), *IDS)
    classes = {
        assignment_id: {
            "pipeline_solution": samples.solved(assignment_id, course.release_directory),
            "pipeline_blank": samples.released(assignment_id, course.release_directory),
        }
        for assignment_id in IDS
    }
    return grade_batches(course, classes, root / "inbox", with_files={"pipeline_solution"})


@pytest.fixture(params=IDS)
def batch(request, batches):
    return batches[request.param]


def test_the_solution_gets_full_marks_and_the_blank_zero(batch):
    points = graded_cells(batch.assignment_id)
    manifest_points = next(a.points for a in ASSIGNMENTS if a.id == batch.assignment_id)
    assert batch.total("pipeline_solution") == sum(points.values()) == manifest_points
    for grade_id, full in points.items():
        assert batch.cell("pipeline_solution", grade_id) == full, f"the solution loses points in {grade_id}"
        assert batch.cell("pipeline_blank", grade_id) == 0, f"{grade_id} gives credit to the blank notebook"
    assert batch.total("pipeline_blank") == 0


def test_the_blank_lost_every_question_for_want_of_an_answer_and_the_summary_names_missing_files(batch):
    """What the class report counts for a blank notebook: every question it lost, and why: no
    answer (the stubs), or a file the assignment asks for that was not handed in (an LMS upload
    without its trained model), which autograde's summary names."""
    kept = gradebook.recorded_mistakes(batch.course.db_url, batch.assignment_id)
    lost = {question for (student, question) in kept if student == "pipeline_blank"}
    assert lost == set(graded_cells(batch.assignment_id))
    causes = {cause for (student, _), found in kept.items() if student == "pipeline_blank" for cause in found}
    assert {kind for kind, _ in causes} <= {"unanswered", "missing-file"}, causes
    lines = gradebook.summary(batch.course)
    header = f"pipeline_blank / {batch.assignment_id}:"
    block = lines[lines.index(header) + 1 :] if header in lines else []
    block = block[: next((n for n, line in enumerate(block) if not line.startswith("  ")), len(block))]
    for name in next(a for a in ASSIGNMENTS if a.id == batch.assignment_id).student_files:
        assert f"  - {name} was not handed in: the cells that grade it score zero" in block, lines
