"""Exact conversion between the lectures' LSTM weights and torch.nn.LSTM / LSTMCell.

The lectures                        PyTorch (nn.LSTM layer 0, nn.LSTMCell)
W_f, W_i, W_c, W_o: (n, n + m)      weight_ih (4n, m), weight_hh (4n, n), rows in gate
  acting on [h_{t-1}, x_t]            order i, f, g, o  (g is the candidate C~_t)
b_f, b_i, b_c, b_o: (n,)            bias_ih (4n,) + bias_hh (4n,): two biases that are
                                      always added together

So W_gate = [weight_hh rows of gate | weight_ih rows of gate] (h first), and
b_gate = bias_ih + bias_hh. Going back we put the whole bias in bias_ih and zeros in
bias_hh, which gives the same function.
"""

from typing import Any

import numpy as np

from .types import Params

TORCH_GATE_ORDER = ("i", "f", "c", "o")  # torch calls the candidate "g"


def _suffix(module):
    """nn.LSTM names its tensors weight_ih_l0, nn.LSTMCell just weight_ih."""
    return "_l0" if hasattr(module, "weight_ih_l0") else ""


def lstm_params_from_torch(module: Any) -> Params:
    """Lecture-notation params {W_f, b_f, ...} (float64 numpy) from an nn.LSTM or nn.LSTMCell."""
    _check_single_layer(module)
    s = _suffix(module)
    weight_ih = getattr(module, "weight_ih" + s).detach().double().numpy()
    weight_hh = getattr(module, "weight_hh" + s).detach().double().numpy()
    n = weight_hh.shape[1]
    bias = np.zeros(4 * n)
    for name in ("bias_ih", "bias_hh"):
        if getattr(module, name + s, None) is not None:
            bias = bias + getattr(module, name + s).detach().double().numpy()
    params = {}
    for k, gate in enumerate(TORCH_GATE_ORDER):
        rows = slice(k * n, (k + 1) * n)
        params[f"W_{gate}"] = np.concatenate([weight_hh[rows], weight_ih[rows]], axis=1)
        params[f"b_{gate}"] = bias[rows]
    return params


def lstm_params_to_torch(params, module):
    """Copy lecture-notation params into an existing nn.LSTM or nn.LSTMCell, in place."""
    import torch

    _check_single_layer(module)
    s = _suffix(module)
    n = params["W_f"].shape[0]
    weight_hh = np.concatenate([params[f"W_{g}"][:, :n] for g in TORCH_GATE_ORDER])
    weight_ih = np.concatenate([params[f"W_{g}"][:, n:] for g in TORCH_GATE_ORDER])
    bias = np.concatenate([params[f"b_{g}"] for g in TORCH_GATE_ORDER])
    with torch.no_grad():
        for name, value in (
            ("weight_ih", weight_ih),
            ("weight_hh", weight_hh),
            ("bias_ih", bias),
            ("bias_hh", np.zeros_like(bias)),
        ):
            tensor = getattr(module, name + s)
            tensor.copy_(torch.as_tensor(value, dtype=tensor.dtype))
    return module


# --- checks shared by all converters -------------------------------------------------------


def _check_single_layer(module):
    """Only one unidirectional layer without projection maps onto the lectures' cell."""
    if (
        getattr(module, "num_layers", 1) != 1
        or getattr(module, "bidirectional", False)
        or getattr(module, "proj_size", 0)
    ):
        raise ValueError(
            f"{type(module).__name__} should have num_layers=1, bidirectional=False and "
            f"proj_size=0 to convert to the lectures' cell, got num_layers="
            f"{getattr(module, 'num_layers', 1)}, bidirectional={getattr(module, 'bidirectional', False)}, "
            f"proj_size={getattr(module, 'proj_size', 0)}."
        )


def _tensor(module, name):
    """module's tensor `name` (weight_ih, ...) as float64 numpy, or None without bias."""
    value = getattr(module, name + _suffix(module), None)
    return None if value is None else value.detach().double().numpy()


