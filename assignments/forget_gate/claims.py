"""What the forget-gate texts claim, each with the computation that proves it (tests/test_claims.py
runs them): the notebook's sentences, the errata and notes of its worked examples, its hints
(HINTS: each hint's words as a formula of the right functions, which must give the mistake's
result) and its learning objectives."""

import numpy as np

from assignments.declare import Claims, how_shown
from assignments.evidence import (
    every_exercise_is_checked_on,
    example,
    lecture_example_checks,
    the_tests_expect_the_right_numbers,
    visible_checks,
)
from lstm_ref import lstm
from lstm_ref.activations import sigmoid

from .facts import CAT_GATE_001

CLAIMS = Claims()
A = "forget_gate"

# -- the notebook ------------------------------------------------------------------------------

CLAIMS.lecture(
    "intro",
    "Lecture 001 calls it a notebook; lectures 002 and 004 call it a conveyor belt.",
    {"001": ["Notebook = Cell State"], "002": ["kind of like a conveyor belt"], "004": ["Like a conveyor belt"]},
)
CLAIMS.lecture("intro", "(lecture 001's eraser)", {"001": ["Forget Gate (Eraser)"]})


@CLAIMS("intro", "The lectures also write this product as $*$, $\\otimes$ or $\\circ$, and lecture 000 once", "lecture")
def the_products_notation():
    from assignments.lectures import lecture_text

    assert "i_t * \\tilde{c}_t" in lecture_text("002") and "f_t * C_{t-1}" in lecture_text("004")
    assert "\\otimes" in lecture_text("000") and "\\otimes" in lecture_text("003")
    assert "\\circ" in lecture_text("004")
    assert lecture_text("000").count("o_t \\cdot \\tanh(C_t)") == 1


@CLAIMS("intro", "Lecture 000's $\\oplus$ is the ordinary sum.", "lecture")
def lecture_000_oplus():
    from assignments.lectures import lecture_says

    assert lecture_says("000", "C_t = f_t \\otimes C_{t-1} \\oplus i_t \\otimes \\tilde{C}_t")
    C = example("000-forget-half").inputs["C_prev"]  # the update the ⊕ writes is lstm_ref's sum
    assert np.allclose(lstm.cell_update(0.5, C, 0.5, C), 0.5 * C + 0.5 * C)


@CLAIMS("intro", "Visible tests check them on the lectures' own numbers.", "lecture")
def visible_tests_use_lecture_numbers():
    every_exercise_is_checked_on(A, "example")
    assert all(example(check.key).lecture for check in lecture_example_checks(A))


@CLAIMS(
    "intro", "Where a lecture's number is wrong, the tests expect the right one, and the notebook says why.", "lecture"
)
def tests_expect_right_numbers():
    the_tests_expect_the_right_numbers(A)


CLAIMS.lecture(
    "sliders_md", "The panel starts at lecture 000's example (forget half of", {"000": ["f_t = [0.5 \\ 0.5 \\ 0.5]"]}
)


@CLAIMS("sliders_md", "starts at lecture 004's.", "lecture")
def preset_004_is_lecture_004():
    from student_kit.widgets.views import LECTURE_PRESETS

    assert all(example(key).lecture == "004" for key in LECTURE_PRESETS["004"])


@CLAIMS("conveyor_md", "so at step $t$, $f^{\\,t-1}$ of it remains.", "number")
def conveyor_keeps_f_to_the_t_minus_1():
    from student_kit.widgets.views import conveyor_rows

    f, steps = 0.8, 6
    left = [row.values[0] for row in conveyor_rows(np.array([f]), np.array([1.0]), np.array([1.0]), steps)]
    assert np.allclose(left, f ** np.arange(steps))  # step t = 1, 2, ...: f^(t-1)


@CLAIMS("sigmoid_md", "Lecture 004 applies it to $z = {{ lecture__004_forget_preactivation }}$", "lecture")
def lecture_004_treats_sigma_as_0_1_1():
    from assignments.lectures import lecture_says

    assert lecture_says("004", "= \\begin{bmatrix} -6 \\\\ 175 \\\\ 133 \\end{bmatrix}")
    assert lecture_says("004", "0 5 5 C_{t-1} * f_t")  # f_t = [0, 1, 1] on C_{t-1} = [5, 5, 5]


