"""Broken and hostile forget-gate submissions, each derived from the released notebook.

    for case in cases(release_directory, course_root, elsewhere): case.student, case.notebook, ...

Each case says which test cells must score zero, which must keep full marks, and what the
summary must say. A few raw files (corrupt JSON, empty, nbformat 3) sit beside this module.
Attacks on the machine leave TOKEN in whatever they manage to write or start, so that the
test can look for it on the host afterwards (host_targets, processes named with it).
"""

import copy
import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import samples
from autograder.course import REPOSITORY

HERE = Path(__file__).parent
ASSIGNMENT = "forget_gate"
FORGET_GATE = {"forget_gate_lecture", "forget_gate_hidden"}
FORGET = {"forget_lecture", "forget_hidden"}
EVERYTHING = {
    "sigmoid_lecture",
    "sigmoid_hidden",
    "gate_preactivation_lecture",
    "gate_preactivation_hidden",
    *FORGET_GATE,
    *FORGET,
    "forget_weight_shape_lecture",
    "forget_weight_shape_hidden",
}

WRONG_GATE = "def forget_gate(W_f, h_prev, x_t, b_f):\n    return np.tanh(W_f @ np.concatenate([h_prev, x_t]) + b_f)\n"

TOKEN = f"lstm-pwned-{uuid.uuid4().hex[:12]}"  # in everything an attack writes or starts
MEMORY_MB = 512  # the memory limit the hostile batch is graded with
CHILD_MB = 150  # what each of four children holds: a limit per process lets all four live


def held_by_children(megabytes):
    """Four children each fill `megabytes` and say so; then: how many still hold their memory.
    (Waits until every child holds or died, so the count does not depend on the machine's speed.)"""
    return (
        "import os, select, time\nreport, tell = os.pipe()\nchildren = set()\nfor _ in range(4):\n"
        "    pid = os.fork()\n    if pid == 0:\n"
        f"        hoard = b'x' * {megabytes * 2**20}\n        os.write(tell, b'%d ' % os.getpid())\n"
        "        time.sleep(600)\n    children.add(pid)\nos.close(tell)\nholding, dead = set(), set()\n"
        "while holding | dead != children:\n    if select.select([report], [], [], 0.05)[0]:\n"
        "        holding |= {int(p) for p in os.read(report, 100).split()}\n"
        "    dead |= {p for p in children - dead if os.waitpid(p, os.WNOHANG)[0] == p}\n"
        "print('children holding memory', len(holding - dead))"
    )


def startup_files(course_root):
    """Every place a later kernel, IPython or the grader's nbgrader would load code or config from."""
    homes = ["/home/student", "/root", os.path.expanduser("~")]
    files = [
        f"{home}/{name}"
        for home in homes
        for name in (
            f".ipython/profile_default/startup/00-{TOKEN}.py",
            ".ipython/profile_default/ipython_config.py",
            ".ipython/profile_default/ipython_kernel_config.py",
            ".jupyter/nbgrader_config.py",
            ".jupyter/jupyter_nbconvert_config.py",
            ".jupyter/jupyter_server_config.py",
        )
    ]
    for etc in ("/usr/local/etc", "/etc", "/usr/etc", f"{sys.prefix}/etc"):
        files += [
            f"{etc}/ipython/ipython_kernel_config.py",
            f"{etc}/ipython/ipython_config.py",
            f"{etc}/jupyter/nbgrader_config.py",
            f"{etc}/jupyter/jupyter_nbconvert_config.py",
        ]
    for variable in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR"):  # the grader's own, as the test runs it
        if os.environ.get(variable):
            files += [
                f"{os.environ[variable]}/profile_default/startup/00-{TOKEN}.py",
                f"{os.environ[variable]}/nbgrader_config.py",
            ]
    files += [
        f"{course_root}/nbgrader_config.py",
        str(REPOSITORY / "course" / "nbgrader_config.py"),
        f"{sys.prefix}/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/{TOKEN}.pth",
    ]
    return files


def host_folders(release, course_root):
    """Folders an attack tries to leave a file named TOKEN in."""
    return [
        "/",
        "/root",
        "/etc",
        "/usr",
        "/usr/local/etc",
        "/usr/local/lib",
        "/tmp",
        "/var/tmp",
        "/home",
        "/dev/shm",
        str(course_root),
        str(release),
        str(release / ASSIGNMENT),
        str(REPOSITORY),
    ]


