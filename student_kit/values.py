"""Values as the checks see them: compared as numbers, shown to 6 decimals, stored as data.

The same functions run in a student's notebook and in the grader's process, so that a result
is judged, shown and stored the same way on both sides.
"""

import re
from typing import Any

import numpy as np

from .messages import impossible_value


def show(value: Any) -> str:
    """A value as a student should read it: arrays to at most 6 decimals (0.002473, 0.999988)."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, suppress_small=False, separator=", ")
    return repr(value)


def is_shape(value):
    """True for a tuple of ints, such as W_f.shape: compared exactly, not as floats."""
    return isinstance(value, tuple) and all(isinstance(size, (int, np.integer)) for size in value)


def is_parts(value):
    """True for several results returned together, such as (h_t, C_t); False for a shape."""
    try:
        return isinstance(value, (tuple, list)) and not all(np.ndim(item) == 0 for item in value)
    except Exception:  # an object that numpy cannot even measure
        return True


def same(a: Any, b: Any, tolerance: float = 1e-8) -> bool:
    """True if a and b are the same value: numbers and arrays to rtol 1e-6 and atol `tolerance`,
    several results part by part."""
    if is_parts(a) or is_parts(b):
        return (
            isinstance(a, (tuple, list))
            and isinstance(b, (tuple, list))
            and len(a) == len(b)
            and all(same(x, y, tolerance) for x, y in zip(a, b))
        )
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=tolerance))


def mismatch(received: Any, expected: Any, tolerance: float, described: dict | None = None) -> str | None:
    """None if `received` matches `expected`, else a sentence saying how it differs.

    described: the graded function's results as its exercise declares them ({"results": names,
    "ranges": [{"low", "high", "why", "producers"} or None]}): a wrong one of several results is
    named ("C_t is wrong; h_t is right"), and a value no right answer can take is said to be so."""
    if received is None:
        return "received None: does your function end with `return`?"
    names, ranges = _declared(expected, described)
    if isinstance(expected, tuple) and not is_shape(expected):
        return _mismatch_parts(received, expected, tolerance, names, ranges)
    return _mismatch_one(received, expected, tolerance, names[0], ranges[0])


def _declared(expected, described):
    """(names, ranges) of the results, one each; generic names where none are declared."""
    count = len(expected) if isinstance(expected, tuple) and not is_shape(expected) else 1
    names = list((described or {}).get("results") or [])
    ranges = list((described or {}).get("ranges") or [])
    if len(names) != count:
        names = [f"result {k}" for k in range(1, count + 1)] if count > 1 else ["the result"]
    return names, (ranges + [None] * count)[:count]


def _mismatch_one(received, expected, tolerance, name, value_range):
    """mismatch() for one result (an array, a number or a shape)."""
    if received is None:
        return f"{name} is None: does your function return it?"
    if is_shape(expected):
        try:
            sizes = [float(size) for size in received]
        except (TypeError, ValueError):
            return f"expected a shape like {expected}, received {received!r}"
        if not all(size.is_integer() for size in sizes):  # int() would cut 3.9 to 3
            return f"expected a shape like {expected}, received {received!r}: a shape's sizes are whole numbers"
        received_shape = tuple(int(size) for size in sizes)
        return None if received_shape == expected else f"expected {expected}, received {received_shape}"
    try:
        received = np.asarray(received, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return f"expected an array of numbers, received {type(received).__name__} {received!r}"
    if received.shape != np.shape(expected):
        return (
            f"expected shape {np.shape(expected)}, received shape {received.shape}\n"
            f"  expected {show(np.asarray(expected))}\n  received {show(_like(received, expected))}"
        )
    if not np.allclose(received, expected, rtol=1e-6, atol=tolerance):
        shown = f"expected {show(np.asarray(expected))}\n  received {show(_like(received, expected))}"
        impossible = outside(received, value_range)
        if impossible is not None:
            shown += "\n" + impossible_value(name, value_range, impossible)
        return shown
    return None


def _like(received, expected):
    """`received` shown as the kind of value expected: True/False for a boolean answer."""
    if np.asarray(expected).dtype == bool and np.isin(received, (0.0, 1.0)).all():
        return received.astype(bool)
    return received


def outside(values, value_range) -> float | None:
    """A value of `values` outside the declared range (or not a number at all), else None.

    The range's ends count as inside: float64 rounds σ(40) to exactly 1.0, tanh(20) too."""
    if value_range is None:
        return None
    try:
        values = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError, OverflowError):
        return None
    bad = values[~((values >= value_range["low"]) & (values <= value_range["high"]))]
    return float(bad[0]) if bad.size else None


