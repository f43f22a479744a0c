"""What a student's kernel may see and do: declared here, and nowhere else.

Two layers, each read like bubblewrap's own command line:

    bwrap_command(view, ...)   the worker's zygote (kernel.py), one per worker process and view:
                               an allow-list of read-only mounts, no network, own namespaces,
                               an unprivileged user without capabilities
    student_mounts(view, ...)  what each student's own namespaces add on top (kernel.apply_mounts):
                               a fresh size-limited tmpfs as $HOME, working folder, /tmp and
                               /dev/shm; the released assignment folder read-only in the working
                               folder; the rest of the zygote's view read-only or hidden
    PROC_READ_ONLY, PROC_MASKED  the student's own /proc (kernel.mount_proc): a fresh procfs of its
                               pid namespace, where it sees its own processes only, with the
                               host-wide files read-only or empty (Docker's lists)
    seccomp.py                 the system calls a student's processes may not make

Everything else of the host -- /root, /etc, /work, the course folder, other checkouts, the
gradebook -- is simply not there.
"""

import base64
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from . import seccomp

HERE = Path(__file__).resolve().parent
KERNEL = HERE / "kernel.py"
UNAVAILABLE = HERE / "unavailable"  # a package whose import fails, mounted over masked ones

GRADER = "/run/lstm-grader"  # the kernel program, the released assignments; hidden from students
HOME = "/home/student"
STUDENT_FOLDERS = tuple(map(Path, (HOME, "/tmp", "/dev/shm")))  # fresh and empty for each student

# The course's own packages: never importable in a grading kernel.
COURSE_PACKAGES = ("lstm_ref", "autograder", "student_kit", "assignments")
TORCH_PACKAGES = ("torch", "functorch", "torchgen")

# Imported once per sandbox, before any student: what the notebooks import. Torch in a branch
# of the zygote, for the assignments that declare it; every other student has it masked.
WARM = ("numpy", "matplotlib.pyplot", "IPython.display")
WARM_TORCH = ("torch",)


@dataclass(frozen=True)
class View:
    """What one student's kernel sees, besides the Python environment."""

    release: Path  # the released course folder (public), <release>/<assignment>/ becomes the cwd
    assignment: str
    uses_torch: bool = False  # course/assignments.toml: torch is masked unless this is set
    student_files: tuple = ()  # ((name, host path), ...): handed in beside the notebook, read-only

    @property
    def zygote_key(self):
        """Views that can share one warm sandbox (torch is masked per student)."""
        return str(self.release)


# The devices a kernel gets: bubblewrap's --dev set without its /dev/pts. (--dev makes bubblewrap
# mount a devpts as uid 0 of its namespace, which, for a grader run by root, also covers parts of
# /proc over: a /proc with covers cannot be mounted again inside, and every student gets its own.)
DEVICES = ("null", "zero", "full", "random", "urandom")

# In each student's own /proc (mounted by its pid 1): what Docker makes read-only, and what it
# masks, in every container. Where the grader runs as root, a student's uid is root's outside
# (without capabilities), and /proc/sys/kernel/core_pattern would otherwise be writable.
PROC_READ_ONLY = ("bus", "fs", "irq", "sys", "sysrq-trigger")
PROC_MASKED = (
    "acpi",
    "asound",
    "kcore",
    "keys",
    "key-users",
    "latency_stats",
    "sched_debug",
    "scsi",
    "timer_list",
    "timer_stats",
)


# The system's programs and shared libraries (not /usr/local, /usr/sbin, /usr/include, ...), and
# the time zones. Python, numpy, matplotlib and torch need no more of the host.
SYSTEM = ("/usr/bin", "/usr/lib", "/usr/lib64", "/usr/share/zoneinfo")


def python_environment():
    """The folders the interpreter and its packages live in (read-only in the sandbox)."""
    folders = {Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent.parent}
    folders = {f for f in folders if not any(f.is_relative_to(system) for system in SYSTEM)}
    return sorted(f for f in folders if not any(f != g and f.is_relative_to(g) for g in folders))


def _read_only_system():
    """SYSTEM, and /bin, /lib, ... as on the host: symlinks into /usr (merged /usr) or folders."""
    arguments = [a for path in SYSTEM if Path(path).is_dir() for a in ("--ro-bind", path, path)]
    for name in ("bin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            arguments += ["--ro-bind", str(path), str(path)]
    return arguments


def installed(names):
    """Where packages called `names` are installed, in what the sandbox shows of the host:
    [(path, is a folder)]. Each gets UNAVAILABLE mounted over it where it must not be imported."""
    visible = [*map(Path, SYSTEM), *python_environment()]
    found = []
    for entry in map(Path, sys.path):
        if not entry.is_dir() or not any(entry.is_relative_to(v) for v in visible):
            continue
        for name in names:
            if (entry / name).is_dir():
                found.append((entry / name, True))
            elif (entry / f"{name}.py").is_file():
                found.append((entry / f"{name}.py", False))
    return found


def _mask(path, is_folder, unavailable):
    return str(unavailable if is_folder else Path(unavailable) / "__init__.py"), str(path)


def zygote_environment():
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": f"{GRADER}/home",
        "TMPDIR": f"{GRADER}/home",
        "MPLCONFIGDIR": f"{GRADER}/home/matplotlib",
        "IPYTHONDIR": f"{GRADER}/home/ipython",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NBGRADER_EXECUTION": "autograde",
    }


