"""The GRU and vanishing-gradients assignments through the real nbgrader pipeline: a known mistake
loses exactly the cells that check it (graded in one run; that the solution gets full marks and
the blank release zero, test_all_assignments_pipeline.py shows for every assignment)."""

import pytest
from conftest import TEST_TIMEOUT, grade_batches, graded_cells, release

from autograder import samples
from autograder.course import assignment
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow


def lost_cells(batch, student, assignment_id):
    points = graded_cells(assignment_id)
    return {grade_id for grade_id in points if batch.cell(student, grade_id) < points[grade_id]}


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    root = tmp_path_factory.mktemp("gru-vanishing")
    course = release(
        CourseRun(root=root, release_directory=root / "release", timeout=TEST_TIMEOUT), "gru", "vanishing_gradients"
    )
    gru = samples.solved("gru", course.release_directory)
    vanishing = samples.solved("vanishing_gradients", course.release_directory)
    classes = {
        "gru": {
            # z_t and 1 - z_t swapped: keeps the candidate and writes the old state.
            "swapped_z": samples.edit_answer(
                gru, "gru_hidden_state", "(1.0 - z_t) * h_tilde + z_t * h_prev", "z_t * h_tilde + (1.0 - z_t) * h_prev"
            ),
            # PyTorch's reset convention (b_hn = 0) where the lecture's belongs.
            "torch_reset": samples.edit_answer(
                gru,
                "gru_candidate",
                "np.tanh(W_h @ np.concatenate([r_t * h_prev, x_t]) + b_h)",
                "np.tanh(r_t * (W_h[:, :len(h_prev)] @ h_prev) + W_h[:, len(h_prev):] @ x_t + b_h)",
            ),
        },
        "vanishing_gradients": {
            # diag(1 - h_t^2) on the wrong side: scales W_h's columns instead of its rows.
            "columns": samples.edit_answer(
                vanishing, "rnn_jacobian", "(1.0 - h_t ** 2)[:, None] * W_h", "W_h * (1.0 - h_t ** 2)[None, :]"
            ),
            # D_t with sigma' of the candidate, as lecture 004 writes it, instead of tanh'.
            "sigma_prime": samples.edit_answer(
                vanishing, "cell_state_jacobian", "(i_t * (1 - C_tilde ** 2))", "(i_t * C_tilde * (1 - C_tilde))"
            ),
        },
    }
    return grade_batches(course, classes, root / "inbox")


@pytest.fixture
def gru_batch(batches):
    return batches["gru"]


@pytest.fixture
def vanishing_batch(batches):
    return batches["vanishing_gradients"]


def test_gru_swapped_update_gate_loses_the_hidden_state_and_cell_cells(gru_batch):
    assert lost_cells(gru_batch, "swapped_z", "gru") == {
        "gru_hidden_state_lecture",
        "gru_hidden_state_hidden",
        "gru_cell_lecture",
        "gru_cell_hidden",
    }
    assert gru_batch.total("swapped_z") == assignment("gru").points - 6


def test_gru_torch_reset_convention_loses_the_candidate_and_cell_cells(gru_batch):
    assert lost_cells(gru_batch, "torch_reset", "gru") == {
        "gru_candidate_lecture",
        "gru_candidate_hidden",
        "gru_cell_lecture",
        "gru_cell_hidden",
    }
    assert gru_batch.total("torch_reset") == assignment("gru").points - 8


def test_vanishing_column_scaling_loses_the_rnn_jacobian_cells(vanishing_batch):
    assert lost_cells(vanishing_batch, "columns", "vanishing_gradients") == {
        "rnn_jacobian_lecture",
        "rnn_jacobian_hidden",
    }
    assert vanishing_batch.total("columns") == assignment("vanishing_gradients").points - 2


def test_vanishing_lectures_sigma_prime_loses_the_cell_state_jacobian_cells(vanishing_batch):
    assert lost_cells(vanishing_batch, "sigma_prime", "vanishing_gradients") == {
        "cell_state_jacobian_lecture",
        "cell_state_jacobian_hidden",
    }
    assert vanishing_batch.total("sigma_prime") == assignment("vanishing_gradients").points - 4
