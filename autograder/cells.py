"""Reading a notebook's cells, in one place: nbgrader's metadata, the solution and hidden-test
markers, and the check calls of the test cells, each described by a Check.

    is_answer(cell), is_test(cell), grade_id(cell)
    checks(source)                    # [Check] of a cell's check_example/check_random/check_saved_model calls
    notebook_checks(nb, hidden=True)  # the hidden (or visible) checks of a whole notebook
    seal(source) / unseal(source)     # hidden checks with their right results (plain nbgrader) / without
    replace_function(source, code)    # an answer cell with one of its functions written another way
"""

import ast
from dataclasses import dataclass
from typing import Any

from student_kit.data import pack

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
CHECK_FUNCTIONS = ("check_example", "check_random", "check_saved_model")
EXPECTED = "expected"  # a hidden check's right results: sealed for plain nbgrader, taken out by our grader
INPUTS = "inputs"  # a hidden check's inputs: the kernel needs them


@dataclass(frozen=True)
class Check:
    """One check call of a test cell, as the grader recomputes it:

        check_example("forget_gate", fn, "004-forget-gate")   Check("example", "forget_gate", "004-forget-gate")
        check_random("forget_gate", fn, seed=202)            Check("random", "forget_gate", 202, 10)
        check_saved_model("agreement_lstm", "agreement_lstm.npz", f)
                                                             Check("model", "agreement_lstm", "agreement_lstm.npz")

    A call the grader cannot recompute (arguments that are not literals, an unknown exercise) has
    name None: the cell is then judged by the kernel alone."""

    kind: str  # "example", "random" or "model"
    name: str | None  # the graded function, or the saved model
    key: Any = None  # the worked example's key, the seed, or the saved model's file
    trials: int = 1  # random inputs drawn from the seed (1 for an example or a model)

    @property
    def recomputable(self) -> bool:
        return self.name is not None

    @property
    def data_key(self) -> str:
        """Where course_data.json keeps a visible check's stored trials."""
        if self.kind == "example":
            return f"example/{self.name}/{self.key}"
        return f"random/{self.name}/{self.key}/{self.trials}"


