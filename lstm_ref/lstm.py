"""The LSTM cell in the lectures' notation, one small function per step.

Sizes: n hidden units, m inputs. Every weight W_* has shape (n, n + m) and acts on the
concatenation [h_{t-1}, x_t] (h first, as in lectures 000, 002 and 003); every bias b_* has
shape (n,). Vectors may carry leading batch dimensions: h_prev (..., n), x_t (..., m).

    f_t  = sigma(W_f . [h_{t-1}, x_t] + b_f)        forget gate
    i_t  = sigma(W_i . [h_{t-1}, x_t] + b_i)        input gate
    C~_t = tanh (W_c . [h_{t-1}, x_t] + b_c)        candidate
    C_t  = f_t * C_{t-1} + i_t * C~_t               cell update (* is elementwise)
    o_t  = sigma(W_o . [h_{t-1}, x_t] + b_o)        output gate
    h_t  = o_t * tanh(C_t)                          hidden state

PyTorch's nn.LSTM computes the same thing with other names and layouts; see convert.py.

lstm_cell_forward / lstm_cell_backward are one step, gate by gate, as the lectures draw it.
lstm_forward / lstm_backward run a whole sequence; they stack the four gates' weights along a
first axis of 4 and compute the input part W . [0, x_t] of all T steps in one matrix product
before the time loop (as cuDNN does), which is what makes them fast. The tests check that
both agree with each other and with torch.nn.LSTM.

One gate order everywhere in this package, the lectures' f, i, C~, o (GATES): the stacked
weights inside the sequence functions, and the weight gradients every backward returns,
dW (4, n, n + m) and db (4, n), gate k = GATES[k] (what the bptt notebook's students return).
PyTorch's order, i, f, g, o, appears only in convert.py.
"""

import numpy as np

from .activations import as_float, sigmoid, sigmoid_grad_from_output, sigmoid_inplace, tanh, tanh_grad_from_output
from .linear import affine_backward
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

GATES = ("f", "i", "c", "o")


def concat_inputs(h_prev: ArrayLike, x_t: ArrayLike) -> Array:
    """[h_{t-1}, x_t]: shape (..., n + m), h first."""
    return np.concatenate([as_float(h_prev), as_float(x_t)], axis=-1)


def gate_preactivation(W: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b: ArrayLike) -> Array:
    """W . [h_{t-1}, x_t] + b for W (n, n + m), b (n,): shape (..., n)."""
    W, b = as_float(W), as_float(b)
    check_last_dim("b", b, W.shape[0])
    check_last_dim("[h_{t-1}, x_t]", concat_inputs(h_prev, x_t), W.shape[1])
    return concat_inputs(h_prev, x_t) @ W.T + b


def forget_gate(W_f: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b_f: ArrayLike) -> Array:
    """f_t = sigma(W_f . [h_{t-1}, x_t] + b_f), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_f, h_prev, x_t, b_f))


def input_gate(W_i: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b_i: ArrayLike) -> Array:
    """i_t = sigma(W_i . [h_{t-1}, x_t] + b_i), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_i, h_prev, x_t, b_i))


def candidate(W_c: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b_c: ArrayLike) -> Array:
    """C~_t = tanh(W_c . [h_{t-1}, x_t] + b_c), values in (-1, 1), shape (..., n)."""
    return tanh(gate_preactivation(W_c, h_prev, x_t, b_c))


