"""What a graded function is. Its random inputs are drawn by student_kit/inputs.py, the same
code in the student's notebook and in the grader."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Exercise:
    name: str  # the function the student writes
    arguments: tuple  # its arguments, in the lectures' notation
    output: str  # what it returns, in the lectures' notation
    reference: Callable  # the right answer, from lstm_ref
    random_inputs: Callable  # rng -> tuple of arguments: a function of student_kit/inputs.py

    @property
    def call(self):
        return f"{self.name}({', '.join(self.arguments)})"
