"""Run a student's notebook cells in a kernel that cannot hurt the grader, the course or the class.

    with Sandbox(limits, make_base(tmp), hidden=[course_root]) as sandbox:
        results = sandbox.run(["import numpy as np", "def f(): ...", "check_example(...)"])

Each kernel is a fresh `python -m ipykernel_launcher`. Where the machine allows it (Linux,
grader run as root) it starts in new mount, network and pid namespaces (JAIL below): the
checkout, the course folder (gradebook, submissions), other students' scratch folders and the
grader's processes are hidden, Python is read-only, there is no network, and every capability
is dropped so the student's code cannot undo any of it. prlimit caps its memory. Its working
directory is an empty scratch folder and its Python path holds only a copy of lstm_ref and
autograder (no solutions/, no course/). The kernel talks to the grader over Unix sockets in
that scratch folder, which works without a network.

A cell that runs past the time limit is interrupted (SIGINT); a kernel that ignores the
interrupt, exits or crashes is killed and replaced, the cells before are replayed silently,
and grading goes on with the next cell. Output beyond a size limit is dropped.
"""
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client import KernelManager

from .course import REPOSITORY

@dataclass
class Limits:
    cell_timeout: float = 30  # seconds per cell
    notebook_timeout: float = 300  # seconds for the whole notebook, restarts included
    memory_mb: int = 2048  # address space of the kernel process
    output_bytes: int = 1_000_000  # printed/displayed output kept per notebook
    max_restarts: int = 4  # kernels killed and replaced per notebook
    records_bytes: int = 50_000_000  # check records read per cell (their own channel, not output)
    isolate: bool = True  # namespaces and no capabilities, where the machine allows


@dataclass
class CellRun:
    outputs: list = field(default_factory=list)
    status: str = "ok"  # ok | error | timeout | died | skipped
    reason: str = ""  # why not ok, for the instructor
    records: list = field(default_factory=list)  # the check records written while the cell ran
    verdict: bool | None = None  # a test cell: passed, as the grader decided (grading._score)
    problems: list = field(default_factory=list)  # a test cell: why the grader failed it


# Runs as root inside new mount, network and pid namespaces, then drops every capability
# before starting the kernel: "$@" is the kernel's command line.
JAIL = """set -e
mount --bind "$HOME_DIR" "$BASE/keep"
mount -t tmpfs -o size=64k,mode=711 tmpfs "$BASE/homes"
mkdir -p "$BASE/homes/$HOME_NAME"
mount --bind "$BASE/keep" "$BASE/homes/$HOME_NAME"
umount "$BASE/keep"
for path in $READ_ONLY; do
  if [ -d "$path" ]; then mount --bind "$path" "$path"; mount -o remount,bind,ro "$path"; fi
done
# Python may live inside a folder hidden next (a .venv in the checkout, as in CI): set it
# aside, hide, then mount it back read-only. Hidden folders are empty and mode 111: without
# capabilities even their owner, root, may only walk through one to what was mounted back,
# never list it or create anything in it.
n=0
for path in $REEXPOSE; do
  n=$((n + 1)); mkdir -p "$BASE/expose/$n"; mount --bind "$path" "$BASE/expose/$n"
done
for path in $HIDDEN; do
  if [ -d "$path" ]; then mount -t tmpfs -o size=64k,mode=111 tmpfs "$path"; fi
done
n=0
for path in $REEXPOSE; do
  n=$((n + 1)); (umask 0666; mkdir -p "$path"); mount --bind "$BASE/expose/$n" "$path"
  mount -o remount,bind,ro "$path"; umount "$BASE/expose/$n"
done
exec setpriv --bounding-set=-all --inh-caps=-all --no-new-privs -- "$@"
"""


