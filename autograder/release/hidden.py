"""Hidden tests keep working under plain `nbgrader autograde`: each hidden check_random call
gets its right results, computed here, as a keyword,

    check_random("forget_gate", forget_gate, seed=202)
 -> check_random("forget_gate", forget_gate, seed=202, expected="eJyrVkrOz...")

in nbgrader's source (and so in its gradebook), never in what students receive: nbgrader
removes hidden tests from the release. The course's own grader takes `expected` out again
before a hidden cell runs (unseal), and judges the records in its own process instead.
"""
import ast

from student_kit.data import pack

from ..checks import cases
from ..exercises import EXERCISES, SAVED_MODELS
from ..verify import expected_checks, is_test
from .calls import HIDDEN_BEGIN, HIDDEN_END
from .data import inputs_are_data

KEYWORD = "expected"  # taken out again by the course's grader (unseal)
INPUTS = "inputs"  # kept: the kernel needs them


def _hidden_lines(source):
    """The line numbers (1-based) between the hidden-test markers."""
    lines, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _offset(source, line, column):
    """The character offset of (line, column) in source; ast counts columns in UTF-8 bytes."""
    lines = source.splitlines(keepends=True)
    prefix = "".join(lines[:line - 1])
    return len(prefix) + len(lines[line - 1].encode()[:column].decode())


def _check_calls(source):
    tree = ast.parse(source)
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("check_random", "check_example", "check_saved_model")]


def _sealed_keywords(check):
    """{keyword: value} a hidden check call gets: its right results, and its inputs where the
    kernel cannot draw them (release/data.py's inputs_are_data)."""
    kind, name, key, trials = check
    if kind == "model":
        return {KEYWORD: SAVED_MODELS[name][2]()}
    found = cases(kind, name, key, trials)
    keywords = {KEYWORD: [case.expected for case in found]}
    if inputs_are_data(EXERCISES[name]):
        keywords[INPUTS] = [case.arguments for case in found]
    return keywords


def seal(source):
    """`source` with the right results added to every hidden check call."""
    hidden = _hidden_lines(source)
    calls = sorted((node for node in _check_calls(source) if node.lineno in hidden),
                   key=lambda node: (node.end_lineno, node.end_col_offset), reverse=True)
    for node in calls:
        segment = ast.get_source_segment(source, node)
        [check] = expected_checks(segment)
        if check[0] not in ("random", "model") or check[1] is None:
            raise ValueError(f"a hidden test must call check_random or check_saved_model with literal "
                             f"arguments: {segment}")
        sealed = "".join(f", {keyword}={pack(value)!r}" for keyword, value in _sealed_keywords(check).items())
        end = _offset(source, node.end_lineno, node.end_col_offset) - 1  # the call's ")"
        source = f"{source[:end]}{sealed}{source[end:]}"
    return source


def unseal(source):
    """`source` without the `expected` keyword of any check call (the grader's kernels get no answers)."""
    try:
        calls = _check_calls(source)
    except SyntaxError:
        return source
    cuts = []
    for node in calls:
        for position, keyword in enumerate(node.keywords):
            if keyword.arg != KEYWORD:
                continue
            start = _offset(source, keyword.lineno, keyword.col_offset)
            end = _offset(source, keyword.end_lineno, keyword.end_col_offset)
            start = source.rindex(",", 0, start)  # with the comma before it
            cuts.append((start, end))
    for start, end in sorted(cuts, reverse=True):
        source = source[:start] + source[end:]
    return source


def seal_hidden_tests(notebook, assignment_id):
    """Every test cell's hidden check calls sealed (a release step: notebook -> notebook)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_test(cell) and HIDDEN_BEGIN in cell.source:
            cell.source = seal(cell.source)
    return notebook
