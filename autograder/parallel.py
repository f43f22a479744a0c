"""Grade a whole class: N worker processes, one writer to the gradebook, resumable.

    summary = grade_class(course, workers=2, limits=Limits(cell_timeout=30))

Why not `nbgrader autograde`: it grades one notebook per process start (~5 s each here), in the
grader's own kernel where the student's code can fool the tests. Here long-lived workers each
run one confined kernel per student (autograder/sandbox.py), the verdicts are taken in the
grader's process (autograder/verify.py), and only this process writes the gradebook, through
nbgrader's Gradebook API, so nbgrader's feedback and reports keep working.

Resuming: a submission is done when its scores and a row in the table `lstm_grading` (student,
assignment, SHA-256 of the file) are committed in ONE SQLite transaction. A run killed at any
point leaves either that whole commit or nothing; the next run skips exactly the done ones, and
regrades a student whose file changed.
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import text

from . import verify
from .course import assignments
from .sandbox import Limits, Sandbox, describe_isolation, make_base


@dataclass
class Job:
    student: str
    assignment: str
    notebook_name: str
    folder: Path  # submitted/<student>/<assignment>
    digest: str
    template: dict  # the assignment's notebook with hidden tests, as JSON
    limits: Limits
    base: Path
    hidden: list


@dataclass
class Result:
    student: str
    assignment: str
    notebook_name: str
    digest: str
    status: str  # graded | rejected | failed (a grader error: not committed, retried next run)
    scores: dict = field(default_factory=dict)  # grade_id -> points
    reasons: list = field(default_factory=list)  # what an instructor should know
    notebook: str | None = None  # the graded notebook, JSON
    seconds: float = 0.0


# -- the worker's side -------------------------------------------------------------------------
def grade_job(job):
    """Grade one submission in a confined kernel; never raises."""
    start = time.monotonic()
    result = Result(job.student, job.assignment, job.notebook_name, job.digest, "graded")
    try:
        _grade(job, result)
    except verify.Rejected as rejected:
        result.status, result.reasons = "rejected", [f"not graded: {rejected}"]
    except Exception:  # a bug of the grader: say so, keep the batch going, retry next run
        result.status = "failed"
        result.reasons = ["the grader failed on this submission (run again; if it persists, report):\n"
                          + traceback.format_exc(limit=3)]
    result.seconds = time.monotonic() - start
    return result


def _grade(job, result):
    path, note = verify.pick_notebook(job.folder, job.notebook_name)
    if note:
        result.reasons.append(note)
    submission = verify.read_submission(path)
    template = nbformat.from_dict(job.template)
    notebook, notes = verify.rebuild(template, submission)
    result.reasons += notes

    # Static checks: an answer that may not be used scores zero on the tests that call it;
    # code added outside the answer cells that may not be used costs every test.
    banned_names, ban_everything = {}, []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not (verify.is_answer(cell) or not verify.grade_id(cell)):
            continue
        problems = verify.forbidden(cell.source)
        if not problems:
            continue
        where = f"answer {verify.grade_id(cell)}" if verify.grade_id(cell) else "a cell the student added"
        result.reasons.append(f"{where} {'; '.join(problems)}: its tests score zero")
        if verify.grade_id(cell):
            for name in verify.defined_names(cell.source):
                banned_names[name] = verify.grade_id(cell)
        else:
            ban_everything.append(where)

    sources = [cell.source if cell.cell_type == "code" else None for cell in notebook.cells]
    with Sandbox(job.limits, job.base, hidden=job.hidden) as sandbox:
        runs = sandbox.run(sources)
    if sandbox.output_dropped:
        result.reasons.append(f"printed more than {job.limits.output_bytes // 1000} kB; "
                              "output beyond the limit was dropped from the graded notebook")

    for cell, run in zip(notebook.cells, runs):
        if cell.cell_type != "code":
            continue
        found = verify.records(run.outputs)
        cell.outputs = [nbformat.from_dict(o) for o in run.outputs
                        if verify.checks_mime_free(o)]
        if run.status in ("timeout", "died"):
            result.reasons.append(f"cell {verify.grade_id(cell) or '(added)'}: {run.reason}")
            if not any(o.output_type == "error" for o in cell.outputs):  # so the feedback says why
                ename = "CellTimeoutError" if run.status == "timeout" else "KernelDied"
                cell.outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=run.reason, traceback=[]))
        if not verify.is_test(cell):
            continue
        gid = verify.grade_id(cell)
        points = float(verify.nbgrader_meta(cell).get("points", 0))
        passed = run.status == "ok"
        for check in verify.expected_checks(cell.source):
            problem = verify.verify(check, found)
            if problem and passed:
                result.reasons.append(f"{gid}: the kernel reported a pass, but {problem}; scored zero "
                                      "(the student's code may have tampered with the tests)")
            passed = passed and problem is None
        uses = verify.used_names(cell.source)
        banned = sorted(uses & banned_names.keys())
        if passed and (banned or ban_everything):
            passed = False
        result.scores[gid] = points if passed else 0.0
        if not passed and cell.outputs == [] and run.status == "ok":
            cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError",
                                                   evalue="not accepted by the grader", traceback=[])]
    result.notebook = nbformat.writes(notebook)


# -- the class ---------------------------------------------------------------------------------
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


class Progress:
    """One line on stderr: bar, count, rate and time left."""

    def __init__(self, total, workers, stream=sys.stderr):
        self.total, self.workers, self.stream, self.count = total, workers, stream, 0
        self.start = time.monotonic()
        self.show()

    def step(self, label=""):
        self.count += 1
        self.show(label)

    def show(self, label=""):
        if not self.total:
            return
        elapsed = time.monotonic() - self.start
        left = elapsed / self.count * (self.total - self.count) if self.count else None
        eta = "--:--" if left is None else f"{int(left // 60)}:{int(left % 60):02d}"
        bar = "#" * int(30 * self.count / self.total)
        self.stream.write(f"\r[{bar:<30}] {self.count}/{self.total} graded, {self.workers} workers, "
                          f"{elapsed:.0f} s, ETA {eta}  {label[:30]:<30}")
        if self.count == self.total:
            self.stream.write("\n")
        self.stream.flush()


def jobs_to_do(course, limits, base, hidden, only=None):
    """The submissions in submitted/ not yet committed with their current content."""
    finished = done(course)
    jobs, cache = [], {}
    for assignment in assignments():
        if only not in (None, assignment.id):
            continue
        folders = sorted(p for p in (course.root / "submitted").glob(f"*/{assignment.id}") if p.is_dir())
        if not folders:
            continue
        if assignment.id not in cache:
            cache[assignment.id] = templates(course, assignment.id)
        for name, template in cache[assignment.id].items():
            for folder in folders:
                sha = digest(folder)
                student = folder.parent.name
                if finished.get((student, assignment.id)) == sha:
                    continue
                jobs.append(Job(student, assignment.id, name, folder, sha, template, limits, base, hidden))
    return jobs


def grade_class(course, workers=None, limits=None, hidden=(), only=None, progress=True):
    """Grade every submission not yet graded; return the Results of this run."""
    limits = limits or Limits()
    workers = workers or os.cpu_count() or 1
    base = make_base(tempfile.mkdtemp(prefix="lstm-grading-"))
    hidden = [str(course.root), str(course.release_directory), *map(str, hidden)]
    jobs = jobs_to_do(course, limits, base, hidden, only)
    if progress:
        print(f"{len(jobs)} submissions to grade; {describe_isolation(limits)}", file=sys.stderr)
    results = []
    if not jobs:
        return results
    bar = Progress(len(jobs), workers) if progress else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(grade_job, job) for job in jobs]
        with Gradebook(f"sqlite:///{course.gradebook}") as gradebook:
            for future in as_completed(futures):
                result = future.result()
                if result.status != "failed":
                    commit(course, gradebook, result)
                results.append(result)
                if bar:
                    bar.step(f"{result.student}/{result.assignment}")
    shutil.rmtree(base, ignore_errors=True)
    return results


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
