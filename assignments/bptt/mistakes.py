"""The backpropagation-through-time assignment's known mistakes: lstm_cell_backward,
lstm_backward, grad_check and relative_error. Each is the function a student wrote, whole (the
solution with one mistake); the functions it calls are the student's own in the notebook, and
the right ones (lstm_ref's) here. The caches are lstm_ref.lstm_cell_forward's, and the weight
gradients come back stacked in the gate order f, i, C~, o."""

import numpy as np

from assignments.declare import Catalogue
from lstm_ref import lstm_cell_backward

CATALOGUE = Catalogue(globals())

CELL = '"Back propagating through time for gradient computation", equations (5)-(6)'
SEQUENCE = '"Back propagating through time for gradient computation", equations (3)-(4)'
NUMERIC = '"Back propagating through time for gradient computation" (what ∂E/∂W means, entry by entry)'
DC = "dL/dC_t = dC_t + dh_t ⊙ o_t ⊙ (1 - tanh²(C_t))"
CENTRED = "(L(x + ε e_k) - L(x - ε e_k)) / (2ε)"
RELATIVE = "||a - b|| / (||a|| + ||b||)"


# lstm_cell_backward(dh_t, dC_t, cache): one step back.


@CATALOGUE.mistake(
    "no-dC-through-h",
    lecture="004",
    where=CELL,
    says=f"you left out the path from C_t through h_t = o_t ⊙ tanh(C_t): {DC}, not dC_t alone.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "sigma-prime-for-tanh-prime-in-h",
    lecture="004",
    where=CELL,
    says=f"h_t reads tanh(C_t), whose derivative is 1 - tanh²(C_t), not σ's tanh(C_t)(1 - tanh(C_t)): {DC}.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * tanh_C * (1 - tanh_C)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "sigma-prime-for-tanh-prime-in-candidate",
    lecture="004",
    where=CELL,
    says="C~_t comes from tanh, so dL/da_c = dL/dC_t ⊙ i_t ⊙ (1 - C~_t²), not σ' = C~_t (1 - C~_t).",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * C_tilde * (1 - C_tilde)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "tanh-prime-for-sigma-prime",
    lecture="004",
    where=CELL,
    says="f_t comes from σ, whose derivative is f_t (1 - f_t), not tanh's 1 - f_t².",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * (1 - f_t**2)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "dC-prev-without-f",
    lecture="004",
    where=CELL,
    says="C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t, so dL/dC_{t-1} = dL/dC_t ⊙ f_t (lecture 004's B_t = f_t), "
    "not dL/dC_t: the cell state is scaled by f_t at every step, on the way back too.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "o-gradient-without-tanh",
    lecture="004",
    where=CELL,
    says="h_t = o_t ⊙ tanh(C_t), so dL/do_t = dh_t ⊙ tanh(C_t), not dh_t ⊙ C_t.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * C_t * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "weights-averaged-over-batch",
    lecture="004",
    where=CELL,
    says="you divided dW and db by the batch size B. They add up every example's gradient "
    "(δa_g^T [h_{t-1}, x_t] sums over the batch); where the loss is a mean over the batch, its 1/B "
    "is already in dh_t (∂L/∂h_T = (p - y) W_y / B), so dividing again counts it twice.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v / len(v) for d in da])
    db = np.stack([d.mean(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "outer-product-of-a-batch",
    lecture="004",
    where=CELL,
    says="np.outer flattens a batch (B, n) into one long vector; dW_g = da_g^T [h_{t-1}, x_t] "
    "(a matrix product, (n, B) @ (B, n + m)) sums over the batch.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([np.outer(d, v) for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "x-before-h",
    lecture="004",
    where=CELL,
    says="the gates read [h_{t-1}, x_t], h first: the first n columns of W_g act on h_{t-1}, "
    "so dW_g = da_g^T [h_{t-1}, x_t], not da_g^T [x_t, h_{t-1}].",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["x_t"], cache["h_prev"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


@CATALOGUE.mistake(
    "wrong-half-as-dh",
    lecture="004",
    where=CELL,
    says="d[h_{t-1}, x_t] = Σ_g da_g W_g holds dh_{t-1} in its first n columns and dx_t in the "
    "last m, in the order of [h_{t-1}, x_t]; you returned them the other way round.",
)
def lstm_cell_backward(dh_t, dC_t, cache):
    f_t, i_t, C_tilde, o_t, C_t = (cache[k] for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    n = C_t.shape[1]
    tanh_C = np.tanh(C_t)
    dC = dC_t + dh_t * o_t * (1 - tanh_C**2)
    dC_prev = dC * f_t
    da_f = dC * cache["C_prev"] * f_t * (1 - f_t)
    da_i = dC * C_tilde * i_t * (1 - i_t)
    da_c = dC * i_t * (1 - C_tilde**2)
    da_o = dh_t * tanh_C * o_t * (1 - o_t)
    v = np.concatenate([cache["h_prev"], cache["x_t"]], axis=1)
    da = [da_f, da_i, da_c, da_o]
    dW = np.stack([d.T @ v for d in da])
    db = np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ cache["params"][f"W_{gate}"] for d, gate in zip(da, "fico"))
    return dv[:, :n], dv[:, n:], dC_prev, dW, db


# lstm_backward(dh_all, caches): the loop over time, calling the (right) lstm_cell_backward.


@CATALOGUE.mistake(
    "not-summed-over-time",
    lecture="004",
    where=SEQUENCE,
    says="the same W is used at every step, so its gradient adds one term per step: sum the dW and db "
    "that lstm_cell_backward returns at every step; you kept one step's.",
)
def lstm_backward(dh_all, caches):
    dh_next, dC_next = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0])
    dW, db, dx = 0, 0, [None] * len(caches)
    for t in reversed(range(len(caches))):
        dx[t], dh_next, dC_next, dW_t, db_t = lstm_cell_backward(dh_all[t] + dh_next, dC_next, caches[t])
        dW, db = dW_t, db_t
    return np.stack(dx), dh_next, dC_next, dW, db


@CATALOGUE.mistake(
    "no-dh-from-step-t-plus-1",
    lecture="004",
    where=SEQUENCE,
    says="h_t reaches the loss directly and through step t + 1: the dh_t you pass to "
    "lstm_cell_backward is dh_all[t] + dL/dh_t from step t + 1.",
)
def lstm_backward(dh_all, caches):
    dh_next, dC_next = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0])
    dW, db, dx = 0, 0, [None] * len(caches)
    for t in reversed(range(len(caches))):
        dx[t], dh_next, dC_next, dW_t, db_t = lstm_cell_backward(dh_all[t], dC_next, caches[t])
        dW, db = dW + dW_t, db + db_t
    return np.stack(dx), dh_next, dC_next, dW, db


@CATALOGUE.mistake(
    "no-dC-from-step-t-plus-1",
    lecture="004",
    where=SEQUENCE,
    says="C_t reaches the loss through C_{t+1} too: the dC_prev that step t + 1 returns is dL/dC_t; "
    "pass it to step t as its dC_t, not zeros (that cuts the direct path from cell to cell, lecture 004's "
    "B_t = f_t).",
)
def lstm_backward(dh_all, caches):
    dh_next, dC_next = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0])
    dW, db, dx = 0, 0, [None] * len(caches)
    for t in reversed(range(len(caches))):
        dx[t], dh_next, dC_next, dW_t, db_t = lstm_cell_backward(dh_all[t] + dh_next, 0 * dC_next, caches[t])
        dW, db = dW + dW_t, db + db_t
    return np.stack(dx), dh_next, dC_next, dW, db


