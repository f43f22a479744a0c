"""The one boundary between the grader's own process and what a student controls: every file,
name, archive, timestamp, handed-in model, record and output is read here, with limits, and
either comes back with a known shape and size or is refused with a reason that names the
student's file and says what to do (Rejected). A refusal costs that student alone: never a
grader error, never the batch.

    walk(inbox, {"forget_gate": (), ...})        inbox.py      the inbox's folders and .zip archives
    Archive.open(folder, "x.zip")                archives.py   zip members: names, modes, methods, sizes
    student_id(name), file_name(name)            names.py      ids and file names; shown(text) for a
    shown(text), csv_cell(value)                               terminal, csv_cell(value) for a CSV cell
    notebook(data, name), timestamp(data)        notebooks.py  the notebook's JSON, timestamp.txt
    folders(submitted, ids), submission(...)     submitted.py  the course's submitted/ as grading reads it
    record(line), output(value), text(value, n)  records.py    what the student's kernel sends
    measure(grader, folder, name)                models.py     a handed-in model, in a limited child
    fresh_folder(root, ...), remove_folder(...)  files.py      the only way a student's folder is made
                                                               or removed: inside the course folder

No link a student made is followed: folders are opened with O_NOFOLLOW relative to their parent,
files with O_NOFOLLOW | O_NONBLOCK and checked with fstat (a regular file with one name). Time is
bounded by size where the grader only reads and parses (every input has a byte limit, checked
before it is parsed); what computes on a student's file (measuring a model) runs in a child
with a CPU and a wall-clock limit.
"""

from .archives import Archive
from .files import Folder, fresh_folder, inside, read_file, remove_folder, write_new
from .inbox import HANDED_IN_BYTES, Handed, Refused, Skipped, walk
from .models import measure
from .names import csv_cell, file_name, shown, student_id
from .notebooks import NOTEBOOK_BYTES, TIMESTAMP_BYTES, notebook, timestamp
from .records import output, record, text
from .rejected import Rejected
from .submitted import Submission, folders, submission

__all__ = [
    "Archive",
    "Folder",
    "HANDED_IN_BYTES",
    "Handed",
    "NOTEBOOK_BYTES",
    "Refused",
    "Rejected",
    "Skipped",
    "Submission",
    "TIMESTAMP_BYTES",
    "csv_cell",
    "file_name",
    "folders",
    "fresh_folder",
    "inside",
    "measure",
    "notebook",
    "output",
    "read_file",
    "record",
    "remove_folder",
    "shown",
    "student_id",
    "submission",
    "text",
    "timestamp",
    "walk",
    "write_new",
]
