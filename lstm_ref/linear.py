"""The affine map y = W . v + b that every cell is built from, forward and backward.

Vectors carry any leading batch dimensions: v (..., k), W (n, k), b (n,), y (..., n).
The parameter gradients sum over the batch, as the loss is a sum over the batch.
"""

import numpy as np


def affine(W, v, b=None):
    """W . v + b for v (..., k): shape (..., n)."""
    out = v @ W.T
    return out if b is None else out + b


def affine_backward(dout, W, v):
    """Gradients of y = W . v + b from dL/dy = dout (..., n): (dv (..., k), dW (n, k), db (n,))."""
    n, k = W.shape
    dv = dout @ W
    dW = dout.reshape(-1, n).T @ np.reshape(v, (-1, k))
    db = dout.reshape(-1, n).sum(axis=0)
    return dv, dW, db
