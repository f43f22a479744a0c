"""student_kit/, the code that runs on a student's machine, copied into every released folder."""

import shutil

from ..course import REPOSITORY

KIT = REPOSITORY / "student_kit"


def copy_kit(folder):
    shutil.copytree(KIT, folder / KIT.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def differences(released):
    """The files that differ between a released copy of the kit and this checkout's."""

    def files(root):
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.py") if "__pycache__" not in p.parts}

    mine, theirs = files(KIT), files(released)
    return sorted(name for name in mine.keys() | theirs.keys() if mine.get(name) != theirs.get(name))
