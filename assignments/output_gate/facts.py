"""Numbers the output-gate notebook's text states."""

from assignments.declare import Facts, how_shown, shown_decimals

from .examples import EXAMPLES, REVIEW_LENGTHS_000, SENTIMENTS_000

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


POSITIONS = ("first", "middle", "last")  # of lecture 004's three units


def _example(key):
    return next(e for e in EXAMPLES if e.key == key)


@FACTS
def lecture_004_tanh_shown():
    """How lecture 004's tanh(C_t) = [0.76, 0.9999, 0.9993] stands to the exact values, in the
    words how_shown computes: which numbers are rounded and which are cut."""
    example = _example("004-tanh-cell")
    kinds = how_shown(example.stated, example.exact)
    C_t = example.inputs["C_t"]
    rounded = [f"tanh({c:g})" for c, kind in zip(C_t, kinds) if kind == "rounded"]
    parts = [f"rounds {' and '.join(rounded)} to the digits it shows"] if rounded else []
    verb = {"cut": "cuts tanh({c:g}) = {e:.6f} to {s:g}", "wrong": "gets tanh({c:g}) = {e:.6f} wrong as {s:g}"}
    parts += [
        verb[kind].format(c=c, e=e, s=s) + f" (rounded: {e:.{shown_decimals(s)}f})"
        for c, s, e, kind in zip(C_t, example.stated, example.exact, kinds)
        if kind != "rounded"
    ]
    return " and ".join(parts)


@FACTS
def lecture_004_hidden_shown():
    """Lecture 004's h_t = [0, 0.495, 0.99], entry by entry: 'is wrong in the middle entry and cut in the last'."""
    example = _example("004-hidden-state")
    kinds = how_shown(example.stated, example.exact)
    said = [f"{kind} in the {POSITIONS[k]}" for k, kind in enumerate(kinds) if kind != "rounded"]
    return "is " + " and ".join(said).replace(said[0], said[0] + " entry", 1)
