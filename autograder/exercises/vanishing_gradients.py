"""The vanishing-gradients assignment's graded functions (lectures 000 and 004), all numpy."""
from lstm_ref import gradient_flow, lstm

from .base import Exercise, random_sizes


def random_rnn_jacobian_inputs(rng):
    """(W_h (n, n), h_t (n,)) with h_t in (-1, 1), as a tanh makes it."""
    n = int(rng.integers(1, 7))
    return rng.normal(size=(n, n)), rng.uniform(-1, 1, n)


def random_jacobians(rng):
    """(jacobians (k, n, n),): k steps of n x n Jacobians, not symmetric, so order matters."""
    k, n = int(rng.integers(1, 8)), int(rng.integers(1, 6))
    return (rng.normal(scale=0.8, size=(k, n, n)),)


def random_cell_state_inputs(rng):
    """(x_t, C_{t-1}, o_{t-1}, params) with weights large enough that A_t, C_t, D_t matter."""
    n, m = random_sizes(rng)
    params = lstm.init_params(n, m, rng=rng, scale=1.0)
    return rng.normal(size=m), rng.normal(size=n), rng.uniform(0, 1, n), params


EXERCISES = [
    Exercise(
        name="rnn_jacobian", arguments=("W_h", "h_t"), output="dh_t/dh_{t-1}",
        reference=gradient_flow.rnn_hidden_jacobian, random_inputs=random_rnn_jacobian_inputs,
    ),
    Exercise(
        name="jacobian_product", arguments=("jacobians",), output="J_k ... J_2 J_1",
        reference=lambda jacobians: gradient_flow.jacobian_products(jacobians)[-1],
        random_inputs=random_jacobians,
    ),
    Exercise(
        name="gradient_norms", arguments=("jacobians",), output="[||J_1||, ||J_2 J_1||, ..., ||J_k ... J_1||]",
        reference=lambda jacobians: gradient_flow.spectral_norms(gradient_flow.jacobian_products(jacobians)),
        random_inputs=random_jacobians,
    ),
    Exercise(
        name="cell_state_jacobian", arguments=("x_t", "C_{t-1}", "o_{t-1}", "params"),
        output="dC_t/dC_{t-1} = A_t + B_t + C_t + D_t",
        reference=gradient_flow.cell_state_jacobian, random_inputs=random_cell_state_inputs,
    ),
]
