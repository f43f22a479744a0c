"""Helpers of the red team's grading tests: one release of forget_gate per session, and a fresh
copy of that course for each test (a submission that stops `autograde` must not stop the
other tests' grading, as it would in a shared course)."""

import shutil
import subprocess

import pytest
from conftest import grader_command, release

from autograder import report
from autograder.pipeline import CourseRun

FORGET_GATE = "forget_gate"


@pytest.fixture(scope="session")
def forget_gate_course(tmp_path_factory):
    """A course folder with forget_gate released (its gradebook knows the assignment)."""
    top = tmp_path_factory.mktemp("redteam-base")
    release(CourseRun(root=top / "course", release_directory=top / "release", timeout=10, workers=1), FORGET_GATE)
    return top


@pytest.fixture
def fresh_course(forget_gate_course, tmp_path):
    """A copy of the released course, its own gradebook: CourseRun."""
    shutil.copytree(forget_gate_course / "course", tmp_path / "course", symlinks=True)
    return CourseRun(root=tmp_path / "course", release_directory=forget_gate_course / "release", timeout=10, workers=1)


def autograde(course, inbox, timeout=600):
    """`python -m autograder autograde INBOX`, as an instructor runs it: CompletedProcess."""
    return subprocess.run(
        grader_command(course, "autograde", str(inbox), timeout=10, workers=1),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def rows(course):
    """{student: gradebook row} of forget_gate."""
    return {row["student"]: row for row in report.grade_rows(course.db_url, [FORGET_GATE])}
