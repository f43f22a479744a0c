"""The output-gate assignment's known mistakes: output_gate, hidden_state, lstm_cell, lstm_forward,
last_hidden_state, lstm_param_count. Each is the function a student wrote, whole; the functions it
calls are the student's own in the notebook, and the right ones (lstm_ref's) here.

A mistake inside one LSTM step also breaks every sequence built from it, so each lstm_cell
mistake has an lstm_forward twin ("in each step (lstm_cell), ..."), made in lstm_cell.
"""

import numpy as np

from assignments.declare import Catalogue, Mistake
from assignments.output_gate.exercises import lstm_cell
from lstm_ref import candidate, cell_update, forget_gate, hidden_state, input_gate, output_gate, sigmoid

CATALOGUE = Catalogue(globals())

STEP_4 = "STEP 4 (the output gate and h_t)"
O_T = "o_t = σ(W_o · [h_{t-1}, x_t] + b_o)"
H_T = "h_t = o_t ⊙ tanh(C_t)"
UNROLLING = '"RNN Forward Propagation (Recap)" (unrolling through time)'
REVIEWS = '"RNN Forward Propagation (Recap)" (the Review / Sentiment table)'
LAYERS = "STEP 1 to STEP 4 (one W and one b per layer)"
ERRATUM_004 = '(lecture 004\'s "States" slide writes σ(s_t) here: an erratum)'


@CATALOGUE.mistake(
    "tanh-for-σ",
    lecture="002",
    where=STEP_4,
    says=f"you squashed with tanh where {O_T} uses σ, so o_t must lie in (0, 1).",
)
def output_gate(W_o, h_prev, x_t, b_o):
    return np.tanh(np.concatenate([h_prev, x_t], axis=-1) @ W_o.T + b_o)


@CATALOGUE.mistake(
    "x-before-h", lecture="002", where=STEP_4, says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {O_T}."
)
def output_gate(W_o, h_prev, x_t, b_o):
    return sigmoid(np.concatenate([x_t, h_prev], axis=-1) @ W_o.T + b_o)


@CATALOGUE.mistake("no-bias", lecture="002", where=STEP_4, says=f"you left out the bias b_o: {O_T}.")
def output_gate(W_o, h_prev, x_t, b_o):
    return sigmoid(np.concatenate([h_prev, x_t], axis=-1) @ W_o.T)


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="002",
    where=STEP_4,
    says="W_o · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def output_gate(W_o, h_prev, x_t, b_o):
    return sigmoid(np.concatenate([h_prev, x_t], axis=-1) * W_o.T + b_o)


@CATALOGUE.mistake("C-for-tanh-C", lecture="002", where=STEP_4, says=f"you used C_t where tanh(C_t) belongs: {H_T}.")
def hidden_state(o_t, C_t):
    return o_t * C_t


@CATALOGUE.mistake("σ-for-tanh", lecture="002", where=STEP_4, says=f"you read the cell through σ; {H_T} {ERRATUM_004}.")
def hidden_state(o_t, C_t):
    return o_t * (1 / (1 + np.exp(-C_t)))


@CATALOGUE.mistake(
    "tanh-of-product",
    lecture="002",
    where=STEP_4,
    says=f"tanh squashes C_t before o_t multiplies: {H_T}, not tanh(o_t ⊙ C_t).",
)
def hidden_state(o_t, C_t):
    return np.tanh(o_t * C_t)


@CATALOGUE.mistake(
    "tan-for-tanh",
    lecture="002",
    where=STEP_4,
    says=f"you wrote np.tan, the tangent; {H_T} uses np.tanh, the hyperbolic tangent, values in (-1, 1).",
)
def hidden_state(o_t, C_t):
    return o_t * np.tan(C_t)


@CATALOGUE.mistake(
    "matrix-product-for-⊙",
    lecture="002",
    where=STEP_4,
    says=f"{H_T} multiplies entry by entry (*); you took the matrix (dot) product (@).",
)
def hidden_state(o_t, C_t):
    return o_t @ np.tanh(C_t)


# One LSTM step. The solution calls the student's gates; a mistake in the step is made here.


