"""Lecture 001's agreement task, trained: "The cat that chased the mouse ... was hungry."

The sentences come from student_kit/agreement.py, the one source (students get it too). Here,
on the instructor's side only: lstm_ref's classifier trained with Adam and clipping, seeded and
deterministic, at one distance k, and its accuracy on held-out sentences.

    params, seconds = train("LSTM", k=15, seed=0, forget_bias=3.0)
    heldout_accuracy(params, k=15)                  # 2000 sentences from seeds training never uses

The bptt notebook's own training code (the student's backward, Adam and clipping) follows the
same recipe with the same seeds, so it reproduces these numbers (tests/test_agreement_task.py).
What a student's saved model must reach is autograder/saved_models.py's THRESHOLD, set from the
runs recorded in agreement_measured.jsonl.

python -m assignments.bptt.agreement [--seeds 10] prints the held-out accuracy against k for the
RNN and the LSTM (b_f near 0, b_f = 1, b_f = 3), seed by seed, and the training time per model.
"""

import argparse
import json
import time
from dataclasses import dataclass

import numpy as np

from lstm_ref.classifier import (
    accuracy,
    classifier_backward,
    classifier_forward,
    init_classifier,
    sigmoid_cross_entropy,
)
from lstm_ref.optim import Adam, clip_by_global_norm
from student_kit.agreement import VOCABULARY, agreement_data, heldout_seed


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
MODELS = {
    "RNN": ("RNN", None),
    "LSTM, b_f near 0": ("LSTM", None),
    "LSTM, b_f = 1": ("LSTM", 1.0),
    "LSTM, b_f = 3": ("LSTM", 3.0),
}  # label: (layer, forget_bias)


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


def heldout_accuracy(params, k, size=HELD_OUT_SIZE, salt=0):
    """Accuracy on `size` sentences with k fillers, drawn from heldout_seed(k, salt)."""
    x, y = agreement_data(k, size, seed=heldout_seed(k, salt))
    return accuracy(x, y, params)


# -- the measurements ------------------------------------------------------------------------


def measure(seeds, distances=DISTANCES, models=MODELS, settings=SETTINGS):
    """Yield one dict per trained model: model, k, seed, held-out accuracy, CPU seconds."""
    for seed in seeds:
        for label, (kind, forget_bias) in models.items():
            for k in distances:
                params, seconds = train(kind, k, seed, forget_bias, settings)
                yield dict(
                    model=label, k=k, seed=seed, accuracy=heldout_accuracy(params, k), cpu_seconds=round(seconds, 2)
                )


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
    parser = argparse.ArgumentParser(prog="python -m assignments.bptt.agreement", description=__doc__.split("\n")[0])
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
