"""The course's files agree with each other: manifest, sources, released notebooks; and a
release is built, never edited: two releases of this checkout are the same bytes."""

import difflib
import json
import os
import subprocess
import sys

import nbformat
import pytest
from conftest import graded_cells

from autograder import cells
from autograder.course import assignments, errata

ASSIGNMENT_IDS = [a.id for a in assignments()]


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_manifest_points_match_the_notebook(assignment):
    assert assignment.source_notebooks, f"assignments/{assignment.id}/ has no notebook"
    assert sum(graded_cells(assignment.id).values()) == assignment.points


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_every_assignment_has_visible_and_hidden_tests(assignment):
    for path in assignment.source_notebooks:
        sources = [
            c.source
            for c in nbformat.read(path, as_version=4).cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")
        ]
        assert any("### BEGIN HIDDEN TESTS" in s for s in sources)
        assert any("### BEGIN HIDDEN TESTS" not in s for s in sources)


def test_a_function_checked_visibly_without_a_hidden_test_is_not_released():
    """A visible check's right results are released, and the grader confirms a visible cell
    with the function's hidden tests: an assignment without them is refused at release."""
    from autograder.release import hidden

    notebook = nbformat.read(assignments()[0].source_notebooks[0], as_version=4)
    assert hidden.require_hidden_tests(notebook, "a") is notebook
    hidden_cell = next(c for c in notebook.cells if cells.is_test(c) and cells.HIDDEN_BEGIN in c.source)
    (name,) = {check.name for check in cells.checks(hidden_cell.source)}
    notebook.cells = [
        c for c in notebook.cells if not (cells.is_test(c) and cells.HIDDEN_BEGIN in c.source and name in c.source)
    ]
    with pytest.raises(ValueError, match=f"{name} has visible checks but no hidden test"):
        hidden.require_hidden_tests(notebook, "a")


def test_a_hidden_test_cell_of_two_functions_is_not_released():
    """Its first failing check would stop the cell before the second function's: that function's
    visible cell would lose its points for another function's mistake."""
    from autograder.release import hidden

    notebook = nbformat.read(assignments()[0].source_notebooks[0], as_version=4)
    first, second = [c for c in notebook.cells if cells.is_test(c) and cells.HIDDEN_BEGIN in c.source][:2]
    (name,) = {check.name for check in cells.checks(second.source)}
    first.source = first.source.replace(cells.HIDDEN_END, f"check_random({name!r}, {name}, seed=1)\n{cells.HIDDEN_END}")
    with pytest.raises(ValueError, match="give each function a hidden test cell of its own"):
        hidden.require_hidden_tests(notebook, "a")


def _files(folder):
    """{relative path: content} of a released folder (bytecode caches left out)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _readable_difference(name, first, second):
    """The first lines where two versions of a released file differ, as a reviewer reads them."""

    def lines(content):
        if name.endswith(".ipynb"):
            from autograder.release import as_text

            return as_text(nbformat.reads(content.decode(), as_version=4)).splitlines()
        if name.endswith(".json"):
            return json.dumps(json.loads(content), indent=1).splitlines()
        return content.decode(errors="replace").splitlines()

    return "\n".join(
        list(difflib.unified_diff(lines(first), lines(second), "first release", "second release", lineterm=""))[:40]
    )


@pytest.fixture(scope="module")
def second_build(released_course, tmp_path_factory):
    """Every assignment built once more (what nbgrader's generate_assignment makes the student
    version of), in a process of its own with another hash seed: no set or dict order may leak
    into a file."""
    root = tmp_path_factory.mktemp("second-build")
    code = (
        "import sys; from autograder.course import assignments; from autograder.release import build\n"
        "for a in assignments(): build(a.id, sys.argv[1])"
    )
    env = dict(os.environ, PYTHONHASHSEED="2718")
    result = subprocess.run(
        [sys.executable, "-c", code, str(root)], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return root


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_a_release_is_the_same_bytes_every_time(assignment, released_course, second_build):
    """What students get is built from this checkout, never edited by hand, and does not change
    from one release to the next (measurements are kept data, not taken at release). The built
    source is compared: stock nbgrader's generate_assignment makes the released folder of it,
    the same way each time (and the student view test below compares that step's cells)."""
    first, second = _files(released_course.source_directory / assignment.id), _files(second_build / assignment.id)
    assert sorted(first) == sorted(second)
    for name, content in first.items():
        assert content == second[name], (
            f"{assignment.id}/{name} differs between two releases:\n"
            + _readable_difference(name, content, second[name])
        )


@pytest.mark.slow
def test_the_student_view_is_what_release_gives_students(released_course):
    """`autograder show` reads the student version without a release: the same cells as released."""
    from autograder import samples

    for assignment in assignments():
        shown = samples.released(assignment.id)
        released = samples.released(assignment.id, released_course.release_directory)
        assert [(c.cell_type, c.source) for c in shown.cells] == [(c.cell_type, c.source) for c in released.cells]


# Each solution notebook running top to bottom without error (and within its torch budget)
# is tested in test_all_assignments_pipeline.py.


def test_the_course_pages_list_every_assignment_and_every_erratum():
    from autograder.docs import errata_page, syllabus_page

    syllabus, errata_text = syllabus_page(), errata_page()
    for assignment in assignments():
        assert f"`{assignment.id}`, {assignment.points:g} points" in syllabus
        assert all(objective in syllabus for objective in assignment.objectives)
    for example in errata():
        assert f"## Lecture {example.lecture}, {example.where}: {example.what}" in errata_text
        assert example.erratum in errata_text


def _cells(assignment):
    for path in assignment.source_notebooks:
        yield from nbformat.read(path, as_version=4).cells


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_every_test_cell_is_checked_again_by_the_grader(assignment):
    """A test cell decided only by the student's kernel can be fooled (monkeypatched numpy, an
    object equal to everything): each must call check_example/check_random with literal
    arguments, which the grader recomputes in its own process."""
    for cell in _cells(assignment):
        if cells.is_test(cell):
            found = cells.checks(cell.source)
            assert found and all(check.recomputable for check in found), (
                f"{assignment.id}/{cells.grade_id(cell)} has no check the grader can recompute"
            )


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_no_cell_imports_what_a_student_or_a_grading_kernel_lacks(assignment):
    """A released notebook runs with numpy, matplotlib, ipywidgets and the student kit beside it:
    no cell, answer or not, imports lstm_ref, autograder or torch."""
    from autograder import verify

    for cell in _cells(assignment):
        if cell.cell_type == "code":
            assert not verify.advice(cell.source), (
                f"{assignment.id}/{verify.grade_id(cell)}: {verify.advice(cell.source)}"
            )


@pytest.mark.parametrize("assignment", assignments(), ids=ASSIGNMENT_IDS)
def test_every_notebook_shows_every_erratum_of_its_lectures(assignment):
    """show_errata() shows what the release stores: every erratum of the manifest's lectures."""
    from autograder.release import course_data

    assert any("show_errata()" in cell.source for cell in _cells(assignment) if cell.cell_type == "code")
    stored = course_data(assignment.id)
    expected = [example.key for example in errata() if example.lecture in assignment.lectures]
    assert stored["errata_keys"] == expected and set(expected) <= set(stored["examples"])
