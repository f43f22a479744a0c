"""Lecture 004's A_t + B_t + C_t + D_t and the RNN Jacobians against torch autograd Jacobians."""

import numpy as np
import pytest
import torch
from lstm_ref_models import rnn_hidden_jacobians
from torch.autograd.functional import jacobian

import lstm_ref
from lstm_ref import gradient_flow as gf


def torch_lstm_step(x_t, h_prev, C_prev, p):
    v = torch.cat([h_prev, x_t])
    gate = lambda g: torch.as_tensor(p[f"W_{g}"]) @ v + torch.as_tensor(p[f"b_{g}"])
    f, i, c = torch.sigmoid(gate("f")), torch.sigmoid(gate("i")), torch.tanh(gate("c"))
    return f * C_prev + i * c


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_terms_sum_to_the_autograd_jacobian(seed):
    rng = np.random.default_rng(seed)
    n, m = 4, 3
    params = lstm_ref.init_params(n, m, rng=rng, scale=1.5)
    x_t, C_prev, o_prev = rng.normal(size=m), rng.normal(size=n), rng.uniform(size=n)
    terms = gf.cell_state_jacobian_terms(x_t, C_prev, o_prev, params)
    o, x = torch.tensor(o_prev), torch.tensor(x_t)
    expected = jacobian(lambda C: torch_lstm_step(x, o * torch.tanh(C), C, params), torch.tensor(C_prev))
    np.testing.assert_allclose(sum(terms.values()), expected.numpy(), rtol=0, atol=1e-12)
    # each term is its own path: switch the others off and autograd sees only that one
    np.testing.assert_allclose(terms["B_t"], np.diag(np.diag(terms["B_t"])))
    (_, _), cache = lstm_ref.lstm_cell_forward(x_t, o_prev * np.tanh(C_prev), C_prev, params)
    np.testing.assert_allclose(np.diag(terms["B_t"]), cache["f_t"], rtol=0, atol=0)
    no_candidate = dict(params, W_c=np.zeros_like(params["W_c"]))
    only_ABC = gf.cell_state_jacobian_terms(x_t, C_prev, o_prev, no_candidate)
    assert np.all(only_ABC["D_t"] == 0) and np.abs(terms["D_t"]).max() > 1e-3


def test_candidate_term_uses_tanh_prime_not_sigma_prime():
    """Lecture 004 writes sigma'(W_c . [h_{t-1}, x_t]) in D_t; autograd says tanh'."""
    rng = np.random.default_rng(7)
    params = lstm_ref.init_params(3, 2, rng=rng, scale=1.0)
    x_t, C_prev, o_prev = rng.normal(size=2), rng.normal(size=3), np.full(3, 0.8)
    terms = gf.cell_state_jacobian_terms(x_t, C_prev, o_prev, params)
    (_, _), cache = lstm_ref.lstm_cell_forward(x_t, o_prev * np.tanh(C_prev), C_prev, params)
    a_c = np.arctanh(cache["C_tilde"])
    sigma_prime = lstm_ref.sigmoid(a_c) * (1 - lstm_ref.sigmoid(a_c))
    lecture_D = (cache["i_t"] * sigma_prime)[:, None] * params["W_c"][:, :3] * (o_prev * (1 - np.tanh(C_prev) ** 2))
    assert np.abs(lecture_D - terms["D_t"]).max() > 1e-2


def test_rnn_jacobian_and_product_match_autograd():
    rng = np.random.default_rng(3)
    n, m, T = 4, 2, 6
    params = lstm_ref.init_rnn_params(n, m, rng=rng, scale=1.0)
    x, h0 = rng.normal(size=(T, m)), rng.normal(size=n)
    jacobians = rnn_hidden_jacobians(x, h0, params)
    products = gf.jacobian_products(jacobians)
    W_x, W_h, b = (torch.tensor(params[k]) for k in ("W_x", "W_h", "b"))

    def unroll(h, steps):
        for x_t in torch.tensor(x[:steps]):
            h = torch.tanh(W_x @ x_t + W_h @ h + b)
        return h

    for k in (1, 3, T):
        expected = jacobian(lambda h, k=k: unroll(h, k), torch.tensor(h0))
        np.testing.assert_allclose(products[k - 1], expected.numpy(), rtol=0, atol=1e-12)
    h1 = np.tanh(params["W_x"] @ x[0] + params["W_h"] @ h0 + params["b"])
    np.testing.assert_allclose(gf.rnn_hidden_jacobian(params["W_h"], h1), jacobians[0])


def test_lstm_sequence_terms_and_products():
    rng = np.random.default_rng(4)
    n, m, T = 3, 2, 5
    params = lstm_ref.init_params(n, m, rng=rng)
    x, C0, o0 = rng.normal(size=(T, m)), rng.normal(size=n), rng.uniform(size=n)
    terms = gf.lstm_cell_state_jacobians(x, C0, o0, params)
    assert all(v.shape == (T, n, n) for v in terms.values())
    # step 3's terms equal the single-step function fed the states the sequence reached
    C_prev, o_prev = C0, o0
    for t in range(3):
        step = gf.cell_state_jacobian_terms(x[t], C_prev, o_prev, params)
        (_, C_prev), cache = lstm_ref.lstm_cell_forward(x[t], o_prev * np.tanh(C_prev), C_prev, params)
        o_prev = cache["o_t"]
    for name in gf.TERMS:
        np.testing.assert_allclose(terms[name][2], step[name], rtol=0, atol=1e-15)
    totals = sum(terms.values())
    products = gf.jacobian_products(totals)
    np.testing.assert_allclose(products[2], totals[2] @ totals[1] @ totals[0], rtol=0, atol=1e-15)
    assert gf.spectral_norms(products).shape == (T,)


def test_forget_gate_near_one_keeps_the_gradient_alive():
    """With f_t ~ 1 and i_t, o ~ 0 the product stays ~ I over 100 steps; the RNN's vanishes."""
    n, m, T = 3, 1, 100
    params = {f"W_{g}": np.zeros((n, n + m)) for g in "fico"}
    params |= dict(b_f=np.full(n, 20.0), b_i=np.full(n, -20.0), b_c=np.zeros(n), b_o=np.zeros(n))
    x = np.ones((T, m))
    lstm_norms = gf.spectral_norms(
        gf.jacobian_products(sum(gf.lstm_cell_state_jacobians(x, np.ones(n), np.full(n, 0.5), params).values()))
    )
    rnn = dict(W_x=np.ones((n, m)), W_h=0.5 * np.eye(n), b=np.zeros(n))
    rnn_norms = gf.spectral_norms(gf.jacobian_products(rnn_hidden_jacobians(x, np.zeros(n), rnn)))
    assert lstm_norms[-1] > 0.99 and rnn_norms[-1] < 1e-20
