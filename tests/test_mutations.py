"""Mutation tests: the instructor's solution with exactly one catalogued mistake (the entry's
whole wrong function put in place of the solution's function of that name, in the assignment's
answer cell that defines it) goes through the real nbgrader pipeline (autograde, feedback). It
must lose points, and its feedback must name the mistake. nbgrader validate, which students run
before they hand in, must name it too.

Generic over the catalogue: every entry of every assignment's mistakes.py is a mutant; all
mutants of one assignment are graded in one batch. Reformatting a solution changes nothing here:
the mutation is a function, not a patch of the solution's text.
"""

import ast
import html
import os
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass

import nbformat
import numpy as np
import pytest
from catalogue import mentions
from conftest import grade_batch, graded_cells

from autograder import cells, gradebook, samples
from autograder.course import assignment, assignments

pytestmark = pytest.mark.slow


def answer_cells(course_assignment):
    """{function name: grade_id of the answer cell that first defines it} in one assignment."""
    found = {}
    for path in course_assignment.source_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cells.is_answer(cell):
                for node in ast.parse(cells.without_solution_markers(cell.source)).body:
                    if isinstance(node, ast.FunctionDef):
                        found.setdefault(node.name, cells.grade_id(cell))
    return found


@dataclass(frozen=True)
class Case:
    entry: object
    assignment_id: str
    grade_id: str | None  # the answer cell the mistake's function replaces a function of; None: no such cell

    @property
    def student(self):
        """One student per distinct mistaken function: entries made in the same function share a mutant."""
        return f"mutant-{self.grade_id}-{zlib.crc32(self.entry.source.encode()):08x}".replace("_", "-")


def cases():
    found = []
    for course_assignment in assignments():
        functions = answer_cells(course_assignment)
        for entry in course_assignment.mistakes:
            found.append(Case(entry, course_assignment.id, functions.get(entry.function.__name__)))
    return found


CASES = cases()
COVERED = [case for case in CASES if case.grade_id]


def mutant(case, release_directory):
    """The solved notebook with exactly the entry's mistake in one answer cell."""
    return samples.with_function(
        samples.solved(case.assignment_id, release_directory), case.grade_id, case.entry.source
    )


@pytest.fixture(scope="module")
def batches(released_course, tmp_path_factory):
    """{assignment id: Batch}: the solution and every mutant of that assignment, graded at once."""
    release = released_course.release_directory
    graded = {}
    for assignment_id in sorted({case.assignment_id for case in COVERED}):
        submissions = {"right": samples.solved(assignment_id, release)}
        for case in COVERED:
            if case.assignment_id == assignment_id:
                submissions[case.student] = mutant(case, release)
        graded[assignment_id] = grade_batch(
            released_course,
            assignment_id,
            submissions,
            tmp_path_factory.mktemp(f"mutants-{assignment_id}"),
            with_files=set(submissions),
        )
    return graded


def page_text(page):
    """An HTML page as a student reads it: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def feedback_notebook(batch, student):
    """The student's autograded notebook as its feedback shows it: through the feedback's own
    preprocessors (course/nbgrader_config.py: hidden tests removed, a test's traceback cut to its
    message). nbgrader's HTML page of it costs a second per notebook; one assignment's pages are
    checked to say the same (test_the_feedback_pages_say_what_the_notebooks_say)."""
    from nbgrader.preprocessors import ClearHiddenTests

    from autograder.feedback import ShortTestTracebacks

    (path,) = (batch.course.root / "autograded" / student / batch.assignment_id).glob("*.ipynb")
    notebook = nbformat.read(path, as_version=4)
    for preprocessor in (ClearHiddenTests(), ShortTestTracebacks()):
        notebook, _ = preprocessor.preprocess(notebook, {})
    return notebook


def output_lines(notebook):
    """Each line the outputs show (streams, errors, results as the page shows them: HTML's text
    where there is HTML), stripped."""
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if output.output_type == "stream":
                texts.append(output.text)
            elif output.output_type == "error":
                texts += output.traceback
            elif "text/html" in data:
                texts.append(page_text(data["text/html"]))
            elif "text/plain" in data and not any(kind.startswith("image/") for kind in data):
                texts.append(data["text/plain"])
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def feedback_text(batch, student):
    """What the student's feedback says: the cells' sources and the outputs' lines."""
    notebook = feedback_notebook(batch, student)
    return "\n".join([cell.source for cell in notebook.cells] + output_lines(notebook))


def outcome(batches, case):
    """(lost points, named the mistake) for a covered case."""
    batch = batches[case.assignment_id]
    full = sum(graded_cells(case.assignment_id).values())
    return batch.total(case.student) < full, mentions(feedback_text(batch, case.student), case.entry)


