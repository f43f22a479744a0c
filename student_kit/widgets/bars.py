"""Rows of numbers as plain-HTML bar charts, with the numbers written on the bars.

Plain HTML, no matplotlib: a redraw builds one string and draws no figure, and every number
sits in the page as text: <span class="lstm-value" data-name="C_t" data-unit="0" data-value="2.5">,
where data-value is repr(float), so a test reads back exactly what was computed.
"""

import html
import re

import numpy as np

TRACK_PX = 120  # width of one unit's bar track
COLORS = {"gate": "#7b61c4", "value": "#3d85c6", "result": "#e69138", "negative": "#cc4125"}


def notation(name):
    """ASCII lecture notation to HTML: C~_t -> C&#771;<sub>t</sub>, C_{t-1} -> C<sub>t-1</sub>."""
    text = html.escape(name).replace("~", "\u0303").replace("*", "\u2299")
    text = re.sub(r"_\{([^}]*)\}", r"<sub>\1</sub>", text)
    return re.sub(r"_(\w)", r"<sub>\1</sub>", text)


def number(value):
    """Four significant digits: 0.002473, 2.5, 175."""
    return f"{value:.4g}"


def _bar(name, unit, value, kind, scale):
    value = float(value)
    color = COLORS["negative"] if value < 0 and kind != "gate" else COLORS[kind]
    half = TRACK_PX / 2
    if kind == "gate":  # a gate fills from the left: 0 = shut, 1 = open
        left, width = 0.0, TRACK_PX * min(max(value, 0.0), 1.0)
    else:  # a value grows from the middle, right if positive, left if negative
        width = half * min(abs(value) / scale, 1.0)
        left = half if value >= 0 else half - width
    weight = "bold" if kind == "result" else "normal"
    return (
        f'<div style="position:relative;display:inline-block;width:{TRACK_PX}px;height:20px;'
        f'margin-right:6px;background:#f3f3f3;border-radius:3px">'
        f'<div style="position:absolute;left:{left:.1f}px;width:{width:.1f}px;top:0;bottom:0;'
        f'background:{color};opacity:0.55;border-radius:3px"></div>'
        f'<span class="lstm-value" data-name="{html.escape(name)}" data-unit="{unit}" '
        f'data-value="{value!r}" style="position:relative;font:{weight} 12px monospace;'
        f'padding-left:4px;line-height:20px">{number(value)}</span></div>'
    )


def rows_html(rows, caption=""):
    """One line per Row: its name in the lectures' notation, then one bar per unit."""
    values = [np.abs(r.values) for r in rows if r.kind != "gate"]
    scale = max([1.0] + [float(v.max()) for v in values if v.size])
    lines = [
        f'<div class="lstm-caption" style="font-size:12px;margin-bottom:4px">{notation(caption)}</div>'
        if caption
        else ""
    ]
    for row in rows:
        bars = "".join(_bar(row.name, unit, v, row.kind, scale) for unit, v in enumerate(row.values))
        lines.append(
            f'<div class="lstm-row" style="white-space:nowrap;margin:2px 0">'
            f'<span style="display:inline-block;width:110px;font:13px serif">{notation(row.name)}</span>'
            f"{bars}</div>"
        )
    return '<div class="lstm-panel">' + "".join(lines) + "</div>"
