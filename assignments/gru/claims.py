"""What the GRU texts claim, each with the computation that proves it (see
assignments/forget_gate/claims.py for the layout, tests/test_claims.py for how they run)."""

import numpy as np

from assignments.declare import Claims
from assignments.evidence import cell_source, example, visible_checks
from assignments.lectures import lecture_says, lecture_text
from lstm_ref import gru, lstm

from . import facts
from .measure import MEASURED

CLAIMS = Claims()
A = "gru"

# -- the notebook ------------------------------------------------------------------------------


@CLAIMS("intro", "it has no cell state, only the hidden state $h_t$, and two gates instead of three.", "lecture")
def gru_has_two_gates_and_no_cell():
    assert lecture_says("000", "Gates 3 (Input, forget, output) 2 (update, reset)")
    assert lecture_says("000", "No separate cell state.") and lecture_says("000", "Proposed by: Cho et al., 2014")
    assert set(gru.gru_param_shapes(3, 4)) == {"W_z", "b_z", "W_r", "b_r", "W_h", "b_h"}


@CLAIMS("intro", "$z_t$ near 1 keeps the old state (like $f_t = 1$ in an LSTM); $z_t$ near 0 replaces it", "comparison")
def z_near_one_keeps():
    h, h_tilde = np.array([0.7]), np.array([-0.4])
    assert np.allclose(gru.gru_hidden_state(np.array([1.0]), h, h_tilde), h)
    assert np.allclose(gru.gru_hidden_state(np.array([0.0]), h, h_tilde), h_tilde)


@CLAIMS("intro", "Lecture 000's figure with the $r_t$ equation is lost; the equation above is Cho et al.'s", "lecture")
def the_reset_equation_is_lost():
    text = lecture_text("000")
    assert "Reset Gate" in text and "r_t =" not in text and "r_t \\otimes h_{t-1}" in text
    assert lecture_says("000", 'Cho et al. (2014). "Learning Phrase Representations with RNN Encoder-Decoder."')


@CLAIMS(
    "intro", "Lecture 000 prints the equations but no numbers, so the visible tests use the course's numbers", "lecture"
)
def the_gru_examples_are_the_courses():
    keys = [c.key for c in visible_checks(A) if c.kind == "example" and c.name != "sigmoid"]
    assert keys and all(example(key).stated is None and example(key).lecture == "000" for key in keys)
    h_prev, x_t, _ = facts.lecture_setting()
    assert (len(h_prev), len(x_t)) == (3, 4)
    assert lecture_says("000", "(4-dim vector) Eg. Number of units: 3")


@CLAIMS("sliders_md", "$z_t$ near 1 keeps $h_{t-1}$; near 0 it takes the candidate $\\tilde{h}_t$.", "comparison")
def slider_z():
    z_near_one_keeps()


@CLAIMS("sliders_md", "$r_t$ near 0 makes the candidate ignore $h_{t-1}$.", "comparison")
def r_near_zero_ignores_h():
    rng = np.random.default_rng(0)
    W, x, b = rng.normal(size=(3, 7)), rng.normal(size=4), rng.normal(size=3)
    zero = np.zeros(3)
    assert np.allclose(
        gru.gru_candidate(W, rng.normal(size=3), x, b, zero), gru.gru_candidate(W, rng.normal(size=3), x, b, zero)
    )


@CLAIMS("candidate_md", "The candidate $\\tilde{h}_t$ (the lecture's reset convention)", "lecture")
def the_lectures_candidate():
    assert lecture_says("000", "\\tilde{h}_t = \\tanh(W_h[r_t \\otimes h_{t-1}, X_t] + b_h)")


@CLAIMS("candidate_md", "Where $r_t \\approx 0$ the candidate ignores the past and reads only $x_t$.", "comparison")
def candidate_reads_only_x():
    r_near_zero_ignores_h()


@CLAIMS("candidate_md", "The tests expect the lecture's form.)", "lecture")
def tests_expect_lecture_form():
    from .exercises import gru_candidate

    entry = example("000-gru-candidate")
    assert np.allclose(gru_candidate(*entry.inputs.values()), entry.exact)
    assert not np.allclose(entry.exact, example("000-gru-candidate-torch").exact)


