"""Vanishing gradients: lecture 004's dC_t/dC_{t-1} = A_t + B_t + C_t + D_t and its product
over time, and the RNN's dh_t/dh_{t-1} (lecture 000's recap).

Lecture 004 argues that A_t ~ 0.1, B_t = f_t ~ 0.7, C_t ~ 0.1, D_t ~ 0.1 add up to ~1, so
their product over time stays ~1 and the gradient does not vanish. Two things are wrong with
that: A_t, C_t and D_t are n x n matrices (Jacobians) whose entries have either sign, not
vectors of 0.1; and a product of factors that are each only *about* 1 is not about 1 after
many steps (0.9^50 = 0.005). On a real LSTM cell whose forget gate is about 0.7, the product
shrinks steadily with k (the example "004-cell-product-norms" says how fast).
"""

import numpy as np

from assignments.declare import WorkedExample, percent, vector
from lstm_ref import gradient_flow, lstm
from lstm_ref.activations import sigmoid, sigmoid_grad_from_output, tanh, tanh_grad_from_output
from lstm_ref.rnn import rnn_cell_forward

from .exercises import lasting_lags
from .measure import LONG, MEASURED, SHORT

VANISHED = 1e-6  # the level below which the text calls a gradient vanished
POWER = f"10^{round(np.log10(VANISHED))}"

# Lecture 004, "Preventing the error gradients from vanishing": the sizes it suggests.
LECTURE_TERMS = dict(A_t=0.1, B_t=0.7, C_t=0.1, D_t=0.1)
N_UNITS, N_INPUTS, STEPS = 3, 4, 20


def real_cell(seed=4):
    """A 3-unit LSTM cell with PyTorch's default initialisation except b_f, set so that
    sigma(b_f) = B_t = 0.7 as lecture 004 assumes; one step's x_t, C_{t-1}, o_{t-1}, and a
    20-step input sequence x (20, 4) with C_0, o_0 for the product over time."""
    rng = np.random.default_rng(seed)
    params = lstm.init_params(N_UNITS, N_INPUTS, rng=rng)
    forget = LECTURE_TERMS["B_t"]
    params["b_f"] = np.full(N_UNITS, np.log(forget / (1 - forget)))
    x = rng.normal(size=(STEPS, N_INPUTS))
    C_0, o_0 = rng.normal(size=N_UNITS), rng.uniform(0, 1, N_UNITS)
    return params, x, C_0, o_0


def forget_gates(params, x, C_0, o_0):
    """f_t at every step of the real cell's sequence (T, n), with h_{t-1} = o_{t-1} * tanh(C_{t-1})."""
    gates, C, o = [], C_0, o_0
    for x_t in x:
        (_, C), cache = lstm.lstm_cell_forward(x_t, o * np.tanh(C), C, params)
        gates.append(cache["f_t"])
        o = cache["o_t"]
    return np.array(gates)


# A sample pre-activation, not a lecture number: negative, zero and positive.
SAMPLE_Z = vector(-2.0, 0.0, 2.0)


