"""What a notebook asks of the course's data: its check calls, worked examples and given data,
read from the code cells' source (literal arguments only), split into visible and hidden parts."""
import ast

from ..verify import expected_checks, is_test

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def split_hidden(source):
    """(visible part, hidden part) of a cell's source, split at nbgrader's hidden-test markers."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)


def literal_calls(source, function_name):
    """[(positional literal arguments, {keyword: literal})] of each call of `function_name`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function_name:
            found.append(([_literal(a) for a in node.args], {k.arg: _literal(k.value) for k in node.keywords}))
    return found


def _literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def code_sources(notebook):
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def checks(notebook, hidden):
    """The (kind, exercise, key, trials) of the visible (hidden=False) or hidden check calls."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        visible_part, hidden_part = split_hidden(cell.source)
        part = hidden_part if hidden else visible_part
        if hidden and not is_test(cell):
            continue
        found += [check for check in expected_checks(part) if check[1] is not None]
    return list(dict.fromkeys(found))


def first_arguments(notebook, function_name, keyword=None):
    """The literal first argument (or `keyword`) of every call of `function_name`, in order."""
    values = []
    for source in code_sources(notebook):
        for positional, keywords in literal_calls(source, function_name):
            value = keywords.get(keyword) if keyword else (positional[0] if positional else None)
            if value is not None:
                values.append(value)
    return list(dict.fromkeys(values))
