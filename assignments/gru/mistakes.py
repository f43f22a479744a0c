"""The GRU assignment's known mistakes (lecture 000's GRU):

    z_t  = σ(W_z · [h_{t-1}, x_t] + b_z)                update gate
    r_t  = σ(W_r · [h_{t-1}, x_t] + b_r)                reset gate
    h~_t = tanh(W_h · [r_t ⊙ h_{t-1}, x_t] + b_h)       candidate (r_t before the product)
    h_t  = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1}

Each is the function a student wrote, whole; the functions it calls are the student's own in the
notebook, and the right ones (lstm_ref's) here.
"""

import numpy as np

from assignments.declare import Catalogue
from lstm_ref import gru_candidate, gru_hidden_state, reset_gate, sigmoid, update_gate

CATALOGUE = Catalogue(globals())

GRU = '"GRU Architecture and Equations"'
FINAL = '"Final hidden state calculation"'
Z_T = "z_t = σ(W_z · [h_{t-1}, x_t] + b_z)"
R_T = "r_t = σ(W_r · [h_{t-1}, x_t] + b_r)"
CANDIDATE = "h~_t = tanh(W_h · [r_t ⊙ h_{t-1}, x_t] + b_h)"
SWAP = "z_t and 1 - z_t are swapped: in the lectures z_t keeps the old state, h_t = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1}."
TORCH = (
    f"you applied r_t after the matrix product (PyTorch's convention, r_t ⊙ (W_hh h_{{t-1}})); "
    f"the lectures reset h_{{t-1}} before it: {CANDIDATE}."
)


@CATALOGUE.mistake(
    "tanh-for-σ",
    lecture="000",
    where=f"{GRU} (update gate)",
    says=f"you squashed with tanh where {Z_T} uses σ, so z_t must lie in (0, 1).",
)
def update_gate(W_z, h_prev, x_t, b_z):
    return np.tanh(W_z @ np.concatenate([h_prev, x_t]) + b_z)


@CATALOGUE.mistake(
    "x-before-h",
    lecture="000",
    where=f"{GRU} (update gate)",
    says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {Z_T}.",
)
def update_gate(W_z, h_prev, x_t, b_z):
    return sigmoid(W_z @ np.concatenate([x_t, h_prev]) + b_z)


@CATALOGUE.mistake("no-bias", lecture="000", where=f"{GRU} (update gate)", says=f"you left out the bias b_z: {Z_T}.")
def update_gate(W_z, h_prev, x_t, b_z):
    return sigmoid(W_z @ np.concatenate([h_prev, x_t]))


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="000",
    where=f"{GRU} (update gate)",
    says="W_z · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def update_gate(W_z, h_prev, x_t, b_z):
    return sigmoid(W_z * np.concatenate([h_prev, x_t]) + b_z)


@CATALOGUE.mistake(
    "tanh-for-σ",
    lecture="000",
    where=f"{GRU} (reset gate)",
    says=f"you squashed with tanh where {R_T} uses σ, so r_t must lie in (0, 1).",
)
def reset_gate(W_r, h_prev, x_t, b_r):
    return np.tanh(W_r @ np.concatenate([h_prev, x_t]) + b_r)


@CATALOGUE.mistake(
    "x-before-h",
    lecture="000",
    where=f"{GRU} (reset gate)",
    says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {R_T}.",
)
def reset_gate(W_r, h_prev, x_t, b_r):
    return sigmoid(W_r @ np.concatenate([x_t, h_prev]) + b_r)


@CATALOGUE.mistake("no-bias", lecture="000", where=f"{GRU} (reset gate)", says=f"you left out the bias b_r: {R_T}.")
def reset_gate(W_r, h_prev, x_t, b_r):
    return sigmoid(W_r @ np.concatenate([h_prev, x_t]))


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="000",
    where=f"{GRU} (reset gate)",
    says="W_r · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def reset_gate(W_r, h_prev, x_t, b_r):
    return sigmoid(W_r * np.concatenate([h_prev, x_t]) + b_r)


@CATALOGUE.mistake("torch-reset", lecture="000", where=FINAL, says=TORCH)
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return np.tanh(r_t * (W_h[:, : len(h_prev)] @ h_prev) + W_h[:, len(h_prev) :] @ x_t + b_h)


@CATALOGUE.mistake("no-reset", lecture="000", where=FINAL, says=f"r_t is missing: {CANDIDATE}.")
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return np.tanh(W_h @ np.concatenate([h_prev, x_t]) + b_h)


@CATALOGUE.mistake(
    "σ-for-tanh", lecture="000", where=FINAL, says=f"you squashed with σ; {CANDIDATE}, values in (-1, 1)."
)
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return 1 / (1 + np.exp(-(W_h @ np.concatenate([r_t * h_prev, x_t]) + b_h)))


