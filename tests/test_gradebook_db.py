"""The gradebook on any SQLAlchemy URL: SQLite (the default) and a real PostgreSQL server.

The same class on each: a failure between a student's scores and their "done" row commits
neither (one transaction per student); the rerun grades exactly the students missing, once;
nbgrader's own commands (generate_assignment, generate_feedback) and our report use the same
database.
"""

import pytest
from nbgrader.api import MissingEntry
from postgres_support import postgres_server

from autograder import gradebook, report, samples
from autograder.course import assignment
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points  # the manifest's total
EXPECTED = {"right": FULL, "tanh_for_sigma": FULL - 4}  # forget_gate's two cells, 2 points each


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def graded(request, tmp_path_factory):
    """A class graded on one database, the first run dying in the middle of tanh_for_sigma's
    commit (after its scores, before its "done" row), then run again."""
    root = tmp_path_factory.mktemp(f"gradebook-{request.param}")
    db_url = request.getfixturevalue("postgres").new_database("gradebook") if request.param == "postgresql" else None
    # No student here loops: the course's own cell limit (30 s), so a busy machine cannot fail right code.
    course = CourseRun(root=root, release_directory=root / "release", workers=2, db_url=db_url)
    course.release(ASSIGNMENT)
    right = samples.solved(ASSIGNMENT, course.release_directory)
    notebooks = {"right": right, "tanh_for_sigma": samples.edit_answer(right, "forget_gate", "sigmoid(", "np.tanh(")}
    for student, notebook in notebooks.items():
        samples.write_submission(notebook, root / "inbox", student, ASSIGNMENT)
    course.collect(root / "inbox")

    real_mark_done = gradebook.mark_done

    def dies_before_done(db, result):
        if result.student == "tanh_for_sigma":
            raise RuntimeError("injected: the grader dies between the scores and the done row")
        real_mark_done(db, result)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gradebook, "mark_done", dies_before_done)
        with pytest.raises(RuntimeError, match="injected"):
            course.autograde()
    after_failure = state(course)
    rerun = course.autograde()
    return course, after_failure, rerun


def state(course):
    """{student: (has a submission with grades, has a done row)} in the gradebook."""
    committed = {student for student, _ in gradebook.done(course)}
    found = {}
    with gradebook.open_gradebook(course.db_url) as book:
        for student in EXPECTED:
            try:
                book.find_submission(ASSIGNMENT, student)
                found[student] = (True, student in committed)
            except MissingEntry:
                found[student] = (False, student in committed)
    return found


def test_a_failure_between_the_scores_and_the_done_row_commits_neither(graded):
    _, after_failure, _ = graded
    assert after_failure["tanh_for_sigma"] == (False, False)
    # every student is either wholly committed or not at all
    assert set(after_failure.values()) <= {(True, True), (False, False)}, after_failure


def test_the_rerun_grades_exactly_the_students_missing_once(graded):
    course, after_failure, rerun = graded
    missing = sorted(student for student, (_, is_done) in after_failure.items() if not is_done)
    assert sorted(result.student for result in rerun) == missing
    assert course.autograde() == []
    rows = {row["student"]: row["score"] for row in report.grade_rows(course.db_url, [ASSIGNMENT])}
    assert rows == EXPECTED


def test_nbgrader_feedback_and_the_report_use_the_same_database(graded):
    course, *_ = graded
    result = course.feedback(ASSIGNMENT)
    assert result.returncode == 0, result.stderr[-3000:]
    for student in EXPECTED:
        html = (course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert f"Score: {EXPECTED[student]:.1f} / {FULL:.1f}" in html  # the total, read from the gradebook
    if not course.db_url.startswith("sqlite"):
        assert not (course.root / "gradebook.db").exists(), "something wrote the default SQLite gradebook"
