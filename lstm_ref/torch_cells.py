"""The RNN, LSTM and GRU written from scratch with torch operations, as nn.Modules.

The same equations and parameter names as the numpy cells (lstm.py, rnn.py, gru.py); torch
autograd does the backward. Parameters are kept in the lectures' layout (W_* (n, n + m) on
[h_{t-1}, x_t]); from_params / params move them to and from numpy, from_torch / to_torch to
and from torch.nn.RNN/LSTM/GRU (and the *Cell classes) through convert.py.

    cell = LSTMCell.from_torch(torch.nn.LSTMCell(4, 3))
    h_t, C_t = cell(x_t, (h_prev, C_prev))
    h_all, (h_T, C_T) = Sequence(cell)(x, (h0, C0))    # x (T, B, m)
"""

import math

import numpy as np
import torch
from torch import nn

from . import convert
from .gru import check_convention


class _Cell(nn.Module):
    """Parameters by name, in the lectures' layout, and the conversions every cell shares."""

    shapes = {}  # name -> shape as a function of (n, m)
    from_torch_params = to_torch_params = torch_class = None

    def __init__(self, n_input, n_hidden, dtype=torch.float64):
        super().__init__()
        self.n_input, self.n_hidden = n_input, n_hidden
        bound = 1.0 / math.sqrt(n_hidden)  # torch.nn's default
        for name, shape in self.shapes(n_hidden, n_input).items():
            self.register_parameter(name, nn.Parameter(torch.empty(shape, dtype=dtype).uniform_(-bound, bound)))

    @classmethod
    def from_params(cls, params, dtype=torch.float64, **kwargs):
        """A cell holding numpy params as from init_params / init_rnn_params / init_gru_params."""
        n, m = cls.sizes(params)
        cell = cls(m, n, dtype=dtype, **kwargs)
        with torch.no_grad():
            for name, p in cell.named_parameters():
                if np.shape(params[name]) != tuple(p.shape):
                    raise ValueError(
                        f"params[{name!r}] should have shape {tuple(p.shape)}, got shape {np.shape(params[name])}."
                    )
                p.copy_(torch.as_tensor(np.asarray(params[name]), dtype=dtype))
        return cell

    def params(self):
        """The parameters as a float64 numpy dict, for the numpy cells."""
        return {name: p.detach().double().numpy().copy() for name, p in self.named_parameters()}

    @classmethod
    def from_torch(cls, module, **kwargs):
        """A cell holding the weights of a torch.nn layer (one layer) or cell."""
        return cls.from_params(cls.from_torch_params(module), dtype=next(module.parameters()).dtype, **kwargs)

    def to_torch(self, layer=False):
        """A new torch.nn cell (or, with layer=True, one-layer torch.nn layer) with these weights."""
        cls = self.torch_class[layer]
        return type(self).to_torch_params(self.params(), cls(self.n_input, self.n_hidden, dtype=self.dtype))

    @property
    def dtype(self):
        return next(self.parameters()).dtype

    def _check(self, x_t, *states):
        for name, value, size in (
            ("x_t", x_t, self.n_input),
            *((f"state {k}", s, self.n_hidden) for k, s in enumerate(states)),
        ):
            if value.shape[-1:] != (size,):
                raise ValueError(f"{name} should have shape (..., {size}), got shape {tuple(value.shape)}.")


def _gate(W, b, h_prev, x_t):
    """W . [h_{t-1}, x_t] + b."""
    return torch.cat([h_prev, x_t], dim=-1) @ W.T + b


class RNNCell(_Cell):
    """h_t = tanh(W_x x_t + W_h h_{t-1} + b)."""

    shapes = staticmethod(lambda n, m: dict(W_x=(n, m), W_h=(n, n), b=(n,)))
    sizes = staticmethod(lambda p: np.shape(p["W_x"]))
    from_torch_params = staticmethod(convert.rnn_params_from_torch)
    to_torch_params = staticmethod(convert.rnn_params_to_torch)
    torch_class = {False: nn.RNNCell, True: nn.RNN}

    def forward(self, x_t, h_prev):
        self._check(x_t, h_prev)
        return torch.tanh(x_t @ self.W_x.T + h_prev @ self.W_h.T + self.b)


def _lstm_shapes(n, m):
    return {f"{kind}_{g}": ((n, n + m) if kind == "W" else (n,)) for g in "fico" for kind in "Wb"}