@CATALOGUE.mistake(
    "x-before-h",
    lecture="000",
    where=FINAL,
    says=f"you stacked [x_t, r_t ⊙ h_{{t-1}}]; the lectures put h first: {CANDIDATE}.",
)
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return np.tanh(W_h @ np.concatenate([x_t, r_t * h_prev]) + b_h)


@CATALOGUE.mistake(
    "tan-for-tanh",
    lecture="000",
    where=FINAL,
    says=f"you wrote np.tan, the tangent; {CANDIDATE} uses np.tanh, the hyperbolic tangent, values in (-1, 1).",
)
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return np.tan(W_h @ np.concatenate([r_t * h_prev, x_t]) + b_h)


@CATALOGUE.mistake("no-bias", lecture="000", where=FINAL, says=f"you left out the bias b_h: {CANDIDATE}.")
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return np.tanh(W_h @ np.concatenate([r_t * h_prev, x_t]))


@CATALOGUE.mistake("z-swapped", lecture="000", where=FINAL, says=SWAP)
def gru_hidden_state(z_t, h_prev, h_tilde):
    return z_t * h_tilde + (1.0 - z_t) * h_prev


@CATALOGUE.mistake(
    "matrix-product-for-⊙",
    lecture="000",
    where=FINAL,
    says="h_t = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1} multiplies entry by entry (*); you took matrix (dot) products (@).",
)
def gru_hidden_state(z_t, h_prev, h_tilde):
    return (1.0 - z_t) @ h_tilde + z_t @ h_prev


@CATALOGUE.mistake("z-swapped", lecture="000", where=FINAL, says=SWAP)
def gru_cell(x_t, h_prev, params):
    z_t = update_gate(params["W_z"], h_prev, x_t, params["b_z"])
    r_t = reset_gate(params["W_r"], h_prev, x_t, params["b_r"])
    h_tilde = gru_candidate(params["W_h"], h_prev, x_t, params["b_h"], r_t)
    return gru_hidden_state(1 - z_t, h_prev, h_tilde)


@CATALOGUE.mistake("torch-reset", lecture="000", where=FINAL, says=TORCH)
def gru_cell(x_t, h_prev, params):
    z_t = update_gate(params["W_z"], h_prev, x_t, params["b_z"])
    r_t = reset_gate(params["W_r"], h_prev, x_t, params["b_r"])
    n = len(h_prev)
    h_tilde = np.tanh(r_t * (params["W_h"][:, :n] @ h_prev) + params["W_h"][:, n:] @ x_t + params["b_h"])
    return gru_hidden_state(z_t, h_prev, h_tilde)


@CATALOGUE.mistake(
    "x-before-h",
    lecture="000",
    where=GRU,
    says=f"you stacked x_t before h_{{t-1}}; the lectures stack h first: {Z_T}, {CANDIDATE}.",
)
def gru_cell(x_t, h_prev, params):
    z_t = update_gate(params["W_z"], x_t, h_prev, params["b_z"])
    r_t = reset_gate(params["W_r"], x_t, h_prev, params["b_r"])
    h_tilde = np.tanh(params["W_h"] @ np.concatenate([x_t, r_t * h_prev]) + params["b_h"])
    return gru_hidden_state(z_t, h_prev, h_tilde)


@CATALOGUE.mistake("no-bias", lecture="000", where=GRU, says="you left out the biases b_z, b_r, b_h.")
def gru_cell(x_t, h_prev, params):
    z_t = update_gate(params["W_z"], h_prev, x_t, 0 * params["b_z"])
    r_t = reset_gate(params["W_r"], h_prev, x_t, 0 * params["b_r"])
    h_tilde = gru_candidate(params["W_h"], h_prev, x_t, 0 * params["b_h"], r_t)
    return gru_hidden_state(z_t, h_prev, h_tilde)


@CATALOGUE.mistake(
    "r-for-z",
    lecture="000",
    where=GRU,
    says="the gates are mixed up: you computed z_t with W_r, b_r and r_t with W_z, b_z.",
)
def gru_cell(x_t, h_prev, params):
    z_t = update_gate(params["W_r"], h_prev, x_t, params["b_r"])
    r_t = reset_gate(params["W_z"], h_prev, x_t, params["b_z"])
    h_tilde = gru_candidate(params["W_h"], h_prev, x_t, params["b_h"], r_t)
    return gru_hidden_state(z_t, h_prev, h_tilde)


@CATALOGUE.mistake(
    "σ-for-tanh-in-candidate",
    lecture="000",
    where=FINAL,
    says=f"you squashed the candidate with σ; {CANDIDATE}, values in (-1, 1).",
)
def gru_cell(x_t, h_prev, params):
    z_t = update_gate(params["W_z"], h_prev, x_t, params["b_z"])
    r_t = reset_gate(params["W_r"], h_prev, x_t, params["b_r"])
    h_tilde = 1 / (1 + np.exp(-(params["W_h"] @ np.concatenate([r_t * h_prev, x_t]) + params["b_h"])))
    return gru_hidden_state(z_t, h_prev, h_tilde)


