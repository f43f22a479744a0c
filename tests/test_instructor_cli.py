"""The instructor's everyday mistakes, through the command line: a misfiled inbox is graded where
it can be and every other entry is listed with what it is and why it was not graded; a typo in
an assignment's name is refused before anything is written, naming the nearest one; `feedback`
says plainly of each assignment why it has none; a failed command exits non-zero.

One course, one release, two students graded (the rest is refused before any grading)."""

import contextlib
import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from conftest import readme_excerpt, release

from autograder import grading, report, samples
from autograder.__main__ import main
from autograder.course import assignment
from autograder.gradebook import open_gradebook

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
NOTEBOOK = assignment(ASSIGNMENT).source_notebooks[0].name


def run(course, *arguments):
    """`python -m autograder --course-dir ... ARGUMENTS` in this process: (exit status, what it printed).
    The status is SystemExit's: 0, or its message (an exit status of 1, the message on stderr)."""
    printed = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(printed):
        try:
            main(["--course-dir", str(course.root), "--release-dir", str(course.release_directory), *arguments])
        except SystemExit as exit:
            status = exit.code or 0
    return status, printed.getvalue()


def tree(folder):
    """{relative path: SHA-256 or 'folder'} of everything under folder."""
    return {
        str(path.relative_to(folder)): "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
    }


def misfile(notebook, folder):
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / NOTEBOOK)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from autograder.pipeline import CourseRun

    top = tmp_path_factory.mktemp("instructor")
    # No student here loops: the course's own cell limit (30 s), so a busy machine cannot fail right code.
    course = CourseRun(root=top / "course", release_directory=top / "release", workers=2)
    release(course, ASSIGNMENT)
    right = samples.solved(ASSIGNMENT, course.release_directory)
    inbox = top / "inbox"
    samples.write_submission(right, inbox, "alice", ASSIGNMENT)  # right
    misfile(right, inbox / "bob" / "forget-gate")  # a misspelt assignment folder
    misfile(right, inbox / "carol")  # the notebook without its assignment folder
    (inbox / ".DS_Store").write_bytes(b"\0")  # clutter
    (inbox / "alice" / ASSIGNMENT / "course_data.json").write_text("{}")
    course.misfiled = run(course, "autograde", str(inbox))
    return course


def test_a_misfiled_inbox_grades_alice_and_lists_bob_and_carol_with_why(course):
    status, printed = course.misfiled
    assert status == 0, printed
    assert "graded 1 submission in" in printed
    assert "  - bob/forget-gate/: no assignment named forget-gate; did you mean forget_gate?" in printed
    assert (
        f"  - carol/{NOTEBOOK}: is a notebook outside an assignment's folder: not read; move it to carol/forget_gate/"
        in printed
    )
    assert "(2 other entries were not read, as expected: the grader reads notebooks" in printed
    assert ".DS_Store, alice/forget_gate/course_data.json)" in printed
    scores = {row["student"]: row["score"] for row in report.grade_rows(course.db_url, [ASSIGNMENT])}
    assert scores == {"alice": assignment(ASSIGNMENT).points}  # bob and carol: never students of the gradebook
    shown_in_readme = "\n".join(readme_excerpt("`autograde` grades alice and prints"))
    assert shown_in_readme in printed, "the README's example is not what autograde prints"


def test_an_inbox_of_misfiled_submissions_only_says_what_it_holds(course, tmp_path):
    right = samples.solved(ASSIGNMENT, course.release_directory)
    misfile(right, tmp_path / "inbox" / "bob" / "forget-gate")
    misfile(right, tmp_path / "inbox" / "forget_gate" / "dora")  # the layout upside down
    misfile(right, tmp_path / "inbox")  # a notebook with no student
    before = tree(course.root)
    status, printed = run(course, "autograde", str(tmp_path / "inbox"))
    assert status != 0
    assert "Nothing to grade in" in str(status) and "<student>/<assignment>/<notebook>.ipynb" in str(status)
    assert "bob/forget-gate/: no assignment named forget-gate; did you mean forget_gate?" in str(status)
    assert "forget_gate/: is an assignment's name where a student's folder belongs" in str(status)
    assert f"{NOTEBOOK}: is a notebook outside a student's folder: not read" in str(status)
    assert tree(course.root) == before


