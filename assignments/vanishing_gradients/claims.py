"""What the vanishing-gradients texts claim, each with the computation that proves it (see
assignments/forget_gate/claims.py for the layout, tests/test_claims.py for how they run). The
measured claims read measured.json, the data the notebook's plots and tables show."""

import inspect
import re

import numpy as np

from assignments.declare import Claims
from assignments.evidence import cell_source, example, the_tests_expect_the_right_numbers, visible_checks
from assignments.lectures import lecture_says, lecture_text
from lstm_ref import gradient_flow, lstm
from lstm_ref.activations import sigmoid

from . import facts
from .examples import LECTURE_TERMS, STEPS, forget_gates, real_cell
from .measure import LONG, MEASURED, SHORT

CLAIMS = Claims()
A = "vanishing_gradients"
REMEMBERS = 0.9  # test accuracy: at least REMEMBERS "remembers"
TEST_SEQUENCES = 512  # the memory experiment's test set (student_kit/experiments.py, checked below)


def at_chance(accuracy):
    """What a coin scores on the test set: within 2.58 standard deviations of 50 % (99 % of coins)."""
    return abs(accuracy - 0.5) <= 2.58 * np.sqrt(0.25 / TEST_SEQUENCES)  # 0.443 to 0.557


memory, lag_below = facts.memory, facts.lag_below


# -- the notebook ------------------------------------------------------------------------------

CLAIMS.lecture(
    "intro",
    "For a plain RNN (lecture 000's recap), $h_t = \\tanh(W_h h_{t-1} + W_x x_t + b)$",
    {"000": ["h_t = \\tanh(W_x x_t + W_h h_{t-1} + b)"]},
)


@CLAIMS("intro", "the product of $k$ of them shrinks it by at most $q^k$", "comparison")
def products_shrink_geometrically():
    rng = np.random.default_rng(0)
    J = [0.9 * M / np.linalg.norm(M, 2) for M in rng.normal(size=(10, 4, 4))]  # each shrinks by at most 0.9
    product = np.linalg.multi_dot(J[::-1])
    assert np.linalg.norm(product, 2) <= 0.9**10 + 1e-12


@CLAIMS(
    "intro", "Lecture 004 argues that the LSTM's cell state avoids this, because its Jacobian is a *sum*:", "lecture"
)
def lecture_004_argues_a_sum():
    assert lecture_says(
        "004", "Another important property to notice is that the cell state gradient is an additive function"
    )
    assert lecture_says("004", "\\frac{\\partial c_t}{\\partial c_{t-1}} = A_t + B_t + C_t + D_t \\quad (6)")


@CLAIMS("intro", "Lecture 004 names the four terms $A_t, B_t, C_t, D_t$.", "lecture")
def lecture_004_names_the_terms():
    lecture_004_argues_a_sum()
    assert lecture_says("004", "B_t = f_t")


CLAIMS.not_a_claim(
    "intro", "so this notebook writes the terms in script letters", "says what the notebook's notation is"
)

CLAIMS.lecture(
    "intro",
    "Lecture 001 concludes that an RNN remembers 5-10 steps and an LSTM 100+.",
    {"001": ["Memory span 5-10 steps 100+ steps"]},
)


@CLAIMS("earlier_md", "the cell after it checks them on the lectures' numbers.", "lecture")
def earlier_gates_checked():
    keys = [c.key for c in visible_checks(A) if c.kind == "example"]
    assert {"004-sigmoid", "004-forget-gate"} <= set(keys)


@CLAIMS("rnn_jacobian_md", "(so a saturated unit, $h_t[j] \\approx \\pm 1$, passes almost no gradient).", "comparison")
def saturated_units_pass_little():
    W = np.ones((2, 2))
    J = gradient_flow.rnn_hidden_jacobian(W, np.array([0.999, 0.0]))
    assert np.abs(J[0]).max() < 0.01 and np.abs(J[1]).min() == 1


@CLAIMS("product_md", "Matrix products do not commute, so the order matters.", "comparison")
def order_matters():
    rng = np.random.default_rng(0)
    A_, B_ = rng.normal(size=(2, 3, 3))
    assert not np.allclose(A_ @ B_, B_ @ A_)


@CLAIMS("product_md", "Lecture 004's own product, taking its terms literally as {{ lecture_004_terms }}", "lecture")
def the_literal_product():
    assert lecture_says(
        "004",
        "A_t \\approx \\overrightarrow{0.1}, B_t = f_t \\approx \\overrightarrow{0.7}, "
        "C_t \\approx \\overrightarrow{0.1}",
    )
    assert np.allclose(example("004-cell-product-literal").exact, np.eye(3))


@CLAIMS("norms_md", "Lecture 004 claims that for the LSTM's cell state this product stays about 1.", "lecture")
def lecture_004_says_about_one():
    assert lecture_says("004", "\\approx \\prod_{t=2}^k \\overrightarrow{1} \\nrightarrow 0")


@CLAIMS(
    "norms_md",
    "the $f_t$ lecture 004 assumes; over the {{ cell_steps }} steps its $f_t$ averages {{ cell_mean_forget }}.",
    "number",
)
def the_real_cell_has_the_lectures_forget_gate():
    params = real_cell()[0]
    assert np.allclose(sigmoid(params["b_f"]), LECTURE_TERMS["B_t"])
    assert abs(forget_gates(*real_cell()).mean() - LECTURE_TERMS["B_t"]) < 0.05 and STEPS == 20


