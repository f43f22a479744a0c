"""Models a student trains and hands in beside the notebook, graded from the file itself, in the
grader's process: never what the kernel says about it.

    SAVED_MODELS["agreement_lstm"].grade(path)  ->  (passed, message)

The notebook's hidden test check_saved_model("agreement_lstm", "agreement_lstm.npz", ...) names
the model; course/assignments.toml's student_files lets collect take the file. Under plain
nbgrader the hidden test measures the model in the kernel instead, as `in_kernel()` says.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lstm_ref.classifier import accuracy
from lstm_ref.lstm import GATES
from student_kit.agreement import VOCABULARY, agreement_data, heldout_seed, heldout_verdict


@dataclass(frozen=True)
class SavedModel:
    file: str  # the name the notebook saves it under, beside the notebook
    grade: Callable[[Path], tuple[bool, str]]  # the file -> (passed, message)
    in_kernel: Callable[[], dict]  # how plain nbgrader's kernel measures it (sealed into the hidden test)


# -- lecture 001's agreement task: the LSTM of the bptt notebook -------------------------------

MODEL_FILE = "agreement_lstm.npz"
MAX_HIDDEN = 256  # more units than any sensible answer; bounds the grader's work
MODEL_KEYS = tuple(f"{kind}_{gate}" for gate in GATES for kind in "Wb") + ("W_y", "b_y")
HELD_OUT_SIZE = 2000
HELD_OUT_SALT = 48611  # the held-out sentences' seed is the grader's own: students have the generator


@dataclass(frozen=True)
class Threshold:
    """What the saved LSTM must reach on held-out sentences. Set from the runs recorded in
    assignments/bptt/agreement_measured.jsonl: the assignment's LSTM (b_f = 3) clears it on every
    seed, the LSTM with b_f near 0 and a backward without the dC path through h_t on none."""

    k: int = 15
    min_accuracy: float = 0.95
    size: int = HELD_OUT_SIZE


THRESHOLD = Threshold()


MAX_BYTES = 8 * 4 * MAX_HIDDEN * (MAX_HIDDEN + 64) + 65536  # the arrays of the largest allowed model


def load_saved_model(path):
    """The LSTM classifier's params from a student's .npz, checked; ValueError says what is wrong.

    The file is the student's: it is read as plain float arrays only (no pickles, so it cannot
    run code here), and its size is checked before anything is decompressed.
    """
    V = len(VOCABULARY)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_BYTES:
            raise ValueError(
                f"{path} unpacks to {unpacked} bytes, more than a model of at most "
                f"{MAX_HIDDEN} units needs ({MAX_BYTES})."
            )
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(
            f"{path} could not be read as an .npz file ({error}); run the training cell "
            f"again, which writes it with np.savez."
        ) from None
    except ValueError as error:
        if "pickle" not in str(error):
            raise
        raise ValueError(
            f"{path} holds Python objects, not plain arrays; save the arrays with np.savez(path, **params)."
        ) from None
    missing, extra = sorted(set(MODEL_KEYS) - set(arrays)), sorted(set(arrays) - set(MODEL_KEYS))
    if missing or extra:
        raise ValueError(f"{path} should hold exactly {', '.join(MODEL_KEYS)}; missing {missing}, unexpected {extra}.")
    n = np.shape(arrays["W_y"])[-1] if np.ndim(arrays["W_y"]) else 0
    if not 1 <= n <= MAX_HIDDEN:
        raise ValueError(f"W_y should have shape (1, n) with 1 <= n <= {MAX_HIDDEN}, got {np.shape(arrays['W_y'])}.")
    shapes = {f"W_{g}": (n, n + V) for g in GATES} | {f"b_{g}": (n,) for g in GATES} | {"W_y": (1, n), "b_y": (1,)}
    params = {}
    for name, shape in shapes.items():
        array = arrays[name]
        if array.shape != shape or array.dtype.kind != "f":
            raise ValueError(
                f"{name} should be a float array of shape {shape} (n = {n} units, V = {V} words), "
                f"got {array.dtype} {array.shape}."
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{name} holds NaN or inf: the training diverged.")
        params[name] = array.astype(np.float64)
    return params


def grade_saved_model(path, salt, threshold=THRESHOLD):
    """(passed, accuracy or None, message): the saved LSTM on held-out sentences at distance k."""
    try:
        params = load_saved_model(path)
    except ValueError as error:
        return False, None, str(error)
    x, y = agreement_data(threshold.k, threshold.size, seed=heldout_seed(threshold.k, salt))
    score = accuracy(x, y, params)
    passed, message = heldout_verdict(
        round(score * threshold.size), threshold.size, threshold.k, threshold.min_accuracy
    )
    return passed, score, message


def grade_agreement_lstm(path):
    """(passed, message) for the LSTM a student saved for the agreement task."""
    passed, _, message = grade_saved_model(path, HELD_OUT_SALT)
    return passed, message


def plain_nbgrader_measure():
    """How check_saved_model measures in the kernel under plain nbgrader (sealed into the hidden cell)."""
    return dict(
        k=THRESHOLD.k,
        size=THRESHOLD.size,
        min_accuracy=THRESHOLD.min_accuracy,
        seed=list(heldout_seed(THRESHOLD.k, HELD_OUT_SALT)),
    )


SAVED_MODELS = {"agreement_lstm": SavedModel(MODEL_FILE, grade_agreement_lstm, plain_nbgrader_measure)}
