"""Grade one submission: rebuild its notebook, run it in a confined kernel, take the verdicts here.

    result = grade_job(job)      # never raises; result.status graded | rejected | failed

Runs in a worker process (autograder/parallel.py); writes nothing: the Result goes back to the
one process that writes the gradebook (autograder/gradebook.py).
"""

import ast
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import intake, sanitize, verify
from .cells import HIDDEN_BEGIN, checks, split_hidden, unseal
from .checks import Finding, hidden_failed, passed_line
from .course import assignment
from .sandbox import CellRun, Limits, Sandbox, View


@dataclass
class Job:
    student: str
    assignment: str
    notebook_name: str
    folder: Path  # submitted/<student>/<assignment>
    digest: str
    template: dict  # the assignment's notebook with hidden tests, as JSON
    limits: Limits
    release: Path  # the course's released folder: <release>/<assignment>/ is the kernel's cwd


CODE_CHARS = 4000  # of a student's function kept for the class report's examples


@dataclass(frozen=True)
class Lost:
    """Why one question (a test cell) lost its points, for the class report (gradebook.MISTAKES)."""

    question: str  # the test cell's grade_id
    kind: str  # a checks.Finding's kind, or "timeout" / "died" (the cell never finished)
    mistake: str = ""  # the catalogue's key, for kind "mistake"
    code: str | None = None  # the student's function, for a wrong answer no entry names ("wrong", "raised")


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
    mistakes: list = field(default_factory=list)  # [Lost]: every question that lost points, and why


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
        result.reasons = [
            "the grader failed on this submission (run again; if it persists, report):\n"
            + traceback.format_exc(limit=3)
        ]
    result.seconds = time.monotonic() - start
    return result


def _grade(job, result):
    """The four steps of grading one submission; each adds what an instructor should know to
    result.reasons."""
    # Everything read from the student's folder, checked (autograder/intake): or Rejected.
    student_files = assignment(job.assignment).student_files
    handed_in = intake.submission(job.folder, job.notebook_name, student_files)
    for name in student_files:
        if name not in dict(handed_in.files):  # LMS uploads often keep the notebook only
            result.reasons.append(f"{name} was not handed in: the cells that grade it score zero")
    notebook = _rebuild(job, handed_in, result)
    runs = _run(job, notebook, handed_in, result)
    _score(notebook, runs, result)
    _keep_outputs(notebook, runs, job.limits.output_bytes, result)
    result.notebook = nbformat.writes(notebook)


def _rebuild(job, handed_in, result):
    """The notebook to run: the assignment's cells with the student's answers (verify.rebuild),
    without the right results of its hidden tests; advice on what the code imports."""
    if handed_in.note:
        result.reasons.append(handed_in.note)
    submission = intake.notebook(handed_in.notebook, handed_in.name)
    template = nbformat.from_dict(job.template)
    notebook, notes = verify.rebuild(template, submission)
    result.reasons += notes
    # Advice parses code in this process, outside the student's limits: ADVICE_SOURCE characters
    # per notebook, not per cell (250 cells of 100 kB took 190 s of the grader's CPU).
    budget = verify.ADVICE_SOURCE
    for cell in notebook.cells:
        if verify.is_test(cell):  # the kernel gets no right results (cells.unseal)
            cell.source = unseal(cell.source)
        elif cell.cell_type == "code" and (verify.is_answer(cell) or not verify.grade_id(cell)):
            if len(cell.source) > budget:
                continue
            budget -= len(cell.source)
            where = f"answer {verify.grade_id(cell)}" if verify.grade_id(cell) else "a cell the student added"
            result.reasons += [f"{where} {sentence}" for sentence in verify.advice(cell.source)]
    return notebook


