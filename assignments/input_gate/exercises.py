"""The input-gate assignment's graded functions."""
import lstm_ref
from lstm_ref.worked_examples.input_gate import memory_trace
from student_kit import inputs

from .base import Exercise


EXERCISES = [
    Exercise(
        name="input_gate", arguments=("W_i", "h_{t-1}", "x_t", "b_i"), output="i_t",
        reference=lstm_ref.input_gate, random_inputs=inputs.gate_inputs,
    ),
    Exercise(
        name="candidate", arguments=("W_c", "h_{t-1}", "x_t", "b_c"), output="C~_t",
        reference=lstm_ref.candidate, random_inputs=inputs.half_scale_gate_inputs,
    ),
    Exercise(
        name="cell_update", arguments=("f_t", "C_{t-1}", "i_t", "C~_t"),
        output="C_t = f_t * C_{t-1} + i_t * C~_t",
        reference=lstm_ref.cell_update, random_inputs=inputs.cell_update_inputs,
    ),
    Exercise(
        name="memory_trace", arguments=("forget_gates", "input_gates", "written_at"),
        output="what is left of the value written at step written_at, after each step",
        reference=memory_trace, random_inputs=inputs.trace_inputs,
    ),
]
