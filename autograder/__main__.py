"""The instructor's command line.

    python -m autograder release [ASSIGNMENT ...]       assignments/<a>/ -> notebooks/<a>/ (what students get)
    python -m autograder show ASSIGNMENT [--source]     the student version of its notebook, as text
    python -m autograder measure [ASSIGNMENT ...]       PyTorch's measurements -> assignments/<a>/measured.json
    python -m autograder bundle [ASSIGNMENT ...]        notebooks/<a>/ -> COURSE_DIR/bundles/<a>.zip (LMS, e-mail)
    python -m autograder autograde SUBMISSIONS [-a A]    SUBMISSIONS/<student>/<assignment>/*.ipynb or .zip;
                                                         --workers N (default: cores), resumable
    python -m autograder feedback [ASSIGNMENT ...]       course/feedback/<student>/<assignment>/*.html
    python -m autograder report [--csv F] [--names]      grades.csv, per-question statistics, grades.png, and
                                                         what the class got wrong: report/index.html, mistakes.csv
    python -m autograder docs                            course/errata.md and course/syllabus.md (built pages)
    python -m autograder demo                            all of the above on sample submissions, in course/demo/
    python -m autograder setup-cgroups --user NAME       root, once: let NAME confine students (cgroups)

Every command takes, before or after its name: --course-dir (default: course/) for the runtime
folders, --db URL for the gradebook (any SQLAlchemy URL; default: COURSE_DIR/gradebook.db),
--release-dir, --timeout, --workers, --memory; autograde also --scheduler tcp://HOST:8786 (Dask).
"""

import argparse
import sys
import time
from pathlib import Path

