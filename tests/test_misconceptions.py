"""The catalogue of known mistakes (each assignment's mistakes.py): each known mistake is told
apart from the right answer and named when a student makes it, and a right answer, however it
is written, is never named.
"""
import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

import lstm_ref
from assignments.inputs import gate_inputs as random_gate_inputs
from assignments.lectures import LECTURES, lecture_title
from autograder.checks import wrong_answer
from autograder.course import assignments, exercises, mistakes
from catalogue import diagnose, diagnose_error, hint, matches, mentions
from judge import check_random
from student_kit import messages
from student_kit.values import same

ENTRIES = list(mistakes().values())


def spec(exercise_name):
    """(reference, random inputs) of a graded function."""
    exercise = exercises()[exercise_name]
    return exercise.reference, exercise.random_inputs


def first_failure(exercise_name, student_function, seed, trials=10):
    """What check_random would add to its message for `student_function`: the diagnosis."""
    reference, random_inputs = spec(exercise_name)
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        arguments = random_inputs(rng)
        expected = reference(*arguments)
        try:
            with np.errstate(all="ignore"):
                received = student_function(*arguments)
        except Exception as error:
            return diagnose_error(exercise_name, arguments, error)
        if not same(received, expected):
            return diagnose(exercise_name, arguments, received, expected)
    return None


def test_a_wrong_function_calls_only_right_functions():
    """In a mistakes.py, a name a wrong function calls (sigmoid, forget_gate, lstm_cell) is the
    right function, as a student's other functions are in the notebook: never another mistake."""
    wrong = {entry.function for entry in ENTRIES} | {entry.wrong for entry in ENTRIES}
    for entry in ENTRIES:
        for name in entry.function.__code__.co_names:
            value = entry.function.__globals__.get(name)
            assert value not in wrong, f"{entry.key} calls {name}, which is a wrong function of the catalogue"


# The catalogue.

# The issue's list of misconceptions, each with the entries that cover it.
REQUIRED = {
    "σ and tanh swapped in the gates": ["forget_gate/tanh-for-σ", "input_gate/tanh-for-σ", "output_gate/tanh-for-σ",
                                        "update_gate/tanh-for-σ", "reset_gate/tanh-for-σ",
                                        "lstm_cell/tanh-for-σ-in-gates"],
    "σ and tanh swapped in the candidate": ["candidate/σ-for-tanh", "gru_candidate/σ-for-tanh",
                                            "lstm_cell/σ-for-tanh-in-candidate"],
    "σ and tanh swapped in h_t": ["hidden_state/σ-for-tanh", "lstm_cell/σ-for-tanh-in-h"],
    "[x_t, h_{t-1}] for [h_{t-1}, x_t]": ["forget_gate/x-before-h", "lstm_cell/x-before-h", "gru_cell/x-before-h"],
    "matrix product for ⊙": ["forget/matrix-product-for-⊙", "cell_update/matrix-product-for-⊙",
                             "hidden_state/matrix-product-for-⊙", "gru_hidden_state/matrix-product-for-⊙"],
    "⊙ for matrix product": ["forget_gate/elementwise-for-matrix-product", "candidate/elementwise-for-matrix-product"],
    "bias left out": ["forget_gate/no-bias", "lstm_cell/no-bias", "gru_candidate/no-bias", "lstm_param_count/no-bias"],
    "gates mixed up (i for f, o for i)": ["lstm_cell/i-for-f", "lstm_cell/o-for-i", "gru_cell/r-for-z"],
    "C_t for tanh(C_t) in h_t": ["hidden_state/C-for-tanh-C", "lstm_cell/C-for-tanh-C"],
    "forget gate applied to the candidate": ["cell_update/forget-applied-to-candidate",
                                             "lstm_cell/forget-applied-to-candidate"],
    "GRU's z_t and 1 - z_t swapped": ["gru_hidden_state/z-swapped", "gru_cell/z-swapped"],
    "reset gate in the other convention": ["gru_candidate/torch-reset", "gru_cell/torch-reset"],
    "off by one in time": ["lstm_forward/stored-before-step", "lstm_cell/h-from-previous-cell"],
    "initial state ignored": ["lstm_forward/initial-state-ignored"],
    "wrong axis in a batch": ["lstm_forward/stacked-along-batch-axis", "lstm_forward/time-along-batch-axis",
                              "lstm_cell/concatenated-along-batch-axis"],
}


