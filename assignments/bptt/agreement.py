"""Lecture 001's agreement task, trained: "The cat that chased the mouse ... was hungry."

The sentences come from student_kit/agreement.py, the one source (students get it too). Here,
on the instructor's side only: a classifier (classifier.py) trained with Adam and clipping,
seeded and deterministic, at one distance k; its accuracy on held-out sentences; and the
grading of the parameters a student saved.

    params, seconds = train("LSTM", k=15, seed=0, forget_bias=3.0)
    heldout_accuracy(params, k=15)                  # 2000 sentences from seeds training never uses

The bptt notebook's own training code (the student's backward, Adam and clipping) follows the
same recipe with the same seeds, so it reproduces these numbers (tests/test_agreement_task.py).

python -m lstm_ref.agreement [--seeds 10] prints the held-out accuracy against k for the RNN and
the LSTM (b_f near 0, b_f = 1, b_f = 3), seed by seed, and the training time per model.
"""
import argparse
import json
import time
import zipfile
from dataclasses import dataclass

import numpy as np

from student_kit.agreement import VOCABULARY, agreement_data

from .classifier import accuracy, classifier_backward, classifier_forward, init_classifier, \
    sigmoid_cross_entropy
from .lstm import GATES
from .optim import Adam, clip_by_global_norm


@dataclass(frozen=True)
class Settings:
    """The assignment's training budget: about a second of numpy per model on one core."""
    n_hidden: int = 16
    batch: int = 32
    steps: int = 400
    lr: float = 0.02
    clip: float = 1.0


SETTINGS = Settings()
DISTANCES = (1, 2, 5, 10, 15, 20, 30, 50)  # k: filler words between the subject and the verb
MODELS = {"RNN": ("RNN", None), "LSTM, b_f near 0": ("LSTM", None), "LSTM, b_f = 1": ("LSTM", 1.0),
          "LSTM, b_f = 3": ("LSTM", 3.0)}  # label: (layer, forget_bias)


def training_batch(k, seed, step, batch):
    """Training step `step` of run `seed`: (x (k + 2, batch, V), y (batch,)); seeds (seed, step)."""
    return agreement_data(k, batch, seed=(seed, step))


def train(kind, k, seed, forget_bias=None, settings=SETTINGS):
    """(params, CPU seconds): the classifier trained on fresh batches at distance k, float64."""
    start = time.process_time()
    params = init_classifier(kind, settings.n_hidden, len(VOCABULARY), seed, forget_bias)
    adam = Adam(params, lr=settings.lr)
    for step in range(settings.steps):
        x, y = training_batch(k, seed, step, settings.batch)
        z, cache = classifier_forward(x, params)
        _, dz = sigmoid_cross_entropy(z, y)
        grads, _ = clip_by_global_norm(classifier_backward(dz, cache), settings.clip)
        adam.step(params, grads)
    return params, time.process_time() - start


HELD_OUT_SIZE = 2000


def heldout_seed(k, salt=0):
    """The seed of the held-out sentences with k fillers: three numbers, which no training seed
    (seed, step) is. The grader keeps its salt to itself."""
    return (7919, k, salt)


def heldout_accuracy(params, k, size=HELD_OUT_SIZE, salt=0):
    """Accuracy on `size` sentences with k fillers, drawn from heldout_seed(k, salt)."""
    x, y = agreement_data(k, size, seed=heldout_seed(k, salt))
    return accuracy(x, y, params)


# -- grading a student's saved model ---------------------------------------------------------

MODEL_FILE = "agreement_lstm.npz"
MAX_HIDDEN = 256  # more units than any sensible answer; bounds the grader's work
MODEL_KEYS = tuple(f"{kind}_{gate}" for gate in GATES for kind in "Wb") + ("W_y", "b_y")


