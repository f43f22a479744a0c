"""The README's first command, `make demo` = `python -m autograder demo`, as from a fresh clone: it
grades in a course folder of its own (course/demo/), leaves the instructor's course/ as it was,
and prints the grades and what the class got wrong; `report` on the demo's folder names cleo's
mistake; its feedback names the questions and wraps the failures to the width of the page.

The demo is also the forget-gate assignment through the real nbgrader pipeline (release,
autograde, feedback): its six students' grades, cell by cell, and their feedback are checked here
(the right answer, the blank notebook, tanh for sigma, a wrong answer whose visible test was
emptied, an answer that raises, one that loops forever).
"""

import contextlib
import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from browser_support import chromium, require_chromium
from conftest import graded_cells, readme_excerpt

import autograder.__main__ as cli
from autograder import report
from autograder.course import COURSE, assignment

pytestmark = pytest.mark.slow


def tree(folder, leave_out=None):
    """{relative path: SHA-256 or 'folder'} under folder, without the subfolder `leave_out`."""
    return {
        str(path.relative_to(folder)): "folder" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if leave_out is None or (leave_out not in path.parents and path != leave_out)
    }


def printed_by(*arguments):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(list(arguments))
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`python -m autograder demo` with no option, where course/ is the checkout's (its config and
    list of assignments) with an instructor's course in it: a gradebook, a submission, grades."""
    top = tmp_path_factory.mktemp("demo")
    course = top / "course"
    course.mkdir()
    for name in ("nbgrader_config.py", "assignments.toml"):
        shutil.copy(COURSE / name, course / name)
    (course / "gradebook.db").write_bytes(b"the instructor's gradebook")
    (course / "submitted" / "s123" / "forget_gate").mkdir(parents=True)
    (course / "submitted" / "s123" / "forget_gate" / "forget_gate.ipynb").write_text("{}")
    (course / "grades.csv").write_text("student,assignment,score\ns123,forget_gate,12\n")
    before = tree(course)
    with pytest.MonkeyPatch.context() as patch:  # the command's defaults: this course/ and notebooks/
        patch.setattr(cli, "COURSE", course)
        patch.setattr(cli, "NOTEBOOKS", top / "notebooks")
        printed = printed_by("demo")
    return course, before, printed, top


def test_the_demo_grades_in_course_demo_and_leaves_the_course_as_it_was(demo):
    course, before, printed, top = demo
    assert f"the demo's course folder: {course / 'demo'}" in printed
    assert tree(course, leave_out=course / "demo") == before
    assert not (top / "notebooks").exists()  # released into the demo's own folder too
    assert (course / "demo" / "release" / "forget_gate").is_dir()


def test_the_demo_prints_the_grade_table_of_the_six_samples(demo):
    course, _, printed, _ = demo
    with open(course / "demo" / "grades.csv") as f:
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
    feedback = (course / "demo" / "feedback" / "cleo" / "forget_gate" / "forget_gate.html").read_text()
    text = re.sub(r"<[^>]+>", "", feedback)  # the page's text, code highlighting dropped
    assert "seed=202" not in text and "BEGIN HIDDEN TESTS" not in text and "expected=" not in text


def test_report_on_the_demo_names_cleo_s_mistake_with_its_count(demo):
    course, _, _, _ = demo
    printed = printed_by("--course-dir", str(course / "demo"), "report")
    # cleo alone wrote tanh where sigma belongs in f_t: 1 of the 6 graded, on both forget_gate questions
    named = re.findall(r"^\s+1\s+17%\s+forget_gate/tanh-for-σ: you squashed with tanh where .* uses σ", printed, re.M)
    assert len(named) == 2, printed
    assert re.search(r"forget_gate_lecture \(2 points\): 4 of 6 lost points \(67%\)", printed), printed
    assert (course / "demo" / "report" / "forget_gate.png").read_bytes().startswith(b"\x89PNG")
    page = (course / "demo" / "report" / "index.html").read_text()
    assert "forget_gate/tanh-for-σ" in page and "lecture 002" in page
    for student in ("ada", "ben", "cleo", "dev", "eve", "finn"):  # anonymised
        assert not re.search(rf"\b{student}\b", page), student


def test_the_readme_s_excerpt_of_the_report_is_what_report_prints_of_the_demo(demo):
    """Line by line, in order ("..." where the README cuts a line, lines left out between)."""
    _, _, printed, _ = demo
    lines = iter(printed.splitlines())
    for line in readme_excerpt("What `report` prints of the demo's class"):
        pattern = re.compile(".*".join(re.escape(piece) for piece in line.split("...")))
        assert any(pattern.fullmatch(found) for found in lines), f"not printed (in this order): {line}"


