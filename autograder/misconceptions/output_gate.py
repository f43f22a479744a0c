"""The output-gate assignment: output_gate, hidden_state, lstm_cell, lstm_forward, lstm_param_count.

A mistake inside one LSTM step also breaks every sequence built from it, so each lstm_cell
misconception has an lstm_forward twin ("in each step: ...").
"""
from functools import partial

import numpy as np

from lstm_ref.activations import sigmoid, tanh

from . import base
from .base import Misconception, Mutation
from .gates import gate_misconceptions, np_dot

STEP_4 = "STEP 4 (the output gate and h_t)"
LECTURE_004_CELL = '"How LSTM Solves Vanishing Gradient Problem" (the LSTM equations)'


def hidden_state_entry(mistake, wrong, says, new, lecture="002", where=STEP_4):
    return Misconception(key=f"hidden_state/{mistake}", exercise="hidden_state", wrong=wrong, says=says,
                         lecture=lecture, where=where, mutation=Mutation("o_t * np.tanh(C_t)", new))


def floats(value):
    return np.asarray(value, dtype=np.float64)


# (mistake, the knobs of base.lstm_cell that make it, what it says, lecture, where)
CELL_MISTAKES = [
    ("x-before-h", dict(order="xh"),
     "you stacked [x_t, h_{t-1}]; every gate of the lectures reads [h_{t-1}, x_t], h first.",
     "002", "STEP 1 to STEP 4"),
    ("no-bias", dict(bias=False),
     "you left out the biases: every gate adds its b (f_t = σ(W_f · [h_{t-1}, x_t] + b_f), and so on).",
     "002", "STEP 1 to STEP 4"),
    ("tanh-for-σ-in-gates", dict(gate_activation=tanh),
     "you squashed the gates f_t, i_t, o_t with tanh; gates use σ, values in (0, 1).",
     "002", '"Gates" and STEP 1 to STEP 4'),
    ("σ-for-tanh-in-candidate", dict(candidate_activation=sigmoid),
     "you squashed the candidate with σ; C~_t = tanh(W_c · [h_{t-1}, x_t] + b_c), values in (-1, 1) "
     "(lecture 004's last slides write σ here; that is an erratum).",
     "002", "STEP 2 (the tanh layer)"),
    ("σ-for-tanh-in-h", dict(read=sigmoid),
     "you read the cell through σ; h_t = o_t ⊙ tanh(C_t) "
     "(lecture 004's last slides write σ(s_t) here; that is an erratum).",
     "002", STEP_4),
    ("C-for-tanh-C", dict(read=lambda C: C),
     "you used C_t where tanh(C_t) belongs: h_t = o_t ⊙ tanh(C_t).",
     "002", STEP_4),
    ("i-for-f", dict(weights={"f": "i"}),
     "the gates are mixed up: you computed f_t with W_i, b_i; f_t = σ(W_f · [h_{t-1}, x_t] + b_f).",
     "002", "STEP 1 (the forget gate layer)"),
    ("o-for-i", dict(weights={"i": "o"}),
     "the gates are mixed up: you computed i_t with W_o, b_o; i_t = σ(W_i · [h_{t-1}, x_t] + b_i).",
     "002", "STEP 2 (the input gate)"),
    ("forget-applied-to-candidate", dict(forget_candidate=True),
     "you applied the forget gate f_t to the candidate C~_t and i_t to C_{t-1}: "
     "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t.",
     "002", "STEP 3 (the cell update)"),
    ("h-from-previous-cell", dict(read_previous_cell=True),
     "off by one step in time: you read h_t from C_{t-1}; h_t = o_t ⊙ tanh(C_t) reads the new cell state.",
     "002", STEP_4),
    ("concatenated-along-batch-axis", dict(concat_axis=0),
     "wrong axis in a batch: [h_{t-1}, x_t] joins each example's h and x along the last axis "
     "(np.concatenate(..., axis=-1)), not along axis 0, which stacks the examples.",
     "004", '"Forget Gate" (W_f · [h_{t-1}, x_t], one column per entry)'),
]


def cell_entry(mistake, knobs, says, lecture, where):
    return Misconception(key=f"lstm_cell/{mistake}", exercise="lstm_cell",
                         wrong=partial(base.lstm_cell, **knobs), says=says, lecture=lecture, where=where)