def _run(job, notebook, handed_in, result):
    """Run the code cells in confined kernels: one CellRun per cell (markdown: skipped).

    Twice, each time in a fresh kernel with its own processes and files. First the notebook
    without the hidden parts of its test cells: the outputs a student is shown, in the graded
    notebook and the feedback, come from this run only, and are final before any hidden test runs.
    Then the notebook again, up to its last hidden test and without the test cells the first run
    judged, keeping no output: the hidden tests' verdicts come from its check records. What a
    student's code could learn while a hidden test runs (the calls, the seeds, the inputs: its
    frames, the shell's history, memory, files it writes, processes it starts) dies with that
    kernel; the student reads of it only the grader's verdict (checks.py), which names no seed,
    call or value. (tests/test_hidden_stays_hidden.py: the attacks, and that no later cell reads
    a name only a skipped test cell binds.)"""
    sources = [cell.source if cell.cell_type == "code" else None for cell in notebook.cells]
    hidden = {
        index for index, cell in enumerate(notebook.cells) if verify.is_test(cell) and HIDDEN_BEGIN in cell.source
    }
    shown_sources = [split_hidden(source)[0] if index in hidden else source for index, source in enumerate(sources)]
    manifest = assignment(job.assignment)
    view = View(job.release, job.assignment, uses_torch=manifest.uses_torch, student_files=handed_in.files)
    with Sandbox(job.limits, view) as sandbox:
        runs = sandbox.run(shown_sources)
    _judge(notebook, runs, job.folder, judged=set(range(len(runs))) - hidden)
    if sandbox.output_dropped:
        result.reasons.append(
            f"outputs passed {job.limits.output_bytes // 1000} kB as the kernel made them (text, "
            "images, errors and metadata count); the rest was cut from the graded notebook"
        )
    records_dropped = sandbox.records_dropped
    if hidden:
        # The test cells without hidden tests were judged in the first run: here they would only
        # cost time (they call checks, and define nothing a later cell uses).
        needed = [
            source if index in hidden or not verify.is_test(cell) else None
            for index, (cell, source) in enumerate(zip(notebook.cells, sources))
        ]
        with Sandbox(job.limits, view) as sandbox:
            graded = sandbox.run(needed[: max(hidden) + 1], outputs=False, hidden=hidden)
        records_dropped |= sandbox.records_dropped
        _judge(notebook, graded, job.folder, judged=hidden)
        for index in hidden:
            verdict = graded[index]
            runs[index] = CellRun(runs[index].outputs, verdict.status, verdict.reason, hidden=True, found=verdict.found)
    if records_dropped:
        result.reasons.append(
            "check records that were too large, too many in one cell, or beyond "
            f"{job.limits.record_bytes // 10**6} MB, were dropped"
        )
    for cell, run in zip(notebook.cells, runs):
        reason = f"cell {verify.grade_id(cell) or '(added)'}: {run.reason}"
        if run.status in ("timeout", "died") and reason not in result.reasons:
            result.reasons.append(reason)
    return runs


def _judge(notebook, runs, folder, judged):
    """The findings (verify.findings) of the test cells at the indices `judged`, from the records
    their run sent, as soon as the run ends; then every cell's records are let go. A run's records
    may hold 64 MB of numbers (4 times that as arrays): only one run's are ever held
    (tests/hostile/test_redteam_record_memory.py)."""
    for index, (cell, run) in enumerate(zip(notebook.cells, runs)):
        if index in judged and verify.is_test(cell):
            run.found = verify.findings(cell.source, run.records, folder)
        run.records = []


def _score(notebook, runs, result):
    """result.scores: a test cell scores its points only if the kernel ran it without error
    AND every check it calls recorded results that agree with lstm_ref (verify.verify_cell)
    AND every function its visible checks call passes its hidden tests too: a visible check's
    inputs and right results come with the assignment (course_data.json, so that a student sees at
    once whether they are right), and a function that looks its answer up there passes it while
    computing nothing (tests/hostile/test_redteam_visible_lookup.py)."""
    tests = [(cell, run, run.found or []) for cell, run in zip(notebook.cells, runs) if verify.is_test(cell)]
    failed_hidden = _failed_hidden(tests)
    for cell, run, found in tests:
        gid = verify.grade_id(cell)
        points = float(verify.nbgrader_meta(cell).get("points", 0))
        if found and run.status == "ok" and HIDDEN_BEGIN not in cell.source:
            result.reasons.append(
                f"{gid}: the kernel reported a pass, but the grader found: "
                f"{found[0].message.splitlines()[0]}; scored zero "
                "(the student's code may have tampered with the tests)"
            )
        if run.status == "ok" and not found:
            found = _unconfirmed(cell, failed_hidden)
        run.problems = [finding.message for finding in found]
        passed = run.status == "ok" and not run.problems
        result.scores[gid] = points if passed else 0.0
        run.verdict = passed
        if not passed:
            result.mistakes += _lost(gid, run, found, notebook)


