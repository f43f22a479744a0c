"""The grading kernel. Runs INSIDE the sandbox; started by autograder/sandbox/zygote.py as

    bwrap <view.bwrap_command> python -I -B /run/lstm-grader/kernel.py '<settings JSON>'

It imports nothing of the course (no course package is importable in here), only the standard
library, IPython and what the notebooks need. It is a zygote: it imports once what every
student's notebook needs (numpy, matplotlib with the inline backend, IPython), runs no student
code itself, and for each student forks three processes:

    zygote            waits for the grader's commands on its control socket; may branch: fork
    │                 a second zygote that also imports torch, for the assignments that use it
    └─ setup          new user, mount, pid, network, ipc and uts namespaces; the student's own
       │              mounts (view.student_mounts); then only waits
       └─ reaper      pid 1 of the student's pid namespace: its own session, /proc and session
          │           keyring, then no capabilities and the seccomp filter (sandbox/seccomp.py)
          │           for it and all it starts; reaps orphans, passes SIGINT on; when it ends,
          │           every process of the student ends
          └─ kernel   the student's cells, one at a time, in an IPython shell

A student sees nothing of the zygote: not in its /proc (a fresh one, of its own pid namespace),
not by pid, not by ptrace (denied, and the zygote is not dumpable), not through a keyring or a
session it shares (its own session, so its own scheduling group, and its own session keyring).

The kernel talks to the grader over its own socket (fd 3), in frames: 4 bytes of length, then
JSON. grader -> kernel: {"run": source, "quiet": bool, "budget": output bytes left, "hidden": bool
(a hidden test: run without input history, its traces cleared after)}; kernel ->
grader: {"output": <nbformat output>}, {"clear": wait}, and at the end of each cell
{"done": "ok" | "error", "error": "Name: message", "dropped": bool}. Outputs are capped here,
where they are produced, so that printing 100 MB costs neither the kernel's memory nor the
grader's. Check records do not pass here: the course's checks append them to
$LSTM_COURSE_RECORDS (/dev/fd/4, a pipe the grader reads).
"""

import base64
import ctypes
import errno
import fcntl
import io
import json
import linecache
import os
import resource
import select
import signal
import socket
import struct
import sys
import traceback

KERNEL_FD, RECORDS_FD = 3, 4
STREAM_FLUSH = 64 * 1024  # printed text is sent in pieces of this size
NOTE = "\n[the rest of this notebook's output is not shown: it passed the grader's limit]\n"

# -- Linux system calls (ctypes: Python 3.11 has no os.unshare or mount) ------------------------
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
KEYCTL_JOIN_SESSION_KEYRING = 1

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _prctl(option, value):
    _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl({option})")


def _mount(source, target, fstype, flags, data=None):
    encode = lambda s: None if s is None else s.encode()  # noqa: E731
    _check(
        _libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags), encode(data)),
        f"mount {target}",
    )


def enter_namespaces():
    """New user (same uid, all capabilities inside it only), mount, pid, network, ipc and uts
    namespaces: the student's own, nested in the sandbox's."""
    uid, gid = os.geteuid(), os.getegid()
    _check(
        _libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS),
        "unshare",
    )
    _prctl(PR_SET_DUMPABLE, 1)  # a process may write its own uid_map only while dumpable,
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    _prctl(PR_SET_DUMPABLE, 0)  # and no process of the student's may trace it afterwards
    _mount(None, "/", None, MS_REC | MS_PRIVATE)


def _locked_flags(path):
    """The mount flags that a remount must keep (the kernel refuses to drop them)."""
    flags = os.statvfs(path).f_flag
    kept = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)
    return kept | (MS_RELATIME if flags & 4096 else 0)  # ST_RELATIME is 4096, MS_RELATIME is not


