"""The output gate and hidden state's worked examples: lectures 003 and 004."""
import numpy as np

from .. import lstm
from .base import WorkedExample, listed, vector

# Lecture 003, the one-hot table: three sequences of three words (F1, F2, F3) and a label.
VOCABULARY_003 = ("cat", "mat", "rat")
SEQUENCES_003 = (("cat", "mat", "rat"), ("rat", "rat", "mat"), ("mat", "mat", "cat"))
LABELS_003 = (1, 1, 0)


def one_hot_batch(sequences=SEQUENCES_003, vocabulary=VOCABULARY_003):
    """The sequences as one-hot vectors, shape (T, B, m): time first, one column per sequence."""
    eye = np.eye(len(vocabulary))
    return np.stack([[eye[vocabulary.index(word)] for word in sequence] for sequence in sequences], axis=1)


def examples():
    """The output-gate examples, in lecture order."""
    # Lecture 003, "Point wise Operations": tanh([4, 5, 6]), i.e. h_t with o_t fully open.
    open_gate, C_003 = vector(1, 1, 1), vector(4, 5, 6)
    exact = lstm.hidden_state(open_gate, C_003)
    yield WorkedExample(
        key="003-tanh", lecture="003", where='"Point wise Operations"',
        what="tanh(C_t) for C_t = [4, 5, 6]: h_t = o_t * tanh(C_t) with o_t = [1, 1, 1]",
        inputs=dict(o_t=open_gate, C_t=C_003),
        stated=vector(0.25, 0.31, 0.4), exact=exact,
        rounded=True,
        erratum=(
            f"Lecture 003 says tanh({listed(C_003)}) = [0.25, .31, .4]. tanh climbs fast towards 1: "
            f"tanh(4) = {exact[0]:.6f}, tanh(5) = {exact[1]:.6f}, tanh(6) = {exact[2]:.6f}. "
            f"tanh reaches 0.25 already at z = {np.arctanh(0.25):.3f}; at z = 4, 5, 6 it is within "
            f"{1 - exact[0]:.4f} of 1."
        ),
        tags=("output", "tanh"),
    )

    # Lecture 004, after the C_t slide: tanh(C_t) for C_t = [1, 6, 4], then o_t = [0, 0.5, 1].
    C_004 = vector(1, 6, 4)
    exact = lstm.hidden_state(open_gate, C_004)
    yield WorkedExample(
        key="004-tanh-cell", lecture="004", where="the h_t = o_t * tanh(C_t) slide (tanh(C_t) and O_t = [0, 0.5, 1])",
        what="tanh(C_t) for C_t = [1, 6, 4]: h_t = o_t * tanh(C_t) with o_t = [1, 1, 1]",
        inputs=dict(o_t=open_gate, C_t=C_004),
        stated=vector(0.76, 0.9999, 0.9993), exact=exact, rounded=True,
        note=(f"Right to the digits it shows: tanh(1) = {exact[0]:.6f}, tanh(6) = {exact[1]:.6f} "
              f"(cut to 0.9999; rounded, it would be {exact[1]:.4f}), tanh(4) = {exact[2]:.6f}."),
        tags=("output", "tanh"),
    )
    o_t = vector(0, 0.5, 1)
    exact = lstm.hidden_state(o_t, C_004)
    yield WorkedExample(
        key="004-hidden-state", lecture="004", where="the h_t = o_t * tanh(C_t) slide (tanh(C_t) and O_t = [0, 0.5, 1])",
        what="h_t = o_t * tanh(C_t) for o_t = [0, 0.5, 1] and C_t = [1, 6, 4]",
        inputs=dict(o_t=o_t, C_t=C_004),
        stated=vector(0, 0.495, 0.99), exact=exact, rounded=True,
        erratum=(
            f"Lecture 004 multiplies by 0.99 where its own tanh(C_t) two lines up says 0.9999 and "
            f"0.9993. So its 0.5 x tanh(6) = 0.495, but the exact value is {exact[1]:.6f}: "
            f"{exact[1]:.3f} to the three digits the lecture shows. Its 0.99 for 1 x tanh(4) = "
            f"{exact[2]:.6f} is right to the two digits it shows. Round at the end, not in the middle. "
            "(Its o_t = [0, 0.5, 1] is supposed, not computed: a sigmoid never gives exactly 0 or 1.)"
        ),
        tags=("output", "hidden"),
    )
