"""A whole class of broken and hostile submissions, graded in ONE batch (tests/hostile/corpus.py).

For every case: no credit for the wrong part, everyone else's grades untouched, the gradebook
intact, a reason in the summary. Then: a rerun grades nobody again.
"""
import sqlite3

import pytest

from autograder import gradebook, report
from autograder.pipeline import CourseRun

from hostile import corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-course")
    course = CourseRun(root=root, release_directory=root / "release", timeout=5, workers=2, memory_mb=1024)
    course.release(corpus.ASSIGNMENT)
    inbox = tmp_path_factory.mktemp("hostile-inbox")
    cases = corpus.cases(course.release_directory, root)
    for case in cases:
        corpus.write(case, inbox)
    course.collect(inbox)
    results = course.autograde()
    rows = {row["student"]: row for row in report.grade_rows(course.gradebook, [corpus.ASSIGNMENT])}
    return course, cases, results, rows, inbox


def case_ids():
    return [case.student for case in corpus.cases(corpus.samples.NOTEBOOKS, "/nonexistent")]


@pytest.mark.parametrize("student", case_ids())
def test_no_credit_for_the_broken_part_full_credit_for_the_rest(graded, student):
    course, cases, results, rows, _ = graded
    case = next(c for c in cases if c.student == student)
    row = rows[student]
    if case.not_graded:
        assert row["score"] is None, f"{student}: {case.what} should not be graded at all"
        return
    for grade_id in case.zero:
        assert row[grade_id] == 0, f"{student} ({case.what}) got credit on {grade_id}"
    right = rows["right"]
    for grade_id in case.full:
        assert row[grade_id] == right[grade_id] > 0, f"{student} ({case.what}) lost {grade_id}"


@pytest.mark.parametrize("student", [s for s in case_ids()])
def test_the_summary_says_why(graded, student):
    course, cases, *_ = graded
    case = next(c for c in cases if c.student == student)
    lines = gradebook.summary(course)
    block = []
    for line in lines:
        if line.startswith(f"{student} / "):
            block = [line]
        elif block and line.startswith("  - "):
            block.append(line)
        elif block:
            break
    text = "\n".join(block)
    if case.reason:
        assert case.reason in text, f"summary for {student} lacks {case.reason!r}:\n{text}"
    if student == "right":
        assert not text, f"the right student should not be in the summary:\n{text}"


def test_controls_are_exact(graded):
    _, _, _, rows, _ = graded
    assert rows["right"]["score"] == rows["right"]["max_score"] == 10
    assert rows["blank"]["score"] == 0


def test_the_gradebook_is_intact_and_counts_everyone_once(graded):
    course, cases, results, rows, _ = graded
    with sqlite3.connect(course.gradebook) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        pairs = db.execute("SELECT student_id, assignment_id FROM submitted_assignment").fetchall()
        assert len(pairs) == len(set(pairs)) == sum(not c.not_graded for c in cases)
        assert db.execute("SELECT count(*) FROM lstm_grading").fetchone()[0] == len(cases)
    assert set(rows) == {c.student for c in cases}


def test_student_code_could_not_read_or_write_outside_its_kernel(graded):
    course, _, _, _, inbox = graded
    for student in ("reads_secrets", "writes_elsewhere"):
        graded_notebook = (course.root / "autograded" / student / corpus.ASSIGNMENT / "forget_gate.ipynb").read_text()
        assert "blocked" in graded_notebook
        assert "READ /" not in graded_notebook and "WROTE /" not in graded_notebook
    other = course.root / "submitted" / "right" / corpus.ASSIGNMENT / "forget_gate.ipynb"
    assert b"vandalised" not in other.read_bytes()


def test_a_flood_of_output_does_not_reach_the_graded_notebook(graded):
    course, *_ = graded
    path = course.root / "autograded" / "floods_output" / corpus.ASSIGNMENT / "forget_gate.ipynb"
    assert path.stat().st_size < 3_000_000  # the kernel printed 100 MB


def test_a_rerun_grades_nobody_again_and_changes_nothing(graded):
    course, cases, _, rows, inbox = graded
    course.collect(inbox)
    assert course.autograde() == []
    again = {row["student"]: row for row in report.grade_rows(course.gradebook, [corpus.ASSIGNMENT])}
    assert again == rows
