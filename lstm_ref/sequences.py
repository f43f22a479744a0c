"""Reading an LSTM's run over a sequence: what is left of a value the cell wrote at one step,
and each sequence's last real step in a padded batch."""

import numpy as np

from .types import Array, ArrayLike


def memory_trace(forget_gates: ArrayLike, input_gates: ArrayLike, written_at: int) -> Array:
    """How much of what a one-unit cell writes at step s = written_at is left after each step.

    C~_s = 1 is written with weight i_s; each later step t multiplies it by f_t:
    trace[t] = i_s * f_{s+1} * ... * f_t for t >= s, and 0 before s. Shapes: (T,), (T,) -> (T,).
    """
    forget_gates, input_gates = np.asarray(forget_gates, float), np.asarray(input_gates, float)
    trace = np.zeros_like(forget_gates)
    kept = 0.0
    for t in range(written_at, len(forget_gates)):
        kept = input_gates[t] if t == written_at else kept * forget_gates[t]
        trace[t] = kept
    return trace


def last_hidden_state(h_all: ArrayLike, lengths: ArrayLike) -> Array:
    """h_t at each sequence's last real step: row b is h_all[lengths[b] - 1, b].

    h_all (T, B, n) from an LSTM run over a padded batch, lengths (B,) each in 1..T -> (B, n).
    """
    h_all, lengths = np.asarray(h_all, dtype=np.float64), np.asarray(lengths, dtype=int)
    return h_all[lengths - 1, np.arange(len(lengths))]
