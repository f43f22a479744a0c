"""What the output-gate texts claim, each with the computation that proves it (see
assignments/forget_gate/claims.py for the layout, tests/test_claims.py for how they run)."""

import numpy as np

from assignments.declare import Claims, how_shown
from assignments.evidence import (
    cell_source,
    every_exercise_is_checked_on,
    example,
    visible_checks,
)
from assignments.lectures import lecture_says
from lstm_ref import lstm
from lstm_ref.activations import sigmoid

from .examples import LABELS_003, REVIEW_LENGTHS_000, SENTIMENTS_000, SEQUENCES_003
from .measure import MEASURED

CLAIMS = Claims()
A = "output_gate"

# -- the notebook ------------------------------------------------------------------------------

CLAIMS.lecture("intro", "(lecture 001's highlighter)", {"001": ["Output Gate (Highlighter)"]})


@CLAIMS(
    "intro",
    "(lecture 003's cat/mat/rat sequences), read sequences of different lengths (lecture 000's reviews)",
    "lecture",
)
def the_sequences_and_reviews_are_the_lectures():
    assert lecture_says("003", "| Cat | mat | rat | 1 |") and lecture_says("003", "| mat | mat | cat | 0 |")
    assert SEQUENCES_003[2] == ("mat", "mat", "cat") and LABELS_003 == (1, 1, 0)
    assert lecture_says("000", "Review Sentiment X <sub>11</sub> , X <sub>12</sub> , X <sub>13</sub> 1")
    assert lecture_says("000", "X_{31}, X_{32}, X_{33}, X_{34} 0")
    assert REVIEW_LENGTHS_000 == (3, 3, 4) and SENTIMENTS_000 == (1, 0, 0)


@CLAIMS(
    "intro",
    "Visible tests use the lectures' numbers, values you can check by hand, a few random cases, or PyTorch's",
    "lecture",
)
def visible_tests_of_the_output_gate():
    every_exercise_is_checked_on(A, "random", ["output_gate", "lstm_cell", "lstm_forward", "lstm_param_count"])
    every_exercise_is_checked_on(A, "example", ["hidden_state", "last_hidden_state"])
    assert 'given("torch-lstm-parity")' in cell_source(A, "lstm_forward_visible")
    assert MEASURED.path.name == "measured.json" and "torch-lstm-parity" in MEASURED.kept


@CLAIMS("earlier_md", "so the cell after it checks them on the lectures' numbers first.", "lecture")
def earlier_gates_are_checked():
    keys = [c.key for c in visible_checks(A) if c.kind == "example"]
    assert {"004-sigmoid", "004-forget-gate", "004-cell-update"} <= set(keys)


@CLAIMS("earlier_md", "Write the gates so that they also accept a batch", "comparison")
def batch_gates():
    W, h, x, b = np.ones((2, 5)), np.ones((4, 2)), np.ones((4, 3)), np.zeros(2)
    assert (np.concatenate([h, x], axis=-1) @ W.T + b).shape == (4, 2)


@CLAIMS("earlier_gates_check#", "on a batch of 4 (h_prev (4, 2), x_t (4, 3)) should give shape (4, 2)", "number")
def batch_of_four():
    batch_gates()


@CLAIMS("output_gate_visible#", "o_t = sigma(0) = 0.5 in every unit", "number")
def half_open():
    assert sigmoid(0.0) == 0.5


@CLAIMS("output_gate_visible#", "a batch of 4 should give o_t of shape (4, 2)", "number")
def output_gate_on_a_batch():
    assert lstm.output_gate(np.zeros((2, 5)), np.ones((4, 2)), np.ones((4, 3)), np.zeros(2)).shape == (4, 2)


@CLAIMS("sliders_md", "Lecture 004's numbers: $C_{t-1} = {{ input__004_cell_update_sigmoid__C_prev }}$", "lecture")
def slider_numbers_are_lecture_004s():
    from student_kit.widgets.views import LECTURE_PRESETS

    assert example("004-hidden-state").inputs["o_t"].tolist() == [0, 0.5, 1]
    assert lecture_says("004", "Suppose O_t = [0, 0.5, 1]")
    assert LECTURE_PRESETS["004"] == ["004-cell-update-sigmoid", "004-hidden-state"]


