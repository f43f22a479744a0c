"""Random inputs for check_random: one function per kind of graded function, rng -> arguments.

check_random("forget_gate", forget_gate, seed=21) draws its inputs here, with
numpy.random.default_rng(seed), in the student's notebook; the grader draws the same inputs
from the same seed and computes the right answers with the course's reference implementation.
Nothing here computes an answer: these only make up questions.
"""
import numpy as np


def random_sizes(rng):
    """n hidden units and m inputs, small, and usually n != m so that a swapped axis shows."""
    return int(rng.integers(1, 7)), int(rng.integers(1, 7))


def random_weights(rng, gates, n, m, scale=1.0):
    """{W_g (n, n + m), b_g (n,)} for each gate letter g, uniform in [-scale, scale]."""
    params = {}
    for gate in gates:
        params[f"W_{gate}"] = rng.uniform(-scale, scale, (n, n + m))
        params[f"b_{gate}"] = rng.uniform(-scale, scale, (n,))
    return params


def vector_of_numbers(rng):
    """(z,): one vector of pre-activations, from large negative to large positive."""
    return (rng.normal(scale=10, size=int(rng.integers(1, 9))),)


def gate_inputs(rng):
    """(W, h_{t-1}, x_t, b) for one gate, with sizes drawn at random."""
    n, m = random_sizes(rng)
    return (rng.normal(size=(n, n + m)), rng.normal(size=n), rng.normal(size=m), rng.normal(size=n))


def half_scale_gate_inputs(rng):
    """gate_inputs halved: weights of scale 1 mostly saturate tanh, so that a sigmoid in its
    place would not show."""
    return tuple(np.asarray(a) * 0.5 for a in gate_inputs(rng))


def gate_and_cell(rng):
    """(f_t, C_{t-1}): a gate in (0, 1) and a cell state of the same random length."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=5, size=n)


def cell_update_inputs(rng):
    """(f_t, C_{t-1}, i_t, C~_t): gates in (0, 1), a candidate in (-1, 1), a cell state of any size."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=5, size=n), rng.uniform(0, 1, n), rng.uniform(-1, 1, n)


def trace_inputs(rng):
    """(forget_gates, input_gates, written_at) for a one-unit cell over T steps."""
    T = int(rng.integers(1, 13))
    return rng.uniform(0, 1, T), rng.uniform(0, 1, T), int(rng.integers(0, T))


def gate_and_cell_state(rng):
    """(o_t, C_t): a gate in (0, 1) and a cell state large enough that tanh matters."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.normal(scale=2, size=n)


def lstm_step_inputs(rng):
    """(x_t (B, m), h_{t-1} (B, n), C_{t-1} (B, n), params) for a batch of B sequences."""
    (n, m), B = random_sizes(rng), int(rng.integers(1, 4))
    params = random_weights(rng, "fico", n, m)
    return rng.normal(size=(B, m)), rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n)), params


def lstm_sequence_inputs(rng):
    """(x (T, B, m), h_0 (B, n), C_0 (B, n), params)."""
    (n, m), B, T = random_sizes(rng), int(rng.integers(1, 4)), int(rng.integers(1, 6))
    params = random_weights(rng, "fico", n, m)
    return rng.normal(size=(T, B, m)), rng.normal(size=(B, n)), rng.normal(scale=2, size=(B, n)), params


def padded_batch(rng):
    """(h_all (T, B, n), lengths (B,)): sequences of different lengths; the longest has T steps."""
    T, B, n = int(rng.integers(2, 7)), int(rng.integers(2, 5)), int(rng.integers(1, 5))
    lengths = rng.integers(1, T, size=B)  # all shorter than T ...
    lengths[rng.integers(B)] = T  # ... but one: the batch is padded to the longest
    return rng.uniform(-1, 1, (T, B, n)), lengths


def gru_candidate_inputs(rng):
    """(W_h, h_{t-1}, x_t, b_h, r_t): one gate's inputs and a reset gate in (0, 1)."""
    W_h, h_prev, x_t, b_h = gate_inputs(rng)
    return W_h, h_prev, x_t, b_h, rng.uniform(0, 1, h_prev.shape)


def gru_blend_inputs(rng):
    """(z_t, h_{t-1}, h~_t): a gate in (0, 1) and two states in (-1, 1)."""
    n = int(rng.integers(1, 9))
    return rng.uniform(0, 1, n), rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)


def gru_step_inputs(rng):
    """(x_t, h_{t-1}, params) with weights large enough that every gate matters."""
    n, m = random_sizes(rng)
    params = random_weights(rng, "zrh", n, m)
    return rng.normal(size=m), rng.uniform(-1, 1, n), params


def rnn_jacobian_inputs(rng):
    """(W_h (n, n), h_t (n,)) with h_t in (-1, 1), as a tanh makes it."""
    n = int(rng.integers(1, 7))
    return rng.normal(size=(n, n)), rng.uniform(-1, 1, n)


def jacobian_sequence(rng):
    """(jacobians (k, n, n),): k steps of n x n Jacobians, not symmetric, so order matters."""
    k, n = int(rng.integers(1, 8)), int(rng.integers(1, 6))
    return (rng.normal(scale=0.8, size=(k, n, n)),)


def cell_state_jacobian_inputs(rng):
    """(x_t, C_{t-1}, o_{t-1}, params) with weights large enough that A_t, C_t, D_t matter."""
    n, m = random_sizes(rng)
    params = random_weights(rng, "fico", n, m)
    return rng.normal(size=m), rng.normal(size=n), rng.uniform(0, 1, n), params


# Functions grad_check is tried on: numpy's own. Half of them mix the entries of x (cumprod, norm,
# prod): nudging every x_k at once, or not putting x_k back, gives a wrong gradient only for those.
TEST_FUNCTIONS = (np.tanh, np.sin, np.cumsum, np.cumprod, np.linalg.norm, np.prod)


def grad_check_inputs(rng):
    """(f, x, df): f one of TEST_FUNCTIONS, x (k,) or (k, l), df like f(x)."""
    f = TEST_FUNCTIONS[int(rng.integers(len(TEST_FUNCTIONS)))]
    shape = (int(rng.integers(2, 6)),) if rng.random() < 0.5 else (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
    x = rng.uniform(-1, 1, shape)
    return f, x, rng.normal(size=np.shape(f(x)))


def gradient_pair(rng):
    """(a, b): an analytic and a numerical gradient that nearly agree, or not at all."""
    shape = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    a = rng.normal(size=shape)
    return a, a + rng.normal(scale=10.0 ** rng.integers(-9, 1), size=shape)
