"""The vanishing-gradients assignment's graded functions (lectures 000 and 004), all numpy."""
from lstm_ref import gradient_flow

from student_kit import inputs

from .base import Exercise

EXERCISES = [
    Exercise(
        name="rnn_jacobian", arguments=("W_h", "h_t"), output="dh_t/dh_{t-1}",
        reference=gradient_flow.rnn_hidden_jacobian, random_inputs=inputs.rnn_jacobian_inputs,
    ),
    Exercise(
        name="jacobian_product", arguments=("jacobians",), output="J_k ... J_2 J_1",
        reference=lambda jacobians: gradient_flow.jacobian_products(jacobians)[-1],
        random_inputs=inputs.jacobian_sequence,
    ),
    Exercise(
        name="gradient_norms", arguments=("jacobians",), output="[||J_1||, ||J_2 J_1||, ..., ||J_k ... J_1||]",
        reference=lambda jacobians: gradient_flow.spectral_norms(gradient_flow.jacobian_products(jacobians)),
        random_inputs=inputs.jacobian_sequence,
    ),
    Exercise(
        name="cell_state_jacobian", arguments=("x_t", "C_{t-1}", "o_{t-1}", "params"),
        output="dC_t/dC_{t-1} = A_t + B_t + C_t + D_t",
        reference=gradient_flow.cell_state_jacobian, random_inputs=inputs.cell_state_jacobian_inputs,
    ),
]
