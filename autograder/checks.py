"""The checks that the notebooks' test cells call.

    check_example("forget_gate", forget_gate, "004-forget-gate")   # a lecture's numbers
    check_random("forget_gate", forget_gate, seed=1)               # hidden: random cases

Each passes silently or raises AssertionError with a message a student can act on: the call
in the lectures' notation, the inputs, the expected and the received values.
"""
import numpy as np

from lstm_ref.worked_examples import EXAMPLES

from .exercises import EXERCISES
from .misconceptions import diagnose, diagnose_error  # issue 7: a wrong answer names its mistake


def show(value):
    """A value as a student should read it: arrays to 6 significant digits."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, suppress_small=False, separator=", ")
    return repr(value)


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


def check_example(exercise_name, student_function, example_key):
    """Check the student's function on one worked example of the lectures."""
    exercise, example = EXERCISES[exercise_name], EXAMPLES[example_key]
    arguments = tuple(example.inputs.values())
    received = call_student(exercise, student_function, arguments)
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
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        arguments = exercise.random_inputs(rng)
        expected = exercise.reference(*arguments)
        received = call_student(exercise, student_function, arguments)
        problem = mismatch(received, expected, tolerance=1e-8)
        if problem is not None:
            raise AssertionError(
                f"{exercise.call} on random inputs ({describe_inputs(exercise, arguments)}):\n  {problem}"
                + diagnose(exercise_name, arguments, received, expected)
            )
