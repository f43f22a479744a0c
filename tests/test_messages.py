"""Messages that teach: a wrong result among several is named, an impossible value is said to be
impossible (and each thing the message says produces such values does), and a passing check says
what passed, in the notebook (student_kit) and in the grader's words (autograder.checks)."""

import numpy as np
import pytest
from judge import check_example, check_random

from assignments.declare import GATE_RANGE, HIDDEN_RANGE, TANH_RANGE, Exercise
from autograder import checks
from autograder.course import exercises, mistakes
from student_kit import messages
from student_kit.checks import CheckFailed
from student_kit.values import mismatch, outside, what_differs

RANGED = {name: exercise for name, exercise in exercises().items() if any(exercise.ranges)}


def test_the_declared_results_are_the_outputs_names():
    assert exercises()["lstm_cell"].results == ("h_t", "C_t")
    assert exercises()["lstm_cell_backward"].results == ("dx_t", "dh_{t-1}", "dC_{t-1}", "dW", "db")
    assert exercises()["hidden_state"].results == ("h_t",)
    for exercise in exercises().values():
        assert len(exercise.ranges) <= len(exercise.results), exercise.name


def test_gates_candidates_and_h_t_declare_their_ranges():
    assert {name for name, e in RANGED.items() if e.ranges[0] is GATE_RANGE} == {
        "sigmoid",
        "forget_gate",
        "input_gate",
        "output_gate",
        "update_gate",
        "reset_gate",
    }
    assert {name for name, e in RANGED.items() if e.ranges[0] is TANH_RANGE} == {"candidate", "gru_candidate"}
    assert {name for name, e in RANGED.items() if e.ranges[0] is HIDDEN_RANGE} == {
        "hidden_state",
        "lstm_cell",
        "lstm_forward",
    }


@pytest.mark.parametrize("name", sorted(RANGED))
def test_every_right_result_lies_in_its_declared_range(name):
    """The range is a fact of the formula: the reference never leaves it, on any check's inputs."""
    exercise = RANGED[name]
    rng = np.random.default_rng(0)
    for _ in range(200):
        results = exercise.reference(*exercise.random_inputs(rng))
        results = results if len(exercise.results) > 1 else (results,)
        for result, declared in zip(results, exercise.ranges, strict=False):
            if declared is not None:
                assert outside(result, declared.describe()) is None, name


def _preactivation(W, h_prev, x_t, b, *rest):
    """A gate or a candidate with its squashing left out: what "a missing σ / tanh" returns."""
    v = np.concatenate([h_prev, x_t], axis=-1) if not rest else np.concatenate([rest[0] * h_prev, x_t])
    return v @ W.T + b


# Every producer a range's message names, as a student writes it, for each function with that range.
PRODUCERS = {
    GATE_RANGE: {
        "np.tanh in place of σ": lambda name: mistakes()[f"{name}/tanh-for-σ"].wrong,
        "a missing σ": lambda name: (lambda z: z) if name == "sigmoid" else _preactivation,
    },
    TANH_RANGE: {
        "np.tan in place of np.tanh": lambda name: mistakes()[f"{name}/tan-for-tanh"].wrong,
        "a missing tanh": lambda name: _preactivation,
    },
    HIDDEN_RANGE: {
        "np.tan in place of np.tanh": lambda name: {
            "hidden_state": mistakes()["hidden_state/tan-for-tanh"].wrong,
            "lstm_cell": mistakes()["lstm_cell/tan-for-tanh-in-h"].wrong,
            "lstm_forward": mistakes()["lstm_forward/step-tan-for-tanh-in-h"].wrong,
        }[name],
        "C_t in place of tanh(C_t)": lambda name: {
            "hidden_state": mistakes()["hidden_state/C-for-tanh-C"].wrong,
            "lstm_cell": mistakes()["lstm_cell/C-for-tanh-C"].wrong,
            "lstm_forward": mistakes()["lstm_forward/step-C-for-tanh-C"].wrong,
        }[name],
    },
}


def test_each_range_names_the_producers_the_tests_try():
    for declared, producers in PRODUCERS.items():
        assert all(producer in declared.producers for producer in producers), declared


@pytest.mark.parametrize(
    "name, producer",
    [(name, producer) for name in sorted(RANGED) for producer in PRODUCERS[RANGED[name].ranges[0]]],
)
def test_what_the_message_says_produces_impossible_values_does(name, producer):
    """Each producer gives values outside the range on the function's random inputs, and a
    student who writes it reads that the value is impossible, why, and what gives such values."""
    exercise = RANGED[name]
    function = PRODUCERS[exercise.ranges[0]][producer](name)
    with pytest.raises(CheckFailed) as failure:
        check_random(name, function, seed=0)
    text = " ".join(str(failure.value).split())
    first = exercise.results[0]
    assert f"is impossible for {first}: {exercise.ranges[0].why}" in text, text
    assert producer in text


