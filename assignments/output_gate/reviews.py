"""Lecture 000's review/sentiment table: sequences of different lengths in one batch.

Lecture 000, "RNN Forward Propagation (Recap)", lists three reviews and their sentiment:
X_11, X_12, X_13 (1); X_21, X_22, X_23 (0); X_31, X_32, X_33, X_34 (0). The lecture prints no
numbers for the words. As one batch (T, B, m) the two short reviews are padded to T = 4
steps; an LSTM keeps running over the padding, so each review's sentiment is read from h_t
at its own last word, not from the batch's last step.
"""
import numpy as np

from .base import WorkedExample

WHERE = '"RNN Forward Propagation (Recap)" (the Review / Sentiment table)'
REVIEW_LENGTHS_000 = (3, 3, 4)  # words in each review
SENTIMENTS_000 = (1, 0, 0)


def last_hidden_state(h_all, lengths):
    """h_t at each sequence's last real step: row b is h_all[lengths[b] - 1, b].

    h_all (T, B, n) from an LSTM run over the padded batch, lengths (B,) each in 1..T -> (B, n).
    """
    h_all, lengths = np.asarray(h_all, dtype=np.float64), np.asarray(lengths, dtype=int)
    return h_all[lengths - 1, np.arange(len(lengths))]


def labelled_states(lengths, n_units=2):
    """An h_all (T, B, n) that names its own entries, for checking by eye which step was read:
    unit 1 of step t (from 1) of sequence b (from 1) is 0.1 t + 0.01 b; unit 2 is its negative."""
    steps, sequences = max(lengths), len(lengths)
    t, b = np.meshgrid(np.arange(1, steps + 1), np.arange(1, sequences + 1), indexing="ij")
    label = 0.1 * t + 0.01 * b
    return np.stack([label * (-1) ** unit for unit in range(n_units)], axis=-1)


def examples():
    lengths = np.array(REVIEW_LENGTHS_000)
    h_all = labelled_states(lengths)
    yield WorkedExample(
        key="000-review-last-step", lecture="000", where=WHERE,
        what=f"h_t at each review's last word, from h_all (T, B, n) of the {len(lengths)} reviews padded "
             f"to T = {lengths.max()} steps (lengths {', '.join(map(str, lengths))})",
        inputs=dict(h_all=h_all, lengths=lengths),
        stated=None, exact=last_hidden_state(h_all, lengths), tags=("output", "lengths"),
    )