CLAIMS.lecture(
    "hidden_state_md",
    "Lecture 000 builds it in three steps:",
    {"000": ["1. z_t \\otimes h_{t-1} 2. 1 - z_t 3. (1-z_t)\\otimes \\tilde{h}_t"]},
)


@CLAIMS("gru_cell#", "One GRU step (lecture 000).", "lecture")
def one_gru_step_is_lecture_000s():
    assert lecture_says("000", "h_t = (1 - z_t) \\otimes \\tilde{h}_t + z_t \\otimes h_{t-1}")


@CLAIMS("torch_md", "Two reset conventions, and why `torch.nn.GRU` differs from the lecture", "lecture")
def two_conventions_differ():
    tests_expect_lecture_form()


@CLAIMS(
    "torch_md", "PyTorch's form computes $W_{hh} h_{t-1}$ without $r_t$, so it can share one matrix product", "cause"
)
def torch_shares_the_product():
    """In PyTorch's form the h-part of every block reads h_{t-1} itself: one product (3n x n) @ h
    gives all three; in the lecture's the candidate's reads r_t * h_{t-1}, known only after r_t."""
    rng = np.random.default_rng(0)
    n, m = 3, 4
    p = {f"W_{g}": rng.normal(size=(n, n + m)) for g in "zrh"} | {f"b_{g}": rng.normal(size=n) for g in "zrh"}
    h, x = rng.normal(size=n), rng.normal(size=m)
    shared = np.concatenate([p[f"W_{g}"][:, :n] for g in "zrh"]) @ h  # one product for the three blocks
    r = gru.reset_gate(p["W_r"], h, x, p["b_r"])
    torch_form = np.tanh(r * shared[2 * n :] + p["W_h"][:, n:] @ x + p["b_h"])
    assert np.allclose(torch_form, gru.gru_candidate(p["W_h"], h, x, p["b_h"], r, convention="torch"))


@CLAIMS(
    "torch_md",
    "In unit $j$, the lecture scales each $h_{t-1}[k]$ by its own $r_t[k]$, then sums over $k$.",
    "comparison",
)
def where_the_conventions_agree():
    entry = example("000-gru-candidate")
    W_h, h_prev, r_t = entry.inputs["W_h"], entry.inputs["h_prev"], entry.inputs["r_t"]
    U = W_h[:, : len(h_prev)]
    for j, agrees in enumerate(facts.gru_conventions()):
        read = U[j] * h_prev != 0
        assert agrees == bool(np.all(r_t[read] == r_t[j])), f"unit {j + 1}"


@CLAIMS("torch_md", "So unit $j$ agrees when $b_{hn}[j] = 0$ and every $h_{t-1}[k]$ that the unit reads", "comparison")
def the_rule():
    where_the_conventions_agree()
    rng = np.random.default_rng(1)
    W, h, x, b = rng.normal(size=(3, 7)), rng.normal(size=3), rng.normal(size=4), rng.normal(size=3)
    ones = np.ones(3)
    assert np.allclose(gru.gru_candidate(W, h, x, b, ones), gru.gru_candidate(W, h, x, b, ones, convention="torch"))
    diagonal = W.copy()
    diagonal[:, :3] = np.diag(np.diag(W[:, :3]))  # each unit reads only its own h_{t-1}[j]
    r = rng.uniform(size=3)
    assert np.allclose(
        gru.gru_candidate(diagonal, h, x, b, r), gru.gru_candidate(diagonal, h, x, b, r, convention="torch")
    )


@CLAIMS("torch_parity_md", "its PyTorch convention differs from `torch.nn.GRU` by less than", "comparison")
def torch_parity():
    measured = MEASURED["torch-gru-conventions"]
    assert measured["torch_convention"] < 1e-12 and measured["lecture_convention"] > 1e-3
    exponent = int(facts.gru_torch_convention_difference().strip("10^{}"))
    assert measured["torch_convention"] <= 10.0**exponent


@CLAIMS("torch_parity#", "largest difference from torch.nn.GRU after 5 steps:", "number")
def five_steps():
    from .measure import torch_gru_conventions

    assert "for t in range(5):" in _source(torch_gru_conventions)


def _source(function):
    import inspect

    return inspect.getsource(function)


@CLAIMS("table_md", "Lecture 000's GRU-vs-LSTM table, measured", "lecture")
def lecture_000_table():
    assert lecture_says("000", "GRU vs LSTM Feature LSTM GRU")


