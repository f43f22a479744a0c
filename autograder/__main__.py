"""The instructor's command line.

    python -m autograder release [ASSIGNMENT ...]       solutions/ -> notebooks/
    python -m autograder autograde SUBMISSIONS [-a A]    SUBMISSIONS/<student>/<assignment>/*.ipynb or .zip;
                                                         --workers N (default: cores), resumable
    python -m autograder feedback [ASSIGNMENT ...]       course/feedback/<student>/<assignment>/*.html
    python -m autograder report [--csv grades.csv]       grades.csv, per-question statistics, grades.png
    python -m autograder docs                            course/errata.md and course/syllabus.md
    python -m autograder demo                            all of the above on sample submissions
    python -m autograder setup-cgroups --user NAME       root, once: let NAME confine students (cgroups)

Every command takes --course-dir (default: course/) for the runtime folders and gradebook.
"""
import argparse
import sys
import time
from pathlib import Path

from . import docs, gradebook, report, samples
from .course import COURSE, NOTEBOOKS, assignments
from .pipeline import CourseRun, PipelineError
from .sandbox import Unconfined, cgroups, confinement


def _assignment_ids(requested):
    return requested or [a.id for a in assignments()]


def cmd_release(args, course):
    for assignment_id in _assignment_ids(args.assignments):
        course.release(assignment_id)
        print(f"released {assignment_id} -> {course.release_directory / assignment_id}")


def _autograde(course, submissions, only=None):
    collected = course.collect(submissions)
    if not collected:
        raise SystemExit(f"No submissions found as {submissions}/<student>/<assignment>/<notebook>.ipynb "
                         "(or .zip files holding that layout).")
    start = time.perf_counter()
    results = course.autograde(only, progress=True)
    print(f"graded {len(results)} submissions in {time.perf_counter() - start:.0f} s "
          f"({len(collected) - len(results)} already graded, skipped)")
    failed = [r for r in results if r.status == "failed"]
    lines = gradebook.summary(course)
    if lines:
        print("\nNot graded fully (each costs only that student; fix and run autograde again):")
        print("\n".join(lines))
    for result in failed:
        print(f"\n{result.student} / {result.assignment}: {result.reasons[0]}")
    machine = confinement()
    if results and not machine.complete:
        print(f"\nWARNING (--unsafe-no-sandbox): {machine.describe(None)}")
    return results


def cmd_autograde(args, course):
    _autograde(course, args.submissions, args.assignment)


def cmd_setup_cgroups(args, course):
    for folder in cgroups.setup(args.user, args.parent):
        print(f"{folder}: {args.user} may create students' cgroups here")


def cmd_feedback(args, course):
    for assignment_id in _assignment_ids(args.assignments):
        result = course.feedback(assignment_id)
        print(f"feedback for {assignment_id} in {course.root / 'feedback'} (nbgrader exit {result.returncode})")


def cmd_report(args, course, notes=None):
    rows = report.grade_rows(course.gradebook, [a.id for a in assignments()])
    path = report.write_csv(rows, args.csv or course.root / "grades.csv")
    print(report.table(rows, notes))
    print("\n" + report.stats_table(report.question_stats(rows)))
    figure = report.histogram(rows, course.root / "grades.png")
    print(f"\nwrote {path} and {figure}")
    return rows


def cmd_docs(args, course):
    for path in docs.write_pages():
        print(f"wrote {path}")


def cmd_demo(args, course):
    """Release, grade six sample students, write feedback and print the grade table."""
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course-dir", type=Path, default=COURSE,
                        help="runtime folder for submitted/, autograded/, feedback/ and gradebook.db")
    parser.add_argument("--release-dir", type=Path, default=NOTEBOOKS,
                        help="where the student notebooks are released (default: notebooks/)")
    parser.add_argument("--timeout", type=int, default=None,
                        help="seconds a cell may run before it is interrupted and scores zero (default 30)")
    parser.add_argument("--workers", type=int, default=None, help="parallel graders (default: one per core)")
    parser.add_argument("--memory", type=int, default=2048, help="MB of memory per student kernel")
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="generate the student notebooks with nbgrader")
    release.add_argument("assignments", nargs="*")
    release.set_defaults(run=cmd_release)

    autograde = commands.add_parser("autograde", help="autograde a folder of submissions")
    autograde.add_argument("submissions", type=Path, help="folder of <student>/<assignment>/*.ipynb")
    autograde.add_argument("-a", "--assignment", help="only this assignment")
    autograde.add_argument("--unsafe-no-sandbox", action="store_true",
                           help="grade even where the machine cannot confine students' code (trusted code only)")
    autograde.set_defaults(run=cmd_autograde)

    setup_cgroups = commands.add_parser("setup-cgroups", help="as root, once: let a user make per-student cgroups")
    setup_cgroups.add_argument("--user", required=True, help="the user who will run autograde")
    setup_cgroups.add_argument("--parent", help="where in each cgroup hierarchy (default: this shell's cgroup)")
    setup_cgroups.set_defaults(run=cmd_setup_cgroups)

    feedback = commands.add_parser("feedback", help="write feedback HTML without hidden tests")
    feedback.add_argument("assignments", nargs="*")
    feedback.set_defaults(run=cmd_feedback)

    commands.add_parser("docs", help="regenerate course/errata.md and course/syllabus.md").set_defaults(run=cmd_docs)

    for name, function, help_text in (("report", cmd_report, "write grades.csv and print the grades"),
                                      ("demo", cmd_demo, "the whole pipeline on six sample students")):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--csv", type=Path, help="where to write grades.csv (default: COURSE_DIR/grades.csv)")
        sub.set_defaults(run=function)

    args = parser.parse_args(argv)
    course = CourseRun(root=args.course_dir, release_directory=args.release_dir, timeout=args.timeout,
                       workers=args.workers, memory_mb=args.memory,
                       unsafe_no_sandbox=getattr(args, "unsafe_no_sandbox", False))
    try:
        args.run(args, course)
    except (PipelineError, Unconfined) as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
