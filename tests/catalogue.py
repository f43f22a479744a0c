"""The catalogue of known mistakes seen from the tests: which entries a result matches, the hint a
check would add, and whether a text names an entry."""

from autograder.checks import mistakes
from student_kit import messages
from student_kit.checks import matching_hints, raising_hints


def matches(exercise_name, arguments, received, expected, tolerance=1e-8):
    """The entries whose wrong answer is `received` (and differs from `expected`) on `arguments`."""
    return [
        entry
        for entry, mistake in mistakes(exercise_name, arguments, expected, tolerance)
        if matching_hints(received, [mistake], tolerance)
    ]


def error_matches(exercise_name, arguments, error):
    """The entries whose wrong answer raises the student's kind of error."""
    return [
        entry
        for entry, mistake in mistakes(exercise_name, arguments, None)
        if raising_hints(type(error).__name__, error, [mistake])
    ]


def hint(entries):
    """The text a failure message adds: '' if no entry, the hint of each entry otherwise."""
    return messages.hints([entry.hint for entry in entries])


def diagnose(exercise_name, arguments, received, expected, tolerance=1e-8):
    """The hint for a wrong `received`; '' when it is no known mistake."""
    return hint(matches(exercise_name, arguments, received, expected, tolerance))


def diagnose_error(exercise_name, arguments, error):
    """The hint for a function that raised `error`; '' when no known mistake raises it."""
    return hint(error_matches(exercise_name, arguments, error))


def mentions(text, entry):
    """True if `text` (a failure message, a page of feedback) names the entry's mistake."""
    return " ".join(entry.hint.split()) in " ".join(text.split())
