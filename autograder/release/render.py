"""Numbers in the notebooks' text come from the computation: {{ name }} in a markdown cell of
solutions/ becomes lstm_ref.facts.FACTS[name]() in the released notebook."""
import re

from lstm_ref.facts import FACTS

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class UnknownFact(ValueError):
    """A placeholder names no fact."""


def render_text(text, where="text"):
    """`text` with every {{ name }} replaced by its fact."""
    def replace(match):
        name = match.group(1)
        if name not in FACTS:
            raise UnknownFact(f"{where} uses {{{{ {name} }}}}, which lstm_ref/facts.py does not define "
                              f"(known: {', '.join(sorted(FACTS)) or 'none'})")
        return str(FACTS[name]())

    return PLACEHOLDER.sub(replace, text)


def render_facts(notebook, assignment_id):
    """Every markdown cell rendered (code cells compute their numbers when they run)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
            cell.source = render_text(cell.source, f"{assignment_id}/{grade_id}")
    return notebook
