"""Ported cases (session 24, hunt24d), written anew after programs keeping state in objects and
exiting early: an SGD optimiser class holding per-parameter state dicts and updating a list of
arrays in place, a Welford running-variance object, layers caching their input for a hand-written
backward pass (the gradient norm differentiated again), in-place ReLU ``h[h < 0] = 0`` and
``np.maximum(h, 0, out=h)``, an in-place softmax (``e -= e.max(); np.exp(e, out=e); e /= ...``),
``x.sort()`` on a copy, back substitution over ``reversed(range(n))``, Thomas' algorithm and LU
updating slices in place, an early ``return`` from nested loops, ``for ... else``, a generator of
states consumed by ``list()``, a closure updating a ``nonlocal`` total, ``dataclasses.replace``,
a NamedTuple carry, de Casteljau by recursion.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from . import Case

R = np.random.default_rng(243)
XD = R.standard_normal((5, 3))
YD = R.standard_normal(5)
W1 = 0.5 * R.standard_normal((3, 4))
W2 = 0.5 * R.standard_normal((4, 1))


class SGD:
    def __init__(self, params, lr=0.1, momentum=0.9):
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.state = [{} for _ in params]

    def step(self, grads):
        for p, g, st in zip(self.params, grads, self.state):
            if "buf" not in st:
                st["buf"] = g.copy()
            else:
                st["buf"] = self.momentum * st["buf"] + g
            p -= self.lr * st["buf"]


def _mlp_grads(W, b):
    h = np.tanh(XD @ W + b)
    r = h.sum(axis=1) - YD
    dh = (r[:, None] * (1 - h**2)) / len(YD)
    return [XD.T @ dh, dh.sum(axis=0)], 0.5 * np.mean(r**2)


def optimizer_class(w):
    W = w.reshape(3, 2).copy()
    b = np.zeros(2)
    opt = SGD([W, b], lr=0.2)
    for _ in range(3):
        grads, _ = _mlp_grads(W, b)
        opt.step(grads)
    return _mlp_grads(W, b)[1]


class Welford:
    def __init__(self):
        self.n = 0
        self.mean = 0.0
        self.m2 = 0.0

    def push(self, x):
        self.n += 1
        d = x - self.mean
        self.mean += d / self.n
        self.m2 += d * (x - self.mean)

    @property
    def var(self):
        return self.m2 / (self.n - 1)


def welford_var(x):
    w = Welford()
    for xi in x:
        w.push(xi)
    return w.var + w.mean**2


class Dense:
    def __init__(self, W):
        self.W = W
        self.cache = None

    def forward(self, x):
        self.cache = x
        return x @ self.W

    def backward(self, g):
        return g @ self.W.T, self.cache.T @ g


def manual_backprop_penalty(w):
    l1, l2 = Dense(w.reshape(3, 4)), Dense(W2)
    z = l1.forward(XD)
    h = np.tanh(z)
    out = l2.forward(h)[:, 0]
    g = (out - YD)[:, None] / len(YD)
    gh, gW2 = l2.backward(g)
    gz = gh * (1 - h**2)
    _, gW1 = l1.backward(gz)
    return 0.5 * np.mean((out - YD) ** 2) + 0.1 * np.sum(gW1**2) + np.sum(gW2**2)


def relu_inplace_mask(w):
    h = XD @ w.reshape(3, 4)
    h[h < 0] = 0
    h2 = XD @ W1
    np.maximum(h2, 0, out=h2)
    return np.sum((h @ W2)[:, 0] ** 2) + np.sum(h * h2)


def softmax_inplace(z):
    e = z.copy()
    e -= e.max()
    np.exp(e, out=e)
    e /= e.sum()
    return np.sum(e * np.log(e + 1e-12)) + e[1]


def sort_copy(x):
    y = x.copy()
    y.sort()
    tail = y[-2:]
    return np.sum(tail**2) + y[0] * y[1]


U_BS = np.triu(R.standard_normal((4, 4))) + 3 * np.eye(4)


def back_substitution(b):
    n = len(b)
    x = np.zeros(n)
    for i in reversed(range(n)):
        x[i] = (b[i] - U_BS[i, i + 1 :] @ x[i + 1 :]) / U_BS[i, i]
    return np.sum(x**2)


def thomas(d):
    n = len(d)
    a = np.full(n, -1.0)
    b = np.full(n, 4.0) + d
    c = np.full(n, -1.0)
    dd = np.sin(np.arange(n) + 1.0)
    c[0] /= b[0]
    dd[0] /= b[0]
    for i in range(1, n):
        m = b[i] - a[i] * c[i - 1]
        c[i] /= m
        dd[i] = (dd[i] - a[i] * dd[i - 1]) / m
    x = dd.copy()
    for i in range(n - 2, -1, -1):
        x[i] -= c[i] * x[i + 1]
    return np.sum(x * np.arange(1, n + 1))


def lu_inplace(a):
    A = a.reshape(3, 3).copy() + 4 * np.eye(3)
    n = 3
    for k in range(n - 1):
        A[k + 1 :, k] /= A[k, k]
        A[k + 1 :, k + 1 :] -= np.outer(A[k + 1 :, k], A[k, k + 1 :])
    return np.sum(np.log(np.abs(np.diag(A)))) + np.sum(np.tril(A, -1) ** 2)


def early_return_nested(x):
    total = 0.0
    for i in range(3):
        for j in range(3):
            total += x[i] * x[j] * (i + 1)
            if total > 2.0:
                return total + x[j] ** 2
    return -total


def for_else(x):
    acc = 1.0
    for xi in x:
        if xi > 5.0:
            acc *= 0.0
            break
        acc *= 1 + xi**2
    else:
        acc = np.log(acc)
    return acc


def _states(y0, k):
    y = y0
    for _ in range(4):
        y = y + 0.1 * np.array([y[1], -k * y[0]])
        yield y


def generator_states(y0):
    traj = list(_states(y0, 2.0))
    return sum(np.sum(s**2) for s in traj[1:]) + traj[0][0]


def nonlocal_total(x):
    total = 0.0

    def add(v, w=1.0):
        nonlocal total
        total += w * v**2

    for i, xi in enumerate(x):
        add(xi, w=i + 1)
    add(np.sum(x))
    return total


@dataclasses.dataclass(frozen=True)
class Body:
    pos: np.ndarray
    vel: np.ndarray


def dataclass_replace(p):
    b = Body(pos=p[:2], vel=p[2:])
    for _ in range(3):
        acc = -b.pos / np.linalg.norm(b.pos) ** 3
        b = dataclasses.replace(b, vel=b.vel + 0.1 * acc)
        b = dataclasses.replace(b, pos=b.pos + 0.1 * b.vel)
    return 0.5 * np.sum(b.vel**2) - 1 / np.linalg.norm(b.pos)


class Carry(NamedTuple):
    h: np.ndarray
    c: np.ndarray


def namedtuple_carry(x):
    st = Carry(np.zeros(2), np.zeros(2))
    for t in range(3):
        f = 1 / (1 + np.exp(-(x[:2] + st.h)))
        c = f * st.c + (1 - f) * np.tanh(x[2:] * (t + 1))
        st = st._replace(h=np.tanh(c), c=c)
    return np.sum(st.h**2) + st.c[0]


def _casteljau(pts, t):
    if len(pts) == 1:
        return pts[0]
    return _casteljau([(1 - t) * a + t * b for a, b in zip(pts[:-1], pts[1:])], t)


def casteljau_rec(p):
    pts = [p[2 * i : 2 * i + 2] for i in range(4)]
    return sum(np.sum(_casteljau(pts, t) ** 2) for t in (0.2, 0.5, 0.9))


CASES = [
    Case(
        optimizer_class,
        (R.standard_normal(6),),
        (0,),
        # (lowered and verified since alias40c; the per-transform alias check refuses it)
        xfail=dict.fromkeys(
            ("primal", "fwd", "rev"), "per-parameter state dicts in `self.state`, zipped, then set"
        ),
    ),
    Case(welford_var, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(manual_backprop_penalty, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(relu_inplace_mask, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(softmax_inplace, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(sort_copy, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(back_substitution, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(thomas, (np.array([0.3, -0.2, 1.1, 0.4, 0.2]),), (0,), extra="hvp"),
    Case(lu_inplace, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(early_return_nested, (np.array([0.5, 0.9, 1.1]),), (0,), extra="hvp"),
    Case(
        early_return_nested,
        (np.array([0.2, 0.1, 0.3]),),
        (0,),
        extra="hvp",
        name="ported_hunt24d.early_return_nested_through",
    ),
    Case(for_else, (np.array([0.3, -0.2, 1.1]),), (0,), extra="hvp"),
    Case(
        for_else,
        (np.array([0.3, 6.2, 1.1]),),
        (0,),
        extra="hvp",
        name="ported_hunt24d.for_else_break",
    ),
    Case(generator_states, (np.array([1.0, 0.2]),), (0,), extra="hvp"),
    Case(nonlocal_total, (np.array([0.3, -0.2, 1.1]),), (0,), extra="hvp"),
    Case(dataclass_replace, (np.array([1.0, 0.2, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(namedtuple_carry, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(casteljau_rec, (R.standard_normal(8),), (0,), extra="hvp"),
]
