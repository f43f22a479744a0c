"""What the input-gate texts claim, each with the computation that proves it (see
assignments/forget_gate/claims.py for the layout, tests/test_claims.py for how they run)."""

import numpy as np

from assignments.declare import Claims, how_shown
from assignments.evidence import (
    cell_source,
    every_exercise_is_checked_on,
    example,
    the_tests_expect_the_right_numbers,
    visible_checks,
)
from assignments.lectures import FORGET_001, GATE_TABLE, INPUT_001, SENTENCE_001, lecture_says
from lstm_ref import lstm
from lstm_ref.activations import sigmoid

from . import facts

CLAIMS = Claims()
A = "input_gate"


def _gradients():
    from assignments.vanishing_gradients import facts as vanishing

    return vanishing


# -- the notebook ------------------------------------------------------------------------------

CLAIMS.lecture("intro", "lecture 001's pen, how hard to write.", {"001": ["Input Gate (Pen)"]})


@CLAIMS("intro", "It can be negative, so writing can also lower a unit's memory.", "cause")
def a_negative_candidate_lowers_the_cell():
    assert lstm.cell_update(1.0, 2.0, 0.5, np.tanh(-1.0)) < 2.0


CLAIMS.lecture(
    "intro",
    'Lecture 001: "LSTM uses addition (cell state) instead of multiplication (RNN hidden state)".',
    {"001": ["LSTM uses addition (cell state) instead of multiplication (RNN hidden state)"]},
)


@CLAIMS("intro", "nearly as soon as a plain RNN's ({{ rnn_lag_below_1e6 }}).", "comparison")
def lstm_gradient_vanishes_nearly_as_soon():
    vanishing = _gradients()
    assert vanishing.lag_below("RNN") < vanishing.lag_below("LSTM") <= 1.5 * vanishing.lag_below("RNN")


@CLAIMS("intro", "What keeps it alive is $f_t$ close to 1.", "cause")
def a_forget_gate_near_one_keeps_the_gradient():
    """Measured: only the forget bias differs between the runs; the closer f_t is to 1, the longer it lasts."""
    vanishing = _gradients()
    from assignments.vanishing_gradients.measure import MEASURED

    forget = MEASURED["initial-forget-gates"]
    assert forget["LSTM"] < forget["LSTM b_f=1"] < forget["LSTM b_f=3"] and forget["LSTM b_f=3"] > 0.9
    assert vanishing.lag_below("LSTM") < vanishing.lag_below("LSTM b_f=1") and vanishing.lag_below("LSTM b_f=3") is None


@CLAIMS(
    "intro", "Visible tests use the lectures' numbers, values you can check by hand, or a few random cases", "lecture"
)
def visible_tests_of_the_input_gate():
    every_exercise_is_checked_on(A, "random", ["input_gate", "candidate"])
    every_exercise_is_checked_on(A, "example", ["cell_update", "memory_trace"])
    assert "np.allclose(half_open, 0.5)" in cell_source(A, "input_gate_visible")


@CLAIMS(
    "intro", "Where a lecture's number is wrong, the tests expect the right one, and the notebook says why.", "lecture"
)
def tests_expect_right_numbers():
    the_tests_expect_the_right_numbers(A)


@CLAIMS("sigmoid_md", "the cell after it checks it on lecture 004's numbers", "lecture")
def sigmoid_checked_on_lecture_004():
    assert "004-sigmoid" in [c.key for c in visible_checks(A) if c.name == "sigmoid"]


@CLAIMS("sliders_md", "The panel starts at lecture 004's cell update.", "lecture")
def panel_starts_at_004():
    from student_kit.widgets.views import LECTURE_PRESETS

    assert 'gate_panel(preset="004")' in cell_source(A, "gate_panel_demo")
    assert "004-cell-update-sigmoid" in LECTURE_PRESETS["004"]


@CLAIMS("stepper_md", "Lecture 001's sentence, word by word, with the lecture's own gate values", "lecture")
def stepper_uses_the_table():
    for row in GATE_TABLE:
        assert lecture_says("001", f"({row.f_t:g})") and lecture_says("001", f"({row.i_t:g})")


CLAIMS.not_a_claim("stepper_md", "Section 4 asks you to trace it exactly.", "points to a section")


@CLAIMS("input_gate_md", "every unit is $\\sigma(0) = 0.5$, half open) and three random cases.", "number")
def input_gate_visible_test():
    assert sigmoid(0.0) == 0.5
    assert [c.trials for c in visible_checks(A) if c.name == "input_gate" and c.kind == "random"] == [3]


