"""Numbers in the notebooks' text come from the computation: {{ name }} in a markdown cell of the
solution notebook becomes the fact `name` (an assignment's facts.py, or a worked example's
numbers: autograder/course.py's facts()) in the released notebook."""

import re

from ..cells import grade_id
from ..course import facts

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class UnknownFact(ValueError):
    """A placeholder names no fact."""


def render_text(text: str, where: str = "text") -> str:
    """`text` with every {{ name }} replaced by its fact."""
    known = facts()

    def replace(match):
        name = match.group(1)
        if name not in known:
            raise UnknownFact(
                f"{where} uses {{{{ {name} }}}}, which no assignment's facts.py defines "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )
        return str(known[name]())

    return PLACEHOLDER.sub(replace, text)


def render_facts(notebook, assignment_id: str):
    """Every markdown cell rendered (code cells compute their numbers when they run)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = render_text(cell.source, f"{assignment_id}/{grade_id(cell) or '?'}")
    return notebook
