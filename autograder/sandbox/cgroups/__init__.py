"""Limits per student that count every process it starts: memory, tasks and CPU, in cgroups.

    grader = grader_cgroups()       # the grader's cgroups here (v1 or v2), or a sentence why none
    grader.hierarchy, grader.where()
    group = grader.student(limits)  # a student's cgroup with the limits set
    group.enter(pid)                # a process goes in; its children are born in it
    grader.park(pid)                # a zygote, between two students, into a leaf of its own
    group.oom_kills(), group.pids(), group.cpu_stat()
    group.remove()                  # whatever is left is killed first

A student's cgroup holds all its processes, however they were started (fork, setsid, daemons):
memory (tmpfs pages included, no swap) and the number of tasks are limited together; CPU is
shared equally between the students graded at the same time, and capped at `limits.cpus`
cores each. v1.py and v2.py are the two implementations; the one that holds the memory, pids
and cpu controllers here is used (on hybrid hosts, v1 often holds them and v2 holds none).

Making cgroups needs root, or a subtree that root (or systemd, Delegate=yes) handed to the
grader's user:  python -m autograder setup-cgroups --user NAME   (setup() below)
"""

import os
import pwd

from . import mounts, v1, v2

NAME = "lstm-grader"
CONTROLLERS = ("memory", "pids", "cpu")


def _user():
    return pwd.getpwuid(os.geteuid()).pw_name


def _hierarchy():
    """v1 (with its mounts), v2 (with its mount), or a sentence saying what is missing and what to do."""
    old, unified = mounts.mounts()
    on_v1 = [c for c in CONTROLLERS if c in old]
    on_v2 = [c for c in CONTROLLERS if unified is not None and c in unified.controllers]
    if len(on_v1) == len(CONTROLLERS):
        return v1, old
    if len(on_v2) == len(CONTROLLERS):
        return v2, unified
    if on_v1 and on_v2:
        return (
            f"the cgroup controllers are split between v1 ({', '.join(on_v1)}) and v2 ({', '.join(on_v2)}): "
            "mount memory, pids and cpu in one hierarchy (cgroup v2 alone: boot with "
            "systemd.unified_cgroup_hierarchy=1)"
        )
    if unified is not None:
        lacking = ", ".join(c for c in CONTROLLERS if c not in on_v2)
        return (
            f"cgroup v2 at {unified.point} does not offer {lacking} here (in a container: "
            "its engine must hand them down, e.g. docker or podman run --privileged; under systemd: Delegate=yes)"
        )
    return (
        "no cgroup file system is mounted (mount -t cgroup2 none /sys/fs/cgroup as root; in a container: "
        "run it with a cgroup v2 of its own, e.g. docker or podman run --privileged)"
    )


def grader_cgroups():
    """The grader's cgroups in whichever hierarchy holds the controllers, or why there are none."""
    found = _hierarchy()
    if isinstance(found, str):
        return found
    implementation, where = found
    return implementation.find(where, NAME, _user())


def setup(user, parent=None):
    """Root, once: make lstm-grader and hand it to `user`. Returns lines to print.

    parent: where in the hierarchy ('' or '/' = the top); default: on v1 the cgroup this command
    runs in (where the grader finds it when started from the same place), on v2 the top."""
    if os.geteuid() != 0:
        raise SystemExit("setup-cgroups must run as root (it hands cgroups to another user)")
    try:
        pwd.getpwnam(user)
    except KeyError:
        raise SystemExit(
            f"there is no user {user!r} on this machine (create it first: useradd --system {user})"
        ) from None
    found = _hierarchy()
    if isinstance(found, str):
        raise SystemExit(found)
    implementation, where = found
    return implementation.setup(where, NAME, user, parent)
