"""Where the course's files are, and the registry of its assignments: course/assignments.toml
lists them, in order; each has a folder assignments/<id>/ with its solution notebook and its
declarations (assignments/declare.py). Nothing else lists assignments.

    assignment("forget_gate").exercises      # its graded functions
    exercises()["forget_gate"]               # any graded function of the course, by name
    mistakes(), examples(), facts(), given() # the same, course-wide, each key declared once
"""

import functools
import importlib
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from assignments.declare import Exercise, Measured, Mistake, WorkedExample, listed, number

from .intake.names import nearest, shown

REPOSITORY = Path(__file__).resolve().parent.parent
COURSE = REPOSITORY / "course"
ASSIGNMENTS = REPOSITORY / "assignments"
NOTEBOOKS = REPOSITORY / "notebooks"  # where `release` puts what students get (built, git-ignored)
NBGRADER_CONFIG = COURSE / "nbgrader_config.py"
MANIFEST = COURSE / "assignments.toml"


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    points: float
    lectures: tuple[str, ...]
    objectives: tuple[str, ...]
    uses_torch: bool = False  # torch is importable in its grading kernels only if set
    student_files: tuple[str, ...] = ()  # files a student hands in beside the notebook (a saved model)

    @property
    def folder(self) -> Path:
        return ASSIGNMENTS / self.id

    @property
    def source_notebooks(self) -> list[Path]:
        """The instructor's notebooks (nbgrader source, with solutions and hidden tests)."""
        return sorted(self.folder.glob("*.ipynb"))

    def part(self, name: str) -> ModuleType | None:
        """The module assignments/<id>/<name>.py, or None if the assignment has none."""
        if not (self.folder / f"{name}.py").exists():
            return None
        return importlib.import_module(f"assignments.{self.id}.{name}")

    def _declared(self, module: str, name: str, default: Any, optional: bool = False) -> Any:
        """`name` of assignments/<id>/<module>.py; `default` without that module (or name, if optional)."""
        part = self.part(module)
        if part is None:
            return default
        return getattr(part, name, default) if optional else getattr(part, name)

    @property
    def exercises(self) -> list[Exercise]:
        return list(self._declared("exercises", "EXERCISES", []))

    @property
    def mistakes(self) -> list[Mistake]:
        return list(self._declared("mistakes", "CATALOGUE", []))

    @property
    def right_answers(self) -> list[tuple[str, Callable[..., Any]]]:
        """(exercise, a right answer written otherwise): no mistake may be named for it."""
        catalogue = self._declared("mistakes", "CATALOGUE", None)
        return [] if catalogue is None else list(catalogue.right_answers)

    @property
    def examples(self) -> list[WorkedExample]:
        return list(self._declared("examples", "EXAMPLES", []))

    @property
    def facts(self) -> dict[str, Callable[[], str]]:
        declared = self._declared("facts", "FACTS", None)
        return {} if declared is None else dict(declared.functions)

    @property
    def given(self) -> dict[str, Callable[[], Any]]:
        declared = self._declared("given", "GIVEN", None)
        return {} if declared is None else dict(declared.functions)

    @property
    def measured(self) -> Measured | None:
        return self._declared("measure", "MEASURED", None)

    @property
    def handed_in(self) -> dict[str, Callable[[], bytes]]:
        """{file name: the bytes a right solution hands in beside the notebook} (student_files)."""
        return dict(self._declared("exercises", "HANDED_IN", {}, optional=True))


@functools.cache
def assignments() -> list[Assignment]:
    """The course's assignments, in order."""
    with open(MANIFEST, "rb") as f:
        entries = tomllib.load(f)["assignment"]
    return [
        Assignment(
            id=e["id"],
            title=e["title"],
            points=e["points"],
            lectures=tuple(e["lectures"]),
            objectives=tuple(e["objectives"]),
            uses_torch=e.get("uses_torch", False),
            student_files=tuple(e.get("student_files", ())),
        )
        for e in entries
    ]


