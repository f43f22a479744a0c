"""lstm_ref: the reference RNN, LSTM and GRU of the course, in the lectures' notation: math only.

Everything the course grades is checked against this package, and this package is checked
against torch.nn.LSTM / GRU / RNN. It imports nothing of the course around it (the assignments,
the grader, the student kit). Nothing here imports torch except torch_cells.py and the
converters in convert.py (lazily), so plain numpy notebooks stay fast.

One gate order inside it, the lectures' f, i, C~, o (lstm.GATES); weight gradients of the LSTM
come back stacked in that order, dW (4, n, n + m) and db (4, n). PyTorch's order and layouts
appear only in convert.py, at the edge.

    lstm.py           LSTM cell, step by step; sequence forward/backward
    gru.py            GRU cell in the lecture's and in PyTorch's convention
    rnn.py            plain RNN (lecture 000's recap)
    sequences.py      what is left of a written value; each sequence's last step in a padded batch
    gradcheck.py      centred finite differences
    classifier.py     an LSTM or RNN read out by one logistic unit, its loss and backward
    optim.py          gradient clipping, SGD and Adam
    gradient_flow.py  dC_t/dC_{t-1} = A_t + B_t + C_t + D_t (lecture 004), RNN Jacobians
    convert.py        to and from torch.nn.LSTM / GRU / RNN and their cells
    torch_cells.py    the same cells as torch nn.Modules (autograd does the backward)
    bench.py          python -m lstm_ref.bench: numpy against torch.nn.LSTM, and a training step
"""

from .activations import sigmoid, tanh
from .gru import (
    gru_backward,
    gru_candidate,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    gru_hidden_state,
    init_gru_params,
    reset_gate,
    update_gate,
)
from .lstm import (
    candidate,
    cell_update,
    concat_inputs,
    forget,
    forget_gate,
    gate_preactivation,
    hidden_state,
    init_params,
    input_gate,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    output_gate,
)
from .rnn import init_rnn_params, rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward

__all__ = [
    "candidate",
    "cell_update",
    "concat_inputs",
    "forget",
    "forget_gate",
    "gate_preactivation",
    "gru_backward",
    "gru_candidate",
    "gru_cell_backward",
    "gru_cell_forward",
    "gru_forward",
    "gru_hidden_state",
    "hidden_state",
    "init_gru_params",
    "init_params",
    "init_rnn_params",
    "input_gate",
    "lstm_backward",
    "lstm_cell_backward",
    "lstm_cell_forward",
    "lstm_forward",
    "output_gate",
    "reset_gate",
    "rnn_backward",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "sigmoid",
    "tanh",
    "update_gate",
]
