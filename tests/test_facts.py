"""The numbers in the notebooks' text, and the sentences around them.

Each number a student reads comes from an assignment's facts.py (or a worked example's numbers):
the measured ones from its measured.json, kept data. Where a sentence says something about
a number (bigger, nearly as soon, at chance, never below), a test here checks the sentence's
words against the measurement: the words must still be in the notebook, and still be true.
"""

import re

import nbformat
import numpy as np
import pytest

from assignments.declare import how_shown, right_to_shown_digits
from assignments.gru import facts as gru_facts
from assignments.gru.measure import MEASURED as GRU_MEASURED
from assignments.input_gate import facts as input_facts
from assignments.vanishing_gradients import facts as vanishing_facts
from assignments.vanishing_gradients import measure as vanishing_measure
from assignments.vanishing_gradients.examples import LECTURE_TERMS
from autograder.course import assignment, assignments, examples, facts
from autograder.release.render import PLACEHOLDER, UnknownFact, render_text
from lstm_ref import gru, lstm
from lstm_ref.activations import sigmoid

EXAMPLES, FACTS = examples(), facts()

CHANCE, REMEMBERS = 0.6, 0.9  # test accuracy: at most CHANCE is "at chance", at least REMEMBERS "remembers"


def markdown_cells():
    """{(assignment id, grade_id): source} of every markdown cell of the solution notebooks."""
    cells = {}
    for course_assignment in assignments():
        for path in course_assignment.source_notebooks:
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "markdown":
                    cells[course_assignment.id, cell.metadata["nbgrader"]["grade_id"]] = cell.source
    return cells


CELLS = markdown_cells()


def says(assignment_id, grade_id, *phrases):
    """Assert that the cell still says each phrase (whitespace-insensitive)."""
    text = " ".join(CELLS[assignment_id, grade_id].split())
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, f"{assignment_id}/{grade_id} no longer says {phrase!r}"


def test_every_placeholder_names_a_fact():
    for (assignment_id, grade_id), source in CELLS.items():
        for name in PLACEHOLDER.findall(source):
            assert name in FACTS, f"{assignment_id}/{grade_id}: {{{{ {name} }}}} is no fact"


def test_an_unknown_placeholder_stops_the_release_and_says_which():
    with pytest.raises(UnknownFact, match="no_such_fact"):
        render_text("C_t = {{ no_such_fact }}", "forget_gate/intro")


@pytest.mark.parametrize("name", sorted(FACTS))
def test_each_fact_renders_to_short_text(name):
    text = FACTS[name]()
    assert isinstance(text, str) and text and "{{" not in text and "nan" not in text


def test_typed_measurements_do_not_come_back():
    """A number with three decimals or an exponent in a markdown cell is a measurement: a fact."""
    for (assignment_id, grade_id), source in CELLS.items():
        typed = re.findall(r"\d\.\d{3,}|\d[eE]-?\d", PLACEHOLDER.sub("", source))
        assert not typed, f"{assignment_id}/{grade_id} types {typed}: make it a fact in the assignment's facts.py"


def test_the_example_facts_are_the_examples_numbers():
    assert FACTS["lecture__004_forget_preactivation"]() == "[-6, 175, 133]"
    assert FACTS["input__000_forget_half__C_prev"]() == "[4, 5, 6]"
    assert FACTS["exact__001_cat_was_distance"]() == "14"
    assert FACTS["lecture__001_cat_was_distance"]() == "15"


# ---------------------------------------------------------------- forget_gate


def test_sigma_of_the_lecture_004_preactivation():
    says("forget_gate", "forget_gate_md", "small, but not 0", "numpy returns exactly 1.0 for both")
    exact = EXAMPLES["004-forget-gate"].exact
    assert FACTS["sigma_minus_6"]() == f"{exact[0]:.6f}" and 0 < exact[0] < 0.01
    assert list(exact[1:]) == [1.0, 1.0]  # what float64 gives
    for z in (133, 175):  # and why: 1 - sigma(z) is far below float64's resolution next to 1
        assert 0 < sigmoid(-float(z)) < np.finfo(np.float64).epsneg / 1e40
    assert FACTS["one_minus_sigma_133"]() == "1.7 \\times 10^{-58}"


def test_a_gate_of_a_tenth_keeps_a_tenth():
    says("forget_gate", "percent_md", "it **keeps** 10% and forgets {{ cat_gate_removes }}")
    C_prev = EXAMPLES["000-forget-half"].inputs["C_prev"]
    kept = [float(v) for v in FACTS["cat_gate_keeps"]().strip("[]").split(", ")]
    assert np.allclose(kept, 0.1 * C_prev) and FACTS["cat_gate_removes"]() == "90%"
    assert FACTS["forget_at_dog"]() == "0.7"


# ---------------------------------------------------------------- input_gate


