"""Shared fixtures: a throwaway course (its own gradebook, release and runtime folders) and
a helper that grades a batch of submissions through the real nbgrader pipeline."""

import functools
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from autograder import report, samples
from autograder.course import REPOSITORY, assignments
from autograder.pipeline import CourseRun

# Keep every Jupyter/IPython/matplotlib state file of the test run out of $HOME.
_STATE = Path(tempfile.mkdtemp(prefix="lstm-course-test-state-"))
for variable, folder in (
    ("JUPYTER_CONFIG_DIR", "jupyter-config"),
    ("JUPYTER_DATA_DIR", "jupyter-data"),
    ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
    ("IPYTHONDIR", "ipython"),
    ("MPLCONFIGDIR", "matplotlib"),
):
    os.environ[variable] = str(_STATE / folder)
    Path(os.environ[variable]).mkdir(parents=True, exist_ok=True)

# Long enough for any right answer on a slow machine, short enough that a loop costs little.
TEST_TIMEOUT = 10

# The files that take longest (`make test` prints the slowest tests), started first, longest
# first: with one file per worker (pytest -n auto --dist loadfile --no-loadscope-reorder keeps this
# order), the workers then end together instead of one running a long file alone at the end. The
# files not named here (each under about 15 s) follow in collection order. Beside each, about
# how many seconds it takes one worker, besides the fixtures a test process makes once (a release
# of every assignment, 26 s; a bare environment, 5 s): files run alone here, or the slowest items
# of the last CI run (mutations, gate assignments, other CPUs); the VM's, emulation on a core of its own.
LONGEST_FIRST = (
    "test_cgroup_v2_vm.py",  # 520
    "test_mutations.py",  # 190
    "test_other_cpus.py",  # 75
    "test_student_side.py",  # 60
    "test_gradebook_db.py",  # 55
    "test_class_grading.py",  # 50
    "test_stock_nbgrader.py",  # 50
    "test_inbox_class.py",  # 45
    "test_measurements.py",  # 45
    "test_xss.py",  # 45
    "test_formgrader.py",  # 40
    "test_demo.py",  # 38
    "test_exchange.py",  # 37
    "test_gate_assignments.py",  # 30
    "test_sandbox.py",  # 30
    "test_planted_config.py",  # 28
    "test_bench_smoke.py",  # 25
    "test_browser.py",  # 22
    "test_dask.py",  # 20
    "test_hidden_stays_hidden.py",  # 20
    "test_sandbox_pipeline.py",  # 20
)


def pytest_collection_modifyitems(items):
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


@pytest.fixture(scope="session")
def bare_python(tmp_path_factory):
    """A student's bare Python environment (tests/bare_env.py), made once per test process; the
    python of it."""
    import bare_env

    return bare_env.make(tmp_path_factory.mktemp("student-venv") / "venv")


@functools.cache
def released_data(assignment_id):
    """The assignment's course_data.json as a student's kit reads it (built by release, JSON round trip)."""
    from autograder.release import course_data
    from student_kit import data

    return data.decode(json.loads(json.dumps(data.encode(course_data(assignment_id)))))


@pytest.fixture
def kit_data(monkeypatch):
    """use(*assignment_ids): student_kit in this process reads those assignments' data, merged."""
    from student_kit import data

    def use(*assignment_ids):
        merged = {}
        for assignment_id in assignment_ids:
            for section, content in released_data(assignment_id).items():
                if isinstance(content, dict):
                    merged.setdefault(section, {}).update(content)
                elif isinstance(content, list):
                    merged[section] = merged.get(section, []) + content
                else:
                    merged[section] = content
        monkeypatch.setattr(data, "course_data", lambda: merged)
        return merged

    return use


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """A fresh course with every assignment released into a temporary notebooks folder."""
    root = tmp_path_factory.mktemp("course")
    course = CourseRun(root=root, release_directory=root / "release", timeout=TEST_TIMEOUT)
    return release(course, *(a.id for a in assignments()))


@functools.cache
def _released_everything():
    """A course folder with every assignment released, made once per test process."""
    top = Path(tempfile.mkdtemp(prefix="lstm-released-", dir=_STATE))
    course = CourseRun(root=top / "course", release_directory=top / "release")
    for assignment in assignments():
        course.release(assignment.id)
    return course


@functools.cache
def _gradebook(assignment_ids):
    """A gradebook holding these assignments as their release wrote them, and no other: the one
    of _released_everything with the others removed (nbgrader's Gradebook.remove_assignment)."""
    import shutil

    from nbgrader.api import Gradebook

    everything = _released_everything()
    path = Path(tempfile.mkdtemp(prefix="lstm-gradebook-", dir=_STATE)) / "gradebook.db"
    shutil.copy(everything.root / "gradebook.db", path)
    with Gradebook(f"sqlite:///{path}") as gradebook:
        for other in [a.id for a in assignments() if a.id not in assignment_ids]:
            gradebook.remove_assignment(other)
        assert sorted(a.name for a in gradebook.assignments) == sorted(assignment_ids)
    return path


