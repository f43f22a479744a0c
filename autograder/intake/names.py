"""Names a student controls (student ids, file names) and how any text a student controls is shown:
on a terminal as one line without escapes, in a CSV cell never as a formula.

    student_id("jane.doe")        -> "jane.doe"      student_id("=cmd|...") -> Rejected
    file_name("forget_gate (1).ipynb") -> the name   file_name("\\x1b[2J.ipynb") -> Rejected
    shown("\\x1b]0;owned\\x07")     -> "\\\\x1b]0;owned\\\\x07"   (printable, one line, cut)
    csv_cell("=1+1")              -> "'=1+1"         (OWASP's advice on CSV injection)
    nearest("forget-gate", ids)   -> "forget_gate"   (the id a typo most likely meant, or None)
"""

import difflib
import re
import unicodedata

from .rejected import Rejected

# nbgrader's exchange names students by their Unix user (s123, jane.doe); LMS exports by
# e-mail-like ids (jane_doe@uni.edu). So: ASCII letters, digits and . _ @ -, starting with a
# letter or digit (never = + - @ which a spreadsheet reads as a formula, nor . which makes
# `..`, `.` and hidden files), at most 64 characters (Unix user names stop at 32; a path of the
# course stays far below every system's limit).
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
# Handed-in files as Jupyter, browsers and LMSs name them: "forget_gate (1).ipynb",
# "forget_gate-Copy1.ipynb"; at most 100 characters.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()@+-]{0,99}")
SHOWN = 120  # characters of a student's text on one terminal line


def student_id(name):
    """`name` if it can be a student id (a folder, an archive, a row of the gradebook), else Rejected."""
    if isinstance(name, str) and STUDENT_ID.fullmatch(name):
        return name
    raise Rejected(
        f"{shown(name)} is not a student id (1 to 64 of A-Z a-z 0-9 . _ @ -, starting with a letter "
        "or digit): not read; rename it to the student's id"
    )


def file_name(name):
    """`name` if the grader may read a file of that name, else Rejected."""
    if isinstance(name, str) and FILE_NAME.fullmatch(name):
        return name
    raise Rejected(
        f"{shown(name)} is not a file name the grader reads (letters, digits, spaces and . _ ( ) @ + -, "
        "starting with a letter or digit): not read; rename it"
    )


def shown(text, limit=SHOWN):
    """`text` as a terminal shows it literally, on one line of at most `limit` characters (and
    "..." where it is cut): control and format characters (escape sequences, line breaks,
    bidirectional overrides), other invisible characters and undecodable bytes are written as
    Python escapes."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "backslashreplace")
    pieces, size = [], 0
    for char in str(text):
        if char != " " and unicodedata.category(char)[0] in "CZ":
            char = char.encode("unicode_escape", "backslashreplace").decode("ascii")
        if size + len(char) > limit:
            return "".join(pieces) + "..."
        pieces.append(char)
        size += len(char)
    return "".join(pieces)


# OWASP, CSV injection: a cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets; a leading apostrophe makes it text again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def nearest(name, known):
    """The one of `known` that `name` most likely misspells (difflib, case ignored), or None."""
    if not isinstance(name, str):
        return None
    lowered = {item.lower(): item for item in known}
    found = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None
