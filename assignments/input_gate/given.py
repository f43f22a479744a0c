"""Data the input-gate notebook's code reads with given("key") (and the sentence stepper)."""

from assignments.declare import Given
from assignments.lectures import GATE_TABLE, SENTENCE, TABLE_WHERE, WORDS

GIVEN = Given()


@GIVEN("001-sentence")
def lecture_001_sentence():
    """Lecture 001's word-by-word gate table for "The cat was hungry. The dog was sleeping."."""
    return dict(
        lecture="001",
        where=TABLE_WHERE,
        sentence=SENTENCE,
        words=WORDS,
        table=[
            dict(word=row.word, f_t=row.f_t, i_t=row.i_t, o_t=row.o_t, cell=row.cell, why=row.why) for row in GATE_TABLE
        ],
    )
