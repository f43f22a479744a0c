"""The gradebook on any SQLAlchemy URL: SQLite (the default) and a real PostgreSQL server.

The same class on each: a failure between a student's scores and their "done" row commits
neither (one transaction per student); the rerun grades exactly the students missing, once;
nbgrader's own commands (generate_assignment, generate_feedback) and our report use the same
database.

The class has the catalogue's mistakes planted in known proportions (each entry's whole wrong
function written into the answer cell, as the mutation tests do): the named mistakes kept beside
the grades (lstm_mistakes) and the class report's counts are exactly those, after the rerun and
after one student's regrade.
"""

import collections
import contextlib
import csv
import io

import nbformat
import pytest
from conftest import release
from nbgrader.api import MissingEntry
from postgres_support import postgres_server

from autograder import cells, class_report, gradebook, report, samples
from autograder.__main__ import main
from autograder.course import assignment, mistakes
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points  # the manifest's total
EXPECTED = {"right": FULL, "tanh_for_sigma": FULL - 4}  # forget_gate's two cells, 2 points each

# {student: the catalogue entry planted in the solution (None: a wrong answer the catalogue does not know)}
PLANTED = {
    "tanh_for_sigma": "forget_gate/tanh-for-σ",  # written by hand: "sigmoid(" -> "np.tanh(" in forget_gate
    "tanh_2": "forget_gate/tanh-for-σ",
    **{f"x_before_h_{n}": "forget_gate/x-before-h" for n in (1, 2, 3)},
    **{f"matmul_{n}": "forget/matrix-product-for-⊙" for n in (1, 2)},
    "transposed_1": "forget_weight_shape/transposed",
    "rounded_1": None,
    "rounded_2": None,
}
ROUNDED = (
    "def forget_gate(W_f, h_prev, x_t, b_f):\n"
    "    return np.round(sigmoid(gate_preactivation(W_f, h_prev, x_t, b_f)), {digits})"
)
STUDENTS = ["right", *PLANTED]
REGRADED = "x_before_h_2"  # hands in the right answer after the first run


def planted_class(release):
    """{student: notebook}: the right answer, and one planted mistake each (PLANTED)."""
    right = samples.solved(ASSIGNMENT, release)
    found = {"right": right, "tanh_for_sigma": samples.edit_answer(right, "forget_gate", "sigmoid(", "np.tanh(")}
    for n, (student, key) in enumerate(PLANTED.items()):
        if student in found:
            continue
        if key is None:  # two different roundings: two examples of an unknown mistake
            found[student] = samples.set_cell(right, "forget_gate", ROUNDED.format(digits=n % 2))
        else:
            entry = mistakes()[key]
            found[student] = samples.with_function(right, entry.function.__name__, entry.source)
    return found


def questions_checking(function_name):
    """The test cells of the assignment that check `function_name`, from its notebook."""
    notebook = nbformat.read(assignment(ASSIGNMENT).source_notebooks[0], as_version=4)
    return [
        cells.grade_id(cell)
        for cell in notebook.cells
        if cells.is_test(cell) and any(check.name == function_name for check in cells.checks(cell.source))
    ]


def planted_mistakes(students):
    """{(student, question): [(kind, key)]}: each planted mistake on every question that checks its
    function, as lstm_mistakes must hold it."""
    expected = {}
    for student in set(students) & PLANTED.keys():
        key = PLANTED[student]
        function = mistakes()[key].exercise if key else "forget_gate"
        for question in questions_checking(function):
            expected[(student, question)] = [("mistake", key) if key else ("wrong", "")]
    return expected


def counts(found, question):
    """{cause: students} of one question in the class report."""
    (asked,) = [q for q in found.questions if q.grade_id == question]
    return {cause.key: len(cause.students) for cause in asked.causes}


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
    if db_url is None:
        release(course, ASSIGNMENT)  # a copy of what releasing writes
    else:
        course.release(ASSIGNMENT)  # nbgrader writes the assignment into PostgreSQL
    for student, notebook in planted_class(course.release_directory).items():
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
        for student in STUDENTS:
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
    assert {student: rows[student] for student in EXPECTED} == EXPECTED


