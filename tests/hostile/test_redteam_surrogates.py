"""Text that is not UTF-8: a lone surrogate ("\\ud800") in what a kernel sends.

JSON may escape a lone surrogate (`"\\ud800"`), and Python's json reads it into a str that no
UTF-8 encoder takes. autograder/intake/records.py checks a record's strings for type and length
only, so a student's function that writes one line to `$LSTM_COURSE_RECORDS` with such an
error message reaches checks.verdict, then the graded notebook (grading._why_not_accepted), then
gradebook.commit's `result.notebook.encode()` in the grader's main process: UnicodeEncodeError,
outside every per-student guard. Tried for real: `autograde` exits 1 with a traceback, the
students after it are never graded, and every rerun stops the same way (the submission is never
committed, so it is graded again first).

The same character printed or raised by the student's own code (outputs) stops only that
student, but as "the grader failed on it 2 times (a grader error, not the student's)", in
sanitize.notebook_outputs.
"""

import pytest

from autograder import samples
from hostile import inbox as hostile
from hostile.redteam import autograde, rows

pytestmark = pytest.mark.slow

RECORD = (
    '{"kind": "example", "exercise": "forget_gate", "key": "004-forget-gate", "trial": 0, '
    '"raised": {"type": "ValueError", "message": "\\ud800"}}'
)


def forging_surrogate(release):
    """The right notebook whose forget_gate also writes one record with a lone surrogate."""
    right = samples.solved("forget_gate", release)
    source = samples.solution_answers("forget_gate")["forget_gate"]
    head = "def forget_gate(W_f, h_prev, x_t, b_f):\n"
    assert head in source
    forged = "import os as _os\n" + source.replace(
        head,
        head + f"    with open(_os.environ['LSTM_COURSE_RECORDS'], 'a') as _f:\n        _f.write({RECORD!r} + '\\n')\n",
    )
    return samples.set_cell(right, "forget_gate", forged)


def test_a_surrogate_in_a_record_costs_its_student_alone(fresh_course, tmp_path):
    release = fresh_course.release_directory
    inbox = tmp_path / "inbox"
    samples.write_submission(forging_surrogate(release), inbox, "a_surrogate", "forget_gate")
    samples.write_submission(samples.solved("forget_gate", release), inbox, "b_right", "forget_gate")
    run = autograde(fresh_course, inbox)
    assert run.returncode == 0, run.stderr[-3000:]
    graded = rows(fresh_course)
    assert graded["b_right"]["score"] == 12
    # The forged record is refused at the boundary; the function's own records grade it (it is right).
    assert graded["a_surrogate"]["forget_gate_lecture"] == 2


def test_a_surrogate_in_an_output_is_the_students_text(fresh_course, tmp_path):
    release = fresh_course.release_directory
    inbox = tmp_path / "inbox"
    right = samples.solved("forget_gate", release)
    printing = hostile.with_added_cell(right, "forget_gate", "print('x\\ud800y')")
    samples.write_submission(printing, inbox, "a_print", "forget_gate")
    run = autograde(fresh_course, inbox)
    assert run.returncode == 0, run.stderr[-3000:]
    assert rows(fresh_course)["a_print"]["score"] == 12, run.stdout[-3000:]
