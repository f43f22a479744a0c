"""The grading pipeline: nbgrader's own commands, run on the course's folders.

    course = CourseRun()                       # runtime folders under course/, gradebook course/gradebook.db
    course = CourseRun(db_url="postgresql://grader@db/lstm")   # the gradebook on any SQLAlchemy URL
    course.release("forget_gate")              # assignments/<a>/ -> notebooks/<a>/ (nbgrader generate_assignment)
    course.collect("inbox/")                   # inbox/<student>/<assignment>/*.ipynb -> course/submitted/
    course.take_in("inbox/")                   # the same, and what was refused or skipped, and why
    course.autograde()                         # every new submission, N workers or Dask (autograder/parallel.py)
    course.nbgrader_autograde("forget_gate")   # plain nbgrader autograde (the benchmark's reference)
    course.feedback("forget_gate")             # nbgrader generate_feedback, hidden tests removed

Grading itself is in autograder/parallel.py (confined kernels, verdicts taken in the grader,
nbgrader's gradebook); release and feedback are nbgrader's, configured by course/nbgrader_config.py
and nothing else: no Jupyter, IPython or matplotlib configuration of the user running the grader
(where a student could have planted one) is read.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import intake
from .course import COURSE, NBGRADER_CONFIG, NOTEBOOKS, REPOSITORY

# First line of the nbgrader_config.py written into a course folder other than course/.
GENERATED = "# Written by `python -m autograder`"


def nbgrader_environment(scratch):
    """The environment of the grader's nbgrader commands: this Python and checkout, and no
    configuration but the course's. Jupyter's user, environment and system config paths, its data
    paths (nbconvert templates, kernel specs), IPython profiles, matplotlibrc and the user's
    site-packages could each run code someone planted in the grader's home; here they are
    fresh empty folders in `scratch` (or ignored), and nbgrader reads course/nbgrader_config.py,
    <root>/nbgrader_config.py and its command line only."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "IPYTHON", "MPL", "PYTHONSTARTUP", "PYTHONUSERBASE"))
    }
    for variable, folder in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
        ("TMPDIR", "tmp"),
    ):
        env[variable] = str(scratch / folder)
        (scratch / folder).mkdir()
    env["JUPYTER_NO_CONFIG"] = "1"  # no config path at all (jupyter_core makes an empty one in TMPDIR)
    env["PYTHONNOUSERSITE"] = "1"
    # nbgrader runs `alembic` and the kernel as programs: they must come from this environment.
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    # nbgrader, its preprocessors and the student kernels import this checkout's code.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
    return env


class PipelineError(RuntimeError):
    """An nbgrader step failed as a whole (not one student's notebook: those are graded zero)."""


