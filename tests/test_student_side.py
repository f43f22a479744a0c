"""What a student receives (a released folder, built by release) carries no answer key and runs on its own.

- Every released notebook runs top to bottom in a bare environment (numpy, matplotlib,
  ipywidgets, ipykernel; nothing of this repository): the solution's answers pass its visible
  checks (bptt's training shortened: with_short_training), the blank notebook fails them with the
  checks' messages.
- Nothing in a released folder computes a graded answer: every function and class in it, tried
  in place of each graded function of the course, fails that function's hidden checks; and no
  line of the reference implementation's graded functions appears in a released file.
- The visible checks tell every catalogued mistake apart that they can: a student hears of it
  before handing in.
"""

import ast
import inspect
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import bare_env
import nbformat
import numpy as np
import pytest

from autograder import cells, checks, samples
from autograder.course import assignments, exercises, mistakes_of
from student_kit import data

ASSIGNMENTS = assignments()
IDS = [a.id for a in ASSIGNMENTS]


def run_notebook(notebook, folder, python, tmp_path):
    """Execute `notebook` in `folder` with the bare environment's kernel; {grade_id: error text}."""
    from nbclient import NotebookClient

    spec_folder = tmp_path / "jupyter"
    name = bare_env.kernel_spec(python, spec_folder)
    import os

    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(spec_folder)
    try:
        NotebookClient(
            notebook, kernel_name=name, timeout=120, allow_errors=True, resources={"metadata": {"path": str(folder)}}
        ).execute()
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = old
    return {
        cells.grade_id(cell) or f"cell {k}": f"{o['ename']}: {o['evalue']}"
        for k, cell in enumerate(notebook.cells)
        for o in cell.get("outputs", [])
        if o.output_type == "error"
    }


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", IDS)
def test_a_released_notebook_runs_in_a_bare_environment(assignment_id, bare_python, released_course, tmp_path):
    release = released_course.release_directory
    folder = tmp_path / assignment_id  # a copy: the solution writes files (a saved model) where it runs
    shutil.copytree(release / assignment_id, folder)
    solution = with_short_training(samples.solved(assignment_id, release))
    solved = run_notebook(solution, folder, bare_python, tmp_path)
    assert solved == {}, f"the solution fails in a student's environment: {solved}"
    for cell in solution.cells:  # each passing test cell says what passed, one line per function
        if cells.is_test(cell) and cells.checks(cell.source):
            said = set(printed(cell).splitlines())
            assert set(checks.passed_line(cell.source).splitlines()) <= said, (cells.grade_id(cell), said)
    released = samples.released(assignment_id, release)
    blank = run_notebook(released, folder, bare_python, tmp_path)
    tests = [cells.grade_id(c) for c in released.cells if cells.is_test(c) and cells.checks(c.source)]
    assert tests  # hidden ones are empty here
    for grade_id in tests:
        assert grade_id in blank, f"{grade_id} passes on the blank notebook"
        assert blank[grade_id].startswith("CheckFailed: ") and "not written yet" in blank[grade_id], (
            f"{grade_id}: a blank answer should meet the checks' message, not {blank[grade_id]!r}"
        )
    # Run top to bottom, the blank notebook's other cells (demonstrations, tables, plots) fail on
    # nothing: where one needs a function not yet written, it says which to write first.
    for k, cell in enumerate(released.cells):
        if cell.cell_type != "code" or cells.is_answer(cell) or cells.checks(cell.source):
            continue
        where = cells.grade_id(cell) or f"cell {k}"
        assert where not in blank, f"{where} fails on the blank notebook: {blank[where]}"
        if "ready(" in cell.source:
            assert "Not run: write " in printed(cell) and "first" in printed(cell), (where, printed(cell))


# bptt's solution trains 30 models of 400 steps each and measures each on 2,000 held-out sentences
# (a minute of numpy, as on a student's machine): here through the same lines of the notebook and
# the kit, with SHORTER defaults. That the notebook's training is the course's, and that its cheapest
# run with the whole budget gives the recorded accuracy, tests/test_bptt_notebook.py proves.
SHORTER = {"train": {"steps": 5}, "heldout_accuracy": {"size": 50}}
LOWER = """import inspect
def _lower(function, **defaults):
    parameters = inspect.signature(function).parameters
    assert set(defaults) <= set(parameters), (function, defaults)
    function.__defaults__ = tuple(
        defaults.get(name, p.default) for name, p in parameters.items() if p.default is not inspect.Parameter.empty
    )
"""


def with_short_training(notebook):
    """The notebook with a cell after its training cell that lowers SHORTER's defaults."""
    index = next((k for k, cell in enumerate(notebook.cells) if cells.grade_id(cell) == "training"), None)
    if index is not None:
        calls = [f"_lower({name}, **{defaults!r})" for name, defaults in SHORTER.items()]
        notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(LOWER + "\n".join(calls)))
    return notebook


