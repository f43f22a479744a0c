"""The grader's own decisions, without a kernel: static checks, record comparison, file checks."""
import json
import zipfile

import numpy as np
import pytest

import lstm_ref
from autograder import samples, verify
from autograder.checks import plain
from autograder.exercises import EXERCISES
from autograder.pipeline import CourseRun

from hostile import corpus


@pytest.mark.parametrize("source, words", [
    ("import lstm_ref\ndef f(x):\n    return lstm_ref.sigmoid(x)", "reference implementation"),
    ("def f(x):\n    return torch.nn.LSTM(3, 3)", "PyTorch"),
    ("np.allclose = lambda *a, **k: True", "changes a module"),
    ("m = __import__('lstm' + '_ref')", "__import__"),
    ("check_example = print", "replaces check_example"),
])
def test_forbidden_code_is_named(source, words):
    assert any(words in problem for problem in verify.forbidden(source))


def test_ordinary_answers_are_not_forbidden():
    for source in samples.solution_answers("forget_gate").values():
        assert verify.forbidden(source) == []
    helper_class = "class Gate:\n    def __init__(self, W):\n        self.W = W\n"
    assert verify.forbidden(helper_class) == []


def test_only_numbers_equal_to_the_reference_agree():
    expected = plain(np.array([0.5, 0.25]))
    assert verify.agree(plain(np.array([0.5, 0.25])), expected, 1e-6, 1e-8)
    assert not verify.agree(plain(np.array([0.5, 0.3])), expected, 1e-6, 1e-8)
    assert not verify.agree(plain(object()), expected, 1e-6, 1e-8)
    assert not verify.agree({"kind": "array", "shape": [2], "values": ["nan", "x"]}, expected, 1e-6, 1e-8)
    assert not verify.agree(plain(np.array([0.5, 0.25, 0.0])), expected, 1e-6, 1e-8)


def test_a_hidden_check_is_recomputed_from_its_seed():
    (check,) = verify.expected_checks('check_random("forget", forget, seed=3)')
    assert check == ("random", "forget", 3, 10)
    rng = np.random.default_rng(3)  # the student's right answers on the inputs the kernel drew
    records = [{"kind": "random", "exercise": "forget", "key": 3, "trial": trial,
                "received": plain(lstm_ref.forget(*EXERCISES["forget"].random_inputs(rng)))}
               for trial in range(10)]
    assert verify.verify(check, records) is None
    records[4]["received"]["values"][0] += 1
    assert "differs from lstm_ref" in verify.verify(check, records)
    assert "no result recorded" in verify.verify(check, records[:3])


@pytest.mark.parametrize("name, words", [("corrupt.ipynb", "not valid JSON"), ("empty.ipynb", "is empty"),
                                         ("nbformat3.ipynb", "old notebook format")])
def test_unreadable_files_are_rejected_with_a_reason(name, words):
    with pytest.raises(verify.Rejected, match=words):
        verify.read_submission(corpus.HERE / name)


def test_collect_reads_lms_zip_files(tmp_path):
    course = CourseRun(root=tmp_path / "course")
    notebook = json.dumps(samples.released("forget_gate"))
    with zipfile.ZipFile(tmp_path / "inbox.zip", "w") as zipped:
        zipped.writestr("ada/forget_gate/forget_gate.ipynb", notebook)
    with zipfile.ZipFile(tmp_path / "forget_gate.zip", "w") as zipped:
        zipped.writestr("ben/forget_gate.ipynb", notebook)
    assert course.collect(tmp_path) == [("ada", "forget_gate"), ("ben", "forget_gate")]
    assert (course.root / "submitted" / "ben" / "forget_gate" / "forget_gate.ipynb").exists()


def test_zip_members_outside_the_archive_are_refused(tmp_path):
    from autograder.pipeline import PipelineError
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as zipped:
        zipped.writestr("../../escape/forget_gate/x.ipynb", "{}")
    with pytest.raises(PipelineError, match="outside the archive"):
        CourseRun(root=tmp_path / "course").collect(tmp_path)
