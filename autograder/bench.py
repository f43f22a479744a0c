"""Benchmark: plain sequential `nbgrader autograde` against autograder/parallel.py, same run.

    python -m autograder.bench [--students 50] [--assignments forget_gate gru ...]

First measures where a student's kernel spends its time before it runs a cell (a fresh
ipykernel per student, as nbgrader starts it; the imports every notebook makes; bubblewrap; and
what our warm zygote pays once per worker against what each student still pays). Then builds N
synthetic submissions spread over every assignment of course/assignments.toml (a mix of right,
partly blank and blank notebooks), grades the same files three times in fresh temporary courses,
and prints seconds and ratios. It prints; it asserts nothing.
"""

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import KernelManager

from . import samples
from .course import assignments
from .pipeline import CourseRun
from .sandbox import Limits, Sandbox, View, confinement
from .sandbox.zygote import WarmSandbox

GOALS = {"ours, 1 worker": 4, "ours, 2 workers": 8}  # x plain nbgrader: the speed the grader was built for


def synthetic(release, count):
    """[(student, assignment, notebook)]: right, one answer left blank, and blank, in turn."""
    ids = [a.id for a in assignments() if (release / a.id).is_dir()]
    made = []
    for k in range(count):
        assignment_id = ids[k % len(ids)]
        right = samples.solved(assignment_id, release)
        blank = samples.released(assignment_id, release)
        kind = k % 3
        if kind == 0:
            notebook = right
        elif kind == 1:  # the first answer cell back to the released stub
            notebook = copy.deepcopy(right)
            first = next(iter(samples.solution_answers(assignment_id)))
            notebook = samples.set_cell(notebook, first, samples._cell(blank, first).source)
        else:
            notebook = blank
        made.append((f"student{k:03d}", assignment_id, notebook))
    return made


def course(root, assignment_ids, workers=None):
    run = CourseRun(root=root, release_directory=root / "release", timeout=30, workers=workers)
    for assignment_id in assignment_ids:
        run.release(assignment_id)
    return run


# -- where the time goes ---------------------------------------------------------------------------
def _median(measure, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        measure()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _python(code, environment=None):
    subprocess.run([sys.executable, "-c", code], check=True, env=environment, capture_output=True)


def _kernel_start():
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(stderr=subprocess.DEVNULL)
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def _fresh_home_import(module):
    with tempfile.TemporaryDirectory() as home:
        _python(f"import {module}", dict(os.environ, HOME=home, MPLCONFIGDIR=home))


def breakdown(work, repeat=3):
    """[(what, seconds)], measured now, on this machine (medians of `repeat`)."""
    python = _median(lambda: _python("pass"), repeat)
    costs = [
        ("start python + ipykernel, until ready (nbgrader: per student)", _median(_kernel_start, repeat)),
        ("  import numpy (per student)", _median(lambda: _python("import numpy"), repeat) - python),
        (
            "  import matplotlib.pyplot, fresh $HOME (per student)",
            _median(lambda: _fresh_home_import("matplotlib.pyplot"), repeat) - python,
        ),
        ("  import torch (per student, torch notebooks)", _median(lambda: _python("import torch"), repeat) - python),
    ]
    if not confinement().bubblewrap:
        return costs + [(f"(no sandbox measured: {'; '.join(confinement().problems())})", 0.0)]
    true = ["/usr/bin/true"]
    bare = _median(lambda: subprocess.run(true, check=True), repeat)
    bwrap = [
        "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--ro-bind",
        "/usr",
        "/usr",
        "--symlink",
        "usr/lib64",
        "/lib64",
        "--symlink",
        "usr/lib",
        "/lib",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        *true,
    ]
    costs.append(("bubblewrap around /usr/bin/true", _median(lambda: subprocess.run(bwrap, check=True), repeat) - bare))
    release = work / "breakdown-release"
    (release / "demo").mkdir(parents=True)
    view = View(release, "demo")
    sandbox = None

    def start():
        nonlocal sandbox
        sandbox = WarmSandbox(view, True, confinement().cgroup_roots)

    costs.append(
        ("ours: warm zygote in bubblewrap (numpy, matplotlib, IPython), once per worker", _median(start, repeat=1))
    )
    costs.append(
        (
            "ours: its branch with torch, once per worker (torch assignments)",
            _median(lambda: sandbox.zygote(uses_torch=True), repeat=1),
        )
    )
    sandbox.close()
    with Sandbox(Limits(), View(release, "demo")) as sandbox:
        sandbox.run(["pass"])  # the zygote, once

        def fork_and_run():
            sandbox._stop()
            sandbox.restarts = 0
            sandbox.run(["import numpy, matplotlib.pyplot"])

        costs.append(
            (
                "ours: a fresh confined kernel (fork, namespaces, mounts, cgroup) + its imports, per student",
                _median(fork_and_run, repeat),
            )
        )
    return costs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument(
        "--assignments",
        nargs="+",
        default=[a.id for a in assignments()],
        help="only these assignments (default: the whole course)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="measurements per cost in the breakdown (median)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="lstm-bench-"))

    print("Where a student's kernel spends its time before its first cell (median, this machine, now):")
    for what, seconds in breakdown(work, args.repeat):
        print(f"  {what:<96} {seconds:6.3f} s", flush=True)
    print(f"  ({confinement().describe(Limits())})\n")

    timings = {}
    for label, workers in (("nbgrader autograde, sequential", None), ("ours, 1 worker", 1), ("ours, 2 workers", 2)):
        run = course(work / label.replace(" ", "_").replace(",", ""), args.assignments, workers)
        inbox = run.root / "inbox"
        for student, assignment_id, notebook in synthetic(run.release_directory, args.students):
            samples.write_submission(notebook, inbox, student, assignment_id)
        run.collect(inbox)
        start = time.perf_counter()
        if workers is None:
            for assignment_id in args.assignments:
                run.nbgrader_autograde(assignment_id)
        else:
            results = run.autograde(progress=False)
        timings[label] = time.perf_counter() - start
        print(
            f"{label:<32} {timings[label]:7.1f} s  ({timings[label] / args.students:.2f} s per submission)", flush=True
        )
        if workers == 1:  # grading time of one submission, kernel included, by assignment
            for assignment_id in args.assignments:
                seconds = [r.seconds for r in results if r.assignment == assignment_id]
                if seconds:
                    print(f"  {assignment_id:<30} {statistics.mean(seconds):5.2f} s per submission")

    reference = timings["nbgrader autograde, sequential"]
    for label, goal in GOALS.items():
        print(f"speed-up of {label}: {reference / timings[label]:.2f}x over plain nbgrader (goal: {goal}x)")
    return timings


if __name__ == "__main__":
    main()
