"""The claims register: every sentence a student or instructor reads that states a number, a
comparison, a cause or what a lecture says is either rendered from a computation (a {{ fact }})
or registered as a Claim (assignments/<id>/claims.py, assignments/course_claims.py) whose check
computes it. And every catalogue hint's sentence is checked against the wrong function it names.

- each claim's check passes (those that read the lectures skip where the lectures are missing);
- each claim's words are still in the text it is registered for (no claim outlives its sentence);
- the scan: every sentence of every student-facing text that holds a number, a comparison word,
  a cause word or a lecture is either made only of rendered facts or holds a registered claim's
  words; a new sentence of that kind fails here until someone registers what proves it;
- every catalogue entry has its hint's formula (claims.py's HINTS), and the wrong function gives
  exactly what the formula says, on the exercise's own random inputs;
- every "a x b = c" a text writes holds with the numbers as shown (no rounding in the middle);
- course/review.md, the record of the review of these texts, lists every file they come from.
"""

import copy
import fnmatch
import re
from pathlib import Path

import numpy as np
import pytest
from text_sources import sentences, student_texts

from assignments.course_claims import COURSE_TEXTS
from assignments.declare import Claim
from assignments.lectures import LecturesNotFound
from autograder.course import assignments, exercises, mistakes
from student_kit.values import same

ASSIGNMENTS = assignments()


def registered() -> list[tuple[str, Claim]]:
    """(owner, claim): the owner is an assignment id, or "course" for the course-wide texts."""
    found = []
    for assignment in ASSIGNMENTS:
        part = assignment.part("claims")
        found += [(assignment.id, claim) for claim in (part.CLAIMS if part else [])]
    from assignments.course_claims import CLAIMS as COURSE

    return found + [("course", claim) for claim in COURSE]


CLAIMS = registered()
TEXTS = student_texts()  # [(owner, where, text)]


def normal(text):
    return " ".join(text.split())


def claim_id(owner_claim):
    owner, claim = owner_claim
    return f"{owner}/{claim.where}: {claim.says[:50]}"


def pattern(owner, claim):
    """Where a claim belongs, as a glob over "<owner>/<where>": an assignment's claims are its own;
    the course-wide ones (owner "course") name their places in full ("*/hint:*/x-before-h")."""
    return claim.where if owner == "course" else f"{owner}/{claim.where}"


def texts_of(owner, claim):
    return [
        text for text_owner, where, text in TEXTS if fnmatch.fnmatchcase(f"{text_owner}/{where}", pattern(owner, claim))
    ]


def claims_at(owner, where):
    return [
        claim for claim_owner, claim in CLAIMS if fnmatch.fnmatchcase(f"{owner}/{where}", pattern(claim_owner, claim))
    ]


@pytest.mark.parametrize("owner_claim", CLAIMS, ids=claim_id)
def test_each_claim_holds(owner_claim):
    _, claim = owner_claim
    try:
        claim.check()
    except LecturesNotFound as missing:
        pytest.skip(str(missing))


@pytest.mark.parametrize("owner_claim", CLAIMS, ids=claim_id)
def test_each_claim_is_still_said(owner_claim):
    owner, claim = owner_claim
    texts = texts_of(owner, claim)
    assert texts, f"{pattern(owner, claim)}: no such text"
    assert any(normal(claim.says) in normal(text) for text in texts), (
        f"{pattern(owner, claim)} no longer says {claim.says!r}: remove the claim or register the new words"
    )


