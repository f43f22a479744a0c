"""Grade a whole class: N worker processes (or a Dask cluster), one writer to the gradebook, resumable.

    results = grade_class(course, workers=2, limits=Limits(cell_timeout=30))
    results = grade_class(course, scheduler="tcp://10.0.0.5:8786")   # the same jobs on a Dask cluster

Why not `nbgrader autograde`: it grades one notebook per process start (~5 s each here), in the
grader's own kernel where the student's code can fool the tests. Here long-lived workers each
run one confined kernel per student (autograder/sandbox/), the verdicts are taken in the
grader's process (autograder/verify.py), and only this process writes the gradebook, through
nbgrader's Gradebook API, so nbgrader's formgrader, feedback and reports keep working.

One submission is graded by autograder/grading.py `grade_job(job) -> Result`, wherever the
worker is; the gradebook is written here, in the calling process, one transaction per student,
by autograder/gradebook.py (resumable: see there). A submission whose grading fails (a grader
error, not the student's: status "failed", or a worker lost) is graded once more in the same
run; failing twice, it is recorded as not graded, with the reason, and the batch goes on.
"""

import os
import queue
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path

from . import intake
from .course import assignment, assignments
from .gradebook import commit, digest, done, open_gradebook, templates
from .grading import Job, Result, grade_job
from .intake import shown
from .sandbox import Limits, Unconfined, confinement

ATTEMPTS = 2  # a grader failure is retried once in the same run


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
        label = shown(label, 30)  # a student's id may hold anything a terminal runs
        self.stream.write(
            f"\r[{bar:<30}] {self.count}/{self.total} graded, {self.workers}, {elapsed:.0f} s, ETA {eta}  {label:<30}"
        )
        if self.count == self.total:
            self.stream.write("\n")
        self.stream.flush()


def jobs_to_do(course, limits, only=None, retry_failed=False):
    """The submissions in submitted/ not yet committed with their current content (and, with
    retry_failed, those recorded as failed twice)."""
    finished = done(course)
    jobs, cache = [], {}
    ids = [a.id for a in assignments()]
    submitted = [
        item for item in intake.folders(course.root / "submitted", ids) if not isinstance(item, intake.Skipped)
    ]
    for manifest in assignments():
        if only not in (None, manifest.id):
            continue
        folders = sorted(path for _, assignment_id, path in submitted if assignment_id == manifest.id)
        if not folders:
            continue
        if manifest.id not in cache:
            cache[manifest.id] = templates(course, manifest.id)
        for name, template in cache[manifest.id].items():
            for folder in folders:
                sha = digest(folder)
                student = folder.parent.name
                committed, status = finished.get((student, manifest.id), (None, None))
                if committed == sha and not (retry_failed and status == "failed"):
                    continue
                jobs.append(Job(student, manifest.id, name, folder, sha, template, limits, course.release_directory))
    return jobs


class LocalWorkers:
    """Worker processes on this machine (forked: they start with the grader's modules loaded)."""

    def __init__(self, workers):
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"))

    def describe(self):
        return f"{self.workers} workers"

    def confinement(self):
        return confinement()

    def submit(self, job):
        try:
            return self.pool.submit(grade_job, job)
        except BrokenProcessPool:  # a worker process died (say, killed by the system): new workers
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
            return self.pool.submit(grade_job, job)

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskWorkers:
    """The workers of a Dask cluster. A job travels with the student's files (not their path);
    a worker writes them to a folder of its own and calls grade_job there, as a local worker would.
    Dask runs a job again elsewhere when its worker is lost; only this process commits."""

    def __init__(self, address):
        from distributed import Client

        self.address = address
        try:
            self.client = Client(address, set_as_default=False, timeout="30s")
        except OSError as error:
            raise SystemExit(
                f"Cannot reach the Dask scheduler at {address} ({error}). Start it with "
                "`dask scheduler` and workers with `dask worker ADDRESS` (see the README), "
                "or leave out --scheduler to grade on this machine."
            ) from None

    def describe(self):
        workers = self.client.scheduler_info(n_workers=-1)["workers"]
        if not workers:
            return f"Dask {self.address}: no workers yet, the jobs wait for one"
        threads = sum(worker["nthreads"] for worker in workers.values())
        return f"Dask {self.address}: {len(workers)} workers, {threads} threads"

    def confinement(self):
        """What a worker's machine can confine (asked of one worker; they should be alike)."""
        return self.client.submit(confinement, pure=False).result()

    def submit(self, job):
        files = {}
        try:  # the student's files, read as grading reads them (no link, within their sizes)
            with intake.Folder.open(job.folder) as folder:
                for entry in folder.entries():
                    if intake.inbox.wanted(
                        entry.name, assignment(job.assignment).student_files
                    ) and intake.names.FILE_NAME.fullmatch(entry.name):
                        files[entry.name] = folder.read(entry.name, intake.inbox.limit_of(entry.name))
        except intake.Rejected as rejected:
            refused = Future()
            refused.set_result(
                Result(
                    job.student,
                    job.assignment,
                    job.notebook_name,
                    job.digest,
                    "rejected",
                    reasons=[f"not graded: {rejected}"],
                )
            )
            return refused
        return self.client.submit(grade_elsewhere, replace(job, folder=None), files, pure=False)

    def close(self):
        self.client.close()