@CLAIMS("input_gate_visible#", "i_t = sigma(0) = 0.5 in every unit", "number")
def half_open():
    assert sigmoid(0.0) == 0.5


@CLAIMS("candidate_visible#", "C~_t = tanh(0) = 0", "number")
def tanh_of_zero():
    assert np.tanh(0.0) == 0.0


@CLAIMS("candidate_md", "With a sigmoid in its place, writing could only add.", "comparison")
def a_sigmoid_candidate_only_adds():
    z = np.linspace(-20, 20, 401)
    assert np.all(sigmoid(0.5) * sigmoid(z) > 0)  # i_t * sigma(...) > 0: never lowers the cell


CLAIMS.lecture(
    "gate_range_md",
    "Lecture 003 shows the pointwise product $\\otimes$ with an $F_t$ whose entries go above 1:",
    {"003": ["F_t = [1, 2, 3]", "C_t \\otimes f_t = [4, 10, 18]"]},
)


@CLAIMS(
    "gate_range_md2",
    "lies strictly between 0 and 1 for every $z$: no weights make it 2 or 3, or even exactly 1.",
    "comparison",
)
def sigma_is_strictly_inside():
    z = np.linspace(-36, 36, 721)  # beyond, float64 rounds (the next sentence)
    assert np.all((sigmoid(z) > 0) & (sigmoid(z) < 1))


@CLAIMS(
    "gate_range_md2", "float64 rounds $\\sigma(z)$ to 1.0 from $z \\approx {{ sigmoid_is_one_from }}$ on.", "rounding"
)
def float64_rounds_from():
    z = facts.sigmoid_rounds_to_one()
    assert sigmoid(z - 0.05) < 1.0 and sigmoid(z + 0.05) == 1.0


@CLAIMS("gate_range_md2", "So a forget gate can only shrink a unit's memory towards 0, never grow it.", "comparison")
def forgetting_only_shrinks():
    rng = np.random.default_rng(0)
    C, f = rng.normal(scale=5, size=1000), sigmoid(rng.normal(scale=5, size=1000))
    assert np.all(np.abs(lstm.forget(f, C)) <= np.abs(C))


@CLAIMS("gate_range_md2", "between the dashed lines at 0 and 1, the candidate ($\\tanh$) between -1 and 1.", "number")
def the_figure_draws_the_bands():
    source = cell_source(A, "gate_range_plot")
    assert "for level in (-1, 0, 1):" in source and 'linestyle="--"' in source
    assert np.all(np.abs(np.tanh(np.linspace(-6, 6, 241))) < 1)


@CLAIMS("cell_update_md", "unit $k$ of $C_t$ only ever sees unit $k$ of the gates.", "comparison")
def unit_k_sees_unit_k():
    rng = np.random.default_rng(1)
    f, C, i, c = (rng.normal(size=4) for _ in range(4))
    changed = f.copy()
    changed[0] += 1.0
    assert np.array_equal(lstm.cell_update(f, C, i, c)[1:], lstm.cell_update(changed, C, i, c)[1:])


@CLAIMS(
    "cell_update_md", "Lecture 004's $C_t$ slide updates $C_{t-1} = {{ input__004_cell_update__C_prev }}$", "lecture"
)
def lecture_004_c_slide():
    assert lecture_says(
        "004",
        "C_t = \\begin{bmatrix} 0 \\\\ 1 \\\\ 1 \\end{bmatrix} * \\begin{bmatrix} 5 \\\\ 5 \\\\ 5 \\end{bmatrix} + "
        "\\begin{bmatrix} 1 \\\\ 1 \\\\ 1 \\end{bmatrix} * \\begin{bmatrix} 1 \\\\ 1 \\\\ -1 \\end{bmatrix} = "
        "\\begin{bmatrix} 1 \\\\ 6 \\\\ 4 \\end{bmatrix}",
    )
    entry = example("004-cell-update")
    assert np.array_equal(entry.exact, entry.stated)  # "right for those values"


@CLAIMS("cell_update_md", "and the lecture's numbers are right to whole numbers:", "rounding")
def cell_update_rounds():
    entry = example("004-cell-update-sigmoid")
    assert how_shown(entry.stated, entry.exact) == ["rounded"] * 3


@CLAIMS("trace_md", "lecture 001's sentence", "lecture")
def the_sentence_is_lecture_001s():
    assert lecture_says("001", 'Sentence: "The cat was hungry. The dog was sleeping."')


CLAIMS.lecture(
    "trace_md",
    'Lecture 001 walks an LSTM through "The cat was hungry.',
    {"001": ["Example: Processing a Sentence", "Word Forget Gate Input Gate Output Gate Cell State"]},
)


