"""The lecture files, for tests that check what the course says a lecture says.

They live outside the repository (../shared/lectures from the checkout, or further up for a
worktree); tests that need them skip where they are not found.
"""

import re
from pathlib import Path

from assignments.lectures import LECTURES


def _find_lectures():
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "lectures"
        if (candidate / LECTURES["000"]).exists():
            return candidate
    return None


LECTURE_DIR = _find_lectures()


def plain(text):
    """Text as a reader sees it: no bold markers or math delimiters, straight quotes, single spaces."""
    text = text.replace("**", "").replace("“", '"').replace("”", '"').replace("’", "'")
    text = text.replace("\\%", "%").replace("$", "")  # LaTeX: 50\%$ removal reads "50% removal"
    return re.sub(r"\s+", " ", text)


def lecture_text(lecture):
    return plain((LECTURE_DIR / LECTURES[lecture]).read_text())


def quotes(text):
    """Every "double-quoted" phrase of a text."""
    return re.findall(r'"([^"\n]+)"', re.sub(r"`[^`]*`", "", plain(text)))