CLAIMS.lecture(
    "table_md",
    "Lecture 000 says the GRU has 2 gates to the LSTM's 3, no cell state, lower complexity and a shorter",
    {
        "000": [
            "Gates 3 (Input, forget, output) 2 (update, reset)",
            "Cell state Yes No",
            "Complexity Higher Lower",
            "Training Time Longer Shorter",
        ]
    },
)


@CLAIMS(
    "table_md", "the LSTM has 4 blocks ($f_t, i_t, \\tilde{C}_t, o_t$), the GRU 3 ($z_t, r_t, \\tilde{h}_t$).", "number"
)
def four_blocks_and_three():
    assert len(lstm.init_params(3, 4, rng=0)) == 2 * 4 and len(gru.gru_param_shapes(3, 4)) == 2 * 3


@CLAIMS("table_md", "PyTorch stores two biases per block, so its counts are $4(nm + n^2 + 2n)$", "number")
def torch_counts():
    for row in MEASURED["gru-lstm-table"]:
        n, m = row["n"], row["m"]
        assert row["lstm_params"] == 4 * (n * m + n * n + 2 * n) and row["gru_params"] == 3 * (n * m + n * n + 2 * n)


@CLAIMS("table_md", "(batch of 32, 200 steps, best of 5, no gradient, one CPU thread):", "number")
def how_the_time_was_taken():
    import inspect

    from student_kit import experiments

    signature = inspect.signature(experiments.seconds_per_step).parameters
    assert (signature["batch"].default, signature["steps"].default, signature["repeats"].default) == (32, 200, 5)
    assert "torch.no_grad()" in _source(experiments.seconds_per_step)
    assert inspect.signature(experiments._torch).parameters["threads"].default == 1


@CLAIMS(
    "table_reading",
    "The parameter ratio is exactly {{ gru_lstm_parameter_ratio }} at every size, as the block count says.",
    "number",
)
def ratio_is_exact():
    assert all(row["gru_params"] * 4 == row["lstm_params"] * 3 for row in MEASURED["gru-lstm-table"])
    assert facts.gru_lstm_parameter_ratio() == "0.75"


@CLAIMS("table_reading", "The time per step is another matter: {{ gru_lstm_time_reading }}", "comparison")
def time_reading_follows_the_data():
    """The words are rendered from measured.json (facts.py): which one was faster is the data's."""
    ratios = facts.time_ratios()
    text = facts.gru_lstm_time_reading()
    assert ("took longer" in text) == all(r > 1 for r in ratios)
    assert ("less time" in text) == all(r < 1 for r in ratios)


@CLAIMS("table_reading", "so 3 blocks of arithmetic against 4 need not make the GRU's time", "comparison")
def the_time_ratio_is_not_the_block_ratio():
    assert any(abs(r - 0.75) > 0.1 for r in facts.time_ratios())


@CLAIMS("table_reading", 'Lecture 000\'s table says "Lower" complexity, and the', "lecture")
def lower_complexity():
    assert lecture_says("000", "Complexity Higher Lower")
    ratio_is_exact()


@CLAIMS("table_reading", 'Its "Shorter" training time {{ gru_training_time_verdict }}', "lecture")
def shorter_training_time():
    assert lecture_says("000", "Training Time Longer Shorter")
    verdict = facts.gru_training_time_verdict()
    assert ("not what this measurement shows" in verdict) == all(r > 1 for r in facts.time_ratios())


@CLAIMS("errata_md", "The cell below lists every erratum of lecture 000, the lecture this assignment uses", "lecture")
def gru_uses_lecture_000():
    from autograder.course import assignment

    assert assignment(A).lectures == ("000",) and "show_errata()" in cell_source(A, "errata")


# -- gru_param_count: lecture 000's table, counted like the LSTM's ----------------------------------


def _assignment_number(assignment_id):
    from autograder.course import assignments

    return [a.id for a in assignments()].index(assignment_id) + 1


@CLAIMS("gru_param_count_md", "as `lstm_param_count` does for the LSTM in assignment 3.", "number")
def lstm_param_count_is_assignment_3():
    from assignments.evidence import exercises_of

    assert _assignment_number("output_gate") == 3 and "lstm_param_count" in exercises_of("output_gate")


