"""The grader's judgement of the notebooks' checks, from the course's reference implementation.

A test cell calls check_example / check_random (student_kit/checks.py). In the grader's kernels
each call records what the student's function returned; here, in the grader's own process,
every recorded result is judged against lstm_ref and the message a student reads in the
feedback is written, with the same wording as in the notebook (student_kit/messages.py):

    judge(check, trial, record)     # None if right, else the message
    diagnose(check, trial, record)  # None if right, else a Finding: the message, and which mistake
    cases(check)                    # its trials: inputs, right results, how a failure is described

A wrong result that is a known mistake (the catalogue, each assignment's mistakes.py) is named:
the message ends with the mistake's hint. A mistake is only named when the result differs from
the right answer AND matches the wrong one; a wrong answer that equals the right one on the
inputs at hand (a missing bias when b = 0) is not considered.
"""

import builtins
import copy
import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from assignments.declare import Mistake, WorkedExample
from assignments.lectures import LECTURES, lecture_title
from student_kit import messages
from student_kit.checks import matching_hints, raising_hints
from student_kit.values import error_kind, from_plain, mismatch, same, what_differs

from .cells import EXPECTED, INPUTS, Check, checks, split_hidden
from .course import examples, exercises, mistakes_of
from .saved_models import SAVED_MODELS


def example_data(example: WorkedExample) -> dict:
    """A worked example as the notebooks see it (student_kit.display and .checks read these keys)."""
    return dict(
        lecture=example.lecture,
        where=example.where,
        what=example.what,
        inputs=example.inputs,
        stated=example.stated,
        exact=example.exact,
        erratum=example.erratum,
        note=example.note,
        tolerance=example.tolerance,
        course_inputs=example.course_inputs,
    )


def lecture_data() -> dict:
    """{lecture: {"file", "title"}} for the notebooks' references to the lectures."""
    return {lecture: {"file": file_name, "title": lecture_title(lecture)} for lecture, file_name in LECTURES.items()}


# The exception types a hidden test's message may name: Python's own.
BUILTIN_ERRORS = {
    name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)
}


@dataclass(frozen=True)
class Case:
    """One trial of one check: the inputs, the right result and how a failure is described."""

    arguments: tuple
    expected: Any
    tolerance: float
    where: str
    lecture_note: str | None = None  # said when the student reproduced the lecture's number
    stated: Any = None  # the lecture's number
    hidden_where: str | None = None  # the same, as a hidden test says it (messages.on_hidden)


@cache
def cases(check: Check) -> tuple[Case, ...]:
    """The trials of check_example(exercise, fn, key) or check_random(exercise, fn, seed=key,
    trials=trials), with the right results from lstm_ref: the same for every student."""
    exercise = exercises()[check.name]
    if check.kind == "example":
        example = examples()[check.key]
        where = messages.on_example(exercise.call, example_data(example))
        arguments = tuple(example.inputs.values())
        return (
            Case(
                arguments,
                exercise.reference(*copy.deepcopy(arguments)),
                example.tolerance,
                where,
                messages.reproduced_lecture(example_data(example)),
                example.stated,
            ),
        )
    rng = np.random.default_rng(check.key)
    found = []
    for _ in range(check.trials):
        arguments = exercise.random_inputs(rng)
        where = messages.on_random(exercise.call, exercise.arguments, arguments)
        hidden_where = messages.on_hidden(exercise.call, exercise.arguments, arguments)
        found.append(
            Case(arguments, exercise.reference(*copy.deepcopy(arguments)), 1e-8, where, hidden_where=hidden_where)
        )
    return tuple(found)


