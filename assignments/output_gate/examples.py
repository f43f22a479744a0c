"""The output gate, hidden state and whole LSTM's worked examples: lectures 000, 002, 003 and 004.

Lecture 000, "RNN Forward Propagation (Recap)", lists three reviews and their sentiment:
X_11, X_12, X_13 (1); X_21, X_22, X_23 (0); X_31, X_32, X_33, X_34 (0). The lecture prints no
numbers for the words. As one batch (T, B, m) the two short reviews are padded to T = 4
steps; an LSTM keeps running over the padding, so each review's sentiment is read from h_t
at its own last word, not from the batch's last step.
"""

import numpy as np

from assignments.declare import WorkedExample, how_shown, listed, shown_decimals, vector
from lstm_ref import lstm
from lstm_ref.activations import sigmoid
from lstm_ref.sequences import last_hidden_state

# Lecture 003, the one-hot table: three sequences of three words (F1, F2, F3) and a label.
VOCABULARY_003 = ("cat", "mat", "rat")
SEQUENCES_003 = (("cat", "mat", "rat"), ("rat", "rat", "mat"), ("mat", "mat", "cat"))
LABELS_003 = (1, 1, 0)


def one_hot_batch(sequences=SEQUENCES_003, vocabulary=VOCABULARY_003):
    """The sequences as one-hot vectors, shape (T, B, m): time first, one column per sequence."""
    eye = np.eye(len(vocabulary))
    return np.stack([[eye[vocabulary.index(word)] for word in sequence] for sequence in sequences], axis=1)


REVIEWS_WHERE = '"RNN Forward Propagation (Recap)" (the Review / Sentiment table)'
REVIEW_LENGTHS_000 = (3, 3, 4)  # words in each review
SENTIMENTS_000 = (1, 0, 0)


def labelled_states(lengths, n_units=2):
    """An h_all (T, B, n) that names its own entries, for checking by eye which step was read:
    unit 1 of step t (from 1) of sequence b (from 1) is 0.1 t + 0.01 b; unit 2 is its negative."""
    steps, sequences = max(lengths), len(lengths)
    t, b = np.meshgrid(np.arange(1, steps + 1), np.arange(1, sequences + 1), indexing="ij")
    label = 0.1 * t + 0.01 * b
    return np.stack([label * (-1) ** unit for unit in range(n_units)], axis=-1)


def shown_note(stated, exact, names, subject="Lecture 004's"):
    """What each printed number is, in words computed by how_shown: "Lecture 004's 0.76 is
    tanh(1) = 0.761594 rounded; its 0.9999 is tanh(6) = 0.999988 cut (rounded: 1.0000)."."""
    parts = []
    for k, (s, e, name, kind) in enumerate(zip(stated, exact, names, how_shown(stated, exact), strict=True)):
        decimals = shown_decimals(s)
        owner = subject if k == 0 else "its"
        text = f"{owner} {s:.{decimals}f} for {name} = {e:.6f} is "
        if kind == "rounded":
            text += f"rounded to {decimals} decimals"
        elif kind == "cut":
            text += f"cut, not rounded: rounded to {decimals} decimals, it is {e:.{decimals}f}"
        else:
            text += f"wrong: to {decimals} decimals, it is {e:.{decimals}f}"
        parts.append(text)
    return "; ".join(parts) + "."