def uncover_proc():
    """Take bubblewrap's read-only covers off the zygote's /proc (it covers /proc/sysrq-trigger and
    others when run by root). In each student's namespaces they would be locked mounts over parts
    of a procfs, and a kernel then refuses the student a procfs of its own ("mount /proc:
    Operation not permitted" on Debian 12's Linux 6.1; measured in tests/test_cgroup_v2_vm.py).
    The student's own /proc gets the same files read-only again (view.PROC_READ_ONLY)."""
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    for point in sorted({p for p in points if p.startswith("/proc/")}, key=len, reverse=True):
        _check(_libc.umount2(point.encode(), MNT_DETACH), f"umount {point}")


def apply_mounts(steps, files):
    """Carry out view.student_mounts in the student's mount namespace."""
    for step, *arguments in steps:
        if step == "tmpfs":  # target, bytes
            target, size = arguments
            _mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=0755")
        elif step == "dir":
            os.makedirs(arguments[0], exist_ok=True)
        elif step in ("bind", "ro-bind"):  # source, target
            source, target = arguments
            if os.path.isdir(source):
                os.makedirs(target, exist_ok=True)
            elif not os.path.exists(target):
                open(target, "x").close()
            _mount(source, target, None, MS_BIND)
            if step == "ro-bind":
                _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(target))
        elif step == "file-ro":  # index of a passed file descriptor, target
            index, target = arguments
            with os.fdopen(os.dup(files[index]), "rb") as source, open(target, "xb") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            _mount(target, target, None, MS_BIND)
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(target))
        elif step == "remount-ro":
            target = arguments[0]
            _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(target))
        elif step == "hide":  # an empty read-only tmpfs over a folder
            _mount("tmpfs", arguments[0], "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=0555")
        else:
            raise ValueError(f"unknown mount step {step!r}")


def mount_proc(read_only, masked):
    """A fresh procfs of the caller's pid namespace on /proc, over the sandbox's: the student's
    processes and nothing else; the host-wide files in it read-only or empty (view.PROC_*)."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name in read_only:
        path = f"/proc/{name}"
        if os.path.exists(path):
            _mount(path, path, None, MS_BIND | MS_REC)
            _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(path))
    for name in masked:
        path = f"/proc/{name}"
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=0555")
        elif os.path.exists(path):
            _mount("/dev/null", path, None, MS_BIND)
            _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(path))


def join_fresh_keyring(keyctl):
    """A new, empty session keyring: not the one the grader was started in (systemd, pam_keyinit)."""
    serial = _libc.syscall(ctypes.c_long(keyctl), KEYCTL_JOIN_SESSION_KEYRING, None)
    if serial < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"keyctl(JOIN_SESSION_KEYRING): {os.strerror(code)}")


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install_seccomp(program):
    """Install a seccomp filter (BPF bytes, 8 per instruction) on this process and all it starts.
    Needs no_new_privs (drop_privileges) and cannot be undone."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    _check(
        _libc.prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(fprog), 0, 0),
        "prctl(PR_SET_SECCOMP)",
    )


def confine(settings):
    """What the student's pid 1 does before any of the student's code runs: its own session (so
    its own scheduling group), /proc and session keyring; then no capabilities, and the filter."""
    os.setsid()
    mount_proc(settings["proc_read_only"], settings["proc_masked"])
    if settings.get("keyctl") is not None:
        join_fresh_keyring(settings["keyctl"])
    drop_privileges()
    if settings.get("seccomp"):
        install_seccomp(base64.b64decode(settings["seccomp"]))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_privileges():
    """No capabilities, now or after any exec, and no way to gain privileges."""
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for capability in range(last + 1):
        _prctl(PR_CAPBSET_DROP, capability)
    drop_capabilities()


def drop_capabilities():
    """No capabilities now (each student's user namespace gives it its own), none gained by exec."""
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "prctl(ambient)")
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()  # _LINUX_CAPABILITY_VERSION_3: all zero
    _check(_libc.capset(ctypes.byref(header), data), "capset")


