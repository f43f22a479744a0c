"""An archive speaks only for whom its name says: a student's archive cannot hand in, or get
refused, for another student.

An LMS names a student's upload after the student (mallory.zip), but what is inside is the
student's own. Before this was fixed, any archive named after a student was also read in the
class's layout, so mallory.zip holding `zed/forget_gate/forget_gate.ipynb` handed in for zed
(taking zed's place where mallory.zip sorted first: zed went from 12/12 to 0/12 with a blank
notebook mallory wrote), and a member `../x` beside it had zed "refused": zed's submitted/ and
autograded/ folders removed and zed recorded as not graded.

The rule (autograder/intake/inbox.py): trust comes from the archive's name, which the instructor
or the LMS gives, never from its members, which the student writes.
- `<assignment>.zip` is the class's archive of that assignment (an LMS export) and speaks for
  every student in it;
- any other `<student>.zip` is that student's alone: `<assignment>/<file>`,
  `<student>/<assignment>/<file>` or `<folder>/<student>/<assignment>/<file>` are taken for the
  student the archive is named after; a member laid out for anyone else is skipped, with what to
  do; a path outside the archive refuses that student alone, or nobody.

Checked at the intake (no grading needed), and once through `take_in` with a course that holds
zed's earlier submission. The same attack, graded by the command line beside honest students,
is the case `aa_mallory.zip` of tests/hostile/inbox.py.
"""

import pytest

from autograder import intake
from autograder.pipeline import CourseRun
from hostile import inbox as hostile

EXPECTED = {hostile.FORGET_GATE_ID: (), hostile.BPTT: ()}
RIGHT = b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}'
FORGED = b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {"forged": 1}, "cells": []}'


def items(inbox):
    return list(intake.walk(inbox, EXPECTED))


def kinds(found, kind):
    return [item for item in found if isinstance(item, kind)]


def spoken_for(found, archive):
    """{(student, kind)} of the Handed and Refused items read from `archive`."""
    return {
        (item.student, type(item).__name__)
        for item in kinds(found, (intake.Handed, intake.Refused))
        if item.where.startswith(archive)
    }


def skipped_from(found, archive):
    return [item for item in kinds(found, intake.Skipped) if item.where.startswith(archive)]


# -- hostile: a student's archive laid out for others ----------------------------------------------
@pytest.mark.parametrize(
    "member",
    [
        "zed/forget_gate/forget_gate.ipynb",
        "wrapper/zed/forget_gate/forget_gate.ipynb",
        "mallory/zed/forget_gate/forget_gate.ipynb",  # the wrapper named after the archive's student
        "Zed/forget_gate/forget_gate.ipynb",
    ],
)
def test_a_students_zip_cannot_hand_in_for_another_student(tmp_path, member):
    hostile.zip_of(tmp_path / "mallory.zip", {"mallory/forget_gate/forget_gate.ipynb": RIGHT, member: FORGED})
    hostile.folder_of(tmp_path, "zed").joinpath("forget_gate.ipynb").write_bytes(RIGHT)
    found = items(tmp_path)
    assert spoken_for(found, "mallory.zip") == {("mallory", "Handed")}, found
    assert [(i.student, i.files) for i in kinds(found, intake.Handed)] == [
        ("mallory", {"forget_gate.ipynb": RIGHT}),
        ("zed", {"forget_gate.ipynb": RIGHT}),
    ]
    [skipped] = [item for item in skipped_from(found, "mallory.zip") if not item.quiet]
    assert "mallory" in skipped.reason and "forget_gate.zip" in skipped.reason and "unzip" in skipped.reason


def test_a_students_zip_cannot_have_another_student_refused(tmp_path):
    """`../x` beside zed's forged folder: the archive holds nothing of mallory's, so nobody is refused."""
    hostile.zip_of(tmp_path / "mallory.zip", {"zed/forget_gate/forget_gate.ipynb": FORGED, "../x": b"x"})
    found = items(tmp_path)
    assert not kinds(found, intake.Refused) and not kinds(found, intake.Handed), found
    assert any("outside the archive" in item.reason for item in skipped_from(found, "mallory.zip"))


def test_a_path_outside_refuses_only_the_archives_own_student(tmp_path):
    hostile.zip_of(
        tmp_path / "mallory.zip",
        {
            "forget_gate/forget_gate.ipynb": RIGHT,
            "mallory/bptt/bptt.ipynb": RIGHT,
            "zed/forget_gate/forget_gate.ipynb": FORGED,
            "../x": b"x",
        },
    )
    found = items(tmp_path)
    refused = {(i.student, i.assignment) for i in kinds(found, intake.Refused)}
    assert refused == {("mallory", "forget_gate"), ("mallory", "bptt")} and not kinds(found, intake.Handed)
    assert all("outside the archive" in i.reason and "mallory.zip" in i.reason for i in kinds(found, intake.Refused))


def test_an_archive_named_in_another_case_is_another_students(tmp_path):
    """Mallory.zip is student Mallory's: its `mallory/` folder is Mallory's work, never mallory's."""
    hostile.zip_of(tmp_path / "Mallory.zip", {"mallory/forget_gate/forget_gate.ipynb": FORGED, "../x": b"x"})
    hostile.folder_of(tmp_path, "mallory").joinpath("forget_gate.ipynb").write_bytes(RIGHT)
    found = items(tmp_path)
    assert spoken_for(found, "Mallory.zip") == {("Mallory", "Refused")}, found
    assert [(i.student, i.files) for i in kinds(found, intake.Handed)] == [("mallory", {"forget_gate.ipynb": RIGHT})]


