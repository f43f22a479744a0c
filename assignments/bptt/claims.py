"""What the bptt texts claim, each with the computation that proves it (see
assignments/forget_gate/claims.py for the layout, tests/test_claims.py for how they run). The
training claims read agreement_measured.jsonl (the recorded runs) or train nothing: they are
about the recipe and the data, which are cheap to check."""

import inspect
import json
from pathlib import Path

import numpy as np

from assignments.declare import Claims
from assignments.evidence import cell_source, hidden_checks, visible_checks
from assignments.lectures import lecture_says
from lstm_ref import lstm
from lstm_ref.activations import sigmoid
from student_kit import agreement as task

from . import facts

CLAIMS = Claims()
A = "bptt"
RUNS = [json.loads(line) for line in Path(__file__).with_name("agreement_measured.jsonl").read_text().splitlines()]


def runs(model, k):
    return [run["accuracy"] for run in RUNS if run["model"] == model and run["k"] == k]


# -- the notebook ------------------------------------------------------------------------------


@CLAIMS("intro", "Lecture 001 opens with a sentence:", "lecture")
def the_sentence():
    assert lecture_says("001", '"The cat that chased the mouse that ate the cheese that sat on the table was hungry."')
    assert " ".join(task.LECTURE_SENTENCE) == "the cat that chased the mouse that ate the cheese that sat on the table"


@CLAIMS("intro", "a model must still know at the verb that the subject was *cat*, many words back.", "lecture")
def the_subject_is_far():
    from assignments.evidence import example

    assert example("001-cat-was-distance").exact == 14


@CLAIMS(
    "intro",
    "lecture 004 argues why: the gradient that reaches back to *cat* is a product of one factor per word",
    "lecture",
)
def lecture_004_product():
    assert lecture_says("001", "Memory fades after 5-10 words") and lecture_says("001", "Memory persists 100+ words")
    assert lecture_says("004", "\\prod_{t=2}^k \\frac{\\partial c_t}{\\partial c_{t-1}}")
    assert lecture_says("004", "\\frac{\\partial c_t}{\\partial c_{t-1}} = A_t + B_t + C_t + D_t")


@CLAIMS(
    "intro",
    "(lecture 004 writes the four terms $A_t$, $B_t$, $C_t$, $D_t$; its $C_t$ is a term, not the cell state",
    "lecture",
)
def the_four_terms():
    lecture_004_product()


@CLAIMS(
    "intro",
    "on sentences built from lecture 001's, and measure how far back each one can carry the subject.",
    "lecture",
)
def sentences_like_the_lectures():
    the_sentence()
    words = task.LECTURE_SENTENCE[2:]
    assert all(word in task.INDEX for word in words)


@CLAIMS("intro", "Visible tests check your functions on random cases; hidden tests check more cases", "comparison")
def visible_and_hidden():
    visible = {c.name: c.trials for c in visible_checks(A) if c.kind == "random"}
    hidden = {c.name: c.trials for c in hidden_checks(A) if c.kind == "random"}
    assert {"lstm_cell_backward", "grad_check", "relative_error", "lstm_backward"} <= set(visible)
    assert all(hidden[name] > visible[name] for name in visible if name in hidden)
    assert any(c.kind == "model" for c in hidden_checks(A))


@CLAIMS(
    "task_md",
    'relative clauses like the lecture\'s ("that chased the mouse", "that sat on the table"), cut after',
    "lecture",
)
def the_fillers():
    assert lecture_says("001", "that chased the mouse") and lecture_says("001", "that sat on the table")
    words, _ = task.sentences(6, 50, seed=0)
    assert np.all(words[2] == task.INDEX["that"]) and words.shape[0] == 6 + 2


@CLAIMS("task_md", "For $k \\le {{ fillers_without_noun }}$ they hold no noun", "comparison")
def nearest_noun_by_k():
    """The shares are rendered from the generator (facts.py); the words around them are checked here."""
    assert all(facts.nearest_noun_right(k) == 1.0 for k in range(int(facts.fillers_without_noun()) + 1))
    assert 0.55 < facts.nearest_noun_right(facts.first_k_with_a_filler_noun()) < 0.7
    assert all(0.45 <= facts.nearest_noun_right(k) <= 0.55 for k in range(facts.chance_from(), 31))
    assert facts.LONGEST == 30 == max(_distances())


def _distances():
    source = cell_source(A, "distance_rnn")
    return eval(source[source.index("DISTANCES = ") + len("DISTANCES = ") :].splitlines()[0])


@CLAIMS("task_md", "Only the subject, $k + 1$ words before the verb, always tells.", "number")
def the_subject_is_k_plus_1_before_the_verb():
    words, y = task.sentences(7, 30, seed=0)
    verb_position, subject_position = words.shape[0], 1  # the verb follows the last word read
    assert verb_position - subject_position == 7 + 1
    subjects = {task.INDEX[pair[number]]: number for pair in task.SUBJECTS for number in (0, 1)}
    assert [subjects[w] for w in words[1]] == list(y)


@CLAIMS("task_examples#", "Lecture 001's sentence, up to the verb: {} ...", "lecture")
def lecture_sentence_up_to_the_verb():
    the_sentence()


@CLAIMS(
    "forward_md", "(The tests of your backward step bring their own caches, made by the course's forward", "comparison"
)
def backward_tests_bring_their_caches():
    from .exercises import random_cell_inputs

    assert "lstm_ref.lstm_cell_forward" in inspect.getsource(random_cell_inputs)


