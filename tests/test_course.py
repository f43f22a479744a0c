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


def _comparable(name, content):
    """A released file as data; timings measured at release (given.TIMED) left out."""
    from autograder.release.given import TIMED

    if not name.endswith((".ipynb", ".json")):
        return content
    value = json.loads(content)
    if name == "course_data.json":
        for key in TIMED & value["dict"].get("given", {}).get("dict", {}).keys():
            value["dict"]["given"]["dict"][key] = "timed at release"
    return value


def _files(folder):
    """{relative path: content} of a released folder (bytecode caches left out)."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts}


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_released_folders_are_up_to_date(assignment, released_course):
    """notebooks/<assignment>/ is exactly what release makes from solutions/, student_kit/ and
    lstm_ref now: the notebook, its data and the kit's copy. Nobody edited them by hand."""
    fresh, committed = _files(released_course.release_directory / assignment.id), _files(NOTEBOOKS / assignment.id)
    assert sorted(committed) == sorted(fresh), \
        f"notebooks/{assignment.id} is stale: run `make release` and commit the result"
    for name, content in fresh.items():
        assert _comparable(name, committed[name]) == _comparable(name, content), f"notebooks/{assignment.id}/{name} is stale: run `make release` and commit the result"


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
def test_no_cell_imports_what_a_student_or_a_grading_kernel_lacks(assignment):
    """A released notebook runs with numpy, matplotlib, ipywidgets and the student kit beside it:
    no cell, answer or not, imports lstm_ref, autograder or torch."""
    from autograder import verify

    for cell in _cells(assignment):
        if cell.cell_type == "code":
            assert not verify.advice(cell.source), f"{assignment.id}/{verify.grade_id(cell)}: {verify.advice(cell.source)}"


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_every_notebook_shows_every_erratum_of_its_lectures(assignment):
    """show_errata() shows what the release stored: every erratum of the manifest's lectures."""
    from lstm_ref.worked_examples import errata
    from student_kit import data

    assert any("show_errata()" in cell.source for cell in _cells(assignment) if cell.cell_type == "code")
    stored = data.decode(json.loads((NOTEBOOKS / assignment.id / data.FILE_NAME).read_text()))
    expected = [example.key for example in errata() if example.lecture in assignment.lectures]
    assert stored["errata_keys"] == expected and set(expected) <= set(stored["examples"])
