"""Numbers the notebooks' text states, computed here, never typed.

A markdown cell of solutions/ writes {{ name }}; `autograder release` puts FACTS[name]() there
(autograder/release/render.py). Each fact is a function returning the text to insert.

    @fact
    def sigma_of_minus_6():
        return f"{sigmoid(-6.0):.6f}"

Two kinds:
- numbers of the lectures' worked examples, registered for every example (see _example_facts):
  {{ lecture__004_forget_preactivation }} is what lecture 004 prints, {{ exact__<key> }} the
  right value, {{ input__<key>__<argument> }} one of its inputs;
- measurements (seeded), for sentences that state a measured fact. Each has a function that
  returns the numbers (tests/test_facts.py checks the sentence's wording against them) and
  facts that format them. The torch ones run at release, in seconds, cached per process.
"""
import functools

import numpy as np

from . import gradient_flow, gru, lstm, rnn
from .activations import sigmoid
from .worked_examples import EXAMPLES
from .worked_examples.base import listed
from .worked_examples.input_gate import FORGET_001, INPUT_001, SENTENCE_001, memory_trace
from .worked_examples.reviews import REVIEW_LENGTHS_000, SENTIMENTS_000
from .worked_examples.vanishing import LECTURE_TERMS, N_UNITS, STEPS, forget_gates, real_cell

def _experiments():
    """The torch measurements (imported only when a torch fact is rendered): the code a student
    with PyTorch can rerun, in student_kit."""
    from student_kit import experiments

    return experiments


FACTS = {}
TORCH_FACTS = set()  # the facts measured with torch: rendered at release, tested by the slow tests


def fact(function):
    """Register `function` as the fact {{ function.__name__ }}."""
    FACTS[function.__name__] = function
    return function


def torch_fact(function):
    """A fact measured with torch (seeded, seconds)."""
    TORCH_FACTS.add(function.__name__)
    return fact(function)


def number(value, digits=6):
    """A number with `digits` significant digits, no trailing zeros: 0.0024726, 175, 0.75."""
    return format(float(value), f".{digits}g")


def sci(value, digits=2):
    """A number in LaTeX's scientific notation, for inside $...$: 1.7 \\times 10^{-58}."""
    mantissa, exponent = f"{float(value):.{digits - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def percent(fraction):
    return f"{100 * fraction:.0f}%"


# ------------------------------------------------------------------ the worked examples

def _plain(value):
    """A value as the text of a lecture number: [-6, 175, 133], 15, (3, 7); None if not a number."""
    if isinstance(value, tuple) and all(isinstance(v, (int, np.integer)) for v in value):
        return f"({', '.join(map(str, value))})"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return number(value)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return listed(value, ".6g")
    return None


def _example_facts():
    for example in EXAMPLES.values():
        name = example.key.replace("-", "_")
        values = {f"lecture__{name}": example.stated, f"exact__{name}": example.exact}
        values |= {f"input__{name}__{argument}": value for argument, value in example.inputs.items()}
        for fact_name, value in values.items():
            text = _plain(value)
            if text is not None:
                FACTS[fact_name] = lambda text=text: text


_example_facts()


# ------------------------------------------------------------------ forget_gate

@fact
def sigma_minus_6():
    return f"{sigmoid(-6.0):.6f}"


@fact
def one_minus_sigma_133():
    return sci(sigmoid(-133.0))


@fact
def one_minus_sigma_175():
    return sci(sigmoid(-175.0))


CAT_GATE_001 = 0.1  # lecture 001's forget-gate slide: "cat" info 10%


@fact
def cat_gate_keeps():
    """Lecture 001's 10% as a gate value, applied to lecture 000's C_{t-1} = [4, 5, 6]."""
    C_prev = EXAMPLES["000-forget-half"].inputs["C_prev"]
    return listed(lstm.forget(np.full_like(C_prev, CAT_GATE_001), C_prev))


@fact
def cat_gate_removes():
    return percent(1 - CAT_GATE_001)


@fact
def forget_at_dog():
    """Lecture 001's table: the forget value at "dog", where its forget-gate slide says 10%."""
    return f"{FORGET_001[SENTENCE_001.index('dog')]:g}"


# ------------------------------------------------------------------ input_gate

def sigmoid_rounds_to_one():
    """The z from which float64 returns σ(z) = 1.0: 1 + e^(-z) rounds to 1 once e^(-z) < epsneg."""
    return -np.log(np.finfo(np.float64).epsneg)


@fact
def sigmoid_is_one_from():
    return f"{sigmoid_rounds_to_one():.1f}"


