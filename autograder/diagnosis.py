"""Feedback that names the mistake: a catalogue of known wrong answers for every graded function.

When a student's result is wrong, the checks (autograder/checks.py) ask `diagnose` whether it is
one of the known wrong answers on the same inputs; if so, the failure message ends with a hint
that says, in the lectures' notation, what the student did and where to look:

    Likely mistake: you stacked [x_t, h_{t-1}]; the lectures stack h first: f_t = σ(W_f · [h_{t-1}, x_t] + b_f).
    See lecture 002 (002_4a01faff3991aab9.txt), STEP 1 (the forget gate layer).

A right answer is never named: a misconception is only reported when the result differs from
the right answer AND matches the wrong one, and a wrong answer that equals the right one on the
inputs at hand (a missing bias when b = 0) is not considered. One module per assignment.
"""
import copy
import warnings

import numpy as np

from student_kit import messages
from student_kit.checks import matching_hints, raising_hints
from student_kit.values import error_kind, same

from . import bptt, forget_gate, gru, input_gate, output_gate, vanishing_gradients
from .base import Misconception, Mutation

ASSIGNMENTS = [forget_gate, input_gate, output_gate, gru, vanishing_gradients, bptt]

MISCONCEPTIONS = {entry.key: entry for module in ASSIGNMENTS for entry in module.MISCONCEPTIONS}


def for_exercise(exercise_name):
    """The catalogue entries of one graded function, in catalogue order."""
    return [entry for entry in MISCONCEPTIONS.values() if entry.exercise == exercise_name]


def _wrong_answer(entry, arguments):
    """(value, None), or (None, exception) if the mistake raises on these arguments."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return entry.wrong(*copy.deepcopy(tuple(arguments))), None
    except Exception as error:  # the mistake itself fails on these inputs, as a student's would
        return None, error


def mistakes(exercise_name, arguments, expected, tolerance=1e-8):
    """The known mistakes' results on `arguments`, as data the checks compare with (see
    student_kit.checks.matching_hints): [(entry, {"hint", "value"} or {"hint", "raises"})].
    A mistake whose result equals the right one here is left out: it cannot be told apart."""
    found = []
    for entry in for_exercise(exercise_name):
        wrong, error = _wrong_answer(entry, arguments)
        if error is not None:
            found.append((entry, {"hint": entry.hint, "raises": error_kind(type(error).__name__, error)}))
        elif not same(wrong, expected, tolerance):
            found.append((entry, {"hint": entry.hint, "value": wrong}))
    return found


def matches(exercise_name, arguments, received, expected, tolerance=1e-8):
    """The entries whose wrong answer is `received` (and differs from `expected`) on `arguments`."""
    return [entry for entry, mistake in mistakes(exercise_name, arguments, expected, tolerance)
            if matching_hints(received, [mistake], tolerance)]


def error_matches(exercise_name, arguments, error):
    """The entries whose wrong answer raises the student's kind of error."""
    return [entry for entry, mistake in mistakes(exercise_name, arguments, None)
            if raising_hints(type(error).__name__, error, [mistake])]


def hint(entries):
    """The text added to a failure message: '' if no entry, the hint of each entry otherwise."""
    return messages.hints([entry.hint for entry in entries])


WIDTH = messages.WIDTH


def mentions(text, entry):
    """True if `text` (a failure message, a page of feedback) names the entry's mistake."""
    return " ".join(entry.hint.split()) in " ".join(text.split())


def diagnose(exercise_name, arguments, received, expected, tolerance=1e-8):
    """The hint for a wrong `received` (see `hint`); '' when it is no known mistake."""
    try:
        return hint(matches(exercise_name, arguments, received, expected, tolerance))
    except Exception:  # a diagnosis must never turn a failing test into a crash of the checks
        return ""


def diagnose_error(exercise_name, arguments, error):
    """The hint for a student's function that raised `error`; '' when no known mistake raises it."""
    try:
        return hint(error_matches(exercise_name, arguments, error))
    except Exception:
        return ""


__all__ = ["MISCONCEPTIONS", "Misconception", "Mutation", "diagnose", "diagnose_error", "for_exercise",
           "matches", "error_matches", "mentions", "mistakes", "same"]