def _failed_hidden(tests):
    """{function: grade_id of a hidden test cell of it that did not pass}."""
    failed = {}
    for cell, run, found in tests:
        for check in checks(split_hidden(cell.source)[1]):
            if check.recomputable and (run.status != "ok" or any(f.exercise == check.name for f in found)):
                failed.setdefault(check.name, verify.grade_id(cell))
    return failed


def _unconfirmed(cell, failed_hidden):
    """[Finding] of a visible test cell whose checks all passed, one per function they call
    whose hidden tests did not pass."""
    names = [check.name for check in checks(split_hidden(cell.source)[0]) if check.kind in ("example", "random")]
    return [
        Finding(hidden_failed(name, failed_hidden[name]), "hidden-failed", name)
        for name in dict.fromkeys(names)
        if name in failed_hidden
    ]


def _lost(question, run, found, notebook):
    """[Lost] of a failed test cell: each named mistake, or what else went wrong."""
    if run.status in ("timeout", "died"):
        return [Lost(question, run.status)]
    lost = []
    # A test cell stops at its first failed check: the checks after it have no result, which is
    # no cause of its own.
    causes = [finding for finding in found if finding.kind != "incomplete"] or found
    for finding in causes:
        if finding.kind == "mistake":
            lost += [Lost(question, "mistake", key) for key in finding.mistakes]
        elif finding.kind in ("wrong", "raised"):
            lost.append(Lost(question, finding.kind, code=student_function(notebook, finding.exercise)))
        else:
            lost.append(Lost(question, finding.kind))
    return lost or [Lost(question, "incomplete")]  # the kernel failed the cell, every check agreed


def student_function(notebook, name):
    """The source of the student's function `name` (their answer cells first, then cells they
    added), at most CODE_CHARS; None if it is not there as a plain `def`."""
    cells = [cell for cell in notebook.cells if cell.cell_type == "code" and verify.is_answer(cell)]
    cells += [cell for cell in notebook.cells if cell.cell_type == "code" and not verify.grade_id(cell)]
    for cell in cells:
        if name is None or len(cell.source) > verify.ADVICE_SOURCE or f"def {name}" not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                lines = cell.source.splitlines()[node.lineno - 1 : node.end_lineno]
                return "\n".join(lines)[:CODE_CHARS]
    return None


def _keep_outputs(notebook, runs, budget, result):
    """The outputs the graded notebook (and so the formgrader and the feedback) shows: the
    student's outputs as data, within one byte budget (autograder/sanitize.py); and why a cell failed."""
    code = [(cell, run) for cell, run in zip(notebook.cells, runs) if cell.cell_type == "code"]
    kept, cut = sanitize.notebook_outputs([run.outputs for _, run in code], budget)
    if cut:
        result.reasons.append(
            f"outputs passed {budget // 1000} kB (text, images, errors and metadata "
            "count); the rest was cut from the graded notebook"
        )
    for (cell, run), outputs in zip(code, kept):
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        if any(o.output_type == "error" for o in cell.outputs):
            continue
        if run.status in ("timeout", "died"):  # so the feedback says why
            ename = "CellTimeoutError" if run.status == "timeout" else "KernelDied"
            cell.outputs.append(nbformat.v4.new_output("error", ename=ename, evalue=run.reason, traceback=[]))
        elif verify.is_test(cell) and run.verdict is False:
            cell.outputs.append(_why_not_accepted(run))
        elif verify.is_test(cell) and run.verdict and (line := passed_line(cell.source)):
            # What passed, in the grader's words (the kernel says nothing of a pass while graded).
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=line + "\n"))


def _why_not_accepted(run):
    """The error a failed test cell shows when it has none left. A hidden test only records in
    the kernel: the grader's verdict, in the words the notebook would use (its values are numbers
    the grader read, its error text the student's, as text). Else the kernel's own error (the
    output budget cut it), or the suppressed one. A hidden test's run shows nothing of its own:
    only the grader's words."""
    error = next((o for o in run.outputs if o.get("output_type") == "error"), None)
    if run.problems:
        ename, evalue = "CheckFailed", run.problems[0][:5000]
    elif run.hidden:
        ename, evalue = "CheckFailed", "the hidden tests of this cell stopped with an error in your code"
    elif error is not None:
        ename, evalue = str(error.get("ename"))[:100], str(error.get("evalue"))[:300]
    elif run.status == "error":
        ename, evalue = "Error", run.reason
    else:
        ename, evalue = "AssertionError", "not accepted by the grader"
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])
