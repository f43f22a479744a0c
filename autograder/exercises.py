"""What each graded function of the course is: its call in the lectures' notation, its
reference in lstm_ref, and how to draw random inputs for the hidden tests.

The notebooks' test cells name an exercise from EXERCISES; the checks in checks.py do the rest.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

import lstm_ref


@dataclass(frozen=True)
class Exercise:
    name: str  # the function the student writes
    arguments: tuple  # its arguments, in the lectures' notation
    output: str  # what it returns, in the lectures' notation
    reference: Callable  # the right answer, from lstm_ref
    random_inputs: Callable  # rng -> tuple of arguments for one hidden test

    @property
    def call(self):
        return f"{self.name}({', '.join(self.arguments)})"


def random_sizes(rng):
    """n hidden units and m inputs, small, and usually n != m so that a swapped axis shows."""
    return int(rng.integers(1, 7)), int(rng.integers(1, 7))


def random_gate_inputs(rng):
    """(W, h_{t-1}, x_t, b) for one gate, with sizes drawn at random."""
    n, m = random_sizes(rng)
    return (rng.normal(size=(n, n + m)), rng.normal(size=n), rng.normal(size=m), rng.normal(size=n))


def random_vector_pair(rng):
    """Two vectors of the same random length: a gate in (0, 1) and a cell state."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=5, size=n)


EXERCISES = {
    exercise.name: exercise
    for exercise in [
        Exercise(
            name="sigmoid", arguments=("z",), output="sigma(z)",
            reference=lstm_ref.sigmoid,
            random_inputs=lambda rng: (rng.normal(scale=10, size=int(rng.integers(1, 9))),),
        ),
        Exercise(
            name="forget_gate", arguments=("W_f", "h_{t-1}", "x_t", "b_f"), output="f_t",
            reference=lstm_ref.forget_gate, random_inputs=random_gate_inputs,
        ),
        Exercise(
            name="forget", arguments=("f_t", "C_{t-1}"), output="f_t * C_{t-1}",
            reference=lstm_ref.forget, random_inputs=random_vector_pair,
        ),
        Exercise(
            name="forget_weight_shape", arguments=("n_units", "n_inputs"), output="W_f.shape",
            reference=lambda n_units, n_inputs: (n_units, n_units + n_inputs),
            random_inputs=random_sizes,
        ),
    ]
}
