"""The course's lectures (in /work/shared/lectures/ on the course machines): the file each
assignment quotes, the title a student can find on its first slide, and lecture 001's gate table,
which several assignments quote."""

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

LECTURES = {
    "000": "000_298f21ba930f8b3f.txt",
    "001": "001_14b06fa645590694.txt",
    "002": "002_4a01faff3991aab9.txt",
    "003": "003_72ea76cf09365fbc.txt",
    "004": "004_1df4b6d6b3041740.txt",
}

# Each lecture's title as its first slide gives it: what a student can find, unlike a file name.
LECTURE_TITLES = {
    "000": "Topic 7b: Long Short-Term Memory (LSTM)",
    "001": "LSTM - Long Short-Term Memory: Solving the Vanishing Gradient Problem",
    "002": "Module 5: Long Short-Term Memory Networks (LSTM)",
    "003": "Long Short Term Memory(LSTM), Dr. Muhammad Safyan",
    "004": "LSTMs",
}


def lecture_title(lecture: str) -> str:
    return LECTURE_TITLES[lecture]


# -- the lecture files, for the tests that check what the course says they say ------------------


class LecturesNotFound(LookupError):
    """The lecture files are not on this machine: tests that read them skip."""


@functools.cache
def lecture_dir() -> Path | None:
    """The folder of the lecture files: $LSTM_COURSE_LECTURES, else shared/lectures beside the
    checkout or a folder above it (../shared/lectures; further up for a worktree), else the
    course machines' /work/shared/lectures (where a fresh clone in a temporary folder finds them)."""
    candidates = [Path(os.environ["LSTM_COURSE_LECTURES"])] if os.environ.get("LSTM_COURSE_LECTURES") else []
    candidates += [folder / "shared" / "lectures" for folder in Path(__file__).resolve().parents]
    candidates.append(Path("/work/shared/lectures"))
    return next((folder for folder in candidates if (folder / LECTURES["000"]).exists()), None)


def plain(text: str) -> str:
    """Text as a reader sees it: no bold markers or math delimiters, straight quotes, single spaces."""
    text = text.replace("**", "").replace("“", '"').replace("”", '"').replace("’", "'")
    text = text.replace("\\%", "%").replace("$", "")  # LaTeX: 50\%$ removal reads "50% removal"
    return re.sub(r"\s+", " ", text)


@functools.cache
def lecture_text(lecture: str) -> str:
    """A lecture's text as plain() reads it; LecturesNotFound where the files are not here."""
    folder = lecture_dir()
    if folder is None:
        raise LecturesNotFound("the lectures are not beside this checkout (set LSTM_COURSE_LECTURES)")
    return plain((folder / LECTURES[lecture]).read_text())


def lecture_says(lecture: str, phrase: str) -> bool:
    """True if the lecture's text holds `phrase` (compared as plain() text)."""
    return plain(phrase) in lecture_text(lecture)


# Lecture 001, "Example: Processing a Sentence": one forget, input and output gate value per word
# of "The cat was hungry. The dog was sleeping." and what the cell holds afterwards. The table
# stops at the second "was": "sleeping" and the final "." have no gate values in the lecture, so
# the sentence stepper shows them without gates. These are illustrative numbers, not the output
# of a trained LSTM.
TABLE_WHERE = '"Example: Processing a Sentence"'  # lecture 001
SENTENCE = "The cat was hungry. The dog was sleeping."
WORDS = ("The", "cat", "was", "hungry", ".", "The", "dog", "was", "sleeping", ".")


@dataclass(frozen=True)
class WordGates:
    word: str
    f_t: float  # forget gate: how much of C_{t-1} to keep
    i_t: float  # input gate: how much of C~_t to write
    o_t: float  # output gate: how much of tanh(C_t) to show in h_t
    cell: str  # the lecture's description of what C_t holds
    why: str  # the lecture's reason, in its words


GATE_TABLE = (
    WordGates("The", 0.9, 0.3, 0.2, "[article]", "keep all; add article; output little"),
    WordGates("cat", 0.8, 0.9, 0.8, "[cat, article]", "keep article; add subject; output subject"),
    WordGates("was", 0.9, 0.7, 0.9, "[cat, was]", "keep subject; add verb; output for prediction"),
    WordGates("hungry", 0.8, 0.8, 0.7, "[cat, hungry]", "keep subject; add state; output state"),
    WordGates(".", 0.3, 0.4, 0.3, "[sentence end]", "reduce old; new sentence; low output"),
    WordGates("The", 0.1, 0.8, 0.2, "[article]", "clear old; new article; low output"),
    WordGates("dog", 0.7, 0.9, 0.9, "[dog, article]", "keep article; new subject; output subject"),
    WordGates("was", 0.9, 0.8, 0.9, "[dog, was]", "keep subject; add verb; output for prediction"),
)

SENTENCE_001 = tuple(row.word for row in GATE_TABLE)
FORGET_001 = tuple(row.f_t for row in GATE_TABLE)
INPUT_001 = tuple(row.i_t for row in GATE_TABLE)
