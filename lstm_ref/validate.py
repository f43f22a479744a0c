"""Input checks that fail early with a message naming the expected and the received shape."""
import numpy as np


def check_last_dim(name, value, expected):
    """Raise ValueError unless value's last dimension is `expected`."""
    shape = np.shape(value)
    if len(shape) == 0 or shape[-1] != expected:
        raise ValueError(
            f"{name} should have shape (..., {expected}), got shape {shape}. "
            f"Check that the sizes of the weights and of the vectors agree."
        )


def check_finite(name, value):
    """Raise ValueError if value holds NaN or inf."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} contains NaN or inf; the LSTM needs finite inputs.")
