"""One student's code stalls the class's feedback.

`python -m autograder feedback` is nbgrader's generate_feedback: one process renders every
student's graded notebook to HTML with nbconvert, one after the other. The graded notebook holds
all the student's code (answers and added cells; the notebook may be 25 MB), and nbconvert
renders code slowly: a cell `x = [1,1,...]` of 32 kB took 15 s here, 100 kB more than 5 minutes.
Tried for real: three such 32 kB cells added to a right notebook made `feedback` for a class of
two take 41 s (the student itself graded 12/12); a 25 MB notebook would hold up every student's
feedback for hours. Outputs have a budget (1 MB a notebook); the code shown has none.

Checked without a kernel: the notebook that is graded, and later rendered, holds a bounded amount
of the student's code (where a fix cuts the code only in what feedback renders, move this test
there).
"""

import nbformat
import pytest

from autograder import grading, intake
from autograder.grading import Job, Result
from autograder.sandbox import Limits

SHOWN_CODE = 1_000_000  # as much as the outputs' budget (Limits.output_bytes)
CELL = "x = [" + "1," * 16_000 + "]"


@pytest.mark.xfail(strict=True, reason="the graded notebook keeps all of a student's code for nbconvert")
def test_the_code_a_graded_notebook_shows_is_bounded(tmp_path):
    template = nbformat.v4.new_notebook()  # every cell of the student's is one they added
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL) for _ in range(40)])
    handed_in = intake.Submission(nbformat.writes(notebook).encode(), "forget_gate.ipynb", None, (), None)
    job = Job("s", "forget_gate", "forget_gate.ipynb", tmp_path, "", template, Limits(), tmp_path)
    graded = grading._rebuild(job, handed_in, Result("s", "forget_gate", "forget_gate.ipynb", "", "graded"))
    code = sum(len(cell.source) for cell in graded.cells if cell.cell_type == "code")
    assert code <= SHOWN_CODE, f"{code:,} characters of the student's code go to nbconvert"
