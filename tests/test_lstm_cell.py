"""The reference LSTM cell against torch.nn.LSTMCell / nn.LSTM, and the weight converters."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_ref
from lstm_ref.convert import lstm_params_from_torch, lstm_params_to_torch

sizes = st.integers(min_value=1, max_value=9)


@settings(max_examples=40, deadline=None)
@given(n=sizes, m=sizes, batch=st.integers(1, 4), seed=st.integers(0, 2**31 - 1))
def test_cell_matches_torch_lstmcell_float64(n, m, batch, seed):
    rng = np.random.default_rng(seed)
    params = lstm_ref.init_params(n, m, rng=rng)
    x, h, c = rng.normal(size=(batch, m)), rng.normal(size=(batch, n)), rng.normal(size=(batch, n))
    (h_t, C_t), _ = lstm_ref.lstm_cell_forward(x, h, c, params)
    cell = lstm_params_to_torch(params, torch.nn.LSTMCell(x.shape[-1], h.shape[-1], dtype=torch.float64))
    torch_h, torch_c = cell(torch.tensor(x), (torch.tensor(h), torch.tensor(c)))
    np.testing.assert_allclose(h_t, torch_h.detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(C_t, torch_c.detach().numpy(), rtol=0, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(n=sizes, m=sizes, seed=st.integers(0, 2**31 - 1))
def test_params_from_torch_lstm_round_trip(n, m, seed):
    torch.manual_seed(seed)
    layer = torch.nn.LSTM(m, n, dtype=torch.float64)
    params = lstm_params_from_torch(layer)
    assert params["W_f"].shape == (n, n + m) and params["b_f"].shape == (n,)
    x = torch.randn(1, 1, m, dtype=torch.float64)
    _, (torch_h, torch_c) = layer(x)
    (h_t, C_t), _ = lstm_ref.lstm_cell_forward(x[0].numpy(), np.zeros((1, n)), np.zeros((1, n)), params)
    np.testing.assert_allclose(h_t, torch_h[0].detach().numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(C_t, torch_c[0].detach().numpy(), rtol=0, atol=1e-12)
    again = lstm_params_from_torch(lstm_params_to_torch(params, torch.nn.LSTM(m, n, dtype=torch.float64)))
    for name in params:
        np.testing.assert_array_equal(again[name], params[name])


def test_forget_gate_reads_h_before_x():
    """[h_{t-1}, x_t], not [x_t, h_{t-1}]: the columns of W_f for h come first."""
    W_f = np.array([[1.0, 0.0]])
    assert lstm_ref.gate_preactivation(W_f, np.array([2.0]), np.array([3.0]), np.zeros(1))[0] == 2.0


def test_sigmoid_does_not_overflow():
    with np.errstate(over="raise", invalid="raise"):
        np.testing.assert_allclose(lstm_ref.sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(h_prev=np.zeros(4)), r"h_\{t-1\} should have shape \(\.\.\., 3\), got shape \(4,\)"),
        (dict(x_t=np.zeros(5)), r"x_t should have shape \(\.\.\., 2\), got shape \(5,\)"),
        (dict(C_prev=np.array([0.0, np.nan, 0.0])), r"C_\{t-1\} contains NaN"),
    ],
)
def test_bad_input_says_what_is_wrong(bad, message):
    inputs = dict(x_t=np.zeros(2), h_prev=np.zeros(3), C_prev=np.zeros(3)) | bad
    with pytest.raises(ValueError, match=message):
        lstm_ref.lstm_cell_forward(inputs["x_t"], inputs["h_prev"], inputs["C_prev"], lstm_ref.init_params(3, 2))