def assignment(assignment_id: str) -> Assignment:
    for a in assignments():
        if a.id == assignment_id:
            return a
    raise SystemExit(unknown_assignment(assignment_id))


def unknown_assignment(name: str) -> str:
    """What to say of an assignment id the course does not have: the nearest one, and every one."""
    known = [a.id for a in assignments()]
    guess = nearest(name, known)
    return (
        f"No assignment named {shown(name)!r} in {MANIFEST.relative_to(REPOSITORY)}"
        + (f"; did you mean {guess}?" if guess else ".")
        + f" The course's assignments: {', '.join(known)}."
    )


def check_assignment_ids(names: Iterable[str]) -> None:
    """SystemExit, naming the nearest known id, if any of `names` is no assignment of the course:
    before a command writes anything."""
    known = {a.id for a in assignments()}
    for name in names:
        if name not in known:
            raise SystemExit(unknown_assignment(name))


def _once(what: str, entries: Iterable[tuple[str, str, Any]]) -> dict[str, Any]:
    """{key: value} from (assignment id, key, value); a key declared twice is an error that says where."""
    found, owner = {}, {}
    for assignment_id, key, value in entries:
        if key in found:
            raise ValueError(f"{what} {key!r} is declared by both {owner[key]} and {assignment_id}")
        found[key], owner[key] = value, assignment_id
    return found


@functools.cache
def exercises() -> dict[str, Exercise]:
    """Every graded function of the course, by name (a later notebook may check an earlier one's)."""
    return _once("the graded function", ((a.id, e.name, e) for a in assignments() for e in a.exercises))


@functools.cache
def mistakes() -> dict[str, Mistake]:
    """Every known mistake of the course, by key, in catalogue order."""
    return _once("the mistake", ((a.id, m.key, m) for a in assignments() for m in a.mistakes))


def mistakes_of(exercise_name: str) -> list[Mistake]:
    """The known mistakes of one graded function, in catalogue order."""
    return [entry for entry in mistakes().values() if entry.exercise == exercise_name]


@functools.cache
def examples() -> dict[str, WorkedExample]:
    """Every worked example of the lectures, by key, in the assignments' order."""
    return _once("the worked example", ((a.id, e.key, e) for a in assignments() for e in a.examples))


def errata() -> list[WorkedExample]:
    """The worked examples where the lecture's number is wrong."""
    return [example for example in examples().values() if not example.lecture_is_right]


@functools.cache
def facts() -> dict[str, Callable[[], str]]:
    """Every fact a notebook's text may state: the assignments' own, and for each worked example
    {{ lecture__<key> }} (what the lecture prints), {{ exact__<key> }} and {{ input__<key>__<argument> }}."""
    declared = [(a.id, name, function) for a in assignments() for name, function in a.facts.items()]
    for example in examples().values():
        name = example.key.replace("-", "_")
        values = {f"lecture__{name}": example.stated, f"exact__{name}": example.exact}
        values |= {f"input__{name}__{argument}": value for argument, value in example.inputs.items()}
        for fact_name, value in values.items():
            text = _as_text(value)
            if text is not None:
                declared.append((f"the example {example.key}", fact_name, lambda text=text: text))
    return _once("the fact", declared)


def _as_text(value: Any) -> str | None:
    """A lecture's number as text: [-6, 175, 133], 15, (3, 7); None if it is not a number."""
    if isinstance(value, tuple) and all(isinstance(v, int | np.integer) for v in value):
        return f"({', '.join(map(str, value))})"
    if isinstance(value, int | float | np.integer | np.floating):
        return number(value)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return listed(value, ".6g")
    return None


@functools.cache
def given() -> dict[str, Callable[[], Any]]:
    """Every piece of data a notebook may read with given("key")."""
    return _once("the given data", ((a.id, key, f) for a in assignments() for key, f in a.given.items()))
