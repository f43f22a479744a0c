"""A student's bare Python environment: a new virtual environment holding numpy, matplotlib,
ipywidgets and ipykernel (and what they need), nothing of this repository, no torch, no nbgrader.

Built by copying those distributions' installed files from this environment (their RECORD
files list them), so it takes seconds and no network; the versions are the instructor's.
"""

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement

STUDENT_PACKAGES = ("numpy", "matplotlib", "ipywidgets", "ipykernel")


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(names=STUDENT_PACKAGES):
    """The distributions `names` need, themselves included (environment markers and extras honoured)."""
    found, done, todo = {}, set(), [(name, "", False) for name in names]
    while todo:
        name, extra, optional = todo.pop()
        name = _normal(name)
        if (name, extra) in done:
            continue
        done.add((name, extra))
        try:
            distribution = found.setdefault(name, importlib.metadata.distribution(name))
        except importlib.metadata.PackageNotFoundError:
            if optional:  # wanted by an extra that this environment went without (the Makefile's choice)
                continue
            raise
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
                continue
            if not requirement.marker and extra:
                continue  # already taken with the plain requirement
            child_optional = optional or bool(extra)
            todo += [(requirement.name, "", child_optional)]
            todo += [(requirement.name, wanted, child_optional) for wanted in requirement.extras]
    return found


def make(folder, packages=STUDENT_PACKAGES, base_python=sys.executable):
    """A virtual environment at `folder` with only `packages` (and what they need); returns its python.

    base_python: the interpreter it is made from (the same Python version as this one); another
    user can run it only if that user can run `base_python` (the system's /usr/bin/python3, say).
    """
    folder = Path(folder)
    subprocess.run([str(base_python), "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    for distribution in closure(packages).values():
        for entry in distribution.files or []:
            source = Path(distribution.locate_file(entry)).resolve()
            target = site / entry
            if not source.is_file() or ".." in entry.parts:
                continue  # scripts in bin/ and the like: a kernel does not need them
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return python


def kernel_spec(python, folder, name="student-bare"):
    """A Jupyter kernelspec for `python` in <folder>/kernels/<name>; put `folder` on JUPYTER_PATH."""
    spec = Path(folder) / "kernels" / name
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "a student's bare Python",
                "language": "python",
            }
        )
    )
    return name
