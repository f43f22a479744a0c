"""What a misconception is, how a received value is matched to one, and a student's LSTM/GRU
written with one knob per known mistake.

A misconception is a known wrong answer: `wrong` computes it from the same arguments as the
graded function, so a student's result can be compared with it on the very inputs of the test
that failed. `says` names the mistake in one sentence, in the lectures' notation; `lecture` and
`where` say where to look. `mutation` is the edit (old -> new) that makes the instructor's
solution commit this mistake; the mutation tests push such notebooks through nbgrader.
"""
from dataclasses import dataclass

import numpy as np

from lstm_ref.activations import sigmoid, tanh
from lstm_ref.worked_examples.base import lecture_title


@dataclass(frozen=True)
class Mutation:
    old: str | tuple  # text in the solution's answer cell (a tuple: several edits, in order)
    new: str | tuple  # what the mistaken student wrote instead
    cell: str | None = None  # the answer cell's function; None: the misconception's exercise

    @property
    def edits(self):
        """[(old, new)]: each old text is replaced (everywhere in the cell) by its new text."""
        if isinstance(self.old, str):
            return [(self.old, self.new)]
        return list(zip(self.old, self.new))


@dataclass(frozen=True)
class Misconception:
    key: str  # unique, "<exercise>/<mistake>"
    exercise: str  # the graded function it applies to
    wrong: object  # exercise's arguments -> the wrong answer (or raises as the mistake does)
    says: str  # one sentence, in the lectures' notation
    lecture: str  # "000" .. "004", see LECTURES
    where: str  # the slide or step, in words a student can find
    mutation: Mutation | None = None

    @property
    def hint(self):
        return f"Likely mistake: {self.says} See lecture {self.lecture} (“{lecture_title(self.lecture)}”), {self.where}."


# A student's LSTM, right by default; each keyword makes one known mistake.

def preactivation(W, h_prev, x_t, b, order="hx", bias=True, concat_axis=-1):
    """W . [h_{t-1}, x_t] + b, or one of its known mistakes."""
    parts = [h_prev, x_t] if order == "hx" else [x_t, h_prev]
    z = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts], axis=concat_axis)
    z = z @ np.asarray(W, dtype=np.float64).T
    return z + b if bias else z


def elementwise_gate(W, h_prev, x_t, b):
    """W * [h_{t-1}, x_t] + b: the elementwise product where the matrix product belongs.

    Written the way a student writes it, so that it raises the same broadcasting error."""
    return sigmoid(W * np.concatenate([h_prev, x_t]) + b)


def lstm_cell(x_t, h_prev, C_prev, params, order="hx", bias=True, concat_axis=-1,
              gate_activation=sigmoid, candidate_activation=tanh, read=tanh,
              weights=None, forget_candidate=False, read_previous_cell=False):
    """(h_t, C_t) of one LSTM step.

    weights maps a gate to the parameters it uses ({"f": "i"}: f_t computed with W_i, b_i).
    forget_candidate: C_t = f_t * C~_t + i_t * C_{t-1}. read_previous_cell: h_t from C_{t-1}.
    """
    weights = {gate: gate for gate in "fico"} | (weights or {})

    def layer(gate, activation):
        source = weights[gate]
        return activation(preactivation(params[f"W_{source}"], h_prev, x_t, params[f"b_{source}"],
                                        order=order, bias=bias, concat_axis=concat_axis))

    f_t, i_t = layer("f", gate_activation), layer("i", gate_activation)
    C_tilde, o_t = layer("c", candidate_activation), layer("o", gate_activation)
    if forget_candidate:
        C_t = f_t * C_tilde + i_t * C_prev
    else:
        C_t = f_t * C_prev + i_t * C_tilde
    h_t = o_t * read(C_prev if read_previous_cell else C_t)
    return h_t, C_t


def lstm_forward(x, h0, C0, params, cell=lstm_cell, zero_initial_state=False, store_before_step=False,
                 carry_state=True, stack_axis=0, time_axis=0):
    """(h_all, C_T) over a sequence x (T, B, m) from h0, C0 (B, n); h_all (T, B, n).

    carry_state=False starts every step again from (h0, C0)."""
    h, C = (np.zeros_like(h0), np.zeros_like(C0)) if zero_initial_state else (h0, C0)
    hs = []
    for t in range(np.shape(x)[time_axis]):
        x_t = x[t] if time_axis == 0 else x[:, t]
        h_t, C_t = cell(x_t, h, C, params)
        hs.append(h if store_before_step else h_t)
        if carry_state:
            h, C = h_t, C_t
    return np.stack(hs, axis=stack_axis), C_t


# The GRU of lecture 000: h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h),
# h_t = (1 - z_t) * h~_t + z_t * h_{t-1}.

def gru_candidate(W_h, h_prev, x_t, b_h, r_t, order="hx", bias=True, convention="lecture",
                  activation=tanh, reset=True):
    """h~_t, or one of its known mistakes.

    convention="torch" applies r_t after the matrix product: tanh(W_hx x_t + r_t * (W_hh h_{t-1}) + b_h).
    """
    W_h, h_prev, x_t = (np.asarray(a, dtype=np.float64) for a in (W_h, h_prev, x_t))
    r_t = np.asarray(r_t, dtype=np.float64) if reset else np.ones_like(h_prev)
    n = np.shape(h_prev)[-1]
    if convention == "torch":
        W_hh, W_hx = (W_h[:, :n], W_h[:, n:]) if order == "hx" else (W_h[:, -n:], W_h[:, :-n])
        z = x_t @ W_hx.T + r_t * (h_prev @ W_hh.T)
        return activation(z + b_h if bias else z)
    return activation(preactivation(W_h, r_t * h_prev, x_t, b_h, order=order, bias=bias))


def gru_hidden_state(z_t, h_prev, h_tilde, swap=False):
    """h_t = (1 - z_t) * h~_t + z_t * h_{t-1}; swap=True exchanges z_t and 1 - z_t."""
    z_t, h_prev, h_tilde = (np.asarray(a, dtype=np.float64) for a in (z_t, h_prev, h_tilde))
    if swap:
        return z_t * h_tilde + (1 - z_t) * h_prev
    return (1 - z_t) * h_tilde + z_t * h_prev


def gru_cell(x_t, h_prev, params, order="hx", bias=True, convention="lecture", swap=False,
             gate_activation=sigmoid, candidate_activation=tanh, weights=None):
    """h_t of one GRU step; params W_z, b_z, W_r, b_r, W_h, b_h (each W (n, n + m))."""
    weights = {"z": "z", "r": "r"} | (weights or {})

    def gate(name):
        source = weights[name]
        return gate_activation(preactivation(params[f"W_{source}"], h_prev, x_t, params[f"b_{source}"],
                                             order=order, bias=bias))

    z_t, r_t = gate("z"), gate("r")
    h_tilde = gru_candidate(params["W_h"], h_prev, x_t, params["b_h"], r_t, order=order, bias=bias,
                            convention=convention, activation=candidate_activation)
    return gru_hidden_state(z_t, h_prev, h_tilde, swap=swap)
