"""Numbers the GRU notebook's text states."""

import numpy as np

from assignments.declare import Facts
from lstm_ref import gru, lstm

from .examples import EXAMPLES, lecture_setting
from .measure import MEASURED

FACTS = Facts()


def gru_conventions():
    """Per unit, whether the lecture's and PyTorch's candidate agree on the section-3 example (b_hn = 0)."""
    exact = {e.key: e.exact for e in EXAMPLES}
    return np.isclose(exact["000-gru-candidate"], exact["000-gru-candidate-torch"], rtol=0, atol=1e-12)


def _units(mask):
    numbers = [str(k + 1) for k in np.flatnonzero(mask)]
    return ("unit " if len(numbers) == 1 else "units ") + " and ".join(numbers)


@FACTS
def gru_units_agreeing():
    return _units(gru_conventions())


@FACTS
def gru_units_differing():
    return _units(~gru_conventions())


@FACTS
def gru_lstm_parameter_ratio():
    """GRU / LSTM parameters in the lectures' notation: 3 blocks W (n, n + m), b (n) against 4."""
    h_prev, x_t, _ = lecture_setting()
    n, m = len(h_prev), len(x_t)
    gru_count = sum(int(np.prod(shape)) for shape in gru.gru_param_shapes(n, m).values())
    lstm_count = sum(p.size for p in lstm.init_params(n, m, rng=0).values())
    return f"{gru_count / lstm_count:g}"


@FACTS
def gru_torch_convention_difference():
    """An upper bound, a power of 10: the last bits of float64 rounding differ between machines."""
    difference = MEASURED["torch-gru-conventions"]["torch_convention"]
    return f"10^{{{int(np.ceil(np.log10(max(difference, 1e-300))))}}}"


@FACTS
def gru_lecture_convention_difference():
    return f"{MEASURED['torch-gru-conventions']['lecture_convention']:.2f}"


def time_ratios():
    """GRU / LSTM time per forward step at each size of the measured table (measured.json)."""
    return [row["gru_seconds"] / row["lstm_seconds"] for row in MEASURED["gru-lstm-table"]]


@FACTS
def gru_lstm_time_reading():
    """Which of the two was faster, in the measurement the notebook's table shows."""
    ratios = time_ratios()
    span = f"{min(ratios):.1f} to {max(ratios):.1f} times the LSTM's time"
    if all(r > 1 for r in ratios):
        return f"on the machine that measured it, the GRU's step took longer than the LSTM's at every size ({span})."
    if all(r < 1 for r in ratios):
        return f"on the machine that measured it, the GRU's step took less time than the LSTM's at every size ({span})."
    return f"on the machine that measured it, the GRU's step was faster at some sizes and slower at others ({span})."


@FACTS
def gru_training_time_verdict():
    """Lecture 000's "Training Time: Longer / Shorter" against the measured direction."""
    ratios = time_ratios()
    if all(r > 1 for r in ratios):
        verdict = "is not what this measurement shows: here the GRU was slower."
    elif all(r < 1 for r in ratios):
        verdict = "agrees with this measurement of the forward step."
    else:
        verdict = "is not settled by this measurement."
    return verdict + " A training time depends on the implementation and the hardware, and must be measured."