def examples():
    """The output-gate examples, in lecture order."""
    # Lecture 003, "Point wise Operations": tanh([4, 5, 6]), i.e. h_t with o_t fully open.
    open_gate, C_003 = vector(1, 1, 1), vector(4, 5, 6)
    exact = lstm.hidden_state(open_gate, C_003)
    yield WorkedExample(
        key="003-tanh",
        lecture="003",
        where='"Point wise Operations"',
        what="tanh(C_t) for C_t = [4, 5, 6]: h_t = o_t * tanh(C_t) with o_t = [1, 1, 1]",
        inputs=dict(o_t=open_gate, C_t=C_003),
        stated=vector(0.25, 0.31, 0.4),
        exact=exact,
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
        key="004-tanh-cell",
        lecture="004",
        where="the h_t = o_t * tanh(C_t) slide (tanh(C_t) and O_t = [0, 0.5, 1])",
        what="tanh(C_t) for C_t = [1, 6, 4]: h_t = o_t * tanh(C_t) with o_t = [1, 1, 1]",
        inputs=dict(o_t=open_gate, C_t=C_004),
        stated=vector(0.76, 0.9999, 0.9993),
        exact=exact,
        rounded=True,
        note=shown_note(vector(0.76, 0.9999, 0.9993), exact, ("tanh(1)", "tanh(6)", "tanh(4)")),
        tags=("output", "tanh"),
    )
    o_t = vector(0, 0.5, 1)
    exact = lstm.hidden_state(o_t, C_004)
    yield WorkedExample(
        key="004-hidden-state",
        lecture="004",
        where="the h_t = o_t * tanh(C_t) slide (tanh(C_t) and O_t = [0, 0.5, 1])",
        what="h_t = o_t * tanh(C_t) for o_t = [0, 0.5, 1] and C_t = [1, 6, 4]",
        inputs=dict(o_t=o_t, C_t=C_004),
        stated=vector(0, 0.495, 0.99),
        exact=exact,
        rounded=True,
        erratum=(
            f"Lecture 004 multiplies by 0.99 where its own tanh(C_t) two lines up says 0.9999 and "
            f"0.9993. So its 0.5 x tanh(6) = 0.495, but the exact value is {exact[1]:.6f}: "
            f"{exact[1]:.3f} to the three digits the lecture shows. "
            + shown_note(vector(0.99), exact[2:], ("1 x tanh(4)",), "Its")
            + " Keep every digit until the end, then round. (Its o_t = [0, 0.5, 1] is supposed, not "
            "computed: a sigmoid never gives exactly 0 or 1.)"
        ),
        tags=("output", "hidden"),
    )

    lengths = np.array(REVIEW_LENGTHS_000)
    h_all = labelled_states(lengths)
    yield WorkedExample(
        key="000-review-last-step",
        lecture="000",
        where=REVIEWS_WHERE,
        what=f"h_t at each review's last word, from h_all (T, B, n) of the {len(lengths)} reviews padded "
        f"to T = {lengths.max()} steps (lengths {', '.join(map(str, lengths))})",
        inputs=dict(h_all=h_all, lengths=lengths),
        stated=None,
        exact=last_hidden_state(h_all, lengths),
        tags=("output", "lengths"),
    )

    # The four steps' equations of lecture 002, on a sample: they are the LSTM that lstm_ref implements.
    rng = np.random.default_rng(2)
    params = lstm.init_params(3, 2, rng=rng)
    x_t, h_prev, C_prev = vector(0.5, -1.0), vector(0.1, 0.2, -0.3), vector(1.0, -2.0, 0.5)
    v = np.r_[h_prev, x_t]
    f_t, i_t, o_t = (sigmoid(params[f"W_{g}"] @ v + params[f"b_{g}"]) for g in "fio")
    c_tilde = np.tanh(params["W_c"] @ v + params["b_c"])
    c_t = f_t * C_prev + i_t * c_tilde
    (h_t, _), _ = lstm.lstm_cell_forward(x_t, h_prev, C_prev, params)
    yield WorkedExample(
        key="002-four-steps",
        lecture="002",
        where='"Workings of LSTMs", steps 1-4',
        what="h_t from the four equations of lecture 002, on a sample, against lstm_ref",
        inputs=dict(x_t=x_t, h_prev=h_prev, C_prev=C_prev, params=params),
        stated=o_t * np.tanh(c_t),
        exact=h_t,
        tolerance=1e-12,
        tags=("formulas",),
    )

    sample = vector(-2.0, 0.0, 2.0)  # a sample cell state, not a lecture number
    yield WorkedExample(
        key="004-hidden-sigma",
        lecture="004",
        where='"States" and "How LSTM Solves Vanishing Gradient Problem"',
        what="h_t = o_t ⊙ act(s_t) for o_t = 1 and a sample cell state s_t = [-2, 0, 2]",
        inputs=dict(o_t=np.ones(3), s_t=sample),
        stated=np.ones(3) * sigmoid(sample),
        exact=lstm.hidden_state(np.ones(3), sample),
        erratum=(
            "Lecture 004 writes h_t = o_t ⊙ σ(s_t), twice. The cell state is read through "
            "tanh: h_t = o_t ⊙ tanh(s_t), as on the deck's first slide. With σ, a cell state of "
            f"0 would read as {sigmoid(0.0):g} and no h_t could be negative."
        ),
        tags=("formulas", "sigmoid-for-tanh"),
    )


EXAMPLES = list(examples())
