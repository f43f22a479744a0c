"""Where this machine's cgroups are: the cgroup file systems mounted here, and our own place in them.

v1, v2 = mounts()          # {controller: Mount} of cgroup v1; the cgroup2 Mount or None
own = own_path(mount)      # this process's cgroup, relative to what the mount shows
"""

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

MOUNTINFO = Path("/proc/self/mountinfo")
OWN = Path("/proc/self/cgroup")


@dataclass(frozen=True)
class Mount:
    point: Path  # where it is mounted here
    root: str  # which cgroup of the hierarchy the mount shows at its top ('/' outside containers)
    controllers: frozenset  # v1: those bound to it; v2: those its top cgroup offers
    key: str  # how /proc/self/cgroup names this hierarchy: v1 its controllers, v2 ''


def _unescape(field):
    return field.encode().decode("unicode_escape") if "\\" in field else field


def mounts(mountinfo=None):
    """({controller: Mount} of the v1 hierarchies, the cgroup2 Mount or None)."""
    v1, v2 = {}, None
    for line in Path(mountinfo or MOUNTINFO).read_text().splitlines():
        fields = line.split()
        tail = fields.index("-")
        kind, options = fields[tail + 1], fields[tail + 3].split(",")
        root, point = _unescape(fields[3]), Path(_unescape(fields[4]))
        if kind == "cgroup":
            bound = frozenset(o for o in options if o not in ("rw", "ro") and "=" not in o)
            for controller in bound:
                v1.setdefault(controller, Mount(point, root, bound, ",".join(sorted(bound))))
        elif kind == "cgroup2" and v2 is None:
            try:
                offered = frozenset((point / "cgroup.controllers").read_text().split())
            except OSError:
                offered = frozenset()
            v2 = Mount(point, root, offered, "")
    return v1, v2


def own_path(mount):
    """This process's cgroup in `mount`'s hierarchy, relative to its top ('' at the top); None
    if the mount does not show it."""
    for line in OWN.read_text().splitlines():
        _, names, path = line.split(":", 2)
        if set(names.split(",")) - {""} == set(mount.key.split(",")) - {""}:
            top = mount.root.rstrip("/")
            if path != top and not path.startswith(top + "/"):
                return None
            return path[len(top) :].strip("/")
    return None


def above(point, relative):
    """The folder `relative` under `point`, then each of its parents up to `point`."""
    folder = point / relative
    return [folder, *[p for p in folder.parents if p == point or point in p.parents]]


def remove(folders, kill, patience):
    """Kill what is in the folders (kill(): once more each try), then remove them; False if
    they could not be removed within `patience` seconds."""
    end = time.monotonic() + patience
    while True:
        kill()
        try:
            for folder in folders:
                if folder.exists():
                    folder.rmdir()
            return True
        except OSError:
            if time.monotonic() > end:
                return False
            time.sleep(0.02)


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def remove_stale(root):
    """Empty student cgroups left by a grader that was killed (its pid is in their name)."""
    for group in root.glob("student-*"):
        if not Path(f"/proc/{group.name.split('-')[1]}").exists():
            try:
                group.rmdir()
            except OSError:
                pass
