"""Every text a student or instructor reads, as the claims register scans it, and its sentences.

    student_texts()  [(owner, where, text)]: owner is an assignment id, or "course"
    sentences(text)  the text's sentences and list items, display math left out

Per assignment: its notebook's markdown cells ("<grade_id>", placeholders kept: a {{ fact }} is
rendered from a computation), the comments and strings of its code cells ("<grade_id>#"), its
worked examples' errata and notes ("erratum:<key>", "note:<key>"), its catalogue's hints
("hint:<key>") and its learning objectives ("objective"). For the course: the texts that
assignments/course_claims.py's COURSE_TEXTS names (the README's "For students", the errata page's
header, the student kit's own words).
"""

import ast
import re

import nbformat

from assignments.course_claims import COURSE_TEXTS
from autograder import cells
from autograder.course import assignments

DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.DOTALL)


def code_words(source):
    """The comments and the string constants (docstrings, messages, printed text) of a code cell,
    one per line; a formatted value of an f-string reads as {}."""
    lines = [match.group(1) for match in re.finditer(r"#\s*(.*)", source) if not match.group(1).startswith("##")]
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return "\n".join(lines)
    specs = {id(v.format_spec) for v in ast.walk(tree) if isinstance(v, ast.FormattedValue) and v.format_spec}
    for node in ast.walk(tree):
        if id(node) in specs:  # the ">8" of f"{x:>8}"
            continue
        if isinstance(node, ast.JoinedStr):
            lines.append("".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip():
            if not any(
                node is part for joined in ast.walk(tree) if isinstance(joined, ast.JoinedStr) for part in joined.values
            ):
                lines.append(node.value)
    return "\n\n".join(" ".join(line.split()) for line in lines if line.strip())


def student_texts():
    texts = []
    for assignment in assignments():
        for path in assignment.source_notebooks:
            for cell in nbformat.read(path, as_version=4).cells:
                where = cells.grade_id(cell)
                if cell.cell_type == "markdown":
                    texts.append((assignment.id, where, cell.source))
                elif words := code_words(cell.source):
                    texts.append((assignment.id, f"{where}#", words))
        for example in assignment.examples:
            for field in ("erratum", "note"):
                if getattr(example, field):
                    texts.append((assignment.id, f"{field}:{example.key}", getattr(example, field)))
        for entry in assignment.mistakes:
            texts.append((assignment.id, f"hint:{entry.key}", entry.says))
        texts += [(assignment.id, "objective", objective) for objective in assignment.objectives]
    texts += [("course", where, read()) for where, read in COURSE_TEXTS.items()]
    return texts


def sentences(text):
    """The sentences of a text (display math dropped; each list item and paragraph apart)."""
    found = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*>]|\d+\.)\s)", DISPLAY_MATH.sub(" ", text)):
        block = " ".join(block.split())
        found += [s for s in re.split(r"(?<=[a-z)\]$*\"'.0-9%][.!?])\s+(?=[A-Z(*$\"`])", block) if s.strip()]
    return found
