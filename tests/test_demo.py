"""The README's first command, `make demo` = `python -m autograder demo`, on a fresh course."""

import csv
import re

import pytest

from autograder.__main__ import main
from autograder.course import assignment

pytestmark = pytest.mark.slow


def test_the_demo_prints_the_grade_table_of_the_six_samples(tmp_path, capsys):
    course = tmp_path / "course"
    main(["--course-dir", str(course), "--release-dir", str(tmp_path / "release"), "demo"])
    printed = capsys.readouterr().out
    with open(course / "grades.csv") as f:
        scores = {row["student"]: row["score"] for row in csv.DictReader(f)}
    # right, blank, tanh for sigma (forget_gate's 4 points), a wrong f_t whose visible test was
    # emptied (graded by the original: 4 points), forget() raising (2), forget_gate looping (4)
    full = assignment("forget_gate").points
    assert scores == {
        "ada": f"{full:.1f}",
        "ben": "0.0",
        "cleo": f"{full - 4:.1f}",
        "dev": f"{full - 4:.1f}",
        "eve": f"{full - 2:.1f}",
        "finn": f"{full - 4:.1f}",
    }
    assert "every answer right" in printed and "forget_gate() loops forever" in printed
    feedback = (course / "feedback" / "cleo" / "forget_gate" / "forget_gate.html").read_text()
    text = re.sub(r"<[^>]+>", "", feedback)  # the page's text, code highlighting dropped
    assert "seed=202" not in text and "BEGIN HIDDEN TESTS" not in text and "expected=" not in text