# -- the scan ----------------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\w.\\])(\d+(?:\.\d+)?%?|\.\d+)")
COMPARISON = re.compile(
    r"\b(than|slower|faster|fewer|more|less|larger|smaller|bigger|higher|lower|longer|shorter|nearly|almost|"
    r"close to|at least|at most|as soon|exactly|never|always|only|round(s|ed|ing)?|cuts?|digits|right to|wrong|"
    r"because|why|therefore|thus|hence|caus(e|es|ed)|due to|so that)\b|, so\b|\b(below|above) (?=[$\d]|FACT)",
    re.IGNORECASE,
)
LECTURE = re.compile(r"\b[Ll]ectures? \d{3}\b|\b[Ll]ecture(s|'s|s')\b|\bthe lectures?\b")
NOT_A_NUMBER = re.compile(  # a place in the course, not a quantity: "section 3", "assignment 1", "## 5."
    r"\b(lectures?|assignments?|sections?|steps?|STEP|units?|point|part|seeds?)\s+\d+(\s*(and|,|-|to)\s*\d+)*|^#+\s*(\w+\s+)?\d+[.:]",
    re.IGNORECASE,
)
CODE, INLINE_MATH = re.compile(r"`[^`]*`"), re.compile(r"\$([^$]*)\$")
INDEX = re.compile(r"[_^](\{[^{}]*\}|\\?\w)")  # h_{t-1}, x_t, 10^{-6}: indices, not quantities


SETTING = re.compile(r"(\\?\b[A-Za-z]+(_\{?\w+\}?)?|\\varepsilon) = -?\d+(\.\d+)?\b")  # b_f = 3, k = 15: a setting
FORMULA_DIGIT = re.compile(r"(?<![\w.])[012](?![\w.%])")


def _math(match):
    """Inside $...$, the numbers that are quantities: not indices, not the 0, 1 and 2 of formulas."""
    body = INDEX.sub(" ", SETTING.sub(" ", match.group(1)))
    return " " + " ".join(n for n in NUMBER.findall(body) if n not in ("0", "1", "2")) + " "


def _formula_digits(text):
    """A bare 0, 1 or 2 between operators or brackets is part of a formula ("1 / (1 + e^(-z))",
    "(0, 1)"), not a quantity."""

    def replace(match):
        before = text[: match.start()].rstrip()[-1:]
        after = text[match.end() :].lstrip()[:1]
        return " " if (before in "+-*/^=(,[" or not before) and (after in "+-*/^=),]" or not after) else match.group(0)

    return FORMULA_DIGIT.sub(replace, text)


def flags(sentence):
    """What makes a sentence a claim: {"number", "comparison", "lecture"} (empty: no claim)."""
    text = CODE.sub(" ", sentence)
    text = re.sub(r"\{\{[^}]*\}\}", " FACT ", text)  # a rendered fact is computed
    found = {"lecture"} if LECTURE.search(text) else set()
    if COMPARISON.search(text):
        found.add("comparison")
    text = INLINE_MATH.sub(_math, text)
    text = re.sub(r"^\s*(?:[-*>]|\d+\.)\s|^\s*\d+\.?\s*$", " ", text)
    text = NOT_A_NUMBER.sub(" ", text)
    if NUMBER.search(_formula_digits(INDEX.sub(" ", SETTING.sub(" ", text)))):
        found.add("number")
    return found


def test_the_scan_flags_what_it_should():
    assert flags("The GRU is slower than the LSTM.") == {"comparison"}
    assert flags("Lecture 004 writes W h + U x.") == {"lecture"}
    assert flags("at lag {{ rnn_lag }}") == set()  # rendered
    assert flags("with $f_t$ in $(0, 1)$ and $h_{t-1}$") == set()
    assert flags("$\\sigma(0) = 0.5$") == {"number"}
    assert flags("Run the cell below first.") == set()
    assert flags("falls below $10^{-6}$") == {"comparison", "number"}
    assert flags("## 5. The shape of $W_f$") == set()
    assert flags("only the subject tells") == {"comparison"}
    assert flags("sigma(z) = 1 / (1 + exp(-z)), values in (0, 1).") == set()
    assert flags("with $b_f = 3$ and k = 15") == set()
    assert flags("$\\sigma(3) = 0.95$") == {"number"}
    assert flags("2.") == set()


def unregistered():
    """(owner, where, sentence) of every flagged sentence that holds no registered claim's words."""
    missing = []
    for owner, where, text in TEXTS:
        here = claims_at(owner, where)
        for sentence in sentences(text):
            found = flags(sentence)
            if where.startswith("hint:"):  # a hint's formula is proved against its mistake (below)
                found &= {"lecture"}
            if found and not any(normal(claim.says) in normal(sentence) for claim in here):
                missing.append((owner, where, sentence))
    return missing