@CATALOGUE.mistake(
    "h~_t-as-h_t",
    lecture="000",
    where=FINAL,
    says="you returned the candidate h~_t in place of h_t: the step ends with h_t = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1}.",
)
def gru_cell(x_t, h_prev, params):
    r_t = reset_gate(params["W_r"], h_prev, x_t, params["b_r"])
    h_tilde = gru_candidate(params["W_h"], h_prev, x_t, params["b_h"], r_t)
    return h_tilde


TABLE = '"GRU vs LSTM" (Gates: 3 against 2) and "GRU Architecture and Equations"'


@CATALOGUE.mistake(
    "four-blocks",
    lecture="000",
    where=TABLE,
    says="you counted 4 blocks, as for the LSTM; the GRU has 3: z_t, r_t and h~_t, "
    "each with a W (n x (n + m)) and a b (n).",
)
def gru_param_count(n_units, n_inputs):
    return 4 * (n_units * (n_units + n_inputs) + n_units)


@CATALOGUE.mistake(
    "gates-only",
    lecture="000",
    where=TABLE,
    says="you counted the 2 gates of lecture 000's table; the candidate h~_t has its own W_h and b_h too: 3 blocks.",
)
def gru_param_count(n_units, n_inputs):
    return 2 * (n_units * (n_units + n_inputs) + n_units)


@CATALOGUE.mistake(
    "no-bias",
    lecture="000",
    where=TABLE,
    says="you left out the biases: each of z_t, r_t, h~_t has a W (n x (n + m)) and a b (n).",
)
def gru_param_count(n_units, n_inputs):
    return 3 * (n_units * (n_units + n_inputs))


@CATALOGUE.mistake(
    "x-only",
    lecture="000",
    where=TABLE,
    says="each W acts on [h_{t-1}, x_t], n + m numbers, not on x_t alone: it is n x (n + m).",
)
def gru_param_count(n_units, n_inputs):
    return 3 * (n_units * n_inputs + n_units)


@CATALOGUE.mistake(
    "two-biases",
    lecture="000",
    where=TABLE,
    says="you counted two biases per block, as PyTorch stores them; the lecture's GRU has one b per block.",
)
def gru_param_count(n_units, n_inputs):
    return 3 * (n_units * (n_units + n_inputs) + 2 * n_units)


# Right answers written otherwise: no mistake above may be named for them.


@CATALOGUE.right
def update_gate(W_z, h_prev, x_t, b_z):
    z = list(h_prev) + list(x_t)
    return np.array(
        [1 / (1 + np.exp(-(sum(W_z[i][j] * z[j] for j in range(len(z))) + b_z[i]))) for i in range(len(b_z))]
    )


@CATALOGUE.right
def update_gate(W_z, h_prev, x_t, b_z):
    return sigmoid(W_z[:, : len(h_prev)] @ h_prev + W_z[:, len(h_prev) :] @ x_t + b_z)


@CATALOGUE.right
def reset_gate(W_r, h_prev, x_t, b_r):
    return sigmoid(np.einsum("ij,j->i", W_r, np.hstack([h_prev, x_t])) + b_r)


@CATALOGUE.right
def reset_gate(W_r, h_prev, x_t, b_r):
    return sigmoid(W_r[:, : len(h_prev)] @ h_prev + W_r[:, len(h_prev) :] @ x_t + b_r)


@CATALOGUE.right
def gru_candidate(W_h, h_prev, x_t, b_h, r_t):
    return np.tanh(W_h[:, : len(h_prev)] @ (r_t * h_prev) + W_h[:, len(h_prev) :] @ x_t + b_h)


@CATALOGUE.right
def gru_hidden_state(z_t, h_prev, h_tilde):
    return h_tilde + z_t * (h_prev - h_tilde)


@CATALOGUE.right
def gru_hidden_state(z_t, h_prev, h_tilde):
    return h_tilde - z_t * h_tilde + z_t * h_prev


@CATALOGUE.right
def gru_cell(x_t, h_prev, params):
    """The lecture's GRU with PyTorch's split weights, written out by hand."""
    n = h_prev.shape[-1]
    z_t = sigmoid(h_prev @ params["W_z"][:, :n].T + x_t @ params["W_z"][:, n:].T + params["b_z"])
    r_t = sigmoid(h_prev @ params["W_r"][:, :n].T + x_t @ params["W_r"][:, n:].T + params["b_r"])
    h_tilde = np.tanh((r_t * h_prev) @ params["W_h"][:, :n].T + x_t @ params["W_h"][:, n:].T + params["b_h"])
    return h_tilde + z_t * (h_prev - h_tilde)


@CATALOGUE.right
def gru_param_count(n_units, n_inputs):
    return 3 * n_units * (n_units + n_inputs + 1)


@CATALOGUE.right
def gru_param_count(n_units, n_inputs):
    return sum(n_units * (n_units + n_inputs) + n_units for _ in "zrh")
