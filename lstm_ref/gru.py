"""The GRU (Cho et al. 2014) of lecture 000, forward and backward, in two conventions.

Sizes: n hidden units, m inputs. W_z, W_r, W_h have shape (n, n + m) and act on
[h_{t-1}, x_t] (h first, as for the LSTM); b_z, b_r, b_h have shape (n,).

    z_t  = sigma(W_z . [h_{t-1}, x_t] + b_z)                 update gate
    r_t  = sigma(W_r . [h_{t-1}, x_t] + b_r)                 reset gate
    h~_t = tanh (W_h . [r_t * h_{t-1}, x_t] + b_h)           candidate  (convention="lecture")
    h_t  = (1 - z_t) * h~_t + z_t * h_{t-1}                  hidden state

The two conventions differ only in the candidate. Write W_h = [U_h | V_h] (U_h the n columns
that act on h_{t-1}, V_h the m columns that act on x_t):

    lecture (Cho et al. 2014, lecture 000):  h~_t = tanh(U_h (r_t * h_{t-1}) + V_h x_t + b_h)
    torch   (torch.nn.GRU, cuDNN):           h~_t = tanh(r_t * (U_h h_{t-1} + b_hn) + V_h x_t + b_h)

The lecture resets h_{t-1} before the matrix product; PyTorch resets the product (and has
a second bias b_hn inside the reset). PyTorch's form lets U_h h_{t-1} be computed for all
three gates in one matrix product before r_t is known, which is faster on a GPU. The two
give different numbers whenever r_t is not all ones; no choice of weights makes one equal the
other in general. The "torch" convention matches torch.nn.GRU to rounding (see convert.py);
params for it may hold b_hn (n,) (zeros when missing). The lecture convention has no b_hn.
"""

import numpy as np

from .activations import as_float, sigmoid, sigmoid_grad_from_output, tanh, tanh_grad_from_output
from .linear import affine, affine_backward
from .lstm import concat_inputs, gate_preactivation
from .types import Array, ArrayLike, Cache, Params, Seed
from .validate import (
    check_finite,
    check_last_dim,
    check_params,
    check_sequence,
    final_state_gradient,
    initial_state,
    time_major_gradient,
)

CONVENTIONS = ("lecture", "torch")


def update_gate(W_z: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b_z: ArrayLike) -> Array:
    """z_t = sigma(W_z . [h_{t-1}, x_t] + b_z), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_z, h_prev, x_t, b_z))


def reset_gate(W_r: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b_r: ArrayLike) -> Array:
    """r_t = sigma(W_r . [h_{t-1}, x_t] + b_r), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_r, h_prev, x_t, b_r))


def gru_candidate(
    W_h: ArrayLike,
    h_prev: ArrayLike,
    x_t: ArrayLike,
    b_h: ArrayLike,
    r_t: ArrayLike,
    convention: str = "lecture",
    b_hn: ArrayLike | None = None,
) -> Array:
    """The candidate h~_t, shape (..., n).

    lecture: tanh(W_h . [r_t * h_{t-1}, x_t] + b_h)
    torch:   tanh(r_t * (U_h h_{t-1} + b_hn) + V_h x_t + b_h), W_h = [U_h | V_h]
    """
    W_h, h_prev, x_t, r_t = as_float(W_h), as_float(h_prev), as_float(x_t), as_float(r_t)
    n = W_h.shape[0]
    check_convention(convention)
    if convention == "lecture":
        return tanh(gate_preactivation(W_h, r_t * h_prev, x_t, b_h))
    check_last_dim("h_{t-1}", h_prev, n)
    check_last_dim("x_t", x_t, W_h.shape[1] - n)
    b_hn = np.zeros(n) if b_hn is None else as_float(b_hn)
    reset_product = r_t * affine(W_h[:, :n], h_prev, b_hn)
    return tanh(reset_product + affine(W_h[:, n:], x_t, b_h))


def gru_hidden_state(z_t: ArrayLike, h_prev: ArrayLike, h_tilde: ArrayLike) -> Array:
    """h_t = (1 - z_t) * h~_t + z_t * h_{t-1}: z_t near 1 keeps the old state."""
    z_t = as_float(z_t)
    return (1.0 - z_t) * as_float(h_tilde) + z_t * as_float(h_prev)


