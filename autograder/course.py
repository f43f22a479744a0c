"""Where the course's files are, and the list of its assignments (course/assignments.toml)."""
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
COURSE = REPOSITORY / "course"
SOLUTIONS = REPOSITORY / "solutions"
NOTEBOOKS = REPOSITORY / "notebooks"
NBGRADER_CONFIG = COURSE / "nbgrader_config.py"
MANIFEST = COURSE / "assignments.toml"


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    points: float
    lectures: tuple
    objectives: tuple
    uses_torch: bool = False  # torch is importable in its grading kernels only if set
    student_files: tuple = ()  # files a student hands in beside the notebook (a saved model)

    @property
    def source_notebooks(self):
        return sorted((SOLUTIONS / self.id).glob("*.ipynb"))

    @property
    def release_notebooks(self):
        return sorted((NOTEBOOKS / self.id).glob("*.ipynb"))


def assignments():
    """The course's assignments, in order."""
    with open(MANIFEST, "rb") as f:
        entries = tomllib.load(f)["assignment"]
    return [Assignment(id=e["id"], title=e["title"], points=e["points"],
                       lectures=tuple(e["lectures"]), objectives=tuple(e["objectives"]),
                       uses_torch=e.get("uses_torch", False), student_files=tuple(e.get("student_files", ())))
            for e in entries]


def assignment(assignment_id):
    for a in assignments():
        if a.id == assignment_id:
            return a
    known = ", ".join(a.id for a in assignments())
    raise SystemExit(f"No assignment '{assignment_id}' in {MANIFEST}. Known: {known}.")
