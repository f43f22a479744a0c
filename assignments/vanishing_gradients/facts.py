"""Numbers the vanishing-gradients notebook's text states: lecture 004's terms on a real cell,
the RNN's gradient plot (numpy, seeded as the notebook draws it) and the PyTorch measurements
kept in measured.json (measure.py). tests/test_facts.py checks the sentences around them."""

import functools

import numpy as np

from assignments.declare import Facts, percent, sci
from lstm_ref import gradient_flow, rnn
from lstm_ref.activations import sigmoid

from .examples import LECTURE_TERMS, N_UNITS, STEPS, VANISHED, forget_gates, real_cell
from .measure import LONG, MEASURED, MEMORY_RUNS, SHORT

FACTS = Facts()


@FACTS
def lecture_004_forget():
    return f"{LECTURE_TERMS['B_t']:g}"


@FACTS
def lecture_004_terms():
    t = LECTURE_TERMS
    return (
        f"$\\mathcal{{A}}_t = \\mathcal{{C}}_t = \\mathcal{{D}}_t = {t['A_t']:g}$ and "
        f"$\\mathcal{{B}}_t = f_t = {t['B_t']:g}$"
    )


@FACTS
def cell_steps():
    return str(STEPS)


@FACTS
def cell_units():
    return str(N_UNITS)


@FACTS
def cell_mean_forget():
    """The mean f_t of the real cell of lecture 004's example, over its 20 steps."""
    return f"{forget_gates(*real_cell()).mean():.2f}"


# Section 3: the RNN plot, W_h uniform in +-scale, seeded as the notebook draws it.
RNN_SCALES = (0.25, 1.0, 1.5)


@functools.cache
def rnn_gradients():
    """{scale: (norms of dh_k/dh_0 for k = 1..60, W_h, h_all)}: the RNN plot of section 3."""
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


@FACTS
def rnn_default_lag_1():
    return f"{rnn_gradients()[0.25][0][0]:.2f}"


@FACTS
def rnn_default_lag_20():
    return sci(rnn_gradients()[0.25][0][19])


@FACTS
def rnn_default_orders_at_20():
    norms = rnn_gradients()[0.25][0]
    return f"{np.log10(norms[0] / norms[19]):.1f}"


@FACTS
def rnn_wide_range():
    norms = rnn_gradients()[1.0][0]
    return f"between {norms.min():.0f} and {norms.max():.0f}"


@FACTS
def rnn_widest_max():
    return f"{rnn_gradients()[1.5][0].max():.0f}"


@FACTS
def rnn_widest_min_after_max():
    norms = rnn_gradients()[1.5][0]
    return f"{norms[norms.argmax() :].min():.2f}"


@FACTS
def rnn_wide_swing():
    """How far the +-1 run's gradient wanders: its largest size over its smallest."""
    norms = rnn_gradients()[1.0][0]
    return f"{norms.max() / norms.min():.0f}"


@FACTS
def rnn_widest_swing_orders():
    """Orders of magnitude from the +-1.5 run's largest gradient down to its smallest after it."""
    norms = rnn_gradients()[1.5][0]
    return f"{np.log10(norms.max() / norms[norms.argmax() :].min()):.1f}"


@FACTS
def rnn_spectral_radii():
    radii = [spectral_radius(rnn_gradients()[scale][1]) for scale in RNN_SCALES]
    return ", ".join(f"{radius:.2f}" for radius in radii)


@FACTS
def rnn_default_norm_of_W():
    return f"{np.linalg.norm(rnn_gradients()[0.25][1], 2):.2f}"


@FACTS
def rnn_mean_tanh_derivatives():
    means = [float((1 - rnn_gradients()[scale][2] ** 2).mean()) for scale in RNN_SCALES]
    return ", ".join(f"{mean:.2f}" for mean in means)


# Section 5: ||dh_T/dh_{T-k}|| at initialisation, by torch autograd (measured).


