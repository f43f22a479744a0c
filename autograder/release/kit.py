"""student_kit/, the code that runs on a student's machine, copied into every released folder."""
import shutil

from ..course import REPOSITORY

KIT = REPOSITORY / "student_kit"


def copy_kit(folder):
    shutil.copytree(KIT, folder / KIT.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
