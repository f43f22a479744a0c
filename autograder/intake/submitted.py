"""The course's submitted/ folder (what our collect or nbgrader's put there), as grading reads it:
a student's folders and files are still the student's, so they are read like the inbox.

    for item in folders(root / "submitted", ["forget_gate", "bptt"]):   # (student, assignment, path) or Skipped
    found = submission(folder, "forget_gate.ipynb", ("agreement_lstm.npz",))   # or Rejected
    found.notebook, found.name, found.note, found.files, found.timestamp
"""

from dataclasses import dataclass, field
from pathlib import Path

from .files import Folder
from .inbox import TIMESTAMP, Skipped, limit_of
from .names import file_name, shown, student_id
from .notebooks import NOTEBOOK_BYTES, TIMESTAMP_BYTES, timestamp
from .rejected import Rejected


def folders(submitted, assignment_ids):
    """Every <student>/<assignment> folder of submitted/ with a student id and a known assignment:
    (student, assignment, path); a folder of another name or a link: Skipped."""
    if not Path(submitted).is_dir():
        return
    with Folder.open(submitted) as top:
        for entry in top.entries():
            try:
                student = student_id(entry.name)
                if entry.kind != "folder":
                    raise Rejected(f"{shown(entry.name)} is a {entry.kind}, not a folder: not followed")
            except Rejected as rejected:
                yield Skipped(f"submitted/{shown(entry.name)}", str(rejected))
                continue
            with top.folder(student) as folder:
                for inner in folder.entries():
                    if inner.name in assignment_ids and inner.kind == "folder":
                        yield student, inner.name, Path(submitted) / student / inner.name
                    elif inner.name in assignment_ids:
                        yield Skipped(
                            f"submitted/{student}/{shown(inner.name)}", f"is a {inner.kind}, not a folder: not followed"
                        )


@dataclass
class Submission:
    notebook: bytes = field(repr=False)  # the notebook's bytes (autograder/intake/notebooks.py reads them)
    name: str  # its file name
    note: str | None  # why another file than the assignment's notebook is graded
    files: tuple  # ((name, path), ...) of the handed-in files the assignment asks for, checked
    timestamp: object  # the submission time (naive UTC datetime) or None


def submission(folder, expected_name, student_files=()):
    """What grading reads of one submission folder; Rejected (naming the file) if any is unreadable."""
    with Folder.open(folder) as opened:
        entries = {entry.name: entry.kind for entry in opened.entries()}
        notebooks = sorted(name for name in entries if name.endswith(".ipynb") and _plain_name(name))
        if expected_name in entries:
            name, note = expected_name, None
        elif len(notebooks) == 1:
            name = notebooks[0]
            note = f"graded {name} as {expected_name} (the only notebook handed in)"
        elif not notebooks:
            raise Rejected(f"no notebook handed in (expected {expected_name})")
        else:
            raise Rejected(
                f"expected {expected_name}, found {', '.join(notebooks)}; rename the right one to {expected_name}"
            )
        notebook = opened.read(name, NOTEBOOK_BYTES)
        when = timestamp(opened.read(TIMESTAMP, TIMESTAMP_BYTES)) if TIMESTAMP in entries else None
        files = []
        for wanted in student_files:
            if wanted in entries:
                opened.open_file(wanted, limit_of(wanted)).close()  # a regular file, no link, within its size
                files.append((wanted, Path(folder) / wanted))
    return Submission(notebook, name, note, tuple(files), when)


def _plain_name(name):
    try:
        return file_name(name)
    except Rejected:
        return None