@CATALOGUE.mistake(
    "forward-in-time",
    lecture="004",
    where=SEQUENCE,
    says="backpropagation runs backwards: step t needs what step t + 1 sends back, so loop t = T-1, ..., 0.",
)
def lstm_backward(dh_all, caches):
    dh_next, dC_next = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0])
    dW, db, dx = 0, 0, [None] * len(caches)
    for t in range(len(caches)):
        dx[t], dh_next, dC_next, dW_t, db_t = lstm_cell_backward(dh_all[t] + dh_next, dC_next, caches[t])
        dW, db = dW + dW_t, db + db_t
    return np.stack(dx), dh_next, dC_next, dW, db


# grad_check(f, x, df) and relative_error(a, b): the numerical side.


@CATALOGUE.mistake(
    "divided-by-eps",
    lecture="004",
    where=NUMERIC,
    says=f"the two points x ± ε e_k are 2ε apart: divide by 2ε, {CENTRED}.",
)
def grad_check(f, x, df):
    eps = 1e-5
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = np.sum(f(x) * df)
        x[index] = saved - eps
        minus = np.sum(f(x) * df)
        x[index] = saved
        grad[index] = (plus - minus) / eps
    return grad


@CATALOGUE.mistake(
    "forward-difference",
    lecture="004",
    where=NUMERIC,
    says="you took a one-sided difference (L(x + ε e_k) - L(x)) / ε, whose error is of order ε; "
    f"the centred one, {CENTRED}, is accurate to ε².",
)
def grad_check(f, x, df):
    eps = 1e-5
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = np.sum(f(x) * df)
        x[index] = saved
        minus = np.sum(f(x) * df)
        x[index] = saved
        grad[index] = (plus - minus) / eps
    return grad