@CLAIMS(
    "cell_backward_md",
    "lecture 004's **$B_t = f_t$**, the direct path from cell to cell, scaled only by $f_t$.",
    "lecture",
)
def dC_prev_is_scaled_by_f():
    assert lecture_says("004", "B_t = f_t")
    rng = np.random.default_rng(0)
    params = lstm.init_params(3, 2, rng=rng, scale=1.0)
    _, cache = lstm.lstm_cell_forward(rng.normal(size=(1, 2)), rng.normal(size=(1, 3)), rng.normal(size=(1, 3)), params)
    dC = rng.normal(size=(1, 3))
    assert np.allclose(lstm.lstm_cell_backward(np.zeros((1, 3)), dC, cache)[2], dC * cache["f_t"])


@CLAIMS(
    "cell_backward_md",
    "Where are lecture 004's other terms, $A_t$, $C_t$ and $D_t$ (its $C_t$ is a term, not the cell state)?",
    "lecture",
)
def the_other_terms_are_in_dh_prev():
    """Through one step and back: dC_{t-1} from B_t plus dh_{t-1} carried one step earlier (point 1)
    is the whole Jacobian's action, A + B + C + D (lstm_ref.gradient_flow)."""
    from lstm_ref import gradient_flow

    rng = np.random.default_rng(1)
    params = lstm.init_params(3, 2, rng=rng, scale=1.0)
    x_t, C_prev, o_prev = rng.normal(size=2), rng.normal(size=3), rng.uniform(0, 1, 3)
    h_prev = o_prev * np.tanh(C_prev)
    (_, _), cache = lstm.lstm_cell_forward(x_t[None], h_prev[None], C_prev[None], params)
    g = rng.normal(size=3)  # dL/dC_t
    _, dh_prev, dC_prev, _, _ = lstm.lstm_cell_backward(np.zeros((1, 3)), g[None], cache)
    through = dC_prev[0] + dh_prev[0] * o_prev * (1 - np.tanh(C_prev) ** 2)
    J = gradient_flow.cell_state_jacobian(x_t, C_prev, o_prev, params)
    assert np.allclose(through, g @ J)


CLAIMS.not_a_claim(
    "cell_backward_md", "Backpropagation never builds the Jacobian; it multiplies by it.", "describes the method"
)


@CLAIMS(
    "cell_backward_md",
    "`dW` of shape $(4, n, n + m)$ and `db` of shape $(4, n)$ holding the gates in the order",
    "number",
)
def shapes_and_order():
    from .exercises import random_cell_inputs

    dh, dC, cache = random_cell_inputs(np.random.default_rng(0))
    n, m = cache["C_t"].shape[1], cache["x_t"].shape[1]
    _, _, _, dW, db = lstm.lstm_cell_backward(dh, dC, cache)
    assert dW.shape == (4, n, n + m) and db.shape == (4, n) and lstm.GATES == ("f", "i", "c", "o")


@CLAIMS("lstm_cell_backward#", "lecture 004's B_t = f_t", "lecture")
def comment_b_t():
    dC_prev_is_scaled_by_f()


@CLAIMS("lstm_cell_backward#", "dW and db stacked in the gate order f, i, C~, o and summed over the batch.", "number")
def docstring_shapes():
    shapes_and_order()
    summed_over_the_batch()


def summed_over_the_batch():
    from .exercises import random_cell_inputs

    rng = np.random.default_rng(3)
    for _ in range(5):
        dh, dC, cache = random_cell_inputs(rng)
        if len(dh) > 1:
            break
    whole = lstm.lstm_cell_backward(dh, dC, cache)
    each = [
        lstm.lstm_cell_backward(
            dh[b : b + 1], dC[b : b + 1], {k: (v if k == "params" else v[b : b + 1]) for k, v in cache.items()}
        )
        for b in range(len(dh))
    ]
    assert np.allclose(whole[3], sum(part[3] for part in each)) and np.allclose(whole[4], sum(part[4] for part in each))


@CLAIMS(
    "grad_check_md", "A backward pass can be wrong in many quiet ways; the forward pass can check it.", "comparison"
)
def the_forward_checks_the_backward():
    rng = np.random.default_rng(0)
    params = lstm.init_params(3, 2, rng=rng, scale=1.0)
    x_t, h, C = rng.normal(size=(2, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    dh = rng.normal(size=(2, 3))
    _, cache = lstm.lstm_cell_forward(x_t, h, C, params)
    from lstm_ref.gradcheck import grad_check, relative_error

    numerical = grad_check(lambda v: lstm.lstm_cell_forward(v, h, C, params)[0][0], x_t, dh)
    assert relative_error(lstm.lstm_cell_backward(dh, None, cache)[0], numerical) < 1e-7


@CLAIMS(
    "grad_check_md", "(so that `df` plays the role of `dout`), each entry of the gradient is approximately", "number"
)
def centred_difference_approximates():
    from lstm_ref.gradcheck import grad_check

    x = np.array([0.3, -1.2, 2.0])
    assert np.allclose(grad_check(np.sin, x, np.ones(3)), np.cos(x), atol=1e-9)


CLAIMS.not_a_claim("grad_check_md", "where $e_k$ is 1 at entry $k$ and 0 elsewhere.", "a definition")


@CLAIMS("grad_check_md", "with the norms of the whole arrays (`np.linalg.norm`), and 0 when both are 0.", "number")
def relative_error_definition():
    from lstm_ref.gradcheck import relative_error

    assert relative_error(np.zeros(3), np.zeros(3)) == 0
    a, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.5], [3.0, 4.0]])
    assert np.isclose(relative_error(a, b), np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))