def _copy_into(module, values):
    """Copy {weight_ih: array, ...} into module's tensors, in place, keeping their dtype."""
    import torch

    with torch.no_grad():
        for name, value in values.items():
            tensor = getattr(module, name + _suffix(module), None)
            if tensor is None:
                if np.any(value != 0):
                    raise ValueError(
                        f"{type(module).__name__} has bias=False but the params "
                        f"have a non-zero bias; build it with bias=True."
                    )
                continue
            tensor.copy_(torch.as_tensor(value, dtype=tensor.dtype))
    return module


# --- RNN ----------------------------------------------------------------------------------
# lecture 000: h_t = tanh(W_x x_t + W_h h_{t-1} + b)
# torch.nn.RNN(nonlinearity="tanh"): weight_ih = W_x (n, m), weight_hh = W_h (n, n),
# b = bias_ih + bias_hh.


def rnn_params_from_torch(module: Any) -> Params:
    """Lecture-notation params {W_x, W_h, b} (float64 numpy) from an nn.RNN or nn.RNNCell."""
    _check_single_layer(module)
    if getattr(module, "nonlinearity", "tanh") != "tanh":
        raise ValueError(f"nonlinearity should be 'tanh' (lecture 000), got {module.nonlinearity!r}.")
    weight_hh = _tensor(module, "weight_hh")
    bias = np.zeros(weight_hh.shape[0])
    for name in ("bias_ih", "bias_hh"):
        if _tensor(module, name) is not None:
            bias = bias + _tensor(module, name)
    return dict(W_x=_tensor(module, "weight_ih"), W_h=weight_hh, b=bias)


def rnn_params_to_torch(params, module):
    """Copy {W_x, W_h, b} into an existing nn.RNN or nn.RNNCell, in place (bias all in bias_ih)."""
    _check_single_layer(module)
    return _copy_into(
        module,
        dict(weight_ih=params["W_x"], weight_hh=params["W_h"], bias_ih=params["b"], bias_hh=np.zeros_like(params["b"])),
    )


# --- GRU ----------------------------------------------------------------------------------
# torch.nn.GRU: weight_ih (3n, m), weight_hh (3n, n), rows in gate order r, z, n (n is the
# candidate h~_t). r and z use bias_ih + bias_hh; the candidate keeps them apart:
#   h~_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
# so W_h = [W_hn | W_in], b_h = b_in, and b_hn stays a parameter of its own. Only
# gru_cell_forward(..., convention="torch") computes this; see gru.py for the lecture's form.

TORCH_GRU_GATE_ORDER = ("r", "z", "h")  # torch calls the candidate "n"


def gru_params_from_torch(module: Any) -> Params:
    """Torch-convention GRU params {W_z, b_z, W_r, b_r, W_h, b_h, b_hn} from nn.GRU / nn.GRUCell."""
    _check_single_layer(module)
    weight_ih, weight_hh = _tensor(module, "weight_ih"), _tensor(module, "weight_hh")
    n = weight_hh.shape[1]
    zeros = np.zeros(3 * n)
    bias_ih = _tensor(module, "bias_ih") if _tensor(module, "bias_ih") is not None else zeros
    bias_hh = _tensor(module, "bias_hh") if _tensor(module, "bias_hh") is not None else zeros
    params = {}
    for k, gate in enumerate(TORCH_GRU_GATE_ORDER):
        rows = slice(k * n, (k + 1) * n)
        params[f"W_{gate}"] = np.concatenate([weight_hh[rows], weight_ih[rows]], axis=1)
        params[f"b_{gate}"] = bias_ih[rows] if gate == "h" else bias_ih[rows] + bias_hh[rows]
    params["b_hn"] = bias_hh[2 * n :]
    return params


def gru_params_to_torch(params, module):
    """Copy torch-convention GRU params into an existing nn.GRU or nn.GRUCell, in place."""
    _check_single_layer(module)
    n = params["W_z"].shape[0]
    b_hn = params.get("b_hn", np.zeros(n))
    return _copy_into(
        module,
        dict(
            weight_hh=np.concatenate([params[f"W_{g}"][:, :n] for g in TORCH_GRU_GATE_ORDER]),
            weight_ih=np.concatenate([params[f"W_{g}"][:, n:] for g in TORCH_GRU_GATE_ORDER]),
            bias_ih=np.concatenate([params[f"b_{g}"] for g in TORCH_GRU_GATE_ORDER]),
            bias_hh=np.concatenate([np.zeros(2 * n), b_hn]),
        ),
    )
