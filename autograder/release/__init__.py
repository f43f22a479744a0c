"""Release: build the nbgrader source of an assignment from solutions/, then nbgrader releases it.

    build(assignment_id, source_root)    solutions/<a>/ -> <source_root>/<a>/ (nbgrader's source)

The instructor edits solutions/; what nbgrader reads is built from it, one small step each:

    render.py   markdown placeholders {{ fact }} -> numbers computed by lstm_ref (lstm_ref/facts.py)
    kit.py      student_kit/, the student-side code, copied in beside the notebook

nbgrader's generate_assignment then makes the student version (solutions stubbed, hidden tests
removed) and copies the other files, so a released folder is the notebook and what it needs.
"""
import shutil
from pathlib import Path

import nbformat

from ..course import assignment
from . import kit, render

STEPS = [render.render_facts]  # notebook -> notebook, in order


def build(assignment_id, source_root):
    """Write <source_root>/<assignment>/: the built notebooks and the files beside them."""
    folder = Path(source_root) / assignment_id
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in assignment(assignment_id).source_notebooks:
        notebook = nbformat.read(path, as_version=4)
        for step in STEPS:
            notebook = step(notebook, assignment_id)
        nbformat.write(notebook, folder / path.name)
    kit.copy_kit(folder)
    return folder