@pytest.mark.parametrize("misconception", REQUIRED)
def test_the_catalogue_covers_the_issues_list(misconception):
    missing = [key for key in REQUIRED[misconception] if key not in mistakes()]
    assert not missing, f"{misconception}: no catalogue entry {missing}"


def test_every_entry_names_a_known_exercise_and_lecture_in_one_sentence():
    assert len(ENTRIES) == sum(len(a.mistakes) for a in assignments())
    for entry in ENTRIES:
        assert entry.key.startswith(entry.exercise + "/")
        assert entry.exercise in exercises(), entry.key
        assert entry.lecture in LECTURES and entry.where, entry.key
        assert entry.says.endswith(".") and "\n" not in entry.says, entry.key
        assert entry.hint.startswith("Likely mistake: ") and lecture_title(entry.lecture) in entry.hint
        assert ".txt" not in entry.hint, "students have the lectures' titles, not the transcript files"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_the_wrong_answer_differs_from_the_right_one_in_every_hidden_test_draw(entry):
    reference, random_inputs = spec(entry.exercise)
    for seed in range(20):
        rng = np.random.default_rng(seed)
        differs = 0
        for _ in range(10):
            arguments = random_inputs(rng)
            wrong, error = wrong_answer(entry, arguments)
            differs += error is not None or not same(wrong, reference(*arguments))
        assert differs, f"seed {seed}: ten random cases cannot tell {entry.key} from the right answer"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.key)
def test_a_student_who_makes_the_mistake_is_told_so(entry):
    for seed in range(5):
        with pytest.raises(AssertionError) as failure:
            check_random(entry.exercise, entry.wrong, seed=seed)
        assert mentions(str(failure.value), entry)
        diagnosis = first_failure(entry.exercise, entry.wrong, seed)
        assert diagnosis is not None and mentions(diagnosis, entry), f"seed {seed}: {diagnosis!r}"


def test_a_mistake_invisible_on_the_lectures_numbers_is_caught_by_the_hidden_test():
    from judge import check_example

    no_bias = mistakes()["forget_gate/no-bias"]
    check_example("forget_gate", no_bias.wrong, "004-forget-gate")  # lecture 004 has b_f = 0
    with pytest.raises(AssertionError, match="you left out the bias b_f"):
        check_random("forget_gate", no_bias.wrong, seed=202)


def test_inputs_that_cannot_tell_mistakes_apart_say_so():
    text = hint([mistakes()["forget/one-minus-f"], mistakes()["forget/matrix-product-for-⊙"]])
    assert "cannot tell 2 known mistakes apart" in text
    assert text.count("Likely mistake:") == 2
    assert max(len(line) for line in text.splitlines()) <= messages.WIDTH


def test_an_unknown_wrong_answer_gets_no_hint():
    W, h_prev, x_t, b = random_gate_inputs(np.random.default_rng(3))
    expected = lstm_ref.forget_gate(W, h_prev, x_t, b)
    assert diagnose("forget_gate", (W, h_prev, x_t, b), expected + 0.1, expected) == ""
    assert diagnose("forget_gate", (W, h_prev, x_t, b), "nonsense", expected) == ""
    assert diagnose_error("forget_gate", (W, h_prev, x_t, b), KeyError("x")) == ""


# Right answers, written in other ways, are never named.

def loop_gate(activation):
    def gate(W, h_prev, x_t, b):
        z = list(h_prev) + list(x_t)
        return np.array([activation(sum(W[i][j] * z[j] for j in range(len(z))) + b[i]) for i in range(len(b))])
    return gate


def einsum_gate(activation):
    return lambda W, h_prev, x_t, b: activation(np.einsum("ij,j->i", W, np.hstack([h_prev, x_t])) + b)


def split_gate(activation):
    """W_h h_{t-1} + W_x x_t + b: lecture 004's W h + U x notation."""
    return lambda W, h_prev, x_t, b: activation(W[:, :len(h_prev)] @ h_prev + W[:, len(h_prev):] @ x_t + b)


