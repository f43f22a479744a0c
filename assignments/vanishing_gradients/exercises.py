"""The vanishing-gradients assignment's graded functions (lectures 000 and 004), all numpy."""

import numpy as np

from assignments.declare import Exercise
from assignments.inputs import random_sizes, random_weights
from lstm_ref import gradient_flow


def jacobian_product(jacobians):
    """J_k ... J_2 J_1: the product over time, latest step on the left."""
    return gradient_flow.jacobian_products(jacobians)[-1]


def gradient_norms(jacobians):
    """[||J_1||, ||J_2 J_1||, ..., ||J_k ... J_1||], largest singular values."""
    return gradient_flow.spectral_norms(gradient_flow.jacobian_products(jacobians))


def lasting_lags(norms, level):
    """For each row of norms (R, K), the gradient's size at lags 1..K: how many lags, from lag 1
    on, it stays at or above `level` (K if it never falls below). Returns (R,) integers."""
    below = np.asarray(norms, dtype=np.float64) < level
    return np.where(below.any(axis=-1), below.argmax(axis=-1), below.shape[-1])


def gradient_curves(rng: np.random.Generator) -> tuple:
    """(norms (R, K), level): R curves of K lags that wander on a log scale (some dip below the
    level and come back), one that never falls below it, and a level between their sizes."""
    R, K = int(rng.integers(2, 5)), int(rng.integers(6, 30))
    logs = np.cumsum(rng.normal(-0.4, 1.0, (R, K)), axis=-1)
    level = float(np.exp(np.quantile(logs, rng.uniform(0.2, 0.6))))
    logs[int(rng.integers(R))] = np.log(level) + rng.uniform(0.1, 2.0, K)  # this one lasts every lag
    return np.exp(logs), level


def rnn_jacobian_inputs(rng: np.random.Generator) -> tuple:
    """(W_h (n, n), h_t (n,)) with h_t in (-1, 1), as a tanh makes it."""
    n = int(rng.integers(1, 7))
    return rng.normal(size=(n, n)), rng.uniform(-1, 1, n)


def jacobian_sequence(rng: np.random.Generator) -> tuple:
    """(jacobians (k, n, n),): k steps of n x n Jacobians, not symmetric, so order matters."""
    k, n = int(rng.integers(1, 8)), int(rng.integers(1, 6))
    return (rng.normal(scale=0.8, size=(k, n, n)),)


def cell_state_jacobian_inputs(rng: np.random.Generator) -> tuple:
    """(x_t, C_{t-1}, o_{t-1}, params) with weights large enough that A_t, C_t, D_t matter."""
    n, m = random_sizes(rng)
    params = random_weights(rng, "fico", n, m)
    return rng.normal(size=m), rng.normal(size=n), rng.uniform(0, 1, n), params


EXERCISES = [
    Exercise(
        name="rnn_jacobian",
        arguments=("W_h", "h_t"),
        output="dh_t/dh_{t-1}",
        reference=gradient_flow.rnn_hidden_jacobian,
        random_inputs=rnn_jacobian_inputs,
    ),
    Exercise(
        name="jacobian_product",
        arguments=("jacobians",),
        output="J_k ... J_2 J_1",
        reference=jacobian_product,
        random_inputs=jacobian_sequence,
    ),
    Exercise(
        name="gradient_norms",
        arguments=("jacobians",),
        output="[||J_1||, ||J_2 J_1||, ..., ||J_k ... J_1||]",
        reference=gradient_norms,
        random_inputs=jacobian_sequence,
    ),
    Exercise(
        name="cell_state_jacobian",
        arguments=("x_t", "C_{t-1}", "o_{t-1}", "params"),
        output="dC_t/dC_{t-1} = A_t + B_t + C_t + D_t",
        reference=gradient_flow.cell_state_jacobian,
        random_inputs=cell_state_jacobian_inputs,
    ),
    Exercise(
        name="lasting_lags",
        arguments=("norms", "level"),
        output="how many lags each gradient stays at or above level",
        reference=lasting_lags,
        random_inputs=gradient_curves,
    ),
]
