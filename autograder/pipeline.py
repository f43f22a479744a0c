"""The grading pipeline: nbgrader's own commands, run on the course's folders.

    course = CourseRun()                       # runtime folders under course/
    course.release("forget_gate")              # solutions/ -> notebooks/ (nbgrader generate_assignment)
    course.collect("inbox/")                   # inbox/<student>/<assignment>/*.ipynb -> course/submitted/
    course.autograde("forget_gate")            # nbgrader autograde: runs the tests, fills the gradebook
    course.feedback("forget_gate")             # nbgrader generate_feedback, hidden tests removed

Nothing here grades: nbgrader does, configured by course/nbgrader_config.py.
"""
import filecmp
import os
import shutil
import subprocess
import sys
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
        """Copy <submissions>/<student>/<assignment>/*.ipynb into submitted/.

        A student whose notebook changed since the last collect loses their old autograded
        copy, so the next autograde grades the new one; unchanged students are left alone.
        Returns the (student, assignment) pairs collected.
        """
        collected = []
        for notebook in sorted(Path(submissions).glob("*/*/*.ipynb")):
            assignment_id, student = notebook.parent.name, notebook.parent.parent.name
            target = self.root / "submitted" / student / assignment_id / notebook.name
            if not (target.exists() and filecmp.cmp(notebook, target, shallow=False)):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(notebook, target)
                shutil.rmtree(self.root / "autograded" / student / assignment_id, ignore_errors=True)
            collected.append((student, assignment_id))
        return sorted(set(collected))

    def autograde(self, assignment_id):
        """Autograde every submitted, not yet graded notebook of the assignment.

        nbgrader goes on past a notebook it cannot grade and exits non-zero at the end; the
        report then shows that student without a score. Returns the CompletedProcess.
        """
        return self.nbgrader("autograde", assignment_id)

    def feedback(self, assignment_id):
        """Write feedback HTML for every autograded student, hidden tests removed."""
        return self.nbgrader("generate_feedback", assignment_id, "--force")
