"""Run one student's cells in its own confined kernel; what the grader sees of it.

    with Sandbox(limits, view) as sandbox:
        runs = sandbox.run(sources)        # one CellRun per source; None -> skipped
    with Sandbox(limits, view) as sandbox: # a fresh kernel: records only, hidden tests without history
        runs = sandbox.run(sources, outputs=False, hidden={3, 5})

A cell that runs past its time limit is interrupted (SIGINT); a kernel that ignores the
interrupt, exits, crashes or runs out of memory is killed -- every process of it -- and replaced
by a fresh one from the zygote; the cells before are replayed silently, and grading goes on.
Everything that comes from the kernel is student-controlled data: sizes are checked before
anything is read into memory, and malformed messages end the kernel, never the grader.
"""

import json
import os
import select
import shutil
import signal
import socket
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import intake
from . import view as views
from . import zygote as zygotes
from .confinement import Unconfined, confinement
from .kernel import NOTE, output_size


@dataclass
class Limits:
    cell_timeout: float = 30  # seconds per cell
    notebook_timeout: float = 300  # seconds for the whole notebook, restarts included
    memory_mb: int = 2048  # every process of the student together, tmpfs included (cgroup)
    processes: int = 128  # processes and threads of the student at once (cgroup pids)
    cpus: float = 1.0  # CPU cores a student may use at most (cgroup cpu quota); shares are equal
    scratch_mb: int = 100  # $HOME, working folder, /tmp and /dev/shm together (tmpfs size)
    output_bytes: int = 1_000_000  # every kind of output kept per notebook, metadata included
    record_bytes: int = 64_000_000  # check records per notebook, on their own channel
    max_restarts: int = 4  # kernels killed and replaced per notebook
    require_confinement: bool = True  # False only with --unsafe-no-sandbox


@dataclass
class CellRun:
    outputs: list = field(default_factory=list)
    status: str = "ok"  # ok | error | timeout | died | skipped
    reason: str = ""  # why not ok, for the instructor
    records: list = field(default_factory=list)  # check records written while this cell ran
    verdict: bool | None = None  # a test cell: passed, as the grader decided (grading._score)
    problems: list = field(default_factory=list)  # a test cell: why the grader failed it
    hidden: bool = False  # a test cell with hidden tests: status and records from the run without outputs
    found: list | None = None  # a test cell: checks.Finding of its records (grading._judge), then records let go


RECORD_LINE_MAX = 4 * 2**20  # one check record (a result of at most 10,000 numbers) is far smaller
# Records one cell may send: the course's test cells write at most a few dozen (checks x trials).
# Each record costs the grader memory of its own, whatever its size: 8 million empty lines fit
# in the byte budget and would take gigabytes. Counted per cell, so that a flood in one cell
# costs the other cells' checks nothing.
RECORDS_PER_CELL = 10_000
GRACE = 3  # seconds a kernel has to stop after the interrupt


