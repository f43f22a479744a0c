"""A whole class of broken and hostile submissions, graded in ONE batch (tests/hostile/corpus.py).

For every case: no credit for the wrong part, everyone else's grades untouched, the gradebook
intact, a reason in the summary, nothing left behind on the machine. Then: a rerun grades
nobody again.
"""

import re
from pathlib import Path

import nbformat
import pytest
from conftest import release
from hostile import corpus
from sqlalchemy import create_engine, text

from autograder import gradebook, report
from autograder.course import assignment
from autograder.pipeline import CourseRun
from autograder.sandbox import Limits

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-course")
    course = CourseRun(root=root, release_directory=root / "release", timeout=5, workers=2, memory_mb=corpus.MEMORY_MB)
    release(course, corpus.ASSIGNMENT)
    elsewhere = tmp_path_factory.mktemp("other-checkout")
    (elsewhere / "solutions").mkdir()
    (elsewhere / "solutions" / "answers.ipynb").write_text("another course's answers")
    inbox = tmp_path_factory.mktemp("hostile-inbox")
    cases = corpus.cases(course.release_directory, root, elsewhere)
    for case in cases:
        corpus.write(case, inbox)
    course.collect(inbox)
    results = course.autograde()
    rows = {row["student"]: row for row in report.grade_rows(course.db_url, [corpus.ASSIGNMENT])}
    yield course, cases, results, rows, inbox
    _remove_what_leaked(course)


def _remove_what_leaked(course):
    """Should the sandbox ever fail, take the attacks' marks off the machine again."""
    for target in map(Path, corpus.host_targets(course.release_directory, course.root)):
        try:
            content = target.read_text()
        except (OSError, UnicodeDecodeError):
            continue
        if corpus.TOKEN in content:
            kept = content.replace(f"\n# {corpus.TOKEN}\n", "")
            target.write_text(kept) if kept.strip() else target.unlink()


def case_ids():
    return [case.student for case in corpus.cases(None, "/nonexistent")]


def graded_notebook(course, student):
    return course.root / "autograded" / student / corpus.ASSIGNMENT / "forget_gate.ipynb"


def printed(course, student):
    notebook = nbformat.read(graded_notebook(course, student), as_version=4)
    return "".join(o.get("text", "") for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs)


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
    if student in ("right", "zz_right_last"):
        assert not text, f"the right student should not be in the summary:\n{text}"


def test_controls_are_exact(graded):
    _, _, results, rows, _ = graded
    full = assignment(corpus.ASSIGNMENT).points
    assert rows["right"]["score"] == rows["right"]["max_score"] == full
    assert rows["zz_right_last"]["score"] == full  # graded after every attack on later kernels
    assert rows["blank"]["score"] == 0
    assert all(result.status != "failed" for result in results), "a submission made the grader fail"


def test_the_gradebook_is_intact_and_counts_everyone_once(graded):
    course, cases, results, rows, _ = graded
    with create_engine(course.db_url).connect() as db:
        assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        pairs = db.execute(text("SELECT student_id, assignment_id FROM submitted_assignment")).all()
        assert len(pairs) == len(set(pairs)) == sum(not c.not_graded for c in cases)
        assert db.execute(text("SELECT count(*) FROM lstm_grading")).scalar() == len(cases)
    assert set(rows) == {c.student for c in cases}


def test_student_code_could_not_read_or_write_outside_its_kernel(graded):
    course, _, _, _, inbox = graded
    for student in ("reads_secrets", "writes_elsewhere"):
        graded_text = graded_notebook(course, student).read_text()
        assert "blocked" in graded_text
        assert "READ /" not in graded_text and "WROTE /" not in graded_text
    other = course.root / "submitted" / "right" / corpus.ASSIGNMENT / "forget_gate.ipynb"
    assert b"vandalised" not in other.read_bytes()


def test_nothing_is_left_behind_on_the_machine(graded):
    """No file an attack wrote outside its own kernel, and no process it started, outlives it."""
    course, *_ = graded
    leaked = []
    for target in map(Path, corpus.host_targets(course.release_directory, course.root)):
        try:
            if corpus.TOKEN in target.read_text():
                leaked.append(str(target))
        except (OSError, UnicodeDecodeError):
            pass
    assert not leaked, f"attacks wrote to the host: {leaked}"
    running = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and corpus.TOKEN.encode() in (entry / "cmdline").read_bytes():
                running.append(entry.name)
        except OSError:
            pass
    assert not running, f"processes started by students still run: {running}"


def test_the_limits_held(graded):
    course, *_ = graded
    holding = re.search(r"children holding memory (\d+)", printed(course, "memory_in_children"))
    assert holding and int(holding.group(1)) * corpus.CHILD_MB <= corpus.MEMORY_MB, (
        "the children held more memory together than one student may"
    )
    written = re.search(r"MB written (\d+)", printed(course, "fills_disk"))
    assert written and int(written.group(1)) <= Limits().scratch_mb


@pytest.mark.parametrize("student", ["floods_output", "huge_error", "huge_metadata", "fails_the_grader"])
def test_output_beyond_the_cap_does_not_reach_the_graded_notebook(graded, student):
    course, *_ = graded
    assert graded_notebook(course, student).stat().st_size < 3_000_000


def test_a_rerun_grades_nobody_again_and_changes_nothing(graded):
    course, cases, _, rows, inbox = graded
    course.collect(inbox)
    assert course.autograde() == []
    again = {row["student"]: row for row in report.grade_rows(course.db_url, [corpus.ASSIGNMENT])}
    assert again == rows


def test_a_hidden_test_leaves_no_right_result_in_the_kernel(graded):
    """The right results nbgrader keeps in a hidden test cell are taken out before it runs."""
    course, *_ = graded
    graded = nbformat.read(
        course.root / "autograded" / "snoops_for_answers" / corpus.ASSIGNMENT / "forget_gate.ipynb", as_version=4
    )
    printed = [o.get("text", "") for cell in graded.cells for o in cell.get("outputs", []) if o.output_type == "stream"]
    assert any("searched" in text for text in printed), "the snooping answer did not run"
    assert not any("FOUND" in text for text in printed), printed