@dataclass(frozen=True)
class Threshold:
    """What the saved LSTM must reach on held-out sentences. Set from the runs recorded in
    tests/data/agreement_measured.jsonl: the assignment's LSTM (b_f = 3) clears it on every
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
            raise ValueError(f"{path} unpacks to {unpacked} bytes, more than a model of at most "
                             f"{MAX_HIDDEN} units needs ({MAX_BYTES}).")
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{path} could not be read as an .npz file ({error}); run the training cell "
                         f"again, which writes it with np.savez.") from None
    except ValueError as error:
        if "pickle" not in str(error):
            raise
        raise ValueError(f"{path} holds Python objects, not plain arrays; save the arrays with "
                         f"np.savez(path, **params).") from None
    missing, extra = sorted(set(MODEL_KEYS) - set(arrays)), sorted(set(arrays) - set(MODEL_KEYS))
    if missing or extra:
        raise ValueError(f"{path} should hold exactly {', '.join(MODEL_KEYS)}; "
                         f"missing {missing}, unexpected {extra}.")
    n = np.shape(arrays["W_y"])[-1] if np.ndim(arrays["W_y"]) else 0
    if not 1 <= n <= MAX_HIDDEN:
        raise ValueError(f"W_y should have shape (1, n) with 1 <= n <= {MAX_HIDDEN}, got {np.shape(arrays['W_y'])}.")
    shapes = {f"W_{g}": (n, n + V) for g in GATES} | {f"b_{g}": (n,) for g in GATES} | {"W_y": (1, n), "b_y": (1,)}
    params = {}
    for name, shape in shapes.items():
        array = arrays[name]
        if array.shape != shape or array.dtype.kind != "f":
            raise ValueError(f"{name} should be a float array of shape {shape} (n = {n} units, V = {V} words), "
                             f"got {array.dtype} {array.shape}.")
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
    score = heldout_accuracy(params, threshold.k, threshold.size, salt)
    verdict = "passes" if score >= threshold.min_accuracy else "does not reach"
    return (score >= threshold.min_accuracy, score,
            f"your LSTM predicts the verb of {100 * score:.1f} % of {threshold.size} new sentences with "
            f"k = {threshold.k}; it {verdict} the {100 * threshold.min_accuracy:.0f} % needed.")


# -- the measurements ------------------------------------------------------------------------

def measure(seeds, distances=DISTANCES, models=MODELS, settings=SETTINGS):
    """Yield one dict per trained model: model, k, seed, held-out accuracy, CPU seconds."""
    for seed in seeds:
        for label, (kind, forget_bias) in models.items():
            for k in distances:
                params, seconds = train(kind, k, seed, forget_bias, settings)
                yield dict(model=label, k=k, seed=seed, accuracy=heldout_accuracy(params, k),
                           cpu_seconds=round(seconds, 2))


def table(rows):
    """Text: one line per (model, k), the accuracy of every seed and the mean CPU time."""
    cells = {}
    for row in rows:
        cells.setdefault((row["model"], row["k"]), []).append(row)
    lines = []
    for (model, k), runs in cells.items():
        accuracies = " ".join(f"{100 * run['accuracy']:5.1f}" for run in runs)
        seconds = np.mean([run["cpu_seconds"] for run in runs])
        lines.append(f"{model:>14} k = {k:>2}: {accuracies}   ({seconds:.1f} s CPU per model)")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lstm_ref.agreement", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0 .. N-1 (default 10)")
    parser.add_argument("--json", help="also write every run as a JSON line to this file")
    args = parser.parse_args(argv)
    rows = []
    for row in measure(range(args.seeds)):
        rows.append(row)
        print(json.dumps(row), flush=True)
        if args.json:
            with open(args.json, "a") as out:
                out.write(json.dumps(row) + "\n")
    print(f"\nheld-out accuracy (%) on {HELD_OUT_SIZE} sentences, seeds 0..{args.seeds - 1}; {SETTINGS}")
    print(table(rows))


if __name__ == "__main__":
    main()