CLAIMS.not_a_claim("norms_md", "The matrices are long; here is only their first step:", "describes the cell below")


@CLAIMS("rnn_plot_md", "a 16-unit RNN run over 60 random inputs", "number")
def the_rnn_plot_is_the_texts():
    """The plot the cell draws is the run the reading's facts describe (seeded the same way)."""
    code = re.sub(r"^if ungraded_demo\(.*\):$", "if True:", cell_source(A, "rnn_plot"), count=1, flags=re.M)
    drawn = []

    class Axes:
        def semilogy(self, x, y, label):
            drawn.append(np.asarray(y))

        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    gradient_norms = lambda J: gradient_flow.spectral_norms(gradient_flow.jacobian_products(J))  # noqa: E731
    exec(
        code,
        {"np": np, "plt": Axes(), "rnn_jacobian": gradient_flow.rnn_hidden_jacobian, "gradient_norms": gradient_norms},
    )
    curves = facts.rnn_gradients()
    assert len(drawn) == 3 and all(np.allclose(y, curves[s][0]) for y, s in zip(drawn, facts.RNN_SCALES))
    assert all(len(y) == 60 for y in drawn) and curves[0.25][1].shape == (16, 16)


@CLAIMS(
    "rnn_plot_md",
    "Its weights are drawn as PyTorch draws them, $W_h$ uniform in $\\pm 1/\\sqrt{16} = \\pm 1/4$",
    "number",
)
def pytorch_draws_within_a_quarter():
    from student_kit import experiments

    layer = experiments.recurrent_layer("RNN", 4, 16)
    weights = layer.weight_hh_l0.detach().numpy()
    assert np.abs(weights).max() <= 0.25 and np.abs(weights).max() > 0.24 and 1 / np.sqrt(16) == 0.25


@CLAIMS("rnn_plot#", "one RNN step (lecture 000's recap)", "lecture")
def rnn_step_is_lecture_000s():
    assert lecture_says("000", "h_t = \\tanh(W_x x_t + W_h h_{t-1} + b)")


@CLAIMS("rnn_plot#", "W_h entries in +-1/4 (default)", "number")
def plot_label_default():
    pytorch_draws_within_a_quarter()


@CLAIMS("rnn_plot#", "W_h entries in +-1.5", "number")
def plot_label_widest():
    assert facts.RNN_SCALES == (0.25, 1.0, 1.5)


@CLAIMS("rnn_plot_reading", "orders of magnitude below the one from 1 step back", "comparison")
def vanishes_at_pytorch_scale():
    default = facts.rnn_gradients()[0.25][0]
    assert np.log10(default[0] / default[19]) > 3


@CLAIMS("rnn_plot_reading", "With larger weights it stops vanishing and wanders instead", "comparison")
def wanders_with_larger_weights():
    curves = facts.rnn_gradients()
    wide, widest = curves[1.0][0], curves[1.5][0]
    assert wide.min() > 1 and widest.max() > 100 and widest[widest.argmax() :].min() < 1


@CLAIMS("rnn_plot_reading", "for the three scales: below 1 only at PyTorch's scale.", "comparison")
def spectral_radii():
    radii = [facts.spectral_radius(facts.rnn_gradients()[s][1]) for s in facts.RNN_SCALES]
    assert radii[0] < 1 < radii[1] < radii[2]


@CLAIMS("rnn_plot_reading", "larger weights saturate more units.", "cause")
def larger_weights_saturate():
    means = [float((1 - facts.rnn_gradients()[s][2] ** 2).mean()) for s in facts.RNN_SCALES]
    assert means == sorted(means, reverse=True)


@CLAIMS("rnn_plot_reading", "even at PyTorch's scale: it bounds a single step, not the trend over many.)", "comparison")
def one_step_bound():
    W = facts.rnn_gradients()[0.25][1]
    assert np.linalg.norm(W, 2) > 1 > facts.spectral_radius(W)


@CLAIMS("rnn_plot_reading", "either vanishes or wanders: by a factor of", "comparison")
def vanishes_or_wanders():
    vanishes_at_pytorch_scale()
    wanders_with_larger_weights()


@CLAIMS("cell_jacobian_md", "The LSTM's $\\partial C_t / \\partial C_{t-1}$, lecture 004's four terms", "lecture")
def four_terms():
    lecture_004_names_the_terms()


@CLAIMS("cell_jacobian_md", "depends on $C_{t-1}$ directly (term $\\mathcal{B}_t$) and through", "lecture")
def the_terms_are_the_paths():
    """B_t alone is the direct path; A, C, D are the three gates' paths through h_{t-1} (lstm_ref's terms)."""
    params, x, C_0, o_0 = real_cell()
    terms = gradient_flow.cell_state_jacobian_terms(x[0], C_0, o_0, params)
    f_t = lstm.forget_gate(params["W_f"], o_0 * np.tanh(C_0), x[0], params["b_f"])
    assert np.allclose(terms["B_t"], np.diag(f_t))
    lecture_004_names_the_terms()


