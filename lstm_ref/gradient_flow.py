"""How gradients flow back through time: lecture 004's dC_t/dC_{t-1} and the RNN's dh_t/dh_{t-1}.

The LSTM (lecture 004, eq. 6). With h_{t-1} = o_{t-1} * tanh(C_{t-1}) and o_{t-1} fixed
(it reads h_{t-2}, not C_{t-1}), C_t = f_t * C_{t-1} + i_t * C~_t depends on C_{t-1} directly
and through h_{t-1} in f_t, i_t and C~_t. Write U_g = W_g[:, :n] for the columns of W_g that
act on h_{t-1} (lecture 004's W_g in its W h + U x notation), a_g = W_g . [h_{t-1}, x_t] + b_g
and dh = o_{t-1} * tanh'(C_{t-1}) = dh_{t-1}/dC_{t-1} (a diagonal). Then, as n x n matrices,

    A_t = diag(C_{t-1} * sigma'(a_f)) U_f diag(dh)     through the forget gate
    B_t = diag(f_t)                                     the uninterrupted path
    C_t = diag(C~_t    * sigma'(a_i)) U_i diag(dh)     through the input gate
    D_t = diag(i_t     * tanh'(a_c))  U_c diag(dh)     through the candidate (tanh', not sigma')

    dC_t/dC_{t-1} = A_t + B_t + C_t + D_t

The RNN (lecture 000): h_t = tanh(W_x x_t + W_h h_{t-1} + b), so
dh_t/dh_{t-1} = diag(1 - h_t^2) W_h.

Products over time, prod_{t=k..1} J_t, are what the vanishing-gradient notebook plots. For
the RNN the product is exactly dh_k/dh_0. For the LSTM it is lecture 004's product: it keeps
the paths through the cell and drops the one through o_t (which reads h_{t-1}).
"""

import numpy as np

from .activations import sigmoid_grad_from_output, tanh_grad_from_output
from .lstm import lstm_cell_forward, lstm_sizes
from .types import Array, ArrayLike, Params

TERMS = ("A_t", "B_t", "C_t", "D_t")


def _diag_left_right(left, U, right):
    """diag(left) U diag(right), batched over leading dimensions of left and right."""
    return left[..., :, None] * U * right[..., None, :]


def cell_state_jacobian_terms(x_t: ArrayLike, C_prev: ArrayLike, o_prev: ArrayLike, params: Params) -> dict[str, Array]:
    """Lecture 004's A_t, B_t, C_t, D_t for one step, each (..., n, n).

    x_t (..., m), C_prev = C_{t-1} (..., n), o_prev = o_{t-1} (..., n); h_{t-1} is
    o_{t-1} * tanh(C_{t-1}). Returns {"A_t": ..., "B_t": ..., "C_t": ..., "D_t": ...};
    their sum is dC_t/dC_{t-1}, entry [j, k] = dC_t[j] / dC_{t-1}[k].
    """
    n, _ = lstm_sizes(params)
    C_prev, o_prev = np.asarray(C_prev, np.float64), np.asarray(o_prev, np.float64)
    tanh_C_prev = np.tanh(C_prev)
    h_prev = o_prev * tanh_C_prev
    _, cache = lstm_cell_forward(x_t, h_prev, C_prev, params)
    f_t, i_t, C_tilde = cache["f_t"], cache["i_t"], cache["C_tilde"]
    dh = o_prev * tanh_grad_from_output(tanh_C_prev)
    U = {g: params[f"W_{g}"][:, :n] for g in "fic"}
    return {
        "A_t": _diag_left_right(C_prev * sigmoid_grad_from_output(f_t), U["f"], dh),
        "B_t": f_t[..., :, None] * np.eye(n),
        "C_t": _diag_left_right(C_tilde * sigmoid_grad_from_output(i_t), U["i"], dh),
        "D_t": _diag_left_right(i_t * tanh_grad_from_output(C_tilde), U["c"], dh),
    }


def cell_state_jacobian(x_t: ArrayLike, C_prev: ArrayLike, o_prev: ArrayLike, params: Params) -> Array:
    """dC_t/dC_{t-1} = A_t + B_t + C_t + D_t, shape (..., n, n)."""
    return sum(cell_state_jacobian_terms(x_t, C_prev, o_prev, params).values())


def lstm_cell_state_jacobians(x: ArrayLike, C0: ArrayLike, o0: ArrayLike, params: Params) -> dict[str, Array]:
    """A_t .. D_t at every step of one sequence x (T, m), from C_0 (n,) and o_0 (n,).

    h_0 = o_0 * tanh(C_0). Returns {"A_t": (T, n, n), ..., "D_t": (T, n, n)}; step t's
    terms are at index t - 1. Sum them for the Jacobians, then use jacobian_products.
    """
    C_prev, o_prev = np.asarray(C0, np.float64), np.asarray(o0, np.float64)
    terms = {name: [] for name in TERMS}
    for x_t in np.asarray(x, np.float64):
        for name, value in cell_state_jacobian_terms(x_t, C_prev, o_prev, params).items():
            terms[name].append(value)
        (_, C_prev), cache = lstm_cell_forward(x_t, o_prev * np.tanh(C_prev), C_prev, params)
        o_prev = cache["o_t"]
    return {name: np.stack(values) for name, values in terms.items()}


def rnn_hidden_jacobian(W_h: ArrayLike, h_t: ArrayLike) -> Array:
    """dh_t/dh_{t-1} = diag(1 - h_t^2) W_h, shape (..., n, n), from W_h (n, n) and h_t (..., n)."""
    h_t = np.asarray(h_t, np.float64)
    return tanh_grad_from_output(h_t)[..., :, None] * np.asarray(W_h, np.float64)


def jacobian_products(jacobians: ArrayLike) -> Array:
    """Products over time: out[k - 1] = J_k J_{k-1} ... J_1 for jacobians (T, n, n)."""
    jacobians = np.asarray(jacobians, np.float64)
    products, product = [], np.eye(jacobians.shape[-1])
    for J in jacobians:
        product = J @ product
        products.append(product)
    return np.stack(products)


def spectral_norms(matrices: ArrayLike) -> Array:
    """The largest singular value of each matrix in (..., n, n): how much it can stretch a gradient."""
    return np.linalg.norm(matrices, ord=2, axis=(-2, -1))
