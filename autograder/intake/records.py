"""What a student's kernel sends the grader: check records and outputs. The kernel runs the
student's code, so every field is a claim to check, never an object to trust.

    record(b'{"kind": "random", ...}')  -> the record, checked (see RECORD below), or None
    output({"output_type": "stream", ...}) -> an nbformat output with the fields it must have, or None
    text(value, 300)                    -> value if it is text (cut), else ""

A record the grader cannot read is dropped: the check it should prove then has no result, and
fails. An output it cannot read is dropped too; autograder/sanitize.py then rebuilds the kept
ones from an allow-list before anyone sees them.
"""

import json
import math

import numpy as np

from .notebooks import depth

RECORD_KINDS = ("example", "random", "model")
# A record as student_kit/checks.py writes it:
#   {"kind": one of RECORD_KINDS, "exercise": text, "key": text | int | None, "trial": int,
#    and "received": PLAIN or "raised": {"type": text, "message": text}}
#   PLAIN: {"kind": "none"} | {"kind": "unreadable", "type": text}
#        | {"kind": "array", "shape": [int, ...], "values": float64 array of prod(shape) numbers}
#        | {"kind": "tuple", "items": [PLAIN, ...]}
# The kit records at most 100,000 numbers of one array (student_kit/values.py); results of the
# course are a few arrays, at most a tuple of tuples.
RECORD_VALUES = 100_000  # numbers in one record, all its arrays together
RECORD_DIMENSIONS = 32  # numpy's own limit is 64; the course's arrays have at most 4
RECORD_ITEMS = 1_000  # results returned together in one tuple
RECORD_DEPTH = 8  # tuples inside tuples
RECORD_TRIALS = 10_000  # a check's trials (the course's have at most 10)
NAME = 100  # characters of an exercise name, an error's type or an unreadable value's type
MESSAGE = 1_000  # characters of an error message (the kit sends at most 500)
KEY = 200  # characters of a key (a worked example's name, a file name)
# Integers a float64 can hold; a name, not `2**1023` in the loop: Python computes that power
# anew for every number, which made reading 100,000 numbers take 0.3 s of the grader's CPU.
FLOAT_INTEGERS = 2**1023


def record(line):
    """One line of the records channel as a record of the declared shape, or None."""
    try:
        raw = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(raw, dict) or raw.get("kind") not in RECORD_KINDS:
        return None
    exercise, key, trial = raw.get("exercise"), raw.get("key"), raw.get("trial")
    if not (
        _text(exercise, NAME)
        and (key is None or _text(key, KEY) or _integer(key, 2**63))
        and _integer(trial, RECORD_TRIALS)
        and trial >= 0
    ):
        return None
    checked = {"kind": raw["kind"], "exercise": exercise, "key": key, "trial": trial}
    if "raised" in raw:
        raised = raw["raised"]
        if not (
            isinstance(raised, dict) and _text(raised.get("type"), NAME) and _text(raised.get("message", ""), MESSAGE)
        ):
            return None
        checked["raised"] = {"type": raised["type"], "message": raised.get("message", "")}
        return checked
    received = _plain(raw.get("received"), RECORD_DEPTH, [RECORD_VALUES])
    if received is None:
        return None
    checked["received"] = received
    return checked


def _plain(value, depth, room):
    """A PLAIN value, checked, its numbers as a float64 array; None if it is not one. `room` (a
    one-item list) is how many numbers the record may still hold."""
    kind = value.get("kind") if isinstance(value, dict) else None
    if kind == "none":
        return {"kind": "none"}
    if kind == "unreadable":
        kind_name = value.get("type", "")
        return {"kind": "unreadable", "type": kind_name} if _text(kind_name, NAME) else None
    if kind == "tuple":
        items = value.get("items")
        if depth <= 0 or not isinstance(items, list) or len(items) > RECORD_ITEMS:
            return None
        checked = []
        for item in items:
            item = _plain(item, depth - 1, room)
            if item is None:
                return None
            checked.append(item)
        return {"kind": "tuple", "items": checked}
    if kind == "array":
        shape, values = value.get("shape"), value.get("values")
        if not (
            isinstance(shape, list)
            and len(shape) <= RECORD_DIMENSIONS
            and all(_integer(size, RECORD_VALUES + 1) and size >= 0 for size in shape)
        ):
            return None
        if not isinstance(values, list) or len(values) != math.prod(shape) or len(values) > room[0]:
            return None
        if not all(isinstance(v, float) or _integer(v, FLOAT_INTEGERS) for v in values):
            return None  # text, booleans, lists, or integers no float can hold
        room[0] -= len(values)
        return {"kind": "array", "shape": shape, "values": np.array(values, dtype=np.float64)}
    return None


def _text(value, limit):
    return isinstance(value, str) and len(value) <= limit and _utf8(value)


def _utf8(value):
    """False for a string with a lone surrogate (JSON may escape one): no UTF-8 writer takes it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _integer(value, bound):
    return isinstance(value, int) and not isinstance(value, bool) and -bound < value < bound


def text(value, limit):
    """`value` if it is text, cut to `limit` characters; "" for anything else."""
    return value[:limit] if isinstance(value, str) and _utf8(value[:limit]) else ""


# -- outputs ----------------------------------------------------------------------------------------
OUTPUT_DEPTH = 32  # JSON in an output's data or metadata (sanitize.py keeps none of it beyond a size)
MIME_TYPE = 255  # characters of a MIME type


def output(value):
    """An nbformat output with the fields and types nbformat expects, or None."""
    if not isinstance(value, dict):
        return None
    kind = value.get("output_type")
    if kind == "stream" and value.get("name") in ("stdout", "stderr") and isinstance(value.get("text"), str):
        return {"output_type": "stream", "name": value["name"], "text": value["text"]}
    if kind in ("display_data", "execute_result"):
        data, metadata = value.get("data"), value.get("metadata")
        if not (isinstance(data, dict) and isinstance(metadata, dict) and all(map(_mime_value, data.items()))):
            return None
        if depth(data, OUTPUT_DEPTH) > OUTPUT_DEPTH or depth(metadata, OUTPUT_DEPTH) > OUTPUT_DEPTH:
            return None
        kept = {"output_type": kind, "data": data, "metadata": metadata}
        if kind == "execute_result":
            count = value.get("execution_count")
            kept["execution_count"] = count if _integer(count, 2**31) else None
        return kept
    if kind == "error":
        ename, evalue, trace = value.get("ename"), value.get("evalue"), value.get("traceback")
        if (
            isinstance(ename, str)
            and isinstance(evalue, str)
            and isinstance(trace, list)
            and all(isinstance(line, str) for line in trace)
        ):
            return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": trace}
    return None


def _mime_value(item):
    """nbformat's rule: JSON under a JSON MIME type, text (a string or list of strings) otherwise."""
    mime, value = item
    if not _text(mime, MIME_TYPE):
        return False
    if mime == "application/json" or mime.endswith("+json"):
        return True
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
