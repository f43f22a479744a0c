"""What an assignment declares. Each kind of declaration lives in a module of its own in the
assignment's folder, assignments/<id>/, and each is optional:

    exercises.py   EXERCISES  its graded functions: the right answer (from lstm_ref) and the
                              random inputs of the checks; HANDED_IN, the files a right
                              solution hands in beside the notebook (course/assignments.toml's
                              student_files), for the demo and the tests
    mistakes.py    CATALOGUE  known wrong answers: each the whole function a student wrote, with
                              the sentence that names the mistake
    examples.py    EXAMPLES   the lectures' worked examples and errata
    facts.py       FACTS      the numbers the notebook's text states ({{ name }} in markdown)
    given.py       GIVEN      data the notebook's code reads with given("key")
    measure.py     MEASURED   measurements that need PyTorch or take seconds, kept in
                              measured.json beside it (`python -m autograder measure`)

autograder/course.py finds the folders from course/assignments.toml and reads these names.
"""

import ast
import inspect
import json
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from student_kit import data

from .lectures import LECTURES, lecture_title

# -- graded functions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    """Where every value of a result lies for any input, by its formula: a result outside is
    impossible, and the checks say so. `why` says why in one clause, `producers` what gives such
    values (tests/test_messages.py makes each producer it names give them)."""

    low: float
    high: float
    why: str
    producers: str

    def describe(self) -> dict:
        return dict(low=self.low, high=self.high, why=self.why, producers=self.producers)


# A gate, or σ itself.
GATE_RANGE = Range(
    0.0,
    1.0,
    why="σ(z) = 1 / (1 + e^(-z)) lies between 0 and 1 for every z",
    producers="np.tanh in place of σ gives values down to -1, and a missing σ any value",
)
# A tanh: the candidate C~_t, the GRU's h~_t.
TANH_RANGE = Range(
    -1.0,
    1.0,
    why="tanh(z) lies between -1 and 1 for every z",
    producers="np.tan in place of np.tanh gives values beyond ±1, and a missing tanh any value",
)
# h_t = o_t ⊙ tanh(C_t).
HIDDEN_RANGE = Range(
    -1.0,
    1.0,
    why="h_t = o_t ⊙ tanh(C_t) with 0 < o_t < 1 and -1 < tanh(C_t) < 1",
    producers="np.tan in place of np.tanh gives values beyond ±1, and C_t in place of tanh(C_t) any value",
)


def split_top_level(text: str) -> list[str]:
    """'dx_t, dh_{t-1}, (a, b)' -> ['dx_t', 'dh_{t-1}', '(a, b)']: commas outside brackets."""
    parts, depth, current = [], 0, ""
    for character in text:
        depth += character in "([{"
        depth -= character in ")]}"
        if character == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += character
    return parts + [current.strip()]


@dataclass(frozen=True)
class Exercise:
    """A function the student writes, checked by check_example / check_random."""

    name: str  # the function the student writes
    arguments: tuple[str, ...]  # its arguments, in the lectures' notation
    output: str  # what it returns, in the lectures' notation: "(h_t, C_t)" for several results
    reference: Callable[..., Any]  # the right answer, from lstm_ref
    random_inputs: Callable[[np.random.Generator], tuple]  # rng -> one tuple of arguments
    # Where each result lies by its formula (one Range or None per result, in order): a result
    # outside is impossible, and the checks say so.
    ranges: tuple[Range | None, ...] = ()

    @property
    def call(self) -> str:
        return f"{self.name}({', '.join(self.arguments)})"

    @property
    def results(self) -> tuple[str, ...]:
        """The names of what it returns: ("h_t", "C_t") for "(h_t, C_t)", ("f_t",) for "f_t",
        ("h_t",) for "h_t = o_t * tanh(C_t)"."""
        output = self.output.strip()
        if output.startswith("(") and output.endswith(")") and len(split_top_level(output[1:-1])) > 1:
            return tuple(split_top_level(output[1:-1]))
        return (output.split(" = ")[0],)

    def describe(self) -> dict:
        """What the checks need to say which result is wrong and which is impossible (plain data)."""
        ranges = list(self.ranges) + [None] * (len(self.results) - len(self.ranges))
        return dict(
            arguments=list(self.arguments),
            output=self.output,
            results=list(self.results),
            ranges=[None if r is None else r.describe() for r in ranges],
        )


# -- known mistakes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer. `wrong` computes it from the graded function's arguments, so that a
    student's result can be compared with it on the very inputs of a failing check; `says` names
    it in one sentence, in the lectures' notation; `lecture` and `where` say where to look.

    `made_in` is the function the student got wrong when it is not `wrong` itself: a mistake in
    one LSTM step, seen through the whole sequence. The mutation tests put its source in place
    of the solution's function of that name and grade the notebook."""

    key: str  # unique, "<exercise>/<mistake>"
    exercise: str  # the graded function it applies to
    wrong: Callable[..., Any]  # the exercise's arguments -> the wrong answer (or raises as the mistake does)
    says: str  # one sentence, in the lectures' notation
    lecture: str  # "000" .. "004", see assignments/lectures.py
    where: str  # the slide or step, in words a student can find
    made_in: Callable[..., Any] | None = None

    @property
    def hint(self) -> str:
        return (
            f"Likely mistake: {self.says} See lecture {self.lecture} (“{lecture_title(self.lecture)}”), {self.where}."
        )

    @property
    def function(self) -> Callable[..., Any]:
        """The function a student wrote with this mistake."""
        return self.made_in or self.wrong

    @property
    def source(self) -> str:
        """That function's code as a student writes it: from its `def` line, decorators dropped."""
        return function_source(self.function)


