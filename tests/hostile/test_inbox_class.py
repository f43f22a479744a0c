"""A mixed inbox of right answers and every hostile input of tests/hostile/inbox.py, graded in
one batch by the real `autograde` command line, after an earlier run that graded other students.

Asserted: the batch completes; nothing is lost (the course folder, the gradebook, the earlier
students' graded notebooks and grades) and nothing is written outside the course folder; every
honest student keeps full marks; each hostile input is graded, rejected with its reason naming
the file, or refused (not a student id) and listed; no terminal escape reaches the screen and no
formula reaches grades.csv; every process of the grader stays under GRADER_MB of memory; a rerun
grades nobody again.
"""

import csv
import hashlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import graded_cells, grader_command, release
from sqlalchemy import create_engine, text

from autograder import gradebook, intake, report, samples
from autograder.course import assignment
from autograder.pipeline import CourseRun
from hostile import inbox as hostile

pytestmark = pytest.mark.slow

# Every process of the grader (the command, its workers, and the child that measures a handed-in
# model) stays under this resident size. Measured here grading right answers: the command 140 MB,
# a worker 120 MB, a child measuring the assignment's model 75 MB; the largest model the course
# accepts (256 units) takes a child 550 MB. Before these limits one 785-byte member took a
# worker past 1 GiB, and 8 million empty records several.
GRADER_MB = 600
RUN_SECONDS = 900  # the whole batch; a grader that hangs on a file fails here


class PeakMemory:
    """Peak resident memory (VmHWM) of a process and its descendants, sampled from /proc, leaving
    out the students' kernels (everything under bubblewrap: their memory is the cgroup's business)."""

    def __init__(self, root):
        self.root, self.peaks = root, {}

    def sample(self):
        children = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            comm, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append((int(entry), comm))
        todo = [self.root]
        while todo:
            pid = todo.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120].decode(errors="replace")
            except OSError:
                continue
            peak = re.search(r"VmHWM:\s+(\d+) kB", status)
            if peak:
                kb = int(peak.group(1))
                self.peaks[pid] = max(self.peaks.get(pid, (0, ""))[0], kb), command
            todo += [child for child, comm in children.get(pid, []) if comm != "bwrap"]

    def worst(self):
        return max(self.peaks.values(), default=(0, ""))


def autograder(course, *arguments, timeout=RUN_SECONDS):
    """Run `python -m autograder ...` as an instructor would (stdin left open: a grader that reads
    it waits); return (exit code, stdout, stderr, PeakMemory)."""
    command = grader_command(course, *arguments, timeout=10, workers=2)
    out_path, err_path = course.root.parent / "cli.out", course.root.parent / "cli.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err, start_new_session=True)
        memory, deadline = PeakMemory(process.pid), time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            memory.sample()
            time.sleep(0.05)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stdin.close()
    return (
        process.returncode,
        out_path.read_bytes().decode(errors="replace"),
        err_path.read_bytes().decode(errors="replace"),
        memory,
    )