def forward_entry(mistake, wrong, says, lecture="004", where='"Back propagating through time for gradient computation"'):
    return Misconception(key=f"lstm_forward/{mistake}", exercise="lstm_forward", wrong=wrong, says=says,
                         lecture=lecture, where=where)


def param_count_entry(mistake, wrong, says):
    return Misconception(key=f"lstm_param_count/{mistake}", exercise="lstm_param_count", wrong=wrong,
                         says=says, lecture="002", where="STEP 1 to STEP 4 (one W and one b per layer)")


MISCONCEPTIONS = [
    *gate_misconceptions("output_gate", "o_t", "o", "σ", lecture="002", where=STEP_4),
    hidden_state_entry(
        "C-for-tanh-C", lambda o_t, C_t: floats(o_t) * floats(C_t),
        "you used C_t where tanh(C_t) belongs: h_t = o_t ⊙ tanh(C_t).", "o_t * C_t"),
    hidden_state_entry(
        "σ-for-tanh", lambda o_t, C_t: floats(o_t) * sigmoid(C_t),
        "you read the cell through σ; h_t = o_t ⊙ tanh(C_t) "
        "(lecture 004's last slides write σ(s_t) here; that is an erratum).",
        "o_t * (1 / (1 + np.exp(-C_t)))"),
    hidden_state_entry(
        "tanh-of-product", lambda o_t, C_t: np.tanh(floats(o_t) * floats(C_t)),
        "tanh squashes C_t before o_t multiplies: h_t = o_t ⊙ tanh(C_t), not tanh(o_t ⊙ C_t).",
        "np.tanh(o_t * C_t)"),
    hidden_state_entry(
        "matrix-product-for-⊙", lambda o_t, C_t: np_dot(o_t, np.tanh(floats(C_t))),
        "h_t = o_t ⊙ tanh(C_t) multiplies entry by entry (*); you took the matrix (dot) product (@).",
        "o_t @ np.tanh(C_t)"),
    *[cell_entry(*mistake) for mistake in CELL_MISTAKES],
    *[forward_entry(f"step-{mistake}",
                    partial(base.lstm_forward, cell=partial(base.lstm_cell, **knobs)),
                    f"in each step (lstm_cell), {says}", lecture, where)
      for mistake, knobs, says, lecture, where in CELL_MISTAKES],
    forward_entry(
        "initial-state-ignored", partial(base.lstm_forward, zero_initial_state=True),
        "you ignored the initial state: the first step reads h0 and C0 as h_{t-1} and C_{t-1}, not zeros."),
    forward_entry(
        "stored-before-step", partial(base.lstm_forward, store_before_step=True),
        "off by one step in time: h_all[t] holds h_{t-1}; store h_t, the state after step t."),
    forward_entry(
        "state-not-carried", partial(base.lstm_forward, carry_state=False),
        "every step started again from h0, C0: step t reads the h_{t-1}, C_{t-1} that step t - 1 returned."),
    forward_entry(
        "stacked-along-batch-axis", partial(base.lstm_forward, stack_axis=1),
        "wrong axis in a batch: h_all is (T, B, n), time first; you stacked the h_t along axis 1."),
    forward_entry(
        "time-along-batch-axis", partial(base.lstm_forward, time_axis=1),
        "wrong axis in a batch: x is (T, B, m), so step t reads x[t]; you stepped along axis 1 (the batch)."),
    param_count_entry(
        "no-bias", lambda n, m: 4 * n * (n + m),
        "you left out the biases: each of f_t, i_t, C~_t, o_t has a W (n x (n + m)) and a b (n)."),
    param_count_entry(
        "one-layer", lambda n, m: n * (n + m) + n,
        "you counted one layer: f_t, i_t, C~_t and o_t each have their own W (n x (n + m)) and b (n)."),
    param_count_entry(
        "three-layers", lambda n, m: 3 * (n * (n + m) + n),
        "you counted three layers: besides the gates f_t, i_t, o_t the candidate C~_t has its own W_c and b_c."),
    param_count_entry(
        "x-only", lambda n, m: 4 * (n * m + n),
        "each W acts on [h_{t-1}, x_t], n + m numbers, not on x_t alone: it is n x (n + m)."),
    param_count_entry(
        "two-biases", lambda n, m: 4 * (n * (n + m) + 2 * n),
        "you counted two biases per layer, as PyTorch does (b_ih and b_hh); the lectures' LSTM has one b per layer."),
]
