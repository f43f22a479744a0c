"""The sandbox itself, outside a grading run: what a kernel can see, do and leave behind.

Each test runs a few cells in a real confined kernel (bubblewrap, cgroups) and checks what
they could and could not do, from the kernel's own report and from the host.
"""

import json
import os
import socket
import sys
import uuid
from pathlib import Path

import pytest

from autograder.course import REPOSITORY
from autograder.sandbox import Confinement, Limits, Sandbox, Unconfined, View, confinement, runner
from autograder.sandbox import view as views

MACHINE = confinement()
if not MACHINE.complete:
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI must be able to confine students' code: {MACHINE.problems()}")
    pytest.skip(f"this machine cannot confine students' code: {MACHINE.problems()}", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A released course of one assignment 'demo': a notebook, course data and a kit package."""
    root = tmp_path_factory.mktemp("release")
    folder = root / "demo"
    (folder / "student_kit").mkdir(parents=True)
    (folder / "demo.ipynb").write_text("{}")
    (folder / "course_data.json").write_text(json.dumps({"examples": {"004-forget-gate": [0.5]}}))
    (folder / "student_kit" / "__init__.py").write_text("KIT = 'the released kit'\n")
    (root / "other_assignment").mkdir()
    (root / "other_assignment" / "answers.json").write_text("{}")
    return root


def run(release, cells, limits=None, **view):
    with Sandbox(limits or Limits(cell_timeout=20), View(release, "demo", **view)) as sandbox:
        return sandbox.run(cells)


def text(cell_run):
    return "".join(o.get("text", "") for o in cell_run.outputs if o["output_type"] == "stream")


def report(release, code, **view):
    """Run `code`, which prints one JSON value; return it."""
    (result,) = run(release, [code], **view)
    assert result.status == "ok", (result.reason, result.outputs)
    return json.loads(text(result))


# -- what it sees ---------------------------------------------------------------------------------
def test_the_kernel_sees_only_its_view(release, tmp_path):
    other_checkout = tmp_path / "other-course"
    (other_checkout / "solutions").mkdir(parents=True)
    (other_checkout / "solutions" / "answers.ipynb").write_text("the answers")
    paths = {
        "/etc": "/etc",
        "/usr/local": "/usr/local",
        "root": "/root/.bashrc",
        "checkout": str(REPOSITORY / "assignments"),
        "course": str(REPOSITORY / "course"),
        "other": str(other_checkout / "solutions" / "answers.ipynb"),
        "release": str(release / "other_assignment"),
        "test": str(tmp_path),
    }
    seen = report(
        release,
        f"import json, os\npaths = {paths!r}\n"
        "print(json.dumps({'/': sorted(os.listdir('/')), 'grader': os.listdir('/run/lstm-grader'),"
        " 'exists': {k: os.path.exists(p) for k, p in paths.items()}}))",
    )
    assert seen["exists"] == {name: False for name in paths}
    assert seen["grader"] == []  # the kernel program and the other assignments are hidden
    python_roots = {Path(p).parts[1] for p in views.python_environment()}
    assert set(seen["/"]) <= {"bin", "dev", "home", "lib", "lib64", "proc", "run", "tmp", "usr"} | python_roots


def test_the_working_folder_is_the_released_folder_read_only(release, tmp_path):
    model = tmp_path / "model.npz"
    model.write_bytes(b"saved weights")
    first, second, third = run(
        release,
        [
            "import json, os, student_kit\nprint(json.dumps([sorted(os.listdir('.')), student_kit.KIT,"
            " json.load(open('course_data.json')), open('model.npz', 'rb').read().decode()]))",
            "open('course_data.json', 'w').write('{}')",
            "open('model.npz', 'wb').write(b'')",
        ],
        student_files=(("model.npz", model),),
    )
    listing, kit, data, saved = json.loads(text(first))
    assert listing == ["course_data.json", "demo.ipynb", "model.npz", "student_kit"]
    assert (kit, data, saved) == ("the released kit", {"examples": {"004-forget-gate": [0.5]}}, "saved weights")
    assert second.status == third.status == "error"
    assert "Read-only file system" in second.reason and "Read-only file system" in third.reason
    assert json.loads((release / "demo" / "course_data.json").read_text()) != {}


def test_the_course_packages_are_not_importable(release):
    cells = ["import lstm_ref", "import autograder.checks", "import student_kit\nprint(student_kit.KIT)"]
    runs = run(release, cells)
    assert [r.status for r in runs] == ["error", "error", "ok"]
    assert text(runs[2]) == "the released kit\n"  # student_kit: the released copy, not the checkout's


def test_an_installed_course_package_is_masked(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    (site / "lstm_ref").mkdir(parents=True)
    (site / "autograder.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(site)])
    monkeypatch.setattr(views, "python_environment", lambda: [tmp_path])
    assert views.installed(views.COURSE_PACKAGES) == [(site / "lstm_ref", True), (site / "autograder.py", False)]
    command = " ".join(views.bwrap_command(View(tmp_path, "demo"), 3, 4))
    assert f"--ro-bind {views.UNAVAILABLE} {site / 'lstm_ref'} " in command
    assert f"--ro-bind {views.UNAVAILABLE / '__init__.py'} {site / 'autograder.py'} " in command


def test_torch_is_importable_only_where_the_manifest_declares_it(release):
    (without,) = run(release, ["import torch"])
    assert without.status == "error" and "torch is not available" in without.reason
    assert report(release, "import json, torch\nprint(json.dumps(torch.ones(2).sum().item()))", uses_torch=True) == 2.0


# -- who it is ------------------------------------------------------------------------------------------
def test_the_kernel_is_unprivileged_alone_and_offline(release):
    seen = report(
        release,
        """
import json, os, socket
status = dict(line.split(':', 1) for line in open('/proc/self/status').read().splitlines())
def connects():
    try:
        socket.create_connection(('1.1.1.1', 53), timeout=2)
        return True
    except OSError:
        return False
commands = [open(f'/proc/{p}/cmdline', 'rb').read() for p in os.listdir('/proc') if p.isdigit()]
print(json.dumps({'uid': os.getuid(), 'caps': [status[k].strip() for k in ('CapEff', 'CapPrm', 'CapBnd', 'CapAmb')],
                  'no_new_privs': status['NoNewPrivs'].strip(), 'pid': os.getpid(), 'hostname': socket.gethostname(),
                  'network': connects(), 'processes': [c.decode(errors='replace') for c in commands]}))
""",
    )
    assert seen["uid"] == 65534
    assert seen["caps"] == ["0000000000000000"] * 4 and seen["no_new_privs"] == "1"
    assert seen["pid"] < 10 and not seen["network"] and seen["hostname"] != socket.gethostname()
    assert not any("pytest" in command for command in seen["processes"]), "the grader's processes are visible"


def test_the_zygote_keeps_no_capability_and_no_cover_on_proc(release):
    """bubblewrap leaves the zygote CAP_SYS_ADMIN to take its covers off /proc; it must be gone
    before any student is forked, and no mount left inside /proc (a kernel would refuse a student
    a procfs of its own)."""
    from autograder.sandbox.zygote import WarmSandbox

    sandbox = WarmSandbox(View(release, "demo"), confined=True)
    try:
        pid = sandbox.root.pid
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
        mounts = [line.split()[4] for line in Path(f"/proc/{pid}/mountinfo").read_text().splitlines()]
    finally:
        sandbox.close()
    assert [status[k].strip() for k in ("CapEff", "CapPrm", "CapAmb")] == ["0000000000000000"] * 3
    assert status["NoNewPrivs"].strip() == "1"
    assert "/proc" in mounts and not [m for m in mounts if m.startswith("/proc/")]


def test_the_environment_says_it_is_grading(release):
    seen = report(
        release,
        "import json, os\nprint(json.dumps({k: os.environ.get(k) for k in "
        "('NBGRADER_EXECUTION', 'LSTM_COURSE_RECORDS', 'HOME')} | {'cwd': os.getcwd()}))",
    )
    assert seen == {
        "NBGRADER_EXECUTION": "autograde",
        "LSTM_COURSE_RECORDS": "/dev/fd/4",
        "HOME": "/home/student",
        "cwd": "/home/student/demo",
    }


# -- what it can write, and what lasts -------------------------------------------------------------------
WRITES = [
    "/pwned",
    "/usr/pwned",
    "/usr/local/etc/pwned",
    "/root/pwned",
    "/etc/pwned",
    "/run/lstm-grader/pwned",
    "/dev/pwned",
    "/proc/pwned",
    "/tmp/pwned",
    "/dev/shm/pwned",
    "/home/student/pwned",
    "pwned",
]


def test_it_writes_only_to_its_own_scratch(release):
    seen = report(
        release,
        f"import json\nwritten = []\nfor path in {WRITES!r}:\n"
        "    try:\n        open(path, 'x').write('x')\n        written.append(path)\n"
        "    except OSError:\n        pass\nprint(json.dumps(written))",
    )
    assert seen == ["/tmp/pwned", "/dev/shm/pwned", "/home/student/pwned", "pwned"]


def test_nothing_a_kernel_does_lasts_into_the_next(release):
    token = uuid.uuid4().hex
    startup = "/home/student/.ipython/profile_default/startup"
    (planted,) = run(
        release,
        [
            f"import os, subprocess\nos.makedirs({startup!r})\n"
            f"open({startup!r} + '/00-pwn.py', 'w').write('PWNED = 1')\n"
            f"for path in ['/tmp/{token}', '/dev/shm/{token}', '/home/student/{token}', '{token}']:\n"
            "    open(path, 'w').write('x')\n"
            f"subprocess.Popen(['sleep', '600', '{token}'], start_new_session=True)"
        ],
    )
    assert planted.status == "ok", planted.reason
    assert not _host_processes(token), "a process of the kernel outlived it"
    seen = report(
        release,
        f"import json, os\nprint(json.dumps(['PWNED' in dir()] + [os.path.exists(p) for p in "
        f"['{startup}', '/tmp/{token}', '/dev/shm/{token}', '/home/student/{token}', '{token}']]))",
    )
    assert seen == [False] * 6
    assert not any(token in path.name for path in Path("/tmp").iterdir())


def _host_processes(token):
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and token.encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            pass
    return found


# -- limits ------------------------------------------------------------------------------------------
def test_memory_is_limited_over_all_processes_together(release):
    """Four children each holding 60% of the limit: under a limit per process all four live."""
    share = int(0.6 * 512 * 2**20)
    result, after = run(
        release,
        [
            "import os, time\nchildren = []\nfor _ in range(4):\n    pid = os.fork()\n    if pid == 0:\n"
            f"        hoard = b'x' * {share}\n        time.sleep(600)\n    children.append(pid)\n"
            "time.sleep(2)\nalive = [p for p in children if os.waitpid(p, os.WNOHANG) == (0, 0)]\n"
            "print(len(alive))",
            "print('still here')",
        ],
        limits=Limits(cell_timeout=30, memory_mb=512),
    )
    assert result.status == "ok", result.reason
    assert int(text(result)) <= 1
    assert after.status == "ok" and text(after) == "still here\n"


def test_a_kernel_over_its_memory_is_stopped_and_replaced(release):
    result, after = run(
        release,
        ["hoard = []\nwhile True:\n    hoard.append(b'x' * 2**26)", "print('next')"],
        limits=Limits(cell_timeout=30, memory_mb=512),
    )
    assert result.status in ("died", "error")
    assert result.status == "error" or "memory limit" in result.reason
    assert after.status == "ok" and text(after) == "next\n"


def test_processes_are_limited(release):
    bomb, after = run(
        release,
        [
            "import os\ncount = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            import time\n"
            "            time.sleep(600)\n        count += 1\nexcept OSError:\n    print(count)",
            "print('next')",
        ],
        limits=Limits(cell_timeout=30, processes=64),
    )
    assert bomb.status == "ok", bomb.reason
    assert int(text(bomb)) < 64
    assert text(after) == "next\n"


def test_scratch_space_is_limited(release):
    seen = report(
        release,
        "import json\nwritten = {}\nfor path in ['/tmp/big', '/home/student/big']:\n"
        "    written[path] = 0\n    try:\n        with open(path, 'wb') as f:\n"
        "            for _ in range(1024):\n                f.write(b'x' * 2**20)\n"
        "                written[path] += 1\n    except OSError:\n        pass\n"
        "print(json.dumps(written))",
    )
    assert sum(seen.values()) <= Limits().scratch_mb  # one tmpfs holds $HOME, /tmp and the cwd


def test_busy_processes_in_new_sessions_count_against_the_students_cpu(release):
    """However many processes a student starts, they share its CPU quota (here a fifth of a core,
    which four busy loops exceed on any machine) and its CPU share, equal to every other student's."""
    with Sandbox(Limits(cell_timeout=30, cpus=0.2), View(release, "demo")) as sandbox:
        (started,) = sandbox.run(
            [
                "import subprocess, sys, time\nbusy = [subprocess.Popen([sys.executable, '-c', "
                "'while True: pass'], start_new_session=True) for _ in range(4)]\n"
                "time.sleep(1.5)\nprint([p.pid for p in busy])"
            ]
        )
        cgroup = sandbox.kernel.cgroup
        tasks = cgroup.pids()
        cpu = cgroup.cpu_stat()
    assert started.status == "ok", started.reason
    assert len(tasks) >= 4 + 3  # the busy loops, the kernel, its reaper and its setup process
    assert int(cpu["nr_throttled"]) > 0, "four busy loops should hit the quota"


# -- time ------------------------------------------------------------------------------------------------
def test_a_cell_past_its_time_is_stopped_and_the_rest_still_runs(release):
    limits = Limits(cell_timeout=2)
    results = run(
        release,
        [
            "x = 1",
            "while True:\n    pass",
            "print(x)",
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
            "print(x + 1)",
        ],
        limits=limits,
    )
    assert [r.status for r in results] == ["ok", "timeout", "ok", "timeout", "ok"]
    assert "did not stop when interrupted" in results[3].reason
    assert text(results[2]) == "1\n" and text(results[4]) == "2\n"  # the state before was replayed


# -- output and records ---------------------------------------------------------------------------------
def test_check_records_have_their_own_channel(release):
    write = (
        "import json, os\ndef record(n):\n    with open(os.environ['LSTM_COURSE_RECORDS'], 'a') as f:\n"
        "        f.write(json.dumps({'kind': 'example', 'exercise': 'forget', 'key': 'k', 'trial': n,\n"
        "                            'received': {'kind': 'none'}}) + '\\n')\n"
    )
    results = run(
        release,
        [
            write + "record(0)\nfor _ in range(100):\n    print('x' * 1_000_000)\nrecord(1)",
            "record(2)\nprint('y' * 1_000_000)\nrecord(3)",
            "with open(os.environ['LSTM_COURSE_RECORDS'], 'a') as f:\n    f.write('not json\\n[1]\\n')",
        ],
    )
    assert [r["trial"] for r in results[0].records] == [0, 1]
    assert [r["trial"] for r in results[1].records] == [2, 3]
    assert results[2].records == []  # lines that are no record are dropped (autograder/intake/records.py)
    kept = sum(len(o.get("text", "")) for r in results for o in r.outputs)
    assert kept <= Limits().output_bytes + 100


def test_every_kind_of_output_counts_against_the_cap(release):
    limits = Limits(output_bytes=100_000)
    results = run(
        release,
        [
            "raise ValueError('x' * 10_000_000)",
            "from IPython.display import display\ndisplay({'text/plain': 'hi'}, metadata={'x': 'y' * 10_000_000}, raw=True)",
            "for _ in range(100):\n    try:\n        raise ValueError('z' * 2000)\n    except ValueError:\n"
            "        get_ipython().showtraceback()",
            "print('still here')",
        ],
        limits=limits,
    )
    assert [r.status for r in results] == ["error", "ok", "ok", "ok"]
    assert sum(runner.output_size(o) for r in results for o in r.outputs) <= limits.output_bytes + 100


def test_a_kernel_that_breaks_the_protocol_is_stopped_not_the_grader(release):
    results = run(
        release,
        [
            "x = 1",
            "import os\nos.write(3, b'\\xff\\xff\\xff\\xffgarbage')\nimport time\ntime.sleep(5)",
            "import os\nos.write(3, b'\\x00\\x00\\x00\\x05[1,2]')",
            "print(x)",
        ],
    )
    assert [r.status for r in results] == ["ok", "died", "died", "ok"]
    assert "malformed" in results[1].reason
    assert text(results[3]) == "1\n"


# -- where it cannot be confined -------------------------------------------------------------------------
def test_an_unconfined_machine_refuses_unless_told(release, monkeypatch):
    missing = Confinement("bubblewrap is not installed (apt-get install bubblewrap)", MACHINE.cgroups)
    monkeypatch.setattr(runner, "confinement", lambda: missing)
    with pytest.raises(Unconfined, match="(?s)bubblewrap is not installed.*--unsafe-no-sandbox"):
        Sandbox(Limits(), View(release, "demo"))
    # Told (--unsafe-no-sandbox): the same kernel program runs on the host, and says so.
    (result,) = run(
        release,
        ["import os, student_kit\nprint(os.path.exists('/run/lstm-grader'), student_kit.KIT)"],
        limits=Limits(require_confinement=False),
    )
    assert result.status == "ok" and text(result) == "False the released kit\n"
    assert missing.describe(Limits()).startswith("student code NOT fully confined: bubblewrap is not installed")


def test_a_python_environment_in_a_students_fresh_folder_is_put_back(monkeypatch, tmp_path):
    """A clone in /tmp: /tmp is covered by the student's own tmpfs, then the environment is put
    back at its path, read-only, before the kernel runs."""
    monkeypatch.setattr(views, "python_environment", lambda: [Path("/usr/lib/python3"), Path("/tmp/clone/.venv")])
    steps = views.student_mounts(View(tmp_path, "demo"), 2**20)
    aside = views.GRADER + "/scratch/python/0"
    assert (
        steps.index(("bind", "/tmp/clone/.venv", aside))
        < steps.index(("bind", views.GRADER + "/scratch/tmp", "/tmp"))
        < steps.index(("ro-bind", aside, "/tmp/clone/.venv"))
        < steps.index(("hide", views.GRADER))
    )
    assert not any("/usr/lib/python3" in map(str, step) for step in steps)


# -- its own /proc, session, keyring and system calls ------------------------------------------------
def test_the_kernel_has_a_proc_of_its_own(release):
    """A fresh procfs of the student's pid namespace: its own processes only (pid 1 is its own
    reaper, not the zygote), the host-wide files read-only or empty."""
    seen = report(
        release,
        """
import errno, json, os
def writable(path):
    try:
        os.close(os.open(path, os.O_WRONLY))
        return True
    except OSError as error:
        return errno.errorcode[error.errno]
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
print(json.dumps({'pids': pids, 'pid': os.getpid(), 'pid_1_is_a_fork_of_the_kernel': open('/proc/1/cmdline').read() == open('/proc/self/cmdline').read(),
                  'core_pattern': writable('/proc/sys/kernel/core_pattern'), 'drop_caches': writable('/proc/sys/vm/drop_caches'),
                  'keys': open('/proc/keys').read(), 'kcore': os.path.getsize('/proc/kcore') if os.path.exists('/proc/kcore') else 0,
                  'proc_mounts': [l.split()[4] for l in open('/proc/self/mountinfo') if l.split()[4].startswith('/proc')]}))
""",
    )
    assert seen["pids"] == [1, seen["pid"]] and seen["pid_1_is_a_fork_of_the_kernel"]  # the zygote's /proc: 4 or more
    assert seen["core_pattern"] == seen["drop_caches"] == "EROFS"
    assert seen["keys"] == "" and seen["kcore"] == 0
    assert seen["proc_mounts"][0] == "/proc" and "/proc/sys" in seen["proc_mounts"]


def _state():
    """What a kernel inherits from the zygote that a student might try to change."""
    return (
        "import json, os, resource\nprint(json.dumps({'oom_score_adj': open('/proc/self/oom_score_adj').read(), "
        "'nice': os.nice(0), 'autogroup': open('/proc/self/autogroup').read().split()[-1] "
        "if os.path.exists('/proc/self/autogroup') else None, 'core': resource.getrlimit(resource.RLIMIT_CORE), "
        "'sid_is_own': os.getsid(0) == 1}))"
    )


def test_a_student_cannot_change_what_the_next_student_inherits(release):
    """The oom score, nice value, scheduling group, rlimits and session of the next kernel are the
    zygote's: a student reaches none of them (they are not in its pid namespace, its session is its own)."""
    spoil = (
        "import glob, os, resource\nfor path in glob.glob('/proc/[0-9]*/oom_score_adj'):\n"
        "    open(path, 'w').write('999')\nopen('/proc/self/autogroup', 'w').write('19')\n"
        "for pid in range(0, 64):\n    try:\n        os.setpriority(os.PRIO_PROCESS, pid, 19)\n"
        "        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))\n    except OSError:\n        pass\n"
        "os.nice(19)\nprint(open('/proc/self/oom_score_adj').read().strip(), os.nice(0))"
    )
    with Sandbox(Limits(cell_timeout=20), View(release, "demo")) as sandbox:
        (before,) = sandbox.run([_state()])
        sandbox._stop()
        (spoiled,) = sandbox.run([spoil])
        sandbox._stop()
        (after,) = sandbox.run([_state()])
    assert before.status == spoiled.status == after.status == "ok", (before.reason, spoiled.reason, after.reason)
    assert text(spoiled).split() == ["999", "19"]  # it changed its own
    assert json.loads(text(after)) == json.loads(text(before))
    assert json.loads(text(before))["sid_is_own"]


def test_a_student_gets_a_keyring_of_its_own_and_no_keyring_calls(tmp_path):
    """The grader's session keyring (systemd, pam_keyinit) holds a key; a kernel started after
    cannot list it, read it, add one for a later student, or make any keyring call at all."""
    import ctypes

    from autograder.sandbox import seccomp

    libc = ctypes.CDLL(None, use_errno=True)
    keyctl, add_key = seccomp.syscall_number("keyctl"), seccomp.syscall_number("add_key")
    token = f"lstm-grader-secret-{uuid.uuid4().hex[:8]}"
    key = libc.syscall(ctypes.c_long(add_key), b"user", token.encode(), b"the grader's", 12, -3)  # session keyring
    if key < 0:
        pytest.skip(f"no session keyring to add a key to here (errno {ctypes.get_errno()})")
    try:
        (tmp_path / "demo").mkdir()  # a release of its own: a zygote started now, with the key in its keyring
        seen = report(
            tmp_path,
            f"""
import ctypes, json
libc = ctypes.CDLL(None, use_errno=True)
def call(*arguments):
    result = libc.syscall(*[ctypes.c_long(a) if isinstance(a, int) else a for a in arguments])
    return result if result >= 0 else -ctypes.get_errno()
print(json.dumps({{'keys': open('/proc/keys').read(), 'session': call({keyctl}, 0, -3, 0),
                  'read': call({keyctl}, 11, {key}, None, 0), 'search': call({keyctl}, 10, -3, b'user', {token.encode()!r}, 0),
                  'add': call({add_key}, b'user', b'for the next student', b'x', 1, -3)}}))
""",
        )
    finally:
        libc.syscall(ctypes.c_long(keyctl), 9, ctypes.c_long(key), -3)  # KEYCTL_UNLINK from our session keyring
    assert token not in seen["keys"]
    assert seen["session"] == seen["read"] == seen["search"] == seen["add"] == -1  # EPERM: the filter


def test_the_filter_denies_what_reaches_beyond_the_student_and_nothing_a_notebook_needs(release):
    from autograder.sandbox import seccomp

    numbers = {
        name: seccomp.syscall_number(name)
        for name in (
            "keyctl",
            "add_key",
            "request_key",
            "ptrace",
            "process_vm_readv",
            "process_vm_writev",
            "perf_event_open",
            "unshare",
            "setns",
            "clone",
            "clone3",
            "mount",
            "bpf",
            "userfaultfd",
            "io_uring_setup",
            "pidfd_getfd",
        )
    }
    seen = report(
        release,
        f"""
import ctypes, errno, json, os, subprocess, threading
libc = ctypes.CDLL(None, use_errno=True)
numbers = {numbers!r}
def call(name, *arguments):
    result = libc.syscall(ctypes.c_long(numbers[name]), *[ctypes.c_long(a) for a in arguments])
    if result == 0 and name == 'clone':
        os._exit(0)  # the filter let it through: the child goes at once, the test fails below
    return 'ok' if result >= 0 else errno.errorcode[ctypes.get_errno()]
denied = {{name: call(name, *arguments) for name, arguments in [
    ('keyctl', (0, -3, 0)), ('add_key', (0, 0, 0, 0, -3)), ('request_key', (0, 0, 0, -3)), ('ptrace', (16, 1, 0, 0)),
    ('process_vm_readv', (1, 0, 0, 0, 0, 0)), ('process_vm_writev', (1, 0, 0, 0, 0, 0)),
    ('perf_event_open', (0, 0, -1, -1, 0)), ('unshare', (0x10000000,)), ('setns', (0, 0x10000000)),
    ('clone', (0x10000000 | 17, 0, 0, 0, 0)), ('clone3', (0, 0)), ('mount', (0, 0, 0, 0, 0)), ('bpf', (0, 0, 0)),
    ('userfaultfd', (0,)), ('io_uring_setup', (1, 0)), ('pidfd_getfd', (0, 0, 0))]}}
import numpy, matplotlib.pyplot as plt, ipywidgets
figure, axes = plt.subplots()
axes.plot(numpy.arange(3))
figure.savefig('/tmp/figure.png')
done = []
thread = threading.Thread(target=done.append, args=[1])
thread.start()
thread.join()
child = os.fork()
if child == 0:
    os._exit(7)
print(json.dumps({{'denied': denied, 'thread': done, 'fork': os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]),
                  'subprocess': subprocess.run(['echo', 'ok'], capture_output=True, text=True).stdout,
                  'figure': os.path.getsize('/tmp/figure.png') > 1000, 'widgets': ipywidgets.__version__ > '8'}}))
""",
    )
    enosys = {"clone3"}
    assert seen["denied"] == {name: "ENOSYS" if name in enosys else "EPERM" for name in seen["denied"]}
    assert set(seen["denied"]) == set(numbers)
    assert seen["thread"] == [1] and seen["fork"] == 7 and seen["subprocess"] == "ok\n"
    assert seen["figure"] and seen["widgets"]


def test_a_machine_without_seccomp_refuses(monkeypatch):
    import importlib

    from autograder.sandbox import seccomp

    confinement_module = importlib.import_module("autograder.sandbox.confinement")

    monkeypatch.setattr(seccomp, "problem", lambda: "libseccomp cannot be loaded (no libseccomp.so.2)")
    machine = confinement_module.confinement.__wrapped__()
    assert machine.bubblewrap and not machine.complete  # bubblewrap still works: --unsafe-no-sandbox keeps it
    assert machine.describe(Limits()).startswith("student code NOT fully confined: no seccomp filter for students'")
    assert "--unsafe-no-sandbox" in machine.refusal()