def wrong_answer(entry: Mistake, arguments) -> tuple:
    """(value, None), or (None, exception) if the mistake raises on these arguments."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return entry.wrong(*copy.deepcopy(tuple(arguments))), None
    except Exception as error:  # the mistake itself fails on these inputs, as a student's would
        return None, error


def mistakes(exercise_name: str, arguments, expected, tolerance: float = 1e-8) -> list[tuple[Mistake, dict]]:
    """The known mistakes' results on `arguments`, as data student_kit's checks compare with (see
    student_kit.checks.matching_hints): [(entry, {"hint", "value"} or {"hint", "raises"})].
    A mistake whose result equals the right one here is left out: it cannot be told apart."""
    found = []
    for entry in mistakes_of(exercise_name):
        wrong, error = wrong_answer(entry, arguments)
        if error is not None:
            found.append((entry, {"hint": entry.hint, "raises": error_kind(type(error).__name__, error)}))
        elif not same(wrong, expected, tolerance):
            found.append((entry, {"hint": entry.hint, "value": wrong}))
    return found


@cache
def catalogued(check: Check, trial: int) -> tuple[tuple[str, dict], ...]:
    """((the entry's key, its wrong result as student_kit's checks compare it), ...) on one trial's inputs."""
    case = cases(check)[trial]
    return tuple(
        (entry.key, mistake) for entry, mistake in mistakes(check.name, case.arguments, case.expected, case.tolerance)
    )


def known_mistakes(check: Check, trial: int) -> list[dict]:
    """The catalogue's wrong results on one trial's inputs, as student_kit's checks compare them."""
    return [mistake for _, mistake in catalogued(check, trial)]


def verdict(
    case: Case,
    mistake_list: list[dict],
    received=None,
    raised: dict | None = None,
    hidden: bool = False,
    described: dict | None = None,
) -> str | None:
    """None if `received` is right for `case`, else the message (as the notebook words it; for a
    hidden test, without its seed, the student's values or the right ones). `described`: the
    exercise's results (Exercise.describe), to name a wrong one and an impossible value."""
    if raised is not None:
        type_name, message = str(raised.get("type", "Exception")), str(raised.get("message", ""))
        if type_name == "NotImplementedError":
            return messages.not_written(case.where.split(" on ")[0])
        if hidden:  # the type's name only if Python's own: a student's can say anything
            shown = type_name if type_name in BUILTIN_ERRORS else "an exception of its own type"
            return messages.hidden_raised(case.hidden_where, shown, raising_hints(type_name, message, mistake_list))
        return messages.raised(case.where, type_name, message, raising_hints(type_name, message, mistake_list))
    if hidden:
        what = what_differs(received, case.expected, case.tolerance, described)
        if what is None:
            return None
        return messages.hidden_wrong(case.hidden_where, what, matching_hints(received, mistake_list, case.tolerance))
    problem = mismatch(received, case.expected, case.tolerance, described)
    if problem is None:
        return None
    lecture_note = None
    if case.lecture_note and case.stated is not None and mismatch(received, case.stated, case.tolerance) is None:
        lecture_note = case.lecture_note
    return messages.wrong_result(
        case.where, problem, matching_hints(received, mistake_list, case.tolerance), lecture_note
    )


def judge(check: Check, trial: int, record: dict, hidden: bool = False) -> str | None:
    """None if one recorded result of `check` is right, else the message.

    `record` is the student's kernel's data (student_kit.checks.record): only its numbers are used.
    hidden: the check is a hidden test, whose message shows no seed and no value (verdict).
    """
    case = cases(check)[trial]
    described = exercises()[check.name].describe()
    if isinstance(record.get("raised"), dict):
        return verdict(case, known_mistakes(check, trial), raised=record["raised"], hidden=hidden, described=described)
    received = from_plain(record.get("received"))
    return verdict(case, known_mistakes(check, trial), received=received, hidden=hidden, described=described)


def passed_line(source: str) -> str | None:
    """What a passing test cell's checks passed, one line per graded function, as the notebook
    says it (messages.passed): "forget_gate: lecture 004's example and 3 random cases pass.";
    None if the cell has no check the grader recomputes. A hidden test is said to pass as "the
    hidden tests", nothing of its arguments."""
    visible_part, hidden_part = split_hidden(source)
    items: dict[str, list[tuple]] = {}
    for part, hidden in ((visible_part, False), (hidden_part, True)):
        for check in checks(part):
            if not check.recomputable:
                continue
            if check.kind == "example":
                item = messages.example_item(example_data(examples()[check.key]))
            elif check.kind == "random":
                item = messages.random_item(check.trials, hidden=hidden)
            else:
                item = ("model",)
            items.setdefault(check.name, []).append(item)
    if not items:
        return None
    return "\n".join(
        f"{name}: the saved model passes." if ("model",) in found else messages.passed(name, found)
        for name, found in items.items()
    )


