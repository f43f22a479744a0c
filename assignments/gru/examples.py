"""The GRU's worked examples: lecture 000's equations, on the course's numbers.

Lecture 000 prints z_t, h~_t and h_t but no numbers, and its reset-gate equation was a lost
figure; r_t = sigma(W_r . [h_{t-1}, x_t] + b_r) is Cho et al. (2014)'s, the paper the lecture
cites. So the inputs below are the course's, in lecture 000's setting of 3 units and a 4-dim
x_t, and the lecture "states" what its equations give (no erratum can arise).
"""

import numpy as np

from assignments.declare import WorkedExample, vector
from lstm_ref import gru

WHERE = "GRU equations (the lecture prints no numbers; these inputs are the course's)"


def lecture_setting():
    """h_{t-1} (3 units), x_t (4 inputs) and the GRU's params, in the lecture's layout (3 x 7)."""
    h_prev, x_t = vector(0.5, -0.5, 0.0), vector(1.0, 0.0, -1.0, 2.0)
    params = dict(
        W_z=np.array(
            [
                [0.5, 0.0, 0.0, 1.0, 0.0, 0.0, 0.5],
                [0.0, -1.0, 0.0, 0.0, 1.0, 0.0, -0.5],
                [0.0, 0.0, 2.0, -1.0, 0.0, 1.0, 0.0],
            ]
        ),
        b_z=vector(0.0, 0.5, -1.0),
        W_r=np.array(
            [
                [1.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0],
                [0.0, 1.0, 0.0, 0.5, 0.0, 0.0, 0.0],
                [0.0, 0.0, 1.0, 0.0, -0.5, 0.0, 1.0],
            ]
        ),
        b_r=vector(0.5, -0.5, 0.0),
        W_h=np.array(
            [
                [1.0, -1.0, 0.0, 0.5, 0.0, 0.0, 0.0],
                [0.0, 2.0, 1.0, 0.0, 0.5, 0.0, -0.5],
                [-1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.5],
            ]
        ),
        b_h=vector(0.0, 0.0, 0.5),
    )
    return h_prev, x_t, params


def examples():
    """One GRU step of lecture 000, equation by equation, then the whole cell."""
    h_prev, x_t, p = lecture_setting()
    z_t = gru.update_gate(p["W_z"], h_prev, x_t, p["b_z"])
    r_t = gru.reset_gate(p["W_r"], h_prev, x_t, p["b_r"])
    h_tilde = gru.gru_candidate(p["W_h"], h_prev, x_t, p["b_h"], r_t)
    h_t = gru.gru_hidden_state(z_t, h_prev, h_tilde)
    steps = (
        (
            "000-gru-update-gate",
            "z_t = sigma(W_z . [h_{t-1}, x_t] + b_z)",
            dict(W_z=p["W_z"], h_prev=h_prev, x_t=x_t, b_z=p["b_z"]),
            z_t,
            ("gru",),
        ),
        (
            "000-gru-reset-gate",
            "r_t = sigma(W_r . [h_{t-1}, x_t] + b_r) (Cho et al.; the lecture's figure is lost)",
            dict(W_r=p["W_r"], h_prev=h_prev, x_t=x_t, b_r=p["b_r"]),
            r_t,
            ("gru",),
        ),
        (
            "000-gru-candidate",
            "h~_t = tanh(W_h . [r_t * h_{t-1}, x_t] + b_h)",
            dict(W_h=p["W_h"], h_prev=h_prev, x_t=x_t, b_h=p["b_h"], r_t=r_t),
            h_tilde,
            ("gru",),
        ),
        (
            "000-gru-hidden-state",
            "h_t = (1 - z_t) * h~_t + z_t * h_{t-1}",
            dict(z_t=z_t, h_prev=h_prev, h_tilde=h_tilde),
            h_t,
            ("gru",),
        ),
        (
            "000-gru-cell",
            "h_t of one GRU step from x_t, h_{t-1} and {W_z, b_z, W_r, b_r, W_h, b_h}",
            dict(x_t=x_t, h_prev=h_prev, params=p),
            h_t,
            ("gru",),
        ),
        # The same step in torch.nn.GRU's convention, for the notebook's comparison (b_hn = 0).
        (
            "000-gru-candidate-torch",
            "h~_t in torch.nn.GRU's convention: tanh(r_t * (U_h h_{t-1}) + V_h x_t + b_h), W_h = [U_h | V_h]",
            dict(W_h=p["W_h"], h_prev=h_prev, x_t=x_t, b_h=p["b_h"], r_t=r_t),
            gru.gru_candidate(p["W_h"], h_prev, x_t, p["b_h"], r_t, convention="torch"),
            ("gru-torch",),
        ),
    )
    for key, what, inputs, exact, tags in steps:
        yield WorkedExample(
            key=key,
            lecture="000",
            where=WHERE,
            what=what,
            inputs=inputs,
            stated=None,
            exact=exact,
            tags=tags,
            course_inputs=True,
        )  # the lecture prints no numbers


EXAMPLES = list(examples())
