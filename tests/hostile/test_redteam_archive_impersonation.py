"""A student's own archive, <student>.zip, speaks for other students.

The inbox takes `<student>.zip` holding `<assignment>/<files>` (a student's own zip), but also
reads, in ANY archive whose name is a student id, members laid out as
`<other>/<assignment>/<file>` or `<folder>/<other>/<assignment>/<file>` as the submission of
<other> (autograder/intake/inbox.py, `_place`). So mallory.zip can hold
`zed/forget_gate/forget_gate.ipynb`:

- where mallory.zip sorts before zed's own folder, the grader takes mallory's copy as zed's and
  skips zed's real one ("zed's forget_gate again: not read"): tried for real, zed went from
  12/12 to 0/12 with a blank notebook mallory wrote;
- add a member `../x` and the archive is "refused" in the name of the ONE student it holds, who
  is whoever mallory wrote: zed's submitted/ and autograded/ folders are removed and the
  gradebook records zed as NOT GRADED (zed's 12/12 became no grade at all), even where zed's
  own folder is not in this inbox.

Checked here at the intake (no grading needed): nothing read from an archive named after a
student may be handed in or refused for another student.
"""

import pytest

from autograder import intake
from hostile import inbox as hostile

EXPECTED = {hostile.FORGET_GATE_ID: ()}
RIGHT = b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'


def items(inbox):
    return list(intake.walk(inbox, EXPECTED))


def for_others(found, archive, owner):
    """The Handed/Refused items read from `archive` that speak for a student other than `owner`."""
    return [
        item
        for item in found
        if isinstance(item, (intake.Handed, intake.Refused)) and archive in item.where and item.student != owner
    ]


@pytest.mark.xfail(strict=True, reason="an archive named after a student is read as other students' submissions")
@pytest.mark.parametrize(
    "member",
    ["zed/forget_gate/forget_gate.ipynb", "wrapper/zed/forget_gate/forget_gate.ipynb"],
)
def test_a_students_zip_cannot_hand_in_for_another_student(tmp_path, member):
    hostile.zip_of(
        tmp_path / "mallory.zip",
        {"mallory/forget_gate/forget_gate.ipynb": RIGHT, member: RIGHT},
    )
    hostile.folder_of(tmp_path, "zed").joinpath("forget_gate.ipynb").write_bytes(RIGHT)
    found = items(tmp_path)
    assert not for_others(found, "mallory.zip", "mallory"), found
    # zed's own folder is the one taken for zed
    assert any(isinstance(i, intake.Handed) and i.student == "zed" and "mallory" not in i.where for i in found)


@pytest.mark.xfail(strict=True, reason="a path outside an archive refuses whichever student the archive names")
def test_a_students_zip_cannot_have_another_student_refused(tmp_path):
    # Refused(zed) makes take_in remove submitted/zed/forget_gate and autograded/zed/forget_gate
    # and record zed as not graded.
    hostile.zip_of(tmp_path / "mallory.zip", {"zed/forget_gate/forget_gate.ipynb": RIGHT, "../x": b"x"})
    found = items(tmp_path)
    assert not for_others(found, "mallory.zip", "mallory"), found


def test_a_students_own_zip_is_still_taken(tmp_path):
    """The honest layouts stay: mallory.zip with mallory/forget_gate/... or forget_gate/..."""
    hostile.zip_of(tmp_path / "mallory.zip", {"forget_gate/forget_gate.ipynb": RIGHT})
    hostile.zip_of(tmp_path / "bob.zip", {"bob/forget_gate/forget_gate.ipynb": RIGHT})
    found = items(tmp_path)
    handed = {(i.student, i.assignment) for i in found if isinstance(i, intake.Handed)}
    assert handed == {("mallory", "forget_gate"), ("bob", "forget_gate")}
