"""The catalogue of known mistakes (each assignment's mistakes.py): each known mistake is told
apart from the right answer and named when a student makes it, and a right answer, however it
is written, is never named.
"""

import copy
import functools

import numpy as np
import pytest
from catalogue import diagnose, diagnose_error, hint, matches, mentions
from hypothesis import given, settings
from hypothesis import strategies as st
from judge import check_random

import lstm_ref
from assignments.inputs import gate_inputs as random_gate_inputs
from assignments.lectures import LECTURES, lecture_title
from autograder.checks import wrong_answer
from autograder.course import assignments, exercises, mistakes
from student_kit import messages
from student_kit.values import same

ENTRIES = list(mistakes().values())


def spec(exercise_name):
    """(reference, random inputs) of a graded function."""
    exercise = exercises()[exercise_name]
    return exercise.reference, exercise.random_inputs


def first_failure(exercise_name, student_function, seed, trials=10):
    """What check_random would add to its message for `student_function`: the diagnosis."""
    reference, random_inputs = spec(exercise_name)
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        arguments = random_inputs(rng)
        expected = reference(*arguments)
        try:
            with np.errstate(all="ignore"):
                received = student_function(*arguments)
        except Exception as error:
            return diagnose_error(exercise_name, arguments, error)
        if not same(received, expected):
            return diagnose(exercise_name, arguments, received, expected)
    return None


def test_a_wrong_function_calls_only_right_functions():
    """In a mistakes.py, a name a wrong function calls (sigmoid, forget_gate, lstm_cell) is the
    right function, as a student's other functions are in the notebook: never another mistake."""
    wrong = {entry.function for entry in ENTRIES} | {entry.wrong for entry in ENTRIES}
    for entry in ENTRIES:
        for name in entry.function.__code__.co_names:
            value = entry.function.__globals__.get(name)
            assert value not in wrong, f"{entry.key} calls {name}, which is a wrong function of the catalogue"


# The catalogue.

# The issue's list of misconceptions, each with the entries that cover it.
REQUIRED = {
    "σ and tanh swapped in the gates": [
        "forget_gate/tanh-for-σ",
        "input_gate/tanh-for-σ",
        "output_gate/tanh-for-σ",
        "update_gate/tanh-for-σ",
        "reset_gate/tanh-for-σ",
        "lstm_cell/tanh-for-σ-in-gates",
    ],
    "σ and tanh swapped in the candidate": [
        "candidate/σ-for-tanh",
        "gru_candidate/σ-for-tanh",
        "lstm_cell/σ-for-tanh-in-candidate",
    ],
    "σ and tanh swapped in h_t": ["hidden_state/σ-for-tanh", "lstm_cell/σ-for-tanh-in-h"],
    "[x_t, h_{t-1}] for [h_{t-1}, x_t]": ["forget_gate/x-before-h", "lstm_cell/x-before-h", "gru_cell/x-before-h"],
    "matrix product for ⊙": [
        "forget/matrix-product-for-⊙",
        "cell_update/matrix-product-for-⊙",
        "hidden_state/matrix-product-for-⊙",
        "gru_hidden_state/matrix-product-for-⊙",
    ],
    "⊙ for matrix product": ["forget_gate/elementwise-for-matrix-product", "candidate/elementwise-for-matrix-product"],
    "bias left out": ["forget_gate/no-bias", "lstm_cell/no-bias", "gru_candidate/no-bias", "lstm_param_count/no-bias"],
    "gates mixed up (i for f, o for i)": ["lstm_cell/i-for-f", "lstm_cell/o-for-i", "gru_cell/r-for-z"],
    "C_t for tanh(C_t) in h_t": ["hidden_state/C-for-tanh-C", "lstm_cell/C-for-tanh-C"],
    "forget gate applied to the candidate": [
        "cell_update/forget-applied-to-candidate",
        "lstm_cell/forget-applied-to-candidate",
    ],
    "GRU's z_t and 1 - z_t swapped": ["gru_hidden_state/z-swapped", "gru_cell/z-swapped"],
    "reset gate in the other convention": ["gru_candidate/torch-reset", "gru_cell/torch-reset"],
    "off by one in time": ["lstm_forward/stored-before-step", "lstm_cell/h-from-previous-cell"],
    "initial state ignored": ["lstm_forward/initial-state-ignored"],
    "np.tan where np.tanh belongs": [
        "candidate/tan-for-tanh",
        "hidden_state/tan-for-tanh",
        "lstm_cell/tan-for-tanh-in-h",
        "gru_candidate/tan-for-tanh",
    ],
    "an intermediate returned in place of an output": ["lstm_cell/o_t-as-C_t", "gru_cell/h~_t-as-h_t"],
    "wrong axis in a batch": [
        "lstm_forward/stacked-along-batch-axis",
        "lstm_forward/time-along-batch-axis",
        "lstm_cell/concatenated-along-batch-axis",
    ],
}