@CLAIMS(
    "hidden_state_md", "the cell state itself is not bounded by 1 (each step can add up to 1 in size)", "comparison"
)
def the_cell_grows_by_less_than_one():
    C = np.zeros(1)
    for _ in range(5):
        C = lstm.cell_update(sigmoid(30.0), C, sigmoid(30.0), np.tanh(30.0))
    assert C[0] > 4.9  # unbounded: five steps of almost 1
    assert abs(sigmoid(30.0) * np.tanh(30.0)) <= 1  # i_t * C~_t: at most 1 in size


@CLAIMS("hidden_state_md", "Lectures 003 and 004 both compute that:", "lecture")
def both_lectures_compute_tanh():
    assert lecture_says("003", "\\tanh([4, 5, 6])") and lecture_says(
        "004", "result of \\tanh(C_t) is [0.76, 0.9999, 0.9993]"
    )


@CLAIMS("hidden_state_md", "= {{ lecture__003_tanh }}$ is wrong: it is ${{ exact__003_tanh }}$.", "rounding")
def lecture_003_tanh_is_wrong():
    entry = example("003-tanh")
    assert how_shown(entry.stated, entry.exact) == ["wrong"] * 3
    assert lecture_says("003", "= [0.25, .31, .4]")


@CLAIMS("hidden_state_md", "= {{ lecture__004_tanh_cell }}$ {{ lecture_004_tanh_shown }}.", "rounding")
def lecture_004_tanh_words_are_computed():
    """The words come from how_shown (facts.py); here, that the lecture prints those numbers."""
    assert lecture_says("004", "result of \\tanh(C_t) is [0.76, 0.9999, 0.9993]")
    entry = example("004-tanh-cell")
    assert list(entry.inputs["C_t"]) == [1, 6, 4] and lecture_says("004", "= \\begin{bmatrix} 1 \\\\ 6 \\\\ 4")


@CLAIMS("hidden_state_md", "multiplies by 0.99 instead, and its ${{ lecture__004_hidden_state }}$", "lecture")
def lecture_004_multiplies_by_099():
    assert lecture_says("004", "h_t = [(0*0.76), (0.5*0.99), (1*0.99)] = [0, 0.495, 0.99]")
    entry = example("004-hidden-state")
    assert how_shown(entry.stated, entry.exact) == ["rounded", "wrong", "cut"]


@CLAIMS("lstm_forward_md", "to $10^{-10}$ (measured by the course and shipped", "number")
def parity_with_torch():
    parity = MEASURED["torch-lstm-parity"]
    (h_all, (_, C_T)), _ = lstm.lstm_forward(parity["x"], parity["h0"], parity["C0"], parity["params"])
    assert np.abs(h_all - parity["h_all"]).max() < 1e-10 and np.abs(C_T - parity["C_T"]).max() < 1e-10
    assert "atol=1e-10" in cell_source(A, "lstm_forward_visible")


@CLAIMS("cat_mat_rat_md", "Lecture 003's sequences through your LSTM", "lecture")
def lecture_003_sequences():
    the_sequences_and_reviews_are_the_lectures()


@CLAIMS(
    "cat_mat_rat_md",
    "Lecture 003 codes three words one-hot and builds three sequences of three words, each with a label.",
    "lecture",
)
def lecture_003_one_hot():
    assert lecture_says("003", "[1\\ 0\\ 0] [0\\ 1\\ 0] [0\\ 0\\ 1]") and len(SEQUENCES_003) == 3
    assert all(len(sequence) == 3 for sequence in SEQUENCES_003)


@CLAIMS("cat_mat_rat#", "the lecture's words, sentences and labels, one-hot", "lecture")
def lecture_003_given():
    lecture_003_one_hot()


@CLAIMS("cat_mat_rat#", "an untrained 2-unit LSTM: random weights", "number")
def an_untrained_two_unit_lstm():
    from .given import lecture_003_one_hot as given

    assert given()["params"]["b_f"].shape == (2,)


@CLAIMS("cat_mat_rat_plot_md", "the lines differ only because the words differ", "cause")
def same_words_same_line():
    from .given import lecture_003_one_hot as given

    data = given()
    x = data["x"][:, [0, 0]]  # the same sequence twice: the same line
    h_all, _ = lstm.lstm_forward(x, np.zeros((2, 2)), np.zeros((2, 2)), data["params"])[0]
    assert np.array_equal(h_all[:, 0], h_all[:, 1])


