"""Ported cases (session 27, hunt27e), written anew after control flow and object styles: Newton's
method in a ``while True`` with a tolerance ``break``, an early ``return`` from a loop, ``for``/``else``,
``functools.lru_cache`` on integer binomials, ``map`` over two iterables, ``zip(*rows)``, ``sorted`` of
``zip`` pairs, ``min(range(n), key=lambda ...)``, ``statistics.fmean``/``math.fsum``, ``isinstance``
branches, ``**cfg`` keyword configs, a ``Sequential`` of layer objects with ``__call__``, ``super()``
in an overriding method, ``__slots__`` springs with a ``classmethod`` constructor held in a list of
``(i, j, spring)`` tuples (refused before this session), a fixed-point loop with a
convergence ``break``, a generator with an early ``return``, a DP over ``reversed(range(n))``,
``dict.setdefault(...).append``, f-strings of values.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import math
import statistics

import numpy as np

from . import Case


def newton_root(x):
    # solve t^3 + a t - b = 0 for t by Newton inside the loss
    a, b = np.exp(x[0]), x[1]
    t = 0.0
    while True:
        g = t**3 + a * t - b
        if abs(g) < 1e-13:
            break
        t -= g / (3 * t * t + a)
    return t**2 + t * a


def early_return(x):
    s = 0.0
    for i, v in enumerate(x):
        s += v * (i + 1)
        if s > 1.0:
            return s**2 + i
    return -s


def for_else(x):
    acc = 1.0
    for v in x:
        if v < -2.0:
            acc = 0.0
            break
        acc *= 1 + v
    else:
        acc += np.sum(x**2)
    return acc


@functools.cache
def binom(n, k):
    return 1 if k in (0, n) else binom(n - 1, k - 1) + binom(n - 1, k)


def bernstein(x):
    n = len(x) - 1
    t = 0.35
    return sum(binom(n, k) * t**k * (1 - t) ** (n - k) * c for k, c in enumerate(x)) ** 2


def map_two(x):
    w = [0.5, 1.5, -0.3]
    return sum(map(lambda a, b: a * b * a, x, w)) + sum(map(math.tanh, x))


def zip_star_transpose(x):
    M = [list(x[:3]), list(x[3:])]
    cols = list(zip(*M))
    return sum(c[0] * c[1] for c in cols)


def sorted_pairs(x):
    names = ["a", "b", "c", "d"]
    ranked = sorted(zip(x, names), reverse=True)
    return ranked[0][0] * 2 + ranked[-1][0] ** 2 + len(ranked[1][1])


def argmin_key(x):
    centers = np.array([-1.0, 0.0, 1.0])
    i = min(range(3), key=lambda k: (x[0] - centers[k]) ** 2)
    return (x[0] - centers[i]) ** 2 + x[1] * centers[i]


def stats_mean(x):
    return statistics.fmean(x) ** 2 + math.fsum(v * v for v in x) + statistics.mean(list(x)) * x[0]


def isinstance_branch(x):
    def scale(v, s):
        if isinstance(s, (int, float)):
            return v * s
        return v @ s

    return np.sum(scale(x, 2.0) ** 2) + scale(x, np.ones(len(x)))


def kwargs_cfg(x):
    def loss(pred, target, **cfg):
        r = pred - target
        if cfg.get("kind", "l2") == "huber":
            d = cfg["delta"]
            return np.sum(np.where(np.abs(r) < d, 0.5 * r**2, d * (np.abs(r) - 0.5 * d)))
        return np.sum(r**2)

    t = np.zeros(len(x))
    return loss(x, t, kind="huber", delta=0.4) + loss(x, t)


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, h):
        return self.W @ h + self.b


class Tanh:
    def __call__(self, h):
        return np.tanh(h)


class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def __call__(self, h):
        for layer in self.layers:
            h = layer(h)
        return h


def mlp_seq(x):
    W1 = x[:4].reshape(2, 2)
    net = Sequential(
        Linear(W1, np.array([0.1, -0.2])), Tanh(), Linear(np.array([[1.0, -1.0]]), np.zeros(1))
    )
    return float(net(np.array([0.5, -0.3]))[0]) ** 2


class Base:
    def __init__(self, w):
        self.w = w

    def forward(self, v):
        return self.w * v

    def loss(self, v):
        return np.sum(self.forward(v) ** 2)


class Child(Base):
    def __init__(self, w, c):
        super().__init__(w)
        self.c = c

    def forward(self, v):
        return super().forward(v) + self.c * np.sin(v)


def inherit_override(x):
    m = Child(x[0], x[1])
    return m.loss(x[2:]) + Base(x[1]).loss(x[2:])


class Spring:
    __slots__ = ("k", "L0")

    def __init__(self, k, L0):
        self.k = k
        self.L0 = L0

    @classmethod
    def stiff(cls, L0):
        return cls(10.0, L0)

    @staticmethod
    def length(p, q):
        return np.sqrt(np.sum((p - q) ** 2))

    def energy(self, p, q):
        return 0.5 * self.k * (self.length(p, q) - self.L0) ** 2


def slots_springs(x):
    P = x.reshape(3, 2)
    springs = [(0, 1, Spring(2.0, 1.0)), (1, 2, Spring.stiff(0.5)), (0, 2, Spring(1.0, x[0] + 1.5))]
    return sum(s.energy(P[i], P[j]) for i, j, s in springs)


def while_break_conv(x):
    # fixed point iteration t = cos(a t) until convergence
    a = x[0]
    t = 0.5
    for _it in range(200):
        tn = math.cos(a * t)
        if abs(tn - t) < 1e-14:
            t = tn
            break
        t = tn
    return t * x[1]


def gen_early_stop(x):
    def partial_sums(v):
        s = 0.0
        for e in v:
            s += e
            if s > 1.0:
                return
            yield s

    return sum(p**2 for p in partial_sums(x))


def enumerate_reversed_dp(x):
    n = len(x)
    best = [0.0] * (n + 1)
    for i in reversed(range(n)):
        take = x[i] ** 2 + (best[i + 2] if i + 2 <= n else 0.0)
        best[i] = max(take, best[i + 1])
    return best[0]


def dict_of_lists(x):
    groups = {}
    for i, v in enumerate(x):
        groups.setdefault(i % 2, []).append(v)
    return sum(np.prod(np.array(g)) for g in groups.values()) + len(groups[0]) * x[0]


def fstring_log(x):
    logs = []
    s = 0.0
    for v in x:
        s += v**2
        logs.append(f"{s:.3f}")
    return s * len(logs[-1])


CASES = [
    Case(newton_root, (np.array([0.2, 0.7]),), (0,), extra="hvp"),
    Case(early_return, (np.array([0.3, 0.2, 0.25, 0.1]),), (0,), extra="hvp"),
    Case(for_else, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(bernstein, (np.array([0.3, -0.5, 0.2, 1.1]),), (0,), extra="hvp"),
    Case(map_two, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(zip_star_transpose, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(sorted_pairs, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(argmin_key, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(stats_mean, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(isinstance_branch, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(kwargs_cfg, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(mlp_seq, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(inherit_override, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(slots_springs, (np.array([0.3, -0.5, 1.2, 0.7, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(while_break_conv, (np.array([0.8, 1.3]),), (0,), extra="hvp"),
    Case(gen_early_stop, (np.array([0.3, 0.5, 0.1, 0.7]),), (0,), extra="hvp"),
    Case(enumerate_reversed_dp, (np.array([0.3, -0.5, 0.2, 0.7, 0.1]),), (0,), extra="hvp"),
    Case(dict_of_lists, (np.array([0.3, -0.5, 0.2, 0.7, 0.1]),), (0,), extra="hvp"),
    Case(fstring_log, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
]
