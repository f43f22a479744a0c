"""The GRU notebook's measurements with PyTorch, kept in measured.json (`python -m autograder
measure`): how far lstm_ref's two reset conventions are from torch.nn.GRU, and lecture 000's
GRU-vs-LSTM table, whose times per step are this machine's (timed: not compared elsewhere)."""

import numpy as np

from assignments.declare import Measured
from lstm_ref import gru
from lstm_ref.convert import gru_params_from_torch
from student_kit import experiments

MEASURED = Measured(__file__)

TABLE_SIZES = ((3, 4), (64, 32), (128, 64))  # (n units, m inputs)


@MEASURED("torch-gru-conventions", rtol=1e-9, atol=1e-12)
def torch_gru_conventions():
    """The largest difference from torch.nn.GRU after 5 steps, in PyTorch's and in the lecture's
    reset convention (same weights, b_hn dropped for the lecture's): the gru notebook's section 6,
    seeded as there."""
    import torch

    torch.manual_seed(0)
    layer = torch.nn.GRU(input_size=4, hidden_size=3, dtype=torch.float64)
    params = gru_params_from_torch(layer)
    x = torch.randn(5, 1, 4, dtype=torch.float64)
    with torch.no_grad():
        torch_h = layer(x)[0][-1, 0].numpy()
    lecture_params = {k: v for k, v in params.items() if k != "b_hn"}
    h = {"torch": np.zeros(3), "lecture": np.zeros(3)}
    for t in range(5):
        h["torch"], _ = gru.gru_cell_forward(x[t, 0].numpy(), h["torch"], params, convention="torch")
        h["lecture"], _ = gru.gru_cell_forward(x[t, 0].numpy(), h["lecture"], lecture_params, convention="lecture")
    return dict(
        torch_convention=float(np.abs(h["torch"] - torch_h).max()),
        lecture_convention=float(np.abs(h["lecture"] - torch_h).max()),
    )


@MEASURED("gru-lstm-table", timed=("lstm_seconds", "gru_seconds"))
def gru_lstm_table():
    """Parameters and time per step of torch.nn.LSTM and torch.nn.GRU."""
    rows = []
    for n_hidden, n_inputs in TABLE_SIZES:
        counts = {kind: experiments.parameter_count(kind, n_inputs, n_hidden) for kind in ("LSTM", "GRU")}
        seconds = {kind: experiments.seconds_per_step(kind, n_inputs, n_hidden) for kind in ("LSTM", "GRU")}
        rows.append(
            dict(
                n=n_hidden,
                m=n_inputs,
                lstm_params=counts["LSTM"],
                gru_params=counts["GRU"],
                lstm_seconds=seconds["LSTM"],
                gru_seconds=seconds["GRU"],
            )
        )
    return rows
