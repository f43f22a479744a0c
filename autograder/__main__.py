"""The instructor's command line.

    python -m autograder release [ASSIGNMENT ...]       assignments/<a>/ -> notebooks/<a>/ (what students get)
    python -m autograder show ASSIGNMENT [--source]     the student version of its notebook, as text
    python -m autograder measure [ASSIGNMENT ...]       PyTorch's measurements -> assignments/<a>/measured.json
    python -m autograder bundle [ASSIGNMENT ...]        notebooks/<a>/ -> COURSE_DIR/bundles/<a>.zip (LMS, e-mail)
    python -m autograder autograde SUBMISSIONS [-a A]    SUBMISSIONS/<student>/<assignment>/*.ipynb or .zip;
                                                         --workers N (default: cores), resumable
    python -m autograder feedback [ASSIGNMENT ...]       course/feedback/<student>/<assignment>/*.html
    python -m autograder report [--csv grades.csv]       grades.csv, per-question statistics, grades.png
    python -m autograder docs                            course/errata.md and course/syllabus.md (built pages)
    python -m autograder demo                            all of the above on sample submissions
    python -m autograder setup-cgroups --user NAME       root, once: let NAME confine students (cgroups)

Every command takes, before or after its name: --course-dir (default: course/) for the runtime
folders, --db URL for the gradebook (any SQLAlchemy URL; default: COURSE_DIR/gradebook.db),
--release-dir, --timeout, --workers, --memory; autograde also --scheduler tcp://HOST:8786 (Dask).
"""

import argparse
import sys
import time
from pathlib import Path

from .course import COURSE, NOTEBOOKS, REPOSITORY, assignment, assignments
from .sandbox import Unconfined, cgroups, confinement

# nbgrader and the rest of the grader are imported by the commands that use them: setup-cgroups
# (root, once) needs none of it.


def _assignment_ids(requested):
    return requested or [a.id for a in assignments()]


def cmd_release(args, course):
    for assignment_id in _assignment_ids(args.assignments):
        course.release(assignment_id)
        print(f"released {assignment_id} -> {course.release_directory / assignment_id}")


def cmd_show(args, course):
    """Print the student version of an assignment's notebook (or its source) as plain text: what
    the release will show, for reading and for diffs in review (nothing is released)."""
    import nbformat

    from .release import as_text, student_view

    source = assignment(args.assignment).source_notebooks[0]
    notebook = nbformat.read(source, as_version=4) if args.source else student_view(args.assignment)
    sys.stdout.write(as_text(notebook))


def cmd_measure(args, course):
    """Take the assignments' PyTorch measurements and keep them in their measured.json; with
    --check, measure again and say where the kept data disagree (exit 1), writing nothing."""
    from .measure import differences, measure

    disagree = False
    for assignment_id in _assignment_ids(args.assignments):
        measured = assignment(assignment_id).measured
        if measured is None:
            continue
        start = time.perf_counter()
        if args.check:
            found = differences(measured, measured.kept, measured.measure())
            disagree |= bool(found)
            print(
                f"{assignment_id}: "
                + (
                    "\n  ".join(["differs from the kept data:", *found])
                    if found
                    else f"agrees with {measured.path.relative_to(REPOSITORY)}"
                )
            )
        else:
            measure(assignment(assignment_id))
            print(
                f"measured {assignment_id} in {time.perf_counter() - start:.0f} s -> "
                f"{measured.path.relative_to(REPOSITORY)} (commit it)"
            )
    if disagree:
        sys.exit(1)


def cmd_bundle(args, course):
    from .release.bundle import bundle

    for assignment_id in _assignment_ids(args.assignments):
        try:
            path = bundle(course.release_directory / assignment_id, args.out or course.root / "bundles")
        except FileNotFoundError as error:
            raise SystemExit(str(error)) from None
        print(f"bundled {assignment_id} -> {path}")


