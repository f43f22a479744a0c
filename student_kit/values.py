"""Values as the checks see them: compared as numbers, shown to 6 decimals, stored as data.

The same functions run in a student's notebook and in the grader's process, so that a result
is judged, shown and stored the same way on both sides.
"""

import re
from typing import Any

import numpy as np


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


def mismatch(received: Any, expected: Any, tolerance: float) -> str | None:
    """None if `received` matches `expected`, else a sentence saying how it differs."""
    if received is None:
        return "received None: does your function end with `return`?"
    if isinstance(expected, tuple) and not is_shape(expected):
        return _mismatch_parts(received, expected, tolerance)
    if is_shape(expected):
        try:
            received_shape = tuple(int(size) for size in received)
        except (TypeError, ValueError):
            return f"expected a shape like {expected}, received {received!r}"
        return None if received_shape == expected else f"expected {expected}, received {received_shape}"
    try:
        received = np.asarray(received, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return f"expected an array of numbers, received {type(received).__name__} {received!r}"
    if received.shape != np.shape(expected):
        return (
            f"expected shape {np.shape(expected)}, received shape {received.shape}\n"
            f"  expected {show(np.asarray(expected))}\n  received {show(received)}"
        )
    if not np.allclose(received, expected, rtol=1e-6, atol=tolerance):
        return f"expected {show(np.asarray(expected))}\n  received {show(received)}"
    return None


def what_differs(received, expected, tolerance):
    """None if `received` matches `expected`, else how it differs, without a value of either:
    what a hidden test may tell (the student's result is not shown back, nor the right one)."""
    if mismatch(received, expected, tolerance) is None:
        return None
    if received is None:
        return "returned None: does your function end with `return`?"
    if isinstance(expected, tuple) and not is_shape(expected):
        if not isinstance(received, (tuple, list)) or len(received) != len(expected):
            return f"returned no tuple of {len(expected)} results"
        for position, (received_part, expected_part) in enumerate(zip(received, expected), start=1):
            if (part := what_differs(received_part, expected_part, tolerance)) is not None:
                return f"part {position} of the {len(expected)} results: {part}"
    if is_shape(expected):
        return "returned a wrong shape"
    try:
        received = np.asarray(received, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return "returned something that is not an array of numbers"
    if received.shape != np.shape(expected):
        return "returned an array of the wrong shape"
    return "returned wrong values"


def _mismatch_parts(received, expected, tolerance):
    """mismatch() for a function that returns several arrays, such as (h_t, C_t)."""
    if not isinstance(received, (tuple, list)) or len(received) != len(expected):
        return f"expected a tuple of {len(expected)} arrays, received {type(received).__name__} {show(received)}"
    for position, (received_part, expected_part) in enumerate(zip(received, expected), start=1):
        problem = mismatch(received_part, expected_part, tolerance)
        if problem is not None:
            return f"in part {position} of the {len(expected)} you return: {problem}"
    return None


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