@CLAIMS("relative_error#", "with the norms of the whole arrays; 0 if both are 0.", "number")
def docstring_relative_error():
    relative_error_definition()


@CLAIMS("relative_error_visible#", "equal arrays have relative error 0", "number")
def equal_arrays():
    relative_error_definition()


@CLAIMS(
    "grad_check_md",
    "In float64, a right backward gives relative errors below $10^{-7}$, and usually far below.",
    "comparison",
)
def right_backwards_pass():
    """The notebook's own check, with the course's backward: every gradient of 20 random cells."""
    from lstm_ref.gradcheck import grad_check, relative_error

    errors = []
    for seed in range(20):
        rng = np.random.default_rng(seed)
        B, n, m = 3, 4, 5
        params = {f"{k}_{g}": rng.normal(size=(n, n + m) if k == "W" else n) for g in "fico" for k in "Wb"}
        x_t, h, C = rng.normal(size=(B, m)), rng.normal(size=(B, n)), rng.normal(size=(B, n))
        dh, dC = rng.normal(size=(B, n)), rng.normal(size=(B, n))
        d_out = np.concatenate([dh, dC], axis=1)

        def outputs(params, x_t=x_t, h=h, C=C):
            (h_t, C_t), _ = lstm.lstm_cell_forward(x_t, h, C, params)
            return np.concatenate([h_t, C_t], axis=1)

        _, cache = lstm.lstm_cell_forward(x_t, h, C, params)
        dx, dh_prev, dC_prev, dW, db = lstm.lstm_cell_backward(dh, dC, cache)
        errors.append(relative_error(dx, grad_check(lambda v, p=params: outputs(p, x_t=v), x_t, d_out)))
        errors.append(
            relative_error(dW[0], grad_check(lambda W, p=params: outputs(p | {"W_f": W}), params["W_f"], d_out))
        )
    assert max(errors) < 1e-7 and np.median(errors) < 1e-9


@CLAIMS("grad_check#", "by centred differences with eps = 1e-5", "number")
def eps_is_1e_5():
    assert (
        inspect.signature(__import__("lstm_ref.gradcheck", fromlist=["grad_check"]).grad_check)
        .parameters["eps"]
        .default
        == 1e-5
    )


@CLAIMS("check_your_backward_md", "Every relative error should be below $10^{-7}$.", "comparison")
def below_1e_7():
    right_backwards_pass()
    assert "error < 1e-7" in cell_source(A, "check_your_backward")


@CLAIMS("lstm_backward_md", "The same weights serve at every step, so their gradient adds one term per step", "cause")
def one_term_per_step():
    from .exercises import random_sequence_inputs

    dh_all, caches = random_sequence_inputs(np.random.default_rng(0))
    from .exercises import lstm_backward

    total = lstm_backward(dh_all, caches)[3]
    dh, dC, per_step = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0]), []
    for t in reversed(range(len(caches))):
        _, dh, dC, dW, _ = lstm.lstm_cell_backward(dh_all[t] + dh, dC, caches[t])
        per_step.append(dW)
    assert np.allclose(total, sum(per_step)) and not any(np.allclose(total, dW) for dW in per_step)


@CLAIMS(
    "lstm_backward_md",
    "(Lecture 004's equation (3), $\\partial E / \\partial W = \\sum_t \\partial E_t / \\partial W$, is another sum",
    "lecture",
)
def equation_3_sums_losses():
    assert lecture_says(
        "004", "\\frac{\\partial E}{\\partial W} = \\sum_{t=1}^T \\frac{\\partial E_t}{\\partial W} \\quad (3)"
    )


@CLAIMS("lstm_backward_md", "Here the loss reads only $h_T$, so that sum has one term", "number")
def the_loss_reads_h_T():
    source = cell_source(A, "model")
    assert 'dh_all[-1] = np.outer(dz, params["W_y"][0])  # only h_T reaches the loss' in source
    assert "dh_all = np.zeros_like(h_all)" in source


@CLAIMS("lstm_backward#", "Returns (dx (T, B, m), dh_0 (B, n), dC_0 (B, n), dW (4, n, n + m), db (4, n)).", "number")
def sequence_shapes():
    from .exercises import lstm_backward, random_sequence_inputs

    dh_all, caches = random_sequence_inputs(np.random.default_rng(1))
    T, B, n = dh_all.shape
    m = caches[0]["x_t"].shape[1]
    shapes = [np.shape(part) for part in lstm_backward(dh_all, caches)]
    assert shapes == [(T, B, m), (B, n), (B, n), (4, n, n + m), (4, n)]


@CLAIMS("model_md", "or from the plain RNN of lecture 000, $h_t = \\tanh(W_x x_t + W_h h_{t-1} + b)$", "lecture")
def the_plain_rnn():
    assert lecture_says("000", "h_t = \\tanh(W_x x_t + W_h h_{t-1} + b)")


@CLAIMS(
    "model_md",
    "The only gradient that enters the recurrent layer is $\\partial L/\\partial h_T = (p - y) W_y / B$",
    "number",
)
def the_gradient_into_the_layer():
    from lstm_ref import classifier

    z, y = np.array([0.3, -1.0, 2.0]), np.array([1.0, 0.0, 1.0])
    loss, dz = classifier.sigmoid_cross_entropy(z, y)
    assert np.allclose(dz, (sigmoid(z) - y) / len(z))  # the mean's 1/B is in dz, so in dh_T
    assert "(sigmoid(z) - y) / len(z)" in cell_source(A, "model") and "np.mean(" in cell_source(A, "model")
    the_loss_reads_h_T()