def function_source(function: Callable[..., Any]) -> str:
    """A module-level function's source from its `def` line (no decorators), dedented."""
    source = textwrap.dedent(inspect.getsource(function))
    node = ast.parse(source).body[0]
    lines = source.splitlines()
    return "\n".join(lines[node.lineno - 1 : node.end_lineno]) + "\n"


class Catalogue:
    """An assignment's known mistakes, in the order they are written. Each is the whole wrong
    function, named as the graded function it gets wrong:

        CATALOGUE = Catalogue(globals())

        @CATALOGUE.mistake("no-bias", lecture="002", where=STEP_1,
                           says="you left out the bias b_f: f_t = σ(W_f · [h_{t-1}, x_t] + b_f).")
        def forget_gate(W_f, h_prev, x_t, b_f):
            return sigmoid(W_f @ np.concatenate([h_prev, x_t]))

    A mistake leaves the module's own binding of its name alone (the right function, imported
    from lstm_ref at the top): the names a wrong function calls are the right functions, as a
    student's other functions are in the notebook.

    `@CATALOGUE.right` marks a right answer written otherwise (a loop, einsum, W h + U x): no
    mistake may ever be named for it (tests/test_misconceptions.py).
    """

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self.entries: list[Mistake] = []
        self.right_answers: list[tuple[str, Callable[..., Any]]] = []  # (exercise, function)

    def mistake(self, name: str, *, says: str, lecture: str, where: str) -> Callable:
        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self.add(
                Mistake(
                    key=f"{function.__name__}/{name}",
                    exercise=function.__name__,
                    wrong=function,
                    says=says,
                    lecture=lecture,
                    where=where,
                )
            )
            return self.namespace.get(function.__name__, function)

        return register

    def right(self, function: Callable[..., Any]) -> Callable[..., Any]:
        self.right_answers.append((function.__name__, function))
        return self.namespace.get(function.__name__, function)

    def add(self, entry: Mistake) -> Mistake:
        self.entries.append(entry)
        return entry

    def __iter__(self) -> Iterator[Mistake]:
        return iter(self.entries)


# -- worked examples ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkedExample:
    """A lecture's numbers: the inputs, what the lecture states, and the exact value computed by
    lstm_ref. Where they differ, `erratum` says how and why."""

    key: str  # "<lecture>-<what>", unique
    lecture: str  # "000" .. "004", see assignments/lectures.py
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
    # The inputs are the course's own, in the lecture's setting (the lecture prints none, or the
    # numbers are the course's measurements): messages say "the course's example for lecture NNN".
    course_inputs: bool = False

    @property
    def lecture_file(self) -> str:
        return LECTURES[self.lecture]

    @property
    def lecture_is_right(self) -> bool:
        return self.erratum is None


def vector(*values: float) -> np.ndarray:
    """A float64 numpy vector of the lecture's numbers."""
    return np.array(values, dtype=np.float64)


def shown_decimals(number: float) -> int:
    """How many decimals a lecture's number shows: 0.9999 -> 4, 0.76 -> 2, 5 -> 0."""
    text = repr(float(number))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


def right_to_shown_digits(stated, exact) -> bool:
    """True if every stated number is within one unit of its last shown digit of the exact
    value, cut or rounded (0.9999 for 0.999988 is right; 0.495 for 0.499994 is not)."""
    stated, exact = np.asarray(stated, dtype=np.float64), np.asarray(exact, dtype=np.float64)
    if stated.shape != exact.shape:
        return False
    return all(abs(s - e) < 10.0 ** -shown_decimals(s) for s, e in zip(stated.ravel(), exact.ravel(), strict=True))


