"""Benchmark: plain sequential `nbgrader autograde` against autograder/parallel.py, same run.

    python -m autograder.bench [--students 50] [--assignments forget_gate gru ...]

Builds N synthetic submissions spread over every assignment of course/assignments.toml (a mix
of right, partly blank and blank notebooks), grades the same files three times in fresh
temporary courses, and prints seconds and ratios. It prints; it asserts nothing.
"""
import argparse
import copy
import tempfile
import time
from pathlib import Path

from . import samples
from .course import assignments
from .pipeline import CourseRun


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--assignments", nargs="+", default=[a.id for a in assignments()],
                        help="only these assignments (default: the whole course)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="lstm-bench-"))

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
            run.autograde(progress=False)
        timings[label] = time.perf_counter() - start
        print(f"{label:<32} {timings[label]:7.1f} s  ({timings[label] / args.students:.2f} s per submission)", flush=True)

    reference = timings["nbgrader autograde, sequential"]
    for label in ("ours, 1 worker", "ours, 2 workers"):
        print(f"speed-up of {label}: {reference / timings[label]:.2f}x over plain nbgrader")
    return timings


if __name__ == "__main__":
    main()