@CLAIMS("sigmoid_md", "That is right to whole numbers, but not exact: a sigmoid never reaches 0 or 1", "rounding")
def sigma_of_the_example_rounds_to_0_1_1():
    entry = example("004-sigmoid")
    assert how_shown(entry.stated, entry.exact) == ["rounded"] * 3
    assert 0 < sigmoid(-6.0) < 1 and sigmoid(-133.0) > 0  # not 0; 1 - sigma(133) = sigma(-133) > 0


@CLAIMS("preactivation_md", "and no bias ($b_f = 0$).", "lecture")
def lecture_004_has_no_bias():
    from assignments.lectures import lecture_says

    assert lecture_says("004", "w_f \\cdot [h_{t-1}, x_t] = \\begin{bmatrix} 0 & 0 & 0 & 0 & 0 & -1")
    entry = example("004-forget-preactivation")
    assert np.array_equal(entry.inputs["b_f"], np.zeros(3)) and np.array_equal(entry.exact, entry.stated)


@CLAIMS("forget_gate_md", "its $C_t$ slide multiplies by it.", "lecture")
def lecture_004_c_slide_multiplies_by_0_1_1():
    from assignments.lectures import lecture_says

    assert lecture_says("004", "C_t = \\begin{bmatrix} 0 \\\\ 1 \\\\ 1 \\end{bmatrix} * \\begin{bmatrix} 5")


@CLAIMS("forget_gate_md", "That is right to whole numbers.", "rounding")
def forget_gate_rounds_to_0_1_1():
    entry = example("004-forget-gate")
    assert how_shown(entry.stated, entry.exact) == ["rounded"] * 3


@CLAIMS("forget_gate_md", "$\\sigma(-6) = {{ sigma_minus_6 }}$: small, but not 0.", "comparison")
def sigma_minus_6_is_small():
    assert 0.001 < sigmoid(-6.0) < 0.01


@CLAIMS("forget_gate_md", "float64 keeps about 16 significant digits, so numpy returns exactly 1.0 for both.", "cause")
def float64_rounds_sigma_133_to_one():
    assert 15 <= np.finfo(np.float64).precision <= 16 and 2**-53 < 1e-15
    assert sigmoid(133.0) == 1.0 and sigmoid(175.0) == 1.0 and sigmoid(-133.0) < 2**-53


CLAIMS.lecture(
    "forget_md",
    '$C_{t-1} = {{ input__000_forget_half__C_prev }}$ ("50% removal", "100% removal").',
    {"000": ["C_{t-1} = [4 \\ 5 \\ 6]", "50% removal", "100% removal", "f_t = [0 \\ 0 \\ 0]"]},
)


@CLAIMS(
    "forget_md",
    "Lecture 004 applies the $f_t$ of section 3 to $C_{t-1} = {{ input__004_forget_apply__C_prev }}$.",
    "lecture",
)
def lecture_004_applies_to_5_5_5():
    from assignments.lectures import lecture_says

    assert lecture_says("004", "C_{t-1} 5 5 5 0 5 5 C_{t-1} * f_t")
    assert list(example("004-forget-apply").inputs["C_prev"]) == [5, 5, 5]


@CLAIMS(
    "forget_md",
    "is right to whole numbers; exactly, it is ${{ exact__004_forget_apply }}$: the first unit keeps a little.",
    "rounding",
)
def forget_apply_rounds():
    entry = example("004-forget-apply")
    assert how_shown(entry.stated, entry.exact) == ["rounded"] * 3 and 0 < entry.exact[0] < 0.05


CLAIMS.lecture(
    "percent_md",
    'Lecture 001\'s forget-gate slide, at the word "dog", reads:',
    {"001": ['x_t : Current word ("dog")', "Forget Gate f_t = \\sigma(W_f \\cdot [h_{t-1}, x_t] + b_f)"]},
)
CLAIMS.lecture("percent_md", '"cat" info 10% Forget!', {"001": ['"cat" info 10% Forget! (new subject)']})
CLAIMS.lecture(
    "percent_md",
    'Below it: "Lower values (close to 0) = FORGET".',
    {"001": ['"hungry" info 20% Forget! (not relevant) Lower values (close to 0) = FORGET']},
)


