"""The backpropagation-through-time assignment: the backward pass's known mistakes.

A student's backward, right by default; each keyword makes one known mistake. It reads the
cache of lstm_ref.lstm_cell_forward (the notebook's lstm_cell_forward keeps the same one) and
returns what the exercises ask: (dx_t, dh_{t-1}, dC_{t-1}, dW, db), gates stacked f, i, C~, o.
The mutations edit the solution notebook's answer cells (solutions/bptt/bptt.ipynb).
"""
import numpy as np

from .base import Misconception, Mutation

CELL_WHERE = '"Back propagating through time for gradient computation", equations (5)-(6)'


def cell_backward(dh_t, dC_t, cache, through_h=True, tanh_prime_of_C="tanh", candidate_derivative="tanh",
                  forget_derivative="sigma", forget_factor=True, read_C_t=True, batch="sum", order="hx",
                  halves="right"):
    """Backward of one LSTM step, or one of its known mistakes."""
    p = cache["params"]
    f_t, i_t, C_tilde, o_t, C_t = (np.asarray(cache[k], dtype=float)
                                   for k in ("f_t", "i_t", "C_tilde", "o_t", "C_t"))
    dh_t, dC_t = np.asarray(dh_t, dtype=float), np.asarray(dC_t, dtype=float)
    n = C_t.shape[-1]
    tanh_C = np.tanh(C_t)
    through = 1 - tanh_C ** 2 if tanh_prime_of_C == "tanh" else tanh_C * (1 - tanh_C)
    dC = dC_t + dh_t * o_t * through if through_h else dC_t
    dC_prev = dC * f_t if forget_factor else dC
    forget_prime = f_t * (1 - f_t) if forget_derivative == "sigma" else 1 - f_t ** 2
    candidate_prime = 1 - C_tilde ** 2 if candidate_derivative == "tanh" else C_tilde * (1 - C_tilde)
    da = [dC * cache["C_prev"] * forget_prime, dC * C_tilde * i_t * (1 - i_t), dC * i_t * candidate_prime,
          dh_t * (tanh_C if read_C_t else C_t) * o_t * (1 - o_t)]
    parts = [cache["h_prev"], cache["x_t"]] if order == "hx" else [cache["x_t"], cache["h_prev"]]
    v = np.concatenate([np.asarray(part, dtype=float) for part in parts], axis=1)
    if batch == "sum":
        dW, db = np.stack([d.T @ v for d in da]), np.stack([d.sum(axis=0) for d in da])
    elif batch == "mean":
        dW, db = np.stack([d.T @ v / len(v) for d in da]), np.stack([d.mean(axis=0) for d in da])
    else:  # "outer": np.outer flattens a batch instead of summing over it
        dW, db = np.stack([np.outer(d, v) for d in da]), np.stack([d.sum(axis=0) for d in da])
    dv = sum(d @ p[f"W_{gate}"] for d, gate in zip(da, "fico"))
    if halves == "swapped":
        return dv[:, :n], dv[:, n:], dC_prev, dW, db
    return dv[:, n:], dv[:, :n], dC_prev, dW, db


def cell_entry(mistake, says, mutation, **knob):
    return Misconception(key=f"lstm_cell_backward/{mistake}", exercise="lstm_cell_backward",
                         wrong=lambda dh_t, dC_t, cache: cell_backward(dh_t, dC_t, cache, **knob),
                         says=says, lecture="004", where=CELL_WHERE, mutation=mutation)


DC = "dL/dC_t = dC_t + dh_t ⊙ o_t ⊙ (1 - tanh²(C_t))"

