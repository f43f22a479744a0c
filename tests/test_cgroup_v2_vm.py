"""The grader on a cgroup v2 machine: Debian's kernel booted under qemu (tests/cgroup_vm.py), with
this machine's files. In one boot, with the real command line:
- delegated: an unprivileged user grades a small class in the subtree `setup-cgroups --user` gave it;
- container: root grades one of its students (four children holding memory) inside a container
  (a cgroup namespace of its own, at whose top its processes are, and its own cgroup2 mount:
  docker or podman --privileged);
- demo (only with LSTM_VM_DEMO=1: 22 more minutes of emulation, measured on a busy machine): root runs the
  README's first command's job on the machine itself.

What grading must show, each kind of limit once: four children holding memory stop at the
student's limit (container), forks at the task limit (delegated), the kernel's log naming the
student's cgroup for both, and their students' right answers keep their points; right answers
beside busy loops keep every point, and so do their neighbours' (delegated); no student's cgroup
and no student's process is left after; the first line of `autograde` names cgroup v2. Every
limit of a student's cgroup is written by the same code in both cases (autograder/sandbox/cgroups/v2.py
`Student`, before any process enters it; a write that fails fails the student), so the limit one
case shows holds in the other.

In the VM, jsonschema does not find rfc3987_syntax (which builds a grammar at import: 2 s here, 2
minutes under qemu's emulation); nothing the grader runs checks an IRI.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cgroup_vm
import nbformat
import pytest
import unprivileged
from conftest import graded_cells
from hostile import corpus

from autograder import report, samples
from autograder.course import assignment
from autograder.pipeline import CourseRun

pytestmark = [pytest.mark.slow, pytest.mark.vm]
IN_CI = os.environ.get("CI") == "true"
WITH_DEMO = os.environ.get("LSTM_VM_DEMO") == "1"
USER, UID = "lstm-vm-grader", 61234  # exists in the VM only
# Each case's class. Emulation runs Python about 35 times slower than this machine (a student
# graded there costs minutes), so the VM grades what each case must show and no more: the
# delegated case two students at once, one forking up to the task limit beside right answers with
# busy loops (starves_cpu, whose neighbour's right answers must keep their points too); the
# container, where root makes the subtree, one student held at its memory limit. The memory limit
# in the delegated case, and the task limit in the container, are written by the same code as in
# the other case, which proves them.
CLASSES = {
    "delegated": ("forks_to_the_limit", "starves_cpu"),
    "container": ("memory_in_children",),
}
# The task limit: one process forks until the kernel refuses, its children asleep (killed with the
# student's cgroup). The corpus's fork bomb, whose every child forks too and then formats a
# traceback of its own, holds the same 128 tasks at three times a right answer's CPU here (minutes
# under emulation); tests/test_class_grading.py grades it on this machine's cgroups.
FORKS = "import os, time\nwhile True:\n    if os.fork() == 0:\n        time.sleep(600)"
VM_TIMEOUT = 3000  # seconds
# Seconds per cell: emulation runs Python about 35 times slower than this machine (the import
# of nbgrader: 51 s against 1.5 s), and the grader's default of 30 s failed right cells there.
CELL_TIMEOUT = 120


def skip_or_fail(reason):
    """What this machine cannot do: skipped locally, a failure in CI (which must do it all)."""
    if IN_CI:
        pytest.fail(f"CI must run the cgroup v2 VM test: {reason}")
    pytest.skip(reason)


def _script(work, courses):
    """The VM's work, one grader after the other, each case's files in `work`. (At once they would
    not be faster where the machine's cores are busy, as in CI, and their zygotes, each importing
    numpy and matplotlib under emulation, missed their start time.)"""
    python, top = sys.executable, "/sys/fs/cgroup"
    environment = (
        f"PATH=/usr/bin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 MPLCONFIGDIR={work}/matplotlib "
        f"PYTHONPATH={work}/shadow"
    )

    def step(case, command):
        return (
            f"echo {case} start $(date +%s) >> {work}/times; {command} > {work}/{case}.out 2> {work}/{case}.err; "
            f"echo $? > {work}/{case}.status; echo {case} end $(date +%s) >> {work}/times"
        )

    def autograde(case):
        course = courses[case]
        return (
            f"env -i {environment} HOME={work}/{case} {python} -m autograder --course-dir {course.root} "
            f"--release-dir {course.release_directory} --memory {corpus.MEMORY_MB} --timeout {CELL_TIMEOUT} "
            f"--workers 2 autograde {work}/inbox/{case}"
        )

    delegated = (
        f"sh -c 'echo $$ > {top}/lstm-grader/grader/cgroup.procs && exec setpriv --reuid={UID} --regid={UID} "
        f'--clear-groups --inh-caps=-all "$0" "$@"\' {autograde("delegated")}'
    )
    # A container: its own cgroup namespace, at whose top it and its processes are, and a cgroup2
    # mount of its own, writable (docker or podman run --privileged on a cgroup v2 host).
    container = (
        f"sh -c 'echo $$ > {top}/container/cgroup.procs && exec unshare --cgroup --mount --propagation private "
        f'sh -c "umount {top} && mount -t cgroup2 cgroup2 {top} && exec \\"\\$0\\" \\"\\$@\\"" "$0" "$@"\' '
        f"{autograde('container')}"
    )
    demo = (
        f"env -i {environment} HOME={work}/demo {python} -m autograder --course-dir {work}/demo/course "
        f"--release-dir {work}/demo/release demo"
    )
    return (
        "\n".join(
            [
                "export PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "set -x",
                # The grader's user, in the VM's /etc only; the Python environment reachable for it.
                "cp /etc/passwd /etc/group /run/",
                f"echo '{USER}:x:{UID}:{UID}::/nonexistent:/usr/sbin/nologin' >> /run/passwd",
                f"echo '{USER}:x:{UID}:' >> /run/group",
                "mount --bind /run/passwd /etc/passwd",
                "mount --bind /run/group /etc/group",
                *unprivileged.reachable_python_script("/run/stage"),
                # What a container engine (or systemd) does at the top: hand the controllers down.
                f"echo '+memory +pids +cpu' > {top}/cgroup.subtree_control",
                f"mkdir {top}/container",
                step("setup", f"{python} -m autograder setup-cgroups --user {USER}"),
                step("delegated", delegated),
                step("container", container),
                *([f"cd {work}/demo && {step('demo', demo)}"] if WITH_DEMO else []),
                # and student processes (the pattern misses grep itself):
                f"find {top} -name 'student-*' > {work}/left",
                f"grep -l '[{corpus.TOKEN[0]}]{corpus.TOKEN[1:]}' /proc/[0-9]*/cmdline >> {work}/left",
                f"cat {top}/lstm-grader/zygotes/cgroup.procs {top}/container/lstm-grader/zygotes/cgroup.procs "
                f">> {work}/left",
                f"dmesg > {work}/dmesg",
            ]
        )
        + "\n"
    )


@pytest.fixture(scope="module")
def vm(tmp_path_factory):
    lacks = cgroup_vm.missing()
    if lacks:
        skip_or_fail(f"cannot boot the cgroup v2 VM: missing {lacks}")
    if os.geteuid() != 0:
        skip_or_fail("sharing this machine's root with the VM, and being root in it, need root here")
    work = Path(tempfile.mkdtemp(prefix="lstm-vm-work-", dir="/var/tmp"))
    reopened = unprivileged.open_checkout()
    try:
        work.chmod(0o755)
        release = CourseRun(root=work / "release", release_directory=work / "release" / "notebooks", timeout=30)
        release.release(corpus.ASSIGNMENT)
        courses = {case: _course(work, case, release) for case in CLASSES}
        cases = {c.student: c for c in corpus.cases(release.release_directory, release.root)}
        cases["forks_to_the_limit"] = _forks_to_the_limit(release.release_directory)
        for case, students in CLASSES.items():
            for student in students:
                corpus.write(cases[student], work / "inbox" / case)
        (work / "demo").mkdir()
        _warm_matplotlib(work / "matplotlib")
        _shadow(work / "shadow")
        for folder in [
            work / "delegated",
            *work.glob("delegated/**/*"),
            work / "inbox",
            *work.glob("inbox/**/*"),
            work / "matplotlib",
            *work.glob("matplotlib/*"),
        ]:
            os.chown(folder, UID, UID)
        # One virtual CPU: qemu then takes at most one of this machine's two cores, the other
        # tests the other (with two, it took up to 1.6 cores).
        run = cgroup_vm.boot(_script(work, courses), work, timeout=VM_TIMEOUT, memory_mb=4096, cpus=1)
        print(f"\ncgroup v2 VM: {run.seconds:.0f} s; {_read(work, 'times')}")
        yield run, work, courses, cases
    finally:
        keep = os.environ.get("LSTM_VM_KEEP")  # a folder for the VM's logs, to read after
        if keep:
            for log in [*work.glob("*.out"), *work.glob("*.err"), *work.glob("times"), *work.glob("dmesg")]:
                shutil.copy(log, Path(keep) / log.name)
        for folder, mode in reopened:
            folder.chmod(mode)
        shutil.rmtree(work, ignore_errors=True)


def _forks_to_the_limit(release_directory):
    wrong = samples.set_cell(samples.solved(corpus.ASSIGNMENT, release_directory), "forget_gate", corpus.WRONG_GATE)
    return corpus.Case(
        "forks_to_the_limit",
        "wrong f_t; forks until refused",
        corpus._with_cell(wrong, "setup", FORKS),
        zero=corpus.FORGET_GATE,
    )


def _course(work, case, release):
    course = CourseRun(root=work / case / "course", release_directory=work / case / "course" / "release", timeout=30)
    shutil.copytree(release.release_directory / corpus.ASSIGNMENT, course.release_directory / corpus.ASSIGNMENT)
    shutil.copy(release.root / "gradebook.db", course.root / "gradebook.db")
    # The released student_kit compiled here: each kernel imports it (a read-only folder, where
    # Python writes no bytecode), and compiling it costs seconds under emulation.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(course.release_directory)], check=True)
    return course


def _warm_matplotlib(folder):
    """matplotlib's font list, made here (a minute of the VM's time otherwise)."""
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        check=True,
        env=dict(os.environ, MPLCONFIGDIR=str(folder)),
    )


def _shadow(folder):
    folder.mkdir()
    (folder / "rfc3987_syntax.py").write_text("raise ImportError('not in the cgroup v2 VM')\n")


def _read(work, name):
    path = work / name
    return path.read_text(errors="replace") if path.exists() else f"({name} missing)"


def _errors(course, student):
    """The errors the student's graded notebook shows (why a question lost its points)."""
    path = course.root / "autograded" / student / corpus.ASSIGNMENT / "forget_gate.ipynb"
    if not path.exists():
        return f"({path} missing)"
    shown = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                shown.append(f"{grade_id}: {output.ename}: {output.evalue[:300]}")
    return "\n".join(shown)


