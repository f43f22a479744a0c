"""The output-gate notebook's measurements with PyTorch, kept in measured.json (`python -m
autograder measure`): torch.nn.LSTM's outputs for random weights, which the notebook's visible
test compares with the student's numpy LSTM, and its parameter count."""

import numpy as np

from assignments.declare import Measured
from lstm_ref import init_params
from lstm_ref.convert import lstm_params_to_torch
from student_kit import experiments

MEASURED = Measured(__file__)


@MEASURED("torch-lstm-parity", atol=1e-12)
def torch_lstm_parity():
    """torch.nn.LSTM's h_all and C_T for random weights and inputs (T=5, B=2, m=4, n=3), float64."""
    import torch

    rng = np.random.default_rng(34)
    T, B, m, n = 5, 2, 4, 3
    params = init_params(n, m, rng=rng)
    x, h0, C0 = rng.normal(size=(T, B, m)), rng.normal(size=(B, n)), rng.normal(size=(B, n))
    layer = lstm_params_to_torch(params, torch.nn.LSTM(m, n, dtype=torch.float64))
    with torch.no_grad():
        h_all, (_, C_T) = layer(torch.from_numpy(x), (torch.from_numpy(h0[None]), torch.from_numpy(C0[None])))
    return dict(
        params=params, x=x, h0=h0, C0=C0, h_all=h_all.numpy(), C_T=C_T[0].numpy(), torch_version=torch.__version__
    )


@MEASURED("torch-lstm-parameter-count")
def torch_lstm_parameter_count():
    """How many parameters torch.nn.LSTM(m=4, n=3) has (lecture 003's sizes)."""
    return dict(n=3, m=4, count=experiments.parameter_count("LSTM", 4, 3))