def examples():
    # The lecture's own arithmetic, taken literally: each term a vector, each step's factor
    # diag(A_t + B_t + C_t + D_t), three steps. Right as arithmetic.
    factor = np.diag(np.full(N_UNITS, sum(LECTURE_TERMS.values())))
    literal = np.stack([factor] * 3)
    yield WorkedExample(
        key="004-cell-product-literal",
        lecture="004",
        where='"Preventing the error gradients from vanishing", last equation',
        what="prod_{t=2}^{4} [A_t + B_t + C_t + D_t] with A_t = C_t = D_t = 0.1, B_t = 0.7 in every unit "
        "(as diagonal 3 x 3 Jacobians, latest step on the left)",
        inputs=dict(jacobians=literal),
        stated=np.eye(N_UNITS),
        exact=gradient_flow.jacobian_products(literal)[-1],
        tags=("vanishing",),
    )

    params, x, C_0, o_0 = real_cell()
    x_t = x[0]
    jacobian = gradient_flow.cell_state_jacobian(x_t, C_0, o_0, params)
    terms = gradient_flow.cell_state_jacobian_terms(x_t, C_0, o_0, params)
    largest = max(np.abs(terms[t]).max() for t in ("A_t", "C_t", "D_t"))
    yield WorkedExample(
        key="004-cell-jacobian",
        lecture="004",
        where='"Back propagating through time for gradient computation", eq. (6)',
        what="dC_t/dC_{t-1}, lecture 004's sum of four terms A_t + B_t + C_t + D_t (this C_t is the third "
        f"term, not the cell state), on a real {N_UNITS}-unit LSTM cell with σ(b_f) = 0.7",
        inputs=dict(x_t=x_t, C_prev=C_0, o_prev=o_0, params=params),
        stated=np.full(N_UNITS, sum(LECTURE_TERMS.values())),
        exact=jacobian,
        erratum=(
            "Lecture 004 adds A_t ≈ 0.1, B_t = f_t ≈ 0.7, C_t ≈ 0.1, D_t ≈ 0.1 as if they were "
            f"vectors and gets ≈ 1 per unit. They are {N_UNITS} x {N_UNITS} matrices (entry [j, k]: how "
            "unit j of the new cell state moves with unit k of the old one); only B_t = diag(f_t) is "
            f"diagonal. On this cell the entries of A_t, C_t and D_t (this C_t is the third term, not the "
            f"cell state) are at most {largest:.3f} in size, "
            "of either sign, not 0.1, and the sum's diagonal is "
            f"{np.array2string(np.diag(jacobian), precision=3, separator=', ', floatmode='fixed')}, not 1. "
            "The lecture's D_t also has "
            "σ' where tanh' belongs: C~_t = tanh(...), so its derivative is 1 - C~_t^2."
        ),
        tolerance=1e-9,
        tags=("vanishing",),
    )

    jacobians = sum(gradient_flow.lstm_cell_state_jacobians(x, C_0, o_0, params).values())
    norms = gradient_flow.spectral_norms(gradient_flow.jacobian_products(jacobians))
    mean_forget = forget_gates(params, x, C_0, o_0).mean()
    per_step = (norms[-1] / norms[0]) ** (1 / (STEPS - 1))
    yield WorkedExample(
        key="004-cell-product-norms",
        lecture="004",
        where='"Preventing the error gradients from vanishing", last equation',
        what=f"||prod_{{t=1}}^{{k}} dC_t/dC_{{t-1}}|| for k = 1..{STEPS} on the same cell (σ(b_f) = 0.7), "
        "largest singular value",
        inputs=dict(jacobians=jacobians),
        stated=np.ones(STEPS),
        exact=norms,
        erratum=(
            "Lecture 004 concludes that the product stays ≈ 1. On a real cell whose forget gate "
            f"averages {mean_forget:.2f} over the {STEPS} steps it shrinks: {norms[0]:.3f} after 1 step, "
            f"{norms[9]:.2e} after 10, {norms[-1]:.2e} after {STEPS}, about {per_step:.2f} per step "
            f"(for comparison, 0.7^{STEPS} = {0.7**STEPS:.2e}). A product of factors that are each "
            "only about 1 is not about 1 after many steps; the cell state keeps a gradient alive only "
            "where f_t is close to 1, which is what a large b_f buys."
        ),
        tolerance=1e-12,
        tags=("vanishing",),
    )

    # Lecture 000's RNN recap, h_t = tanh(W_h h_{t-1} + W_x x_t), has no numbers: the course's.
    W_h, h_t = np.array([[0.5, -1.0, 0.0], [1.0, 0.25, 0.5], [0.0, 2.0, -0.5]]), vector(0.5, -0.9, 0.0)
    yield WorkedExample(
        key="000-rnn-jacobian",
        lecture="000",
        where="RNN recap, h_t = tanh(W_h h_{t-1} + W_x x_t) (no numbers in the lecture; these are the course's)",
        what="dh_t/dh_{t-1} = diag(1 - h_t^2) W_h",
        inputs=dict(W_h=W_h, h_t=h_t),
        stated=None,
        exact=gradient_flow.rnn_hidden_jacobian(W_h, h_t),
        tags=("vanishing",),
        course_inputs=True,
    )
    yield from lecture_000()
    yield from lecture_001()
    yield from lecture_004()


# Formula- and notation-level checks: where an equation itself is wrong. A formula has no single
# number, so each is shown on a small sample: `stated` is what the lecture's formula gives
# there, `exact` what the right formula gives; where the mistake is a word or a symbol, the two texts.