@CLAIMS("trace_table#", "the lecture's table, as the course stores it", "lecture")
def the_table_is_the_lectures():
    stepper_uses_the_table()
    assert len(FORGET_001) == len(INPUT_001) == 8


@CLAIMS("trace_md2", "`written_at` is the step $s$ (counting from 0).", "number")
def steps_count_from_zero():
    entry = example("001-cat-trace")
    assert entry.inputs["written_at"] == SENTENCE_001.index("cat") == 1 and entry.exact[0] == 0


@CLAIMS("memory_trace#", "of C~ = 1 written at step written_at", "number")
def the_trace_writes_one():
    entry = example("001-cat-trace")
    assert entry.exact[1] == INPUT_001[1] * 1.0  # i_s times C~ = 1


@CLAIMS("trace_plot#", "fraction of C~ = 1 still in C_t (no unit)", "number")
def the_plot_label():
    the_trace_writes_one()


@CLAIMS("trace_plot#", 'What is left in the cell of what was written at "cat" (lecture 001\'s gates)', "lecture")
def the_plot_uses_the_table():
    the_table_is_the_lectures()


CLAIMS.lecture(
    "trace_plot_md",
    'its checkpoint says the cell forgets "cat" at the full stop.',
    {"001": ['Checkpoint: Understanding Q: Why forget "cat" when seeing "."?']},
)


@CLAIMS("trace_question", "**The lecture's table against its own numbers.**", "lecture")
def the_table_disagrees():
    trace, period = facts.cat_trace()
    assert trace[period] > 0.15 and trace[period + 1] < trace[period] / 5


# -- could_be_gate: lecture 003's F_t = [1, 2, 3], graded ----------------------------------------


@CLAIMS("could_be_gate_md", "on three random arrays, each with an exact 0 and an exact 1 in it:", "number")
def could_be_gate_visible_test():
    """The example is lecture 003's F_t; the three random cases each hold an exact 0 and 1 (and
    numbers below 0 and above 1), whatever the seed."""
    from .exercises import gate_candidates

    checks = [c for c in visible_checks(A) if c.name == "could_be_gate"]
    assert [c.key for c in checks if c.kind == "example"] == ["003-forget-gate-1-2-3"]
    assert [c.trials for c in checks if c.kind == "random"] == [3]
    assert lecture_says("003", "F_t = [1, 2, 3]") and example("003-forget-gate-1-2-3").inputs["values"].tolist() == [
        1,
        2,
        3,
    ]
    rng = np.random.default_rng(0)
    for _ in range(100):
        (values,) = gate_candidates(rng)
        assert 0.0 in values and 1.0 in values and (values < 0).any() and (values > 1).any()


@CLAIMS("could_be_gate_hidden#", "Hidden tests: could_be_gate on random numbers, some exactly 0 or 1.", "number")
def could_be_gate_hidden_test():
    from assignments.evidence import hidden_checks

    assert [c.kind for c in hidden_checks(A) if c.name == "could_be_gate"] == ["random"]
    could_be_gate_visible_test()


# -- the worked examples' errata and notes -----------------------------------------------------


@CLAIMS("erratum:001-cat-trace", 'But its own forget value at "." is 0.3 ("Reduce old")', "lecture")
def the_table_at_the_full_stop():
    assert lecture_says("001", '"." Reduce old (0.3) New sentence (0.4)')
    trace, period = facts.cat_trace()
    assert FORGET_001[period] == 0.3 and INPUT_001[1] == 0.9 and round(trace[period], 4) == 0.1944
    assert f"{trace[period] / trace[1]:.0%}" == "22%"


@CLAIMS("erratum:001-cat-trace", 'Only the next "The" (0.1, "Clear old") brings it down to 0.0194.', "lecture")
def the_next_the_clears():
    assert lecture_says("001", '"The" Clear old (0.1) New article (0.8)')
    trace, period = facts.cat_trace()
    assert round(trace[period + 1], 4) == 0.0194 and all(trace[1 : period + 1] >= trace[period])


@CLAIMS(
    "erratum:001-cat-trace",
    'The forget-gate slide puts the 10% for "cat" at "dog", where the table says 0.7.',
    "lecture",
)
def the_slide_and_the_table_disagree():
    assert lecture_says("001", 'x_t : Current word ("dog")') and lecture_says("001", '"cat" info 10% Forget!')
    assert FORGET_001[SENTENCE_001.index("dog")] == 0.7


@CLAIMS("note:004-cell-update-sigmoid", "Right to whole numbers.", "rounding")
def note_cell_update_rounds():
    cell_update_rounds()


