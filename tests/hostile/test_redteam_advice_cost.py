"""The grader's own look at the student's code, summed over a notebook.

verify.advice parses each answer or added cell of up to 100 kB with Python's parser, in the
grader's worker, before the kernel starts and outside every per-student limit. A 100 kB cell
such as `x=[[1],[1],...]` takes 0.75 s to parse here, and a notebook may be 25 MB: 255 such
added cells cost about 190 s of the grader's CPU. Tried for real: `autograde --workers 1` spent
more than 9 minutes on that one 24 MB notebook (the honest student after it waited), where the
README says a slow submission costs at most its notebook limit (2 minutes).

Checked without a kernel: the code the grader parses for advice is bounded per notebook.
"""

import ast

import nbformat

from autograder import grading, intake, verify
from autograder.grading import Job, Result
from autograder.sandbox import Limits

CELL = "x=[" + "[1]," * 24_990 + "]"  # just under verify.ADVICE_SOURCE


def test_the_code_parsed_for_advice_is_bounded_per_notebook(monkeypatch, tmp_path):
    template = nbformat.v4.new_notebook()  # every cell of the student's is one they added
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL) for _ in range(40)])
    handed_in = intake.Submission(nbformat.writes(notebook).encode(), "forget_gate.ipynb", None, (), None)
    parsed = []
    real_parse = ast.parse
    monkeypatch.setattr(
        verify.ast, "parse", lambda source, *a, **k: parsed.append(len(source)) or real_parse("", *a, **k)
    )
    job = Job("s", "forget_gate", "forget_gate.ipynb", tmp_path, "", template, Limits(), tmp_path)
    grading._rebuild(job, handed_in, Result("s", "forget_gate", "forget_gate.ipynb", "", "graded"))
    assert sum(parsed) <= verify.ADVICE_SOURCE + max(parsed), f"{sum(parsed):,} characters parsed for advice"