@CLAIMS("percent_md", 'So the 10% is a gate value, $f_t = 0.1$, on the units that hold "cat".', "number")
def ten_percent_is_the_gate():
    assert CAT_GATE_001 == 0.1


@CLAIMS("percent_md", "A gate of 0.1 does not forget 10%: it **keeps** 10%", "number")
def a_gate_of_a_tenth_keeps_a_tenth():
    C = example("000-forget-half").inputs["C_prev"]
    assert np.allclose(lstm.forget(np.full(3, CAT_GATE_001), C), 0.1 * C)


@CLAIMS("percent_md", "in lecture 000's words, {{ cat_gate_removes }} removal.", "lecture")
def lecture_000_words_removal():
    from assignments.lectures import lecture_says

    assert lecture_says("000", "50% removal")


@CLAIMS("percent_md", '(Lecture 001\'s own table puts {{ forget_at_dog }} at "dog"', "lecture")
def table_has_a_value_at_dog():
    from assignments.lectures import lecture_says

    assert lecture_says("001", '"dog" Keep article (0.7)')


@CLAIMS("shape_md", "Lecture 003 draws {{ input__003_forget_weight_shape__n_units }} units", "lecture")
def lecture_003_draws_3_units_4_inputs():
    from assignments.lectures import lecture_says

    assert lecture_says("003", "Assume there are 3 neurons in yellow box.")
    assert lecture_says("003", "Lets, X_t is input and 4 dimensions")
    assert example("003-forget-weight-shape").inputs == dict(n_units=3, n_inputs=4)


# -- the worked examples' errata and notes -----------------------------------------------------


CLAIMS.lecture(
    "erratum:003-forget-weight-shape", "Lecture 003 labels W_f as 1x7.", {"003": ["W_f (1x7) is the weight matrix"]}
)


@CLAIMS("erratum:003-forget-weight-shape", "gives one number, not the 3x1 f_t the same diagram shows", "lecture")
def a_1x7_weight_gives_one_number():
    from assignments.lectures import lecture_says

    assert (np.ones((1, 7)) @ np.ones(7)).shape == (1,)
    assert lecture_says("003", "f_t (3x1) is the output of the sigmoid function")
    assert example("003-forget-weight-shape").exact == (3, 7)


@CLAIMS("note:004-sigmoid", "Lecture 004 treats σ([-6, 175, 133]) as [0, 1, 1]: right to whole numbers.", "rounding")
def note_sigmoid_rounds():
    sigma_of_the_example_rounds_to_0_1_1()


@CLAIMS("note:004-*", "far below the gap between 1.0 and the float64 number just below it", "comparison")
def one_minus_sigma_below_the_gap():
    gap = np.finfo(np.float64).epsneg
    assert sigmoid(-133.0) < gap / 1e40 and sigmoid(-175.0) < gap / 1e40
    assert abs(gap - 1.1e-16) < 0.05e-16 and sigmoid(133.0) == sigmoid(175.0) == 1.0


@CLAIMS("note:004-*", "In exact arithmetic 0 < σ(z) < 1 for every z", "comparison")
def sigma_strictly_between_0_and_1():
    z = np.linspace(-30, 30, 601)
    assert np.all(sigmoid(z) > 0) and np.all(1 / (1 + np.exp(-z)) < 1 + 1e-15)  # 1 - σ(z) = σ(-z) > 0


@CLAIMS("note:004-forget-gate", "Lecture 004 uses f_t = [0, 1, 1]: right to whole numbers.", "rounding")
def note_forget_gate_rounds():
    forget_gate_rounds_to_0_1_1()


@CLAIMS("note:004-forget-apply", "Lecture 004's C_{t-1} * f_t = [0, 5, 5] is right to whole numbers.", "rounding")
def note_forget_apply_rounds():
    forget_apply_rounds()


