"""The ipywidgets layer: sliders wired to a pure render function (values -> HTML).

A SliderPanel holds one slider per (quantity, unit) and an HTML output; moving any slider
calls render({name: (n,) array}) and puts the result in the output. All the math is in
views.py, all the drawing in bars.py.
"""

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from .bars import notation


@dataclass(frozen=True)
class Slider:
    name: str  # key in the values dict
    label: str  # the lectures' notation, shown beside the slider
    low: float
    high: float
    step: float
    integer: bool = False


class SliderPanel(widgets.VBox):
    """Sliders (rows: quantities, columns: units) above an HTML output.

    panel.sliders[name][unit] is a slider, panel.output.value the drawn HTML.
    """

    def __init__(self, sliders, initial, render, title="", css_class="lstm-panel-widget"):
        self.render = render
        self.sliders = {}
        rows = []
        for spec in sliders:
            row = []
            for unit, value in enumerate(np.atleast_1d(initial[spec.name])):
                make = widgets.IntSlider if spec.integer else widgets.FloatSlider
                n_units = np.size(initial[spec.name])
                # plain text: ipywidgets strips <sub> from descriptions
                label = spec.label + ("" if n_units == 1 else f" [{unit + 1}]")
                slider = make(
                    value=value,
                    min=spec.low,
                    max=spec.high,
                    step=spec.step,
                    description=label,
                    continuous_update=True,
                    style={"description_width": "90px"},
                    layout=widgets.Layout(width="280px"),
                )
                if not spec.integer:
                    slider.readout_format = ".2f"
                slider.add_class(f"lstm-slider-{spec.name}-{unit}")
                slider.observe(self._changed, names="value")
                row.append(slider)
            self.sliders[spec.name] = row
            rows.append(widgets.HBox(row))
        self.output = widgets.HTML()
        self._holding = False
        header = [widgets.HTML(f"<b>{notation(title)}</b>")] if title else []
        super().__init__(header + rows + [self.output])
        self.add_class(css_class)  # so a browser test can find this panel among others
        self.redraw()

    def values(self):
        return {name: np.array([s.value for s in row]) for name, row in self.sliders.items()}

    def set_values(self, values):
        """Move several sliders at once and redraw once."""
        self._holding = True
        try:
            for name, vector in values.items():
                for slider, value in zip(self.sliders[name], np.atleast_1d(vector)):
                    slider.value = value
        finally:
            self._holding = False
        self.redraw()

    def redraw(self):
        self.output.value = self.render(self.values())

    def _changed(self, change):
        if not self._holding:
            self.redraw()
