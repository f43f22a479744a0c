"""The GRU assignment's graded functions (lecture 000, the lecture's reset convention)."""

import numpy as np

import lstm_ref
from assignments.declare import GATE_RANGE, TANH_RANGE, Exercise
from assignments.inputs import gate_inputs, random_sizes, random_weights
from lstm_ref import gru


def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    """h~_t in the lecture's convention: r_t resets h_{t-1} before the matrix product."""
    return gru.gru_candidate(W_h, h_prev, x_t, b_h, r_t, convention="lecture")


def gru_cell(x_t, h_prev, params):
    """h_t of one GRU step in the lecture's convention (lstm_ref also returns a cache)."""
    h_t, _ = gru.gru_cell_forward(x_t, h_prev, params, convention="lecture")
    return h_t


def gru_param_count(n_units, n_inputs):
    """Every parameter of a GRU cell in the lecture's notation: 3 blocks (z_t, r_t, h~_t), each W
    (n, n + m) and b (n,)."""
    return sum(int(np.prod(shape)) for shape in gru.gru_param_shapes(n_units, n_inputs).values())


def gru_candidate_inputs(rng: np.random.Generator) -> tuple:
    """(W_h, h_{t-1}, x_t, b_h, r_t): one gate's inputs and a reset gate in (0, 1)."""
    W_h, h_prev, x_t, b_h = gate_inputs(rng)
    return W_h, h_prev, x_t, b_h, rng.uniform(0, 1, h_prev.shape)


def gru_blend_inputs(rng: np.random.Generator) -> tuple:
    """(z_t, h_{t-1}, h~_t): a gate in (0, 1) and two states in (-1, 1)."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)


def gru_step_inputs(rng: np.random.Generator) -> tuple:
    """(x_t, h_{t-1}, params) with weights large enough that every gate matters."""
    n, m = random_sizes(rng)
    params = random_weights(rng, "zrh", n, m)
    return rng.normal(size=m), rng.uniform(-1, 1, n), params


EXERCISES = [
    Exercise(
        name="update_gate",
        arguments=("W_z", "h_{t-1}", "x_t", "b_z"),
        output="z_t",
        reference=lstm_ref.update_gate,
        random_inputs=gate_inputs,
        ranges=(GATE_RANGE,),
    ),
    Exercise(
        name="reset_gate",
        arguments=("W_r", "h_{t-1}", "x_t", "b_r"),
        output="r_t",
        reference=lstm_ref.reset_gate,
        random_inputs=gate_inputs,
        ranges=(GATE_RANGE,),
    ),
    Exercise(
        name="gru_candidate",
        arguments=("W_h", "h_{t-1}", "x_t", "b_h", "r_t"),
        output="h~_t",
        reference=gru_candidate,
        random_inputs=gru_candidate_inputs,
        ranges=(TANH_RANGE,),
    ),
    Exercise(
        name="gru_hidden_state",
        arguments=("z_t", "h_{t-1}", "h~_t"),
        output="h_t",
        reference=lstm_ref.gru_hidden_state,
        random_inputs=gru_blend_inputs,
    ),
    Exercise(
        name="gru_cell",
        arguments=("x_t", "h_{t-1}", "params"),
        output="h_t",
        reference=gru_cell,
        random_inputs=gru_step_inputs,
    ),
    Exercise(
        name="gru_param_count",
        arguments=("n_units", "n_inputs"),
        output="the number of parameters",
        reference=gru_param_count,
        random_inputs=random_sizes,
    ),
]
