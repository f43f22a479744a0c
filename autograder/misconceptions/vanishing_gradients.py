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
