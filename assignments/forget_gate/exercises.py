"""The forget-gate assignment's graded functions."""
import lstm_ref

from student_kit import inputs

from .base import Exercise

EXERCISES = [
    Exercise(
        name="sigmoid", arguments=("z",), output="sigma(z)",
        reference=lstm_ref.sigmoid,
        random_inputs=inputs.vector_of_numbers,
    ),
    Exercise(
        name="gate_preactivation", arguments=("W", "h_{t-1}", "x_t", "b"), output="W . [h_{t-1}, x_t] + b",
        reference=lstm_ref.gate_preactivation, random_inputs=inputs.gate_inputs,
    ),
    Exercise(
        name="forget_gate", arguments=("W_f", "h_{t-1}", "x_t", "b_f"), output="f_t",
        reference=lstm_ref.forget_gate, random_inputs=inputs.gate_inputs,
    ),
    Exercise(
        name="forget", arguments=("f_t", "C_{t-1}"), output="f_t * C_{t-1}",
        reference=lstm_ref.forget, random_inputs=inputs.gate_and_cell,
    ),
    Exercise(
        name="forget_weight_shape", arguments=("n_units", "n_inputs"), output="W_f.shape",
        reference=lambda n_units, n_inputs: (n_units, n_units + n_inputs),
        random_inputs=inputs.random_sizes,
    ),
]
