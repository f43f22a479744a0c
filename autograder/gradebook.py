"""The gradebook: nbgrader's database (any SQLAlchemy URL), written by one process only, one
transaction per student.

    templates(course, "forget_gate")    # the assignment's notebooks with the gradebook's cells
    done(course)                        # {(student, assignment): (digest, status)} already committed
    commit(course, gradebook, result)   # what nbgrader's autograde writes, the mistakes, and "done":
                                        # together or nothing
    summary(course)                     # every submission not graded fully, and why
    recorded_mistakes(db_url, "forget_gate")   # why each question was lost: {(student, question): [...]}

What a commit writes is what nbgrader's own `autograde` writes for the same notebook (its
SaveAutoGrades and AssignLatePenalties preprocessors), so that formgrader shows the same state:
the submission with its timestamp (submitted/<student>/<assignment>/timestamp.txt), each
grade's auto_score and needs_manual_grade (a manual score an instructor gave is kept, and then
asks for review), "No response." on unanswered solution cells, the late penalty.

Resuming: a submission is done when its scores, the causes of the points it lost (the table
`lstm_mistakes`: the catalogue's named mistakes, and the rest) and a row in the table
`lstm_grading` (student, assignment, SHA-256 of the files) are committed in ONE transaction. A run killed at any point
leaves either that whole commit or nothing; the next run skips exactly the done ones, and
regrades a student whose file changed.
"""

import contextlib
import functools
import hashlib
import json
import os
import sys
import time
import warnings

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import LateSubmissionPlugin
from sqlalchemy import Column, Float, MetaData, String, Table, Text, delete, insert, select
from traitlets.config import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from . import intake, verify
from .course import NBGRADER_CONFIG

TABLES = MetaData()  # ours, beside nbgrader's tables in the same database