def test_every_flagged_sentence_is_rendered_or_registered():
    missing = unregistered()
    assert not missing, (
        f"{len(missing)} sentences state a number, a comparison or what a lecture says, and no claim "
        "proves them (register each in its assignment's claims.py):\n"
        + "\n".join(f"  {owner}/{where}: {sentence}" for owner, where, sentence in missing)
    )


def test_a_new_unproved_sentence_is_caught(monkeypatch):
    import test_claims

    new = ("forget_gate", "intro", "The GRU trains 3 times faster.")
    assert new not in test_claims.unregistered()
    monkeypatch.setattr(test_claims, "TEXTS", TEXTS + [new])
    assert new in test_claims.unregistered()


def test_the_course_texts_are_scanned():
    scanned = {(owner, where) for owner, where, _ in TEXTS}
    assert {("course", where) for where in COURSE_TEXTS} <= scanned
    assert any(where.startswith("erratum:") for _, where in scanned) and any(w == "objective" for _, w in scanned)


def test_the_example_display_points_to_a_section_every_notebook_has():
    """show_example's note on an erratum names the section that shows the errata (not "at the end":
    in vanishing_gradients, measured sections follow it)."""
    from assignments.evidence import notebook
    from student_kit import display

    for assignment in ASSIGNMENTS:
        sources = [cell.source for cell in notebook(assignment.id).cells]
        at = next(k for k, source in enumerate(sources) if source.startswith(f"## {display.ERRATA_HEADING}"))
        assert sources[at + 1] == "show_errata()", assignment.id


# -- the review's record ------------------------------------------------------------------------

REVIEW = Path(__file__).resolve().parent.parent / "course" / "review.md"
COURSE_SOURCES = {"readme": "README.md", "errata page": "autograder/docs.py", "kit": "student_kit/"}


def text_source_files():
    """The file each scanned text comes from, relative to the repository."""
    files = set()
    for assignment in ASSIGNMENTS:
        folder = f"assignments/{assignment.id}"
        notebooks = {path.name for path in assignment.source_notebooks}
        for owner, where, _ in TEXTS:
            if owner != assignment.id:
                continue
            kind = where.split(":")[0] if ":" in where else where
            files |= (
                {f"{folder}/examples.py"}
                if kind in ("erratum", "note")
                else {f"{folder}/mistakes.py"}
                if kind == "hint"
                else {"course/assignments.toml"}
                if kind == "objective"
                else {f"{folder}/{name}" for name in notebooks}
            )
    return files | {COURSE_SOURCES[where] for owner, where, _ in TEXTS if owner == "course"}


def test_the_review_lists_every_source_of_student_text():
    """course/review.md records what was read; a new assignment or a new kind of text is not
    reviewed until it is listed there."""
    review = REVIEW.read_text()
    listed = set(re.findall(r"^\| `([^`]+)`", review, re.MULTILINE))
    missing = sorted(text_source_files() - listed)
    assert not missing, f"not in course/review.md's list of texts read (review them, then list them): {missing}"


# -- arithmetic a reader can redo --------------------------------------------------------------

NUM = r"-?\d+(?:\.\d+)?"
TIMES = r"\s*(?:x|×|\\cdot|\*)\s*"
PRODUCTS = re.compile(rf"(?<![\w.^])({NUM}{TIMES}{NUM}(?:\s*[+-]\s*{NUM}{TIMES}{NUM})*)\s*=\s*({NUM})(?![\d.]|e-)")


def arithmetic(text):
    """Each "a x b = c" (or "a x b + c x d = e") a text writes with plain numbers: (left, right)."""
    return [(m.group(1), m.group(2)) for m in PRODUCTS.finditer(text)]


def holds_as_shown(left, right):
    """The numbers as shown give the result as shown, to its decimals: 5 x 0.002473 = 0.012363 does
    not (0.012365), though 5 x σ(-6) = 0.012363 is right: a rounding in the middle."""
    value = eval(re.sub(TIMES, "*", left), {"__builtins__": {}})  # digits, dots, * + - only
    decimals = len(right.split(".")[1]) if "." in right else 0
    return round(value, decimals) == float(right)


