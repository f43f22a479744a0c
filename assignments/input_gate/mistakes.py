"""The input-gate assignment's known mistakes: input_gate, candidate, cell_update, memory_trace.
Each is the function a student wrote, whole; the functions it calls are the student's own in the
notebook, and the right ones (lstm_ref's) here."""

import numpy as np

from assignments.declare import Catalogue
from lstm_ref import sigmoid

CATALOGUE = Catalogue(globals())

STEP_2, STEP_3 = "STEP 2 (the input gate and the tanh layer)", "STEP 3 (the cell update)"
I_T = "i_t = σ(W_i · [h_{t-1}, x_t] + b_i)"
C_TILDE = "C~_t = tanh(W_c · [h_{t-1}, x_t] + b_c)"
C_T = "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t"


@CATALOGUE.mistake(
    "tanh-for-σ",
    lecture="002",
    where=STEP_2,
    says=f"you squashed with tanh where {I_T} uses σ, so i_t must lie in (0, 1).",
)
def input_gate(W_i, h_prev, x_t, b_i):
    return np.tanh(W_i @ np.concatenate([h_prev, x_t]) + b_i)


@CATALOGUE.mistake(
    "x-before-h", lecture="002", where=STEP_2, says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {I_T}."
)
def input_gate(W_i, h_prev, x_t, b_i):
    return sigmoid(W_i @ np.concatenate([x_t, h_prev]) + b_i)


@CATALOGUE.mistake("no-bias", lecture="002", where=STEP_2, says=f"you left out the bias b_i: {I_T}.")
def input_gate(W_i, h_prev, x_t, b_i):
    return sigmoid(W_i @ np.concatenate([h_prev, x_t]))


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="002",
    where=STEP_2,
    says="W_i · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def input_gate(W_i, h_prev, x_t, b_i):
    return sigmoid(W_i * np.concatenate([h_prev, x_t]) + b_i)


@CATALOGUE.mistake(
    "σ-for-tanh",
    lecture="002",
    where=STEP_2,
    says=f"you squashed with σ where {C_TILDE} uses tanh, so C~_t must lie in (-1, 1) "
    '(lecture 004\'s "States" slide writes σ for the candidate: an erratum).',
)
def candidate(W_c, h_prev, x_t, b_c):
    return sigmoid(W_c @ np.concatenate([h_prev, x_t]) + b_c)


@CATALOGUE.mistake(
    "x-before-h",
    lecture="002",
    where=STEP_2,
    says=f"you stacked [x_t, h_{{t-1}}]; the lectures stack h first: {C_TILDE}.",
)
def candidate(W_c, h_prev, x_t, b_c):
    return np.tanh(W_c @ np.concatenate([x_t, h_prev]) + b_c)


@CATALOGUE.mistake("no-bias", lecture="002", where=STEP_2, says=f"you left out the bias b_c: {C_TILDE}.")
def candidate(W_c, h_prev, x_t, b_c):
    return np.tanh(W_c @ np.concatenate([h_prev, x_t]))


@CATALOGUE.mistake(
    "elementwise-for-matrix-product",
    lecture="002",
    where=STEP_2,
    says="W_c · [h_{t-1}, x_t] is a matrix product (@), not the elementwise product (*).",
)
def candidate(W_c, h_prev, x_t, b_c):
    return np.tanh(W_c * np.concatenate([h_prev, x_t]) + b_c)


@CATALOGUE.mistake(
    "tan-for-tanh",
    lecture="002",
    where=STEP_2,
    says=f"you wrote np.tan, the tangent; {C_TILDE} uses np.tanh, the hyperbolic tangent, values in (-1, 1).",
)
def candidate(W_c, h_prev, x_t, b_c):
    return np.tan(W_c @ np.concatenate([h_prev, x_t]) + b_c)


@CATALOGUE.mistake(
    "matrix-product-for-⊙",
    lecture="002",
    where=STEP_3,
    says=f"{C_T} multiplies entry by entry (*); you took matrix (dot) products (@), "
    "which add everything up into one number.",
)
def cell_update(f_t, C_prev, i_t, C_tilde):
    return f_t @ C_prev + i_t @ C_tilde


@CATALOGUE.mistake(
    "forget-applied-to-candidate",
    lecture="002",
    where=STEP_3,
    says="you applied the forget gate f_t to the candidate C~_t and i_t to C_{t-1} (the gates "
    f"mixed up): f_t forgets old memory and i_t writes new, {C_T}.",
)
def cell_update(f_t, C_prev, i_t, C_tilde):
    return f_t * C_tilde + i_t * C_prev


@CATALOGUE.mistake(
    "terms-multiplied",
    lecture="002",
    where=STEP_3,
    says="you multiplied the kept memory f_t ⊙ C_{t-1} by the new memory i_t ⊙ C~_t; "
    "C_t adds them (lecture 000's ⊕ is an elementwise sum).",
)
def cell_update(f_t, C_prev, i_t, C_tilde):
    return (f_t * C_prev) * (i_t * C_tilde)


@CATALOGUE.mistake(
    "no-forget-gate",
    lecture="002",
    where=STEP_3,
    says=f"you added i_t ⊙ C~_t to the whole of C_{{t-1}}: the forget gate comes first, {C_T}.",
)
def cell_update(f_t, C_prev, i_t, C_tilde):
    return C_prev + i_t * C_tilde


