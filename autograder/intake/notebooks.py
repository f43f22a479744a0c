"""A student's notebook and timestamp.txt, as the grader reads them.

    nb = notebook(data, "forget_gate.ipynb")   # nbformat v4: cells of code/markdown/raw, source text,
                                               # metadata.nbgrader.grade_id text or absent; or Rejected
    when = timestamp(data)                     # a naive UTC datetime (as nbgrader's parse_utc), None if
                                               # empty; or Rejected

Grading uses three fields of each cell (its type, its source, its nbgrader grade_id) and nothing
else of the student's notebook: the notebook returned holds those, checked, and nothing else.
"""

import json
import re

from .files import megabytes
from .names import shown
from .rejected import Rejected

# The released notebooks are under 1 MB; a student's own outputs (plots) add a few MB. Parsing
# JSON takes about ten times its size in memory, so 25 MB keeps a grader's worker well under 1 GB.
NOTEBOOK_BYTES = 25 * 2**20
# Jupyter's notebooks nest about 10 levels (widget state and JSON outputs a few more); Python's
# own parser stops near 1,000 with a RecursionError. 100 is generous and far from either.
NOTEBOOK_DEPTH = 100
# The course's notebooks have under 100 cells; a student adds some. Every cell is rebuilt and
# every added code cell run, so the count is bounded too.
NOTEBOOK_CELLS = 2_000
GRADE_ID = 200  # characters of an nbgrader grade_id (the course's are under 40)
WHAT_TO_DO = "ask the student to upload the .ipynb file again"


def notebook(data, name):
    """The notebook in `data` (the bytes of the student's file `name`), reduced to what grading reads."""
    if not data.strip():
        raise Rejected(f"{shown(name)} is empty (0 bytes of notebook); {WHAT_TO_DO}")
    if len(data) > NOTEBOOK_BYTES:
        raise Rejected(
            f"{shown(name)} is {megabytes(len(data))}, more than a notebook may be "
            f"({megabytes(NOTEBOOK_BYTES)}): clear its outputs and hand it in again"
        )
    try:
        raw = json.loads(data)
    except RecursionError:
        raise Rejected(f"{shown(name)} is nested deeper than JSON a notebook holds: not read; {WHAT_TO_DO}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise Rejected(f"{shown(name)} is not a notebook (not valid JSON: {shown(error)}); {WHAT_TO_DO}") from None
    if depth(raw) > NOTEBOOK_DEPTH:
        raise Rejected(
            f"{shown(name)} is nested more than {NOTEBOOK_DEPTH} levels deep, which no notebook is: "
            f"not read; {WHAT_TO_DO}"
        )
    if not isinstance(raw, dict) or "nbformat" not in raw:
        raise Rejected(f"{shown(name)} is JSON but not a Jupyter notebook; ask for the .ipynb file")
    version = raw["nbformat"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise Rejected(
            f"{shown(name)} is JSON but not a Jupyter notebook (its nbformat is "
            f"{shown(json.dumps(version), 20)}, not a number); ask for the .ipynb file"
        )
    if version < 4:
        raise Rejected(
            f"{shown(name)} is an old notebook format (nbformat {version}), without the "
            "assignment's cell ids; ask the student to start again from the released notebook and "
            "copy their answers in"
        )
    if version > 4:
        raise Rejected(
            f"{shown(name)} is nbformat {version}, newer than this grader reads (4); "
            "ask the student to save it with JupyterLab 4"
        )
    cells = raw.get("cells")
    if not isinstance(cells, list):
        raise Rejected(f"{shown(name)} is a damaged notebook (no list of cells); {WHAT_TO_DO}")
    if len(cells) > NOTEBOOK_CELLS:
        raise Rejected(
            f"{shown(name)} has {len(cells)} cells, more than a notebook of the course may have "
            f"({NOTEBOOK_CELLS}): not read; {WHAT_TO_DO}"
        )
    import nbformat  # here: a child that measures a model starts without it (3 s of jsonschema formats)

    found = nbformat.v4.new_notebook()
    for number, cell in enumerate(cells, start=1):
        found.cells.append(_cell(cell, number, name))
    return found


def _cell(cell, number, name):
    """One cell as grading reads it: its type, its source and its grade_id."""
    import nbformat

    if not isinstance(cell, dict):
        raise Rejected(f"{shown(name)} is a damaged notebook (cell {number} is not a cell); {WHAT_TO_DO}")
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)  # nbformat's multi-line form
    if not isinstance(source, str):
        raise Rejected(f"{shown(name)} is a damaged notebook (the source of cell {number} is not text); {WHAT_TO_DO}")
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    kept = {"nbgrader": {"grade_id": grade_id}} if isinstance(grade_id, str) and 0 < len(grade_id) <= GRADE_ID else {}
    kind = cell.get("cell_type")
    if kind == "code":
        return nbformat.v4.new_code_cell(source, metadata=kept)
    if kind == "markdown":
        return nbformat.v4.new_markdown_cell(source, metadata=kept)
    return nbformat.v4.new_raw_cell(source, metadata=kept)  # raw, or a type nbformat does not know


def depth(value, stop=NOTEBOOK_DEPTH):
    """How deeply lists and objects nest in parsed JSON (0 for a number), counted without recursion
    (and only until it passes `stop`)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        value, level = todo.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, level)
        if deepest > stop:
            return deepest
        todo.extend((item, level + 1) for item in value)
    return deepest


# nbgrader's submit writes one line, "%Y-%m-%d %H:%M:%S.%f %Z" (2026-03-01 12:00:00.000000 UTC);
# LMS exports and instructors write the same date and time, sometimes with a T, a Z or an offset.
TIMESTAMP_BYTES = 1024  # nbgrader writes about 30 characters; no reason to read more
TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?"
    r"( ?(Z|[A-Za-z]{1,5}|[+-]\d{2}(:?\d{2})?))?"
)
# The zone is a word of letters or an offset, never a path: nbgrader's parse_utc hands the zone
# to dateutil's gettz, which opens a file of that name (a zone of "/dev/stdin" waits for input).
EXAMPLE = "2026-03-01 12:00:00.000000 UTC"


def timestamp(data, name="timestamp.txt"):
    """The submission time in `data` as nbgrader reads it (naive, UTC); None for an empty file."""
    if len(data) > TIMESTAMP_BYTES:
        raise Rejected(
            f"{name} is {megabytes(len(data))}; nbgrader writes one line such as {EXAMPLE!r}: "
            "correct the file or delete it, and grade again"
        )
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        text = None
    if text == "":
        return None
    if text is None or not TIMESTAMP.fullmatch(text):
        raise Rejected(
            f"{name} holds {shown(data, 40)!r}, not a time such as {EXAMPLE!r}: "
            "correct the file or delete it, and grade again"
        )
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text)
    except (ValueError, OverflowError, ArithmeticError, LookupError, TypeError):
        raise Rejected(
            f"{name} holds {shown(text, 40)!r}, not a time nbgrader can read (such as {EXAMPLE!r}): "
            "correct the file or delete it, and grade again"
        ) from None