MISCONCEPTIONS = [
    cell_entry("no-dC-through-h",
               f"you left out the path from C_t through h_t = o_t ⊙ tanh(C_t): {DC}, not dC_t alone.",
               Mutation("dC = dC_t + dh_t * o_t * (1 - tanh_C ** 2)", "dC = dC_t"), through_h=False),
    cell_entry("sigma-prime-for-tanh-prime-in-h",
               f"h_t reads tanh(C_t), whose derivative is 1 - tanh²(C_t), not σ's tanh(C_t)(1 - tanh(C_t)): {DC}.",
               Mutation("(1 - tanh_C ** 2)", "tanh_C * (1 - tanh_C)"), tanh_prime_of_C="sigma"),
    cell_entry("sigma-prime-for-tanh-prime-in-candidate",
               "C~_t comes from tanh, so dL/da_c = dL/dC_t ⊙ i_t ⊙ (1 - C~_t²), not σ' = C~_t (1 - C~_t).",
               Mutation("(1 - C_tilde ** 2)", "C_tilde * (1 - C_tilde)"), candidate_derivative="sigma"),
    cell_entry("tanh-prime-for-sigma-prime",
               "f_t comes from σ, whose derivative is f_t (1 - f_t), not tanh's 1 - f_t².",
               Mutation("f_t * (1 - f_t)", "(1 - f_t ** 2)"), forget_derivative="tanh"),
    cell_entry("dC-prev-without-f",
               "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t, so dL/dC_{t-1} = dL/dC_t ⊙ f_t (lecture 004's B_t = f_t), "
               "not dL/dC_t: the cell state is scaled by f_t at every step, on the way back too.",
               Mutation("dC_prev = dC * f_t", "dC_prev = dC"), forget_factor=False),
    cell_entry("o-gradient-without-tanh",
               "h_t = o_t ⊙ tanh(C_t), so dL/do_t = dh_t ⊙ tanh(C_t), not dh_t ⊙ C_t.",
               Mutation("dh_t * tanh_C * o_t", "dh_t * C_t * o_t"), read_C_t=False),
    cell_entry("weights-averaged-over-batch",
               "the loss is a sum over the batch, so dW and db sum every example's gradient; you divided by B.",
               Mutation(("d.T @ v for", "d.sum(axis=0)"), ("d.T @ v / len(v) for", "d.mean(axis=0)")), batch="mean"),
    cell_entry("outer-product-of-a-batch",
               "np.outer flattens a batch (B, n) into one long vector; dW_g = da_g^T [h_{t-1}, x_t] "
               "(a matrix product, (n, B) @ (B, n + m)) sums over the batch.",
               Mutation("d.T @ v for", "np.outer(d, v) for"), batch="outer"),
    cell_entry("x-before-h",
               "the gates read [h_{t-1}, x_t], h first: the first n columns of W_g act on h_{t-1}, "
               "so dW_g = da_g^T [h_{t-1}, x_t], not da_g^T [x_t, h_{t-1}].",
               Mutation('[cache["h_prev"], cache["x_t"]]', '[cache["x_t"], cache["h_prev"]]'), order="xh"),
    cell_entry("wrong-half-as-dh",
               "d[h_{t-1}, x_t] = Σ_g da_g W_g holds dh_{t-1} in its first n columns and dx_t in the "
               "last m, in the order of [h_{t-1}, x_t]; you returned them the other way round.",
               Mutation("return dv[:, n:], dv[:, :n],", "return dv[:, :n], dv[:, n:],"), halves="swapped"),
]


# lstm_backward(dh_all, caches): the loop over time.

def sequence_backward(dh_all, caches, carry_h=True, carry_C=True, accumulate=True, backwards=True):
    """BPTT over the cell caches, or one of its known mistakes."""
    dh_all = np.asarray(dh_all, dtype=float)
    dh_next, dC_next = np.zeros_like(dh_all[0]), np.zeros_like(dh_all[0])
    dW, db, dx = 0, 0, [None] * len(caches)
    steps = reversed(range(len(caches))) if backwards else range(len(caches))
    for t in steps:
        dh = dh_all[t] + dh_next if carry_h else dh_all[t]
        dx[t], dh_next, dC_next, dW_t, db_t = cell_backward(dh, dC_next if carry_C else np.zeros_like(dC_next),
                                                            caches[t])
        dW, db = (dW + dW_t, db + db_t) if accumulate else (dW_t, db_t)
    return np.stack(dx), dh_next, dC_next, dW, db


SEQUENCE_WHERE = '"Back propagating through time for gradient computation", equations (3)-(4)'


def sequence_entry(mistake, says, mutation, **knob):
    return Misconception(key=f"lstm_backward/{mistake}", exercise="lstm_backward",
                         wrong=lambda dh_all, caches: sequence_backward(dh_all, caches, **knob),
                         says=says, lecture="004", where=SEQUENCE_WHERE, mutation=mutation)


MISCONCEPTIONS += [
    sequence_entry("not-summed-over-time",
                   "the same W is used at every step, so ∂E/∂W = Σ_t ∂E_t/∂W (lecture 004's equation (3)): "
                   "add every step's dW and db; you kept one step's.",
                   Mutation("dW, db = dW + dW_t, db + db_t", "dW, db = dW_t, db_t"), accumulate=False),
    sequence_entry("no-dh-from-step-t-plus-1",
                   "h_t reaches the loss directly and through step t + 1: the dh_t you pass to "
                   "lstm_cell_backward is dh_all[t] + dL/dh_t from step t + 1.",
                   Mutation("dh_all[t] + dh_next", "dh_all[t]"), carry_h=False),
    sequence_entry("no-dC-from-step-t-plus-1",
                   "C_t reaches the loss through C_{t+1} too: pass the dC_{t-1} that step t + 1 returned "
                   "to step t, not zeros (that cuts lecture 004's uninterrupted path through f_t).",
                   Mutation("dh_next, dC_next, caches[t])", "dh_next, 0 * dC_next, caches[t])"), carry_C=False),
    sequence_entry("forward-in-time",
                   "backpropagation runs backwards: step t needs what step t + 1 sends back, "
                   "so loop t = T-1, ..., 0.",
                   Mutation("reversed(range(len(caches)))", "range(len(caches))"), backwards=False),
]


