"""Credit for code that computes nothing: answers looked up in the released data.

A released folder holds, by design, what its visible checks compare with: course_data.json has
each worked example's inputs and right result (`examples[key]["exact"]`) and each visible random
check's inputs and right results (`checks["random/<exercise>/<seed>/<trials>"]["trials"]`). The
grader judges the visible test cells on exactly those inputs (checks.cases), so a function that
returns the stored right answer when its arguments equal stored inputs, and zeros otherwise, passes
every visible test cell. In forget_gate these are half the points: tried for real, a notebook
with no arithmetic at all scored 6 of 12 (every *_lecture cell full, every *_hidden cell 0).

The README says the checks prevent false credit for wrong code; they do so only for the hidden
half. A fix would judge a visible cell's function also on inputs the student never saw (the
grader draws them, as for hidden tests), or give visible cells no points.
"""

import pytest

from autograder import samples
from hostile.redteam import autograde, rows

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


@pytest.mark.xfail(strict=True, reason="visible test cells are judged on the inputs whose answers are released")
def test_answers_looked_up_in_the_released_data_earn_nothing(fresh_course, tmp_path):
    inbox = tmp_path / "inbox"
    samples.write_submission(looking_up(fresh_course.release_directory), inbox, "lookup", "forget_gate")
    run = autograde(fresh_course, inbox)
    assert run.returncode == 0, run.stderr[-3000:]
    row = rows(fresh_course)["lookup"]
    assert row["forget_gate_hidden"] == 0  # the lookup is no implementation (the attack ran)
    assert row["score"] == 0, {k: v for k, v in row.items() if k.endswith(("_lecture", "score"))}