class Sandbox:
    """One student's kernel (replaced as needed); use as a context manager."""

    def __init__(self, limits, view):
        self.limits, self.view = limits, view
        self.machine = confinement()
        if not self.machine.complete and limits.require_confinement:
            raise Unconfined(self.machine.refusal())
        self.restarts = 0
        self.output_used = self.record_used = 0
        self.output_dropped = self.records_dropped = False
        self.deadline = time.monotonic() + limits.notebook_timeout
        self.warm = self.zygote = self.kernel = None

    def __enter__(self):
        self._acquire()
        return self

    def __exit__(self, *exc):
        self._stop()
        zygotes.release(self.warm)

    def _acquire(self):
        self.warm = zygotes.acquire(self.view, self.machine.bubblewrap, self.machine.cgroup_roots)
        self.zygote = self.warm.zygote(self.view.uses_torch)

    # -- the kernel ------------------------------------------------------------------------------
    def _plan(self, scratch):
        if scratch is None:
            mounts = views.student_mounts(self.view, self.limits.scratch_mb * 2**20)
            cwd, environment = views.student_cwd(self.view), views.student_environment(self.view)
        else:  # unconfined: a host folder with links to the released files
            released = Path(self.view.release) / self.view.assignment
            for entry in released.iterdir():
                (scratch / entry.name).symlink_to(entry)
            for name, path in self.view.student_files:
                shutil.copyfile(path, scratch / name)
            mounts, cwd = [], str(scratch)
            environment = views.student_environment(self.view, home=cwd)
        rlimits = {} if self.machine.cgroup_roots else {"RLIMIT_AS": self.limits.memory_mb * 2**20}
        return {
            "namespaces": self.machine.bubblewrap,
            "mounts": mounts,
            "cwd": cwd,
            "environment": environment,
            "rlimits": rlimits,
        }

    def _start(self):
        roots = self.machine.cgroup_roots
        cgroup = roots.student(self.limits) if roots else None
        scratch = None if self.machine.bubblewrap else Path(tempfile.mkdtemp(prefix="lstm-student-"))
        ours, theirs = socket.socketpair()
        records_out, records_in = os.pipe()
        files = [os.open(path, os.O_RDONLY | os.O_NOFOLLOW) for _, path in self.view.student_files]
        try:
            if not self.warm.alive():  # it died under a previous student: a fresh one
                zygotes.release(self.warm)
                self._acquire()
            pid = self.zygote.fork(self._plan(scratch), [theirs.fileno(), records_in, *files], cgroup)
        except BaseException:
            ours.close()
            os.close(records_out)
            if cgroup:
                cgroup.remove()
            raise
        finally:
            theirs.close()
            os.close(records_in)
            for fd in files:
                os.close(fd)
        self.kernel = _Kernel(pid, ours, records_out, cgroup, scratch)

    def _stop(self):
        kernel, self.kernel = self.kernel, None
        if kernel is None:
            return
        try:
            self.zygote.signal(kernel.pid, signal.SIGKILL)  # pid 1: the whole namespace goes
        except zygotes.SandboxError:
            pass  # already gone
        kernel.close()

    # -- cells -------------------------------------------------------------------------------------
    def run(self, sources, outputs=True, hidden=()):
        """Execute the cells in order; return one CellRun per source (None source: skipped).

        outputs=False: the kernel sends no output at all, only the check records are kept.
        hidden: the indices of the cells that hold hidden tests: run without input history, their
        traces cleared after (kernel.py)."""
        results, replay = [], []
        for index, source in enumerate(sources):
            if source is None:
                results.append(CellRun(status="skipped"))
                continue
            if time.monotonic() > self.deadline:
                results.append(CellRun(status="timeout", reason="the notebook ran past its total time limit"))
                continue
            if self.kernel is None or not self.kernel.alive:
                if self.restarts > self.limits.max_restarts:
                    results.append(CellRun(status="died", reason="too many kernel crashes; not run"))
                    continue
                self._stop()
                self._start()
                self.restarts += 1
                for earlier, was_hidden in replay:  # rebuild the state the cell expects, without its outputs
                    self._execute(earlier, replay=True, hidden=was_hidden)
            run = self._execute(source, outputs=outputs, hidden=index in hidden)
            if run.status in ("ok", "error"):
                replay.append((source, index in hidden))  # a cell that timed out or killed the kernel is not replayed
            results.append(run)
        return results

    def _execute(self, source, outputs=True, replay=False, hidden=False):
        """One cell. A replayed cell keeps neither outputs nor records; outputs=False keeps records only."""
        kernel = self.kernel
        quiet = replay or not outputs
        budget = 0 if quiet else max(self.limits.output_bytes - self.output_used, 0)
        run = CellRun()
        if not kernel.send({"run": source, "quiet": quiet, "budget": budget, "hidden": hidden}):
            return self._died(run, kernel, replay)
        end = min(time.monotonic() + self.limits.cell_timeout, self.deadline)
        interrupted = None
        while True:
            now = time.monotonic()
            if interrupted is None and now > end:
                self._signal(kernel, signal.SIGINT)
                interrupted = now
            if interrupted is not None and now > interrupted + GRACE:
                records = self._records(kernel, replay)
                self._stop()  # it ignores SIGINT: only killing it stops it
                return CellRun(
                    run.outputs,
                    "timeout",
                    f"ran past the {self.limits.cell_timeout:g} s limit and did not stop when interrupted",
                    records,
                )
            ready = kernel.wait(0.2)
            if kernel.records in ready:
                self._take_records(kernel)
            if kernel.channel not in ready:
                continue
            messages = kernel.receive(self.limits.output_bytes + 2**16)
            if messages is None:  # gone, or it broke the protocol: either way it is over
                return self._died(run, kernel, replay)
            for message in messages:
                if "done" in message:
                    return self._finish(run, message, interrupted, kernel, replay)
                if not quiet:
                    self._keep(run, message)

    def _signal(self, kernel, signum):
        try:
            self.zygote.signal(kernel.pid, signum)
        except zygotes.SandboxError:
            kernel.alive = False

    def _finish(self, run, message, interrupted, kernel, replay):
        error = intake.text(message.get("error"), 300)
        run.status = "error" if message.get("done") != "ok" else "ok"
        run.reason = error if run.status == "error" else ""
        self.output_dropped |= bool(message.get("dropped"))
        if interrupted is not None or error.startswith("KeyboardInterrupt"):
            run.status, run.reason = "timeout", f"ran past the {self.limits.cell_timeout:g} s limit"
            run.outputs = [
                dict(o, ename="CellTimeoutError", evalue="ran past the time limit")
                if o["output_type"] == "error"
                else o
                for o in run.outputs
            ]
        run.records = self._records(kernel, replay)
        return run

    def _died(self, run, kernel, replay=False):
        reason = "the kernel died (os._exit, a crash, or out of memory)"
        if kernel.cgroup is not None and kernel.cgroup.oom_kills():
            reason = f"the kernel used more than the {self.limits.memory_mb} MB memory limit and was stopped"
        if kernel.broke_protocol:
            reason = "the kernel sent malformed messages to the grader and was stopped"
        records = self._records(kernel, replay)
        self._stop()
        return CellRun(run.outputs, "died", reason, records)

    # -- what the kernel sends ---------------------------------------------------------------------
    def _keep(self, run, message):
        if message.get("clear") is not None:
            run.outputs.clear()
            return
        output = intake.output(message.get("output"))
        if output is None:
            return
        size = output_size(output)
        if self.output_used + size > self.limits.output_bytes:
            if not self.output_dropped:
                run.outputs.append({"output_type": "stream", "name": "stderr", "text": NOTE})
            self.output_dropped = True
            return
        self.output_used += size
        run.outputs.append(output)

    def _take_records(self, kernel):
        for line in kernel.read_records(
            self.limits.record_bytes - self.record_used, RECORDS_PER_CELL - len(kernel.lines)
        ):
            self.record_used += len(line)
            kernel.lines.append(line)
        self.records_dropped |= kernel.records_overflowed

    def _records(self, kernel, replay):
        """The records written during this cell: all of them are in the pipe by now."""
        self._take_records(kernel)
        lines, kernel.lines = kernel.lines, []
        return [] if replay else [r for r in map(intake.record, lines) if r is not None]


