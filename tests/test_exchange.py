"""How a student gets an assignment, each path end to end on this machine.

1. nbgrader's exchange, as on a JupyterHub: the instructor releases; a student (another Unix
   user, with a bare environment plus nbgrader for fetch/submit) fetches, solves, validates and
   submits; the instructor collects, autogrades what collect put in course/submitted, and returns
   the feedback, which the student fetches.
2. A zip for an LMS or e-mail (`autograder bundle`): it holds the released folder and nothing
   of the instructor's, and unzipped anywhere it runs in a bare environment.
"""

import json
import os
import pwd
import re
import secrets
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import bare_env
import nbformat
import pytest
from conftest import course_options, release

from autograder import report, samples
from autograder.__main__ import main
from autograder.course import assignment
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow
ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points  # the manifest's total


def require_root():
    if os.geteuid() != 0:
        message = "needs root to create a student's Unix user (useradd)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + ": CI runs as root")
        pytest.skip(message)


@pytest.fixture
def student(tmp_path):
    """A new Unix user with a home of its own; removed afterwards."""
    require_root()
    name = f"lstmstudent{secrets.token_hex(3)}"
    home = Path(tempfile.mkdtemp(prefix="lstm-student-home-"))
    subprocess.run(["useradd", "--home-dir", str(home), "--no-create-home", "--shell", "/bin/sh", name], check=True)
    entry = pwd.getpwnam(name)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    yield entry
    subprocess.run(["userdel", name], check=False)
    shutil.rmtree(home, ignore_errors=True)


