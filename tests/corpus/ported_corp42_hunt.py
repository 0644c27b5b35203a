"""Ported cases (session 42, hunt42), part 1: held-out-style user programs srcad gets right,
written fresh: an RNN's cross-entropy, a GP likelihood, an n-body energy over a list of pairs,
Newton square roots in a while loop, ``sorted``/``max`` with keys, an RK4 pendulum on a
NamedTuple, ``nonlocal`` accumulators, ``try``/``except`` in a loop, ``*args``/``**kwargs``,
complex intermediates, ``out=``/``where=`` ufuncs, itertools, an Adam optimizer object,
inheritance with ``super()`` and a property, Newton steps of logistic regression, a Gaussian
mixture, late-bound lambdas, the walrus operator, ``match``, ``defaultdict``/``Counter`` and
list methods (part 2: ported_corp42_hunt2).

Float64 arrays and floats -> floats."""

from __future__ import annotations

import collections
import itertools
import math
from typing import NamedTuple

import numpy as np
from scipy.special import logsumexp

from . import Case

X1 = np.array([0.3, -0.5, 0.8, 0.1, 0.2, -0.7, 0.4, 0.9, -0.2, 0.6, 0.05, -0.3, 0.7, 0.2, -0.1,
               0.5, 0.3, -0.6, 0.1, 0.2, 0.4])  # fmt: skip
V6 = np.array([0.33, -0.55, 0.8, 0.13, 0.91, -0.7])


def rnn_loss(w):
    Wx = w[:6].reshape(2, 3)
    Wh = w[6:15].reshape(3, 3)
    Wo = w[15:21].reshape(3, 2)
    xs = np.array([[0.1, -0.2], [0.3, 0.5], [-0.4, 0.2], [0.7, -0.1]])
    targets = [0, 1, 1, 0]
    h = np.zeros(3)
    loss = 0.0
    for t in range(len(xs)):
        h = np.tanh(xs[t] @ Wx + h @ Wh)
        logits = h @ Wo
        m = np.max(logits)
        lse = m + np.log(np.sum(np.exp(logits - m)))
        loss = loss - (logits[targets[t]] - lse)
    return loss / len(xs)


def gp_nll(p):
    X = np.linspace(-1, 1, 6)[:, None]
    y = np.sin(3 * X[:, 0])
    ls, sf, sn = np.exp(p)
    d = (X - X.T) ** 2
    K = sf**2 * np.exp(-0.5 * d / ls**2) + (sn**2 + 1e-6) * np.eye(6)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 3 * np.log(2 * np.pi)


def nbody_energy(pos):
    p = pos.reshape(4, 3)
    m = [1.0, 0.5, 0.3, 0.2]
    pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    e = 0.0
    for i, j in pairs:
        dx = p[i] - p[j]
        e -= m[i] * m[j] / math.sqrt(float(dx @ dx))
    return e


def newton_sqrt_sum(x):
    tot = 0.0
    for a in x:
        g = a
        it = 0
        while abs(g * g - a) > 1e-12 and it < 50:
            g = 0.5 * (g + a / g)
            it += 1
        tot += g * a
    return tot


def sorted_key(x):
    items = [(x[i], x[i + 1]) for i in range(0, len(x), 2)]
    s = sorted(items, key=lambda t: t[0] * t[1])
    best = max(items, key=lambda t: t[1] - t[0])
    return sum(a * (k + 1) + b for k, (a, b) in enumerate(s)) + best[0] * best[1]


class State(NamedTuple):
    q: float
    p: float


def rk4_pendulum(k):
    def deriv(s):
        return State(s.p, -k * math.sin(s.q))

    s = State(1.0, 0.0)
    h = 0.05
    for _ in range(20):
        a = deriv(s)
        b = deriv(State(s.q + h / 2 * a.q, s.p + h / 2 * a.p))
        c = deriv(State(s.q + h / 2 * b.q, s.p + h / 2 * b.p))
        d = deriv(State(s.q + h * c.q, s.p + h * c.p))
        s = State(
            s.q + h / 6 * (a.q + 2 * b.q + 2 * c.q + d.q),
            s.p + h / 6 * (a.p + 2 * b.p + 2 * c.p + d.p),
        )
    return s.q * s.p + s.q


