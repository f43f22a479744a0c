"""The instructor's command line.

    python -m autograder release [ASSIGNMENT ...]       solutions/ -> notebooks/
    python -m autograder autograde SUBMISSIONS [-a A]    SUBMISSIONS/<student>/<assignment>/*.ipynb
    python -m autograder feedback [ASSIGNMENT ...]       course/feedback/<student>/<assignment>/*.html
    python -m autograder report [--csv grades.csv]       grades.csv and a table
    python -m autograder docs                            course/errata.md and course/syllabus.md
    python -m autograder demo                            all of the above on sample submissions

Every command takes --course-dir (default: course/) for the runtime folders and gradebook.
"""
import argparse
import sys
import time
from pathlib import Path

from . import docs, report, samples
from .course import COURSE, NOTEBOOKS, assignments
from .pipeline import CourseRun, PipelineError


def _assignment_ids(requested):
    return requested or [a.id for a in assignments()]


def cmd_release(args, course):
    for assignment_id in _assignment_ids(args.assignments):
        course.release(assignment_id)
        print(f"released {assignment_id} -> {course.release_directory / assignment_id}")


def _autograde(course, submissions, only=None):
    collected = course.collect(submissions)
    if not collected:
        raise SystemExit(f"No submissions found as {submissions}/<student>/<assignment>/<notebook>.ipynb.")
    problems = []
    for assignment_id in sorted({a for _, a in collected if only in (None, a)}):
        students = sorted(s for s, a in collected if a == assignment_id)
        print(f"autograding {assignment_id}: {len(students)} submissions ...", flush=True)
        start = time.perf_counter()
        result = course.autograde(assignment_id)
        print(f"  done in {time.perf_counter() - start:.0f} s")
        if result.returncode != 0:
            problems.append((assignment_id, result.stderr))
    for assignment_id, log in problems:
        errors = [line for line in log.splitlines() if "ERROR" in line]
        print(f"\nnbgrader could not grade some {assignment_id} notebooks:\n  " + "\n  ".join(errors[-10:]))
    return problems


def cmd_autograde(args, course):
    _autograde(course, args.submissions, args.assignment)


def cmd_feedback(args, course):
    for assignment_id in _assignment_ids(args.assignments):
        result = course.feedback(assignment_id)
        print(f"feedback for {assignment_id} in {course.root / 'feedback'} (nbgrader exit {result.returncode})")


def cmd_report(args, course, notes=None):
    rows = report.grade_rows(course.gradebook, [a.id for a in assignments()])
    path = report.write_csv(rows, args.csv or course.root / "grades.csv")
    print(report.table(rows, notes))
    print(f"\nwrote {path}")
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
                        help="seconds a cell may run before it is interrupted and scores zero")
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="generate the student notebooks with nbgrader")
    release.add_argument("assignments", nargs="*")
    release.set_defaults(run=cmd_release)

    autograde = commands.add_parser("autograde", help="autograde a folder of submissions")
    autograde.add_argument("submissions", type=Path, help="folder of <student>/<assignment>/*.ipynb")
    autograde.add_argument("-a", "--assignment", help="only this assignment")
    autograde.set_defaults(run=cmd_autograde)

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
    course = CourseRun(root=args.course_dir, release_directory=args.release_dir, timeout=args.timeout)
    try:
        args.run(args, course)
    except PipelineError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
