"""The claims of the course-wide texts a student reads: the README's "For students", the errata
page's header and the student kit's own words (its modules' docstrings, which a student opens).
Each text is named in COURSE_TEXTS; each claim's `where` is a glob over "<owner>/<where>", so one
claim can prove the same words wherever they stand (every hint that says "(0, 1)").
See assignments/declare.py's Claims, and tests/test_claims.py for how they are checked."""

import ast
import re
from pathlib import Path

from .declare import Claims

REPOSITORY = Path(__file__).resolve().parent.parent
KIT = REPOSITORY / "student_kit"


def readme_for_students() -> str:
    return re.search(r"## For students\n(.*?)\n## ", (REPOSITORY / "README.md").read_text(), re.DOTALL).group(1)


def errata_page_header() -> str:
    from autograder.docs import errata_page

    page = errata_page()
    return page[: page.index("\n## ")]


def kit_docstrings() -> str:
    """Every module docstring of the student kit (students get the folder and may open it)."""
    return "\n\n".join(ast.get_docstring(ast.parse(path.read_text())) or "" for path in sorted(KIT.rglob("*.py")))


COURSE_TEXTS = {"readme": readme_for_students, "errata page": errata_page_header, "kit": kit_docstrings}

CLAIMS = Claims()


# -- what every notebook says about the lectures' errata ----------------------------------------


def _assignment_ids():
    from autograder.course import assignments

    return [a.id for a in assignments()]


@CLAIMS("*/errata_md", "Where the lectures are wrong", "lecture")
def every_errata_section_shows_its_lectures_errata():
    """Under the heading, show_errata() shows every erratum of the notebook's lectures, each with its text."""
    from autograder.checks import example_data
    from student_kit import data, display

    from .evidence import errata_shown, example, notebook

    for assignment_id in _assignment_ids():
        sources = [cell.source for cell in notebook(assignment_id).cells]
        heading = next(k for k, source in enumerate(sources) if source.startswith("## Where the lectures are wrong"))
        assert sources[heading + 1] == "show_errata()", f"{assignment_id}: no errata below its heading"
        keys = errata_shown(assignment_id)
        stored = {"errata_keys": keys, "examples": {key: example_data(example(key)) for key in keys}, "lectures": {}}
        shown, saved = [], (data.course_data, display._render)
        data.course_data, display._render = (lambda stored=stored: stored), shown.append
        try:
            display.show_errata()
        finally:
            data.course_data, display._render = saved
        assert all(example(key).erratum in shown[0] for key in keys) and (keys or "No errata" in shown[0])


@CLAIMS("*/errata_md", "Your tests expect the numbers below, not the lectures'.", "lecture")
def the_tests_expect_the_errata_right_numbers():
    from .evidence import the_tests_expect_the_right_numbers

    for assignment_id in _assignment_ids():
        the_tests_expect_the_right_numbers(assignment_id)


@CLAIMS("*/errata_md", "If a test says you reproduced the lecture's own number, this is why:", "lecture")
def reproducing_the_lecture_shows_its_erratum():
    from autograder.checks import example_data
    from autograder.course import errata
    from student_kit.messages import reproduced_lecture

    for entry in errata():
        assert entry.erratum in reproduced_lecture(example_data(entry))


# -- what every hint says about the lectures ----------------------------------------------------

STACKED_H_FIRST = {  # each lecture's gates read [h_{t-1}, x_t], h first
    "000": ["W_i[h_{t-1}, X_t]"],
    "002": ["f_t = \\sigma(w_f[h_{t-1}, x_t] + b_f)"],
    "003": ["W_f \\begin{bmatrix} h_{t-1} \\\\ x_t \\end{bmatrix}"],
    "004": ["f_t = \\sigma(W_f \\cdot [h_{t-1}, x_t] + b_f)"],
}


@CLAIMS("*/hint:*x-before-h", "the lectures ", "lecture", lectures=tuple(STACKED_H_FIRST))
def the_lectures_stack_h_first():
    from .lectures import LECTURES, lecture_says, lecture_text

    for lecture, phrases in STACKED_H_FIRST.items():
        assert all(lecture_says(lecture, phrase) for phrase in phrases), lecture
    assert not any("[x_t, h_{t-1}]" in lecture_text(lecture) for lecture in LECTURES)