@pytest.mark.parametrize("misconception", REQUIRED)
def test_the_catalogue_covers_the_issues_list(misconception):
    missing = [key for key in REQUIRED[misconception] if key not in mistakes()]
    assert not missing, f"{misconception}: no catalogue entry {missing}"


def test_every_entry_names_a_known_exercise_and_lecture_in_one_sentence():
    assert len(ENTRIES) == sum(len(a.mistakes) for a in assignments())
    for entry in ENTRIES:
        assert entry.key.startswith(entry.exercise + "/")
        assert entry.exercise in exercises(), entry.key
        assert entry.lecture in LECTURES and entry.where, entry.key
        assert entry.says.endswith(".") and "\n" not in entry.says, entry.key
        assert entry.hint.startswith("Likely mistake: ") and lecture_title(entry.lecture) in entry.hint
        assert ".txt" not in entry.hint, "students have the lectures' titles, not the transcript files"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_the_wrong_answer_differs_from_the_right_one_in_every_hidden_test_draw(entry):
    reference, random_inputs = spec(entry.exercise)
    for seed in range(20):
        rng = np.random.default_rng(seed)
        differs = 0
        for _ in range(10):
            arguments = random_inputs(rng)
            wrong, error = wrong_answer(entry, arguments)
            differs += error is not None or not same(wrong, reference(*arguments))
        assert differs, f"seed {seed}: ten random cases cannot tell {entry.key} from the right answer"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_a_student_who_makes_the_mistake_is_told_so(entry):
    for seed in range(5):
        with pytest.raises(AssertionError) as failure:
            check_random(entry.exercise, entry.wrong, seed=seed)
        assert mentions(str(failure.value), entry)
        diagnosis = first_failure(entry.exercise, entry.wrong, seed)
        assert diagnosis is not None and mentions(diagnosis, entry), f"seed {seed}: {diagnosis!r}"


def test_a_mistake_invisible_on_the_lectures_numbers_is_caught_by_the_hidden_test():
    from judge import check_example

    no_bias = mistakes()["forget_gate/no-bias"]
    check_example("forget_gate", no_bias.wrong, "004-forget-gate")  # lecture 004 has b_f = 0
    with pytest.raises(AssertionError, match="you left out the bias b_f"):
        check_random("forget_gate", no_bias.wrong, seed=202)


def test_inputs_that_cannot_tell_mistakes_apart_say_so():
    text = hint([mistakes()["forget/one-minus-f"], mistakes()["forget/matrix-product-for-⊙"]])
    assert "cannot tell 2 known mistakes apart" in text
    assert text.count("Likely mistake:") == 2
    assert max(len(line) for line in text.splitlines()) <= messages.WIDTH


def test_an_unknown_wrong_answer_gets_no_hint():
    W, h_prev, x_t, b = random_gate_inputs(np.random.default_rng(3))
    expected = lstm_ref.forget_gate(W, h_prev, x_t, b)
    assert diagnose("forget_gate", (W, h_prev, x_t, b), expected + 0.1, expected) == ""
    assert diagnose("forget_gate", (W, h_prev, x_t, b), "nonsense", expected) == ""
    assert diagnose_error("forget_gate", (W, h_prev, x_t, b), KeyError("x")) == ""


# Right answers, written in other ways (each assignment's mistakes.py, @CATALOGUE.right), are never named.

RIGHT_ANSWERS = {}
for _assignment in assignments():
    for _exercise, _function in _assignment.right_answers:
        RIGHT_ANSWERS.setdefault(_exercise, []).append(_function)


def test_every_exercise_with_known_mistakes_has_right_answers_written_differently():
    assert {entry.exercise for entry in ENTRIES} <= set(RIGHT_ANSWERS)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), exercise_name=st.sampled_from(sorted(RIGHT_ANSWERS)))
def test_a_right_answer_written_differently_is_never_named(seed, exercise_name):
    reference, random_inputs = spec(exercise_name)
    arguments = random_inputs(np.random.default_rng(seed))
    expected = reference(*arguments)
    for right in RIGHT_ANSWERS[exercise_name]:
        received = right(*arguments)
        assert same(received, expected)
        # Even asked directly (the checks never ask for a right answer), no mistake matches.
        assert matches(exercise_name, arguments, received, expected) == []


@pytest.mark.parametrize("exercise_name", sorted(set(exercises()) & set(RIGHT_ANSWERS)))
def test_right_answers_written_differently_pass_the_checks(exercise_name):
    for right in RIGHT_ANSWERS[exercise_name]:
        for seed in range(3):
            check_random(exercise_name, right, seed=seed)


