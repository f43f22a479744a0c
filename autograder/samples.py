"""Sample submissions, made from the released notebook the way a student would make them.

The demo grades these, and the tests use the same helpers to build right, wrong, broken
and hostile submissions:

    nb = solved("forget_gate", release)                          # every answer right
    nb = edit_answer(nb, "forget_gate", "sigmoid(", "np.tanh(")  # one known mistake
    nb = with_function(nb, "forget_gate", mistake.source)        # a known mistake, as a student wrote it

`release` is a folder of released assignments; None takes the student version made in memory
(release.student_view), for what needs the cells but no release.
"""

import copy
import functools
from pathlib import Path

import nbformat

from .cells import grade_id as _grade_id
from .cells import is_answer, replace_function, without_solution_markers
from .course import assignment


def _cell(nb, grade_id):
    for cell in nb.cells:
        if _grade_id(cell) == grade_id:
            return cell
    raise KeyError(f"no cell with grade_id {grade_id!r}")


def released(assignment_id, release_directory=None):
    """The student version of the assignment's (first) notebook, untouched."""
    if release_directory is None:
        from .release import student_view

        return student_view(assignment_id)
    name = assignment(assignment_id).source_notebooks[0].name
    return nbformat.read(Path(release_directory) / assignment_id / name, as_version=4)


def solution_answers(assignment_id):
    """{grade_id: the instructor's answer code, without the solution markers}."""
    source = nbformat.read(assignment(assignment_id).source_notebooks[0], as_version=4)
    answers = {}
    for cell in source.cells:
        if is_answer(cell) and cell.cell_type == "code":
            answers[_grade_id(cell)] = without_solution_markers(cell.source)
    return answers


def solved(assignment_id, release_directory=None):
    """The released notebook with every answer cell filled in with the instructor's answer."""
    nb = released(assignment_id, release_directory)
    for grade_id, source in solution_answers(assignment_id).items():
        _cell(nb, grade_id).source = source
    return nb


def set_cell(nb, grade_id, source):
    """A copy of nb with one cell's source replaced (any cell: answers, or locked tests)."""
    nb = copy.deepcopy(nb)
    _cell(nb, grade_id).source = source
    return nb


def edit_answer(nb, grade_id, old, new):
    """A copy of nb with `old` replaced by `new` in one cell; `old` must be there."""
    source = _cell(nb, grade_id).source
    if old not in source:
        raise ValueError(f"{old!r} is not in cell {grade_id!r}:\n{source}")
    return set_cell(nb, grade_id, source.replace(old, new))


def with_function(nb, grade_id, function_source):
    """A copy of nb whose answer cell `grade_id` has its function of that name written as
    `function_source` (the cell's other functions stay)."""
    return set_cell(nb, grade_id, replace_function(_cell(nb, grade_id).source, function_source))


@functools.cache
def solution_files(assignment_id):
    """{file name: bytes} of what a student who ran the solution hands in beside the notebook
    (course/assignments.toml's student_files, made as the assignment's exercises.py says)."""
    course_assignment = assignment(assignment_id)
    missing = set(course_assignment.student_files) - set(course_assignment.handed_in)
    if missing:
        raise ValueError(
            f"no sample of {sorted(missing)}: declare how the solution makes it in "
            f"assignments/{assignment_id}/exercises.py (HANDED_IN)"
        )
    return {name: course_assignment.handed_in[name]() for name in course_assignment.student_files}


def write_submission(nb, submissions, student, assignment_id, files=None):
    """Save nb as <submissions>/<student>/<assignment>/<notebook>.ipynb, and `files` ({name:
    bytes}) beside it; return the notebook's path."""
    name = assignment(assignment_id).source_notebooks[0].name
    path = Path(submissions) / student / assignment_id / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    for file_name, content in (files or {}).items():
        (path.parent / file_name).write_bytes(content)
    return path


def demo_submissions(release_directory):
    """[(student, what their notebook does, notebook)] for the forget-gate demo."""
    right = solved("forget_gate", release_directory)
    return [
        ("ada", "every answer right", right),
        ("ben", "handed in the blank notebook", released("forget_gate", release_directory)),
        ("cleo", "tanh where sigma belongs in f_t", edit_answer(right, "forget_gate", "sigmoid(", "np.tanh(")),
        (
            "dev",
            "lecture's rounded f_t, and emptied the visible test",
            set_cell(
                set_cell(
                    right,
                    "forget_gate",
                    "def forget_gate(W_f, h_prev, x_t, b_f):\n"
                    "    return np.round(sigmoid(W_f @ np.concatenate([h_prev, x_t]) + b_f))",
                ),
                "forget_gate_lecture",
                "pass  # nothing to see here",
            ),
        ),
        (
            "eve",
            "forget() raises an error",
            set_cell(right, "forget", "def forget(f_t, C_prev):\n    raise ValueError('oops')"),
        ),
        (
            "finn",
            "forget_gate() loops forever",
            set_cell(right, "forget_gate", "def forget_gate(W_f, h_prev, x_t, b_f):\n    while True:\n        pass"),
        ),
    ]
