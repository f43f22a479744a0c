"""Numbers the input-gate notebook's text states (tests/test_facts.py checks the sentences)."""

import numpy as np

from assignments.declare import Facts, number, percent
from assignments.lectures import FORGET_001, INPUT_001, SENTENCE_001
from lstm_ref import lstm
from lstm_ref.sequences import memory_trace

FACTS = Facts()


def sigmoid_rounds_to_one():
    """The z from which float64 returns σ(z) = 1.0: 1 + e^(-z) rounds to 1 once e^(-z) < epsneg."""
    return -np.log(np.finfo(np.float64).epsneg)


@FACTS
def sigmoid_is_one_from():
    return f"{sigmoid_rounds_to_one():.1f}"


# A sigmoid candidate cannot write a negative value, but the cell still shrinks.
SHRINK = dict(f_t=0.1, C_prev=5.0, i_t=0.5, C_tilde=0.5)


def sigmoid_candidate_update():
    s = SHRINK
    return float(lstm.cell_update(s["f_t"], s["C_prev"], s["i_t"], s["C_tilde"]))


@FACTS
def sigmoid_candidate_shrinks():
    s = SHRINK
    return (
        f"with $C_{{t-1}} = {s['C_prev']:g}$, $f_t = {s['f_t']:g}$, $i_t = {s['i_t']:g}$ and a sigmoid "
        f"candidate $\\tilde{{C}}_t = {s['C_tilde']:g}$, $C_t = {s['f_t']:g} \\cdot {s['C_prev']:g} + "
        f"{s['i_t']:g} \\cdot {s['C_tilde']:g} = {number(sigmoid_candidate_update())}$"
    )


def cat_trace():
    """(trace, period): lecture 001's table traced for "cat", and the index of the full stop."""
    cat = SENTENCE_001.index("cat")
    return memory_trace(FORGET_001, INPUT_001, cat), SENTENCE_001.index(".")


@FACTS
def cat_left_after_period():
    trace, period = cat_trace()
    return f"{trace[period]:.4f}"


@FACTS
def cat_share_after_period():
    trace, period = cat_trace()
    return percent(trace[period] / trace[SENTENCE_001.index("cat")])


@FACTS
def forget_at_second_the():
    _, period = cat_trace()
    return f"{FORGET_001[period + 1]:g}"


@FACTS
def cat_left_after_second_the():
    trace, period = cat_trace()
    return f"{trace[period + 1]:.4f}"