def grade_elsewhere(job, files):
    """On a Dask worker: the student's files in a folder of this worker, then grade_job."""
    with tempfile.TemporaryDirectory(prefix="lstm-submission-") as folder:
        for name, data in files.items():
            intake.write_new(folder, intake.file_name(name), data)
        return grade_job(replace(job, folder=Path(folder)))


def failure(job, error):
    """The Result of a job whose worker raised or was lost."""
    return Result(
        job.student,
        job.assignment,
        job.notebook_name,
        job.digest,
        "failed",
        reasons=[f"the grader failed on this submission: {type(error).__name__}: {error}"],
    )


def grade_class(course, workers=None, limits=None, only=None, progress=True, scheduler=None, retry_failed=False):
    """Grade every submission not yet graded; return the Results committed by this run.

    Raises sandbox.Unconfined, before running anything, where the machine that runs the kernels
    (this one, or a Dask worker) cannot confine the students' code and limits.require_confinement
    is set (no --unsafe-no-sandbox)."""
    limits = limits or Limits()
    jobs = jobs_to_do(course, limits, only, retry_failed)
    if not jobs:
        if progress:
            print("0 submissions to grade", file=sys.stderr)
        return []
    runner = DaskWorkers(scheduler) if scheduler else LocalWorkers(workers or os.cpu_count() or 1)
    try:
        machine = runner.confinement()
        if progress:
            print(f"{machine.describe(limits)}\n{len(jobs)} submissions to grade", file=sys.stderr)
        if not machine.complete and limits.require_confinement:
            raise Unconfined(machine.refusal())
        return _grade_all(course, jobs, runner, Progress(len(jobs), runner.describe()) if progress else None)
    finally:
        runner.close()


def _grade_all(course, jobs, runner, bar):
    """Send every job, commit each result as it comes; a failed job is sent once more."""
    finished = queue.SimpleQueue()

    def send(job, attempt):
        future = runner.submit(job)
        future.add_done_callback(lambda future: finished.put((future, job, attempt)))

    for job in jobs:
        send(job, 1)
    results, outstanding = [], len(jobs)
    with open_gradebook(course.db_url) as gradebook:
        while outstanding:
            future, job, attempt = finished.get()
            outstanding -= 1
            try:
                result = future.result()
            except Exception as error:  # the worker process died, or Dask gave the job up
                result = failure(job, error)
            if result.status == "failed" and attempt < ATTEMPTS:
                send(job, attempt + 1)
                outstanding += 1
                continue
            if result.status == "failed":
                result.reasons = [
                    f"not graded: the grader failed on it {ATTEMPTS} times (a grader error, not "
                    "the student's); fix the cause, then run `autograde --retry-failed`",
                    *result.reasons,
                ]
            commit(course, gradebook, result)
            results.append(result)
            if bar:
                bar.step(f"{result.student}/{result.assignment}")
    return results
