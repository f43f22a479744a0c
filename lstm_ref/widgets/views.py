"""What the sliders show: pure functions from slider values to named vectors, via lstm_ref.

No ipywidgets here, so every number a panel displays can be checked without a browser.
Each function returns a list of Row(name, values, kind); `name` is the lectures' notation
(C~_t is C-tilde, * is elementwise), `kind` says how to draw it:
"gate" in [0, 1], "value" on the panel's common scale, "result" a value drawn in bold.
"""
from dataclasses import dataclass

import numpy as np

from .. import lstm
from ..activations import as_float, sigmoid, tanh
from ..gru import gru_candidate, gru_hidden_state
from ..worked_examples import EXAMPLES
from ..worked_examples.sentence import GATE_TABLE


@dataclass(frozen=True)
class Row:
    name: str
    values: np.ndarray
    kind: str = "value"  # "gate" | "value" | "result"


# ---------------------------------------------------------------- the LSTM gate panel

PANEL_INPUTS = ("f_t", "C_prev", "i_t", "C_tilde", "o_t")  # cell_update's and hidden_state's names
# What a preset leaves out: write nothing new (i_t = 0) and show the whole cell (o_t = 1), so
# C_t is exactly the lecture's f_t * C_{t-1} when the example is only about forgetting.
NEUTRAL = dict(f_t=1.0, C_prev=0.0, i_t=0.0, C_tilde=0.0, o_t=1.0)
# Start values without a preset (not a lecture's numbers: just something to move).
DEFAULT = dict(f_t=0.5, C_prev=1.0, i_t=0.5, C_tilde=0.5, o_t=0.5)
DISPLAY_NAMES = dict(f_t="f_t", C_prev="C_{t-1}", i_t="i_t", C_tilde="C~_t", o_t="o_t")


def lstm_step_rows(f_t, C_prev, i_t, C_tilde, o_t):
    """One LSTM cell step from its gate values, each (n,):

        C_t = f_t * C_{t-1} + i_t * C~_t        h_t = o_t * tanh(C_t)
    """
    C_t = lstm.cell_update(f_t, C_prev, i_t, C_tilde)
    return [
        Row("f_t", as_float(f_t), "gate"),
        Row("C_{t-1}", as_float(C_prev)),
        Row("f_t * C_{t-1}", lstm.forget(f_t, C_prev)),
        Row("i_t", as_float(i_t), "gate"),
        Row("C~_t", as_float(C_tilde)),
        Row("i_t * C~_t", as_float(i_t) * as_float(C_tilde)),
        Row("C_t", C_t, "result"),
        Row("o_t", as_float(o_t), "gate"),
        Row("tanh(C_t)", tanh(C_t)),
        Row("h_t", lstm.hidden_state(o_t, C_t), "result"),
    ]


def gate_panel_rows(values, preactivations=False):
    """The panel's rows from its slider values {name: (n,)}.

    With preactivations=True the gate sliders are z_f, z_i, z_o and each gate is sigma(z).
    """
    if not preactivations:
        return lstm_step_rows(*(values[name] for name in PANEL_INPUTS))
    gates = {g: sigmoid(values[f"z_{g[0]}"]) for g in ("f_t", "i_t", "o_t")}
    rows = lstm_step_rows(gates["f_t"], values["C_prev"], gates["i_t"], values["C_tilde"], gates["o_t"])
    z_rows = [Row(f"z_{g}", as_float(values[f"z_{g}"])) for g in "fio"]
    return z_rows + rows


# A lecture's preset: the examples that together make one step of its cell, in order.
LECTURE_PRESETS = {
    "000": ["000-forget-half"],
    "004": ["004-cell-update-sigmoid", "004-hidden-state"],
}