@pytest.mark.parametrize("case", COVERED, ids=lambda case: case.entry.key)
def test_the_mutant_loses_points_and_its_feedback_names_the_mistake(batches, case):
    batch = batches[case.assignment_id]
    assert batch.total("right") == sum(graded_cells(case.assignment_id).values())
    lost_points, named = outcome(batches, case)
    assert lost_points, f"{case.entry.key}: the mutant got full marks"
    assert named, (
        f"{case.entry.key}: the feedback does not name the mistake; it says:\n"
        + feedback_text(batch, case.student)[-3000:]
    )


PAGES_OF = "forget_gate"  # the assignment whose feedback pages nbgrader writes here


def test_the_feedback_pages_say_what_the_notebooks_say(batches):
    """nbgrader's feedback page of each of one assignment's mutants shows every line of output
    that feedback_text reads from its notebook, and no hidden test."""
    batch = batches[PAGES_OF]
    batch.course.feedback(PAGES_OF)
    students = sorted(batch.rows)
    assert len(students) > 2
    for student in students:
        page = " ".join(page_text(batch.feedback_html(student)).split())
        notebook = feedback_notebook(batch, student)
        for line in output_lines(notebook):
            assert " ".join(line.split()) in page, f"{student}: the page does not show {line!r}"
        assert not [line for line in hidden_lines(PAGES_OF) if line in page], f"{student}: a hidden test shows"


def hidden_lines(assignment_id):
    """The code lines of the assignment's hidden tests (the markers excluded)."""
    found = []
    for path in assignment(assignment_id).source_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                    inside = "BEGIN" in line
                elif inside and line.strip() and not line.strip().startswith(("#", "from ", "import ")):
                    found.append(" ".join(line.split()))
    assert found
    return found


@pytest.fixture(scope="module")
def recorded(batches):
    """{assignment: {(student, question): [(kind, key)]}}: the named mistakes the gradebook keeps."""
    return {a: gradebook.recorded_mistakes(batch.course.db_url, a) for a, batch in batches.items()}


@pytest.mark.parametrize("case", COVERED, ids=lambda case: case.entry.key)
def test_the_gradebook_keeps_the_mutant_s_mistake_by_its_key(recorded, case):
    """What the class report counts: the entry's key on a question the mutant lost (and on no
    question the solution lost)."""
    kept = recorded[case.assignment_id]
    assert ("mistake", case.entry.key) in {
        cause for (student, _), causes in kept.items() if student == case.student for cause in causes
    }, f"{case.entry.key}: kept {sorted(v for (s, _), v in kept.items() if s == case.student)}"
    assert not [key for key in kept if key[0] == "right"]


def visible_arguments(case):
    """The inputs of the visible checks of the entry's exercise in its notebook: where the student
    reads the notebook's message (values shown) rather than a hidden test's."""
    from autograder.checks import cases as check_cases

    found = []
    for path in assignment(case.assignment_id).source_notebooks:
        for check in cells.notebook_checks(nbformat.read(path, as_version=4), hidden=False):
            if check.name == case.entry.exercise:
                found += [trial.arguments for trial in check_cases(check)]
    return found


def shown_arguments(case):
    """The inputs whose result the notebook's message shows: in each cell that checks the entry's
    exercise, its first trial where the entry's answer is not the right one (the check stops there)."""
    from autograder.checks import cases as check_cases
    from autograder.checks import wrong_answer
    from autograder.course import exercises
    from student_kit.values import same

    reference = exercises()[case.entry.exercise].reference
    found = []
    for path in assignment(case.assignment_id).source_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            trials = [
                trial.arguments
                for check in cells.checks(cells.split_hidden(cell.source)[0])
                if check.recomputable and check.name == case.entry.exercise
                for trial in check_cases(check)
            ]
            for arguments in trials:
                wrong, error = wrong_answer(case.entry, arguments)
                if error is not None or not same(wrong, reference(*arguments)):
                    found.append(arguments)
                    break
    return found


def impossible_on(case, arguments) -> bool:
    """True if the entry's wrong result leaves a range its exercise declares, on these inputs."""
    from autograder.checks import wrong_answer
    from autograder.course import exercises
    from student_kit.values import outside, same

    exercise = exercises()[case.entry.exercise]
    wrong, error = wrong_answer(case.entry, arguments)
    if error is not None or not any(exercise.ranges):
        return False
    right = exercise.reference(*arguments)
    several = len(exercise.results) > 1
    if several and (not isinstance(wrong, tuple) or len(wrong) != len(right)):
        return False
    parts, right_parts = (wrong, right) if several else ((wrong,), (right,))
    ranges = list(exercise.ranges) + [None] * len(parts)
    # The message shows the first wrong result; a wrong shape is said first, and alone.
    differ = [k for k, (part, right_part) in enumerate(zip(parts, right_parts)) if not same(part, right_part)]
    if not differ:  # right on these inputs (a missing b_f where b_f = 0): the message comes from others
        return False
    first = differ[0]
    return (
        ranges[first] is not None
        and np.shape(parts[first]) == np.shape(right_parts[first])
        and outside(parts[first], ranges[first].describe()) is not None
    )


