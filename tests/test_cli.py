"""The instructor's command line: the course options work before and after the command's name."""

from pathlib import Path

import pytest

from autograder.__main__ import parser
from autograder.course import COURSE, NOTEBOOKS


@pytest.mark.parametrize(
    "argv",
    [
        ["--course-dir", "X", "--db", "postgresql://grader@db/lstm", "--timeout", "5", "release", "forget_gate"],
        ["release", "forget_gate", "--course-dir", "X", "--db", "postgresql://grader@db/lstm", "--timeout", "5"],
        ["--course-dir", "X", "release", "--timeout", "5", "forget_gate", "--db", "postgresql://grader@db/lstm"],
    ],
)
def test_course_options_before_or_after_the_command(argv):
    args = parser().parse_args(argv)
    assert (args.course_dir, args.db, args.timeout, args.assignments) == (
        Path("X"),
        "postgresql://grader@db/lstm",
        5,
        ["forget_gate"],
    )
    assert (args.release_dir, args.workers, args.memory) == (NOTEBOOKS, None, 2048)  # defaults kept


def test_an_option_after_the_command_wins_and_defaults_do_not_reset_one_given_before():
    args = parser().parse_args(["--workers", "3", "--memory", "512", "autograde", "inbox", "--workers", "5"])
    assert (args.workers, args.memory, args.course_dir, args.submissions) == (5, 512, COURSE, Path("inbox"))


def test_autograde_takes_a_dask_scheduler_and_retry_failed():
    args = parser().parse_args(["autograde", "inbox", "--scheduler", "tcp://10.0.0.5:8786", "--retry-failed"])
    assert (args.scheduler, args.retry_failed) == ("tcp://10.0.0.5:8786", True)
    assert parser().parse_args(["autograde", "inbox"]).scheduler is None


def test_report_names_students_only_when_asked():
    assert parser().parse_args(["report"]).names is False
    assert parser().parse_args(["report", "--names"]).names is True


def test_the_demo_never_writes_into_a_course_or_its_gradebook(tmp_path):
    from autograder.__main__ import main

    course = tmp_path / "course"
    course.mkdir()
    (course / "gradebook.db").write_bytes(b"an instructor's gradebook")
    with pytest.raises(SystemExit, match="not the demo's"):
        main(["--course-dir", str(course), "demo"])
    assert [path.name for path in course.iterdir()] == ["gradebook.db"]
    with pytest.raises(SystemExit, match="leave out --db"):
        main(["--course-dir", str(tmp_path / "new"), "--db", f"sqlite:///{course / 'gradebook.db'}", "demo"])
    assert not (tmp_path / "new").exists()


def test_report_before_any_grading_says_so_and_writes_nothing(tmp_path):
    from autograder.__main__ import main

    with pytest.raises(SystemExit, match="Nothing to report: there is no gradebook at sqlite:///"):
        main(["--course-dir", str(tmp_path / "course"), "report"])
    assert not [path.name for path in (tmp_path / "course").iterdir() if path.name != "nbgrader_config.py"]


def test_report_with_nobody_graded_says_so_and_writes_nothing(tmp_path, monkeypatch):
    """A gradebook that holds only submissions nbgrader could not grade (score None)."""
    from autograder import __main__, report

    monkeypatch.setattr(__main__, "_gradebook_exists", lambda url: True)
    ungraded = [{"student": "s1", "assignment": "forget_gate", "score": None, "max_score": 12}]
    monkeypatch.setattr(report, "grade_rows", lambda url, ids: ungraded)
    with pytest.raises(SystemExit, match="Nothing to report: nobody is graded in sqlite:///.* yet"):
        __main__.main(["--course-dir", str(tmp_path / "course"), "report"])
    assert not (tmp_path / "course" / "grades.csv").exists() and not (tmp_path / "course" / "report").exists()
