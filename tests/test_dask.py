"""Grading on a Dask cluster: a real `dask scheduler` and two `dask worker` processes on
localhost (random free ports, one process and one thread each, stopped at the end).

The class graded through them gets exactly the scores and the named mistakes of a local run;
with one worker process killed (SIGKILL) while it holds jobs, nothing is lost and nothing
counted twice: every student is committed exactly once, with the local run's scores and mistakes.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from browser_support import free_port
from conftest import release

from autograder import gradebook, parallel, report, samples
from autograder.course import assignment
from autograder.pipeline import CourseRun

pytestmark = pytest.mark.slow

ASSIGNMENT = "forget_gate"
FULL = assignment(ASSIGNMENT).points  # the manifest's total
DASK = str(Path(sys.executable).parent / "dask")


def class_of(release):
    right = samples.solved(ASSIGNMENT, release)
    return {
        "ada": right,
        "ben": samples.released(ASSIGNMENT, release),
        "cleo": samples.edit_answer(right, "forget_gate", "sigmoid(", "np.tanh("),
        "eve": samples.set_cell(right, "forget", "def forget(f_t, C_prev):\n    raise ValueError('oops')"),
    }


@contextlib.contextmanager
def dask_cluster(folder, workers=2):
    """`dask scheduler` and `dask worker`s, each in its own session, all stopped at the end.
    The workers' temporary folder is a short one made here (kernels' sockets live in it; a
    killed worker cannot remove its own), removed at the end."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = []
    scratch = tempfile.mkdtemp(prefix="lstm-dask-")

    def start(name, *arguments):
        log = open(folder / f"{name}.log", "w")
        processes.append(
            subprocess.Popen(
                [DASK, *arguments],
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, TMPDIR=scratch),
                start_new_session=True,
            )
        )

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
        for n in range(workers):
            start(
                f"worker{n}",
                "worker",
                address,
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--local-directory",
                str(folder / f"worker{n}"),
                "--name",
                f"worker{n}",
            )
        from distributed import Client

        with Client(address, timeout="60s", set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
            yield address, client
    finally:
        for process in reversed(processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        stop_left_behind(scratch)
        shutil.rmtree(scratch, ignore_errors=True)


def stop_left_behind(scratch):
    """The kernel a killed worker was running outlives it (its own process tree, in namespaces
    of its own): stop every process whose command line names this cluster's temporary folder."""
    import psutil

    for process in psutil.process_iter(["pid", "cmdline"]):
        if any(scratch in part for part in process.info["cmdline"] or []):
            with contextlib.suppress(psutil.Error):
                process.kill()


def new_course(root, name, scheduler=None):
    # No student here loops: the course's own cell limit (30 s), so a busy machine cannot fail right code.
    course = CourseRun(root=root / name, release_directory=root / "release", workers=2, scheduler=scheduler)
    release(course, ASSIGNMENT)
    for student, notebook in class_of(course.release_directory).items():
        samples.write_submission(notebook, root / "inbox", student, ASSIGNMENT)
    course.collect(root / "inbox")
    return course


def scores(course):
    return {row["student"]: row for row in report.grade_rows(course.db_url, [ASSIGNMENT])}


@pytest.fixture(scope="module")
def local_scores(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    course = new_course(root, "local")
    course.autograde()
    return root, scores(course), gradebook.recorded_mistakes(course.db_url, ASSIGNMENT)


@pytest.fixture(scope="module")
def cluster(local_scores):
    root, *_ = local_scores
    with dask_cluster(root) as running:
        yield running


def test_a_class_graded_on_dask_gets_the_scores_of_a_local_run(local_scores, cluster):
    root, expected, named = local_scores
    address, _ = cluster
    course = new_course(root, "dask", scheduler=address)
    results = course.autograde()
    assert sorted(r.student for r in results) == sorted(expected)
    assert scores(course) == expected
    assert gradebook.recorded_mistakes(course.db_url, ASSIGNMENT) == named
    assert named[("cleo", "forget_gate_hidden")] == [("mistake", "forget_gate/tanh-for-σ")]
    assert expected["ada"]["score"] == FULL and expected["ben"]["score"] == 0  # the local run graded for real
    assert course.autograde() == []  # resumable the same way


def test_a_worker_killed_mid_batch_loses_nothing_and_counts_nothing_twice(local_scores, cluster, monkeypatch):
    root, expected, named = local_scores
    address, client = cluster
    course = new_course(root, "dask-killed", scheduler=address)
    committed = []
    real_commit = parallel.commit

    def counting_commit(course, gradebook, result):
        real_commit(course, gradebook, result)
        committed.append(result.student)

    monkeypatch.setattr(parallel, "commit", counting_commit)
    killed = []

    def kill_a_busy_worker():
        """Once the first student is committed, SIGKILL a worker process that holds jobs."""
        while len(committed) < len(expected):
            busy = [worker for worker, keys in client.processing().items() if keys] if committed else []
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append((busy[0], pid))
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    results = course.autograde()
    killer.join()
    assert killed, "the batch ended before a worker could be killed"
    assert sorted(committed) == sorted(expected), "a student was lost or committed twice"
    assert sorted(r.student for r in results) == sorted(expected)
    assert all(r.status == "graded" for r in results)
    assert scores(course) == expected
    assert gradebook.recorded_mistakes(course.db_url, ASSIGNMENT) == named
