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


def check_shape(name, value, expected):
    """Raise ValueError unless np.shape(value) == expected (a tuple of ints)."""
    shape = np.shape(value)
    if shape != tuple(expected):
        raise ValueError(f"{name} should have shape {tuple(expected)}, got shape {shape}.")


def check_finite(name, value):
    """Raise ValueError if value holds NaN or inf."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} contains NaN or inf; the LSTM needs finite inputs.")


def check_sequence(x, n_inputs, batch_first=False):
    """x must be (T, B, m) (or (B, T, m) with batch_first) with T >= 1, B >= 1 and m = n_inputs.

    Returns (T, B) in time-major order.
    """
    layout = "(B, T, m)" if batch_first else "(T, B, m)"
    shape = np.shape(x)
    if len(shape) != 3 or shape[-1] != n_inputs or 0 in shape:
        sizes = layout.replace("m", str(n_inputs))
        raise ValueError(
            f"x should have shape {layout} = {sizes} with T >= 1 and B >= 1, got shape {shape}. "
            "A single sequence needs a batch axis of size 1: x[:, None, :]."
        )
    check_finite("x", x)
    return (shape[1], shape[0]) if batch_first else (shape[0], shape[1])


def check_params(params, shapes):
    """Every params[name] exists with shape shapes[name]."""
    for name, expected in shapes.items():
        if name not in params:
            raise ValueError(f"params is missing {name!r} (expected shape {tuple(expected)}); it has {sorted(params)}.")
        check_shape(f"params[{name!r}]", params[name], expected)
        check_finite(f"params[{name!r}]", params[name])


def initial_state(name, value, batch, n, dtype):
    """A given initial state (B, n), checked; zeros when None."""
    if value is None:
        return np.zeros((batch, n), dtype=dtype)
    value = np.asarray(value)
    value = value if value.dtype.kind == "f" else value.astype(np.float64)
    if np.shape(value) != (batch, n):
        raise ValueError(f"{name} should have shape (B, n) = ({batch}, {n}), got shape {np.shape(value)}.")
    check_finite(name, value)
    return value


def check_gradient_shape(name, value, expected):
    """An upstream gradient must have the shape of the forward output it belongs to."""
    if np.shape(value) != tuple(expected):
        raise ValueError(
            f"{name} should have shape {tuple(expected)} (that of the forward output), got shape {np.shape(value)}."
        )
    check_finite(name, value)


def time_major_gradient(dh_all, h_all, batch_first):
    """dL/dh_all checked against h_all (stored time-major (T, B, n)), returned time-major."""
    expected = h_all.swapaxes(0, 1).shape if batch_first else h_all.shape
    check_gradient_shape("dh_all", dh_all, expected)
    dh_all = np.asarray(dh_all, dtype=h_all.dtype)
    return dh_all.swapaxes(0, 1) if batch_first else dh_all


def final_state_gradient(name, value, state):
    """dL/d(final state) checked against the state (B, n); zeros when None."""
    if value is None:
        return np.zeros_like(state)
    check_gradient_shape(name, value, state.shape)
    return np.array(value, dtype=state.dtype)
