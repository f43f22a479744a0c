"""The grader's handle on a zygote: a warm, confined Python (kernel.py) that forks one fresh
kernel per student, so that no student pays for starting Python, numpy and matplotlib.

    zygote = acquire(view, confined)      # this process's idle zygote for the view, or a new one
    pid = zygote.fork(plan, fds)          # a student's pid 1, inside the sandbox's pid namespace
    zygote.signal(pid, signal.SIGINT)
    release(zygote)

Each worker process (a ProcessPoolExecutor or Dask worker) starts its own zygotes lazily, and
one zygote serves one student at a time. The zygote never runs student code itself: every
student's code runs in a process that only it has touched.
"""
import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading

from . import cgroups, view as views


class SandboxError(RuntimeError):
    """The sandbox itself failed (not the student's code)."""


class Zygote:
    def __init__(self, view, confined, cgroup_roots=None, probe=False):
        self.key, self.cgroup_roots = (view.zygote_key, confined), cgroup_roots
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        info_out, info_in = os.pipe()
        self.log = tempfile.TemporaryFile()
        self.home = None
        if confined:
            command = views.bwrap_command(view, theirs.fileno(), info_in, probe=probe)
            environment = None
        else:  # --unsafe-no-sandbox on a machine without bubblewrap: the same program, unconfined
            self.home = tempfile.mkdtemp(prefix="lstm-zygote-")
            command, environment = views.unconfined_command(view, theirs.fileno(), self.home, probe=probe)
        self.process = subprocess.Popen(command, pass_fds=(theirs.fileno(), info_in), stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=self.log, env=environment, close_fds=True)
        theirs.close()
        os.close(info_in)
        self.pid = self.process.pid
        if confined:
            with os.fdopen(info_out) as info:
                self.pid = json.loads(info.read() or "{}").get("child-pid", self.process.pid)
        else:
            os.close(info_out)
        if cgroup_roots:
            cgroups.park(cgroup_roots, self.pid)
        self.ready = self._receive(timeout=120)
        if "error" in self.ready or not self.ready:
            self.close()
            raise SandboxError(f"the grading sandbox did not start: {self.ready.get('error') or self.stderr()}")

    def stderr(self):
        self.log.seek(0)
        return self.log.read()[-3000:].decode(errors="replace")

    def _receive(self, timeout):
        self.control.settimeout(timeout)
        try:
            message = self.control.recv(1 << 16)
        except (socket.timeout, OSError):
            return {}
        return json.loads(message) if message else {}

    def _request(self, request, fds=()):
        try:
            socket.send_fds(self.control, [json.dumps(request).encode()], list(fds))
        except OSError as error:
            raise SandboxError(f"the grading sandbox is gone ({error}): {self.stderr()}") from None
        reply = self._receive(timeout=60)
        if not reply or "error" in reply:
            raise SandboxError(f"the grading sandbox failed: {reply.get('error') or self.stderr()}")
        return reply

    def fork(self, plan, fds, cgroup=None):
        """Start one student's processes; return its pid 1 (inside the sandbox)."""
        if cgroup is not None:  # born in the student's cgroup: the zygote goes in for the fork
            cgroup.enter(self.pid)
        try:
            return self._request({"op": "fork", "plan": plan}, fds)["pid"]
        finally:
            if cgroup is not None:
                cgroups.park(self.cgroup_roots, self.pid)

    def signal(self, pid, signum):
        self._request({"op": "signal", "pid": pid, "signal": int(signum)})

    def alive(self):
        return self.process.poll() is None

    def close(self):
        self.control.close()  # the zygote ends, and with it (pid 1) everything in its sandbox
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
_idle = []  # zygotes of this process not serving a student, most recently used last
KEEP = 2  # idle zygotes kept per process (a torch and a numpy one, typically)


def acquire(view, confined, cgroup_roots):
    with _lock:
        for zygote in reversed(_idle):
            if zygote.key == (view.zygote_key, confined):
                _idle.remove(zygote)
                if zygote.alive():
                    return zygote
                zygote.close()
                break
    return Zygote(view, confined, cgroup_roots)


def release(zygote):
    with _lock:
        if not zygote.alive():
            zygote.close()
            return
        _idle.append(zygote)
        while len(_idle) > KEEP:
            _idle.pop(0).close()


def _close_all():
    with _lock:
        while _idle:
            _idle.pop().close()


def _forget_after_fork():
    """A forked worker must not use its parent's zygotes: it starts its own."""
    global _lock
    _lock = threading.Lock()
    for zygote in _idle:
        zygote.control.close()
    _idle.clear()


atexit.register(_close_all)
os.register_at_fork(after_in_child=_forget_after_fork)
