"""The course's code that runs on a student's machine.

`autograder release` copies this folder into every released assignment, beside the notebook and
its data (course_data.json). It needs numpy, matplotlib, ipywidgets and IPython, nothing else:
never lstm_ref or autograder, and no function in it computes the answer of a graded function.
"""

from .checks import CheckFailed, check_example, check_random, check_saved_model
from .display import example, given, ready, show_errata, show_example, ungraded_demo

__all__ = [
    "CheckFailed",
    "check_example",
    "check_random",
    "check_saved_model",
    "example",
    "given",
    "ready",
    "show_errata",
    "show_example",
    "ungraded_demo",
]
