"""The GRU assignment's graded functions (lecture 000, the lecture's reset convention)."""
import lstm_ref
from lstm_ref import gru

from .base import Exercise, random_gate_inputs, random_sizes


def random_candidate_inputs(rng):
    """(W_h, h_{t-1}, x_t, b_h, r_t): one gate's inputs and a reset gate in (0, 1)."""
    W_h, h_prev, x_t, b_h = random_gate_inputs(rng)
    return W_h, h_prev, x_t, b_h, rng.uniform(0, 1, h_prev.shape)


def random_hidden_state_inputs(rng):
    """(z_t, h_{t-1}, h~_t): a gate in (0, 1) and two states in (-1, 1)."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)


def random_cell_inputs(rng):
    """(x_t, h_{t-1}, params) with weights large enough that every gate matters."""
    n, m = random_sizes(rng)
    params = gru.init_gru_params(n, m, rng=rng, scale=1.0)
    return rng.normal(size=m), rng.uniform(-1, 1, n), params


EXERCISES = [
    Exercise(
        name="update_gate", arguments=("W_z", "h_{t-1}", "x_t", "b_z"), output="z_t",
        reference=lstm_ref.update_gate, random_inputs=random_gate_inputs,
    ),
    Exercise(
        name="reset_gate", arguments=("W_r", "h_{t-1}", "x_t", "b_r"), output="r_t",
        reference=lstm_ref.reset_gate, random_inputs=random_gate_inputs,
    ),
    Exercise(
        name="gru_candidate", arguments=("W_h", "h_{t-1}", "x_t", "b_h", "r_t"), output="h~_t",
        reference=lambda W_h, h_prev, x_t, b_h, r_t: gru.gru_candidate(W_h, h_prev, x_t, b_h, r_t, "lecture"),
        random_inputs=random_candidate_inputs,
    ),
    Exercise(
        name="gru_hidden_state", arguments=("z_t", "h_{t-1}", "h~_t"), output="h_t",
        reference=lstm_ref.gru_hidden_state, random_inputs=random_hidden_state_inputs,
    ),
    Exercise(
        name="gru_cell", arguments=("x_t", "h_{t-1}", "params"), output="h_t",
        reference=lambda x_t, h_prev, params: gru.gru_cell_forward(x_t, h_prev, params, "lecture")[0],
        random_inputs=random_cell_inputs,
    ),
]
