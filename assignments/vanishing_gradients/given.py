"""Data the notebooks are given, computed when the course is released: `given("key")` in a
notebook reads what GIVEN["key"]() returned here (student_kit.display.given).

Some need PyTorch (the instructor has it; a student need not): their results reach the student
as numbers. The slow ones are cached on disk (see cached), keyed by the code that makes them.
"""
import hashlib
import inspect
import json

import numpy as np

from lstm_ref import facts, init_params
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
    code = inspect.getsource(function) + inspect.getsource(experiments) + inspect.getsource(facts)
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
    reset convention (same weights, b_hn dropped for the lecture's): the text's facts' measurement."""
    torch_convention, lecture_convention = facts.gru_torch_parity()
    return dict(torch_convention=torch_convention, lecture_convention=lecture_convention)


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
    """||dh_T/dh_{T-k}|| against the lag k at initialisation (32 units, autograd), per model: the
    measurement the notebook's text quotes (lstm_ref.facts)."""
    return [dict(kind=facts.GRADIENT_RUNS[run][0], forget_bias=facts.GRADIENT_RUNS[run][1], norms=norms)
            for run, norms in facts.gradient_by_lag().items()]


MEMORY_LAGS = (10, 20, 50, 100)
MEMORY_LABELS = {"RNN": "RNN", "LSTM": "LSTM, default b_f", "LSTM b_f=3": "LSTM, b_f = 3", "GRU": "GRU"}


@given_data("memory-span")
def memory_span():
    """Test accuracy of the first-bit task against the lag, per model (the text's facts' runs)."""
    return dict(lags=MEMORY_LAGS, accuracy={
        label: np.array([facts.memory(run, lag) for lag in MEMORY_LAGS]) for run, label in MEMORY_LABELS.items()})