@CLAIMS("gru_param_count_md", "for the first row of the table, which is $3n$ larger:", "number")
def torch_counts_3n_more():
    """The visible test reads the table's first row; at every measured size torch.nn.GRU's count is
    the lecture's 3(n(n + m) + n) plus 3n (and the LSTM's 4(n(n + m) + n) plus 4n)."""
    from .exercises import gru_param_count

    assert 'given("gru-lstm-table")[0]' in cell_source(A, "gru_param_count_visible")
    assert 'torch_gru["gru_params"] - 3 * n' in cell_source(A, "gru_param_count_visible")
    for row in MEASURED["gru-lstm-table"]:
        assert row["gru_params"] - gru_param_count(row["n"], row["m"]) == 3 * row["n"]


@CLAIMS("gru_param_count_md", "PyTorch stores two biases per block (its candidate's second one is section", "number")
def torch_second_bias_is_b_hn():
    """3n more is one more bias vector per block; the candidate's is b_hn, which section 6 (the
    reset conventions) writes inside r_t ⊙ (...)."""
    torch_counts_3n_more()
    sources = [cell.source for cell in notebook_cells()]
    section = next(k for k, source in enumerate(sources) if source.startswith("## 6."))
    following = next(k for k, source in enumerate(sources) if k > section and source.startswith("## "))
    assert any("b_{hn}" in source for source in sources[section:following])
    assert "r_t \\odot (W_{hh} h_{t-1} + b_{hn})" in "".join(sources[section:following])


def notebook_cells():
    from assignments.evidence import notebook

    return notebook(A).cells


@CLAIMS("gru_param_count_visible#", "torch.nn.GRU has {} parameters, 3n = {} of them a second bias", "number")
def the_visible_message():
    torch_second_bias_is_b_hn()


# -- the hints and objectives that name the lectures -------------------------------------------


@CLAIMS("hint:*/torch-reset", "the lectures reset h_{t-1} before it", "lecture")
def the_lectures_reset_before():
    the_lectures_candidate()


@CLAIMS("hint:*/z-swapped", "in the lectures z_t keeps the old state", "lecture")
def z_keeps_in_the_lectures():
    one_gru_step_is_lecture_000s()
    z_near_one_keeps()


@CLAIMS("objective", "in the lecture's reset convention", "lecture")
def objective_candidate():
    the_lectures_candidate()


@CLAIMS(
    "objective",
    "say where torch.nn.GRU applies the reset gate, and why its numbers differ from the lecture's",
    "lecture",
)
def objective_torch():
    torch_parity()


@CLAIMS("objective", "check lecture 000's GRU-vs-LSTM table by measurement: 3 blocks of weights against 4", "lecture")
def objective_table():
    four_blocks_and_three()
    lecture_000_table()


@CLAIMS("hint:gru_param_count/gates-only", "you counted the 2 gates of lecture 000's table", "lecture")
def the_table_gives_two_gates():
    assert lecture_says("000", "Gates 3 (Input, forget, output) 2 (update, reset)")


@CLAIMS("hint:gru_param_count/two-biases", "the lecture's GRU has one b per block.", "lecture")
def one_bias_per_block():
    """Lecture 000 writes z_t and h~_t with one b each (its r_t equation is lost with a figure; the
    notebook's, Cho et al.'s, has one b_r); the course's GRU has one b per block."""
    assert lecture_says("000", "z_t = \\sigma(W_z[h_{t-1}, X_t] + b_z)")
    assert lecture_says("000", "\\tilde{h}_t = \\tanh(W_h[r_t \\otimes h_{t-1}, X_t] + b_h)")
    assert [name for name in gru.gru_param_shapes(3, 4) if name.startswith("b")] == ["b_z", "b_r", "b_h"]


@CLAIMS(
    "objective",
    "count a GRU's parameters, 3(n(n + m) + n), as assignment 3 counts the LSTM's 4(n(n + m) + n)",
    "number",
)
def objective_count():
    from assignments.output_gate.exercises import lstm_param_count

    from .exercises import gru_param_count

    lstm_param_count_is_assignment_3()
    for n, m in ((1, 1), (3, 4), (16, 37)):
        assert gru_param_count(n, m) == 3 * (n * (n + m) + n) and lstm_param_count(n, m) == 4 * (n * (n + m) + n)


# -- the hints, as formulas of the right functions ----------------------------------------------