def check_convention(convention):
    if convention not in CONVENTIONS:
        raise ValueError(f"convention should be one of {CONVENTIONS}, got {convention!r}.")


def gru_param_shapes(n_hidden, n_input, convention="lecture"):
    shapes = {}
    for gate in ("z", "r", "h"):
        shapes[f"W_{gate}"] = (n_hidden, n_hidden + n_input)
        shapes[f"b_{gate}"] = (n_hidden,)
    if convention == "torch":
        shapes["b_hn"] = (n_hidden,)
    return shapes


def init_gru_params(
    n_hidden: int,
    n_input: int,
    rng: Seed = None,
    scale: float | None = None,
    dtype: type = np.float64,
    convention: str = "lecture",
) -> Params:
    """Random GRU parameters, uniform in [-1/sqrt(n), 1/sqrt(n)] like torch.nn.GRU.

    {W_z, b_z, W_r, b_r, W_h, b_h}, plus b_hn for convention="torch".
    """
    check_convention(convention)
    rng = np.random.default_rng(rng)
    scale = 1.0 / np.sqrt(n_hidden) if scale is None else scale
    return {
        name: rng.uniform(-scale, scale, shape).astype(dtype)
        for name, shape in gru_param_shapes(n_hidden, n_input, convention).items()
    }


def gru_sizes(params, convention):
    """(n, m) from W_z (n, n + m); checks every parameter's shape."""
    check_convention(convention)
    if "W_z" not in params:
        raise ValueError(f"params is missing 'W_z' (shape (n, n + m)); it has {sorted(params)}.")
    n, n_plus_m = np.shape(params["W_z"])
    shapes = gru_param_shapes(n, n_plus_m - n, "lecture")
    check_params(params, shapes)
    if convention == "lecture" and np.any(params.get("b_hn", 0) != 0):
        raise ValueError(
            "params holds a non-zero b_hn, which only the torch convention has; use convention='torch' or drop b_hn."
        )
    if convention == "torch" and "b_hn" in params:
        check_params(params, {"b_hn": (n,)})
    return n, n_plus_m - n


def gru_cell_forward(
    x_t: ArrayLike, h_prev: ArrayLike, params: Params, convention: str = "lecture"
) -> tuple[Array, Cache]:
    """One GRU step. x_t (..., m), h_prev (..., n). Returns (h_t (..., n), cache)."""
    n, m = gru_sizes(params, convention)
    x_t, h_prev = as_float(x_t), as_float(h_prev)
    check_last_dim("x_t", x_t, m)
    check_last_dim("h_{t-1}", h_prev, n)
    check_finite("x_t", x_t)
    check_finite("h_{t-1}", h_prev)
    z_t = update_gate(params["W_z"], h_prev, x_t, params["b_z"])
    r_t = reset_gate(params["W_r"], h_prev, x_t, params["b_r"])
    h_tilde = gru_candidate(params["W_h"], h_prev, x_t, params["b_h"], r_t, convention, params.get("b_hn"))
    h_t = gru_hidden_state(z_t, h_prev, h_tilde)
    cache = dict(x_t=x_t, h_prev=h_prev, z_t=z_t, r_t=r_t, h_tilde=h_tilde, params=params, convention=convention)
    return h_t, cache