def several_results(case) -> bool:
    """True if the entry's exercise returns several results and, on every visible check's inputs,
    so does the entry (a tuple of as many: a wrong value in one of them, not an error)."""
    from autograder.checks import wrong_answer
    from autograder.course import exercises

    count = len(exercises()[case.entry.exercise].results)
    found = [wrong_answer(case.entry, arguments) for arguments in visible_arguments(case)]
    return (
        count > 1
        and bool(found)
        and all(error is None and isinstance(wrong, tuple) and len(wrong) == count for wrong, error in found)
    )


def test_the_feedback_names_the_wrong_result_of_several(batches):
    """A function that returns several results: the feedback names which of them is wrong."""
    from autograder.course import exercises

    several = [case for case in COVERED if several_results(case)]
    assert "lstm_cell/o_t-as-C_t" in {case.entry.key for case in several}
    for case in several:
        names = exercises()[case.entry.exercise].results
        text = " ".join(feedback_text(batches[case.assignment_id], case.student).split())
        assert any(f"{name} is wrong" in text or f"{name} are wrong" in text for name in names), case.entry.key


def test_the_feedback_says_a_value_is_impossible_where_it_is(batches):
    """Where a mistake's result leaves its formula's range on the notebook's visible checks (np.tan
    for np.tanh, tanh for σ, C_t for tanh(C_t)), the feedback says the value is impossible."""
    impossible = [case for case in COVERED if any(impossible_on(case, a) for a in shown_arguments(case))]
    assert {"candidate/tan-for-tanh", "hidden_state/tan-for-tanh", "forget_gate/tanh-for-σ"} <= {
        case.entry.key for case in impossible
    }
    for case in impossible:
        text = " ".join(feedback_text(batches[case.assignment_id], case.student).split())
        assert " is impossible for " in text, f"{case.entry.key}: no word of the impossible value"


def test_the_right_answers_feedback_says_what_passed(batches):
    """Every test cell of a right notebook says in the feedback what passed, in the grader's words."""
    from autograder.checks import passed_line

    for assignment_id, batch in batches.items():
        text = feedback_text(batch, "right")
        for path in assignment(assignment_id).source_notebooks:
            for cell in nbformat.read(path, as_version=4).cells:
                if cells.is_test(cell) and (line := passed_line(cell.source)):
                    assert all(said in text for said in line.splitlines()), (assignment_id, line)


def test_the_catalogue_detection_rate(batches, capsys):
    detected = [case for case in COVERED if all(outcome(batches, case))]
    with capsys.disabled():
        print(
            f"\ncatalogue: {len(CASES)} entries, {len(COVERED)} graded through nbgrader as mutants "
            f"({len({case.student for case in COVERED})} notebooks), detected {len(detected)}/{len(COVERED)}"
        )
    assert COVERED and len(detected) == len(COVERED)


def test_every_catalogue_entry_is_a_mutant_of_its_own_solution():
    """Each mistake's function is one the assignment's solution defines in an answer cell, and
    putting it there changes that cell and nothing else of the notebook."""
    assert [case.entry.key for case in CASES if not case.grade_id] == []
    for case in CASES:
        answer = samples.solution_answers(case.assignment_id)[case.grade_id]
        mutated = cells.replace_function(answer, case.entry.source)
        assert mutated != answer and case.entry.source.strip() in mutated, case.entry.key
        ast.parse(mutated)


def validate(notebook, release_folder, folder):
    """Run `nbgrader validate` on a notebook the way a student does, in a copy of the released
    folder (the notebook beside its student_kit/ and course_data.json); return its output."""
    folder = folder / release_folder.name
    shutil.copytree(release_folder, folder, dirs_exist_ok=True)
    path = folder / f"{assignment(VALIDATED.assignment_id).source_notebooks[0].name}"
    nbformat.write(notebook, path)
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "validate", str(path)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.stdout + result.stderr


# One mutant a student would validate: caught by the visible test (the lecture's numbers).
VALIDATED = next((case for case in COVERED if case.entry.key == "forget_gate/x-before-h"), None)


@pytest.mark.skipif(VALIDATED is None, reason="forget_gate/x-before-h is not in the course")
def test_nbgrader_validate_names_the_mistake_before_the_student_hands_in(released_course, tmp_path):
    release_folder = released_course.release_directory / VALIDATED.assignment_id
    output = validate(mutant(VALIDATED, released_course.release_directory), release_folder, tmp_path)
    assert "VALIDATION FAILED" in output
    assert mentions(output, VALIDATED.entry), output[-3000:]
    right = validate(
        samples.solved(VALIDATED.assignment_id, released_course.release_directory), release_folder, tmp_path
    )
    assert "Success! Your notebook passes all the tests." in right and "Likely mistake" not in right
