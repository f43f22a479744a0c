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


# The solution's lstm_cell calls the gates (lstm_ref's, imported by the notebook) like this:
GATE_CALLS = tuple(f'{gate_t} = {function}(params["W_{g}"], h_prev, x_t, params["b_{g}"])'
                   for gate_t, function, g in (("f_t", "forget_gate", "f"), ("i_t", "input_gate", "i"),
                                               ("o_t", "output_gate", "o")))
TANH_GATE_CALLS = tuple(call.split(" = ")[0] + f' = np.tanh(np.concatenate([h_prev, x_t], axis=-1) @ params["W_{g}"].T'
                        f' + params["b_{g}"])' for call, g in zip(GATE_CALLS, "fio"))
RETURN = "return hidden_state(o_t, C_t), C_t"

# (mistake, the knobs of base.lstm_cell that make it, what it says, lecture, where, mutation)
CELL_MISTAKES = [
    ("x-before-h", dict(order="xh"),
     "you stacked [x_t, h_{t-1}]; every gate of the lectures reads [h_{t-1}, x_t], h first.",
     "002", "STEP 1 to STEP 4",
     Mutation("h_prev, x_t,", "x_t, h_prev,")),
    ("no-bias", dict(bias=False),
     "you left out the biases: every gate adds its b (f_t = σ(W_f · [h_{t-1}, x_t] + b_f), and so on).",
     "002", "STEP 1 to STEP 4", Mutation('params["b_', '0 * params["b_')),
    ("tanh-for-σ-in-gates", dict(gate_activation=tanh),
     "you squashed the gates f_t, i_t, o_t with tanh; gates use σ, values in (0, 1).",
     "002", '"Gates" and STEP 1 to STEP 4', Mutation(GATE_CALLS, TANH_GATE_CALLS)),
    ("σ-for-tanh-in-candidate", dict(candidate_activation=sigmoid),
     "you squashed the candidate with σ; C~_t = tanh(W_c · [h_{t-1}, x_t] + b_c), values in (-1, 1) "
     "(lecture 004's \"States\" slide writes σ here: an erratum).",
     "002", "STEP 2 (the tanh layer)",
     Mutation('candidate(params["W_c"], h_prev, x_t, params["b_c"])',
              'sigmoid(np.concatenate([h_prev, x_t], axis=-1) @ params["W_c"].T + params["b_c"])')),
    ("σ-for-tanh-in-h", dict(read=sigmoid),
     "you read the cell through σ; h_t = o_t ⊙ tanh(C_t) "
     "(lecture 004's \"States\" slide writes σ(s_t) here: an erratum).",
     "002", STEP_4, Mutation(RETURN, "return o_t * sigmoid(C_t), C_t")),
    ("C-for-tanh-C", dict(read=lambda C: C),
     "you used C_t where tanh(C_t) belongs: h_t = o_t ⊙ tanh(C_t).",
     "002", STEP_4, Mutation(RETURN, "return o_t * C_t, C_t")),
    ("i-for-f", dict(weights={"f": "i"}),
     "the gates are mixed up: you computed f_t with W_i, b_i; f_t = σ(W_f · [h_{t-1}, x_t] + b_f).",
     "002", "STEP 1 (the forget gate layer)", Mutation('forget_gate(params["W_f"], h_prev, x_t, params["b_f"])',
                                                      'forget_gate(params["W_i"], h_prev, x_t, params["b_i"])')),
    ("o-for-i", dict(weights={"i": "o"}),
     "the gates are mixed up: you computed i_t with W_o, b_o; i_t = σ(W_i · [h_{t-1}, x_t] + b_i).",
     "002", "STEP 2 (the input gate)", Mutation('input_gate(params["W_i"], h_prev, x_t, params["b_i"])',
                                                'input_gate(params["W_o"], h_prev, x_t, params["b_o"])')),
    ("forget-applied-to-candidate", dict(forget_candidate=True),
     "you applied the forget gate f_t to the candidate C~_t and i_t to C_{t-1}: "
     "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t.",
     "002", "STEP 3 (the cell update)", Mutation("cell_update(f_t, C_prev, i_t, C_tilde)",
                                                 "cell_update(f_t, C_tilde, i_t, C_prev)")),
    ("h-from-previous-cell", dict(read_previous_cell=True),
     "off by one step in time: you read h_t from C_{t-1}; h_t = o_t ⊙ tanh(C_t) reads the new cell state.",
     "002", STEP_4, Mutation(RETURN, "return hidden_state(o_t, C_prev), C_t")),
    ("concatenated-along-batch-axis", dict(concat_axis=0),
     "wrong axis in a batch: [h_{t-1}, x_t] joins each example's h and x along the last axis "
     "(np.concatenate(..., axis=-1)), not along axis 0, which stacks the examples.",
     "004", '"Forget Gate" (W_f · [h_{t-1}, x_t], one column per entry)',
     Mutation("axis=-1", "axis=0", cell="output_gate")),
]