def gradient_by_lag():
    """{run: norms for lag 1..99}, as measured (measure.py)."""
    return MEASURED["gradient-by-lag"]


def lag_below(run, level=VANISHED):
    """The first lag at which the gradient is below `level`; None if it never is."""
    norms = gradient_by_lag()[run]
    return int(np.argmax(norms < level)) + 1 if (norms < level).any() else None


def factor_per_step(run):
    """How much the gradient shrinks per step on average, from lag 1 to where it vanishes (or lag 99)."""
    norms = gradient_by_lag()[run]
    last = (lag_below(run) or len(norms)) - 1
    return float((norms[last] / norms[0]) ** (1 / last))


for _run, _name in (("RNN", "rnn"), ("GRU", "gru"), ("LSTM", "lstm_default"), ("LSTM b_f=1", "lstm_bf1")):
    FACTS.add(f"{_name}_lag_below_1e6", lambda run=_run: str(lag_below(run)))


@FACTS
def lstm_default_factor_per_step():
    return f"{factor_per_step('LSTM'):.2f}"


@FACTS
def lstm_bf3_factor_per_step():
    return f"{factor_per_step('LSTM b_f=3'):.3f}"


@FACTS
def lstm_bf3_at_lag_99():
    return f"{gradient_by_lag()['LSTM b_f=3'][-1]:.2f}"


@FACTS
def lstm_default_mean_forget():
    return f"{MEASURED['initial-forget-gates']['LSTM']:.2f}"


@FACTS
def lstm_bf1_mean_forget():
    return f"{MEASURED['initial-forget-gates']['LSTM b_f=1']:.2f}"


@FACTS
def lstm_bf3_mean_forget():
    return f"{MEASURED['initial-forget-gates']['LSTM b_f=3']:.2f}"


@FACTS
def sigma_1():
    return f"{sigmoid(1.0):.2f}"


@FACTS
def sigma_3():
    return f"{sigmoid(3.0):.2f}"


# Section 6: the memory-span experiment (measured), the runs the text quotes.


def memory(run, lag, train_steps=SHORT):
    """Test accuracy (0.5 = chance) of `run` on the first-bit task at `lag`."""
    measured = MEASURED["memory-span"]
    if train_steps == SHORT:
        return measured["short"][run][list(measured["lags"]).index(lag)]
    return measured["long"][f"{run} lag {lag}"]


MEMORY_FACTS = {  # fact name -> (run, lag, training batches)
    "memory_rnn_10": ("RNN", 10, SHORT),
    "memory_lstm_10": ("LSTM", 10, SHORT),
    "memory_lstm_bf3_10": ("LSTM b_f=3", 10, SHORT),
    "memory_gru_10": ("GRU", 10, SHORT),
    "memory_rnn_20": ("RNN", 20, SHORT),
    "memory_lstm_20": ("LSTM", 20, SHORT),
    "memory_lstm_bf3_20": ("LSTM b_f=3", 20, SHORT),
    "memory_gru_20": ("GRU", 20, SHORT),
    "memory_lstm_bf3_50": ("LSTM b_f=3", 50, SHORT),
    "memory_lstm_bf3_100": ("LSTM b_f=3", 100, SHORT),
    "memory_rnn_50_long": ("RNN", 50, LONG),
    "memory_lstm_20_long": ("LSTM", 20, LONG),
}
for _name, (_run, _lag, _steps) in MEMORY_FACTS.items():
    assert _run in MEMORY_RUNS
    FACTS.add(_name, lambda run=_run, lag=_lag, steps=_steps: percent(memory(run, lag, steps)))


@FACTS
def memory_short_training():
    return str(SHORT)


@FACTS
def memory_long_training():
    return str(LONG)


@FACTS
def vanishing_level():
    """The level below which the text and section 7's test call a gradient vanished."""
    return f"$10^{{{round(np.log10(VANISHED))}}}$"
