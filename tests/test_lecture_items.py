"""The four lecture items that the course grades, and what their texts claim, computed again:
lecture 003's pointwise product and its gate [1, 2, 3], lecture 001's memory spans read off
bptt's sweep, lecture 000's GRU parameter count, lecture 002's "No parameter fine-tuning"."""

import ast

import nbformat
import numpy as np
import pytest
from judge import check_example, check_random

from assignments.bptt import agreement
from assignments.bptt import examples as bptt
from assignments.gru.exercises import gru_param_count
from assignments.input_gate.exercises import gate_candidates
from assignments.output_gate.exercises import lstm_param_count
from autograder.cells import grade_id
from autograder.course import assignment, examples, given
from lstm_ref import classifier
from student_kit.checks import CheckFailed

EXAMPLES = examples()


def cell_source(assignment_id, gid):
    path = assignment(assignment_id).source_notebooks[0]
    return next(c.source for c in nbformat.read(path, as_version=4).cells if grade_id(c) == gid)


# -- lecture 003: [4, 5, 6] ⊙ [1, 2, 3], and no gate is [1, 2, 3] --------------------------------


def test_the_pointwise_product_is_graded_on_the_lectures_numbers():
    example = EXAMPLES["003-pointwise-product"]
    assert list(example.exact) == [4.0, 10.0, 18.0] == list(example.stated)
    assert 'check_example("forget", forget, "003-pointwise-product")' in cell_source("forget_gate", "forget_lecture")
    check_example("forget", lambda f_t, C_prev: f_t * C_prev, "003-pointwise-product")
    with pytest.raises(CheckFailed, match="matrix"):  # the dot product: one number, named
        check_example("forget", lambda f_t, C_prev: f_t @ C_prev, "003-pointwise-product")


def test_no_entry_of_lecture_003s_forget_gate_can_be_a_gate():
    example = EXAMPLES["003-forget-gate-1-2-3"]
    assert example.exact.tolist() == [False, False, False] and example.erratum
    with pytest.raises(CheckFailed, match="0 < value < 1"):  # the closed interval says 1 can be a gate
        check_example("could_be_gate", lambda v: (v >= 0) & (v <= 1), "003-forget-gate-1-2-3")
    assert "2 of the 3 entries of C_t grow and 1 stays" in example.erratum  # [4, 10, 18] against [4, 5, 6]


def test_every_random_case_of_could_be_gate_holds_an_exact_0_and_1():
    """As the notebook says: a closed interval, or a gate read as reaching 0 or 1, shows on every case."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        (values,) = gate_candidates(rng)
        assert 0.0 in values and 1.0 in values and (values < 0).any() and (values > 1).any()


# -- lecture 001: RNN 5-10 words, LSTM 100+, read off bptt's sweep ---------------------------------


def notebook_constants():
    """The sweep's distances and the models' labels, as the bptt notebook's code writes them."""
    distances = ast.literal_eval(cell_source("bptt", "distance_rnn").split("DISTANCES = ")[1].split("\n")[0])
    labels = [
        ast.literal_eval(cell_source("bptt", gid).split("measured[")[1].split("]")[0])
        for gid in ("distance_rnn", "distance_lstm", "distance_lstm_bias")
    ]
    return distances, labels


def test_the_example_reads_the_notebooks_own_sweep():
    distances, labels = notebook_constants()
    assert tuple(distances) == bptt.DISTANCES and tuple(labels) == bptt.MODELS
    assert set(bptt.DISTANCES) <= set(agreement.DISTANCES) and set(bptt.MODELS) <= set(agreement.MODELS)
    example = EXAMPLES["001-memory-span"]
    assert example.inputs["accuracies"].shape == (3, len(bptt.DISTANCES))
    assert example.exact.tolist() == [20, 5, 20]  # the recorded seed-0 runs (agreement_measured.jsonl)


