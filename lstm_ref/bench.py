"""python -m lstm_ref.bench: our numpy LSTM against torch.nn.LSTM on the CPU, in the same run.

Prints times and ratios (ours / torch; below 1 means numpy is faster); asserts nothing.
float32, one layer, sizes (T, B, m, n); then one training step of the bptt assignment's model.
The numpy forward computes the input projections of all T steps in one matrix product before
the time loop (lstm.lstm_forward), as cuDNN does.

Both libraries get the same number of threads (--threads, default 1): torch through
torch.set_num_threads, numpy's OpenBLAS through OPENBLAS_NUM_THREADS, which is read only when
numpy loads, so the benchmark restarts itself once with it set. On a shared machine one
thread each is the fair and the stable measurement (OpenBLAS's busy-waiting threads slow a
loaded machine's small products down 30x).
"""

import argparse
import os
import sys
import time
from dataclasses import dataclass

import numpy as np

from .lstm import init_params, lstm_backward, lstm_forward

SIZES = [(50, 1, 10, 20), (100, 32, 64, 128), (200, 64, 128, 256)]
TARGET = SIZES[1]  # the size whose ratios the course aims to bring to 1.3


def best_times(functions, repeats):
    """{name: the fastest of `repeats` runs, in seconds of this process's CPU time}.

    The functions take turns, so that a change in the machine's load reaches all of them alike;
    CPU time, so that the time other processes take from us does not count (their use of the
    caches does)."""
    best = {}
    for name, fn in functions.items():
        fn()  # warm up
        best[name] = float("inf")
    for _ in range(repeats):
        for name, fn in functions.items():
            start = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - start)
    return best


REPEATS = 20  # best of 20: on a shared VM best-of-5 still moved the ratio by 30 %


def bench(T, B, m, n, repeats=REPEATS):
    import torch

    from .convert import lstm_params_to_torch

    rng = np.random.default_rng(0)
    params = init_params(n, m, rng=rng, dtype=np.float32)
    x = rng.normal(size=(T, B, m)).astype(np.float32)
    h0 = np.zeros((B, n), np.float32)
    dh_all = rng.normal(size=(T, B, n)).astype(np.float32)
    layer = lstm_params_to_torch(params, torch.nn.LSTM(m, n))
    x_torch, dh_torch = torch.tensor(x), torch.tensor(dh_all)
    state = (torch.tensor(h0[None]), torch.tensor(h0[None]))

    def numpy_forward():
        return lstm_forward(x, h0, h0, params)

    def numpy_both():
        _, cache = lstm_forward(x, h0, h0, params)
        lstm_backward(dh_all, cache)

    def torch_forward():
        with torch.no_grad():
            layer(x_torch, state)

    def torch_both():
        layer.zero_grad()
        x_torch.requires_grad_(True)
        out, _ = layer(x_torch, state)
        out.backward(dh_torch)

    return best_times(
        dict(numpy_forward=numpy_forward, torch_forward=torch_forward, numpy_both=numpy_both, torch_both=torch_both),
        repeats,
    )


def bench_products(T, B, m, n, repeats=REPEATS):
    """The matrix products an LSTM's forward and backward need, alone, numpy against torch.mm:
    per step (B, n) @ (n, 4n) and (B, 4n) @ (4n, n); once x @ W_x, the two weight gradients and
    dx. numpy's OpenBLAS against torch's MKL here sets a floor under the LSTM's ratio."""
    import torch

    rng = np.random.default_rng(0)
    a = {
        name: rng.normal(size=shape).astype(np.float32)
        for name, shape in dict(
            h=(B, n),
            W_h=(n, 4 * n),
            da_t=(B, 4 * n),
            W_hT=(4 * n, n),
            x=(T * B, m),
            W_x=(m, 4 * n),
            h_all=(n, T * B),
            x_all=(m, T * B),
            da=(T * B, 4 * n),
            W_xT=(4 * n, m),
        ).items()
    }
    t = {name: torch.tensor(value) for name, value in a.items()}

    def products(mm, v):
        for _ in range(T):
            mm(v["h"], v["W_h"])
            mm(v["da_t"], v["W_hT"])
        for left, right in (("x", "W_x"), ("h_all", "da"), ("x_all", "da"), ("da", "W_xT")):
            mm(v[left], v[right])

    best = best_times(dict(numpy=lambda: products(np.matmul, a), torch=lambda: products(torch.mm, t)), repeats)
    return best["numpy"], best["torch"]