def _settings(view, control_fd, probe, confined=True):
    """kernel.py's settings: its control socket, what the zygote imports, and how each student's
    pid 1 confines itself (kernel.confine): its /proc, the keyctl() number, the seccomp filter."""
    settings = {"control": control_fd, "probe": probe, "warm": list(WARM)}
    if confined:  # without libseccomp (the grader refuses unless told): the rest, without the filter
        program = None if seccomp.problem() else base64.b64encode(seccomp.student_filter()).decode()
        settings.update(
            proc_read_only=list(PROC_READ_ONLY),
            proc_masked=list(PROC_MASKED),
            keyctl=seccomp.syscall_number("keyctl"),
            seccomp=program,
        )
    return json.dumps(settings)


def bwrap_command(view, control_fd, info_fd, probe=False):
    """The zygote's sandbox, as a bubblewrap command line."""
    masks = [a for path, folder in installed(COURSE_PACKAGES) for a in ("--ro-bind", *_mask(path, folder, UNAVAILABLE))]
    environment = [a for name, value in zygote_environment().items() for a in ("--setenv", name, value)]
    return [
        "bwrap",
        # Own user (unprivileged; no capability once kernel.py starts), pid, network (none), ipc, uts,
        # cgroup namespaces.
        "--unshare-all",
        "--unshare-user",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--cap-drop",
        "ALL",
        # until kernel.py's first lines have taken bubblewrap's covers off /proc (kernel.uncover_proc)
        "--cap-add",
        "CAP_SYS_ADMIN",
        "--hostname",
        "lstm-grading",
        "--die-with-parent",
        "--new-session",
        "--as-pid-1",
        "--info-fd",
        str(info_fd),
        # Read-only: the system's programs and libraries, the Python environment. Nothing else.
        *_read_only_system(),
        *[a for p in python_environment() for a in ("--ro-bind", str(p), str(p))],
        "--proc",
        "/proc",
        "--dir",
        "/dev",
        *[a for d in DEVICES for a in ("--dev-bind", f"/dev/{d}", f"/dev/{d}")],
        "--symlink",
        "/proc/self/fd",
        "/dev/fd",
        *[
            a
            for n, d in enumerate(("stdin", "stdout", "stderr"))
            for a in ("--symlink", f"/proc/self/fd/{n}", f"/dev/{d}")
        ],
        "--dir",
        "/dev/shm",
        *masks,
        # The kernel's program and the released assignments; students see their own folder only.
        "--ro-bind",
        str(KERNEL),
        f"{GRADER}/kernel.py",
        "--ro-bind",
        str(UNAVAILABLE),
        f"{GRADER}/unavailable",
        "--ro-bind",
        str(view.release),
        f"{GRADER}/release",
        "--size",
        str(64 * 2**20),
        "--tmpfs",
        f"{GRADER}/home",
        "--dir",
        f"{GRADER}/scratch",
        "--dir",
        HOME,
        "--dir",
        "/tmp",
        "--remount-ro",
        "/",
        "--clearenv",
        *environment,
        "--chdir",
        f"{GRADER}/home",
        sys.executable,
        "-I",
        "-B",
        f"{GRADER}/kernel.py",
        _settings(view, control_fd, probe),
    ]


def unconfined_command(view, control_fd, home, probe=False):
    """--unsafe-no-sandbox without bubblewrap: the same kernel.py, on the host. (command, environment)"""
    environment = zygote_environment()
    environment.update(HOME=home, TMPDIR=home, MPLCONFIGDIR=f"{home}/matplotlib", IPYTHONDIR=f"{home}/ipython")
    return ([sys.executable, "-I", "-B", str(KERNEL), _settings(view, control_fd, probe, confined=False)], environment)


def student_mounts(view, scratch_bytes):
    """Each student's own mounts, made in its own namespaces before its code runs."""
    scratch, cwd = f"{GRADER}/scratch", f"{HOME}/{view.assignment}"
    released = Path(view.release) / view.assignment
    entries = sorted(p.name for p in released.iterdir()) if released.is_dir() else []
    # A Python environment inside one of the folders the student gets fresh (a clone in /tmp):
    # kept aside before those folders are covered, and put back read-only at its path after.
    covered = [path for path in python_environment() if any(path.is_relative_to(f) for f in STUDENT_FOLDERS)]
    kept_aside = [f"{scratch}/python/{k}" for k in range(len(covered))]
    return [
        ("tmpfs", scratch, scratch_bytes),  # one fresh tmpfs holds all a student may write
        ("dir", f"{scratch}/home/{view.assignment}"),
        ("dir", f"{scratch}/tmp"),
        ("dir", f"{scratch}/shm"),
        *[("bind", str(path), aside) for path, aside in zip(covered, kept_aside)],
        ("bind", f"{scratch}/home", HOME),
        ("bind", f"{scratch}/tmp", "/tmp"),
        ("bind", f"{scratch}/shm", "/dev/shm"),
        *[("ro-bind", aside, str(path)) for path, aside in zip(covered, kept_aside)],
        *[("ro-bind", f"{GRADER}/release/{view.assignment}/{name}", f"{cwd}/{name}") for name in entries],
        *[("file-ro", index, f"{cwd}/{name}") for index, (name, _) in enumerate(view.student_files)],
        *[
            ("ro-bind", *_mask(path, folder, f"{GRADER}/unavailable"))
            for path, folder in ([] if view.uses_torch else installed(TORCH_PACKAGES))
        ],
        ("hide", GRADER),  # the kernel program, other assignments, the zygote's own files
    ]


def student_environment(view, home=HOME):
    environment = zygote_environment()
    environment.update(
        {
            "HOME": home,
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
            "IPYTHONDIR": f"{home}/.ipython",
            "LSTM_COURSE_RECORDS": "/dev/fd/4",  # the check records' own channel (kernel.RECORDS_FD)
        }
    )
    if home == HOME:
        del environment["TMPDIR"]  # /tmp is the student's own
    else:
        environment["TMPDIR"] = home
    return environment


def student_cwd(view):
    return f"{HOME}/{view.assignment}"