@CLAIMS("cell_jacobian_md", "(lecture 004's $W_g$ in $W_g h_{t-1} + U_g x_t$, whose $U_g$ reads $x_t$)", "lecture")
def lecture_004_letters():
    assert lecture_says("004", "f_t = \\sigma(W_f h_{t-1} + U_f x_t + b_f)")
    assert lecture_says(
        "004", "\\mathbf{f}^{(t)} = \\sigma \\left( \\mathbf{W}_f \\mathbf{h}^{(t-1)} + \\mathbf{U}_f \\mathbf{x}^{(t)}"
    )


@CLAIMS("cell_state_jacobian#", "dC_t/dC_{t-1}, the sum of lecture 004's four terms (section 4).", "lecture")
def the_sum_of_the_four():
    params, x, C_0, o_0 = real_cell()
    terms = gradient_flow.cell_state_jacobian_terms(x[0], C_0, o_0, params)
    assert np.allclose(sum(terms.values()), gradient_flow.cell_state_jacobian(x[0], C_0, o_0, params))


@CLAIMS("errata_md", "Your tests expect the right numbers, not the lectures':", "lecture")
def tests_expect_right_numbers():
    the_tests_expect_the_right_numbers(A)


@CLAIMS("autograd_md", "with 32 units and their default initialisation, over 100", "number")
def the_autograd_setting():
    from .measure import STEPS as RUN_STEPS
    from .measure import UNITS

    assert (RUN_STEPS, UNITS) == (100, 32)
    assert all(len(norms) == 99 for norms in MEASURED["gradient-by-lag"].values())


@CLAIMS(
    "autograd_md", "PyTorch draws the LSTM's forget-gate bias $b_f$ near 0, so at first its $f_t$ averages", "cause"
)
def pytorch_draws_b_f_near_zero():
    from student_kit import experiments

    layer = experiments.recurrent_layer("LSTM", 8, 32)
    b_f = (layer.bias_ih_l0 + layer.bias_hh_l0).detach().numpy()[32:64]  # torch's order: i, f, g, o
    assert np.abs(b_f).max() < 2 / np.sqrt(32) and abs(MEASURED["initial-forget-gates"]["LSTM"] - 0.5) < 0.05


@CLAIMS("autograd_md", "Jozefowicz et al.", "citation")
def jozefowicz():
    """Jozefowicz, Zaremba, Sutskever (2015), "An Empirical Exploration of Recurrent Network
    Architectures", recommend a forget-gate bias of 1: the course measures that setting."""
    assert lag_below("LSTM b_f=1") is not None and "LSTM b_f=1" in MEASURED["gradient-by-lag"]


@CLAIMS("autograd_md", "(2015) recommend $b_f = 1$.", "citation")
def jozefowicz_year():
    jozefowicz()


@CLAIMS("autograd#", "Gradient size against lag at initialisation (32 units, autograd)", "number")
def autograd_title():
    the_autograd_setting()


@CLAIMS("autograd#", "LSTM, PyTorch default b_f (near 0)", "number")
def autograd_label():
    pytorch_draws_b_f_near_zero()


CLAIMS.not_a_claim("autograd_reading", "Read where each curve falls below $10^{-6}$.", "an instruction")


@CLAIMS("autograd_reading", "nearly as soon: its $f_t$ averages {{ lstm_default_mean_forget }}", "comparison")
def nearly_as_soon():
    assert lag_below("RNN") < lag_below("LSTM") <= 1.5 * lag_below("RNN")


@CLAIMS("autograd_reading", "it lasts until lag {{ lstm_bf1_lag_below_1e6 }}.", "comparison")
def bf1_lasts_longer():
    assert lag_below("LSTM b_f=1") > lag_below("LSTM")


@CLAIMS("autograd_reading", "it stays above $10^{-6}$ at every lag measured", "comparison")
def bf3_stays_above():
    assert lag_below("LSTM b_f=3") is None


@CLAIMS(
    "autograd_reading",
    "The LSTM *can* keep a gradient alive, as lecture 004 says, but only where $f_t$ is close to 1",
    "cause",
)
def only_where_f_is_close_to_one():
    """Measured: the runs differ only in b_f; the gradient lasts longer the closer f_t is to 1."""
    forget = MEASURED["initial-forget-gates"]
    order = sorted(("LSTM", "LSTM b_f=1", "LSTM b_f=3"), key=lambda run: forget[run])
    lasts = [lag_below(run) or 100 for run in order]
    assert lasts == sorted(lasts) and lasts[0] < lasts[-1]
    assert lecture_says("004", "which allows the network to better control the gradients values")


@CLAIMS("autograd_reading", "close to the LSTM with the default $b_f$.", "comparison")
def gru_close_to_lstm():
    assert abs(lag_below("GRU") - lag_below("LSTM")) <= 0.25 * lag_below("LSTM")


@CLAIMS(
    "autograd_reading", 'Lecture 002\'s "Non-decaying error backpropagation" is not what these curves show.', "lecture"
)
def every_curve_decays():
    assert lecture_says("002", "Non-decaying error backpropagation")
    from .measure import GRADIENT_RUNS

    assert all(facts.factor_per_step(run) < 1 for run in GRADIENT_RUNS)


