"""Every assignment of the manifest through the real nbgrader pipeline, and how each solution runs.

- Each solution gets full marks and each blank release gets zero, in ONE autograde batch per assignment.
- Each solution notebook runs top to bottom; its time is printed (run with -s to see it: speed is
  reported, never asserted). A notebook whose manifest entry does not say `uses_torch = true` must
  leave torch out of its kernel (importing it costs ~2.5 s per graded notebook).
"""
import time
import tomllib

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import samples
from autograder.course import MANIFEST, assignments

from conftest import grade_batch, graded_cells

pytestmark = pytest.mark.slow

ASSIGNMENTS = assignments()
IDS = [a.id for a in ASSIGNMENTS]


def uses_torch(assignment_id):
    """The manifest's `uses_torch` flag (default false)."""
    with open(MANIFEST, "rb") as f:
        entries = tomllib.load(f)["assignment"]
    return next(e for e in entries if e["id"] == assignment_id).get("uses_torch", False)


@pytest.fixture(scope="module", params=IDS)
def batch(request, released_course, tmp_path_factory):
    assignment_id = request.param
    release = released_course.release_directory
    submissions = {"pipeline_solution": samples.solved(assignment_id, release),
                   "pipeline_blank": samples.released(assignment_id, release)}
    return grade_batch(released_course, assignment_id, submissions, tmp_path_factory.mktemp("inbox"))


def test_the_solution_gets_full_marks_and_the_blank_zero(batch):
    points = graded_cells(batch.assignment_id)
    manifest_points = next(a.points for a in ASSIGNMENTS if a.id == batch.assignment_id)
    assert batch.total("pipeline_solution") == sum(points.values()) == manifest_points
    for grade_id, full in points.items():
        assert batch.cell("pipeline_solution", grade_id) == full, f"the solution loses points in {grade_id}"
        assert batch.cell("pipeline_blank", grade_id) == 0, f"{grade_id} gives credit to the blank notebook"
    assert batch.total("pipeline_blank") == 0


TORCH_PROBE = "import sys\nprint('torch' in sys.modules, end='')"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_solution_runs_and_only_declared_notebooks_import_torch(assignment, tmp_path, record_property):
    for path in assignment.source_notebooks:
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(TORCH_PROBE))
        start = time.perf_counter()
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
        seconds = time.perf_counter() - start
        print(f"\n{assignment.id}/{path.name}: ran top to bottom in {seconds:.1f} s (budget 60 s)")
        record_property(f"{path.stem}_seconds", round(seconds, 2))
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
        imported_torch = nb.cells[-1].outputs[0]["text"] == "True"
        if not uses_torch(assignment.id):
            assert not imported_torch, (f"{path.name} imports torch but its manifest entry has no "
                                        "`uses_torch = true`; plain numpy notebooks must not import it")
