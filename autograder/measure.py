"""Measurements the notebooks quote, taken on purpose and kept as data: each assignment's measure.py
declares them, `python -m autograder measure` takes them (PyTorch, a minute) and writes its
measured.json, to be committed; release and the facts only read that file.

    measure(assignment)                    # take its measurements, keep them in measured.json
    differences(measured, kept, fresh)     # where a fresh measurement disagrees with the kept one

A fresh measurement agrees with the kept one when every number is within the measurement's
tolerance (another CPU picks other BLAS and PyTorch kernels: the last bits differ), every other
value is equal, and a timed field (seconds on the machine that measured) is a positive number.
"""

from numbers import Number
from typing import Any

import numpy as np

from assignments.declare import Measured, Measurement

from .course import Assignment


def measure(assignment: Assignment) -> dict[str, Any]:
    """Take the assignment's measurements and keep them in its measured.json; {} if it has none."""
    if assignment.measured is None:
        return {}
    values = assignment.measured.measure()
    assignment.measured.write(values)
    return values


def differences(measured: Measured, kept: dict[str, Any], fresh: dict[str, Any]) -> list[str]:
    """Where `fresh` disagrees with `kept` beyond each measurement's tolerance: [] if nowhere."""
    found = []
    for key, measurement in measured.measurements.items():
        if key not in fresh:
            continue
        if key not in kept:
            found.append(f"{key}: not kept in {measured.path.name}")
            continue
        found += _compare(measurement, kept[key], fresh[key], key)
    return found


def _compare(measurement: Measurement, kept: Any, fresh: Any, where: str) -> list[str]:
    if isinstance(fresh, dict):
        if not isinstance(kept, dict) or kept.keys() != fresh.keys():
            return [f"{where}: kept {_keys(kept)}, measured {_keys(fresh)}"]
        found = []
        for name, value in fresh.items():
            if name in measurement.timed:
                if not (isinstance(kept[name], Number) and kept[name] > 0):
                    found.append(f"{where}/{name}: a timing should be a positive number, kept {kept[name]!r}")
                continue
            found += _compare(measurement, kept[name], value, f"{where}/{name}")
        return found
    if isinstance(fresh, list | tuple) and not _numeric(fresh):
        if not isinstance(kept, list | tuple) or len(kept) != len(fresh):
            return [
                f"{where}: kept {len(kept) if isinstance(kept, list | tuple) else kept!r} items, measured {len(fresh)}"
            ]
        return [
            f
            for k, (a, b) in enumerate(zip(kept, fresh, strict=True))
            for f in _compare(measurement, a, b, f"{where}[{k}]")
        ]
    if _numeric(fresh):
        try:
            kept_array, fresh_array = np.asarray(kept, dtype=np.float64), np.asarray(fresh, dtype=np.float64)
        except (TypeError, ValueError):
            return [f"{where}: kept {kept!r}, not numbers"]
        if kept_array.shape != fresh_array.shape:
            return [f"{where}: kept shape {kept_array.shape}, measured {fresh_array.shape}"]
        close = np.isclose(kept_array, fresh_array, rtol=measurement.rtol, atol=measurement.atol)
        if not close.all():
            worst = np.unravel_index(np.argmax(np.abs(kept_array - fresh_array)), kept_array.shape)
            return [
                f"{where}: {int((~close).sum())} of {close.size} numbers differ beyond rtol {measurement.rtol:g}, "
                f"atol {measurement.atol:g}; e.g. kept {kept_array[worst]!r}, measured {fresh_array[worst]!r}"
            ]
        return []
    return [] if kept == fresh else [f"{where}: kept {kept!r}, measured {fresh!r}"]


def _numeric(value: Any) -> bool:
    """A number, an array of numbers, or a list of numbers (not booleans, not strings)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, Number | np.ndarray):
        return True
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, Number) and not isinstance(v, bool) for v in value)
    )


def _keys(value: Any) -> str:
    return str(sorted(value)) if isinstance(value, dict) else repr(type(value).__name__)
