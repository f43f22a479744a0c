"""The vanishing-gradients assignment: rnn_jacobian(W_h, h_t) = ∂h_t/∂h_{t-1} = diag(1 - h_t²) W_h
for the RNN h_t = tanh(W_h h_{t-1} + W_x x_t + b) of lecture 000."""
import numpy as np

from .base import Misconception, Mutation

WHERE = '"Why This Happens: The Vanishing Gradient Problem" (h_t = tanh(W_h h_{t-1} + W_x x_t))'
JACOBIAN = "∂h_t/∂h_{t-1} = diag(1 - h_t²) W_h"


def jacobian_entry(mistake, wrong, says, old, new):
    """The solution reads `(1.0 - h_t ** 2)[:, None] * W_h`; the mutation edits that."""
    return Misconception(key=f"rnn_jacobian/{mistake}", exercise="rnn_jacobian",
                         wrong=lambda W_h, h_t: wrong(np.asarray(W_h, dtype=float), np.asarray(h_t, dtype=float)),
                         says=says, lecture="000", where=WHERE, mutation=Mutation(old, new))


MISCONCEPTIONS = [
    jacobian_entry("derivative-on-the-right", lambda W, h: W @ np.diag(1 - h**2),
                   f"tanh' scales the rows (one per unit of h_t): {JACOBIAN}, not W_h diag(1 - h_t²).",
                   "[:, None]", "[None, :]"),
    jacobian_entry("no-tanh-derivative", lambda W, h: W,
                   f"the chain rule goes through tanh: {JACOBIAN}, not W_h alone.",
                   "(1.0 - h_t ** 2)[:, None] * W_h", "W_h"),
    jacobian_entry("1-minus-h", lambda W, h: np.diag(1 - h) @ W,
                   f"tanh'(a) = 1 - tanh(a)² = 1 - h_t², squared: {JACOBIAN}.",
                   "h_t ** 2", "h_t"),
    jacobian_entry("sigmoid-derivative", lambda W, h: np.diag(h * (1 - h)) @ W,
                   f"h_t comes from tanh, whose derivative is 1 - h_t², not σ's h_t (1 - h_t): {JACOBIAN}.",
                   "(1.0 - h_t ** 2)", "(h_t * (1.0 - h_t))"),
    jacobian_entry("transposed", lambda W, h: np.diag(1 - h**2) @ W.T,
                   f"{JACOBIAN}: W_h, not W_h^T (row j of the Jacobian is ∂h_t[j]/∂h_{{t-1}}).",
                   "* W_h", "* W_h.T"),
]

PRODUCT_WHERE = '"Back propagating through time for gradient computation" (equation 4, the product over t)'


def product_in_wrong_order(jacobians):
    product = np.eye(np.shape(jacobians)[-1])
    for J in np.asarray(jacobians, dtype=float):
        product = product @ J
    return product


def frobenius_norms(jacobians):
    products, product = [], np.eye(np.shape(jacobians)[-1])
    for J in np.asarray(jacobians, dtype=float):
        product = J @ product
        products.append(np.linalg.norm(product))
    return np.array(products)


MISCONCEPTIONS += [
    Misconception(
        key="jacobian_product/wrong-order", exercise="jacobian_product", wrong=product_in_wrong_order,
        says="the chain rule multiplies later steps on the left: J_k ... J_2 J_1, not J_1 J_2 ... J_k.",
        lecture="004", where=PRODUCT_WHERE, mutation=Mutation("product = J @ product", "product = product @ J")),
    Misconception(
        key="gradient_norms/frobenius", exercise="gradient_norms", wrong=frobenius_norms,
        says="you took the Frobenius norm; the norm here is the spectral norm, the largest singular value "
             "(np.linalg.norm(J, 2)), how much the product can stretch a gradient.",
        lecture="004", where=PRODUCT_WHERE,
        mutation=Mutation("np.linalg.norm(product, 2)", "np.linalg.norm(product)")),
]

# Lecture 004's dC_t/dC_{t-1} = A_t + B_t + C_t + D_t on a real cell, cell_state_jacobian(x_t,
# C_{t-1}, o_{t-1}, params). The solution builds each term as rows scaled by a gate's
# derivative, times U (the h-columns of W), times d = o_{t-1} * tanh'(C_{t-1}) per column.
CELL_WHERE = '"Back propagating through time for gradient computation", equations (5) and (6)'


def cell_jacobian_terms(x_t, C_prev, o_prev, params, candidate_derivative="tanh", through_h=True):
    """(A_t, B_t, C_t, D_t), with the two slips a student can make switched on or off."""
    from lstm_ref import candidate, forget_gate, input_gate

    C_prev, o_prev = np.asarray(C_prev, dtype=float), np.asarray(o_prev, dtype=float)
    n = C_prev.shape[0]
    h_prev = o_prev * np.tanh(C_prev)
    f_t = forget_gate(params["W_f"], h_prev, x_t, params["b_f"])
    i_t = input_gate(params["W_i"], h_prev, x_t, params["b_i"])
    C_tilde = candidate(params["W_c"], h_prev, x_t, params["b_c"])
    d = o_prev * (1.0 - np.tanh(C_prev) ** 2) if through_h else np.ones(n)
    U_f, U_i, U_c = (np.asarray(params[k], dtype=float)[:, :n] for k in ("W_f", "W_i", "W_c"))
    tanh_prime = 1 - C_tilde ** 2 if candidate_derivative == "tanh" else C_tilde * (1 - C_tilde)
    return ((C_prev * f_t * (1 - f_t))[:, None] * U_f * d, np.diag(f_t),
            (C_tilde * i_t * (1 - i_t))[:, None] * U_i * d, (i_t * tanh_prime)[:, None] * U_c * d)


MISCONCEPTIONS += [
    Misconception(
        key="cell_state_jacobian/sigma-prime-in-D", exercise="cell_state_jacobian",
        wrong=lambda *args: sum(cell_jacobian_terms(*args, candidate_derivative="sigma")),
        says="in D_t you used the sigmoid's derivative, C~_t (1 - C~_t), as lecture 004's σ' suggests; "
             "C~_t comes from tanh, so its derivative is 1 - C~_t².",
        lecture="004", where=CELL_WHERE,
        mutation=Mutation("(1 - C_tilde ** 2)", "(C_tilde * (1 - C_tilde))")),
    Misconception(
        key="cell_state_jacobian/only-B", exercise="cell_state_jacobian",
        wrong=lambda *args: cell_jacobian_terms(*args)[1],
        says="you kept only B_t = diag(f_t), the direct path; the old cell state also reaches the new one "
             "through h_{t-1} inside f_t, i_t and C~_t: add lecture 004's other three terms (A, C and D).",
        lecture="004", where=CELL_WHERE,
        mutation=Mutation("return A_t + B_t + C_t + D_t", "return B_t")),
    Misconception(
        key="cell_state_jacobian/without-dh-dC", exercise="cell_state_jacobian",
        wrong=lambda *args: sum(cell_jacobian_terms(*args, through_h=False)),
        says="you left out ∂h_{t-1}/∂C_{t-1} = o_{t-1} ⊙ tanh'(C_{t-1}): the gates see C_{t-1} only "
             "through h_{t-1}, so lecture 004's terms A, C and D each end with diag(o_{t-1} ⊙ (1 - tanh²(C_{t-1}))).",
        lecture="004", where=CELL_WHERE,
        mutation=Mutation("[:, :n] * d", "[:, :n]")),
]
