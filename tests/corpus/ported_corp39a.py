"""Ported cases (session 39, corp39a): held-out-style programs of the hunt39a session in styles
the corpus lacked: loops written through the columns or a slice of rows of a matrix made in the
function (`for c in A.T: c /= norm(c)`, `for row in A[1:]`, `enumerate(A[::-1])`,
`np.transpose(A)[:, ::2]`: refused before this session), `A @= B`, a reversing self-assignment
`y[:] = y[::-1]` and an overlapping `y[1:4] = y[0:3]`, `a = b = np.zeros(3)` and
`a, b = y, y` written through one name, a dual-number class with reflected operators, the
derivative of a closure taken inside the program (`x * grad(lambda y: x * y)(2.0)`, Siskind and
Pearlmutter's perturbation confusion), an adaptive Heun step halving with `continue`, a
single-server queue (`max(t, t_free)`), a GRU cell and a mixture density network's NLL.

Float64 arrays and floats -> floats or arrays."""

from __future__ import annotations

import math

import numpy as np

import srcad

from . import Case

X5 = np.array([0.3, -1.2, 0.8, 2.1, -0.4])
R = np.random.default_rng(39001)
M33 = R.normal(size=(3, 3))


def cols_normalize(x):
    A = np.outer(x, x[:3]) + 1.0
    for c in A.T:
        c /= np.linalg.norm(c)
    return np.sum(A * A[::-1])


def rows_after_first(x):
    A = np.outer(x, x[:3]) + 1.0
    for row in A[1:]:
        row[0] = row[1] * row[2]
        row += A[0] * row[0]
    return np.sum(A**2)


def rows_reversed(x):
    A = np.outer(x, x[:3]) + 1.0
    for i, row in enumerate(A[::-1]):
        row *= A[i, 0]
    return np.sum(A**2)


def cols_every_other(x):
    A = np.outer(x, x[:3]) + 1.0
    for c in np.transpose(A)[:, ::2]:
        c -= c.mean()
        if c[0] > 0.5:
            break
    return np.sum(A**3)


def matmul_update(a):
    A = a.copy()
    A @= a.T
    A @= np.eye(3) + 0.1 * a
    return np.sum(A**2)


def reverse_in_place(x):
    y = x.copy()
    y[:] = y[::-1]
    y[1:4] = y[0:3]
    return np.sum(y * np.arange(1.0, 6.0))


def shared_buffers(x):
    a = b = np.zeros(3)
    a[0] = x[0] * 3
    b[1] = x[1]
    y = x.copy()
    c, d = y, y
    c[2] = x[3] * 5
    return np.sum(b * x[:3]) + a[1] + np.sum(d**2)


class Dual:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Dual(self.v + (o.v if isinstance(o, Dual) else o))

    __radd__ = __add__

    def __mul__(self, o):
        return Dual(self.v * (o.v if isinstance(o, Dual) else o))

    __rmul__ = __mul__

    def __neg__(self):
        return Dual(-self.v)


def dual_class(x):
    a = Dual(x)
    b = 2.0 * a + a * a + 1.0
    c = -b * a
    return np.sum(c.v)


def perturbation_confusion(x):
    g = srcad.grad(lambda y: x * y, wrt=0)
    return x * g(2.0)


def adaptive_heun(y0, k):
    y, t, h = y0, 0.0, 0.1
    while t < 1.0:
        f1 = -k * y
        f2 = -k * (y + h * f1)
        err = abs(h * (f2 - f1) / 2)
        if err > 1e-3 and h > 1e-3:
            h = h / 2
            continue
        y = y + h * (f1 + f2) / 2
        t += h
        if err < 1e-5:
            h = min(2 * h, 0.2)
    return y


def queue_wait(arrivals, service):
    t_free = wait = t = 0.0
    for a, s in zip(arrivals, service):
        t += a
        start = max(t, t_free)
        wait += start - t
        t_free = start + s
    return wait


def gru_cell(x, h, Wz, Wr, Wh):
    xh = np.concatenate([x, h])
    z = 1 / (1 + np.exp(-(Wz @ xh)))
    r = 1 / (1 + np.exp(-(Wr @ xh)))
    hh = np.tanh(Wh @ np.concatenate([x, r * h]))
    return (1 - z) * h + z * hh


def mdn_nll(pi_logits, mu, log_sigma, y):
    pi = np.exp(pi_logits - np.max(pi_logits))
    pi = pi / pi.sum()
    sig = np.exp(log_sigma)
    comp = pi * np.exp(-0.5 * ((y - mu) / sig) ** 2) / (sig * math.sqrt(2 * math.pi))
    return -np.log(comp.sum())


CASES = [
    Case(cols_normalize, (X5,), (0,), extra="hvp"),
    Case(rows_after_first, (X5,), (0,)),
    Case(rows_reversed, (X5,), (0,)),
    Case(cols_every_other, (X5,), (0,)),
    Case(matmul_update, (M33,), (0,)),
    Case(reverse_in_place, (X5,), (0,)),
    Case(shared_buffers, (X5,), (0,)),
    Case(dual_class, (X5,), (0,)),
    Case(perturbation_confusion, (1.5,), (0,)),
    Case(adaptive_heun, (1.0, 2.0), (0, 1)),
    Case(queue_wait, (np.array([0.5, 0.2, 0.9, 0.1]), np.array([0.4, 0.6, 0.3, 0.5])), (0, 1)),
    Case(
        gru_cell,
        (X5[:2], X5[2:], R.normal(size=(3, 5)), R.normal(size=(3, 5)), R.normal(size=(3, 5))),
        (0, 1, 2, 3, 4),
    ),
    Case(
        mdn_nll,
        (np.array([0.1, 0.5, -0.2]), np.array([0.0, 1.0, -1.0]), X5[:3] * 0.3, 0.4),
        (0, 1, 2, 3),
    ),
]
