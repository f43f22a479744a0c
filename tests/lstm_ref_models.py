"""The three models of lstm_ref side by side with their torch.nn twins, for the tests.

Each Model knows how to make random params, run our numpy sequence forward/backward and
build the torch layer / cell holding the same params.
"""

from dataclasses import dataclass

import numpy as np
import torch

import lstm_ref
from lstm_ref import convert
from lstm_ref.gradcheck import numerical_gradient, relative_error
from lstm_ref.gradient_flow import rnn_hidden_jacobian


@dataclass(frozen=True)
class Model:
    name: str
    init: object  # (n, m, rng) -> params
    forward: object  # (x, states, params) -> (h_all, final_states), cache
    backward: object  # (dh_all, cache) -> (dx, d_initial_states, dparams)
    cell_forward: object  # (x_t, states, params) -> (states, cache)
    torch_layer: type
    torch_cell: type
    to_torch: object  # (params, module)
    n_states: int  # 1 (h) or 2 (h, C)


def _lstm_cell(x, states, params):
    (h, C), cache = lstm_ref.lstm_cell_forward(x, *states, params)
    return (h, C), cache


def _lstm_forward(x, states, params):
    (h_all, (h_T, C_T)), cache = lstm_ref.lstm_forward(x, *states, params)
    return (h_all, (h_T, C_T)), cache


def _lstm_backward(dh_all, cache):
    dx, dh0, dC0, dW, db = lstm_ref.lstm_backward(dh_all, cache)
    return dx, (dh0, dC0), lstm_ref.lstm.grads_as_dict(dW, db)


def _single(forward, backward, cell, **kw):
    def fwd(x, states, params):
        (h_all, h_T), cache = forward(x, states[0], params, **kw)
        return (h_all, (h_T,)), cache

    def bwd(dh_all, cache):
        dx, dh0, dparams = backward(dh_all, cache)
        return dx, (dh0,), dparams

    def cell_fwd(x, states, params):
        h, cache = cell(x, states[0], params, **kw)
        return (h,), cache

    return fwd, bwd, cell_fwd


LSTM = Model(
    "lstm",
    lambda n, m, rng: lstm_ref.init_params(n, m, rng=rng),
    _lstm_forward,
    _lstm_backward,
    _lstm_cell,
    torch.nn.LSTM,
    torch.nn.LSTMCell,
    convert.lstm_params_to_torch,
    2,
)
RNN = Model(
    "rnn",
    lambda n, m, rng: lstm_ref.init_rnn_params(n, m, rng=rng),
    *_single(lstm_ref.rnn_forward, lstm_ref.rnn_backward, lstm_ref.rnn_cell_forward),
    torch.nn.RNN,
    torch.nn.RNNCell,
    convert.rnn_params_to_torch,
    1,
)
GRU = Model(
    "gru",
    lambda n, m, rng: lstm_ref.init_gru_params(n, m, rng=rng, convention="torch"),
    *_single(lstm_ref.gru_forward, lstm_ref.gru_backward, lstm_ref.gru_cell_forward, convention="torch"),
    torch.nn.GRU,
    torch.nn.GRUCell,
    convert.gru_params_to_torch,
    1,
)
MODELS = [RNN, LSTM, GRU]


def torch_module(model, params, n, m, dtype, cell=False):
    cls = model.torch_cell if cell else model.torch_layer
    return model.to_torch(params, cls(m, n, dtype=dtype))


def torch_states(model, states, dtype, requires_grad=False, layer=True):
    """Our (B, n) states as torch tensors: (1, B, n) for a layer."""
    out = [torch.tensor(s[None] if layer else s, dtype=dtype, requires_grad=requires_grad) for s in states]
    return out


def run_torch_layer(module, model, x, states):
    """torch layer forward: (output, final states tuple)."""
    hx = tuple(states) if model.n_states == 2 else states[0]
    out, final = module(x, hx)
    return out, (final if model.n_states == 2 else (final,))


def run_torch_cell(module, model, x_t, states):
    hx = tuple(states) if model.n_states == 2 else states[0]
    out = module(x_t, hx)
    return out if model.n_states == 2 else (out,)


def check_gradients(f, inputs, analytic, dout=None, eps=1e-6):
    """Relative error of each analytic gradient: {name: relative_error(analytic[name], numerical)}.

    inputs maps names to the float64 arrays f reads; analytic maps the same names to the
    gradients a backward returned."""
    return {name: relative_error(analytic[name], numerical_gradient(f, inputs[name], dout, eps)) for name in inputs}


def rnn_hidden_jacobians(x, h0, params):
    """dh_t/dh_{t-1} at every step of one sequence x (T, m) from h_0 (n,): shape (T, n, n)."""
    h_t, jacobians = np.asarray(h0, np.float64), []
    for x_t in np.asarray(x, np.float64):
        h_t, _ = lstm_ref.rnn_cell_forward(x_t, h_t, params)
        jacobians.append(rnn_hidden_jacobian(params["W_h"], h_t))
    return np.stack(jacobians)
