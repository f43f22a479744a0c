"""The lectures' numbers: each example's exact value is right, and every disagreement with
the lecture is recorded as an erratum."""

import numpy as np
import pytest
from lectures import LECTURE_DIR

from assignments.declare import right_to_shown_digits, shown_decimals
from assignments.lectures import LECTURES
from autograder.course import examples

EXAMPLES = examples()


def agrees(a, b, tolerance):
    if isinstance(a, str) or isinstance(b, str):  # a formula or a word, not a number
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, tuple) or isinstance(b, tuple):
        return tuple(a) == tuple(b)
    return np.allclose(a, b, rtol=0, atol=tolerance)


@pytest.mark.parametrize("key", EXAMPLES)
def test_erratum_recorded_exactly_when_the_lecture_differs(key):
    example = EXAMPLES[key]
    assert example.lecture in LECTURES
    if example.stated is None:  # the lecture prints no number: nothing to be wrong about
        assert example.erratum is None and example.note is None, f"{key}: the lecture states no result"
        return
    if example.rounded:  # judged to the digits the lecture shows, not to the tolerance
        lecture_right = right_to_shown_digits(example.stated, example.exact)
    else:
        lecture_right = agrees(example.stated, example.exact, example.tolerance)
    assert lecture_right == example.lecture_is_right, (
        f"{key}: lecture says {example.stated}, exact is {example.exact}; "
        + ("an erratum is recorded but they agree" if lecture_right else "no erratum is recorded")
    )


@pytest.mark.parametrize("key", EXAMPLES)
def test_a_rounding_that_hides_something_says_what(key):
    """A lecture number right only to its digits gets a note; a note belongs to such a number."""
    example = EXAMPLES[key]
    hides = (
        example.rounded and example.lecture_is_right and not agrees(example.stated, example.exact, example.tolerance)
    )
    assert bool(example.note) == hides, f"{key}: note {example.note!r}, rounding hides something: {hides}"


def test_right_to_the_digits_shown():
    """Lecture 004's tanh(C_t) is right to its digits, its h_t's 0.495 is not."""
    assert [shown_decimals(v) for v in (0.76, 0.9999, 0.495, 5.0, 0.4)] == [2, 4, 3, 0, 1]
    assert right_to_shown_digits([0.76, 0.9999, 0.9993], np.tanh([1.0, 6.0, 4.0]))
    assert not right_to_shown_digits([0.495], [0.5 * np.tanh(6.0)])
    assert right_to_shown_digits([0.99], [np.tanh(4.0)])  # cut, within one unit of the last digit
    assert not right_to_shown_digits([0.25, 0.31, 0.4], np.tanh([4.0, 5.0, 6.0]))
    assert not right_to_shown_digits([1.0, 1.0], [1.0, 1.0, 1.0])


def test_forget_gate_numbers_by_hand():
    """Independent of lstm_ref: the lecture 004 product and sigmoid, written out."""
    W_f = EXAMPLES["004-forget-preactivation"].inputs["W_f"]
    assert list(W_f @ np.arange(1.0, 7.0)) == [-6.0, 175.0, 133.0]
    assert EXAMPLES["004-forget-gate"].exact[0] == pytest.approx(1 / (1 + np.exp(6)))
    assert EXAMPLES["004-forget-apply"].exact[0] == pytest.approx(5 / (1 + np.exp(6)))
    assert EXAMPLES["003-forget-weight-shape"].exact == (3, 7)
    # The note on sigma(133), sigma(175): 1 to far more than 16 digits, and exactly 1.0 in float64.
    assert list(EXAMPLES["004-sigmoid"].exact[1:]) == [1.0, 1.0]
    assert 1 / (1 + np.exp(133)) < 1e-57 and "1.7e-58" in EXAMPLES["004-sigmoid"].note


@pytest.mark.skipif(LECTURE_DIR is None, reason="the lectures are not beside this checkout")
def test_lecture_files_exist():
    for name in LECTURES.values():
        assert (LECTURE_DIR / name).exists()


@pytest.mark.parametrize("key", EXAMPLES)
def test_examples_render_for_the_notebooks(key, monkeypatch):
    """As student_kit shows them from a released folder's data."""
    from autograder.checks import example_data, lecture_data
    from student_kit import data
    from student_kit.display import erratum_markdown, example_markdown

    monkeypatch.setattr(
        data,
        "course_data",
        lambda: {"examples": {k: example_data(v) for k, v in EXAMPLES.items()}, "lectures": lecture_data()},
    )
    text = example_markdown(key)
    assert f"Lecture {EXAMPLES[key].lecture}" in text
    if EXAMPLES[key].erratum:
        assert "Erratum" in erratum_markdown(key) and ".txt" not in erratum_markdown(key)


def test_formula_errata_by_hand():
    """Independent of lstm_ref: the sample values behind lecture 004's sigma-for-tanh errata."""
    z = np.array([-2.0, 0.0, 2.0])
    np.testing.assert_allclose(EXAMPLES["004-candidate-sigma"].stated, 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(EXAMPLES["004-candidate-sigma"].exact, np.tanh(z))
    assert EXAMPLES["004-D-term-derivative"].exact[1] == 1.0
    assert EXAMPLES["004-D-term-derivative"].stated[1] == 0.25
    assert EXAMPLES["001-cat-was-distance"].exact == 14
    assert EXAMPLES["004-jacobian-weight-shape"].exact == (3, 3)
