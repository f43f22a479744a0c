"""Gradient clipping and two optimizers (SGD, Adam), numpy, for params and grads as dicts.

Clipping by the global norm: if ||g|| = sqrt(sum over all arrays of sum g^2) exceeds max_norm,
every gradient is scaled by max_norm / ||g||, so the step keeps its direction and an exploding
RNN gradient cannot throw the weights away in one update.

Adam (Kingma & Ba 2015), per parameter array, with s the step number (1, 2, ...):

    m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
    w <- w - lr * (m / (1 - beta1^s)) / (sqrt(v / (1 - beta2^s)) + eps)
"""

import numpy as np


def global_norm(grads):
    """sqrt(sum of every gradient's squares)."""
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads.values())))


def clip_by_global_norm(grads, max_norm):
    """(clipped grads, the norm before clipping); grads is left unchanged."""
    norm = global_norm(grads)
    scale = min(1.0, max_norm / (norm + 1e-12))
    return {name: g * scale for name, g in grads.items()}, norm


class Adam:
    """adam = Adam(params, lr); adam.step(params, grads) updates params in place."""

    def __init__(self, params, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = {name: np.zeros_like(w) for name, w in params.items()}
        self.v = {name: np.zeros_like(w) for name, w in params.items()}
        self.steps = 0

    def step(self, params, grads):
        self.steps += 1
        correct1, correct2 = 1 - self.beta1**self.steps, 1 - self.beta2**self.steps
        for name, g in grads.items():
            m, v = self.m[name], self.v[name]
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * np.square(g)
            params[name] -= self.lr * (m / correct1) / (np.sqrt(v / correct2) + self.eps)
