"""Every figure the course draws shows every series it draws: no line lies exactly under a later one
that looks the same (the same line style, marker and at least its width), which would leave a
legend entry with nothing to see. The figures are the ones the solution notebooks draw, with the
notebooks' own code (the bptt sweep from the course's recorded runs, which its training gives)."""

import copy

import matplotlib
import nbformat
import numpy as np
import pytest

from assignments.bptt import examples as bptt_runs
from autograder import cells
from autograder.course import assignment, assignments

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend)


def hidden_series(figure) -> list[str]:
    """'<title>: <label> lies under <label>' for every visible line drawn exactly under a later
    one with the same look, which then hides it completely."""
    found = []
    for axes in figure.axes:
        lines = [line for line in axes.get_lines() if line.get_visible()]
        for k, below in enumerate(lines):
            for above in lines[k + 1 :]:
                xy_below, xy_above = np.asarray(below.get_xydata(), float), np.asarray(above.get_xydata(), float)
                covers = (
                    xy_below.shape == xy_above.shape
                    and np.array_equal(xy_below, xy_above)
                    and below.get_linestyle() == above.get_linestyle()
                    and below.get_marker() == above.get_marker()
                    and above.get_linewidth() >= below.get_linewidth()
                    and above.get_markersize() >= below.get_markersize()
                )
                if covers:
                    found.append(f"{axes.get_title()}: {below.get_label()!r} lies under {above.get_label()!r}")
    return found


def test_a_line_drawn_exactly_under_another_that_looks_the_same_is_found():
    """As bptt drew its sweep before: at seed 0 the RNN and the LSTM with b_f = 3 score the same."""
    accuracies = bptt_runs.sweep()
    assert np.array_equal(accuracies[0], accuracies[2])  # the case the figure must show
    figure, axes = plt.subplots()
    for label, row in zip(bptt_runs.MODELS, accuracies):
        axes.plot(bptt_runs.DISTANCES, 100 * row, marker="o", label=label)
    assert hidden_series(figure) == [f": {bptt_runs.MODELS[0]!r} lies under {bptt_runs.MODELS[2]!r}"]
    plt.close(figure)


def recorded_training():
    """The bptt notebook's train and heldout_accuracy, answered from the course's recorded runs:
    its sweep's figure without its minutes of training (the recorded runs are what it trains)."""
    labels = {("RNN", None): "RNN", ("LSTM", None): "LSTM, b_f near 0", ("LSTM", 3.0): "LSTM, b_f = 3"}

    def train(layer, k, seed, forget_bias=None, **settings):
        return labels[(layer, forget_bias)], k, seed

    def heldout_accuracy(run, k, size=None):
        label, trained_at, seed = run
        assert trained_at == k
        return bptt_runs.accuracy(label, k, seed)

    return {"train": train, "heldout_accuracy": heldout_accuracy}


SKIPPED = {"save_model"}  # it trains and saves the model the grader measures: no figure


def figures(assignment_id, kit_data, monkeypatch, tmp_path):
    """Every figure the solution notebook shows (plt.show), running its code cells but the tests."""
    kit_data(assignment_id)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    shown = []

    def show(*arguments, **keywords):
        shown.append(plt.gcf())
        plt.close(shown[-1])

    monkeypatch.setattr(plt, "show", show)
    namespace = {}
    for path in assignment(assignment_id).source_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code" or cells.is_test(cell) or cells.grade_id(cell) in SKIPPED:
                continue
            exec(cells.without_solution_markers(cell.source), namespace)  # noqa: S102 - the course's own
            if cells.grade_id(cell) == "training":
                namespace.update(recorded_training())
    return shown


# The figures each notebook draws, by the number of them: a plot that stops being drawn is noticed.
DRAWN = {"forget_gate": 0, "input_gate": 2, "output_gate": 1, "gru": 0, "vanishing_gradients": 3, "bptt": 1}


def test_every_assignment_is_looked_at():
    assert set(DRAWN) == {a.id for a in assignments()}


@pytest.mark.parametrize("assignment_id", sorted(DRAWN))
def test_every_series_of_every_figure_is_visible(assignment_id, kit_data, monkeypatch, tmp_path):
    drawn = figures(assignment_id, kit_data, monkeypatch, tmp_path)
    assert len(drawn) == DRAWN[assignment_id]
    for figure in drawn:
        assert hidden_series(figure) == [], [axes.get_title() for axes in figure.axes]
        for axes in figure.axes:  # every legend entry names a line that is drawn
            legend = axes.get_legend()
            if legend is not None:
                labels = {line.get_label() for line in axes.get_lines() if line.get_visible()}
                assert {text.get_text() for text in legend.get_texts()} <= labels


def test_the_bptt_sweep_draws_each_model_in_its_own_style(kit_data, monkeypatch, tmp_path):
    (figure,) = figures("bptt", kit_data, monkeypatch, tmp_path)
    lines = {line.get_label(): line for line in figure.axes[0].get_lines()}
    looks = {(lines[label].get_linestyle(), lines[label].get_marker()) for label in bptt_runs.MODELS}
    assert len(looks) == len(bptt_runs.MODELS)
    drawn = copy.copy(lines[bptt_runs.MODELS[0]].get_ydata())
    np.testing.assert_array_equal(drawn, 100 * bptt_runs.sweep()[0])  # the recorded sweep, as the notebook plots it