def test_a_sigmoid_candidate_only_adds_but_the_cell_can_shrink():
    says(
        "input_gate",
        "candidate_md",
        "The cell could still shrink, by forgetting",
        "starting from $C_0 = 0$, every $C_t$ would stay positive",
    )
    assert input_facts.sigmoid_candidate_update() < input_facts.SHRINK["C_prev"]  # 5 -> 0.75
    rng = np.random.default_rng(0)  # a sigmoid candidate in a cell that starts at 0: never negative
    C_t = np.zeros(1000)
    for _ in range(50):
        C_t = lstm.cell_update(rng.uniform(0, 1, 1000), C_t, rng.uniform(0, 1, 1000), sigmoid(rng.normal(0, 5, 1000)))
        assert (C_t > 0).all()


def test_float64_rounds_a_sigmoid_to_one_where_the_text_says():
    says(
        "input_gate",
        "gate_range_md2",
        "float64 rounds $\\sigma(z)$ to 1.0 from $z \\approx {{ sigmoid_is_one_from }}$ on",
    )
    z = input_facts.sigmoid_rounds_to_one()
    assert sigmoid(z - 0.05) < 1.0 and sigmoid(z + 0.05) == 1.0


def test_what_is_left_of_cat():
    says("input_gate", "trace_question", "brings it down to {{ cat_left_after_second_the }}")
    trace, period = input_facts.cat_trace()
    assert trace[period + 1] < trace[period] / 5  # "brings it down"
    cat = period - 3  # "cat was hungry ."
    assert FACTS["cat_share_after_period"]() == f"{100 * trace[period] / trace[cat]:.0f}%"


# ---------------------------------------------------------------- output_gate


def test_which_lecture_tanh_is_wrong_to_its_digits():
    says(
        "output_gate",
        "hidden_state_md",
        "is wrong: it is",
        "{{ lecture_004_tanh_shown }}",
        "{{ lecture_004_hidden_shown }}",
    )
    tanh_003, tanh_004, h_004 = (EXAMPLES[k] for k in ("003-tanh", "004-tanh-cell", "004-hidden-state"))
    assert not right_to_shown_digits(tanh_003.stated, tanh_003.exact)
    assert right_to_shown_digits(tanh_004.stated, tanh_004.exact)
    entry_right = [right_to_shown_digits([s], [e]) for s, e in zip(h_004.stated, h_004.exact)]
    assert entry_right == [True, False, True]
    # ... and the words: 0.9999 for tanh(6) and 0.99 for tanh(4) are cuts, not roundings.
    assert how_shown(tanh_004.stated, tanh_004.exact) == ["rounded", "cut", "rounded"]
    assert how_shown(h_004.stated, h_004.exact) == ["rounded", "wrong", "cut"]
    assert FACTS["lecture_004_tanh_shown"]() == (
        "rounds tanh(1) and tanh(4) to the digits it shows and cuts tanh(6) = 0.999988 to 0.9999 (rounded: 1.0000)"
    )
    assert FACTS["lecture_004_hidden_shown"]() == "is wrong in the middle entry and cut in the last"


def test_the_review_table_is_lecture_000s():
    says("output_gate", "lengths_md", "{{ review_table_000 }}")
    table = FACTS["review_table_000"]()
    assert "$X_{34}$" in table and "$X_{14}$" not in table and table.count("\n") == 4


# ---------------------------------------------------------------- gru


def test_where_the_two_reset_conventions_agree():
    """The rule in the text: unit j agrees when every h_{t-1}[k] it reads has r_t[k] = r_t[j] (b_hn = 0)."""
    says("gru", "torch_md", "they agree in {{ gru_units_agreeing }} and differ in {{ gru_units_differing }}")
    example = EXAMPLES["000-gru-candidate"]
    W_h, h_prev, r_t = example.inputs["W_h"], example.inputs["h_prev"], example.inputs["r_t"]
    U_h = W_h[:, : len(h_prev)]
    for j, agrees in enumerate(gru_facts.gru_conventions()):
        read = U_h[j] * h_prev != 0
        assert agrees == bool(np.all(r_t[read] == r_t[j])), f"unit {j + 1}"
    assert FACTS["gru_units_agreeing"]() == "units 2 and 3"


def test_the_gru_has_three_quarters_of_the_parameters():
    says("gru", "table_reading", "The parameter ratio is exactly {{ gru_lstm_parameter_ratio }} at every size")
    for n, m in ((3, 4), (64, 32)):
        gru_count = sum(np.prod(shape) for shape in gru.gru_param_shapes(n, m).values())
        lstm_count = sum(p.size for p in lstm.init_params(n, m, rng=0).values())
        assert gru_count / lstm_count == float(FACTS["gru_lstm_parameter_ratio"]())


