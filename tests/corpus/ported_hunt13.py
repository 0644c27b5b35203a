"""Ported cases (session 13, hunt13), written anew after the shapes of other projects' test
corpora and benchmark programs and of users' Python idioms: a dataclass with a class constant, a
property, a static and a class method; sorted/max with keys, functools.reduce,
itertools.accumulate, math.fsum, for-else, walrus, starred unpacking; a vector class with
operators (a ray-sphere hit), a power iteration in lists (spectral norm), a Bezier curve by
repeated interpolation, a Black-Scholes price with a branchy normal cdf, pairwise loops into a
preallocated array, a Jacobi relaxation; reductions with ``where=``/``initial=``/``keepdims``,
take_along_axis, diff with prepend/append, multi-axis roll, np.average over a tuple of axes and
np.trapezoid with 2-D sample points (both crashed before this session's fixes).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass

import numpy as np

from . import Case

X_PY = np.array([0.3, -0.4, 0.9, 0.2, -0.7, 0.55])
X_NP = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])


# -- Python idioms ----------------------------------------------------------------------------
@dataclass
class Spring:
    k: float
    rest: float = 1.0
    HALF = 0.5

    def energy(self, d):
        return self.HALF * self.k * (d - self.rest) ** 2

    @property
    def stiff(self):
        return 2.0 * self.k

    @staticmethod
    def damping(v):
        return 0.1 * v * v

    @classmethod
    def loose(cls, k):
        return cls(k, rest=0.5)


def py_spring(w):
    s = Spring(w[0] ** 2 + 1.0)
    t = Spring.loose(w[1])
    return s.energy(w[2]) + t.energy(w[3]) + s.stiff * w[4] + Spring.damping(w[5]) + t.HALF * w[0]


def py_sorted_keys(w):
    pairs = list(zip(w[:3], w[3:]))
    best = max(pairs, key=lambda p: p[0] * p[1])
    ranked = sorted(enumerate(w), key=lambda iv: iv[1])
    return best[0] * best[1] + sum(v * (j + 1) for j, (_, v) in enumerate(ranked))


def py_reduce_accumulate(w):
    r = functools.reduce(lambda a, b: a * 0.5 + b * b, w, 1.0)
    run = list(itertools.accumulate(w))
    hi = list(itertools.accumulate(w, max))
    pr = list(itertools.accumulate(w[:4], operator.mul, initial=2.0))
    return r + sum(a * a for a in run) + sum(hi) + pr[-1] + math.fsum(w * w)


def py_for_else_walrus(w):
    t = 0.0
    for v in w:
        if (sq := v * v) > 1.5:
            t += sq
            break
        t += sq if -0.5 < v <= 0.5 else math.sin(v)
    else:
        t *= 2.0
    first, *mid, last = w
    return t + first * last + sum(mid) ** 2


def py_dict_get_sum_start(w):
    d = {"a": w[0], "b": w[1] * 2}
    s = sum((w[:2], w[2:4]), np.zeros(2)) @ w[4:]
    return d.get("a", 0.0) * d.get("c", w[2]) + d.get("b") ** 2 + sum(w, start=1.5) + s


# -- benchmark programs ---------------------------------------------------------------------
class Vec:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, s):
        return Vec(self.x * s, self.y * s, self.z * s)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def unit(self):
        return self * (1.0 / math.sqrt(self.dot(self)))


def bench_ray_sphere(w):
    origin = Vec(w[0], w[1], -3.0)
    d = Vec(w[2], w[3], 1.0).unit()
    center = Vec(0.0, 0.0, w[4])
    r = 1.0 + w[5] ** 2
    oc = origin - center
    b = oc.dot(d)
    disc = b * b - (oc.dot(oc) - r * r)
    if disc < 0:
        return 0.0
    t = -b - math.sqrt(disc)
    n = (origin + d * t - center).unit()
    return max(n.dot(Vec(1.0, 1.0, -1.0).unit()), 0.0) + 0.1 * t


def bench_spectral(w):
    n = 4

    def a(i, j):
        return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)

    def av(u):
        return [sum(a(i, j) * u[j] for j in range(n)) for i in range(n)]

    def atv(u):
        return [sum(a(j, i) * u[j] for j in range(n)) for i in range(n)]

    u = list(w[:4])
    for _ in range(3):
        v = atv(av(u))
        u = atv(av(v))
    return math.sqrt(sum(p * q for p, q in zip(u, v)) / sum(q * q for q in v))


def bench_bezier(w):
    pts = [(w[0], w[1]), (w[2], w[3]), (w[4], w[5]), (1.0, 0.0)]

    def point(t):
        p = list(pts)
        while len(p) > 1:
            p = [((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]) for a, b in zip(p, p[1:])]
        return p[0]

    return sum(px * py for px, py in (point(k / 4) for k in range(5)))


def bench_black_scholes(w):
    s, k, t, r, vol = 100 + w[0], 100.0, 1.0 + 0.1 * w[1], 0.05, 0.2 + 0.05 * w[2]

    def cnd(d):
        c = (0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429)
        q = 1.0 / (1.0 + 0.2316419 * abs(d))
        poly = sum(ci * q ** (i + 1) for i, ci in enumerate(c))
        out = 1.0 - math.exp(-d * d / 2.0) / math.sqrt(2 * math.pi) * poly
        return 1.0 - out if d < 0 else out

    d1 = (math.log(s / k) + (r + vol * vol / 2.0) * t) / (vol * math.sqrt(t))
    d2 = d1 - vol * math.sqrt(t)
    return s * cnd(d1) - k * math.exp(-r * t) * cnd(d2)


def bench_pairwise(w):
    n = w.shape[0]
    out = np.zeros(n)
    for i in range(n):
        acc = 0.0
        for j in range(n):
            if i != j:
                d = w[i] - w[j]
                acc += 1.0 / math.sqrt(d * d + 0.1)
        out[i] = acc
    return out.sum() + out @ w


def bench_jacobi(w):
    u = np.zeros((4, 4))
    u[0, :] = w[:4]
    u[:, 0] = w[2:6]
    for _ in range(5):
        un = u.copy()
        un[1:-1, 1:-1] = 0.25 * (u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2])
        u = un
    return np.sum(u**2)


# -- NumPy argument variants ------------------------------------------------------------------
def np_where_initial(x):
    m = x.reshape(3, 4)
    mask = np.array([[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 1]], bool)
    return (
        np.sum(np.sum(m**2, axis=1, where=mask))
        + np.sum(np.max(m, axis=0, where=mask, initial=-5.0))
        + np.sum(np.mean(m, axis=1, where=mask) ** 2)
        + np.sum(m, initial=2.0) * np.min(x, initial=0.1)
    )


def np_take_along_roll(x):
    m = x.reshape(3, 4)
    i = np.argsort(m, axis=1)
    return (
        np.sum(np.take_along_axis(m, i, axis=1) * np.arange(4.0))
        + np.sum(np.take_along_axis(m, np.array([[0, 3, 3]]), axis=1) ** 2)
        + np.sum(np.roll(m, (1, -2), axis=(0, 1)) * np.arange(12.0).reshape(3, 4))
    )


def np_diff_pad(x):
    m = x.reshape(3, 4)
    return (
        np.sum(np.diff(x, prepend=0.0, append=x[0]) ** 2)
        + np.sum(np.diff(m, axis=0, prepend=x[:4].reshape(1, 4)) ** 3)
        + np.sum(np.cumsum(x[::-1])[::-1] * x)
    )


def np_average_trapezoid(x):
    t = x.reshape(2, 3, 2)
    w = np.arange(1.0, 7.0).reshape(3, 2)
    xs = np.cumsum(np.exp(x[:6])).reshape(3, 2)
    return np.sum(np.average(t, axis=(1, 2), weights=w) ** 2) + np.sum(
        np.trapezoid(np.sin(t), xs) ** 2
    )


CASES = [
    Case(py_spring, (X_PY,), (0,), extra="hvp"),
    Case(py_sorted_keys, (X_PY,), (0,), extra="hvp"),
    Case(py_reduce_accumulate, (X_PY,), (0,), extra="hvp"),
    Case(py_for_else_walrus, (X_PY,), (0,), extra="hvp"),
    Case(py_dict_get_sum_start, (X_PY,), (0,), extra="hvp"),
    Case(bench_ray_sphere, (X_PY,), (0,), extra="hvp"),
    Case(bench_spectral, (X_PY,), (0,), extra="hvp"),
    Case(bench_bezier, (X_PY,), (0,), extra="hvp"),
    Case(bench_black_scholes, (X_PY,), (0,), extra="hvp"),
    Case(bench_pairwise, (X_PY,), (0,), extra="hvp"),
    Case(bench_jacobi, (X_PY,), (0,), extra="hvp"),
    Case(np_where_initial, (X_NP,), (0,), extra="hvp"),
    Case(np_take_along_roll, (X_NP,), (0,), extra="hvp"),
    Case(np_diff_pad, (X_NP,), (0,), extra="hvp"),
    Case(np_average_trapezoid, (X_NP,), (0,), extra="hvp"),
]
