"""The grader's memory under a flood of check records that each stay within every limit.

README: "every process of the grader (the command, its workers, the child that measures a
model) stays under 600 MB" (tests/hostile/test_inbox_class.py's GRADER_MB). A kernel may send
`Limits.record_bytes` (64 MB) of records per run, and each record up to RECORD_VALUES numbers.
Written as `0,0,0,...` a number is 2 bytes of JSON but 8 bytes of float64 once the grader has
read it (intake/records.py keeps every record's numbers as an array), and a notebook runs twice
(grading.py keeps the first run's records of every cell that is not a hidden test while the
second runs). So one notebook's records alone can take 2 x 4 x 64 MB = 512 MB of a worker that
starts at about 120 MB. Tried for real: one added cell writing 64 MB of such records took the
worker to 652 MB (and, before records.py stopped computing 2**1023 for every number, 350 s of
the grader's CPU: that submission ran past its notebook limit in both runs).

Checked here without a kernel: the numbers the records of one notebook may hold, as the grader
reads them, fit in what the README promises.
"""

import pytest

from autograder import intake
from autograder.sandbox import Limits

GRADER_MB = 600  # the README's bound (tests/hostile/test_inbox_class.py)
WORKER_MB = 120  # a worker grading right answers (measured there)
RUNS = 2  # each notebook runs twice: outputs, then hidden tests (grading.py)


def zeros_record(count):
    values = ",".join(["0"] * count)
    return (
        '{"kind": "random", "exercise": "forget_gate", "key": 20, "trial": 0, '
        f'"received": {{"kind": "array", "shape": [{count}], "values": [{values}]}}}}'
    ).encode()


@pytest.mark.xfail(strict=True, reason="64 MB of records a run become 256 MB of arrays, kept across both runs")
def test_a_notebooks_records_fit_in_the_graders_memory_bound():
    line = zeros_record(intake.records.RECORD_VALUES)
    parsed = intake.record(line)
    assert parsed is not None  # a record within every limit
    per_record = parsed["received"]["values"].nbytes
    records = Limits().record_bytes // (len(line) + 1)
    held_mb = RUNS * records * per_record / 2**20
    assert WORKER_MB + held_mb < GRADER_MB, f"records alone may hold {held_mb:.0f} MB in a worker"
