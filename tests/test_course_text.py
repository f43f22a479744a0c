"""What the course says a lecture says, it quotes exactly; one symbol means one thing.

Every "double-quoted" phrase of the notebooks' markdown, the worked examples' texts and the
misconception catalogue is found, word for word, in a lecture file (bold markers and
line breaks aside). Where the lectures are not beside the checkout, the quote tests skip.
"""

import re

import nbformat
import pytest
from lectures import LECTURE_DIR, lecture_text, plain, quotes

from assignments.lectures import LECTURE_TITLES, LECTURES
from autograder.course import assignments, examples, mistakes

needs_lectures = pytest.mark.skipif(LECTURE_DIR is None, reason="the lectures are not beside this checkout")


def course_texts():
    """(where, text) for every text a student reads that may quote a lecture."""
    for course_assignment in assignments():
        for path in course_assignment.source_notebooks:
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "markdown":
                    yield f"{course_assignment.id}/{cell.metadata['nbgrader']['grade_id']}", cell.source
    for example in examples().values():
        for field in ("where", "what", "erratum", "note"):
            yield f"{example.key}.{field}", getattr(example, field) or ""
    for entry in mistakes().values():
        yield f"{entry.key}.says", entry.says
        yield f"{entry.key}.where", entry.where


TEXTS = list(course_texts())


@needs_lectures
def test_every_quote_is_in_a_lecture():
    lectures = " ".join(lecture_text(lecture) for lecture in LECTURES)
    misquoted = [(where, quote) for where, text in TEXTS for quote in quotes(text) if quote not in lectures]
    assert not misquoted, f"quoted, but in no lecture: {misquoted}"


@needs_lectures
def test_a_quote_attributed_to_a_lecture_is_in_that_lecture():
    """'Lecture 001: "..."' and 'lecture 002's "..."' quote lecture 001 and 002."""
    attributed = re.compile(r"[Ll]ecture (\d{3})(?:'s [^\"\n]{0,40}?|: |, )\"([^\"\n]+)\"")
    for where, text in TEXTS:
        for lecture, quote in attributed.findall(plain(text)):
            assert quote in lecture_text(lecture), f"{where}: lecture {lecture} does not say {quote!r}"


@needs_lectures
@pytest.mark.parametrize("lecture", LECTURES)
def test_each_lecture_title_is_taken_from_its_file(lecture):
    for part in re.split(r": |, ", LECTURE_TITLES[lecture]):
        assert " ".join(part.replace("(", " (").split()) in " ".join(
            lecture_text(lecture).replace("(", " (").split()
        ), f"lecture {lecture}: {part!r} is not in {LECTURES[lecture]}"


def test_quotes_are_found_in_plain_text_only():
    assert quotes('Lecture 001 says "15 words earlier"; `preset="004"` is code') == ["15 words earlier"]


# Lecture 004 names the terms of dC_t/dC_{t-1} A_t, B_t, C_t, D_t: its C_t is not the cell state.
TERMS = re.compile(r"A_t(, | \+ | and )(B_t(, | \+ | and ))?C_t")
CELL_STATE = re.compile(r"C_\{t-1\}|cell state")


def test_the_lectures_term_C_t_and_the_cell_state_are_told_apart():
    for where, text in TEXTS:
        text = plain(text)  # "$A_t$, $C_t$" reads as "A_t, C_t"
        if TERMS.search(text) and CELL_STATE.search(text):
            assert "not the cell state" in text, f"{where} uses C_t for a term and for the cell state"