def nonlocal_acc(x):
    total = 0.0

    def add(v, w=2.0):
        nonlocal total
        total += w * v * v

    for i, xi in enumerate(x):
        add(xi, w=i + 1.0)
    add(x[0] * x[-1])
    return total


def cumulative_edit(x):
    y = x.copy()
    for i in range(1, len(y)):
        y[i] = y[i - 1] * 0.5 + y[i] ** 2
    z = y[::2] * y[1::2]
    return np.sum(z) + y[-1] * y[-2]


def try_log(x):
    tot = 0.0
    for v in x:
        try:
            if v < 0:
                raise ValueError("neg")
            tot += math.log(v)
        except ValueError:
            tot += v * v
    return tot


def _combine(*vals, scale=1.0, **opts):
    s = sum(v * v for v in vals)
    return scale * s + opts.get("bias", 0.0) * vals[0]


def starargs(x):
    return _combine(x[0], x[1], x[2], scale=2.0, bias=x[3])


def complex_mid(x):
    z = x[0] + 1j * x[1]
    w = z * z * np.exp(1j * x[2])
    return np.abs(w) ** 2 + np.real(w) * np.imag(z) + np.angle(w)


def out_where(x):
    y = np.empty_like(x)
    np.multiply(x, x, out=y)
    z = np.zeros_like(x)
    np.add(y, 1.0, out=z, where=x > 0)
    s = np.sum(x, where=x < 0.5)
    return np.sum(z * x) + s


def bcast_n1_1m(x):
    a = x[:3].reshape(3, 1)
    b = x[3:].reshape(1, 4)
    M = a * b - a**2 + np.exp(-b)
    return np.sum(np.max(M, axis=1, keepdims=True) * M) + np.sum(np.mean(M, axis=-1) ** 2)


def itertools_stuff(x):
    tot = 0.0
    for a, b in itertools.combinations(x, 2):
        tot += a * b
    for a, b in zip(x, itertools.accumulate(x)):
        tot += a * b
    for a, b in itertools.product(x[:2], x[2:]):
        tot += math.sin(a - b)
    return tot


class Adam:
    def __init__(self, lr=0.1):
        self.lr = lr
        self.m = None
        self.v = None
        self.t = 0

    def step(self, p, g):
        if self.m is None:
            self.m = np.zeros_like(p)
            self.v = np.zeros_like(p)
        self.t += 1
        self.m = 0.9 * self.m + 0.1 * g
        self.v = 0.999 * self.v + 0.001 * g * g
        mh = self.m / (1 - 0.9**self.t)
        vh = self.v / (1 - 0.999**self.t)
        return p - self.lr * mh / (np.sqrt(vh) + 1e-8)


def unrolled_adam(x):
    opt = Adam(0.05)
    p = x.copy()
    for _ in range(5):
        g = 2 * (p - np.array([1.0, -1.0, 0.5])) + 0.3 * p**3
        p = opt.step(p, g)
    return np.sum(p**2) + np.sum(x * p)


class Base:
    scale = 2.0

    def energy(self, x):
        return self.scale * np.sum(x**2)


class Child(Base):
    scale = 3.0

    def __init__(self, k):
        self.k = k

    @property
    def kk(self):
        return self.k * 2

    def energy(self, x):
        return super().energy(x) + self.kk * np.sum(np.cos(x))


def inherit(x):
    return Child(0.7).energy(x) + Base().energy(x[:2])


def logistic_reg_newton(w):
    X = np.array([[1.0, 0.3], [1.0, -1.2], [1.0, 0.8], [1.0, 2.0], [1.0, -0.5]])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    b = w.copy()
    for _ in range(3):
        p = 1 / (1 + np.exp(-X @ b))
        g = X.T @ (p - y) + 0.1 * b
        H = X.T @ (X * (p * (1 - p))[:, None]) + 0.1 * np.eye(2)
        b = b - np.linalg.solve(H, g)
    return np.sum(b**2) + np.dot(w, b)


