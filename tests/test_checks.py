"""The checks the notebooks call: silent on right answers, exact and helpful on wrong ones."""
import numpy as np
import pytest
from scipy.special import expit

import lstm_ref
from autograder.checks import check_example, check_random
from autograder.exercises import EXERCISES


def test_right_answers_written_differently_pass():
    check_example("sigmoid", expit, "004-sigmoid")
    check_random("sigmoid", expit, seed=0)
    loop_gate = lambda W, h, x, b: np.array([expit(sum(W[i, j] * v for j, v in enumerate(np.r_[h, x])) + b[i])
                                             for i in range(len(b))])
    check_example("forget_gate", loop_gate, "004-forget-gate")
    check_random("forget_gate", loop_gate, seed=0)


@pytest.mark.parametrize("name", EXERCISES)
def test_reference_passes_its_own_random_checks(name):
    reference = EXERCISES[name].reference
    check_random(name, lambda *arguments: reference(*arguments), seed=1)


def test_swapped_concatenation_fails_with_the_values():
    swapped = lambda W, h, x, b: expit(W @ np.concatenate([x, h]) + b)
    with pytest.raises(AssertionError, match="expected .*\n  received"):
        check_random("forget_gate", swapped, seed=0)


def test_lecture_number_is_named_as_the_lectures_error():
    rounded = lambda f, c: np.round(f) * c
    with pytest.raises(AssertionError, match="You reproduced the lecture's own number"):
        check_example("forget", rounded, "004-forget-apply")


@pytest.mark.parametrize("received, expected_message", [
    (None, "does your function end with `return`"),
    (np.zeros(2), "expected shape \\(3,\\), received shape \\(2,\\)"),
    ("abc", "expected an array of numbers"),
])
def test_wrong_kinds_of_result_are_explained(received, expected_message):
    with pytest.raises(AssertionError, match=expected_message):
        check_example("forget", lambda f, c: received, "000-forget-half")


def test_a_crash_is_reported_as_the_students():
    def crashes(f, c):
        raise IndexError("boom")
    with pytest.raises(AssertionError, match=r"forget\(f_t, C_\{t-1\}\) raised IndexError: boom"):
        check_example("forget", crashes, "000-forget-half")
    with pytest.raises(AssertionError, match="not written yet"):
        check_example("forget", lambda f, c: (_ for _ in ()).throw(NotImplementedError()), "000-forget-half")


def test_an_answer_that_calls_the_reference_is_refused_before_grading():
    """The grader scores such an answer zero; the visible test says so at once."""
    def forget_gate(W_f, h_prev, x_t, b_f):
        import lstm_ref
        return lstm_ref.forget_gate(W_f, h_prev, x_t, b_f)

    forget_gate.__module__ = "__main__"  # as if written in the notebook
    with pytest.raises(AssertionError, match=r"lstm_ref.*When your work is graded, its tests score zero"):
        check_example("forget_gate", forget_gate, "004-forget-gate")
    with pytest.raises(AssertionError, match="score zero"):
        check_random("forget_gate", forget_gate, seed=0)


def test_the_reference_itself_is_refused_as_an_answer():
    with pytest.raises(AssertionError, match="is the course's reference"):
        check_example("forget_gate", lstm_ref.forget_gate, "004-forget-gate")