GATES_002 = '"Gates" (the sigmoid layer outputs numbers between zero and one)'
POINTWISE_003 = '"Point wise Operations" (F_t = [1, 2, 3])'


@CATALOGUE.mistake(
    "closed-interval",
    lecture="002",
    where=GATES_002,
    says="0 < σ(z) < 1 for every z: a gate is never exactly 0 or 1 (lecture 004's 0 and 1 are roundings), "
    "so the test is 0 < value < 1, not 0 <= value <= 1.",
)
def could_be_gate(values):
    return (values >= 0) & (values <= 1)


@CATALOGUE.mistake(
    "tanh-range",
    lecture="002",
    where=GATES_002,
    says="(-1, 1) is the range of tanh, the candidate C~_t's; a gate is a σ, in (0, 1).",
)
def could_be_gate(values):
    return (values > -1) & (values < 1)


@CATALOGUE.mistake(
    "no-upper-bound",
    lecture="003",
    where=POINTWISE_003,
    says="a gate cannot reach 1 or exceed it, as lecture 003's F_t = [1, 2, 3] does: σ(z) < 1 for every z.",
)
def could_be_gate(values):
    return values > 0


@CATALOGUE.mistake(
    "no-lower-bound",
    lecture="002",
    where=GATES_002,
    says="a gate cannot be 0 or negative: σ(z) > 0 for every z.",
)
def could_be_gate(values):
    return values < 1


@CATALOGUE.mistake(
    "forget-at-write-step",
    lecture="002",
    where=STEP_3,
    says="off by one step in time: what is written at step s is first forgotten at step s + 1; "
    "C_s = f_s ⊙ C_{s-1} + i_s ⊙ C~_s applies f_s to the old memory, not the new.",
)
def memory_trace(forget_gates, input_gates, written_at):
    trace = np.zeros(len(forget_gates))
    left = input_gates[written_at] * forget_gates[written_at]
    trace[written_at] = left
    for t in range(written_at + 1, len(forget_gates)):
        left = left * forget_gates[t]
        trace[t] = left
    return trace


@CATALOGUE.mistake(
    "no-input-gate",
    lecture="002",
    where=STEP_3,
    says="you wrote all of C~_s = 1 into the cell; the input gate lets in only i_s ⊙ C~_s.",
)
def memory_trace(forget_gates, input_gates, written_at):
    trace = np.zeros(len(forget_gates))
    left = 1.0
    trace[written_at] = left
    for t in range(written_at + 1, len(forget_gates)):
        left = left * forget_gates[t]
        trace[t] = left
    return trace


# Right answers written otherwise: no mistake above may be named for them.


@CATALOGUE.right
def input_gate(W_i, h_prev, x_t, b_i):
    z = list(h_prev) + list(x_t)
    return np.array(
        [1 / (1 + np.exp(-(sum(W_i[i][j] * z[j] for j in range(len(z))) + b_i[i]))) for i in range(len(b_i))]
    )


@CATALOGUE.right
def input_gate(W_i, h_prev, x_t, b_i):
    return sigmoid(np.einsum("ij,j->i", W_i, np.hstack([h_prev, x_t])) + b_i)


@CATALOGUE.right
def candidate(W_c, h_prev, x_t, b_c):
    z = list(h_prev) + list(x_t)
    return np.array([np.tanh(sum(W_c[i][j] * z[j] for j in range(len(z))) + b_c[i]) for i in range(len(b_c))])


@CATALOGUE.right
def candidate(W_c, h_prev, x_t, b_c):
    return np.tanh(np.einsum("ij,j->i", W_c, np.hstack([h_prev, x_t])) + b_c)


@CATALOGUE.right
def candidate(W_c, h_prev, x_t, b_c):
    a = W_c[:, : len(h_prev)] @ h_prev + W_c[:, len(h_prev) :] @ x_t + b_c
    return 2 * sigmoid(2 * a) - 1  # tanh(a) = 2 σ(2a) - 1


@CATALOGUE.right
def cell_update(f_t, C_prev, i_t, C_tilde):
    return np.diag(f_t) @ C_prev + np.diag(i_t) @ C_tilde


@CATALOGUE.right
def cell_update(f_t, C_prev, i_t, C_tilde):
    return np.einsum("i,i->i", f_t, C_prev) + np.einsum("i,i->i", i_t, C_tilde)


@CATALOGUE.right
def could_be_gate(values):
    return np.logical_and(values > 0, values < 1)


@CATALOGUE.right
def could_be_gate(values):
    return np.abs(np.asarray(values) - 0.5) < 0.5


@CATALOGUE.right
def could_be_gate(values):
    return np.array([0 < v < 1 for v in values])


@CATALOGUE.right
def memory_trace(forget_gates, input_gates, written_at):
    s = written_at
    return np.array(
        [0.0 if t < s else input_gates[s] * np.prod(forget_gates[s + 1 : t + 1]) for t in range(len(forget_gates))]
    )


@CATALOGUE.right
def memory_trace(forget_gates, input_gates, written_at):
    steps = np.arange(len(forget_gates))
    kept = input_gates[written_at] * np.cumprod(np.r_[1.0, forget_gates[written_at + 1 :]])
    return np.where(steps >= written_at, kept[np.clip(steps - written_at, 0, None)], 0.0)
