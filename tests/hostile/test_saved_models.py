"""The trained model a student hands in (bptt: agreement_lstm.npz) is data, judged by the grader.

The grader reads the file the student handed in, never one the kernel wrote, as plain arrays
only (a pickle in it runs nothing), and measures it with lstm_ref on sentences the student never
saw. Every broken file costs only the model's test cell, with a reason; the right model keeps
every point.
"""

import base64
import copy
import io
import pickle

import nbformat
import numpy as np
import pytest
from conftest import graded_cells

from autograder import samples
from autograder.cells import split_hidden

pytestmark = pytest.mark.slow
ASSIGNMENT = "bptt"
MODEL = "agreement_lstm.npz"


class _Planted:
    """Unpickled, it would leave a file behind: proof that something ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def npz(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def model_cell():
    from autograder.course import assignment

    for cell in nbformat.read(assignment(ASSIGNMENT).source_notebooks[0], as_version=4).cells:
        if "check_saved_model" in split_hidden(cell.source)[1]:
            return cell.metadata["nbgrader"]["grade_id"]
    raise AssertionError("the bptt notebook has no hidden check_saved_model")


@pytest.fixture(scope="module")
def graded(released_course, tmp_path_factory):
    right = samples.solved(ASSIGNMENT, released_course.release_directory)
    trained = samples.solution_files(ASSIGNMENT)[MODEL]
    params = dict(np.load(io.BytesIO(trained)))
    untrained = {name: np.random.default_rng(0).normal(size=value.shape) for name, value in params.items()}
    marker = tmp_path_factory.mktemp("marker") / "unpickled"
    object_array = np.empty(1, dtype=object)
    object_array[0] = _Planted(str(marker))
    pickled = io.BytesIO()
    np.savez(pickled, **{**params, "W_y": object_array})
    # An added cell that writes the trained model into the kernel's folder while the student hands
    # in an untrained one: the grader must read the handed-in file.
    swap = copy.deepcopy(right)
    after = next(
        k
        for k, cell in enumerate(swap.cells)
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "save_model"
    )
    swap.cells.insert(
        after + 1,
        nbformat.v4.new_code_cell(
            "import base64\nopen('agreement_lstm.npz', 'wb').write(base64.b64decode("
            f"{base64.b64encode(trained).decode()!r}))"
        ),
    )
    files = {
        "model_right": {MODEL: trained},
        "model_no_file": {},
        "model_untrained": {MODEL: npz(**untrained)},
        "model_wrong_shapes": {MODEL: npz(**{**params, "W_f": params["W_f"][:, :3]})},
        "model_pickle": {MODEL: pickled.getvalue()},
        "model_not_a_zip": {MODEL: pickle.dumps(_Planted(str(marker)))},
        "model_swapped_in_kernel": {MODEL: npz(**untrained)},
    }
    notebooks = {student: (swap if student == "model_swapped_in_kernel" else right) for student in files}
    inbox = tmp_path_factory.mktemp("bptt-inbox")
    for student, notebook in notebooks.items():
        samples.write_submission(notebook, inbox, student, ASSIGNMENT, files[student])
    released_course.collect(inbox)
    released_course.autograde(ASSIGNMENT)
    from autograder import report

    rows = {row["student"]: row for row in report.grade_rows(released_course.db_url, [ASSIGNMENT])}
    return rows, marker


def test_the_right_model_keeps_every_point(graded):
    rows, _ = graded
    assert rows["model_right"]["score"] == sum(graded_cells(ASSIGNMENT).values())


@pytest.mark.parametrize(
    "student",
    [
        "model_no_file",
        "model_untrained",
        "model_wrong_shapes",
        "model_pickle",
        "model_not_a_zip",
        "model_swapped_in_kernel",
    ],
)
def test_a_broken_or_missing_model_costs_only_its_cell(graded, student):
    rows, _ = graded
    cell = model_cell()
    assert rows[student][cell] == 0, f"{student} got credit for its model"
    for grade_id in graded_cells(ASSIGNMENT):
        if grade_id != cell:
            assert rows[student][grade_id] == rows["model_right"][grade_id] > 0, f"{student} lost {grade_id}"


def test_nothing_in_a_handed_in_file_runs_in_the_grader(graded):
    _, marker = graded
    assert not marker.exists(), "a pickle in the handed-in model ran in the grader's process"