from .course import COURSE, NOTEBOOKS, REPOSITORY, assignment, assignments, check_assignment_ids
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
    """Take in the inbox (or submitted/), grade what is new, and print what could not be graded
    fully and every entry of the inbox that was not read, with why. Returns this run's Results."""
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
        raise SystemExit(_nothing_to_grade(where, skipped))
    wanted = [pair for pair in collected if only is None or pair[1] == only]
    others = len(collected) - len(wanted)
    if only is not None and not wanted:
        print(f"nobody has handed in {only} yet")
    start = time.perf_counter()
    results = course.autograde(only, progress=True, retry_failed=retry_failed)
    print(
        f"graded {len(results)} submission{'' if len(results) == 1 else 's'} in {time.perf_counter() - start:.0f} s "
        f"({max(len(wanted) - len(results), 0)} already graded, skipped"
        + (f"; {others} of other assignments left for a run without -a" if others else "")
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


LISTED_QUIET = 3  # examples of the files not read as expected (a kit's copy, .DS_Store)


def _not_read(skipped):
    """The entries of the inbox (and of submitted/) that are no submission, and why; the expected
    clutter counted, with a few of its names."""
    loud = [item for item in skipped if not item.quiet]
    quiet = [item for item in skipped if item.quiet]
    text = ""
    if loud:
        text += "\nNot read (nothing in them was graded; rename or fix them and run autograde again):\n"
        text += "".join(
            f"  - {item.reason}\n" if item.reason.startswith(item.where) else f"  - {item.where}: {item.reason}\n"
            for item in loud
        )
    if quiet:
        examples = ", ".join(item.where for item in quiet[:LISTED_QUIET]) + (
            ", ..." if len(quiet) > LISTED_QUIET else ""
        )
        text += (
            f"\n({len(quiet)} other {'entry was' if len(quiet) == 1 else 'entries were'} not read, as expected: "
            f"the grader reads notebooks, timestamp.txt and the files an assignment asks for: {examples})\n"
        )
    return text


def _nothing_to_grade(where, skipped):
    """Why an inbox gave nothing to grade: the layout expected, and what it holds instead."""
    expected = (
        f"{where}/<student>/<assignment>/<notebook>.ipynb (or <assignment>.zip holding <student>/ folders, "
        "or <student>.zip holding <assignment>/ folders)"
    )
    if not skipped:
        return f"Nothing to grade: {where} holds no submission. Submissions are {expected}."
    return f"Nothing to grade in {where}: submissions are {expected}. What it holds instead:" + _not_read(skipped)


def cmd_autograde(args, course):
    results = _autograde(course, args.submissions, args.assignment, args.retry_failed)
    failed = [result for result in results if result.status == "failed"]
    if failed:
        sys.exit(
            f"\nThe grader failed on {len(failed)} submission{'s' if len(failed) > 1 else ''} (listed above, "
            "NOT GRADED): fix the cause, then run `autograde --retry-failed`."
        )


def cmd_setup_cgroups(args, course):
    for line in cgroups.setup(args.user, args.parent):
        print(line)


def cmd_feedback(args, course):
    """Feedback for every assignment someone has been graded in; says plainly of each other one
    why there is none. Exits 1 if nbgrader failed on any."""
    from . import gradebook, intake

    failed = []
    graded = gradebook.graded_students(course)  # {released assignment: [graded students]}
    for assignment_id in _assignment_ids(args.assignments):
        students = graded.get(assignment_id, [])
        if assignment_id not in graded:
            print(
                f"no feedback for {assignment_id}: it is not released (`python -m autograder release {assignment_id}`)"
            )
        elif not students:
            waiting = [
                item
                for item in intake.folders(course.root / "submitted", [assignment_id])
                if not isinstance(item, intake.Skipped)
            ]
            print(
                f"no feedback for {assignment_id}: "
                + (
                    f"{len(waiting)} handed in, none graded yet (run `python -m autograder autograde` first)"
                    if waiting
                    else f"nobody has handed in {assignment_id} yet"
                )
            )
        else:
            result = course.feedback(assignment_id)
            if result.returncode == 0:
                print(f"feedback for {assignment_id} ({len(students)} students) in {course.root / 'feedback'}")
            else:
                failed.append(assignment_id)
                errors = [line for line in result.stderr.splitlines() if "ERROR" in line] or result.stderr.splitlines()[
                    -1:
                ]
                print(
                    f"FAILED: feedback for {assignment_id} (nbgrader exit {result.returncode}): "
                    f"{' '.join(errors)[-500:]}"
                )
    if failed:
        sys.exit(f"\nnbgrader could not write the feedback of {', '.join(failed)} (see above).")


def cmd_report(args, course, notes=None):
    """grades.csv and the grade tables; then what the class got wrong: per question, the named
    mistakes with counts (report/mistakes.csv, report/<assignment>.png, report/index.html)."""
    from . import class_report, report

    ids = [a.id for a in assignments()]
    if not _gradebook_exists(course.db_url):  # opening it would make an empty one
        raise SystemExit(
            f"Nothing to report: there is no gradebook at {course.db_url} (nothing written). Release and grade "
            "first, or give the course's --course-dir/--db."
        )
    rows = report.grade_rows(course.db_url, ids)
    if all(row["score"] is None for row in rows):  # empty tables and figures would say nothing
        raise SystemExit(
            f"Nothing to report: nobody is graded in {course.db_url} yet (nothing written). Grade first: "
            "`python -m autograder autograde SUBMISSIONS` (or --course-dir/--db, if the course is kept elsewhere)."
        )
    points = report.question_points(course.db_url, ids)
    path = report.write_csv(rows, args.csv or course.root / "grades.csv")
    print(report.table(rows, notes))
    print("\n" + report.stats_table(report.question_stats(rows, points)))
    figure = report.figure(rows, points, course.root / "grades.png")
    wrong = class_report.gather(course.db_url, ids, names=getattr(args, "names", False))
    print("\n" + class_report.text(wrong))
    written = class_report.write(wrong, course.root / "report", grades_png=figure)
    print(f"\nwrote {path}, {figure}\nand {', '.join(str(p) for p in written)}")
    return rows


def _gradebook_exists(db_url):
    """False for an SQLite gradebook whose file is not there; a server's database is assumed to be."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    return not url.get_backend_name() == "sqlite" or (
        url.database not in (None, "", ":memory:") and Path(url.database).exists()
    )


def cmd_docs(args, course):
    from . import docs

    for path in docs.write_pages():
        print(f"wrote {path}")


def cmd_demo(args, course):
    """Release, grade six sample students, write feedback and print the report, all in a course
    folder of the demo's own (course/demo/ unless --course-dir names another): never in a course."""
    from . import samples

    if course.timeout is None:
        course.timeout = 5  # one sample loops forever; 30 s per cell would only make the demo slow
    print(f"the demo's course folder: {course.root} (its own gradebook: {course.db_url})")
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
    print(
        f"\nThe demo's report again, or formgrader: `python -m autograder --course-dir {course.root} report`, "
        f"`cd {course.root} && jupyter lab`"
    )


DEMO_MARK = ".lstm-demo"  # in the demo's course folder: the demo may write there again


def demo_folders(args):
    """(course folder, release folder) of the demo: course/demo/ and its release/ unless given.
    SystemExit if that folder holds anything but an earlier demo (a course is never touched), or
    with --db (the demo keeps its own gradebook)."""
    root = COURSE / "demo" if Path(args.course_dir).resolve() == COURSE else Path(args.course_dir).resolve()
    release = root / "release" if Path(args.release_dir).resolve() == NOTEBOOKS else Path(args.release_dir)
    if args.db is not None:
        raise SystemExit("The demo keeps its own gradebook in its course folder: leave out --db.")
    if root.exists() and any(root.iterdir()) and not (root / DEMO_MARK).exists():
        raise SystemExit(
            f"{root} holds files that are not the demo's: the demo writes only into a folder of its own. "
            "Give it a new folder (--course-dir), or leave out --course-dir (course/demo/)."
        )
    root.mkdir(parents=True, exist_ok=True)
    (root / DEMO_MARK).write_text("The demo's course folder (python -m autograder demo): delete it when done.\n")
    return root, release


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
        ("report", cmd_report, "grades.csv, the grades, and what the class got wrong (COURSE_DIR/report/)"),
        ("demo", cmd_demo, "the whole pipeline on six sample students, in a course folder of its own"),
    ):
        sub = command(name, function, help_text)
        sub.add_argument("--csv", type=Path, help="where to write grades.csv (default: COURSE_DIR/grades.csv)")
        if name == "report":
            sub.add_argument(
                "--names",
                action="store_true",
                help="name the students in report/index.html and report/mistakes.csv (default: anonymised)",
            )
    return parser


def main(argv=None):
    args = parser().parse_args(argv)
    if args.run is cmd_setup_cgroups:
        return cmd_setup_cgroups(args, None)
    for name in [*(getattr(args, "assignments", None) or []), getattr(args, "assignment", None)]:
        if name is not None:  # a typo is refused before anything is written
            check_assignment_ids([name])
    if args.run is cmd_demo:
        args.course_dir, args.release_dir = demo_folders(args)
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