def _works(command):
    try:
        return subprocess.run(command, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def can_isolate():
    """True where the grader may create namespaces (Linux, as root): see JAIL."""
    return (os.geteuid() == 0 and shutil.which("unshare") and shutil.which("setpriv")
            and _works(["unshare", "-m", "-n", "-p", "--fork", "--mount-proc", "--kill-child", "--",
                        "setpriv", "--bounding-set=-all", "--no-new-privs", "--", "true"]))


def describe_isolation(limits):
    memory = f"{limits.memory_mb} MB of memory per kernel" if shutil.which("prlimit") else "no memory limit (no prlimit)"
    if limits.isolate and can_isolate():
        return ("student kernels: no network, no view of the course, the gradebook, other students or "
                f"the grader's processes, read-only Python, no capabilities; {memory}")
    return f"student kernels NOT isolated (needs root and util-linux unshare/setpriv); {memory}"


def make_base(folder):
    """The run's scratch area: lib/ (empty: the kernel imports student_kit from its folder), homes/, keep/."""
    folder = Path(folder)
    (folder / "lib").mkdir(exist_ok=True)
    (folder / "homes").mkdir(exist_ok=True)
    (folder / "keep").mkdir(exist_ok=True)
    return folder


class _ConfinedKernelManager(KernelManager):
    prefix: list = []

    def format_kernel_cmd(self, extra_arguments=None):
        return list(self.prefix) + super().format_kernel_cmd(extra_arguments)


class Sandbox:
    """One student's kernel (restarted as needed); use as a context manager."""

    def __init__(self, limits, base, hidden=(), isolate=None, assignment_folder=None):
        self.limits, self.base, self.hidden = limits, Path(base), [str(p) for p in hidden]
        self.assignment_folder = assignment_folder  # the released folder: student_kit/, course_data.json
        self.isolate = limits.isolate and can_isolate() if isolate is None else isolate
        self.library = self.base / "lib"
        self.scratch = Path(tempfile.mkdtemp(prefix="student-", dir=self.base / "homes"))
        self.km = self.kc = None
        self.restarts = 0
        self.output_used = 0
        self.output_dropped = False
        self.deadline = time.monotonic() + limits.notebook_timeout

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stop()
        shutil.rmtree(self.scratch, ignore_errors=True)

    # -- the kernel ------------------------------------------------------------------------
    def _environment(self, home):
        venv_bin = os.path.dirname(sys.executable)
        return {
            "PATH": os.pathsep.join([venv_bin, "/usr/bin", "/bin"]),
            "HOME": str(home), "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".mpl"),
            "JUPYTER_RUNTIME_DIR": str(home / ".jupyter"), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
            "PYTHONPATH": str(self.library), "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "LSTM_COURSE_RECORDS": str(home / "records.jsonl"), "NBGRADER_EXECUTION": "autograde",
            "LANG": "C.UTF-8",
        }

    def _prefix(self, home):
        prefix = []
        if self.isolate:
            read_only = {sys.prefix, sys.base_prefix, str(self.library),
                         os.path.dirname(os.path.realpath(sys.executable))}
            hidden = [str(REPOSITORY), *self.hidden]
            inside_hidden = sorted(path for path in read_only
                                   if any(Path(path).is_relative_to(folder) for folder in hidden))
            settings = {"BASE": str(self.base), "HOME_DIR": str(home),
                        "HOME_NAME": str(home.relative_to(self.base / "homes")),
                        "READ_ONLY": " ".join(sorted(read_only)),
                        "REEXPOSE": " ".join(inside_hidden), "HIDDEN": " ".join(hidden)}
            prefix = ["env", *[f"{k}={v}" for k, v in settings.items()],
                      "unshare", "-m", "-n", "-p", "--fork", "--mount-proc", "--kill-child", "--",
                      "sh", "-c", JAIL, "jail"]
        if shutil.which("prlimit"):
            prefix += ["prlimit", f"--as={self.limits.memory_mb * 2**20}", "--core=0", "--"]
        return prefix

    def _start(self):
        home = self.scratch / f"kernel{self.restarts}"
        home.mkdir()
        if self.assignment_folder is not None:  # the notebook imports student_kit from its folder
            shutil.copytree(self.assignment_folder, home, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.ipynb", "__pycache__"))
        self.records_path, self.records_read = home / "records.jsonl", 0
        km = _ConfinedKernelManager(kernel_name="python3", transport="ipc", ip=str(home / "ipc"))
        km.prefix = self._prefix(home)
        km.connection_file = str(home / "connection.json")
        km.start_kernel(cwd=str(home), env=self._environment(home), independent=False)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        self.km, self.kc = km, kc

    def _stop(self):
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                self.km.shutdown_kernel(now=True)
            except Exception:  # a kernel that already died has nothing left to stop
                pass
        self.km = self.kc = None

    def _take_records(self):
        """The check records written since the last call (autograder/verify.py parses them)."""
        from .verify import parse_records

        try:
            with open(self.records_path, "rb") as f:
                f.seek(self.records_read)
                text = f.read(self.limits.records_bytes)
                self.records_read += len(text)
        except OSError:
            return []
        return parse_records(text.decode("utf-8", "replace"))

    def _alive(self):
        return self.km is not None and self.km.is_alive()

    # -- cells -----------------------------------------------------------------------------
    def _collect(self, msg_id, timeout, keep_output=True):
        """Outputs of one execute request; status ok/error/timeout/died."""
        run = CellRun()
        end = min(time.monotonic() + timeout, self.deadline)
        interrupted_at = None
        while True:
            now = time.monotonic()
            if interrupted_at is None and now > end:
                self.km.interrupt_kernel()
                interrupted_at = now
            if interrupted_at is not None and now > interrupted_at + 3:
                self._stop()  # it ignores SIGINT: only killing the kernel stops it
                return CellRun(run.outputs, "timeout", f"ran past the {self.limits.cell_timeout:g} s limit and ignored the interrupt")
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                if not self._alive():
                    return CellRun(run.outputs, "died", "the kernel died (os._exit, a crash, or out of memory)")
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind == "error":
                run.status = "error"
                run.reason = f"{content['ename']}: {content['evalue']}"[:300]
                if interrupted_at is not None or content["ename"] == "KeyboardInterrupt":
                    run.status, run.reason = "timeout", f"ran past the {self.limits.cell_timeout:g} s limit"
                    content = dict(content, ename="CellTimeoutError", evalue="ran past the time limit")
                run.outputs.append({"output_type": "error", "ename": content["ename"],
                                    "evalue": content["evalue"], "traceback": content["traceback"]})
            elif kind in ("stream", "display_data", "execute_result") and keep_output:
                self._keep(run, kind, content)
        if run.status == "ok" and self._reply_status(msg_id) == "error":
            run.status, run.reason = "error", "the cell failed but its error message was suppressed"
        if interrupted_at is not None and run.status == "ok":
            run.status, run.reason = "timeout", f"ran past the {self.limits.cell_timeout:g} s limit"
        return run

    def _reply_status(self, msg_id):
        """The execute_reply's status: an error still shows here when the traceback is hidden."""
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                reply = self.kc.get_shell_msg(timeout=1)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"].get("status")
        return None

    def _keep(self, run, kind, content):
        size = len(str(content.get("text", content.get("data", ""))))
        if self.output_used + size > self.limits.output_bytes:
            if self.output_used <= self.limits.output_bytes:
                run.outputs.append({"output_type": "stream", "name": "stderr",
                                    "text": "\n[output beyond the grader's limit was dropped]\n"})
                self.output_used = self.limits.output_bytes + 1
                self.output_dropped = True
            return
        self.output_used += size
        if kind == "stream":
            run.outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
        else:
            output = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
            if kind == "execute_result":
                output["execution_count"] = content.get("execution_count")
            run.outputs.append(output)

    def run(self, sources):
        """Execute the cells in order; return one CellRun per source (None source: skipped)."""
        results, replay = [], []
        for source in sources:
            if source is None:
                results.append(CellRun(status="skipped"))
                continue
            if time.monotonic() > self.deadline:
                results.append(CellRun(status="timeout", reason="the notebook ran past its total time limit"))
                continue
            if not self._alive():
                if self.restarts > self.limits.max_restarts:
                    results.append(CellRun(status="died", reason="too many kernel crashes; not run"))
                    continue
                self._stop()
                self._start()
                self.restarts += 1
                for earlier in replay:  # rebuild the state the cell expects, without its outputs
                    self._collect(self.kc.execute(earlier, allow_stdin=False), self.limits.cell_timeout, False)
                self._take_records()  # the replayed cells' records were judged the first time
            run = self._collect(self.kc.execute(source, allow_stdin=False), self.limits.cell_timeout)
            run.records = self._take_records()
            if run.status in ("ok", "error"):
                replay.append(source)  # a cell that timed out or killed the kernel is not replayed
            results.append(run)
        return results