def loop_forward(x, h0, C0, params):
    h, C = h0.copy(), C0.copy()
    h_all = np.empty((x.shape[0],) + h0.shape)
    for t in range(len(x)):
        i_t = expit(np.concatenate([h, x[t]], axis=-1) @ params["W_i"].T + params["b_i"])
        f_t = expit(np.concatenate([h, x[t]], axis=-1) @ params["W_f"].T + params["b_f"])
        o_t = expit(np.concatenate([h, x[t]], axis=-1) @ params["W_o"].T + params["b_o"])
        C = f_t * C + i_t * np.tanh(np.concatenate([h, x[t]], axis=-1) @ params["W_c"].T + params["b_c"])
        h = o_t * np.tanh(C)
        h_all[t] = h
    return h_all, C


def einsum_cell(x_t, h_prev, C_prev, params):
    z = np.concatenate([h_prev, x_t], axis=-1)
    a = {g: np.einsum("...j,ij->...i", z, params[f"W_{g}"]) + params[f"b_{g}"] for g in "fico"}
    C_t = expit(a["f"]) * C_prev + expit(a["i"]) * np.tanh(a["c"])
    return expit(a["o"]) * np.tanh(C_t), C_t


def torch_style_gru_cell(x_t, h_prev, p):
    """The lecture's GRU with PyTorch's split weights, written out by hand."""
    n = h_prev.shape[-1]
    z_t = expit(h_prev @ p["W_z"][:, :n].T + x_t @ p["W_z"][:, n:].T + p["b_z"])
    r_t = expit(h_prev @ p["W_r"][:, :n].T + x_t @ p["W_r"][:, n:].T + p["b_r"])
    h_tilde = np.tanh((r_t * h_prev) @ p["W_h"][:, :n].T + x_t @ p["W_h"][:, n:].T + p["b_h"])
    return h_tilde + z_t * (h_prev - h_tilde)


def _cell_pieces(x_t, C_prev, o_prev, params):
    """Gates and d = dh_{t-1}/dC_{t-1} of lecture 004's cell, from the course's gates."""
    n = len(C_prev)
    h_prev = o_prev * np.tanh(C_prev)
    f = lstm_ref.forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i = lstm_ref.input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    c = lstm_ref.candidate(params["W_c"], h_prev, x_t, params["b_c"])
    return n, f, i, c, o_prev * (1 - np.tanh(C_prev) ** 2)


def cell_state_jacobian_with_diagonal_matrices(x_t, C_prev, o_prev, params):
    n, f, i, c, d = _cell_pieces(x_t, C_prev, o_prev, params)
    U = {k: params[k][:, :n] for k in ("W_f", "W_i", "W_c")}
    return (np.diag(C_prev * f * (1 - f)) @ U["W_f"] @ np.diag(d) + np.diag(f)
            + np.diag(c * i * (1 - i)) @ U["W_i"] @ np.diag(d) + np.diag(i * (1 - c * c)) @ U["W_c"] @ np.diag(d))


def cell_state_jacobian_entry_by_entry(x_t, C_prev, o_prev, params):
    n, f, i, c, d = _cell_pieces(x_t, C_prev, o_prev, params)
    J = np.zeros((n, n))
    for j in range(n):
        for k in range(n):
            J[j, k] = (C_prev[j] * f[j] * (1 - f[j]) * params["W_f"][j, k] * d[k] + (f[j] if j == k else 0.0)
                       + c[j] * i[j] * (1 - i[j]) * params["W_i"][j, k] * d[k]
                       + i[j] * (1 - c[j] ** 2) * params["W_c"][j, k] * d[k])
    return J