# Issue 12's case: a sigmoid candidate cannot write a negative value, but the cell still shrinks.
SHRINK = dict(f_t=0.1, C_prev=5.0, i_t=0.5, C_tilde=0.5)


def sigmoid_candidate_update():
    s = SHRINK
    return float(lstm.cell_update(s["f_t"], s["C_prev"], s["i_t"], s["C_tilde"]))


@fact
def sigmoid_candidate_shrinks():
    s = SHRINK
    return (f"with $C_{{t-1}} = {s['C_prev']:g}$, $f_t = {s['f_t']:g}$, $i_t = {s['i_t']:g}$ and a sigmoid "
            f"candidate $\\tilde{{C}}_t = {s['C_tilde']:g}$, $C_t = {s['f_t']:g} \\cdot {s['C_prev']:g} + "
            f"{s['i_t']:g} \\cdot {s['C_tilde']:g} = {number(sigmoid_candidate_update())}$")


def cat_trace():
    """(trace, period): lecture 001's table traced for "cat", and the index of the full stop."""
    cat = SENTENCE_001.index("cat")
    return memory_trace(FORGET_001, INPUT_001, cat), SENTENCE_001.index(".")


@fact
def cat_left_after_period():
    trace, period = cat_trace()
    return f"{trace[period]:.4f}"


@fact
def cat_share_after_period():
    trace, period = cat_trace()
    return percent(trace[period] / trace[SENTENCE_001.index("cat")])


@fact
def forget_at_second_the():
    _, period = cat_trace()
    return f"{FORGET_001[period + 1]:g}"


@fact
def cat_left_after_second_the():
    trace, period = cat_trace()
    return f"{trace[period + 1]:.4f}"


# ------------------------------------------------------------------ output_gate

@fact
def review_table_000():
    """Lecture 000's Review / Sentiment table, as a markdown table."""
    rows = ["| review | words | sentiment |", "| --- | --- | --- |"]
    for b, (length, sentiment) in enumerate(zip(REVIEW_LENGTHS_000, SENTIMENTS_000), start=1):
        words = ", ".join(f"$X_{{{b}{t}}}$" for t in range(1, length + 1))
        rows.append(f"| {b} | {words} | {sentiment} |")
    return "\n".join(rows)


@fact
def review_steps_000():
    return str(max(REVIEW_LENGTHS_000))


# ------------------------------------------------------------------ gru

def gru_conventions():
    """Per unit, whether the lecture's and PyTorch's candidate agree on the section-3 example (b_hn = 0)."""
    lecture, torch_form = EXAMPLES["000-gru-candidate"].exact, EXAMPLES["000-gru-candidate-torch"].exact
    return np.isclose(lecture, torch_form, rtol=0, atol=1e-12)


def _units(mask):
    numbers = [str(k + 1) for k in np.flatnonzero(mask)]
    return ("unit " if len(numbers) == 1 else "units ") + " and ".join(numbers)


@fact
def gru_units_agreeing():
    return _units(gru_conventions())


@fact
def gru_units_differing():
    return _units(~gru_conventions())


@fact
def gru_lstm_parameter_ratio():
    """GRU / LSTM parameters in the lectures' notation: 3 blocks W (n, n + m), b (n) against 4."""
    n, m = N_UNITS, 4
    gru_count = sum(int(np.prod(shape)) for shape in gru.gru_param_shapes(n, m).values())
    lstm_count = sum(p.size for p in lstm.init_params(n, m, rng=0).values())
    return f"{gru_count / lstm_count:g}"


@functools.cache
def gru_torch_parity():
    """(difference of the PyTorch convention, of the lecture convention) from torch.nn.GRU after
    5 steps: the gru notebook's section 6, seeded as there."""
    import torch

    from .convert import gru_params_from_torch

    torch.manual_seed(0)
    layer = torch.nn.GRU(input_size=4, hidden_size=3, dtype=torch.float64)
    params = gru_params_from_torch(layer)
    x = torch.randn(5, 1, 4, dtype=torch.float64)
    with torch.no_grad():
        torch_h = layer(x)[0][-1, 0].numpy()
    lecture_params = {k: v for k, v in params.items() if k != "b_hn"}
    h = {"torch": np.zeros(3), "lecture": np.zeros(3)}
    for t in range(5):
        h["torch"], _ = gru.gru_cell_forward(x[t, 0].numpy(), h["torch"], params, convention="torch")
        h["lecture"], _ = gru.gru_cell_forward(x[t, 0].numpy(), h["lecture"], lecture_params, convention="lecture")
    return float(np.abs(h["torch"] - torch_h).max()), float(np.abs(h["lecture"] - torch_h).max())


