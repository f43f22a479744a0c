"""What a failing check says, in the lectures' notation. Written here once, and used both in the
student's notebook (from the stored data) and by the grader for the hidden tests (from the
course's reference implementation), so a student reads the same kind of message in both. A
hidden test's message (on_hidden, hidden_wrong, hidden_raised) says what was wrong on which
kind of input, and names the known mistake; it shows no seed, no value and nothing the
student's code wrote.

    forget_gate(W_f, h_{t-1}, x_t, b_f) on lecture 004's example ("Forget Gate"), f_t = ...:
      expected [0.002473, 1.      , 1.      ]
      received [-0.999988,  1.      ,  1.      ]
    Likely mistake: you used tanh where the gate needs sigma ...
"""

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

# nbgrader validate cuts every line of an error at 87 characters, indent included.
WIDTH = 80


def wrap(text: str, bullet: str = "") -> str:
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=bullet,
        subsequent_indent=" " * len(bullet),
        break_long_words=False,
        break_on_hyphens=False,
    )


def call(name: str, arguments: Sequence[str]) -> str:
    """forget_gate(W_f, h_{t-1}, x_t, b_f)"""
    return f"{name}({', '.join(arguments)})"


def hints(texts: Iterable[str]) -> str:
    """The known mistakes a wrong result matches: '' if none, else one 'Likely mistake' each."""
    texts = list(dict.fromkeys(texts))
    if not texts:
        return ""
    if len(texts) == 1:
        return "\n" + wrap(texts[0])
    lines = [f"\nThese inputs cannot tell {len(texts)} known mistakes apart; it is one of:"]
    return "\n".join(lines + [wrap(text, bullet="- ") for text in texts])


def describe_inputs(labels: Sequence[str], arguments: Sequence) -> str:
    """'W_f shape (3, 7), h_{t-1} shape (3,), ...': sizes, not the numbers of random inputs."""
    parts = []
    for label, value in zip(labels, arguments):
        if isinstance(value, dict):  # parameters: their shapes
            shapes = ", ".join(f"{key} {np.shape(array)}" for key, array in value.items())
            parts.append(f"{label} {{{shapes}}}")
        else:
            parts.append(f"{label} shape {np.shape(value)}" if np.ndim(value) else f"{label} = {value!r}")
    return ", ".join(parts)


def on_example(the_call: str, example: dict) -> str:
    """Where a lecture-example check ran: 'forget_gate(...) on lecture 004's example (...), f_t'."""
    if example.get("lecture") and example.get("course_inputs"):
        return (
            f"{the_call} on the course's example for lecture {example['lecture']} ({example['where']}), "
            f"{example['what']}"
        )
    if example.get("lecture"):
        return f"{the_call} on lecture {example['lecture']}'s example ({example['where']}), {example['what']}"
    return f"{the_call} on the course's example ({example['where']}), {example['what']}"


def on_random(the_call: str, labels: Sequence[str], arguments: Sequence) -> str:
    return f"{the_call} on random inputs ({describe_inputs(labels, arguments)})"


def describe_kinds(labels, arguments):
    """'W_f shape (3, 7), n_h a number': what a hidden test's inputs are, never their values."""
    parts = []
    for label, value in zip(labels, arguments):
        try:
            if isinstance(value, dict):
                shapes = ", ".join(f"{key} {np.shape(array)}" for key, array in value.items())
                parts.append(f"{label} {{{shapes}}}")
            else:
                parts.append(f"{label} shape {np.shape(value)}" if np.ndim(value) else f"{label} a number")
        except ValueError:  # ragged: a list of arrays
            parts.append(f"{label} a list")
    return ", ".join(parts)


def on_hidden(the_call, labels, arguments):
    """Where a hidden test ran, as its message says it: no seed, no call of the test, no numbers."""
    return f"A hidden test: {the_call} on random inputs ({describe_kinds(labels, arguments)})"


def hidden_wrong(where, what, mistake_hints=()):
    """A hidden test's message: what was wrong (values.what_differs), and the known mistakes."""
    return f"{where}: {what.rstrip('.')}." + hints(mistake_hints)


def hidden_raised(where, type_name, mistake_hints=()):
    """A hidden test's message when the function raised: the kind of error, not its text."""
    return f"{where}: raised {type_name}." + hints(mistake_hints)


def wrong_result(where: str, problem: str, mistake_hints: Iterable[str] = (), lecture_note: str | None = None) -> str:
    """The message of a check whose result is wrong."""
    return f"{where}:\n  {problem}" + (f"\n{lecture_note}" if lecture_note else "") + hints(mistake_hints)


def impossible_value(name: str, value_range: dict, example: float | None = None) -> str:
    """Why a result outside its range cannot be right, and what gives such values; with the
    student's value as an example (a visible check), or without (a hidden one shows no value)."""
    span = f"({value_range['low']:g}, {value_range['high']:g})"
    if example is None:
        said = f"some impossible for {name}, outside {span}"
    else:
        said = f"{example:.6g} is impossible for {name}"
    return wrap(f"{said}: {value_range['why']}; {value_range['producers']}.")


def reproduced_lecture(example: dict) -> str:
    """What to say to a student whose result is the lecture's own number: the erratum where the
    lecture is wrong, what its shorter number hides where it is not (a rounding or a cut, as the
    note says); None if the lecture printed no number or nothing is worth saying."""
    if example.get("erratum"):
        return f"You reproduced the lecture's own number, and the lecture is wrong here. {example['erratum']}"
    if example.get("note"):
        return (
            f"You reproduced the lecture's own number, which shows fewer digits than the exact value; "
            f"the test expects the exact value. {example['note']}"
        )
    return None


def not_written(the_call: str, culprit: str | None = None) -> str:
    if culprit:
        return (
            f"{the_call} stopped at `raise NotImplementedError()` in {culprit}: "
            f"write {culprit} first (run its cell again after you do)."
        )
    return f"{the_call} is not written yet (it raises NotImplementedError)."


def raised(where: str, type_name: str, message: Any, mistake_hints: Iterable[str] = ()) -> str:
    return f"{where} raised {type_name}: {message}" + hints(mistake_hints)


# -- what passed ----------------------------------------------------------------------------------
# An item of a passing check: ("example", lecture or None, the course's inputs), ("random", how
# many cases), ("hidden",).


def example_item(example: dict) -> tuple:
    return ("example", example.get("lecture"), bool(example.get("course_inputs")))


def random_item(count: int, hidden: bool = False) -> tuple:
    return ("hidden",) if hidden else ("random", int(count))


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def passed(exercise_name: str, items: Iterable[tuple]) -> str:
    """'forget_gate: lecture 004's example and 3 random cases pass.' for a function's passing checks."""
    examples, cases, hidden = {}, 0, False
    for item in items:
        if item[0] == "example":
            examples[item[1:]] = examples.get(item[1:], 0) + 1
        elif item[0] == "random":
            cases += item[1]
        else:
            hidden = True
    said = []
    for (lecture, *course), count in examples.items():
        kind = "example" if count == 1 else f"{count} examples"
        if lecture and course and course[0]:
            said.append(f"the course's {kind} for lecture {lecture}")
        else:
            said.append(f"lecture {lecture}'s {kind}" if lecture else f"the course's {kind}")
    if cases:
        said.append(f"{cases} random case" + ("s" if cases > 1 else ""))
    if hidden:
        said.append("the hidden tests")
    one = len(said) == 1 and (sum(examples.values()) == 1 or cases == 1)
    return f"{exercise_name}: {_listing(said)} {'passes' if one else 'pass'}."
