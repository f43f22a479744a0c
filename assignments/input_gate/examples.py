"""The input gate and cell update's worked examples: lectures 001, 002, 003 and 004.

Where lecture 001's gate table (assignments/lectures.py) tells a story its own numbers do not
(the cell-state column, "Forget gate clears old subject at period") is the erratum "001-cat-trace".
"""

import numpy as np

from assignments.declare import WorkedExample, listed, vector
from assignments.input_gate.exercises import could_be_gate
from assignments.lectures import GATE_TABLE, SENTENCE_001, TABLE_WHERE
from lstm_ref import lstm
from lstm_ref.activations import sigmoid, tanh
from lstm_ref.sequences import memory_trace

FORGET_001 = vector(*(row.f_t for row in GATE_TABLE))
INPUT_001 = vector(*(row.i_t for row in GATE_TABLE))
# The table's "Cell State" column holds "cat" at these words and not after.
CAT_IN_CELL_001 = vector(0, 1, 1, 1, 0, 0, 0, 0)
# A sample pre-activation, not a lecture number: negative, zero and positive.
SAMPLE_Z = vector(-2.0, 0.0, 2.0)


def examples():
    """The input-gate and cell-update examples, in lecture order."""
    # Lecture 001: the word-by-word table, traced for what the cell wrote at "cat".
    cat = SENTENCE_001.index("cat")
    trace = memory_trace(FORGET_001, INPUT_001, cat)
    period = SENTENCE_001.index(".")
    yield WorkedExample(
        key="001-cat-trace",
        lecture="001",
        where=f"{TABLE_WHERE} (gate table)",
        what=(
            'how much of what the cell wrote at "cat" is left after each word of '
            '"The cat was hungry. The dog was", with the table\'s forget and input values '
            '(what the lecture says: its cell-state column, 1 where it holds "cat", 0 where not)'
        ),
        inputs=dict(forget_gates=FORGET_001, input_gates=INPUT_001, written_at=cat),
        stated=CAT_IN_CELL_001,
        exact=trace,
        erratum=(
            f'The table\'s cell-state column drops "cat" at ".", and its key observations say '
            f'"Forget gate clears old subject at period". But its own forget value at "." is '
            f'{FORGET_001[period]:g} ("Reduce old"): of the candidate C~ = 1 written at "cat" with '
            f'i_t = {INPUT_001[cat]:g}, {trace[period]:.4f} is still in the cell after ".", '
            f'{trace[period] / trace[cat]:.0%} of what was written. Only the next "The" '
            f'({FORGET_001[period + 1]:g}, "Clear old") brings it down to {trace[period + 1]:.4f}. '
            f'The forget-gate slide puts the 10% for "cat" at "dog", where the table says '
            f"{FORGET_001[period + 2]:g}. A gate is also one number per unit, not per word: one value "
            "cannot keep the article and drop the subject at once."
        ),
        tolerance=1e-9,
        tags=("input", "trace"),
    )

    # Lecture 003, "Point wise Operations": C_t = [4, 5, 6] times F_t = [1, 2, 3].
    yield WorkedExample(
        key="003-pointwise-product",
        lecture="003",
        where='"Point wise Operations"',
        what="C_{t-1} * f_t with F_t = [1, 2, 3] (elementwise)",
        inputs=dict(f_t=vector(1, 2, 3), C_prev=vector(4, 5, 6)),
        stated=vector(4, 10, 18),
        exact=lstm.forget(vector(1, 2, 3), vector(4, 5, 6)),
        tags=("input", "pointwise"),
    )

    # The same slide uses F_t = [1, 2, 3] as a forget gate: no sigmoid gives it.
    F_t, C_003 = vector(1, 2, 3), vector(4, 5, 6)
    product = lstm.forget(F_t, C_003)
    grown = int(np.sum(np.abs(product) > np.abs(C_003)))
    kept = int(np.sum(np.abs(product) == np.abs(C_003)))
    yield WorkedExample(
        key="003-forget-gate-1-2-3",
        lecture="003",
        where='"Point wise Operations"',
        what="whether each entry of F_t = [1, 2, 3] can be a forget gate's value (a σ, in (0, 1))",
        inputs=dict(values=F_t),
        stated=np.array([True, True, True]),  # the slide multiplies C_t by F_t as a forget gate's f_t
        exact=could_be_gate(F_t),
        erratum=(
            f"Lecture 003 multiplies C_t = {listed(C_003)} by F_t = {listed(F_t)}: the product "
            f"{listed(product)} is right, but no forget gate is {listed(F_t)}. A gate is "
            "σ(W_f · [h_{t-1}, x_t] + b_f), and 0 < σ(z) < 1 for every z: no weights make it 1, 2 or 3. "
            f"Multiplied by this F_t, {grown} of the {len(F_t)} entries of C_t grow and {kept} stays as it "
            "was; a forget gate keeps a part of each entry, and under it no entry grows."
        ),
        tags=("input", "pointwise", "gate-range"),
    )

    # Lecture 004, the C_t slide: f_t = [0, 1, 1], C_{t-1} = [5, 5, 5], i_t = [1, 1, 1], C~_t = [1, 1, -1].
    f_t, C_prev, i_t, C_tilde = vector(0, 1, 1), vector(5, 5, 5), vector(1, 1, 1), vector(1, 1, -1)
    stated = vector(1, 6, 4)
    yield WorkedExample(
        key="004-cell-update",
        lecture="004",
        where="the C_t slide (C_t = [0 1 1] * [5 5 5] + [1 1 1] * [1 1 -1])",
        what="C_t = f_t * C_{t-1} + i_t * C~_t with the lecture's gate values",
        inputs=dict(f_t=f_t, C_prev=C_prev, i_t=i_t, C_tilde=C_tilde),
        stated=stated,
        exact=lstm.cell_update(f_t, C_prev, i_t, C_tilde),
        tags=("input", "cell"),
    )
    # The same update with the f_t that the lecture's own W_f gives ("Forget Gate" slide).
    f_sigmoid = sigmoid(vector(-6, 175, 133))
    exact = lstm.cell_update(f_sigmoid, C_prev, i_t, C_tilde)
    yield WorkedExample(
        key="004-cell-update-sigmoid",
        lecture="004",
        where="the C_t slide (C_t = [0 1 1] * [5 5 5] + [1 1 1] * [1 1 -1])",
        what="C_t = f_t * C_{t-1} + i_t * C~_t with f_t = sigma([-6, 175, 133]), the forget gate "
        "that the lecture's W_f really gives",
        inputs=dict(f_t=f_sigmoid, C_prev=C_prev, i_t=i_t, C_tilde=C_tilde),
        stated=stated,
        exact=exact,
        rounded=True,
        note=(
            f"Right to whole numbers. With the forget gate the lecture's own W_f gives, σ(-6) = "
            f"{f_sigmoid[0]:.7f} in the first unit, that unit keeps {C_prev[0]:g} x {f_sigmoid[0]:.7f} = "
            f"{f_sigmoid[0] * C_prev[0]:.6f} of the old {C_prev[0]:g}: C_t = {listed(exact, '.6g')}. "
            f"Its i_t = {listed(i_t)} and C~_t = {listed(C_tilde)} are values a sigmoid and a tanh "
            "approach but never reach: the lecture supposes them, it does not compute them."
        ),
        tags=("input", "cell"),
    )

    # Lecture 002, step 3: "Then we add i(t) * c(t). These are the new candidate values ..."
    yield WorkedExample(
        key="002-step3-candidate",
        lecture="002",
        where='"STEP 3"',
        what="the term added to the cell state",
        inputs={},
        stated="i(t) * c(t)",
        exact="i_t * C~_t",
        erratum=(
            "Lecture 002's text for step 3 adds i(t) * c(t), the new cell state itself; the "
            "formula beneath it is right: c_t = f_t * c_{t-1} + i_t * c~_t. What is added is the "
            "input gate times the candidate C~_t."
        ),
        tags=("formulas", "notation"),
    )
    yield WorkedExample(
        key="004-candidate-sigma",
        lecture="004",
        where='"States" and "How LSTM Solves Vanishing Gradient Problem"',
        what="the candidate state s~_t = act(W h_{t-1} + U x_t + b), for W h_{t-1} + U x_t + b = a sample [-2, 0, 2]",
        inputs=dict(z=SAMPLE_Z),
        stated=sigmoid(SAMPLE_Z),
        exact=tanh(SAMPLE_Z),
        erratum=(
            "Lecture 004 writes the candidate state as s~_t = σ(W h_{t-1} + U x_t + b), twice. "
            "The candidate is a tanh, as on the same deck's first slide "
            "(c~ = tanh(W_c h + U_c x + b_c)): it must be able to write negative values into "
            "the cell. A sigmoid only adds, in (0, 1)."
        ),
        tags=("formulas", "sigmoid-for-tanh"),
    )


EXAMPLES = list(examples())