@CLAIMS("note:004-cell-update-sigmoid", "that unit keeps 5 x 0.0024726 = 0.012363 of the old 5", "number")
def the_first_unit_keeps():
    """The product as shown holds too (5 x 0.002473 would be 0.012365): tests/test_claims.py checks every a x b = c."""
    assert round(5 * sigmoid(-6.0), 6) == 0.012363 and round(sigmoid(-6.0), 7) == 0.0024726
    assert np.allclose(example("004-cell-update-sigmoid").exact, [1.0123631, 6, 4], atol=1e-6)


@CLAIMS("note:004-cell-update-sigmoid", "are values a sigmoid and a tanh approach but never reach", "comparison")
def gates_never_reach_one():
    z = np.linspace(-30, 30, 601)
    assert np.all(1 / (1 + np.exp(-z)) < 1 + 1e-15) and np.all(np.abs(np.tanh(z[np.abs(z) < 19])) < 1)


CLAIMS.lecture(
    "erratum:002-step3-candidate",
    "Lecture 002's text for step 3 adds i(t) * c(t), the new cell state itself",
    {"002": ["Then we add \\mathbf{i}(t) * \\mathbf{c}(t)", "c_t = f_t * c_{t-1} + i_t * \\tilde{c}_t"]},
)
CLAIMS.lecture(
    "erratum:004-candidate-sigma",
    "Lecture 004 writes the candidate state as s~_t = σ(W h_{t-1} + U x_t + b), twice.",
    {"004": ["\\tilde{s}_t = \\sigma(W h_{t-1} + U x_t + b)", "\\tilde{s}_k = \\sigma(W h_{k-1} + U x_k + b)"]},
)


@CLAIMS("erratum:004-candidate-sigma", "A sigmoid only adds, in (0, 1).", "comparison")
def a_sigmoid_only_adds():
    a_sigmoid_candidate_only_adds()


@CLAIMS("erratum:003-forget-gate-1-2-3", "Lecture 003 multiplies C_t = [4, 5, 6] by F_t = [1, 2, 3]", "lecture")
def lecture_003_multiplies_by_F():
    """The slide lists f_t as the forget gate, and multiplies C_t = [4, 5, 6] by F_t = [1, 2, 3]."""
    for phrase in ("Forget gate: f_t", "C_t = [4, 5, 6]", "F_t = [1, 2, 3]", "C_t \\otimes f_t = [4, 10, 18]"):
        assert lecture_says("003", phrase), phrase
    assert lstm.forget(np.array([1.0, 2, 3]), np.array([4.0, 5, 6])).tolist() == [4, 10, 18]
    assert example("003-forget-gate-1-2-3").exact.tolist() == [False, False, False]


@CLAIMS("erratum:003-forget-gate-1-2-3", "and 0 < σ(z) < 1 for every z: no weights make it 1, 2 or 3.", "comparison")
def no_weights_make_a_gate_one():
    """For every real z, 1 - σ(z) = 1 / (1 + e^z) and σ(z) = 1 / (1 + e^-z) are positive: their logs,
    -log(1 + e^(±z)), are finite for any float z (float64 itself rounds σ(z) to 1.0 from z ≈ 36.7,
    which the notebook's section on the gate's range says)."""
    z = np.concatenate([np.linspace(-700, 700, 2801), [-1e300, 1e300]])
    assert np.all(np.isfinite(-np.logaddexp(0, z))) and np.all(np.isfinite(-np.logaddexp(0, -z)))
    sigma_is_strictly_inside()


@CLAIMS("erratum:003-forget-gate-1-2-3", "2 of the 3 entries of C_t grow and 1 stays as it was;", "number")
def two_grow_one_stays():
    C, F = np.array([4.0, 5, 6]), np.array([1.0, 2, 3])
    product = lstm.forget(F, C)
    assert (product > C).sum() == 2 and (product == C).sum() == 1


@CLAIMS(
    "erratum:003-forget-gate-1-2-3",
    "a forget gate keeps a part of each entry, and under it no entry grows.",
    "comparison",
)
def a_gate_keeps_a_part():
    forgetting_only_shrinks()
    rng = np.random.default_rng(3)
    C, f = rng.normal(scale=5, size=1000), sigmoid(rng.normal(scale=3, size=1000))
    kept = lstm.forget(f, C)
    assert np.all(np.sign(kept) == np.sign(C)) and np.all(np.abs(kept) < np.abs(C))


# -- the hints and objectives that name a lecture ----------------------------------------------


@CLAIMS("hint:cell_update/terms-multiplied", "(lecture 000's ⊕ is an elementwise sum)", "lecture")
def oplus_is_a_sum():
    assert lecture_says("000", "C_t = f_t \\otimes C_{t-1} \\oplus i_t \\otimes \\tilde{C}_t")


