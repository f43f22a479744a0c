"""course_data.json: what a released notebook needs from the course's reference implementation,
computed here, at release, and stored as data beside it (student_kit/data.py reads it).

    examples      the worked examples the notebook checks, shows or starts its sliders at
    errata_keys   every erratum of the lectures the assignment uses (course/assignments.toml)
    exercises     each graded function's call in the lectures' notation
    checks        for each VISIBLE check: its inputs, the right results, the known mistakes' results
    given         data the notebook reads with given("key") (the assignments' given.py)

Hidden tests' results are not here (the grader keeps them; see autograder/cells.py's seal).
"""

import json
from pathlib import Path

import numpy as np

from student_kit import data

from ..cells import Check, code_sources, first_arguments, notebook_checks
from ..checks import cases, example_data, known_mistakes, lecture_data
from ..course import assignment, errata, examples, exercises, given


class ReleaseError(ValueError):
    """The notebook asks for something the course cannot give; the message says what to fix."""


def exercise_data(name: str) -> dict:
    """A graded function's call, its results' names and where each lies (Exercise.describe)."""
    return exercises()[name].describe()


def check_data(check: Check) -> dict:
    """The stored trials of one visible check: its inputs and right result (random checks) and the
    known mistakes' results on them."""
    stored = []
    for trial, case in enumerate(cases(check)):
        entry = {"mistakes": known_mistakes(check, trial)}
        if check.kind == "random":
            entry["inputs"], entry["expected"] = case.arguments, case.expected
        stored.append(entry)
    return {"trials": stored}


def widget_needs(notebook) -> tuple[list, list]:
    """(worked examples, given data) the notebook's sliders read: gate_panel(preset=...) starts at
    examples, sentence_stepper() steps through lecture 001's table."""
    from student_kit.widgets.views import LECTURE_PRESETS

    presets = []
    for preset in first_arguments(notebook, "gate_panel", keyword="preset"):
        presets += LECTURE_PRESETS.get(preset, [preset])
    uses_stepper = any("sentence_stepper(" in source for source in code_sources(notebook))
    return presets, ["001-sentence"] if uses_stepper else []


def course_data(notebook, assignment_id: str) -> dict:
    """The data file's content for one notebook of an assignment."""
    visible, hidden = notebook_checks(notebook, hidden=False), notebook_checks(notebook, hidden=True)
    lectures = assignment(assignment_id).lectures
    errata_keys = [example.key for example in errata() if example.lecture in lectures]
    example_keys = [check.key for check in visible if check.kind == "example"]
    for function_name in ("show_example", "example"):
        example_keys += first_arguments(notebook, function_name)
    widget_examples, widget_given = widget_needs(notebook)
    example_keys += widget_examples
    unknown = [key for key in example_keys if key not in examples()]
    if unknown:
        raise ReleaseError(f"{assignment_id} uses worked examples no assignment's examples.py declares: {unknown}")
    given_keys = list(dict.fromkeys(first_arguments(notebook, "given") + widget_given))
    unknown = [key for key in given_keys if key not in given()]
    if unknown:
        raise ReleaseError(f"{assignment_id} uses given data no assignment's given.py declares: {unknown}")
    exercise_names = sorted({check.name for check in visible + hidden if check.kind != "model"})
    return {
        "assignment": assignment_id,
        "lectures": lecture_data(),
        "exercises": {name: exercise_data(name) for name in exercise_names},
        "examples": {key: example_data(examples()[key]) for key in dict.fromkeys(example_keys + errata_keys)},
        "errata_keys": errata_keys,
        "checks": {check.data_key: check_data(check) for check in visible},
        "given": {key: given()[key]() for key in given_keys},
    }


def stale_checks(released_folder: Path) -> list[str]:
    """The visible checks whose inputs in a released folder's course_data.json are not the ones
    this checkout draws (the grader would judge other inputs than the students' notebooks used)."""
    path = released_folder / data.FILE_NAME
    if not path.exists():
        return []
    stale = []
    for key, stored in data.decode(json.loads(path.read_text())).get("checks", {}).items():
        kind, name, *rest = key.split("/")
        if kind != "random":
            continue
        if name not in exercises():
            stale.append(key)
            continue
        fresh = [case.arguments for case in cases(Check("random", name, int(rest[0]), int(rest[1])))]
        if not _same_inputs([trial.get("inputs") for trial in stored["trials"]], fresh):
            stale.append(key)
    return stale


def _same_inputs(a, b) -> bool:
    """Inputs equal up to the last bits of float64 (a release on another CPU computes caches with
    other BLAS kernels)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_same_inputs(a[k], b[k]) for k in a)
        )
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return (
            isinstance(a, list | tuple)
            and isinstance(b, list | tuple)
            and len(a) == len(b)
            and all(_same_inputs(x, y) for x, y in zip(a, b, strict=True))
        )
    if callable(a) or callable(b):
        return a is b
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12))


def write_course_data(notebook, assignment_id: str, folder: Path) -> Path:
    # Not sort_keys: a worked example's inputs are in the order its function takes them.
    path = folder / data.FILE_NAME
    path.write_text(json.dumps(data.encode(course_data(notebook, assignment_id)), ensure_ascii=False))
    return path