def output_gate(W_o: ArrayLike, h_prev: ArrayLike, x_t: ArrayLike, b_o: ArrayLike) -> Array:
    """o_t = sigma(W_o . [h_{t-1}, x_t] + b_o), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_o, h_prev, x_t, b_o))


def forget(f_t: ArrayLike, C_prev: ArrayLike) -> Array:
    """f_t * C_{t-1}: what the forget gate keeps of the old cell state."""
    return as_float(f_t) * as_float(C_prev)


def cell_update(f_t: ArrayLike, C_prev: ArrayLike, i_t: ArrayLike, C_tilde: ArrayLike) -> Array:
    """C_t = f_t * C_{t-1} + i_t * C~_t (elementwise): keep some old, write some new."""
    return forget(f_t, C_prev) + as_float(i_t) * as_float(C_tilde)


def hidden_state(o_t: ArrayLike, C_t: ArrayLike) -> Array:
    """h_t = o_t * tanh(C_t) (elementwise): read part of the squashed cell."""
    return as_float(o_t) * tanh(C_t)


def init_params(
    n_hidden: int, n_input: int, rng: Seed = None, scale: float | None = None, dtype: type = np.float64
) -> Params:
    """Random LSTM parameters {W_f, b_f, W_i, b_i, W_c, b_c, W_o, b_o}.

    Uniform in [-1/sqrt(n), 1/sqrt(n)], the same as torch.nn.LSTM's default.
    """
    rng = np.random.default_rng(rng)
    scale = 1.0 / np.sqrt(n_hidden) if scale is None else scale
    params = {}
    for gate in GATES:
        params[f"W_{gate}"] = rng.uniform(-scale, scale, (n_hidden, n_hidden + n_input)).astype(dtype)
        params[f"b_{gate}"] = rng.uniform(-scale, scale, (n_hidden,)).astype(dtype)
    return params


def lstm_cell_forward(
    x_t: ArrayLike, h_prev: ArrayLike, C_prev: ArrayLike, params: Params
) -> tuple[tuple[Array, Array], Cache]:
    """One LSTM step.

    x_t (..., m), h_prev (..., n), C_prev (..., n), params as from init_params.
    Returns ((h_t, C_t), cache); the cache holds what the backward step needs.
    """
    n, m = lstm_sizes(params)
    check_last_dim("x_t", x_t, m)
    check_last_dim("h_{t-1}", h_prev, n)
    check_last_dim("C_{t-1}", C_prev, n)
    for name, value in (("x_t", x_t), ("h_{t-1}", h_prev), ("C_{t-1}", C_prev)):
        check_finite(name, value)
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    o_t = output_gate(params["W_o"], h_prev, x_t, params["b_o"])
    C_t = cell_update(f_t, C_prev, i_t, C_tilde)
    h_t = hidden_state(o_t, C_t)
    cache = dict(
        x_t=x_t, h_prev=h_prev, C_prev=C_prev, f_t=f_t, i_t=i_t, C_tilde=C_tilde, o_t=o_t, C_t=C_t, params=params
    )
    return (h_t, C_t), cache


def lstm_sizes(params: Params) -> tuple[int, int]:
    """(n, m) from W_f (n, n + m); checks the shape of every parameter."""
    if "W_f" not in params:
        raise ValueError(f"params is missing 'W_f' (shape (n, n + m)); it has {sorted(params)}.")
    n, n_plus_m = np.shape(params["W_f"])
    shapes = {}
    for gate in GATES:
        shapes[f"W_{gate}"], shapes[f"b_{gate}"] = (n, n_plus_m), (n,)
    check_params(params, shapes)
    return n, n_plus_m - n


def lstm_cell_backward(dh_t: ArrayLike, dC_t: ArrayLike, cache: Cache) -> tuple[Array, Array, Array, Array, Array]:
    """Backward of one LSTM step.

    dh_t = dL/dh_t (..., n); dC_t = dL/dC_t (..., n) arriving from step t+1 (None for zeros).
    Returns (dx_t (..., m), dh_prev (..., n), dC_prev (..., n), dW (4, n, n + m), db (4, n)),
    the weight gradients stacked in GATES order and summed over the batch. The cell collects
    both paths into dC:

        dC      = dC_t + dh_t * o_t * (1 - tanh(C_t)^2)
        dC_{t-1} = dC * f_t          (the uninterrupted path of lecture 004: B_t = f_t)
        df_t = dC * C_{t-1},  di_t = dC * C~_t,  dC~_t = dC * i_t,  do_t = dh_t * tanh(C_t)

    and each gate's pre-activation gradient goes back through its W . [h_{t-1}, x_t] + b.
    """
    p, C_t, o_t = cache["params"], cache["C_t"], cache["o_t"]
    dh_t = as_float(dh_t)
    tanh_C = tanh(C_t)
    dC = dh_t * o_t * tanh_grad_from_output(tanh_C)
    if dC_t is not None:
        dC = dC + as_float(dC_t)
    preactivation_grads = dict(
        f=dC * cache["C_prev"] * sigmoid_grad_from_output(cache["f_t"]),
        i=dC * cache["C_tilde"] * sigmoid_grad_from_output(cache["i_t"]),
        c=dC * cache["i_t"] * tanh_grad_from_output(cache["C_tilde"]),
        o=dh_t * tanh_C * sigmoid_grad_from_output(o_t),
    )
    concat = concat_inputs(cache["h_prev"], cache["x_t"])
    n = C_t.shape[-1]
    d_concat, dW, db = 0.0, [], []
    for gate in GATES:
        dv, dW_gate, db_gate = affine_backward(preactivation_grads[gate], p[f"W_{gate}"], concat)
        d_concat = d_concat + dv
        dW.append(dW_gate)
        db.append(db_gate)
    return d_concat[..., n:], d_concat[..., :n], dC * cache["f_t"], np.stack(dW), np.stack(db)


def stack_params(params):
    """(W_h (4, n, n), W_x (4, m, n), b (4, 1, n)), gates in GATES order, for row vectors:
    a_g = h_{t-1} @ W_h[g] + x_t @ W_x[g] + b[g] is gate g's W_g . [h_{t-1}, x_t] + b_g."""
    n = params["W_f"].shape[0]
    W = np.stack([params[f"W_{g}"] for g in GATES]).transpose(0, 2, 1)  # (4, n + m, n)
    b = np.stack([params[f"b_{g}"] for g in GATES])[:, None, :]
    return np.ascontiguousarray(W[:, :n]), np.ascontiguousarray(W[:, n:]), b