# -- the channel to the grader -----------------------------------------------------------------
class Channel:
    """Frames over a socket: 4 bytes of length, then JSON."""

    def __init__(self, fd):
        self.socket = socket.socket(fileno=fd)

    def send(self, message):
        try:
            data = json.dumps(message).encode()
        except (TypeError, ValueError):  # an output that is not JSON (a student's own repr)
            data = json.dumps(
                {
                    "output": {
                        "output_type": "stream",
                        "name": "stderr",
                        "text": "[an output that is not JSON was dropped]\n",
                    }
                }
            ).encode()
        # A SIGINT (the time limit) must not cut a frame in half: hold it until the frame is out.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.socket.sendall(struct.pack(">I", len(data)) + data)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def receive(self):
        header = self._exactly(4)
        return None if header is None else json.loads(self._exactly(struct.unpack(">I", header)[0]))

    def _exactly(self, size):
        data = b""
        while len(data) < size:
            chunk = self.socket.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data


def output_size(output):
    """How much of the output budget an output costs: every field counts, metadata included.
    (The grader counts the same way, with this function.)"""
    kind = output.get("output_type")
    if kind == "stream":
        return len(str(output.get("text", "")))
    if kind == "error":
        return (
            len(str(output.get("ename", "")))
            + len(str(output.get("evalue", "")))
            + sum(len(str(line)) for line in output.get("traceback", []) or [])
        )
    return len(json.dumps(output.get("data", {}), default=str)) + len(
        json.dumps(output.get("metadata", {}), default=str)
    )


class Outputs:
    """Every output of the running cell goes through here: counted against the notebook's
    budget and sent, or dropped (once noted) when the budget is spent."""

    def __init__(self, channel):
        self.channel, self.budget, self.quiet, self.dropped = channel, 0, False, False
        self.pending_name, self.pending = None, []
        self.pending_size = 0
        self.forked = False  # a copy of the kernel made by the student's os.fork(): it says nothing
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self):
        self.forked, self.quiet, self.pending, self.pending_size = True, True, [], 0

    def start(self, budget, quiet):
        self.budget, self.quiet, self.dropped = budget, quiet, False

    def _drop(self):
        if not self.dropped:
            self.dropped = True
            self.channel.send({"output": {"output_type": "stream", "name": "stderr", "text": NOTE}})

    def stream(self, name, text):
        if self.quiet or not text:
            return
        if name != self.pending_name:
            self.flush()
            self.pending_name = name
        room = self.budget - self.pending_size
        if len(text) > room:
            text = text[: max(room, 0)]
            self.flush()
            self._drop()
            if not text:
                return
        self.pending.append(text)
        self.pending_size += len(text)
        if self.pending_size >= STREAM_FLUSH or self.dropped:
            self.flush()

    def flush(self):
        if self.pending:
            text = "".join(self.pending)
            self.pending, self.pending_size = [], 0
            self.budget -= len(text)
            self.channel.send({"output": {"output_type": "stream", "name": self.pending_name, "text": text}})

    def send(self, output):
        if self.quiet:
            return
        self.flush()
        size = output_size(output)
        if size > self.budget:
            self._drop()
            return
        self.budget -= size
        self.channel.send({"output": output})

    def clear(self, wait):
        if not self.quiet:
            self.flush()
            self.channel.send({"clear": bool(wait)})


OUTPUTS = None  # the running student's Outputs (set in the kernel process, after the fork)


