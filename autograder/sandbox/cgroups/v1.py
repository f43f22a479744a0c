"""cgroup v1: one hierarchy per controller, the grader's folder in each.

    <memory>/.../lstm-grader/student-<pid>-<n>   memory.limit_in_bytes, memory.memsw.limit_in_bytes
    <pids>/.../lstm-grader/student-<pid>-<n>     pids.max
    <cpu>/.../lstm-grader/student-<pid>-<n>      cpu.shares, cpu.cfs_quota_us
    .../lstm-grader/zygotes                      warm zygotes between two students

lstm-grader sits in the cgroup the grader runs in, or in one of its parents (a container's, a
session's), or at the top. A process may move between any two cgroups whose cgroup.procs the
grader may write, so a delegation is the folder and its cgroup.procs, tasks (and cpu.shares).
"""

import itertools
import os
import pwd

from . import mounts

HIERARCHY = "cgroup v1"
CONTROLLERS = ("memory", "pids", "cpu")
_count = itertools.count()


def candidates(mount, name):
    """`name` under our own cgroup, under each of its parents, at the top."""
    own = mounts.own_path(mount)
    return [] if own is None else [folder / name for folder in mounts.above(mount.point, own)]


def find(hierarchies, name, user):
    """The grader's cgroups, or why there are none."""
    roots = {}
    for controller in CONTROLLERS:
        found = candidates(hierarchies[controller], name)
        usable = next((c for c in found if c.is_dir() and os.access(c, os.W_OK)), None)
        if usable is None and found and os.geteuid() == 0:
            usable = found[0]
            usable.mkdir(exist_ok=True)
        if usable is None:
            where = hierarchies[controller].point / name
            return (
                f"no cgroup {where} writable by {user} (cgroup v1; as root, once: "
                f"python -m autograder setup-cgroups --user {user})"
            )
        roots[controller] = usable
    for root in roots.values():
        mounts.remove_stale(root)
    return Grader(roots)


def setup(hierarchies, name, user, parent):
    """Root, once: lstm-grader in each hierarchy, handed to `user`; lines to print."""
    account = pwd.getpwnam(user)
    lines = []
    for controller in CONTROLLERS:
        mount = hierarchies[controller]
        where = mounts.own_path(mount) if parent is None else parent.strip("/")
        folder = mount.point / (where or "") / name
        folder.mkdir(exist_ok=True)
        owned = [folder, folder / "cgroup.procs", folder / "tasks"] + (
            [folder / "cpu.shares"] if controller == "cpu" else []
        )
        for path in owned:
            os.chown(path, account.pw_uid, account.pw_gid)
        lines.append(f"{folder}: {user} may create students' cgroups here")
    return lines


class Grader:
    """lstm-grader in the memory, pids and cpu hierarchies."""

    hierarchy = HIERARCHY

    def __init__(self, roots):
        self.roots = roots

    def where(self):
        return f"{self.roots['memory']}, and in pids and cpu"

    def student(self, limits):
        return Student(self.roots, limits)

    def park(self, pid):
        """A zygote between two students: in lstm-grader/zygotes, which the grader may move it out of."""
        for root in self.roots.values():
            folder = root / "zygotes"
            folder.mkdir(exist_ok=True)
            (folder / "cgroup.procs").write_text(str(pid))


class Student:
    """One student's cgroup in each hierarchy, with the limits set."""

    def __init__(self, roots, limits):
        name = f"student-{os.getpid()}-{next(_count)}"
        self.folders = [roots[c] / name for c in CONTROLLERS]
        for folder in self.folders:
            folder.mkdir()
        memory, pids, cpu = self.folders
        (memory / "memory.limit_in_bytes").write_text(str(limits.memory_mb * 2**20))
        try:  # no swap beyond the limit either, where swap is accounted
            (memory / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_mb * 2**20))
        except OSError:
            pass
        (pids / "pids.max").write_text(str(limits.processes))
        (cpu / "cpu.shares").write_text("1024")  # equal shares between students
        period = int((cpu / "cpu.cfs_period_us").read_text())
        (cpu / "cpu.cfs_quota_us").write_text(str(int(limits.cpus * period)))
        _reweigh(cpu.parent)

    def enter(self, pid):
        """Move a process (host pid) into this cgroup; its children are born in it."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text(str(pid))

    def oom_kills(self):
        """How many of its processes the kernel killed for going over the memory limit."""
        for line in (self.folders[0] / "memory.oom_control").read_text().splitlines():
            name, value = line.split()
            if name == "oom_kill":
                return int(value)
        return 0

    def pids(self):
        return {
            int(p) for folder in self.folders if folder.exists() for p in (folder / "cgroup.procs").read_text().split()
        }

    def cpu_stat(self):
        return dict(line.split() for line in (self.folders[2] / "cpu.stat").read_text().splitlines())

    def remove(self, patience=60.0):
        """Kill anything still in it, then remove it. False if it could not (a later grader
        removes it when it is empty)."""
        removed = mounts.remove(self.folders, lambda: mounts.kill_all(self.pids()), patience)
        if removed:
            _reweigh(self.folders[2].parent)
        return removed


def _reweigh(cpu_root):
    """The students being graded weigh, together, as much as that many ordinary processes:
    next to the machine's other work, grading gets neither more nor less CPU than unconfined
    (in v1 a cgroup's share competes with each process beside it)."""
    running = sum(1 for _ in cpu_root.glob("student-*"))
    try:
        (cpu_root / "cpu.shares").write_text(str(1024 * max(running, 1)))
    except OSError:
        pass  # a delegation without it: the weight root gave
