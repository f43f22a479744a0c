"""The input gate and cell update's worked examples: lectures 001, 003 and 004."""
import numpy as np

from .. import lstm
from ..activations import sigmoid
from .base import WorkedExample, vector

# Lecture 001, "Example: Processing a Sentence": one forget and one input value per word.
SENTENCE_001 = ("The", "cat", "was", "hungry", ".", "The", "dog", "was")
FORGET_001 = vector(0.9, 0.8, 0.9, 0.8, 0.3, 0.1, 0.7, 0.9)
INPUT_001 = vector(0.3, 0.9, 0.7, 0.8, 0.4, 0.8, 0.9, 0.8)
# The table's "Cell State" column holds "cat" at these words and not after.
CAT_IN_CELL_001 = vector(0, 1, 1, 1, 0, 0, 0, 0)


def memory_trace(forget_gates, input_gates, written_at):
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


def examples():
    """The input-gate and cell-update examples, in lecture order."""
    # Lecture 001: the word-by-word table, traced for what the cell wrote at "cat".
    cat = SENTENCE_001.index("cat")
    trace = memory_trace(FORGET_001, INPUT_001, cat)
    period = SENTENCE_001.index(".")
    yield WorkedExample(
        key="001-cat-trace", lecture="001", where='"Example: Processing a Sentence" (gate table)',
        what=('how much of what the cell wrote at "cat" is left after each word of '
              '"The cat was hungry. The dog was", with the table\'s forget and input values'),
        inputs=dict(forget_gates=FORGET_001, input_gates=INPUT_001, written_at=cat),
        stated=CAT_IN_CELL_001, exact=trace,
        erratum=(
            f'The table\'s cell-state column drops "cat" at ".", and the checkpoint asks why "cat" '
            f'is forgotten there. But the forget value at "." is {FORGET_001[period]:g}: '
            f'{trace[period]:.4f} of what was written at "cat" is still in the cell after ".", a '
            f'fifth of it. Only the next "The" ({FORGET_001[period + 1]:g}) brings it down to '
            f'{trace[period + 1]:.4f}. The forget-gate slide puts the 10% at "dog", where the table '
            f'says {FORGET_001[period + 2]:g}. A gate is also one number per unit, not per word: one '
            'value cannot keep the article and drop the subject at once.'
        ),
        tolerance=1e-9, tags=("input", "trace"),
    )

    # Lecture 003, "Point wise Operations": C_t = [4, 5, 6] times F_t = [1, 2, 3].
    yield WorkedExample(
        key="003-pointwise-product", lecture="003", where='"Point wise Operations"',
        what="C_{t-1} * f_t with F_t = [1, 2, 3] (elementwise)",
        inputs=dict(f_t=vector(1, 2, 3), C_prev=vector(4, 5, 6)),
        stated=vector(4, 10, 18), exact=lstm.forget(vector(1, 2, 3), vector(4, 5, 6)),
        tags=("input", "pointwise"),
    )

    # Lecture 004, the C_t slide: f_t = [0, 1, 1], C_{t-1} = [5, 5, 5], i_t = [1, 1, 1], C~_t = [1, 1, -1].
    f_t, C_prev, i_t, C_tilde = vector(0, 1, 1), vector(5, 5, 5), vector(1, 1, 1), vector(1, 1, -1)
    stated = vector(1, 6, 4)
    yield WorkedExample(
        key="004-cell-update", lecture="004", where='"C_t = f_t * C_{t-1} + i_t * C~_t" slide',
        what="C_t = f_t * C_{t-1} + i_t * C~_t with the lecture's gate values",
        inputs=dict(f_t=f_t, C_prev=C_prev, i_t=i_t, C_tilde=C_tilde),
        stated=stated, exact=lstm.cell_update(f_t, C_prev, i_t, C_tilde), tags=("input", "cell"),
    )
    # The same update with the f_t that the lecture's own W_f gives ("Forget Gate" slide).
    f_sigmoid = sigmoid(vector(-6, 175, 133))
    exact = lstm.cell_update(f_sigmoid, C_prev, i_t, C_tilde)
    yield WorkedExample(
        key="004-cell-update-sigmoid", lecture="004", where='"C_t = f_t * C_{t-1} + i_t * C~_t" slide',
        what="C_t = f_t * C_{t-1} + i_t * C~_t with f_t = sigma([-6, 175, 133]), the forget gate "
             "that the lecture's W_f really gives",
        inputs=dict(f_t=f_sigmoid, C_prev=C_prev, i_t=i_t, C_tilde=C_tilde),
        stated=stated, exact=exact,
        erratum=(
            f"Lecture 004 puts f_t = [0, 1, 1] into C_t, but its own forget gate is sigma(-6) = "
            f"{f_sigmoid[0]:.6f} in the first unit, which keeps 5 x {f_sigmoid[0]:.6f} = "
            f"{5 * f_sigmoid[0]:.6f} of the old 5: C_t = [{exact[0]:.6f}, 6, 4]. Its i_t = [1, 1, 1] "
            "and C~_t = [1, 1, -1] cannot come out of a sigmoid and a tanh exactly either: they are "
            "limits the gates approach, never reach."
        ),
        tags=("input", "cell"),
    )