@CATALOGUE.mistake(
    "df-ignored",
    lecture="004",
    where=NUMERIC,
    says="the gradient asked for is that of L = Σ f(x) ⊙ df: weight f(x) by df before summing.",
)
def grad_check(f, x, df):
    eps = 1e-5
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = np.sum(f(x))
        x[index] = saved - eps
        minus = np.sum(f(x))
        x[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


@CATALOGUE.mistake(
    "x-not-restored",
    lecture="004",
    where=NUMERIC,
    says="put x[k] back after nudging it: otherwise every later entry is measured at a shifted x.",
)
def grad_check(f, x, df):
    eps = 1e-5
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = np.sum(f(x) * df)
        x[index] = saved - eps
        minus = np.sum(f(x) * df)
        grad[index] = (plus - minus) / (2 * eps)
    return grad


@CATALOGUE.mistake(
    "all-entries-at-once",
    lecture="004",
    where=NUMERIC,
    says="nudge one entry x_k at a time: moving every entry at once mixes all their effects on "
    "f(x) (right only for a function that acts entry by entry).",
)
def grad_check(f, x, df):
    eps = 1e-5
    x = np.array(x, dtype=float)
    return (f(x + eps) - f(x - eps)) / (2 * eps) * df


@CATALOGUE.mistake(
    "absolute",
    lecture="004",
    where=NUMERIC,
    says=f"||a - b|| alone depends on the gradient's size; divide by ||a|| + ||b||: {RELATIVE}.",
)
def relative_error(a, b):
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b))


@CATALOGUE.mistake(
    "divided-by-a",
    lecture="004",
    where=NUMERIC,
    says=f"divide by ||a|| + ||b||, which is symmetric and 0 only when both are: {RELATIVE}.",
)
def relative_error(a, b):
    scale = np.linalg.norm(a)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