def test_nbgrader_feedback_and_the_report_use_the_same_database(graded):
    course, *_ = graded
    result = course.feedback(ASSIGNMENT)
    assert result.returncode == 0, result.stderr[-3000:]
    for student in EXPECTED:
        html = (course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert f"Score: {EXPECTED[student]:.1f} / {FULL:.1f}" in html  # the total, read from the gradebook
    if not course.db_url.startswith("sqlite"):
        assert not (course.root / "gradebook.db").exists(), "something wrote the default SQLite gradebook"


def test_the_planted_mistakes_are_kept_exactly_and_counted_in_the_report(graded):
    course, *_ = graded
    students = STUDENTS
    assert gradebook.recorded_mistakes(course.db_url, ASSIGNMENT) == planted_mistakes(students)
    found = class_report.gather(course.db_url, [ASSIGNMENT])
    assert found.graded == {ASSIGNMENT: len(students)}
    expected = collections.Counter(
        (question, key or "wrong") for (_, question), [(_, key)] in planted_mistakes(students).items()
    )
    for question in {question for question, _ in expected}:
        assert counts(found, question) == {key: n for (q, key), n in expected.items() if q == question}, question
    assert counts(found, "forget_gate_hidden") == {
        "forget_gate/x-before-h": 3,
        "forget_gate/tanh-for-σ": 2,
        "wrong": 2,
    }
    (hidden,) = [q for q in found.questions if q.grade_id == "forget_gate_hidden"]
    assert [len(example.students) for example in hidden.examples] == [1, 1]  # the two roundings, anonymised
    assert all("np.round(" in example.code for example in hidden.examples)
    assert [cause.key for cause in hidden.causes][0] == "forget_gate/x-before-h"  # the most common first


def report_files(course, *options):
    """`python -m autograder report` on the course: {file: text} of report/mistakes.csv and index.html."""
    with contextlib.redirect_stdout(io.StringIO()):
        main(["--course-dir", str(course.root), "--db", course.db_url, "report", *options])
    return {name: (course.root / "report" / name).read_text() for name in ("mistakes.csv", "index.html")}


def test_the_report_s_csv_counts_them_and_names_nobody_unless_asked(graded):
    course, *_ = graded
    anonymous = report_files(course)
    rows = list(csv.DictReader(io.StringIO(anonymous["mistakes.csv"])))
    named = {(row["question"], row["cause"]): (row["students"], row["share"]) for row in rows}
    assert named[("forget_gate_hidden", "forget_gate/x-before-h")] == ("3", f"{3 / len(STUDENTS):.0%}")  # 27 %
    assert named[("forget_weight_shape_lecture", "forget_weight_shape/transposed")] == ("1", f"{1 / len(STUDENTS):.0%}")
    for text in anonymous.values():
        assert not [student for student in PLANTED if student in text]  # ("right" is a word of the page)
    with_names = report_files(course, "--names")
    who = {
        (row["question"], row["cause"]): row["who"] for row in csv.DictReader(io.StringIO(with_names["mistakes.csv"]))
    }
    assert who[("forget_gate_hidden", "forget_gate/x-before-h")] == "x_before_h_1 x_before_h_2 x_before_h_3"
    assert "x_before_h_2" in with_names["index.html"]


def test_a_regrade_replaces_the_student_s_mistakes(graded, tmp_path):
    """Last in this module: one student hands in the right answer; their mistakes go, with their
    old scores, in the same commit; nobody else changes."""
    course, *_ = graded
    before = gradebook.recorded_mistakes(course.db_url, ASSIGNMENT)
    samples.write_submission(samples.solved(ASSIGNMENT, course.release_directory), tmp_path, REGRADED, ASSIGNMENT)
    course.collect(tmp_path)
    assert [result.student for result in course.autograde()] == [REGRADED]
    after = gradebook.recorded_mistakes(course.db_url, ASSIGNMENT)
    assert after == {key: value for key, value in before.items() if key[0] != REGRADED}
    assert after == planted_mistakes(set(STUDENTS) - {REGRADED})
    assert (
        counts(class_report.gather(course.db_url, [ASSIGNMENT]), "forget_gate_lecture")["forget_gate/x-before-h"] == 2
    )
