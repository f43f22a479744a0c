"""lstm_ref: the reference RNN, LSTM and GRU of the course, in the lectures' notation.

Everything the course grades is checked against this package, and this package is checked
against torch.nn.LSTM / GRU / RNN.
"""
from .activations import sigmoid, tanh
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
    lstm_cell_forward,
    output_gate,
)