def preset_values(preset=None, n_units=3):
    """Start values {name: (n,)} and a note saying where they come from.

    preset: None, a worked example's key ("000-forget-half") or a lecture number ("004"),
    which takes the gate values of the examples listed for it in LECTURE_PRESETS.
    """
    if preset is None:
        return {k: np.full(n_units, v) for k, v in DEFAULT.items()}, "Start values (not from a lecture)."
    if preset in EXAMPLES:
        sources = [EXAMPLES[preset]]
    elif preset in LECTURE_PRESETS:
        sources = [EXAMPLES[key] for key in LECTURE_PRESETS[preset]]
    else:
        raise ValueError(f"Unknown preset {preset!r}: use a lecture number ({', '.join(LECTURE_PRESETS)}) "
                         f"or a worked example's key, e.g. '000-forget-half'.")
    given = {}
    for example in sources:
        for name in PANEL_INPUTS:
            if name in example.inputs:
                given[name] = (as_float(example.inputs[name]), example)
    if not given:
        raise ValueError(f"Preset {preset!r} gives none of f_t, C_{{t-1}}, i_t, C~_t, o_t.")
    n = len(next(iter(given.values()))[0])
    values = {name: np.full(n, NEUTRAL[name]) for name in PANEL_INPUTS}
    values.update({name: value.copy() for name, (value, _) in given.items()})
    where = sorted({f"lecture {ex.lecture}, {ex.where}" for _, ex in given.values()})
    missing = [f"{DISPLAY_NAMES[name]} = {NEUTRAL[name]:g}" for name in PANEL_INPUTS if name not in given]
    note = f"Preset from {'; '.join(where)}: {', '.join(DISPLAY_NAMES[name] for name in given)}."
    if missing:
        note += " Not in the example: " + ", ".join(missing) + "."
    return values, note


# ---------------------------------------------------------------- the conveyor belt

def conveyor_rows(f_t, i_1, C_tilde_1, steps):
    """What is left at steps t = 1..steps of i_1 * C~_1, written into the cell at step 1.

    C_t is linear in what is written, so step 1's share moves along on its own:
        share_1 = i_1 * C~_1,    share_t = f_t * share_{t-1} = f_t^(t-1) * i_1 * C~_1.
    One Row per step, named "t = 1", "t = 2", ...
    """
    share = lstm.cell_update(f_t, 0.0, i_1, C_tilde_1)
    rows = [Row("t = 1", np.atleast_1d(share), "result")]
    for t in range(2, steps + 1):
        share = lstm.cell_update(f_t, share, 0.0, 0.0)  # step 1 writes nothing more
        rows.append(Row(f"t = {t}", np.atleast_1d(share), "result"))
    return rows


# ---------------------------------------------------------------- the GRU panel

def gru_rows(z_t, r_t, h_prev, x_t, W_h, b_h):
    """One GRU step from its gate values (lecture 000):

        h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h)      h_t = (1 - z_t) * h~_t + z_t * h_{t-1}
    """
    h_tilde = gru_candidate(W_h, h_prev, x_t, b_h, r_t)
    return [
        Row("z_t", as_float(z_t), "gate"),
        Row("r_t", as_float(r_t), "gate"),
        Row("h_{t-1}", as_float(h_prev)),
        Row("x_t", as_float(x_t)),
        Row("r_t * h_{t-1}", as_float(r_t) * as_float(h_prev)),
        Row("h~_t", h_tilde),
        Row("z_t * h_{t-1}", as_float(z_t) * as_float(h_prev)),
        Row("(1 - z_t) * h~_t", (1.0 - as_float(z_t)) * h_tilde),
        Row("h_t", gru_hidden_state(z_t, h_prev, h_tilde), "result"),
    ]


# ---------------------------------------------------------------- the sentence stepper

def sentence_rows(word_index, table=GATE_TABLE):
    """The cell after the words table[0..word_index], with one memory unit.

    Each word k writes C~_k = 1 (the lecture gives only the gates), so what word k left in
    C_t is i_k * f_{k+1} * ... * f_t: run cell_update with one slot per word.
    """
    shares, C_t = np.zeros(len(table)), np.zeros(1)
    for k, row in enumerate(table[: word_index + 1]):
        shares = lstm.cell_update(row.f_t, shares, row.i_t, np.eye(len(table))[k])
        C_t = lstm.cell_update(row.f_t, C_t, row.i_t, 1.0)  # = shares.sum(), up to rounding
    now = table[word_index]
    return [
        Row("f_t", np.array([now.f_t]), "gate"),
        Row("i_t", np.array([now.i_t]), "gate"),
        Row("o_t", np.array([now.o_t]), "gate"),
        Row("word in C_t", shares[: word_index + 1]),
        Row("C_t", C_t, "result"),
        Row("h_t", lstm.hidden_state(now.o_t, C_t), "result"),
    ]
