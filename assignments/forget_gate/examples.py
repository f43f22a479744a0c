"""The forget gate's worked examples: lectures 000, 003 and 004."""

import numpy as np

from assignments.declare import WorkedExample, listed, vector
from lstm_ref import lstm
from lstm_ref.activations import sigmoid


def examples():
    """The forget-gate examples, in lecture order."""
    # Lecture 000, "1. Forget Gate", step 2: f_t * C_{t-1} for two forget gates.
    C_prev_000 = vector(4, 5, 6)
    for key, f_t, stated in (
        ("000-forget-half", vector(0.5, 0.5, 0.5), vector(2, 2.5, 3)),
        ("000-forget-zero", vector(0, 0, 0), vector(0, 0, 0)),
    ):
        yield WorkedExample(
            key=key,
            lecture="000",
            where='"1. Forget Gate", step 2',
            what="f_t * C_{t-1}",
            inputs=dict(f_t=f_t, C_prev=C_prev_000),
            stated=stated,
            exact=lstm.forget(f_t, C_prev_000),
            tags=("forget",),
        )

    # Lecture 003, "The Forget Gate": 3 units and a 4-dim input.
    n_units, n_inputs = 3, 4
    yield WorkedExample(
        key="003-forget-weight-shape",
        lecture="003",
        where='"Forget Gate" diagram',
        what="the shape of W_f for 3 units and a 4-dim x_t",
        inputs=dict(n_units=n_units, n_inputs=n_inputs),
        stated=(1, 7),
        exact=(n_units, n_units + n_inputs),
        erratum=(
            f"Lecture 003 labels W_f as 1x{n_units + n_inputs}. A 1x{n_units + n_inputs} matrix times the "
            f"{n_units + n_inputs}x1 vector [h_{{t-1}}, x_t] gives one number, not the {n_units}x1 f_t the same "
            f"diagram shows: W_f needs one row per unit, so it is {n_units}x{n_units + n_inputs}."
        ),
        tags=("forget", "shapes"),
    )

    # Lecture 004, "Forget Gate": 3 units, [h_{t-1}, x_t] = [1..6], no bias given.
    W_f = np.array([[0, 0, 0, 0, 0, -1], [5, 6, 7, 8, 9, 10], [3, 4, 5, 6, 7, 8]], dtype=np.float64)
    h_prev, x_t, b_f = vector(1, 2, 3), vector(4, 5, 6), vector(0, 0, 0)
    preactivation = lstm.gate_preactivation(W_f, h_prev, x_t, b_f)
    f_t = lstm.forget_gate(W_f, h_prev, x_t, b_f)
    C_prev_004 = vector(5, 5, 5)
    inputs_004 = dict(W_f=W_f, h_prev=h_prev, x_t=x_t, b_f=b_f)
    yield WorkedExample(
        key="004-forget-preactivation",
        lecture="004",
        where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="W_f . [h_{t-1}, x_t] + b_f with b_f = 0 (the lecture gives no bias)",
        inputs=inputs_004,
        stated=vector(-6, 175, 133),
        exact=preactivation,
        tags=("forget",),
    )
    z_closed, z_big, z_bigger = sorted(preactivation)  # -6, 133, 175
    closed = sigmoid(z_closed)
    hidden_by_rounding = (
        f"σ({z_closed:g}) = {closed:.6f}: small, but not 0. σ({z_bigger:g}) and σ({z_big:g}) are not 1 "
        f"either: 1 - σ({z_big:g}) ≈ {sigmoid(-z_big):.1e} and 1 - σ({z_bigger:g}) ≈ {sigmoid(-z_bigger):.1e}, "
        f"far below the gap between 1.0 and the float64 number just below it "
        f"({np.finfo(np.float64).epsneg:.1e}), so numpy returns exactly 1.0 for both. In exact "
        "arithmetic 0 < σ(z) < 1 for every z: a sigmoid gate never closes or opens completely."
    )
    yield WorkedExample(
        key="004-sigmoid",
        lecture="004",
        where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what=f"σ(z) for z = W_f . [h_{{t-1}}, x_t] + b_f = {listed(preactivation)}",
        inputs=dict(z=preactivation),
        # The lecture never prints σ(z); its [0, 5, 5] = f_t * [5, 5, 5] implies [0, 1, 1].
        stated=vector(0, 1, 1),
        exact=sigmoid(preactivation),
        rounded=True,
        note=f"Lecture 004 treats σ({listed(preactivation)}) as [0, 1, 1]: right to whole numbers. "
        + hidden_by_rounding,
        tolerance=1e-9,
        tags=("forget", "sigmoid"),
    )
    yield WorkedExample(
        key="004-forget-gate",
        lecture="004",
        where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="f_t = σ(W_f . [h_{t-1}, x_t] + b_f)",
        inputs=inputs_004,
        # The C_t slide multiplies by f_t = [0, 1, 1]; its [0, 5, 5] = f_t * [5, 5, 5] says the same.
        stated=vector(0, 1, 1),
        exact=f_t,
        rounded=True,
        note="Lecture 004 uses f_t = [0, 1, 1]: right to whole numbers. " + hidden_by_rounding,
        tolerance=1e-9,
        tags=("forget",),
    )
    kept = lstm.forget(f_t, C_prev_004)
    yield WorkedExample(
        key="004-forget-apply",
        lecture="004",
        where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what="f_t * C_{t-1} with f_t = σ(W_f . [h_{t-1}, x_t] + b_f) and C_{t-1} = [5, 5, 5]",
        inputs=dict(f_t=f_t, C_prev=C_prev_004),
        stated=vector(0, 5, 5),
        exact=kept,
        rounded=True,
        note=(
            f"Lecture 004's C_{{t-1}} * f_t = [0, 5, 5] is right to whole numbers. The first unit "
            f"keeps {C_prev_004[0]:g} x σ({z_closed:g}) = {C_prev_004[0]:g} x {closed:.7f} = {kept[0]:.6f}: "
            "almost nothing, but not nothing. A sigmoid gate never forgets completely."
        ),
        tags=("forget",),
    )
    n, m = 3, 3  # the deck's forget-gate example: 3 units, [h_{t-1}, x_t] of length 6
    yield WorkedExample(
        key="004-weight-is-not-seq-length",
        lecture="004",
        where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what=f"what the {n + m} in the {n} x {n + m} weight W_f counts",
        inputs=dict(n_units=n, n_inputs=m),
        stated=f"Weight = units x seq length; seq length is {n + m}",
        exact=f"W_f is units x (n + m) = {n} x ({n} + {m}): {n + m} is the length of [h_{{t-1}}, x_t]",
        erratum=(
            f"Lecture 004 calls the {n + m} a sequence length. It is the length of one concatenated "
            f"vector [h_{{t-1}}, x_t] (n = {n} hidden units plus m = {m} inputs). The sequence length "
            "T never enters a weight's shape: the same W_f is used at every time step."
        ),
        tags=("formulas", "shapes"),
    )


EXAMPLES = list(examples())
