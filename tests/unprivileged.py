"""What a test needs to run the grader as an unprivileged user: reach this checkout and its Python."""

import os
from pathlib import Path

from autograder.course import REPOSITORY
from autograder.sandbox import view as views


def reachable_python_script(stage):
    """Shell lines that, in a private mount namespace, let any user reach the Python environment
    where it sits under a folder only root may enter (here: /root/.pyenv)."""
    lines = []
    for n, path in enumerate(views.python_environment()):
        closed = next((p for p in reversed(path.parents) if p != Path("/") and not os.stat(p).st_mode & 0o001), None)
        if closed is None:
            continue
        lines += [
            f"mkdir -p {stage}/{n}",
            f"mount --bind {path} {stage}/{n}",
            f"mount -t tmpfs -o mode=0755 tmpfs {closed}",
            f"mkdir -p {path}",
            f"mount --bind {stage}/{n} {path}",
        ]
    return lines


def open_checkout():
    """Let every user read this checkout (the editable install imports from it) and pass through
    its folders, as an instructor would install the course for the grader's user; returns how to
    put the modes back. A fresh clone in a mkdtemp folder is 0700."""
    changed = []
    for folder, needed in [(REPOSITORY, 0o005), *[(p, 0o001) for p in REPOSITORY.parents if p != Path("/")]]:
        mode = folder.stat().st_mode & 0o7777
        if mode & needed != needed:
            folder.chmod(mode | needed)
            changed.append((folder, mode))
    return changed
