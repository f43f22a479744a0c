"""The sandbox through `autograde`: where the machine cannot confine students it refuses unless
told; an unprivileged grader (with a delegated cgroup) confines as well as root; ungraded cells
do not run while grading."""

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
import unprivileged
from conftest import grader_command, release
from hostile import corpus

from autograder import report, samples
from autograder.course import assignment
from autograder.pipeline import CourseRun
from autograder.sandbox import cgroups, confinement
from autograder.sandbox.cgroups import mounts, v1

pytestmark = pytest.mark.slow
IN_CI = os.environ.get("CI") == "true"


def skip_or_fail(reason):
    """What this machine cannot do: skipped locally, a failure in CI (which must do it all)."""
    if IN_CI:
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if not confinement().complete:
        skip_or_fail(f"this machine cannot confine students' code: {confinement().problems()}")
    root = tmp_path_factory.mktemp("sandbox-course")
    course = CourseRun(root=root, release_directory=root / "release", timeout=30)
    release(course, "forget_gate", "vanishing_gradients")
    return course


def autograde(course, inbox, *flags, env=None, user=None):
    command = grader_command(course, "autograde", str(inbox), *flags, timeout=30)
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=course.root)


def test_autograde_refuses_where_it_cannot_confine_and_grades_only_when_told(course, tmp_path):
    inbox = tmp_path / "inbox"
    samples.write_submission(samples.solved("forget_gate", course.release_directory), inbox, "cli_right", "forget_gate")
    no_bubblewrap = dict(os.environ, PATH=str(Path(sys.executable).parent))  # bwrap is in /usr/bin

    refused = autograde(course, inbox, env=no_bubblewrap)
    assert refused.returncode != 0
    assert refused.stderr.startswith("student code NOT fully confined: bubblewrap is not installed")
    assert "--unsafe-no-sandbox" in refused.stderr
    assert "cli_right" not in {row["student"] for row in report.grade_rows(course.db_url, ["forget_gate"])}

    told = autograde(course, inbox, "--unsafe-no-sandbox", env=no_bubblewrap)
    assert told.returncode == 0, told.stderr
    assert told.stderr.startswith("student code NOT fully confined: bubblewrap is not installed")
    assert "WARNING (--unsafe-no-sandbox): student code NOT fully confined" in told.stdout
    rows = {row["student"]: row for row in report.grade_rows(course.db_url, ["forget_gate"])}
    assert rows["cli_right"]["score"] == assignment("forget_gate").points


def test_ungraded_demonstrations_do_not_run_while_grading(course, tmp_path):
    """NBGRADER_EXECUTION=autograde in the kernel: vanishing_gradients' plots and forget_gate's
    sliders skip themselves, each with a note, and the PyTorch experiments are never imported."""
    inbox = tmp_path / "inbox"
    marker = "import sys\nprint('experiments imported:', 'student_kit.experiments' in sys.modules)"
    vanishing = samples.solved("vanishing_gradients", course.release_directory)
    vanishing.cells.append(nbformat.v4.new_code_cell(marker))
    samples.write_submission(vanishing, inbox, "demo_skipper", "vanishing_gradients")
    samples.write_submission(
        samples.solved("forget_gate", course.release_directory), inbox, "demo_skipper", "forget_gate"
    )
    course.collect(inbox)
    results = course.autograde()
    assert {r.assignment: r.status for r in results} == {"vanishing_gradients": "graded", "forget_gate": "graded"}

    def cells(assignment):
        graded = course.root / "autograded" / "demo_skipper" / assignment / f"{assignment}.ipynb"
        return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nbformat.read(graded, as_version=4).cells}

    vanishing_cells = cells("vanishing_gradients")
    assert "experiments imported: False" in vanishing_cells[None].outputs[0]["text"]
    for experiment in ("autograd", "memory_gru_plot"):  # memory_rnn_lstm only prints data measured at release
        outputs = vanishing_cells[experiment].outputs  # the note that it skipped itself, nothing else
        assert [o.get("text", "") for o in outputs] == [
            outputs[0].get("text")
        ] and "not run while your work is graded" in outputs[0]["text"], f"{experiment} ran while grading"
    slider = cells("forget_gate")["gate_panel_demo"].outputs[0]["data"]["text/html"]
    assert "not shown while nbgrader grades" in slider


