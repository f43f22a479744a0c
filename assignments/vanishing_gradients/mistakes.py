"""The vanishing-gradients assignment's known mistakes: rnn_jacobian(W_h, h_t) = ∂h_t/∂h_{t-1} =
diag(1 - h_t²) W_h for the RNN h_t = tanh(W_h h_{t-1} + W_x x_t + b) of lecture 000, the product
over time and its norms, and lecture 004's dC_t/dC_{t-1} = A_t + B_t + C_t + D_t on a real cell.
Each is the function a student wrote, whole; the functions it calls are the student's own in the
notebook, and the right ones (lstm_ref's) here."""

import functools

import numpy as np

from assignments.declare import Catalogue
from lstm_ref import candidate, forget_gate, input_gate

CATALOGUE = Catalogue(globals())

RECAP = '"Why This Happens: The Vanishing Gradient Problem" (h_t = tanh(W_h h_{t-1} + W_x x_t))'
JACOBIAN = "∂h_t/∂h_{t-1} = diag(1 - h_t²) W_h"
PRODUCT = '"Back propagating through time for gradient computation" (equation 4, the product over t)'
CELL = '"Back propagating through time for gradient computation", equations (5) and (6)'


@CATALOGUE.mistake(
    "derivative-on-the-right",
    lecture="000",
    where=RECAP,
    says=f"tanh' scales the rows (one per unit of h_t): {JACOBIAN}, not W_h diag(1 - h_t²).",
)
def rnn_jacobian(W_h, h_t):
    return (1.0 - h_t**2)[None, :] * W_h


@CATALOGUE.mistake(
    "no-tanh-derivative",
    lecture="000",
    where=RECAP,
    says=f"the chain rule goes through tanh: {JACOBIAN}, not W_h alone.",
)
def rnn_jacobian(W_h, h_t):
    return W_h


@CATALOGUE.mistake(
    "1-minus-h", lecture="000", where=RECAP, says=f"tanh'(a) = 1 - tanh(a)² = 1 - h_t², squared: {JACOBIAN}."
)
def rnn_jacobian(W_h, h_t):
    return (1.0 - h_t)[:, None] * W_h


@CATALOGUE.mistake(
    "sigmoid-derivative",
    lecture="000",
    where=RECAP,
    says=f"h_t comes from tanh, whose derivative is 1 - h_t², not σ's h_t (1 - h_t): {JACOBIAN}.",
)
def rnn_jacobian(W_h, h_t):
    return (h_t * (1.0 - h_t))[:, None] * W_h


@CATALOGUE.mistake(
    "transposed",
    lecture="000",
    where=RECAP,
    says=f"{JACOBIAN}: W_h, not W_h^T (row j of the Jacobian is ∂h_t[j]/∂h_{{t-1}}).",
)
def rnn_jacobian(W_h, h_t):
    return (1.0 - h_t**2)[:, None] * W_h.T


@CATALOGUE.mistake(
    "wrong-order",
    lecture="004",
    where=PRODUCT,
    says="the chain rule multiplies later steps on the left: J_k ... J_2 J_1, not J_1 J_2 ... J_k.",
)
def jacobian_product(jacobians):
    product = np.eye(jacobians.shape[-1])
    for J in jacobians:
        product = product @ J
    return product


@CATALOGUE.mistake(
    "frobenius",
    lecture="004",
    where=PRODUCT,
    says="you took the Frobenius norm; the norm here is the spectral norm, the largest singular value "
    "(np.linalg.norm(J, 2)), how much the product can stretch a gradient.",
)
def gradient_norms(jacobians):
    norms, product = [], np.eye(jacobians.shape[-1])
    for J in jacobians:
        product = J @ product
        norms.append(np.linalg.norm(product))
    return np.array(norms)


@CATALOGUE.mistake(
    "sigma-prime-in-D",
    lecture="004",
    where=CELL,
    says="in D_t you used the sigmoid's derivative, C~_t (1 - C~_t), as lecture 004's σ' suggests; "
    "C~_t comes from tanh, so its derivative is 1 - C~_t².",
)
def cell_state_jacobian(x_t, C_prev, o_prev, params):
    n = C_prev.shape[0]
    h_prev = o_prev * np.tanh(C_prev)
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    d = o_prev * (1.0 - np.tanh(C_prev) ** 2)
    A_t = (C_prev * f_t * (1 - f_t))[:, None] * params["W_f"][:, :n] * d
    B_t = np.diag(f_t)
    C_t = (C_tilde * i_t * (1 - i_t))[:, None] * params["W_i"][:, :n] * d
    D_t = (i_t * (C_tilde * (1 - C_tilde)))[:, None] * params["W_c"][:, :n] * d
    return A_t + B_t + C_t + D_t


@CATALOGUE.mistake(
    "only-B",
    lecture="004",
    where=CELL,
    says="you kept only B_t = diag(f_t), the direct path; the old cell state also reaches the new one "
    "through h_{t-1} inside f_t, i_t and C~_t: add lecture 004's other three terms (A, C and D).",
)
def cell_state_jacobian(x_t, C_prev, o_prev, params):
    h_prev = o_prev * np.tanh(C_prev)
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    return np.diag(f_t)


