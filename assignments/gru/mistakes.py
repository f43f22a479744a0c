"""The GRU assignment (lecture 000's GRU):

    z_t  = σ(W_z · [h_{t-1}, x_t] + b_z)                update gate
    r_t  = σ(W_r · [h_{t-1}, x_t] + b_r)                reset gate
    h~_t = tanh(W_h · [r_t ⊙ h_{t-1}, x_t] + b_h)       candidate (r_t before the product)
    h_t  = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1}
"""
from functools import partial

from . import base
from .base import Misconception, Mutation
from .gates import gate_misconceptions, np_dot

GRU = '"GRU Architecture and Equations"'
FINAL = '"Final hidden state calculation"'
CANDIDATE = "h~_t = tanh(W_h · [r_t ⊙ h_{t-1}, x_t] + b_h)"
SWAP = ("z_t and 1 - z_t are swapped: in the lectures z_t keeps the old state, "
        "h_t = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1}.")
TORCH = (f"you applied r_t after the matrix product (PyTorch's convention, r_t ⊙ (W_hh h_{{t-1}})); "
         f"the lectures reset h_{{t-1}} before it: {CANDIDATE}.")


# The solutions' candidate and cell, as the mutations edit them.
CANDIDATE_CODE = "np.tanh(W_h @ np.concatenate([r_t * h_prev, x_t]) + b_h)"
GATE_LINES = ('z_t = update_gate(params["W_z"], h_prev, x_t, params["b_z"])\n'
              '    r_t = reset_gate(params["W_r"], h_prev, x_t, params["b_r"])')
CANDIDATE_LINE = 'h_tilde = gru_candidate(params["W_h"], h_prev, x_t, params["b_h"], r_t)'


def candidate_entry(mistake, knobs, says, mutation, where=FINAL):
    return Misconception(key=f"gru_candidate/{mistake}", exercise="gru_candidate",
                         wrong=partial(base.gru_candidate, **knobs), says=says, lecture="000", where=where,
                         mutation=mutation)


CELL_MISTAKES = [
    ("z-swapped", dict(swap=True), SWAP, FINAL,
     Mutation("gru_hidden_state(z_t, h_prev, h_tilde)", "gru_hidden_state(1 - z_t, h_prev, h_tilde)")),
    ("torch-reset", dict(convention="torch"), TORCH, FINAL,
     Mutation(CANDIDATE_LINE, 'n = len(h_prev)\n    h_tilde = np.tanh(r_t * (params["W_h"][:, :n] @ h_prev)'
                              ' + params["W_h"][:, n:] @ x_t + params["b_h"])')),
    ("x-before-h", dict(order="xh"),
     "you stacked x_t before h_{t-1}; the lectures stack h first: z_t = σ(W_z · [h_{t-1}, x_t] + b_z), "
     f"{CANDIDATE}.", GRU,
     Mutation((GATE_LINES, CANDIDATE_LINE),
              (GATE_LINES.replace("h_prev, x_t,", "x_t, h_prev,"),
               'h_tilde = np.tanh(params["W_h"] @ np.concatenate([x_t, r_t * h_prev]) + params["b_h"])'))),
    ("no-bias", dict(bias=False), "you left out the biases b_z, b_r, b_h.", GRU,
     Mutation('params["b_', '0 * params["b_')),
    ("r-for-z", dict(weights={"z": "r", "r": "z"}),
     "the gates are mixed up: you computed z_t with W_r, b_r and r_t with W_z, b_z.", GRU,
     Mutation(GATE_LINES, 'z_t = update_gate(params["W_r"], h_prev, x_t, params["b_r"])\n'
                          '    r_t = reset_gate(params["W_z"], h_prev, x_t, params["b_z"])')),
    ("σ-for-tanh-in-candidate", dict(candidate_activation=base.sigmoid),
     f"you squashed the candidate with σ; {CANDIDATE}, values in (-1, 1).", FINAL,
     Mutation(CANDIDATE_LINE, 'h_tilde = 1 / (1 + np.exp(-(params["W_h"] @ np.concatenate([r_t * h_prev, x_t])'
                              ' + params["b_h"])))')),
]

MISCONCEPTIONS = [
    *gate_misconceptions("update_gate", "z_t", "z", "σ", lecture="000", where=GRU + " (update gate)"),
    *gate_misconceptions("reset_gate", "r_t", "r", "σ", lecture="000", where=GRU + " (reset gate)"),
    candidate_entry("torch-reset", dict(convention="torch"), TORCH,
                    Mutation("W_h @ np.concatenate([r_t * h_prev, x_t])",
                             "r_t * (W_h[:, :len(h_prev)] @ h_prev) + W_h[:, len(h_prev):] @ x_t")),
    candidate_entry("no-reset", dict(reset=False), f"r_t is missing: {CANDIDATE}.",
                    Mutation("[r_t * h_prev, x_t]", "[h_prev, x_t]")),
    candidate_entry("σ-for-tanh", dict(activation=base.sigmoid),
                    f"you squashed with σ; {CANDIDATE}, values in (-1, 1).",
                    Mutation(CANDIDATE_CODE, "1 / (1 + np.exp(-(W_h @ np.concatenate([r_t * h_prev, x_t]) + b_h)))")),
    candidate_entry("x-before-h", dict(order="xh"),
                    f"you stacked [x_t, r_t ⊙ h_{{t-1}}]; the lectures put h first: {CANDIDATE}.",
                    Mutation("[r_t * h_prev, x_t]", "[x_t, r_t * h_prev]")),
    candidate_entry("no-bias", dict(bias=False), f"you left out the bias b_h: {CANDIDATE}.",
                    Mutation(" + b_h)", ")")),
    Misconception(
        key="gru_hidden_state/z-swapped", exercise="gru_hidden_state",
        wrong=partial(base.gru_hidden_state, swap=True), says=SWAP, lecture="000", where=FINAL,
        mutation=Mutation("(1.0 - z_t) * h_tilde + z_t * h_prev", "z_t * h_tilde + (1.0 - z_t) * h_prev"),
    ),
    Misconception(
        key="gru_hidden_state/matrix-product-for-⊙", exercise="gru_hidden_state",
        wrong=lambda z_t, h_prev, h_tilde: np_dot(1 - z_t, h_tilde) + np_dot(z_t, h_prev),
        says="h_t = (1 - z_t) ⊙ h~_t + z_t ⊙ h_{t-1} multiplies entry by entry (*); "
             "you took matrix (dot) products (@).",
        lecture="000", where=FINAL,
        mutation=Mutation("(1.0 - z_t) * h_tilde + z_t * h_prev", "(1.0 - z_t) @ h_tilde + z_t @ h_prev"),
    ),
    *[Misconception(key=f"gru_cell/{mistake}", exercise="gru_cell", wrong=partial(base.gru_cell, **knobs),
                    says=says, lecture="000", where=where, mutation=mutation)
      for mistake, knobs, says, where, mutation in CELL_MISTAKES],
]