def _ran(vm, case):
    """(stdout, stderr) of a case, which must have ended well."""
    run, work, *_ = vm
    assert run.status == 0, f"the VM did not run its script to the end:\n{run.tail(150)}"
    out, err = _read(work, f"{case}.out"), _read(work, f"{case}.err")
    assert _read(work, f"{case}.status").strip() == "0", f"{case} failed:\n{err[-3000:]}\n{out[-2000:]}"
    said = next((line for line in err.splitlines() if line.startswith("student code ")), "")  # the demo releases first
    assert (
        said.startswith("student code confined: bubblewrap") and "in cgroup v2 (/sys/fs/cgroup/lstm-grader)" in said
    ), err
    return out, err


@pytest.mark.parametrize("case", CLASSES)
def test_a_class_is_graded_within_the_limits_of_cgroup_v2(vm, case):
    _, work, courses, cases = vm
    out, err = _ran(vm, case)
    rows = {row["student"]: row for row in report.grade_rows(courses[case].db_url, [corpus.ASSIGNMENT])}
    students = CLASSES[case]
    assert set(rows) == set(students), out + err
    points = graded_cells(corpus.ASSIGNMENT)
    assert sum(points.values()) == assignment(corpus.ASSIGNMENT).points
    assert "starves_cpu" not in rows or rows["starves_cpu"]["score"] == sum(points.values())
    for student in students:
        assert all(rows[student][g] == 0 for g in cases[student].zero), f"{student} got credit"
        assert all(rows[student][g] == points[g] > 0 for g in cases[student].full), (
            f"{student} lost points: {rows[student]}\n{_errors(courses[case], student)}"
        )
    if "memory_in_children" in students:
        graded = courses[case].root / "autograded" / "memory_in_children" / corpus.ASSIGNMENT / "forget_gate.ipynb"
        holding = re.search(r"children holding memory (\d+)", graded.read_text())
        assert holding and int(holding.group(1)) * corpus.CHILD_MB <= corpus.MEMORY_MB, (
            "the children held more than the limit"
        )