def _autograde(course, submissions, only=None, retry_failed=False):
    from . import gradebook, intake

    ids = [a.id for a in assignments()]
    found = [item for item in intake.folders(course.root / "submitted", ids)]
    skipped = [item for item in found if isinstance(item, intake.Skipped)]
    if submissions is None:  # what `nbgrader collect` (or an earlier run) put in submitted/
        collected = [item[:2] for item in found if not isinstance(item, intake.Skipped)]
        refused, where = [], course.root / "submitted"
    else:
        taken = course.take_in(submissions)
        collected, refused, where = taken.collected, taken.refused, submissions
        skipped = taken.skipped + skipped
    if not collected and not refused:
        raise SystemExit(
            f"No submissions found as {where}/<student>/<assignment>/<notebook>.ipynb "
            "(or .zip files holding that layout)." + _not_read(skipped)
        )
    start = time.perf_counter()
    results = course.autograde(only, progress=True, retry_failed=retry_failed)
    print(
        f"graded {len(results)} submissions in {time.perf_counter() - start:.0f} s "
        f"({max(len(collected) - len(results), 0)} already graded, skipped"
        + (f"; {len(refused)} not read as handed in, see below" if refused else "")
        + ")"
    )
    lines = gradebook.summary(course)
    if lines:
        print("\nNot graded fully (each costs only that student; fix and run autograde again):")
        print("\n".join(lines))
    print(_not_read(skipped), end="")
    machine = confinement()
    if results and not machine.complete:
        print(f"\nWARNING (--unsafe-no-sandbox): {machine.describe(None)}")
    return results


def _not_read(skipped):
    """The entries of the inbox (and of submitted/) that are no submission, and why; clutter counted."""
    loud = [item for item in skipped if not item.quiet]
    quiet = len(skipped) - len(loud)
    text = ""
    if loud:
        text += "\nNot read (nothing in them was graded; rename or fix them and run autograde again):\n"
        text += "".join(
            f"  - {item.reason}\n" if item.reason.startswith(item.where) else f"  - {item.where}: {item.reason}\n"
            for item in loud
        )
    if quiet:
        text += (
            f"\n({quiet} other {'file was' if quiet == 1 else 'files were'} not read: the grader reads notebooks, "
            "timestamp.txt and the files an assignment asks for)\n"
        )
    return text


def cmd_autograde(args, course):
    _autograde(course, args.submissions, args.assignment, args.retry_failed)


def cmd_setup_cgroups(args, course):
    for line in cgroups.setup(args.user, args.parent):
        print(line)


def cmd_feedback(args, course):
    for assignment_id in _assignment_ids(args.assignments):
        result = course.feedback(assignment_id)
        if result.returncode == 0:
            print(f"feedback for {assignment_id} in {course.root / 'feedback'}")
        else:
            errors = [line for line in result.stderr.splitlines() if "ERROR" in line] or result.stderr.splitlines()[-1:]
            print(f"no feedback for {assignment_id} (nbgrader exit {result.returncode}): {' '.join(errors)[-500:]}")


def cmd_report(args, course, notes=None):
    from . import report

    rows = report.grade_rows(course.db_url, [a.id for a in assignments()])
    path = report.write_csv(rows, args.csv or course.root / "grades.csv")
    print(report.table(rows, notes))
    print("\n" + report.stats_table(report.question_stats(rows)))
    figure = report.figure(rows, course.root / "grades.png")
    print(f"\nwrote {path} and {figure}")
    return rows


def cmd_docs(args, course):
    from . import docs

    for path in docs.write_pages():
        print(f"wrote {path}")


def cmd_demo(args, course):
    """Release, grade six sample students, write feedback and print the grade table."""
    from . import samples

    if course.timeout is None:
        course.timeout = 5  # one sample loops forever; 30 s per cell would only make the demo slow
    course.release("forget_gate")
    print(f"released forget_gate -> {course.release_directory / 'forget_gate'}")
    inbox = course.root / "demo_submissions"
    notes = {}
    for student, what, notebook in samples.demo_submissions(course.release_directory):
        samples.write_submission(notebook, inbox, student, "forget_gate")
        notes[student] = what
    _autograde(course, inbox)
    course.feedback("forget_gate")
    print(f"feedback HTML (hidden tests removed) in {course.root / 'feedback'}\n")
    cmd_report(args, course, notes)


