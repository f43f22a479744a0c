"""Data the GRU notebook's code reads with given("key"): PyTorch's measurements (measure.py)."""

from assignments.declare import Given

from .measure import MEASURED

GIVEN = Given()


@GIVEN("torch-gru-conventions")
def torch_gru_conventions():
    return MEASURED["torch-gru-conventions"]


@GIVEN("gru-lstm-table")
def gru_lstm_table():
    return MEASURED["gru-lstm-table"]
