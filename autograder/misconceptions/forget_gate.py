"""The forget-gate assignment: sigmoid, forget_gate, forget, forget_weight_shape."""
import numpy as np

from .base import Misconception, Mutation
from .gates import gate_misconceptions, np_dot

STEP_1 = "STEP 1 (the forget gate layer)"

MISCONCEPTIONS = [
    Misconception(
        key="sigmoid/tanh-for-σ", exercise="sigmoid", wrong=np.tanh,
        says="you wrote tanh(z), but σ(z) = 1 / (1 + e^(-z)) squashes into (0, 1), not (-1, 1).",
        lecture="002", where='"Gates" (a sigmoid layer outputs numbers between zero and one)',
        mutation=Mutation("1.0 / (1.0 + np.exp(-z))", "np.tanh(z)"),
    ),
    Misconception(
        key="sigmoid/sign", exercise="sigmoid", wrong=lambda z: 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float))),
        says="you wrote 1 / (1 + e^z), which is σ(-z): the exponent is -z, σ(z) = 1 / (1 + e^(-z)).",
        lecture="002", where='"Gates" (a sigmoid layer outputs numbers between zero and one)',
        mutation=Mutation("np.exp(-z)", "np.exp(z)"),
    ),
    *gate_misconceptions("forget_gate", "f_t", "f", "σ", lecture="002", where=STEP_1),
    Misconception(
        key="forget/matrix-product-for-⊙", exercise="forget", wrong=np_dot,
        says="f_t ⊙ C_{t-1} multiplies entry by entry (*); you took the matrix (dot) product (@), "
             "which adds everything up into one number.",
        lecture="000", where='"1. Forget Gate", step 2 (elementwise multiplication)',
        mutation=Mutation("f_t * C_prev", "f_t @ C_prev"),
    ),
    Misconception(
        key="forget/one-minus-f", exercise="forget", wrong=lambda f_t, C_prev: (1 - np.asarray(f_t)) * C_prev,
        says="you kept (1 - f_t) ⊙ C_{t-1}, but f_t = 1 means keep and f_t = 0 means erase: "
             "the kept memory is f_t ⊙ C_{t-1}.",
        lecture="002", where='STEP 1 ("1 represents completely keep this")',
        mutation=Mutation("f_t * C_prev", "(1 - f_t) * C_prev"),
    ),
    Misconception(
        key="forget_weight_shape/x-only", exercise="forget_weight_shape",
        wrong=lambda n_units, n_inputs: (n_units, n_inputs),
        says="W_f acts on [h_{t-1}, x_t], n + m numbers, not on x_t alone: it has n + m columns.",
        lecture="003", where='the "Forget Gate" diagram',
        mutation=Mutation("(n_units, n_units + n_inputs)", "(n_units, n_inputs)"),
    ),
    Misconception(
        key="forget_weight_shape/transposed", exercise="forget_weight_shape",
        wrong=lambda n_units, n_inputs: (n_units + n_inputs, n_units),
        says="W_f has one row per unit and one column per entry of [h_{t-1}, x_t]: (n, n + m), not (n + m, n).",
        lecture="003", where='the "Forget Gate" diagram',
        mutation=Mutation("(n_units, n_units + n_inputs)", "(n_units + n_inputs, n_units)"),
    ),
    Misconception(
        key="forget_weight_shape/one-row", exercise="forget_weight_shape",
        wrong=lambda n_units, n_inputs: (1, n_units + n_inputs),
        says="(1, n + m) is lecture 003's erratum: W_f · [h_{t-1}, x_t] must give one number per unit, "
             "so W_f has n rows.",
        lecture="003", where='the "Forget Gate" diagram (labelled 1x7)',
        mutation=Mutation("(n_units, n_units + n_inputs)", "(1, n_units + n_inputs)"),
    ),
]
