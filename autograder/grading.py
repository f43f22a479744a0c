"""Grade one submission: rebuild its notebook, run it in a confined kernel, take the verdicts here.

    result = grade_job(job)      # never raises; result.status graded | rejected | failed

Runs in a worker process (autograder/parallel.py); writes nothing: the Result goes back to the
one process that writes the gradebook (autograder/gradebook.py).
"""
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import verify
from .course import assignment
from .sandbox import Limits, Sandbox, View


@dataclass
class Job:
    student: str
    assignment: str
    notebook_name: str
    folder: Path  # submitted/<student>/<assignment>
    digest: str
    template: dict  # the assignment's notebook with hidden tests, as JSON
    limits: Limits
    base: Path  # TEMPORARY: <base>/lib is the legacy library copy (sandbox.make_base)
    release: Path  # the course's released folder: <release>/<assignment>/ is the kernel's cwd


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
    """The four steps of grading one submission; each adds what an instructor should know to
    result.reasons."""
    notebook, bans = _rebuild(job, result)
    runs = _run(job, notebook, result)
    _score(notebook, runs, bans, result)
    _keep_outputs(notebook, runs, result)
    result.notebook = nbformat.writes(notebook)


def _rebuild(job, result):
    """The notebook to run: the assignment's cells with the student's answers (verify.rebuild),
    and what the static checks ban: ({name defined by a banned answer: its cell}, [banned added cells])."""
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
    return notebook, (banned_names, ban_everything)


def _run(job, notebook, result):
    """Run the code cells in a confined kernel: one CellRun per cell (markdown: skipped)."""
    sources = [cell.source if cell.cell_type == "code" else None for cell in notebook.cells]
    manifest = assignment(job.assignment)
    handed_in = tuple((name, job.folder / name) for name in manifest.student_files if (job.folder / name).is_file())
    view = View(job.release, job.assignment, uses_torch=manifest.uses_torch, student_files=handed_in,
                legacy_library=job.base / "lib")  # TEMPORARY: legacy_library goes with student_kit
    with Sandbox(job.limits, view) as sandbox:
        runs = sandbox.run(sources)
    if sandbox.output_dropped:
        result.reasons.append(f"output beyond {job.limits.output_bytes // 1000} kB was dropped from the graded notebook")
    if sandbox.records_dropped:
        result.reasons.append("check records that were too large, or beyond "
                              f"{job.limits.record_bytes // 10**6} MB, were dropped")
    for cell, run in zip(notebook.cells, runs):
        if run.status in ("timeout", "died"):
            result.reasons.append(f"cell {verify.grade_id(cell) or '(added)'}: {run.reason}")
    return runs


def _score(notebook, runs, bans, result):
    """result.scores: a test cell scores its points only if the kernel ran it without error
    AND every check it calls recorded results that agree with lstm_ref (verify.verify)."""
    banned_names, ban_everything = bans
    for cell, run in zip(notebook.cells, runs):
        if not verify.is_test(cell):
            continue
        found = run.records
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
        run.verdict = passed


def _keep_outputs(notebook, runs, result):
    """The outputs the graded notebook (and so the feedback) shows, and why a cell failed."""
    for cell, run in zip(notebook.cells, runs):
        if cell.cell_type != "code":
            continue
        cell.outputs = [nbformat.from_dict(o) for o in run.outputs if verify.checks_mime_free(o)]
        if run.status in ("timeout", "died"):
            if not any(o.output_type == "error" for o in cell.outputs):  # so the feedback says why
                ename = "CellTimeoutError" if run.status == "timeout" else "KernelDied"
                cell.outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=run.reason, traceback=[]))
        elif verify.is_test(cell) and run.verdict is False and cell.outputs == [] and run.status == "ok":
            cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError",
                                                   evalue="not accepted by the grader", traceback=[])]
