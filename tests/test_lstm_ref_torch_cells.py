"""The from-scratch torch cells against torch.nn and against the numpy cells."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import lstm_ref
from lstm_ref.torch_cells import GRUCell, LSTMCell, RNNCell, Sequence

TORCH = {
    RNNCell: (torch.nn.RNNCell, torch.nn.RNN, 1),
    LSTMCell: (torch.nn.LSTMCell, torch.nn.LSTM, 2),
    GRUCell: (torch.nn.GRUCell, torch.nn.GRU, 1),
}


def states(kind, B, n, dtype, gen):
    s = tuple(torch.randn(B, n, dtype=dtype, generator=gen) for _ in range(TORCH[kind][2]))
    return s if len(s) == 2 else s[0]


def as_layer_state(s):
    return tuple(t[None] for t in s) if isinstance(s, tuple) else s[None]


@pytest.mark.parametrize("kind", TORCH, ids=lambda k: k.__name__)
@pytest.mark.parametrize("dtype, tol", [(torch.float64, 1e-10), (torch.float32, 1e-5)])
@settings(max_examples=8, deadline=None)
@given(
    T=st.integers(1, 5), B=st.integers(1, 3), m=st.integers(1, 6), n=st.integers(1, 6), seed=st.integers(0, 2**31 - 1)
)
def test_from_torch_matches_torch_layer_and_grads(kind, dtype, tol, T, B, m, n, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    reference = TORCH[kind][1](m, n, dtype=dtype)
    ours = Sequence(kind.from_torch(reference))
    x = torch.randn(T, B, m, dtype=dtype, generator=gen, requires_grad=True)
    s0 = states(kind, B, n, dtype, gen)
    h_all, final = ours(x, s0)
    h_ref, final_ref = reference(x, as_layer_state(s0))
    torch.testing.assert_close(h_all, h_ref, rtol=0, atol=tol)
    for a, b in zip(
        final if isinstance(final, tuple) else (final,), final_ref if isinstance(final_ref, tuple) else (final_ref,)
    ):
        torch.testing.assert_close(a, b[0], rtol=0, atol=tol)
    dout = torch.randn(T, B, n, dtype=dtype, generator=gen)
    (dx,) = torch.autograd.grad((h_all * dout).sum(), x)
    (dx_ref,) = torch.autograd.grad((h_ref * dout).sum(), x)
    torch.testing.assert_close(dx, dx_ref, rtol=0, atol=10 * tol)


@pytest.mark.parametrize(
    "kind, init, step",
    [
        (RNNCell, lambda: lstm_ref.init_rnn_params(3, 2, rng=0), lambda x, s, p: lstm_ref.rnn_cell_forward(x, s, p)[0]),
        (LSTMCell, lambda: lstm_ref.init_params(3, 2, rng=0), lambda x, s, p: lstm_ref.lstm_cell_forward(x, *s, p)[0]),
        (GRUCell, lambda: lstm_ref.init_gru_params(3, 2, rng=0), lambda x, s, p: lstm_ref.gru_cell_forward(x, s, p)[0]),
    ],
)
def test_matches_numpy_cell_and_round_trips(kind, init, step):
    params = init()
    cell = kind.from_params(params)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 2))
    s = tuple(rng.normal(size=(2, 3)) for _ in range(TORCH[kind][2]))
    s = s if len(s) == 2 else s[0]
    torch_s = tuple(map(torch.tensor, s)) if isinstance(s, tuple) else torch.tensor(s)
    ours = cell(torch.tensor(x), torch_s)
    for a, b in zip(
        ours if isinstance(ours, tuple) else (ours,),
        step(x, s, params) if isinstance(ours, tuple) else (step(x, s, params),),
    ):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=0, atol=1e-14)
    assert all(np.array_equal(cell.params()[k], params[k]) for k in params)


def test_to_torch_round_trip_and_lecture_gru_refuses():
    cell = LSTMCell(4, 3)
    again = LSTMCell.from_torch(cell.to_torch(layer=True))
    for k, v in cell.params().items():
        np.testing.assert_allclose(again.params()[k], v, rtol=0, atol=0)
    assert isinstance(GRUCell(2, 3, convention="torch").to_torch(), torch.nn.GRUCell)
    with pytest.raises(ValueError, match="convention='torch'"):
        GRUCell(2, 3).to_torch()


def test_bad_shapes():
    with pytest.raises(ValueError, match=r"x should have shape \(T, B, m\) with m = 2 .*got shape \(0, 1, 2\)"):
        Sequence(RNNCell(2, 3))(torch.zeros(0, 1, 2, dtype=torch.float64), torch.zeros(1, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"x_t should have shape \(\.\.\., 2\), got shape \(1, 5\)"):
        RNNCell(2, 3)(torch.zeros(1, 5, dtype=torch.float64), torch.zeros(1, 3, dtype=torch.float64))