# grad_check(f, x, df) and relative_error(a, b): the numerical side.

NUMERIC_WHERE = '"Back propagating through time for gradient computation" (what ∂E/∂W means, entry by entry)'
EPS = 1e-5


def numerical(f, x, df, kind="centred", use_df=True, restore=True, one_at_a_time=True):
    """d sum(f(x) * df)/dx by finite differences, or one of their known mistakes."""
    x = np.array(x, dtype=float)
    weight = df if use_df else 1.0
    if not one_at_a_time:  # every entry nudged at once: right only if f acts entry by entry
        return (f(x + EPS) - f(x - EPS)) / (2 * EPS) * weight
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + EPS
        plus = np.sum(f(x) * weight)
        if kind == "forward":
            x[index] = saved
            grad[index] = (plus - np.sum(f(x) * weight)) / EPS
            continue
        x[index] = saved - EPS
        minus = np.sum(f(x) * weight)
        if restore:
            x[index] = saved
        grad[index] = (plus - minus) / (EPS if kind == "over-eps" else 2 * EPS)
    return grad


def numeric_entry(exercise, mistake, wrong, says, mutation):
    return Misconception(key=f"{exercise}/{mistake}", exercise=exercise, wrong=wrong, says=says,
                         lecture="004", where=NUMERIC_WHERE, mutation=mutation)


CENTRED = "(L(x + ε e_k) - L(x - ε e_k)) / (2ε)"

MISCONCEPTIONS += [
    numeric_entry("grad_check", "divided-by-eps",
                  lambda f, x, df: numerical(f, x, df, kind="over-eps"),
                  f"the two points x ± ε e_k are 2ε apart: divide by 2ε, {CENTRED}.",
                  Mutation("/ (2 * eps)", "/ eps")),
    numeric_entry("grad_check", "forward-difference",
                  lambda f, x, df: numerical(f, x, df, kind="forward"),
                  f"you took a one-sided difference (L(x + ε e_k) - L(x)) / ε, whose error is of order ε; "
                  f"the centred one, {CENTRED}, is accurate to ε².",
                  Mutation(("x[index] = saved - eps", "/ (2 * eps)"), ("x[index] = saved", "/ eps"))),
    numeric_entry("grad_check", "df-ignored",
                  lambda f, x, df: numerical(f, x, df, use_df=False),
                  "the gradient asked for is that of L = Σ f(x) ⊙ df: weight f(x) by df before summing.",
                  Mutation("np.sum(f(x) * df)", "np.sum(f(x))")),
    numeric_entry("grad_check", "x-not-restored",
                  lambda f, x, df: numerical(f, x, df, restore=False),
                  "put x[k] back after nudging it: otherwise every later entry is measured at a shifted x.",
                  Mutation("        x[index] = saved\n", "")),
    numeric_entry("grad_check", "all-entries-at-once",
                  lambda f, x, df: numerical(f, x, df, one_at_a_time=False),
                  "nudge one entry x_k at a time: moving every entry at once mixes all their effects on "
                  "f(x) (right only for a function that acts entry by entry).",
                  None),
]


def norm_error(a, b, denominator="sum"):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    difference = np.linalg.norm(a - b)
    if denominator == "none":
        return float(difference)
    scale = np.linalg.norm(a) + np.linalg.norm(b) if denominator == "sum" else np.linalg.norm(a)
    return 0.0 if scale == 0 else float(difference / scale)


def elementwise_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


RELATIVE = "||a - b|| / (||a|| + ||b||)"

MISCONCEPTIONS += [
    numeric_entry("relative_error", "absolute",
                  lambda a, b: norm_error(a, b, "none"),
                  f"||a - b|| alone depends on the gradient's size; divide by ||a|| + ||b||: {RELATIVE}.",
                  Mutation("np.linalg.norm(a - b) / scale", "np.linalg.norm(a - b)")),
    numeric_entry("relative_error", "divided-by-a",
                  lambda a, b: norm_error(a, b, "a"),
                  f"divide by ||a|| + ||b||, which is symmetric and 0 only when both are: {RELATIVE}.",
                  Mutation("np.linalg.norm(a) + np.linalg.norm(b)", "np.linalg.norm(a)")),
    numeric_entry("relative_error", "elementwise",
                  elementwise_error,
                  f"this course's relative error uses the norms of the whole arrays, {RELATIVE}, "
                  "not the largest entry-by-entry ratio.",
                  None),
]
