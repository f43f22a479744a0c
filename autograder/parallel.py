"""Grade a whole class: N worker processes, one writer to the gradebook, resumable.

    summary = grade_class(course, workers=2, limits=Limits(cell_timeout=30))

Why not `nbgrader autograde`: it grades one notebook per process start (~5 s each here), in the
grader's own kernel where the student's code can fool the tests. Here long-lived workers each
run one confined kernel per student (autograder/sandbox/), the verdicts are taken in the
grader's process (autograder/verify.py), and only this process writes the gradebook, through
nbgrader's Gradebook API, so nbgrader's feedback and reports keep working.

One submission is graded by autograder/grading.py; the gradebook is written here, in the
calling process, by autograder/gradebook.py (resumable: see there).
"""
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from nbgrader.api import Gradebook

from .course import assignments
from .gradebook import commit, digest, done, templates
from .grading import Job, grade_job
from .sandbox import Limits, Unconfined, confinement, make_base


class Progress:
    """One line on stderr: bar, count, rate and time left."""

    def __init__(self, total, workers, stream=sys.stderr):
        self.total, self.workers, self.stream, self.count = total, workers, stream, 0
        self.start = time.monotonic()
        self.show()

    def step(self, label=""):
        self.count += 1
        self.show(label)

    def show(self, label=""):
        if not self.total:
            return
        elapsed = time.monotonic() - self.start
        left = elapsed / self.count * (self.total - self.count) if self.count else None
        eta = "--:--" if left is None else f"{int(left // 60)}:{int(left % 60):02d}"
        bar = "#" * int(30 * self.count / self.total)
        self.stream.write(f"\r[{bar:<30}] {self.count}/{self.total} graded, {self.workers} workers, "
                          f"{elapsed:.0f} s, ETA {eta}  {label[:30]:<30}")
        if self.count == self.total:
            self.stream.write("\n")
        self.stream.flush()


def jobs_to_do(course, limits, base, only=None):
    """The submissions in submitted/ not yet committed with their current content."""
    finished = done(course)
    jobs, cache = [], {}
    for assignment in assignments():
        if only not in (None, assignment.id):
            continue
        folders = sorted(p for p in (course.root / "submitted").glob(f"*/{assignment.id}") if p.is_dir())
        if not folders:
            continue
        if assignment.id not in cache:
            cache[assignment.id] = templates(course, assignment.id)
        for name, template in cache[assignment.id].items():
            for folder in folders:
                sha = digest(folder)
                student = folder.parent.name
                if finished.get((student, assignment.id)) == sha:
                    continue
                jobs.append(Job(student, assignment.id, name, folder, sha, template, limits, base,
                                course.release_directory))
    return jobs


def grade_class(course, workers=None, limits=None, only=None, progress=True):
    """Grade every submission not yet graded; return the Results of this run.

    Raises sandbox.Unconfined, before running anything, where the machine cannot confine the
    students' code and limits.require_confinement is set (no --unsafe-no-sandbox)."""
    limits = limits or Limits()
    machine = confinement()
    if not machine.complete and limits.require_confinement:
        raise Unconfined(machine.refusal())
    workers = workers or os.cpu_count() or 1
    base = make_base(tempfile.mkdtemp(prefix="lstm-grading-"))
    jobs = jobs_to_do(course, limits, base, only)
    if progress:
        print(f"{machine.describe(limits)}\n{len(jobs)} submissions to grade", file=sys.stderr)
    results = []
    if not jobs:
        return results
    bar = Progress(len(jobs), workers) if progress else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(grade_job, job) for job in jobs]
        with Gradebook(f"sqlite:///{course.gradebook}") as gradebook:
            for future in as_completed(futures):
                result = future.result()
                if result.status != "failed":
                    commit(course, gradebook, result)
                results.append(result)
                if bar:
                    bar.step(f"{result.student}/{result.assignment}")
    shutil.rmtree(base, ignore_errors=True)
    return results
