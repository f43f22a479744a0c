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
        cpu = dict(line.split() for line in (cgroup.folders[2] / "cpu.stat").read_text().splitlines())
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
        "        f.write(json.dumps({'kind': 'example', 'trial': n}) + '\\n')\n"
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
    assert results[2].records == [{"kind": "garbled"}] * 2
    kept = sum(len(o.get("text", "")) for r in results for o in r.outputs)
    assert kept <= Limits().output_bytes + 100


def test_every_kind_of_output_counts_against_the_cap(release):
    limits = Limits(output_bytes=100_000)
    results = run(
        release,
        [
            "raise ValueError('x' * 10_000_000)",
            "from IPython.display import display\n"
            "display({'text/plain': 'hi'}, metadata={'x': 'y' * 10_000_000}, raw=True)",
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