def test_zeds_earlier_submission_survives_mallorys_archive(tmp_path):
    """Through take_in: zed's submitted/ folder stays, and nothing of mallory's zip is collected."""
    course = CourseRun(root=tmp_path / "course")
    first = tmp_path / "first"
    hostile.folder_of(first, "zed").joinpath("forget_gate.ipynb").write_bytes(RIGHT)
    assert course.collect(first) == [("zed", "forget_gate")]
    later = tmp_path / "later"
    later.mkdir()
    hostile.zip_of(later / "mallory.zip", {"zed/forget_gate/forget_gate.ipynb": FORGED, "../x": b"x"})
    taken = course.take_in(later)
    assert taken.collected == [] and taken.refused == []
    assert (course.root / "submitted" / "zed" / "forget_gate" / "forget_gate.ipynb").read_bytes() == RIGHT


# -- honest: each layout of a student's own zip, and a class's export ---------------------------------
@pytest.mark.parametrize(
    "member",
    [
        "forget_gate/forget_gate.ipynb",
        "mallory/forget_gate/forget_gate.ipynb",
        "Downloads/mallory/forget_gate/forget_gate.ipynb",
        "zed/mallory/forget_gate/forget_gate.ipynb",  # a wrapper folder is only a wrapper
    ],
)
def test_a_students_own_zip_is_taken_in_each_layout(tmp_path, member):
    hostile.zip_of(tmp_path / "mallory.zip", {member: RIGHT, "mallory/bptt/bptt.ipynb": RIGHT})
    found = items(tmp_path)
    assert {(i.student, i.assignment, tuple(i.files)) for i in kinds(found, intake.Handed)} == {
        ("mallory", "forget_gate", ("forget_gate.ipynb",)),
        ("mallory", "bptt", ("bptt.ipynb",)),
    }
    assert not [item for item in kinds(found, intake.Skipped) if not item.quiet], found


@pytest.mark.parametrize(
    "members",
    [
        {"ada/forget_gate.ipynb": RIGHT, "ben/forget_gate.ipynb": RIGHT},
        {"export/ada/forget_gate.ipynb": RIGHT, "export/ben/forget_gate.ipynb": RIGHT},
        {"ada/forget_gate/forget_gate.ipynb": RIGHT, "ben/forget_gate/forget_gate.ipynb": RIGHT},
        {"export/ada/forget_gate/forget_gate.ipynb": RIGHT, "export/ben/forget_gate/forget_gate.ipynb": RIGHT},
    ],
)
def test_a_class_export_still_speaks_for_its_students(tmp_path, members):
    hostile.zip_of(tmp_path / "forget_gate.zip", members)
    found = items(tmp_path)
    assert {(i.student, i.assignment) for i in kinds(found, intake.Handed)} == {
        ("ada", "forget_gate"),
        ("ben", "forget_gate"),
    }


def test_a_bundle_of_the_class_named_after_no_assignment_says_what_to_do(tmp_path):
    """inbox.zip of a whole inbox is student inbox's archive: not read, one line for the instructor."""
    hostile.zip_of(
        tmp_path / "inbox.zip",
        {
            "ada/forget_gate/forget_gate.ipynb": RIGHT,
            "ben/forget_gate/forget_gate.ipynb": RIGHT,
            "ben/bptt/bptt.ipynb": RIGHT,
        },
    )
    found = items(tmp_path)
    assert not kinds(found, intake.Handed) and not kinds(found, intake.Refused)
    [skipped] = found
    assert skipped.where == "inbox.zip" and not skipped.quiet
    assert "its 3 submissions for other students (ada/forget_gate, ben/bptt, ben/forget_gate)" in skipped.reason
    assert "read as student inbox's archive" in skipped.reason and "(bptt.zip, forget_gate.zip, one per" in (
        skipped.reason
    )


def test_a_folder_inside_a_students_folder_of_a_class_archive_is_not_another_student(tmp_path):
    """In forget_gate.zip (an LMS export), alice's own folder holding bob/ is not bob's submission,
    nor does it get bob refused: the export's wrapper is decided once for the archive."""
    hostile.zip_of(
        tmp_path / "forget_gate.zip",
        {
            "alice/forget_gate.ipynb": RIGHT,
            "alice/bob/forget_gate.ipynb": RIGHT,
            "alice/bob/forget_gate/forget_gate.ipynb": RIGHT,
            "carl/forget_gate.ipynb": RIGHT,
        },
    )
    found = items(tmp_path)
    handed = sorted((i.student, i.assignment) for i in found if isinstance(i, intake.Handed))
    assert handed == [("alice", "forget_gate"), ("carl", "forget_gate")], found
    assert not [i for i in found if isinstance(i, intake.Refused)], found


@pytest.mark.parametrize(
    "members",
    [
        {"export/ada/forget_gate.ipynb": RIGHT, "export/ben/forget_gate/forget_gate.ipynb": RIGHT},
        {
            "export/ada/forget_gate.ipynb": RIGHT,
            "export/ben/forget_gate.ipynb": RIGHT,
            "__MACOSX/export/ada/._forget_gate.ipynb": b"x",
            ".DS_Store": b"x",
        },
        {"ada/forget_gate.ipynb": RIGHT, "ben/forget_gate/forget_gate.ipynb": RIGHT},
    ],
    ids=["wrapped", "wrapped-by-macos", "bare"],
)
def test_an_lms_export_wrapped_or_not_speaks_for_its_students(tmp_path, members):
    hostile.zip_of(tmp_path / "forget_gate.zip", members)
    handed = sorted((i.student, i.assignment) for i in items(tmp_path) if isinstance(i, intake.Handed))
    assert handed == [("ada", "forget_gate"), ("ben", "forget_gate")]