@dataclass
class CourseRun:
    root: Path = COURSE  # where submitted/, autograded/, feedback/ and gradebook.db live
    release_directory: Path = NOTEBOOKS
    timeout: int | None = None  # seconds per cell; None keeps course/nbgrader_config.py's
    workers: int | None = None  # parallel graders; None: one per core
    memory_mb: int = 2048  # memory limit of each student's kernel
    db_url: str | None = None  # the gradebook (any SQLAlchemy URL); None: see __post_init__
    scheduler: str | None = None  # a Dask scheduler's address to grade on; None: this machine
    unsafe_no_sandbox: bool = False  # grade even where students' code cannot be confined

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        self.release_directory = Path(self.release_directory).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        if self.db_url is None:
            self.db_url = self._configured_db_url() or f"sqlite:///{self.root / 'gradebook.db'}"
        if self.root != COURSE:
            self._write_course_config()

    def _configured_db_url(self):
        """course/nbgrader_config.py's db_url, for the course folder it describes (course/) only."""
        from .gradebook import course_config

        return course_config().CourseDirectory.get("db_url") if self.root == COURSE else None

    def _write_course_config(self):
        """<root>/nbgrader_config.py: course/nbgrader_config.py with this folder, release and
        gradebook, so that formgrader (`jupyter lab` started in this folder) and `nbgrader` run
        here find the course. Never replaces a config the instructor wrote."""
        path = self.root / "nbgrader_config.py"
        if path.exists() and not path.read_text().startswith(GENERATED):
            return
        path.write_text(
            f"{GENERATED} for this course folder; rewritten by each of its commands: edit\n"
            f"# {NBGRADER_CONFIG} instead. Formgrader: start `jupyter lab` in this folder.\n"
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(NBGRADER_CONFIG)!r})  # noqa: F821\n"
            f"c.CourseDirectory.root = {str(self.root)!r}\n"
            f"c.CourseDirectory.release_directory = {str(self.release_directory)!r}\n"
            f"c.CourseDirectory.source_directory = {str(self.source_directory)!r}\n"
            f"c.CourseDirectory.db_url = {self.db_url!r}\n"
        )
        path.chmod(0o600)  # the URL may hold a password

    @property
    def source_directory(self):
        """nbgrader's source: built from assignments/<a>/ by `release` (autograder/release/)."""
        return self.root / "source"

    def nbgrader(self, *arguments):
        """Run one nbgrader command on this course; return its CompletedProcess."""
        command = [
            sys.executable,
            "-m",
            "nbgrader",
            *arguments,
            f"--CourseDirectory.root={self.root}",
            f"--CourseDirectory.release_directory={self.release_directory}",
            f"--CourseDirectory.source_directory={self.source_directory}",
            f"--CourseDirectory.db_url={self.db_url}",
        ]
        if self.timeout is not None:
            command.append(f"--Execute.timeout={self.timeout}")
        with tempfile.TemporaryDirectory(prefix="lstm-nbgrader-") as scratch:
            # Run from course/ so that nbgrader reads course/nbgrader_config.py; the flags above win.
            return subprocess.run(
                command, cwd=COURSE, env=nbgrader_environment(Path(scratch)), capture_output=True, text=True
            )

    def _check(self, result, what):
        if result.returncode != 0:
            raise PipelineError(f"{what} failed (nbgrader exit {result.returncode}):\n{result.stderr[-4000:]}")
        return result

    def release(self, assignment_id):
        """Build nbgrader's source from assignments/<a>/, generate the student version of the
        assignment, and record it in the gradebook."""
        from .release import build

        build(assignment_id, self.source_directory)
        return self._check(self.nbgrader("generate_assignment", assignment_id, "--force"), f"Releasing {assignment_id}")

    def collect(self, submissions):
        """Copy <submissions>/<student>/<assignment>/* (folders, or the same inside .zip files)
        into submitted/; only assignments of course/assignments.toml are collected.

        A student whose files changed since the last collect has their folder replaced, so the
        next autograde grades the new one; unchanged students are left alone (their files keep
        their digest, which is what makes a rerun skip them). Returns the (student, assignment)
        pairs collected; take_in says what else it found.
        """
        return self.take_in(submissions).collected

    def take_in(self, submissions):
        """Read an inbox through autograder/intake: each submission's files (its notebooks,
        timestamp.txt and the files its assignment asks for, such as a saved model) are copied
        into submitted/; a submission that cannot be read is recorded as not graded, with the
        reason, for that student alone; every other entry is skipped with the reason. Returns
        an Intake."""
        from .course import assignments
        from .gradebook import done, open_gradebook

        if not Path(submissions).is_dir():
            raise PipelineError(
                f"{submissions} is not a folder: give the folder that holds the students' folders or .zip files"
            )
        expected = {a.id: a.student_files for a in assignments()}
        found, first = Intake(), {}
        for item in intake.walk(Path(submissions), expected):
            if isinstance(item, intake.Skipped):
                found.skipped.append(item)
                continue
            pair = (item.student, item.assignment)
            if pair in first:  # the first copy counts (folders and archives in the order of their names)
                found.skipped.append(
                    intake.Skipped(
                        item.where, f"is {item.student}'s {item.assignment} again (also in {first[pair]}): not read"
                    )
                )
                continue
            first[pair] = item.where
            if isinstance(item, intake.Refused):
                found.refused.append(item)
            else:
                self._take(item)
                found.collected.append(pair)
        if found.refused:
            committed = done(self)
            with open_gradebook(self.db_url) as gradebook:
                for refused in found.refused:
                    self._refuse(gradebook, refused, committed)
        found.collected.sort()
        return found

    def _take(self, handed):
        """submitted/<student>/<assignment>/ holding exactly the handed-in files (made anew if they changed)."""
        target = self.root / "submitted" / handed.student / handed.assignment
        if _holds(target, handed.files):
            return
        folder = intake.fresh_folder(self.root, "submitted", handed.student, handed.assignment)
        for name, data in handed.files.items():
            intake.write_new(folder, name, data)
        intake.remove_folder(self.root, "autograded", handed.student, handed.assignment)

    def _refuse(self, gradebook_session, refused, committed):
        """A submission that cannot be read: its earlier files and grades go, its reason is recorded."""
        from .gradebook import commit
        from .grading import Result

        intake.remove_folder(self.root, "submitted", refused.student, refused.assignment)
        intake.remove_folder(self.root, "autograded", refused.student, refused.assignment)
        sha = hashlib.sha256(refused.reason.encode()).hexdigest()
        if committed.get((refused.student, refused.assignment)) != (sha, "rejected"):
            commit(
                self,
                gradebook_session,
                Result(
                    refused.student, refused.assignment, "", sha, "rejected", reasons=[f"not graded: {refused.reason}"]
                ),
            )

    def autograde(self, assignment_id=None, progress=False, retry_failed=False):
        """Grade every collected, not yet graded submission (of one assignment, or all) with
        autograder/parallel.py; return the Results of this run. retry_failed: grade again the
        submissions the grader failed on twice in an earlier run."""
        from .parallel import grade_class
        from .sandbox import Limits

        self.check_released_kits(assignment_id)
        limits = Limits(
            cell_timeout=self.timeout or 30,
            memory_mb=self.memory_mb,
            notebook_timeout=max(120, 10 * (self.timeout or 30)),
            require_confinement=not self.unsafe_no_sandbox,
        )
        return grade_class(
            self,
            workers=self.workers,
            limits=limits,
            only=assignment_id,
            progress=progress,
            scheduler=self.scheduler,
            retry_failed=retry_failed,
        )

    def check_released_kits(self, assignment_id=None):
        """The students' kernels run the released copy of student_kit on the released data, the grader
        this checkout's: they must be the same code, and the released checks' inputs the ones the
        grader judges."""
        from .release.data import stale_checks
        from .release.kit import KIT, differences

        submitted = {p.name for p in (self.root / "submitted").glob("*/*") if p.is_dir()}
        for name in sorted(submitted & ({assignment_id} if assignment_id else submitted)):
            released = self.release_directory / name
            if not released.is_dir():
                continue
            stale = differences(released / KIT.name) if (released / KIT.name).is_dir() else []
            stale = stale or stale_checks(released)
            if stale:
                raise PipelineError(
                    f"{released} differs from this checkout ({', '.join(stale[:3])}): the grader would judge "
                    f"other code or inputs than the students' notebooks. Release {name} again "
                    "(`python -m autograder release`) before grading, or grade from the checkout it was released from."
                )

    def nbgrader_autograde(self, assignment_id, *arguments):
        """Plain `nbgrader autograde`: one process, the student's code in the grader's kernel."""
        return self.nbgrader("autograde", assignment_id, *arguments)

    def feedback(self, assignment_id):
        """Write feedback HTML for every autograded student, hidden tests removed."""
        return self.nbgrader("generate_feedback", assignment_id, "--force")


@dataclass
class Intake:
    """What an inbox held: the submissions taken, those refused (recorded as not graded) and the
    entries skipped, each with its reason (autograder/intake)."""

    collected: list = field(default_factory=list)  # (student, assignment) pairs copied to submitted/
    refused: list = field(default_factory=list)  # intake.Refused
    skipped: list = field(default_factory=list)  # intake.Skipped


def _holds(folder, files):
    """True if `folder` (ours: submitted/...) holds exactly `files` ({name: bytes})."""
    try:
        with intake.Folder.open(folder) as opened:
            names = [entry.name for entry in opened.entries()]
            return sorted(names) == sorted(files) and all(
                opened.read(name, len(data)) == data for name, data in files.items()
            )
    except (OSError, intake.Rejected):
        return False