class _Kernel:
    """The grader's end of one running kernel: its socket, its records pipe, its cgroup."""

    def __init__(self, pid, channel, records, cgroup, scratch):
        self.pid, self.channel, self.records, self.cgroup, self.scratch = pid, channel, records, cgroup, scratch
        self.alive, self.broke_protocol = True, False
        self.inbox = b""
        self.partial, self.lines, self.records_overflowed = b"", [], False
        os.set_blocking(records, False)

    def send(self, message):
        data = json.dumps(message).encode()
        try:
            self.channel.sendall(struct.pack(">I", len(data)) + data)
            return True
        except OSError:
            self.alive = False
            return False

    def wait(self, seconds):
        return select.select([self.channel, self.records], [], [], seconds)[0]

    def receive(self, max_frame):
        """The complete messages that have arrived; None if the kernel is gone or misbehaved."""
        try:
            chunk = self.channel.recv(1 << 20)
        except OSError:
            chunk = b""
        if not chunk:
            self.alive = False
            return None
        self.inbox += chunk
        messages = []
        while len(self.inbox) >= 4:
            size = struct.unpack(">I", self.inbox[:4])[0]
            if size > max_frame:
                return self._broken()
            if len(self.inbox) < 4 + size:
                break
            frame, self.inbox = self.inbox[4 : 4 + size], self.inbox[4 + size :]
            try:
                message = json.loads(frame)
            except (ValueError, UnicodeDecodeError, RecursionError):
                return self._broken()
            if not isinstance(message, dict):
                return self._broken()
            messages.append(message)
        return messages

    def _broken(self):
        self.alive, self.broke_protocol = False, True
        return None

    def read_records(self, room, count):
        """Whole lines of the records pipe read so far, within `room` bytes and `count` lines; the
        rest dropped."""
        lines = []
        while True:
            try:
                chunk = os.read(self.records, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.partial += chunk
            *complete, self.partial = self.partial.split(b"\n")
            for line in complete:
                if len(line) > RECORD_LINE_MAX or len(line) > room or len(lines) >= count:
                    self.records_overflowed = True
                    continue
                room -= len(line)
                lines.append(line)
            if len(self.partial) > RECORD_LINE_MAX:
                self.partial, self.records_overflowed = b"", True
        return lines

    def close(self):
        self.alive = False
        self.channel.close()
        os.close(self.records)
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