class _Stream:
    """sys.stdout / sys.stderr of the student's kernel."""

    encoding, errors = "utf-8", "replace"

    def __init__(self, name):
        self.name = name

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        OUTPUTS.stream(self.name, text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def fileno(self):
        raise io.UnsupportedOperation("the grading kernel's output is not a file")


def _shell_class():
    """An IPython InteractiveShell whose outputs go to OUTPUTS, as a Jupyter kernel's would."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.error import UsageError
    from IPython.core.interactiveshell import InteractiveShell

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            OUTPUTS.send({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False):
            OUTPUTS.clear(wait)

    class ResultHook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            OUTPUTS.send(
                {
                    "output_type": "execute_result",
                    "data": format_dict,
                    "metadata": md_dict or {},
                    "execution_count": self.shell.execution_count,
                }
            )

    class GradingShell(InteractiveShell):
        display_pub_class = Publisher
        displayhook_class = ResultHook

        def _showtraceback(self, etype, evalue, stb):
            OUTPUTS.send({"output_type": "error", "ename": etype.__name__, "evalue": _text(evalue), "traceback": stb})

        def system(self, cmd):
            return self.system_piped(cmd)  # output through sys.stdout, as in a Jupyter kernel

        def enable_gui(self, gui=None):
            if gui not in (None, "inline"):
                raise UsageError(f"no {gui} window while grading: figures are shown inline")

    return GradingShell


def _text(value, limit=None):
    """str(value) of a student's object, which may raise."""
    try:
        text = str(value)
    except BaseException:  # a student's __str__ can raise anything
        text = f"<{type(value).__name__}>"
    return text if limit is None else text[:limit]


# -- the zygote ------------------------------------------------------------------------------------
def warm(modules, shell=None):
    """The shell every student's kernel starts from (made if not given), and the modules they
    all import."""
    if shell is None:
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False  # no sqlite file, no thread: the zygote forks
        shell = _shell_class().instance(config=config)
        _warm_output(shell)
    for module in modules:  # matplotlib after the shell: its inline backend hooks into it
        __import__(module)
    if "matplotlib.pyplot" in modules:  # the first figure loads fonts and the PNG writer: once, here
        import matplotlib.pyplot as plt

        figure, axes = plt.subplots()
        axes.plot([0, 1], label="warming up")
        axes.legend()
        figure.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        plt.close(figure)
    return shell


def _warm_output(shell):
    """The first traceback imports and compiles what formatting one needs: once, here."""
    try:
        raise ValueError("warming up")
    except ValueError as error:
        shell.InteractiveTB.structured_traceback(type(error), error, error.__traceback__)


SETTINGS = {}  # the zygote's settings (view._settings): how each student is confined


def main(settings):
    SETTINGS.update(settings)
    if "proc_read_only" in settings:  # confined: bubblewrap left the zygote CAP_SYS_ADMIN for this only
        uncover_proc()
        drop_capabilities()
    control = socket.socket(fileno=settings["control"])
    _prctl(PR_SET_DUMPABLE, 0)  # students cannot read or trace the zygote (no core dumps either)
    if settings.get("probe"):
        control.send(json.dumps(probe()).encode())
        return
    shell = _warm_up(control, settings["warm"])
    if shell is not None:
        _serve_students(control, shell)


def _warm_up(control, modules, shell=None):
    """warm(), then tell the grader: ready, or why not."""
    try:
        shell = warm(modules, shell)
    except BaseException:
        control.send(json.dumps({"error": traceback.format_exc(limit=5)}).encode())
        return None
    control.send(json.dumps({"ready": True}).encode())
    return shell


def _serve_students(control, shell):
    """A zygote's life: fork students, signal them, branch, until the grader hangs up."""
    inits = {}  # setup process -> the student's pid 1
    while True:
        _reap(inits)
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 16)
        except InterruptedError:
            continue
        if not message:
            return  # the grader is gone: so is everything of the sandbox, as the root is its pid 1
        request = json.loads(message)
        if request["op"] == "fork":
            reply = _fork_student(control, shell, request["plan"], fds, inits)
        elif request["op"] == "signal" and request["pid"] in inits.values():  # only our own students
            try:
                os.kill(request["pid"], request["signal"])
                reply = {"ok": True}
            except ProcessLookupError:
                reply = {"ok": False}
        elif request["op"] == "branch":
            reply = _branch(control, shell, request["warm"], fds)
        else:
            reply = {"error": f"bad request {request!r}"[:200]}
        control.send(json.dumps(reply).encode())


