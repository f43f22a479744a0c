"""Numbers the bptt notebook's text states, computed with the task's own sentence generator
(student_kit/agreement.py): how often the noun nearest to the verb has the subject's number."""

import functools

import numpy as np

from assignments.declare import Facts, percent
from student_kit import agreement

FACTS = Facts()

SENTENCES = 20_000  # per k: the shares below move by well under 1 % between seeds
LONGEST = 30  # the notebook's distance sweep goes up to k = 30
PLURAL = np.array(sorted({agreement.INDEX[pair[1]] for pair in agreement.OBJECTS}))
NOUNS = np.array(sorted({agreement.INDEX[word] for pair in agreement.OBJECTS for word in pair}))


@functools.cache
def nearest_noun_right(k: int) -> float:
    """The share of sentences with k fillers in which the last noun before the verb (the subject
    itself when the fillers hold none) has the subject's number, i.e. predicts the verb."""
    words, y = agreement.sentences(k, SENTENCES, seed=(2024, k))
    is_noun = np.isin(words, NOUNS)
    last = words.shape[0] - 1 - np.argmax(is_noun[::-1], axis=0)  # the subject is a noun: always found
    nearest = words[last, np.arange(words.shape[1])]
    return float(np.mean(np.isin(nearest, PLURAL) == (y == 1)))


def first_k_with_a_filler_noun() -> int:
    """The smallest k at which the nearest noun is no longer always the subject."""
    return next(k for k in range(LONGEST + 1) if nearest_noun_right(k) < 1.0)


def chance_from() -> int:
    """The smallest k from which, up to LONGEST, the nearest noun is right in 45-55 % of sentences."""
    return next(
        k for k in range(LONGEST + 1) if all(0.45 <= nearest_noun_right(j) <= 0.55 for j in range(k, LONGEST + 1))
    )


@FACTS
def fillers_without_noun():
    return str(first_k_with_a_filler_noun() - 1)


@FACTS
def first_filler_noun_k():
    return str(first_k_with_a_filler_noun())


@FACTS
def nearest_noun_right_at_first():
    return percent(nearest_noun_right(first_k_with_a_filler_noun()))


@FACTS
def nearest_noun_chance_from():
    return str(chance_from())


@FACTS
def nearest_noun_right_beyond():
    shares = [nearest_noun_right(k) for k in range(chance_from(), LONGEST + 1)]
    return f"{percent(min(shares))} to {percent(max(shares))}"
