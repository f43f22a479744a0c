"""The backpropagation-through-time assignment's graded functions (lectures 000 and 004).

The notebook gives the student lstm_cell_forward, whose cache is lstm_ref.lstm_cell_forward's
(a dict: x_t, h_prev, C_prev, f_t, i_t, C_tilde, o_t, C_t, params). Weight gradients come back
stacked in the lectures' gate order f, i, C~, o, as lstm_ref returns them: dW (4, n, n + m) and
db (4, n). The trained model the student hands in is graded by autograder/saved_models.py.
"""

import io

import numpy as np

import lstm_ref
from assignments.declare import Exercise
from assignments.inputs import random_sizes
from lstm_ref.gradcheck import grad_check, relative_error


def lstm_backward(dh_all, caches):
    """(dx, dh_0, dC_0, dW, db) over a sequence: lstm_ref's BPTT on the caches' inputs."""
    x = np.stack([cache["x_t"] for cache in caches])
    first = caches[0]
    _, sequence_cache = lstm_ref.lstm_forward(x, first["h_prev"], first["C_prev"], first["params"])
    return lstm_ref.lstm_backward(dh_all, sequence_cache)


# The backward's inputs hold a forward pass (the cache), made here with lstm_ref: no code that
# computes a forward may reach students, and the inputs reach them as data anyway.


def random_cell_inputs(rng: np.random.Generator) -> tuple:
    """(dh_t (B, n), dC_t (B, n), cache) with n != m usually, weights large enough that every
    term matters (scale 1: gates away from 0.5, cells away from 0)."""
    (n, m), B = random_sizes(rng), int(rng.integers(1, 4))
    params = lstm_ref.init_params(n, m, rng=rng, scale=1.0)
    x_t, h_prev, C_prev = rng.normal(size=(B, m)), rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n))
    _, cache = lstm_ref.lstm_cell_forward(x_t, h_prev, C_prev, params)
    return rng.normal(size=(B, n)), rng.normal(size=(B, n)), cache


def random_sequence_inputs(rng: np.random.Generator) -> tuple:
    """(dh_all (T, B, n), caches): T >= 2 steps of lstm_ref.lstm_cell_forward, from random h_0, C_0."""
    (n, m), B, T = random_sizes(rng), int(rng.integers(1, 4)), int(rng.integers(2, 6))
    params = lstm_ref.init_params(n, m, rng=rng, scale=1.0)
    h_t, C_t, caches = rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n)), []
    for x_t in rng.normal(size=(T, B, m)):
        (h_t, C_t), cache = lstm_ref.lstm_cell_forward(x_t, h_t, C_t, params)
        caches.append(cache)
    return rng.normal(size=(T, B, n)), caches


# Functions grad_check is tried on: numpy's own. Half of them mix the entries of x (cumprod, norm,
# prod): nudging every x_k at once, or not putting x_k back, gives a wrong gradient only for those.
TEST_FUNCTIONS = (np.tanh, np.sin, np.cumsum, np.cumprod, np.linalg.norm, np.prod)


def grad_check_inputs(rng: np.random.Generator) -> tuple:
    """(f, x, df): f one of TEST_FUNCTIONS, x (k,) or (k, l), df like f(x)."""
    f = TEST_FUNCTIONS[int(rng.integers(len(TEST_FUNCTIONS)))]
    shape = (int(rng.integers(2, 6)),) if rng.random() < 0.5 else (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
    x = rng.uniform(-1, 1, shape)
    return f, x, rng.normal(size=np.shape(f(x)))


def gradient_pair(rng: np.random.Generator) -> tuple:
    """(a, b): an analytic and a numerical gradient that nearly agree, or not at all."""
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    a = rng.normal(size=shape)
    return a, a + rng.normal(scale=10.0 ** rng.integers(-9, 1), size=shape)


def longest_distance(distances, accuracies, level):
    """For each row of accuracies (R, K), a model's held-out accuracy at the distances (K,) of a
    sweep: the largest distance up to which it reaches `level` at every distance; 0 if it misses
    at the first. Returns (R,) integers."""
    reached = np.asarray(accuracies, dtype=np.float64) >= level
    lasting = np.cumprod(reached, axis=-1).sum(axis=-1)  # how many distances, from the first, reach it
    return np.where(lasting > 0, np.asarray(distances)[np.maximum(lasting - 1, 0)], 0)


def random_sweep(rng: np.random.Generator) -> tuple:
    """(distances (K,), accuracies (R, K), level): a sweep of increasing distances and models whose
    accuracy reaches the level up to some k, falls to chance and comes back (as an RNN run can),
    or reaches it everywhere, or nowhere; some accuracies equal the level exactly."""
    K, R = int(rng.integers(4, 9)), int(rng.integers(3, 6))
    distances = np.sort(rng.choice(np.arange(1, 61), K, replace=False))
    level = float(rng.choice([0.9, 0.95, 0.99]))
    accuracies = rng.uniform(0.45, 0.6, (R, K))  # chance, give or take
    for row in accuracies:
        fall = int(rng.integers(1, K))
        row[:fall] = rng.choice([level, 1.0, (1 + level) / 2], fall)
        if rng.random() < 0.5:  # learned again further out
            row[int(rng.integers(fall + 1, K + 1)) - 1] = 1.0
    accuracies[int(rng.integers(R))] = 1.0  # one model reaches the level at every distance
    accuracies[int(rng.integers(R))] = 0.5  # one model at none
    return distances, accuracies, level


EXERCISES = [
    Exercise(
        name="lstm_cell_backward",
        arguments=("dh_t", "dC_t", "cache"),
        output="(dx_t, dh_{t-1}, dC_{t-1}, dW, db)",
        reference=lstm_ref.lstm_cell_backward,
        random_inputs=random_cell_inputs,
    ),
    Exercise(
        name="grad_check",
        arguments=("f", "x", "df"),
        output="d sum(f(x) * df) / dx, by centred differences",
        reference=grad_check,
        random_inputs=grad_check_inputs,
    ),
    Exercise(
        name="relative_error",
        arguments=("a", "b"),
        output="||a - b|| / (||a|| + ||b||)",
        reference=relative_error,
        random_inputs=gradient_pair,
    ),
    Exercise(
        name="lstm_backward",
        arguments=("dh_all", "caches"),
        output="(dx, dh_0, dC_0, dW, db)",
        reference=lstm_backward,
        random_inputs=random_sequence_inputs,
    ),
    Exercise(
        name="longest_distance",
        arguments=("distances", "accuracies", "level"),
        output="for each model, the largest k up to which it reaches level",
        reference=longest_distance,
        random_inputs=random_sweep,
    ),
]


def solution_model() -> bytes:
    """agreement_lstm.npz as the solution's save_model cell writes it: the LSTM trained at k = 15, b_f = 3."""
    from .agreement import train

    params, _ = train("LSTM", 15, seed=0, forget_bias=3.0)
    buffer = io.BytesIO()
    np.savez(buffer, **params)
    return buffer.getvalue()


# What a student who ran the solution hands in beside the notebook (course/assignments.toml's student_files).
HANDED_IN = {"agreement_lstm.npz": solution_model}