def cell_entry(mistake, knobs, says, lecture, where, mutation):
    return Misconception(key=f"lstm_cell/{mistake}", exercise="lstm_cell", wrong=partial(base.lstm_cell, **knobs),
                         says=says, lecture=lecture, where=where,
                         mutation=Mutation(mutation.old, mutation.new, cell=mutation.cell or "lstm_cell"))


def forward_entry(mistake, wrong, says, lecture="000", where='"RNN Forward Propagation (Recap)" (unrolling through time)',
                  mutation=None):
    return Misconception(key=f"lstm_forward/{mistake}", exercise="lstm_forward", wrong=wrong, says=says,
                         lecture=lecture, where=where, mutation=mutation)


REVIEWS_WHERE = '"RNN Forward Propagation (Recap)" (the Review / Sentiment table)'
LAST_STEP = "h_all[lengths - 1, np.arange(len(lengths))]"


def last_hidden_state_entry(mistake, wrong, says, new):
    return Misconception(key=f"last_hidden_state/{mistake}", exercise="last_hidden_state",
                         wrong=lambda h_all, lengths: wrong(floats(h_all), np.asarray(lengths, dtype=int)),
                         says=says, lecture="000", where=REVIEWS_WHERE, mutation=Mutation(LAST_STEP, new))


PARAM_COUNT = "4 * (n_units * (n_units + n_inputs) + n_units)"


def param_count_entry(mistake, wrong, says, code):
    return Misconception(key=f"lstm_param_count/{mistake}", exercise="lstm_param_count", wrong=wrong,
                         says=says, lecture="002", where="STEP 1 to STEP 4 (one W and one b per layer)",
                         mutation=Mutation(PARAM_COUNT, code))


