"""Data the output-gate notebook's code reads with given("key")."""

from assignments.declare import Given
from lstm_ref import init_params

from .examples import LABELS_003, SEQUENCES_003, VOCABULARY_003, one_hot_batch
from .measure import MEASURED

GIVEN = Given()


@GIVEN("003-one-hot")
def lecture_003_one_hot():
    """Lecture 003's cat/mat/rat sentences, one-hot (T, B, m), and an untrained 2-unit LSTM's weights."""
    return dict(
        vocabulary=VOCABULARY_003,
        sequences=SEQUENCES_003,
        labels=LABELS_003,
        x=one_hot_batch(),
        params=init_params(2, len(VOCABULARY_003), rng=3),
    )


@GIVEN("torch-lstm-parity")
def torch_lstm_parity():
    """torch.nn.LSTM's h_all and C_T for random weights and inputs, measured (measure.py)."""
    return MEASURED["torch-lstm-parity"]


@GIVEN("torch-lstm-parameter-count")
def torch_lstm_parameter_count():
    return MEASURED["torch-lstm-parameter-count"]
