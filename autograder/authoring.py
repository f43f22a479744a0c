"""Small helpers for writing nbgrader source notebooks from Python.

The notebooks in solutions/ are the source of truth; these helpers only save typing the
nbgrader cell metadata by hand when a notebook is written or a cell is replaced:

    nb = notebook([markdown("intro", "# The forget gate"),
                   answer("sigmoid", "def sigmoid(z):\\n    ### BEGIN SOLUTION ..."),
                   tests("sigmoid_lecture", "check_example(...)", points=1)])
    nbformat.write(nb, "solutions/forget_gate/forget_gate.ipynb")
"""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook


def _nbgrader(grade_id, *, grade=False, solution=False, locked=False, points=None):
    metadata = {"grade": grade, "grade_id": grade_id, "locked": locked,
                "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        metadata["points"] = points
    return {"nbgrader": metadata}


def _stable_id(cell, grade_id):
    # nbformat makes random cell ids; ours follow the grade id so regenerating is deterministic.
    cell["id"] = grade_id.replace("_", "-")
    return cell


def markdown(grade_id, text):
    """A read-only markdown cell."""
    cell = new_markdown_cell(text.strip(), metadata=_nbgrader(grade_id, locked=True))
    return _stable_id(cell, grade_id)


def code(grade_id, source):
    """A read-only code cell that is not graded (imports, demonstrations, widgets)."""
    cell = new_code_cell(source.strip(), metadata=_nbgrader(grade_id, locked=True))
    return _stable_id(cell, grade_id)


def answer(grade_id, source):
    """An autograded answer cell: the student's code between ### BEGIN/END SOLUTION."""
    cell = new_code_cell(source.strip(), metadata=_nbgrader(grade_id, solution=True))
    return _stable_id(cell, grade_id)


def tests(grade_id, source, points):
    """A read-only test cell worth `points`; ### BEGIN/END HIDDEN TESTS hides a part."""
    cell = new_code_cell(source.strip(), metadata=_nbgrader(grade_id, grade=True, locked=True, points=points))
    return _stable_id(cell, grade_id)


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write(nb, path):
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
