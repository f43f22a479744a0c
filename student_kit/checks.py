"""The checks that the notebooks' test cells call.

    check_example("forget_gate", forget_gate, "004-forget-gate")   # a lecture's numbers
    check_random("forget_gate", forget_gate, seed=21, trials=3)    # random inputs

Each passes silently or raises CheckFailed with a message a student can act on: the call in
the lectures' notation, the inputs, the expected and the received values, and the known
mistake the result matches. Expected values and known mistakes' results come from
course_data.json (data.py), computed when the assignment was released; this folder holds no
code that computes them.

While the course's grader runs the notebook, LSTM_COURSE_RECORDS names the records channel (a
pipe to the grader): every check also writes what the student's function returned there, one
JSON line per call, and the grader decides pass or fail in its own process. Hidden tests run
only then (or under plain `nbgrader autograde`, whose hidden cells carry their expected values),
so here they only record.
"""

import copy
import json
import os
import traceback

import numpy as np

from . import data, messages
from .values import error_kind, mismatch, plain, same


class CheckFailed(AssertionError):
    """A check's verdict: the student's function gave a wrong result (the message says how)."""


def _show_message_only(shell, etype, value, tb, tb_offset=None):
    """In a notebook a failed check shows its message, not the course's internal frames."""
    lines = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, lines)
    return lines


try:
    get_ipython().set_custom_exc((CheckFailed,), _show_message_only)  # noqa: F821 (IPython's)
except NameError:  # not in IPython: a plain traceback is fine
    pass

# Taken once, when the kit is imported: a student's code that later replaces os.open or json.dumps
# does not change where or how a record is written.
_RECORDS, _open, _write, _close, _dumps = os.environ.get("LSTM_COURSE_RECORDS"), os.open, os.write, os.close, json.dumps


def grading():
    """True while the course's grader runs this notebook."""
    return bool(_RECORDS)


