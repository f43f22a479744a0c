"""Fixtures of the hostile tests: a course with forget_gate released, copied fresh per test
(tests/hostile/redteam.py)."""

from hostile.redteam import forget_gate_course, fresh_course  # noqa: F401
