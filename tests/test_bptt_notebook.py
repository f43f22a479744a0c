"""The bptt solution notebook in plain Python: its answers pass their checks, each catalogued
mistake put in place of its answer is a wrong answer the checks tell apart, the student side
imports nothing of the instructor's, and its training is the course's training (one recipe, the
same numbers)."""

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from judge import check_example, check_random

from assignments.bptt import agreement
from autograder import cells, saved_models
from autograder.course import assignment, exercises, mistakes
from student_kit.display import ready
from student_kit.values import same

NOTEBOOK = assignment("bptt").source_notebooks[0]
CELLS = nbformat.read(NOTEBOOK, as_version=4).cells
BPTT_EXERCISES = ("lstm_cell_backward", "grad_check", "relative_error", "lstm_backward")


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def source(gid):
    return next(cell.source for cell in CELLS if grade_id(cell) == gid)


def without_kit_imports(code):
    """The cell without its `from student_kit import ...` line: the kit's checks are not on this
    branch yet; the test puts autograder's (same signatures) in the namespace instead."""
    return re.sub(r"^from student_kit import .*$", "", code, flags=re.MULTILINE)


def run(namespace, *gids):
    for gid in gids:
        exec(without_kit_imports(source(gid)), namespace)  # noqa: S102 - the course's own notebook
    return namespace


def graded_check(exercise, path, model_forward=None):
    """What the grader does with the handed-in file: lstm_ref measures it on held-out sentences."""
    passed, _, message = saved_models.grade_saved_model(path, salt=99)
    assert passed, message