@CLAIMS("autograd_reading", "a factor of exactly 1 per step.", "citation")
def hochreiter_schmidhuber():
    """Hochreiter & Schmidhuber (1997) (lecture 000's reference 1): the constant error carousel,
    C_t = C_{t-1} + i_t * C~_t, has dC_t/dC_{t-1} = 1 on its direct path."""
    assert lecture_says("000", 'Hochreiter & Schmidhuber (1997). "Long Short-Term Memory."')
    C = np.array([0.3, -2.0])
    step = 1e-6
    direct = (lstm.cell_update(1.0, C + step, 0.5, 0.2) - lstm.cell_update(1.0, C - step, 0.5, 0.2)) / (2 * step)
    assert np.allclose(direct, 1.0)


@CLAIMS("autograd_reading", "The forget gate (Gers et al., 2000) trades that for the ability to forget.", "citation")
def gers():
    """Gers, Schmidhuber, Cummins (2000), "Learning to Forget": the forget gate scales C_{t-1} by f_t."""
    assert np.allclose(lstm.cell_update(0.5, 4.0, 0.0, 0.0), 2.0)


@CLAIMS("memory_md", "Memory span: does an RNN remember 5-10 steps and an LSTM 100+? (not graded)", "lecture")
def memory_question():
    assert lecture_says("001", "Memory span 5-10 steps 100+ steps")


@CLAIMS("memory_md", 'Lecture 001\'s example must carry "cat" over {{ exact__001_cat_was_distance }} words', "lecture")
def cat_over_fourteen_words():
    assert example("001-cat-was-distance").exact == 14 and lecture_says("001", '"cat" (15 words earlier)')


@CLAIMS("memory_md", "Chance is 50%.", "number")
def chance_is_half():
    import torch

    from student_kit import experiments

    _, bits = experiments.first_bit_batch(10, 20_000, torch.Generator().manual_seed(0))
    assert abs(float(bits.mean()) - 0.5) < 0.02


@CLAIMS("memory_md", "Each network has 16 units and one linear read-out, is trained with Adam for", "number")
def the_memory_setting():
    from student_kit import experiments

    defaults = inspect.signature(experiments.memory_span).parameters
    assert (defaults["n_hidden"].default, defaults["batch"].default) == (16, 32)
    source = inspect.getsource(experiments.memory_span)
    assert "torch.optim.Adam" in source and "clip_grad_norm_(model.parameters(), 1.0)" in source
    assert f"first_bit_batch(lag, {TEST_SEQUENCES}" in source and "torch.nn.Linear(n_hidden, 1)" in inspect.getsource(
        experiments
    )


@CLAIMS("memory_reading", "every network remembers the bit over 10 steps", "comparison")
def all_remember_ten():
    from .measure import MEMORY_RUNS

    assert all(memory(run, 10) >= REMEMBERS for run in MEMORY_RUNS)


@CLAIMS("memory_reading", "At 20 steps the RNN is at chance ({{ memory_rnn_20 }}), and so is the LSTM", "comparison")
def twenty_at_chance():
    assert at_chance(memory("RNN", 20)) and at_chance(memory("LSTM", 20))
    nearly_as_soon()


@CLAIMS("memory_reading", "remember 20 steps.", "comparison")
def bf3_and_gru_remember_twenty():
    assert memory("LSTM b_f=3", 20) >= REMEMBERS and memory("GRU", 20) >= REMEMBERS


@CLAIMS("memory_reading", "At 50 and 100 steps even the LSTM with $b_f = 3$ is back at chance", "comparison")
def bf3_at_chance_later():
    assert at_chance(memory("LSTM b_f=3", 50)) and at_chance(memory("LSTM b_f=3", 100))


@CLAIMS(
    "memory_reading",
    "So lecture 001's 5-10 steps for the RNN fits this short run, and its 100+ for the LSTM does not.",
    "lecture",
)
def lecture_001_against_the_run():
    assert memory("RNN", 10) >= REMEMBERS and at_chance(memory("RNN", 20))
    assert all(at_chance(memory(run, 100)) for run in ("LSTM", "LSTM b_f=3"))
    memory_question()


@CLAIMS("memory_reading", "Neither is a property of the architecture alone", "comparison")
def training_length_matters():
    assert memory("RNN", 50, LONG) >= REMEMBERS and at_chance(memory("LSTM", 20, LONG)) and LONG > SHORT


@CLAIMS("lecture_002_md", "**Lecture 002's other two claims, answered by these measurements.**", "lecture")
def lecture_002_claims():
    assert lecture_says("002", "No parameter fine-tuning")
    assert lecture_says("002", "remembering information for long periods is the default behavior")


@CLAIMS(
    "lecture_002_md",
    "this LSTM does not learn a 20-step memory even in {{ memory_long_training }} batches",
    "comparison",
)
def bias_is_a_parameter_to_tune():
    assert at_chance(memory("LSTM", 20, LONG)) and memory("LSTM b_f=3", 20) >= REMEMBERS


@CLAIMS("lecture_002_md", "so each step keeps about half of the cell state", "cause")
def keeps_about_half():
    assert abs(MEASURED["initial-forget-gates"]["LSTM"] - 0.5) < 0.05
    assert lag_below("LSTM") < 99


