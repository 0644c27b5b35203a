"""Ported cases (session 38, corp38_th): the functions of Theano's tutorial, written in NumPy as a
user moving off Theano would: the logistic function three ways (`1 / (1 + exp(-x))`,
`(1 + tanh(x / 2)) / 2`, and through softplus), the logistic-regression training example
(cross-entropy plus L2, then a few gradient steps of it differentiated with respect to the
learning rate), `scan` examples as loops: `A ** k` by repeated products, a polynomial from its
coefficients, the running sum of squares, `x(t) = tanh(x(t-1) @ W + y(t) @ U + p(T-t) @ V)`,
the two-tap recurrence `x(t) = x(t-2) @ U + x(t-1) @ V + tanh(x(t-1) @ W + b)`, norms of rows and
columns, the trace by a loop over the diagonal, the Jacobian of `tanh(v @ A)` computed row by
row, and a shared-variable accumulator (a module-level state updated by the function).

Float arguments -> float scalars or float arrays."""

from __future__ import annotations

import numpy as np

from . import Case, refused_when_differentiated

R = np.random.default_rng(38008)
XT = R.standard_normal((8, 4))
YT = (R.random(8) > 0.5).astype(float)


def logistic_three_ways(x):
    s1 = 1 / (1 + np.exp(-x))
    s2 = (1 + np.tanh(x / 2)) / 2
    s3 = np.exp(-np.logaddexp(0.0, -x))
    return np.sum(s1 * s2 + s3**2)


def logreg_cost(w, b):
    p_1 = 1 / (1 + np.exp(-XT @ w - b))
    xent = -YT * np.log(p_1) - (1 - YT) * np.log(1 - p_1)
    return xent.mean() + 0.01 * (w**2).sum()


def logreg_training(lr, w0):
    w, b = w0.copy(), 0.0
    for _ in range(5):
        p_1 = 1 / (1 + np.exp(-XT @ w - b))
        gw = XT.T @ (p_1 - YT) / len(YT) + 0.02 * w
        gb = np.mean(p_1 - YT)
        w = w - lr * gw
        b = b - lr * gb
    return logreg_cost(w, b)


def power_by_scan(A, k):
    result = np.ones_like(A)
    for _ in range(k):
        result = result * A
    return np.sum(result)


def polynomial_by_scan(coefficients, x):
    components = [c * x**p for p, c in enumerate(coefficients)]
    return sum(components)


def running_sum_of_squares(x):
    out = np.zeros_like(x)
    acc = 0.0
    for i in range(len(x)):
        acc = acc + x[i] ** 2
        out[i] = acc
    return out


def scan_rnn(x0, W, U, V, Y, P):
    T = Y.shape[0]
    x = x0
    xs = []
    for t in range(T):
        x = np.tanh(x @ W + Y[t] @ U + P[T - 1 - t] @ V)
        xs.append(x)
    return np.stack(xs)


def two_tap_recurrence(x_init, U, V, W, b):
    xs = [x_init[0], x_init[1]]
    for _ in range(6):
        xs.append(xs[-2] @ U + xs[-1] @ V + np.tanh(xs[-1] @ W + b))
    return np.sum(np.stack(xs[2:]) ** 2)


def norms_rows_cols(X):
    rows = np.array([np.sqrt((X[i] ** 2).sum()) for i in range(X.shape[0])])
    cols = np.array([np.sqrt((X[:, j] ** 2).sum()) for j in range(X.shape[1])])
    return rows.sum() + cols.prod()


def trace_by_loop(X):
    t = 0.0
    for i in range(min(X.shape)):
        t = t + X[i, i]
    return t * np.sum(X**2)


def jacobian_rows(v, A):
    y = np.tanh(v @ A)
    J = np.zeros((y.size, v.size))
    for i in range(y.size):
        J[i] = (1 - y[i] ** 2) * A[:, i]
    return J


_SHARED = {"state": 0.0}


def shared_accumulator(inc):
    _SHARED["state"] = 0.0
    for k in range(3):
        _SHARED["state"] = _SHARED["state"] + inc * (k + 1)
    return _SHARED["state"] ** 2


def softplus_and_friends(x):
    sp = np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)
    relu = np.where(x > 0, x, 0.01 * x)
    hard_sig = np.clip(0.2 * x + 0.5, 0, 1)
    return np.sum(sp * relu + hard_sig)


H = 3
CASES = [
    Case(logistic_three_ways, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(logreg_cost, (R.standard_normal(4), 0.1), (0, 1), extra="hvp"),
    Case(logreg_training, (0.5, R.standard_normal(4)), (0, 1)),
    Case(power_by_scan, (R.standard_normal((2, 3)), 4), (0,)),
    Case(polynomial_by_scan, (np.array([1.0, 0.0, 2.0, -0.5]), 1.3), (0, 1), extra="hvp"),
    Case(running_sum_of_squares, (R.standard_normal(5),), (0,)),
    Case(
        scan_rnn,
        (
            R.standard_normal(H),
            0.5 * R.standard_normal((H, H)),
            0.5 * R.standard_normal((2, H)),
            0.5 * R.standard_normal((2, H)),
            R.standard_normal((4, 2)),
            R.standard_normal((4, 2)),
        ),
        (0, 1, 2, 3, 4, 5),
    ),
    Case(
        two_tap_recurrence,
        (
            0.5 * R.standard_normal((2, H)),
            0.3 * R.standard_normal((H, H)),
            0.3 * R.standard_normal((H, H)),
            0.3 * R.standard_normal((H, H)),
            R.standard_normal(H),
        ),
        (0, 1, 2, 3, 4),
    ),
    Case(norms_rows_cols, (R.standard_normal((3, 4)),), (0,)),
    Case(trace_by_loop, (R.standard_normal((3, 4)),), (0,), extra="hvp"),
    Case(jacobian_rows, (R.standard_normal(3), R.standard_normal((3, 4))), (0, 1)),
    Case(
        shared_accumulator,
        (0.7,),
        (0,),
        xfail=refused_when_differentiated("is stored into the global `_SHARED`"),
    ),
    Case(softplus_and_friends, (np.array([-1.3, -0.2, 0.4, 1.7, 3.1]),), (0,)),
]
