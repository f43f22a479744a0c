"""Show a lecture's worked example or erratum in a notebook, from lstm_ref.worked_examples.

The notebooks call these instead of typing the lectures' numbers into markdown, so each
number lives in one place.
"""
import numpy as np

from lstm_ref.worked_examples import EXAMPLES, errata


def _format(value):
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, separator=", ")
    return repr(value)


def _render(markdown_text):
    try:
        from IPython.display import Markdown, display

        display(Markdown(markdown_text))
    except ImportError:  # plain Python: print the markdown as it is
        print(markdown_text)


def _code(text):
    """Inline code, or a fenced block when the value spans lines (a matrix)."""
    return f"\n```\n{text}\n```" if "\n" in text else f"`{text}`"


def example_markdown(key):
    example = EXAMPLES[key]
    lines = [f"**Lecture {example.lecture}, {example.where}:** {example.what}", ""]
    lines += [f"- {name} = {_code(_format(value))}" for name, value in example.inputs.items()]
    if example.stated is None:
        lines += ["", f"Lecture {example.lecture} gives the equation but no numbers: these inputs are the course's."]
    else:
        lines += ["", f"The lecture's result: {_code(_format(example.stated))}"]
    if example.erratum:
        lines[-1] += " (the lecture rounds or errs here: the tests expect the exact value; see the errata at the end)"
    return "\n".join(lines)


def show_example(key):
    """Display the inputs of a worked example and the result the lecture states."""
    _render(example_markdown(key))


def erratum_markdown(key):
    example = EXAMPLES[key]
    return (f"> **Erratum, lecture {example.lecture} ({example.lecture_file}), {example.where}.** "
            f"The lecture says `{_format(example.stated)}`; the right value is "
            f"`{_format(example.exact)}`. {example.erratum}")


def show_errata(tag=None):
    """Display every erratum (or those of one topic), with the lecture's and the right value."""
    _render("\n\n".join(erratum_markdown(ex.key) for ex in errata() if tag is None or tag in ex.tags))
