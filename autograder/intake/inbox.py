"""The inbox an instructor hands to `autograde`: <inbox>/<student>/<assignment>/<files>, or the
same inside .zip archives, walked without following a link. Every entry is accounted for:

    for item in walk(inbox, {"forget_gate": (), "bptt": ("agreement_lstm.npz",)}):
        Handed(student, assignment, files, where)   # taken: {file name: bytes}, every file checked
        Refused(student, assignment, reason, where) # this student's submission is not read (recorded)
        Skipped(where, reason, quiet)               # not a submission, not read; quiet: expected clutter

An archive speaks for whom its name says: the instructor or the LMS names it, the student writes
its members. <assignment>.zip is the class's archive of that assignment (an LMS export:
<student>/<files> or <student>/<assignment>/<files>, maybe in one folder) and speaks for every
student in it. Any other <student>.zip (an LMS names a student's upload after the student) is
that student's alone: <assignment>/<files>, <student>/<assignment>/<files> or
<folder>/<student>/<assignment>/<files>; what it holds for anyone else is skipped, and a path
outside it refuses that student alone. So a bundle of the whole inbox named inbox.zip is student
inbox's, and is not read: unzip it, or make one <assignment>.zip per assignment.

The files taken from a submission are its notebooks, timestamp.txt and the files its
assignment's `student_files` names; nothing else is read.
"""

from dataclasses import dataclass, field

from .archives import Archive
from .files import Folder
from .names import STUDENT_ID, file_name, nearest, shown, student_id
from .notebooks import NOTEBOOK_BYTES, TIMESTAMP_BYTES
from .rejected import Rejected

# A handed-in file (bptt's trained model: 2.7 MB for the largest model the grader measures, 256
# units) is copied into the kernel's 100 MB scratch; 16 MB is far above any the course asks for.
HANDED_IN_BYTES = 16 * 2**20
NOTEBOOKS = 10  # notebooks in one submission: a student may hand in copies; the grader picks one
# A student's folders hold a few assignments, each its notebook, course data and kit (about 25
# files); the listing is read into memory, so it is bounded.
FOLDER_ENTRIES = 10_000
TIMESTAMP = "timestamp.txt"


@dataclass(frozen=True)
class Handed:
    student: str
    assignment: str
    files: dict = field(repr=False)  # {file name: bytes}
    where: str = ""


@dataclass(frozen=True)
class Refused:
    student: str
    assignment: str
    reason: str
    where: str = ""


@dataclass(frozen=True)
class Skipped:
    where: str  # shown: printable
    reason: str
    quiet: bool = False  # clutter an instructor need not hear about (a copy of the kit, .DS_Store)


def wanted(name, student_files):
    """The files of a submission the grader reads."""
    return name.endswith(".ipynb") or name == TIMESTAMP or name in student_files


def limit_of(name):
    """How many bytes of a file of this name the grader reads at most."""
    return NOTEBOOK_BYTES if name.endswith(".ipynb") else TIMESTAMP_BYTES if name == TIMESTAMP else HANDED_IN_BYTES


def walk(inbox, expected):
    """Every entry of the inbox as Handed, Refused or Skipped; `expected`: {assignment id: student files}."""
    with Folder.open(inbox) as top:
        for entry in top.entries():
            if entry.kind == "folder":
                yield from _student_folder(top, entry.name, expected)
            elif entry.kind == "file" and entry.name.lower().endswith(".zip"):
                yield from _archive(top, entry.name, expected)
            elif entry.kind == "link":
                yield Skipped(
                    shown(entry.name), "is a symbolic link: not followed; put the folder or archive itself in the inbox"
                )
            elif entry.kind == "file" and entry.name.lower().endswith(".ipynb"):
                yield Skipped(
                    shown(entry.name),
                    "is a notebook outside a student's folder: not read; the inbox holds "
                    "<student>/<assignment>/<notebook>.ipynb",
                )
            else:
                yield Skipped(
                    shown(entry.name),
                    "is not a student's folder or a .zip archive: not read",
                    quiet=entry.name.startswith("."),
                )


