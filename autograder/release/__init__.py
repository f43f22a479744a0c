"""Release: build the nbgrader source of an assignment from solutions/, then nbgrader releases it.

    build(assignment_id, source_root)    solutions/<a>/ -> <source_root>/<a>/ (nbgrader's source)

The instructor edits solutions/; what nbgrader reads is built from it, one small step each:

    render.py   markdown placeholders {{ fact }} -> numbers computed by lstm_ref (lstm_ref/facts.py)
    hidden.py   hidden check calls get their right results, for plain `nbgrader autograde`
    data.py     course_data.json: what the visible checks and displays need, from lstm_ref
    kit.py      student_kit/, the student-side code, copied in beside the notebook

nbgrader's generate_assignment then makes the student version (solutions stubbed, hidden tests
removed) and copies the other files, so a released folder is the notebook and what it needs.
"""
import copy
import shutil
from pathlib import Path

import nbformat

from ..course import COURSE, assignment
from . import data, hidden, kit, render

STEPS = [render.render_facts, hidden.seal_hidden_tests]  # notebook -> notebook, in order
CACHE = COURSE / ".cache"  # given data that takes long to measure (given.cached), git-ignored


def whole(assignment_id):
    """All the assignment's source notebooks as one (what its data file must serve)."""
    sources = [nbformat.read(path, as_version=4) for path in assignment(assignment_id).source_notebooks]
    everything = copy.deepcopy(sources[0])
    everything.cells = [cell for notebook in sources for cell in notebook.cells]
    return everything


def course_data(assignment_id):
    """The content of the assignment's course_data.json (decoded), as release writes it."""
    return data.course_data(whole(assignment_id), assignment_id, CACHE)


def build(assignment_id, source_root):
    """Write <source_root>/<assignment>/: the built notebooks and the files beside them."""
    folder = Path(source_root) / assignment_id
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = [nbformat.read(path, as_version=4) for path in assignment(assignment_id).source_notebooks]
    data.write_course_data(whole(assignment_id), assignment_id, folder, CACHE)
    for path, notebook in zip(assignment(assignment_id).source_notebooks, sources):
        for step in STEPS:
            notebook = step(notebook, assignment_id)
        nbformat.write(notebook, folder / path.name)
    kit.copy_kit(folder)
    return folder
