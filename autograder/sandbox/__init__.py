"""Run a student's notebook cells where they cannot hurt the grader, the course or the class.

with Sandbox(limits, View(release, "forget_gate", uses_torch=False)) as sandbox:
    runs = sandbox.run(["import numpy as np", "def f(): ...", "check_example(...)"])

view.py         what a kernel may see: the bubblewrap command line and each student's mounts
cgroups/        limits per student over all its processes: memory, tasks, CPU (v1.py, v2.py)
zygote.py       one warm, confined Python per worker that forks a fresh kernel per student
kernel.py       the program inside the sandbox: zygote, namespaces, the IPython shell
runner.py       Sandbox: cells in, outputs, statuses and check records out
confinement.py  what this machine can give, asked before grading (refuse, or say so)
"""

from .confinement import Confinement, Unconfined, confinement
from .runner import CellRun, Limits, Sandbox
from .view import View

__all__ = ["CellRun", "Confinement", "Limits", "Sandbox", "Unconfined", "View", "confinement"]
