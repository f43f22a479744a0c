"""The GRU and vanishing-gradients assignments through the real nbgrader pipeline: the
solution gets full marks, the blank release zero, and a known mistake loses exactly the
cells that check it."""

import pytest
from conftest import grade_batch, graded_cells

from autograder import samples
from autograder.course import assignment

pytestmark = pytest.mark.slow


def lost_cells(batch, student, assignment_id):
    points = graded_cells(assignment_id)
    return {grade_id for grade_id in points if batch.cell(student, grade_id) < points[grade_id]}


@pytest.fixture(scope="module")
def gru_batch(released_course, tmp_path_factory):
    release = released_course.release_directory
    right = samples.solved("gru", release)
    submissions = {
        "right": right,
        "blank": samples.released("gru", release),
        # z_t and 1 - z_t swapped: keeps the candidate and writes the old state.
        "swapped_z": samples.edit_answer(
            right, "gru_hidden_state", "(1.0 - z_t) * h_tilde + z_t * h_prev", "z_t * h_tilde + (1.0 - z_t) * h_prev"
        ),
        # PyTorch's reset convention (b_hn = 0) where the lecture's belongs.
        "torch_reset": samples.edit_answer(
            right,
            "gru_candidate",
            "np.tanh(W_h @ np.concatenate([r_t * h_prev, x_t]) + b_h)",
            "np.tanh(r_t * (W_h[:, :len(h_prev)] @ h_prev) + W_h[:, len(h_prev):] @ x_t + b_h)",
        ),
    }
    return grade_batch(released_course, "gru", submissions, tmp_path_factory.mktemp("gru-inbox"))


@pytest.fixture(scope="module")
def vanishing_batch(released_course, tmp_path_factory):
    release = released_course.release_directory
    right = samples.solved("vanishing_gradients", release)
    submissions = {
        "right": right,
        "blank": samples.released("vanishing_gradients", release),
        # diag(1 - h_t^2) on the wrong side: scales W_h's columns instead of its rows.
        "columns": samples.edit_answer(
            right, "rnn_jacobian", "(1.0 - h_t ** 2)[:, None] * W_h", "W_h * (1.0 - h_t ** 2)[None, :]"
        ),
        # D_t with sigma' of the candidate, as lecture 004 writes it, instead of tanh'.
        "sigma_prime": samples.edit_answer(
            right, "cell_state_jacobian", "(i_t * (1 - C_tilde ** 2))", "(i_t * C_tilde * (1 - C_tilde))"
        ),
    }
    return grade_batch(released_course, "vanishing_gradients", submissions, tmp_path_factory.mktemp("vanishing-inbox"))


def test_gru_solution_full_marks_and_blank_zero(gru_batch):
    assert gru_batch.total("right") == sum(graded_cells("gru").values()) == assignment("gru").points
    assert gru_batch.total("blank") == 0
    assert lost_cells(gru_batch, "blank", "gru") == set(graded_cells("gru"))


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


def test_vanishing_solution_full_marks_and_blank_zero(vanishing_batch):
    assert (
        vanishing_batch.total("right")
        == sum(graded_cells("vanishing_gradients").values())
        == assignment("vanishing_gradients").points
    )
    assert vanishing_batch.total("blank") == 0
    assert lost_cells(vanishing_batch, "blank", "vanishing_gradients") == set(graded_cells("vanishing_gradients"))


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