class LSTMCell(_Cell):
    """f_t, i_t, o_t = sigma(W . [h_{t-1}, x_t] + b); C~_t = tanh(...);
    C_t = f_t * C_{t-1} + i_t * C~_t; h_t = o_t * tanh(C_t)."""

    shapes = staticmethod(_lstm_shapes)
    sizes = staticmethod(lambda p: (p["W_f"].shape[0], p["W_f"].shape[1] - p["W_f"].shape[0]))
    from_torch_params = staticmethod(convert.lstm_params_from_torch)
    to_torch_params = staticmethod(convert.lstm_params_to_torch)
    torch_class = {False: nn.LSTMCell, True: nn.LSTM}

    def forward(self, x_t, state):
        h_prev, C_prev = state
        self._check(x_t, h_prev, C_prev)
        f_t = torch.sigmoid(_gate(self.W_f, self.b_f, h_prev, x_t))
        i_t = torch.sigmoid(_gate(self.W_i, self.b_i, h_prev, x_t))
        C_tilde = torch.tanh(_gate(self.W_c, self.b_c, h_prev, x_t))
        o_t = torch.sigmoid(_gate(self.W_o, self.b_o, h_prev, x_t))
        C_t = f_t * C_prev + i_t * C_tilde
        return o_t * torch.tanh(C_t), C_t


class GRUCell(_Cell):
    """z_t, r_t = sigma(W . [h_{t-1}, x_t] + b); h_t = (1 - z_t) * h~_t + z_t * h_{t-1} with
    h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h) (lecture) or
    tanh(r_t * (U_h h_{t-1} + b_hn) + V_h x_t + b_h) (torch); see gru.py."""

    sizes = staticmethod(lambda p: (p["W_z"].shape[0], p["W_z"].shape[1] - p["W_z"].shape[0]))
    from_torch_params = staticmethod(convert.gru_params_from_torch)
    to_torch_params = staticmethod(convert.gru_params_to_torch)
    torch_class = {False: nn.GRUCell, True: nn.GRU}

    def __init__(self, n_input, n_hidden, dtype=torch.float64, convention="lecture"):
        check_convention(convention)
        self.convention = convention
        super().__init__(n_input, n_hidden, dtype)

    def shapes(self, n, m):
        shapes = {f"{kind}_{g}": ((n, n + m) if kind == "W" else (n,)) for g in "zrh" for kind in "Wb"}
        return shapes | ({"b_hn": (n,)} if self.convention == "torch" else {})

    @classmethod
    def from_torch(cls, module, **kwargs):
        """Only the torch convention computes what torch.nn.GRU computes."""
        return super().from_torch(module, convention="torch")

    def to_torch(self, layer=False):
        if self.convention != "torch":
            raise ValueError(
                "only a GRUCell with convention='torch' computes what torch.nn.GRU "
                "computes; the lecture's candidate resets h_{t-1} before W_h."
            )
        return super().to_torch(layer)

    def forward(self, x_t, h_prev):
        self._check(x_t, h_prev)
        z_t = torch.sigmoid(_gate(self.W_z, self.b_z, h_prev, x_t))
        r_t = torch.sigmoid(_gate(self.W_r, self.b_r, h_prev, x_t))
        if self.convention == "lecture":
            h_tilde = torch.tanh(_gate(self.W_h, self.b_h, r_t * h_prev, x_t))
        else:
            n = self.n_hidden
            h_tilde = torch.tanh(r_t * (h_prev @ self.W_h[:, :n].T + self.b_hn) + x_t @ self.W_h[:, n:].T + self.b_h)
        return (1 - z_t) * h_tilde + z_t * h_prev


class Sequence(nn.Module):
    """Runs a cell over x (T, B, m) (or (B, T, m) with batch_first) from the given states.

    RNN/GRU: forward(x, h0) -> (h_all, h_T); LSTM: forward(x, (h0, C0)) -> (h_all, (h_T, C_T)),
    like torch.nn.RNN/GRU/LSTM for one layer, except that states are (B, n), not (1, B, n).
    """

    def __init__(self, cell, batch_first=False):
        super().__init__()
        self.cell, self.batch_first = cell, batch_first

    def forward(self, x, state):
        if x.dim() != 3 or x.shape[0] == 0 or x.shape[1] == 0 or x.shape[-1] != self.cell.n_input:
            layout = "(B, T, m)" if self.batch_first else "(T, B, m)"
            raise ValueError(
                f"x should have shape {layout} with m = {self.cell.n_input} and T, B >= 1, got shape {tuple(x.shape)}."
            )
        if self.batch_first:
            x = x.transpose(0, 1)
        outputs = []
        for x_t in x:
            state = self.cell(x_t, state)
            outputs.append(state[0] if isinstance(state, tuple) else state)
        h_all = torch.stack(outputs, dim=1 if self.batch_first else 0)
        return h_all, state