def cell_backward_split_weights(dh_t, dC_t, cache):
    """lstm_cell_backward with W_g split into its h- and x-columns (lecture 004's W h + U x)."""
    p, n = cache["params"], cache["C_t"].shape[1]
    tanh_C = np.tanh(cache["C_t"])
    dC = dC_t + dh_t * cache["o_t"] * (1 - tanh_C * tanh_C)
    gates = {"f": (dC * cache["C_prev"], cache["f_t"], True), "i": (dC * cache["C_tilde"], cache["i_t"], True),
             "c": (dC * cache["i_t"], cache["C_tilde"], False), "o": (dh_t * tanh_C, cache["o_t"], True)}
    dW, db, dh_prev, dx_t = [], [], 0, 0
    for gate, (d_out, out, is_sigmoid) in gates.items():
        da = d_out * (out * (1 - out) if is_sigmoid else 1 - out ** 2)
        W_h, W_x = p[f"W_{gate}"][:, :n], p[f"W_{gate}"][:, n:]
        dW.append(np.hstack([np.einsum("bi,bj->ij", da, cache["h_prev"]), np.einsum("bi,bj->ij", da, cache["x_t"])]))
        db.append(np.einsum("bi->i", da))
        dh_prev, dx_t = dh_prev + da @ W_h, dx_t + da @ W_x
    return dx_t, dh_prev, dC * cache["f_t"], np.array(dW), np.array(db)


def backward_with_running_sums(dh_all, caches):
    """lstm_backward that adds into preallocated arrays, one example of the batch at a time."""
    T, B, n = np.shape(dh_all)
    m = caches[0]["x_t"].shape[1]
    dx, dW, db = np.zeros((T, B, m)), np.zeros((4, n, n + m)), np.zeros((4, n))
    dh_0, dC_0 = np.zeros((B, n)), np.zeros((B, n))
    for b in range(B):
        dh, dC = np.zeros((1, n)), np.zeros((1, n))
        for t in range(T - 1, -1, -1):
            one = {key: (value[b:b + 1] if key != "params" else value) for key, value in caches[t].items()}
            dx_t, dh, dC, dW_t, db_t = cell_backward_split_weights(dh_all[t][b:b + 1] + dh, dC, one)
            dx[t, b], dW, db = dx_t[0], dW + dW_t, db + db_t
        dh_0[b], dC_0[b] = dh[0], dC[0]
    return dx, dh_0, dC_0, dW, db


def grad_check_flat(f, x, df, eps=1e-6):
    """Centred differences over a flat copy of x, another step size."""
    x = np.array(x, dtype=float)
    flat, grad = x.reshape(-1), np.zeros(x.size)
    for k in range(x.size):
        step = np.zeros(x.size)
        step[k] = eps
        grad[k] = (np.vdot(f((flat + step).reshape(x.shape)), df)
                   - np.vdot(f((flat - step).reshape(x.shape)), df)) / (2 * eps)
    return grad.reshape(x.shape)


