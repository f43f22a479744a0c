"""Which cgroups the grader uses, and what it says where it cannot, on the kinds of hosts there are.

The hosts are described as the kernel shows them (/proc/self/mountinfo, /proc/self/cgroup, a
cgroup v2 tree of folders); what the kernel then does with the limits is tested on a real cgroup
v1 here (tests/test_sandbox.py, tests/test_class_grading.py) and a real cgroup v2 in a VM
(tests/test_cgroup_v2_vm.py).
"""

import pytest

from autograder.sandbox import Limits, cgroups, confinement
from autograder.sandbox.cgroups import mounts, v1, v2

V1_LINES = {  # as on Debian 11 with systemd's hybrid layout (and this machine)
    "memory": "30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory",
    "pids": "31 25 0:27 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids",
    "cpu": "32 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct",
}


def host(tmp_path, monkeypatch, v1_controllers=(), v2_controllers=None, own="0::/\n", root="/"):
    """A host whose mounts and cgroup tree are these; returns the cgroup2 mount point."""
    point = tmp_path / "unified"
    lines = ["22 1 8:1 / / rw - ext4 /dev/sda1 rw"] + [V1_LINES[c] for c in v1_controllers]
    if v2_controllers is not None:
        lines.append(f"29 25 0:25 {root} {point} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate")
        point.mkdir(parents=True)
        (point / "cgroup.controllers").write_text(" ".join(v2_controllers) + "\n")
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mountinfo").write_text("\n".join(lines) + "\n")
    (tmp_path / "cgroup").write_text(own)
    monkeypatch.setattr(mounts, "MOUNTINFO", tmp_path / "mountinfo")
    monkeypatch.setattr(mounts, "OWN", tmp_path / "cgroup")
    return point


def test_a_hybrid_host_uses_the_hierarchy_that_holds_the_controllers(tmp_path, monkeypatch):
    host(tmp_path, monkeypatch, v1_controllers=("memory", "pids", "cpu"), v2_controllers=("hugetlb",))
    implementation, where = cgroups._hierarchy()
    assert implementation is v1 and where["cpu"].point.name == "cpu,cpuacct"
    host(tmp_path / "other", monkeypatch, v1_controllers=("cpu",), v2_controllers=("memory", "pids", "cpu", "io"))
    assert cgroups._hierarchy()[0] is v2


def test_this_machine_says_which_hierarchy_it_confines_in():
    machine = confinement()
    if not machine.complete:
        pytest.skip(f"this machine cannot confine: {machine.problems()}")
    old, unified = mounts.mounts()
    expected = "cgroup v1" if all(c in old for c in cgroups.CONTROLLERS) else "cgroup v2"
    assert machine.cgroups.hierarchy == expected
    assert f"per student, in {expected} (" in machine.describe(Limits())


@pytest.mark.parametrize(
    "kind, expected",
    [
        (
            {"v1_controllers": ("memory",), "v2_controllers": ("pids", "cpu")},
            "split between v1 (memory) and v2 (pids, cpu)",
        ),
        (
            {"v2_controllers": ("memory", "pids")},
            "does not offer cpu here (in a container: its engine must hand them down",
        ),
        ({}, "no cgroup file system is mounted (mount -t cgroup2 none /sys/fs/cgroup as root"),
    ],
)
def test_where_no_hierarchy_has_the_controllers_the_refusal_says_what_to_do(tmp_path, monkeypatch, kind, expected):
    host(tmp_path, monkeypatch, **kind)
    why = cgroups.grader_cgroups()
    assert isinstance(why, str) and expected in why


def test_a_containers_cgroup_is_found_relative_to_what_its_mount_shows(tmp_path, monkeypatch):
    point = host(
        tmp_path,
        monkeypatch,
        v2_controllers=("memory", "pids", "cpu"),
        root="/machine/box",
        own="0::/machine/box/session\n",
    )
    unified = mounts.mounts()[1]
    assert unified.point == point and mounts.own_path(unified) == "session"
    (tmp_path / "cgroup").write_text("0::/elsewhere\n")
    assert mounts.own_path(unified) is None


# -- cgroup v2 without root: where the grader may work ---------------------------------------------
def unprivileged(monkeypatch, writable):
    """This process as a user who may write exactly the folders in `writable` (and their files)."""
    monkeypatch.setattr(v2.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(v2.os, "access", lambda path, mode: any(p in writable for p in [path, *path.parents]))


def tree(point, *folders):
    for folder in folders:
        (point / folder).mkdir(parents=True, exist_ok=True)
        for name in ("cgroup.procs", "cgroup.subtree_control"):
            (point / folder / name).touch()
    return [point / folder for folder in folders]


def test_outside_its_delegated_subtree_an_unprivileged_grader_is_told_how_to_start_inside(tmp_path, monkeypatch):
    point = host(
        tmp_path,
        monkeypatch,
        v2_controllers=("memory", "pids", "cpu"),
        own="0::/user.slice/user-1000.slice/session-3.scope\n",
    )
    (delegated,) = tree(point, "lstm-grader")
    unprivileged(monkeypatch, writable={delegated})
    why = cgroups.grader_cgroups()
    assert f"no cgroup v2 subtree delegated to {cgroups._user()} holds this grader" in why
    assert f"setup-cgroups --user {cgroups._user()}, then start the grader in {point}/lstm-grader/grader" in why
    assert "systemd-run --user --scope -p Delegate=yes" in why


@pytest.mark.parametrize(
    "own, expected",
    [
        ("lstm-grader/grader", "lstm-grader"),  # setup-cgroups' subtree, the grader started inside it
        (
            # systemd-run --scope -p Delegate=yes
            "user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope",
            "user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope/lstm-grader",
        ),
    ],
)
def test_an_unprivileged_grader_works_in_the_subtree_it_runs_in(tmp_path, monkeypatch, own, expected):
    point = host(tmp_path, monkeypatch, v2_controllers=("memory", "pids", "cpu"), own=f"0::/{own}\n")
    (mine,) = tree(point, own)
    unprivileged(monkeypatch, writable={mine if mine.name != "grader" else mine.parent})
    assert v2._locate(mounts.mounts()[1], cgroups.NAME, "grader") == point / expected


def test_a_grader_that_is_not_root_never_writes_above_its_delegation(tmp_path, monkeypatch):
    """Handing the controllers down stops where the delegation starts: the cgroups above it are
    the administrator's (they hand down what they do); a lack is said, not forced."""
    point = host(tmp_path, monkeypatch, v2_controllers=("memory", "pids", "cpu"), own="0::/svc/lstm-grader/grader\n")
    _, svc, root, leaf = tree(point, ".", "svc", "svc/lstm-grader", "svc/lstm-grader/grader")
    (svc / "cgroup.subtree_control").write_text("memory pids\n")
    (leaf / "cgroup.controllers").write_text("memory pids\n")
    unprivileged(monkeypatch, writable={root})
    why = v2.find(mounts.mounts()[1], cgroups.NAME, "grader")
    assert (svc / "cgroup.subtree_control").read_text() == "memory pids\n"
    assert isinstance(why, str) and f"cgroup v2 does not hand cpu down to {root}" in why
