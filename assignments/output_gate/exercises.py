"""The output-gate assignment's graded functions: o_t, h_t, the whole cell, a sequence."""

import numpy as np

import lstm_ref
from assignments.declare import GATE_RANGE, HIDDEN_RANGE, Exercise
from assignments.inputs import gate_inputs, random_sizes, random_weights
from lstm_ref.sequences import last_hidden_state


def lstm_cell(x_t, h_prev, C_prev, params):
    """(h_t, C_t) of one LSTM step, from lstm_ref (which also returns a cache)."""
    (h_t, C_t), _ = lstm_ref.lstm_cell_forward(x_t, h_prev, C_prev, params)
    return h_t, C_t


def lstm_forward(x, h0, C0, params):
    """(h_all (T, B, n), C_T (B, n)): lstm_cell applied along the time axis of x (T, B, m)."""
    h_t, C_t, h_all = h0, C0, []
    for x_t in x:
        h_t, C_t = lstm_cell(x_t, h_t, C_t, params)
        h_all.append(h_t)
    return np.stack(h_all), C_t


def lstm_param_count(n_units, n_inputs):
    """Every parameter of an LSTM cell: 4 gates, each with W (n, n + m) and b (n,)."""
    return sum(p.size for p in lstm_ref.init_params(n_units, n_inputs).values())


def gate_and_cell_state(rng: np.random.Generator) -> tuple:
    """(o_t, C_t): a gate in (0, 1) and a cell state large enough that tanh matters."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=2, size=n)


def lstm_step_inputs(rng: np.random.Generator) -> tuple:
    """(x_t (B, m), h_{t-1} (B, n), C_{t-1} (B, n), params) for a batch of B sequences."""
    (n, m), B = random_sizes(rng), int(rng.integers(1, 4))
    params = random_weights(rng, "fico", n, m)
    return rng.normal(size=(B, m)), rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n)), params


def lstm_sequence_inputs(rng: np.random.Generator) -> tuple:
    """(x (T, B, m), h_0 (B, n), C_0 (B, n), params)."""
    (n, m), B, T = random_sizes(rng), int(rng.integers(1, 4)), int(rng.integers(1, 6))
    params = random_weights(rng, "fico", n, m)
    return rng.normal(size=(T, B, m)), rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n)), params


def padded_batch(rng: np.random.Generator) -> tuple:
    """(h_all (T, B, n), lengths (B,)): sequences of different lengths; the longest has T steps."""
    T, B, n = int(rng.integers(2, 7)), int(rng.integers(2, 5)), int(rng.integers(1, 5))
    lengths = rng.integers(1, T, size=B)  # all shorter than T ...
    lengths[rng.integers(B)] = T  # ... but one: the batch is padded to the longest
    return rng.uniform(-1, 1, (T, B, n)), lengths


EXERCISES = [
    Exercise(
        name="output_gate",
        arguments=("W_o", "h_{t-1}", "x_t", "b_o"),
        output="o_t",
        reference=lstm_ref.output_gate,
        random_inputs=gate_inputs,
        ranges=(GATE_RANGE,),
    ),
    Exercise(
        name="hidden_state",
        arguments=("o_t", "C_t"),
        output="h_t = o_t * tanh(C_t)",
        reference=lstm_ref.hidden_state,
        random_inputs=gate_and_cell_state,
        ranges=(HIDDEN_RANGE,),
    ),
    Exercise(
        name="lstm_cell",
        arguments=("x_t", "h_{t-1}", "C_{t-1}", "params"),
        output="(h_t, C_t)",
        reference=lstm_cell,
        random_inputs=lstm_step_inputs,
        ranges=(HIDDEN_RANGE, None),
    ),
    Exercise(
        name="lstm_forward",
        arguments=("x", "h_0", "C_0", "params"),
        output="(h_all, C_T)",
        reference=lstm_forward,
        random_inputs=lstm_sequence_inputs,
        ranges=(HIDDEN_RANGE, None),
    ),
    Exercise(
        name="last_hidden_state",
        arguments=("h_all", "lengths"),
        output="h_t at each sequence's last step",
        reference=last_hidden_state,
        random_inputs=padded_batch,
    ),
    Exercise(
        name="lstm_param_count",
        arguments=("n_units", "n_inputs"),
        output="the number of parameters",
        reference=lstm_param_count,
        random_inputs=random_sizes,
    ),
]