# -- nbgrader's metadata -------------------------------------------------------------------------


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def is_answer(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_test(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def code_sources(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def without_solution_markers(source: str) -> str:
    """An answer cell's code as the instructor wrote it, without nbgrader's solution markers."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))


# -- hidden tests -------------------------------------------------------------------------------


def hidden_lines(source: str) -> set[int]:
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


def split_hidden(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a cell's source, split at nbgrader's hidden-test markers."""
    hidden = hidden_lines(source)
    lines = [
        (number, line)
        for number, line in enumerate(source.splitlines(), start=1)
        if line.strip() not in (HIDDEN_BEGIN, HIDDEN_END)
    ]
    return (
        "\n".join(line for number, line in lines if number not in hidden),
        "\n".join(line for number, line in lines if number in hidden),
    )


# -- check calls --------------------------------------------------------------------------------


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _calls(source: str, names=CHECK_FUNCTIONS) -> list[ast.Call]:
    """Every call of a function called one of `names` (plain names: check_random(...))."""
    tree = ast.parse(source)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
    ]


def _check(node: ast.Call) -> Check:
    """The Check of one call; name None when the grader cannot recompute it."""
    from .course import examples, exercises
    from .saved_models import SAVED_MODELS

    if node.func.id == "check_saved_model":
        name, path = (_literal(a) for a in (node.args + [ast.Constant(None)] * 2)[:2])
        return Check("model", name, path) if name in SAVED_MODELS and isinstance(path, str) else Check("model", None)
    arguments = {k.arg: k.value for k in node.keywords}
    positional = [
        "exercise_name",
        "student_function",
        "example_key" if node.func.id == "check_example" else "seed",
        "trials",
    ]
    arguments.update(zip(positional, node.args, strict=False))
    exercise = _literal(arguments["exercise_name"]) if "exercise_name" in arguments else None
    if node.func.id == "check_example":
        key = _literal(arguments.get("example_key", ast.Constant(None)))
        known = exercise in exercises() and key in examples()
        return Check("example", exercise, key) if known else Check("example", None)
    seed = _literal(arguments.get("seed", ast.Constant(None)))
    trials = _literal(arguments["trials"]) if "trials" in arguments else 10
    known = exercise in exercises() and isinstance(seed, int) and isinstance(trials, int)
    return Check("random", exercise, seed, trials) if known else Check("random", None)


def checks(source: str) -> list[Check]:
    """The Check of every check call in `source`, in the order ast walks them; [] if it does not parse."""
    try:
        return [_check(node) for node in _calls(source)]
    except SyntaxError:
        return []


def notebook_checks(notebook, hidden: bool) -> list[Check]:
    """The recomputable checks of a notebook's visible parts (hidden=False) or of its test cells'
    hidden parts (hidden=True), each once."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or (hidden and not is_test(cell)):
            continue
        visible_part, hidden_part = split_hidden(cell.source)
        found += [check for check in checks(hidden_part if hidden else visible_part) if check.recomputable]
    return list(dict.fromkeys(found))


def first_arguments(notebook, function_name: str, keyword: str | None = None) -> list:
    """The literal first argument (or `keyword`) of every call of `function_name`, in order."""
    values = []
    for source in code_sources(notebook):
        try:
            calls = _calls(source, (function_name,))
        except SyntaxError:
            continue
        for node in calls:
            keywords = {k.arg: _literal(k.value) for k in node.keywords}
            value = keywords.get(keyword) if keyword else (_literal(node.args[0]) if node.args else None)
            if value is not None:
                values.append(value)
    return list(dict.fromkeys(values))


# -- sealing hidden tests -------------------------------------------------------------------------


def _offset(source: str, line: int, column: int) -> int:
    """The character offset of (line, column) in source; ast counts columns in UTF-8 bytes."""
    lines = source.splitlines(keepends=True)
    prefix = "".join(lines[: line - 1])
    return len(prefix) + len(lines[line - 1].encode()[:column].decode())


def _without_keywords(source: str, names: tuple[str, ...]) -> str:
    """`source` without the keywords `names` of any check call (with the comma before each)."""
    cuts = []
    for node in _calls(source):
        for keyword in node.keywords:
            if keyword.arg in names:
                start = source.rindex(",", 0, _offset(source, keyword.lineno, keyword.col_offset))
                cuts.append((start, _offset(source, keyword.end_lineno, keyword.end_col_offset)))
    for start, end in sorted(cuts, reverse=True):
        source = source[:start] + source[end:]
    return source


def _with_keywords(source: str, keywords_of, lines: set[int]) -> str:
    """`source` with keywords_of(check) -> {keyword: value} added to each check call on `lines`."""
    nodes = sorted(
        (node for node in _calls(source) if node.lineno in lines),
        key=lambda node: (node.end_lineno, node.end_col_offset),
        reverse=True,
    )
    for node in nodes:
        check = _check(node)
        added = "".join(f", {keyword}={pack(value)!r}" for keyword, value in keywords_of(check).items())
        end = _offset(source, node.end_lineno, node.end_col_offset) - 1  # the call's ")"
        source = f"{source[:end]}{added}{source[end:]}"
    return source


def seal(source: str) -> str:
    """`source` with the right results (and the inputs) added to every hidden check call, for plain
    `nbgrader autograde`, which judges in the kernel. Never in what students receive: nbgrader
    removes hidden tests from the release."""
    from .checks import sealed_keywords

    return _with_keywords(source, sealed_keywords, hidden_lines(source))


def unseal(source: str) -> str:
    """`source` for the course's grader's kernel: no right results in any check call, and each
    hidden check with the inputs the grader judges it on (its own, drawn now)."""
    from .checks import grader_keywords

    try:
        source = _without_keywords(source, (EXPECTED, INPUTS))
        return _with_keywords(source, grader_keywords, hidden_lines(source))
    except SyntaxError:
        return source


# -- answer cells ---------------------------------------------------------------------------------


def replace_function(source: str, function_source: str) -> str:
    """`source` (an answer cell) with its top-level function of the same name as `function_source`
    replaced by it; the cell's other code stays as it is."""
    name = ast.parse(function_source).body[0].name
    found = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef) and node.name == name]
    if not found:
        raise ValueError(f"no function {name}() in this cell:\n{source}")
    node, lines = found[0], source.splitlines()
    start = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return "\n".join(lines[: start - 1] + function_source.rstrip("\n").splitlines() + lines[node.end_lineno :])