def grads_as_dict(dW: ArrayLike, db: ArrayLike) -> dict[str, Array]:
    """{W_f: dW[0], b_f: db[0], W_i: ...}: stacked gradients under their parameters' names
    (what an optimizer that walks params by name takes)."""
    return {f"{kind}_{gate}": (dW if kind == "W" else db)[k] for k, gate in enumerate(GATES) for kind in "Wb"}


def lstm_forward(
    x: ArrayLike, h0: ArrayLike, C0: ArrayLike, params: Params, batch_first: bool = False
) -> tuple[tuple[Array, tuple[Array, Array]], Cache]:
    """The LSTM over a sequence.

    x (T, B, m) (or (B, T, m) with batch_first); h0, C0 (B, n), or None for zeros.
    Returns ((h_all, (h_T, C_T)), cache): h_all (T, B, n) (or (B, T, n)) holds h_1 .. h_T,
    like torch.nn.LSTM's (output, (h_n, c_n)) for one layer. Each step is lstm_cell_forward:

        f_t, i_t, o_t = sigma(a_f), sigma(a_i), sigma(a_o);  C~_t = tanh(a_c)
        C_t = f_t * C_{t-1} + i_t * C~_t;  h_t = o_t * tanh(C_t)

    with a_g = W_g . [h_{t-1}, x_t] + b_g, split as h_{t-1} @ W_h[g] + (x_t @ W_x[g] + b[g]).
    """
    n, m = lstm_sizes(params)
    T, B = check_sequence(x, m, batch_first)
    x = as_float(x)
    if batch_first:
        x = x.swapaxes(0, 1)
    h_0 = initial_state("h_0", h0, B, n, x.dtype)
    C_0 = initial_state("C_0", C0, B, n, x.dtype)
    W_h, W_x, b = stack_params(params)
    dtype = np.result_type(x, h_0, C_0, W_h)
    W_h, W_x, b = (a.astype(dtype, copy=False) for a in (W_h, W_x, b))
    # The input part x_t @ W_x + b of all T steps in one product before the loop (as cuDNN
    # does); the loop adds h_{t-1} @ W_h and turns the sums into the gates, in place.
    gates = np.matmul(x[:, None], W_x)  # (T, 4, B, n): step t's four gates, one block
    gates += b
    recurrent = np.empty((4, B, n), dtype=dtype)
    C_all, tanh_C_all, h_all = (np.empty((T, B, n), dtype=dtype) for _ in range(3))
    h_prev, C_prev = h_0, C_0
    for t in range(T):
        a = gates[t]
        a += np.matmul(h_prev, W_h, out=recurrent)
        sigmoid_inplace(a[:2])
        np.tanh(a[2], out=a[2])
        sigmoid_inplace(a[3])
        f_t, i_t, C_tilde, o_t = a
        C_prev = np.multiply(f_t, C_prev, out=C_all[t])
        C_prev += i_t * C_tilde
        h_prev = np.multiply(o_t, np.tanh(C_prev, out=tanh_C_all[t]), out=h_all[t])
    cache = dict(
        x=x,
        h_0=h_0,
        C_0=C_0,
        gates=gates,
        C_all=C_all,
        tanh_C_all=tanh_C_all,
        h_all=h_all,
        W_h=W_h,
        W_x=W_x,
        batch_first=batch_first,
    )
    out = h_all.swapaxes(0, 1) if batch_first else h_all
    return (out, (h_all[-1], C_all[-1])), cache


