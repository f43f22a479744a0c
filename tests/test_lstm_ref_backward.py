"""Backward passes of lstm_ref against torch autograd and against finite differences."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from lstm_ref_models import MODELS, check_gradients, run_torch_layer, torch_module, torch_states

import lstm_ref
from lstm_ref.gradcheck import numerical_gradient, relative_error
from lstm_ref.lstm import grads_as_dict


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.name)
@settings(max_examples=10, deadline=None)
@given(
    T=st.integers(1, 5), B=st.integers(1, 3), m=st.integers(1, 5), n=st.integers(1, 5), seed=st.integers(0, 2**32 - 1)
)
def test_bptt_matches_torch_autograd(model, T, B, m, n, seed):
    rng = np.random.default_rng(seed)
    params = model.init(n, m, rng)
    x = rng.normal(size=(T, B, m))
    states = [rng.normal(size=(B, n)) for _ in range(model.n_states)]
    dh_all = rng.normal(size=(T, B, n))
    (h_all, _), cache = model.forward(x, states, params)
    dx, d_states, dparams = model.backward(dh_all, cache)

    module = torch_module(model, params, n, m, torch.float64)
    x_t = torch.tensor(x, requires_grad=True)
    states_t = torch_states(model, states, torch.float64, requires_grad=True)
    out, _ = run_torch_layer(module, model, x_t, states_t)
    (out * torch.tensor(dh_all)).sum().backward()
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=0, atol=1e-10)
    for ours, theirs in zip(d_states, states_t):
        np.testing.assert_allclose(ours, theirs.grad[0].numpy(), rtol=0, atol=1e-10)
    # our params in torch's layout, against torch's parameter gradients
    grads_as_torch = model.to_torch(dparams, type(module)(m, n, dtype=torch.float64))
    for name in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0"):
        np.testing.assert_allclose(
            getattr(grads_as_torch, name).detach().numpy(), getattr(module, name).grad.numpy(), rtol=0, atol=1e-10
        )
    if model.name == "gru":  # b_hn is the one bias torch keeps in bias_hh
        np.testing.assert_allclose(dparams["b_hn"], module.bias_hh_l0.grad[2 * n :].numpy(), rtol=0, atol=1e-10)


CELLS = {
    "rnn": (
        lambda n, m, rng: lstm_ref.init_rnn_params(n, m, rng=rng),
        1,
        lambda x, s, p: (lstm_ref.rnn_cell_forward(x, s[0], p)[0],),
        lambda x, s, p, d: _single(lstm_ref.rnn_cell_backward, lstm_ref.rnn_cell_forward(x, s[0], p), d),
    ),
    "gru-lecture": (
        lambda n, m, rng: lstm_ref.init_gru_params(n, m, rng=rng),
        1,
        lambda x, s, p: (lstm_ref.gru_cell_forward(x, s[0], p)[0],),
        lambda x, s, p, d: _single(lstm_ref.gru_cell_backward, lstm_ref.gru_cell_forward(x, s[0], p), d),
    ),
    "gru-torch": (
        lambda n, m, rng: lstm_ref.init_gru_params(n, m, rng=rng, convention="torch"),
        1,
        lambda x, s, p: (lstm_ref.gru_cell_forward(x, s[0], p, "torch")[0],),
        lambda x, s, p, d: _single(lstm_ref.gru_cell_backward, lstm_ref.gru_cell_forward(x, s[0], p, "torch"), d),
    ),
    "lstm": (
        lambda n, m, rng: lstm_ref.init_params(n, m, rng=rng),
        2,
        lambda x, s, p: lstm_ref.lstm_cell_forward(x, *s, p)[0],
        lambda x, s, p, d: _lstm(lstm_ref.lstm_cell_forward(x, *s, p), d),
    ),
}


def _single(backward, forward_result, douts):
    dx, dh_prev, dparams = backward(douts[0], forward_result[1])
    return dx, (dh_prev,), dparams


def _lstm(forward_result, douts):
    dx, dh_prev, dC_prev, dW, db = lstm_ref.lstm_cell_backward(douts[0], douts[1], forward_result[1])
    return dx, (dh_prev, dC_prev), grads_as_dict(dW, db)


@pytest.mark.parametrize("kind", CELLS)
def test_cell_backward_matches_finite_differences(kind):
    init, n_states, forward, backward = CELLS[kind]
    rng = np.random.default_rng(1)
    n, m, B = 3, 4, 2
    params, x = init(n, m, rng), rng.normal(size=(B, m))
    states = [rng.normal(size=(B, n)) for _ in range(n_states)]
    douts = [rng.normal(size=(B, n)) for _ in range(n_states)]
    dx, d_states, dparams = backward(x, states, params, douts)

    def loss():  # sum_k dout_k * out_k over all outputs (h_t and, for the LSTM, C_t)
        return sum(np.sum(o * d) for o, d in zip(forward(x, states, params), douts))

    inputs = dict(x=x, **{f"state{k}": s for k, s in enumerate(states)}, **params)
    analytic = dict(x=dx, **{f"state{k}": d for k, d in enumerate(d_states)}, **dparams)
    errors = check_gradients(loss, inputs, analytic)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("convention", ["lecture", "torch"])
def test_gru_bptt_matches_finite_differences(convention):
    rng = np.random.default_rng(2)
    params = lstm_ref.init_gru_params(3, 2, rng=rng, convention=convention)
    x, h0, dh_all, dh_T = (rng.normal(size=s) for s in [(4, 2, 2), (2, 3), (4, 2, 3), (2, 3)])

    def run():
        return lstm_ref.gru_forward(x, h0, params, convention=convention)

    (_, _), cache = run()
    dx, dh0, dparams = lstm_ref.gru_backward(dh_all, cache, dh_T=dh_T)
    loss = lambda: np.sum(run()[0][0] * dh_all) + np.sum(run()[0][1] * dh_T)
    errors = check_gradients(loss, dict(x=x, h0=h0, **params), dict(x=dx, h0=dh0, **dparams))
    assert max(errors.values()) < 1e-7, errors


def test_lstm_bptt_with_final_state_gradients_matches_finite_differences():
    rng = np.random.default_rng(3)
    params = lstm_ref.init_params(3, 2, rng=rng)
    x, h0, C0 = rng.normal(size=(3, 2, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    dh_all, dh_T, dC_T = rng.normal(size=(3, 2, 3)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))

    def loss():
        (h_all, (h_T, C_T)), _ = lstm_ref.lstm_forward(x, h0, C0, params)
        return np.sum(h_all * dh_all) + np.sum(h_T * dh_T) + np.sum(C_T * dC_T)

    _, cache = lstm_ref.lstm_forward(x, h0, C0, params)
    dx, dh0, dC0, dW, db = lstm_ref.lstm_backward(dh_all, cache, dh_T=dh_T, dC_T=dC_T)
    errors = check_gradients(
        loss, dict(x=x, h0=h0, C0=C0, **params), dict(x=dx, h0=dh0, C0=dC0, **grads_as_dict(dW, db))
    )
    assert max(errors.values()) < 1e-7, errors


def test_rnn_bptt_batch_first_matches_finite_differences():
    rng = np.random.default_rng(4)
    params = lstm_ref.init_rnn_params(3, 2, rng=rng)
    x, h0, dh_all = rng.normal(size=(2, 4, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 4, 3))
    run = lambda: lstm_ref.rnn_forward(x, h0, params, batch_first=True)
    dx, dh0, dparams = lstm_ref.rnn_backward(dh_all, run()[1])
    errors = check_gradients(
        lambda: np.sum(run()[0][0] * dh_all), dict(x=x, h0=h0, **params), dict(x=dx, h0=dh0, **dparams)
    )
    assert max(errors.values()) < 1e-7, errors


def test_gradcheck_catches_a_wrong_gradient():
    x = np.array([0.3, -1.2, 2.0])
    numerical = numerical_gradient(lambda: np.tanh(x), x)
    np.testing.assert_allclose(numerical, 1 - np.tanh(x) ** 2, rtol=1e-8)
    assert relative_error(1 - np.tanh(x) ** 2, numerical) < 1e-8
    assert relative_error(np.tanh(x), numerical) > 0.1  # tanh is not its own derivative
    assert x.tolist() == [0.3, -1.2, 2.0]  # restored


def test_gradcheck_rejects_float32():
    with pytest.raises(ValueError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(2, np.float32))
