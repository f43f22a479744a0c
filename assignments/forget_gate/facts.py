"""Numbers the forget-gate notebook's text states (tests/test_facts.py checks the sentences)."""

import numpy as np

from assignments.declare import Facts, listed, percent, sci
from assignments.lectures import FORGET_001, SENTENCE_001
from lstm_ref import lstm
from lstm_ref.activations import sigmoid

from .examples import EXAMPLES

FACTS = Facts()


@FACTS
def sigma_minus_6():
    return f"{sigmoid(-6.0):.6f}"


@FACTS
def one_minus_sigma_133():
    return sci(sigmoid(-133.0))


@FACTS
def one_minus_sigma_175():
    return sci(sigmoid(-175.0))


CAT_GATE_001 = 0.1  # lecture 001's forget-gate slide: "cat" info 10%


@FACTS
def cat_gate_keeps():
    """Lecture 001's 10% as a gate value, applied to lecture 000's C_{t-1} = [4, 5, 6]."""
    C_prev = next(e for e in EXAMPLES if e.key == "000-forget-half").inputs["C_prev"]
    return listed(lstm.forget(np.full_like(C_prev, CAT_GATE_001), C_prev))


@FACTS
def cat_gate_removes():
    return percent(1 - CAT_GATE_001)


@FACTS
def forget_at_dog():
    """Lecture 001's table: the forget value at "dog", where its forget-gate slide says 10%."""
    return f"{FORGET_001[SENTENCE_001.index('dog')]:g}"
