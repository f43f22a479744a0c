"""The measurements the notebooks quote are kept data (each assignment's measured.json), taken by
`python -m autograder measure`: release reads them and never measures, a fresh measurement agrees
with the kept one within the tolerance its measure.py declares, and a hand edit does not."""

import copy

import numpy as np
import pytest

from autograder.course import assignments, facts, given
from autograder.measure import differences

MEASURED = [a.measured for a in assignments() if a.measured is not None]


def test_every_measurement_is_kept():
    assert MEASURED, "no assignment measures anything"
    for measured in MEASURED:
        assert set(measured.kept) == set(measured.measurements), measured.path


def test_release_and_the_text_read_the_kept_data_and_measure_nothing(monkeypatch):
    """Release renders every fact and builds every data file without taking a measurement."""
    from autograder.release import course_data

    def refuse():
        raise AssertionError("release measured something: it must read measured.json")

    for measured in MEASURED:
        for key, measurement in measured.measurements.items():
            monkeypatch.setitem(
                measured.measurements,
                key,
                measurement.__class__(key, refuse, measurement.rtol, measurement.atol, measurement.timed),
            )
    for name, fact in facts().items():
        assert fact(), name
    for key, data in given().items():
        assert data() is not None, key
    for assignment in assignments():
        course_data(assignment.id)


def _edited(kept, path, change):
    """A copy of the kept data with one value at `path` (keys and indices) changed by `change`."""
    edited = copy.deepcopy(kept)
    holder = edited
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = change(holder[path[-1]])
    return edited


@pytest.mark.parametrize(
    "path, change",
    [
        (("gradient-by-lag", "LSTM", 10), lambda v: v * 1.001),  # a tenth of a percent: beyond rtol 1e-4
        (("memory-span", "long", "RNN lag 50"), lambda v: v - 0.1),  # ten percent points: beyond atol 0.02
        (("initial-forget-gates", "LSTM b_f=3"), lambda v: round(v, 2)),  # what the text shows, not what was measured
    ],
)
def test_a_hand_edit_of_the_vanishing_measurements_is_caught(path, change):
    measured = next(a.measured for a in assignments() if a.id == "vanishing_gradients")
    kept = measured.kept
    if isinstance(kept[path[0]], dict) and isinstance(path[-1], int):
        kept = {**kept, path[0]: {k: np.array(v) for k, v in kept[path[0]].items()}}
    edited = _edited(kept, path, change)
    assert differences(measured, kept, kept) == []
    assert differences(measured, kept, edited), f"editing {path} went unnoticed"


def test_a_timing_is_this_machines_and_only_checked_to_be_a_time():
    measured = next(a.measured for a in assignments() if a.id == "gru")
    kept = measured.kept
    slower = copy.deepcopy(kept)
    slower["gru-lstm-table"][0]["lstm_seconds"] *= 3
    assert differences(measured, kept, slower) == []
    miscounted = copy.deepcopy(kept)
    miscounted["gru-lstm-table"][0]["gru_params"] += 1
    assert differences(measured, kept, miscounted)


@pytest.mark.slow
@pytest.mark.parametrize("measured", MEASURED, ids=lambda m: m.path.parent.name)
def test_the_kept_measurements_are_what_measuring_again_gives(measured):
    """The committed numbers are a measurement of this code, not a hand edit (about a minute)."""
    assert differences(measured, measured.kept, measured.measure()) == []