@CLAIMS("lecture_002_md", "An LSTM's cell keeps what it wrote only where $f_t$ stays close to 1.", "comparison")
def keeps_only_near_one():
    from lstm_ref.sequences import memory_trace

    for f in (0.5, 0.9, 0.99):
        trace = memory_trace(np.full(21, f), np.ones(21), 0)
        assert np.isclose(trace[20], f**20)
    assert 0.5**20 < 1e-6 < 0.99**20


# -- lasting_lags: lecture 002's "No parameter fine-tuning", graded -------------------------------

FINE_TUNING = ("LSTM", "LSTM b_f=1", "LSTM b_f=3")  # section 5's three LSTMs, as the example reads them


def _lasted_by_hand(norms, level):
    """How many lags from lag 1 a curve stays at or above level, counted one lag at a time."""
    lasted = 0
    for value in norms:
        if value < level:
            break
        lasted += 1
    return lasted


def lasting_lags_means_what_it_says():
    """The reference, on curves that dip below the level and come back, one that never falls
    below, one that starts below: the lags before the first fall, K if none, 0 if lag 1 falls."""
    from .exercises import gradient_curves, lasting_lags

    rng = np.random.default_rng(7)
    for _ in range(50):
        norms, level = gradient_curves(rng)
        assert lasting_lags(norms, level).tolist() == [_lasted_by_hand(row, level) for row in norms]
    curves = np.array([[1.0, 0.1, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.1, 1.0, 1.0, 1.0]])
    assert lasting_lags(curves, 0.5).tolist() == [1, 4, 0] and lasting_lags(curves, 1.0).tolist() == [1, 4, 0]


@CLAIMS("lasting_md", 'Lecture 002\'s "No parameter fine-tuning", graded', "lecture")
def no_fine_tuning_is_graded():
    assert lecture_says("002", "No parameter fine-tuning")
    graded = [c for c in visible_checks(A) if c.name == "lasting_lags" and c.kind == "example"]
    assert [c.key for c in graded] == ["002-no-fine-tuning"]
    assert 'check_example("lasting_lags", lasting_lags, "002-no-fine-tuning")' in cell_source(A, "lasting_lags_lecture")


@CLAIMS("lasting_md", "the last lag before it first falls below, or $K$ if it never does", "number")
def lasting_lags_task():
    lasting_lags_means_what_it_says()


@CLAIMS("lasting_lags#", "how many lags, from lag 1 on, it stays >= level (K if always).", "number")
def lasting_lags_docstring():
    lasting_lags_means_what_it_says()


@CLAIMS(
    "lasting_md", "The visible test reads section 5's three LSTMs, which have the same weights but for $b_f$", "number"
)
def the_visible_test_reads_section_5():
    """The example's rows are section 5's LSTM curves (default b_f, b_f = 1, b_f = 3) at the level
    the text calls vanished; the three layers are one seeded LSTM whose forget-gate bias alone is
    set (torch's gate order i, f, g, o: rows n..2n); the errata section shows the example's erratum."""
    from assignments.evidence import errata_shown
    from student_kit import experiments

    from .examples import VANISHED

    entry = example("002-no-fine-tuning")
    assert np.array_equal(entry.inputs["norms"], np.stack([MEASURED["gradient-by-lag"][run] for run in FINE_TUNING]))
    assert entry.inputs["level"] == VANISHED == facts.VANISHED == 1e-6
    assert facts.vanishing_level() == "$10^{-6}$"
    assert "002-no-fine-tuning" in errata_shown(A)
    layers = [experiments.recurrent_layer("LSTM", 8, 32, forget_bias, seed=0) for forget_bias in (None, 1.0, 3.0)]
    forget_rows = np.zeros(4 * 32, bool)
    forget_rows[32:64] = True
    for name, value in layers[0].named_parameters():
        for other in layers[1:]:
            theirs = dict(other.named_parameters())[name].detach().numpy()
            keep = ~forget_rows if name.startswith("bias") else slice(None)
            assert np.array_equal(value.detach().numpy()[keep], theirs[keep]), name
    b_f = [(layer.bias_ih_l0 + layer.bias_hh_l0).detach().numpy()[32:64] for layer in layers]
    assert np.all(b_f[1] == 1.0) and np.all(b_f[2] == 3.0) and np.abs(b_f[0]).max() < 0.5


@CLAIMS("lasting_demo#", "{}: at or above 1e-6 for {} of the {} lags measured", "number")
def the_demo_reads_at_1e_6():
    from .examples import VANISHED

    source = cell_source(A, "lasting_demo")
    assert 'lasting_lags(np.stack([run["norms"] for run in runs]), 1e-6)' in source and VANISHED == 1e-6
    assert 'given("gradient-by-lag")' in source and "len(run['norms'])" in source


# -- the worked examples' errata ---------------------------------------------------------------


CLAIMS.lecture(
    "erratum:004-cell-jacobian",
    "Lecture 004 adds A_t ≈ 0.1, B_t = f_t ≈ 0.7, C_t ≈ 0.1, D_t ≈ 0.1 as if they were vectors",
    {"004": ["A_t \\approx \\overrightarrow{0.1}, B_t = f_t \\approx \\overrightarrow{0.7}"]},
)


