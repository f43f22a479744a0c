"""Mutation tests: the instructor's solution, mutated to make exactly one catalogued mistake,
goes through the real nbgrader pipeline (autograde, feedback). It must lose points, and its
feedback must name the mistake. nbgrader validate, which students run before they hand in,
must name it too.

Generic over the catalogue: an entry is tested when its exercise is an answer cell of an
assignment in course/assignments.toml and the entry has a mutation; every other entry is
reported as not (yet) covered. All mutants of one assignment are graded in one batch.
"""
import html
import os
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass

import nbformat
import pytest

from autograder import samples
from autograder.course import REPOSITORY, assignment, assignments
from autograder.misconceptions import MISCONCEPTIONS, mentions

from conftest import grade_batch, graded_cells

pytestmark = pytest.mark.slow


def answer_cells():
    """{function name: (assignment id, grade_id of its answer cell)} over the whole course."""
    cells = {}
    for course_assignment in assignments():
        for path in course_assignment.source_notebooks:
            for cell in nbformat.read(path, as_version=4).cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if cell.cell_type == "code" and meta.get("solution"):
                    for name in re.findall(r"^def (\w+)\(", cell.source, flags=re.MULTILINE):
                        # The first: later assignments have the student paste earlier functions again.
                        cells.setdefault(name, (course_assignment.id, meta["grade_id"]))
    return cells


@dataclass(frozen=True)
class Case:
    entry: object
    assignment_id: str | None  # None: not covered
    grade_id: str | None  # the answer cell the mutation edits
    why_not: str = ""  # why it is not covered

    @property
    def student(self):
        """One student per distinct mutation: entries that share a mutation share a mutant."""
        edits = repr((self.grade_id, self.entry.mutation.edits))
        return f"mutant-{self.grade_id}-{zlib.crc32(edits.encode()):08x}".replace("_", "-")


def cases():
    cells, found = answer_cells(), []
    for entry in MISCONCEPTIONS.values():
        cell_name = (entry.mutation and entry.mutation.cell) or entry.exercise
        if entry.exercise not in cells:
            found.append(Case(entry, None, None, f"no {entry.exercise}() in the course yet"))
        elif entry.mutation is None:
            found.append(Case(entry, None, None, "no mutation written for it"))
        else:
            found.append(Case(entry, *cells[cell_name]))
    return found


CASES = cases()
COVERED = [case for case in CASES if case.assignment_id]
NOT_COVERED = [case for case in CASES if not case.assignment_id]


def mutant(case, release_directory):
    """The solved notebook with exactly the entry's mistake in one answer cell."""
    notebook = samples.solved(case.assignment_id, release_directory)
    for old, new in case.entry.mutation.edits:
        notebook = samples.edit_answer(notebook, case.grade_id, old, new)
    return notebook


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
        graded[assignment_id] = grade_batch(released_course, assignment_id, submissions,
                                            tmp_path_factory.mktemp(f"mutants-{assignment_id}"), with_feedback=True,
                                            with_files=set(submissions))
    return graded


def feedback_text(batch, student):
    """The feedback page as a student reads it: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", batch.feedback_html(student)))


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
    assert named, (f"{case.entry.key}: the feedback does not name the mistake; it says:\n"
                   + feedback_text(batch, case.student)[-3000:])


def test_the_catalogue_detection_rate(batches, capsys):
    detected = [case for case in COVERED if all(outcome(batches, case))]
    rate = len(detected) / len(COVERED) if COVERED else 0.0
    with capsys.disabled():
        print(f"\ncatalogue: {len(CASES)} entries, {len(COVERED)} verified through nbgrader, "
              f"detected {len(detected)}/{len(COVERED)} ({rate:.0%})")
        for case in NOT_COVERED:
            print(f"  not yet covered: {case.entry.key} ({case.why_not})")
    assert COVERED, "no catalogue entry could be tested through nbgrader"


def test_the_mutations_apply_to_the_solutions():
    """A mutation whose text is not in its solution any more is a stale catalogue entry."""
    for case in COVERED:
        answer = samples.solution_answers(case.assignment_id)[case.grade_id]
        for old, new in case.entry.mutation.edits:
            assert old in answer, f"{case.entry.key}: {old!r} not in\n{answer}"
            answer = answer.replace(old, new)


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
    result = subprocess.run([sys.executable, "-m", "nbgrader", "validate", str(path)],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    return result.stdout + result.stderr


# One mutant a student would validate: caught by the visible test (the lecture's numbers).
VALIDATED = next((case for case in COVERED if case.entry.key == "forget_gate/x-before-h"), None)


@pytest.mark.skipif(VALIDATED is None, reason="forget_gate/x-before-h is not in the course")
def test_nbgrader_validate_names_the_mistake_before_the_student_hands_in(released_course, tmp_path):
    release_folder = released_course.release_directory / VALIDATED.assignment_id
    output = validate(mutant(VALIDATED, released_course.release_directory), release_folder, tmp_path)
    assert "VALIDATION FAILED" in output
    assert mentions(output, VALIDATED.entry), output[-3000:]
    right = validate(samples.solved(VALIDATED.assignment_id, released_course.release_directory), release_folder, tmp_path)
    assert "Success! Your notebook passes all the tests." in right and "Likely mistake" not in right