@CLAIMS("cat_mat_rat_plot_md", "separates the label-0 sequence from the other two.", "number")
def one_label_0_sequence():
    assert LABELS_003.count(0) == 1 and LABELS_003.count(1) == 2


@CLAIMS("cat_mat_rat_plot#", "Unit 1 of h_t over lecture 003's sentences (untrained LSTM)", "lecture")
def the_plot_reads_lecture_003():
    lecture_003_one_hot()


@CLAIMS("lengths_md", "Sequences of different lengths: lecture 000's reviews", "lecture")
def lecture_000_reviews():
    the_sequences_and_reviews_are_the_lectures()


CLAIMS.lecture(
    "lengths_md",
    "Lecture 000's RNN recap reads reviews and gives each a sentiment:",
    {"000": ["RNN Forward Propagation (Recap)", "Review Sentiment"]},
)


@CLAIMS(
    "lengths_md",
    "The cell below shows it, with random weights and random word vectors (the lecture gives no numbers):",
    "lecture",
)
def h_keeps_changing_over_the_padding():
    """The demonstration, as the cell runs it: each short review's h_t at its last word is not h_t at the end."""
    source = cell_source(A, "lengths_demo")
    code = source[: source.index("h_all, _ = lstm_forward(")].rsplit("\nif ", 1)[0]  # the inputs, not the run
    namespace = {"np": np}
    exec(code, namespace)  # the cell's own inputs, run through lstm_ref's forward in place of the student's
    x, params, lengths = namespace["x"], namespace["params"], namespace["lengths"]
    zeros = np.zeros((x.shape[1], params["b_f"].shape[0]))
    h_all = lstm.lstm_forward(x, zeros, zeros, params)[0][0]
    for b, length in enumerate(lengths):
        if length < len(h_all):
            assert np.abs(h_all[length - 1, b] - h_all[-1, b]).max() > 1e-3
    assert not lecture_says("000", "X_{11} =")


@CLAIMS("lengths_demo#", "lecture 000's reviews: 3, 3 and 4 words", "lecture")
def review_lengths():
    the_sequences_and_reviews_are_the_lectures()
    assert "lengths = np.array([3, 3, 4])" in cell_source(A, "lengths_demo")


@CLAIMS("last_hidden_state_md", "step `lengths[b] - 1` (counting from 0), not from `h_all[-1]`.", "number")
def the_last_word_is_length_minus_one():
    entry = example("000-review-last-step")
    h_all, lengths = entry.inputs["h_all"], entry.inputs["lengths"]
    assert np.array_equal(entry.exact, h_all[lengths - 1, np.arange(len(lengths))])
    assert not np.array_equal(entry.exact, h_all[-1])


@CLAIMS("last_hidden_state_md", "each length between 1 and T.", "number")
def lengths_between_1_and_t():
    from .exercises import padded_batch

    rng = np.random.default_rng(0)
    for _ in range(20):
        h_all, lengths = padded_batch(rng)
        assert lengths.min() >= 1 and lengths.max() == len(h_all)


@CLAIMS("last_hidden_state#", "lengths: (B,) ints in 1..T.", "number")
def docstring_lengths():
    lengths_between_1_and_t()


@CLAIMS("last_hidden_state_md", "is $0.1\\,t + 0.01\\,b$, and unit 2 is its negative.", "number")
def labelled_states():
    h_all = example("000-review-last-step").inputs["h_all"]
    assert np.isclose(h_all[2, 0, 0], 0.1 * 3 + 0.01 * 1) and h_all[2, 0, 1] == -h_all[2, 0, 0]


@CLAIMS("last_hidden_state_md", "So 0.31 is step 3 of review 1:", "number")
def step_3_of_review_1():
    assert np.isclose(example("000-review-last-step").inputs["h_all"][2, 0, 0], 0.31, rtol=0, atol=1e-12)


@CLAIMS(
    "param_count_md", "returning the total number of parameters of an LSTM cell in the lectures' notation.", "lecture"
)
def lectures_notation_params():
    assert set(lstm.init_params(3, 4, rng=0)) == {f"{k}_{g}" for g in "fico" for k in "Wb"}


CLAIMS.lecture(
    "param_count_md",
    '(Lecture 004 calls the column count of $W_f$ the "seq length"',
    {"004": ["Weight = units x seq length", "Here seq length is 6 ( h_{t-1}, x_t )"]},
)


