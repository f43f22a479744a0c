"""A sequence classifier: a recurrent layer (LSTM or plain RNN), its last hidden state h_T, and
one logistic unit that reads it. The model of the agreement task (was / were).

    h_T = LSTM(x_1 .. x_T)  (or RNN)        x (T, B, m) time first, h_0 = C_0 = 0
    z   = W_y . h_T + b_y                   W_y (1, n), b_y (1,): one logit per sequence
    p   = sigma(z)                          the probability that the verb is "were" (y = 1)
    L   = mean over the batch of -[y log p + (1 - y) log(1 - p)]

params holds the layer's parameters ({W_f, b_f, ...} for an LSTM, {W_x, W_h, b} for an RNN)
and W_y, b_y; which layer it is follows from the names. Forward returns (out, cache), backward
takes (dout, cache), like the layers it is made of.
"""

import numpy as np
from numpy.typing import NDArray

from .lstm import grads_as_dict, init_params, lstm_backward, lstm_forward
from .rnn import init_rnn_params, rnn_backward, rnn_forward
from .types import Array, ArrayLike, Cache, Params

KINDS = ("LSTM", "RNN")


def kind_of(params):
    """ "LSTM" or "RNN", from the parameters' names."""
    if "W_f" in params:
        return "LSTM"
    if "W_x" in params:
        return "RNN"
    raise ValueError(f"params should hold an LSTM's W_f, ... or an RNN's W_x, W_h, b; it has {sorted(params)}.")


def init_classifier(
    kind: str, n_hidden: int, n_input: int, seed: int, forget_bias: float | None = None, dtype: type = np.float64
) -> Params:
    """Random parameters, uniform in [-1/sqrt(n), 1/sqrt(n)] (torch's default), seeded.

    forget_bias (LSTM only): b_f set to this value in every unit; None keeps the random b_f
    near 0, which makes f_t start near sigma(0) = 0.5.
    """
    rng = np.random.default_rng(seed)
    if kind == "LSTM":
        params = init_params(n_hidden, n_input, rng=rng, dtype=dtype)
        if forget_bias is not None:
            params["b_f"] = np.full(n_hidden, forget_bias, dtype=dtype)
    elif kind == "RNN":
        if forget_bias is not None:
            raise ValueError("forget_bias is an LSTM setting; a plain RNN has no forget gate.")
        params = init_rnn_params(n_hidden, n_input, rng=rng, dtype=dtype)
    else:
        raise ValueError(f"kind should be one of {KINDS}, got {kind!r}.")
    scale = 1.0 / np.sqrt(n_hidden)
    params["W_y"] = rng.uniform(-scale, scale, (1, n_hidden)).astype(dtype)
    params["b_y"] = np.zeros(1, dtype=dtype)
    return params


def classifier_forward(x: ArrayLike, params: Params) -> tuple[Array, Cache]:
    """x (T, B, m) -> (z (B,) logits, cache)."""
    if kind_of(params) == "LSTM":
        (_, (h_T, _)), layer_cache = lstm_forward(x, None, None, params)
    else:
        (_, h_T), layer_cache = rnn_forward(x, None, params)
    z = h_T @ params["W_y"][0] + params["b_y"][0]
    return z, (h_T, layer_cache, params)


def classifier_backward(dz: ArrayLike, cache: Cache) -> dict[str, Array]:
    """dz = dL/dz (B,) -> grads, a dict with the keys of params (summed over the batch)."""
    h_T, layer_cache, params = cache
    dh_T = np.outer(dz, params["W_y"][0])
    zeros = np.zeros_like(layer_cache["h_all"])  # the loss reads h_T only
    if kind_of(params) == "LSTM":
        _, _, _, dW, db = lstm_backward(zeros, layer_cache, dh_T=dh_T)
        grads = grads_as_dict(dW, db)  # the optimizer walks params by name
    else:
        _, _, grads = rnn_backward(zeros, layer_cache, dh_T=dh_T)
    grads["W_y"] = (dz @ h_T)[None, :]
    grads["b_y"] = np.array([dz.sum()], dtype=h_T.dtype)
    return grads


def sigmoid_cross_entropy(z: ArrayLike, y: ArrayLike) -> tuple[float, Array]:
    """(L, dL/dz): the mean binary cross-entropy of p = sigma(z) against labels y in {0, 1}.

    Written with log(1 + e^{-|z|}) so that no exp overflows: -log sigma(z) = log(1 + e^{-z}).
    dL/dz = (sigma(z) - y) / B.
    """
    y = np.asarray(y, dtype=z.dtype)
    loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    p = np.exp(-np.logaddexp(0, -z))  # sigma(z), without overflow
    return float(loss), (p - y) / len(z)


def predict(x: ArrayLike, params: Params) -> NDArray[np.int64]:
    """Predicted labels (B,) in {0, 1}: 1 ("were") where z > 0, i.e. p > 0.5."""
    z, _ = classifier_forward(x, params)
    return (z > 0).astype(np.int64)


def accuracy(x: ArrayLike, y: ArrayLike, params: Params) -> float:
    """The fraction of sequences whose label is predicted right."""
    return float(np.mean(predict(x, params) == np.asarray(y)))
