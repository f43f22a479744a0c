"""The backpropagation-through-time assignment's graded functions (lectures 000 and 004).

The notebook gives the student lstm_cell_forward, whose cache is lstm_ref.lstm_cell_forward's
(a dict: x_t, h_prev, C_prev, f_t, i_t, C_tilde, o_t, C_t, params), and lstm_forward, which
returns the list of those caches. Weight gradients come back stacked in the lectures' gate
order f, i, C~, o: dW (4, n, n + m) and db (4, n).
"""
import numpy as np

import lstm_ref
from lstm_ref.agreement import MODEL_FILE, THRESHOLD, grade_saved_model, heldout_seed
from lstm_ref.gradcheck import grad_check, relative_error
from lstm_ref.lstm import GATES

from student_kit import inputs
from student_kit.inputs import random_sizes

from .base import Exercise


def stacked(grads):
    """(dW (4, n, n + m), db (4, n)) from {W_f: .., b_f: .., ...}, gates in the order f, i, C~, o."""
    return (np.stack([grads[f"W_{gate}"] for gate in GATES]),
            np.stack([grads[f"b_{gate}"] for gate in GATES]))


def lstm_cell_backward(dh_t, dC_t, cache):
    """(dx_t, dh_{t-1}, dC_{t-1}, dW, db) of one step, from lstm_ref."""
    dx_t, dh_prev, dC_prev, grads = lstm_ref.lstm_cell_backward(dh_t, dC_t, cache)
    return (dx_t, dh_prev, dC_prev, *stacked(grads))


def lstm_backward(dh_all, caches):
    """(dx, dh_0, dC_0, dW, db) over a sequence: lstm_ref's BPTT on the caches' inputs."""
    x = np.stack([cache["x_t"] for cache in caches])
    first = caches[0]
    _, sequence_cache = lstm_ref.lstm_forward(x, first["h_prev"], first["C_prev"], first["params"])
    dx, dh_0, dC_0, grads = lstm_ref.lstm_backward(dh_all, sequence_cache)
    return (dx, dh_0, dC_0, *stacked(grads))


# The backward's inputs hold a forward pass (the cache): made here, with lstm_ref, and given to
# the notebook as data (release stores the visible ones in course_data.json and seals the hidden
# ones into nbgrader's copy of their cell), since no code that computes a forward may reach students.

def random_cell_inputs(rng):
    """(dh_t (B, n), dC_t (B, n), cache) with n != m usually, weights large enough that every
    term matters (scale 1: gates away from 0.5, cells away from 0)."""
    (n, m), B = random_sizes(rng), int(rng.integers(1, 4))
    params = lstm_ref.init_params(n, m, rng=rng, scale=1.0)
    x_t, h_prev, C_prev = rng.normal(size=(B, m)), rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n))
    _, cache = lstm_ref.lstm_cell_forward(x_t, h_prev, C_prev, params)
    return rng.normal(size=(B, n)), rng.normal(size=(B, n)), cache


def random_sequence_inputs(rng):
    """(dh_all (T, B, n), caches): T >= 2 steps of lstm_ref.lstm_cell_forward, from random h_0, C_0."""
    (n, m), B, T = random_sizes(rng), int(rng.integers(1, 4)), int(rng.integers(2, 6))
    params = lstm_ref.init_params(n, m, rng=rng, scale=1.0)
    h_t, C_t, caches = rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n)), []
    for x_t in rng.normal(size=(T, B, m)):
        (h_t, C_t), cache = lstm_ref.lstm_cell_forward(x_t, h_t, C_t, params)
        caches.append(cache)
    return rng.normal(size=(T, B, n)), caches


EXERCISES = [
    Exercise(
        name="lstm_cell_backward", arguments=("dh_t", "dC_t", "cache"),
        output="(dx_t, dh_{t-1}, dC_{t-1}, dW, db)",
        reference=lstm_cell_backward, random_inputs=random_cell_inputs,
    ),
    Exercise(
        name="grad_check", arguments=("f", "x", "df"), output="d sum(f(x) * df) / dx, by centred differences",
        reference=grad_check, random_inputs=inputs.grad_check_inputs,
    ),
    Exercise(
        name="relative_error", arguments=("a", "b"), output="||a - b|| / (||a|| + ||b||)",
        reference=relative_error, random_inputs=inputs.gradient_pair,
    ),
    Exercise(
        name="lstm_backward", arguments=("dh_all", "caches"), output="(dx, dh_0, dC_0, dW, db)",
        reference=lstm_backward, random_inputs=random_sequence_inputs,
    ),
]


# -- the saved model ------------------------------------------------------------------------------
# The held-out sentences' seed is the grader's own: students have the generator, not this salt.
HELD_OUT_SALT = 48611


def grade_agreement_lstm(path):
    """(passed, message) for the LSTM a student saved for the agreement task."""
    passed, _, message = grade_saved_model(path, HELD_OUT_SALT)
    return passed, message


def plain_nbgrader_measure():
    """How check_saved_model measures in the kernel under plain nbgrader (sealed into the hidden cell)."""
    return dict(k=THRESHOLD.k, size=THRESHOLD.size, min_accuracy=THRESHOLD.min_accuracy,
                seed=list(heldout_seed(THRESHOLD.k, HELD_OUT_SALT)))


SAVED_MODELS = {"agreement_lstm": (MODEL_FILE, grade_agreement_lstm, plain_nbgrader_measure)}