@CLAIMS("*/hint:*σ-for-tanh*", 'lecture 004\'s "States" slide writes σ', "lecture", lectures=("004",))
def states_slide_writes_sigma():
    from .evidence import example
    from .lectures import lecture_says

    assert lecture_says("004", "States: \\tilde{s}_t = \\sigma(W h_{t-1} + U x_t + b) \\text{ Candidate state}")
    assert lecture_says("004", "h_t = o_t \\odot \\sigma(s_t)")
    assert example("004-candidate-sigma").erratum and example("004-hidden-sigma").erratum


# -- the README's "For students" --------------------------------------------------------------


@CLAIMS("course/readme", "(the lectures' numbers and what the visible tests expect)", "lecture")
def the_data_holds_the_lectures_numbers():
    from autograder.release import course_data

    data = course_data("forget_gate")
    assert data["examples"]["004-forget-preactivation"]["stated"] is not None
    randoms = [check for key, check in data["checks"].items() if key.startswith("random/")]
    assert randoms and all("expected" in trial for check in randoms for trial in check["trials"])
    assert all("exact" in example for example in data["examples"].values())


@CLAIMS("*", "earns its points only if its function passes", "comparison")
def visible_points_need_the_hidden_tests():
    """The grader's scoring (autograder/grading.py), on every assignment's own cells: with every
    check right, each test cell scores; with one function's hidden test failed, that function's
    visible cells score zero and every other cell keeps its points (end to end, with a lookup:
    tests/hostile/test_redteam_visible_lookup.py)."""
    from autograder import cells, grading
    from autograder.checks import Finding
    from autograder.sandbox import CellRun

    from .evidence import notebook

    for assignment_id in _assignment_ids():
        book = notebook(assignment_id)
        tests = [cell for cell in book.cells if cells.is_test(cell)]
        points = {cells.grade_id(cell): float(cells.nbgrader_meta(cell).get("points", 0)) for cell in tests}
        hidden = [cell for cell in tests if cells.HIDDEN_BEGIN in cell.source]
        (failed,) = {check.name for check in cells.checks(cells.split_hidden(hidden[0].source)[1])}
        for broken in (None, failed):
            runs = [
                CellRun(found=[Finding("x", "wrong", broken)] if cell in hidden[:1] and broken else [])
                for cell in book.cells
            ]
            result = grading.Result("s", assignment_id, "n.ipynb", "", "graded")
            grading._score(book, runs, result)
            checked = {cells.grade_id(cell): {check.name for check in cells.checks(cell.source)} for cell in tests}
            lost = {gid for gid, names in checked.items() if broken in names and cells.grade_id(hidden[0]) != gid}
            assert lost or broken is None, assignment_id
            for gid, full in points.items():
                zero = broken is not None and (gid in lost or gid == cells.grade_id(hidden[0]))
                assert result.scores[gid] == (0.0 if zero else full), (assignment_id, gid, result.scores[gid])


@CLAIMS(
    "course/readme",
    "The tests use the lectures' own numbers; where a lecture is wrong, the notebook says so",
    "lecture",
)
def readme_right_values():
    from .evidence import the_tests_expect_the_right_numbers

    for assignment_id in _assignment_ids():
        the_tests_expect_the_right_numbers(assignment_id)


@CLAIMS("course/readme", 'which of several results is wrong ("C_t is wrong; h_t is right")', "number")
def failing_tests_teach():
    """What the sentence lists, as the kit's own messages say it: a wrong C_t beside a right h_t is
    named; a gate outside (0, 1) and an h_t outside (-1, 1) are said to be impossible, with what
    gives such values; a known mistake is named with its hint; a passing test cell says what passed,
    in the words the README quotes (forget_gate's test cell, as the grader reads it)."""
    import numpy as np

    from autograder import checks
    from autograder.course import exercises, mistakes
    from student_kit.values import mismatch

    from .evidence import cell_source

    def message(name, mistake, seed=0):
        exercise = exercises()[name]
        arguments = exercise.random_inputs(np.random.default_rng(seed))
        wrong, right = mistakes()[mistake].wrong(*arguments), exercise.reference(*arguments)
        return " ".join(mismatch(wrong, right, 1e-8, exercise.describe()).split())

    assert message("lstm_cell", "lstm_cell/o_t-as-C_t").startswith("C_t is wrong; h_t is right.")
    gate = message("forget_gate", "forget_gate/tanh-for-σ")
    assert "is impossible for f_t" in gate and "between 0 and 1" in gate and "np.tanh in place of σ" in gate
    hidden = message("hidden_state", "hidden_state/tan-for-tanh")
    assert "is impossible for h_t" in hidden and "-1 < tanh(C_t) < 1" in hidden and "np.tan in place of" in hidden
    assert mistakes()["lstm_cell/x-before-h"].hint.startswith("Likely mistake: you stacked [x_t, h_{t-1}]")
    passed = checks.passed_line(cell_source("forget_gate", "forget_gate_lecture"))
    assert passed == "forget_gate: lecture 004's example and 3 random cases pass."