def _branch(control, shell, modules, fds):
    """A zygote that has imported more (torch), forked from this one, on its own socket: the
    students it forks can import torch; this one's never could."""
    pid = os.fork()
    if pid == 0:
        control.close()
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        branch = socket.socket(fileno=fds[0])
        if _warm_up(branch, modules, shell) is not None:
            _serve_students(branch, shell)
        os._exit(0)
    os.close(fds[0])
    return {"pid": pid}


def probe():
    """Can a student be confined here as when graded: its own namespaces and mounts, its pid 1 its
    own /proc, keyring and seccomp filter, under which keyctl() is refused? (asked before grading)"""
    report_out, report_in = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(report_out)
        try:
            enter_namespaces()
            _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k")
            init = os.fork()  # pid 1 of the new pid namespace, as a student's reaper is
            if init == 0:
                _probe_init(report_in)
            _, status = os.waitpid(init, 0)
            os._exit(os.waitstatus_to_exitcode(status))
        except BaseException as error:
            os.write(report_in, f"{error}".encode()[:2000])
            os._exit(1)
    os.close(report_in)
    with os.fdopen(report_out, "rb") as report:
        problem = report.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    works = os.waitstatus_to_exitcode(status) == 0
    return {"ok": works, "problem": "" if works else problem or "the probe failed"}


def _probe_init(report):
    try:
        confine(SETTINGS)
        if SETTINGS.get("seccomp"):
            refused = (
                _libc.syscall(ctypes.c_long(SETTINGS["keyctl"]), 0, -3, 0) < 0 and ctypes.get_errno() == errno.EPERM
            )
            if not refused:
                raise OSError("the seccomp filter was installed, but keyctl() still works")
        os._exit(0)
    except BaseException as error:
        os.write(report, f"{error}".encode()[:2000])
        os._exit(1)


def _reap(inits):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        inits.pop(pid, None)


def _fork_student(control, shell, plan, fds, inits):
    report_out, report_in = os.pipe()
    setup = os.fork()
    if setup == 0:
        try:
            os.close(report_out)
            control.close()
            _setup(shell, plan, fds, report_in)
        except BaseException:
            os.write(report_in, ("error " + traceback.format_exc(limit=3)).encode()[:4000])
        os._exit(70)
    os.close(report_in)
    for fd in fds:
        os.close(fd)
    report = b""
    while select.select([report_out], [], [], 30)[0]:
        chunk = os.read(report_out, 4096)
        if not chunk:
            break
        report += chunk
        if report.startswith(b"pid ") and report.endswith(b"\n"):
            break
    os.close(report_out)
    if not report.startswith(b"pid "):
        return {"error": report.decode(errors="replace") or "the student's process did not start"}
    inits[setup] = int(report.split()[1])
    return {"pid": inits[setup]}