def _student_folder(top, name, expected):
    try:
        student = student_id(name)
        folder = top.folder(name)
    except Rejected as rejected:
        yield Skipped(shown(name), str(rejected), quiet=name.startswith("."))
        return
    with folder:
        try:
            entries = folder.entries(FOLDER_ENTRIES)
        except Rejected as rejected:
            yield Skipped(student, str(rejected))
            return
        if student in expected and not any(entry.name in expected for entry in entries):
            yield Skipped(
                f"{student}/",
                f"is an assignment's name where a student's folder belongs: not read; the inbox holds "
                f"<student>/{student}/<notebook>.ipynb (or an LMS export as downloaded, {student}.zip)",
            )
            return
        for entry in entries:
            where = f"{student}/{shown(entry.name)}"
            if entry.name not in expected:
                yield _misfiled(student, entry, expected)
            elif entry.kind != "folder":
                yield Refused(
                    student,
                    entry.name,
                    f"{entry.name} is a {'symbolic link' if entry.kind == 'link' else entry.kind}, "
                    "not a folder: not followed; hand in the folder itself",
                    where,
                )
            else:
                try:
                    submission = folder.folder(entry.name)
                except Rejected as rejected:
                    yield Refused(student, entry.name, str(rejected), where)
                    continue
                with submission:
                    try:
                        listing = submission.entries(FOLDER_ENTRIES)
                    except Rejected as rejected:
                        yield Refused(student, entry.name, str(rejected), where)
                        continue
                    for item in listing:
                        if item.kind == "folder":
                            yield Skipped(f"{where}/{shown(item.name)}/", "is a folder: not read", quiet=True)
                    items = [
                        (item.name, lambda limit, name=item.name, folder=submission: folder.read(name, limit))
                        for item in listing
                        if item.kind != "folder"
                    ]
                    yield from _take(student, entry.name, items, expected[entry.name], where)


def _misfiled(student, entry, expected):
    """Skipped: an entry of a student's folder that is no assignment's folder, with what it looks
    like and where it belongs (a misspelt assignment, a notebook outside its folder)."""
    name = shown(entry.name)
    if entry.name.startswith("."):
        return Skipped(f"{student}/{name}", "is hidden: not read", quiet=True)
    if entry.kind == "folder":
        guess = nearest(entry.name, expected)
        return Skipped(
            f"{student}/{name}/",
            f"no assignment named {name}"
            + (
                f"; did you mean {guess}? Not read: rename the folder"
                if guess
                else f" (the course's: {', '.join(expected)}): not read"
            ),
        )
    if entry.kind == "file" and entry.name.lower().endswith(".ipynb"):
        guess = nearest(entry.name[: -len(".ipynb")], expected)
        return Skipped(
            f"{student}/{name}",
            f"is a notebook outside an assignment's folder: not read; move it to {student}/{guess or '<assignment>'}/",
        )
    if entry.kind == "file" and entry.name.lower().endswith(".zip"):
        return Skipped(
            f"{student}/{name}",
            "is an archive inside a student's folder: not read; unzip it there, or put it in the inbox itself",
        )
    return Skipped(f"{student}/{name}", "is not an assignment's folder: not read", quiet=True)


def _archive(top, name, expected):
    """An archive of the inbox. Its name says whom it speaks for (the instructor or the LMS gives
    it; the student writes its members): `<assignment>.zip` is the class's, `<student>.zip` that
    student's alone."""
    stem = name[: -len(".zip")]
    if stem not in expected and not STUDENT_ID.fullmatch(stem):
        yield Skipped(
            shown(name),
            f"the name before .zip, {shown(stem)!r}, is not a student or assignment id: not read; rename the archive",
        )
        return
    try:
        archive = Archive.open(top, name)
    except Rejected as rejected:
        yield Skipped(shown(name), str(rejected))
        return
    with archive:
        if stem in expected:
            wrapper = _wrapper([entry.parts for entry in archive.entries], expected)
            place = lambda parts, stem, expected: _class_member(parts[wrapper:], stem, expected)  # noqa: E731
        else:
            place = _students_member
        groups, others = {}, set()
        for entry in archive.entries:
            student, assignment, file = place(entry.parts, stem, expected)
            if assignment is None:
                layouts = CLASS_LAYOUTS if stem in expected else STUDENT_LAYOUTS.format(student=stem)
                yield Skipped(
                    f"{shown(name)}: {shown(entry.name)}",
                    f"is not {layouts}: not read",
                    quiet=not entry.name.endswith(".ipynb"),
                )
            elif file is None:
                others.add((student, assignment))
            else:
                groups.setdefault((student, assignment), []).append((file, entry))
        if archive.outside:
            yield from _outside(name, archive.outside[0], stem in expected, list(groups))
            return
        if others:
            yield _for_others(name, stem, others, own=bool(groups))
        for (student, assignment), files in groups.items():
            where = f"{shown(name)}: {shown(student)}/{assignment}"
            try:
                student_id(student)
            except Rejected as rejected:
                yield Skipped(where, str(rejected))
                continue
            names = [file for file, _ in files]
            twice = next((file for file in names if names.count(file) > 1), None)
            if twice is not None:
                yield Refused(
                    student,
                    assignment,
                    f"{shown(name)} holds {shown(twice)} twice for {student}: not read; zip the submission again",
                    where,
                )
                continue
            items = [(file, lambda limit, entry=entry: archive.read(entry, limit)) for file, entry in files]
            yield from _take(student, assignment, items, expected[assignment], where)