def what_differs(received, expected, tolerance, described: dict | None = None):
    """None if `received` matches `expected`, else how it differs, without a value of either:
    what a hidden test may tell (the student's result is not shown back, nor the right one)."""
    if mismatch(received, expected, tolerance) is None:
        return None
    if received is None:
        return "returned None: does your function end with `return`?"
    names, ranges = _declared(expected, described)
    if isinstance(expected, tuple) and not is_shape(expected):
        if not isinstance(received, (tuple, list)) or len(received) != len(expected):
            return f"returned no tuple of {len(expected)} results ({', '.join(names)})"
        verdicts = [
            _differs_one(part, right, tolerance, name, value_range)
            for part, right, name, value_range in zip(received, expected, names, ranges)
        ]
        first = next(k for k, verdict in enumerate(verdicts) if verdict is not None)
        return f"{_which_are_wrong(names, verdicts)}. {names[first]}: {verdicts[first]}"
    return _differs_one(received, expected, tolerance, names[0], ranges[0])


def _differs_one(received, expected, tolerance, name, value_range):
    if mismatch(received, expected, tolerance) is None:
        return None
    if received is None:
        return "it is None"
    if is_shape(expected):
        return "returned a wrong shape"
    try:
        received = np.asarray(received, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return "returned something that is not an array of numbers"
    if received.shape != np.shape(expected):
        return "returned an array of the wrong shape"
    if outside(received, value_range) is not None:
        return "returned wrong values, " + impossible_value(name, value_range)
    return "returned wrong values"


def _which_are_wrong(names, verdicts):
    """'C_t is wrong; h_t is right', 'dx_t and dW are wrong; dh_{t-1}, dC_{t-1} and db are right'."""

    def listing(items):
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    wrong = [name for name, verdict in zip(names, verdicts) if verdict is not None]
    right = [name for name, verdict in zip(names, verdicts) if verdict is None]
    said = [f"{listing(wrong)} {'is' if len(wrong) == 1 else 'are'} wrong"]
    if right:
        said.append(f"{listing(right)} {'is' if len(right) == 1 else 'are'} right")
    return "; ".join(said)


def _mismatch_parts(received, expected, tolerance, names, ranges):
    """mismatch() for a function that returns several results, such as (h_t, C_t): which are wrong,
    and how the first of them differs."""
    if not isinstance(received, (tuple, list)) or len(received) != len(expected):
        return (
            f"expected a tuple of {len(expected)} results ({', '.join(names)}), "
            f"received {type(received).__name__} {show(received)}"
        )
    problems = [
        _mismatch_one(part, right, tolerance, name, value_range)
        for part, right, name, value_range in zip(received, expected, names, ranges)
    ]
    if all(problem is None for problem in problems):
        return None
    first = next(k for k, problem in enumerate(problems) if problem is not None)
    return f"{_which_are_wrong(names, problems)}. {names[first]}:\n  {problems[first]}"


RECORD_MAX_VALUES = 100_000  # the course's results are small; a bigger one is recorded as such


def plain(value: Any) -> dict:
    """A result as plain JSON data: arrays of floats, tuples of them, None, or 'unreadable'.

    The grader receives the student's result in this form and compares it with lstm_ref's,
    which it puts in the same form: numbers against numbers, never the student's objects.
    """
    if value is None:
        return {"kind": "none"}
    if is_parts(value):
        return {"kind": "tuple", "items": [plain(item) for item in value]}  # such as (h_t, C_t)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return {"kind": "unreadable", "type": type(value).__name__[:100]}
    if array.size > RECORD_MAX_VALUES:
        return {"kind": "unreadable", "type": f"array of {array.size} numbers"}
    return {"kind": "array", "shape": list(array.shape), "values": [float(v) for v in array.ravel()]}


class Unreadable:
    """What the grader makes of a result that was not numbers (see plain)."""

    def __init__(self, type_name):
        self.type_name = str(type_name)[:100]

    def __repr__(self):
        return f"<{self.type_name}, not numbers>"


def from_plain(data: Any) -> Any:
    """The value a plain() record stands for, rebuilt from its numbers; never the student's objects."""
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "none":
        return None
    if kind == "tuple" and isinstance(data.get("items"), list):
        return tuple(from_plain(item) for item in data["items"])
    if kind == "array":
        try:
            return np.array([float(v) for v in data["values"]], dtype=np.float64).reshape(
                [int(size) for size in data["shape"]]
            )
        except (KeyError, TypeError, ValueError):
            return Unreadable("a garbled record")
    return Unreadable(data.get("type", "a garbled record") if isinstance(data, dict) else "a garbled record")


def error_kind(type_name: str, message: Any) -> tuple[str, str]:
    """An error's type and message without shapes and numbers: (type name, masked message).

    The shapes in a broadcasting error depend on how the student ordered the operands, the
    kind of error does not; a known mistake that raises is recognised by its kind.
    """
    return type_name, re.sub(r"\d+", "#", re.sub(r"\([\d, ]*\)", "()", str(message)))
