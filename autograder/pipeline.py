"""The grading pipeline: nbgrader's own commands, run on the course's folders.

    course = CourseRun()                       # runtime folders under course/
    course.release("forget_gate")              # solutions/ -> notebooks/ (nbgrader generate_assignment)
    course.collect("inbox/")                   # inbox/<student>/<assignment>/*.ipynb -> course/submitted/
    course.autograde()                         # every new submission, N workers (autograder/parallel.py)
    course.nbgrader_autograde("forget_gate")   # plain nbgrader autograde (the benchmark's reference)
    course.feedback("forget_gate")             # nbgrader generate_feedback, hidden tests removed

Grading itself is in autograder/parallel.py (confined kernels, verdicts taken in the grader,
nbgrader's gradebook); release and feedback are nbgrader's, configured by course/nbgrader_config.py.
"""
import filecmp
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .course import COURSE, NOTEBOOKS, REPOSITORY


class PipelineError(RuntimeError):
    """An nbgrader step failed as a whole (not one student's notebook: those are graded zero)."""


@dataclass
class CourseRun:
    root: Path = COURSE  # where submitted/, autograded/, feedback/ and gradebook.db live
    release_directory: Path = NOTEBOOKS
    timeout: int | None = None  # seconds per cell; None keeps course/nbgrader_config.py's
    workers: int | None = None  # parallel graders; None: one per core
    memory_mb: int = 2048  # memory limit of each student's kernel
    unsafe_no_sandbox: bool = False  # grade even where students' code cannot be confined

    def __post_init__(self):
        self.root = Path(self.root).resolve()
        self.release_directory = Path(self.release_directory).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def gradebook(self):
        return self.root / "gradebook.db"

    def nbgrader(self, *arguments):
        """Run one nbgrader command on this course; return its CompletedProcess."""
        command = [sys.executable, "-m", "nbgrader", *arguments,
                   f"--CourseDirectory.root={self.root}",
                   f"--CourseDirectory.release_directory={self.release_directory}"]
        if self.timeout is not None:
            command.append(f"--Execute.timeout={self.timeout}")
        env = dict(os.environ)
        # nbgrader runs `alembic` and the kernel as programs: they must come from this environment.
        env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
        # nbgrader, its preprocessors and the student kernels import this checkout's code.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY), env.get("PYTHONPATH")]))
        # Run from course/ so that nbgrader reads course/nbgrader_config.py; the flags above win.
        return subprocess.run(command, cwd=COURSE, env=env, capture_output=True, text=True)

    def _check(self, result, what):
        if result.returncode != 0:
            raise PipelineError(f"{what} failed (nbgrader exit {result.returncode}):\n{result.stderr[-4000:]}")
        return result

    def release(self, assignment_id):
        """Generate the student version of an assignment, and record it in the gradebook."""
        return self._check(self.nbgrader("generate_assignment", assignment_id, "--force"),
                           f"Releasing {assignment_id}")

    def collect(self, submissions):
        """Copy <submissions>/<student>/<assignment>/* (folders, or the same inside .zip files)
        into submitted/; only assignments of course/assignments.toml are collected.

        A student whose files changed since the last collect has their folder replaced, so the
        next autograde grades the new one; unchanged students are left alone (their files keep
        their digest, which is what makes a rerun skip them). Returns the (student, assignment)
        pairs collected.
        """
        from .course import assignments

        known = {a.id for a in assignments()}
        collected = []
        for folder in sorted(_submission_folders(Path(submissions), self.root / "unzipped")):
            assignment_id, student = folder.name, folder.parent.name
            if assignment_id not in known or not folder.is_dir():
                continue
            target = self.root / "submitted" / student / assignment_id
            files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".ipynb")
            same = target.is_dir() and sorted(p.name for p in target.iterdir()) == [p.name for p in files] and all(
                filecmp.cmp(p, target / p.name, shallow=False) for p in files)
            if not same:
                shutil.rmtree(target, ignore_errors=True)
                target.mkdir(parents=True)
                for path in files:
                    shutil.copyfile(path, target / path.name)
                shutil.rmtree(self.root / "autograded" / student / assignment_id, ignore_errors=True)
            collected.append((student, assignment_id))
        return sorted(set(collected))

    def autograde(self, assignment_id=None, progress=False):
        """Grade every collected, not yet graded submission (of one assignment, or all) with
        autograder/parallel.py; return the Results of this run."""
        from .parallel import grade_class
        from .sandbox import Limits

        limits = Limits(cell_timeout=self.timeout or 30, memory_mb=self.memory_mb,
                        notebook_timeout=max(120, 10 * (self.timeout or 30)),
                        require_confinement=not self.unsafe_no_sandbox)
        return grade_class(self, workers=self.workers, limits=limits, only=assignment_id, progress=progress)

    def nbgrader_autograde(self, assignment_id, *arguments):
        """Plain `nbgrader autograde`: one process, the student's code in the grader's kernel."""
        return self.nbgrader("autograde", assignment_id, *arguments)

    def feedback(self, assignment_id):
        """Write feedback HTML for every autograded student, hidden tests removed."""
        return self.nbgrader("generate_feedback", assignment_id, "--force")


def _safe_extract(archive, target):
    """Extract a zip, refusing members that would land outside `target`."""
    target = target.resolve()
    with zipfile.ZipFile(archive) as zipped:
        for member in zipped.infolist():
            destination = (target / member.filename).resolve()
            if not destination.is_relative_to(target):
                raise PipelineError(f"{archive} contains {member.filename!r}, outside the archive: refused")
            zipped.extract(member, target)


def _submission_folders(submissions, unzip_to):
    """Every <student>/<assignment> folder, in `submissions` and inside its .zip files.

    A zip may hold <student>/<assignment>/..., or be named <assignment>.zip and hold
    <student>/... folders (the usual LMS export).
    """
    yield from (p for p in submissions.glob("*/*") if p.is_dir())
    for archive in sorted(submissions.glob("*.zip")):
        target = unzip_to / archive.stem
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        _safe_extract(archive, target)
        top = [p for p in target.iterdir() if p.is_dir()]
        if len(top) == 1 and not any(top[0].glob("*.ipynb")) and any(top[0].glob("*/*/*.ipynb")):
            target = top[0]  # zip of a single folder around the tree
        if any(target.glob("*/*/*.ipynb")) or any(p.is_dir() for p in target.glob("*/*")):
            yield from (p for p in target.glob("*/*") if p.is_dir())
        else:  # <assignment>.zip with <student>/*.ipynb
            staging = unzip_to / f"{archive.stem}-by-student"
            for student in (p for p in target.iterdir() if p.is_dir()):
                (staging / student.name).mkdir(parents=True, exist_ok=True)
                shutil.rmtree(staging / student.name / archive.stem, ignore_errors=True)
                shutil.copytree(student, staging / student.name / archive.stem)
                yield staging / student.name / archive.stem
