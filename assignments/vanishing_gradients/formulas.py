"""Formula- and notation-level checks of the lectures: where an equation itself is wrong.

A formula has no single number, so each is shown on a small sample: `stated` is what the
lecture's formula gives there, `exact` what the right formula gives. Where the mistake is a
word or a symbol and no sample can show it, `stated` and `exact` are the two texts.
The numeric worked examples of the lectures live in the topic modules (forget_gate.py,
input_gate.py, output_gate.py, gru.py, vanishing.py).
"""
import numpy as np

from .. import lstm
from ..activations import sigmoid, sigmoid_grad_from_output, tanh, tanh_grad_from_output
from ..rnn import rnn_cell_forward
from .base import WorkedExample, vector

# A sample pre-activation, not a lecture number: negative, zero and positive.
SAMPLE_Z = vector(-2.0, 0.0, 2.0)


def examples():
    """The formula checks, in lecture order."""
    yield from lecture_000()
    yield from lecture_001()
    yield from lecture_002()
    yield from lecture_004()


def lecture_000():
    # "Why This Happens": h_t = tanh(W_h h_{t-1} + W_x x_t), later with + b. No bias is b = 0.
    rng = np.random.default_rng(0)
    W_x, W_h = rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, (3, 3))
    x_t, h_prev = vector(1.0, -1.0), vector(0.5, 0.0, -0.5)
    h_t, _ = rnn_cell_forward(x_t, h_prev, dict(W_x=W_x, W_h=W_h, b=np.zeros(3)))
    yield WorkedExample(
        key="000-rnn-without-bias", lecture="000", where='"Why This Happens: The Vanishing Gradient Problem"',
        what="h_t = tanh(W_h h_{t-1} + W_x x_t) (no b) against h_t = tanh(W_x x_t + W_h h_{t-1} + b) "
             "of the recap, on a sample",
        inputs=dict(x_t=x_t, h_prev=h_prev, W_x=W_x, W_h=W_h),
        stated=np.tanh(W_h @ h_prev + W_x @ x_t), exact=h_t, tolerance=1e-12,
        tags=("formulas", "rnn"),
    )
    # Lecture 000's ⊗, ⊕ and o_t · tanh(C_t) are another notation for the same elementwise
    # products and sum, not mistakes: the forget-gate notebook says so where it introduces ⊙.


def lecture_001():
    sentence = "The cat that chased the mouse that ate the cheese that sat on the table was hungry."
    words = sentence.rstrip(".").split()
    cat, was = words.index("cat") + 1, words.index("was") + 1  # counting words from 1
    yield WorkedExample(
        key="001-cat-was-distance", lecture="001", where='"Example: Why We Need LSTM"',
        what='how many words before "was" the subject "cat" stands',
        inputs=dict(sentence=sentence),
        stated=15, exact=was - cat,
        erratum=(f'Lecture 001 says "was" must be predicted from "cat" "15 words earlier". "cat" is '
                 f'word {cat} and "was" word {was} of the sentence: {was - cat} words earlier '
                 f'({was - cat - 1} words between them). The point stands: a plain RNN has to carry '
                 f'"cat" across {was - cat} steps.'),
        tolerance=0, tags=("formulas",),
    )


def lecture_002():
    # Step 3: "Then we add i(t) * c(t). These are the new candidate values ..."
    yield WorkedExample(
        key="002-step3-candidate", lecture="002", where='"STEP 3"',
        what="the term added to the cell state",
        inputs={}, stated="i(t) * c(t)", exact="i_t * C~_t",
        erratum=("Lecture 002's text for step 3 adds i(t) * c(t), the new cell state itself; the "
                 "formula beneath it is right: c_t = f_t * c_{t-1} + i_t * c~_t. What is added is the "
                 "input gate times the candidate C~_t."),
        tags=("formulas", "notation"),
    )
    # The four steps' equations, on a sample: they are the LSTM that lstm_ref implements.
    rng = np.random.default_rng(2)
    params = lstm.init_params(3, 2, rng=rng)
    x_t, h_prev, C_prev = vector(0.5, -1.0), vector(0.1, 0.2, -0.3), vector(1.0, -2.0, 0.5)
    v = np.r_[h_prev, x_t]
    f_t, i_t, o_t = (sigmoid(params[f"W_{g}"] @ v + params[f"b_{g}"]) for g in "fio")
    c_tilde = np.tanh(params["W_c"] @ v + params["b_c"])
    c_t = f_t * C_prev + i_t * c_tilde
    (h_t, _), _ = lstm.lstm_cell_forward(x_t, h_prev, C_prev, params)
    yield WorkedExample(
        key="002-four-steps", lecture="002", where='"Workings of LSTMs", steps 1-4',
        what="h_t from the four equations of lecture 002, on a sample, against lstm_ref",
        inputs=dict(x_t=x_t, h_prev=h_prev, C_prev=C_prev, params=params),
        stated=o_t * np.tanh(c_t), exact=h_t, tolerance=1e-12, tags=("formulas",),
    )