def lecture_000():
    # "Why This Happens": h_t = tanh(W_h h_{t-1} + W_x x_t), later with + b. No bias is b = 0.
    rng = np.random.default_rng(0)
    W_x, W_h = rng.uniform(-1, 1, (3, 2)), rng.uniform(-1, 1, (3, 3))
    x_t, h_prev = vector(1.0, -1.0), vector(0.5, 0.0, -0.5)
    h_t, _ = rnn_cell_forward(x_t, h_prev, dict(W_x=W_x, W_h=W_h, b=np.zeros(3)))
    yield WorkedExample(
        key="000-rnn-without-bias",
        lecture="000",
        where='"Why This Happens: The Vanishing Gradient Problem"',
        what="h_t = tanh(W_h h_{t-1} + W_x x_t) (no b) against h_t = tanh(W_x x_t + W_h h_{t-1} + b) "
        "of the recap, on a sample",
        inputs=dict(x_t=x_t, h_prev=h_prev, W_x=W_x, W_h=W_h),
        stated=np.tanh(W_h @ h_prev + W_x @ x_t),
        exact=h_t,
        tolerance=1e-12,
        tags=("formulas", "rnn"),
    )
    # Lecture 000's ⊗, ⊕ and o_t · tanh(C_t) are another notation for the same elementwise
    # products and sum, not mistakes: the forget-gate notebook says so where it introduces ⊙.


def lecture_001():
    sentence = "The cat that chased the mouse that ate the cheese that sat on the table was hungry."
    words = sentence.rstrip(".").split()
    cat, was = words.index("cat") + 1, words.index("was") + 1  # counting words from 1
    yield WorkedExample(
        key="001-cat-was-distance",
        lecture="001",
        where='"Example: Why We Need LSTM"',
        what='how many words before "was" the subject "cat" stands',
        inputs=dict(sentence=sentence),
        stated=15,
        exact=was - cat,
        erratum=(
            f'Lecture 001 says "was" must be predicted from "cat" "15 words earlier". "cat" is '
            f'word {cat} and "was" word {was} of the sentence: {was - cat} words earlier '
            f"({was - cat - 1} words between them). The point stands: a plain RNN has to carry "
            f'"cat" across {was - cat} steps.'
        ),
        tolerance=0,
        tags=("formulas",),
    )