@CLAIMS("erratum:004-cell-jacobian", "They are 3 x 3 matrices", "number")
def the_terms_are_matrices():
    params, x, C_0, o_0 = real_cell()
    terms = gradient_flow.cell_state_jacobian_terms(x[0], C_0, o_0, params)
    assert all(term.shape == (3, 3) for term in terms.values())
    assert np.count_nonzero(terms["B_t"] - np.diag(np.diag(terms["B_t"]))) == 0
    assert all(np.count_nonzero(terms[k] - np.diag(np.diag(terms[k]))) for k in ("A_t", "C_t", "D_t"))


@CLAIMS("erratum:004-cell-jacobian", "of either sign, not 0.1, and the sum's diagonal is", "comparison")
def the_terms_are_small_and_signed():
    params, x, C_0, o_0 = real_cell()
    terms = gradient_flow.cell_state_jacobian_terms(x[0], C_0, o_0, params)
    entries = np.concatenate([terms[k].ravel() for k in ("A_t", "C_t", "D_t")])
    assert np.abs(entries).max() < 0.1 and entries.min() < 0 < entries.max()
    assert np.all(np.diag(example("004-cell-jacobian").exact) < 0.9)


@CLAIMS("erratum:004-cell-jacobian", "The lecture's D_t also has σ' where tanh' belongs", "lecture")
def d_has_sigma_prime():
    assert lecture_says("004", "D_t = \\sigma'(W_c \\cdot [h_{t-1}, x_t]) \\cdot W_c")


@CLAIMS("erratum:004-cell-product-norms", "Lecture 004 concludes that the product stays ≈ 1.", "lecture")
def concludes_one():
    lecture_004_says_about_one()


@CLAIMS("erratum:004-cell-product-norms", "it shrinks: 0.781 after 1 step", "comparison")
def the_product_shrinks():
    norms = example("004-cell-product-norms").exact
    assert np.all(np.diff(norms) < 0) and norms[-1] < 0.01 and 0.7**20 < norms[-1]


@CLAIMS("erratum:004-cell-product-norms", "the cell state keeps a gradient alive only where f_t is close to 1", "cause")
def alive_only_near_one():
    only_where_f_is_close_to_one()


CLAIMS.lecture(
    "erratum:001-cat-was-distance",
    'Lecture 001 says "was" must be predicted from "cat" "15 words earlier".',
    {"001": ['Problem: Predict "was" (singular) based on "cat" (15 words earlier)']},
)


@CLAIMS("erratum:001-cat-was-distance", '"cat" is word 2 and "was" word 16 of the sentence', "number")
def cat_and_was():
    words = "The cat that chased the mouse that ate the cheese that sat on the table was hungry".split()
    assert words.index("cat") + 1 == 2 and words.index("was") + 1 == 16
    assert lecture_says("001", '"The cat that chased the mouse that ate the cheese that sat on the table was hungry."')


@CLAIMS("erratum:001-cat-was-distance", 'a plain RNN has to carry "cat" across 14 steps.', "number")
def across_fourteen():
    assert example("001-cat-was-distance").exact == 14


CLAIMS.lecture(
    "erratum:004-D-term-derivative",
    "Lecture 004's D_t = σ'(W_c · [h_{t-1}, x_t]) · W_c · ... · i_t",
    {
        "004": [
            "D_t = \\sigma'(W_c \\cdot [h_{t-1}, x_t]) \\cdot W_c \\cdot o_{t-1} \\otimes \\tanh'(c_{t-1}) \\cdot i_t"
        ]
    },
)


@CLAIMS("erratum:004-D-term-derivative", "up to 4 times σ' (at a_c = 0: 1 against 0.25)", "comparison")
def tanh_prime_up_to_four_times():
    a = np.linspace(-20, 20, 40001)
    ratio = (1 - np.tanh(a) ** 2) / (sigmoid(a) * (1 - sigmoid(a)))
    assert ratio.max() <= 4 + 1e-9 and np.isclose(ratio[20000], 4)


@CLAIMS(
    "erratum:004-D-term-derivative",
    "checks the sum of the four terms against PyTorch's autograd",
    "comparison",
)
def the_named_test_exists():
    """tests/test_lstm_ref_gradient_flow.py does (the erratum names no file: students have none of them)."""
    from pathlib import Path

    test = Path(__file__).resolve().parents[2] / "tests" / "test_lstm_ref_gradient_flow.py"
    source = test.read_text()
    assert "def test_terms_sum_to_the_autograd_jacobian" in source and "torch.autograd" in source


CLAIMS.lecture(
    "erratum:004-derivative-without-bias",
    "Lecture 004 evaluates σ'(W_f · [h_{t-1}, x_t]), σ'(W_i · ...) and σ'(W_c · ...) without the biases.",
    {"004": ["A_t = \\sigma'(W_f \\cdot [h_{t-1}, x_t]) \\cdot", "C_t = \\sigma'(W_i \\cdot [h_{t-1}, x_t]) \\cdot"]},
)


@CLAIMS("erratum:004-jacobian-weight-shape", "it cannot multiply the n-vector o_{t-1} ⊗ tanh'(c_{t-1})", "lecture")
def the_weight_cannot_multiply():
    assert lecture_says("004", "Here seq length is 6") and lecture_says(
        "004", "\\cdot W_f \\cdot o_{t-1} \\otimes \\tanh'(c_{t-1})"
    )
    try:
        np.ones((3, 6)) @ np.ones(3)
    except ValueError:
        pass
    else:
        raise AssertionError("a 3 x 6 matrix multiplied a 3-vector")
    lecture_004_letters()


