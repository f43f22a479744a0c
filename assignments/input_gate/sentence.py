"""Lecture 001's word-by-word gate table for "The cat was hungry. The dog was sleeping."

Lecture 001, "Example: Processing a Sentence": one forget, input and output gate value per
word, and what the cell holds afterwards. The table stops at the second "was": "sleeping" and
the final "." have no gate values in the lecture, so the stepper shows them without gates.

These are illustrative numbers, not the output of a trained LSTM, so this module has no
WorkedExample and is not in TOPICS. Where the table's story (the cell-state column, "Forget gate
clears old subject at period") disagrees with its own numbers is the erratum "001-cat-trace"
of input_gate.py.
"""
from dataclasses import dataclass

LECTURE = "001"
WHERE = '"Example: Processing a Sentence"'
SENTENCE = "The cat was hungry. The dog was sleeping."
WORDS = ("The", "cat", "was", "hungry", ".", "The", "dog", "was", "sleeping", ".")


@dataclass(frozen=True)
class WordGates:
    word: str
    f_t: float  # forget gate: how much of C_{t-1} to keep
    i_t: float  # input gate: how much of C~_t to write
    o_t: float  # output gate: how much of tanh(C_t) to show in h_t
    cell: str  # the lecture's description of what C_t holds
    why: str  # the lecture's reason, in its words


GATE_TABLE = (
    WordGates("The", 0.9, 0.3, 0.2, "[article]", "keep all; add article; output little"),
    WordGates("cat", 0.8, 0.9, 0.8, "[cat, article]", "keep article; add subject; output subject"),
    WordGates("was", 0.9, 0.7, 0.9, "[cat, was]", "keep subject; add verb; output for prediction"),
    WordGates("hungry", 0.8, 0.8, 0.7, "[cat, hungry]", "keep subject; add state; output state"),
    WordGates(".", 0.3, 0.4, 0.3, "[sentence end]", "reduce old; new sentence; low output"),
    WordGates("The", 0.1, 0.8, 0.2, "[article]", "clear old; new article; low output"),
    WordGates("dog", 0.7, 0.9, 0.9, "[dog, article]", "keep article; new subject; output subject"),
    WordGates("was", 0.9, 0.8, 0.9, "[dog, was]", "keep subject; add verb; output for prediction"),
)