@CLAIMS("model#", "only h_T reaches the loss", "comparison")
def comment_only_h_T():
    the_loss_reads_h_T()


@CLAIMS("model#", "The plain RNN of lecture 000:", "lecture")
def docstring_plain_rnn():
    the_plain_rnn()


@CLAIMS("model#", "uniform in [-1/sqrt(n), 1/sqrt(n)] as torch.nn.LSTM starts", "number")
def torch_lstm_init():
    from student_kit import experiments

    layer = experiments.recurrent_layer("LSTM", 5, 16)
    weights = np.concatenate([p.detach().numpy().ravel() for p in layer.parameters()])
    assert np.abs(weights).max() <= 1 / np.sqrt(16) and np.abs(weights).max() > 0.9 / np.sqrt(16)


@CLAIMS(
    "optimizer_md",
    "given the same gradient at every step, every weight moves by about `lr` per step, whether that gradient is "
    "$10^{-6}$ or $10^{6}$.",
    "comparison",
)
def adam_moves_by_lr():
    """Only for a gradient that stays the same: one that changes sign moves the weights less."""
    from lstm_ref.optim import Adam

    for scale in (1e-6, 1.0, 1e6):
        params = {"w": np.zeros(3)}
        adam = Adam(params, lr=0.01)
        for _ in range(20):
            adam.step(params, {"w": scale * np.array([1.0, -2.0, 0.5])})
        assert np.allclose(np.abs(params["w"]), 20 * 0.01, rtol=0.05)


@CLAIMS("training_md", "(seeded: on the same machine, every run gives the same", "comparison")
def training_is_deterministic():
    from . import agreement

    settings = agreement.Settings(steps=5)
    first, _ = agreement.train("LSTM", 4, 2, 3.0, settings=settings)
    again, _ = agreement.train("LSTM", 4, 2, 3.0, settings=settings)
    assert all(np.array_equal(first[name], again[name]) for name in first)


@CLAIMS(
    "training_md",
    "`heldout_accuracy` measures the model on new sentences, drawn with seeds that training never uses.",
    "comparison",
)
def heldout_seeds_are_new():
    source = cell_source(A, "training")
    assert "seed=(seed, step)" in source  # training: two numbers
    assert "seed=(1, k, 1)" in source or ("seed=heldout_seed(k)" in source and len(task.heldout_seed(15)) == 3)


@CLAIMS("training#", "three numbers: never a training seed (seed, step)", "number")
def three_numbers():
    heldout_seeds_are_new()


@CLAIMS("save_md", "Your LSTM, carrying the subject over 15 words", "number")
def fifteen_words():
    from autograder.saved_models import THRESHOLD

    assert THRESHOLD.k == 15 and 'train("LSTM", k=15' in cell_source(A, "save_model")


@CLAIMS("save_md", "The cell below trains an LSTM with $b_f = 3$ (why, you will see in section 5)", "number")
def trains_with_bias_3():
    assert "forget_bias=3.0" in cell_source(A, "save_model")


@CLAIMS("save_md", "this cell does not run: the grade is for the LSTM you trained and handed in", "comparison")
def skipped_while_graded():
    """Not "it would take too long": one model trains in about a second (the recorded runs)."""
    from autograder.saved_models import MODEL_FILE, SAVED_MODELS

    assert "if not GRADING" in cell_source(A, "save_model")
    assert SAVED_MODELS["agreement_lstm"].file == MODEL_FILE
    assert f'check_saved_model("agreement_lstm", "{MODEL_FILE}"' in cell_source(A, "agreement_model_hidden")


@CLAIMS("save_md", "It needs at least 95 % right at $k = 15$.", "number")
def the_threshold():
    from autograder.saved_models import THRESHOLD

    assert (THRESHOLD.k, THRESHOLD.min_accuracy) == (15, 0.95)
    assert min(runs("LSTM, b_f = 3", 15)) >= THRESHOLD.min_accuracy


CLAIMS.lecture(
    "distance_md",
    "Lecture 001: an RNN's memory fades after 5-10 words, an LSTM's persists over 100+.",
    {"001": ["Memory fades after 5-10 words", "Memory persists 100+ words"]},
)


@CLAIMS("distance_md", "Each model trains in seconds", "comparison")
def each_model_trains_in_seconds():
    """The recorded runs (the course's numpy code, at the notebook's settings, on one core of the
    course's machine) took a few CPU seconds each at every distance the notebook sweeps."""
    from assignments.bptt.agreement import SETTINGS

    settings = f"SETTINGS = dict(steps={SETTINGS.steps}, batch={SETTINGS.batch}, n_hidden={SETTINGS.n_hidden},"
    assert settings in cell_source(A, "training")
    assert max(run["cpu_seconds"] for run in RUNS if run["k"] <= 30) < 10


@CLAIMS("distance_md", "($b_f$ near 0, so $f_t$ starts near $\\sigma(0) = 0.5$)", "number")
def forget_gates_at_the_start():
    """The notebook's models at initialisation, on training sentences: the mean f_t is near σ(b_f)."""
    from lstm_ref import classifier

    x, _ = task.agreement_data(15, 64, seed=(0, 0))
    for forget_bias, expected in ((None, 0.5), (3.0, sigmoid(3.0))):
        params = classifier.init_classifier("LSTM", 16, len(task.VOCABULARY), 0, forget_bias)
        h = C = np.zeros((64, 16))
        gates = []
        for x_t in x:
            (h, C), cache = lstm.lstm_cell_forward(x_t, h, C, params)
            gates.append(cache["f_t"])
        assert abs(np.mean(gates) - expected) < 0.03
    assert round(sigmoid(3.0), 2) == 0.95


