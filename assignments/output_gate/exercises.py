"""The output-gate assignment's graded functions: o_t, h_t, the whole cell, a sequence."""
import numpy as np

import lstm_ref
from lstm_ref.worked_examples.reviews import last_hidden_state

from student_kit import inputs

from .base import Exercise


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
    """4 gates, each with W (n, n + m) and b (n,): 4 (n (n + m) + n)."""
    return 4 * (n_units * (n_units + n_inputs) + n_units)


EXERCISES = [
    Exercise(
        name="output_gate", arguments=("W_o", "h_{t-1}", "x_t", "b_o"), output="o_t",
        reference=lstm_ref.output_gate, random_inputs=inputs.gate_inputs,
    ),
    Exercise(
        name="hidden_state", arguments=("o_t", "C_t"), output="h_t = o_t * tanh(C_t)",
        reference=lstm_ref.hidden_state, random_inputs=inputs.gate_and_cell_state,
    ),
    Exercise(
        name="lstm_cell", arguments=("x_t", "h_{t-1}", "C_{t-1}", "params"), output="(h_t, C_t)",
        reference=lstm_cell, random_inputs=inputs.lstm_step_inputs,
    ),
    Exercise(
        name="lstm_forward", arguments=("x", "h_0", "C_0", "params"), output="(h_all, C_T)",
        reference=lstm_forward, random_inputs=inputs.lstm_sequence_inputs,
    ),
    Exercise(
        name="last_hidden_state", arguments=("h_all", "lengths"), output="h_t at each sequence's last step",
        reference=last_hidden_state, random_inputs=inputs.padded_batch,
    ),
    Exercise(
        name="lstm_param_count", arguments=("n_units", "n_inputs"), output="the number of parameters",
        reference=lstm_param_count, random_inputs=inputs.random_sizes,
    ),
]
