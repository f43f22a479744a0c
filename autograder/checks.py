"""The checks that the notebooks' test cells call.

    check_example("forget_gate", forget_gate, "004-forget-gate")   # a lecture's numbers
    check_random("forget_gate", forget_gate, seed=1)               # hidden: random cases

Each passes silently or raises AssertionError with a message a student can act on: the call
in the lectures' notation, the inputs, the expected and the received values.

When the autograder runs a notebook (LSTM_COURSE_RECORDS in the kernel's environment), each
check also records what the student's function returned: one JSON line appended to that path,
a channel of its own that no amount of printed output can crowd out. The grader decides pass or
fail from these records in its own process (autograder/verify.py), so a student's code that
tampers with numpy or with these checks inside the kernel cannot turn a wrong answer into credit.
"""
import inspect
import json
import os
import textwrap

import numpy as np

from lstm_ref.worked_examples import EXAMPLES

from .exercises import EXERCISES
from .misconceptions import diagnose, diagnose_error  # issue 7: a wrong answer names its mistake


def show(value):
    """A value as a student should read it: arrays to 6 significant digits."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, suppress_small=False, separator=", ")
    return repr(value)


RECORD_MIME = "text/x-lstm-course-check"
RECORD_MAX_VALUES = 10_000  # the course's outputs are small; a bigger result is recorded as such


def plain(value):
    """A result as plain JSON data: arrays of floats, tuples of them, None, or 'unreadable'.

    Used on the student's result in the kernel and on lstm_ref's result in the grader, so that
    both are compared as numbers, never as the student's objects.
    """
    if value is None:
        return {"kind": "none"}
    if isinstance(value, (tuple, list)):
        try:  # a shape, or several arrays of the same shape, compare as one array
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return {"kind": "tuple", "items": [plain(item) for item in value]}
    else:
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return {"kind": "unreadable", "type": type(value).__name__}
    if array.size > RECORD_MAX_VALUES:
        return {"kind": "unreadable", "type": f"array of {array.size} numbers"}
    return {"kind": "array", "shape": list(array.shape), "values": [float(v) for v in array.ravel()]}


def record(kind, exercise_name, key, received, trial=0):
    """While grading, append what the student's function returned (see the module docstring)."""
    path = os.environ.get("LSTM_COURSE_RECORDS")
    if not path:
        return
    line = json.dumps({"kind": kind, "exercise": exercise_name, "key": key, "trial": trial,
                       "received": plain(received)})
    with open(path, "a") as channel:
        channel.write(line + "\n")


def mismatch(received, expected, tolerance):
    """None if `received` matches `expected`, else a sentence saying how it differs."""
    if received is None:
        return "received None: does your function end with `return`?"
    if isinstance(expected, tuple) and any(isinstance(part, np.ndarray) for part in expected):
        return mismatch_parts(received, expected, tolerance)
    if isinstance(expected, tuple):  # a shape
        try:
            received_shape = tuple(int(size) for size in received)
        except (TypeError, ValueError):
            return f"expected a shape like {expected}, received {received!r}"
        return None if received_shape == expected else f"expected {expected}, received {received_shape}"
    try:
        received = np.asarray(received, dtype=np.float64)
    except (TypeError, ValueError):
        return f"expected an array of numbers, received {type(received).__name__} {received!r}"
    if received.shape != np.shape(expected):
        return (f"expected shape {np.shape(expected)}, received shape {received.shape}\n"
                f"  expected {show(np.asarray(expected))}\n  received {show(received)}")
    if not np.allclose(received, expected, rtol=1e-6, atol=tolerance):
        return f"expected {show(np.asarray(expected))}\n  received {show(received)}"
    return None


def mismatch_parts(received, expected, tolerance):
    """mismatch() for a function that returns several arrays, such as (h_t, C_t)."""
    if not isinstance(received, (tuple, list)) or len(received) != len(expected):
        return (f"expected a tuple of {len(expected)} arrays, "
                f"received {type(received).__name__} {show(received)}")
    for position, (received_part, expected_part) in enumerate(zip(received, expected), start=1):
        problem = mismatch(received_part, expected_part, tolerance)
        if problem is not None:
            return f"in part {position} of the {len(expected)} you return: {problem}"
    return None


