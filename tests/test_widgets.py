"""The gate sliders without a browser: moving a slider redraws exactly what lstm_ref computes.

The sliders run on a student's machine (student_kit.widgets) from the released data; lstm_ref
checks them here."""

import os
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

import lstm_ref
from assignments.lectures import GATE_TABLE
from autograder.course import examples
from student_kit import widgets

EXAMPLES = examples()


class _Values(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "lstm-value" in attrs.get("class", ""):
            self.values.setdefault(attrs["data-name"], {})[int(attrs["data-unit"])] = float(attrs["data-value"])


def shown(panel):
    """{row name: vector} as written in the panel's HTML right now."""
    parser = _Values()
    parser.feed(panel.output.value)
    return {name: np.array([units[k] for k in sorted(units)]) for name, units in parser.values.items()}


def slider_values(panel):
    return {name: np.array([s.value for s in row]) for name, row in panel.sliders.items()}


@pytest.fixture(autouse=True)
def not_grading(monkeypatch, kit_data):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    kit_data("forget_gate", "input_gate", "output_gate")  # the notebooks with sliders


def test_moving_a_gate_slider_redraws_C_t_and_h_t_exactly():
    panel = widgets.gate_panel(preset="000-forget-half")
    before = shown(panel)["C_t"].copy()
    panel.sliders["f_t"][0].value = 0.83
    panel.sliders["i_t"][2].value = 0.4
    panel.sliders["C_tilde"][2].value = -0.7
    panel.sliders["o_t"][1].value = 0.25
    v = slider_values(panel)
    C_t = lstm_ref.cell_update(v["f_t"], v["C_prev"], v["i_t"], v["C_tilde"])
    now = shown(panel)
    assert not np.array_equal(now["C_t"], before)
    assert now["C_t"].tolist() == C_t.tolist()
    assert now["h_t"].tolist() == lstm_ref.hidden_state(v["o_t"], C_t).tolist()
    assert now["f_t"][0] == 0.83 and now["C~_t"][2] == -0.7
    assert now["f_t * C_{t-1}"].tolist() == lstm_ref.forget(v["f_t"], v["C_prev"]).tolist()


@pytest.mark.parametrize("example", ["000-forget-half", "000-forget-zero", "004-forget-apply"])
def test_presets_start_at_the_lectures_numbers(example):
    """With nothing written (i_t = 0), C_t is the example's f_t * C_{t-1}."""
    panel = widgets.gate_panel(preset=example)
    inputs = EXAMPLES[example].inputs
    assert slider_values(panel)["C_prev"].tolist() == inputs["C_prev"].tolist()
    assert shown(panel)["f_t"].tolist() == inputs["f_t"].tolist()
    assert shown(panel)["C_t"].tolist() == EXAMPLES[example].exact.tolist()
    assert "lecture " + EXAMPLES[example].lecture in panel.output.value


def test_a_lecture_preset_shows_its_whole_cell_update():
    """Preset "004": lecture 004's f_t, C_{t-1}, i_t, C~_t and o_t together, so C_t is its update."""
    panel = widgets.gate_panel(preset="004")
    update = EXAMPLES["004-cell-update-sigmoid"]
    for name in ("f_t", "C_prev", "i_t", "C_tilde"):
        assert slider_values(panel)[name].tolist() == update.inputs[name].tolist(), name
    assert shown(panel)["C_t"].tolist() == update.exact.tolist()
    o_t = EXAMPLES["004-hidden-state"].inputs["o_t"]
    assert shown(panel)["h_t"].tolist() == lstm_ref.hidden_state(o_t, update.exact).tolist()


def test_preactivation_sliders_go_through_the_sigmoid():
    panel = widgets.gate_panel(preactivations=True)
    panel.sliders["z_f"][1].value = -2.5
    v = slider_values(panel)
    f_t = lstm_ref.sigmoid(v["z_f"])
    np.testing.assert_allclose(shown(panel)["f_t"], f_t, rtol=1e-14)
    assert shown(panel)["f_t"][1] == pytest.approx(1 / (1 + np.exp(2.5)), abs=1e-15)
    C_t = lstm_ref.cell_update(f_t, v["C_prev"], lstm_ref.sigmoid(v["z_i"]), v["C_tilde"])
    np.testing.assert_allclose(shown(panel)["C_t"], C_t, rtol=1e-14)


def test_unknown_preset_says_what_to_use():
    with pytest.raises(ValueError, match="lecture number"):
        widgets.gate_panel(preset="005")


def test_conveyor_belt_shows_f_t_to_the_power_t_minus_1():
    belt = widgets.conveyor_belt()
    belt.sliders["f_t"][0].value = 0.5
    belt.sliders["i_1"][0].value = 0.8
    belt.sliders["C_tilde_1"][0].value = -0.5
    belt.sliders["steps"][0].value = 6
    rows = shown(belt)
    assert list(rows) == [f"t = {t}" for t in range(1, 7)]
    for t in range(1, 7):  # by hand: 0.5^(t-1) * 0.8 * -0.5
        assert rows[f"t = {t}"][0] == pytest.approx(0.5 ** (t - 1) * 0.8 * -0.5, abs=1e-15)
    assert "0.50^5 = 0.03125" in belt.output.value


def test_gru_panel_follows_the_lectures_equations():
    panel = widgets.gru_panel()
    for name, value in dict(z_t=0.3, r_t=0.2, h_prev=-0.6, x_t=1.5).items():
        panel.sliders[name][0].value = value
    # Lecture 000: h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h), W_h = [1, 1], b_h = 0.
    h_tilde = np.tanh(0.2 * -0.6 + 1.5)
    h_t = (1 - 0.3) * h_tilde + 0.3 * -0.6
    assert shown(panel)["h~_t"][0] == pytest.approx(h_tilde, abs=1e-15)
    assert shown(panel)["h_t"][0] == pytest.approx(h_t, abs=1e-15)


def test_sentence_stepper_shows_the_lectures_gates_and_the_fading_cat():
    stepper = widgets.sentence_stepper()
    stepper.sliders["word"][0].value = 5  # the second "The", right after "."
    rows = shown(stepper)
    row = GATE_TABLE[5]
    assert (row.word, rows["f_t"][0], rows["i_t"][0], rows["o_t"][0]) == ("The", row.f_t, row.i_t, row.o_t)
    # by hand, one unit, each word writes 1: C_t = f_t C_{t-1} + i_t
    C_t = 0.0
    for r in GATE_TABLE[:6]:
        C_t = r.f_t * C_t + r.i_t
    assert rows["C_t"][0] == pytest.approx(C_t, abs=1e-12)
    assert rows["h_t"][0] == pytest.approx(row.o_t * np.tanh(C_t), abs=1e-12)
    # what "cat" (word 2) wrote is i * f(was) f(hungry) f(.) f(The)
    assert rows["word in C_t"][1] == pytest.approx(0.9 * 0.9 * 0.8 * 0.3 * 0.1, abs=1e-12)
    assert "clear old" in stepper.output.value


@pytest.mark.parametrize("name", ["gate_panel", "conveyor_belt", "gru_panel", "sentence_stepper"])
def test_while_grading_every_panel_is_a_cheap_placeholder(name, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown_instead = getattr(widgets, name)()
    assert "not shown while nbgrader grades" in shown_instead._repr_html_()
    assert not hasattr(shown_instead, "sliders")


def test_grading_never_imports_ipywidgets():
    """Autograding a notebook with slider cells must not pay for ipywidgets."""
    code = (
        "import sys; from student_kit.widgets import *\n"
        "for f in (gate_panel, conveyor_belt, gru_panel, sentence_stepper): f()\n"
        "print('ipywidgets' in sys.modules)"
    )
    env = dict(os.environ, NBGRADER_EXECUTION="validate")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_notation_in_labels():
    from student_kit.widgets.bars import notation

    assert notation("C~_t") == "C\u0303<sub>t</sub>"
    assert notation("f_t * C_{t-1}") == "f<sub>t</sub> \u2299 C<sub>t-1</sub>"
