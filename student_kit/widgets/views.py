"""What the sliders show: pure functions from slider values to named rows of numbers.

No ipywidgets here, so every number a panel displays can be checked without a browser. Each
function returns a list of Row(name, values, kind); `name` is the lectures' notation (C~_t is
C-tilde, * is elementwise), `kind` says how to draw it: "gate" in [0, 1], "value" on the
panel's common scale, "result" a value drawn in bold. The arithmetic of one step is written out
in each function, as the slide shows it; presets and the lecture's table come from the
assignment's data (course_data.json).
"""

from dataclasses import dataclass

import numpy as np

from .. import data


@dataclass(frozen=True)
class Row:
    name: str
    values: np.ndarray
    kind: str = "value"  # "gate" | "value" | "result"


def _vector(value):
    return np.atleast_1d(np.asarray(value, dtype=np.float64))


# ---------------------------------------------------------------- the LSTM gate panel

PANEL_INPUTS = ("f_t", "C_prev", "i_t", "C_tilde", "o_t")  # the worked examples' input names
# What a preset leaves out: write nothing new (i_t = 0) and show the whole cell (o_t = 1), so
# C_t is exactly the lecture's f_t * C_{t-1} when the example is only about forgetting.
NEUTRAL = dict(f_t=1.0, C_prev=0.0, i_t=0.0, C_tilde=0.0, o_t=1.0)
# Start values without a preset (not a lecture's numbers: just something to move).
DEFAULT = dict(f_t=0.5, C_prev=1.0, i_t=0.5, C_tilde=0.5, o_t=0.5)
DISPLAY_NAMES = dict(f_t="f_t", C_prev="C_{t-1}", i_t="i_t", C_tilde="C~_t", o_t="o_t")


def lstm_step_rows(gates):
    """One LSTM cell step from the panel's values {f_t, C_prev, i_t, C_tilde, o_t}, each (n,):

    C_t = f_t * C_{t-1} + i_t * C~_t        h_t = o_t * tanh(C_t)
    """
    f, C_prev, i, C_tilde, o = (_vector(gates[name]) for name in PANEL_INPUTS)
    kept, written = f * C_prev, i * C_tilde
    C = kept + written
    squashed = np.tanh(C)
    return [
        Row("f_t", f, "gate"),
        Row("C_{t-1}", C_prev),
        Row("f_t * C_{t-1}", kept),
        Row("i_t", i, "gate"),
        Row("C~_t", C_tilde),
        Row("i_t * C~_t", written),
        Row("C_t", C, "result"),
        Row("o_t", o, "gate"),
        Row("tanh(C_t)", squashed),
        Row("h_t", o * squashed, "result"),
    ]


def gate_panel_rows(values, preactivations=False):
    """The panel's rows from its slider values {name: (n,)}.

    With preactivations=True the gate sliders are z_f, z_i, z_o and each gate is sigma(z).
    """
    if not preactivations:
        return lstm_step_rows(values)
    gates = dict(values)
    for g in "fio":
        gates[f"{g}_t"] = 1.0 / (1.0 + np.exp(-_vector(values[f"z_{g}"])))
    return [Row(f"z_{g}", _vector(values[f"z_{g}"])) for g in "fio"] + lstm_step_rows(gates)


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
    keys = LECTURE_PRESETS.get(preset, [preset])
    examples = data.section("examples")
    if not all(key in examples for key in keys):
        raise ValueError(
            f"Unknown preset {preset!r}: use a lecture number ({', '.join(LECTURE_PRESETS)}) "
            f"or a worked example of this assignment, e.g. {next(iter(examples), '000-forget-half')!r}."
        )
    given = {}
    for key in keys:
        example = examples[key]
        for name in PANEL_INPUTS:
            if name in example["inputs"]:
                given[name] = (_vector(example["inputs"][name]), example)
    if not given:
        raise ValueError(f"Preset {preset!r} gives none of f_t, C_{{t-1}}, i_t, C~_t, o_t.")
    n = len(next(iter(given.values()))[0])
    values = {name: np.full(n, NEUTRAL[name]) for name in PANEL_INPUTS}
    values.update({name: value.copy() for name, (value, _) in given.items()})
    where = sorted({f"lecture {ex['lecture']}, {ex['where']}" for _, ex in given.values()})
    missing = [f"{DISPLAY_NAMES[name]} = {NEUTRAL[name]:g}" for name in PANEL_INPUTS if name not in given]
    note = f"Preset from {'; '.join(where)}: {', '.join(DISPLAY_NAMES[name] for name in given)}."
    if missing:
        note += " Not in the example: " + ", ".join(missing) + "."
    return values, note


# ---------------------------------------------------------------- the conveyor belt


def conveyor_rows(forget, first_input, first_candidate, steps):
    """What is left at steps t = 1..steps of i_1 * C~_1, written into the cell at step 1.

    C_t is linear in what is written, so step 1's share moves along on its own:
        share_1 = i_1 * C~_1,    share_t = f_t * share_{t-1} = f_t^(t-1) * i_1 * C~_1.
    One Row per step, named "t = 1", "t = 2", ...
    """
    share = _vector(first_input) * _vector(first_candidate)
    rows = [Row("t = 1", share, "result")]
    for t in range(2, steps + 1):
        share = _vector(forget) * share  # step 1 writes nothing more
        rows.append(Row(f"t = {t}", share, "result"))
    return rows


# ---------------------------------------------------------------- the GRU panel


def gru_rows(z, r, h_prev, x, W_h, b_h):
    """One GRU step from its gate values (lecture 000):

    h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h)      h_t = (1 - z_t) * h~_t + z_t * h_{t-1}
    """
    z, r, h_prev, x = (_vector(v) for v in (z, r, h_prev, x))
    reset = r * h_prev
    h_tilde = np.tanh(np.asarray(W_h) @ np.concatenate([reset, x]) + np.asarray(b_h))
    kept, new = z * h_prev, (1.0 - z) * h_tilde
    return [
        Row("z_t", z, "gate"),
        Row("r_t", r, "gate"),
        Row("h_{t-1}", h_prev),
        Row("x_t", x),
        Row("r_t * h_{t-1}", reset),
        Row("h~_t", h_tilde),
        Row("z_t * h_{t-1}", kept),
        Row("(1 - z_t) * h~_t", new),
        Row("h_t", new + kept, "result"),
    ]


# ---------------------------------------------------------------- the sentence stepper


def sentence_rows(word_index, table):
    """The cell after the words table[0..word_index], with one memory unit.

    Each word k writes C~_k = 1 (the lecture gives only the gates), so what word k left in
    C_t is i_k * f_{k+1} * ... * f_t: one slot per word, each kept by every later f_t.
    """
    shares, C = np.zeros(len(table)), 0.0
    for k, row in enumerate(table[: word_index + 1]):
        shares = row["f_t"] * shares
        shares[k] += row["i_t"]
        C = row["f_t"] * C + row["i_t"]  # = shares.sum(), up to rounding
    now = table[word_index]
    return [
        Row("f_t", _vector(now["f_t"]), "gate"),
        Row("i_t", _vector(now["i_t"]), "gate"),
        Row("o_t", _vector(now["o_t"]), "gate"),
        Row("word in C_t", shares[: word_index + 1]),
        Row("C_t", _vector(C), "result"),
        Row("h_t", _vector(now["o_t"] * np.tanh(C)), "result"),
    ]
