"""cgroup v2 (the unified hierarchy): one tree, every controller in it.

    lstm-grader/               memory, pids and cpu handed down (cgroup.subtree_control); no process
        grader/                the grader, and whatever stood where v2 allows no process
        zygotes/               warm zygotes between two students
        student-<pid>-<n>/     memory.max, memory.swap.max=0, pids.max, cpu.max, cpu.weight

Two rules of v2 shape it (the kernel's Documentation/admin-guide/cgroup-v2.rst):
- no internal processes: a cgroup that hands controllers to its children holds no process
  itself (the top excepted), so the grader and the parked zygotes live in leaves of their own;
- a process moves from one cgroup to another only if the mover may write cgroup.procs of their
  common ancestor: a grader that is not root must run inside the subtree delegated to it.

Where lstm-grader is: the one the grader runs in; else one beside our cgroup or a parent's;
else, as root, a new one at the top of the hierarchy; else, in a cgroup delegated to us (systemd's
Delegate=yes), a new one there.
"""

import errno
import itertools
import os
import pwd
from pathlib import Path

from . import mounts

HIERARCHY = "cgroup v2"
CONTROLLERS = ("memory", "pids", "cpu")
LEAF, ZYGOTES = "grader", "zygotes"
DELEGATED = ("cgroup.procs", "cgroup.threads", "cgroup.subtree_control")  # where the kernel lists none
PERIOD = 100_000  # microseconds of cpu.max's period
_count = itertools.count()


class Refused(Exception):
    """Why this grader cannot have the cgroups it needs here (a sentence that says what to do)."""


def find(mount, name, user):
    """The grader's cgroups (made ready), or why there are none."""
    try:
        return Grader(_prepare(_locate(mount, name, user), mount))
    except Refused as why:
        return str(why)
    except OSError as error:
        return f"the cgroup v2 subtree of the grader could not be set up ({error}); {_how(mount, name, user)}"


def _how(mount, name, user):
    return (
        f"as root: python -m autograder setup-cgroups --user {user}, then start the grader in "
        f"{mount.point / name / LEAF}; or start it with systemd-run --user --scope -p Delegate=yes"
    )


def _locate(mount, name, user):
    own = mounts.own_path(mount)
    if own is None:
        raise Refused(f"this process's cgroup is not under {mount.point} (cgroup v2)")
    here = mounts.above(mount.point, own)
    inside = next((folder for folder in here if folder.name == name), None)
    if inside is not None:
        return inside
    for folder in here:  # one made before (setup-cgroups, an earlier run as root), beside us
        if (folder / name).is_dir() and _may_move(folder):
            return folder / name
    if os.geteuid() == 0:
        if not os.access(mount.point, os.W_OK):
            raise Refused(
                f"cgroup v2 at {mount.point} is read-only here (in a container: give it a "
                "writable cgroup v2 of its own, e.g. docker or podman run --privileged)"
            )
        return mount.point / name
    if _may_move(here[0]) and os.access(here[0] / "cgroup.subtree_control", os.W_OK):
        return here[0] / name  # our own cgroup is delegated to us
    raise Refused(
        f"no cgroup v2 subtree delegated to {user} holds this grader (it runs in "
        f"{here[0]}, and may move processes only within a subtree it owns): {_how(mount, name, user)}"
    )


def _may_move(folder):
    return os.access(folder, os.W_OK) and os.access(folder / "cgroup.procs", os.W_OK)


def _prepare(root, mount):
    """Hand the controllers down from the top to `root` and to its children."""
    root.mkdir(exist_ok=True)
    (root / LEAF).mkdir(exist_ok=True)
    (root / ZYGOTES).mkdir(exist_ok=True)
    path = [p for p in reversed(mounts.above(mount.point, root.relative_to(mount.point)))]
    for folder in path:
        _hand_down(folder, root / LEAF)
    offered = set((root / LEAF / "cgroup.controllers").read_text().split())
    if not offered >= set(CONTROLLERS):
        lacking = " ".join(sorted(set(CONTROLLERS) - offered))
        raise Refused(
            f"cgroup v2 does not hand {lacking} down to {root} (as root: add them to "
            f"cgroup.subtree_control of each cgroup above it; systemd: Delegate=yes)"
        )
    mounts.remove_stale(root)
    return root