@pytest.mark.browser
def test_the_feedback_names_its_questions_and_wraps_failures_to_the_page(demo, tmp_path):
    require_chromium()
    course, _, _, _ = demo
    widest = """() => Math.max(...Array.from(document.querySelectorAll('body *'),
                                            e => Math.max(e.getBoundingClientRect().right, e.scrollWidth > e.clientWidth
                                                          && getComputedStyle(e).overflowX !== 'visible'
                                                          ? 1e6 : 0)))"""
    with chromium(tmp_path / "profile") as browser:
        for student in ("cleo", "dev"):  # long failure messages, visible and hidden tests
            page = browser.new_page()
            page.set_viewport_size({"width": 800, "height": 900})
            page.goto((course / "demo" / "feedback" / student / "forget_gate" / "forget_gate.html").as_uri())
            assert page.evaluate(widest) <= 800, f"{student}: something is wider than the page or scrolls"
            toc = page.inner_text("#toc")
            assert "Test cell" not in toc
            assert "forget_gate_lecture: checks forget_gate() (Score: 0.0 / 2.0)" in toc
            assert "forget_gate_hidden: hidden tests of forget_gate() (Score: 0.0 / 2.0)" in toc
            page.close()


# -- the pipeline, cell by cell ---------------------------------------------------------------------
FORGET_GATE_CELLS = {"forget_gate_lecture", "forget_gate_hidden"}
FORGET_CELLS = {"forget_lecture", "forget_hidden"}


def graded(demo):
    """{student: {grade_id or "score": points}} of the demo's class, from its gradebook."""
    course, *_ = demo
    rows = report.grade_rows(f"sqlite:///{course / 'demo' / 'gradebook.db'}", ["forget_gate"])
    return {row["student"]: row for row in rows}


def feedback_html(demo, student):
    course, *_ = demo
    folder = course / "demo" / "feedback" / student / "forget_gate"
    return "\n".join(path.read_text() for path in sorted(folder.glob("*.html")))


def loses_exactly(row, cells):
    """The student scored zero on `cells` and full points on every other test cell."""
    points = graded_cells("forget_gate")
    assert {grade_id: row[grade_id] for grade_id in points} == {
        grade_id: 0 if grade_id in cells else points[grade_id] for grade_id in points
    }
    assert row["score"] == sum(points.values()) - sum(points[grade_id] for grade_id in cells)
    return True


def test_every_student_was_graded_the_right_answer_in_full_the_blank_notebook_zero(demo):
    rows, points = graded(demo), graded_cells("forget_gate")
    assert set(rows) == {"ada", "ben", "cleo", "dev", "eve", "finn"}
    assert all(row["score"] is not None for row in rows.values())
    assert rows["ada"]["score"] == sum(points.values()) == assignment("forget_gate").points
    assert rows["ben"]["score"] == 0
    assert all(rows["ben"][grade_id] == 0 for grade_id in points), "a test cell gave credit to the blank notebook"


def test_tanh_for_sigmoid_loses_exactly_the_forget_gate_cells(demo):
    assert loses_exactly(graded(demo)["cleo"], FORGET_GATE_CELLS)


def test_an_edited_test_cell_is_graded_by_the_original_test(demo):
    # dev: a wrong f_t, and its visible test cell (forget_gate_lecture) emptied
    assert loses_exactly(graded(demo)["dev"], FORGET_GATE_CELLS)


def test_an_answer_that_raises_scores_zero_on_its_cells_only(demo):
    assert loses_exactly(graded(demo)["eve"], FORGET_CELLS)


def test_an_answer_that_loops_forever_scores_zero_and_the_batch_goes_on(demo):
    assert loses_exactly(graded(demo)["finn"], FORGET_GATE_CELLS)
    assert "ran past the time limit" in feedback_html(demo, "finn")


def test_feedback_shows_no_hidden_test(demo):
    import nbformat

    from autograder.cells import notebook_checks

    source = nbformat.read(assignment("forget_gate").source_notebooks[0], as_version=4)
    secrets = ["BEGIN HIDDEN TESTS", "expected="] + [
        f"seed={check.key}" for check in notebook_checks(source, hidden=True)
    ]
    for student in graded(demo):
        text = re.sub(r"<[^>]+>", "", feedback_html(demo, student))  # the page's text, highlighting dropped
        assert "forget_gate" in text  # the feedback exists and is about this assignment
        for secret in secrets:
            assert secret not in text, f"{student}'s feedback shows hidden tests ({secret!r})"


def test_feedback_says_what_was_expected(demo):
    html = feedback_html(demo, "cleo")
    assert "forget_gate(W_f, h_{t-1}, x_t, b_f) on lecture 004" in html
    assert "expected" in html and "received" in html
