"""Every worked numeric example of the lectures, in one place.

Each example records the lecture it comes from, the inputs, the result the lecture states
and the exact result computed with lstm_ref. Where they differ, `erratum` says how and why.
The notebooks, their tests and the course pages (course/errata.md) all read from here, so no
lecture number is typed anywhere else.

One module per topic; each has an `examples()` generator, collected below in order.

    >>> EXAMPLES["004-forget-preactivation"].exact
    array([ -6., 175., 133.])
"""
from . import forget_gate, formulas, gru, input_gate, output_gate, reviews, vanishing
from .base import LECTURE_TITLES, LECTURES, WorkedExample

TOPICS = [forget_gate, input_gate, output_gate, reviews, gru, vanishing, formulas]

EXAMPLES = {example.key: example for topic in TOPICS for example in topic.examples()}


def examples(tag=None):
    """The worked examples, in lecture order, optionally only those with `tag`."""
    return [ex for ex in EXAMPLES.values() if tag is None or tag in ex.tags]


def errata():
    """The worked examples where the lecture's number is wrong."""
    return [ex for ex in EXAMPLES.values() if not ex.lecture_is_right]
