"""The checks the notebooks call: silent on right answers, exact and helpful on wrong ones.

The same checks exist twice: in the student's notebook (student_kit.checks, against the data
stored at release) and in the grader (autograder.checks, against lstm_ref). Both are tested here,
and they must say the same thing.
"""

import judge as grader
import numpy as np
import pytest
from scipy.special import expit

import lstm_ref
from autograder.course import exercises
from student_kit import checks as kit

BOTH = [pytest.param(grader, id="grader"), pytest.param(kit, id="notebook")]


@pytest.fixture(autouse=True)
def forget_gate_data(kit_data):
    kit_data("forget_gate", "input_gate")


@pytest.mark.parametrize("side", BOTH)
def test_right_answers_written_differently_pass(side):
    side.check_example("sigmoid", expit, "004-sigmoid")
    loop_gate = lambda W, h, x, b: np.array(
        [expit(sum(W[i, j] * v for j, v in enumerate(np.r_[h, x])) + b[i]) for i in range(len(b))]
    )
    side.check_example("forget_gate", loop_gate, "004-forget-gate")
    side.check_random("input_gate", loop_gate, seed=21, trials=3)


@pytest.mark.parametrize("name", exercises())
def test_reference_passes_its_own_random_checks(name):
    reference = exercises()[name].reference
    grader.check_random(name, lambda *arguments: reference(*arguments), seed=1)


@pytest.mark.parametrize("side", BOTH)
def test_swapped_concatenation_fails_with_the_values_and_the_mistake(side):
    swapped = lambda W, h, x, b: expit(W @ np.concatenate([x, h]) + b)
    with pytest.raises(AssertionError, match="expected .*\n  received") as failure:
        side.check_random("input_gate", swapped, seed=21, trials=3)
    assert "Likely mistake: you stacked [x_t, h_{t-1}]" in str(failure.value)


@pytest.mark.parametrize("side", BOTH)
def test_lecture_number_is_named_as_the_lectures_error(side):
    rounded = lambda f, c: np.round(f) * c
    with pytest.raises(AssertionError, match="You reproduced the lecture's own number"):
        side.check_example("forget", rounded, "004-forget-apply")


@pytest.mark.parametrize("side", BOTH)
@pytest.mark.parametrize(
    "received, expected_message",
    [
        (None, "does your function end with `return`"),
        (np.zeros(2), "expected shape \\(3,\\), received shape \\(2,\\)"),
        ("abc", "expected an array of numbers"),
    ],
)
def test_wrong_kinds_of_result_are_explained(side, received, expected_message):
    with pytest.raises(AssertionError, match=expected_message):
        side.check_example("forget", lambda f, c: received, "000-forget-half")


@pytest.mark.parametrize("side", BOTH)
def test_a_crash_is_reported_as_the_students(side):
    def crashes(f, c):
        raise IndexError("boom")

    with pytest.raises(
        AssertionError, match=r"forget\(f_t, C_\{t-1\}\) on lecture 000's example .* raised IndexError: boom"
    ):
        side.check_example("forget", crashes, "000-forget-half")
    with pytest.raises(AssertionError, match="not written yet"):
        side.check_example("forget", lambda f, c: (_ for _ in ()).throw(NotImplementedError()), "000-forget-half")


def test_the_notebook_and_the_grader_word_a_failure_the_same():
    wrong = lambda W, h, x, b: np.tanh(W @ np.concatenate([h, x]) + b)
    messages = []
    for side in (grader, kit):
        with pytest.raises(AssertionError) as failure:
            side.check_example("forget_gate", wrong, "004-forget-gate")
        messages.append(str(failure.value))
    assert messages[0] == messages[1]
    assert "Likely mistake: you squashed with tanh" in messages[0]


def test_a_stub_that_calls_an_unwritten_helper_names_the_helper():
    def sigmoid(z):
        raise NotImplementedError()

    def input_gate(W, h, x, b):
        return sigmoid(W @ np.concatenate([h, x]) + b)

    with pytest.raises(AssertionError, match="stopped at `raise NotImplementedError\\(\\)` in sigmoid"):
        kit.check_random("input_gate", input_gate, seed=21, trials=3)


def test_an_answer_that_uses_pytorch_is_told_it_will_not_run_when_graded():
    torch = pytest.importorskip("torch")

    def forget_gate(W_f, h_prev, x_t, b_f):
        z = torch.from_numpy(W_f @ np.concatenate([h_prev, x_t]) + b_f)
        return torch.sigmoid(z).numpy()

    with pytest.raises(AssertionError, match="uses torch, which is not installed when your work is graded"):
        kit.check_example("forget_gate", forget_gate, "004-forget-gate")


def test_a_hidden_check_without_stored_results_says_it_runs_when_graded():
    with pytest.raises(AssertionError, match="hidden test, which runs when your work is graded"):
        kit.check_random("forget_gate", lstm_ref.forget_gate, seed=202)


def test_a_hidden_check_judges_its_sealed_results_under_plain_nbgrader():
    from autograder.cells import seal

    source = seal('### BEGIN HIDDEN TESTS\ncheck_random("forget_gate", forget_gate, seed=202)\n### END HIDDEN TESTS')
    namespace = {"check_random": kit.check_random, "forget_gate": lstm_ref.forget_gate}
    exec(source, namespace)  # noqa: S102 - the course's own test
    namespace["forget_gate"] = lambda W, h, x, b: expit(W @ np.concatenate([h, x]))  # no bias
    with pytest.raises(AssertionError, match="expected"):
        exec(source, namespace)  # noqa: S102
