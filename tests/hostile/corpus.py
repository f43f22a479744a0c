"""Broken and hostile forget-gate submissions, each derived from the released notebook.

    for case in cases(release_directory, course_root): case.student, case.notebook, case.expect

Each case says which test cells must score zero, which must keep full marks, and what the
summary must say. A few raw files (corrupt JSON, empty, nbformat 3) sit beside this module.
"""
import copy
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import samples
from autograder.course import REPOSITORY

HERE = Path(__file__).parent
ASSIGNMENT = "forget_gate"
FORGET_GATE = {"forget_gate_lecture", "forget_gate_hidden"}
FORGET = {"forget_lecture", "forget_hidden"}
EVERYTHING = {"sigmoid_lecture", "sigmoid_hidden", *FORGET_GATE, *FORGET,
              "forget_weight_shape_lecture", "forget_weight_shape_hidden"}

WRONG_GATE = ("def forget_gate(W_f, h_prev, x_t, b_f):\n"
              "    return np.tanh(W_f @ np.concatenate([h_prev, x_t]) + b_f)\n")


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


def cases(release, course_root):
    right = samples.solved(ASSIGNMENT, release)
    blank = samples.released(ASSIGNMENT, release)
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

    solution_file = REPOSITORY / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    gradebook = Path(course_root) / "gradebook.db"
    other = Path(course_root) / "submitted" / "right" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    spy = (f"import pathlib\nfor path in [{str(solution_file)!r}, {str(gradebook)!r}, {str(other)!r}]:\n"
           "    try:\n        pathlib.Path(path).read_bytes()\n        print('READ', path)\n"
           "    except Exception as error:\n        print('blocked', type(error).__name__)\n")
    vandal = (f"import pathlib\nfor path in [{str(gradebook)!r}, {str(other)!r}]:\n"
              "    try:\n        pathlib.Path(path).write_bytes(b'vandalised')\n        print('WROTE', path)\n"
              "    except Exception as error:\n        print('blocked', type(error).__name__)\n")

    snoop = ("import sys\n"
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
             "    return np.zeros(len(b_f))\n")
    return [
        Case("right", "every answer right", right),
        Case("snoops_for_answers", "forget_gate searches the checks' frames and the cells for right results",
             answer("forget_gate", snoop), zero=FORGET_GATE),
        Case("blank", "the blank notebook", blank, zero=set(EVERYTHING)),
        Case("infinite_loop", "forget_gate loops forever",
             answer("forget_gate", "def forget_gate(W_f, h_prev, x_t, b_f):\n    while True:\n        pass"),
             zero=FORGET_GATE, reason="ran past the"),
        Case("ignores_sigint", "forget_gate ignores SIGINT and loops",
             answer("forget_gate", "import signal\ndef forget_gate(W_f, h_prev, x_t, b_f):\n"
                    "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass"),
             zero=FORGET_GATE, reason="ignored the interrupt"),
        Case("sys_exit", "forget calls sys.exit",
             answer("forget", "import sys\ndef forget(f_t, C_prev):\n    sys.exit(0)"), zero=FORGET),
        Case("os_exit", "forget calls os._exit",
             answer("forget", "import os\ndef forget(f_t, C_prev):\n    os._exit(0)"),
             zero=FORGET, reason="the kernel died"),
        Case("segfault", "forget dereferences NULL with ctypes",
             answer("forget", "import ctypes\ndef forget(f_t, C_prev):\n    return ctypes.string_at(0)"),
             zero=FORGET, reason="the kernel died"),
        Case("memory_bomb", "forget allocates without end",
             answer("forget", "def forget(f_t, C_prev):\n    hoard = []\n    while True:\n"
                    "        hoard.append(bytearray(50 * 2**20))"), zero=FORGET),
        Case("floods_output", "prints 100 MB, answers right",
             answer("sigmoid", samples.solution_answers(ASSIGNMENT)["sigmoid"]
                    + "\nfor _ in range(100):\n    print('x' * 1_000_000)")),
        Case("deleted_cells", "deleted the forget answer and its visible test", deleted,
             zero=FORGET, reason="was deleted"),
        Case("duplicated_cells", "a wrong copy of forget_gate above the right one", duplicated,
             zero=FORGET_GATE, reason="appears twice"),
        Case("reordered_cells", "moved the forget answer to the end", reordered, reason="were moved"),
        Case("retyped_cell", "turned the forget_gate answer into markdown", retyped,
             zero=FORGET_GATE, reason="changed to markdown"),
        Case("edits_locked_cells", "wrong f_t; setup cell and visible test rewritten to pass",
             samples.set_cell(samples.set_cell(wrong, "setup", "import numpy as np\ncheck_example = lambda *a: None"),
                              "forget_gate_lecture", "pass"), zero=FORGET_GATE, reason="was edited"),
        Case("patches_allclose", "wrong f_t; np.allclose and friends always True",
             answer("forget_gate", WRONG_GATE + "np.allclose = lambda *a, **k: True\n"
                    "np.testing.assert_allclose = lambda *a, **k: None\nnp.array_equal = lambda *a, **k: True"),
             zero=FORGET_GATE, reason="the kernel reported a pass"),
        Case("patches_numpy_quietly", "wrong f_t; numpy patched through vars(), unseen by static checks",
             _with_cell(wrong, "setup", "vars(np).update(allclose=lambda *a, **k: True, "
                        "isclose=lambda *a, **k: True, array_equal=lambda *a, **k: True)"),
             zero=FORGET_GATE, reason="the kernel reported a pass"),
        Case("patches_checks", "wrong f_t; the course's checks replaced in the kernel",
             _with_cell(wrong, "setup", "import sys\nvars(sys.modules['student_kit.checks'])"
                        ".update(mismatch=lambda *a, **k: None)"),
             zero=FORGET_GATE, reason="the kernel reported a pass"),
        Case("always_equal", "forget_gate returns an object equal to everything",
             answer("forget_gate", "class Anything:\n    def __eq__(self, other):\n        return True\n"
                    "    def __array__(self, dtype=None, copy=None):\n        return np.zeros(3)\n"
                    "def forget_gate(W_f, h_prev, x_t, b_f):\n    return Anything()"), zero=FORGET_GATE),
        Case("hides_tracebacks", "wrong f_t; tracebacks suppressed",
             _with_cell(wrong, "setup", "get_ipython().showtraceback = lambda *a, **k: None"),
             zero=FORGET_GATE),
        Case("calls_lstm_ref", "forget_gate calls the reference implementation",
             answer("forget_gate", "def forget_gate(W_f, h_prev, x_t, b_f):\n    import lstm_ref\n"
                    "    return lstm_ref.forget_gate(W_f, h_prev, x_t, b_f)"),
             zero=FORGET_GATE, reason="imports the course's reference implementation lstm_ref, which a graded "
                                      "notebook cannot import"),
        Case("mentions_torch_lstm", "a right forget_gate that names torch.nn.LSTMCell in dead code",
             answer("forget_gate", samples.solution_answers(ASSIGNMENT)["forget_gate"]
                    + "\n    if False:\n        import torch\n        torch.nn.LSTMCell(3, 3)"),
             reason="imports PyTorch"),
        Case("reads_secrets", "wrong f_t; reads the solutions, the gradebook and another student",
             _with_cell(wrong, "setup", spy), zero=FORGET_GATE),
        Case("writes_elsewhere", "wrong f_t; overwrites the gradebook and another student's file",
             _with_cell(wrong, "setup", vandal), zero=FORGET_GATE),
        Case("corrupt_json", "a truncated file", raw=HERE / "corrupt.ipynb", not_graded=True,
             zero=set(EVERYTHING), reason="not valid JSON"),
        Case("empty_file", "0 bytes", raw=HERE / "empty.ipynb", not_graded=True,
             zero=set(EVERYTHING), reason="is empty"),
        Case("old_nbformat", "nbformat 3", raw=HERE / "nbformat3.ipynb", not_graded=True,
             zero=set(EVERYTHING), reason="old notebook format"),
        Case("wrong_name", "right answers in Untitled.ipynb", right, name="Untitled.ipynb",
             reason="graded Untitled.ipynb as"),
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