def test_lstm_ref_matches_torch_in_its_convention_only():
    says("gru", "torch_parity_md", "(rounding), its lecture convention by {{ gru_lecture_convention_difference }}")
    torch_form, lecture_form = GRU_MEASURED["torch-gru-conventions"].values()
    assert torch_form < 1e-12 and lecture_form > 1e-3


# ---------------------------------------------------------------- vanishing_gradients


def test_the_lecture_004_cell_has_the_forget_gate_it_assumes():
    says("vanishing_gradients", "norms_md", "its $f_t$ averages {{ cell_mean_forget }}")
    assert abs(float(FACTS["cell_mean_forget"]()) - LECTURE_TERMS["B_t"]) < 0.05


def test_the_rnn_plot_reading():
    says(
        "vanishing_gradients",
        "rnn_plot_reading",
        "orders of magnitude below",
        "stops vanishing and wanders",
        "below 1 only at PyTorch's scale",
        "larger weights saturate more units",
        "even at PyTorch's scale",
    )
    curves = vanishing_facts.rnn_gradients()
    default, wide, widest = (curves[scale][0] for scale in vanishing_facts.RNN_SCALES)
    assert np.log10(default[0] / default[19]) > 3
    assert wide.min() > 1 and widest.max() > 100 and widest[widest.argmax() :].min() < 1  # wanders
    radii = [vanishing_facts.spectral_radius(curves[scale][1]) for scale in vanishing_facts.RNN_SCALES]
    assert radii[0] < 1 < radii[1] < radii[2]
    saturation = [float((1 - curves[scale][2] ** 2).mean()) for scale in vanishing_facts.RNN_SCALES]
    assert saturation == sorted(saturation, reverse=True)
    assert np.linalg.norm(curves[0.25][1], 2) > 1


def test_the_autograd_reading():
    says(
        "vanishing_gradients",
        "autograd_reading",
        "nearly as soon",
        "it lasts until lag",
        "it stays above $10^{-6}$ at every lag measured",
        "close to the LSTM with the default $b_f$",
        "Every one decays",
    )
    rnn, lstm_default = vanishing_facts.lag_below("RNN"), vanishing_facts.lag_below("LSTM")
    assert rnn < lstm_default <= 1.5 * rnn  # nearly as soon
    assert vanishing_facts.lag_below("LSTM b_f=1") > lstm_default
    assert vanishing_facts.lag_below("LSTM b_f=3") is None
    assert abs(vanishing_facts.lag_below("GRU") - lstm_default) <= 0.25 * lstm_default  # close to
    assert all(vanishing_facts.factor_per_step(run) < 1 for run in vanishing_measure.GRADIENT_RUNS)  # every one decays
    means = vanishing_measure.MEASURED["initial-forget-gates"]  # "at first its f_t averages ...", "about half"
    assert 0.45 < means["LSTM"] < 0.55 and means["LSTM"] < means["LSTM b_f=1"] < means["LSTM b_f=3"]


def test_the_input_gate_intro_on_the_gradient():
    says(
        "input_gate",
        "intro",
        "falls below $10^{-6}$ within {{ lstm_default_lag_below_1e6 }} steps, nearly as soon "
        "as a plain RNN's ({{ rnn_lag_below_1e6 }})",
    )
    assert (
        vanishing_facts.lag_below("RNN") < vanishing_facts.lag_below("LSTM") <= 1.5 * vanishing_facts.lag_below("RNN")
    )


def test_the_memory_reading():
    says(
        "vanishing_gradients",
        "memory_reading",
        "every network remembers the bit over 10 steps",
        "At 20 steps the RNN is at chance",
        "and so is the LSTM with PyTorch's default",
        "remember 20 steps",
        "is back at chance",
        "the same RNN remembers 50 steps",
        "is still at chance at 20 steps",
    )
    memory = vanishing_facts.memory
    assert all(memory(run, 10) >= REMEMBERS for run in vanishing_measure.MEMORY_RUNS)
    assert memory("RNN", 20) <= CHANCE and memory("LSTM", 20) <= CHANCE
    assert memory("LSTM b_f=3", 20) >= REMEMBERS and memory("GRU", 20) >= REMEMBERS
    assert memory("LSTM b_f=3", 50) <= CHANCE and memory("LSTM b_f=3", 100) <= CHANCE
    assert (
        memory("RNN", 50, vanishing_measure.LONG) >= REMEMBERS and memory("LSTM", 20, vanishing_measure.LONG) <= CHANCE
    )


@pytest.mark.parametrize("assignment_id", [a.id for a in assignments()])
def test_every_notebook_renders(assignment_id):
    from autograder.release.render import render_facts

    for path in assignment(assignment_id).source_notebooks:
        rendered = render_facts(nbformat.read(path, as_version=4), assignment_id)
        assert not any(PLACEHOLDER.search(cell.source) for cell in rendered.cells if cell.cell_type == "markdown")
