"""The mistakes every gate layer invites: y = act(W . [h_{t-1}, x_t] + b).

Shared by the forget, input and output gates, the candidate C~_t, and the GRU's z_t and r_t.
"""
from functools import partial

import numpy as np

from lstm_ref.activations import sigmoid, tanh

from .base import Misconception, Mutation, elementwise_gate, preactivation

ACTIVATIONS = {"σ": sigmoid, "tanh": tanh}
RANGES = {"σ": "(0, 1)", "tanh": "(-1, 1)"}
# How the solutions spell each squashing function, for the mutations.
CODE = {"σ": "sigmoid(", "tanh": "np.tanh("}


def layer(W, h_prev, x_t, b, activation, **mistake):
    return ACTIVATIONS[activation](preactivation(W, h_prev, x_t, b, **mistake))


def gate_misconceptions(exercise, output, gate, activation, lecture, where, erratum="", product=None,
                        mutations=None):
    """The four mistakes of `output = activation(W_gate . [h_{t-1}, x_t] + b_gate)`.

    The mutations assume the solution reads `act(W_g @ np.concatenate([h_prev, x_t]) + b_g)`;
    `product` is (old, new) for a solution that writes its matrix product differently, and
    `mutations` ({mistake: Mutation}) replaces the mutation of a mistake outright.
    """
    W, b = f"W_{gate}", f"b_{gate}"
    formula = f"{output} = {activation}({W} · [h_{{t-1}}, x_t] + {b})"
    other = "tanh" if activation == "σ" else "σ"
    wrong_layer = partial(layer, activation=activation)

    def entry(mistake, wrong, says, old, new):
        mutation = (mutations or {}).get(mistake) or Mutation(old, new)
        return Misconception(key=f"{exercise}/{mistake}", exercise=exercise, wrong=wrong, says=says,
                             lecture=lecture, where=where, mutation=mutation)

    return [
        entry(f"{other}-for-{activation}",
              partial(layer, activation=other),
              f"you squashed with {other} where {formula} uses {activation}, "
              f"so {output} must lie in {RANGES[activation]}{erratum}.",
              CODE[activation], CODE[other]),
        entry("x-before-h",
              lambda W_, h, x, b_: wrong_layer(W_, h, x, b_, order="xh"),
              f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {formula}.",
              "[h_prev, x_t]", "[x_t, h_prev]"),
        entry("no-bias",
              lambda W_, h, x, b_: wrong_layer(W_, h, x, b_, bias=False),
              f"you left out the bias {b}: {formula}.",
              f" + {b})", ")"),
        entry("elementwise-for-matrix-product",
              lambda W_, h, x, b_: ACTIVATIONS[activation](elementwise_gate(W_, h, x, b_)),
              f"{W} · [h_{{t-1}}, x_t] is a matrix product (@), not the elementwise product (*).",
              *(product or (f"{W} @ ", f"{W} * "))),
    ]


def np_dot(a, b):
    return np.dot(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