def record(kind, exercise_name, key, trial, received=None, error=None):
    """While grading, append what the student's function returned (or raised) to the records."""
    if not _RECORDS:
        return
    entry = {"kind": kind, "exercise": exercise_name, "key": key, "trial": trial}
    if error is not None:
        entry["raised"] = {"type": type(error).__name__, "message": str(error)[:500]}
    else:
        entry["received"] = plain(received)
    line = (_dumps(entry) + "\n").encode()
    handle = _open(_RECORDS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        _write(handle, line)
    finally:
        _close(handle)


class _PassLines:
    """What passed, one line per graded function per cell, as otter's grader.check says it:
    "forget_gate: lecture 004's example and 3 random cases pass." Each check of the same function
    in the same cell updates its line (an IPython display); in plain Python each prints."""

    def __init__(self):
        self.cell, self.lines = None, {}  # exercise name -> (items, display handle)

    def add(self, exercise_name, item):
        cell = _current_cell()
        if cell is None or cell != self.cell:
            self.cell, self.lines = cell, {}
        items, handle = self.lines.get(exercise_name, ([], None))
        items = items + [item]
        text = messages.passed(exercise_name, items)
        if handle is None:  # a new line (or outside IPython, where nothing can be updated)
            handle = _show_line(text)
        else:
            handle.update(_Line(text))
        self.lines[exercise_name] = (items, handle)


class _Line:
    """A line of plain text as IPython displays it."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


def _current_cell():
    """The running cell's number in IPython (None outside it)."""
    try:
        return get_ipython().execution_count  # noqa: F821 (IPython's)
    except NameError:
        return None


def _show_line(text):
    """Display `text` as an output that can be updated later (None: printed, as outside IPython)."""
    if _current_cell() is not None:
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.display import display

        if InteractiveShell.initialized():
            return display(_Line(text), display_id=True)
    print(text)
    return None


_PASSES = _PassLines()


def _passed(exercise_name, item):
    """Say in the notebook what passed. Not while the course's grader runs it: there the grader
    says it in the feedback, from its own verdict (a kernel's word on a pass can be forged)."""
    if not grading():
        _PASSES.add(exercise_name, item)


def exercise(name):
    """The graded function's description: {"arguments": [...], "output": ..., "inputs": ...}."""
    return data.lookup("exercises", name, "graded function")


def _culprit(error, student_function):
    """The function that raised NotImplementedError, if it is a named one other than the one under
    test (the stub of a helper, such as sigmoid inside input_gate)."""
    frames = traceback.extract_tb(error.__traceback__)
    raiser = frames[-1].name if frames else ""
    return None if raiser.startswith("<") or raiser == getattr(student_function, "__name__", "") else raiser


UNAVAILABLE_WHEN_GRADED = ("torch", "lstm_ref", "autograder", "assignments")


def global_names(code) -> list:
    """Every global name a function's code (and the functions and lambdas inside it) uses, in the
    order they first appear: the order the code calls them in."""
    names = list(code.co_names)
    for constant in code.co_consts:
        if hasattr(constant, "co_names"):
            names += global_names(constant)
    return list(dict.fromkeys(names))


def _unavailable_when_graded(student_function):
    """The module a function uses that a graded notebook does not have (PyTorch works on your
    machine, but your work is graded without it), or None."""
    code = getattr(student_function, "__code__", None)
    if code is None:
        return None
    seen = dict(getattr(student_function, "__globals__", {}))
    for name, cell in zip(code.co_freevars, getattr(student_function, "__closure__", None) or ()):
        try:
            seen[name] = cell.cell_contents
        except ValueError:  # a variable not yet assigned
            pass
    for name in set(global_names(code)) | set(code.co_freevars):
        value = seen.get(name)
        module = getattr(value, "__name__", "") if type(value).__name__ == "module" else ""
        if module.split(".")[0] in UNAVAILABLE_WHEN_GRADED:
            return module
    return None


def _call(description, name, student_function, arguments, where, record_as, mistakes):
    """The student's result on (a copy of) `arguments`; a crash becomes a CheckFailed that says so."""
    module = _unavailable_when_graded(student_function)
    if module:
        raise CheckFailed(
            f"{messages.call(name, description['arguments'])} uses {module}, which is not "
            "installed when your work is graded: write it with numpy."
        )
    try:
        received = student_function(*copy.deepcopy(tuple(arguments)))
    except NotImplementedError as error:
        record(*record_as, error=error)
        the_call = messages.call(name, description["arguments"])
        raise CheckFailed(messages.not_written(the_call, _culprit(error, student_function))) from None
    except Exception as error:
        record(*record_as, error=error)
        hints = raising_hints(type(error).__name__, error, mistakes)
        raise CheckFailed(messages.raised(where, type(error).__name__, error, hints)) from None
    record(*record_as, received=received)
    return received


def matching_hints(received, mistakes: list[dict], tolerance: float) -> list[str]:
    """The hints of the known mistakes whose result is `received`.

    mistakes: [{"hint": ..., "value": result}] or [{"hint": ..., "raises": (type, masked message)}],
    the known mistakes' results on the same inputs (only those that differ from the right one).
    """
    return [m["hint"] for m in mistakes if "value" in m and same(received, m["value"], tolerance)]


def raising_hints(type_name: str, message, mistakes: list[dict]) -> list[str]:
    """The hints of the known mistakes that raise the same kind of error (see values.error_kind)."""
    kind = error_kind(type_name, message)
    return [m["hint"] for m in mistakes if "raises" in m and tuple(m["raises"]) == kind]


def check_example(exercise_name, student_function, example_key):
    """Check the student's function on one worked example (a lecture's numbers, or the course's)."""
    description = exercise(exercise_name)
    example = data.lookup("examples", example_key, "worked example")
    stored = data.lookup("checks", f"example/{exercise_name}/{example_key}", "check")
    mistakes = stored["trials"][0]["mistakes"]
    where = messages.on_example(messages.call(exercise_name, description["arguments"]), example)
    received = _call(
        description,
        exercise_name,
        student_function,
        example["inputs"].values(),
        where,
        ("example", exercise_name, example_key, 0),
        mistakes,
    )
    problem = mismatch(received, example["exact"], example["tolerance"], description)
    if problem is None:
        _passed(exercise_name, messages.example_item(example))
        return
    lecture_note = None
    if example.get("stated") is not None and mismatch(received, example["stated"], example["tolerance"]) is None:
        lecture_note = messages.reproduced_lecture(example)
    raise CheckFailed(
        messages.wrong_result(where, problem, matching_hints(received, mistakes, example["tolerance"]), lecture_note)
    )


def check_random(exercise_name, student_function, seed, trials=10, expected=None, inputs=None):
    """Check the student's function on `trials` random inputs drawn from `seed`.

    The inputs and the expected results come from the data file (visible tests). A hidden test's
    inputs come in its own cell (`inputs`), and its expected results too under plain nbgrader
    (`expected`); without them the check only records, for the grader. The inputs were drawn by
    the course when it was released (or by the grader): nothing here draws or computes them.
    """
    description = exercise(exercise_name)
    stored = data.section("checks").get(f"random/{exercise_name}/{seed}/{trials}")
    if expected is not None:
        stored = {"trials": [{"expected": value, "mistakes": []} for value in data.unpack(expected)]}
    if stored is None and not grading():
        raise CheckFailed(
            f"check_random({exercise_name!r}, ..., seed={seed}) has no stored results here: "
            "it is a hidden test, which runs when your work is graded."
        )
    if inputs is not None:
        drawn = data.unpack(inputs)
    elif stored is not None and all("inputs" in trial for trial in stored["trials"]):
        drawn = [trial["inputs"] for trial in stored["trials"]]
    else:
        raise CheckFailed(
            f"check_random({exercise_name!r}, ..., seed={seed}) has no inputs here: release the assignment again."
        )
    the_call = messages.call(exercise_name, description["arguments"])
    for trial, arguments in enumerate(drawn[:trials]):
        where = messages.on_random(the_call, description["arguments"], arguments)
        mistakes = stored["trials"][trial]["mistakes"] if stored else []
        received = _call(
            description,
            exercise_name,
            student_function,
            arguments,
            where,
            ("random", exercise_name, seed, trial),
            mistakes,
        )
        if stored is None:
            continue  # a hidden test in the grader's kernel: the grader judges the records
        problem = mismatch(received, stored["trials"][trial]["expected"], 1e-8, description)
        if problem is not None:
            raise CheckFailed(messages.wrong_result(where, problem, matching_hints(received, mistakes, 1e-8)))
    if stored is not None:
        _passed(exercise_name, messages.random_item(len(drawn[:trials]), hidden=inputs is not None))


def check_saved_model(name, path, model_forward=None, expected=None):
    """The model the student trained and saved in `path`, beside the notebook, measured on
    sentences it has never seen.

    While the course's grader runs the notebook this only records: the grader reads the file the
    student handed in and measures it with the course's reference. Under plain nbgrader
    (`expected` says how to measure) it measures here, with the student's own model_forward.
    """
    record("model", name, path, 0, received=None)
    if expected is None:
        if grading():
            return
        raise CheckFailed(f"check_saved_model({name!r}, {path!r}) is a hidden test: it runs when your work is graded.")
    from .agreement import agreement_data, heldout_verdict

    spec = data.unpack(expected)
    try:
        with np.load(path, allow_pickle=False) as saved:
            params = {key: saved[key] for key in saved.files}
    except (OSError, ValueError) as error:
        raise CheckFailed(
            f"{path} could not be read ({error}): run the training cell, which saves it, "
            "and hand the file in with the notebook."
        ) from None
    x, y = agreement_data(spec["k"], spec["size"], seed=tuple(spec["seed"]))
    right = int(np.sum((np.asarray(model_forward(x, params)[0]) > 0) == y))
    passed, message = heldout_verdict(right, spec["size"], spec["k"], spec["min_accuracy"])
    if not passed:
        raise CheckFailed(message)
