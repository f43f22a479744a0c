"""`make test` passes on any x86-64 CPU. Float64 results of BLAS and of PyTorch's kernels differ
in their last bits from one CPU to the next, so nothing the suite compares with committed data may
depend on them. Here the same libraries are made to take other kernels, as another CPU would
(OpenBLAS's OPENBLAS_CORETYPE, PyTorch's ATEN_CPU_CAPABILITY, MKL's MKL_ENABLE_INSTRUCTIONS), in a
process of their own (tests/other_cpu.py), and the suite's comparisons still hold there:

- the committed measurements (assignments/<a>/measured.json) agree with measuring again, within
  each measurement's declared tolerance (autograder/measure.py);
- the course's pages (course/errata.md, course/syllabus.md) say the same under those kernels;
- release writes the same text, and data (course_data.json, the hidden tests' sealed results)
  that agree with this machine's to rtol 1e-9.

And so that the test has teeth: the kernels did run, and they did change last bits (measured
here: OpenBLAS's Prescott and Haswell kernels change thousands of numbers of the released data in
their 13th to 16th digit, PyTorch's default kernel the gradient norms in their 7th).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.course import assignments
from autograder.docs import PAGES
from autograder.measure import differences
from student_kit import data

pytestmark = pytest.mark.slow

PROBE = Path(__file__).with_name("other_cpu.py")
KERNELS = {
    "oldest": {"OPENBLAS_CORETYPE": "Prescott", "ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    "avx2": {"OPENBLAS_CORETYPE": "Haswell", "ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
}


@pytest.fixture(scope="module", params=KERNELS)
def other(request):
    """(the kernels asked for, what tests/other_cpu.py computed with them)."""
    env = dict(os.environ, **KERNELS[request.param])
    result = subprocess.run(
        [sys.executable, str(PROBE), "--measure"], env=env, capture_output=True, text=True, timeout=1200
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return KERNELS[request.param], json.loads(result.stdout)


@pytest.fixture(scope="module")
def here():
    """This process's own: its kernels and what release computes with them."""
    result = subprocess.run([sys.executable, str(PROBE)], capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_kept_measurements_agree_with_measuring_under_other_kernels(other):
    _, output = other
    for assignment in assignments():
        if assignment.measured is not None:
            fresh = data.decode(output["measured"][assignment.id])
            assert differences(assignment.measured, assignment.measured.kept, fresh) == [], assignment.id


def test_the_course_pages_say_the_same_under_other_kernels(other, here):
    _, output = other
    for path in PAGES:
        assert output["pages"][path.name] == here["pages"][path.name], f"{path.name} differs under other kernels"


def _numbers_agree(a, b, where, found, rtol=1e-9, atol=1e-12):
    """Walk two JSON values: numbers within rtol/atol, everything else equal; collect where not.
    Returns how many numbers differ in any bit (the kernels' trace)."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return sum(_numbers_agree(a[k], b[k], f"{where}/{k}", found, rtol, atol) for k in a)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return sum(_numbers_agree(x, y, f"{where}[{i}]", found, rtol, atol) for i, (x, y) in enumerate(zip(a, b)))
    if isinstance(a, float) and isinstance(b, float):
        if not np.isclose(a, b, rtol=rtol, atol=atol):
            found.append(f"{where}: {a!r} against {b!r}")
        return int(a != b)
    if a != b:
        found.append(f"{where}: {a!r} against {b!r}")
    return 0


def test_a_release_under_other_kernels_says_the_same(other, here):
    _, output = other
    bits, found = 0, []
    for assignment_id, release in output["release"].items():
        assert release["notebooks"] == here["release"][assignment_id]["notebooks"], (
            f"{assignment_id}: the released text differs under other kernels"
        )
        bits += _numbers_agree(
            release["course_data"], here["release"][assignment_id]["course_data"], assignment_id, found
        )
        bits += _numbers_agree(
            release["sealed"], here["release"][assignment_id]["sealed"], f"{assignment_id} hidden tests", found
        )
    assert found == [], found[:10]
    if output["kernels"]["openblas"] != here["kernels"]["openblas"]:
        assert bits > 0, "another OpenBLAS kernel changed no bit of the released data: did it run?"


def test_the_other_kernels_really_ran(other, here):
    asked, output = other
    # OpenBLAS takes the nearest kernel its build has (Prescott's is Katmai's in numpy's wheel).
    if asked["OPENBLAS_CORETYPE"] != here["kernels"]["openblas"]:
        assert output["kernels"]["openblas"] != here["kernels"]["openblas"], output["kernels"]
    assert output["kernels"]["torch"].lower() == asked["ATEN_CPU_CAPABILITY"], output["kernels"]
    if asked["ATEN_CPU_CAPABILITY"] == "default" and here["kernels"]["torch"] != "DEFAULT":
        # PyTorch's default kernels initialise the float32 weights in another order of operations:
        # the gradient norms, measured from them, differ from this machine's in their last digits.
        from assignments.vanishing_gradients.measure import gradient_by_lag

        ours, theirs = gradient_by_lag(), data.decode(output["measured"]["vanishing_gradients"])["gradient-by-lag"]
        assert any(not np.array_equal(ours[run], theirs[run]) for run in ours), (
            "PyTorch's default kernels changed no gradient norm: did they run?"
        )
