"""The GRU assignment's graded functions (lecture 000, the lecture's reset convention)."""
import lstm_ref
from lstm_ref import gru

from student_kit import inputs

from .base import Exercise

EXERCISES = [
    Exercise(
        name="update_gate", arguments=("W_z", "h_{t-1}", "x_t", "b_z"), output="z_t",
        reference=lstm_ref.update_gate, random_inputs=inputs.gate_inputs,
    ),
    Exercise(
        name="reset_gate", arguments=("W_r", "h_{t-1}", "x_t", "b_r"), output="r_t",
        reference=lstm_ref.reset_gate, random_inputs=inputs.gate_inputs,
    ),
    Exercise(
        name="gru_candidate", arguments=("W_h", "h_{t-1}", "x_t", "b_h", "r_t"), output="h~_t",
        reference=lambda W_h, h_prev, x_t, b_h, r_t: gru.gru_candidate(W_h, h_prev, x_t, b_h, r_t, "lecture"),
        random_inputs=inputs.gru_candidate_inputs,
    ),
    Exercise(
        name="gru_hidden_state", arguments=("z_t", "h_{t-1}", "h~_t"), output="h_t",
        reference=lstm_ref.gru_hidden_state, random_inputs=inputs.gru_blend_inputs,
    ),
    Exercise(
        name="gru_cell", arguments=("x_t", "h_{t-1}", "params"), output="h_t",
        reference=lambda x_t, h_prev, params: gru.gru_cell_forward(x_t, h_prev, params, "lecture")[0],
        random_inputs=inputs.gru_step_inputs,
    ),
]
