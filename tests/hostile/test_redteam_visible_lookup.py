"""Credit for code that computes nothing: answers looked up in the released data.

A released folder holds, by design, what its visible checks compare with: course_data.json has
each worked example's inputs and right result (`examples[key]["exact"]`) and each visible random
check's inputs and right results (`checks["random/<exercise>/<seed>/<trials>"]["trials"]`), so
that a student sees at once whether they are right. A function that returns the stored right
answer when its arguments equal stored inputs, and zeros otherwise, passes every visible check.
Before the grader also asked a visible cell's functions to pass their hidden tests, a notebook
with no arithmetic at all scored 6 of forget_gate's 12 points this way (every *_lecture cell).

Here: the lookup earns nothing, and its feedback says why each visible cell scored zero; the
same grading keeps full marks for the solution (the honest case) and keeps a visible cell's
points where the function is right and only another function's hidden tests fail.
"""

import shutil

import nbformat
import pytest
from conftest import graded_cells

from autograder import gradebook, samples
from autograder.pipeline import CourseRun
from hostile.redteam import FORGET_GATE, autograde, rows

pytestmark = pytest.mark.slow

LOOKUP = '''
import numpy as _np
from student_kit import data as _data


def _same(a, b):
    try:
        return _np.shape(a) == _np.shape(b) and _np.array_equal(_np.asarray(a, float), _np.asarray(b, float))
    except Exception:
        return False


def _answer(name, args):
    """No math: the released right answer for exactly these inputs, else zeros."""
    found = _data.course_data()
    for key, check in found["checks"].items():
        kind, exercise = key.split("/")[:2]
        if exercise != name:
            continue
        if kind == "example":
            example = found["examples"][key.split("/")[2]]
            table = [(tuple(example["inputs"].values()), example["exact"])]
        else:
            table = [(tuple(trial["inputs"]), trial["expected"]) for trial in check["trials"]]
        for inputs, right in table:
            if len(inputs) == len(args) and all(_same(a, b) for a, b in zip(inputs, args)):
                return right
    return _np.zeros(3)
'''
FUNCTIONS = {
    "sigmoid": ("z",),
    "gate_preactivation": ("W", "h_prev", "x_t", "b"),
    "forget_gate": ("W_f", "h_prev", "x_t", "b_f"),
    "forget": ("f_t", "C_prev"),
    "forget_weight_shape": ("n_units", "n_inputs"),
}


def looking_up(release):
    notebook = samples.released("forget_gate", release)
    for name, arguments in FUNCTIONS.items():
        listed = ", ".join(arguments)
        source = f"def {name}({listed}):\n    return _answer({name!r}, ({listed},))\n"
        notebook = samples.set_cell(notebook, name, (LOOKUP if name == "sigmoid" else "") + source)
    return notebook


def partly_looked_up(release):
    """The solution, but forget_weight_shape looks its answer up: right on the visible check only."""
    source = (
        "def forget_weight_shape(n_units, n_inputs):\n    return _answer('forget_weight_shape', (n_units, n_inputs))\n"
    )
    return samples.set_cell(samples.solved("forget_gate", release), "forget_weight_shape", LOOKUP + source)


def failed_outputs(course, student):
    """{grade_id: the error text the graded notebook (and so the feedback) shows}."""
    (path,) = (course.root / "autograded" / student / FORGET_GATE).glob("*.ipynb")
    shown = {}
    for cell in nbformat.read(path, as_version=4).cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors:
            shown[cell.metadata.nbgrader.grade_id] = f"{errors[-1].ename}: {errors[-1].evalue}"
    return shown


@pytest.fixture(scope="module")
def graded(forget_gate_course, tmp_path_factory):
    """The lookup, the solution and the partial lookup, graded in one batch: (course, rows)."""
    top = tmp_path_factory.mktemp("lookup")
    shutil.copytree(forget_gate_course / "course", top / "course", symlinks=True)
    course = CourseRun(root=top / "course", release_directory=forget_gate_course / "release", timeout=10, workers=1)
    release = course.release_directory
    for student, notebook in {
        "lookup": looking_up(release),
        "right": samples.solved("forget_gate", release),
        "partial": partly_looked_up(release),
    }.items():
        samples.write_submission(notebook, top / "inbox", student, "forget_gate")
    run = autograde(course, top / "inbox")
    assert run.returncode == 0, run.stderr[-3000:]
    return course, rows(course)


def test_answers_looked_up_in_the_released_data_earn_nothing(graded):
    course, found = graded
    row = found["lookup"]
    assert row["forget_gate_hidden"] == 0  # the lookup is no implementation (the attack ran)
    assert row["score"] == 0, {k: v for k, v in row.items() if k.endswith(("_lecture", "score"))}
    shown = failed_outputs(course, "lookup")
    visible = [cell for cell in graded_cells(FORGET_GATE) if cell.endswith("_lecture")]
    assert visible
    for cell in visible:
        name = cell.removesuffix("_lecture")
        assert f"{name} passes the checks above but fails its hidden tests (cell {name}_hidden" in shown[cell], shown[
            cell
        ]


def test_the_solution_keeps_every_point(graded):
    course, found = graded
    points = graded_cells(FORGET_GATE)
    assert found["right"]["score"] == sum(points.values())
    assert not failed_outputs(course, "right")


def test_a_lookup_in_one_function_costs_that_functions_cells_only(graded):
    course, found = graded
    points = graded_cells(FORGET_GATE)
    lost = {cell for cell, full in points.items() if found["partial"][cell] < full}
    assert lost == {"forget_weight_shape_lecture", "forget_weight_shape_hidden"}, lost
    assert (
        "fails its hidden tests (cell forget_weight_shape_hidden"
        in failed_outputs(course, "partial")["forget_weight_shape_lecture"]
    )
    # the class report counts it as a cause of its own
    kept = gradebook.recorded_mistakes(course.db_url, FORGET_GATE)
    assert kept[("partial", "forget_weight_shape_lecture")] == [("hidden-failed", "")]
