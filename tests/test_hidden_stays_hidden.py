"""Hidden tests stay hidden in every output a student gets (tests/hostile/hidden_leaks.py).

Submissions steal what they can while the hidden tests run -- through the caller's frames, the
shell's history, linecache, gc, their own memory, the records channel -- stash it in a global,
files, a shared mapping, a daemon or the zygote's state, and print it in a later cell; or carry it
in the grader's verdict (an exception, a result). They are graded in one batch with honest
students beside and after them; then every feedback page (nbgrader generate_feedback) and every
graded notebook's outputs are searched for each hidden test's source lines, seeds, inputs and
expected values. The honest students keep every point, and so do the thieves whose answers are right.
"""

import html
import json
import re

import nbformat
import pytest
from conftest import release
from hostile import corpus, hidden_leaks

from autograder import report
from autograder.course import assignment
from autograder.pipeline import CourseRun
from autograder.sandbox import Limits, Sandbox, View, confinement

pytestmark = pytest.mark.slow

if not confinement().complete:
    pytest.skip(f"this machine cannot confine students' code: {confinement().problems()}", allow_module_level=True)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hidden-course")
    course = CourseRun(root=root, release_directory=root / "release", timeout=10, workers=2)
    release(course, corpus.ASSIGNMENT)
    inbox = tmp_path_factory.mktemp("hidden-inbox")
    cases = hidden_leaks.cases(course.release_directory)
    for case in cases:
        corpus.write(case, inbox)
    course.collect(inbox)
    results = course.autograde()
    feedback = course.feedback(corpus.ASSIGNMENT)
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    rows = {row["student"]: row for row in report.grade_rows(course.db_url, [corpus.ASSIGNMENT])}
    return course, cases, results, rows