@CLAIMS("erratum:004-gradient-single-path", "Lecture 004's eq.", "lecture")
def eq_4_one_path():
    assert lecture_says(
        "004",
        "\\left( \\prod_{t=2}^k \\frac{\\partial c_t}{\\partial c_{t-1}} \\right) "
        "\\frac{\\partial c_1}{\\partial W} \\quad (4)",
    )


@CLAIMS(
    "erratum:004-gradient-single-path",
    "(4) keeps one path: W used at step 1, reaching E_k through the cell only.",
    "lecture",
)
def one_path():
    eq_4_one_path()


@CLAIMS(
    "erratum:004-gradient-single-path", "W is used at every step, so dE_k/dW sums one such product per step", "cause"
)
def w_used_at_every_step():
    """Give each step its own copy of W_f: the gradient of the shared W_f is the sum of the copies'
    gradients (one term per step), and no single step's term is the whole."""
    rng = np.random.default_rng(0)
    params, x = lstm.init_params(3, 2, rng=rng), rng.normal(size=(4, 1, 2))
    weight = rng.normal(size=3)

    def loss(W_f_per_step):
        h, C = np.zeros((1, 3)), np.zeros((1, 3))
        for x_t, W_f in zip(x, W_f_per_step):
            (h, C), _ = lstm.lstm_cell_forward(x_t, h, C, params | {"W_f": W_f})
        return float(h[0] @ weight)

    step, entry = 1e-6, (1, 2)
    nudged = np.zeros_like(params["W_f"])
    nudged[entry] = step
    shared = (loss([params["W_f"] + nudged] * 4) - loss([params["W_f"] - nudged] * 4)) / (2 * step)
    per_step = []
    for j in range(4):
        plus = [params["W_f"] + (nudged if k == j else 0) for k in range(4)]
        minus = [params["W_f"] - (nudged if k == j else 0) for k in range(4)]
        per_step.append((loss(plus) - loss(minus)) / (2 * step))
    assert np.isclose(shared, sum(per_step), rtol=1e-5, atol=1e-9)
    assert not any(np.isclose(shared, term, rtol=1e-3) for term in per_step)


@CLAIMS(
    "erratum:004-gradient-single-path",
    "The lecture's conclusion survives: each product of dc_t/dc_{t-1} contains f_t",
    "lecture",
)
def each_product_contains_f():
    params, x, C_0, o_0 = real_cell()
    terms = gradient_flow.cell_state_jacobian_terms(x[0], C_0, o_0, params)
    f_t = lstm.forget_gate(params["W_f"], o_0 * np.tanh(C_0), x[0], params["b_f"])
    assert np.allclose(np.diag(terms["B_t"]), f_t)


CLAIMS.lecture(
    "erratum:002-no-fine-tuning",
    'Lecture 002 lists "No parameter fine-tuning" among the LSTM\'s advantages.',
    {"002": ["Advantages of LSTM:", "No parameter fine-tuning"]},
)


@CLAIMS(
    "erratum:002-no-fine-tuning",
    "(the same weights but for b_f, 32 units, at initialisation) keeps its gradient at or above",
    "number",
)
def no_fine_tuning_lags():
    """The lags in the erratum, counted again from facts.lag_below (the first lag below 10^-6):
    one fewer than it, or every lag measured where the gradient never falls below."""
    from .measure import UNITS

    the_visible_test_reads_section_5()
    erratum = example("002-no-fine-tuning").erratum
    lasted = [lag_below(run) - 1 if lag_below(run) else len(MEASURED["gradient-by-lag"][run]) for run in FINE_TUNING]
    assert lag_below("LSTM b_f=3") is None and UNITS == 32
    assert (
        f"at or above 10^-6 for {lasted[0]} lags with PyTorch's default b_f, {lasted[1]} with b_f = 1 and all "
        f"{lasted[2]} lags measured with b_f = 3." in erratum
    )
    assert example("002-no-fine-tuning").exact.tolist() == lasted


@CLAIMS("erratum:002-no-fine-tuning", "the LSTM with b_f = 3 tells the bit 20 steps back in", "number")
def no_fine_tuning_memory():
    """The shares of 512 new test sequences, as measured; 100% is every one of them (not a rounding)."""
    erratum = example("002-no-fine-tuning").erratum
    span = MEASURED["memory-span"]
    at_20 = {run: span["short"][run][list(span["lags"]).index(20)] for run in ("LSTM", "LSTM b_f=3")}
    assert at_20["LSTM b_f=3"] == 1.0 and at_chance(at_20["LSTM"]) and at_chance(span["long"]["LSTM lag 20"])
    shares = [round(100 * share) for share in (at_20["LSTM b_f=3"], at_20["LSTM"], span["long"]["LSTM lag 20"])]
    assert (
        f"for {SHORT} batches, the LSTM with b_f = 3 tells the bit 20 steps back in {shares[0]}% of new "
        f"sequences; with the default b_f in {shares[1]}% (chance is 50%), and in {shares[2]}% after {LONG} "
        "batches." in erratum
    )
    chance_is_half()