def _course_options(parser, defaults=True):
    """The options every command takes. Given after the command's name they win; so that a
    subcommand does not reset one given before it, there they default to nothing (SUPPRESS)."""

    def default(value):
        return value if defaults else argparse.SUPPRESS

    parser.add_argument(
        "--course-dir",
        type=Path,
        default=default(COURSE),
        help="runtime folder for submitted/, autograded/, feedback/ (default: course/)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default(None),
        help="the gradebook, any SQLAlchemy URL, e.g. postgresql://grader@dbhost/lstm "
        "(default: sqlite:///COURSE_DIR/gradebook.db)",
    )
    parser.add_argument(
        "--release-dir",
        type=Path,
        default=default(NOTEBOOKS),
        help="where the student notebooks are released (default: notebooks/)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=default(None),
        help="seconds a cell may run before it is interrupted and scores zero (default 30)",
    )
    parser.add_argument(
        "--workers", type=int, default=default(None), help="parallel graders on this machine (default: one per core)"
    )
    parser.add_argument("--memory", type=int, default=default(2048), help="MB of memory per student kernel")


def parser():
    """The command line: the course options, then one command with its own arguments."""
    parser = argparse.ArgumentParser(
        prog="autograder", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _course_options(parser)
    course_options = argparse.ArgumentParser(add_help=False)
    _course_options(course_options, defaults=False)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, function, help_text):
        sub = commands.add_parser(name, help=help_text, parents=[course_options])
        sub.set_defaults(run=function)
        return sub

    command("release", cmd_release, "generate the student notebooks with nbgrader").add_argument(
        "assignments", nargs="*"
    )

    show = command("show", cmd_show, "print the student version of an assignment's notebook as text")
    show.add_argument("assignment")
    show.add_argument(
        "--source", action="store_true", help="the instructor's notebook instead (solutions, hidden tests)"
    )

    measure = command("measure", cmd_measure, "take PyTorch's measurements the notebooks quote (commit them)")
    measure.add_argument("assignments", nargs="*")
    measure.add_argument("--check", action="store_true", help="measure again and compare with the kept data")

    autograde = command("autograde", cmd_autograde, "autograde a folder of submissions")
    autograde.add_argument(
        "submissions",
        type=Path,
        nargs="?",
        help="folder of <student>/<assignment>/*.ipynb or .zip files (default: what "
        "`nbgrader collect` put in COURSE_DIR/submitted)",
    )
    autograde.add_argument("-a", "--assignment", help="only this assignment")
    autograde.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on a Dask cluster, e.g. tcp://10.0.0.5:8786 (default: on this machine)",
    )
    autograde.add_argument(
        "--retry-failed",
        action="store_true",
        help="grade again the submissions the grader failed on twice in an earlier run",
    )
    autograde.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade even where the machine cannot confine students' code (trusted code only)",
    )

    bundle = command("bundle", cmd_bundle, "zip released assignments for an LMS or e-mail")
    bundle.add_argument("assignments", nargs="*")
    bundle.add_argument("--out", type=Path, help="where the zips go (default: COURSE_DIR/bundles)")

    setup_cgroups = command("setup-cgroups", cmd_setup_cgroups, "as root, once: let a user make per-student cgroups")
    setup_cgroups.add_argument("--user", required=True, help="the user who will run autograde")
    setup_cgroups.add_argument(
        "--parent", help="where in the cgroup hierarchy (default: cgroup v1 this shell's cgroup, cgroup v2 the top)"
    )

    command("feedback", cmd_feedback, "write feedback HTML without hidden tests").add_argument("assignments", nargs="*")
    command("docs", cmd_docs, "build course/errata.md and course/syllabus.md")
    for name, function, help_text in (
        ("report", cmd_report, "write grades.csv and print the grades"),
        ("demo", cmd_demo, "the whole pipeline on six sample students"),
    ):
        command(name, function, help_text).add_argument(
            "--csv", type=Path, help="where to write grades.csv (default: COURSE_DIR/grades.csv)"
        )
    return parser


def main(argv=None):
    args = parser().parse_args(argv)
    if args.run is cmd_setup_cgroups:
        return cmd_setup_cgroups(args, None)
    from .pipeline import CourseRun, PipelineError

    course = CourseRun(
        root=args.course_dir,
        release_directory=args.release_dir,
        timeout=args.timeout,
        workers=args.workers,
        memory_mb=args.memory,
        db_url=args.db,
        scheduler=getattr(args, "scheduler", None),
        unsafe_no_sandbox=getattr(args, "unsafe_no_sandbox", False),
    )
    try:
        args.run(args, course)
    except (PipelineError, Unconfined) as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
