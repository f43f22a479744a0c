"""Formgrader shows the truth: after our autograde, nbgrader's formgrader sees what it would see
after stock `nbgrader autograde` of the same notebooks (every column it reads), and a real
JupyterLab server's formgrader API lists our graded submissions with their scores.
"""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from browser_support import free_port
from conftest import release
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory

from autograder import samples
from autograder.course import ASSIGNMENTS, assignment
from autograder.gradebook import open_gradebook
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points  # the manifest's total
STUDENTS = ("right", "blank", "tanh_for_sigma", "forget_raises")


def submissions(release):
    right = samples.solved(ASSIGNMENT, release)
    return {
        "right": right,
        "blank": samples.released(ASSIGNMENT, release),
        "tanh_for_sigma": samples.edit_answer(right, "forget_gate", "sigmoid(", "np.tanh("),
        "forget_raises": samples.set_cell(right, "forget", "def forget(f_t, C_prev):\n    raise ValueError('oops')"),
    }


def hand_in(notebooks, inbox, timestamps):
    """The notebooks, and (as nbgrader's collect and LMS exports write them) the hand-in times."""
    for student, notebook in notebooks.items():
        samples.write_submission(notebook, inbox, student, ASSIGNMENT)
    for student, timestamp in timestamps.items():
        (inbox / student / ASSIGNMENT / "timestamp.txt").write_text(timestamp)


def without_ids(value):
    """Formgrader's JSON minus the random row ids, which differ between any two gradebooks, and
    the browsing order formgrader derives from them ("index")."""
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key not in ("id", "index")}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def names_as_stock(value):
    """Formgrader's JSON with the one thing our autograde writes on purpose that stock nbgrader's
    does not: a student nobody named has their id as last name and an empty first name
    (formgrader lists "right, ", not "None, None"). Here put back as stock writes it."""
    if isinstance(value, list):
        return [names_as_stock(item) for item in value]
    if not isinstance(value, dict):
        return value
    value = {key: names_as_stock(item) for key, item in value.items()}
    student = value.get("student", value.get("id"))
    if "last_name" in value and value["last_name"] == student and value.get("first_name") == "":
        value["last_name"] = value["first_name"] = None
    return value


def by_student(listed):
    return sorted(listed, key=lambda entry: entry["student"])


def formgrader_view(course, names=None):
    """What formgrader shows: its API's submission lists, and every grade and comment row (and with
    names="as stock", students' names as stock nbgrader writes them: names_as_stock)."""
    coursedir = CourseDirectory(
        root=str(course.root),
        db_url=course.db_url,
        source_directory=str(ASSIGNMENTS),
        release_directory=str(course.release_directory),
        course_id="lstm-course",
    )
    api = NbGraderAPI(coursedir)
    view = {
        "students": sorted(api.get_students(), key=lambda student: student["id"]),  # score, max_score
        "submissions": by_student(api.get_submissions(ASSIGNMENT)),
        "notebook submissions": by_student(api.get_notebook_submissions(ASSIGNMENT, ASSIGNMENT)),
    }
    with open_gradebook(course.db_url) as gradebook:
        for student in STUDENTS:
            notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            view[student] = {
                "notebook": notebook.to_dict(),
                "late penalty": notebook.late_submission_penalty,
                "grades": sorted((grade.to_dict() for grade in notebook.grades), key=lambda g: g["name"]),
                "comments": sorted((comment.to_dict() for comment in notebook.comments), key=lambda c: c["name"]),
            }
    return without_ids(names_as_stock(view)) if names == "as stock" else without_ids(view)


def listed_names(course):
    """{student: (last name, first name)} as formgrader lists them."""
    coursedir = CourseDirectory(root=str(course.root), db_url=course.db_url, course_id="lstm-course")
    return {
        student["id"]: (student["last_name"], student["first_name"])
        for student in NbGraderAPI(coursedir).get_students()
    }


def give_manual_score(course, student, grade_id, score):
    with open_gradebook(course.db_url) as gradebook:
        gradebook.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, student).manual_score = score
        gradebook.db.commit()


@pytest.fixture(scope="module")
def two_courses(tmp_path_factory):
    """The same class graded by stock `nbgrader autograde` and by ours."""
    root = tmp_path_factory.mktemp("formgrader")
    # No student here loops: the course's own cell limit (30 s), so a busy machine cannot fail right code.
    stock = CourseRun(root=root / "stock", release_directory=root / "stock-release")
    ours = CourseRun(root=root / "ours", release_directory=root / "ours-release", workers=2)
    for course in (stock, ours):
        release(course, ASSIGNMENT)
    hand_in(submissions(ours.release_directory), root / "inbox", {"right": "2025-03-14 09:26:53.589793 UTC"})
    for course in (stock, ours):
        course.collect(root / "inbox")
    result = stock.nbgrader_autograde(ASSIGNMENT)
    assert result.returncode == 0, result.stderr[-3000:]
    ours.autograde()
    return stock, ours, root


