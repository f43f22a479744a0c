"""Data the vanishing-gradients notebook's code reads with given("key"): PyTorch's measurements
(measure.py), which a student need not rerun."""

import numpy as np

from assignments.declare import Given

from .measure import GRADIENT_RUNS, MEASURED

GIVEN = Given()

MEMORY_LABELS = {"RNN": "RNN", "LSTM": "LSTM, default b_f", "LSTM b_f=3": "LSTM, b_f = 3", "GRU": "GRU"}


@GIVEN("gradient-by-lag")
def gradient_by_lag():
    """||dh_T/dh_{T-k}|| against the lag k at initialisation (32 units, autograd), per model."""
    norms = MEASURED["gradient-by-lag"]
    return [
        dict(kind=kind, forget_bias=forget_bias, norms=norms[run]) for run, (kind, forget_bias) in GRADIENT_RUNS.items()
    ]


@GIVEN("memory-span")
def memory_span():
    """Test accuracy of the first-bit task against the lag, per model."""
    measured = MEASURED["memory-span"]
    return dict(
        lags=tuple(measured["lags"]),
        accuracy={label: np.array(measured["short"][run]) for run, label in MEMORY_LABELS.items()},
    )