@torch_fact
def gru_torch_convention_difference():
    """An upper bound, a power of 10: the last bits of float64 rounding differ between machines."""
    return f"10^{{{int(np.ceil(np.log10(max(gru_torch_parity()[0], 1e-300))))}}}"


@torch_fact
def gru_lecture_convention_difference():
    return f"{gru_torch_parity()[1]:.2f}"


# ------------------------------------------------------------------ vanishing_gradients

@fact
def lecture_004_forget():
    return f"{LECTURE_TERMS['B_t']:g}"


@fact
def lecture_004_terms():
    t = LECTURE_TERMS
    return (f"$\\mathcal{{A}}_t = \\mathcal{{C}}_t = \\mathcal{{D}}_t = {t['A_t']:g}$ and "
            f"$\\mathcal{{B}}_t = f_t = {t['B_t']:g}$")


@fact
def cell_steps():
    return str(STEPS)


@fact
def cell_units():
    return str(N_UNITS)


@fact
def cell_mean_forget():
    """The mean f_t of the real cell of lecture 004's example, over its 20 steps."""
    return f"{forget_gates(*real_cell()).mean():.2f}"


RNN_SCALES = (0.25, 1.0, 1.5)  # the vanishing notebook's RNN plot: W_h uniform in +-scale


@functools.cache
def rnn_gradients():
    """{scale: (norms of dh_k/dh_0 for k = 1..60, W_h, h_all)}: the RNN plot of section 3, seeded as there."""
    rng, curves = np.random.default_rng(0), {}
    for scale in RNN_SCALES:
        params = rnn.init_rnn_params(16, 4, rng=rng, scale=scale)
        (h_all, _), _ = rnn.rnn_forward(rng.normal(size=(60, 1, 4)), None, params)
        jacobians = gradient_flow.rnn_hidden_jacobian(params["W_h"], h_all[:, 0])
        norms = gradient_flow.spectral_norms(gradient_flow.jacobian_products(jacobians))
        curves[scale] = (norms, params["W_h"], h_all)
    return curves


def spectral_radius(W):
    return float(np.abs(np.linalg.eigvals(W)).max())


@fact
def rnn_default_lag_1():
    return f"{rnn_gradients()[0.25][0][0]:.2f}"


@fact
def rnn_default_lag_20():
    return sci(rnn_gradients()[0.25][0][19])


@fact
def rnn_default_orders_at_20():
    norms = rnn_gradients()[0.25][0]
    return f"{np.log10(norms[0] / norms[19]):.1f}"


@fact
def rnn_wide_range():
    norms = rnn_gradients()[1.0][0]
    return f"between {norms.min():.0f} and {norms.max():.0f}"


@fact
def rnn_widest_max():
    return f"{rnn_gradients()[1.5][0].max():.0f}"


@fact
def rnn_widest_min_after_max():
    norms = rnn_gradients()[1.5][0]
    return f"{norms[norms.argmax():].min():.2f}"


@fact
def rnn_spectral_radii():
    radii = [spectral_radius(rnn_gradients()[scale][1]) for scale in RNN_SCALES]
    return ", ".join(f"{radius:.2f}" for radius in radii)


@fact
def rnn_default_norm_of_W():
    return f"{np.linalg.norm(rnn_gradients()[0.25][1], 2):.2f}"


@fact
def rnn_mean_tanh_derivatives():
    means = [float((1 - rnn_gradients()[scale][2] ** 2).mean()) for scale in RNN_SCALES]
    return ", ".join(f"{mean:.2f}" for mean in means)


# Section 5: ||dh_T/dh_{T-k}|| at initialisation, by torch autograd (experiments.gradient_norm_by_lag).
GRADIENT_RUNS = {"RNN": ("RNN", None), "GRU": ("GRU", None), "LSTM": ("LSTM", None),
                 "LSTM b_f=1": ("LSTM", 1.0), "LSTM b_f=3": ("LSTM", 3.0)}
VANISHED = 1e-6


@functools.cache
def gradient_by_lag():
    """{run: norms for lag 1..99}, as section 5 of the vanishing notebook plots them."""
    return {run: _experiments().gradient_norm_by_lag(kind, steps=100, forget_bias=forget_bias)
            for run, (kind, forget_bias) in GRADIENT_RUNS.items()}


def lag_below(run, level=VANISHED):
    """The first lag at which the gradient is below `level`; None if it never is."""
    norms = gradient_by_lag()[run]
    return int(np.argmax(norms < level)) + 1 if (norms < level).any() else None


