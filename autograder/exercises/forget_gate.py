"""The forget-gate assignment's graded functions."""
import lstm_ref

from .base import Exercise, random_gate_inputs, random_sizes, random_vector_pair

EXERCISES = [
    Exercise(
        name="sigmoid", arguments=("z",), output="sigma(z)",
        reference=lstm_ref.sigmoid,
        random_inputs=lambda rng: (rng.normal(scale=10, size=int(rng.integers(1, 9))),),
    ),
    Exercise(
        name="gate_preactivation", arguments=("W", "h_{t-1}", "x_t", "b"), output="W . [h_{t-1}, x_t] + b",
        reference=lstm_ref.gate_preactivation, random_inputs=random_gate_inputs,
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