@CLAIMS("course/readme", "were measured by the course and come with the folder, in `course_data.json`.", "comparison")
def torch_results_come_with_the_folder():
    """Each PyTorch measurement a notebook reads with given() is in the data the release writes."""
    from autograder.release import course_data

    shipped = {key for a in ("output_gate", "gru", "vanishing_gradients") for key in course_data(a)["given"]}
    assert {"torch-lstm-parity", "torch-gru-conventions", "gru-lstm-table", "gradient-by-lag", "memory-span"} <= shipped


# -- the errata page ---------------------------------------------------------------------------


@CLAIMS("course/errata page", "# Errata: where the lectures are wrong", "lecture")
def the_page_lists_the_errata():
    from autograder.course import errata
    from autograder.docs import errata_page

    page = errata_page()
    assert all(entry.erratum in page for entry in errata())


@CLAIMS("course/errata page", "the right value (a number is computed by `lstm_ref`), and why.", "number")
def numbers_are_computed():
    from autograder.course import errata

    assert all(isinstance(entry.exact, str) or entry.exact is not None for entry in errata())


# -- the student kit's own words (its modules' docstrings) --------------------------------------


@CLAIMS("course/kit", "It needs numpy, matplotlib, ipywidgets and IPython, nothing else", "comparison")
def the_kit_imports():
    allowed = {"numpy", "matplotlib", "ipywidgets", "IPython", "student_kit", "torch"}  # torch: inside functions only
    for path in KIT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            for name in names:
                root = name.split(".")[0]
                assert root in allowed or root in __import__("sys").stdlib_module_names, f"{path.name} imports {name}"


CLAIMS.lecture("course/kit", "The agreement task of lecture 001, as data:", {"001": ["The cat that chased the mouse"]})
CLAIMS.lecture(
    "course/kit",
    'made of relative clauses like the lecture\'s ("that chased the mouse", "that sat on the table")',
    {"001": ["that chased the mouse", "that sat on the table"]},
)


@CLAIMS("course/kit", "With k <= 3 fillers they hold no noun yet", "comparison")
def the_nearest_noun_by_k():
    from assignments.bptt import facts

    assert facts.first_k_with_a_filler_noun() == 4 and facts.chance_from() == 5
    assert round(100 * facts.nearest_noun_right(4)) == 62


@CLAIMS("course/kit", "Only the subject, k + 1 words before the verb, always says which verb is right.", "number")
def the_subject_tells():
    from assignments.bptt.claims import the_subject_is_k_plus_1_before_the_verb

    the_subject_is_k_plus_1_before_the_verb()


@CLAIMS("course/kit", "T = k + 2; y (B,) 0 or 1", "number")
def agreement_shapes():
    from student_kit import agreement

    x, y = agreement.agreement_data(13, 4, seed=0)
    assert x.shape[0] == 13 + 2 and set(y) <= {0, 1}


@CLAIMS("course/kit", "Everything is deterministic given the seed.", "comparison")
def agreement_is_deterministic():
    from student_kit import agreement

    first, again = agreement.sentences(9, 20, seed=3), agreement.sentences(9, 20, seed=3)
    assert all((a == b).all() for a, b in zip(first, again))


CLAIMS.not_a_claim("course/kit", "# a lecture's numbers check_random(", "a usage example")


@CLAIMS("course/kit", "the known mistake the result matches.", "comparison")
def failures_name_the_mistake():
    from student_kit import messages

    assert "Likely mistake" in messages.hints(["Likely mistake: x."])


@CLAIMS("course/kit", "Hidden tests run only then", "comparison")
def hidden_tests_run_when_graded():
    """A hidden check in a student's notebook has no stored results, and says so instead of judging."""
    from student_kit import checks, data

    saved = data.course_data
    data.course_data = lambda: {"exercises": {"forget": {"arguments": ["f_t", "C_{t-1}"], "output": "f"}}, "checks": {}}
    try:
        checks.check_random("forget", lambda f, C: f * C, seed=303)
    except checks.CheckFailed as failure:
        assert "it is a hidden test, which runs when your work is graded" in str(failure)
    else:
        raise AssertionError("a hidden check judged without its results")
    finally:
        data.course_data = saved


