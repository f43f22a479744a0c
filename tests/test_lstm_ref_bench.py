"""python -m lstm_ref.bench's pieces run and time what they say (the numbers are not asserted)."""

import pytest

from assignments.bptt.agreement import SETTINGS
from lstm_ref import bench


@pytest.mark.slow  # torch's first Adam step imports much of torch: seconds
def test_every_measurement_runs_and_takes_time():
    timings = bench.bench(5, 2, 3, 4, repeats=1)
    assert set(timings) == {"numpy_forward", "torch_forward", "numpy_both", "torch_both"}
    assert all(seconds >= 0 for seconds in timings.values())
    assert all(seconds >= 0 for seconds in bench.bench_products(5, 2, 3, 4, repeats=1))
    sizes, numpy_step, torch_step = bench.bench_training_step(repeats=1)
    assert sizes == (17, SETTINGS.batch, 22, SETTINGS.n_hidden)  # the assignment's own sizes
    assert (bench.SETTINGS.batch, bench.SETTINGS.n_hidden, bench.SETTINGS.lr) == (
        SETTINGS.batch,
        SETTINGS.n_hidden,
        SETTINGS.lr,
    )
    assert numpy_step > 0 and torch_step > 0


def test_best_times_takes_the_fastest_of_interleaved_runs():
    calls = []
    best = bench.best_times({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, repeats=3)
    assert calls == ["a", "b"] + ["a", "b"] * 3  # warm-ups, then turns
    assert set(best) == {"a", "b"}