def test_every_product_a_reader_can_redo_holds_as_shown():
    found = [(owner, where, left, right) for owner, where, text in TEXTS for left, right in arithmetic(text)]
    assert found, "no a x b = c found: the pattern no longer matches the texts"
    wrong = [
        f"{owner}/{where}: {left} = {right}" for owner, where, left, right in found if not holds_as_shown(left, right)
    ]
    assert not wrong, "products that do not give what they say with the numbers shown:\n" + "\n".join(wrong)


def test_a_rounding_in_the_middle_is_caught():
    assert arithmetic("keeps 5 x 0.002473 = 0.012363 of it") == [("5 x 0.002473", "0.012363")]
    assert not holds_as_shown("5 x 0.002473", "0.012363") and holds_as_shown("5 x 0.0024726", "0.012363")
    assert holds_as_shown("0.1 \\cdot 5 + 0.5 \\cdot 0.5", "0.75") and not arithmetic("1.7e-58 x 2 = 3e-58")


# -- the hints, against the wrong functions they name --------------------------------------------


def hint_formulas():
    formulas = {}
    for assignment in ASSIGNMENTS:
        part = assignment.part("claims")
        formulas.update(getattr(part, "HINTS", {}) if part else {})
    return formulas


HINTS = hint_formulas()
MISTAKES = mistakes()


def test_every_hint_has_its_formula():
    missing = [key for key in MISTAKES if key not in HINTS]
    assert not missing, f"hints without a formula that proves them (claims.py's HINTS): {missing}"
    assert not set(HINTS) - set(MISTAKES), f"formulas for no catalogue entry: {set(HINTS) - set(MISTAKES)}"


def hint_agrees(key, formula):
    """The hint's formula, written from its words with the right functions, gives the wrong
    function's result on the exercise's random inputs (or it raises what the formula says); and
    the mistake shows, on some of them."""
    entry = MISTAKES[key]
    exercise = exercises()[entry.exercise]
    rng = np.random.default_rng(list(MISTAKES).index(key))
    shows = 0
    for _ in range(4):
        arguments = exercise.random_inputs(rng)
        expected = formula(*copy.deepcopy(arguments))
        if isinstance(expected, type) and issubclass(expected, Exception):
            with pytest.raises(expected):
                entry.wrong(*copy.deepcopy(arguments))
            shows += 1
            continue
        received = entry.wrong(*copy.deepcopy(arguments))
        assert same(received, expected, 1e-9), f"{key}: the hint's formula gives {expected}, the mistake {received}"
        shows += not same(received, exercise.reference(*copy.deepcopy(arguments)), 1e-9)
    assert shows, f"{key}: the mistake gives the right answer on every input tried"


@pytest.mark.parametrize("key", list(MISTAKES))
def test_the_hint_says_what_the_wrong_function_computes(key):
    hint_agrees(key, HINTS[key])


def test_a_hint_that_blames_the_wrong_step_fails():
    """ "The loss is a sum over the batch" would make the mistake the right sum times B, not the right one over B."""
    from lstm_ref import lstm_cell_backward

    def sum_over_the_batch_times_B(dh, dC, cache):
        dx, dh_prev, dC_prev, dW, db = lstm_cell_backward(dh, dC, cache)
        return dx, dh_prev, dC_prev, dW * len(dh), db * len(dh)

    with pytest.raises(AssertionError, match="the hint's formula gives"):
        hint_agrees("lstm_cell_backward/weights-averaged-over-batch", sum_over_the_batch_times_B)


def test_a_claim_on_the_lectures_skips_without_them(monkeypatch):
    from assignments import lectures

    monkeypatch.setattr(lectures, "lecture_dir", lambda: None)
    lectures.lecture_text.cache_clear()
    claim = next(claim for _, claim in CLAIMS if claim.lectures)
    try:
        with pytest.raises(LecturesNotFound):
            claim.check()
    finally:
        lectures.lecture_text.cache_clear()
