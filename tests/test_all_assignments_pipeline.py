"""Every assignment of the manifest through the real pipeline: each solution gets full marks and
each blank release gets zero, in ONE autograde batch per assignment. (How each released notebook
runs on a student's machine is tested in test_student_side.py.)"""

import pytest
from conftest import grade_batch, graded_cells

from autograder import gradebook, samples
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