def printed(cell):
    """The text a code cell showed: its printed lines and plain-text displays (updated in place)."""
    return "".join(
        o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "") + "\n"
        for o in cell.get("outputs", [])
        if o.output_type in ("stream", "display_data", "execute_result")
    )


# -- nothing released computes a graded answer --------------------------------------------------

# A saved-model check grades a file the student hands in, not a function: no released code can pass it
# (no model file is released; test_saved_models covers the file itself).
HIDDEN_CHECKS = sorted(
    {
        check
        for a in ASSIGNMENTS
        for path in a.source_notebooks
        for check in cells.notebook_checks(nbformat.read(path, as_version=4), hidden=True)
        if check.kind != "model"
    },
    key=repr,
)

CANDIDATES = """
import contextlib, importlib, inspect, io, json, pkgutil, sys, traceback
import numpy as np
import student_kit
from student_kit import data
from student_kit.values import plain

candidates = {}
for info in pkgutil.walk_packages(student_kit.__path__, "student_kit."):
    try:
        module = importlib.import_module(info.name)
    except Exception:  # a module that needs what a student need not have (ipywidgets is here)
        continue
    for name, value in vars(module).items():
        if callable(value) and getattr(value, "__module__", "").startswith("student_kit"):
            candidates[f"{info.name}.{name}"] = value
            if inspect.isclass(value):
                for attribute, member in vars(value).items():
                    if callable(member):
                        candidates[f"{info.name}.{name}.{attribute}"] = member
for assignment_id, source in json.loads(sys.argv[1]).items():  # each notebook's own functions and classes
    namespace = {"np": np}
    exec(source, namespace)
    candidates.update({f"notebook[{assignment_id}].{k}": v for k, v in namespace.items() if callable(v) and k != "np"})

def numpy_function(argument):  # grad_check's f is sent by name: JSON has no functions
    if isinstance(argument, str) and argument.startswith("numpy function "):
        module, _, name = argument.removeprefix("numpy function ").rpartition(".")
        return getattr(importlib.import_module(module), name)
    return argument


cases = {exercise: [[numpy_function(a) for a in arguments] for arguments in trials]
         for exercise, trials in data.decode(json.load(sys.stdin)).items()}
results = {}
with contextlib.redirect_stdout(io.StringIO()):  # what a candidate prints (ready's "Not run: ...") is not the answer
    for label, candidate in candidates.items():
        for exercise, trials in cases.items():
            answers = []
            for arguments in trials:
                try:
                    answers.append({"received": plain(candidate(*arguments))})
                except BaseException as error:
                    answers.append({"raised": {"type": type(error).__name__, "message": str(error)[:200]}})
                    break
            results[f"{label} as {exercise}"] = answers
print(json.dumps(results))
"""


def by_name(argument):
    """A numpy function argument (grad_check's f) as its name, which the candidates' process imports."""
    if callable(argument):
        module = "numpy.linalg" if argument is np.linalg.norm else "numpy"
        assert getattr(np.linalg if module == "numpy.linalg" else np, argument.__name__) is argument
        return f"numpy function {module}.{argument.__name__}"
    return argument