@CLAIMS("note:004-forget-apply", "almost nothing, but not nothing.", "comparison")
def the_first_unit_keeps_a_little():
    assert 0 < example("004-forget-apply").exact[0] < 0.05


@CLAIMS("note:004-forget-apply", "A sigmoid gate never forgets completely.", "comparison")
def never_forgets_completely():
    sigma_strictly_between_0_and_1()


CLAIMS.lecture(
    "erratum:004-weight-is-not-seq-length",
    "Lecture 004 calls the 6 a sequence length.",
    {"004": ["Weight = units x seq length", "Here seq length is 6 ( h_{t-1}, x_t )"]},
)


@CLAIMS("erratum:004-weight-is-not-seq-length", "The sequence length T never enters a weight's shape", "number")
def weights_do_not_depend_on_t():
    params = lstm.init_params(3, 3, rng=0)
    for T in (1, 5):
        h_all, _ = lstm.lstm_forward(np.zeros((T, 1, 3)), np.zeros((1, 3)), np.zeros((1, 3)), params)[0]
        assert h_all.shape[0] == T and params["W_f"].shape == (3, 6)


# -- the hints that name a lecture -------------------------------------------------------------


@CLAIMS("hint:forget_weight_shape/one-row", "(1, n + m) is lecture 003's erratum", "lecture")
def one_row_is_the_erratum():
    assert example("003-forget-weight-shape").stated == (1, 7) and example("003-forget-weight-shape").erratum


# -- the learning objectives -------------------------------------------------------------------


@CLAIMS("objective", "and lecture 004's [-6, 175, 133]", "lecture")
def objective_preactivation():
    assert list(example("004-forget-preactivation").exact) == [-6, 175, 133]
    assert any(c.key == "004-forget-preactivation" for c in visible_checks(A))


@CLAIMS("objective", "read a gate of 0.1 as keeping 10%", "number")
def objective_keeping_a_tenth():
    a_gate_of_a_tenth_keeps_a_tenth()


@CLAIMS("objective", "and say why lecture 003's 1x7 is wrong", "lecture")
def objective_one_by_seven():
    a_1x7_weight_gives_one_number()


@CLAIMS(
    "objective",
    "explain why a sigmoid gate never forgets completely, though lecture 004 rounds sigma(-6) to 0",
    "rounding",
)
def objective_sigma_minus_6():
    assert how_shown([0.0], [sigmoid(-6.0)]) == ["rounded"]
    sigma_strictly_between_0_and_1()


# -- the hints, as formulas of the right functions (tests/test_claims.py) -----------------------


def _hints():
    from assignments import hints
    from lstm_ref import forget, forget_gate, gate_preactivation

    from .exercises import weight_shape

    return {
        "sigmoid/tanh-for-σ": lambda z: np.tanh(z),
        "sigmoid/sign": lambda z: sigmoid(-z),  # "which is σ(-z)"
        "gate_preactivation/x-before-h": hints.gate_x_before_h(gate_preactivation),
        "gate_preactivation/no-bias": hints.gate_no_bias(gate_preactivation),
        "gate_preactivation/elementwise-for-matrix-product": hints.gate_elementwise(lambda a: a),
        "gate_preactivation/squashed": lambda W, h, x, b: sigmoid(gate_preactivation(W, h, x, b)),
        "forget_gate/tanh-for-σ": hints.gate_tanh_for_sigma(forget_gate),
        "forget_gate/x-before-h": hints.gate_x_before_h(forget_gate),
        "forget_gate/no-bias": hints.gate_no_bias(forget_gate),
        "forget_gate/elementwise-for-matrix-product": hints.gate_elementwise(hints.sigmoid),
        "forget/matrix-product-for-⊙": hints.dot_for_product(forget),
        "forget/one-minus-f": lambda f, C: C - forget(f, C),  # (1 - f_t) ⊙ C_{t-1}: what f_t erases
        "forget_weight_shape/x-only": lambda n, m: (n, m),
        "forget_weight_shape/transposed": lambda n, m: weight_shape(n, m)[::-1],
        "forget_weight_shape/one-row": lambda n, m: (1, weight_shape(n, m)[1]),
    }


HINTS = _hints()
