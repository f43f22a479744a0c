"""The benchmark runs end to end on a tiny class (it prints; the numbers are not asserted)."""

import pytest
from conftest import release

from autograder import bench

pytestmark = pytest.mark.slow


def test_the_benchmark_runs_and_times_all_three(capsys, monkeypatch):
    # Its three courses (bench.course, released into nothing) get copies of the test process's one
    # release (conftest.release) instead of three releases of their own: the same files.
    made = bench.course
    monkeypatch.setattr(bench, "course", lambda root, ids, workers=None: release(made(root, [], workers), *ids))
    timings = bench.main(["--students", "2", "--assignments", "forget_gate", "--repeat", "1"])
    assert set(timings) == {"nbgrader autograde, sequential", "ours, 1 worker", "ours, 2 workers"}
    assert all(seconds > 0 for seconds in timings.values())
    printed = capsys.readouterr().out
    assert "speed-up of ours, 2 workers" in printed
    assert "ours: a fresh confined kernel" in printed  # the breakdown of where the time goes