@CATALOGUE.mistake(
    "elementwise",
    lecture="004",
    where=NUMERIC,
    says=f"this course's relative error uses the norms of the whole arrays, {RELATIVE}, "
    "not the largest entry-by-entry ratio.",
)
def relative_error(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


MEMORY_001 = '"LSTM vs RNN" (Memory span: 5-10 steps, 100+ steps)'


@CATALOGUE.mistake(
    "last-reached",
    lecture="001",
    where=MEMORY_001,
    says="you took the largest k at which the model reaches the level, though it missed at a shorter k "
    "before it: it carries the subject only up to its first miss.",
)
def longest_distance(distances, accuracies, level):
    return np.array([max([k for k, a in zip(distances, row) if a >= level], default=0) for row in accuracies])


@CATALOGUE.mistake(
    "first-miss",
    lecture="001",
    where=MEMORY_001,
    says="you returned the first k at which the model misses the level; it carried the subject up to the k "
    "of the sweep before that one.",
)
def longest_distance(distances, accuracies, level):
    found = []
    for row in accuracies:
        misses = [k for k, a in zip(distances, row) if a < level]
        found.append(misses[0] if misses else distances[-1])
    return np.array(found)


@CATALOGUE.mistake(
    "count",
    lecture="001",
    where=MEMORY_001,
    says="you returned how many distances of the sweep the model reaches before its first miss, not the "
    "distance k itself (the sweep's k are not 1, 2, 3, ...).",
)
def longest_distance(distances, accuracies, level):
    return np.cumprod(accuracies >= level, axis=-1).sum(axis=-1)


@CATALOGUE.mistake(
    "level-excluded",
    lecture="001",
    where=MEMORY_001,
    says="an accuracy equal to the level reaches it: compare with >=, not >.",
)
def longest_distance(distances, accuracies, level):
    lasting = np.cumprod(accuracies > level, axis=-1).sum(axis=-1)
    return np.where(lasting > 0, distances[np.maximum(lasting - 1, 0)], 0)


# Right answers written otherwise: no mistake above may be named for them.


@CATALOGUE.right
def lstm_cell_backward(dh_t, dC_t, cache):
    """W_g split into its h- and x-columns (lecture 004's W h + U x), with einsum."""
    p, n = cache["params"], cache["C_t"].shape[1]
    tanh_C = np.tanh(cache["C_t"])
    dC = dC_t + dh_t * cache["o_t"] * (1 - tanh_C * tanh_C)
    gates = {
        "f": (dC * cache["C_prev"], cache["f_t"], True),
        "i": (dC * cache["C_tilde"], cache["i_t"], True),
        "c": (dC * cache["i_t"], cache["C_tilde"], False),
        "o": (dh_t * tanh_C, cache["o_t"], True),
    }
    dW, db, dh_prev, dx_t = [], [], 0, 0
    for gate, (d_out, out, is_sigmoid) in gates.items():
        da = d_out * (out * (1 - out) if is_sigmoid else 1 - out**2)
        W_h, W_x = p[f"W_{gate}"][:, :n], p[f"W_{gate}"][:, n:]
        dW.append(np.hstack([np.einsum("bi,bj->ij", da, cache["h_prev"]), np.einsum("bi,bj->ij", da, cache["x_t"])]))
        db.append(np.einsum("bi->i", da))
        dh_prev, dx_t = dh_prev + da @ W_h, dx_t + da @ W_x
    return dx_t, dh_prev, dC * cache["f_t"], np.array(dW), np.array(db)


@CATALOGUE.right
def lstm_backward(dh_all, caches):
    """Into preallocated arrays, one example of the batch at a time."""
    T, B, n = np.shape(dh_all)
    m = caches[0]["x_t"].shape[1]
    dx, dW, db = np.zeros((T, B, m)), np.zeros((4, n, n + m)), np.zeros((4, n))
    dh_0, dC_0 = np.zeros((B, n)), np.zeros((B, n))
    for b in range(B):
        dh, dC = np.zeros((1, n)), np.zeros((1, n))
        for t in range(T - 1, -1, -1):
            one = {key: (value[b : b + 1] if key != "params" else value) for key, value in caches[t].items()}
            dx_t, dh, dC, dW_t, db_t = lstm_cell_backward(dh_all[t][b : b + 1] + dh, dC, one)
            dx[t, b], dW, db = dx_t[0], dW + dW_t, db + db_t
        dh_0[b], dC_0[b] = dh[0], dC[0]
    return dx, dh_0, dC_0, dW, db


@CATALOGUE.right
def grad_check(f, x, df):
    """Centred differences over a flat copy of x, with another step size."""
    eps = 1e-6
    x = np.array(x, dtype=float)
    flat, grad = x.reshape(-1), np.zeros(x.size)
    for k in range(x.size):
        step = np.zeros(x.size)
        step[k] = eps
        grad[k] = (np.vdot(f((flat + step).reshape(x.shape)), df) - np.vdot(f((flat - step).reshape(x.shape)), df)) / (
            2 * eps
        )
    return grad.reshape(x.shape)


@CATALOGUE.right
def relative_error(a, b):
    return np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b)))


@CATALOGUE.right
def longest_distance(distances, accuracies, level):
    found = []
    for row in accuracies:
        reached = 0
        for k, accuracy in zip(distances, row):
            if accuracy < level:
                break
            reached = k
        found.append(reached)
    return np.array(found)


@CATALOGUE.right
def longest_distance(distances, accuracies, level):
    first_miss = np.argmin(np.c_[accuracies >= level, np.zeros(len(accuracies), bool)], axis=-1)
    return np.r_[0, distances][first_miss]
