"""Bad input raises a ValueError that names the expected and the received shape."""

import numpy as np
import pytest

import lstm_ref

n, m, T, B = 3, 2, 4, 2
LSTM_P = lstm_ref.init_params(n, m, rng=0)
RNN_P = lstm_ref.init_rnn_params(n, m, rng=0)
GRU_P = lstm_ref.init_gru_params(n, m, rng=0)
X, H, C = np.zeros((T, B, m)), np.zeros((B, n)), np.zeros((B, n))

SEQUENCES = {
    "lstm": lambda x=X, h=H, p=LSTM_P, **kw: lstm_ref.lstm_forward(x, h, C, p, **kw),
    "rnn": lambda x=X, h=H, p=RNN_P, **kw: lstm_ref.rnn_forward(x, h, p, **kw),
    "gru": lambda x=X, h=H, p=GRU_P, **kw: lstm_ref.gru_forward(x, h, p, **kw),
}


@pytest.mark.parametrize("kind", SEQUENCES)
@pytest.mark.parametrize(
    "x, message",
    [
        (
            np.zeros((0, B, m)),
            r"x should have shape \(T, B, m\) = \(T, B, 2\) with T >= 1 and B >= 1, got shape \(0, 2, 2\)",
        ),
        (np.zeros((T, B, 5)), r"= \(T, B, 2\) .*got shape \(4, 2, 5\)"),
        (np.zeros((T, m)), r"got shape \(4, 2\)\. A single sequence needs a batch axis"),
        (np.full((T, B, m), np.nan), r"x contains NaN or inf"),
        (np.full((T, B, m), np.inf), r"x contains NaN or inf"),
    ],
)
def test_bad_sequence(kind, x, message):
    with pytest.raises(ValueError, match=message):
        SEQUENCES[kind](x=x)


@pytest.mark.parametrize("kind", SEQUENCES)
def test_bad_initial_state(kind):
    with pytest.raises(ValueError, match=r"h_0 should have shape \(B, n\) = \(2, 3\), got shape \(2, 4\)"):
        SEQUENCES[kind](h=np.zeros((B, 4)))
    with pytest.raises(ValueError, match=r"h_0 contains NaN"):
        SEQUENCES[kind](h=np.full((B, n), np.nan))


def test_batch_first_layout_in_message():
    with pytest.raises(ValueError, match=r"x should have shape \(B, T, m\) = \(B, T, 2\)"):
        lstm_ref.lstm_forward(np.zeros((B, T, 3)), None, None, LSTM_P, batch_first=True)


@pytest.mark.parametrize(
    "params, message",
    [
        ({**LSTM_P, "W_o": np.zeros((3, 4))}, r"params\['W_o'\] should have shape \(3, 5\), got shape \(3, 4\)"),
        ({**LSTM_P, "b_i": np.zeros(2)}, r"params\['b_i'\] should have shape \(3,\), got shape \(2,\)"),
        ({k: v for k, v in LSTM_P.items() if k != "b_c"}, r"params is missing 'b_c' \(expected shape \(3,\)\)"),
    ],
)
def test_bad_lstm_params(params, message):
    with pytest.raises(ValueError, match=message):
        lstm_ref.lstm_forward(X, H, C, params)


def test_mismatched_cell_sizes():
    with pytest.raises(ValueError, match=r"x_t should have shape \(\.\.\., 2\), got shape \(2, 5\)"):
        lstm_ref.rnn_cell_forward(np.zeros((B, 5)), H, RNN_P)
    with pytest.raises(ValueError, match=r"h_\{t-1\} should have shape \(\.\.\., 3\), got shape \(2, 4\)"):
        lstm_ref.gru_cell_forward(np.zeros((B, m)), np.zeros((B, 4)), GRU_P)
    with pytest.raises(ValueError, match=r"x_t should have shape \(\.\.\., 2\), got shape \(7,\)"):
        lstm_ref.lstm_cell_forward(np.zeros(7), np.zeros(3), np.zeros(3), LSTM_P)


def test_gru_convention_is_checked():
    with pytest.raises(ValueError, match=r"convention should be one of \('lecture', 'torch'\), got 'cho'"):
        lstm_ref.gru_cell_forward(np.zeros(m), np.zeros(n), GRU_P, convention="cho")
    with pytest.raises(ValueError, match="non-zero b_hn"):
        lstm_ref.gru_cell_forward(np.zeros(m), np.zeros(n), {**GRU_P, "b_hn": np.ones(n)})


def test_bad_upstream_gradient():
    _, cache = lstm_ref.lstm_forward(X, H, C, LSTM_P)
    with pytest.raises(ValueError, match=r"dh_all should have shape \(4, 2, 3\) .*got shape \(4, 3\)"):
        lstm_ref.lstm_backward(np.zeros((T, n)), cache)
    with pytest.raises(ValueError, match=r"dC_T should have shape \(2, 3\)"):
        lstm_ref.lstm_backward(np.zeros((T, B, n)), cache, dC_T=np.zeros(3))


def test_multi_layer_torch_module_is_refused():
    torch = pytest.importorskip("torch")
    from lstm_ref.convert import lstm_params_from_torch

    with pytest.raises(ValueError, match="num_layers=1, bidirectional=False .* got num_layers=2"):
        lstm_params_from_torch(torch.nn.LSTM(2, 3, num_layers=2))