@CLAIMS("param_count_md", "but **two** biases, `bias_ih` and `bias_hh`, that it always adds together", "number")
def torch_has_two_biases():
    count = MEASURED["torch-lstm-parameter-count"]
    n, m = count["n"], count["m"]
    assert count["count"] == 4 * n * m + 4 * n * n + 2 * 4 * n  # weight_ih, weight_hh, two biases
    from .exercises import lstm_param_count

    assert lstm_param_count(n, m) == count["count"] - 4 * n


@CLAIMS(
    "param_count_md",
    "The visible test compares with PyTorch's count for lecture 003's sizes and expects yours to be $4n$ fewer.",
    "lecture",
)
def compared_at_lecture_003_sizes():
    count = MEASURED["torch-lstm-parameter-count"]
    assert (count["n"], count["m"]) == (3, 4) == tuple(example("003-forget-weight-shape").inputs.values())
    assert 'torch_lstm["count"] - 4 * n' in cell_source(A, "lstm_param_count_visible")


@CLAIMS("lstm_param_count_visible#", "lecture 003: 3 units, a 4-dim x_t", "lecture")
def lecture_003_sizes():
    compared_at_lecture_003_sizes()


@CLAIMS("lstm_param_count_visible#", "parameters, 4n = {} of them a second bias", "number")
def the_second_bias():
    torch_has_two_biases()


# -- the worked examples' errata and notes -----------------------------------------------------


@CLAIMS(
    "erratum:003-tanh", "tanh reaches 0.25 already at z = 0.255; at z = 4, 5, 6 it is within 0.0007 of 1.", "number"
)
def tanh_climbs_fast():
    assert round(np.arctanh(0.25), 3) == 0.255 and 1 - np.tanh(4.0) < 0.0007
    assert lecture_says("003", "\\tanh([4, 5, 6]) - = [0.25, .31, .4]")


@CLAIMS("note:004-tanh-cell", "Lecture 004's 0.76 for tanh(1) = 0.761594 is rounded to 2 decimals", "rounding")
def note_tanh_cell():
    """Written by examples.shown_note from how_shown: the words follow the numbers."""
    entry = example("004-tanh-cell")
    assert how_shown(entry.stated, entry.exact) == ["rounded", "cut", "rounded"]


@CLAIMS(
    "erratum:004-hidden-state",
    "Lecture 004 multiplies by 0.99 where its own tanh(C_t) two lines up says 0.9999 and 0.9993.",
    "lecture",
)
def two_lines_up():
    assert lecture_says(
        "004",
        "result of \\tanh(C_t) is [0.76, 0.9999, 0.9993] Suppose O_t = [0, 0.5, 1] "
        "h_t = [(0*0.76), (0.5*0.99), (1*0.99)]",
    )


@CLAIMS("erratum:004-hidden-state", "So its 0.5 x tanh(6) = 0.495, but the exact value is 0.499994", "rounding")
def half_of_tanh_6():
    assert round(0.5 * np.tanh(6.0), 6) == 0.499994 and round(0.5 * np.tanh(6.0), 3) == 0.5 and 0.5 * 0.99 == 0.495


@CLAIMS("erratum:004-hidden-state", "Its 0.99 for 1 x tanh(4) = 0.999329 is cut, not rounded", "rounding")
def tanh_4_cut():
    assert how_shown([0.99], [np.tanh(4.0)]) == ["cut"] and round(np.tanh(4.0), 2) == 1.0


CLAIMS.not_a_claim("erratum:004-hidden-state", "Keep every digit until the end, then round.", "advice")


@CLAIMS("erratum:004-hidden-state", "(Its o_t = [0, 0.5, 1] is supposed, not computed", "lecture")
def o_t_is_supposed():
    assert lecture_says("004", "Suppose O_t = [0, 0.5, 1]")
    assert 0 < sigmoid(-30.0) and sigmoid(-700.0) >= 0  # 0 only where float64 underflows


CLAIMS.lecture(
    "erratum:004-hidden-sigma",
    "Lecture 004 writes h_t = o_t ⊙ σ(s_t), twice.",
    {"004": ["h_t = o_t \\odot \\sigma(s_t)", "h_k = o_k \\odot \\sigma(s_k)"]},
)