def notebook_definitions(notebook):
    """The top-level functions and classes of the notebook's code cells, as source."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        found += [
            ast.get_source_segment(cell.source, node)
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
        ]
    return "\n\n".join(found)


@pytest.fixture(scope="module")
def candidates_answers(bare_python, released_course):
    """{"<candidate> as <check>": answers}: every function and class of the released folders (the
    kit, the same in each; each notebook's own, as notebook[<assignment>].<name>) on every hidden
    check's inputs, in one process of a student's bare environment."""
    from autograder.release.kit import differences

    release = released_course.release_directory
    for assignment_id in IDS:
        assert differences(release / assignment_id / "student_kit") == [], (
            f"{assignment_id}'s kit is not the checkout's"
        )
    cases = {
        f"{check.name}|{check.key}|{check.trials}": [
            [by_name(a) for a in case.arguments] for case in checks.cases(check)
        ]
        for check in HIDDEN_CHECKS
    }
    definitions = {
        assignment_id: notebook_definitions(
            nbformat.read(next((release / assignment_id).glob("*.ipynb")), as_version=4)
        )
        for assignment_id in IDS
    }
    answer = subprocess.run(
        [str(bare_python), "-c", CANDIDATES, json.dumps(definitions)],
        cwd=release / IDS[0],
        input=json.dumps(data.encode(cases)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    return json.loads(answer.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", IDS)
def test_nothing_in_a_released_folder_passes_a_hidden_check(assignment_id, candidates_answers):
    notebook = f"notebook[{assignment_id}]."
    results = {
        label: answers for label, answers in candidates_answers.items() if label.startswith((notebook, "student_kit."))
    }
    assert any(label.startswith(notebook) for label in results)
    assert any(label.startswith("student_kit.widgets.views.") for label in results)
    passing = []
    for label, answers in results.items():
        exercise, key, trials = label.split(" as ")[1].split("|")
        check = cells.Check("random", exercise, int(key), int(trials))
        if len(answers) == int(trials) and all(checks.judge(check, k, a) is None for k, a in enumerate(answers)):
            passing.append(label)
    assert passing == [], f"released code computes graded answers: {passing}"


def reference_lines():
    """The code lines (no docstrings, no comments) of lstm_ref's functions that grade an exercise:
    each exercise's reference and the lstm_ref functions a wrapper of an assignment's exercises.py calls."""
    functions = set()
    for exercise in exercises().values():
        reference = exercise.reference
        functions.add(reference)
        tree = (
            ast.parse(textwrap.dedent(inspect.getsource(reference)).strip().rstrip(","), mode="exec")
            if reference.__name__ != "<lambda>"
            else None
        )
        called = (
            {
                node.attr if isinstance(node, ast.Attribute) else node.id
                for node in ast.walk(tree)
                if isinstance(node, (ast.Attribute, ast.Name))
            }
            if tree
            else set()
        )
        called |= set(reference.__code__.co_names)
        for name in called:
            for namespace in [reference.__globals__] + [
                vars(v) for v in reference.__globals__.values() if inspect.ismodule(v)
            ]:
                value = namespace.get(name)
                if inspect.isfunction(value) and value.__module__.startswith("lstm_ref"):
                    functions.add(value)
    lines = set()
    for function in functions:
        if not function.__module__.startswith("lstm_ref") or function.__name__ == "<lambda>":
            continue
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source).body[0]
        body = tree.body[1:] if ast.get_docstring(tree) else tree.body
        for statement in body:
            for line in ast.get_source_segment(source, statement).splitlines():
                line = " ".join(line.split())
                if len(line) >= 20 and not line.startswith("#"):
                    lines.add(line)
    return lines


def released_text_lines(assignment_id):
    """(where, lines) of what a released folder holds as code: the student kit (copied in as it is
    here) and the code cells of the student version of the notebook."""
    for path in sorted(Path(data.__file__).parent.rglob("*.py")):
        yield path, path.read_text().splitlines()
    notebook = samples.released(assignment_id)  # the student version, as release makes it
    yield (
        f"{assignment_id}.ipynb",
        [line for cell in notebook.cells if cell.cell_type == "code" for line in cell.source.splitlines()],
    )


@pytest.mark.parametrize("assignment_id", IDS)
def test_no_line_of_the_reference_is_released(assignment_id):
    secret = reference_lines()
    assert len(secret) > 50
    for path, lines in released_text_lines(assignment_id):
        leaked = {" ".join(line.split()) for line in lines} & secret
        assert not leaked, f"{path} contains lstm_ref's code: {sorted(leaked)}"


@pytest.mark.parametrize("assignment_id", IDS)
def test_released_code_imports_nothing_of_the_instructors(assignment_id):
    from autograder import verify

    for path, lines in released_text_lines(assignment_id):
        notes = verify.advice("\n".join(line for line in lines if not line.lstrip().startswith(("%", "!"))))
        assert not [n for n in notes if "PyTorch" not in n or Path(path).name != "experiments.py"], f"{path}: {notes}"


# -- the visible checks catch what they can -------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_the_visible_checks_name_every_known_mistake_of_their_functions(assignment):
    """A visible example too weak for a common mistake (three identity matrices for a product
    whose order matters) lets it pass in the notebook and fail only when graded."""
    from autograder.release import course_data

    stored = course_data(assignment.id)
    caught = {}
    for key, check in stored["checks"].items():
        for trial in check["trials"]:
            caught.setdefault(key.split("/")[1], set()).update(m["hint"] for m in trial["mistakes"])
    graded = {
        check.name
        for path in assignment.source_notebooks
        for check in cells.notebook_checks(nbformat.read(path, as_version=4), hidden=True)
    }
    missed = [
        entry.key for name in sorted(graded) for entry in mistakes_of(name) if entry.hint not in caught.get(name, set())
    ]
    assert missed == [], f"no visible check of {assignment.id} tells these mistakes apart: {missed}"


def test_the_student_kit_needs_only_the_students_packages():
    """student_kit imports numpy, matplotlib, ipywidgets, IPython and the standard library (torch
    only inside student_kit/experiments.py's functions, for a student who has it)."""
    import sys

    allowed = {"numpy", "matplotlib", "ipywidgets", "IPython", "student_kit"} | set(sys.stdlib_module_names)
    for path in Path(data.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and not node.level
                else []
            )
            for name in names:
                root = name.split(".")[0]
                assert root in allowed or (root == "torch" and path.name == "experiments.py"), f"{path}: {name}"