def _setup(shell, plan, fds, report):
    """The student's namespaces and mounts; then the reaper, pid 1 of the student."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if plan["namespaces"]:
        enter_namespaces()
        apply_mounts(plan["mounts"], fds[2:])
    reaper = os.fork()
    if reaper == 0:
        os.close(report)
        try:
            _reaper(shell, plan, fds)
        finally:
            os._exit(71)  # not confined as it must be (the grader's probe says why): no student code runs
    os.write(report, f"pid {reaper}\n".encode())
    os.close(report)
    for fd in fds:
        os.close(fd)
    os.waitpid(reaper, 0)
    os._exit(0)


def _reaper(shell, plan, fds):
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if plan["namespaces"]:
        confine(SETTINGS)
    kernel = os.fork()
    if kernel == 0:
        _kernel(shell, plan, fds)
    for fd in fds:
        os.close(fd)
    signal.signal(signal.SIGINT, lambda *_: os.kill(kernel, signal.SIGINT))  # the time limit
    while True:
        try:
            pid, _ = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == kernel:
            os._exit(0)  # pid 1 ends: the kernel kills every process left in the namespace


def _kernel(shell, plan, fds):
    global OUTPUTS
    try:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        for fd, target in ((fds[0], KERNEL_FD), (fds[1], RECORDS_FD)):
            os.dup2(fd, 100 + target)
        null = os.open("/dev/null", os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        for target in (KERNEL_FD, RECORDS_FD):
            os.dup2(100 + target, target)
        os.closerange(RECORDS_FD + 1, 1 << 16)
        fcntl.fcntl(RECORDS_FD, fcntl.F_SETFD, 0)  # kept across exec, like the environment variable
        _prctl(PR_SET_DUMPABLE, 1)  # the student's own process: its /proc/self is its own
        resource.setrlimit(resource.RLIMIT_CORE, (1, 1))  # 1, not 0: no core file, and no core_pattern pipe
        for name, value in plan["rlimits"].items():
            resource.setrlimit(getattr(resource, name), (value, value))
        os.chdir(plan["cwd"])
        os.environ.clear()
        os.environ.update(plan["environment"])
        sys.path.insert(0, "")  # the working folder first, as in a Jupyter kernel
        channel = Channel(KERNEL_FD)
        OUTPUTS = Outputs(channel)
        sys.stdout, sys.stderr, sys.stdin = _Stream("stdout"), _Stream("stderr"), open(os.devnull)
        _serve_cells(shell, channel)
    except BaseException:
        pass
    os._exit(0)


_RUNNING = False


def _interrupt(signum, frame):
    if _RUNNING:
        raise KeyboardInterrupt


def _forget_cell(shell, cached):
    """The traces a cell leaves in the shell: its source in linecache (tracebacks read it there),
    the last execution's record, the input and output history. Cleared after a hidden test ran.
    (This process may still hold them in memory: what hides hidden tests from students is that
    the outputs they see come from a kernel that never ran one, grading.py.)"""
    for name in set(linecache.cache) - cached:
        linecache.cache.pop(name, None)
        shell.compile._filename_map.pop(name, None)
    shell.last_execution_result = None
    shell.displayhook.exec_result = None
    for name in ("In", "_ih", "Out", "_oh"):
        history = shell.user_ns.get(name)
        if isinstance(history, (list, dict)):
            history.clear()
    for name in [
        n
        for n in shell.user_ns
        if n in ("_", "__", "___", "_i", "_ii", "_iii") or (n.startswith(("_i", "_")) and n.lstrip("_i").isdigit())
    ]:
        shell.user_ns.pop(name, None)


def _serve_cells(shell, channel):
    """Run cells as the grader sends them, until it closes the channel."""
    global _RUNNING
    signal.signal(signal.SIGINT, _interrupt)
    while (request := channel.receive()) is not None:
        OUTPUTS.start(request["budget"], request["quiet"])
        error = None
        _RUNNING = True
        hidden = bool(request.get("hidden"))
        cached = set(linecache.cache)
        try:
            result = shell.run_cell(request["run"], store_history=not hidden)
            failure = result.error_before_exec or result.error_in_exec
            if failure is not None:
                error = f"{type(failure).__name__}: {_text(failure, 300)}"
            del result, failure
        except KeyboardInterrupt:  # the time limit, outside the student's code
            error = "KeyboardInterrupt: "
        finally:
            _RUNNING = False
            if hidden:
                _forget_cell(shell, cached)
        if OUTPUTS.forked:  # the student's os.fork() child finished the cell: it goes, as in a script
            os._exit(0)
        OUTPUTS.flush()
        channel.send({"done": "error" if error else "ok", "error": (error or "")[:300], "dropped": OUTPUTS.dropped})


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
