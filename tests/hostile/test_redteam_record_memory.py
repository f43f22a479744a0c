"""The grader's memory under a flood of check records that each stay within every limit.

README: "every process of the grader (the command, its workers, the child that measures a
model) stays under 600 MB" (tests/hostile/test_inbox_class.py's GRADER_MB). A kernel may send
`Limits.record_bytes` (64 MB) of records per run, and each record up to RECORD_VALUES numbers.
Written as `0,0,0,...` a number is 2 bytes of JSON but 8 bytes of float64 once the grader has
read it (intake/records.py keeps every record's numbers as an array), so one run's records can
take 4 x 64 MB = 256 MB of a worker that starts at about 120 MB. A notebook runs twice; when the
grader kept the first run's records while the second ran, one added cell writing 64 MB of such
records took a worker to 652 MB, tried for real. Now each run's records are judged as the run
ends and let go (grading._judge).

Checked here without a kernel: grading._run with a stand-in sandbox whose two runs each send the
same flood of records holds one run's records at a time (tracemalloc's peak), and one run's
records, at the real limit, fit in the README's bound.
"""

import tracemalloc
from pathlib import Path

import nbformat
import pytest

from autograder import grading, intake
from autograder.course import assignment
from autograder.grading import Job, Result
from autograder.sandbox import CellRun, Limits

GRADER_MB = 600  # the README's bound (tests/hostile/test_inbox_class.py)
WORKER_MB = 120  # a worker grading right answers (measured there)
FLOOD = 20  # records of RECORD_VALUES zeros per run here: 16 MB of arrays


def zeros_record(count):
    values = ",".join(["0"] * count)
    return (
        '{"kind": "random", "exercise": "forget_gate", "key": 20, "trial": 0, '
        f'"received": {{"kind": "array", "shape": [{count}], "values": [{values}]}}}}'
    ).encode()


LINE = zeros_record(intake.records.RECORD_VALUES)
RECORD = intake.record(LINE)  # as the grader reads it: its numbers one float64 array


def flooded():
    """A fresh copy of RECORD (its own array), as each line read makes one."""
    return {**RECORD, "received": {**RECORD["received"], "values": RECORD["received"]["values"].copy()}}


class Flooding:
    """A sandbox whose every run sends FLOOD records of RECORD_VALUES zeros, in the last cell it runs."""

    output_dropped = records_dropped = False

    def __init__(self, limits, view):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, sources, outputs=True, hidden=()):
        runs = [CellRun() for _ in sources]
        runs[-1].records = [flooded() for _ in range(FLOOD)]
        return runs


def test_a_notebook_holds_one_runs_records_at_a_time(monkeypatch, tmp_path):
    monkeypatch.setattr(grading, "Sandbox", Flooding)
    monkeypatch.setattr(grading, "View", lambda *args, **kwargs: None)
    notebook = nbformat.read(assignment("forget_gate").source_notebooks[0], as_version=4)
    handed_in = intake.Submission(b"", "forget_gate.ipynb", None, (), None)
    job = Job("s", "forget_gate", "forget_gate.ipynb", tmp_path, "", {}, Limits(), Path(tmp_path))
    one_record = RECORD["received"]["values"].nbytes

    tracemalloc.start()
    try:
        grading._run(job, notebook, handed_in, Result("s", "forget_gate", "forget_gate.ipynb", "", "graded"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    one_run = FLOOD * one_record
    assert peak < 1.5 * one_run, f"peak {peak / 2**20:.0f} MB, one run's records {one_run / 2**20:.0f} MB"


def test_one_runs_records_fit_in_the_graders_memory_bound():
    assert RECORD is not None  # a record within every limit
    per_record = RECORD["received"]["values"].nbytes
    records = Limits().record_bytes // (len(LINE) + 1)
    held_mb = records * per_record / 2**20
    assert WORKER_MB + held_mb < GRADER_MB, f"records alone may hold {held_mb:.0f} MB in a worker"


@pytest.mark.parametrize("flood", [FLOOD])
def test_the_flood_here_is_what_a_kernel_may_send_in_one_cell(flood):
    """The stand-in's flood is one a real kernel can send: within the per-cell count and the bytes."""
    from autograder.sandbox.runner import RECORD_LINE_MAX, RECORDS_PER_CELL

    assert len(LINE) <= RECORD_LINE_MAX and flood <= RECORDS_PER_CELL
    assert flood * (len(LINE) + 1) <= Limits().record_bytes
