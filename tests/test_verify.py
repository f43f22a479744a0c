"""The grader's own decisions, without a kernel: static checks, record comparison, file checks."""

import json
import zipfile

import numpy as np
import pytest
from hostile import corpus

import lstm_ref
from autograder import cells, samples, verify
from autograder.cells import Check
from autograder.course import exercises
from autograder.pipeline import CourseRun
from student_kit.values import plain


@pytest.mark.parametrize(
    "source, words",
    [
        ("import lstm_ref\ndef f(x):\n    return lstm_ref.sigmoid(x)", "reference implementation lstm_ref"),
        ("def f(x):\n    import torch\n    return torch.nn.LSTM(3, 3)", "PyTorch"),
        ("from autograder.checks import check_random", "grader"),
    ],
)
def test_imports_a_graded_kernel_lacks_are_named_for_the_instructor(source, words):
    assert any(words in note for note in verify.advice(source))


@pytest.mark.parametrize(
    "source",
    [
        "np.allclose = lambda *a, **k: True",  # harmless now: the verdict is not the kernel's
        "with open('notes.txt', 'w') as f:\n    f.write('x')",
        "print(type(x).__class__)",
        "import torch.backends\ntorch.backends.cudnn.deterministic = True",
        "class Gate:\n    def __init__(self, W):\n        self.W = W\n",
    ],
)
def test_ordinary_code_gets_no_advice(source):
    notes = verify.advice(source)
    assert all("PyTorch" in note for note in notes) if "torch" in source else notes == []


def test_the_solutions_get_no_advice():
    for source in samples.solution_answers("forget_gate").values():
        assert verify.advice(source) == []


def _records(exercise, seed, answer, trials=10):
    rng = np.random.default_rng(seed)  # the inputs the grader draws from the seed (and gives the kernel)
    return [
        {
            "kind": "random",
            "exercise": exercise,
            "key": seed,
            "trial": trial,
            "received": plain(answer(*exercises()[exercise].random_inputs(rng))),
        }
        for trial in range(trials)
    ]


def test_a_hidden_check_is_recomputed_from_its_seed():
    source = 'check_random("forget", forget, seed=3)'
    (check,) = cells.checks(source)
    assert check == Check("random", "forget", 3, 10)
    records = _records("forget", 3, lstm_ref.forget)
    assert verify.verify_cell(source, records) == []
    records[4]["received"]["values"][0] += 1
    [problem] = verify.verify_cell(source, records)
    assert "forget(f_t, C_{t-1}) on random inputs" in problem and "expected" in problem
    assert "no result recorded" in verify.verify_cell(source, records[:3])[0]


def test_a_wrong_hidden_result_is_named_in_the_graders_message():
    source = 'check_random("forget", forget, seed=3)'
    records = _records("forget", 3, lambda f, c: (1 - f) * c)
    [problem] = verify.verify_cell(source, records)
    assert "Likely mistake: you kept (1 - f_t)" in problem


def test_only_numbers_count_in_a_record():
    source = 'check_random("forget", forget, seed=3)'
    right = _records("forget", 3, lstm_ref.forget)
    for garbage in ({"kind": "array", "shape": [2], "values": ["nan", "x"]}, {"kind": "unreadable"}, "x", None):
        records = [dict(r) for r in right]
        records[0]["received"] = garbage
        assert verify.verify_cell(source, records), f"{garbage!r} passed"
    extra = right + [dict(right[0], received=plain(np.zeros(1)))]  # a second, wrong record of trial 0
    assert verify.verify_cell(source, extra), "every record of a trial must be right"


@pytest.mark.parametrize(
    "name, words",
    [("corrupt.ipynb", "not valid JSON"), ("empty.ipynb", "is empty"), ("nbformat3.ipynb", "old notebook format")],
)
def test_unreadable_files_are_rejected_with_a_reason(name, words):
    with pytest.raises(verify.Rejected, match=words):
        verify.read_submission(corpus.HERE / name)


def test_collect_reads_lms_zip_files(tmp_path):
    """An LMS's export named after its assignment, and a student's upload named after the student."""
    course = CourseRun(root=tmp_path / "course")
    notebook = json.dumps(samples.released("forget_gate"))
    with zipfile.ZipFile(tmp_path / "ada.zip", "w") as zipped:
        zipped.writestr("ada/forget_gate/forget_gate.ipynb", notebook)
    with zipfile.ZipFile(tmp_path / "cy.zip", "w") as zipped:
        zipped.writestr("forget_gate/forget_gate.ipynb", notebook)
    with zipfile.ZipFile(tmp_path / "forget_gate.zip", "w") as zipped:
        zipped.writestr("ben/forget_gate.ipynb", notebook)
        zipped.writestr("dee/forget_gate/forget_gate.ipynb", notebook)
    assert course.collect(tmp_path) == [
        ("ada", "forget_gate"),
        ("ben", "forget_gate"),
        ("cy", "forget_gate"),
        ("dee", "forget_gate"),
    ]
    assert (course.root / "submitted" / "ben" / "forget_gate" / "forget_gate.ipynb").exists()


def test_a_bundle_of_the_class_named_after_no_assignment_is_not_read_and_says_what_to_do(tmp_path):
    """inbox.zip holding <student>/<assignment>/ for several students is student inbox's own
    archive: what it holds for others is not read, and the instructor is told how to hand it in."""
    notebook = json.dumps(samples.released("forget_gate"))
    (tmp_path / "given").mkdir()
    with zipfile.ZipFile(tmp_path / "given" / "inbox.zip", "w") as zipped:
        zipped.writestr("ada/forget_gate/forget_gate.ipynb", notebook)
        zipped.writestr("ben/forget_gate/forget_gate.ipynb", notebook)
    found = CourseRun(root=tmp_path / "course").take_in(tmp_path / "given")
    assert found.collected == [] and found.refused == []
    [skipped] = found.skipped
    assert skipped.reason == (
        "inbox.zip is read as student inbox's archive (its name is a student id): its 2 submissions for "
        "other students (ada/forget_gate, ben/forget_gate) are not read. If you made this archive, name it "
        "after its assignment (forget_gate.zip) or unzip it; if a student uploaded it, those submissions are "
        "not theirs to hand in"
    )
    # and what it says works: unzipped, or renamed after its assignment
    with zipfile.ZipFile(tmp_path / "given" / "inbox.zip") as zipped:
        zipped.extractall(tmp_path / "unzipped")
    (tmp_path / "given" / "inbox.zip").rename(tmp_path / "given" / "forget_gate.zip")
    for inbox in ("unzipped", "given"):
        taken = CourseRun(root=tmp_path / f"course-{inbox}").take_in(tmp_path / inbox)
        assert taken.collected == [("ada", "forget_gate"), ("ben", "forget_gate")], inbox


def test_zip_members_outside_the_archive_are_refused_and_the_rest_is_collected(tmp_path):
    notebook = json.dumps(samples.released("forget_gate"))
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zipped:
        zipped.writestr("../../escape/forget_gate/x.ipynb", "{}")
    with zipfile.ZipFile(tmp_path / "forget_gate.zip", "w") as zipped:
        zipped.writestr("ben/forget_gate.ipynb", notebook)
    found = CourseRun(root=tmp_path / "course").take_in(tmp_path)
    assert found.collected == [("ben", "forget_gate")]
    assert [("outside the archive" in item.reason) for item in found.skipped if item.where == "evil.zip"] == [True]
    assert not (tmp_path / "escape").exists() and not (tmp_path.parent / "escape").exists()