MISCONCEPTIONS = [
    *gate_misconceptions("output_gate", "o_t", "o", "σ", lecture="002", where=STEP_4,
                         product=("@ W_o.T", "* W_o.T")),
    hidden_state_entry(
        "C-for-tanh-C", lambda o_t, C_t: floats(o_t) * floats(C_t),
        "you used C_t where tanh(C_t) belongs: h_t = o_t ⊙ tanh(C_t).", "o_t * C_t"),
    hidden_state_entry(
        "σ-for-tanh", lambda o_t, C_t: floats(o_t) * sigmoid(C_t),
        "you read the cell through σ; h_t = o_t ⊙ tanh(C_t) "
        "(lecture 004's \"States\" slide writes σ(s_t) here: an erratum).",
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
    # The same mistakes seen through a sequence: the mutation is in lstm_cell (or a gate).
    *[forward_entry(f"step-{mistake}",
                    partial(base.lstm_forward, cell=partial(base.lstm_cell, **knobs)),
                    f"in each step (lstm_cell), {says}", lecture, where,
                    Mutation(mutation.old, mutation.new, cell=mutation.cell or "lstm_cell"))
      for mistake, knobs, says, lecture, where, mutation in CELL_MISTAKES],
    forward_entry(
        "initial-state-ignored", partial(base.lstm_forward, zero_initial_state=True),
        "you ignored the initial state: the first step reads h0 and C0 as h_{t-1} and C_{t-1}, not zeros.",
        mutation=Mutation("h_t, C_t, h_all = h0, C0, []", "h_t, C_t, h_all = np.zeros_like(h0), np.zeros_like(C0), []")),
    forward_entry(
        "stored-before-step", partial(base.lstm_forward, store_before_step=True),
        "off by one step in time: h_all[t] holds h_{t-1}; store h_t, the state after step t.",
        mutation=Mutation("h_t, C_t = lstm_cell(x_t, h_t, C_t, params)\n        h_all.append(h_t)",
                          "h_all.append(h_t)\n        h_t, C_t = lstm_cell(x_t, h_t, C_t, params)")),
    forward_entry(
        "state-not-carried", partial(base.lstm_forward, carry_state=False),
        "every step started again from h0, C0: step t reads the h_{t-1}, C_{t-1} that step t - 1 returned.",
        mutation=Mutation("lstm_cell(x_t, h_t, C_t, params)", "lstm_cell(x_t, h0, C0, params)")),
    forward_entry(
        "stacked-along-batch-axis", partial(base.lstm_forward, stack_axis=1),
        "wrong axis in a batch: h_all is (T, B, n), time first; you stacked the h_t along axis 1.",
        mutation=Mutation("np.stack(h_all)", "np.stack(h_all, axis=1)")),
    forward_entry(
        "time-along-batch-axis", partial(base.lstm_forward, time_axis=1),
        "wrong axis in a batch: x is (T, B, m), so step t reads x[t]; you stepped along axis 1 (the batch).",
        mutation=Mutation("for x_t in x:", "for x_t in x.swapaxes(0, 1):")),
    last_hidden_state_entry(
        "padded-last-step", lambda h_all, lengths: h_all[-1],
        "you read every sequence at the batch's last step, h_all[-1]; a shorter sequence ended "
        "earlier, and after its end the LSTM only read padding: row b is h_all[lengths[b] - 1, b].",
        "h_all[-1]"),
    last_hidden_state_entry(
        "off-by-one", lambda h_all, lengths: h_all[lengths, np.arange(len(lengths))],
        "off by one step in time: a sequence of length L ends at step L - 1 (counting from 0), "
        "so row b is h_all[lengths[b] - 1, b].",
        "h_all[lengths, np.arange(len(lengths))]"),
    last_hidden_state_entry(
        "time-index-only", lambda h_all, lengths: h_all[lengths - 1],
        "h_all[lengths - 1] picks whole time steps, every sequence at each (shape (B, B, n)); pair "
        "each step with its own sequence: h_all[lengths - 1, np.arange(len(lengths))].",
        "h_all[lengths - 1]"),
    param_count_entry(
        "no-bias", lambda n, m: 4 * n * (n + m),
        "you left out the biases: each of f_t, i_t, C~_t, o_t has a W (n x (n + m)) and a b (n).",
        "4 * (n_units * (n_units + n_inputs))"),
    param_count_entry(
        "one-layer", lambda n, m: n * (n + m) + n,
        "you counted one layer: f_t, i_t, C~_t and o_t each have their own W (n x (n + m)) and b (n).",
        "n_units * (n_units + n_inputs) + n_units"),
    param_count_entry(
        "three-layers", lambda n, m: 3 * (n * (n + m) + n),
        "you counted three layers: besides the gates f_t, i_t, o_t the candidate C~_t has its own W_c and b_c.",
        "3 * (n_units * (n_units + n_inputs) + n_units)"),
    param_count_entry(
        "x-only", lambda n, m: 4 * (n * m + n),
        "each W acts on [h_{t-1}, x_t], n + m numbers, not on x_t alone: it is n x (n + m).",
        "4 * (n_units * n_inputs + n_units)"),
    param_count_entry(
        "two-biases", lambda n, m: 4 * (n * (n + m) + 2 * n),
        "you counted two biases per layer, as PyTorch does (b_ih and b_hh); the lectures' LSTM has one b per layer.",
        "4 * (n_units * (n_units + n_inputs) + 2 * n_units)"),
]
