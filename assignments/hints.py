"""Each catalogue hint's words, as a formula of the right functions: tests/test_claims.py checks that
the formula gives the mistake's result on the exercise's random inputs. A hint that says "you
divided by B" is proved by right / B equalling the wrong function's result; one that says "which
is σ(-z)" by σ(-z) doing so. The formula is written from the hint's words and the right
function, never from the wrong function's code; a formula that returns an exception class says
the mistake raises it.

The families below are shared by the assignments' claims.py (HINTS = {mistake key: formula}).
"""

import numpy as np


def stacked(h, x):
    """[h_{t-1}, x_t] for one vector or a batch (stacked along the last axis)."""
    return np.concatenate([h, x], axis=-1)


def preactivation(W, h, x, b):
    """W · [h_{t-1}, x_t] + b for one vector or a batch."""
    return stacked(h, x) @ W.T + b


def logit(p):
    """The z of p = σ(z)."""
    return np.log(p) - np.log1p(-p)


def x_first(W, n):
    """The W that reads [h, x] as W reads [x, h]: its first m columns moved to the end."""
    m = W.shape[1] - n
    return np.concatenate([W[:, m:], W[:, :m]], axis=1)


# -- a gate f(W, h_{t-1}, x_t, b) = act(W · [h_{t-1}, x_t] + b) ----------------------------------


def gate_tanh_for_sigma(right):
    """ "you squashed with tanh where σ belongs": tanh of the z whose σ is the right gate."""
    return lambda W, h, x, b: np.tanh(logit(right(W, h, x, b)))


def candidate_sigma_for_tanh(right):
    """ "you squashed with σ where tanh belongs": σ of the z whose tanh is the right candidate."""
    return lambda W, h, x, b, *rest: 1 / (1 + np.exp(-np.arctanh(right(W, h, x, b, *rest))))


def gate_x_before_h(right):
    """ "you stacked [x_t, h_{t-1}]": the right gate of the weights that read x first."""
    return lambda W, h, x, b, *rest: right(x_first(W, np.shape(h)[-1]), h, x, b, *rest)


def gate_no_bias(right):
    """ "you left out the bias": the right gate with b = 0."""
    return lambda W, h, x, b, *rest: right(W, h, x, 0 * b, *rest)


def gate_elementwise(act, batched=False):
    """ "a matrix product (@), not the elementwise product (*)": act(W * [h, x] + b) (or, for a
    gate written for a batch, act([h, x] * W.T + b)), which numpy cannot compute unless the
    shapes happen to broadcast."""

    def formula(W, h, x, b):
        try:
            return act((stacked(h, x) * W.T if batched else W * stacked(h, x)) + b)
        except ValueError:
            return ValueError

    return formula


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# -- elementwise products ----------------------------------------------------------------------


def dot_for_product(right):
    """ "you took the matrix (dot) product, which adds everything up into one number": the sum of
    the right elementwise products."""
    return lambda *arguments: np.sum(right(*arguments))


# -- one LSTM step (x_t, h_{t-1}, C_{t-1}, params) -> (h_t, C_t) --------------------------------


def with_params(right, change):
    """The right step with its parameters changed as the hint says (a W_i where W_f belongs ...)."""
    return lambda x, h, C, params: right(x, h, C, change(dict(params), np.shape(h)[-1]))


def unrolled(step):
    """What lstm_forward gives when every step is `step`: the hint "in each step (lstm_cell), ..."."""

    def forward(x, h0, C0, params):
        h, C, h_all = h0, C0, []
        for x_t in x:
            h, C = step(x_t, h, C, params)
            h_all.append(h)
        return np.stack(h_all), C

    return forward