@pytest.mark.parametrize(
    "arguments",
    [["release", "forget-gate"], ["autograde", "INBOX", "-a", "forget-gate"], ["feedback", "Forget_Gate2"]],
    ids=["release", "autograde", "feedback"],
)
def test_a_typo_is_refused_before_anything_is_written(course, tmp_path, arguments):
    right = samples.solved(ASSIGNMENT, course.release_directory)
    samples.write_submission(right, tmp_path / "inbox", "erin", ASSIGNMENT)
    arguments = [str(tmp_path / "inbox") if a == "INBOX" else a for a in arguments]
    before = tree(course.root)
    status, printed = run(course, *arguments)
    message = str(status)
    assert status != 0 and printed == ""
    assert "did you mean forget_gate?" in message
    assert "forget_gate, input_gate, output_gate, gru, vanishing_gradients, bptt" in message
    assert tree(course.root) == before  # no source/forget-gate, no erin in submitted/
    fresh = tmp_path / "new-course"  # a course folder that does not exist yet is not made either
    with pytest.raises(SystemExit):
        main(["--course-dir", str(fresh), *arguments])
    assert not fresh.exists()


def test_feedback_says_plainly_of_each_assignment_why_there_is_none(course):
    with open_gradebook(course.db_url) as gradebook:  # released, as far as the gradebook knows; nobody handed in
        gradebook.update_or_create_assignment("input_gate")
    status, printed = run(course, "feedback")
    assert status == 0, printed
    lines = printed.splitlines()
    assert f"feedback for forget_gate (1 students) in {course.root / 'feedback'}" in lines
    assert "no feedback for input_gate: nobody has handed in input_gate yet" in lines
    assert "no feedback for gru: it is not released (`python -m autograder release gru`)" in lines
    assert "Error" not in printed and "Did you mean" not in printed  # none of nbgrader's raw errors
    assert (course.root / "feedback" / "alice" / ASSIGNMENT / NOTEBOOK.replace(".ipynb", ".html")).exists()


def test_a_feedback_nbgrader_fails_on_exits_non_zero(course, monkeypatch):
    from autograder.pipeline import CourseRun

    failed = subprocess.CompletedProcess([], 1, "", "[GenerateFeedbackApp | ERROR] There was an error (injected)")
    monkeypatch.setattr(CourseRun, "feedback", lambda self, assignment_id: failed)
    status, printed = run(course, "feedback", ASSIGNMENT)
    assert status != 0 and "forget_gate" in str(status)
    assert (
        "FAILED: feedback for forget_gate (nbgrader exit 1): [GenerateFeedbackApp | ERROR] There was an error"
        in printed
    )


def test_autograde_exits_non_zero_when_the_grader_fails_on_a_submission(course, tmp_path, monkeypatch):
    samples.write_submission(samples.solved(ASSIGNMENT, course.release_directory), tmp_path, "fay", ASSIGNMENT)

    def broken(job, result):
        raise RuntimeError("injected grader bug")

    monkeypatch.setattr(grading, "_grade", broken)  # before the workers fork: they inherit it
    status, printed = run(course, "autograde", str(tmp_path))
    assert status != 0 and "The grader failed on 1 submission" in str(status)
    assert "fay / forget_gate (NOT GRADED):" in printed


def test_autograde_of_one_assignment_says_what_it_left_out(course, tmp_path):
    """`-a input_gate` on an inbox of forget_gate: nothing graded, and said so; the forget_gate
    submission is counted as left for a run without -a, not as "already graded"."""
    samples.write_submission(samples.solved(ASSIGNMENT, course.release_directory), tmp_path, "gus", ASSIGNMENT)
    status, printed = run(course, "autograde", str(tmp_path), "-a", "input_gate")
    assert status == 0, printed
    assert "nobody has handed in input_gate yet" in printed
    assert "graded 0 submissions" in printed and "(0 already graded, skipped; 1 of other assignments left" in printed