def call_student(exercise, student_function, arguments):
    """Run the student's function; turn a crash into a test failure that says so."""
    try:
        return student_function(*arguments)
    except NotImplementedError:
        raise AssertionError(f"{exercise.call} is not written yet (it raises NotImplementedError).") from None
    except Exception as error:
        raise AssertionError(f"{exercise.call} raised {type(error).__name__}: {error}"
                             + diagnose_error(exercise.name, arguments, error)) from error


def refuse_what_the_grader_forbids(exercise, student_function):
    """Tell the student now what the grader will score zero (an answer calling lstm_ref or
    torch.nn.LSTM, patching numpy ...), instead of letting the visible test pass."""
    from .verify import forbidden  # verify imports this module: import it only when needed

    module = getattr(student_function, "__module__", None) or ""
    if module.split(".")[0] in ("lstm_ref", "torch"):
        raise AssertionError(f"{exercise.call} is the course's reference ({module}), not your code. "
                             "When your work is graded, its tests score zero: write it yourself, with numpy.")
    if module != "__main__":  # not written in the notebook (a library's or a test's function)
        return
    try:
        source = textwrap.dedent(inspect.getsource(student_function))
    except (OSError, TypeError):  # no source to read (a builtin, a lambda typed at a prompt)
        return
    problems = forbidden(source)
    if problems:
        raise AssertionError(f"{exercise.call} {'; '.join(problems)}. When your work is graded, "
                             "its tests score zero: write it yourself, with numpy.")


def check_example(exercise_name, student_function, example_key):
    """Check the student's function on one worked example of the lectures."""
    exercise, example = EXERCISES[exercise_name], EXAMPLES[example_key]
    refuse_what_the_grader_forbids(exercise, student_function)
    arguments = tuple(example.inputs.values())
    received = call_student(exercise, student_function, arguments)
    record("example", exercise_name, example_key, received)
    problem = mismatch(received, example.exact, example.tolerance)
    if problem is None:
        return
    message = (f"{exercise.call} on lecture {example.lecture}'s example ({example.where}), "
               f"{example.what}:\n  {problem}")
    if example.erratum and mismatch(received, example.stated, example.tolerance) is None:
        message += f"\nYou reproduced the lecture's own number, and the lecture is wrong here. {example.erratum}"
    message += diagnose(exercise_name, arguments, received, example.exact, example.tolerance)
    raise AssertionError(message)


def describe_inputs(exercise, arguments):
    parts = []
    for label, value in zip(exercise.arguments, arguments):
        if isinstance(value, dict):  # LSTM params: their shapes, not their numbers
            shapes = ", ".join(f"{key} {np.shape(array)}" for key, array in value.items())
            parts.append(f"{label} {{{shapes}}}")
        else:
            parts.append(f"{label} shape {np.shape(value)}" if np.ndim(value) else f"{label} = {value!r}")
    return ", ".join(parts)


def check_random(exercise_name, student_function, seed, trials=10):
    """Check the student's function against lstm_ref on `trials` random inputs."""
    exercise = EXERCISES[exercise_name]
    refuse_what_the_grader_forbids(exercise, student_function)
    rng = np.random.default_rng(seed)
    for trial in range(trials):
        arguments = exercise.random_inputs(rng)
        expected = exercise.reference(*arguments)
        received = call_student(exercise, student_function, arguments)
        record("random", exercise_name, seed, received, trial)
        problem = mismatch(received, expected, tolerance=1e-8)
        if problem is not None:
            raise AssertionError(
                f"{exercise.call} on random inputs ({describe_inputs(exercise, arguments)}):\n  {problem}"
                + diagnose(exercise_name, arguments, received, expected)
            )
