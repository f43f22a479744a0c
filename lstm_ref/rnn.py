"""The plain (Elman) RNN of lecture 000's recap, forward and backward.

Sizes: n hidden units, m inputs.

    h_t = tanh(W_x x_t + W_h h_{t-1} + b)        W_x (n, m), W_h (n, n), b (n,)

Lecture 000 also writes it without b (h_t = tanh(W_h h_{t-1} + W_x x_t)); that is b = 0.
torch.nn.RNN computes the same thing with W_x = weight_ih, W_h = weight_hh and
b = bias_ih + bias_hh (see convert.py).
"""

import numpy as np

from .activations import as_float, tanh, tanh_grad_from_output
from .linear import affine, affine_backward
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


def init_rnn_params(
    n_hidden: int, n_input: int, rng: Seed = None, scale: float | None = None, dtype: type = np.float64
) -> Params:
    """Random RNN parameters {W_x, W_h, b}, uniform in [-1/sqrt(n), 1/sqrt(n)] like torch.nn.RNN."""
    rng = np.random.default_rng(rng)
    scale = 1.0 / np.sqrt(n_hidden) if scale is None else scale
    shapes = dict(W_x=(n_hidden, n_input), W_h=(n_hidden, n_hidden), b=(n_hidden,))
    return {name: rng.uniform(-scale, scale, shape).astype(dtype) for name, shape in shapes.items()}


def rnn_param_shapes(n_hidden, n_input):
    return dict(W_x=(n_hidden, n_input), W_h=(n_hidden, n_hidden), b=(n_hidden,))


def rnn_sizes(params):
    """(n, m) from the shape of W_x (n, m)."""
    if "W_x" not in params:
        raise ValueError(f"params is missing 'W_x' (shape (n, m)); it has {sorted(params)}.")
    n, m = np.shape(params["W_x"])
    check_params(params, rnn_param_shapes(n, m))
    return n, m


def rnn_cell_forward(x_t: ArrayLike, h_prev: ArrayLike, params: Params) -> tuple[Array, Cache]:
    """One RNN step: h_t = tanh(W_x x_t + W_h h_{t-1} + b).

    x_t (..., m), h_prev (..., n). Returns (h_t (..., n), cache).
    """
    n, m = rnn_sizes(params)
    x_t, h_prev = as_float(x_t), as_float(h_prev)
    check_last_dim("x_t", x_t, m)
    check_last_dim("h_{t-1}", h_prev, n)
    check_finite("x_t", x_t)
    check_finite("h_{t-1}", h_prev)
    h_t = tanh(affine(params["W_x"], x_t, params["b"]) + affine(params["W_h"], h_prev))
    return h_t, dict(x_t=x_t, h_prev=h_prev, h_t=h_t, params=params)


def rnn_cell_backward(dh_t: ArrayLike, cache: Cache) -> tuple[Array, Array, dict[str, Array]]:
    """Backward of one RNN step.

    dh_t (..., n) = dL/dh_t. Returns (dx_t (..., m), dh_prev (..., n), dparams) with
    dparams = {W_x, W_h, b} summed over the batch. With a = W_x x_t + W_h h_{t-1} + b:
    dL/da = dh_t * (1 - h_t^2), dL/dh_{t-1} = W_h^T dL/da, dL/dx_t = W_x^T dL/da.
    """
    params = cache["params"]
    da = dh_t * tanh_grad_from_output(cache["h_t"])
    dx_t, dW_x, db = affine_backward(da, params["W_x"], cache["x_t"])
    dh_prev, dW_h, _ = affine_backward(da, params["W_h"], cache["h_prev"])
    return dx_t, dh_prev, dict(W_x=dW_x, W_h=dW_h, b=db)


def rnn_forward(
    x: ArrayLike, h0: ArrayLike, params: Params, batch_first: bool = False
) -> tuple[tuple[Array, Array], Cache]:
    """The RNN over a sequence.

    x (T, B, m) (or (B, T, m) with batch_first), h0 (B, n) or None for zeros.
    Returns ((h_all, h_T), cache): h_all (T, B, n) (or (B, T, n)) holds h_1 .. h_T.
    The input projections W_x x_t + b of all T steps are one matrix product before the loop.
    """
    n, m = rnn_sizes(params)
    T, B = check_sequence(x, m, batch_first)
    x = as_float(x)
    if batch_first:
        x = x.swapaxes(0, 1)
    h_prev = initial_state("h_0", h0, B, n, x.dtype)
    x_projection = affine(params["W_x"], x, params["b"])  # (T, B, n)
    h_all = np.empty((T, B, n), dtype=np.result_type(x, h_prev, params["W_h"]))
    h_0 = h_prev
    for t in range(T):
        h_prev = h_all[t] = np.tanh(x_projection[t] + h_prev @ params["W_h"].T)
    cache = dict(x=x, h_0=h_0, h_all=h_all, params=params, batch_first=batch_first)
    return ((h_all.swapaxes(0, 1) if batch_first else h_all, h_all[-1]), cache)


def rnn_backward(
    dh_all: ArrayLike, cache: Cache, dh_T: ArrayLike | None = None
) -> tuple[Array, Array, dict[str, Array]]:
    """Backpropagation through time for rnn_forward.

    dh_all = dL/dh_all (same layout as h_all), dh_T = dL/dh_T (B, n) or None.
    Returns (dx (like x), dh0 (B, n), dparams {W_x, W_h, b}).
    """
    x, h_all, params = cache["x"], cache["h_all"], cache["params"]
    dh_all = time_major_gradient(dh_all, h_all, cache["batch_first"])
    T = h_all.shape[0]
    h_prevs = np.concatenate([cache["h_0"][None], h_all[:-1]])
    da = np.empty_like(h_all)
    dh_next = final_state_gradient("dh_T", dh_T, h_all[-1])
    for t in reversed(range(T)):
        da[t] = (dh_all[t] + dh_next) * tanh_grad_from_output(h_all[t])
        dh_next = da[t] @ params["W_h"]
    dx, dW_x, db = affine_backward(da, params["W_x"], x)
    _, dW_h, _ = affine_backward(da, params["W_h"], h_prevs)
    if cache["batch_first"]:
        dx = dx.swapaxes(0, 1)
    return dx, dh_next, dict(W_x=dW_x, W_h=dW_h, b=db)