@CLAIMS("distance_lstm#", "LSTM, b_f near 0", "number")
def label_near_zero():
    forget_gates_at_the_start()


@CLAIMS("edge_md", "At $k = 30$, train the RNN and the LSTM with $b_f = 3$ with four more seeds.", "number")
def the_edge_runs():
    source = cell_source(A, "edge_rnn")
    assert "EDGE, SEEDS = 30, (1, 2, 3, 4)" in source
    rnn = runs("RNN", 30)
    assert max(rnn) >= 0.95 and min(rnn) < 0.6  # near the edge, the seed decides


@CLAIMS("reading_md", "Up to which $k$ does each model reach 95 %, and how often at $k = 30$?", "number")
def question_1():
    the_edge_runs()


CLAIMS.lecture(
    "reading_md",
    'Where does lecture 001\'s "Memory fades after 5-10 words" hold',
    {"001": ["Memory fades after 5-10 words"]},
)
CLAIMS.lecture(
    "reading_md",
    'Does "Memory persists 100+ words" hold for the LSTM you trained?',
    {"001": ["Memory persists 100+ words"]},
)
CLAIMS.not_a_claim("reading_md", "What does $b_f = 3$ change, and why?", "a question")


@CLAIMS("reading_md", "Use lecture 004: $\\mathcal{B}_t = \\mathrm{diag}(f_t)$", "lecture")
def use_lecture_004():
    assert lecture_says("004", "B_t = f_t")


@CLAIMS("reading#", "Seed 0, 95 % or more at every k up to:", "number")
def printed_threshold():
    """The spans it prints are longest_distance's (graded above) at 0.95 over the seed-0 sweep."""
    source = cell_source(A, "reading")
    assert "longest_distance(np.array(DISTANCES), np.array(list(measured.values())), 0.95)" in source
    longest_distance_means_what_it_says()


@CLAIMS("reading#", "At k = {}, learned on {} of {} more seeds by the RNN", "number")
def printed_edge():
    assert "sum(a >= 0.95 for a in accuracies)" in cell_source(A, "reading")


@CLAIMS("reading#", "'100+' is not tested by this: it needs sentences that long", "comparison")
def hundred_not_tested():
    assert max(_distances()) < 100


@CLAIMS("reading#", "LSTM, b_f near 0", "number")
def reading_label():
    forget_gates_at_the_start()


@CLAIMS("reading#", "f_t starts near sigma(b_f), about 0.5 or 0.95, and on lecture 004's path B_t = f_t", "number")
def the_answer_3():
    forget_gates_at_the_start()
    assert f"{0.5**15:.0e}" == "3e-05" and f"{0.95**15:.2f}" == "0.46"


@CLAIMS("reading#", "The measurement fits: the LSTM learned the longer distances only with b_f = 3.", "comparison")
def the_recorded_runs_fit():
    """Printed only when the student's own runs show it; the course's recorded runs do."""
    assert all(a >= 0.95 for k in (15, 20) for a in runs("LSTM, b_f = 3", k))
    assert all(a < 0.6 for a in runs("LSTM, b_f near 0", 15))


@CLAIMS("reading#", "more than lecture 001's 5-10.", "lecture")
def more_than_ten():
    assert lecture_says("001", "Memory fades after 5-10 words")
    assert "if rnn > 10" in cell_source(A, "reading")


@CLAIMS("reading#", "lecture 001's 5-10 words hold here.", "lecture")
def five_to_ten_hold():
    more_than_ten()


@CLAIMS("errata_md", "Every erratum of the lectures this assignment uses (000, 001 and 004)", "lecture")
def bptt_lectures():
    from autograder.course import assignment

    assert assignment(A).lectures == ("000", "001", "004")


# -- longest_distance: lecture 001's 5-10 and 100+ words, read off the sweep ----------------------


def _longest_by_hand(distances, row, level):
    reached = 0
    for k, accuracy in zip(distances, row):
        if accuracy < level:
            break
        reached = k
    return reached


def longest_distance_means_what_it_says():
    """The reference, on random sweeps (misses followed by later successes, accuracies equal to the
    level, rows that reach it everywhere or nowhere), against a loop over the sweep."""
    from .exercises import longest_distance, random_sweep

    rng = np.random.default_rng(11)
    for _ in range(50):
        distances, accuracies, level = random_sweep(rng)
        expected = [_longest_by_hand(distances, row, level) for row in accuracies]
        assert longest_distance(distances, accuracies, level).tolist() == expected
    sweep = np.array([[1.0, 0.5, 1.0], [0.95, 0.95, 0.95], [0.5, 1.0, 1.0]])
    assert longest_distance(np.array([2, 5, 10]), sweep, 0.95).tolist() == [2, 10, 0]


@CLAIMS("distance_plot#", "LSTM, b_f near 0", "number")
def plot_label_near_zero():
    forget_gates_at_the_start()


@CLAIMS("longest_md", "the largest $k$ up to which the model reaches `level` at every distance", "number")
def longest_distance_task():
    longest_distance_means_what_it_says()


@CLAIMS("longest_distance#", "the largest k up to which every accuracy >= level (0 if none).", "number")
def longest_distance_docstring():
    longest_distance_means_what_it_says()


@CLAIMS("longest_md", "What the course's run says about lecture 001's 5-10 and 100+ words is in the errata", "lecture")
def the_span_erratum_is_at_the_end():
    """Lecture 001's spans; the erratum is shown in the errata section, the notebook's last section."""
    from assignments.evidence import errata_shown, notebook

    assert lecture_says("001", "Memory fades after 5-10 words") and lecture_says("001", "Memory persists 100+ words")
    assert "001-memory-span" in errata_shown(A)
    headings = [cell.source for cell in notebook(A).cells if cell.source.startswith("## ")]
    assert headings[-1].startswith("## Where the lectures are wrong")


