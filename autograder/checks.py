"""The grader's judgement of the notebooks' checks, from the course's reference implementation.

A test cell calls check_example / check_random (student_kit/checks.py). In the grader's kernels
each call records what the student's function returned; here, in the grader's own process,
every recorded result is judged against lstm_ref and the message a student reads in the
feedback is written, with the same wording as in the notebook (student_kit/messages.py):

    judge(record)                                   # None if right, else the message
    check_example("forget_gate", fn, "004-forget-gate")  # the same judgement on a function,
    check_random("forget_gate", fn, seed=202)             # here (tests, the release's self-check)
"""
import builtins
import copy
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lstm_ref.worked_examples import EXAMPLES
from lstm_ref.worked_examples.base import LECTURES, lecture_title
from student_kit import messages
from student_kit.checks import CheckFailed, matching_hints, raising_hints
from student_kit.values import from_plain, mismatch, plain, what_differs

from .exercises import EXERCISES, SAVED_MODELS
from .misconceptions import mistakes


def example_data(example):
    """A worked example as the notebooks see it (student_kit.display and .checks read these keys)."""
    return dict(lecture=example.lecture, where=example.where, what=example.what, inputs=example.inputs,
                stated=example.stated, exact=example.exact, erratum=example.erratum, note=example.note,
                tolerance=example.tolerance)


def lecture_data():
    """{lecture: {"file", "title"}} for the notebooks' references to the lectures."""
    return {lecture: {"file": file_name, "title": lecture_title(lecture)} for lecture, file_name in LECTURES.items()}


# The exception types a hidden test's message may name: Python's own.
BUILTIN_ERRORS = {name for name, value in vars(builtins).items()
                  if isinstance(value, type) and issubclass(value, BaseException)}


@dataclass(frozen=True)
class Case:
    """One trial of one check: the inputs, the right result and how a failure is described."""
    arguments: tuple
    expected: object
    tolerance: float
    where: str
    lecture_note: str | None = None  # said when the student reproduced the lecture's number
    stated: object = None  # the lecture's number
    hidden_where: str | None = None  # the same, as a hidden test says it (messages.on_hidden)


@lru_cache(maxsize=None)
def cases(kind, exercise_name, key, trials=1):
    """The trials of check_example(exercise, fn, key) or check_random(exercise, fn, seed=key,
    trials=trials), with the right results from lstm_ref: the same for every student."""
    exercise = EXERCISES[exercise_name]
    if kind == "example":
        example = EXAMPLES[key]
        where = messages.on_example(exercise.call, example_data(example))
        arguments = tuple(example.inputs.values())
        return (Case(arguments, exercise.reference(*copy.deepcopy(arguments)), example.tolerance, where,
                     messages.reproduced_lecture(example_data(example)), example.stated),)
    rng = np.random.default_rng(key)
    found = []
    for _ in range(trials):
        arguments = exercise.random_inputs(rng)
        where = messages.on_random(exercise.call, exercise.arguments, arguments)
        hidden_where = messages.on_hidden(exercise.call, exercise.arguments, arguments)
        found.append(Case(arguments, exercise.reference(*copy.deepcopy(arguments)), 1e-8, where,
                          hidden_where=hidden_where))
    return tuple(found)


@lru_cache(maxsize=None)
def known_mistakes(kind, exercise_name, key, trials, trial):
    """The catalogue's wrong results on one trial's inputs, as student_kit's checks compare them."""
    case = cases(kind, exercise_name, key, trials)[trial]
    return [mistake for _, mistake in mistakes(exercise_name, case.arguments, case.expected, case.tolerance)]


def verdict(case, mistake_list, received=None, raised=None, hidden=False):
    """None if `received` is right for `case`, else the message (as the notebook words it; for a
    hidden test, without its seed, the student's values or the right ones)."""
    if raised is not None:
        type_name, message = str(raised.get("type", "Exception")), str(raised.get("message", ""))
        if type_name == "NotImplementedError":
            return messages.not_written(case.where.split(" on ")[0])
        if hidden:  # the type's name only if Python's own: a student's can say anything
            shown = type_name if type_name in BUILTIN_ERRORS else "an exception of its own type"
            return messages.hidden_raised(case.hidden_where, shown, raising_hints(type_name, message, mistake_list))
        return messages.raised(case.where, type_name, message, raising_hints(type_name, message, mistake_list))
    if hidden:
        what = what_differs(received, case.expected, case.tolerance)
        return None if what is None else messages.hidden_wrong(
            case.hidden_where, what, matching_hints(received, mistake_list, case.tolerance))
    problem = mismatch(received, case.expected, case.tolerance)
    if problem is None:
        return None
    lecture_note = None
    if case.lecture_note and case.stated is not None and mismatch(received, case.stated, case.tolerance) is None:
        lecture_note = case.lecture_note
    return messages.wrong_result(case.where, problem, matching_hints(received, mistake_list, case.tolerance),
                                 lecture_note)


def judge(check, trial, record, hidden=False):
    """None if one recorded result of `check` = (kind, exercise, key, trials) is right, else the message.

    `record` is the student's kernel's data (student_kit.checks.record): only its numbers are used.
    hidden: the check is a hidden test, whose message shows no seed and no value (verdict).
    """
    kind, exercise_name, key, trials = check
    case = cases(kind, exercise_name, key, trials)[trial]
    mistake_list = known_mistakes(kind, exercise_name, key, trials, trial)
    if isinstance(record.get("raised"), dict):
        return verdict(case, mistake_list, raised=record["raised"], hidden=hidden)
    return verdict(case, mistake_list, received=from_plain(record.get("received")), hidden=hidden)


def judge_saved_model(name, handed_in, file_name):
    """None if the model the student handed in (<handed_in>/<file_name>) passes, else the message.

    The file is read from the submission, never from the kernel, and measured in a child process
    with limits (autograder/intake/models.py): a file it cannot read within them is Rejected."""
    from . import intake

    if handed_in is None or not os.path.lexists(handed_in / file_name):
        return (f"{file_name} was not handed in with the notebook: run the cell that trains and saves "
                "the model, and hand the file in beside the notebook.")
    passed, message = intake.measure(SAVED_MODELS[name][1], handed_in, file_name)
    return None if passed else message


def _judge_function(check, function):
    kind, exercise_name, key, trials = check
    for trial, case in enumerate(cases(kind, exercise_name, key, trials)):
        try:
            record = {"received": plain(function(*copy.deepcopy(case.arguments)))}
        except Exception as error:
            record = {"raised": {"type": type(error).__name__, "message": str(error)}}
        problem = judge(check, trial, record)
        if problem is not None:
            raise CheckFailed(problem)


def check_example(exercise_name, function, example_key):
    """Judge `function` on a worked example, here, as the grader would."""
    _judge_function(("example", exercise_name, example_key, 1), function)


def check_random(exercise_name, function, seed, trials=10):
    """Judge `function` on `trials` random inputs drawn from `seed`, here, as the grader would."""
    _judge_function(("random", exercise_name, seed, trials), function)