def test_the_notebooks_held_out_sentences_are_the_courses():
    """So the student's sweep gives the recorded numbers: the notebook's heldout_accuracy is the
    course's (its training is too: test_bptt_notebook.py's test_the_notebooks_training_is_lstm_refs)."""
    from student_kit import agreement as task

    namespace = {
        "np": np,
        "agreement_data": task.agreement_data,
        "heldout_seed": task.heldout_seed,
        "model_forward": classifier.classifier_forward,  # the notebook's, with lstm_ref's numbers
    }
    exec(cell_source("bptt", "training"), namespace)  # noqa: S102 - the course's own notebook
    params = classifier.init_classifier("LSTM", 4, len(agreement.VOCABULARY), seed=2, forget_bias=1.0)
    for k in (1, 5):
        assert namespace["heldout_accuracy"](params, k) == agreement.heldout_accuracy(params, k)


def test_the_two_lstms_of_the_sweep_differ_only_in_b_f():
    near_0 = classifier.init_classifier("LSTM", 16, len(agreement.VOCABULARY), seed=0)
    b_f_3 = classifier.init_classifier("LSTM", 16, len(agreement.VOCABULARY), seed=0, forget_bias=3.0)
    assert [name for name in near_0 if not np.array_equal(near_0[name], b_f_3[name])] == ["b_f"]


def test_the_reading_catches_a_miss_before_a_later_success():
    """The RNN of seed 0 misses at k = 30 and reaches 95 % again at k = 50 in the recorded runs."""
    rnn = bptt.sweep(0, agreement.DISTANCES)[0]
    reading = EXAMPLES["001-memory-span"]
    assert rnn[agreement.DISTANCES.index(30)] < bptt.LEVEL <= rnn[agreement.DISTANCES.index(50)]
    last_reached = lambda d, a, level: np.array([d[row >= level].max(initial=0) for row in a])  # noqa: E731
    with pytest.raises(CheckFailed, match="missed at a shorter k"):
        check_random("longest_distance", last_reached, seed=0)
    assert "more than the lecture's 5-10" in reading.erratum


# -- lecture 000: the GRU's parameters, graded like the LSTM's --------------------------------------


def test_the_gru_counts_three_blocks_where_the_lstm_counts_four():
    for n, m in ((1, 1), (3, 4), (16, 37)):
        assert gru_param_count(n, m) == 3 * (n * (n + m) + n) and lstm_param_count(n, m) == 4 * (n * (n + m) + n)
        assert 4 * gru_param_count(n, m) == 3 * lstm_param_count(n, m)


def test_pytorch_counts_3n_more_for_the_gru_at_every_measured_size():
    """The notebook's visible test and its text: torch.nn.GRU's count is the lecture's plus 3n."""
    for row in given()["gru-lstm-table"]():
        assert row["gru_params"] - gru_param_count(row["n"], row["m"]) == 3 * row["n"]
        assert row["lstm_params"] - lstm_param_count(row["n"], row["m"]) == 4 * row["n"]


# -- lecture 002: "No parameter fine-tuning" against the forget-bias experiment ----------------------


def test_the_forget_bias_experiments_lstms_differ_only_in_b_f():
    """The example's three curves come from one LSTM whose forget-gate bias alone is set."""
    torch = pytest.importorskip("torch")
    from student_kit.experiments import recurrent_layer

    layers = [recurrent_layer("LSTM", 8, 32, forget_bias, seed=0) for forget_bias in (None, 1.0, 3.0)]
    forget_rows = slice(32, 64)  # torch's gate order is i, f, g, o
    for name, value in layers[0].named_parameters():
        for other in layers[1:]:
            theirs = dict(other.named_parameters())[name]
            if name.startswith("bias"):
                keep = torch.ones(len(value), dtype=torch.bool)
                keep[forget_rows] = False
                assert torch.equal(value[keep], theirs[keep]), name
            else:
                assert torch.equal(value, theirs), name


def test_no_fine_tuning_is_graded_on_the_measured_curves():
    example = EXAMPLES["002-no-fine-tuning"]
    norms = example.inputs["norms"]
    lasted = example.exact
    for row, k in zip(norms, lasted):  # at or above 1e-6 up to lag k, below at lag k + 1 (if measured)
        assert (row[:k] >= 1e-6).all() and (k == len(row) or row[k] < 1e-6)
    assert lasted[0] < lasted[1] < lasted[2] == norms.shape[1]
    assert f"for {lasted[0]} lags with PyTorch's default b_f" in example.erratum