@CLAIMS("longest_demo#", "{}: 95 % or more at every k of the sweep up to k = {} (the course's run: k = {})", "number")
def the_demo_reads_both_at_95():
    from .examples import LEVEL

    source = cell_source(A, "longest_demo")
    assert "longest_distance(np.array(DISTANCES), np.array(list(measured.values())), 0.95)" in source
    assert 'course["level"]' in source and LEVEL == 0.95
    assert example_of("001-memory-span").inputs["level"] == 0.95


def example_of(key):
    from assignments.evidence import example

    return example(key)


# -- the erratum on lecture 001's memory spans ---------------------------------------------------

SWEEP = (1, 2, 5, 10, 15, 20, 30)  # the notebook's DISTANCES
MODELS = ("RNN", "LSTM, b_f near 0", "LSTM, b_f = 3")


def seed_0_spans():
    """Each model's span at 95 %, counted again from the recorded runs of seed 0."""
    accuracy = {(run["model"], run["k"]): run["accuracy"] for run in RUNS if run["seed"] == 0}
    return [_longest_by_hand(SWEEP, [accuracy[model, k] for k in SWEEP], 0.95) for model in MODELS]


@CLAIMS("erratum:001-memory-span", "Lecture 001 gives a plain RNN a memory of 5-10 words and an LSTM 100+", "lecture")
def lecture_001_spans():
    assert lecture_says("001", "Memory fades after 5-10 words") and lecture_says("001", "Memory persists 100+ words")
    assert lecture_says("001", "Memory span 5-10 steps 100+ steps")
    assert example_of("001-memory-span").stated.tolist() == [10, 100, 100]  # "at most 10, at least 100"


@CLAIMS(
    "erratum:001-memory-span", "Trained and measured as in section 5 (seed 0), the RNN carried the subject", "number"
)
def seed_0_erratum():
    rnn, lstm_0, lstm_3 = seed_0_spans()
    assert f"DISTANCES = {SWEEP}" in cell_source(A, "distance_rnn")
    assert example_of("001-memory-span").exact.tolist() == [rnn, lstm_0, lstm_3] and rnn > 10
    assert (
        f"the RNN carried the subject over k = {rnn} words, more than the lecture's 5-10; the LSTM over "
        f"k = {lstm_0} with b_f near 0 and k = {lstm_3} with b_f = 3." in example_of("001-memory-span").erratum
    )


@CLAIMS("erratum:001-memory-span", "The sweep stops at k = 30, so it cannot show 100+;", "number")
def the_recorded_seeds():
    def reaching(model, k):
        accuracies = runs(model, k)
        return f"{sum(a >= 0.95 for a in accuracies)} of {len(accuracies)} seeds"

    assert max(SWEEP) == 30 == max(_distances()) and max(run["k"] for run in RUNS) == 50
    assert (
        f"at k = 30 the RNN reached 95 % on {reaching('RNN', 30)} and the LSTM with b_f = 3 on "
        f"{reaching('LSTM, b_f = 3', 30)}, and at k = 50 on {reaching('RNN', 50)} and "
        f"{reaching('LSTM, b_f = 3', 50)}." in example_of("001-memory-span").erratum
    )


@CLAIMS("erratum:001-memory-span", "The two LSTMs differ only in b_f (the same seed, weights and sentences)", "cause")
def the_lstms_differ_only_in_b_f():
    """Both are init_classifier(seed) with or without forget_bias: every parameter but b_f is the
    same; training draws its sentences from (seed, step) whatever the model; so the span's move from
    k = 5 to 20 in the seed-0 runs is b_f's."""
    from lstm_ref import classifier

    from .agreement import train, training_batch

    near_0 = classifier.init_classifier("LSTM", 16, len(task.VOCABULARY), 0)
    b_f_3 = classifier.init_classifier("LSTM", 16, len(task.VOCABULARY), 0, 3.0)
    assert [name for name in near_0 if not np.array_equal(near_0[name], b_f_3[name])] == ["b_f"]
    assert "training_batch(k, seed, step, settings.batch)" in inspect.getsource(train)
    assert "seed=(seed, step)" in inspect.getsource(training_batch)
    _, lstm_0, lstm_3 = seed_0_spans()
    assert f"b_f alone moved the span from k = {lstm_0} to k = {lstm_3}." in example_of("001-memory-span").erratum


# -- the hints and objectives that name a lecture ----------------------------------------------


@CLAIMS("hint:*", "lecture 004's B_t = f_t", "lecture")
def hint_b_t():
    dC_prev_is_scaled_by_f()


@CLAIMS("objective", "dL/dC_{t-1} = (dC_t + the path through h_t) * f_t (lecture 004's B_t = f_t)", "lecture")
def objective_backward():
    dC_prev_is_scaled_by_f()
    rng = np.random.default_rng(2)
    params = lstm.init_params(3, 2, rng=rng, scale=1.0)
    _, cache = lstm.lstm_cell_forward(rng.normal(size=(1, 2)), rng.normal(size=(1, 3)), rng.normal(size=(1, 3)), params)
    dh, dC = rng.normal(size=(1, 3)), rng.normal(size=(1, 3))
    through_h = dh * cache["o_t"] * (1 - np.tanh(cache["C_t"]) ** 2)
    assert np.allclose(lstm.lstm_cell_backward(dh, dC, cache)[2], (dC + through_h) * cache["f_t"])


