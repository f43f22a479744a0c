"""Release: build the nbgrader source of an assignment from its folder, then nbgrader releases it.

    build(assignment_id, source_root)    assignments/<a>/<a>.ipynb -> <source_root>/<a>/ (nbgrader's source)

The instructor edits the solution notebook in assignments/<a>/; what nbgrader reads is built from
it, one small step each:

    render.py   markdown placeholders {{ fact }} -> the numbers the assignments' facts.py compute
    hidden.py   every visibly checked function has a hidden test; hidden check calls get their
                right results, for plain `nbgrader autograde`
    data.py     course_data.json: what the visible checks and displays need, from lstm_ref
    kit.py      student_kit/, the student-side code, copied in beside the notebook

nbgrader's generate_assignment then makes the student version (solutions stubbed, hidden tests
removed) and copies the other files, so a released folder is the notebook and what it needs.
Release computes; it measures nothing (PyTorch's measurements are kept data, measured.json), so
two releases of the same checkout on the same machine are the same bytes.
"""

import copy
import shutil
from pathlib import Path

import nbformat

from ..cells import nbgrader_meta
from ..course import assignment
from . import data, hidden, kit, render

STEPS = [render.render_facts, hidden.require_hidden_tests, hidden.seal_hidden_tests]  # notebook -> notebook, in order


def whole(assignment_id):
    """All the assignment's source notebooks as one (what its data file must serve)."""
    sources = [nbformat.read(path, as_version=4) for path in assignment(assignment_id).source_notebooks]
    everything = copy.deepcopy(sources[0])
    everything.cells = [cell for notebook in sources for cell in notebook.cells]
    return everything


def course_data(assignment_id):
    """The content of the assignment's course_data.json (decoded), as release writes it."""
    return data.course_data(whole(assignment_id), assignment_id)


def build(assignment_id, source_root):
    """Write <source_root>/<assignment>/: the built notebooks and the files beside them."""
    course_assignment = assignment(assignment_id)  # an id the course does not have: refused, nothing written
    folder = Path(source_root) / course_assignment.id
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = [nbformat.read(path, as_version=4) for path in course_assignment.source_notebooks]
    data.write_course_data(whole(assignment_id), assignment_id, folder)
    for path, notebook in zip(course_assignment.source_notebooks, sources):
        for step in STEPS:
            notebook = step(notebook, assignment_id)
        nbformat.write(notebook, folder / path.name)
    kit.copy_kit(folder)
    return folder


def student_view(assignment_id: str):
    """The student version of the assignment's (first) notebook, made in memory: the built
    source with nbgrader's own preprocessors applied, as generate_assignment applies them to the
    cells (solutions stubbed with the course's code stub, hidden tests and outputs removed). For
    reading the student version without a release (`python -m autograder show`)."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    from ..gradebook import course_config

    path = assignment(assignment_id).source_notebooks[0]
    notebook = nbformat.read(path, as_version=4)
    for step in STEPS:
        notebook = step(notebook, assignment_id)
    config = course_config()
    for preprocessor in (ClearSolutions(config=config), ClearOutput(config=config), ClearHiddenTests(config=config)):
        notebook, _ = preprocessor.preprocess(notebook, {})
    return notebook


def as_text(notebook) -> str:
    """A notebook as plain text, one block per cell: what a reviewer reads (and diffs)."""
    blocks = []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        label = " ".join(
            filter(
                None,
                [cell.cell_type, meta.get("grade_id"), f"{meta['points']:g} points" if meta.get("points") else None],
            )
        )
        blocks.append(f"# -- {label} " + "-" * max(0, 90 - len(label)) + "\n" + cell.source.rstrip())
    return "\n\n".join(blocks) + "\n"
