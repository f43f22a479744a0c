"""What a worked example is, and where the lectures are."""
from dataclasses import dataclass, field

import numpy as np

LECTURES = {
    "000": "000_298f21ba930f8b3f.txt",
    "001": "001_14b06fa645590694.txt",
    "002": "002_4a01faff3991aab9.txt",
    "003": "003_72ea76cf09365fbc.txt",
    "004": "004_1df4b6d6b3041740.txt",
}

# Each lecture's title as its first slide gives it: what a student can find, unlike a file name.
LECTURE_TITLES = {
    "000": "Topic 7b: Long Short-Term Memory (LSTM)",
    "001": "LSTM - Long Short-Term Memory: Solving the Vanishing Gradient Problem",
    "002": "Module 5: Long Short-Term Memory Networks (LSTM)",
    "003": "Long Short Term Memory(LSTM), Dr. Muhammad Safyan",
    "004": "LSTMs",
}


def lecture_title(lecture):
    return LECTURE_TITLES[lecture]


@dataclass(frozen=True)
class WorkedExample:
    key: str  # "<lecture>-<what>", unique
    lecture: str  # "000" .. "004", see LECTURES
    where: str  # the slide, in words a student can find
    what: str  # what is computed, in the lectures' notation
    inputs: dict  # argument name -> value, in the order the exercise's function takes them
    stated: object  # the lecture's own result, as printed there; None if it prints none
    exact: object  # computed by lstm_ref from `inputs`
    erratum: str | None = None  # where and why the lecture differs; None if it is right
    tolerance: float = 1e-6  # absolute tolerance when checking a student's result
    tags: tuple = field(default_factory=tuple)
    # The lecture prints rounded numbers: it is right if each is within one unit of its last
    # shown digit (see right_to_shown_digits), wrong only where it is not.
    rounded: bool = False
    # For a rounded number that is right: what the rounding hides (None: nothing worth saying).
    note: str | None = None

    @property
    def lecture_file(self):
        return LECTURES[self.lecture]

    @property
    def lecture_is_right(self):
        return self.erratum is None


def vector(*values):
    """A float64 numpy vector of the lecture's numbers."""
    return np.array(values, dtype=np.float64)


def shown_decimals(number):
    """How many decimals a lecture's number shows: 0.9999 -> 4, 0.76 -> 2, 5 -> 0."""
    text = repr(float(number))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


def right_to_shown_digits(stated, exact):
    """True if every stated number is within one unit of its last shown digit of the exact
    value, cut or rounded (0.9999 for 0.999988 is right; 0.495 for 0.499994 is not)."""
    stated, exact = np.asarray(stated, dtype=np.float64), np.asarray(exact, dtype=np.float64)
    if stated.shape != exact.shape:
        return False
    return all(abs(s - e) < 10.0 ** -shown_decimals(s) for s, e in zip(stated.ravel(), exact.ravel()))


def listed(values, spec="g"):
    """[v1, v2, ...] with each value formatted by `spec`: listed([-6., 175., 133.]) == '[-6, 175, 133]'."""
    return "[" + ", ".join(format(float(value), spec) for value in np.ravel(values)) + "]"