@CLAIMS("objective", "measure how far back each carries the subject of lecture 001's sentence", "lecture")
def objective_distance():
    the_sentence()


@CLAIMS("hint:grad_check/forward-difference", "whose error is of order ε; the centred one", "comparison")
def difference_orders():
    x, exact = 0.7, np.cos(0.7)
    for eps in (1e-2, 1e-3):
        forward = (np.sin(x + eps) - np.sin(x)) / eps
        centred = (np.sin(x + eps) - np.sin(x - eps)) / (2 * eps)
        assert 0.3 < abs(forward - exact) / eps < 0.4  # sin''(0.7) / 2 = 0.32
        assert 0.1 < abs(centred - exact) / eps**2 < 0.2  # sin'''(0.7) / 6 = 0.13


@CLAIMS("hint:grad_check/all-entries-at-once", "(right only for a function that acts entry by entry)", "comparison")
def entry_by_entry():
    from lstm_ref.gradcheck import grad_check

    x, df = np.array([0.2, -0.4, 0.9]), np.array([1.0, -1.0, 2.0])
    at_once = lambda f: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5 * df  # noqa: E731
    assert np.allclose(at_once(np.tanh), grad_check(np.tanh, x, df))
    assert not np.allclose(at_once(np.cumsum), grad_check(np.cumsum, x, df))


@CLAIMS("hint:relative_error/divided-by-a", "which is symmetric and 0 only when both are", "comparison")
def symmetric_scale():
    from lstm_ref.gradcheck import relative_error

    a, b = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    assert relative_error(a, b) == relative_error(b, a)
    assert np.linalg.norm(a) + np.linalg.norm(np.zeros(2)) > 0 and relative_error(np.zeros(2), np.zeros(2)) == 0


# -- the hints, as formulas of the right functions ----------------------------------------------


