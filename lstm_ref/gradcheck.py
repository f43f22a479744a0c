"""Centred finite differences, to check any backward pass against its forward.

    df/dx_k ~ (f(x + eps e_k) - f(x - eps e_k)) / (2 eps)        error O(eps^2)

A forward that returns an array `out` is turned into the scalar L = sum(out * dout), so
the numerical gradient of L is what a backward given `dout` must return. Use float64:
with float32 the rounding error of f swamps the difference for any useful eps.

    from lstm_ref.gradcheck import numerical_gradient, relative_error
    num = numerical_gradient(lambda: rnn_cell_forward(x, h, params)[0], x, dout)
    assert relative_error(dx, num) < 1e-7
"""

from collections.abc import Callable

import numpy as np

from .types import Array, ArrayLike


def numerical_gradient(
    f: Callable[[Array], ArrayLike], x: ArrayLike, dout: ArrayLike | None = None, eps: float = 1e-6
) -> Array:
    """d sum(f() * dout) / dx by centred differences; x (float64 array) is nudged in place.

    f takes no arguments and reads x (a closure), so any input or parameter of a forward
    can be checked without rewriting it. x is restored exactly after each nudge.
    dout defaults to ones (then L = sum(f())).
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        raise ValueError(
            f"x should be a float64 numpy array (nudged in place), got "
            f"{type(x).__name__} of dtype {getattr(x, 'dtype', None)}."
        )
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        plus = _scalar(f(), dout)
        x[index] = saved - eps
        minus = _scalar(f(), dout)
        x[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def grad_check(f: Callable[[Array], ArrayLike], x: ArrayLike, df: ArrayLike, eps: float = 1e-5) -> Array:
    """d sum(f(x) * df) / dx by centred differences: the bptt notebook's graded grad_check,
    with f a function of x (a float64 copy of x is nudged; x itself is left alone)."""
    nudged = np.array(x, dtype=np.float64)
    return numerical_gradient(lambda: f(nudged), nudged, df, eps=eps)


def _scalar(out, dout):
    out = np.asarray(out, dtype=np.float64)
    if dout is None:
        return float(out.sum())
    if np.shape(dout) != out.shape:
        raise ValueError(f"dout should have the shape of f()'s output, {out.shape}, got shape {np.shape(dout)}.")
    return float(np.sum(out * dout))


def relative_error(analytic: ArrayLike, numerical: ArrayLike) -> float:
    """||a - n|| / max(||a|| + ||n||, 1e-12): below ~1e-7 means the backward is right.

    Norms of the whole array, not elementwise ratios, so an entry whose true gradient is
    nearly zero cannot make a right backward look wrong.
    """
    analytic, numerical = np.asarray(analytic, np.float64), np.asarray(numerical, np.float64)
    if analytic.shape != numerical.shape:
        raise ValueError(f"the analytic gradient should have shape {numerical.shape}, got shape {analytic.shape}.")
    if analytic.size == 0:
        return 0.0
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numerical), 1e-12)
    return float(np.linalg.norm(analytic - numerical) / scale)
