"""Random inputs that several assignments' checks draw: rng -> a tuple of arguments.

check_random("forget_gate", forget_gate, seed=21) is the check of the inputs drawn with
numpy.random.default_rng(21) by the exercise's `random_inputs`. They are drawn on the
instructor's side only, at release and when grading, and reach the student's notebook as data
(course_data.json for a visible check; the hidden test's own cell for a hidden one). An
assignment's own kinds of input are in its exercises.py.
"""

import numpy as np


def random_sizes(rng: np.random.Generator) -> tuple[int, int]:
    """n hidden units and m inputs, small, and usually n != m so that a swapped axis shows."""
    return int(rng.integers(1, 7)), int(rng.integers(1, 7))


def random_weights(rng: np.random.Generator, gates: str, n: int, m: int, scale: float = 1.0) -> dict:
    """{W_g (n, n + m), b_g (n,)} for each gate letter g, uniform in [-scale, scale]."""
    params = {}
    for gate in gates:
        params[f"W_{gate}"] = rng.uniform(-scale, scale, (n, n + m))
        params[f"b_{gate}"] = rng.uniform(-scale, scale, (n,))
    return params


def gate_inputs(rng: np.random.Generator) -> tuple:
    """(W, h_{t-1}, x_t, b) for one gate, with sizes drawn at random."""
    n, m = random_sizes(rng)
    return (rng.normal(size=(n, n + m)), rng.normal(size=n), rng.normal(size=m), rng.normal(size=n))