def lstm_backward(
    dh_all: ArrayLike, cache: Cache, dh_T: ArrayLike | None = None, dC_T: ArrayLike | None = None
) -> tuple[Array, Array, Array, Array, Array]:
    """Backpropagation through time for lstm_forward.

    dh_all = dL/dh_all (layout of h_all); dh_T, dC_T = dL/dh_T, dL/dC_T (B, n) or None.
    Returns (dx (like x), dh0 (B, n), dC0 (B, n), dW (4, n, n + m), db (4, n)), the weight
    gradients stacked in GATES order and summed over time and batch. Each step is
    lstm_cell_backward's algebra, with dh = dL/dh_t and dC = dL/dC_t from both paths:

        dC = dC_{t+1} * f_{t+1} + dh * o_t * (1 - tanh(C_t)^2)
        da_f = dC * C_{t-1} * f_t (1 - f_t)    da_i = dC * C~_t * i_t (1 - i_t)
        da_c = dC * i_t * (1 - C~_t^2)         da_o = dh * tanh(C_t) * o_t (1 - o_t)

    The weight gradients of all steps are summed after the loop, in one product each.
    """
    x, gates, C_all, tanh_C_all, h_all = (cache[k] for k in ("x", "gates", "C_all", "tanh_C_all", "h_all"))
    T, B, n = h_all.shape
    dh_all = time_major_gradient(dh_all, h_all, cache["batch_first"])
    dh_next = final_state_gradient("dh_T", dh_T, h_all[-1])
    dC_next = final_state_gradient("dC_T", dC_T, C_all[-1])
    # The four gates side by side, (n, 4n) and (m, 4n): going back, one product per step
    # (da_t @ W_h^T, all gates at once) and one per weight after the loop.
    W_h, W_x = (cache[k].transpose(1, 0, 2).reshape(-1, 4 * n) for k in ("W_h", "W_x"))
    da = np.empty((T, B, 4, n), dtype=gates.dtype)  # dL/da: the pre-activations' gradients
    for t in reversed(range(T)):
        f_t, i_t, C_tilde, o_t = gates[t]
        C_prev = C_all[t - 1] if t > 0 else cache["C_0"]
        tanh_C = tanh_C_all[t]
        dh = dh_all[t] + dh_next
        dC = dC_next + dh * o_t * (1 - tanh_C**2)
        da[t, :, 0] = dC * C_prev * f_t * (1 - f_t)
        da[t, :, 1] = dC * C_tilde * i_t * (1 - i_t)
        da[t, :, 2] = dC * i_t * (1 - C_tilde**2)
        da[t, :, 3] = dh * tanh_C * o_t * (1 - o_t)
        dC_next = dC * f_t
        dh_next = da[t].reshape(B, 4 * n) @ W_h.T
    da = da.reshape(T * B, 4 * n)
    h_prev = np.concatenate([cache["h_0"][None], h_all[:-1]]).reshape(T * B, n)
    # (n + m, 4n) -> (4, n, n + m): the columns of gate k are rows k n .. (k + 1) n of its W_k
    dW = np.concatenate([h_prev.T @ da, x.reshape(T * B, -1).T @ da]).T.reshape(4, n, -1)
    db = da.sum(axis=0).reshape(4, n)
    dx = (da @ W_x.T).reshape(T, B, -1)
    if cache["batch_first"]:
        dx = dx.swapaxes(0, 1)
    return dx, dh_next, dC_next, dW, db
