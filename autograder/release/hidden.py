"""Hidden tests keep working under plain `nbgrader autograde`: each hidden check call gets its
right results and its inputs, computed here, as keywords,

    check_random("forget_gate", forget_gate, seed=202)
 -> check_random("forget_gate", forget_gate, seed=202, expected="eJyrVkrOz...", inputs="eJy...")

in nbgrader's source (and so in its gradebook), never in what students receive: nbgrader
removes hidden tests from the release. The course's own grader takes them out again before a
hidden cell runs and gives the kernel its own inputs (autograder/cells.py's unseal), and judges
the records in its own process instead.
"""

from ..cells import HIDDEN_BEGIN, checks, is_test, notebook_checks, seal, split_hidden


def seal_hidden_tests(notebook, assignment_id: str):
    """Every test cell's hidden check calls sealed (a release step: notebook -> notebook)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_test(cell) and HIDDEN_BEGIN in cell.source:
            cell.source = seal(cell.source)
    return notebook


def require_hidden_tests(notebook, assignment_id: str):
    """The notebook unchanged, or ValueError: every function a visible test cell checks has a
    hidden test in the same notebook (a check in another cell earns no points), and each hidden
    test cell checks one function. A visible check's
    right results are released with it, so the grader gives a visible cell its points only if the
    function's hidden tests pass too (autograder/grading.py); without one, a function that looks
    its answer up would earn them."""
    for cell in notebook.cells:
        if is_test(cell) and HIDDEN_BEGIN in cell.source:
            names = {check.name for check in checks(split_hidden(cell.source)[1])}
            if len(names) > 1:
                # A check stops the cell where it fails: the functions after it would go unjudged,
                # and lose their visible cells' points with them.
                raise ValueError(
                    f"{assignment_id}: a hidden test cell checks {', '.join(sorted(map(str, names)))}: "
                    "give each function a hidden test cell of its own"
                )
    hidden = {check.name for check in notebook_checks(notebook, hidden=True)}
    visible = [check for cell in notebook.cells if is_test(cell) for check in checks(split_hidden(cell.source)[0])]
    for check in visible:
        if check.recomputable and check.kind in ("example", "random") and check.name not in hidden:
            raise ValueError(
                f"{assignment_id}: {check.name} has visible checks but no hidden test in the same "
                f"notebook: add a test cell with check_random({check.name!r}, {check.name}, seed=...) "
                "between the hidden-test markers"
            )
    return notebook