def how_shown(stated, exact) -> list[str]:
    """For each number a lecture prints, how it stands to the exact value at the decimals it shows:
    "rounded" (0.9993 for 0.999329), "cut" (cut towards zero but not rounded: 0.99 for 0.999329,
    which rounds to 1.00) or "wrong" (neither: 0.495 for 0.499994). The words the course uses
    for a lecture's number come from here: a cut is never called a rounding."""
    words = []
    for s, e in zip(np.ravel(stated).astype(float), np.ravel(exact).astype(float), strict=True):
        decimals = shown_decimals(s)
        scale = 10.0**decimals
        if round(e, decimals) == s:  # Python's round on the float64 value, as a reader rounds
            words.append("rounded")
        elif np.trunc(e * scale) / scale == s:
            words.append("cut")
        else:
            words.append("wrong")
    return words


# -- text and data -------------------------------------------------------------------------------


def listed(values, spec: str = "g") -> str:
    """[v1, v2, ...] with each value formatted by `spec`: listed([-6., 175., 133.]) == '[-6, 175, 133]'."""
    return "[" + ", ".join(format(float(value), spec) for value in np.ravel(values)) + "]"


def number(value: float, digits: int = 6) -> str:
    """A number with `digits` significant digits, no trailing zeros: 0.0024726, 175, 0.75."""
    return format(float(value), f".{digits}g")


def sci(value: float, digits: int = 2) -> str:
    """A number in LaTeX's scientific notation, for inside $...$: 1.7 \\times 10^{-58}."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def percent(fraction: float) -> str:
    return f"{100 * fraction:.0f}%"


class Facts:
    """Numbers a notebook's text states, computed here, never typed: {{ name }} in a markdown
    cell of the solution becomes FACTS[name]() in what students receive.

        FACTS = Facts()

        @FACTS
        def sigma_minus_6():
            return f"{sigmoid(-6.0):.6f}"
    """

    def __init__(self) -> None:
        self.functions: dict[str, Callable[[], str]] = {}

    def __call__(self, function: Callable[[], str]) -> Callable[[], str]:
        return self.add(function.__name__, function)

    def add(self, name: str, function: Callable[[], str]) -> Callable[[], str]:
        if name in self.functions:
            raise ValueError(f"the fact {name!r} is declared twice")
        self.functions[name] = function
        return function


class Given:
    """Data a notebook's code reads with given("key"), computed when the course is released
    (student_kit.display.given reads it from course_data.json).

        GIVEN = Given()

        @GIVEN("001-sentence")
        def lecture_001_sentence():
            return dict(...)
    """

    def __init__(self) -> None:
        self.functions: dict[str, Callable[[], Any]] = {}

    def __call__(self, key: str) -> Callable:
        def register(function: Callable[[], Any]) -> Callable[[], Any]:
            if key in self.functions:
                raise ValueError(f"the given data {key!r} is declared twice")
            self.functions[key] = function
            return function

        return register


@dataclass(frozen=True)
class Measurement:
    """How to measure one thing, and how a fresh measurement is compared with the kept one.

    A measurement on another CPU differs in its last bits (BLAS and PyTorch pick other kernels),
    so numbers agree within rtol/atol; `timed` fields (seconds) are this machine's and only
    checked to be positive numbers."""

    key: str
    function: Callable[[], Any]
    rtol: float = 1e-9
    atol: float = 0.0
    timed: tuple[str, ...] = ()  # names of fields that are timings


class Measured:
    """Measurements that need PyTorch or take seconds: taken by `python -m autograder measure`
    and kept in measured.json beside the declaring module, committed; the facts, the given data
    and release read only that file, so the text states the same numbers on every machine.

        MEASURED = Measured(__file__)

        @MEASURED("gradient-by-lag", rtol=1e-4)
        def gradient_by_lag():
            ...

        MEASURED["gradient-by-lag"]   # the kept value
    """

    def __init__(self, module_file: str) -> None:
        self.path = Path(module_file).with_name("measured.json")
        self.measurements: dict[str, Measurement] = {}

    def __call__(self, key: str, *, rtol: float = 1e-9, atol: float = 0.0, timed: tuple[str, ...] = ()) -> Callable:
        def register(function: Callable[[], Any]) -> Callable[[], Any]:
            self.measurements[key] = Measurement(key, function, rtol, atol, timed)
            return function

        return register

    @cached_property
    def kept(self) -> dict[str, Any]:
        """Every kept measurement, decoded (numpy arrays, tuples)."""
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path} is missing: run `python -m autograder measure` and commit it")
        return data.decode(json.loads(self.path.read_text()))

    def __getitem__(self, key: str) -> Any:
        if key not in self.kept:
            raise KeyError(f"{self.path} has no measurement {key!r}: run `python -m autograder measure`")
        return self.kept[key]

    def measure(self, keys=None) -> dict[str, Any]:
        """Fresh measurements, {key: value}, of `keys` (default: all)."""
        return {key: m.function() for key, m in self.measurements.items() if keys is None or key in keys}

    def write(self, values: dict[str, Any]) -> Path:
        """Keep `values` in measured.json, in the order they are declared, one number per line, so
        that a change reads as a diff."""
        ordered = {key: values[key] for key in self.measurements if key in values}
        self.path.write_text(json.dumps(data.encode(ordered), indent=1, ensure_ascii=False) + "\n")
        self.__dict__.pop("kept", None)
        return self.path


# -- claims ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One sentence a student or instructor reads that states a number, a comparison, a cause or
    what a lecture says, and the computation that proves it. tests/test_claims.py runs `check`
    (an AssertionError means the sentence became false) and finds `says` in the text at `where`:

        "intro"                a markdown cell of the assignment's notebook, by grade_id
        "intro#"               the comments of that code cell that students see
        "erratum:<key>"        a worked example's erratum; "note:<key>" its note
        "hint:<mistake key>"   a catalogue entry's sentence (a glob: "hint:*/x-before-h")
        "objective"            the assignment's learning objectives (course/assignments.toml)
        "readme", "kit:<module>", "errata page"   the course-wide texts (assignments/course_claims.py)

    `says` is a piece of the sentence, as written in the source ({{ placeholders }} kept), spaces
    and line breaks aside. A sentence the scan flags (a number, a comparison, a cause, a lecture)
    must hold the `says` of some claim of its place."""

    where: str
    says: str
    kind: str  # "number", "comparison", "rounding", "cause", "lecture", "citation" (a published source:
    # its check tests what the course does with it) or "not a claim"
    check: Callable[[], Any]
    lectures: tuple[str, ...] = ()  # the lectures the check reads (skipped where they are missing)