def hidden_failed(name: str, hidden_cell: str) -> str:
    """Why a visible test cell whose checks pass scores nothing: its function failed its hidden
    tests, and the visible checks' right results come with the assignment (no proof of work)."""
    return (
        f"{name} passes the checks above but fails its hidden tests (cell {hidden_cell}: its message "
        "says what they found). This cell scores only when both pass."
    )


@dataclass(frozen=True)
class Finding:
    """A failed check: the message the student reads, and for the class report what it was:
    kind "mistake" (the catalogue's entries it matches, by key), "unanswered" (the stub's
    NotImplementedError), "wrong" or "raised" (a wrong result, an exception, that no entry
    matches), "incomplete" (no result recorded), "missing-file" or "model" (a handed-in model),
    "hidden-failed" (a visible check passed, the function's hidden tests did not)."""

    message: str
    kind: str
    exercise: str | None = None  # the graded function (or saved model) the check called
    mistakes: tuple[str, ...] = ()


def diagnose(check: Check, trial: int, record: dict, hidden: bool = False) -> Finding | None:
    """judge(), with what the failure was: None if the recorded result is right."""
    message = judge(check, trial, record, hidden)
    if message is None:
        return None
    pairs = catalogued(check, trial)
    raised = record.get("raised")
    if isinstance(raised, dict):
        type_name, text = str(raised.get("type", "Exception")), str(raised.get("message", ""))
        if type_name == "NotImplementedError":
            return Finding(message, "unanswered", check.name)
        keys = tuple(key for key, mistake in pairs if raising_hints(type_name, text, [mistake]))
        return Finding(message, "mistake" if keys else "raised", check.name, keys)
    received, tolerance = from_plain(record.get("received")), cases(check)[trial].tolerance
    keys = tuple(key for key, mistake in pairs if matching_hints(received, [mistake], tolerance))
    return Finding(message, "mistake" if keys else "wrong", check.name, keys)


def judge_saved_model(name: str, handed_in: Path | None, file_name: str) -> str | None:
    """None if the model the student handed in (<handed_in>/<file_name>) passes, else the message.

    The file is read from the submission, never from the kernel, and measured in a child process
    with limits (autograder/intake/models.py): a file it cannot read within them is Rejected."""
    from . import intake

    if handed_in is None or not os.path.lexists(handed_in / file_name):
        return (
            f"{file_name} was not handed in with the notebook: run the cell that trains and saves "
            "the model, and hand the file in beside the notebook."
        )
    passed, message = intake.measure(SAVED_MODELS[name].grade, handed_in, file_name)
    return None if passed else message


# -- what a hidden check call carries -----------------------------------------------------------


def sealed_keywords(check: Check) -> dict:
    """{keyword: value} a hidden check gets in nbgrader's source, for plain nbgrader: its right
    results and its inputs (the kernel draws nothing)."""
    if check.kind == "model" and check.recomputable:
        return {EXPECTED: SAVED_MODELS[check.name].in_kernel()}
    if check.kind != "random" or not check.recomputable:
        raise ValueError(
            "a hidden test must call check_random or check_saved_model with literal arguments "
            f"the course knows: {check}"
        )
    found = cases(check)
    return {EXPECTED: [case.expected for case in found], INPUTS: [case.arguments for case in found]}


def grader_keywords(check: Check) -> dict:
    """{keyword: value} a hidden check gets in the course's grader's kernel: the inputs the grader
    judges it on, and no right results."""
    if check.kind != "random" or not check.recomputable:
        return {}
    return {INPUTS: [case.arguments for case in cases(check)]}