def shown(course, student):
    """What the student is shown: the feedback page as text and as HTML, and the graded
    notebook's outputs (which the feedback and the formgrader render)."""
    page = (course.root / "feedback" / student / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.html").read_text()
    notebook = nbformat.read(
        course.root / "autograded" / student / corpus.ASSIGNMENT / f"{corpus.ASSIGNMENT}.ipynb", as_version=4
    )
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    printed = "".join(o.get("text", "") for o in outputs)
    return {
        "feedback page": page,
        "feedback text": html.unescape(re.sub(r"<[^>]+>", "", page)),
        "graded outputs": json.dumps(outputs) + printed,
        "printed": printed,
    }


def test_the_honest_and_the_right_keep_every_point_the_wrong_lose_theirs(graded):
    _, cases, results, rows = graded
    assert all(result.status == "graded" for result in results), [(r.student, r.reasons) for r in results]
    full = assignment(corpus.ASSIGNMENT).points
    assert rows["right"]["score"] == rows["zz_right_last"]["score"] == full
    for case in cases:
        for grade_id in case.full:
            assert rows[case.student][grade_id] == rows["right"][grade_id] > 0, f"{case.student} lost {grade_id}"
        for grade_id in case.zero:
            assert rows[case.student][grade_id] == 0, f"{case.student} got credit on {grade_id}"


def test_every_attack_ran_and_printed_what_it_found(graded):
    course, cases, _, _ = graded
    expected = {
        "leaks_by_global": {"global"},
        "leaks_by_files": {"files"},
        "leaks_by_mmap": {"mmap"},
        "leaks_by_daemon": {"daemon"},
        "zz_reads_state_of_the_zygote": {"state"},
        "leaks_what_the_shell_remembers": {"history", "linecache", "gc", "memory", "records"},
    }
    for student, channels in expected.items():
        blocks = hidden_leaks.stolen_blocks(shown(course, student)["printed"])
        assert channels <= set(blocks), f"{student} printed {set(blocks)}"
    # What the frames held in the run whose outputs are shown: the visible checks, nothing hidden.
    assert (
        'check_example("forget_weight_shape", forget_weight_shape, "003-forget-weight-shape")'
        in hidden_leaks.stolen_blocks(shown(course, "leaks_by_global")["printed"])["global"]
    )


@pytest.mark.parametrize("student", [case.student for case in hidden_leaks.cases(None)])
def test_no_student_facing_output_shows_a_hidden_test(graded, student):
    course, *_ = graded
    secrets = hidden_leaks.secrets()
    seen = shown(course, student)
    stolen = "".join(hidden_leaks.stolen_blocks(seen["printed"]).values())
    for where in ("feedback page", "feedback text", "graded outputs"):
        leaked = hidden_leaks.found(seen[where], secrets, stolen)
        assert not leaked, f"{student}'s {where} shows {leaked[:5]}"


def test_a_kernel_reaches_nothing_beyond_itself(graded):
    """Graded in the batch (x86-64 system call numbers): its own processes only, and every call
    that reaches beyond the kernel refused."""
    course, *_ = graded
    printed = shown(course, "tries_to_escape_its_kernel")["printed"]
    tried = json.loads(printed.split("ESCAPES:", 1)[1].splitlines()[0])
    assert tried.pop("pids") == [1, 2]  # its pid 1 and itself: no zygote, no other student
    assert tried == {
        "core_pattern": "EROFS",
        "keyctl": "EPERM",
        "add_key": "EPERM",
        "ptrace": "EPERM",
        "process_vm_readv": "EPERM",
        "unshare": "EPERM",
        "perf_event_open": "EPERM",
    }


def test_a_failed_hidden_test_says_what_was_wrong_and_nothing_the_student_wrote(graded):
    course, *_ = graded
    page = shown(course, "leaks_through_its_result")["feedback text"]
    returned = next(line for line in page.splitlines() if line.startswith("CheckFailed: A hidden test: forget_gate("))
    assert "forget_gate(W_f, h_{t-1}, x_t, b_f) on random inputs (W_f shape" in returned
    # It returned the seed, far above 1: wrong, and impossible for a gate, said without the value.
    lines = page.splitlines()
    message = "\n".join(lines[lines.index(returned) : lines.index(returned) + 4])  # the message, wrapped
    assert "returned wrong values, some impossible for f_t, outside (0, 1)" in " ".join(message.split())
    assert not re.search(r"\d\.\d", message), "a hidden test's message shows a value"
    page = shown(course, "leaks_through_an_exception")["feedback text"]
    raised = next(line for line in page.splitlines() if line.startswith("CheckFailed: A hidden test: forget_gate("))
    assert raised.endswith("raised an exception of its own type.")  # not its type's name, not its message


def test_the_search_finds_what_it_looks_for():
    """The same search on the hidden cells themselves, and on a check's inputs and results as
    Python prints them, finds every kind of secret: a leak would not go unnoticed."""
    secrets = hidden_leaks.secrets()
    sources = "\n".join(source for _, source in hidden_leaks.hidden_cells())
    hits = hidden_leaks.found(sources, secrets, stolen=sources)
    for gid, _ in hidden_leaks.hidden_cells():
        assert any(h.startswith(f"{gid}: seed=") for h in hits) and any(h.startswith(f"{gid}: the line") for h in hits)
        assert any(h.startswith(f"{gid}: the bare seed") for h in hits)
    from autograder.cells import Check
    from autograder.checks import cases

    case = cases(Check("random", "forget_gate", 202, 10))[0]
    assert any("the number" in h for h in hidden_leaks.found(repr(case.expected), secrets))
    assert any("the number" in h for h in hidden_leaks.found(str(case.arguments[0]), secrets))


def test_in_one_kernel_the_traces_go_but_a_thief_still_gets_the_hidden_test(tmp_path):
    """Why the outputs come from a kernel that never ran a hidden test: the kernel clears its
    traces of a hidden cell (In, linecache, the last result), and still a function called by
    the hidden test has read its source and seed, and could print them in any later cell."""
    (tmp_path / "demo").mkdir()
    hidden = "check(f, seed=9191)  # the hidden call"
    cells = [
        hidden_leaks.THIEF
        + hidden_leaks.STASHES["global"][0]
        + "def check(function, seed):\n    return function(seed)\nf = spy(lambda x: x)",
        hidden,
        "import linecache\nprint(repr(In), [e[2] for n, e in linecache.cache.items() if n.startswith('<')])\n"
        "print('=' * 10, STOLEN)",
    ]
    with Sandbox(Limits(cell_timeout=20), View(tmp_path, "demo")) as sandbox:
        runs = sandbox.run(cells, hidden={1})
    assert [run.status for run in runs] == ["ok"] * 3, [run.reason for run in runs]
    printed = "".join(o.get("text", "") for o in runs[2].outputs)
    traces, stolen = printed.split("=" * 10)
    assert "9191" not in traces and "the hidden call" not in traces
    assert "the hidden call" in stolen and "seed 9191" in stolen


def _bound_and_used(source):
    """(names a cell binds at its top level, names it reads) from its source."""
    import ast

    tree = ast.parse(source)
    bound = set()

    def bind(node):
        """Names the cell binds in the notebook's globals (in ifs and loops too, not in functions)."""
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            return
        elif isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        for child in ast.iter_child_nodes(node):
            bind(child)

    bind(tree)
    used = set()

    def visit(node, local):
        """Names read from the notebook's globals: not a function's or a comprehension's own."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            own = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
            own |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
            body = node.body if isinstance(node.body, list) else [node.body]
            own |= {n.id for b in body for n in ast.walk(b) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            for default in arguments.defaults + [d for d in arguments.kw_defaults if d is not None]:
                visit(default, local)
            for statement in body:
                visit(statement, local | own)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            local = local | {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            used.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child, local)

    visit(tree, frozenset())
    return bound, used


@pytest.mark.parametrize("assignment_id", [a.id for a in __import__("autograder.course").course.assignments()])
def test_the_hidden_run_may_skip_the_visible_test_cells(assignment_id):
    """The second run (hidden tests, grading.py) leaves out the test cells without hidden tests:
    nothing another cell reads is bound by them alone."""
    from autograder.cells import split_hidden
    from autograder.verify import is_test

    only_there, elsewhere, read = set(), set(), set()
    for path in assignment(assignment_id).source_notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            bound, used = _bound_and_used(cell.source)
            if is_test(cell) and not split_hidden(cell.source)[1].strip():
                only_there |= bound
            else:
                elsewhere |= bound
                read |= used
    assert not (only_there - elsewhere) & read, f"{assignment_id}: later cells read {(only_there - elsewhere) & read}"
