"""Hidden tests keep working under plain `nbgrader autograde`: each hidden check call gets its
right results and its inputs, computed here, as keywords,

    check_random("forget_gate", forget_gate, seed=202)
 -> check_random("forget_gate", forget_gate, seed=202, expected="eJyrVkrOz...", inputs="eJy...")

in nbgrader's source (and so in its gradebook), never in what students receive: nbgrader
removes hidden tests from the release. The course's own grader takes them out again before a
hidden cell runs and gives the kernel its own inputs (autograder/cells.py's unseal), and judges
the records in its own process instead.
"""

from ..cells import HIDDEN_BEGIN, is_test, seal


def seal_hidden_tests(notebook, assignment_id: str):
    """Every test cell's hidden check calls sealed (a release step: notebook -> notebook)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_test(cell) and HIDDEN_BEGIN in cell.source:
            cell.source = seal(cell.source)
    return notebook