def _hand_down(folder, leaf):
    """Enable the controllers for folder's children. Its processes, if any (v2 allows none in a
    cgroup that hands controllers down), move into `leaf` first."""
    control = folder / "cgroup.subtree_control"
    wanted = [c for c in CONTROLLERS if c not in control.read_text().split()]
    if not wanted:
        return
    if not os.access(control, os.W_OK):
        return  # not ours: whoever delegated it handed down what it did (checked after)
    for attempt in range(100):
        try:
            control.write_text(" ".join(f"+{c}" for c in wanted))
            return
        except OSError as error:
            if error.errno != errno.EBUSY or attempt == 99:
                raise
        for pid in (folder / "cgroup.procs").read_text().split():
            _move(pid, leaf)


def _move(pid, folder):
    try:
        (folder / "cgroup.procs").write_text(str(pid))
    except ProcessLookupError:
        pass  # gone meanwhile


def setup(mount, name, user, parent):
    """Root, once: lstm-grader (default: at the top), its controllers handed down, delegated to
    `user` as the kernel's documentation says; lines to print."""
    account = pwd.getpwnam(user)
    root = mount.point / (parent or "").strip("/") / name
    _prepare(root, mount)
    try:
        listed = Path("/sys/kernel/cgroup/delegate").read_text().split()
    except OSError:
        listed = DELEGATED
    for folder in (root, root / LEAF, root / ZYGOTES):
        for path in [folder, *[folder / f for f in listed if (folder / f).exists()]]:
            os.chown(path, account.pw_uid, account.pw_gid)
    return [
        f"{root}: {user} may create students' cgroups here (cgroup v2)",
        f"start {user}'s grader inside it (cgroup v2 lets {user} move a process only within it): as root,",
        f"  echo $$ > {root / LEAF}/cgroup.procs; su {user}",
    ]


class Grader:
    """lstm-grader: the students' cgroups, and the leaves of the grader and its zygotes."""

    hierarchy = HIERARCHY

    def __init__(self, root):
        self.root = root

    def where(self):
        return str(self.root)

    def student(self, limits):
        return Student(self.root, limits)

    def park(self, pid):
        """A zygote between two students: in its own leaf, which the grader may move it out of."""
        _move(pid, self.root / ZYGOTES)


class Student:
    """One student's cgroup, with the limits set."""

    def __init__(self, root, limits):
        self.folder = root / f"student-{os.getpid()}-{next(_count)}"
        self.folder.mkdir()
        self._set("memory.max", limits.memory_mb * 2**20)  # tmpfs (shmem) pages count too
        if (self.folder / "memory.swap.max").exists():  # no swap, where swap is accounted
            self._set("memory.swap.max", 0)
        self._set("pids.max", limits.processes)
        self._set("cpu.weight", 100)  # equal shares between students
        self._set("cpu.max", f"{int(limits.cpus * PERIOD)} {PERIOD}")

    def _set(self, name, value):
        (self.folder / name).write_text(str(value))

    def enter(self, pid):
        """Move a process (host pid) into this cgroup; its children are born in it."""
        (self.folder / "cgroup.procs").write_text(str(pid))

    def oom_kills(self):
        """How many of its processes the kernel killed for going over the memory limit."""
        events = dict(line.split() for line in (self.folder / "memory.events").read_text().splitlines())
        return int(events.get("oom_kill", 0))

    def pids(self):
        if not self.folder.exists():
            return set()
        return {int(p) for p in (self.folder / "cgroup.procs").read_text().split()}

    def cpu_stat(self):
        return dict(line.split() for line in (self.folder / "cpu.stat").read_text().splitlines())

    def remove(self, patience=60.0):
        """Kill anything still in it, then remove it. False if it could not."""
        return mounts.remove([self.folder], self._kill, patience)

    def _kill(self):
        if not self.folder.exists():
            return
        if (self.folder / "cgroup.kill").exists():  # every process, at once (Linux 5.14)
            (self.folder / "cgroup.kill").write_text("1")
        else:
            mounts.kill_all(self.pids())