@dataclass(frozen=True)
class TrainingSizes:
    """The bptt assignment's training step: sentences of k + 2 = 17 one-hot words over a
    vocabulary of 22, batches of 32, 16 units, Adam at lr 0.02, gradients clipped at norm 1."""

    steps: int = 17
    batch: int = 32
    vocabulary: int = 22
    n_hidden: int = 16
    lr: float = 0.02
    clip: float = 1.0


SETTINGS = TrainingSizes()


def bench_training_step(repeats=REPEATS):
    """One training step of the bptt assignment's model, numpy (lstm_ref) against torch, float64
    as the assignment trains: forward, loss, backward, clipping and Adam, at its sizes (random
    one-hot words: the time does not depend on which)."""
    import torch

    from .classifier import classifier_backward, classifier_forward, init_classifier, sigmoid_cross_entropy
    from .convert import lstm_params_to_torch
    from .optim import Adam, clip_by_global_norm

    rng = np.random.default_rng(0)
    x = np.eye(SETTINGS.vocabulary)[rng.integers(SETTINGS.vocabulary, size=(SETTINGS.steps, SETTINGS.batch))]
    y = rng.integers(0, 2, SETTINGS.batch)
    params = init_classifier("LSTM", SETTINGS.n_hidden, x.shape[-1], seed=0, forget_bias=3.0)
    adam = Adam(params, lr=SETTINGS.lr)

    def numpy_step():
        z, cache = classifier_forward(x, params)
        _, dz = sigmoid_cross_entropy(z, y)
        grads, _ = clip_by_global_norm(classifier_backward(dz, cache), SETTINGS.clip)
        adam.step(params, grads)

    layer = lstm_params_to_torch(params, torch.nn.LSTM(x.shape[-1], SETTINGS.n_hidden, dtype=torch.float64))
    readout = torch.nn.Linear(SETTINGS.n_hidden, 1, dtype=torch.float64)
    weights = list(layer.parameters()) + list(readout.parameters())
    optimizer = torch.optim.Adam(weights, lr=SETTINGS.lr)
    x_torch, y_torch = torch.tensor(x), torch.tensor(y, dtype=torch.float64)

    def torch_step():
        optimizer.zero_grad()
        _, (h_T, _) = layer(x_torch)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(readout(h_T[0])[:, 0], y_torch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(weights, SETTINGS.clip)
        optimizer.step()

    sizes = (SETTINGS.steps, SETTINGS.batch, x.shape[-1], SETTINGS.n_hidden)
    best = best_times(dict(numpy=numpy_step, torch=torch_step), repeats)
    return sizes, best["numpy"], best["torch"]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lstm_ref.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="threads for numpy and torch (default 1)")
    args = parser.parse_args(argv)
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads))
        os.execve(sys.executable, [sys.executable, "-m", "lstm_ref.bench", *sys.argv[1:]], env)
    import torch

    torch.set_num_threads(args.threads)
    print(
        f"numpy {np.__version__}, torch {torch.__version__}, torch threads {torch.get_num_threads()}; "
        f"float32, best of {REPEATS} (ms); ratio = numpy / torch"
    )
    print(
        f"{'(T, B, m, n)':>20} {'numpy fwd':>10} {'torch fwd':>10} {'ratio':>6}"
        f" {'numpy f+b':>10} {'torch f+b':>10} {'ratio':>6}"
    )
    timings = {}
    for sizes in SIZES:
        t = timings[sizes] = bench(*sizes)
        print(
            f"{str(sizes):>20} {1e3 * t['numpy_forward']:10.2f} {1e3 * t['torch_forward']:10.2f} "
            f"{t['numpy_forward'] / t['torch_forward']:6.2f} {1e3 * t['numpy_both']:10.2f} "
            f"{1e3 * t['torch_both']:10.2f} {t['numpy_both'] / t['torch_both']:6.2f}"
        )
    numpy_products, torch_products = bench_products(*TARGET)
    print(
        f"\nthe matrix products of forward+backward alone at {TARGET}: numpy {1e3 * numpy_products:.2f} ms, "
        f"torch.mm {1e3 * torch_products:.2f} ms (ratio {numpy_products / torch_products:.2f}); numpy's "
        f"products alone are {numpy_products / timings[TARGET]['torch_both']:.2f} x torch.nn.LSTM's whole "
        "forward+backward"
    )
    sizes, numpy_step, torch_step = bench_training_step()
    print(
        f"\nbptt assignment, one training step (LSTM + logistic unit, loss, backward, clipping, Adam), "
        f"float64, (T, B, m, n) = {sizes}:\n  numpy {1e3 * numpy_step:.2f} ms, torch {1e3 * torch_step:.2f} ms, "
        f"ratio {numpy_step / torch_step:.2f}"
    )


if __name__ == "__main__":
    main()
