"""The forget-gate assignment's known mistakes: sigmoid, gate_preactivation, forget_gate, forget,
forget_weight_shape. Each is the function a student wrote, whole; the functions it calls are the
student's own in the notebook, and the right ones (lstm_ref's) here."""

import numpy as np

from assignments.declare import Catalogue
from lstm_ref import sigmoid

CATALOGUE = Catalogue(globals())

GATES_002 = '"Gates" (a sigmoid layer outputs numbers between zero and one)'
FORGET_GATE_004 = '"Forget Gate" (C_{t-1} = 5 5 5)'
STEP_1 = "STEP 1 (the forget gate layer)"
SHAPE_003 = 'the "Forget Gate" diagram'
PREACTIVATION = "W · [h_{t-1}, x_t] + b"
F_T = "f_t = σ(W_f · [h_{t-1}, x_t] + b_f)"


@CATALOGUE.mistake(
    "tanh-for-σ",
    lecture="002",
    where=GATES_002,
    says="you wrote tanh(z), but σ(z) = 1 / (1 + e^(-z)) squashes into (0, 1), not (-1, 1).",
)
def sigmoid(z):
    return np.tanh(z)


@CATALOGUE.mistake(
    "sign",
    lecture="002",
    where=GATES_002,
    says="you wrote 1 / (1 + e^z), which is σ(-z): the exponent is -z, σ(z) = 1 / (1 + e^(-z)).",
)
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(z))


@CATALOGUE.mistake(
    "x-before-h",
    lecture="004",
    where=FORGET_GATE_004,
    says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {PREACTIVATION}.",
)
def gate_preactivation(W, h_prev, x_t, b):
    return W @ np.concatenate([x_t, h_prev]) + b


@CATALOGUE.mistake(
    "no-bias",
    lecture="004",
    where=FORGET_GATE_004,
    says=f"you left out the bias b: the pre-activation is {PREACTIVATION}.",
)
def gate_preactivation(W, h_prev, x_t, b):
    return W @ np.concatenate([h_prev, x_t])


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="004",
    where=FORGET_GATE_004,
    says="W · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def gate_preactivation(W, h_prev, x_t, b):
    return W * np.concatenate([h_prev, x_t]) + b


@CATALOGUE.mistake(
    "squashed",
    lecture="004",
    where=FORGET_GATE_004,
    says=f"you applied σ: the pre-activation is what goes into σ, {PREACTIVATION}, not squashed yet.",
)
def gate_preactivation(W, h_prev, x_t, b):
    return sigmoid(W @ np.concatenate([h_prev, x_t]) + b)


@CATALOGUE.mistake(
    "tanh-for-σ",
    lecture="002",
    where=STEP_1,
    says=f"you squashed with tanh where {F_T} uses σ, so f_t must lie in (0, 1).",
)
def forget_gate(W_f, h_prev, x_t, b_f):
    return np.tanh(W_f @ np.concatenate([h_prev, x_t]) + b_f)


@CATALOGUE.mistake(
    "x-before-h", lecture="002", where=STEP_1, says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {F_T}."
)
def forget_gate(W_f, h_prev, x_t, b_f):
    return sigmoid(W_f @ np.concatenate([x_t, h_prev]) + b_f)


@CATALOGUE.mistake("no-bias", lecture="002", where=STEP_1, says=f"you left out the bias b_f: {F_T}.")
def forget_gate(W_f, h_prev, x_t, b_f):
    return sigmoid(W_f @ np.concatenate([h_prev, x_t]))


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="002",
    where=STEP_1,
    says="W_f · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def forget_gate(W_f, h_prev, x_t, b_f):
    return sigmoid(W_f * np.concatenate([h_prev, x_t]) + b_f)


@CATALOGUE.mistake(
    "matrix-product-for-⊙",
    lecture="000",
    where='"1. Forget Gate", step 2 (elementwise multiplication)',
    says="f_t ⊙ C_{t-1} multiplies entry by entry (*); you took the matrix (dot) product (@), "
    "which adds everything up into one number.",
)
def forget(f_t, C_prev):
    return f_t @ C_prev


@CATALOGUE.mistake(
    "one-minus-f",
    lecture="002",
    where='STEP 1 (1 represents "completely keep this")',
    says="you kept (1 - f_t) ⊙ C_{t-1}, but f_t = 1 means keep and f_t = 0 means erase: "
    "the kept memory is f_t ⊙ C_{t-1}.",
)
def forget(f_t, C_prev):
    return (1 - f_t) * C_prev


@CATALOGUE.mistake(
    "x-only",
    lecture="003",
    where=SHAPE_003,
    says="W_f acts on [h_{t-1}, x_t], n + m numbers, not on x_t alone: it has n + m columns.",
)
def forget_weight_shape(n_units, n_inputs):
    return (n_units, n_inputs)


@CATALOGUE.mistake(
    "transposed",
    lecture="003",
    where=SHAPE_003,
    says="W_f has one row per unit and one column per entry of [h_{t-1}, x_t]: (n, n + m), not (n + m, n).",
)
def forget_weight_shape(n_units, n_inputs):
    return (n_units + n_inputs, n_units)


@CATALOGUE.mistake(
    "one-row",
    lecture="003",
    where=f"{SHAPE_003} (labelled 1x7)",
    says="(1, n + m) is lecture 003's erratum: W_f · [h_{t-1}, x_t] must give one number per unit, so W_f has n rows.",
)
def forget_weight_shape(n_units, n_inputs):
    return (1, n_units + n_inputs)


# Right answers written otherwise: no mistake above may be named for them.


@CATALOGUE.right
def sigmoid(z):
    return np.exp(-np.logaddexp(0, -z))


@CATALOGUE.right
def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


@CATALOGUE.right
def gate_preactivation(W, h_prev, x_t, b):
    z = list(h_prev) + list(x_t)
    return np.array([sum(W[i][j] * z[j] for j in range(len(z))) + b[i] for i in range(len(b))])


@CATALOGUE.right
def gate_preactivation(W, h_prev, x_t, b):
    return np.einsum("ij,j->i", W, np.hstack([h_prev, x_t])) + b


@CATALOGUE.right
def gate_preactivation(W, h_prev, x_t, b):
    return W[:, : len(h_prev)] @ h_prev + W[:, len(h_prev) :] @ x_t + b  # lecture 004's W h + U x


@CATALOGUE.right
def forget_gate(W_f, h_prev, x_t, b_f):
    z = list(h_prev) + list(x_t)
    return np.array(
        [1 / (1 + np.exp(-(sum(W_f[i][j] * z[j] for j in range(len(z))) + b_f[i]))) for i in range(len(b_f))]
    )


@CATALOGUE.right
def forget_gate(W_f, h_prev, x_t, b_f):
    return sigmoid(np.einsum("ij,j->i", W_f, np.hstack([h_prev, x_t])) + b_f)


@CATALOGUE.right
def forget_gate(W_f, h_prev, x_t, b_f):
    return sigmoid(W_f[:, : len(h_prev)] @ h_prev + W_f[:, len(h_prev) :] @ x_t + b_f)


@CATALOGUE.right
def forget(f_t, C_prev):
    return np.array([f * c for f, c in zip(f_t, C_prev)])


@CATALOGUE.right
def forget(f_t, C_prev):
    return np.diag(f_t) @ C_prev


@CATALOGUE.right
def forget_weight_shape(n_units, n_inputs):
    return [n_units, n_units + n_inputs]


@CATALOGUE.right
def forget_weight_shape(n_units, n_inputs):
    return np.zeros((n_units, n_units + n_inputs)).shape