def lecture_004():
    yield WorkedExample(
        key="004-D-term-derivative",
        lecture="004",
        where='"Back propagating through time", eq. (6), D_t',
        what="the derivative of the candidate's activation in D_t, at a sample pre-activation [-2, 0, 2]",
        inputs=dict(z=SAMPLE_Z),
        stated=sigmoid_grad_from_output(sigmoid(SAMPLE_Z)),
        exact=tanh_grad_from_output(tanh(SAMPLE_Z)),
        erratum=(
            "Lecture 004's D_t = σ'(W_c · [h_{t-1}, x_t]) · W_c · ... · i_t differentiates the "
            "candidate as if it were a sigmoid. C~_t = tanh(W_c · [h_{t-1}, x_t] + b_c), so D_t "
            f"has tanh'(a_c) = 1 - C~_t^2, up to 4 times σ' (at a_c = 0: {tanh_grad_from_output(0.0):g} "
            f"against {sigmoid_grad_from_output(0.5):g}). The course computes D_t with tanh', and "
            "checks the sum of the four terms against PyTorch's autograd."
        ),
        tags=("formulas", "gradient-flow", "sigmoid-for-tanh"),
    )
    rng = np.random.default_rng(4)
    W_f, v, b_f = rng.uniform(-1, 1, (3, 6)), rng.uniform(-1, 1, 6), vector(1.0, -1.0, 0.5)
    yield WorkedExample(
        key="004-derivative-without-bias",
        lecture="004",
        where='"Back propagating through time", A_t, C_t, D_t',
        what="σ'(a_f) in A_t, with the lecture's a_f = W_f · [h_{t-1}, x_t] against "
        "W_f · [h_{t-1}, x_t] + b_f, on a sample",
        inputs=dict(W_f=W_f, concat=v, b_f=b_f),
        stated=sigmoid_grad_from_output(sigmoid(W_f @ v)),
        exact=sigmoid_grad_from_output(sigmoid(W_f @ v + b_f)),
        erratum=(
            "Lecture 004 evaluates σ'(W_f · [h_{t-1}, x_t]), σ'(W_i · ...) and σ'(W_c · ...) "
            "without the biases. The derivative is taken where the gate was evaluated: at "
            "W_f · [h_{t-1}, x_t] + b_f (and + b_i, + b_c)."
        ),
        tags=("formulas", "gradient-flow"),
    )
    n_units, n_inputs = 3, 3  # the deck's forget-gate example: [h_{t-1}, x_t] has 6 entries
    yield WorkedExample(
        key="004-jacobian-weight-shape",
        lecture="004",
        where='"Back propagating through time", A_t, C_t, D_t',
        what="the shape of the matrix that maps dh_{t-1} = o_{t-1} ⊗ tanh'(c_{t-1}) into the gate, "
        "for 3 units and a 3-dim x_t",
        inputs=dict(n_units=n_units, n_inputs=n_inputs),
        stated=(n_units, n_units + n_inputs),
        exact=(n_units, n_units),
        erratum=(
            "In A_t = σ'(...) · W_f · o_{t-1} ⊗ tanh'(c_{t-1}) · c_{t-1}, lecture 004's W_f is the "
            "n x (n + m) matrix of W_f · [h_{t-1}, x_t]; it cannot multiply the n-vector "
            "o_{t-1} ⊗ tanh'(c_{t-1}). c_{t-1} reaches the gate only through h_{t-1}, so the "
            "matrix is the n x n block of W_f acting on h_{t-1} (the W_f of the deck's own "
            "W_f h + U_f x notation). Each term is an n x n matrix: A_t = diag(c_{t-1} ⊙ σ'(a_f)) "
            "W_f^h diag(o_{t-1} ⊙ tanh'(c_{t-1})), and B_t = diag(f_t). The factor "
            "o_{t-1} ⊗ tanh'(c_{t-1}) itself is right: it is dh_{t-1}/dc_{t-1}."
        ),
        tags=("formulas", "gradient-flow", "shapes"),
    )
    yield WorkedExample(
        key="004-gradient-single-path",
        lecture="004",
        where='"Back propagating through time", eq. (4)',
        what="dE_k/dW",
        inputs={},
        stated="dE_k/dW = dE_k/dh_k dh_k/dc_k (prod_{t=2..k} dc_t/dc_{t-1}) dc_1/dW",
        exact="dE_k/dW = sum_{j=1..k} dE_k/dc_k (prod_{t=j+1..k} dc_t/dc_{t-1}) ∂c_j/∂W + the paths through h_t",
        erratum=(
            "Lecture 004's eq. (4) keeps one path: W used at step 1, reaching E_k through the cell "
            "only. W is used at every step, so dE_k/dW sums one such product per step j = 1..k "
            "(plus paths through h_t and o_t). The lecture's conclusion survives: each product "
            "of dc_t/dc_{t-1} contains f_t, which the network can hold near 1."
        ),
        tags=("formulas", "gradient-flow"),
    )

    # Lecture 002, "Advantages of LSTM": "No parameter fine-tuning", against section 5's three LSTMs,
    # the same weights but for the forget-gate bias (measured with PyTorch at initialisation).
    runs = ("LSTM", "LSTM b_f=1", "LSTM b_f=3")
    norms = np.stack([MEASURED["gradient-by-lag"][run] for run in runs])
    lasted = lasting_lags(norms, VANISHED)
    memory = MEASURED["memory-span"]
    at_20 = {run: memory["short"][run][list(memory["lags"]).index(20)] for run in ("LSTM", "LSTM b_f=3")}
    yield WorkedExample(
        key="002-no-fine-tuning",
        lecture="002",
        where='"Advantages of LSTM" ("No parameter fine-tuning")',
        what=(
            f"how many lags the gradient ||dh_T/dh_(T-k)|| stays at or above {POWER} at initialisation, "
            "for the LSTM with PyTorch's default b_f, with b_f = 1 and with b_f = 3 (section 5's curves)"
        ),
        inputs=dict(norms=norms, level=VANISHED),
        course_inputs=True,  # the course's measurements
        stated="No parameter fine-tuning",
        exact=lasted,
        erratum=(
            'Lecture 002 lists "No parameter fine-tuning" among the LSTM\'s advantages. The forget-gate bias '
            "b_f is such a parameter. The same LSTM (the same weights but for b_f, 32 units, at initialisation) "
            f"keeps its gradient at or above {POWER} for {lasted[0]} lags with PyTorch's default b_f, "
            f"{lasted[1]} with b_f = 1 and all {norms.shape[1]} lags measured with b_f = 3. Trained on the "
            f"first-bit task for {SHORT} batches, the LSTM with b_f = 3 tells the bit 20 steps back in "
            f"{percent(at_20['LSTM b_f=3'])} of new sequences; with the default b_f in "
            f"{percent(at_20['LSTM'])} (chance is 50%), and in {percent(memory['long']['LSTM lag 20'])} "
            f"after {LONG} batches."
        ),
        tags=("gradient-flow", "forget-bias"),
    )


EXAMPLES = list(examples())
