"""The two squashing functions of the lectures, and their derivatives.

sigma(z) = 1 / (1 + exp(-z)) squashes into (0, 1): it is every gate (f_t, i_t, o_t; z_t, r_t).
tanh(z) squashes into (-1, 1): it makes the candidate C~_t and reads the cell in h_t.
"""

import numpy as np

from .types import Array, ArrayLike


def as_float(a):
    """a as a float array: float32 and float64 stay as they are, integers become float64."""
    a = np.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def sigmoid(z: ArrayLike) -> Array:
    """sigma(z) = 1 / (1 + exp(-z)), elementwise, without overflow for large |z|.

    exp(-z) overflows for z < -709, so we only ever exponentiate -|z|:
    sigma(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0, with e = exp(-|z|).
    """
    z = as_float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_inplace(a):
    """a <- sigma(a), in place, for the sequence loops: sigma(a) = (1 + tanh(a / 2)) / 2.

    Exact, cannot overflow, and four passes over a without a temporary array.
    """
    a *= 0.5
    np.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def tanh(z: ArrayLike) -> Array:
    """tanh(z), elementwise."""
    return np.tanh(as_float(z))


def sigmoid_grad_from_output(s: ArrayLike) -> Array:
    """d sigma / dz written with s = sigma(z): s (1 - s)."""
    return s * (1.0 - s)


def tanh_grad_from_output(t: ArrayLike) -> Array:
    """d tanh / dz written with t = tanh(z): 1 - t^2."""
    return 1.0 - t * t
