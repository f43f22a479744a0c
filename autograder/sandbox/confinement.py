"""Can this machine confine students' code? Asked once per process, before any student runs.

machine = confinement()
machine.complete         # bubblewrap with nested namespaces, seccomp, and cgroups for the limits
machine.describe(limits) # the first line of `autograde`
machine.refusal()        # why grading stops here without --unsafe-no-sandbox
"""

import functools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import cgroups, seccomp
from .view import View


class Unconfined(RuntimeError):
    """Students' code would run without the confinement this machine cannot give."""


@dataclass
class Confinement:
    bubblewrap_problem: str | None  # None: bubblewrap and nested namespaces work
    cgroups: object  # the grader's cgroups (cgroups.v1.Grader or cgroups.v2.Grader), or why there are none
    seccomp_problem: str | None = None  # None: the students' seccomp filter can be built here

    @property
    def bubblewrap(self):
        return self.bubblewrap_problem is None

    @property
    def cgroup_roots(self):
        return None if isinstance(self.cgroups, str) else self.cgroups

    @property
    def complete(self):
        return self.bubblewrap and self.cgroup_roots is not None and self.seccomp_problem is None

    def problems(self):
        found = [] if self.bubblewrap else [self.bubblewrap_problem]
        if self.seccomp_problem is not None:
            found.append(f"no seccomp filter for students' processes: {self.seccomp_problem}")
        if self.cgroup_roots is None:
            found.append(f"{self.cgroups}: no memory, process or CPU limit per student")
        return found

    def describe(self, limits):
        if self.complete:
            grader = self.cgroups
            return (
                f"student code confined: bubblewrap (read-only allow-list, no network, own namespaces, "
                f"/proc and keyring, no capabilities, seccomp); per student, in {grader.hierarchy} ({grader.where()}): "
                f"{limits.memory_mb} MB memory with tmpfs and no swap, {limits.processes} tasks, "
                f"{limits.cpus:g} CPU at most and an equal share; {limits.scratch_mb} MB scratch"
            )
        return "student code NOT fully confined: " + "; ".join(self.problems())

    def refusal(self):
        return (
            f"{self.describe(None)}.\nRefusing to run students' code. Fix the above, or pass "
            "--unsafe-no-sandbox to grade anyway (only for code you trust)."
        )


@functools.cache
def confinement():
    return Confinement(_bubblewrap_problem(), cgroups.grader_cgroups(), seccomp.problem())


def _bubblewrap_problem():
    from .zygote import SandboxError, WarmSandbox

    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    with tempfile.TemporaryDirectory() as empty:
        try:
            probe = WarmSandbox(View(Path(empty), "probe"), confined=True, probe=True)
        except SandboxError as error:
            return f"bubblewrap does not run here ({error})"
        works, log = probe.ready.get("ok"), probe.stderr()
        probe.close()
    if not works:
        return (
            "a student cannot get its own namespaces, /proc, keyring and seccomp filter inside bubblewrap "
            f"(user namespaces disabled? a kernel without seccomp?): {probe.ready.get('problem') or log}"
        )
    return None