def test_the_solutions_pass_every_check_and_are_never_named(kit_data, monkeypatch, tmp_path):
    """Run every solution notebook's code (answers and all its tests, hidden ones sealed with
    their results as plain nbgrader runs them) in plain Python, beside the files a student hands
    in; demonstrations and training skip themselves, as when the work is graded."""
    from autograder import samples

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.chdir(tmp_path)
    import nbformat

    from autograder.cells import seal

    for assignment in assignments():
        kit_data(assignment.id)
        for name, content in samples.solution_files(assignment.id).items():
            (tmp_path / name).write_bytes(content)
        for path in assignment.source_notebooks:
            namespace = {}
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code":
                    exec(seal(cell.source), namespace)  # noqa: S102 - the course's own notebooks
            for name in set(exercises()) & set(namespace):
                reference, random_inputs = spec(name)
                rng = np.random.default_rng(7)
                for _ in range(10):
                    arguments = random_inputs(rng)
                    assert matches(name, arguments, namespace[name](*arguments), reference(*arguments)) == []


# Each entry is the mistake it names: the value the grader compares a student's result with is
# what the entry's function, written plainly in the notebook's answer cell beside the solution's
# other functions, returns.


@functools.cache
def solution_code(assignment_id):
    """[(is an answer cell, its code without solution markers)] of the solution notebook's code cells."""
    import nbformat

    from autograder import cells
    from autograder.course import assignment

    return [
        (cells.is_answer(cell), cells.without_solution_markers(cell.source))
        for path in assignment(assignment_id).source_notebooks
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
    ]


def notebook_namespace(assignment_id, entry):
    """The functions of the assignment's solution notebook (every code cell's imports of numpy and
    its function definitions, in order), with `entry`'s function in place of the solution's in the
    answer cell that first defines it, as the mutation tests grade it."""
    import ast

    from autograder import cells

    namespace, replaced = {}, False
    for is_answer, source in solution_code(assignment_id):
        tree = ast.parse(source)
        defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
        if not replaced and is_answer and entry.function.__name__ in defined:
            tree, replaced = ast.parse(cells.replace_function(source, entry.source)), True
        kept = [
            node
            for node in tree.body
            if isinstance(node, ast.FunctionDef)
            or (isinstance(node, ast.Import) and all(a.name == "numpy" for a in node.names))
        ]
        exec(compile(ast.Module(kept, []), f"<{assignment_id}>", "exec"), namespace)  # noqa: S102
    assert replaced, f"{entry.key}: no answer cell defines {entry.function.__name__}"
    return namespace


def owner(entry):
    return next(a.id for a in assignments() if entry in a.mistakes)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_each_entry_is_what_its_function_gives_in_the_notebook(entry):
    mutant, exercise = notebook_namespace(owner(entry), entry)[entry.exercise], exercises()[entry.exercise]
    rng = np.random.default_rng(11)
    told_apart = False
    for _ in range(10):
        arguments = exercise.random_inputs(rng)
        expected, error = wrong_answer(entry, arguments)
        try:
            with np.errstate(all="ignore"):
                received = mutant(*copy.deepcopy(arguments))
        except Exception as raised:
            assert error is not None and type(raised) is type(error), f"{entry.key}: {raised!r} / {error!r}"
            told_apart = True
            continue
        assert error is None and same(received, expected), f"{entry.key}: the notebook gives another value"
        told_apart |= not same(received, exercise.reference(*copy.deepcopy(arguments)))
    assert told_apart, f"{entry.key}: the notebook's function equals the right answer on every input"


ELEMENTWISE = [entry for entry in ENTRIES if entry.key.endswith("/elementwise-for-matrix-product")]


def _sigma(z):
    return 1 / (1 + np.exp(-z))


# Each function's W ⊙ [h_{t-1}, x_t] mistake as a student writes it: its own squashing, once.
PLAINLY = {
    "gate_preactivation": (lambda W, v, b: W * v + b, None),
    "forget_gate": (lambda W, v, b: _sigma(W * v + b), _sigma),
    "input_gate": (lambda W, v, b: _sigma(W * v + b), _sigma),
    "update_gate": (lambda W, v, b: _sigma(W * v + b), _sigma),
    "reset_gate": (lambda W, v, b: _sigma(W * v + b), _sigma),
    "candidate": (lambda W, v, b: np.tanh(W * v + b), np.tanh),
    "output_gate": (lambda W, v, b: _sigma(v * W.T + b), _sigma),
}


def test_every_elementwise_entry_has_a_plain_formula():
    assert {entry.exercise for entry in ELEMENTWISE} == set(PLAINLY)


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda entry: entry.key)
def test_the_elementwise_gate_is_squashed_once(entry):
    """W ⊙ [h, x] for W · [h, x]: with one unit the product broadcasts to a row; the catalogue's
    value is the gate's squashing of it once, as a student writes it, never twice (σ(σ(·)))."""
    plainly, squash = PLAINLY[entry.exercise]
    rng = np.random.default_rng(3)
    for m in (1, 3):
        W, h_prev, x_t, b = rng.normal(size=(1, 1 + m)), rng.normal(size=1), rng.normal(size=m), rng.normal(size=1)
        expected = plainly(W, np.concatenate([h_prev, x_t]), b)
        wrong, error = wrong_answer(entry, (W, h_prev, x_t, b))
        assert error is None and same(wrong, expected), entry.key
        if squash is not None:
            assert not same(wrong, squash(expected)), f"{entry.key} squashes twice"