# -- the hints and objectives that name a lecture ----------------------------------------------


@CLAIMS("hint:cell_state_jacobian/sigma-prime-in-D", "as lecture 004's σ' suggests", "lecture")
def hint_sigma_prime():
    d_has_sigma_prime()


@CLAIMS("hint:cell_state_jacobian/only-B", "add lecture 004's other three terms (A, C and D).", "lecture")
def hint_other_terms():
    lecture_004_names_the_terms()
    the_terms_are_matrices()


@CLAIMS(
    "hint:cell_state_jacobian/without-dh-dC",
    "so lecture 004's terms A, C and D each hold o_{t-1} ⊗ tanh'(c_{t-1})",
    "lecture",
)
def hint_each_hold():
    text = lecture_text("004")
    for term in ("A_t", "C_t", "D_t"):
        line = text[text.index(f"{term} = \\sigma'") :][:120]
        assert "o_{t-1} \\otimes \\tanh'(c_{t-1})" in line, term


@CLAIMS("objective", "compute dC_t/dC_{t-1} as the sum of lecture 004's four terms on a real LSTM cell", "lecture")
def objective_terms():
    the_sum_of_the_four()
    the_product_shrinks()


@CLAIMS("objective", 'test lecture 001\'s claim "RNN 5-10 steps, LSTM 100+" with a seeded memory experiment', "lecture")
def objective_memory():
    memory_question()


@CLAIMS(
    "objective", 'answer lecture 002\'s "Non-decaying error backpropagation" and "No parameter fine-tuning"', "lecture"
)
def objective_002():
    lecture_002_claims()
    every_curve_decays()


# -- the hints, as formulas of the right functions ----------------------------------------------


def _hints():
    from lstm_ref import candidate, forget_gate

    from .exercises import jacobian_product, lasting_lags

    right_jacobian = gradient_flow.rnn_hidden_jacobian

    def terms(x_t, C_prev, o_prev, params):
        return gradient_flow.cell_state_jacobian_terms(x_t, C_prev, o_prev, params)

    def sigma_prime_in_D(x_t, C_prev, o_prev, params):
        """D_t with the sigmoid's C~(1 - C~) where tanh's 1 - C~² belongs: its rows scaled by C~ / (1 + C~)."""
        t = terms(x_t, C_prev, o_prev, params)
        C_tilde = candidate(params["W_c"], o_prev * np.tanh(C_prev), x_t, params["b_c"])
        return t["A_t"] + t["B_t"] + t["C_t"] + (C_tilde / (1 + C_tilde))[:, None] * t["D_t"]

    def without_dh_dC(x_t, C_prev, o_prev, params):
        """A, C and D without their factor diag(o_{t-1} ⊙ tanh'(C_{t-1})) on the right."""
        t = terms(x_t, C_prev, o_prev, params)
        d = o_prev * (1 - np.tanh(C_prev) ** 2)
        return t["B_t"] + (t["A_t"] + t["C_t"] + t["D_t"]) / d[None, :]

    def also_after_the_fall(norms, level):
        """ "every lag at or above the level, also the lags after the gradient first fell below it"."""
        lasted = lasting_lags(norms, level)
        return lasted + np.array([np.sum(row[k + 1 :] >= level) for row, k in zip(norms, lasted)])

    def frobenius(jacobians):
        products = gradient_flow.jacobian_products(jacobians)
        return np.array([np.linalg.norm(product, "fro") for product in products])

    return {
        "rnn_jacobian/derivative-on-the-right": lambda W_h, h: W_h @ np.diag(1 - h**2),
        "rnn_jacobian/no-tanh-derivative": lambda W_h, h: W_h,
        "rnn_jacobian/1-minus-h": lambda W_h, h: np.diag(1 - h) @ W_h,
        "rnn_jacobian/sigmoid-derivative": lambda W_h, h: np.diag(h * (1 - h)) @ W_h,
        "rnn_jacobian/transposed": lambda W_h, h: right_jacobian(W_h.T, h),
        "jacobian_product/wrong-order": lambda jacobians: jacobian_product(jacobians[::-1]),  # J_1 J_2 ... J_k
        "gradient_norms/frobenius": frobenius,
        "cell_state_jacobian/sigma-prime-in-D": sigma_prime_in_D,
        "cell_state_jacobian/only-B": lambda x_t, C_prev, o_prev, params: np.diag(
            forget_gate(params["W_f"], o_prev * np.tanh(C_prev), x_t, params["b_f"])
        ),
        "cell_state_jacobian/without-dh-dC": without_dh_dC,
        "lasting_lags/every-lag-above": also_after_the_fall,
        # "the first lag below (counting from 1)": one more than the lags it lasted; 1 where it never falls
        "lasting_lags/first-lag-below": lambda norms, level: np.where(
            (norms < level).any(axis=-1), lasting_lags(norms, level) + 1, 1
        ),
        # "a gradient that never falls below ... np.argmax of a row that is all False is 0"
        "lasting_lags/never-below-is-0": lambda norms, level: np.where(
            (norms < level).any(axis=-1), lasting_lags(norms, level), 0
        ),
    }


HINTS = _hints()
