"""Benchmark: time from a slider change to the redrawn output (prints, never asserts).

    python -m autograder.widget_bench

Headless: from setting slider.value in Python to the HTML output model holding the new
numbers (what the kernel does per slider move; the browser adds the websocket round trip and
the DOM update: tests/test_browser.py prints that time). Also prints what the slider cells
cost a notebook while nbgrader grades it (NBGRADER_EXECUTION set: a placeholder, no ipywidgets).
The target is 50 ms per redraw; each line prints its ratio to the target.
"""

import json
import os
import statistics
import subprocess
import sys
import time

from .course import NOTEBOOKS

TARGET_MS = 50.0
MOVES = 200


def _median_redraw_ms(panel, name, values):
    slider = panel.sliders[name][0]
    times = []
    for k in range(MOVES):
        before = panel.output.value
        start = time.perf_counter()
        slider.value = values[k % len(values)]
        times.append((time.perf_counter() - start) * 1e3)
        assert panel.output.value != before, "the slider change did not redraw"
    return statistics.median(times)


def _grading_cost_ms():
    """In a fresh interpreter, in the released forget_gate folder: the notebook's setup cell,
    then its two slider cells, while grading. Returns (setup ms, slider cells ms); the setup
    cell is the reference."""
    code = (
        "import time, IPython.display  # loaded in every kernel\n"
        "t0 = time.perf_counter()\n"
        "import numpy, student_kit  # the setup cell\n"
        "t1 = time.perf_counter()\n"
        "from student_kit.widgets import conveyor_belt, gate_panel\n"
        "gate_panel(preset='000-forget-half'); conveyor_belt()\n"
        "t2 = time.perf_counter()\n"
        "print((t1 - t0) * 1e3, (t2 - t1) * 1e3)"
    )
    env = dict(os.environ, NBGRADER_EXECUTION="autograde")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=NOTEBOOKS / "forget_gate"
    )
    return tuple(float(x) for x in out.stdout.split())


def _use_released_data():
    """The sliders read their presets from a released folder's data; here, this checkout's release."""
    from student_kit import data

    merged = {}
    for assignment_id in ("forget_gate", "input_gate"):
        for section, content in data.decode(
            json.loads((NOTEBOOKS / assignment_id / data.FILE_NAME).read_text())
        ).items():
            if isinstance(content, dict):
                merged.setdefault(section, {}).update(content)
    data.course_data = lambda: merged


def main():
    if not all((NOTEBOOKS / name).is_dir() for name in ("forget_gate", "input_gate")):
        raise SystemExit(f"{NOTEBOOKS} has no released forget_gate and input_gate: run `make release` first.")
    os.environ.pop("NBGRADER_EXECUTION", None)
    _use_released_data()
    from student_kit.widgets import conveyor_belt, gate_panel, gru_panel, sentence_stepper

    cases = [
        ("gate_panel: f_t [1]", gate_panel(preset="000-forget-half"), "f_t", [0.2, 0.8]),
        ("gate_panel(preactivations=True): z_f [1]", gate_panel(preactivations=True), "z_f", [-3.0, 3.0]),
        ("conveyor_belt: f_t (30 steps)", conveyor_belt(steps=30), "f_t", [0.5, 0.9]),
        ("gru_panel: z_t", gru_panel(), "z_t", [0.1, 0.9]),
        ("sentence_stepper: word", sentence_stepper(), "word", [1, 6]),
    ]
    print(f"slider change -> redrawn output, headless, median of {MOVES} moves (target {TARGET_MS:.0f} ms)")
    for label, panel, name, values in cases:
        ms = _median_redraw_ms(panel, name, values)
        print(f"  {label:42s} {ms:7.3f} ms   {ms / TARGET_MS:.4f} x target")
    setup_ms, sliders_ms = _grading_cost_ms()
    print(
        f"while grading (NBGRADER_EXECUTION): forget_gate's two slider cells {sliders_ms:.1f} ms, "
        f"its setup cell {setup_ms:.1f} ms: {sliders_ms / setup_ms:.3f} x the setup cell"
    )


if __name__ == "__main__":
    main()