def test_the_kernel_stopped_students_at_their_own_cgroups_limits(vm):
    _ran(vm, "container")
    log = _read(vm[1], "dmesg")
    for case, where in (("delegated", "/lstm-grader/student-"), ("container", "/container/lstm-grader/student-")):
        if "forks_to_the_limit" in CLASSES[case]:
            assert f"fork rejected by pids controller in {where}" in log, log[-3000:]
        if "memory_in_children" in CLASSES[case]:
            assert f"oom_memcg={where}" in log, log[-3000:]
    assert any("forks_to_the_limit" in students for students in CLASSES.values())
    assert any("memory_in_children" in students for students in CLASSES.values())


def test_nothing_of_a_student_is_left_after(vm):
    for case in (*CLASSES, *(["demo"] if WITH_DEMO else [])):
        _ran(vm, case)
    assert _read(vm[1], "left").strip() == "", "a student's cgroup or process, or a zygote, outlived grading"


def test_setup_cgroups_delegates_a_subtree_on_cgroup_v2(vm):
    _ran(vm, "delegated")
    assert _read(vm[1], "setup.status").strip() == "0"
    assert f"/sys/fs/cgroup/lstm-grader: {USER} may create students' cgroups here (cgroup v2)" in _read(
        vm[1], "setup.out"
    )


@pytest.mark.skipif(not WITH_DEMO, reason="the demo in the VM runs with LSTM_VM_DEMO=1 (22 minutes)")
def test_the_demo_runs_confined_on_cgroup_v2(vm):
    out, _ = _ran(vm, "demo")
    assert re.search(r"graded 6 submissions", out) and "grades.csv" in out, out