def test_every_row_formgrader_reads_is_what_stock_nbgrader_writes(two_courses):
    stock, ours, _ = two_courses
    expected, found = formgrader_view(stock), formgrader_view(ours, names="as stock")
    assert found == expected
    # Where stock nbgrader leaves a student without a name ("None, None"), ours shows the id.
    assert listed_names(stock) == {student: (None, None) for student in STUDENTS}
    assert listed_names(ours) == {student: (student, "") for student in STUDENTS}
    # and what that is, in words: graded, no manual grading asked, the scores the notebooks earn
    submissions = {s["student"]: s for s in found["submissions"]}
    assert {s: submissions[s]["score"] for s in STUDENTS} == {
        "right": FULL,
        "blank": 0,
        "tanh_for_sigma": FULL - 4,  # forget_gate's two cells, 2 points each
        "forget_raises": FULL - 2,
    }  # forget's two cells, 1 point each
    assert all(s["autograded"] and not s["needs_manual_grade"] for s in submissions.values())
    assert submissions["right"]["timestamp"].startswith("2025-03-14T09:26:53")
    assert {c["auto_comment"] for c in found["blank"]["comments"]} == {"No response."}
    assert {c["auto_comment"] for c in found["right"]["comments"]} == {None}


def test_a_regraded_submission_keeps_the_manual_score_and_asks_for_review_as_stock_does(two_courses):
    stock, ours, root = two_courses
    for course in (stock, ours):
        give_manual_score(course, "tanh_for_sigma", "forget_gate_hidden", 1.5)
    right = samples.solved(ASSIGNMENT, ours.release_directory)
    hand_in({"tanh_for_sigma": right}, root / "inbox-2", {"tanh_for_sigma": "2025-03-15 08:00:00.000000 UTC"})
    for course in (stock, ours):
        assert course.collect(root / "inbox-2") == [("tanh_for_sigma", ASSIGNMENT)]
    result = stock.nbgrader_autograde(ASSIGNMENT, "--student=tanh_for_sigma", "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    assert [r.student for r in ours.autograde()] == ["tanh_for_sigma"]
    expected, found = formgrader_view(stock), formgrader_view(ours, names="as stock")
    assert found == expected
    grades = {g["name"]: g for g in found["tanh_for_sigma"]["grades"]}
    assert grades["forget_gate_hidden"]["manual_score"] == 1.5 and grades["forget_gate_hidden"]["needs_manual_grade"]
    assert not grades["forget_gate_lecture"]["needs_manual_grade"]


@contextlib.contextmanager
def jupyter_lab(folder, timeout=90):
    """`jupyter lab` started in `folder` as an instructor would, headless, on a free port with a
    token, its own Jupyter state in a temporary folder, in its own session (stopped whole)."""
    state = folder.parent / "lab-state"
    env = dict(os.environ)
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[variable] = str(state / variable.lower())
    port, token = free_port(), secrets.token_hex(16)
    log = open(folder.parent / "jupyterlab.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            "--LabApp.news_url=None",
            "--allow-root",
        ],
        cwd=folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def get(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}", timeout=30) as response:
            return json.load(response)

    try:
        deadline = time.monotonic() + timeout
        while True:
            assert server.poll() is None, f"jupyter lab exited; see {log.name}"
            with contextlib.suppress(OSError):
                get("api/status")
                break
            assert time.monotonic() < deadline, f"jupyter lab did not answer in {timeout} s; see {log.name}"
            time.sleep(0.3)
        yield get
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_formgrader_in_jupyterlab_started_in_the_course_folder_lists_our_grades(two_courses):
    _, ours, _ = two_courses
    with jupyter_lab(ours.root) as get:
        assignments = {a["name"]: a for a in get("formgrader/api/assignments")}
        listed = by_student(without_ids(get(f"formgrader/api/submissions/{ASSIGNMENT}")))
        students = {student["id"]: student for student in get("formgrader/api/students")}
    assert assignments[ASSIGNMENT]["num_submissions"] == len(STUDENTS)
    assert listed == formgrader_view(ours)["submissions"]
    assert {student: (s["last_name"], s["first_name"]) for student, s in students.items()} == {
        student: (student, "") for student in STUDENTS
    }
    assert {s["student"] for s in listed} == set(STUDENTS)
    assert all(s["autograded"] for s in listed)
    right = next(s for s in listed if s["student"] == "right")
    assert right["score"] == right["max_score"] == FULL and not right["needs_manual_grade"]
