"""What the grader decides in its own process, never trusting the student's kernel.

    nb = read_submission(path)                       # or Rejected("not valid JSON ..."): autograder/intake
    cells, notes = rebuild(template, nb)             # the assignment's cells, the student's answers
    notes = advice(answer_source)                    # imports a graded kernel does not have
    problems = verify_cell(test_source, records)     # the student's recorded results vs lstm_ref
    found = findings(test_source, records)           # the same, each a checks.Finding (which mistake)

The notebook that runs is rebuilt from the assignment's own cells (the gradebook's copy, hidden
tests included): only the answer cells come from the student, so deleted, duplicated, reordered,
retyped or edited locked and test cells change nothing. A test cell earns its points only if the
kernel ran it without error AND every check it calls recorded results that agree with lstm_ref,
recomputed here with this process's numpy on plain floats.
"""

import ast
import copy
import os
from pathlib import Path

import nbformat

from . import intake
from .cells import HIDDEN_BEGIN, checks, grade_id, is_answer, is_test, split_hidden
from .cells import nbgrader_meta as nbgrader_meta  # grading.py reads the cells' metadata as verify.*
from .intake import Rejected  # noqa: F401 (a submission that cannot be graded: grading.py catches it)


# -- reading a submission ------------------------------------------------------------------
def read_submission(path):
    """The notebook at `path` as grading reads it (autograder/intake), or Rejected with a reason."""
    return intake.notebook(intake.read_file(path, intake.NOTEBOOK_BYTES), path.name)


# -- rebuilding the notebook ---------------------------------------------------------------
def rebuild(template, submission):
    """The template's cells with the student's answers and added code cells; and notes.

    Added code cells (no nbgrader id) keep their place after the assignment cell before them.
    """
    notes = []
    known = {grade_id(cell): cell for cell in template.cells if grade_id(cell)}
    answers, extra_after, seen = {}, {}, []
    previous = None
    for cell in submission.cells:
        gid = grade_id(cell)
        if gid in known:
            if gid in seen:
                notes.append(f"cell {gid} appears twice; the first copy was graded")
                continue
            seen.append(gid)
            template_cell = known[gid]
            if is_answer(template_cell):
                if cell.cell_type != template_cell.cell_type:
                    notes.append(f"answer cell {gid} was changed to {cell.cell_type}; graded as unanswered")
                else:
                    answers[gid] = cell.source
            elif cell.source != template_cell.source and not is_test(template_cell):
                notes.append(f"locked cell {gid} was edited; the original was graded")
            elif cell.source != template_cell.source and HIDDEN_BEGIN not in template_cell.source:
                notes.append(f"test cell {gid} was edited; the original test was graded")
            previous = gid
        elif cell.cell_type == "code" and cell.source.strip():
            extra_after.setdefault(previous, []).append(cell.source)
    for gid, cell in known.items():
        if gid not in seen and (is_answer(cell) or is_test(cell)):
            notes.append(
                f"{'answer' if is_answer(cell) else 'test'} cell {gid} was deleted"
                + ("; graded as unanswered" if is_answer(cell) else "; the original test was graded")
            )
    order = [gid for gid in (grade_id(c) for c in template.cells) if gid in seen]
    if seen != order:
        notes.append("cells were moved; graded in the assignment's order")

    rebuilt = copy.deepcopy(template)
    cells = list(extra_cells(extra_after.get(None, [])))
    for cell in rebuilt.cells:
        gid = grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
        cells.append(cell)
        cells.extend(extra_cells(extra_after.get(gid, [])))
    rebuilt.cells = cells
    return rebuilt, notes


def extra_cells(sources):
    for source in sources:
        yield nbformat.v4.new_code_cell(source)


# -- advice on the student's code ------------------------------------------------------------
# A grading kernel cannot import the course's own packages or PyTorch (autograder/sandbox), and
# the verdicts are taken in the grader's process, so no way of writing an answer needs to cost
# points: what an answer names is advice for the instructor, never a verdict.
UNAVAILABLE = {
    "lstm_ref": "the course's reference implementation lstm_ref",
    "autograder": "the course's grader",
    "assignments": "the course's assignments (with their solutions)",
    "torch": "PyTorch",
}


ADVICE_SOURCE = 100_000  # characters of code looked at: answers are a few hundred lines; parsing
# a megabyte of code would take the grader half a gigabyte (the kernel runs it under its own limits)


def advice(source):
    """Sentences about what the code imports that a grading kernel does not have; [] if nothing."""
    if len(source) > ADVICE_SOURCE:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # it fails in the kernel, which scores zero by itself
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return [
        f"imports {UNAVAILABLE[name]}, which a graded notebook cannot import (the cells that need it fail)"
        for name in sorted(found & UNAVAILABLE.keys())
    ]


# -- checking the recorded results ------------------------------------------------------------
def verify_cell(source, records, handed_in=None):
    """[message] for every check of a test cell whose recorded results are missing or wrong; [] if all
    agree with lstm_ref. `records` are the check records written while the cell ran; `handed_in`
    the student's submission folder (a saved model is read from there, never from the kernel).
    A hidden check's message names no seed, call or value (checks.judge)."""
    return [finding.message for finding in findings(source, records, handed_in)]


def findings(source, records, handed_in=None):
    """verify_cell's failures as checks.Finding: each message, and what it was (a mistake of the
    catalogue, by key; a wrong answer it does not know; no answer; ...)."""
    from .checks import Finding, cases, diagnose, judge_saved_model

    hidden_checks = checks(split_hidden(source)[1])
    found = []
    for check in checks(source):
        if not check.recomputable:
            continue  # not recomputable: the kernel's verdict stands (documented)
        mine = [
            r
            for r in records
            if isinstance(r, dict)
            and r.get("kind") == check.kind
            and r.get("exercise") == check.name
            and r.get("key") == check.key
        ]
        if check.kind == "model":
            if not mine:
                found.append(Finding(f"{check.name}: the test did not run to the end", "incomplete", check.name))
            elif (problem := judge_saved_model(check.name, handed_in, check.key)) is not None:
                missing = handed_in is None or not os.path.lexists(Path(handed_in) / check.key)
                found.append(Finding(problem, "missing-file" if missing else "model", check.name))
            continue
        for trial in range(len(cases(check))):
            results = [r for r in mine if r.get("trial") == trial]
            if not results:
                found.append(
                    Finding(
                        f"{check.name}: the hidden test did not run to the end"
                        if check in hidden_checks
                        else f"{check.name}: no result recorded for {check.kind} {check.key!r} "
                        "(the test did not run to the end)",
                        "incomplete",
                        check.name,
                    )
                )
                break
            verdicts = [diagnose(check, trial, r, hidden=check in hidden_checks) for r in results]
            wrong = next((v for v in verdicts if v is not None), None)
            if wrong is not None:
                found.append(wrong)
                break
    return found