def _hints():
    from lstm_ref import lstm_cell_backward
    from lstm_ref.gradcheck import grad_check

    from .exercises import longest_distance, lstm_backward

    def gate_change(dh, dC, cache, gate, new_da):
        """The right backward with one gate's pre-activation gradient replaced by new_da(δC)."""
        dx, dh_prev, dC_prev, dW, db = lstm_cell_backward(dh, dC, cache)
        n = cache["C_t"].shape[1]
        delta_C = dC_prev / cache["f_t"]  # the right δC: dC_{t-1} = δC ⊙ f_t
        old = {
            "f": delta_C * cache["C_prev"] * cache["f_t"] * (1 - cache["f_t"]),
            "c": delta_C * cache["i_t"] * (1 - cache["C_tilde"] ** 2),
            "o": dh * np.tanh(cache["C_t"]) * cache["o_t"] * (1 - cache["o_t"]),
        }[gate]
        change = new_da(delta_C) - old
        g = "fico".index(gate)
        v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
        dv = change @ cache["params"][f"W_{gate}"]
        dW, db = dW.copy(), db.copy()
        dW[g] += change.T @ v
        db[g] += change.sum(axis=0)
        return dx + dv[:, n:], dh_prev + dv[:, :n], dC_prev, dW, db

    def without_h_path(dh, dC, cache, derivative):
        """δC = dC_t + dh_t ⊙ o_t ⊙ derivative(tanh(C_t)) in place of the right 1 - tanh²(C_t)."""
        tanh_C = np.tanh(cache["C_t"])
        right = lstm_cell_backward(dh, dC, cache)
        drop = lstm_cell_backward(0 * dh, dh * cache["o_t"] * (1 - tanh_C**2), cache)  # linear in δC
        add = lstm_cell_backward(0 * dh, dh * cache["o_t"] * derivative(tanh_C), cache)
        return tuple(r - d + a for r, d, a in zip(right, drop, add))

    def das(dh, dC, cache):
        """Each gate's dL/da_g, from the notebook's points 1-3."""
        delta_C = lstm_cell_backward(dh, dC, cache)[2] / cache["f_t"]
        f, i, c, o = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t"))
        return [
            delta_C * cache["C_prev"] * f * (1 - f),
            delta_C * c * i * (1 - i),
            delta_C * i * (1 - c**2),
            dh * np.tanh(cache["C_t"]) * o * (1 - o),
        ]

    def outer(dh, dC, cache):  # "np.outer flattens a batch (B, n) into one long vector"
        dx, dh_prev, dC_prev, _, db = lstm_cell_backward(dh, dC, cache)
        v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
        return dx, dh_prev, dC_prev, np.stack([np.outer(da.ravel(), v.ravel()) for da in das(dh, dC, cache)]), db

    def x_first(dh, dC, cache):  # dW_g = da_g^T [x_t, h_{t-1}]: the right dW with its column blocks swapped
        dx, dh_prev, dC_prev, dW, db = lstm_cell_backward(dh, dC, cache)
        n = cache["C_t"].shape[1]
        return dx, dh_prev, dC_prev, np.concatenate([dW[:, :, n:], dW[:, :, :n]], axis=2), db

    def backward_in_order(dh_all, caches, order, carry_h=True, carry_C=True):
        """lstm_backward as the hint describes the loop: over `order`, passing on dh and dC or zeros."""
        dh_next, dC_next = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0])
        dW = db = 0
        dx = [None] * len(caches)
        for t in order:
            dx[t], dh_prev, dC_prev, dW_t, db_t = lstm_cell_backward(
                dh_all[t] + (dh_next if carry_h else 0), dC_next if carry_C else 0 * dC_next, caches[t]
            )
            dh_next, dC_next, dW, db = dh_prev, dC_prev, dW + dW_t, db + db_t
        return np.stack(dx), dh_next, dC_next, dW, db

    def one_step_only(dh_all, caches):  # "you kept one step's": the first step's dW, db, reached last
        dx, dh_0, dC_0, _, _ = lstm_backward(dh_all, caches)
        later = lstm_backward(dh_all[1:], caches[1:])  # its dh_0, dC_0 reach step 0
        _, _, _, dW_0, db_0 = lstm_cell_backward(dh_all[0] + later[1], later[2], caches[0])
        return dx, dh_0, dC_0, dW_0, db_0

    def not_put_back(f, x, df):  # "every later entry is measured at a shifted x": x_j - ε for j < k
        eps, x = 1e-5, np.array(x, dtype=float)
        grad, shifted = np.zeros_like(x), x.copy()
        for index in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[index] = eps
            grad[index] = (np.sum(f(shifted + step) * df) - np.sum(f(shifted - step) * df)) / (2 * eps)
            shifted[index] -= eps
        return grad

    def one_sided(f, x, df):  # "(L(x + ε e_k) - L(x)) / ε"
        eps, x = 1e-5, np.array(x, dtype=float)
        grad = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[index] = eps
            grad[index] = (np.sum(f(x + step) * df) - np.sum(f(x) * df)) / eps
        return grad

    def last_reached(distances, accuracies, level):  # "the largest k at which the model reaches the level"
        return np.array([distances[row >= level].max(initial=0) for row in accuracies])

    def first_miss(distances, accuracies, level):
        """ "the first k at which the model misses the level" (where it never misses, the sweep's last
        k, which it carried the subject up to: the right answer)."""
        right = longest_distance(distances, accuracies, level)
        misses = accuracies < level
        return np.where(misses.any(axis=-1), distances[np.argmax(misses, axis=-1)], right)

    cell = "lstm_cell_backward/"
    return {
        cell + "no-dC-through-h": lambda dh, dC, cache: without_h_path(dh, dC, cache, lambda t: 0 * t),
        cell + "sigma-prime-for-tanh-prime-in-h": lambda dh, dC, cache: without_h_path(
            dh, dC, cache, lambda t: t * (1 - t)
        ),
        cell + "sigma-prime-for-tanh-prime-in-candidate": lambda dh, dC, cache: gate_change(
            dh, dC, cache, "c", lambda d: d * cache["i_t"] * cache["C_tilde"] * (1 - cache["C_tilde"])
        ),
        cell + "tanh-prime-for-sigma-prime": lambda dh, dC, cache: gate_change(
            dh, dC, cache, "f", lambda d: d * cache["C_prev"] * (1 - cache["f_t"] ** 2)
        ),
        cell + "dC-prev-without-f": lambda dh, dC, cache: (lambda r: (r[0], r[1], r[2] / cache["f_t"], r[3], r[4]))(
            lstm_cell_backward(dh, dC, cache)
        ),
        cell + "o-gradient-without-tanh": lambda dh, dC, cache: gate_change(
            dh, dC, cache, "o", lambda d: dh * cache["C_t"] * cache["o_t"] * (1 - cache["o_t"])
        ),
        cell + "weights-averaged-over-batch": lambda dh, dC, cache: (
            lambda r: (r[0], r[1], r[2], r[3] / len(dh), r[4] / len(dh))
        )(lstm_cell_backward(dh, dC, cache)),
        cell + "outer-product-of-a-batch": outer,
        cell + "x-before-h": x_first,
        cell + "wrong-half-as-dh": lambda dh, dC, cache: (lambda r: (r[1], r[0], r[2], r[3], r[4]))(
            lstm_cell_backward(dh, dC, cache)
        ),
        "lstm_backward/not-summed-over-time": one_step_only,
        "lstm_backward/no-dh-from-step-t-plus-1": lambda dh_all, caches: backward_in_order(
            dh_all, caches, reversed(range(len(caches))), carry_h=False
        ),
        "lstm_backward/no-dC-from-step-t-plus-1": lambda dh_all, caches: backward_in_order(
            dh_all, caches, reversed(range(len(caches))), carry_C=False
        ),
        "lstm_backward/forward-in-time": lambda dh_all, caches: backward_in_order(dh_all, caches, range(len(caches))),
        "grad_check/divided-by-eps": lambda f, x, df: 2 * grad_check(f, x, df),
        "grad_check/forward-difference": one_sided,
        "grad_check/df-ignored": lambda f, x, df: grad_check(f, x, np.ones(np.shape(f(np.array(x, dtype=float))))),
        "grad_check/x-not-restored": not_put_back,
        "grad_check/all-entries-at-once": lambda f, x, df: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5 * df,
        "relative_error/absolute": lambda a, b: float(np.linalg.norm(a - b)),
        "relative_error/divided-by-a": lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(a)),
        "relative_error/elementwise": lambda a, b: float(
            np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
        ),
        "longest_distance/last-reached": last_reached,
        "longest_distance/first-miss": first_miss,
        # "how many distances of the sweep the model reaches before its first miss": the position
        # of the right k in the sweep, counting from 1 (0 stays 0)
        "longest_distance/count": lambda d, a, level: (
            np.searchsorted(d, longest_distance(d, a, level)) + (longest_distance(d, a, level) > 0)
        ),
        # "an accuracy equal to the level reaches it: compare with >=, not >": the right reading of a
        # level just above it
        "longest_distance/level-excluded": lambda d, a, level: longest_distance(d, a, np.nextafter(level, 2.0)),
    }


HINTS = _hints()
