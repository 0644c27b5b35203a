"""Ported cases (session 26, hunt26c), written anew after Python idioms in geometry and economics
code: a ``Vec`` class with ``__add__``/``__sub__``/``__mul__``/``__rmul__``/``__matmul__``/
``__abs__``/``__neg__``/``__iter__``, fields and properties named like NumPy attributes (``T``,
``size``, ``real``, ``flat``, ``mean``, ``max``), dict keys ``"sum"``/``"T"``/``"copy"`` read by
``dict.get(k, default)``, local names ``sum``/``max``/``size``/``T`` shadowing builtins, a parameter
container with ``__len__``/``__getitem__``/``__iter__`` whose ``__init__`` stores ``list(w)``
(refused before this session), ``functools.partial(operator.mul, 2.0)``, ``enumerate(start=1)``,
``divmod``, a ``deque(maxlen=2)`` summed by ``math.fsum`` (refused before this session),
``sum(gen, start)``, ``round``, ``functools.reduce``, namedtuple ``_replace``; a shoelace area
with ``np.roll``, signed distance functions with ``min``/``max``, Catmull-Rom splines, CES and
Cobb-Douglas functions, a Bellman update with ``np.interp``, ``bisect`` on knots, a dataclass
with properties ``size`` and ``T``, a
grid and a cache indexed through ``__getitem__`` (a tuple and a slice; a field updated on each
read).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import bisect
import functools
import math
import operator
from collections import deque, namedtuple
from dataclasses import dataclass

import numpy as np

from . import Case

R_e = np.random.default_rng(264)


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, s):
        return Vec(self.x * s, self.y * s)

    __rmul__ = __mul__

    def __matmul__(self, o):
        return self.x * o.x + self.y * o.y

    def __abs__(self):
        return math.hypot(self.x, self.y)

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __iter__(self):
        yield self.x
        yield self.y


def vec_ops(x):
    a, b, c = Vec(x[0], x[1]), Vec(x[2], x[3]), Vec(0.5, -0.25)
    d = 2.0 * (a - b) + c * 3.0
    e = -d + a
    return (d @ e) + abs(a - c) + sum(e)


class Field:
    """fields named like numpy attributes"""

    def __init__(self, data, T, size):
        self.data = data
        self.T = T
        self.size = size
        self.real = data * 2.0
        self.flat = data[::-1]

    @property
    def mean(self):
        return np.sum(self.data) / self.size

    def max(self):
        return self.T * self.data[0]


def shadow_fields(x):
    f = Field(x, T=1.5, size=4.0)
    return f.mean * f.T + f.max() + np.sum(f.real * f.flat) + f.size


def shadow_dict(x):
    d = {"sum": x[0] * 2, "mean": x[1], "T": x[2] ** 2, "copy": x[3], "item": 3.0}
    tot = d["sum"] + d.get("mean", 0.0) * d.get("T") + d.get("missing", 1.5) * d["copy"]
    return tot * d["item"]


def shadow_vars(x):
    sum = x[0] + x[1]
    max = x[2] * 2
    size = 3.0
    T = x.reshape(2, 2)
    real = T.T @ T
    return sum * max + size * np.trace(real)


class Params:
    def __init__(self, w):
        self._w = list(w)

    def __len__(self):
        return len(self._w)

    def __getitem__(self, i):
        return self._w[i]

    def __iter__(self):
        return iter(self._w)


def param_container(x):
    p = Params(x)
    s = 0.0
    for i in range(len(p)):
        s += p[i] * (i + 1)
    return s + sum(v * v for v in p) + p[-1] ** 3


def idioms_mix(x):
    mul = functools.partial(operator.mul, 2.0)
    tot = 0.0
    for k, v in enumerate(x, start=1):
        q, r = divmod(k, 2)
        tot += mul(v) * (q + 0.5 * r)
    hist = deque(maxlen=2)
    for v in x:
        hist.append(v * v)
    tot += math.fsum(hist)
    tot += sum((v * w for v, w in zip(x, x[::-1], strict=True)), 0.5)
    tot += min(x[0], x[1]) + abs(x[2]) + round(3.7) * x[3]
    return tot


def reduce_poly(x):
    coeffs = [1.0, -0.5, 0.25, x[0]]
    horner = functools.reduce(lambda acc, c: acc * x[1] + c, coeffs, 0.0)
    prod = functools.reduce(operator.mul, x[2:], 1.0)
    return horner + prod


Particle = namedtuple("Particle", ["pos", "vel", "mass"])


def namedtuple_step(x):
    ps = [Particle(x[i : i + 2], x[i + 2 : i + 4], 1.0 + i) for i in (0, 4)]
    out = []
    for p in ps:
        out.append(p._replace(pos=p.pos + 0.1 * p.vel / p.mass))
    return sum(np.sum(p.pos**2) * p.mass for p in out)


R_h = np.random.default_rng(265)


def shoelace(x):
    p = x.reshape(-1, 2)
    xs, ys = p[:, 0], p[:, 1]
    area = 0.5 * abs(np.sum(xs * np.roll(ys, -1) - np.roll(xs, -1) * ys))
    return area + np.sum(np.linalg.norm(p - np.roll(p, 1, axis=0), axis=1))


def sdf_scene(x):
    pts = x.reshape(-1, 2)
    tot = 0.0
    for p in pts:
        d_circle = np.linalg.norm(p - np.array([0.5, 0.0])) - 0.4
        q = np.abs(p - np.array([-0.5, 0.2])) - np.array([0.3, 0.2])
        d_box = np.linalg.norm(np.maximum(q, 0.0)) + min(max(q[0], q[1]), 0.0)
        d = min(d_circle, d_box)
        tot += d * d
    return tot


def catmull_rom(x, n=5):
    P = x.reshape(-1, 2)
    out = []
    for i in range(1, len(P) - 2):
        p0, p1, p2, p3 = P[i - 1], P[i], P[i + 1], P[i + 2]
        for t in np.linspace(0, 1, n, endpoint=False):
            t2, t3 = t * t, t * t * t
            pt = 0.5 * (
                (2 * p1)
                + (-p0 + p2) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
            )
            out.append(pt)
    C = np.array(out)
    seg = np.diff(C, axis=0)
    return np.sum(np.sqrt(np.sum(seg**2, axis=1)))


def ces(x, rho=0.5, shares=(0.3, 0.7)):
    return sum(a * q**rho for a, q in zip(shares, x, strict=True)) ** (1 / rho)


def cobb_douglas_profit(x, A=1.2, alpha=0.3, beta=0.6, w=0.5, r=0.8):
    K, L = x
    return A * K**alpha * L**beta - w * L - r * K


GRID = np.linspace(0.1, 2.0, 6)


def bellman_interp(x, beta=0.9, iters=3):
    V = np.log(GRID) * x[0]
    for _ in range(iters):
        Vn = np.empty_like(V)
        for i, k in enumerate(GRID):
            best = -np.inf
            for frac in (0.2, 0.4, 0.6):
                c = frac * k ** x[1]
                kp = k ** x[1] - c
                v = math.log(c) + beta * np.interp(kp, GRID, V)
                best = max(best, v)
            Vn[i] = best
        V = Vn
    return np.sum(V)


KNOTS = [0.0, 0.5, 1.0, 1.5, 2.0]


def piecewise_bisect(x):
    tot = 0.0
    for t in (0.3, 0.9, 1.2, 1.7):
        j = bisect.bisect_right(KNOTS, t) - 1
        w = (t - KNOTS[j]) / (KNOTS[j + 1] - KNOTS[j])
        tot += (1 - w) * x[j] + w * x[j + 1]
    return tot**2


@dataclass
class Box:
    lo: np.ndarray
    hi: np.ndarray

    @property
    def size(self):
        return self.hi - self.lo

    @property
    def T(self):
        return np.prod(self.size)


def box_props(x):
    b = Box(x[:2], x[2:])
    return b.T + np.sum(b.size**2)


class Grid:
    def __init__(self, w):
        self.data = w.reshape(2, 2) * 1.0

    def __getitem__(self, i):
        return self.data[i]

    def __len__(self):
        return self.data.shape[0]


class Cache:
    def __init__(self, w):
        self.w = w * 2.0
        self.hits = 0.0

    def __getitem__(self, i):
        self.hits = self.hits + self.w[i]
        return self.w[i] * self.hits


def g_state(x):
    c = Cache(x)
    a = c[0]
    b = c[1]
    return a * b + c.hits


def g_tuple(x):
    g = Grid(x)
    return g[0, 1] * g[1, 0] + np.sum(g[:, 1])


CASES = [
    Case(g_state, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(g_tuple, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(vec_ops, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(shadow_fields, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(shadow_dict, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(shadow_vars, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(param_container, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(idioms_mix, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(reduce_poly, (np.array([0.3, -0.2, 0.5, 1.1]),), (0,), extra="hvp"),
    Case(namedtuple_step, (R_e.standard_normal(8),), (0,), extra="hvp"),
    Case(shoelace, (np.array([0.0, 0.0, 1.0, 0.1, 1.2, 0.9, 0.1, 1.1]),), (0,), extra="hvp"),
    Case(sdf_scene, (np.array([0.9, 0.1, -0.3, 0.5, 0.1, 1.3]),), (0,), extra="hvp"),
    Case(catmull_rom, (R_h.standard_normal(10),), (0,), extra="hvp"),
    Case(ces, (np.array([1.3, 0.7]),), (0,), extra="hvp"),
    Case(cobb_douglas_profit, (np.array([1.3, 0.7]),), (0,), extra="hvp"),
    Case(bellman_interp, (np.array([0.7, 0.8]),), (0,), extra="hvp"),
    Case(piecewise_bisect, (R_h.standard_normal(5),), (0,), extra="hvp"),
    Case(box_props, (np.array([0.1, 0.2, 1.3, 0.9]),), (0,), extra="hvp"),
]