@CATALOGUE.mistake(
    "x-before-h",
    lecture="002",
    where="STEP 1 to STEP 4",
    says="you stacked [x_t, h_{t-1}]; every gate of the lectures reads [h_{t-1}, x_t], h first.",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], x_t, h_prev, params["b_f"])
    i_t = input_gate(params["W_i"], x_t, h_prev, params["b_i"])
    C_tilde = candidate(params["W_c"], x_t, h_prev, params["b_c"])
    o_t = output_gate(params["W_o"], x_t, h_prev, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "no-bias",
    lecture="002",
    where="STEP 1 to STEP 4",
    says="you left out the biases: every gate adds its b (f_t = σ(W_f · [h_{t-1}, x_t] + b_f), and so on).",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, 0 * params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, 0 * params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, 0 * params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, 0 * params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "tanh-for-σ-in-gates",
    lecture="002",
    where='"Gates" and STEP 1 to STEP 4',
    says="you squashed the gates f_t, i_t, o_t with tanh; gates use σ, values in (0, 1).",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = np.tanh(np.concatenate([h_prev, x_t], axis=-1) @ params["W_f"].T + params["b_f"])
    i_t = np.tanh(np.concatenate([h_prev, x_t], axis=-1) @ params["W_i"].T + params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = np.tanh(np.concatenate([h_prev, x_t], axis=-1) @ params["W_o"].T + params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "σ-for-tanh-in-candidate",
    lecture="002",
    where="STEP 2 (the tanh layer)",
    says="you squashed the candidate with σ; C~_t = tanh(W_c · [h_{t-1}, x_t] + b_c), values in "
    '(-1, 1) (lecture 004\'s "States" slide writes σ here: an erratum).',
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = sigmoid(np.concatenate([h_prev, x_t], axis=-1) @ params["W_c"].T + params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "σ-for-tanh-in-h", lecture="002", where=STEP_4, says=f"you read the cell through σ; {H_T} {ERRATUM_004}."
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return o_t * sigmoid(C_t), C_t


@CATALOGUE.mistake(
    "tan-for-tanh-in-h",
    lecture="002",
    where=STEP_4,
    says=f"you wrote np.tan, the tangent, where {H_T} uses np.tanh, the hyperbolic tangent.",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return o_t * np.tan(C_t), C_t


@CATALOGUE.mistake(
    "o_t-as-C_t",
    lecture="002",
    where="STEP 3 and STEP 4 (C_t, then h_t)",
    says="you returned the output gate o_t in place of the cell state: lstm_cell returns (h_t, C_t) "
    "with C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t, the memory the next step reads.",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), o_t


@CATALOGUE.mistake("C-for-tanh-C", lecture="002", where=STEP_4, says=f"you used C_t where tanh(C_t) belongs: {H_T}.")
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return o_t * C_t, C_t


@CATALOGUE.mistake(
    "i-for-f",
    lecture="002",
    where="STEP 1 (the forget gate layer)",
    says="the gates are mixed up: you computed f_t with W_i, b_i; f_t = σ(W_f · [h_{t-1}, x_t] + b_f).",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_i"], h_prev, x_t, params["b_i"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "o-for-i",
    lecture="002",
    where="STEP 2 (the input gate)",
    says="the gates are mixed up: you computed i_t with W_o, b_o; i_t = σ(W_i · [h_{t-1}, x_t] + b_i).",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "forget-applied-to-candidate",
    lecture="002",
    where="STEP 3 (the cell update)",
    says="you applied the forget gate f_t to the candidate C~_t and i_t to C_{t-1}: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t.",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_tilde, i_t, C_prev)
    return hidden_state(o_t, C_t), C_t


@CATALOGUE.mistake(
    "h-from-previous-cell",
    lecture="002",
    where=STEP_4,
    says=f"off by one step in time: you read h_t from C_{{t-1}}; {H_T} reads the new cell state.",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_prev), C_t


@CATALOGUE.mistake(
    "concatenated-along-batch-axis",
    lecture="004",
    where='"Forget Gate" (W_f · [h_{t-1}, x_t], one column per entry)',
    says="wrong axis in a batch: [h_{t-1}, x_t] joins each example's h and x along the last axis "
    "(np.concatenate(..., axis=-1)), not along axis 0, which stacks the examples.",
)
def lstm_cell(x_t, h_prev, C_prev, params):
    v = np.concatenate([h_prev, x_t], axis=0)
    f_t = sigmoid(v @ params["W_f"].T + params["b_f"])
    i_t = sigmoid(v @ params["W_i"].T + params["b_i"])
    C_tilde = np.tanh(v @ params["W_c"].T + params["b_c"])
    o_t = sigmoid(v @ params["W_o"].T + params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    return hidden_state(o_t, C_t), C_t


def in_each_step(cell_mistake: Mistake) -> Mistake:
    """An lstm_cell mistake seen through a sequence: lstm_forward with the mistaken step."""
    step = cell_mistake.wrong

    def lstm_forward(x, h0, C0, params):
        h_t, C_t, h_all = h0, C0, []
        for x_t in x:
            h_t, C_t = step(x_t, h_t, C_t, params)
            h_all.append(h_t)
        return np.stack(h_all), C_t

    return Mistake(
        key=f"lstm_forward/step-{cell_mistake.key.split('/', 1)[1]}",
        exercise="lstm_forward",
        wrong=lstm_forward,
        says=f"in each step (lstm_cell), {cell_mistake.says}",
        lecture=cell_mistake.lecture,
        where=cell_mistake.where,
        made_in=step,
    )


for cell_mistake in [entry for entry in CATALOGUE if entry.exercise == "lstm_cell"]:
    CATALOGUE.add(in_each_step(cell_mistake))


@CATALOGUE.mistake(
    "initial-state-ignored",
    lecture="000",
    where=UNROLLING,
    says="you ignored the initial state: the first step reads h0 and C0 as h_{t-1} and C_{t-1}, not zeros.",
)
def lstm_forward(x, h0, C0, params):
    h_t, C_t, h_all = np.zeros_like(h0), np.zeros_like(C0), []
    for x_t in x:
        h_t, C_t = lstm_cell(x_t, h_t, C_t, params)
        h_all.append(h_t)
    return np.stack(h_all), C_t


@CATALOGUE.mistake(
    "stored-before-step",
    lecture="000",
    where=UNROLLING,
    says="off by one step in time: h_all[t] holds h_{t-1}; store h_t, the state after step t.",
)
def lstm_forward(x, h0, C0, params):
    h_t, C_t, h_all = h0, C0, []
    for x_t in x:
        h_all.append(h_t)
        h_t, C_t = lstm_cell(x_t, h_t, C_t, params)
    return np.stack(h_all), C_t


@CATALOGUE.mistake(
    "state-not-carried",
    lecture="000",
    where=UNROLLING,
    says="every step started again from h0, C0: step t reads the h_{t-1}, C_{t-1} that step t - 1 returned.",
)
def lstm_forward(x, h0, C0, params):
    h_t, C_t, h_all = h0, C0, []
    for x_t in x:
        h_t, C_t = lstm_cell(x_t, h0, C0, params)
        h_all.append(h_t)
    return np.stack(h_all), C_t


@CATALOGUE.mistake(
    "stacked-along-batch-axis",
    lecture="000",
    where=UNROLLING,
    says="wrong axis in a batch: h_all is (T, B, n), time first; you stacked the h_t along axis 1.",
)
def lstm_forward(x, h0, C0, params):
    h_t, C_t, h_all = h0, C0, []
    for x_t in x:
        h_t, C_t = lstm_cell(x_t, h_t, C_t, params)
        h_all.append(h_t)
    return np.stack(h_all, axis=1), C_t


@CATALOGUE.mistake(
    "time-along-batch-axis",
    lecture="000",
    where=UNROLLING,
    says="wrong axis in a batch: x is (T, B, m), so step t reads x[t]; you stepped along axis 1 (the batch).",
)
def lstm_forward(x, h0, C0, params):
    h_t, C_t, h_all = h0, C0, []
    for x_t in x.swapaxes(0, 1):
        h_t, C_t = lstm_cell(x_t, h_t, C_t, params)
        h_all.append(h_t)
    return np.stack(h_all), C_t


@CATALOGUE.mistake(
    "padded-last-step",
    lecture="000",
    where=REVIEWS,
    says="you read every sequence at the batch's last step, h_all[-1]; a shorter sequence ended "
    "earlier, and after its end the LSTM only read padding: row b is h_all[lengths[b] - 1, b].",
)
def last_hidden_state(h_all, lengths):
    return h_all[-1]


@CATALOGUE.mistake(
    "off-by-one",
    lecture="000",
    where=REVIEWS,
    says="off by one step in time: a sequence of length L ends at step L - 1 (counting from 0), "
    "so row b is h_all[lengths[b] - 1, b].",
)
def last_hidden_state(h_all, lengths):
    return h_all[lengths, np.arange(len(lengths))]


@CATALOGUE.mistake(
    "time-index-only",
    lecture="000",
    where=REVIEWS,
    says="h_all[lengths - 1] picks whole time steps, every sequence at each (shape (B, B, n)); pair "
    "each step with its own sequence: h_all[lengths - 1, np.arange(len(lengths))].",
)
def last_hidden_state(h_all, lengths):
    return h_all[lengths - 1]


@CATALOGUE.mistake(
    "no-bias",
    lecture="002",
    where=LAYERS,
    says="you left out the biases: each of f_t, i_t, C~_t, o_t has a W (n x (n + m)) and a b (n).",
)
def lstm_param_count(n_units, n_inputs):
    return 4 * (n_units * (n_units + n_inputs))


@CATALOGUE.mistake(
    "one-layer",
    lecture="002",
    where=LAYERS,
    says="you counted one layer: f_t, i_t, C~_t and o_t each have their own W (n x (n + m)) and b (n).",
)
def lstm_param_count(n_units, n_inputs):
    return n_units * (n_units + n_inputs) + n_units


@CATALOGUE.mistake(
    "three-layers",
    lecture="002",
    where=LAYERS,
    says="you counted three layers: besides the gates f_t, i_t, o_t the candidate C~_t has its own W_c and b_c.",
)
def lstm_param_count(n_units, n_inputs):
    return 3 * (n_units * (n_units + n_inputs) + n_units)


@CATALOGUE.mistake(
    "x-only",
    lecture="002",
    where=LAYERS,
    says="each W acts on [h_{t-1}, x_t], n + m numbers, not on x_t alone: it is n x (n + m).",
)
def lstm_param_count(n_units, n_inputs):
    return 4 * (n_units * n_inputs + n_units)


@CATALOGUE.mistake(
    "two-biases",
    lecture="002",
    where=LAYERS,
    says="you counted two biases per layer, as PyTorch does (b_ih and b_hh); the lectures' LSTM has one b per layer.",
)
def lstm_param_count(n_units, n_inputs):
    return 4 * (n_units * (n_units + n_inputs) + 2 * n_units)


# Right answers written otherwise: no mistake above may be named for them.


@CATALOGUE.right
def output_gate(W_o, h_prev, x_t, b_o):
    return sigmoid(W_o[:, : len(h_prev)] @ h_prev + W_o[:, len(h_prev) :] @ x_t + b_o)


@CATALOGUE.right
def output_gate(W_o, h_prev, x_t, b_o):
    return sigmoid(np.einsum("ij,j->i", W_o, np.hstack([h_prev, x_t])) + b_o)


@CATALOGUE.right
def hidden_state(o_t, C_t):
    return o_t * (1 - 2 / (np.exp(2 * C_t) + 1))


@CATALOGUE.right
def hidden_state(o_t, C_t):
    return np.diag(o_t) @ np.tanh(C_t)


@CATALOGUE.right
def lstm_cell(x_t, h_prev, C_prev, params):
    z = np.concatenate([h_prev, x_t], axis=-1)
    a = {g: np.einsum("...j,ij->...i", z, params[f"W_{g}"]) + params[f"b_{g}"] for g in "fico"}
    C_t = sigmoid(a["f"]) * C_prev + sigmoid(a["i"]) * np.tanh(a["c"])
    return sigmoid(a["o"]) * np.tanh(C_t), C_t


@CATALOGUE.right
def lstm_forward(x, h0, C0, params):
    h, C = h0.copy(), C0.copy()
    h_all = np.empty((x.shape[0],) + h0.shape)
    for t in range(len(x)):
        v = np.concatenate([h, x[t]], axis=-1)
        i_t = sigmoid(v @ params["W_i"].T + params["b_i"])
        f_t = sigmoid(v @ params["W_f"].T + params["b_f"])
        o_t = sigmoid(v @ params["W_o"].T + params["b_o"])
        C = f_t * C + i_t * np.tanh(v @ params["W_c"].T + params["b_c"])
        h = o_t * np.tanh(C)
        h_all[t] = h
    return h_all, C


@CATALOGUE.right
def last_hidden_state(h_all, lengths):
    return np.stack([h_all[length - 1, b] for b, length in enumerate(lengths)])


@CATALOGUE.right
def last_hidden_state(h_all, lengths):
    return np.take_along_axis(h_all, (np.asarray(lengths) - 1)[None, :, None], axis=0)[0]


@CATALOGUE.right
def lstm_param_count(n_units, n_inputs):
    return 4 * n_units * (n_units + n_inputs + 1)


@CATALOGUE.right
def lstm_param_count(n_units, n_inputs):
    return sum(n_units * (n_units + n_inputs) + n_units for _ in "fico")
