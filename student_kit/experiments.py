"""Measurements the notebooks show but do not grade: gradient norm against lag with torch
autograd, the memory-span experiment, and the GRU-vs-LSTM table (parameters, time per step).

Everything is seeded and small. The notebooks show the results the course measured and keeps
(`python -m autograder measure` takes them again); a student with PyTorch can rerun any of it.
torch is imported inside the functions, so importing this module is free.

The memory-span task ("remember the first symbol", lecture 001's "The cat ... was" reduced to
its core): a sequence of `lag` steps whose first input carries a bit (+1 or -1) and whose other
inputs are noise; after the last step the network must say what the first bit was. Chance is
50 %; a network that learns it carries one bit across `lag` steps.
"""

import time

import numpy as np

MODELS = ("RNN", "LSTM", "GRU")


def _torch(threads=1):
    import torch

    torch.set_num_threads(threads)  # tiny models: a second thread costs more than it saves
    return torch


def recurrent_layer(kind: str, n_inputs: int, n_hidden: int, forget_bias: float | None = None, seed: int = 0):
    """A seeded torch.nn.RNN (tanh) / LSTM / GRU layer with PyTorch's default initialisation.

    forget_bias (LSTM only): set b_f (bias_ih + bias_hh of the forget gate) to this value;
    PyTorch's default draws it near 0.
    """
    torch = _torch()
    torch.manual_seed(seed)
    layer = getattr(torch.nn, kind)(n_inputs, n_hidden)
    if forget_bias is not None:
        if kind != "LSTM":
            raise ValueError(f"forget_bias is an LSTM setting; {kind} has no forget gate.")
        with torch.no_grad():  # torch's gate order is i, f, g, o: rows n..2n are the forget gate
            layer.bias_ih_l0[n_hidden : 2 * n_hidden] = forget_bias
            layer.bias_hh_l0[n_hidden : 2 * n_hidden] = 0.0
    return layer


def gradient_norm_by_lag(
    kind: str, steps: int = 100, n_hidden: int = 32, n_inputs: int = 8, forget_bias: float | None = None, seed: int = 0
) -> np.ndarray:
    """||dh_T / dh_{T-lag}|| (spectral norm) for lag = 1..steps-1, on random inputs, by autograd.

    For the LSTM, h_{T-lag} is the hidden state; its gradient reaches h_T through the cell
    states C_t as well, so this is the whole gradient, not only the cell-state path.
    Returns an array of `steps - 1` norms, lag 1 first.
    """
    torch = _torch()
    layer = recurrent_layer(kind, n_inputs, n_hidden, forget_bias, seed).double()
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(steps, 1, n_inputs, generator=generator, dtype=torch.float64)
    h0 = torch.zeros(1, 1, n_hidden, dtype=torch.float64)
    cell = {"RNN": torch.nn.RNNCell, "LSTM": torch.nn.LSTMCell, "GRU": torch.nn.GRUCell}[kind]
    step = cell(n_inputs, n_hidden).double()
    with torch.no_grad():  # the same weights as the layer, one step at a time
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(step, name).copy_(getattr(layer, name + "_l0"))
    hidden = []
    h, C = h0[0], h0[0].clone()
    for t in range(steps):
        h = h.detach().requires_grad_(True) if t == 0 else h
        hidden.append(h)
        if kind == "LSTM":
            h, C = step(x[t], (h, C))
        else:
            h = step(x[t], h)
    h_T = h[0]
    # One backward pass per output unit gives the rows of every dh_T/dh_t at once.
    rows = [torch.autograd.grad(h_T[unit], hidden, retain_graph=True) for unit in range(n_hidden)]
    norms = []
    for lag in range(1, steps):
        jacobian = torch.stack([row[steps - lag][0] for row in rows])
        norms.append(torch.linalg.matrix_norm(jacobian, ord=2).item())
    return np.array(norms)


def first_bit_batch(lag, batch, generator, n_noise=3):
    """Inputs (lag, batch, 1 + n_noise) and targets (batch,) in {0, 1} of the memory-span task.

    Channel 0 holds the bit at step 0 and zeros after it; the other channels are +-1 noise.
    """
    torch = _torch()
    bits = torch.randint(0, 2, (batch,), generator=generator)
    x = torch.zeros(lag, batch, 1 + n_noise)
    x[0, :, 0] = 2.0 * bits - 1.0
    x[:, :, 1:] = 2.0 * torch.randint(0, 2, (lag, batch, n_noise), generator=generator) - 1.0
    return x, bits.float()


class _Reader:
    """A recurrent layer followed by one linear unit that reads the last hidden state."""

    def __init__(self, kind, n_inputs, n_hidden, seed, forget_bias=None):
        torch = _torch()
        self.layer = recurrent_layer(kind, n_inputs, n_hidden, forget_bias, seed)
        torch.manual_seed(seed + 1)
        self.readout = torch.nn.Linear(n_hidden, 1)

    def parameters(self):
        return list(self.layer.parameters()) + list(self.readout.parameters())

    def __call__(self, x):
        out, _ = self.layer(x)
        return self.readout(out[-1])[:, 0]


def memory_span(
    kind: str,
    lag: int,
    train_steps: int = 150,
    batch: int = 32,
    n_hidden: int = 16,
    lr: float = 0.01,
    forget_bias: float | None = None,
    seed: int = 0,
) -> float:
    """Train `kind` on the first-bit task at one lag; return the test accuracy (0.5 = chance).

    Adam, binary cross-entropy, gradient norm clipped at 1 (so that an exploding RNN gradient
    cannot end the run), `train_steps` fresh batches, then 512 unseen test sequences.
    """
    torch = _torch()
    model = _Reader(kind, 4, n_hidden, seed, forget_bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(seed)
    for _ in range(train_steps):
        x, y = first_bit_batch(lag, batch, generator)
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    with torch.no_grad():
        x, y = first_bit_batch(lag, 512, torch.Generator().manual_seed(10_000 + seed))
        return ((model(x) > 0).float() == y).float().mean().item()


def parameter_count(kind: str, n_inputs: int, n_hidden: int) -> int:
    """Parameters of one torch layer: blocks x (n x m + n x n + 2 n), 4 blocks for the LSTM, 3 for the GRU."""
    return sum(p.numel() for p in recurrent_layer(kind, n_inputs, n_hidden).parameters())


def seconds_per_step(
    kind: str, n_inputs: int, n_hidden: int, batch: int = 32, steps: int = 200, repeats: int = 5, seed: int = 0
) -> float:
    """The best of `repeats` timings of one forward time step of a torch layer (no gradient)."""
    torch = _torch()
    layer = recurrent_layer(kind, n_inputs, n_hidden, seed=seed)
    x = torch.randn(steps, batch, n_inputs, generator=torch.Generator().manual_seed(seed))
    best = float("inf")
    with torch.no_grad():
        layer(x)  # warm up
        for _ in range(repeats):
            start = time.perf_counter()
            layer(x)
            best = min(best, (time.perf_counter() - start) / steps)
    return best