CLASS_LAYOUTS = "[<folder>/]<student>/<file> or [<folder>/]<student>/<assignment>/<file>"
STUDENT_LAYOUTS = "<assignment>/<file> or [<folder>/]{student}/<assignment>/<file>"
EXAMPLES = 3  # other students' submissions named in the reason a student's archive gives


def _wrapper(members, expected):
    """1 if every member of a class's archive is inside one top folder (an export's wrapper), else
    0. Decided once for the archive: a folder a student made inside their own is never read as a
    wrapper around other students (`alice/bob/forget_gate.ipynb` is not bob's). Where one student's
    members all sit in a folder of theirs and no one else is in the export, it is read as one.
    Hidden files and macOS's `__MACOSX/` copies are left out of the decision."""
    members = [parts for parts in members if not any(part.startswith((".", "__MACOSX")) for part in parts)]
    tops = {parts[0] for parts in members}
    if len(tops) != 1 or any(len(parts) < 3 for parts in members):
        return 0
    return 0 if all(parts[1] in expected for parts in members) else 1  # one student's <assignment>/ folder


def _class_member(parts, stem, expected):
    """(student, assignment, file) of a member of the class's archive `stem`.zip (an LMS export,
    its wrapper taken off), else (None, None, None)."""
    if len(parts) == 3 and parts[1] in expected:
        return parts  # <student>/<assignment>/<file>
    if len(parts) == 2:
        return parts[0], stem, parts[1]  # <student>/<file>
    return None, None, None


def _students_member(parts, stem, expected):
    """(student, assignment, file) of a member of the student's own archive `stem`.zip: the student
    is always `stem` (a folder named after the student may differ in case). A member laid out for
    another student is (that student, assignment, None); anything else (None, None, None)."""
    if len(parts) == 2 and parts[0] in expected:
        return stem, parts[0], parts[1]  # <assignment>/<file>
    if len(parts) in (3, 4) and parts[-2] in expected:
        student = parts[-3]  # [<folder>/]<student>/<assignment>/<file>
        return (stem, parts[-2], parts[-1]) if student.lower() == stem.lower() else (student, parts[-2], None)
    return None, None, None


def _outside(name, member, for_class, groups):
    """A member whose path leaves the archive: the archive is not read. It refuses the student the
    archive holds submissions for (one student of a class's archive; a student's own archive's
    student, for each assignment in it), else it is skipped: never anyone the archive does not
    speak for."""
    reason = f"{shown(name)} holds {shown(member, 60)}, a path outside the archive: not read; zip the submission again"
    students = [pair for pair in groups if STUDENT_ID.fullmatch(pair[0])]
    if not students or (for_class and len({student for student, _ in students}) > 1):
        yield Skipped(shown(name), reason)
        return
    for student, assignment in students:
        yield Refused(student, assignment, reason, shown(name))


def _for_others(name, stem, others, own):
    """Skipped: what a student's archive holds for other students, and what the instructor does."""
    pairs = sorted(others)
    examples = ", ".join(f"{shown(student, 40)}/{assignment}" for student, assignment in pairs[:EXAMPLES])
    if len(pairs) > EXAMPLES:
        examples += ", ..."
    assignments = sorted({assignment for _, assignment in pairs})
    archives = ", ".join(f"{assignment}.zip" for assignment in assignments)
    if len(assignments) > 1:
        archives += ", one per assignment"
    count = f"{len(pairs)} submission{'s' if len(pairs) > 1 else ''}"
    return Skipped(
        shown(name),
        f"{shown(name)} is read as student {stem}'s archive (its name is a student id): its {count} for "
        f"other students ({examples}) {'are' if len(pairs) > 1 else 'is'} not read"
        + (f"; {stem}'s own is" if own else "")
        + f". If you made this archive, name it after its assignment ({archives}) or unzip it; if a "
        "student uploaded it, those submissions are not theirs to hand in",
    )


def _take(student, assignment, items, student_files, where):
    """Handed (or Refused) for one submission: items are (file name, read(limit) -> bytes)."""
    files = {}
    for name, read in items:
        if not wanted(name, student_files):
            yield Skipped(f"{where}/{shown(name)}", "is not a file the grader reads", quiet=True)
            continue
        try:
            file_name(name)
        except Rejected as rejected:
            yield Skipped(f"{where}/{shown(name)}", str(rejected))
            continue
        if name.endswith(".ipynb") and sum(other.endswith(".ipynb") for other in files) >= NOTEBOOKS:
            yield Refused(
                student,
                assignment,
                f"more than {NOTEBOOKS} notebooks handed in: not read; hand in the assignment's notebook",
                where,
            )
            return
        try:
            files[name] = read(limit_of(name))
        except Rejected as rejected:
            yield Refused(student, assignment, str(rejected), where)
            return
    yield Handed(student, assignment, files, where)