def mixture_loglik(p):
    x = np.array([-1.0, 0.2, 0.5, 2.1, 1.7])
    w = np.exp(p[:2]) / np.sum(np.exp(p[:2]))
    mus = p[2:4]
    sig = np.exp(p[4:6])
    lp = (
        np.log(w)[None, :]
        - 0.5 * ((x[:, None] - mus) / sig) ** 2
        - np.log(sig)
        - 0.5 * np.log(2 * np.pi)
    )
    return -np.sum(logsumexp(lp, axis=1))


def late_binding(x):
    fs = [lambda: x[0] * i for i in range(3)]  # noqa: B023 (late binding, as Python runs it)
    gs = [lambda i=i: x[1] * i for i in range(3)]
    return sum(f() for f in fs) + sum(g() for g in gs) + x[2] ** 2


def walrus(x):
    tot = 0.0
    vals = [y for v in x if (y := v * v) > 0.05]
    if (m := max(vals)) > 0.1:
        tot += m
    return tot + sum(vals)


def match_stmt(x):
    t = 0.0
    for i, v in enumerate(x):
        match i % 3:
            case 0:
                t += v**2
            case 1:
                t += math.sin(v)
            case _:
                t -= v
    return t


def defaultdict_counter(x):
    d = collections.defaultdict(float)
    keys = ["a", "b", "a", "c", "b", "a"]
    for k, v in zip(keys, x):
        d[k] += v * v
    cnt = collections.Counter(keys)
    return sum(d[k] * cnt[k] for k in sorted(d))


def list_ops(x):
    lst = list(x)
    last = lst.pop()
    lst.insert(0, last * 2)
    lst.reverse()
    del lst[1]
    lst.extend([x[0] * x[1]])
    lst[1:3] = [lst[1] * 3]
    return sum(v * (i + 1) for i, v in enumerate(lst))


CASES = [
    Case(rnn_loss, (X1[:21],), (0,)),
    Case(gp_nll, (np.array([-0.5, 0.2, -1.0]),), (0,)),
    Case(nbody_energy, (np.array([0.0, 0, 0, 1, 0.2, 0, 0.3, 1.1, -0.2, -0.5, 0.4, 0.9]),), (0,)),
    Case(newton_sqrt_sum, (np.array([2.0, 3.0, 0.5]),), (0,)),
    Case(sorted_key, (np.array([0.3, 1.2, -0.5, 0.7, 2.0, 0.1]),), (0,)),
    Case(rk4_pendulum, (2.0,), (0,)),
    Case(nonlocal_acc, (np.array([0.5, -1.0, 2.0]),), (0,)),
    Case(cumulative_edit, (np.array([0.1, 0.4, -0.3, 0.2, 0.5, 0.6]),), (0,)),
    Case(try_log, (np.array([0.5, -0.3, 2.0]),), (0,)),
    Case(starargs, (np.array([0.5, -0.3, 2.0, 1.1]),), (0,)),
    Case(complex_mid, (np.array([0.3, -0.5, 0.8]),), (0,)),
    Case(out_where, (V6,), (0,)),
    Case(bcast_n1_1m, (np.array([0.3, -0.5, 0.8, 0.1, 0.2, -0.7, 0.4]),), (0,)),
    Case(itertools_stuff, (V6[:4],), (0,)),
    Case(unrolled_adam, (V6[:3],), (0,)),
    Case(inherit, (V6[:4],), (0,)),
    Case(logistic_reg_newton, (np.array([0.1, -0.2]),), (0,)),
    Case(mixture_loglik, (np.array([0.1, -0.2, -0.5, 1.5, 0.0, -0.3]),), (0,)),
    Case(late_binding, (V6,), (0,)),
    Case(walrus, (V6,), (0,)),
    Case(match_stmt, (V6,), (0,)),
    Case(defaultdict_counter, (V6,), (0,)),
    Case(list_ops, (V6,), (0,)),
]
