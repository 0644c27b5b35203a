"""Ported cases (session 24, hunt24g), vector outputs and several arguments (checked by jacfwd
against jacrev and central differences): the weights after a few SGD steps with ``w -= lr * g``
(in the initial weights and in the data), an RNN's hidden states written into rows of a
preallocated array, attention outputs with a ``-1e9`` mask write, a Kalman filter's filtered
means with ``x += K * v``, an RK4 trajectory in rows (a nested ``def f(y)`` and ``y = Y[i]``:
refused before this session), particle forces by ``np.add.at``, message passing node states, an
in-place softmax's probabilities, a Thomas solve, Welford means pushed from an object, an int
step count and a flag mixed with float arguments.

Small user functions -> `CASES` (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(246)
XS = R.standard_normal((5, 3))
YS = R.standard_normal(5)
WH = 0.4 * R.standard_normal((3, 3))
WX = 0.5 * R.standard_normal((3, 2))
SEQ = R.standard_normal((4, 2))
KV = R.standard_normal((4, 3))


def sgd_weights(w0, X, steps=3, nesterov=False):
    w = w0.copy()
    v = np.zeros_like(w)
    for _ in range(steps):
        look = w + 0.5 * v if nesterov else w
        g = X.T @ (X @ look - YS) / len(YS)
        v = 0.5 * v - 0.2 * g
        w += v
    return w


def rnn_rows(h0):
    H = np.zeros((len(SEQ) + 1, 3))
    H[0] = h0
    for t, x in enumerate(SEQ):
        H[t + 1] = np.tanh(WH @ H[t] + WX @ x)
    return H[1:].ravel()


def attn_out(q):
    Q = q.reshape(4, 3)
    s = Q @ KV.T
    s[np.tril(np.ones((4, 4), bool), -1)] = -1e9
    s -= s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=-1, keepdims=True)
    return (p @ KV).ravel()


Z_KF = np.array([0.1, 0.25, 0.28, 0.5])


def kalman_means(theta):
    F = np.array([[1.0, 0.1], [0.0, 1.0]])
    q, r = np.exp(theta)
    x = np.zeros(2)
    P = np.eye(2)
    out = []
    for z in Z_KF:
        x = F @ x
        P = F @ P @ F.T + q * np.eye(2)
        S = P[0, 0] + r
        K = P[:, 0] / S
        v = z - x[0]
        x += K * v
        P -= np.outer(K, P[0])
        out.append(x.copy())
    return np.concatenate(out)


def rk4_rows(y0):
    def f(y):
        return np.array([y[1], -np.sin(y[0])])

    h = 0.2
    Y = np.empty((5, 2))
    Y[0] = y0
    for i in range(4):
        y = Y[i]
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        Y[i + 1] = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return Y[:, 0]


PI = np.array([0, 0, 1, 2])
PJ = np.array([1, 2, 2, 3])


def forces(x):
    P = x.reshape(4, 2)
    d = P[PI] - P[PJ]
    f = d / (np.sum(d**2, axis=1, keepdims=True) + 0.3)
    F = np.zeros_like(P)
    np.add.at(F, PI, -f)
    np.add.at(F, PJ, f)
    return F.ravel()


def softmax_probs(z):
    e = z - z.max()
    np.exp(e, out=e)
    e /= e.sum()
    return e


def thomas_solve(d):
    n = len(d)
    b = np.full(n, 4.0)
    c = np.full(n, -1.0)
    dd = d.copy()
    c[0] /= b[0]
    dd[0] /= b[0]
    for i in range(1, n):
        m = b[i] + c[i - 1]
        c[i] /= m
        dd[i] = (dd[i] + dd[i - 1]) / m
    for i in range(n - 2, -1, -1):
        dd[i] -= c[i] * dd[i + 1]
    return dd


class Running:
    def __init__(self):
        self.n = 0
        self.mean = np.zeros(2)

    def push(self, x):
        self.n += 1
        self.mean = self.mean + (x - self.mean) / self.n


def running_means(x):
    r = Running()
    out = []
    for row in x.reshape(3, 2):
        r.push(row**2)
        out.append(r.mean)
    return np.stack(out).ravel()


CASES = [
    Case(sgd_weights, (np.array([0.1, 0.2, -0.1]), XS), (0, 1)),
    Case(
        sgd_weights,
        (np.array([0.1, 0.2, -0.1]), XS, 4, True),
        (0, 1),
        name="ported_hunt24g.sgd_nesterov",
    ),
    Case(rnn_rows, (np.array([0.1, -0.2, 0.3]),), (0,)),
    Case(attn_out, (R.standard_normal(12),), (0,)),
    Case(kalman_means, (np.array([-2.0, -1.5]),), (0,)),
    Case(rk4_rows, (np.array([0.8, 0.1]),), (0,)),
    Case(forces, (R.standard_normal(8),), (0,)),
    Case(softmax_probs, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,)),
    Case(thomas_solve, (np.array([0.3, -0.2, 1.1, 0.4, 0.2]),), (0,)),
    Case(running_means, (R.standard_normal(6),), (0,)),
]
