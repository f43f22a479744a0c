"""A grader failure (not the student's fault) is retried once in the same run; failing twice,
the submission is recorded as not graded with the reason, the batch goes on, and later runs
leave it alone until `--retry-failed`.

The failure is injected into grading.py's `_grade` before the worker processes fork, so the
workers inherit it; each attempt leaves a line in a file, so attempts are counted across them.
"""

import pytest
from conftest import release

from autograder import gradebook, grading, report, samples
from autograder.course import assignment
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("retries")
    # No student here loops: the course's own cell limit (30 s), so a busy machine cannot fail right code.
    course = CourseRun(root=root, release_directory=root / "release", workers=2)
    release(course, ASSIGNMENT)
    right = samples.solved(ASSIGNMENT, course.release_directory)
    for student in ("steady", "fails_once", "fails_twice"):
        samples.write_submission(right, root / "inbox", student, ASSIGNMENT)
    course.collect(root / "inbox")
    return course


@pytest.fixture(scope="module")
def first_run(course, tmp_path_factory):
    attempts = tmp_path_factory.mktemp("attempts")
    real_grade = grading._grade

    def flaky(job, result):
        log = attempts / job.student
        tried = log.read_text().count("\n") if log.exists() else 0
        with open(log, "a") as f:
            f.write("attempt\n")
        if job.student == "fails_twice" or (job.student == "fails_once" and tried == 0):
            raise RuntimeError(f"injected grader bug, attempt {tried + 1}")
        real_grade(job, result)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grading, "_grade", flaky)
        results = course.autograde()
    counts = {path.name: path.read_text().count("\n") for path in attempts.iterdir()}
    return results, counts


def scores(course):
    return {row["student"]: row["score"] for row in report.grade_rows(course.db_url, [ASSIGNMENT])}


def test_a_failure_is_retried_once_and_the_batch_goes_on(course, first_run):
    results, attempts = first_run
    assert attempts == {"steady": 1, "fails_once": 2, "fails_twice": 2}
    assert sorted(r.student for r in results) == ["fails_once", "fails_twice", "steady"]  # each once
    assert {r.student: r.status for r in results} == {
        "steady": "graded",
        "fails_once": "graded",
        "fails_twice": "failed",
    }
    assert scores(course) == {"steady": FULL, "fails_once": FULL, "fails_twice": None}


def test_failing_twice_is_recorded_as_not_graded_with_the_reason(course, first_run):
    lines = "\n".join(gradebook.summary(course))
    assert "fails_twice / forget_gate (NOT GRADED):" in lines
    assert "the grader failed on it 2 times" in lines and "injected grader bug, attempt 2" in lines
    assert "fails_once" not in lines and "steady" not in lines


def test_a_rerun_leaves_it_alone_and_retry_failed_grades_it(course, first_run):
    assert course.autograde() == []
    again = course.autograde(retry_failed=True)
    assert [(r.student, r.status) for r in again] == [("fails_twice", "graded")]
    assert scores(course) == {"steady": FULL, "fails_once": FULL, "fails_twice": FULL}
    assert gradebook.summary(course) == []