# One row per submission committed (graded, rejected, or failed twice), with the digest of the
# files it was graded from.
GRADING = Table(
    "lstm_grading",
    TABLES,
    Column("student", String(128), primary_key=True),
    Column("assignment", String(128), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # graded | rejected | failed
    Column("reasons", Text, nullable=False),  # JSON list of what an instructor should know
    Column("seconds", Float(53)),
    Column("graded_at", Float(53)),
)

# Why each question a student lost points on was lost: one row per named mistake of the
# catalogue (kind "mistake", its key) or per other cause (kind: class_report.KINDS), written with
# the scores and replaced with them. `code`: the student's function, for a wrong answer the
# catalogue does not know (the class report's examples; at most grading.CODE_CHARS).
MISTAKES = Table(
    "lstm_mistakes",
    TABLES,
    Column("student", String(128), primary_key=True),
    Column("assignment", String(128), primary_key=True),
    Column("question", String(128), primary_key=True),  # the test cell's grade_id
    Column("kind", String(16), primary_key=True),
    Column("mistake", String(200), primary_key=True),  # the catalogue's key, or ""
    Column("code", Text),
)

NOT_GRADED = ("rejected", "failed")


@functools.cache
def course_config():
    """course/nbgrader_config.py, as nbgrader loads it (the course id, late penalties, db_url)."""
    return PyFileConfigLoader(NBGRADER_CONFIG.name, path=str(NBGRADER_CONFIG.parent)).load_config()


def open_gradebook(db_url):
    """nbgrader's Gradebook on the course's database (for `with`)."""
    # nbgrader stamps a new database with the output of `alembic heads`, a program of this
    # environment that is on PATH only when the environment is activated.
    programs = os.path.dirname(sys.executable)
    if programs not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join(filter(None, [programs, os.environ.get("PATH")]))
    gradebook = Gradebook(db_url, course_config().CourseDirectory.course_id)
    TABLES.create_all(gradebook.engine, checkfirst=True)
    return gradebook


def digest(folder):
    """SHA-256 of a student's handed-in files that grading reads (notebooks, timestamp, the
    files the assignment asks for: collect copies nothing else). Read without following links:
    a link (or anything but a regular file) counts by its name and kind."""
    sha = hashlib.sha256()
    with intake.Folder.open(folder) as files:
        for entry in files.entries():
            if entry.name == "submission_secret.txt":
                continue
            sha.update(entry.name.encode(errors="surrogateescape") + b"\0" + entry.kind.encode() + b"\0")
            if entry.kind == "file":
                try:
                    with files.open_file(entry.name, DIGEST_BYTES) as data:
                        while chunk := data.read(1 << 20):
                            sha.update(chunk)
                except intake.Rejected as rejected:  # grading says why; here it only has to differ
                    sha.update(str(rejected).encode())
            sha.update(b"\0")
    return sha.hexdigest()


DIGEST_BYTES = 2**40  # read as a stream: any size (grading itself refuses files too large)


def templates(course, assignment_id):
    """{notebook name: the released notebook with the gradebook's cells (hidden tests included)}."""
    found = {}
    with open_gradebook(course.db_url) as gradebook:
        try:
            assignment = gradebook.find_assignment(assignment_id)
        except MissingEntry:
            raise SystemExit(
                f"{assignment_id} is not released in {course.root}: run "
                f"`python -m autograder release {assignment_id}` first."
            ) from None
        for notebook in assignment.notebooks:
            released = nbformat.read(course.release_directory / assignment_id / f"{notebook.name}.ipynb", as_version=4)
            sources = {cell.name: cell.source for cell in notebook.source_cells}
            for cell in released.cells:
                if verify.grade_id(cell) in sources:
                    cell.source = sources[verify.grade_id(cell)]
                cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
                if cell.cell_type != "code":
                    cell.pop("outputs", None)
            found[f"{notebook.name}.ipynb"] = released
    return found


def done(course):
    """{(student, assignment): (digest, status)} of the submissions already committed."""
    with open_gradebook(course.db_url) as gradebook:
        rows = gradebook.db.execute(
            select(GRADING.c.student, GRADING.c.assignment, GRADING.c.digest, GRADING.c.status)
        ).all()
    return {(student, assignment): (sha, status) for student, assignment, sha, status in rows}


def submitted_timestamp(course, student, assignment):
    """The submission time in submitted/<student>/<assignment>/timestamp.txt, as nbgrader reads it
    (autograder/intake: grading has rejected a submission whose time cannot be read)."""
    folder = course.root / "submitted" / student / assignment
    try:
        return intake.timestamp(intake.read_file(folder / "timestamp.txt", intake.TIMESTAMP_BYTES))
    except (intake.Rejected, FileNotFoundError, NotADirectoryError):
        return None


def commit(course, gradebook, result):
    """Write one result: the graded notebook file, then in ONE transaction the gradebook rows
    nbgrader's autograde would write and the row that marks it done."""
    folder = intake.inside(course.root, "autograded", result.student, result.assignment)
    if result.status == "graded":
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{result.notebook_name}.partial"
        partial.unlink(missing_ok=True)
        intake.write_new(folder, partial.name, result.notebook.encode())
        os.replace(partial, folder / result.notebook_name)
        # What nbgrader's collect wrote beside the notebook (submission time, the secret that
        # matches feedback to the submission); generate_feedback and release_feedback read it here.
        for name in ("timestamp.txt", "submission_secret.txt"):
            try:
                data = intake.read_file(
                    course.root / "submitted" / result.student / result.assignment / name, intake.TIMESTAMP_BYTES
                )
            except (intake.Rejected, FileNotFoundError):
                continue
            (folder / name).unlink(missing_ok=True)
            intake.write_new(folder, name, data)
    with one_transaction(gradebook.db):
        add_student(gradebook, result.student)
        if result.status == "graded":
            save_grades(gradebook, result, submitted_timestamp(course, result.student, result.assignment))
        else:
            forget_grades(gradebook, result)
        save_mistakes(gradebook.db, result)
        mark_done(gradebook.db, result)


@contextlib.contextmanager
def one_transaction(db):
    """nbgrader's Gradebook commits after every call (and rolls back on its own errors); inside
    this block those become a flush and a no-op, and the block commits once or rolls back whole."""
    real_commit, real_rollback = db.commit, db.rollback
    db.commit, db.rollback = db.flush, lambda: None
    try:
        with warnings.catch_warnings():
            # nbgrader's add_submission, flushed instead of committed, warns that it appends to
            # relationships outside the session; the rows themselves are written (tests check them).
            warnings.filterwarnings("ignore", message=".*not in session.*")
            yield
    except BaseException:
        db.commit, db.rollback = real_commit, real_rollback
        db.rollback()
        raise
    db.commit, db.rollback = real_commit, real_rollback
    db.commit()


def save_grades(gradebook, result, timestamp):
    """What nbgrader's autograde writes for one notebook (Autograde.init_assignment,
    SaveAutoGrades, AssignLatePenalties), with our scores for the test cells."""
    if timestamp:
        submission = gradebook.update_or_create_submission(result.assignment, result.student, timestamp=timestamp)
    else:
        submission = gradebook.update_or_create_submission(result.assignment, result.student)
    name = result.notebook_name[: -len(".ipynb")]
    notebook = gradebook.find_submission_notebook(name, result.assignment, result.student)
    grades = {grade.name: grade for grade in notebook.grades}
    comments = {comment.name: comment for comment in notebook.comments}
    for cell in nbformat.reads(result.notebook, as_version=4).cells:
        gid = verify.grade_id(cell)
        if utils.is_grade(cell) and gid in grades:
            grade = grades[gid]
            grade.auto_score = result.scores[gid] if gid in result.scores else utils.determine_grade(cell)[0]
            # as SaveAutoGrades: a human looks again where a human graded, or where no score was given
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        if (utils.is_solution(cell) or utils.is_task(cell)) and gid in comments:
            unchanged = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            comments[gid].auto_comment = "No response." if unchanged and not utils.is_task(cell) else None
    notebook.late_submission_penalty = late_penalty(gradebook.db, notebook, submission)


def late_penalty(db, notebook, submission):
    """The penalty AssignLatePenalties gives (None unless late and the course configures one)."""
    if not submission.total_seconds_late > 0:
        return None
    db.flush()
    db.refresh(notebook)  # its score, with the grades above
    config = course_config()
    plugin_class = config.AssignLatePenalties.get("plugin_class", LateSubmissionPlugin)
    plugin = (import_item(plugin_class) if isinstance(plugin_class, str) else plugin_class)(config=config)
    penalty = plugin.late_submission_penalty(submission.student.id, notebook.score, submission.total_seconds_late)
    return None if penalty is None else min(max(penalty, 0), notebook.score)


def forget_grades(gradebook, result):
    """A submission that could not be graded has no grades: scores of an earlier file are gone."""
    try:
        gradebook.remove_submission(result.assignment, result.student)
    except MissingEntry:
        pass


def add_student(gradebook, student):
    """The student's row. Formgrader lists students as "last name, first name", and a name it
    lacks as "None": a student nobody named (the exchange and LMS exports give ids only) gets the
    id as last name and an empty first name, so that it lists "s123, ", not "None, None". Names
    an instructor set are kept."""
    try:
        found = gradebook.find_student(student)
    except MissingEntry:
        return gradebook.add_student(student, last_name=student, first_name="")
    if found.first_name is None and found.last_name is None:
        found.last_name, found.first_name = student, ""
    return found


def save_mistakes(db, result):
    """The student's rows of lstm_mistakes for this assignment: replaced by this result's."""
    db.execute(delete(MISTAKES).where(MISTAKES.c.student == result.student, MISTAKES.c.assignment == result.assignment))
    rows = {}
    for lost in result.mistakes if result.status == "graded" else ():
        key = (lost.question, lost.kind, lost.mistake)
        rows.setdefault(key, lost.code)
    if rows:
        db.execute(
            insert(MISTAKES),
            [
                dict(
                    student=result.student,
                    assignment=result.assignment,
                    question=question,
                    kind=kind,
                    mistake=mistake,
                    code=code,
                )
                for (question, kind, mistake), code in rows.items()
            ],
        )


def recorded_mistakes(db_url, assignment_id):
    """{(student, question): sorted [(kind, catalogue key or "")]} of lstm_mistakes for one assignment."""
    with open_gradebook(db_url) as gradebook:
        rows = gradebook.db.execute(
            select(MISTAKES.c.student, MISTAKES.c.question, MISTAKES.c.kind, MISTAKES.c.mistake).where(
                MISTAKES.c.assignment == assignment_id
            )
        ).all()
    found = {}
    for student, question, kind, mistake in rows:
        found.setdefault((student, question), []).append((kind, mistake))
    return {key: sorted(value) for key, value in found.items()}


def graded_students(course):
    """{released assignment: [students with a graded submission]}, from nbgrader's tables (what
    nbgrader's generate_feedback writes feedback for)."""
    with open_gradebook(course.db_url) as gradebook:
        return {
            assignment.name: sorted(submission.student.id for submission in assignment.submissions)
            for assignment in gradebook.assignments
        }


def mark_done(db, result):
    """The row that makes a rerun skip this submission (replaced, in any SQL dialect)."""
    db.execute(delete(GRADING).where(GRADING.c.student == result.student, GRADING.c.assignment == result.assignment))
    db.execute(
        insert(GRADING).values(
            student=result.student,
            assignment=result.assignment,
            digest=result.digest,
            status=result.status,
            reasons=json.dumps(result.reasons),
            seconds=result.seconds,
            graded_at=time.time(),
        )
    )


def summary(course):
    """Lines naming every submission that could not be graded fully, and why (all runs)."""
    with open_gradebook(course.db_url) as gradebook:
        rows = gradebook.db.execute(
            select(GRADING.c.student, GRADING.c.assignment, GRADING.c.status, GRADING.c.reasons).order_by(
                GRADING.c.student, GRADING.c.assignment
            )
        ).all()
    lines = []
    for student, assignment, status, reasons in rows:
        reasons = json.loads(reasons)
        if reasons:
            lines.append(
                f"{intake.shown(student)} / {intake.shown(assignment)}"
                + (" (NOT GRADED)" if status in NOT_GRADED else "")
                + ":"
            )
            for reason in reasons:  # every line of it shown as text: a reason may quote a student's file
                lines.append("  - " + "\n    ".join(intake.shown(line, 400) for line in str(reason).splitlines()))
    return lines
