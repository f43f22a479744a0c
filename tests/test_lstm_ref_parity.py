"""lstm_ref's RNN, LSTM and GRU against torch.nn.RNN/LSTM/GRU and their cells, forward.

float64 within 1e-10, float32 within 1e-5, on random sizes: T = 1, B = 1, m != n and
non-zero initial states all occur (hypothesis picks them; the explicit cases pin them).
"""

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lstm_ref_models import MODELS, run_torch_cell, run_torch_layer, torch_module, torch_states

import lstm_ref
from lstm_ref import convert

TOLERANCE = {np.float64: 1e-10, np.float32: 1e-5}
TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}
sizes = dict(
    T=st.integers(1, 6), B=st.integers(1, 3), m=st.integers(1, 7), n=st.integers(1, 7), seed=st.integers(0, 2**32 - 1)
)


def random_case(model, T, B, m, n, seed, dtype):
    rng = np.random.default_rng(seed)
    params = {k: v.astype(dtype) for k, v in model.init(n, m, rng).items()}
    x = rng.normal(size=(T, B, m)).astype(dtype)
    states = [rng.normal(size=(B, n)).astype(dtype) for _ in range(model.n_states)]
    return params, x, states


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
@settings(max_examples=15, deadline=None)
@given(**sizes)
@example(T=1, B=1, m=3, n=5, seed=0)
@example(T=4, B=2, m=6, n=2, seed=1)
def test_sequence_matches_torch_layer(model, dtype, T, B, m, n, seed):
    params, x, states = random_case(model, T, B, m, n, seed, dtype)
    (h_all, final), _ = model.forward(x, states, params)
    assert h_all.dtype == dtype and h_all.shape == (T, B, n)
    module = torch_module(model, params, n, m, TORCH_DTYPE[dtype])
    with torch.no_grad():
        out, torch_final = run_torch_layer(
            module, model, torch.tensor(x), torch_states(model, states, TORCH_DTYPE[dtype])
        )
    np.testing.assert_allclose(h_all, out.numpy(), rtol=0, atol=TOLERANCE[dtype])
    for ours, theirs in zip(final, torch_final):
        np.testing.assert_allclose(ours, theirs[0].numpy(), rtol=0, atol=TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
@settings(max_examples=15, deadline=None)
@given(**sizes)
@example(T=1, B=1, m=2, n=4, seed=0)
def test_cell_matches_torch_cell(model, dtype, T, B, m, n, seed):
    params, x, states = random_case(model, 1, B, m, n, seed, dtype)
    ours, _ = model.cell_forward(x[0], states, params)
    module = torch_module(model, params, n, m, TORCH_DTYPE[dtype], cell=True)
    with torch.no_grad():
        theirs = run_torch_cell(
            module, model, torch.tensor(x[0]), torch_states(model, states, TORCH_DTYPE[dtype], layer=False)
        )
    for a, b in zip(ours, theirs):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, b.numpy(), rtol=0, atol=TOLERANCE[dtype])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_sequence_is_the_cell_step_by_step(model):
    params, x, states = random_case(model, 5, 2, 3, 4, 7, np.float64)
    (h_all, final), _ = model.forward(x, states, params)
    for t in range(5):
        states, _ = model.cell_forward(x[t], states, params)
        np.testing.assert_allclose(h_all[t], states[0], rtol=0, atol=1e-13)
    for a, b in zip(final, states):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-13)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_batch_first_is_a_transpose(model):
    params, x, states = random_case(model, 3, 2, 3, 4, 3, np.float64)
    (h_all, final), _ = model.forward(x, states, params)
    forward = {
        "rnn": lstm_ref.rnn_forward,
        "gru": lambda *a, **k: lstm_ref.gru_forward(*a, convention="torch", **k),
        "lstm": lstm_ref.lstm_forward,
    }[model.name]
    (h_first, _), _ = forward(x.swapaxes(0, 1), *states, params, batch_first=True)
    np.testing.assert_array_equal(h_first, h_all.swapaxes(0, 1))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
def test_params_round_trip_through_torch(model):
    params, *_ = random_case(model, 1, 1, 3, 4, 11, np.float64)
    from_torch = {
        "rnn": convert.rnn_params_from_torch,
        "lstm": convert.lstm_params_from_torch,
        "gru": convert.gru_params_from_torch,
    }[model.name]
    for cell in (False, True):
        again = from_torch(torch_module(model, params, 4, 3, torch.float64, cell=cell))
        assert again.keys() == params.keys()
        for name in params:
            np.testing.assert_allclose(again[name], params[name], rtol=0, atol=1e-15)


def test_gru_conventions_differ_and_agree_when_reset_is_open():
    """The lecture resets h_{t-1} before W_h, PyTorch after: equal only if r_t = 1."""
    rng = np.random.default_rng(0)
    params = lstm_ref.init_gru_params(3, 2, rng=rng)
    x, h = rng.normal(size=2), rng.normal(size=3)
    lecture, _ = lstm_ref.gru_cell_forward(x, h, params, convention="lecture")
    pytorch, _ = lstm_ref.gru_cell_forward(x, h, params, convention="torch")
    assert np.abs(lecture - pytorch).max() > 1e-3
    open_reset = dict(params, W_r=np.zeros((3, 5)), b_r=np.full(3, 800.0))  # r_t = 1
    lecture, _ = lstm_ref.gru_cell_forward(x, h, open_reset, convention="lecture")
    pytorch, _ = lstm_ref.gru_cell_forward(x, h, open_reset, convention="torch")
    np.testing.assert_allclose(lecture, pytorch, rtol=0, atol=1e-15)


def test_lecture_gru_by_hand():
    """h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h), written out without lstm_ref."""
    rng = np.random.default_rng(5)
    p = lstm_ref.init_gru_params(2, 3, rng=rng)
    x, h = rng.normal(size=3), rng.normal(size=2)
    sig = lambda a: 1 / (1 + np.exp(-a))
    z = sig(p["W_z"] @ np.r_[h, x] + p["b_z"])
    r = sig(p["W_r"] @ np.r_[h, x] + p["b_r"])
    h_tilde = np.tanh(p["W_h"] @ np.r_[r * h, x] + p["b_h"])
    ours, _ = lstm_ref.gru_cell_forward(x, h, p)
    np.testing.assert_allclose(ours, (1 - z) * h_tilde + z * h, rtol=0, atol=1e-15)