@CLAIMS(
    "course/kit", "computed from the course's reference implementation when the assignment was released", "comparison"
)
def course_data_is_computed_at_release():
    import inspect

    from autograder import checks
    from autograder.release import data

    assert "exercise.reference(" in inspect.getsource(checks.cases)
    assert "def write_course_data" in inspect.getsource(data)


@CLAIMS("course/kit", "JSON keeps numbers exactly (Python writes floats with repr).", "comparison")
def json_keeps_numbers():
    import json

    import numpy as np

    from student_kit import data

    value = np.array([0.1, 1 / 3, 2.0**-60])
    assert (data.decode(json.loads(json.dumps(data.encode(value)))) == value).all()


CLAIMS.not_a_claim("course/kit", '{"ndarray": [[1.0, 2.0]]} -> np.array', "a format example")
CLAIMS.not_a_claim(
    "course/kit", "Show a lecture's worked example, the errata and other given data", "says what a module does"
)


CLAIMS.lecture(
    "course/kit",
    'The memory-span task ("remember the first symbol", lecture 001\'s "The cat ... was" reduced to its core)',
    {"001": ['"The cat that chased the mouse that ate the cheese that sat on the table was hungry."']},
)


@CLAIMS("course/kit", "Chance is 50 %; a network that learns it carries one bit", "number")
def memory_chance():
    from assignments.vanishing_gradients.claims import chance_is_half

    chance_is_half()


CLAIMS.not_a_claim("course/kit", "What a failing check says, in the lectures' notation.", "says what a module does")


@CLAIMS("course/kit", "so a student reads the same kind of message in both.", "comparison")
def one_message_module():
    import inspect

    from autograder import checks as grader
    from student_kit import checks as kit

    assert "messages.on_example" in inspect.getsource(grader) and "messages.wrong_result" in inspect.getsource(kit)


@CLAIMS("course/kit", "it shows no seed, no value and nothing the student's code wrote.", "comparison")
def hidden_messages_show_no_values():
    from student_kit import messages

    where = messages.on_hidden("f(x)", ["x"], [__import__("numpy").array([0.123456, 7.0])])
    assert "0.123456" not in where and "7." not in where


@CLAIMS("course/kit", "expected [0.002473, 1. , 1. ] received [-0.999988, 1. , 1. ]", "number")
def the_docstring_example():
    import numpy as np

    from student_kit.values import show

    z = np.array([-6.0, 175.0, 133.0])
    assert " ".join(show(1 / (1 + np.exp(-z))).split()) == "[0.002473, 1. , 1. ]"
    assert " ".join(show(np.tanh(z)).split()) == "[-0.999988, 1. , 1. ]"


@CLAIMS("course/kit", "compared as numbers, shown to 6 decimals, stored as data.", "number")
def six_decimals():
    the_docstring_example()


CLAIMS.not_a_claim(
    "course/kit", "The same functions run in a student's notebook and in the grader's process", "says where code runs"
)
CLAIMS.lecture(
    "course/kit",
    "sentence_stepper() lecture 001's \"The cat was hungry.",
    {"001": ['"The cat was hungry. The dog was sleeping."']},
)


@CLAIMS("course/kit", "a redraw builds one string and draws no figure", "comparison")
def html_redraws_without_a_figure():
    """A panel's redraw is rows_html: a string, from a module that imports no plotting library.
    (How fast it is lives in autograder/widget_bench.py, a benchmark, not in a claim.)"""
    from student_kit.widgets import bars, views

    values, _ = views.preset_values(None, 3)
    assert isinstance(bars.rows_html(views.gate_panel_rows(values)), str)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(Path(bars.__file__).read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert imported <= {"html", "re", "numpy"}, imported


CLAIMS.not_a_claim("course/kit", "No ipywidgets here, so every number a panel displays", "says what a module imports")


@CLAIMS("course/kit", '`kind` says how to draw it: "gate" in [0, 1]', "number")
def gate_rows_are_in_0_1():
    import numpy as np

    from student_kit.widgets import views

    rows = views.conveyor_rows(np.array([0.5]), np.array([0.5]), np.array([1.0]), 3)
    assert all(row.kind in ("gate", "value", "result") for row in rows)


CLAIMS.not_a_claim(
    "course/kit", "The arithmetic of one step is written out in each function", "says how code is written"
)


@CLAIMS("course/kit", "The notebooks show the results the course measured and keeps", "comparison")
def the_notebooks_read_kept_results():
    from autograder.course import assignments

    for assignment in assignments():
        if assignment.measured is not None:
            assert assignment.measured.path.exists() and assignment.measured.kept