def test_a_hidden_test_says_impossible_without_a_value():
    exercise = exercises()["candidate"]
    arguments = exercise.random_inputs(np.random.default_rng(5))
    expected = exercise.reference(*arguments)
    said = what_differs(mistakes()["candidate/tan-for-tanh"].wrong(*arguments), expected, 1e-8, exercise.describe())
    assert said.startswith("returned wrong values, some impossible for C~_t, outside (-1, 1): tanh(z)")
    assert not any(f"{v:.4f}" in said for v in np.ravel(expected))


def test_which_of_several_results_is_wrong_is_named():
    exercise = exercises()["lstm_cell"]
    arguments = exercise.random_inputs(np.random.default_rng(1))
    expected = exercise.reference(*arguments)
    o_as_C = mistakes()["lstm_cell/o_t-as-C_t"].wrong(*arguments)
    said = mismatch(o_as_C, expected, 1e-8, exercise.describe())
    assert said.startswith("C_t is wrong; h_t is right. C_t:\n  expected")
    hidden = what_differs(o_as_C, expected, 1e-8, exercise.describe())
    assert hidden == "C_t is wrong; h_t is right. C_t: returned wrong values"
    backward = exercises()["lstm_cell_backward"]
    arguments = backward.random_inputs(np.random.default_rng(2))
    right = backward.reference(*arguments)
    both = (right[0] + 1, right[1], right[2], right[3] * 2, right[4])
    assert mismatch(both, right, 1e-8, backward.describe()).startswith(
        "dx_t and dW are wrong; dh_{t-1}, dC_{t-1} and db are right. dx_t:"
    )


def test_a_graded_message_names_the_result_and_the_impossible_value():
    """The grader's own message (the feedback's) says the same as the notebook's."""
    with pytest.raises(CheckFailed) as failure:
        check_example("hidden_state", mistakes()["hidden_state/tan-for-tanh"].wrong, "003-tanh")
    text = str(failure.value)
    assert "is impossible for h_t" in text and "Likely mistake: you wrote np.tan" in text
    with pytest.raises(CheckFailed, match="C_t is wrong; h_t is right"):
        check_random("lstm_cell", mistakes()["lstm_cell/o_t-as-C_t"].wrong, seed=33, trials=3)


def test_a_result_declared_without_names_is_numbered():
    exercise = Exercise("f", ("x",), "a pair", reference=None, random_inputs=None)
    said = mismatch((np.zeros(2), np.ones(2)), (np.zeros(2), np.zeros(2)), 1e-8, exercise.describe())
    assert said.startswith("result 2 is wrong; result 1 is right.")


# -- what passed ----------------------------------------------------------------------------------


def test_what_passed_in_one_line():
    assert (
        messages.passed("forget_gate", [("example", "004"), ("random", 3)])
        == "forget_gate: lecture 004's example and 3 random cases pass."
    )
    assert messages.passed("sigmoid", [("example", "004")]) == "sigmoid: lecture 004's example passes."
    assert messages.passed("forget", [("example", "000"), ("example", "000"), ("example", "004")]) == (
        "forget: lecture 000's 2 examples and lecture 004's example pass."
    )
    assert messages.passed("forget_gate", [("hidden",)]) == "forget_gate: the hidden tests pass."


def test_the_grader_says_what_a_passing_test_cell_passed():
    cell = (
        'check_example("forget_gate", forget_gate, "004-forget-gate")\n'
        'check_random("forget_gate", forget_gate, seed=20, trials=3)'
    )
    assert checks.passed_line(cell) == "forget_gate: lecture 004's example and 3 random cases pass."
    hidden = (
        "# Hidden tests\n### BEGIN HIDDEN TESTS\n"
        'check_random("forget_gate", forget_gate, seed=202)\n### END HIDDEN TESTS'
    )
    assert checks.passed_line(hidden) == "forget_gate: the hidden tests pass."
    assert "202" not in checks.passed_line(hidden)
    assert checks.passed_line("assert True") is None


def test_the_notebook_says_what_passed(kit_data, capsys):
    import lstm_ref
    from student_kit import checks as kit

    kit_data("forget_gate")
    kit.check_example("forget_gate", lstm_ref.forget_gate, "004-forget-gate")
    kit.check_random("forget_gate", lstm_ref.forget_gate, seed=20, trials=3)
    # In a notebook the second check updates the first one's line (tests/test_student_side.py);
    # outside IPython each prints its own.
    assert capsys.readouterr().out.splitlines() == [
        "forget_gate: lecture 004's example passes.",
        "forget_gate: 3 random cases pass.",
    ]


def test_the_notebook_says_nothing_of_a_pass_while_graded(kit_data, capsys, monkeypatch, tmp_path):
    """The grader says it, from its own verdict: a kernel's word on a pass can be forged."""
    import lstm_ref
    from student_kit import checks as kit

    kit_data("forget_gate")
    monkeypatch.setattr(kit, "_RECORDS", str(tmp_path / "records"))
    kit.check_example("forget_gate", lstm_ref.forget_gate, "004-forget-gate")
    assert capsys.readouterr().out == ""