def gru_cell_backward(dh_t: ArrayLike, cache: Cache) -> tuple[Array, Array, dict[str, Array]]:
    """Backward of one GRU step.

    dh_t (..., n) = dL/dh_t. Returns (dx_t (..., m), dh_prev (..., n), dparams) with dparams
    holding a gradient for every parameter (summed over the batch), b_hn for "torch".
    From h_t = (1 - z_t) * h~_t + z_t * h_{t-1}:
        dL/dz_t = dh_t * (h_{t-1} - h~_t),  dL/dh~_t = dh_t * (1 - z_t),  dL/dh_{t-1} += dh_t * z_t
    """
    p, x_t, h_prev = cache["params"], cache["x_t"], cache["h_prev"]
    z_t, r_t, h_tilde = cache["z_t"], cache["r_t"], cache["h_tilde"]
    n = h_prev.shape[-1]
    dh_t = as_float(dh_t)
    dz = dh_t * (h_prev - h_tilde)
    da_h = dh_t * (1.0 - z_t) * tanh_grad_from_output(h_tilde)
    dh_prev = dh_t * z_t
    grads = {}
    if cache["convention"] == "lecture":
        dv, grads["W_h"], grads["b_h"] = affine_backward(da_h, p["W_h"], concat_inputs(r_t * h_prev, x_t))
        d_reset_h, dx_t = dv[..., :n], dv[..., n:]
        dr = d_reset_h * h_prev
        dh_prev = dh_prev + d_reset_h * r_t
    else:
        U_h, V_h = p["W_h"][:, :n], p["W_h"][:, n:]
        hidden_product = affine(U_h, h_prev, p.get("b_hn", np.zeros(n)))
        dr = da_h * hidden_product
        dh_from_candidate, dU_h, grads["b_hn"] = affine_backward(da_h * r_t, U_h, h_prev)
        dx_t, dV_h, grads["b_h"] = affine_backward(da_h, V_h, x_t)
        grads["W_h"] = np.concatenate([dU_h, dV_h], axis=1)
        dh_prev = dh_prev + dh_from_candidate
    concat = concat_inputs(h_prev, x_t)
    for gate, d_gate, value in (("z", dz, z_t), ("r", dr, r_t)):
        dv, grads[f"W_{gate}"], grads[f"b_{gate}"] = affine_backward(
            d_gate * sigmoid_grad_from_output(value), p[f"W_{gate}"], concat
        )
        dh_prev = dh_prev + dv[..., :n]
        dx_t = dx_t + dv[..., n:]
    return dx_t, dh_prev, grads


def gru_forward(
    x: ArrayLike, h0: ArrayLike, params: Params, convention: str = "lecture", batch_first: bool = False
) -> tuple[tuple[Array, Array], Cache]:
    """The GRU over a sequence: one gru_cell_forward per step.

    x (T, B, m) (or (B, T, m) with batch_first), h0 (B, n) or None for zeros.
    Returns ((h_all, h_T), cache) with h_all (T, B, n) (or (B, T, n)) holding h_1 .. h_T.
    """
    n, m = gru_sizes(params, convention)
    T, B = check_sequence(x, m, batch_first)
    x = as_float(x)
    if batch_first:
        x = x.swapaxes(0, 1)
    h_t = initial_state("h_0", h0, B, n, x.dtype)
    steps, h_all = [], []
    for t in range(T):
        h_t, step = gru_cell_forward(x[t], h_t, params, convention)
        steps.append(step)
        h_all.append(h_t)
    h_all = np.stack(h_all)
    cache = dict(steps=steps, h_all=h_all, batch_first=batch_first)
    return (h_all.swapaxes(0, 1) if batch_first else h_all, h_all[-1]), cache


def gru_backward(
    dh_all: ArrayLike, cache: Cache, dh_T: ArrayLike | None = None
) -> tuple[Array, Array, dict[str, Array]]:
    """Backpropagation through time for gru_forward.

    dh_all = dL/dh_all (layout of h_all), dh_T = dL/dh_T (B, n) or None.
    Returns (dx (like x), dh0 (B, n), dparams).
    """
    h_all = cache["h_all"]
    dh_all = time_major_gradient(dh_all, h_all, cache["batch_first"])
    dh_next = final_state_gradient("dh_T", dh_T, h_all[-1])
    dx, dparams = [], None
    for t in reversed(range(len(cache["steps"]))):
        dx_t, dh_next, grads = gru_cell_backward(dh_all[t] + dh_next, cache["steps"][t])
        dx.append(dx_t)
        dparams = grads if dparams is None else {k: dparams[k] + grads[k] for k in grads}
    dx = np.stack(dx[::-1])
    return (dx.swapaxes(0, 1) if cache["batch_first"] else dx), dh_next, dparams
