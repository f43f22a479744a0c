"""The course's files agree with each other: manifest, sources, released notebooks."""
import json

import nbformat
import pytest

from autograder.course import NOTEBOOKS, assignments

from conftest import graded_cells

ASSIGNMENT_IDS = [a.id for a in assignments()]


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_manifest_points_match_the_notebook(assignment):
    assert assignment.source_notebooks, f"solutions/{assignment.id}/ has no notebook"
    assert sum(graded_cells(assignment.id).values()) == assignment.points


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_every_assignment_has_visible_and_hidden_tests(assignment):
    for path in assignment.source_notebooks:
        sources = [c.source for c in nbformat.read(path, as_version=4).cells
                   if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        assert any("### BEGIN HIDDEN TESTS" in s for s in sources)
        assert any("### BEGIN HIDDEN TESTS" not in s for s in sources)


def _comparable(path):
    """A released notebook as JSON, without what nbgrader stamps differently on each run."""
    return json.loads(path.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_released_notebooks_are_up_to_date(assignment, released_course):
    """notebooks/ is what nbgrader makes from solutions/ now: nobody edited it by hand."""
    fresh = sorted((released_course.release_directory / assignment.id).glob("*.ipynb"))
    committed = sorted((NOTEBOOKS / assignment.id).glob("*.ipynb"))
    assert [p.name for p in committed] == [p.name for p in fresh], \
        f"notebooks/{assignment.id} is stale: run `python -m autograder release {assignment.id}`"
    for old, new in zip(committed, fresh):
        assert _comparable(old) == _comparable(new), \
            f"{old} is stale: run `python -m autograder release {assignment.id}` and commit the result"


# Each solution notebook running top to bottom without error (and within its torch budget)
# is tested in test_all_assignments_pipeline.py.


def test_generated_course_pages_are_up_to_date():
    from autograder.docs import PAGES

    for path, render in PAGES.items():
        assert path.exists() and path.read_text() == render(), \
            f"{path.name} is stale: run `python -m autograder docs` and commit the result"


def _cells(assignment):
    for path in assignment.source_notebooks:
        yield from nbformat.read(path, as_version=4).cells


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_every_test_cell_is_checked_again_by_the_grader(assignment):
    """A test cell decided only by the student's kernel can be fooled (monkeypatched numpy, an
    object equal to everything): each must call check_example/check_random with literal
    arguments, which the grader recomputes in its own process."""
    from autograder import verify

    for cell in _cells(assignment):
        if verify.is_test(cell):
            checks = verify.expected_checks(cell.source)
            assert checks and all(exercise for _, exercise, _, _ in checks), \
                f"{assignment.id}/{verify.grade_id(cell)} has no check the grader can recompute"


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_no_solution_answer_uses_what_the_grader_forbids(assignment):
    """The grader scores zero an answer that calls lstm_ref or torch.nn.LSTM; the instructor's
    own answers must not, or the solution would fail."""
    from autograder import verify

    for cell in _cells(assignment):
        if cell.cell_type == "code" and verify.is_answer(cell):
            assert not verify.forbidden(cell.source), f"{assignment.id}/{verify.grade_id(cell)}"
