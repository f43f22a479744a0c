"""The lecture files, for tests that check what the course says a lecture says.

They live outside the repository (assignments/lectures.py's lecture_dir says where it looks);
tests that need them skip where they are not found.
"""

import re

from assignments.lectures import lecture_dir, lecture_text, plain

LECTURE_DIR = lecture_dir()

__all__ = ["LECTURE_DIR", "lecture_text", "plain", "quotes"]


def quotes(text):
    """Every "double-quoted" phrase of a text."""
    return re.findall(r'"([^"\n]+)"', re.sub(r"`[^`]*`", "", plain(text)))