@CLAIMS(
    "erratum:004-hidden-sigma", "With σ, a cell state of 0 would read as 0.5 and no h_t could be negative.", "number"
)
def sigma_reads_half():
    assert sigmoid(0.0) == 0.5 and np.all(sigmoid(np.linspace(-30, 30, 61)) > 0)


# -- the hints and objectives that name a lecture ----------------------------------------------


@CLAIMS(
    "hint:lstm_param_count/two-biases",
    "as PyTorch does (b_ih and b_hh); the lectures' LSTM has one b per layer.",
    "lecture",
)
def one_bias_per_layer():
    torch_has_two_biases()
    assert lecture_says("002", "f_t = \\sigma(w_f[h_{t-1}, x_t] + b_f)")


@CLAIMS("objective", "run lecture 003's one-hot cat/mat/rat sequences through an LSTM", "lecture")
def objective_003():
    lecture_003_one_hot()


@CLAIMS("objective", "(lecture 000's reviews of 3, 3 and 4 words)", "lecture")
def objective_000():
    the_sequences_and_reviews_are_the_lectures()


@CLAIMS(
    "objective",
    "count an LSTM's parameters, 4(n(n + m) + n), and explain torch.nn.LSTM's extra 4n (two biases)",
    "number",
)
def objective_count():
    from .exercises import lstm_param_count

    assert all(lstm_param_count(n, m) == 4 * (n * (n + m) + n) for n in (1, 3, 7) for m in (1, 4))
    torch_has_two_biases()


# -- the hints, as formulas of the right functions ----------------------------------------------


