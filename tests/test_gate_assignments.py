"""The input-gate and output-gate assignments through nbgrader: a known mistake loses exactly the
points of the cells that check it (and of the cells that build on it), nothing else."""

import pytest
from conftest import grade_batch, graded_cells

from autograder import samples

pytestmark = pytest.mark.slow

# assignment -> student -> (answer cell, text in the solution, replacement, the cells that must fail)
MISTAKES = {
    "input_gate": {
        "matmul_update": ("cell_update", "f_t * C_prev", "f_t @ C_prev", {"cell_update_lecture", "cell_update_hidden"}),
        "sigmoid_candidate": ("candidate", "np.tanh(", "sigmoid(", {"candidate_visible", "candidate_hidden"}),
        "trace_counts_own_forget": (
            "memory_trace",
            "left = input_gates[written_at]",
            "left = input_gates[written_at] * forget_gates[written_at]",
            {"memory_trace_lecture", "memory_trace_hidden"},
        ),
    },
    "output_gate": {
        # h_t without the tanh: every cell built on hidden_state fails too, and only those.
        "no_tanh": (
            "hidden_state",
            "o_t * np.tanh(C_t)",
            "o_t * C_t",
            {
                "hidden_state_lecture",
                "hidden_state_hidden",
                "lstm_cell_visible",
                "lstm_cell_hidden",
                "lstm_forward_visible",
                "lstm_forward_hidden",
            },
        ),
        "torch_count": (
            "lstm_param_count",
            "+ n_units)",
            "+ 2 * n_units)",
            {"lstm_param_count_visible", "lstm_param_count_hidden"},
        ),
        "last_h_only": (
            "lstm_forward",
            "return np.stack(h_all), C_t",
            "return h_t, C_t",
            {"lstm_forward_visible", "lstm_forward_hidden"},
        ),
    },
}


@pytest.fixture(scope="module", params=sorted(MISTAKES))
def batch(request, released_course, tmp_path_factory):
    assignment_id = request.param
    right = samples.solved(assignment_id, released_course.release_directory)
    submissions = {
        student: samples.edit_answer(right, cell, old, new)
        for student, (cell, old, new, _) in MISTAKES[assignment_id].items()
    }
    return grade_batch(released_course, assignment_id, submissions, tmp_path_factory.mktemp("inbox"))


def test_a_known_mistake_loses_exactly_its_cells(batch):
    points = graded_cells(batch.assignment_id)
    for student, (_, _, _, failing) in MISTAKES[batch.assignment_id].items():
        lost = {grade_id for grade_id, full in points.items() if batch.cell(student, grade_id) < full}
        assert lost == failing, f"{student}: lost {sorted(lost)}, expected {sorted(failing)}"
        assert all(batch.cell(student, grade_id) == 0 for grade_id in failing)
        assert batch.total(student) == sum(points.values()) - sum(points[g] for g in failing)
