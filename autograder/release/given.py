"""Data the notebooks are given, computed when the course is released: `given("key")` in a
notebook reads what GIVEN["key"]() returned here (student_kit.display.given).

Some need PyTorch (the instructor has it; a student need not): their results reach the student
as numbers. The slow ones are cached on disk (see cached), keyed by the code that makes them.
"""
import hashlib
import inspect
import json

import numpy as np

from lstm_ref import init_params
from lstm_ref.worked_examples import sentence
from lstm_ref.worked_examples.output_gate import LABELS_003, SEQUENCES_003, VOCABULARY_003, one_hot_batch
from student_kit import data, experiments

GIVEN = {}
# Measured in seconds on the machine that releases: a fresh release elsewhere differs, by design.
TIMED = {"gru-lstm-table"}


def given_data(key):
    def register(function):
        GIVEN[key] = function
        return function
    return register


def cached(folder, key):
    """GIVEN[key](), from <folder>/<key>-<hash>.json when the code that makes it has not changed."""
    function = GIVEN[key]
    code = inspect.getsource(function) + inspect.getsource(experiments)
    path = folder / f"{key}-{hashlib.sha256(code.encode()).hexdigest()[:16]}.json"
    if path.exists():
        return data.decode(json.loads(path.read_text()))
    value = function()
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data.encode(value)))
    return value


@given_data("001-sentence")
def lecture_001_sentence():
    """Lecture 001's word-by-word gate table for "The cat was hungry. The dog was sleeping."."""
    return dict(lecture=sentence.LECTURE, where=sentence.WHERE, sentence=sentence.SENTENCE, words=sentence.WORDS,
                table=[dict(word=row.word, f_t=row.f_t, i_t=row.i_t, o_t=row.o_t, cell=row.cell, why=row.why)
                       for row in sentence.GATE_TABLE])


@given_data("003-one-hot")
def lecture_003_one_hot():
    """Lecture 003's cat/mat/rat sentences, one-hot (T, B, m), and an untrained 2-unit LSTM's weights."""
    return dict(vocabulary=VOCABULARY_003, sequences=SEQUENCES_003, labels=LABELS_003, x=one_hot_batch(),
                params=init_params(2, len(VOCABULARY_003), rng=3))


@given_data("torch-lstm-parity")
def torch_lstm_parity():
    """torch.nn.LSTM's h_all and C_T for random weights and inputs (T=5, B=2, m=4, n=3), float64."""
    import torch

    from lstm_ref.convert import lstm_params_to_torch

    rng = np.random.default_rng(34)
    T, B, m, n = 5, 2, 4, 3
    params = init_params(n, m, rng=rng)
    x, h0, C0 = rng.normal(size=(T, B, m)), rng.normal(size=(B, n)), rng.normal(size=(B, n))
    layer = lstm_params_to_torch(params, torch.nn.LSTM(m, n, dtype=torch.float64))
    with torch.no_grad():
        h_all, (_, C_T) = layer(torch.from_numpy(x), (torch.from_numpy(h0[None]), torch.from_numpy(C0[None])))
    return dict(params=params, x=x, h0=h0, C0=C0, h_all=h_all.numpy(), C_T=C_T[0].numpy(),
                torch_version=torch.__version__)


@given_data("torch-lstm-parameter-count")
def torch_lstm_parameter_count():
    """How many parameters torch.nn.LSTM(m=4, n=3) has (lecture 003's sizes)."""
    return dict(n=3, m=4, count=experiments.parameter_count("LSTM", 4, 3))


@given_data("torch-gru-conventions")
def torch_gru_conventions():
    """The largest difference from torch.nn.GRU after 5 steps, in PyTorch's and in the lecture's
    reset convention (same weights, b_hn dropped for the lecture's)."""
    import torch

    from lstm_ref import gru
    from lstm_ref.convert import gru_params_from_torch

    torch.manual_seed(0)
    layer = torch.nn.GRU(input_size=4, hidden_size=3, dtype=torch.float64)
    params = gru_params_from_torch(layer)
    x = torch.randn(5, 1, 4, dtype=torch.float64)
    torch_h, _ = layer(x)
    h_torch_form, h_lecture_form = np.zeros(3), np.zeros(3)
    lecture_params = {k: v for k, v in params.items() if k != "b_hn"}
    for t in range(5):
        h_torch_form, _ = gru.gru_cell_forward(x[t, 0].numpy(), h_torch_form, params, convention="torch")
        h_lecture_form, _ = gru.gru_cell_forward(x[t, 0].numpy(), h_lecture_form, lecture_params, convention="lecture")
    last = torch_h[-1, 0].detach().numpy()
    return dict(torch_convention=float(np.abs(h_torch_form - last).max()),
                lecture_convention=float(np.abs(h_lecture_form - last).max()))


@given_data("gru-lstm-table")
def gru_lstm_table():
    """Parameters and time per step of torch.nn.LSTM and torch.nn.GRU, measured at release."""
    rows = []
    for n_hidden, n_inputs in ((3, 4), (64, 32), (128, 64)):
        counts = {kind: experiments.parameter_count(kind, n_inputs, n_hidden) for kind in ("LSTM", "GRU")}
        seconds = {kind: experiments.seconds_per_step(kind, n_inputs, n_hidden) for kind in ("LSTM", "GRU")}
        rows.append(dict(n=n_hidden, m=n_inputs, lstm_params=counts["LSTM"], gru_params=counts["GRU"],
                         lstm_seconds=seconds["LSTM"], gru_seconds=seconds["GRU"]))
    return rows


@given_data("gradient-by-lag")
def gradient_by_lag():
    """||dh_T/dh_{T-k}|| against the lag k at initialisation (32 units, autograd), per model."""
    runs = [("RNN", None), ("GRU", None), ("LSTM", None), ("LSTM", 1.0), ("LSTM", 3.0)]
    return [dict(kind=kind, forget_bias=forget_bias,
                 norms=experiments.gradient_norm_by_lag(kind, steps=100, forget_bias=forget_bias))
            for kind, forget_bias in runs]


MEMORY_LAGS = (10, 20, 50, 100)


@given_data("memory-span")
def memory_span():
    """Test accuracy of the first-bit task against the lag, per model (150 training batches)."""
    runs = [("RNN", "RNN", None), ("LSTM, default b_f", "LSTM", None), ("LSTM, b_f = 3", "LSTM", 3.0),
            ("GRU", "GRU", None)]
    return dict(lags=MEMORY_LAGS, accuracy={
        label: np.array([experiments.memory_span(kind, lag, train_steps=150, forget_bias=forget_bias)
                         for lag in MEMORY_LAGS])
        for label, kind, forget_bias in runs})
