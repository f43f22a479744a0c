"""The forget gate's worked examples: lectures 000, 003 and 004."""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .base import WorkedExample, vector


def examples():
    """The forget-gate examples, in lecture order."""
    # Lecture 000, "1. Forget Gate", step 2: f_t * C_{t-1} for two forget gates.
    C_prev_000 = vector(4, 5, 6)
    for key, f_t, stated in (
        ("000-forget-half", vector(0.5, 0.5, 0.5), vector(2, 2.5, 3)),
        ("000-forget-zero", vector(0, 0, 0), vector(0, 0, 0)),
    ):
        yield WorkedExample(
            key=key, lecture="000", where='"1. Forget Gate", step 2',
            what="f_t * C_{t-1}",
            inputs=dict(f_t=f_t, C_prev=C_prev_000),
            stated=stated, exact=lstm.forget(f_t, C_prev_000), tags=("forget",),
        )

    # Lecture 003, "The Forget Gate": 3 units and a 4-dim input.
    n_units, n_inputs = 3, 4
    yield WorkedExample(
        key="003-forget-weight-shape", lecture="003", where='"Forget Gate" diagram',
        what="the shape of W_f for 3 units and a 4-dim x_t",
        inputs=dict(n_units=n_units, n_inputs=n_inputs),
        stated=(1, 7), exact=(n_units, n_units + n_inputs),
        erratum=(
            "Lecture 003 labels W_f as 1x7. A 1x7 matrix times the 7x1 vector [h_{t-1}, x_t] "
            "gives one number, not the 3x1 f_t the same diagram shows: W_f needs one row per "
            "unit, so it is 3x7."
        ),
        tags=("forget", "shapes"),
    )

    # Lecture 004, "Forget Gate": 3 units, [h_{t-1}, x_t] = [1..6], no bias given.
    W_f = np.array([[0, 0, 0, 0, 0, -1],
                    [5, 6, 7, 8, 9, 10],
                    [3, 4, 5, 6, 7, 8]], dtype=np.float64)
    h_prev, x_t, b_f = vector(1, 2, 3), vector(4, 5, 6), vector(0, 0, 0)
    preactivation = lstm.gate_preactivation(W_f, h_prev, x_t, b_f)
    f_t = lstm.forget_gate(W_f, h_prev, x_t, b_f)
    C_prev_004 = vector(5, 5, 5)
    inputs_004 = dict(W_f=W_f, h_prev=h_prev, x_t=x_t, b_f=b_f)
    yield WorkedExample(
        key="004-forget-preactivation", lecture="004", where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="W_f . [h_{t-1}, x_t] + b_f with b_f = 0 (the lecture gives no bias)",
        inputs=inputs_004, stated=vector(-6, 175, 133), exact=preactivation,
        tags=("forget",),
    )
    yield WorkedExample(
        key="004-sigmoid", lecture="004", where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="sigma(z) for z = W_f . [h_{t-1}, x_t] + b_f = [-6, 175, 133]",
        inputs=dict(z=preactivation),
        stated=vector(0, 1, 1), exact=sigmoid(preactivation),
        erratum=(
            "Lecture 004 treats sigma([-6, 175, 133]) as [0, 1, 1]. A sigmoid never reaches 0 "
            f"or 1: sigma(-6) = {f_t[0]:.6f}, and sigma(175), sigma(133) are 1 only to 16 digits."
        ),
        tolerance=1e-9, tags=("forget", "sigmoid"),
    )
    yield WorkedExample(
        key="004-forget-gate", lecture="004", where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)",
        inputs=inputs_004,
        # The lecture never prints f_t; its [0, 5, 5] = f_t * [5, 5, 5] implies f_t = [0, 1, 1].
        stated=vector(0, 1, 1), exact=f_t,
        erratum=(
            "Lecture 004 treats f_t as [0, 1, 1]. A sigmoid never reaches 0 or 1: "
            f"sigma(-6) = {f_t[0]:.6f}, and sigma(175), sigma(133) are 1 only to 16 digits."
        ),
        tolerance=1e-9, tags=("forget",),
    )
    yield WorkedExample(
        key="004-forget-apply", lecture="004", where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="f_t * C_{t-1} with f_t = sigma(W_f . [h_{t-1}, x_t] + b_f) and C_{t-1} = [5, 5, 5]",
        inputs=dict(f_t=f_t, C_prev=C_prev_004),
        stated=vector(0, 5, 5), exact=lstm.forget(f_t, C_prev_004),
        erratum=(
            "Lecture 004 writes C_{t-1} * f_t = [0, 5, 5]. With f_t = sigma(-6) = "
            f"{f_t[0]:.6f} the first unit keeps 5 x {f_t[0]:.6f} = {5 * f_t[0]:.6f}: "
            "almost nothing, but not nothing. A sigmoid gate never forgets completely."
        ),
        tags=("forget",),
    )
