"""The input-gate assignment: input_gate, candidate, cell_update."""
import numpy as np

from .base import Misconception, Mutation
from .gates import gate_misconceptions, np_dot

STEP_2, STEP_3 = "STEP 2 (the input gate and the tanh layer)", "STEP 3 (the cell update)"


def as_arrays(*values):
    return (np.asarray(v, dtype=np.float64) for v in values)


def cell_update_entry(mistake, wrong, says, new, where=STEP_3):
    return Misconception(key=f"cell_update/{mistake}", exercise="cell_update", wrong=wrong, says=says,
                         lecture="002", where=where,
                         mutation=Mutation("f_t * C_prev + i_t * C_tilde", new))


def forget_applied_to_candidate(f_t, C_prev, i_t, C_tilde):
    f_t, C_prev, i_t, C_tilde = as_arrays(f_t, C_prev, i_t, C_tilde)
    return f_t * C_tilde + i_t * C_prev


def terms_multiplied(f_t, C_prev, i_t, C_tilde):
    f_t, C_prev, i_t, C_tilde = as_arrays(f_t, C_prev, i_t, C_tilde)
    return (f_t * C_prev) * (i_t * C_tilde)


def no_forget_gate(f_t, C_prev, i_t, C_tilde):
    f_t, C_prev, i_t, C_tilde = as_arrays(f_t, C_prev, i_t, C_tilde)
    return C_prev + i_t * C_tilde


def memory_trace(forget_gates, input_gates, written_at, forget_at_write=False, input_gate=True):
    """What is left after each step of C~ = 1 written at step s: i_s f_{s+1} ... f_t (0 before s)."""
    forget_gates, input_gates = np.asarray(forget_gates, float), np.asarray(input_gates, float)
    trace, kept = np.zeros_like(forget_gates), 0.0
    for t in range(written_at, len(forget_gates)):
        if t == written_at:
            kept = (input_gates[t] if input_gate else 1.0) * (forget_gates[t] if forget_at_write else 1.0)
        else:
            kept = kept * forget_gates[t]
        trace[t] = kept
    return trace


def memory_trace_entry(mistake, knobs, says, mutation):
    return Misconception(key=f"memory_trace/{mistake}", exercise="memory_trace",
                         wrong=lambda f, i, s: memory_trace(f, i, s, **knobs), says=says,
                         lecture="002", where=STEP_3, mutation=mutation)


MISCONCEPTIONS = [
    *gate_misconceptions("input_gate", "i_t", "i", "σ", lecture="002", where=STEP_2),
    *gate_misconceptions("candidate", "C~_t", "c", "tanh", lecture="002", where=STEP_2,
                         erratum=" (lecture 004's \"States\" slide writes σ for the candidate: an erratum)"),
    cell_update_entry(
        "matrix-product-for-⊙",
        lambda f_t, C_prev, i_t, C_tilde: np_dot(f_t, C_prev) + np_dot(i_t, C_tilde),
        "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t multiplies entry by entry (*); you took matrix (dot) "
        "products (@), which add everything up into one number.",
        "f_t @ C_prev + i_t @ C_tilde"),
    cell_update_entry(
        "forget-applied-to-candidate", forget_applied_to_candidate,
        "you applied the forget gate f_t to the candidate C~_t and i_t to C_{t-1} (the gates mixed up): "
        "f_t forgets old memory and i_t writes new, C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t.",
        "f_t * C_tilde + i_t * C_prev"),
    cell_update_entry(
        "terms-multiplied", terms_multiplied,
        "you multiplied the kept memory f_t ⊙ C_{t-1} by the new memory i_t ⊙ C~_t; "
        "C_t adds them (lecture 000's ⊕ is an elementwise sum).",
        "(f_t * C_prev) * (i_t * C_tilde)"),
    cell_update_entry(
        "no-forget-gate", no_forget_gate,
        "you added i_t ⊙ C~_t to the whole of C_{t-1}: the forget gate comes first, "
        "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C~_t.",
        "C_prev + i_t * C_tilde"),
    memory_trace_entry(
        "forget-at-write-step", dict(forget_at_write=True),
        "off by one step in time: what is written at step s is first forgotten at step s + 1; "
        "C_s = f_s ⊙ C_{s-1} + i_s ⊙ C~_s applies f_s to the old memory, not the new.",
        Mutation("left = input_gates[written_at]", "left = input_gates[written_at] * forget_gates[written_at]")),
    memory_trace_entry(
        "no-input-gate", dict(input_gate=False),
        "you wrote all of C~_s = 1 into the cell; the input gate lets in only i_s ⊙ C~_s.",
        Mutation("left = input_gates[written_at]", "left = 1.0")),
]