def lecture_004():
    yield WorkedExample(
        key="004-candidate-sigma", lecture="004", where='"States" and "How LSTM Solves Vanishing Gradient Problem"',
        what="the candidate state s~_t = act(W h_{t-1} + U x_t + b), for W h_{t-1} + U x_t + b = "
             "a sample [-2, 0, 2]",
        inputs=dict(z=SAMPLE_Z), stated=sigmoid(SAMPLE_Z), exact=tanh(SAMPLE_Z),
        erratum=("Lecture 004 writes the candidate state as s~_t = σ(W h_{t-1} + U x_t + b), twice. "
                 "The candidate is a tanh, as on the same deck's first slide "
                 "(c~ = tanh(W_c h + U_c x + b_c)): it must be able to write negative values into "
                 "the cell. A sigmoid only adds, in (0, 1)."),
        tags=("formulas", "sigmoid-for-tanh"),
    )
    yield WorkedExample(
        key="004-hidden-sigma", lecture="004", where='"States" and "How LSTM Solves Vanishing Gradient Problem"',
        what="h_t = o_t ⊙ act(s_t) for o_t = 1 and a sample cell state s_t = [-2, 0, 2]",
        inputs=dict(o_t=np.ones(3), s_t=SAMPLE_Z),
        stated=np.ones(3) * sigmoid(SAMPLE_Z), exact=lstm.hidden_state(np.ones(3), SAMPLE_Z),
        erratum=("Lecture 004 writes h_t = o_t ⊙ σ(s_t), twice. The cell state is read through "
                 "tanh: h_t = o_t ⊙ tanh(s_t), as on the deck's first slide. With σ, a cell state of "
                 f"0 would read as {sigmoid(0.0):g} and no h_t could be negative."),
        tags=("formulas", "sigmoid-for-tanh"),
    )
    yield WorkedExample(
        key="004-D-term-derivative", lecture="004", where='"Back propagating through time", eq. (6), D_t',
        what="the derivative of the candidate's activation in D_t, at a sample pre-activation [-2, 0, 2]",
        inputs=dict(z=SAMPLE_Z),
        stated=sigmoid_grad_from_output(sigmoid(SAMPLE_Z)),
        exact=tanh_grad_from_output(tanh(SAMPLE_Z)),
        erratum=("Lecture 004's D_t = σ'(W_c · [h_{t-1}, x_t]) · W_c · ... · i_t differentiates the "
                 "candidate as if it were a sigmoid. C~_t = tanh(W_c · [h_{t-1}, x_t] + b_c), so D_t "
                 f"has tanh'(a_c) = 1 - C~_t^2, up to 4 times σ' (at a_c = 0: {tanh_grad_from_output(0.0):g} "
                 f"against {sigmoid_grad_from_output(0.5):g}). lstm_ref.gradient_flow computes D_t with "
                 "tanh'; tests/test_lstm_ref_gradient_flow.py checks the sum of the four terms against "
                 "torch's autograd."),
        tags=("formulas", "gradient-flow", "sigmoid-for-tanh"),
    )
    rng = np.random.default_rng(4)
    W_f, v, b_f = rng.uniform(-1, 1, (3, 6)), rng.uniform(-1, 1, 6), vector(1.0, -1.0, 0.5)
    yield WorkedExample(
        key="004-derivative-without-bias", lecture="004", where='"Back propagating through time", A_t, C_t, D_t',
        what="σ'(a_f) in A_t, with the lecture's a_f = W_f · [h_{t-1}, x_t] against "
             "W_f · [h_{t-1}, x_t] + b_f, on a sample",
        inputs=dict(W_f=W_f, concat=v, b_f=b_f),
        stated=sigmoid_grad_from_output(sigmoid(W_f @ v)),
        exact=sigmoid_grad_from_output(sigmoid(W_f @ v + b_f)),
        erratum=("Lecture 004 evaluates σ'(W_f · [h_{t-1}, x_t]), σ'(W_i · ...) and σ'(W_c · ...) "
                 "without the biases. The derivative is taken where the gate was evaluated: at "
                 "W_f · [h_{t-1}, x_t] + b_f (and + b_i, + b_c)."),
        tags=("formulas", "gradient-flow"),
    )
    n_units, n_inputs = 3, 3  # the deck's forget-gate example: [h_{t-1}, x_t] has 6 entries
    yield WorkedExample(
        key="004-jacobian-weight-shape", lecture="004", where='"Back propagating through time", A_t, C_t, D_t',
        what="the shape of the matrix that maps dh_{t-1} = o_{t-1} ⊗ tanh'(c_{t-1}) into the gate, "
             "for 3 units and a 3-dim x_t",
        inputs=dict(n_units=n_units, n_inputs=n_inputs),
        stated=(n_units, n_units + n_inputs), exact=(n_units, n_units),
        erratum=("In A_t = σ'(...) · W_f · o_{t-1} ⊗ tanh'(c_{t-1}) · c_{t-1}, lecture 004's W_f is the "
                 "n x (n + m) matrix of W_f · [h_{t-1}, x_t]; it cannot multiply the n-vector "
                 "o_{t-1} ⊗ tanh'(c_{t-1}). c_{t-1} reaches the gate only through h_{t-1}, so the "
                 "matrix is the n x n block of W_f acting on h_{t-1} (the W_f of the deck's own "
                 "W_f h + U_f x notation). Each term is an n x n matrix: A_t = diag(c_{t-1} ⊙ σ'(a_f)) "
                 "W_f^h diag(o_{t-1} ⊙ tanh'(c_{t-1})), and B_t = diag(f_t). The factor "
                 "o_{t-1} ⊗ tanh'(c_{t-1}) itself is right: it is dh_{t-1}/dc_{t-1}."),
        tags=("formulas", "gradient-flow", "shapes"),
    )
    n, m = 3, 3  # the deck's forget-gate example: 3 units, [h_{t-1}, x_t] of length 6
    yield WorkedExample(
        key="004-weight-is-not-seq-length", lecture="004", where='"Forget Gate" (C_{t-1} = 5 5 5)',
        what=f"what the {n + m} in the {n} x {n + m} weight W_f counts",
        inputs=dict(n_units=n, n_inputs=m),
        stated=f"Weight = units x seq length; seq length is {n + m}",
        exact=f"W_f is units x (n + m) = {n} x ({n} + {m}): {n + m} is the length of [h_{{t-1}}, x_t]",
        erratum=(f"Lecture 004 calls the {n + m} a sequence length. It is the length of one concatenated "
                 f"vector [h_{{t-1}}, x_t] (n = {n} hidden units plus m = {m} inputs). The sequence length "
                 "T never enters a weight's shape: the same W_f is used at every time step."),
        tags=("formulas", "shapes"),
    )
    yield WorkedExample(
        key="004-gradient-single-path", lecture="004", where='"Back propagating through time", eq. (4)',
        what="dE_k/dW",
        inputs={},
        stated="dE_k/dW = dE_k/dh_k dh_k/dc_k (prod_{t=2..k} dc_t/dc_{t-1}) dc_1/dW",
        exact="dE_k/dW = sum_{j=1..k} dE_k/dc_k (prod_{t=j+1..k} dc_t/dc_{t-1}) ∂c_j/∂W + the paths through h_t",
        erratum=("Lecture 004's eq. (4) keeps one path: W used at step 1, reaching E_k through the cell "
                 "only. W is used at every step, so dE_k/dW sums one such product per step j = 1..k "
                 "(plus paths through h_t and o_t). The lecture's conclusion survives: each product "
                 "of dc_t/dc_{t-1} contains f_t, which the network can hold near 1."),
        tags=("formulas", "gradient-flow"),
    )
