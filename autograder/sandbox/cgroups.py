"""Limits per student that count every process it starts: cgroup v1 memory, pids and cpu.

    roots = grader_cgroups()                  # {controller: .../lstm-grader} or a reason why not
    group = StudentCgroup(roots, limits)      # lstm-grader/student-<pid>-<n> in each hierarchy
    group.enter(pid) ... group.remove()       # remove() kills whatever is left first

Making cgroups needs root, or a subtree that root handed to the grader's user once:

    python -m autograder setup-cgroups --user NAME     (setup() below)

A student's cgroup holds all its processes, however they were started (fork, setsid, daemons):
memory (tmpfs pages included) and the number of tasks are limited together; CPU is shared
equally between the students graded at the same time, and capped at `limits.cpus` cores each.
"""

import itertools
import os
import pwd
import signal
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids", "cpu")
NAME = "lstm-grader"
_count = itertools.count()


def _own_cgroup(controller):
    """This process's cgroup in a v1 hierarchy, as a relative path ('' at the top)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            return path.strip("/")
    return None


def _candidates(controller):
    """lstm-grader under our own cgroup, under each of its parents, at the top."""
    own = _own_cgroup(controller)
    if own is None:
        return []
    parts = Path(own).parts
    return [ROOT / controller / Path(*parts[:n]) / NAME for n in range(len(parts), -1, -1)]


def grader_cgroups():
    """{controller: the grader's cgroup folder}, or a sentence saying why there is none."""
    if not (ROOT / "memory" / "cgroup.procs").exists():
        return (
            f"no cgroup v1 memory controller at {ROOT}/memory "
            "(this grader needs cgroups v1 memory, pids and cpu for its per-student limits)"
        )
    roots = {}
    for controller in CONTROLLERS:
        candidates = _candidates(controller)
        found = next((c for c in candidates if c.is_dir() and os.access(c, os.W_OK)), None)
        if found is None and candidates and os.geteuid() == 0:
            found = candidates[0]
            found.mkdir(exist_ok=True)
        if found is None:
            user = pwd.getpwuid(os.geteuid()).pw_name
            return (
                f"no cgroup {ROOT}/{controller}/{NAME} writable by {user} (as root, once: "
                f"python -m autograder setup-cgroups --user {user})"
            )
        roots[controller] = found
    _remove_stale(roots)
    return roots


def _remove_stale(roots):
    """Empty student cgroups left by a grader that was killed."""
    for root in roots.values():
        for group in root.glob("student-*"):
            pid = group.name.split("-")[1]
            if not Path(f"/proc/{pid}").exists():
                try:
                    group.rmdir()
                except OSError:
                    pass


def setup(user, parent=None):
    """Root, once: make lstm-grader in each hierarchy and hand it to `user`. Returns the folders.

    parent: where in each hierarchy ('' = the top); default: the cgroup this command runs in,
    which is where the grader finds it when started from the same place (container, session).
    """
    if os.geteuid() != 0:
        raise SystemExit("setup-cgroups must run as root (it hands cgroups to another user)")
    account = pwd.getpwnam(user)
    made = []
    for controller in CONTROLLERS:
        where = _own_cgroup(controller) if parent is None else parent.strip("/")
        folder = ROOT / controller / where / NAME
        folder.mkdir(exist_ok=True)
        owned = [folder, folder / "cgroup.procs", folder / "tasks"] + (
            [folder / "cpu.shares"] if controller == "cpu" else []
        )
        for path in owned:
            os.chown(path, account.pw_uid, account.pw_gid)
        made.append(folder)
    return made


class StudentCgroup:
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
        return {int(p) for folder in self.folders for p in (folder / "cgroup.procs").read_text().split()}

    def remove(self, patience=60.0):
        """Kill anything still in it, then remove it. False if it could not (a later grader
        removes it when it is empty: grader_cgroups)."""
        end = time.monotonic() + patience
        while True:
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                for folder in self.folders:
                    if folder.exists():
                        folder.rmdir()
                _reweigh(self.folders[2].parent)
                return True
            except OSError:
                if time.monotonic() > end:
                    return False
                time.sleep(0.02)


def _reweigh(cpu_root):
    """The students being graded weigh, together, as much as that many ordinary processes:
    next to the machine's other work, grading gets neither more nor less CPU than unconfined."""
    running = sum(1 for _ in cpu_root.glob("student-*"))
    try:
        (cpu_root / "cpu.shares").write_text(str(1024 * max(running, 1)))
    except OSError:
        pass  # a delegation without it: the weight root gave


def park(roots, pid):
    """Move a zygote (host pid) into lstm-grader/zygotes: a cgroup the grader may move it out of."""
    for root in roots.values():
        folder = root / "zygotes"
        folder.mkdir(exist_ok=True)
        (folder / "cgroup.procs").write_text(str(pid))