@CLAIMS("objective", "and why lecture 003's forget gate [1, 2, 3] cannot exist", "lecture")
def objective_gate_above_one():
    assert lecture_says("003", "F_t = [1, 2, 3]")
    sigma_is_strictly_inside()


@CLAIMS("objective", "(lecture 001's gate table), and where the table's story disagrees with its numbers", "lecture")
def objective_trace():
    assert example("001-cat-trace").erratum
    the_table_disagrees()


@CLAIMS("hint:could_be_gate/closed-interval", "(lecture 004's 0 and 1 are roundings)", "lecture")
def lecture_004_zeros_and_ones_are_roundings():
    """Lecture 004's forget gate [0, 1, 1] is σ([-6, 175, 133]) printed rounded to whole numbers:
    none of the values σ gives is 0 or 1 (float64 itself rounds σ(175) to 1.0)."""
    entry = example("004-forget-gate")
    assert np.ravel(entry.stated).tolist() == [0, 1, 1] and how_shown(entry.stated, entry.exact) == ["rounded"] * 3
    f_t = sigmoid(np.array([-6.0, 175.0, 133.0]))
    assert f_t[0] > 0 and np.all(np.round(f_t) == [0, 1, 1])
    assert lecture_says("004", "\\begin{bmatrix} -6 \\\\ 175 \\\\ 133 \\end{bmatrix}")


@CLAIMS("hint:could_be_gate/no-upper-bound", "as lecture 003's F_t = [1, 2, 3] does", "lecture")
def lecture_003_gate_reaches_one():
    assert lecture_says("003", "F_t = [1, 2, 3]") and lecture_says("003", "Forget gate: f_t")


# -- the hints, as formulas of the right functions ----------------------------------------------


def _hints():
    from assignments import hints
    from lstm_ref import candidate, cell_update, input_gate
    from lstm_ref.sequences import memory_trace

    from .exercises import could_be_gate

    return {
        "input_gate/tanh-for-σ": hints.gate_tanh_for_sigma(input_gate),
        "input_gate/x-before-h": hints.gate_x_before_h(input_gate),
        "input_gate/no-bias": hints.gate_no_bias(input_gate),
        "input_gate/elementwise-for-matrix-product": hints.gate_elementwise(hints.sigmoid),
        "candidate/σ-for-tanh": hints.candidate_sigma_for_tanh(candidate),
        "candidate/x-before-h": hints.gate_x_before_h(candidate),
        "candidate/no-bias": hints.gate_no_bias(candidate),
        "candidate/elementwise-for-matrix-product": hints.gate_elementwise(np.tanh),
        # "you wrote np.tan, the tangent": tan of the candidate's pre-activation
        "candidate/tan-for-tanh": lambda W, h, x, b: np.tan(hints.preactivation(W, h, x, b)),
        # "the test is 0 < value < 1, not 0 <= value <= 1": the right answer, and 0 and 1 as well
        "could_be_gate/closed-interval": lambda v: could_be_gate(v) | (v == 0) | (v == 1),
        # "(-1, 1) is the range of tanh": the right test on (-1, 1), i.e. on (v + 1) / 2
        "could_be_gate/tanh-range": lambda v: could_be_gate((v + 1) / 2),
        # "a gate cannot reach 1 or exceed it": the right answer, and everything from 1 up as well
        "could_be_gate/no-upper-bound": lambda v: could_be_gate(v) | (v >= 1),
        # "a gate cannot be 0 or negative": the right answer, and everything up to 0 as well
        "could_be_gate/no-lower-bound": lambda v: could_be_gate(v) | (v <= 0),
        # "which add everything up into one number": each product summed
        "cell_update/matrix-product-for-⊙": lambda f, C, i, c: np.sum(f * C) + np.sum(i * c),
        "cell_update/forget-applied-to-candidate": lambda f, C, i, c: cell_update(f, c, i, C),
        "cell_update/terms-multiplied": lambda f, C, i, c: cell_update(f, C, 0 * i, c) * cell_update(0 * f, C, i, c),
        "cell_update/no-forget-gate": lambda f, C, i, c: cell_update(np.ones_like(f), C, i, c),
        # "what is written at step s is first forgotten at step s + 1": the mistake also applies f_s
        "memory_trace/forget-at-write-step": lambda f, i, s: memory_trace(f, i, s) * f[s],
        # "you wrote all of C~_s = 1": the trace without the input gate's i_s
        "memory_trace/no-input-gate": lambda f, i, s: memory_trace(f, i, s) / i[s],
    }


HINTS = _hints()
