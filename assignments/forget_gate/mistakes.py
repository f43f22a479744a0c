"""The forget-gate assignment: sigmoid, forget_gate, forget, forget_weight_shape."""
import numpy as np

from lstm_ref.activations import sigmoid

from .base import Misconception, Mutation, preactivation
from .gates import gate_misconceptions, np_dot

STEP_1 = "STEP 1 (the forget gate layer)"
FORGET_GATE_004 = '"Forget Gate" (C_{t-1} = 5 5 5)'
PREACTIVATION = "W · [h_{t-1}, x_t] + b"

# The solution's forget_gate is sigmoid(gate_preactivation(W_f, h_prev, x_t, b_f)): a mistake in
# the stacking or the product is made in gate_preactivation's cell, the others in forget_gate's.
PREACTIVATION_CODE = "W @ np.concatenate([h_prev, x_t]) + b"
FORGET_GATE_MUTATIONS = {
    "x-before-h": Mutation("[h_prev, x_t]", "[x_t, h_prev]", cell="gate_preactivation"),
    "elementwise-for-matrix-product": Mutation("W @ ", "W * ", cell="gate_preactivation"),
    "no-bias": Mutation("x_t, b_f))", "x_t, 0 * b_f))"),
}


def preactivation_entry(mistake, wrong, says, mutation):
    return Misconception(key=f"gate_preactivation/{mistake}", exercise="gate_preactivation", wrong=wrong,
                         says=says, lecture="004", where=FORGET_GATE_004, mutation=mutation)


def elementwise_preactivation(W, h_prev, x_t, b):
    """W * [h_{t-1}, x_t] + b, written the way a student writes it (it raises as theirs does)."""
    return W * np.concatenate([h_prev, x_t]) + b

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
    preactivation_entry(
        "x-before-h", lambda W, h, x, b: preactivation(W, h, x, b, order="xh"),
        f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {PREACTIVATION}.",
        Mutation("[h_prev, x_t]", "[x_t, h_prev]")),
    preactivation_entry(
        "no-bias", lambda W, h, x, b: preactivation(W, h, x, b, bias=False),
        f"you left out the bias b: the pre-activation is {PREACTIVATION}.",
        Mutation("x_t]) + b", "x_t])")),
    preactivation_entry(
        "elementwise-for-matrix-product", elementwise_preactivation,
        "W · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
        Mutation("W @ ", "W * ")),
    preactivation_entry(
        "squashed", lambda W, h, x, b: sigmoid(preactivation(W, h, x, b)),
        f"you applied σ: the pre-activation is what goes into σ, {PREACTIVATION}, not squashed yet.",
        Mutation(PREACTIVATION_CODE, f"sigmoid({PREACTIVATION_CODE})")),
    *gate_misconceptions("forget_gate", "f_t", "f", "σ", lecture="002", where=STEP_1,
                         mutations=FORGET_GATE_MUTATIONS),
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
        lecture="002", where='STEP 1 (1 represents "completely keep this")',
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