RIGHT_ANSWERS = {
    "sigmoid": [expit, lambda z: np.exp(-np.logaddexp(0, -z)), lambda z: 0.5 * (1 + np.tanh(z / 2))],
    "gate_preactivation": [loop_gate(lambda a: a), einsum_gate(lambda a: a), split_gate(lambda a: a)],
    "forget_gate": [loop_gate(expit), einsum_gate(expit), split_gate(expit)],
    "input_gate": [loop_gate(expit), einsum_gate(expit)],
    "output_gate": [split_gate(expit), einsum_gate(expit)],
    "update_gate": [loop_gate(expit), split_gate(expit)],
    "reset_gate": [einsum_gate(expit), split_gate(expit)],
    "candidate": [loop_gate(np.tanh), einsum_gate(np.tanh), split_gate(lambda a: 2 * expit(2 * a) - 1)],
    "forget": [np.multiply, lambda f, C: np.array([a * b for a, b in zip(f, C)]), lambda f, C: np.diag(f) @ C],
    "cell_update": [lambda f, C, i, Ct: np.diag(f) @ C + np.diag(i) @ Ct,
                    lambda f, C, i, Ct: np.einsum("i,i->i", f, C) + np.einsum("i,i->i", i, Ct)],
    "hidden_state": [lambda o, C: o * (1 - 2 / (np.exp(2 * C) + 1)), lambda o, C: np.diag(o) @ np.tanh(C)],
    "forget_weight_shape": [lambda n, m: [n, n + m], lambda n, m: np.zeros((n, n + m)).shape],
    "lstm_param_count": [lambda n, m: 4 * n * (n + m + 1), lambda n, m: sum(n * (n + m) + n for _ in "fico")],
    "lstm_cell": [einsum_cell],
    "lstm_forward": [loop_forward],
    "last_hidden_state": [lambda h_all, lengths: np.stack([h_all[L - 1, b] for b, L in enumerate(lengths)]),
                          lambda h_all, lengths: np.take_along_axis(
                              h_all, (np.asarray(lengths) - 1)[None, :, None], axis=0)[0]],
    "gru_candidate": [lambda W, h, x, b, r: np.tanh(W[:, :len(h)] @ (r * h) + W[:, len(h):] @ x + b)],
    "gru_hidden_state": [lambda z, h, ht: ht + z * (h - ht), lambda z, h, ht: ht - z * ht + z * h],
    "gru_cell": [torch_style_gru_cell],
    "rnn_jacobian": [lambda W, h: (1 - h**2)[:, None] * W, lambda W, h: np.einsum("i,ij->ij", 1 - h * h, W)],
    "jacobian_product": [lambda J: np.linalg.multi_dot(list(J[::-1]) + [np.eye(J.shape[-1])]),
                         lambda J: functools.reduce(lambda P, J_t: np.einsum("ij,jk->ik", J_t, P), J, np.eye(J.shape[-1]))],
    "gradient_norms": [lambda J: np.array([np.linalg.svd(functools.reduce(lambda P, J_t: J_t @ P, J[:k]),
                                                         compute_uv=False)[0] for k in range(1, len(J) + 1)])],
    "cell_state_jacobian": [cell_state_jacobian_with_diagonal_matrices, cell_state_jacobian_entry_by_entry],
    "lstm_cell_backward": [cell_backward_split_weights],
    "lstm_backward": [backward_with_running_sums],
    "grad_check": [grad_check_flat],
    "relative_error": [lambda a, b: np.sqrt(np.sum((a - b) ** 2)) / (np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b)))],
    "memory_trace": [lambda f, i, s: np.array([0.0 if t < s else i[s] * np.prod(f[s + 1:t + 1]) for t in range(len(f))]),
                     lambda f, i, s: np.where(np.arange(len(f)) >= s, i[s] * np.cumprod(np.r_[1.0, f[s + 1:]])[
                         np.clip(np.arange(len(f)) - s, 0, None)], 0.0)],
}


def test_every_exercise_with_known_mistakes_has_right_answers_written_differently():
    assert {entry.exercise for entry in ENTRIES} <= set(RIGHT_ANSWERS)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), exercise_name=st.sampled_from(sorted(RIGHT_ANSWERS)))
def test_a_right_answer_written_differently_is_never_named(seed, exercise_name):
    reference, random_inputs = spec(exercise_name)
    arguments = random_inputs(np.random.default_rng(seed))
    expected = reference(*arguments)
    for right in RIGHT_ANSWERS[exercise_name]:
        received = right(*arguments)
        assert same(received, expected)
        # Even asked directly (the checks never ask for a right answer), no mistake matches.
        assert matches(exercise_name, arguments, received, expected) == []


@pytest.mark.parametrize("exercise_name", sorted(set(exercises()) & set(RIGHT_ANSWERS)))
def test_right_answers_written_differently_pass_the_checks(exercise_name):
    for right in RIGHT_ANSWERS[exercise_name]:
        for seed in range(3):
            check_random(exercise_name, right, seed=seed)


def test_the_solutions_pass_every_check_and_are_never_named(kit_data, monkeypatch, tmp_path):
    """Run every solution notebook's code (answers and all its tests, hidden ones sealed with
    their results as plain nbgrader runs them) in plain Python, beside the files a student hands
    in; demonstrations and training skip themselves, as when the work is graded."""
    from autograder import samples

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.chdir(tmp_path)
    import nbformat

    from autograder.cells import seal

    for assignment in assignments():
        kit_data(assignment.id)
        for name, content in samples.solution_files(assignment.id).items():
            (tmp_path / name).write_bytes(content)
        for path in assignment.source_notebooks:
            namespace = {}
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code":
                    exec(seal(cell.source), namespace)  # noqa: S102 - the course's own notebooks
            for name in set(exercises()) & set(namespace):
                reference, random_inputs = spec(name)
                rng = np.random.default_rng(7)
                for _ in range(10):
                    arguments = random_inputs(rng)
                    assert matches(name, arguments, namespace[name](*arguments), reference(*arguments)) == []
