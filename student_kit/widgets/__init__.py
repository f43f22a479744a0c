"""Gate sliders for the notebooks: move the gates, watch the memory change.

    gate_panel(preset=None)   f_t, i_t, o_t, C_{t-1}, C~_t per unit -> C_t and h_t, live
    conveyor_belt()           how much of what step 1 wrote is still in C_t at step t
    gru_panel()               z_t, r_t, h_{t-1}, x_t -> h~_t and h_t
    sentence_stepper()        lecture 001's "The cat was hungry. The dog was sleeping."

Each returns an ipywidget to display (the last line of a cell). The numbers are computed in
views.py, the bars are plain HTML (bars.py), the sliders are wired in panels.py.

While nbgrader grades or validates a notebook (NBGRADER_EXECUTION is set) each function
returns a one-line placeholder instead, without importing ipywidgets: the sliders are not
graded and must cost the autograder nothing.
"""

import html
import os

import numpy as np

from ..data import lookup
from . import views
from .bars import rows_html

GRADING_NOTE = "Interactive {what}: not shown while nbgrader grades this notebook."


def grading():
    """True while nbgrader autogrades or validates (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _placeholder(what):
    from IPython.display import HTML  # IPython is loaded in every kernel already

    return HTML(f"<i>{GRADING_NOTE.format(what=what)}</i>")


def gate_panel(preset=None, n_units=3, preactivations=False):
    """Sliders for f_t, i_t, o_t (or their pre-activations z_f, z_i, z_o), C_{t-1}, C~_t.

    preset: a worked example's key ("000-forget-half") or a lecture number ("004"); the
    sliders start at that example's numbers (see views.preset_values). n_units is used only
    without a preset. Shows f_t * C_{t-1}, i_t * C~_t, C_t, tanh(C_t) and h_t as bars.
    """
    if grading():
        return _placeholder("LSTM gate panel")
    from .panels import Slider, SliderPanel

    initial, note = views.preset_values(preset, n_units)
    gates = [("f_t", "f_t"), ("i_t", "i_t"), ("o_t", "o_t")]
    if preactivations:  # the slider is z, the gate is sigma(z)
        gates = [(f"z_{g[0]}", f"z_{g[0]}") for g, _ in gates]
        for g in "fio":
            p = np.clip(initial.pop(f"{g}_t"), 1e-6, 1 - 1e-6)
            initial[f"z_{g}"] = np.log(p / (1 - p))
        note += " Gate sliders are pre-activations z; each gate is sigma(z)."
    specs = [
        Slider(name, label, -10, 10, 0.1) if preactivations else Slider(name, label, 0, 1, 0.01)
        for name, label in gates
    ]
    specs[1:1] = [Slider("C_prev", "C_{t-1}", -10, 10, 0.1)]
    specs[3:3] = [Slider("C_tilde", "C~_t", -1, 1, 0.01)]

    def render(values):
        return rows_html(views.gate_panel_rows(values, preactivations), caption=note)

    return SliderPanel(
        specs,
        initial,
        render,
        title="LSTM cell: C_t = f_t * C_{t-1} + i_t * C~_t,  h_t = o_t * tanh(C_t)",
        css_class="lstm-gate-panel",
    )


def conveyor_belt(f_t=0.9, i_1=1.0, C_tilde_1=1.0, steps=10):
    """The cell state as a conveyor belt: step 1 writes i_1 * C~_1, every later step keeps
    f_t of it (the same forget gate each step) and writes nothing of its own into that share."""
    if grading():
        return _placeholder("conveyor belt")
    from .panels import Slider, SliderPanel

    specs = [
        Slider("f_t", "f_t", 0, 1, 0.01),
        Slider("i_1", "i_1", 0, 1, 0.01),
        Slider("C_tilde_1", "C~_1", -1, 1, 0.01),
        Slider("steps", "steps", 1, 30, 1, integer=True),
    ]
    initial = dict(f_t=f_t, i_1=i_1, C_tilde_1=C_tilde_1, steps=steps)

    def render(values):
        f, steps = float(values["f_t"][0]), int(values["steps"][0])
        rows = views.conveyor_rows(f, values["i_1"][0], values["C_tilde_1"][0], steps)
        caption = (
            f"Of i_1 * C~_1 written at step 1, f_t^(t-1) is left at step t: "
            f"after {steps} steps, {f:.2f}^{steps - 1} = {f ** (steps - 1):.4g}."
        )
        return rows_html(rows, caption=caption)

    return SliderPanel(
        specs,
        initial,
        render,
        title="Conveyor belt: C_t = f_t * C_{t-1} + i_t * C~_t, step after step",
        css_class="lstm-conveyor-belt",
    )


def gru_panel(W_h=None, b_h=None):
    """Sliders for z_t, r_t, h_{t-1} and x_t of a one-unit GRU with candidate weights
    W_h (1, 2) acting on [r_t * h_{t-1}, x_t] (default [[1, 1]]) and bias b_h (default 0)."""
    if grading():
        return _placeholder("GRU panel")
    from .panels import Slider, SliderPanel

    W_h = np.array([[1.0, 1.0]]) if W_h is None else np.asarray(W_h, dtype=np.float64)
    b_h = np.zeros(1) if b_h is None else np.asarray(b_h, dtype=np.float64)
    specs = [
        Slider("z_t", "z_t", 0, 1, 0.01),
        Slider("r_t", "r_t", 0, 1, 0.01),
        Slider("h_prev", "h_{t-1}", -1, 1, 0.01),
        Slider("x_t", "x_t", -3, 3, 0.1),
    ]
    initial = dict(z_t=0.5, r_t=0.5, h_prev=0.8, x_t=0.0)
    caption = f"W_h = {W_h.tolist()} on [r_t * h_{{t-1}}, x_t], b_h = {b_h.tolist()}"

    def render(values):
        rows = views.gru_rows(values["z_t"], values["r_t"], values["h_prev"], values["x_t"], W_h, b_h)
        return rows_html(rows, caption=caption)

    return SliderPanel(
        specs,
        initial,
        render,
        title="GRU: h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h),  h_t = (1 - z_t) * h~_t + z_t * h_{t-1}",
        css_class="lstm-gru-panel",
    )


def sentence_html(word_index, sentence=None):
    """The sentence with the current word marked, the lecture's gates and what C_t holds."""
    sentence = sentence or lookup("given", "001-sentence", "given data")
    table = sentence["table"]
    words = []
    for k, word in enumerate(sentence["words"]):
        style = "background:#ffe599;font-weight:bold" if k == word_index else "color:#999" if k >= len(table) else ""
        words.append(f'<span style="{style}">{html.escape(word)}</span>')
    now = table[word_index]
    caption = (
        f"Lecture {sentence['lecture']}, {sentence['where']}: at \u201c{now['word']}\u201d the "
        f"lecture says {now['why']}; the cell holds {now['cell']}. One memory unit; each word "
        f"writes C~_t = 1 (the lecture gives only the gates). Grey words: no gates in the lecture."
    )
    rows = views.sentence_rows(word_index, table)
    shares = rows[3].values
    labels = "".join(
        '<span style="display:inline-block;width:126px;font:11px monospace">'
        f"{k + 1}. {html.escape(table[k]['word'])}</span>"
        for k in range(len(shares))
    )
    return (
        f'<div style="font-size:15px;margin:4px 0">{" ".join(words)}</div>'
        + rows_html(rows, caption=caption)
        + f'<div style="margin-left:110px">{labels}</div>'
    )


def sentence_stepper():
    """Step through lecture 001's sentence word by word (the slider or the arrow keys)."""
    if grading():
        return _placeholder("sentence stepper")
    from .panels import Slider, SliderPanel

    sentence = lookup("given", "001-sentence", "given data")
    specs = [Slider("word", "word", 0, len(sentence["table"]) - 1, 1, integer=True)]
    return SliderPanel(
        specs,
        dict(word=0),
        lambda values: sentence_html(int(values["word"][0]), sentence),
        title=f"\u201c{sentence['sentence']}\u201d",
        css_class="lstm-sentence-stepper",
    )


__all__ = ["gate_panel", "conveyor_belt", "gru_panel", "sentence_stepper", "grading"]