# -- an unprivileged grader ---------------------------------------------------------------------------
USER = "lstm-grader-test"


def test_an_unprivileged_grader_confines_as_well_as_root(course, tmp_path_factory):
    if os.geteuid() != 0:
        skip_or_fail("creating a user and handing it a cgroup needs root")
    if shutil.which("useradd") is None:
        skip_or_fail("useradd is not installed")
    if confinement().cgroups.hierarchy != v1.HIERARCHY:
        pytest.skip("this machine's cgroups are v2: its delegation is tested in tests/test_cgroup_v2_vm.py")
    made_user = subprocess.run(["id", USER], capture_output=True).returncode != 0
    if made_user:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
    account = pwd.getpwnam(USER)
    work = Path(tempfile.mkdtemp(prefix="lstm-unprivileged-", dir="/var/tmp"))
    hierarchies, _ = mounts.mounts()
    parents = [
        hierarchies[c].point / (mounts.own_path(hierarchies[c]) or "") / f"lstm-unprivileged-{os.getpid()}"
        for c in v1.CONTROLLERS
    ]
    reopened = unprivileged.open_checkout()
    try:
        work.chmod(0o755)
        own = CourseRun(root=work / "course", release_directory=work / "course" / "release", timeout=30)
        shutil.copytree(course.release_directory / "forget_gate", own.release_directory / "forget_gate")
        shutil.copy(course.root / "gradebook.db", own.root / "gradebook.db")
        inbox = work / "inbox"
        cases = {c.student: c for c in corpus.cases(own.release_directory, own.root)}
        for student in ("right", "writes_host", "memory_in_children"):
            corpus.write(cases[student], inbox)
        subprocess.run(["chown", "-R", f"{USER}:{account.pw_gid}", str(work)], check=True)
        for parent in parents:
            parent.mkdir()
        script = "\n".join(
            [
                "set -e",
                *[f"echo $$ > {parent}/cgroup.procs" for parent in parents],
                f"{sys.executable} -m autograder setup-cgroups --user {USER}",  # root, once, here
                *unprivileged.reachable_python_script(work / "stage"),
                f"exec setpriv --reuid={account.pw_uid} --regid={account.pw_gid} --clear-groups --inh-caps=-all "
                f"env -i PATH=/usr/bin:/bin HOME={work} LANG=C.UTF-8 {sys.executable} -m autograder "
                f"--course-dir {own.root} --release-dir {own.release_directory} --timeout 30 "
                f"--memory {corpus.MEMORY_MB} "
                f"--workers 1 autograde {inbox}",
            ]
        )
        graded = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script], capture_output=True, text=True
        )
        assert graded.returncode == 0, graded.stderr
        assert graded.stderr.startswith("student code confined: bubblewrap"), graded.stderr
        delegated = [parent / cgroups.NAME for parent in parents]
        assert all((folder / "zygotes").stat().st_uid == account.pw_uid for folder in delegated)
        rows = {row["student"]: row for row in report.grade_rows(own.db_url, ["forget_gate"])}
        assert set(rows) >= {"right", "writes_host", "memory_in_children"}, graded.stdout + graded.stderr
        for student in ("right", "writes_host", "memory_in_children"):
            case = cases[student]
            assert all(rows[student][g] == 0 for g in case.zero), f"{student} got credit"
            assert all(rows[student][g] == rows["right"][g] > 0 for g in case.full), f"{student} lost points"
        assert rows["right"]["score"] == assignment("forget_gate").points
        assert not [
            t
            for t in corpus.host_targets(own.release_directory, own.root)
            if Path(t).is_file() and corpus.TOKEN in Path(t).read_text()
        ]
    finally:
        for folder, mode in reopened:
            folder.chmod(mode)
        for parent in parents:
            for folder in sorted(parent.glob("**/"), key=lambda p: -len(p.parts)):
                folder.rmdir()
        shutil.rmtree(work, ignore_errors=True)
        if made_user:
            subprocess.run(["userdel", USER], check=True)
