"""A shape that is not a shape: (3.9, 7.99) was accepted as (3, 7).

student_kit.values.mismatch compares a shape result as `tuple(int(size) for size in received)`;
int() cuts the fraction, so any sizes within +1 above the right ones pass, in the notebook and in
the grader's verdict alike (checks.judge uses the same function; records carry numbers as floats).
A forget_weight_shape that returns `(n_units + 0.5, n_units + n_inputs + 0.5)` earns both of its
test cells, hidden included.
"""

import json

import pytest

from autograder import intake
from autograder.cells import Check
from autograder.checks import cases, judge
from student_kit.values import plain


@pytest.mark.parametrize("hidden", [False, True])
def test_a_shape_off_by_a_fraction_is_wrong(hidden):
    check = Check("random", "forget_weight_shape", 404, 10)
    expected = cases(check)[0].expected
    off = tuple(size + 0.9 for size in expected)
    line = {"kind": "random", "exercise": check.name, "key": check.key, "trial": 0, "received": plain(off)}
    record = intake.record(json.dumps(line).encode())  # as the grader reads it from the kernel
    assert judge(check, 0, record, hidden=hidden) is not None, f"{off} was accepted as the shape {expected}"
