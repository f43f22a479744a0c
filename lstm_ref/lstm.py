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
"""
import numpy as np

from .activations import as_float, sigmoid, tanh
from .validate import check_finite, check_last_dim

GATES = ("f", "i", "c", "o")


def concat_inputs(h_prev, x_t):
    """[h_{t-1}, x_t]: shape (..., n + m), h first."""
    return np.concatenate([as_float(h_prev), as_float(x_t)], axis=-1)


def gate_preactivation(W, h_prev, x_t, b):
    """W . [h_{t-1}, x_t] + b for W (n, n + m), b (n,): shape (..., n)."""
    W, b = as_float(W), as_float(b)
    check_last_dim("b", b, W.shape[0])
    check_last_dim("[h_{t-1}, x_t]", concat_inputs(h_prev, x_t), W.shape[1])
    return concat_inputs(h_prev, x_t) @ W.T + b


def forget_gate(W_f, h_prev, x_t, b_f):
    """f_t = sigma(W_f . [h_{t-1}, x_t] + b_f), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_f, h_prev, x_t, b_f))


def input_gate(W_i, h_prev, x_t, b_i):
    """i_t = sigma(W_i . [h_{t-1}, x_t] + b_i), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_i, h_prev, x_t, b_i))


def candidate(W_c, h_prev, x_t, b_c):
    """C~_t = tanh(W_c . [h_{t-1}, x_t] + b_c), values in (-1, 1), shape (..., n)."""
    return tanh(gate_preactivation(W_c, h_prev, x_t, b_c))


def output_gate(W_o, h_prev, x_t, b_o):
    """o_t = sigma(W_o . [h_{t-1}, x_t] + b_o), values in (0, 1), shape (..., n)."""
    return sigmoid(gate_preactivation(W_o, h_prev, x_t, b_o))


def forget(f_t, C_prev):
    """f_t * C_{t-1}: what the forget gate keeps of the old cell state."""
    return as_float(f_t) * as_float(C_prev)


def cell_update(f_t, C_prev, i_t, C_tilde):
    """C_t = f_t * C_{t-1} + i_t * C~_t (elementwise): keep some old, write some new."""
    return forget(f_t, C_prev) + as_float(i_t) * as_float(C_tilde)


def hidden_state(o_t, C_t):
    """h_t = o_t * tanh(C_t) (elementwise): read part of the squashed cell."""
    return as_float(o_t) * tanh(C_t)


def init_params(n_hidden, n_input, rng=None, scale=None, dtype=np.float64):
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


def lstm_cell_forward(x_t, h_prev, C_prev, params):
    """One LSTM step.

    x_t (..., m), h_prev (..., n), C_prev (..., n), params as from init_params.
    Returns ((h_t, C_t), cache); the cache holds what the backward step needs.
    """
    n = params["W_f"].shape[0]
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
    cache = dict(x_t=x_t, h_prev=h_prev, C_prev=C_prev, f_t=f_t, i_t=i_t,
                 C_tilde=C_tilde, o_t=o_t, C_t=C_t, params=params)
    return (h_t, C_t), cache