def tree_digest(folder):
    """{relative path: SHA-256} of every file under folder (links as their target's text)."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = "link:" + os.readlink(path)
        elif path.is_file():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def gradebook_rows(course):
    with create_engine(course.db_url).connect() as db:
        return sorted(
            map(
                tuple,
                db.execute(
                    text("SELECT student, assignment, digest, status, reasons, graded_at FROM lstm_grading")
                ).all(),
            )
        )


def fix_three(inbox, release):
    """What an instructor does after reading the summary: three rejected students hand in again."""
    right = hostile.notebook_bytes(samples.solved(hostile.FORGET_GATE_ID, release))
    (inbox / "ts_nines" / "forget_gate" / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")
    (inbox / "link_solution" / "forget_gate" / "forget_gate.ipynb").unlink()
    (inbox / "link_solution" / "forget_gate" / "forget_gate.ipynb").write_bytes(right)
    hostile.zip_of(inbox / "zip_bomb.zip", {"zip_bomb/forget_gate/forget_gate.ipynb": right})
    return ["link_solution", "ts_nines", "zip_bomb"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    top = tmp_path_factory.mktemp("intake")
    course = CourseRun(root=top / "course", release_directory=top / "release", timeout=10, workers=2)
    release(course, hostile.FORGET_GATE_ID, hostile.BPTT)
    world = hostile.World(course.release_directory, course.root, top / "host")
    hostile.host_files(world)

    # An earlier run: graded students, and an archive unzipped (a `...zip` used to take the
    # course folder with it from there).
    early = top / "early"
    right = samples.solved(hostile.FORGET_GATE_ID, course.release_directory)
    samples.write_submission(right, early, "early_a", hostile.FORGET_GATE_ID)
    samples.write_submission(
        samples.solved(hostile.BPTT, course.release_directory),
        early,
        "early_bptt",
        hostile.BPTT,
        samples.solution_files(hostile.BPTT),
    )
    hostile.zip_of(early / "early_zip.zip", {"early_zip/forget_gate/forget_gate.ipynb": hostile.notebook_bytes(right)})
    first = autograder(course, "autograde", str(early))
    (course.root / "instructor_notes.txt").write_text("the course folder must outlive every submission\n")
    before = {
        "course": tree_digest(course.root / "autograded"),
        "release": tree_digest(course.release_directory),
        "host": tree_digest(world.host),
        "grades": gradebook_rows(course),
        "assignments": tree_digest(hostile.REPOSITORY / "assignments"),
    }

    inbox = top / "inbox"
    inbox.mkdir()
    cases = hostile.cases(world) + hostile.submitted_cases(world)
    for case in cases:
        case.write(inbox)
    hostile_run = autograder(course, "autograde", str(inbox))
    csv_path = top / "grades.csv"
    report_run = autograder(course, "report", "--csv", str(csv_path))
    after_grades = gradebook_rows(course)
    rerun = autograder(course, "autograde", str(inbox))
    rows_before_fixes = report.grade_rows(course.db_url, [hostile.FORGET_GATE_ID, hostile.BPTT])
    graded = dict(done=gradebook.done(course), summary=gradebook.summary(course), rerun_grades=gradebook_rows(course))
    fixed = fix_three(inbox, course.release_directory)
    fixes_run = autograder(course, "autograde", str(inbox))
    return dict(
        course=course,
        top=top,
        world=world,
        cases=cases,
        before=before,
        first=first,
        hostile=hostile_run,
        report=report_run,
        rerun=rerun,
        csv=csv_path,
        after=after_grades,
        fixes=fixes_run,
        fixed=fixed,
        rows_before_fixes=rows_before_fixes,
        **graded,
        rows={(row["student"], row["assignment"]): row for row in rows_before_fixes},
    )


def test_every_run_completes(run):
    for name in ("first", "hostile", "report", "rerun", "fixes"):
        code, out, err, _ = run[name]
        assert code == 0, f"`autograder` ({name} run) exited {code}:\n{out[-3000:]}\n{err[-3000:]}"


def test_nothing_is_lost(run):
    course, before = run["course"], run["before"]
    assert (course.root / "instructor_notes.txt").read_text().startswith("the course folder")
    with create_engine(course.db_url).connect() as db:
        assert db.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    earlier = {row for row in before["grades"]}
    assert earlier <= set(run["after"]), "an earlier student's grade changed or disappeared"
    now = tree_digest(course.root / "autograded")
    assert {k: v for k, v in now.items() if k in before["course"]} == before["course"], "a graded notebook changed"
    assert tree_digest(course.release_directory) == before["release"]
    assert tree_digest(run["world"].host) == before["host"]
    assert tree_digest(hostile.REPOSITORY / "assignments") == before["assignments"]


def test_nothing_is_written_outside_the_course_folder(run):
    top = run["top"]
    for folder in (top, Path("/tmp"), Path(os.path.expanduser("~"))):
        outside = (
            [p for p in folder.glob(f"**/*{hostile.ESCAPE}*") if "inbox" not in p.parts]
            if folder == top
            else list(folder.glob(f"*{hostile.ESCAPE}*"))
        )
        assert not outside, f"files an archive named were written: {outside}"
    leaked = [
        p
        for p in run["course"].root.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and p.stat().st_size < 50 * 2**20
        and hostile.TOKEN.encode() in p.read_bytes()
    ]
    assert not leaked, f"the instructor's files reached the course folder through a link: {leaked}"


def test_every_honest_student_keeps_full_marks(run):
    honest = [c for c in run["cases"] if c.outcome == "graded" and not c.zero] + [
        hostile.Case("early_a", "", None, "graded"),
        hostile.Case("early_bptt", "", None, "graded", assignment=hostile.BPTT),
        hostile.Case("early_zip", "", None, "graded"),
    ]
    for case in honest:
        row = run["rows"].get((case.name, case.assignment))
        assert row is not None and row["score"] == assignment(case.assignment).points, (
            f"{case.name} ({case.what}) did not keep full marks: {row}"
        )


def summary_block(lines, student, assignment_id):
    block = []
    for line in lines:
        if line.startswith(f"{student} / {assignment_id}"):
            block = [line]
        elif block and line.startswith("  - "):
            block.append(line)
        elif block:
            break
    return "\n".join(block)


def test_each_case_meets_its_outcome(run):
    """One message per case that went wrong, so that a single run shows them all."""
    done, lines = run["done"], run["summary"]
    printed = run["hostile"][1] + run["hostile"][2]
    wrong = []
    for case in run["cases"]:
        row = run["rows"].get((case.name, case.assignment))
        status = done.get((case.name, case.assignment), (None, None))[1]
        if case.outcome == "graded":
            if status != "graded":
                wrong.append(f"{case.name!r} ({case.what}): {status}, not graded")
                continue
            cells = graded_cells(case.assignment)
            bad = [g for g in case.zero if row[g] != 0] + [
                g for g in cells if g not in case.zero and row[g] != cells[g]
            ]
            if bad:
                wrong.append(f"{case.name!r} ({case.what}): wrong score on {bad}")
            if case.reason and case.reason not in summary_block(lines, case.name, case.assignment):
                wrong.append(f"{case.name!r} ({case.what}): the summary does not say {case.reason!r}")
        elif case.outcome == "rejected":
            block = summary_block(lines, case.name, case.assignment)
            if status != "rejected" or row is None or row["score"] is not None:
                wrong.append(f"{case.name!r} ({case.what}): {status}, not rejected")
            elif case.reason not in block or case.file not in block:
                wrong.append(
                    f"{case.name!r} ({case.what}): the reason lacks {case.reason!r} or {case.file!r}:\n{block}"
                )
        else:  # refused: never a student of the gradebook, listed with the reason
            fragment = max(re.findall(r"[A-Za-z0-9_]+", case.file), key=len)[:40]
            if any(student == case.name for student, _ in done):
                wrong.append(f"{case.name!r} ({case.what}) reached the gradebook")
            elif not any(case.reason in line and fragment in line for line in printed.splitlines()):
                wrong.append(f"{case.name!r} ({case.what}): autograde did not list it with {case.reason!r}")
    assert not wrong, "\n".join(wrong)


def test_no_name_that_is_no_student_id_becomes_a_folder_of_the_course(run):
    placed = {case.name for case in hostile.submitted_cases(run["world"])}  # put in submitted/ by the test
    for folder in ("submitted", "autograded"):
        for entry in (run["course"].root / folder).iterdir():
            assert entry.name in placed or intake.names.STUDENT_ID.fullmatch(entry.name), f"{folder}/{entry.name!r}"


def test_no_terminal_escape_reaches_the_screen(run):
    for name in ("hostile", "report", "rerun", "fixes"):
        _, out, err, _ = run[name]
        for control in ("\x1b", "\x07", "\x9b", "\u202e", "evil\nname"):
            assert control not in out + err, f"{control!r} reached the terminal ({name} run)"


def test_no_formula_reaches_grades_csv(run):
    with open(run["csv"], newline="") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert cells and not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_graders_memory_stays_bounded(run):
    for name in ("first", "hostile", "rerun"):
        kb, command = run[name][3].worst()
        print(f"{name} run: the largest grader process peaked at {kb // 1024} MB ({command})")
        assert 0 < kb < GRADER_MB * 1024, f"a grader process reached {kb // 1024} MB ({name} run): {command}"


def test_a_rerun_grades_nobody_again(run):
    _, out, _, _ = run["rerun"]
    assert re.search(r"graded 0 submissions", out), out[-2000:]
    assert run["rerun_grades"] == run["after"]


def test_a_rejected_student_who_hands_in_again_is_graded_and_nobody_else(run):
    _, out, _, _ = run["fixes"]
    assert re.search(r"graded 3 submissions", out), out[-2000:]
    now = {
        (row["student"], row["assignment"]): row
        for row in report.grade_rows(run["course"].db_url, [hostile.FORGET_GATE_ID, hostile.BPTT])
    }
    full = assignment(hostile.FORGET_GATE_ID).points
    for student in run["fixed"]:
        assert now[(student, hostile.FORGET_GATE_ID)]["score"] == full, student
    before = {(row["student"], row["assignment"]): row for row in run["rows_before_fixes"]}
    assert {key: row for key, row in now.items() if key[0] not in run["fixed"]} == {
        key: row for key, row in before.items() if key[0] not in run["fixed"]
    }