KINDS = ("number", "comparison", "rounding", "cause", "lecture", "citation", "not a claim")


class Claims:
    """An assignment's claims (assignments/<id>/claims.py), each tied to its check:

    CLAIMS = Claims()

    @CLAIMS("autograd_reading", "nearly as soon", "comparison")
    def lstm_vanishes_nearly_as_soon_as_rnn():
        assert lag_below("RNN") < lag_below("LSTM") <= 1.5 * lag_below("RNN")

    CLAIMS.lecture("intro", "Lecture 001 calls it a notebook", {"001": ["Notebook = Cell State"]})
    CLAIMS.not_a_claim("errata_md", "Where the lectures are wrong", "a heading")
    """

    def __init__(self) -> None:
        self.entries: list[Claim] = []

    def __call__(self, where: str, says: str, kind: str, lectures: tuple[str, ...] = ()) -> Callable:
        def register(check: Callable[[], Any]) -> Callable[[], Any]:
            self.add(Claim(where, says, kind, check, tuple(lectures)))
            return check

        return register

    def add(self, claim: Claim) -> Claim:
        if claim.kind not in KINDS:
            raise ValueError(f"claim {claim.says!r}: kind {claim.kind!r} is none of {KINDS}")
        self.entries.append(claim)
        return claim

    def lecture(self, where: str, says: str, words: dict[str, list[str]], kind: str = "lecture") -> Claim:
        """A sentence about what lectures write, proved by their own words: {lecture: [phrases]},
        each found in that lecture's text (bold, math delimiters and line breaks aside)."""
        from .lectures import lecture_says

        def check():
            for lecture, phrases in words.items():
                for phrase in phrases:
                    assert lecture_says(lecture, phrase), f"lecture {lecture} does not write {phrase!r}"

        return self.add(Claim(where, says, kind, check, tuple(words)))

    def not_a_claim(self, where: str, says: str, why: str) -> Claim:
        """A sentence the scan flags that states nothing to check (a heading, an instruction); `why` says so."""
        if not why:
            raise ValueError(f"{says!r}: say why it is not a claim")
        return self.add(Claim(where, says, "not a claim", lambda: None))

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.entries)
