"""What the claims' checks read (assignments/<id>/claims.py): the course's own notebooks, checks,
worked examples and errata, each read the way the release reads them. The lectures' text is in
assignments/lectures.py (lecture_says); measurements in each assignment's measured.json.

The autograder is imported inside the functions: the release imports assignments, not the other
way round."""

import functools

import nbformat
import numpy as np


def example(key):
    """A worked example of any assignment, by key."""
    from autograder.course import examples

    return examples()[key]


@functools.cache
def notebook(assignment_id):
    from autograder.course import assignment

    (path,) = assignment(assignment_id).source_notebooks
    return nbformat.read(path, as_version=4)


def cell_source(assignment_id, grade_id):
    from autograder.cells import grade_id as id_of

    return next(cell.source for cell in notebook(assignment_id).cells if id_of(cell) == grade_id)


def visible_checks(assignment_id):
    from autograder.cells import notebook_checks

    return notebook_checks(notebook(assignment_id), hidden=False)


def hidden_checks(assignment_id):
    from autograder.cells import notebook_checks

    return notebook_checks(notebook(assignment_id), hidden=True)


def exercises_of(assignment_id):
    """The names of the functions the assignment grades (its own exercises.py)."""
    from autograder.course import assignment

    return [exercise.name for exercise in assignment(assignment_id).exercises]


def errata_shown(assignment_id):
    """The keys of the errata the notebook's show_errata() shows (its lectures' errata, as release keeps them)."""
    from autograder.course import assignment, errata

    lectures = assignment(assignment_id).lectures
    return [entry.key for entry in errata() if entry.lecture in lectures]


def the_tests_expect_the_right_numbers(assignment_id):
    """Every visible check on a lecture's example expects the course's exact value, and where the
    lecture is wrong the notebook shows the erratum that says why."""
    from autograder.checks import cases

    shown = errata_shown(assignment_id)
    for check in visible_checks(assignment_id):
        if check.kind != "example":
            continue
        entry = example(check.key)
        (case,) = cases(check)
        assert same_value(case.expected, entry.exact), f"{check.key}: the test does not expect the exact value"
        assert entry.lecture_is_right or entry.key in shown, f"{check.key}: its erratum is not shown"
    assert "show_errata()" in "".join(cell.source for cell in notebook(assignment_id).cells)


def same_value(a, b):
    if isinstance(a, str | tuple) or isinstance(b, str | tuple):
        return a == b or tuple(np.ravel(a)) == tuple(np.ravel(b))
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=1e-12)


def every_exercise_is_checked_on(assignment_id, kind, exercises=None):
    """Each graded function (or `exercises`) has a visible check of `kind` ("example" on a lecture's
    numbers, "random")."""
    checked = {check.name for check in visible_checks(assignment_id) if check.kind == kind}
    for name in exercises or exercises_of(assignment_id):
        assert name in checked, f"{name} has no visible {kind} check"


def lecture_example_checks(assignment_id):
    """The visible checks on examples whose numbers a lecture prints (not the course's own)."""
    return [c for c in visible_checks(assignment_id) if c.kind == "example" and example(c.key).stated is not None]
