"""The types of lstm_ref's interface: arrays in, float64 arrays out, parameters by name."""

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.floating]  # what every function returns: float64 (float32 stays float32)
Params = dict[str, Array]  # {"W_f": (n, n + m), "b_f": (n,), ...}: the lectures' names
Cache = dict[str, Any]  # what a forward keeps for its backward
Seed = np.random.Generator | int | None

__all__ = ["Array", "ArrayLike", "Cache", "Params", "Seed"]
