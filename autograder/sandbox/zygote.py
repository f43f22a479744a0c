"""The grader's handle on its zygotes: warm, confined Pythons (kernel.py) that fork one fresh
kernel per student, so that no student pays for starting Python, numpy and matplotlib.

    sandbox = acquire(view, confined, cgroup_roots)   # this process's idle sandbox, or a new one
    zygote = sandbox.zygote(view.uses_torch)          # its root zygote, or the branch with torch
    pid = zygote.fork(plan, fds, cgroup)              # a student's pid 1 (inside the sandbox)
    zygote.signal(pid, signal.SIGINT)
    release(sandbox)

Each worker process (a ProcessPoolExecutor or Dask worker) starts its own sandbox lazily: one
bubblewrap, whose root zygote has imported numpy, matplotlib and IPython, and, once a torch
assignment comes, a branch forked from it that has imported torch too. A sandbox serves one
student at a time, and its zygotes never run student code: every student's code runs in a
process that only it has touched.
"""

import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

from . import view as views


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code)."""


class Zygote:
    """One warm process in the sandbox, and the socket the grader commands it through."""

    def __init__(self, control, pid, sandbox):
        self.control, self.pid, self.sandbox = control, pid, sandbox  # pid: on the host

    def receive(self, timeout):
        self.control.settimeout(timeout)
        try:
            message = self.control.recv(1 << 16)
        except OSError:  # socket.timeout included
            return {}
        return json.loads(message) if message else {}

    def _request(self, request, fds=()):
        try:
            socket.send_fds(self.control, [json.dumps(request).encode()], list(fds))
        except OSError as error:
            raise SandboxError(f"the grading sandbox is gone ({error}): {self.sandbox.stderr()}") from None
        reply = self.receive(timeout=60)
        if not reply or "error" in reply:
            raise SandboxError(f"the grading sandbox failed: {reply.get('error') or self.sandbox.stderr()}")
        return reply

    def fork(self, plan, fds, cgroup=None):
        """Start one student's processes; return its pid 1 (inside the sandbox)."""
        if cgroup is not None:  # born in the student's cgroup: the zygote goes in for the fork
            cgroup.enter(self.pid)
        try:
            return self._request({"op": "fork", "plan": plan}, fds)["pid"]
        finally:
            if cgroup is not None:
                self.sandbox.cgroup_roots.park(self.pid)

    def signal(self, pid, signum):
        self._request({"op": "signal", "pid": pid, "signal": int(signum)})

    def branch(self, modules):
        """A zygote forked from this one that has also imported `modules`."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid = self._request({"op": "branch", "warm": list(modules)}, [theirs.fileno()])["pid"]
        finally:
            theirs.close()
        branch = Zygote(ours, self._host_pid(pid), self.sandbox)
        ready = branch.receive(timeout=START_TIMEOUT)
        if not ready.get("ready"):
            raise SandboxError(f"the grading sandbox could not import {modules}: {ready.get('error')}")
        return branch

    def _host_pid(self, pid):
        """The host's pid of a process that is `pid` in this zygote's pid namespace."""
        namespace = os.readlink(f"/proc/{self.pid}/ns/pid")
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and os.readlink(entry / "ns/pid") == namespace:
                    status = (entry / "status").read_text()
                    if int(status.split("NSpid:")[1].split("\n")[0].split()[-1]) == pid:
                        return int(entry.name)
            except (OSError, IndexError, ValueError):
                continue  # gone, or not ours to look at
        raise SandboxError(f"the grading sandbox's process {pid} is not to be found")


# Seconds a zygote may take to import what students use (numpy, matplotlib, IPython; torch on a
# branch): a few seconds on a machine, minutes under emulation (the cgroup v2 VM test, where 120 s
# did not suffice). Only the grader's own imports run before it is ready.
START_TIMEOUT = 600


class WarmSandbox:
    """One bubblewrap (or, unconfined, one plain process) and its zygotes."""

    def __init__(self, view, confined, cgroup_roots=None, probe=False):
        self.key, self.cgroup_roots = (view.zygote_key, confined), cgroup_roots
        control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.log = tempfile.TemporaryFile()
        self.home = None
        if confined:
            info_out, info_in = os.pipe()  # bwrap tells the host pid of the command it runs
            command, environment, passed = views.bwrap_command(view, theirs.fileno(), info_in, probe), None, info_in
        else:  # --unsafe-no-sandbox on a machine without bubblewrap: the same program, unconfined
            self.home = tempfile.mkdtemp(prefix="lstm-zygote-")
            command, environment = views.unconfined_command(view, theirs.fileno(), self.home, probe=probe)
            passed = theirs.fileno()
        self.process = subprocess.Popen(
            command,
            pass_fds=(theirs.fileno(), passed),
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            env=environment,
            close_fds=True,
        )
        theirs.close()
        pid = self.process.pid
        if confined:
            os.close(info_in)
            with os.fdopen(info_out) as info:
                pid = json.loads(info.read() or "{}").get("child-pid", pid)
        self.root, self.torch = Zygote(control, pid, self), None
        if cgroup_roots:
            cgroup_roots.park(pid)
        self.ready = self.root.receive(timeout=START_TIMEOUT)
        if not self.ready or "error" in self.ready:
            # Said before close() closes the log.
            why = (
                self.ready.get("error")
                or self.stderr()
                or f"no word from it (it died, or was not ready in {START_TIMEOUT} s)"
            )
            self.close()
            raise SandboxError(f"the grading sandbox did not start: {why}")

    def zygote(self, uses_torch):
        if not uses_torch:
            return self.root
        if self.torch is None:
            self.torch = self.root.branch(views.WARM_TORCH)
        return self.torch

    def stderr(self):
        self.log.seek(0)
        return self.log.read()[-3000:].decode(errors="replace")

    def alive(self):
        return self.process.poll() is None

    def close(self):
        for zygote in (self.torch, self.root):
            if zygote is not None:
                zygote.control.close()  # the root ends, and with it (pid 1) all of its sandbox
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        if self.home:
            shutil.rmtree(self.home, ignore_errors=True)


# -- one pool per process ------------------------------------------------------------------------
_lock = threading.Lock()
_idle = []  # sandboxes of this process not serving a student, most recently used last
KEEP = 2  # idle sandboxes kept per process


def acquire(view, confined, cgroup_roots):
    with _lock:
        for sandbox in reversed(_idle):
            if sandbox.key == (view.zygote_key, confined):
                _idle.remove(sandbox)
                if sandbox.alive():
                    return sandbox
                sandbox.close()
                break
    return WarmSandbox(view, confined, cgroup_roots)


def release(sandbox):
    with _lock:
        if not sandbox.alive():
            sandbox.close()
            return
        _idle.append(sandbox)
        while len(_idle) > KEEP:
            _idle.pop(0).close()


def _close_all():
    with _lock:
        while _idle:
            _idle.pop().close()


def _forget_after_fork():
    """A forked worker must not use its parent's sandboxes: it starts its own."""
    global _lock
    _lock = threading.Lock()
    for sandbox in _idle:
        for zygote in (sandbox.root, sandbox.torch):
            if zygote is not None:
                zygote.control.close()
    _idle.clear()


atexit.register(_close_all)
os.register_at_fork(after_in_child=_forget_after_fork)
