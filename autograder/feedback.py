"""nbgrader preprocessors for the students' feedback HTML.

nbgrader's ClearHiddenTests removes hidden tests from a test cell's source, but the
traceback in the cell's output still prints the failing lines, hidden ones included.
The course's checks raise messages that stand on their own (call, inputs, expected,
received), so in test cells we keep only that message.
"""
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor


TIMED_OUT = ("This cell ran past the time limit and was stopped, so it scores zero. "
             "Does a loop in your code never end?")


def short_message(output):
    if output.ename in ("KeyboardInterrupt", "CellTimeoutError"):
        return TIMED_OUT
    return f"{output.ename}: {output.evalue}"


class ShortTestTracebacks(NbGraderPreprocessor):
    """In every test cell, replace an error's traceback by its last line: 'Error: message'."""

    def preprocess_cell(self, cell, resources, index):
        if utils.is_grade(cell) and not utils.is_solution(cell):
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [short_message(output)]
        return cell, resources
