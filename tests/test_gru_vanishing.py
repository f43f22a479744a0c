"""The GRU and vanishing-gradient examples, exercises and experiments, without nbgrader."""

import numpy as np
import pytest
from judge import check_example, check_random
from lstm_ref_models import rnn_hidden_jacobians
from scipy.special import expit

from autograder.course import errata, examples
from lstm_ref import gradient_flow, lstm_cell_forward


def test_gru_step_by_hand():
    """lecture 000's equations written out, independent of lstm_ref.gru."""
    ex = examples()["000-gru-cell"].inputs
    x, h, p = ex["x_t"], ex["h_prev"], ex["params"]
    z = expit(p["W_z"] @ np.r_[h, x] + p["b_z"])
    r = expit(p["W_r"] @ np.r_[h, x] + p["b_r"])
    h_tilde = np.tanh(p["W_h"] @ np.r_[r * h, x] + p["b_h"])
    np.testing.assert_allclose(examples()["000-gru-cell"].exact, (1 - z) * h_tilde + z * h, atol=1e-15)
    # The two reset conventions differ on this example, so a student's convention shows.
    assert not np.allclose(examples()["000-gru-candidate"].exact, examples()["000-gru-candidate-torch"].exact)


@pytest.mark.parametrize(
    "name, wrong, key",
    [
        ("gru_hidden_state", lambda z, h, ht: z * ht + (1 - z) * h, "000-gru-hidden-state"),
        (
            "gru_candidate",
            lambda W, h, x, b, r: np.tanh(r * (W[:, : len(h)] @ h) + W[:, len(h) :] @ x + b),
            "000-gru-candidate",
        ),
        ("update_gate", lambda W, h, x, b: expit(W @ np.r_[x, h] + b), "000-gru-update-gate"),
    ],
)
def test_gru_mistakes_fail_visible_and_hidden_checks(name, wrong, key):
    with pytest.raises(AssertionError):
        check_example(name, wrong, key)
    with pytest.raises(AssertionError):
        check_random(name, wrong, seed=0)


def cell_state(x_t, C_prev, o_prev, params):
    (_, C_t), _ = lstm_cell_forward(x_t, o_prev * np.tanh(C_prev), C_prev, params)
    return C_t


def test_cell_jacobian_example_is_the_real_jacobian():
    """Finite differences of the LSTM cell, independent of gradient_flow."""
    ex = examples()["004-cell-jacobian"]
    x, C, o, p = ex.inputs.values()
    step = 1e-6
    columns = [
        (cell_state(x, C + step * e, o, p) - cell_state(x, C - step * e, o, p)) / (2 * step) for e in np.eye(len(C))
    ]
    np.testing.assert_allclose(ex.exact, np.stack(columns, axis=1), atol=1e-9)
    assert ex.exact.shape == (3, 3) and not np.allclose(ex.exact, np.diag(np.diag(ex.exact)))


def test_lectures_product_claim_is_recorded_as_wrong():
    literal = examples()["004-cell-product-literal"]
    assert literal.lecture_is_right and np.allclose(literal.exact, np.eye(3))
    norms = examples()["004-cell-product-norms"].exact
    assert np.all(np.diff(norms) < 0) and norms[-1] < 0.01
    assert {"004-cell-jacobian", "004-cell-product-norms"} <= {ex.key for ex in errata()}


@pytest.mark.parametrize(
    "name, wrong",
    [
        ("rnn_jacobian", lambda W, h: W * (1 - h**2)[None, :]),
        ("jacobian_product", lambda J: np.linalg.multi_dot(list(J) + [np.eye(J.shape[-1])] * 2)),  # oldest on the left
        (
            "gradient_norms",
            lambda J: np.array([np.linalg.norm(gradient_flow.jacobian_products(J)[k], "fro") for k in range(len(J))]),
        ),
        ("cell_state_jacobian", lambda x, C, o, p: gradient_flow.cell_state_jacobian_terms(x, C, o, p)["B_t"]),
    ],
)
def test_vanishing_mistakes_fail_hidden_checks(name, wrong):
    with pytest.raises(AssertionError):
        check_random(name, wrong, seed=0)


def test_reproducing_the_lectures_norms_is_named_as_the_lectures_error():
    with pytest.raises(AssertionError, match="You reproduced the lecture's own number"):
        check_example("gradient_norms", lambda J: np.ones(len(J)), "004-cell-product-norms")


# --- the torch experiments (not graded; checked here against the numpy reference) ---


def test_autograd_gradient_norms_match_the_numpy_rnn_jacobians():
    torch = pytest.importorskip("torch")
    from lstm_ref.convert import rnn_params_from_torch
    from student_kit import experiments

    steps, n, m = 12, 5, 3
    norms = experiments.gradient_norm_by_lag("RNN", steps=steps, n_hidden=n, n_inputs=m, seed=3)
    params = rnn_params_from_torch(experiments.recurrent_layer("RNN", m, n, seed=3).double())
    x = torch.randn(steps, 1, m, generator=torch.Generator().manual_seed(3), dtype=torch.float64)
    jacobians = rnn_hidden_jacobians(x[:, 0].numpy(), np.zeros(n), params)
    # dh_T/dh_{T-lag} is the product of the last `lag` step Jacobians.
    expected = [
        np.linalg.norm(gradient_flow.jacobian_products(jacobians[steps - lag :])[-1], 2) for lag in range(1, steps)
    ]
    np.testing.assert_allclose(norms, expected, rtol=1e-10)


def test_forget_bias_sets_the_lstm_forget_gate():
    pytest.importorskip("torch")
    from lstm_ref.convert import lstm_params_from_torch
    from student_kit import experiments

    params = lstm_params_from_torch(experiments.recurrent_layer("LSTM", 2, 4, forget_bias=3.0))
    np.testing.assert_allclose(params["b_f"], 3.0, atol=1e-6)
    with pytest.raises(ValueError, match="no forget gate"):
        experiments.recurrent_layer("GRU", 2, 4, forget_bias=1.0)


def test_memory_span_is_seeded_and_learns_a_short_lag():
    pytest.importorskip("torch")
    from student_kit import experiments

    first = experiments.memory_span("GRU", lag=3, train_steps=60, seed=1)
    assert first == experiments.memory_span("GRU", lag=3, train_steps=60, seed=1)
    assert first > 0.9  # three steps back is easy; chance is 0.5