def as_student(entry, python, *arguments, cwd=None):
    """Run `python -m nbgrader ...` (or any module) as the student, in the student's home."""
    home = entry.pw_dir
    env = {
        "HOME": home,
        "USER": entry.pw_name,
        "PATH": f"{Path(python).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
        "JUPYTER_DATA_DIR": f"{home}/.local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": f"{home}/.local/share/jupyter/runtime",
        "IPYTHONDIR": f"{home}/.ipython",
        "MPLCONFIGDIR": f"{home}/.matplotlib",
    }
    result = subprocess.run(
        [str(python), *arguments],
        cwd=cwd or home,
        env=env,
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{arguments}: {result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_exchange_from_release_to_returned_feedback(student, tmp_path):
    top = Path(tempfile.mkdtemp(prefix="lstm-exchange-"))
    top.chmod(0o755)
    exchange = top / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # as nbgrader's docs ask of the exchange root
    flags = [f"--Exchange.root={exchange}", "--CourseDirectory.course_id=lstm-course"]
    try:
        course = CourseRun(root=top / "course", release_directory=top / "course" / "release", timeout=10)
        release(course, ASSIGNMENT)
        assert course.nbgrader("release_assignment", ASSIGNMENT, *flags).returncode == 0

        python = bare_env.make(
            top / "student-venv", packages=bare_env.STUDENT_PACKAGES + ("nbgrader",), base_python="/usr/bin/python3"
        )
        nbgrader = ["-m", "nbgrader"]
        student_flags = [f"--Exchange.root={exchange}", "--course", "lstm-course"]
        as_student(student, python, *nbgrader, "fetch_assignment", ASSIGNMENT, *student_flags)
        folder = Path(student.pw_dir) / ASSIGNMENT
        assert (folder / "course_data.json").exists() and (folder / "student_kit" / "checks.py").exists()
        fetched = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
        assert "BEGIN HIDDEN TESTS" not in nbformat.writes(fetched)

        solved = samples.solved(ASSIGNMENT, course.release_directory)
        nbformat.write(solved, folder / f"{ASSIGNMENT}.ipynb")
        os.chown(folder / f"{ASSIGNMENT}.ipynb", student.pw_uid, student.pw_gid)
        validated = as_student(student, python, *nbgrader, "validate", f"{ASSIGNMENT}.ipynb", cwd=folder)
        assert "Success! Your notebook passes all the tests." in validated.stdout
        as_student(student, python, *nbgrader, "submit", ASSIGNMENT, *student_flags, cwd=student.pw_dir)

        assert course.nbgrader("collect", ASSIGNMENT, *flags).returncode == 0
        submitted = top / "course" / "submitted" / student.pw_name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert submitted.exists()
        main([*course_options(course, timeout=10), "autograde"])
        [row] = report.grade_rows(course.db_url, [ASSIGNMENT])
        assert row["student"] == student.pw_name and row["score"] == row["max_score"] == FULL

        main(["--course-dir", str(course.root), "--release-dir", str(course.release_directory), "feedback", ASSIGNMENT])
        assert course.nbgrader("release_feedback", ASSIGNMENT, *flags).returncode == 0
        as_student(student, python, *nbgrader, "fetch_feedback", ASSIGNMENT, *student_flags, cwd=student.pw_dir)
        [page] = (folder / "feedback").glob(f"*/{ASSIGNMENT}.html")
        text = re.sub(r"<[^>]+>", "", page.read_text())
        assert "BEGIN HIDDEN TESTS" not in text and "seed=202" not in text
        assert f"{FULL:.1f}" in text  # the score, as nbgrader's feedback writes it
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_a_bundle_unzipped_anywhere_runs_and_holds_nothing_of_the_instructors(tmp_path, bare_python):
    course = release(CourseRun(root=tmp_path / "course", release_directory=tmp_path / "course" / "release"), ASSIGNMENT)
    main(["--course-dir", str(course.root), "--release-dir", str(course.release_directory), "bundle", ASSIGNMENT])
    archive = course.root / "bundles" / f"{ASSIGNMENT}.zip"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb" in names and f"{ASSIGNMENT}/course_data.json" in names
        everything = b"".join(zipped.read(name) for name in names)
        zipped.extractall(tmp_path / "anywhere")
    for secret in (
        b"BEGIN SOLUTION",
        b"BEGIN HIDDEN TESTS",
        b", expected='",
        b"import lstm_ref",
        b"from lstm_ref",
        b"import autograder",
        b"from autograder",
    ):
        assert secret not in everything, f"the bundle holds {secret!r}"
    notebook = samples.solved(ASSIGNMENT, tmp_path / "anywhere")
    from nbclient import NotebookClient

    spec = bare_env.kernel_spec(bare_python, tmp_path / "jupyter")
    os.environ["JUPYTER_PATH"] = str(tmp_path / "jupyter")
    try:
        NotebookClient(
            notebook,
            kernel_name=spec,
            timeout=120,
            resources={"metadata": {"path": str(tmp_path / "anywhere" / ASSIGNMENT)}},
        ).execute()
    finally:
        os.environ.pop("JUPYTER_PATH")


def test_grading_refuses_a_release_made_with_another_kit_or_other_inputs(tmp_path):
    """The kernels run the released student_kit on the released inputs, the grader this checkout's:
    a difference would make them judge other code or inputs, so the grader says to release again
    instead of grading."""
    from autograder.pipeline import PipelineError
    from student_kit import data

    course = release(CourseRun(root=tmp_path / "course", release_directory=tmp_path / "course" / "release"), ASSIGNMENT)
    samples.write_submission(
        samples.solved(ASSIGNMENT, course.release_directory), tmp_path / "inbox", "ada", ASSIGNMENT
    )
    course.collect(tmp_path / "inbox")
    kit = course.release_directory / ASSIGNMENT / "student_kit" / "checks.py"
    original = kit.read_text()
    kit.write_text(original + "\n# edited after release\n")
    with pytest.raises(PipelineError, match="Release forget_gate again"):
        course.autograde()
    kit.write_text(original)
    released = course.release_directory / ASSIGNMENT / data.FILE_NAME
    stored = data.decode(json.loads(released.read_text()))
    key = next(key for key in stored["checks"] if key.startswith("random/"))
    stored["checks"][key]["trials"][0]["inputs"] = tuple(a * 2 for a in stored["checks"][key]["trials"][0]["inputs"])
    released.write_text(json.dumps(data.encode(stored)))
    with pytest.raises(PipelineError, match=key):
        course.autograde()
