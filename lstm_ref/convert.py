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
import numpy as np

TORCH_GATE_ORDER = ("i", "f", "c", "o")  # torch calls the candidate "g"


def _suffix(module):
    """nn.LSTM names its tensors weight_ih_l0, nn.LSTMCell just weight_ih."""
    return "_l0" if hasattr(module, "weight_ih_l0") else ""


def lstm_params_from_torch(module):
    """Lecture-notation params {W_f, b_f, ...} (float64 numpy) from an nn.LSTM or nn.LSTMCell."""
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

    s = _suffix(module)
    n = params["W_f"].shape[0]
    weight_hh = np.concatenate([params[f"W_{g}"][:, :n] for g in TORCH_GATE_ORDER])
    weight_ih = np.concatenate([params[f"W_{g}"][:, n:] for g in TORCH_GATE_ORDER])
    bias = np.concatenate([params[f"b_{g}"] for g in TORCH_GATE_ORDER])
    with torch.no_grad():
        for name, value in (("weight_ih", weight_ih), ("weight_hh", weight_hh),
                            ("bias_ih", bias), ("bias_hh", np.zeros_like(bias))):
            tensor = getattr(module, name + s)
            tensor.copy_(torch.as_tensor(value, dtype=tensor.dtype))
    return module


def torch_lstm_cell(params, dtype=None):
    """A new nn.LSTMCell holding `params`."""
    import torch

    n, n_plus_m = params["W_f"].shape
    cell = torch.nn.LSTMCell(n_plus_m - n, n, dtype=dtype or torch.float64)
    return lstm_params_to_torch(params, cell)
