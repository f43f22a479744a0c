"""The forget-gate assignment's graded functions."""

import numpy as np

import lstm_ref
from assignments.declare import GATE_RANGE, Exercise
from assignments.inputs import gate_inputs, random_sizes


def vector_of_numbers(rng: np.random.Generator) -> tuple:
    """(z,): one vector of pre-activations, from large negative to large positive."""
    return (rng.normal(scale=10, size=int(rng.integers(1, 9))),)


def gate_and_cell(rng: np.random.Generator) -> tuple:
    """(f_t, C_{t-1}): a gate in (0, 1) and a cell state of the same random length."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=5, size=n)


def weight_shape(n_units: int, n_inputs: int) -> tuple[int, int]:
    """W_f has one row per unit and one column per entry of [h_{t-1}, x_t]."""
    return (n_units, n_units + n_inputs)


EXERCISES = [
    Exercise(
        name="sigmoid",
        arguments=("z",),
        output="sigma(z)",
        reference=lstm_ref.sigmoid,
        random_inputs=vector_of_numbers,
        ranges=(GATE_RANGE,),
    ),
    Exercise(
        name="gate_preactivation",
        arguments=("W", "h_{t-1}", "x_t", "b"),
        output="W . [h_{t-1}, x_t] + b",
        reference=lstm_ref.gate_preactivation,
        random_inputs=gate_inputs,
    ),
    Exercise(
        name="forget_gate",
        arguments=("W_f", "h_{t-1}", "x_t", "b_f"),
        output="f_t",
        reference=lstm_ref.forget_gate,
        random_inputs=gate_inputs,
        ranges=(GATE_RANGE,),
    ),
    Exercise(
        name="forget",
        arguments=("f_t", "C_{t-1}"),
        output="f_t * C_{t-1}",
        reference=lstm_ref.forget,
        random_inputs=gate_and_cell,
    ),
    Exercise(
        name="forget_weight_shape",
        arguments=("n_units", "n_inputs"),
        output="W_f.shape",
        reference=weight_shape,
        random_inputs=random_sizes,
    ),
]
