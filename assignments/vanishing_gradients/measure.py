"""The vanishing-gradients notebook's measurements with PyTorch (student_kit/experiments.py, which a
student with PyTorch can rerun), kept in measured.json: taken by `python -m autograder measure`,
read by the facts and the given data.

On another CPU PyTorch initialises its float32 weights with other vector kernels, so the
gradient norms differ from these in the 7th digit (1.5e-6 at most, measured here with
ATEN_CPU_CAPABILITY=default): they are compared within rtol 1e-4, far finer than the two or three
digits the text quotes. The memory-span accuracies are fractions of 512 test sequences.
"""

import numpy as np

from assignments.declare import Measured
from lstm_ref import lstm
from lstm_ref.convert import lstm_params_from_torch
from student_kit import experiments

MEASURED = Measured(__file__)

# ||dh_T/dh_{T-k}|| at initialisation, by torch autograd: run -> (layer, b_f or None for PyTorch's)
GRADIENT_RUNS = {
    "RNN": ("RNN", None),
    "GRU": ("GRU", None),
    "LSTM": ("LSTM", None),
    "LSTM b_f=1": ("LSTM", 1.0),
    "LSTM b_f=3": ("LSTM", 3.0),
}
STEPS, UNITS, INPUTS = 100, 32, 8  # experiments.gradient_norm_by_lag's defaults, named for the text

# The memory-span experiment (experiments.memory_span): the runs the text and the table quote.
MEMORY_RUNS = {"RNN": ("RNN", None), "LSTM": ("LSTM", None), "LSTM b_f=3": ("LSTM", 3.0), "GRU": ("GRU", None)}
MEMORY_LAGS = (10, 20, 50, 100)
SHORT, LONG = 150, 500  # training batches: the notebook's budget, and a longer run
LONG_RUNS = (("RNN", 50), ("LSTM", 20))


@MEASURED("gradient-by-lag", rtol=1e-4)
def gradient_by_lag():
    """{run: norms for lag 1..99}, as section 5 of the notebook plots them."""
    return {
        run: experiments.gradient_norm_by_lag(kind, steps=STEPS, forget_bias=forget_bias)
        for run, (kind, forget_bias) in GRADIENT_RUNS.items()
    }


@MEASURED("initial-forget-gates", rtol=1e-6)
def initial_forget_gates():
    """{run: mean f_t over the 100 steps and 32 units} of the LSTM runs of section 5."""
    import torch

    # The inputs and layers of experiments.gradient_norm_by_lag (8 inputs, 32 units, 100 steps, seed 0).
    x = torch.randn(STEPS, 1, INPUTS, generator=torch.Generator().manual_seed(0), dtype=torch.float64).numpy()
    means = {}
    for run, (kind, forget_bias) in GRADIENT_RUNS.items():
        if kind != "LSTM":
            continue
        params = lstm_params_from_torch(experiments.recurrent_layer(kind, INPUTS, UNITS, forget_bias, seed=0))
        h, C, gates = np.zeros((1, UNITS)), np.zeros((1, UNITS)), []
        for x_t in x:
            (h, C), cache = lstm.lstm_cell_forward(x_t, h, C, params)
            gates.append(cache["f_t"])
        means[run] = float(np.mean(gates))
    return means


@MEASURED("memory-span", atol=0.02)
def memory_span():
    """Test accuracy (0.5 = chance) of each run on the first-bit task: at every lag of the table
    after SHORT training batches, and the LONG_RUNS after LONG batches."""

    def accuracy(run, lag, train_steps):
        kind, forget_bias = MEMORY_RUNS[run]
        return experiments.memory_span(kind, lag, train_steps=train_steps, forget_bias=forget_bias)

    return dict(
        lags=MEMORY_LAGS,
        short={run: [accuracy(run, lag, SHORT) for lag in MEMORY_LAGS] for run in MEMORY_RUNS},
        long={f"{run} lag {lag}": accuracy(run, lag, LONG) for run, lag in LONG_RUNS},
    )
