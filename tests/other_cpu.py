"""What release computes, and what measuring again gives, printed as JSON: run by
tests/test_other_cpus.py in a process of its own under other CPU kernels of the same libraries
(OPENBLAS_CORETYPE, ATEN_CPU_CAPABILITY, MKL_ENABLE_INSTRUCTIONS).

    python tests/other_cpu.py [--measure]
"""

import ctypes
import glob
import json
import os
import re
import sys
import tempfile

import nbformat
import numpy

from autograder.course import assignments
from autograder.docs import PAGES
from autograder.release import as_text, build
from student_kit import data


def openblas_core():
    """The kernel OpenBLAS picked for this CPU (numpy's own OpenBLAS), or None if it cannot tell."""
    for path in glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "*openblas*")):
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
            function = getattr(library, name, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return function().decode()
    return None


SEALED = re.compile(r"(expected|inputs)='([A-Za-z0-9+/=]+)'")


def readable(notebook):
    """(the notebook as text with each hidden test's sealed data taken out, that data): the data
    are numbers whose last bits are the CPU's, the text must not be."""
    text = as_text(notebook)
    sealed = [data.encode(data.unpack(value)) for _, value in SEALED.findall(text)]
    return SEALED.sub(lambda match: f"{match.group(1)}=...", text), sealed


def main():
    import torch

    out = {
        "kernels": {"openblas": openblas_core(), "torch": torch.backends.cpu.get_cpu_capability()},
        "release": {},
        "pages": {path.name: render() for path, render in PAGES.items()},
        "measured": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        for assignment in assignments():
            built = build(assignment.id, folder)
            notebooks = [readable(nbformat.read(path, as_version=4)) for path in sorted(built.glob("*.ipynb"))]
            out["release"][assignment.id] = {
                "course_data": json.loads((built / data.FILE_NAME).read_text()),
                "notebooks": [text for text, _ in notebooks],
                "sealed": [sealed for _, sealed in notebooks],
            }
    if "--measure" in sys.argv:
        for assignment in assignments():
            if assignment.measured is not None:
                out["measured"][assignment.id] = data.encode(assignment.measured.measure())
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