def host_targets(release, course_root):
    return startup_files(course_root) + [f"{folder}/{TOKEN}" for folder in host_folders(release, course_root)]


def _write_everywhere(paths):
    # Append, never overwrite: should the sandbox fail, the test finds TOKEN and removes it.
    # (pathlib, not open(): the attacks test the sandbox, not the static check of answers)
    return (
        f"import pathlib\nfor path in map(pathlib.Path, {paths!r}):\n    try:\n"
        "        path.parent.mkdir(parents=True, exist_ok=True)\n"
        f"        with path.open('a') as f:\n            f.write('\\n# {TOKEN}\\n')\n"
        "    except OSError:\n        pass\n"
    )


@dataclass
class Case:
    student: str
    what: str
    notebook: object = None  # a notebook, or
    raw: Path | None = None  # a file handed in as is
    name: str | None = None  # the file's name, if not the assignment's
    zero: set = field(default_factory=set)  # test cells that must score 0
    reason: str | None = None  # words the summary must contain for this student
    not_graded: bool = False  # rejected: no score at all

    @property
    def full(self):
        return EVERYTHING - self.zero


def _with_cell(nb, after_grade_id, source):
    """A copy of nb with a code cell (no nbgrader metadata) added after a given cell."""
    nb = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(nb.cells) if samples._grade_id(c) == after_grade_id)
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def cases(release, course_root, elsewhere="/nonexistent/other-course"):
    """elsewhere: another checkout's folder on the same machine (with a solutions/ folder)."""
    notebooks = None if release is None else Path(release)  # None: the student version made in memory
    release, course_root = Path(release or "/nonexistent/release"), Path(course_root)
    right = samples.solved(ASSIGNMENT, notebooks)
    blank = samples.released(ASSIGNMENT, notebooks)
    wrong = samples.set_cell(right, "forget_gate", WRONG_GATE)

    def answer(grade_id, source):
        return samples.set_cell(right, grade_id, source)

    deleted = copy.deepcopy(right)
    deleted.cells = [c for c in deleted.cells if samples._grade_id(c) not in ("forget", "forget_lecture")]
    duplicated = copy.deepcopy(right)
    index = next(i for i, c in enumerate(duplicated.cells) if samples._grade_id(c) == "forget_gate")
    duplicated.cells.insert(index, copy.deepcopy(samples._cell(wrong, "forget_gate")))
    reordered = copy.deepcopy(right)
    moved = next(c for c in reordered.cells if samples._grade_id(c) == "forget")
    reordered.cells.remove(moved)
    reordered.cells.append(moved)
    retyped = copy.deepcopy(right)
    cell = samples._cell(retyped, "forget_gate")
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)

    solution_file = REPOSITORY / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    gradebook = Path(course_root) / "gradebook.db"
    other = Path(course_root) / "submitted" / "right" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    secrets = [str(solution_file), str(gradebook), str(other), f"{elsewhere}/solutions/answers.ipynb"]
    spy = (
        f"import pathlib\nfor path in {secrets!r}:\n"
        "    try:\n        pathlib.Path(path).read_bytes()\n        print('READ', path)\n"
        "    except Exception as error:\n        print('blocked', type(error).__name__)\n"
    )
    vandal = (
        f"import pathlib\nfor path in [{str(gradebook)!r}, {str(other)!r}]:\n"
        "    try:\n        pathlib.Path(path).write_bytes(b'vandalised')\n        print('WROTE', path)\n"
        "    except Exception as error:\n        print('blocked', type(error).__name__)\n"
    )

    snoop = (
        "import sys\n"
        "def forget_gate(W_f, h_prev, x_t, b_f):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame is not None:  # the checks' frames: is a right result lying around?\n"
        "        if frame.f_locals.get('expected') is not None:\n"
        "            print('FOUND expected in', frame.f_code.co_name)\n"
        "        frame = frame.f_back\n"
        "    sealed = 'expected=' + chr(39) + 'eN'  # how release writes a hidden test's results\n"
        "    if any(sealed in source for source in get_ipython().user_ns.get('In', [])):\n"
        "        print('FOUND expected= in a cell')\n"
        "    print('searched')\n"
        "    return np.zeros(len(b_f))\n"
    )
    memory = held_by_children(CHILD_MB)
    disk = (
        "import pathlib\nwritten = 0\nfor path in ['/tmp/flood', '/home/student/flood']:\n    try:\n"
        "        with pathlib.Path(path).open('wb') as f:\n            for _ in range(1024):\n"
        "                f.write(b'x' * 2**20)\n                written += 1\n    except OSError:\n        pass\n"
        "print('MB written', written)"
    )
    busy = (
        f"import subprocess, sys, time\nfor _ in range(8):\n    subprocess.Popen([sys.executable, '-c', "
        f"'while True: pass', '{TOKEN}'], start_new_session=True)\ntime.sleep(3)"
    )
    breaker = (
        "import os, signal, subprocess\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n"
        + _write_everywhere(
            [
                "/run/lstm-grader/home/matplotlib/fontlist.json",
                "/run/lstm-grader/kernel.py",
                f"/dev/{TOKEN}",
                "/dev/shm/" + TOKEN,
                f"/proc/1/{TOKEN}",
            ]
        )
        + f"subprocess.Popen(['sh', '-c', 'while :; do touch /tmp/{TOKEN} /dev/shm/{TOKEN}; sleep 0.1; done',"
        f" '{TOKEN}'], start_new_session=True)"
    )
    forger = (
        "import os, pathlib\nwith pathlib.Path(os.environ['LSTM_COURSE_RECORDS']).open('a') as f:\n"
        '    f.write(\'not json\\n[1, 2]\\n{"kind": "example", "received": 5}\\n\' + \'x\' * 5_000_000)\n'
        "from IPython.display import display\ndisplay({'text/plain': 5, 'text/html': ['<b>', 3]}, raw=True)\n"
        "os.write(3, b'\\xff\\xff\\xff\\xffnot a frame')\nimport time\ntime.sleep(2)"
    )
    harmless = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        "ax.plot(forget_gate(np.eye(2, 4), np.zeros(2), np.ones(2), np.zeros(2)))\n"
        "print('my own notes: f_t for W_f = [I 0]')"
    )
    return [
        Case("right", "every answer right", right),
        Case(
            "snoops_for_answers",
            "forget_gate searches the checks' frames and the cells for right results",
            answer("forget_gate", snoop),
            zero=FORGET_GATE,
        ),
        Case("zz_right_last", "every answer right, graded after every attack", right),
        Case(
            "persists_startup_files",
            "wrong f_t; writes IPython/Jupyter startup and config files everywhere",
            _with_cell(wrong, "setup", _write_everywhere(startup_files(course_root))),
            zero=FORGET_GATE,
        ),
        Case(
            "writes_host",
            "wrong f_t; writes to /root, /etc, /usr, /usr/local/etc, /tmp, the course",
            _with_cell(
                wrong,
                "setup",
                _write_everywhere([f"{folder}/{TOKEN}" for folder in host_folders(release, course_root)]),
            ),
            zero=FORGET_GATE,
        ),
        Case(
            "breaks_later_kernels",
            "kills what it can, writes into the zygote, leaves a daemon",
            _with_cell(right, "setup", breaker),
        ),
        Case(
            "fails_the_grader",
            "wrong f_t; garbage records, outputs and frames to the grader",
            _with_cell(wrong, "setup", forger),
            zero=FORGET_GATE,
            reason="malformed messages",
        ),
        Case(
            "memory_in_children",
            f"wrong f_t; four children of {CHILD_MB} MB each",
            _with_cell(wrong, "setup", memory),
            zero=FORGET_GATE,
        ),
        Case(
            "fork_bomb",
            "wrong f_t; forks without end",
            _with_cell(wrong, "setup", "import os\nwhile True:\n    os.fork()"),
            zero=FORGET_GATE,
        ),
        Case(
            "fills_disk",
            "wrong f_t; writes 1 GB to /tmp and to $HOME",
            _with_cell(wrong, "setup", disk),
            zero=FORGET_GATE,
        ),
        Case("starves_cpu", "right answers; eight busy loops in new sessions", _with_cell(right, "setup", busy)),
        Case(
            "huge_error",
            "wrong f_t; an error message of 20 MB",
            _with_cell(wrong, "setup", "raise ValueError('x' * 20_000_000)"),
            zero=FORGET_GATE,
        ),
        Case(
            "huge_metadata",
            "wrong f_t; 20 MB of output metadata",
            _with_cell(
                wrong,
                "setup",
                "from IPython.display import display\n"
                "display({'text/plain': 'hi'}, metadata={'x': 'y' * 20_000_000}, raw=True)",
            ),
            zero=FORGET_GATE,
        ),
        Case(
            "prints_1mb",
            "prints 1 MB, answers right",
            answer("sigmoid", samples.solution_answers(ASSIGNMENT)["sigmoid"] + "\nprint('x' * 1_000_000)"),
        ),
        Case(
            "harmless_cell",
            "right answers and a cell that plots the student's own f_t",
            _with_cell(right, "forget_gate_lecture", harmless),
        ),
        Case(
            "harmless_open",
            "right answers and a cell that reads the course data",
            _with_cell(right, "forget_gate_lecture", "print(open('forget_gate.ipynb').read()[:20])"),
        ),
        Case(
            "harmless_class",
            "right answers and a cell that prints a type",
            _with_cell(right, "forget_gate_lecture", "print(np.zeros(2).__class__)"),
        ),
        Case(
            "harmless_cudnn",
            "right answers and a cell that sets cudnn deterministic",
            _with_cell(right, "forget_gate_lecture", "import torch\ntorch.backends.cudnn.deterministic = True"),
        ),
        Case(
            "harmless_slider",
            "right answers and a copy of the slider cell",
            _with_cell(right, "forget_gate_lecture", samples._cell(right, "gate_panel_demo").source),
        ),
        Case("blank", "the blank notebook", blank, zero=set(EVERYTHING)),
        Case(
            "infinite_loop",
            "forget_gate loops forever",
            answer("forget_gate", "def forget_gate(W_f, h_prev, x_t, b_f):\n    while True:\n        pass"),
            zero=FORGET_GATE,
            reason="ran past the",
        ),
        Case(
            "ignores_sigint",
            "forget_gate ignores SIGINT and loops",
            answer(
                "forget_gate",
                "import signal\ndef forget_gate(W_f, h_prev, x_t, b_f):\n"
                "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass",
            ),
            zero=FORGET_GATE,
            reason="did not stop when interrupted",
        ),
        Case(
            "sys_exit",
            "forget calls sys.exit",
            answer("forget", "import sys\ndef forget(f_t, C_prev):\n    sys.exit(0)"),
            zero=FORGET,
        ),
        Case(
            "os_exit",
            "forget calls os._exit",
            answer("forget", "import os\ndef forget(f_t, C_prev):\n    os._exit(0)"),
            zero=FORGET,
            reason="the kernel died",
        ),
        Case(
            "segfault",
            "forget dereferences NULL with ctypes",
            answer("forget", "import ctypes\ndef forget(f_t, C_prev):\n    return ctypes.string_at(0)"),
            zero=FORGET,
            reason="the kernel died",
        ),
        Case(
            "memory_bomb",
            "forget allocates without end",
            answer(
                "forget",
                "def forget(f_t, C_prev):\n    hoard = []\n    while True:\n"
                "        hoard.append(bytearray(50 * 2**20))",
            ),
            zero=FORGET,
        ),
        Case(
            "floods_output",
            "prints 100 MB, answers right",
            answer(
                "sigmoid",
                samples.solution_answers(ASSIGNMENT)["sigmoid"] + "\nfor _ in range(100):\n    print('x' * 1_000_000)",
            ),
        ),
        Case(
            "deleted_cells",
            "deleted the forget answer and its visible test",
            deleted,
            zero=FORGET,
            reason="was deleted",
        ),
        Case(
            "duplicated_cells",
            "a wrong copy of forget_gate above the right one",
            duplicated,
            zero=FORGET_GATE,
            reason="appears twice",
        ),
        Case("reordered_cells", "moved the forget answer to the end", reordered, reason="were moved"),
        Case(
            "retyped_cell",
            "turned the forget_gate answer into markdown",
            retyped,
            zero=FORGET_GATE,
            reason="changed to markdown",
        ),
        Case(
            "edits_locked_cells",
            "wrong f_t; setup cell and visible test rewritten to pass",
            samples.set_cell(
                samples.set_cell(wrong, "setup", "import numpy as np\ncheck_example = lambda *a: None"),
                "forget_gate_lecture",
                "pass",
            ),
            zero=FORGET_GATE,
            reason="was edited",
        ),
        Case(
            "patches_allclose",
            "wrong f_t; np.allclose and friends always True",
            answer(
                "forget_gate",
                WRONG_GATE + "np.allclose = lambda *a, **k: True\n"
                "np.testing.assert_allclose = lambda *a, **k: None\nnp.array_equal = lambda *a, **k: True",
            ),
            zero=FORGET_GATE,
            reason="the kernel reported a pass",
        ),
        Case(
            "patches_numpy_quietly",
            "wrong f_t; numpy patched through vars(), unseen by static checks",
            _with_cell(
                wrong,
                "setup",
                "vars(np).update(allclose=lambda *a, **k: True, "
                "isclose=lambda *a, **k: True, array_equal=lambda *a, **k: True)",
            ),
            zero=FORGET_GATE,
            reason="the kernel reported a pass",
        ),
        Case(
            "patches_checks",
            "wrong f_t; the course's checks replaced in the kernel",
            _with_cell(
                wrong,
                "setup",
                "import sys\nvars(sys.modules['student_kit.checks']).update(mismatch=lambda *a, **k: None)",
            ),
            zero=FORGET_GATE,
            reason="the kernel reported a pass",
        ),
        Case(
            "always_equal",
            "forget_gate returns an object equal to everything",
            answer(
                "forget_gate",
                "class Anything:\n    def __eq__(self, other):\n        return True\n"
                "    def __array__(self, dtype=None, copy=None):\n        return np.zeros(3)\n"
                "def forget_gate(W_f, h_prev, x_t, b_f):\n    return Anything()",
            ),
            zero=FORGET_GATE,
        ),
        Case(
            "hides_tracebacks",
            "wrong f_t; tracebacks suppressed",
            _with_cell(wrong, "setup", "get_ipython().showtraceback = lambda *a, **k: None"),
            zero=FORGET_GATE,
        ),
        Case(
            "calls_lstm_ref",
            "forget_gate calls the reference implementation",
            answer(
                "forget_gate",
                "def forget_gate(W_f, h_prev, x_t, b_f):\n    import lstm_ref\n"
                "    return lstm_ref.forget_gate(W_f, h_prev, x_t, b_f)",
            ),
            zero=FORGET_GATE,
            reason="imports the course's reference implementation lstm_ref, which a graded notebook cannot import",
        ),
        Case(
            "mentions_torch_lstm",
            "a right forget_gate that names torch.nn.LSTMCell in dead code",
            answer(
                "forget_gate",
                samples.solution_answers(ASSIGNMENT)["forget_gate"]
                + "\n    if False:\n        import torch\n        torch.nn.LSTMCell(3, 3)",
            ),
            reason="imports PyTorch",
        ),
        Case(
            "reads_secrets",
            "wrong f_t; reads the solutions, the gradebook and another student",
            _with_cell(wrong, "setup", spy),
            zero=FORGET_GATE,
        ),
        Case(
            "writes_elsewhere",
            "wrong f_t; overwrites the gradebook and another student's file",
            _with_cell(wrong, "setup", vandal),
            zero=FORGET_GATE,
        ),
        Case(
            "corrupt_json",
            "a truncated file",
            raw=HERE / "corrupt.ipynb",
            not_graded=True,
            zero=set(EVERYTHING),
            reason="not valid JSON",
        ),
        Case(
            "empty_file", "0 bytes", raw=HERE / "empty.ipynb", not_graded=True, zero=set(EVERYTHING), reason="is empty"
        ),
        Case(
            "old_nbformat",
            "nbformat 3",
            raw=HERE / "nbformat3.ipynb",
            not_graded=True,
            zero=set(EVERYTHING),
            reason="old notebook format",
        ),
        Case(
            "wrong_name",
            "right answers in Untitled.ipynb",
            right,
            name="Untitled.ipynb",
            reason="graded Untitled.ipynb as",
        ),
    ]


def write(case, inbox):
    """Hand the case in as <inbox>/<student>/forget_gate/<file>."""
    folder = Path(inbox) / case.student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (case.name or f"{ASSIGNMENT}.ipynb")
    if case.raw is not None:
        path.write_bytes(case.raw.read_bytes())
    else:
        nbformat.write(case.notebook, path)
    return path
