"""What a graded function is, and random inputs shared by several exercises."""
from dataclasses import dataclass
from typing import Callable

import numpy as np


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
