"""course_data.json: what a released notebook needs from the course's reference implementation,
computed here, at release, and stored as data beside it (student_kit/data.py reads it).

    examples      the worked examples the notebook checks, shows or starts its sliders at
    errata_keys   every erratum of the lectures the assignment uses (course/assignments.toml)
    exercises     each graded function's call in the lectures' notation and its input maker
    checks        for each VISIBLE check: the right results and the known mistakes' results
    given         data the notebook reads with given("key") (autograder/release/given.py)

Hidden tests' results are not here (see hidden.py).
"""
import json

from lstm_ref.worked_examples import EXAMPLES, errata
from student_kit import data, inputs

from ..checks import cases, example_data, known_mistakes, lecture_data
from ..course import assignment
from ..exercises import EXERCISES
from . import calls
from .given import GIVEN, cached


class ReleaseError(ValueError):
    """The notebook asks for something the course cannot give; the message says what to fix."""


def inputs_are_data(exercise):
    """True if the student's notebook cannot draw the exercise's inputs itself (student_kit/inputs.py
    has no maker for them, as for an LSTM's forward cache): they travel as data."""
    maker = exercise.random_inputs
    return getattr(inputs, maker.__name__, None) is not maker


def exercise_data(name):
    exercise = EXERCISES[name]
    maker = None if inputs_are_data(exercise) else exercise.random_inputs.__name__
    return dict(arguments=list(exercise.arguments), output=exercise.output, inputs=maker)


def check_data(check):
    """The stored trials of one visible check: right result (random checks) and known mistakes."""
    kind, exercise_name, key, trials = check
    stored = []
    for trial, case in enumerate(cases(kind, exercise_name, key, trials)):
        entry = {"mistakes": known_mistakes(kind, exercise_name, key, trials, trial)}
        if kind == "random":
            entry["expected"] = case.expected
            if inputs_are_data(EXERCISES[exercise_name]):
                entry["inputs"] = case.arguments
        stored.append(entry)
    return {"trials": stored}


def check_key(check):
    kind, exercise_name, key, trials = check
    return f"example/{exercise_name}/{key}" if kind == "example" else f"random/{exercise_name}/{key}/{trials}"


def widget_needs(notebook):
    """(worked examples, given data) the notebook's sliders read: gate_panel(preset=...) starts at
    examples, sentence_stepper() steps through lecture 001's table."""
    from student_kit.widgets.views import LECTURE_PRESETS

    examples = []
    for preset in calls.first_arguments(notebook, "gate_panel", keyword="preset"):
        examples += LECTURE_PRESETS.get(preset, [preset])
    uses_stepper = any("sentence_stepper(" in source for source in calls.code_sources(notebook))
    return examples, ["001-sentence"] if uses_stepper else []


def course_data(notebook, assignment_id, cache_folder):
    """The data file's content for one notebook of an assignment."""
    visible, hidden = calls.checks(notebook, hidden=False), calls.checks(notebook, hidden=True)
    lectures = assignment(assignment_id).lectures
    errata_keys = [example.key for example in errata() if example.lecture in lectures]
    example_keys = [check[2] for check in visible if check[0] == "example"]
    for function_name in ("show_example", "example"):
        example_keys += calls.first_arguments(notebook, function_name)
    widget_examples, widget_given = widget_needs(notebook)
    example_keys += widget_examples
    unknown = [key for key in example_keys if key not in EXAMPLES]
    if unknown:
        raise ReleaseError(f"{assignment_id} uses worked examples that lstm_ref.worked_examples lacks: {unknown}")
    given_keys = list(dict.fromkeys(calls.first_arguments(notebook, "given") + widget_given))
    unknown = [key for key in given_keys if key not in GIVEN]
    if unknown:
        raise ReleaseError(f"{assignment_id} uses given data that autograder/release/given.py lacks: {unknown}")
    exercise_names = sorted({check[1] for check in visible + hidden if check[0] != "model"})
    return {
        "assignment": assignment_id,
        "lectures": lecture_data(),
        "exercises": {name: exercise_data(name) for name in exercise_names},
        "examples": {key: example_data(EXAMPLES[key]) for key in dict.fromkeys(example_keys + errata_keys)},
        "errata_keys": errata_keys,
        "checks": {check_key(check): check_data(check) for check in visible},
        "given": {key: cached(cache_folder, key) for key in given_keys},
    }


def write_course_data(notebook, assignment_id, folder, cache_folder):
    # Not sort_keys: a worked example's inputs are in the order its function takes them.
    path = folder / data.FILE_NAME
    path.write_text(json.dumps(data.encode(course_data(notebook, assignment_id, cache_folder)), ensure_ascii=False))
    return path