@pytest.fixture
def notebook(monkeypatch, tmp_path):
    """The namespace after every cell up to the training, as while grading (training skipped)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    namespace = {
        "check_example": check_example,
        "check_random": check_random,
        "check_saved_model": graded_check,
        "ready": ready,
    }
    code_cells = [grade_id(cell) for cell in CELLS if cell.cell_type == "code"]
    return run(namespace, *code_cells[: code_cells.index("save_model")])


def test_the_student_side_imports_only_numpy_matplotlib_and_the_kit():
    for cell in CELLS:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module]
                assert all(name.split(".")[0] in {"os", "numpy", "matplotlib", "student_kit"} for name in names), (
                    f"{grade_id(cell)} imports {names}"
                )


def test_every_test_cell_passes_with_the_solution(notebook):
    for gid in (
        "lstm_cell_backward_visible",
        "lstm_cell_backward_hidden",
        "grad_check_visible",
        "grad_check_hidden",
        "relative_error_visible",
        "relative_error_hidden",
        "lstm_backward_visible",
        "lstm_backward_hidden",
    ):
        assert gid in {grade_id(cell) for cell in CELLS}
    # they ran in the fixture; the answers are also right on other random inputs
    for name in BPTT_EXERCISES:
        check_random(name, notebook[name], seed=2024)


def test_the_grad_check_of_the_students_backward_says_ok(notebook, capsys):
    run(notebook, "check_your_backward")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 11 and all(line.endswith("ok") for line in lines), lines


def test_training_cells_skip_themselves_while_grading(notebook):
    run(
        notebook,
        "save_model",
        "distance_rnn",
        "distance_lstm",
        "distance_lstm_bias",
        "distance_plot",
        "edge_rnn",
        "edge_lstm",
        "reading",
    )
    assert not Path(saved_models.MODEL_FILE).exists() and notebook["measured"] == notebook["edge"] == {}


def mutated_function(entry):
    """The answer cell with the entry's function in place of the solution's, executed beside the
    notebook's other answers: the mistaken function, as it runs in a student's notebook."""
    namespace = {"np": np}
    if entry.exercise == "lstm_backward":  # the loop calls the (right) cell backward
        exec(cells.without_solution_markers(source("lstm_cell_backward")), namespace)  # noqa: S102
    answer = cells.without_solution_markers(source(entry.exercise))
    exec(cells.replace_function(answer, entry.source), namespace)  # noqa: S102
    return namespace[entry.exercise]


BPTT_ENTRIES = [entry for entry in mistakes().values() if entry.exercise in BPTT_EXERCISES]


def test_the_catalogue_covers_the_issues_list():
    keys = {entry.key for entry in BPTT_ENTRIES}
    assert {
        "lstm_cell_backward/no-dC-through-h",
        "lstm_cell_backward/sigma-prime-for-tanh-prime-in-candidate",
        "lstm_cell_backward/sigma-prime-for-tanh-prime-in-h",
        "lstm_cell_backward/dC-prev-without-f",
        "lstm_cell_backward/weights-averaged-over-batch",
        "lstm_backward/not-summed-over-time",
        "lstm_cell_backward/wrong-half-as-dh",
    } <= keys


@pytest.mark.parametrize("entry", BPTT_ENTRIES, ids=lambda e: e.key)
def test_each_mistake_in_the_notebook_gives_the_catalogued_wrong_answer(entry):
    mutant, exercise = mutated_function(entry), exercises()[entry.exercise]
    rng = np.random.default_rng(5)
    told_apart = False
    for _ in range(10):
        arguments = exercise.random_inputs(rng)
        try:
            received = mutant(*arguments)
        except Exception as error:  # the mistake raises: so must the catalogue's wrong answer
            with pytest.raises(type(error)):
                entry.wrong(*arguments)
            told_apart = True
            continue
        assert same(received, entry.wrong(*arguments)), entry.key
        told_apart |= not same(received, exercise.reference(*arguments))
    assert told_apart, f"{entry.key}: the mutant equals the right answer on every input"


def short_training(notebook, layer, forget_bias):
    return notebook["train"](layer, k=5, seed=1, forget_bias=forget_bias, steps=20)


@pytest.mark.parametrize("layer, forget_bias", [("LSTM", 3.0), ("LSTM", None), ("RNN", None)])
def test_the_notebooks_training_is_lstm_refs(notebook, layer, forget_bias):
    ours = short_training(notebook, layer, forget_bias)
    reference, _ = agreement.train(layer, 5, seed=1, forget_bias=forget_bias, settings=agreement.Settings(steps=20))
    assert set(ours) == set(reference)
    for name in ours:
        np.testing.assert_allclose(ours[name], reference[name], rtol=0, atol=1e-10, err_msg=name)


@pytest.mark.slow
def test_the_saved_model_is_graded_and_passes(notebook, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION")
    run(notebook, "setup", "training", "save_model")
    assert Path(saved_models.MODEL_FILE).exists()
    run(notebook, "agreement_model_hidden")  # graded_check: lstm_ref on held-out sentences


def test_the_notebooks_sweep_gives_the_recorded_numbers(notebook):
    """The sweep's worked example reads the course's recorded runs: the notebook's own training, with
    its default budget, and its held-out sentences give the same accuracy (its cheapest run, in full;
    test_the_notebooks_training_is_lstm_refs compares the LSTMs' weights step by step)."""
    import inspect

    from assignments.bptt import examples as recorded

    defaults = {name: p.default for name, p in inspect.signature(notebook["train"]).parameters.items()}
    budget = agreement.SETTINGS
    assert notebook["SETTINGS"] == dict(
        steps=budget.steps, batch=budget.batch, n_hidden=budget.n_hidden, lr=budget.lr, max_norm=budget.clip
    )
    assert {name: defaults[name] for name in notebook["SETTINGS"]} == notebook["SETTINGS"]
    params = notebook["train"]("RNN", 2, seed=0)
    assert notebook["heldout_accuracy"](params, 2) == recorded.accuracy("RNN", 2, 0)


def test_the_students_sweep_is_read_beside_the_courses_run(notebook, capsys):
    """The demonstration reads the student's own sweep as the visible test reads the course's run,
    and names each accuracy where the two differ (here: the RNN's at k = 10, made 80 %)."""
    from assignments.bptt import examples as recorded
    from autograder.course import examples

    course = examples()["001-memory-span"]
    run(notebook, "distance_rnn", "longest_distance")  # DISTANCES, and the answer (no training: grading)
    notebook.update(GRADING=False, example=lambda key: {"inputs": examples()[key].inputs})
    notebook["measured"] = dict(zip(recorded.MODELS, course.inputs["accuracies"].tolist()))
    run(notebook, "longest_demo")
    said = capsys.readouterr().out
    assert "RNN: 95 % or more at every k of the sweep up to k = 20 (the course's run: k = 20)" in said
    assert "Your sweep gave the course's accuracy at every k." in said
    notebook["measured"]["RNN"][recorded.DISTANCES.index(10)] = 0.8
    run(notebook, "longest_demo")
    said = capsys.readouterr().out
    assert "RNN: 95 % or more at every k of the sweep up to k = 5 (the course's run: k = 20)" in said
    assert "RNN at k = 10: yours 80.00 %, the course's 100.00 % (same seed, same sentences)" in said
    assert "at every k" not in said.split("\n")[-2]