def _hints():
    from assignments import hints
    from lstm_ref import candidate, forget_gate, hidden_state, input_gate, output_gate

    from .exercises import lstm_cell, lstm_forward, lstm_param_count

    def gates(x, h, C, p):
        return (
            forget_gate(p["W_f"], h, x, p["b_f"]),
            input_gate(p["W_i"], h, x, p["b_i"]),
            candidate(p["W_c"], h, x, p["b_c"]),
            output_gate(p["W_o"], h, x, p["b_o"]),
        )

    def tanh_gates(x, h, C, p):  # "you squashed the gates f_t, i_t, o_t with tanh"
        f, i, c, o = (np.tanh(hints.preactivation(p[f"W_{g}"], h, x, p[f"b_{g}"])) for g in "fico")
        C_t = f * C + i * candidate(p["W_c"], h, x, p["b_c"])
        return o * np.tanh(C_t), C_t

    def sigma_candidate(x, h, C, p):  # "you squashed the candidate with σ"
        f, i, _, o = gates(x, h, C, p)
        C_t = f * C + i * hints.sigmoid(hints.preactivation(p["W_c"], h, x, p["b_c"]))
        return o * np.tanh(C_t), C_t

    def read_through(read):  # h_t = o_t ⊙ read(C_t), C_t right
        def step(x, h, C, p):
            _, C_t = lstm_cell(x, h, C, p)
            return gates(x, h, C, p)[3] * read(C_t), C_t

        return step

    def swapped_gates(x, h, C, p):  # "f_t to the candidate C~_t and i_t to C_{t-1}"
        f, i, c, o = gates(x, h, C, p)
        C_t = f * c + i * C
        return o * np.tanh(C_t), C_t

    def previous_cell(x, h, C, p):  # "you read h_t from C_{t-1}"
        _, C_t = lstm_cell(x, h, C, p)
        return gates(x, h, C, p)[3] * np.tanh(C), C_t

    def batch_axis(x, h, C, p):  # joining along axis 0 cannot give [h_{t-1}, x_t]: numpy refuses
        try:
            np.concatenate([h, x], axis=0) @ p["W_f"].T
        except ValueError:
            return ValueError
        raise AssertionError("the shapes joined along axis 0")

    swap = dict
    cell = {
        "x-before-h": hints.with_params(
            lstm_cell, lambda p, n: swap({k: (hints.x_first(v, n) if k[0] == "W" else v) for k, v in p.items()})
        ),
        "no-bias": hints.with_params(lstm_cell, lambda p, n: {k: (0 * v if k[0] == "b" else v) for k, v in p.items()}),
        "tanh-for-σ-in-gates": tanh_gates,
        "σ-for-tanh-in-candidate": sigma_candidate,
        "σ-for-tanh-in-h": read_through(hints.sigmoid),
        "C-for-tanh-C": read_through(lambda C: C),
        "i-for-f": hints.with_params(lstm_cell, lambda p, n: p | {"W_f": p["W_i"], "b_f": p["b_i"]}),
        "o-for-i": hints.with_params(lstm_cell, lambda p, n: p | {"W_i": p["W_o"], "b_i": p["b_o"]}),
        "forget-applied-to-candidate": swapped_gates,
        "h-from-previous-cell": previous_cell,
        "concatenated-along-batch-axis": batch_axis,
        # "you wrote np.tan, the tangent, where h_t uses np.tanh": h_t = o_t ⊙ tan(C_t), C_t right
        "tan-for-tanh-in-h": read_through(np.tan),
        # "you returned the output gate o_t in place of the cell state": (h_t, o_t)
        "o_t-as-C_t": lambda x, h, C, p: (lstm_cell(x, h, C, p)[0], gates(x, h, C, p)[3]),
    }
    found = {f"lstm_cell/{name}": step for name, step in cell.items()}
    found |= {
        f"lstm_forward/step-{name}": hints.unrolled(step) for name, step in cell.items() if step is not batch_axis
    }
    found["lstm_forward/step-concatenated-along-batch-axis"] = batch_axis

    def not_carried(x, h0, C0, p):  # "every step started again from h0, C0"
        steps = [lstm_cell(x_t, h0, C0, p) for x_t in x]
        return np.stack([h for h, _ in steps]), steps[-1][1]

    def time_along_batch(x, h0, C0, p):  # "you stepped along axis 1 (the batch)"
        try:
            return lstm_forward(x.swapaxes(0, 1), h0, C0, p)
        except ValueError:
            return ValueError

    def read_past_the_end(h_all, lengths):  # "a sequence of length L ends at step L - 1", not L
        return IndexError if lengths.max() >= len(h_all) else h_all[lengths, np.arange(len(lengths))]

    return found | {
        "output_gate/tanh-for-σ": hints.gate_tanh_for_sigma(output_gate),
        "output_gate/x-before-h": hints.gate_x_before_h(output_gate),
        "output_gate/no-bias": hints.gate_no_bias(output_gate),
        "output_gate/elementwise-for-matrix-product": hints.gate_elementwise(hints.sigmoid, batched=True),
        "hidden_state/C-for-tanh-C": lambda o, C: o * C,
        "hidden_state/σ-for-tanh": lambda o, C: o * hints.sigmoid(C),
        "hidden_state/tan-for-tanh": lambda o, C: o * np.tan(C),
        "hidden_state/tanh-of-product": lambda o, C: np.tanh(o * C),
        "hidden_state/matrix-product-for-⊙": hints.dot_for_product(hidden_state),
        "lstm_forward/initial-state-ignored": lambda x, h0, C0, p: lstm_forward(x, 0 * h0, 0 * C0, p),
        "lstm_forward/stored-before-step": lambda x, h0, C0, p: (
            np.concatenate([h0[None], lstm_forward(x, h0, C0, p)[0][:-1]]),  # h_all[t] = h_{t-1}
            lstm_forward(x, h0, C0, p)[1],
        ),
        "lstm_forward/state-not-carried": not_carried,
        "lstm_forward/stacked-along-batch-axis": lambda x, h0, C0, p: (
            lstm_forward(x, h0, C0, p)[0].swapaxes(0, 1),
            lstm_forward(x, h0, C0, p)[1],
        ),
        "lstm_forward/time-along-batch-axis": time_along_batch,
        "last_hidden_state/padded-last-step": lambda h_all, lengths: h_all[-1],
        "last_hidden_state/off-by-one": read_past_the_end,
        "last_hidden_state/time-index-only": lambda h_all, lengths: h_all[lengths - 1],  # (B, B, n)
        "lstm_param_count/no-bias": lambda n, m: lstm_param_count(n, m) - 4 * n,
        "lstm_param_count/one-layer": lambda n, m: lstm_param_count(n, m) // 4,
        "lstm_param_count/three-layers": lambda n, m: 3 * lstm_param_count(n, m) // 4,
        "lstm_param_count/x-only": lambda n, m: lstm_param_count(n, m) - 4 * n * n,
        "lstm_param_count/two-biases": lambda n, m: lstm_param_count(n, m) + 4 * n,
    }


HINTS = _hints()
