"""The input-gate assignment's graded functions."""

import numpy as np

import lstm_ref
from assignments.declare import GATE_RANGE, TANH_RANGE, Exercise
from assignments.inputs import gate_inputs
from lstm_ref.sequences import memory_trace


def half_scale_gate_inputs(rng: np.random.Generator) -> tuple:
    """gate_inputs halved: weights of scale 1 mostly saturate tanh, so that a sigmoid in its
    place would not show."""
    return tuple(np.asarray(a) * 0.5 for a in gate_inputs(rng))


def cell_update_inputs(rng: np.random.Generator) -> tuple:
    """(f_t, C_{t-1}, i_t, C~_t): gates in (0, 1), a candidate in (-1, 1), a cell state of any size."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=5, size=n), rng.uniform(0, 1, n), rng.uniform(-1, 1, n)


def could_be_gate(values):
    """True where a sigmoid gate can take the value: 0 < value < 1 (σ never reaches 0 or 1)."""
    values = np.asarray(values, dtype=np.float64)
    return (values > 0) & (values < 1)


def gate_candidates(rng: np.random.Generator) -> tuple:
    """(values,): numbers in (0, 1), exactly 0 and 1, some in (-1, 0) and some above 1, shuffled."""
    inside = rng.uniform(0, 1, int(rng.integers(2, 6)))
    values = np.concatenate([inside, [0.0, 1.0], rng.uniform(-1, 0, 2), rng.uniform(1, 3, 2)])
    return (rng.permutation(values),)


def trace_inputs(rng: np.random.Generator) -> tuple:
    """(forget_gates, input_gates, written_at) for a one-unit cell over T steps."""
    T = int(rng.integers(1, 13))
    return rng.uniform(0, 1, T), rng.uniform(0, 1, T), int(rng.integers(0, T))


EXERCISES = [
    Exercise(
        name="input_gate",
        arguments=("W_i", "h_{t-1}", "x_t", "b_i"),
        output="i_t",
        reference=lstm_ref.input_gate,
        random_inputs=gate_inputs,
        ranges=(GATE_RANGE,),
    ),
    Exercise(
        name="candidate",
        arguments=("W_c", "h_{t-1}", "x_t", "b_c"),
        output="C~_t",
        reference=lstm_ref.candidate,
        random_inputs=half_scale_gate_inputs,
        ranges=(TANH_RANGE,),
    ),
    Exercise(
        name="cell_update",
        arguments=("f_t", "C_{t-1}", "i_t", "C~_t"),
        output="C_t = f_t * C_{t-1} + i_t * C~_t",
        reference=lstm_ref.cell_update,
        random_inputs=cell_update_inputs,
    ),
    Exercise(
        name="could_be_gate",
        arguments=("values",),
        output="True where a gate can take the value",
        reference=could_be_gate,
        random_inputs=gate_candidates,
    ),
    Exercise(
        name="memory_trace",
        arguments=("forget_gates", "input_gates", "written_at"),
        output="what is left of the value written at step written_at, after each step",
        reference=memory_trace,
        random_inputs=trace_inputs,
    ),
]