def factor_per_step(run):
    """How much the gradient shrinks per step on average, from lag 1 to where it vanishes (or lag 99)."""
    norms = gradient_by_lag()[run]
    last = (lag_below(run) or len(norms)) - 1
    return float((norms[last] / norms[0]) ** (1 / last))


@functools.cache
def initial_forget_gates():
    """{run: mean f_t over the 100 steps and 32 units} of the LSTM runs of section 5."""
    import torch

    from .convert import lstm_params_from_torch

    # The inputs and layers of experiments.gradient_norm_by_lag (8 inputs, 32 units, 100 steps, seed 0).
    x = torch.randn(100, 1, 8, generator=torch.Generator().manual_seed(0), dtype=torch.float64).numpy()
    means = {}
    for run, (kind, forget_bias) in GRADIENT_RUNS.items():
        if kind != "LSTM":
            continue
        params = lstm_params_from_torch(_experiments().recurrent_layer(kind, 8, 32, forget_bias, seed=0))
        h, C, gates = np.zeros((1, 32)), np.zeros((1, 32)), []
        for x_t in x:
            (h, C), cache = lstm.lstm_cell_forward(x_t, h, C, params)
            gates.append(cache["f_t"])
        means[run] = float(np.mean(gates))
    return means


def _lag_fact(run):
    return lambda: str(lag_below(run))


for _run, _name in (("RNN", "rnn"), ("GRU", "gru"), ("LSTM", "lstm_default"), ("LSTM b_f=1", "lstm_bf1")):
    FACTS[f"{_name}_lag_below_1e6"] = _lag_fact(_run)
    TORCH_FACTS.add(f"{_name}_lag_below_1e6")


@torch_fact
def lstm_default_factor_per_step():
    return f"{factor_per_step('LSTM'):.2f}"


@torch_fact
def lstm_bf3_factor_per_step():
    return f"{factor_per_step('LSTM b_f=3'):.3f}"


@torch_fact
def lstm_bf3_at_lag_99():
    return f"{gradient_by_lag()['LSTM b_f=3'][-1]:.2f}"


@torch_fact
def lstm_default_mean_forget():
    return f"{initial_forget_gates()['LSTM']:.2f}"


@torch_fact
def lstm_bf1_mean_forget():
    return f"{initial_forget_gates()['LSTM b_f=1']:.2f}"


@torch_fact
def lstm_bf3_mean_forget():
    return f"{initial_forget_gates()['LSTM b_f=3']:.2f}"


@fact
def sigma_1():
    return f"{sigmoid(1.0):.2f}"


@fact
def sigma_3():
    return f"{sigmoid(3.0):.2f}"


# Section 6: the memory-span experiment (experiments.memory_span), the runs the text quotes.
MEMORY_RUNS = {"RNN": ("RNN", None), "LSTM": ("LSTM", None), "LSTM b_f=3": ("LSTM", 3.0), "GRU": ("GRU", None)}
SHORT, LONG = 150, 500  # training batches: the notebook's budget, and a longer run


@functools.cache
def memory(run, lag, train_steps=SHORT):
    """Test accuracy (0.5 = chance) of `run` on the first-bit task at `lag`."""
    kind, forget_bias = MEMORY_RUNS[run]
    return _experiments().memory_span(kind, lag, train_steps=train_steps, forget_bias=forget_bias)


def _memory_fact(run, lag, train_steps=SHORT):
    return lambda: percent(memory(run, lag, train_steps))


MEMORY_FACTS = {  # fact name -> (run, lag, training batches)
    "memory_rnn_10": ("RNN", 10, SHORT), "memory_lstm_10": ("LSTM", 10, SHORT),
    "memory_lstm_bf3_10": ("LSTM b_f=3", 10, SHORT), "memory_gru_10": ("GRU", 10, SHORT),
    "memory_rnn_20": ("RNN", 20, SHORT), "memory_lstm_20": ("LSTM", 20, SHORT),
    "memory_lstm_bf3_20": ("LSTM b_f=3", 20, SHORT), "memory_gru_20": ("GRU", 20, SHORT),
    "memory_lstm_bf3_50": ("LSTM b_f=3", 50, SHORT), "memory_lstm_bf3_100": ("LSTM b_f=3", 100, SHORT),
    "memory_rnn_50_long": ("RNN", 50, LONG), "memory_lstm_20_long": ("LSTM", 20, LONG),
}
for _name, _run in MEMORY_FACTS.items():
    FACTS[_name] = _memory_fact(*_run)
    TORCH_FACTS.add(_name)


@fact
def memory_short_training():
    return str(SHORT)


@fact
def memory_long_training():
    return str(LONG)