def release(course, *assignment_ids):
    """For a new course folder (a CourseRun with a SQLite gradebook not made yet), what
    `course.release(a)` of each assignment writes there: nbgrader's source, the release and the
    gradebook, copied from one release of every assignment per test process. A release costs
    seconds and writes the same files each time (tests/test_course.py: built twice, the same)."""
    import shutil

    made = _released_everything()
    gradebook = course.root / "gradebook.db"
    assert course.db_url == f"sqlite:///{gradebook}" and not gradebook.exists(), "only into a new course folder"
    course.root.mkdir(parents=True, exist_ok=True)
    shutil.copy(_gradebook(tuple(sorted(set(assignment_ids)))), gradebook)
    for assignment_id in assignment_ids:
        for folder, target in (
            (made.source_directory, course.source_directory),
            (made.release_directory, course.release_directory),
        ):
            if (folder / assignment_id).exists():
                shutil.copytree(folder / assignment_id, target / assignment_id, dirs_exist_ok=True)
    return course


def course_options(course, timeout=None, workers=None):
    """The options that point `python -m autograder` at `course` (and set the cell timeout and
    the workers), as an instructor types them."""
    options = ["--course-dir", str(course.root), "--release-dir", str(course.release_directory)]
    if timeout is not None:
        options += ["--timeout", str(timeout)]
    if workers is not None:
        options += ["--workers", str(workers)]
    return options


def grader_command(course, *arguments, timeout=None, workers=None):
    """`python -m autograder` on `course`, then `arguments`: the command an instructor runs."""
    return [sys.executable, "-m", "autograder", *course_options(course, timeout, workers), *arguments]


class Batch:
    """Grades of one autograde run: scores[student][grade_id], totals[student]."""

    def __init__(self, course, assignment_id, rows, autograde_result, students):
        self.course, self.assignment_id, self.result = course, assignment_id, autograde_result
        # The course is shared by the session: other tests' students are in its gradebook too.
        self.rows = {
            row["student"]: row for row in rows if row["assignment"] == assignment_id and row["student"] in students
        }

    def total(self, student):
        return self.rows[student]["score"]

    def cell(self, student, grade_id):
        return self.rows[student][grade_id]

    def feedback_html(self, student):
        folder = self.course.root / "feedback" / student / self.assignment_id
        return "\n".join(path.read_text() for path in sorted(folder.glob("*.html")))


def grade_batch(course, assignment_id, submissions, inbox, with_feedback=False, with_files=()):
    """Autograde {student: notebook} for one assignment with nbgrader; return a Batch. The students
    in `with_files` hand in the solution's files beside the notebook (a trained model)."""
    for student, notebook in submissions.items():
        files = samples.solution_files(assignment_id) if student in with_files else None
        samples.write_submission(notebook, inbox, student, assignment_id, files)
    course.collect(inbox)
    result = course.autograde(assignment_id)
    if with_feedback:
        course.feedback(assignment_id)
    rows = report.grade_rows(course.db_url, [assignment_id])
    return Batch(course, assignment_id, rows, result, set(submissions))


def grade_batches(course, classes, inbox, with_files=()):
    """Autograde {assignment: {student: notebook}} in ONE run of the grader (its workers and their
    warm kernels serve every assignment); return {assignment: Batch}. `course` holds no other
    ungraded submission (a new course: release(course, ...)). The students in `with_files` hand
    in the solution's files beside the notebook (a trained model)."""
    for assignment_id, submissions in classes.items():
        for student, notebook in submissions.items():
            files = samples.solution_files(assignment_id) if student in with_files else None
            samples.write_submission(notebook, inbox, student, assignment_id, files)
    course.collect(inbox)
    result = course.autograde()
    rows = report.grade_rows(course.db_url, list(classes))
    return {
        assignment_id: Batch(course, assignment_id, rows, result, set(submissions))
        for assignment_id, submissions in classes.items()
    }


def graded_cells(assignment_id):
    """{grade_id: points} of the assignment's test cells, read from its source notebook."""
    import nbformat

    from autograder.course import assignment

    cells = {}
    for path in assignment(assignment_id).source_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                cells[meta["grade_id"]] = meta["points"]
    return cells


def readme_excerpt(caption):
    """The lines of the README's ```text block that follows `caption`: what a command prints, as
    the README shows it (the tests compare it with what the command printed)."""
    text = (REPOSITORY / "README.md").read_text()
    start = text.index("```text\n", text.index(caption)) + len("```text\n")
    return text[start : text.index("```", start)].splitlines()
