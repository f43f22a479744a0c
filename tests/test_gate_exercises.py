"""The input- and output-gate exercises and worked examples, without nbgrader."""

import numpy as np
import pytest
from judge import check_example, check_random

import lstm_ref
from assignments.lectures import SENTENCE_001
from assignments.output_gate.examples import one_hot_batch
from autograder.course import examples, exercises
from student_kit.values import mismatch

EXAMPLES, EXERCISES = examples(), exercises()
FORGET_001, INPUT_001 = (np.array(EXAMPLES["001-cat-trace"].inputs[k]) for k in ("forget_gates", "input_gates"))


def test_cat_trace_by_hand():
    """Lecture 001's table: i at "cat", then the forget values of the later words, multiplied out."""
    trace = EXAMPLES["001-cat-trace"].exact
    cat = SENTENCE_001.index("cat")
    assert trace[:cat].tolist() == [0.0]
    for t in range(cat, len(SENTENCE_001)):
        assert trace[t] == pytest.approx(INPUT_001[cat] * np.prod(FORGET_001[cat + 1 : t + 1]))
    period = SENTENCE_001.index(".")
    assert trace[period] == pytest.approx(0.9 * 0.9 * 0.8 * 0.3)  # a fifth of "cat" survives the "."


def test_lecture_tanh_numbers_by_hand():
    assert EXAMPLES["003-tanh"].exact == pytest.approx(np.tanh([4.0, 5.0, 6.0]))
    assert EXAMPLES["004-hidden-state"].exact == pytest.approx([0.0, 0.5 * np.tanh(6.0), np.tanh(4.0)])
    assert EXAMPLES["004-cell-update"].exact.tolist() == [1.0, 6.0, 4.0]
    assert EXAMPLES["004-cell-update-sigmoid"].exact[0] == pytest.approx(5 / (1 + np.exp(6)) + 1)


def test_one_hot_batch_is_time_first():
    x = one_hot_batch()
    assert x.shape == (3, 3, 3)
    assert x[:, 0].tolist() == np.eye(3).tolist()  # "cat mat rat"
    assert x[0, 2].tolist() == [0, 1, 0]  # "mat mat cat" starts with mat


def test_param_count_is_torchs_minus_the_second_bias():
    torch = pytest.importorskip("torch")
    count = EXERCISES["lstm_param_count"].reference
    for n, m in [(1, 1), (3, 4), (5, 2), (7, 7)]:
        assert count(n, m) == sum(p.numel() for p in torch.nn.LSTM(m, n).parameters()) - 4 * n


def test_lstm_forward_reference_matches_torch():
    torch = pytest.importorskip("torch")
    from lstm_ref.convert import lstm_params_to_torch

    rng = np.random.default_rng(0)
    x, h0, C0, params = EXERCISES["lstm_forward"].random_inputs(rng)
    T, B, m = x.shape
    n = h0.shape[1]
    module = lstm_params_to_torch(params, torch.nn.LSTM(m, n, dtype=torch.float64))
    with torch.no_grad():
        h_all, (_, C_T) = module(torch.from_numpy(x), (torch.from_numpy(h0[None]), torch.from_numpy(C0[None])))
    ours = EXERCISES["lstm_forward"].reference(x, h0, C0, params)
    assert np.allclose(ours[0], h_all.numpy()) and np.allclose(ours[1], C_T[0].numpy())


@pytest.mark.parametrize(
    "name, wrong",
    [
        ("cell_update", lambda f, C, i, Ct: f @ C + i * Ct),
        ("candidate", lambda W, h, x, b: lstm_ref.sigmoid(W @ np.r_[h, x] + b)),
        ("input_gate", lambda W, h, x, b: lstm_ref.sigmoid(W @ np.r_[x, h] + b)),
        ("hidden_state", lambda o, C: o * C),
        ("output_gate", lambda W, h, x, b: np.tanh(np.concatenate([h, x], -1) @ W.T + b)),
        ("lstm_param_count", lambda n, m: 4 * (n * (n + m) + 2 * n)),
        ("memory_trace", lambda f, i, s: np.r_[np.zeros(s), i[s] * np.cumprod(f[s:])]),
    ],
)
def test_hidden_checks_catch_known_mistakes(name, wrong):
    with pytest.raises(AssertionError):
        check_random(name, wrong, seed=0)


def test_cell_without_tanh_fails_and_says_which_part():
    def no_tanh_cell(x_t, h_prev, C_prev, params):
        (h_t, C_t), cache = lstm_ref.lstm_cell_forward(x_t, h_prev, C_prev, params)
        return cache["o_t"] * C_t, C_t

    with pytest.raises(AssertionError, match="h_t is wrong; C_t is right") as failure:
        check_random("lstm_cell", no_tanh_cell, seed=0)
    assert "is impossible for h_t" in str(failure.value)  # o_t ⊙ C_t leaves (-1, 1)


def test_a_single_array_where_a_pair_belongs_is_explained():
    with pytest.raises(AssertionError, match=r"expected a tuple of 2 results \(h_all, C_T\)"):
        check_random("lstm_forward", lambda x, h0, C0, p: EXERCISES["lstm_forward"].reference(x, h0, C0, p)[0], seed=0)
    assert mismatch((np.zeros(2), np.ones(2)), (np.zeros(2), np.ones(2)), 1e-9) is None


def test_params_are_described_by_their_shapes():
    unchanged = lambda x_t, h_prev, C_prev, params: (h_prev, C_prev)
    with pytest.raises(AssertionError) as error:
        check_random("lstm_cell", unchanged, seed=0)
    assert "params {W_f (" in str(error.value) and "array(" not in str(error.value)


def test_lecture_number_is_named_as_the_lectures_error():
    with pytest.raises(AssertionError, match="You reproduced the lecture's own number"):
        check_example("hidden_state", lambda o, C: o * np.floor(np.tanh(C) * 100) / 100, "004-hidden-state")
