"""Show a lecture's worked example, the errata and other given data in a notebook, from
course_data.json: the notebooks call these instead of typing the lectures' numbers."""

import numpy as np

from . import data
from .checks import global_names


def format_value(value) -> str:
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


def lecture_name(lecture):
    """'lecture 004 (“LSTMs”)'."""
    title = data.section("lectures").get(lecture, {}).get("title")
    return f"lecture {lecture} (“{title}”)" if title else f"lecture {lecture}"


ERRATA_HEADING = "Where the lectures are wrong"  # every notebook's section that calls show_errata()


def example_markdown(key):
    example = data.lookup("examples", key, "worked example")
    source = f"Lecture {example['lecture']}, {example['where']}" if example["lecture"] else "The course's example"
    lines = [f"**{source}:** {example['what']}", ""]
    lines += [f"- {name} = {_code(format_value(value))}" for name, value in example["inputs"].items()]
    if example["lecture"] and example["stated"] is None:
        lines += ["", f"Lecture {example['lecture']} gives the equation but no numbers: these inputs are the course's."]
    elif example["stated"] is not None:
        lines += ["", f"The lecture's result: {_code(format_value(example['stated']))}"]
        if example["erratum"]:
            lines[-1] += (
                f' (the lecture is wrong here: the tests expect the right value; the section "{ERRATA_HEADING}" '
                "says why)"
            )
    return "\n".join(lines)


def show_example(key):
    """Display the inputs of a worked example and the result the lecture states."""
    _render(example_markdown(key))


def erratum_markdown(key):
    example = data.lookup("examples", key, "worked example")
    return (
        f"> **Erratum, {lecture_name(example['lecture'])}, {example['where']}.** "
        f"The lecture says `{format_value(example['stated'])}`; the right value is "
        f"`{format_value(example['exact'])}`. {example['erratum']}"
    )


def show_errata():
    """Display every erratum of the lectures this assignment uses, with the lecture's and the right value."""
    keys = data.section("errata_keys") or []
    _render("\n\n".join(erratum_markdown(key) for key in keys) or "No errata in this assignment's lectures.")


def example(key):
    """A worked example: {"inputs", "exact", "stated", "lecture", "where", "what", ...}."""
    return data.lookup("examples", key, "worked example")


def ungraded_demo(what, *needs):
    """True where a demonstration should run. While the notebook is graded (nbgrader sets
    NBGRADER_EXECUTION) it prints a one-line note instead and returns False: demonstrations
    are not graded and must cost the grader nothing. `needs`: the notebook's functions it calls,
    which must be written first (see ready)."""
    import os

    if os.environ.get("NBGRADER_EXECUTION"):
        print(f"{what[:1].upper()}{what[1:]}: not run while your work is graded (it is not graded).")
        return False
    return ready(*needs)


def _is_stub(function) -> bool:
    """True for a function that still raises NotImplementedError: the notebook's `# YOUR CODE HERE`."""
    code = getattr(function, "__code__", None)
    return code is not None and "NotImplementedError" in global_names(code)


def _unwritten(function, path=(), seen=None):
    """The path (function, ..., the first unwritten one) from `function` through the notebook's
    functions it calls, or None if every one of them is written."""
    seen = set() if seen is None else seen
    if id(function) in seen:
        return None
    seen.add(id(function))
    path = path + (function.__name__,)
    if _is_stub(function):
        return path
    module = getattr(function, "__module__", None)
    for name in global_names(function.__code__):
        called = function.__globals__.get(name)
        if callable(called) and getattr(called, "__module__", None) == module and hasattr(called, "__code__"):
            found = _unwritten(called, path, seen)
            if found:
                return found
    return None


def ready(*functions) -> bool:
    """True if every one of the notebook's `functions`, and every function of the notebook they
    call, is written. Else it prints one line saying which to write first, and returns False:
    a demonstration cell then stops there, instead of failing with a traceback (or, in the cells
    after it, with a NameError).

        if ready(lstm_forward):
            h_all, C_T = lstm_forward(x, h0, C0, params)
    """
    for function in functions:
        path = _unwritten(function)
        if path:
            culprit = path[-1]
            via = (
                ""
                if len(path) == 1
                else f"; this cell calls {path[0]}, which "
                + (f"calls {culprit}" if len(path) == 2 else f"calls {culprit} through {', '.join(path[1:-1])}")
            )
            print(f"Not run: write {culprit} first (it raises NotImplementedError{via}), run its cell, then this one.")
            return False
    return True


def given(key):
    """Data the assignment gives, stored in the folder when it was released (a lecture's table,
    the results of an experiment the course ran with PyTorch): see the notebook for what each holds."""
    return data.lookup("given", key, "given data")
