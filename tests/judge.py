"""The grader's judgement of a function, here in the tests' process, as it judges a kernel's records:

check_example("forget_gate", fn, "004-forget-gate")
check_random("forget_gate", fn, seed=202)
"""

import copy

from autograder.cells import Check
from autograder.checks import cases, judge
from student_kit.checks import CheckFailed
from student_kit.values import plain


def judge_function(check, function):
    """Raise CheckFailed with the grader's message if `function` fails `check`."""
    for trial, case in enumerate(cases(check)):
        try:
            record = {"received": plain(function(*copy.deepcopy(case.arguments)))}
        except Exception as error:
            record = {"raised": {"type": type(error).__name__, "message": str(error)}}
        problem = judge(check, trial, record)
        if problem is not None:
            raise CheckFailed(problem)


def check_example(exercise_name, function, example_key):
    judge_function(Check("example", exercise_name, example_key), function)


def check_random(exercise_name, function, seed, trials=10):
    judge_function(Check("random", exercise_name, seed, trials), function)
