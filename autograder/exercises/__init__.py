"""Every graded function of the course: its call in the lectures' notation, its reference in
lstm_ref, and how to draw random inputs for the hidden tests.

The notebooks' test cells name an exercise (check_example("forget_gate", ...)); the checks in
autograder/checks.py do the rest. One module per assignment, each with a list EXERCISES.
"""
from . import bptt, forget_gate, gru, input_gate, output_gate, vanishing_gradients
from .base import Exercise  # noqa: F401 (what an exercise is)

ASSIGNMENTS = [forget_gate, input_gate, output_gate, gru, vanishing_gradients, bptt]

EXERCISES = {exercise.name: exercise for module in ASSIGNMENTS for exercise in module.EXERCISES}

# Models a student trains and hands in: name -> (file, grade(path) -> (passed, message),
# how plain nbgrader measures it in the kernel).
SAVED_MODELS = bptt.SAVED_MODELS