@CATALOGUE.mistake(
    "without-dh-dC",
    lecture="004",
    where=CELL,
    says="you left out ∂h_{t-1}/∂C_{t-1} = o_{t-1} ⊙ tanh'(C_{t-1}): the gates see C_{t-1} only "
    "through h_{t-1}, so lecture 004's terms A, C and D each hold o_{t-1} ⊗ tanh'(c_{t-1}), "
    "as matrices a factor diag(o_{t-1} ⊙ (1 - tanh²(C_{t-1}))) on the right.",
)
def cell_state_jacobian(x_t, C_prev, o_prev, params):
    n = C_prev.shape[0]
    h_prev = o_prev * np.tanh(C_prev)
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    A_t = (C_prev * f_t * (1 - f_t))[:, None] * params["W_f"][:, :n]
    B_t = np.diag(f_t)
    C_t = (C_tilde * i_t * (1 - i_t))[:, None] * params["W_i"][:, :n]
    D_t = (i_t * (1 - C_tilde**2))[:, None] * params["W_c"][:, :n]
    return A_t + B_t + C_t + D_t


ADVANTAGES = '"Advantages of LSTM" ("No parameter fine-tuning")'


@CATALOGUE.mistake(
    "every-lag-above",
    lecture="002",
    where=ADVANTAGES,
    says="you counted every lag at or above the level, also the lags after the gradient first fell below "
    "it; it lasts only up to that first fall.",
)
def lasting_lags(norms, level):
    return np.sum(norms >= level, axis=-1)


@CATALOGUE.mistake(
    "first-lag-below",
    lecture="002",
    where=ADVANTAGES,
    says="you returned the first lag below the level (counting from 1): the gradient lasted the lags "
    "before it, one fewer; and where it never falls below, np.argmax of a row that is all False is 0, "
    "so you returned 1 where it lasts all K lags.",
)
def lasting_lags(norms, level):
    return np.argmax(norms < level, axis=-1) + 1


@CATALOGUE.mistake(
    "never-below-is-0",
    lecture="002",
    where=ADVANTAGES,
    says="a gradient that never falls below the level lasts every lag measured, K; np.argmax of a row "
    "that is all False is 0.",
)
def lasting_lags(norms, level):
    return np.argmax(norms < level, axis=-1)


# Right answers written otherwise: no mistake above may be named for them.


@CATALOGUE.right
def rnn_jacobian(W_h, h_t):
    return np.diag(1 - h_t**2) @ W_h


@CATALOGUE.right
def rnn_jacobian(W_h, h_t):
    return np.einsum("i,ij->ij", 1 - h_t * h_t, W_h)


@CATALOGUE.right
def jacobian_product(jacobians):
    return np.linalg.multi_dot(list(jacobians[::-1]) + [np.eye(jacobians.shape[-1])])


@CATALOGUE.right
def jacobian_product(jacobians):
    return functools.reduce(lambda P, J: np.einsum("ij,jk->ik", J, P), jacobians, np.eye(jacobians.shape[-1]))


@CATALOGUE.right
def gradient_norms(jacobians):
    return np.array(
        [
            np.linalg.svd(functools.reduce(lambda P, J: J @ P, jacobians[:k]), compute_uv=False)[0]
            for k in range(1, len(jacobians) + 1)
        ]
    )


@CATALOGUE.right
def cell_state_jacobian(x_t, C_prev, o_prev, params):
    """With diagonal matrices, as lecture 004 writes the terms."""
    n = len(C_prev)
    h_prev = o_prev * np.tanh(C_prev)
    f = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    c = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    d = np.diag(o_prev * (1 - np.tanh(C_prev) ** 2))
    W_fh, W_ih, W_ch = (params[k][:, :n] for k in ("W_f", "W_i", "W_c"))  # lecture 004's W_g, which reads h
    return (
        np.diag(C_prev * f * (1 - f)) @ W_fh @ d
        + np.diag(f)
        + np.diag(c * i * (1 - i)) @ W_ih @ d
        + np.diag(i * (1 - c * c)) @ W_ch @ d
    )


@CATALOGUE.right
def cell_state_jacobian(x_t, C_prev, o_prev, params):
    """Entry by entry: J[j, k] = dC_t[j] / dC_{t-1}[k]."""
    n = len(C_prev)
    h_prev = o_prev * np.tanh(C_prev)
    f = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    c = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    d = o_prev * (1 - np.tanh(C_prev) ** 2)
    J = np.zeros((n, n))
    for j in range(n):
        for k in range(n):
            J[j, k] = (
                C_prev[j] * f[j] * (1 - f[j]) * params["W_f"][j, k] * d[k]
                + (f[j] if j == k else 0.0)
                + c[j] * i[j] * (1 - i[j]) * params["W_i"][j, k] * d[k]
                + i[j] * (1 - c[j] ** 2) * params["W_c"][j, k] * d[k]
            )
    return J


@CATALOGUE.right
def lasting_lags(norms, level):
    return np.cumprod(norms >= level, axis=-1).sum(axis=-1)


@CATALOGUE.right
def lasting_lags(norms, level):
    lasted = []
    for row in norms:
        k = 0
        while k < len(row) and row[k] >= level:
            k += 1
        lasted.append(k)
    return np.array(lasted)
