"""The gradebook: nbgrader's database, written by one process only, one transaction per student.

    templates(course, "forget_gate")    # the assignment's notebooks with the gradebook's cells
    done(course)                        # {(student, assignment): digest} already committed
    commit(course, gradebook, result)   # scores and "done" together, or nothing
    summary(course)                     # every submission not graded fully, and why

Resuming: a submission is done when its scores and a row in the table `lstm_grading` (student,
assignment, SHA-256 of the file) are committed in ONE transaction. A run killed at any point
leaves either that whole commit or nothing; the next run skips exactly the done ones, and
regrades a student whose file changed.
"""
import hashlib
import json
import os
import shutil
import time
import warnings
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import text

from . import verify


def digest(folder):
    """SHA-256 of a student's handed-in notebooks (names and contents)."""
    sha = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.ipynb")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def templates(course, assignment_id):
    """{notebook name: the released notebook with the gradebook's cells (hidden tests included)}."""
    found = {}
    with Gradebook(f"sqlite:///{course.gradebook}") as gradebook:
        try:
            assignment = gradebook.find_assignment(assignment_id)
        except MissingEntry:
            raise SystemExit(f"{assignment_id} is not released in {course.root}: run "
                             f"`python -m autograder release {assignment_id}` first.") from None
        for notebook in assignment.notebooks:
            released = nbformat.read(course.release_directory / assignment_id / f"{notebook.name}.ipynb", as_version=4)
            sources = {cell.name: cell.source for cell in notebook.source_cells}
            for cell in released.cells:
                if verify.grade_id(cell) in sources:
                    cell.source = sources[verify.grade_id(cell)]
                cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
                if cell.cell_type != "code":
                    cell.pop("outputs", None)
            found[f"{notebook.name}.ipynb"] = released
    return found


SCHEMA = """CREATE TABLE IF NOT EXISTS lstm_grading (
    student TEXT NOT NULL, assignment TEXT NOT NULL, digest TEXT NOT NULL,
    status TEXT NOT NULL, reasons TEXT NOT NULL, seconds REAL, graded_at REAL,
    PRIMARY KEY (student, assignment))"""


def done(course):
    """{(student, assignment): digest} of the submissions already committed."""
    with Gradebook(f"sqlite:///{course.gradebook}") as gradebook:
        gradebook.db.execute(text(SCHEMA))
        gradebook.db.commit()
        rows = gradebook.db.execute(text("SELECT student, assignment, digest FROM lstm_grading")).fetchall()
    return {(student, assignment): sha for student, assignment, sha in rows}


def commit(course, gradebook, result):
    """Write one result: autograded notebook, then scores and 'done' in one transaction."""
    folder = course.root / "autograded" / result.student / result.assignment
    if result.notebook is not None:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{result.notebook_name}.partial"
        partial.write_text(result.notebook)
        os.replace(partial, folder / result.notebook_name)
        # What nbgrader's collect wrote beside the notebook (submission time, the secret that
        # matches feedback to the submission); generate_feedback and release_feedback read it here.
        for name in ("timestamp.txt", "submission_secret.txt"):
            written = course.root / "submitted" / result.student / result.assignment / name
            if written.exists():
                shutil.copyfile(written, folder / name)
    db = gradebook.db
    real_commit = db.commit
    # nbgrader's add_submission, flushed instead of committed, warns that it appends to
    # relationships outside the session; the rows themselves are written (tests check them).
    warnings.filterwarnings("ignore", message=".*not in session.*")
    db.commit = db.flush  # nbgrader's API commits after each call; here all of it commits once
    try:
        gradebook.update_or_create_student(result.student)
        try:
            gradebook.remove_submission(result.assignment, result.student)
        except MissingEntry:
            pass
        db.expire_all()  # forget the removed rows before nbgrader adds the new ones
        if result.status == "graded":
            gradebook.add_submission(result.assignment, result.student)
            notebook = gradebook.find_submission_notebook(result.notebook_name[:-len(".ipynb")],
                                                          result.assignment, result.student)
            for grade in notebook.grades:
                if grade.name in result.scores:
                    grade.auto_score = result.scores[grade.name]
        db.execute(text("INSERT OR REPLACE INTO lstm_grading VALUES (:s, :a, :d, :st, :r, :sec, :t)"),
                   dict(s=result.student, a=result.assignment, d=result.digest, st=result.status,
                        r=json.dumps(result.reasons), sec=result.seconds, t=time.time()))
        db.commit = real_commit
        db.commit()
    except BaseException:
        db.commit = real_commit
        db.rollback()
        raise


def summary(course):
    """Lines naming every submission that could not be graded fully, and why (all runs)."""
    with Gradebook(f"sqlite:///{course.gradebook}") as gradebook:
        gradebook.db.execute(text(SCHEMA))
        rows = gradebook.db.execute(text(
            "SELECT student, assignment, status, reasons FROM lstm_grading ORDER BY student, assignment")).fetchall()
    lines = []
    for student, assignment, status, reasons in rows:
        reasons = json.loads(reasons)
        if reasons:
            lines.append(f"{student} / {assignment}" + (" (NOT GRADED)" if status == "rejected" else "") + ":")
            lines += [f"  - {reason}" for reason in reasons]
    return lines
