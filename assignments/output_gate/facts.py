"""Numbers the output-gate notebook's text states."""

from assignments.declare import Facts

from .examples import REVIEW_LENGTHS_000, SENTIMENTS_000

FACTS = Facts()


@FACTS
def review_table_000():
    """Lecture 000's Review / Sentiment table, as a markdown table."""
    rows = ["| review | words | sentiment |", "| --- | --- | --- |"]
    for b, (length, sentiment) in enumerate(zip(REVIEW_LENGTHS_000, SENTIMENTS_000, strict=True), start=1):
        words = ", ".join(f"$X_{{{b}{t}}}$" for t in range(1, length + 1))
        rows.append(f"| {b} | {words} | {sentiment} |")
    return "\n".join(rows)


@FACTS
def review_steps_000():
    return str(max(REVIEW_LENGTHS_000))