def _hints():
    from assignments import hints
    from lstm_ref import gru_hidden_state, reset_gate, update_gate

    from .exercises import gru_candidate, gru_cell, gru_param_count

    def torch_candidate(W, h, x, b, r):  # "PyTorch's convention, r_t ⊙ (W_hh h_{t-1})", b_hn = 0
        return gru.gru_candidate(W, h, x, b, r, convention="torch")

    def sigma_candidate_cell(x, h, p):  # "you squashed the candidate with σ"
        z = update_gate(p["W_z"], h, x, p["b_z"])
        r = reset_gate(p["W_r"], h, x, p["b_r"])
        h_tilde = hints.sigmoid(np.arctanh(gru_candidate(p["W_h"], h, x, p["b_h"], r)))
        return gru_hidden_state(z, h, h_tilde)

    def cell_with(change):
        return lambda x, h, p: gru_cell(x, h, change(dict(p), len(h)))

    gates = {}
    for gate, right in (("update_gate", update_gate), ("reset_gate", reset_gate)):
        gates[f"{gate}/tanh-for-σ"] = hints.gate_tanh_for_sigma(right)
        gates[f"{gate}/x-before-h"] = hints.gate_x_before_h(right)
        gates[f"{gate}/no-bias"] = hints.gate_no_bias(right)
        gates[f"{gate}/elementwise-for-matrix-product"] = hints.gate_elementwise(hints.sigmoid)
    return gates | {
        "gru_candidate/torch-reset": torch_candidate,
        "gru_candidate/no-reset": lambda W, h, x, b, r: gru_candidate(W, h, x, b, np.ones_like(r)),
        "gru_candidate/σ-for-tanh": hints.candidate_sigma_for_tanh(gru_candidate),
        "gru_candidate/x-before-h": hints.gate_x_before_h(gru_candidate),
        "gru_candidate/no-bias": hints.gate_no_bias(gru_candidate),
        "gru_hidden_state/z-swapped": lambda z, h, h_tilde: gru_hidden_state(1 - z, h, h_tilde),
        "gru_hidden_state/matrix-product-for-⊙": lambda z, h, h_tilde: np.sum((1 - z) * h_tilde) + np.sum(z * h),
        # 1 - z_t = σ(-(W_z · [h, x] + b_z)): the swap is the cell with W_z and b_z negated
        "gru_cell/z-swapped": cell_with(lambda p, n: p | {"W_z": -p["W_z"], "b_z": -p["b_z"]}),
        "gru_cell/torch-reset": lambda x, h, p: gru.gru_cell_forward(x, h, p, convention="torch")[0],
        "gru_cell/x-before-h": cell_with(lambda p, n: p | {f"W_{g}": hints.x_first(p[f"W_{g}"], n) for g in "zrh"}),
        "gru_cell/no-bias": cell_with(lambda p, n: p | {f"b_{g}": 0 * p[f"b_{g}"] for g in "zrh"}),
        "gru_cell/r-for-z": cell_with(
            lambda p, n: p | {"W_z": p["W_r"], "b_z": p["b_r"], "W_r": p["W_z"], "b_r": p["b_z"]}
        ),
        "gru_cell/σ-for-tanh-in-candidate": sigma_candidate_cell,
        # "you wrote np.tan, the tangent": tan of the candidate's pre-activation W_h · [r_t ⊙ h_{t-1}, x_t] + b_h
        "gru_candidate/tan-for-tanh": lambda W, h, x, b, r: np.tan(hints.preactivation(W, r * h, x, b)),
        # "you returned the candidate h~_t in place of h_t"
        "gru_cell/h~_t-as-h_t": lambda x, h, p: gru_candidate(
            p["W_h"], h, x, p["b_h"], reset_gate(p["W_r"], h, x, p["b_r"])
        ),
        # the counts, from the right one: 3 blocks of n(n + m) + n
        "gru_param_count/four-blocks": lambda n, m: gru_param_count(n, m) // 3 * 4,
        "gru_param_count/gates-only": lambda n, m: gru_param_count(n, m) // 3 * 2,
        "gru_param_count/no-bias": lambda n, m: gru_param_count(n, m) - 3 * n,
        "gru_param_count/x-only": lambda n, m: gru_param_count(n, m) - 3 * n * n,
        "gru_param_count/two-biases": lambda n, m: gru_param_count(n, m) + 3 * n,
    }


HINTS = _hints()
