"""Ported cases (session 22, bench22, second file): variants of the benchmark programs of
ported_bench22.py as users write them: pyperformance-style vectors whose ``__rmul__`` is their
``__mul__`` (refused when the code runs: `t * d` on an object of unknown class), spectral norm with
``map`` and a lambda, a pure-Python matrix product through ``zip(*B)``, LU with row swaps by
fancy indexing, the Thomas tridiagonal solve, n-body on arrays updated in place, a Monte Carlo
draw through a closure over `random.Random`, and an FFT bit reversal on array items and rows.

Small user functions -> `CASES`; scalar-valued, second order where ``extra="hvp"``."""

from __future__ import annotations

import math
import random

import numpy as np

from . import Case, refused_when_differentiated

R = np.random.default_rng(22002201)
XB = np.round(R.standard_normal(64) * 0.3, 3)


class V:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def __mul__(self, o):
        if isinstance(o, V):
            return self.x * o.x + self.y * o.y + self.z * o.z
        return V(self.x * o, self.y * o, self.z * o)

    __rmul__ = __mul__

    def __sub__(self, o):
        return V(self.x - o.x, self.y - o.y, self.z - o.z)

    def __neg__(self):
        return V(-self.x, -self.y, -self.z)

    def norm(self):
        return math.sqrt(self * self)


def ray_dispatch(x):
    c = V(0.1 * float(x[0]), 0.1 * float(x[1]), 3.0 + float(x[2]))
    tot = 0.0
    for px in (-0.2, 0.0, 0.2):
        d = V(px, 0.1, 1.0)
        d = (1.0 / d.norm()) * d
        v = c * d
        disc = 1.0 - ((c * c) - v * v)
        if disc > 0:
            t = v - math.sqrt(disc)
            p = t * d
            n = -(c - p)
            tot += n.norm() + t
    return tot


def spectral_map(x):
    u = [1.0 + 0.1 * float(t) for t in x[:5]]
    A = lambda i, j: 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)
    for _ in range(2):
        v = [sum(map(lambda ju: A(i, ju[0]) * ju[1], enumerate(u))) for i in range(5)]
        u = [sum(A(j, i) * vj for j, vj in enumerate(v)) for i in range(5)]
    return math.sqrt(sum(a * b for a, b in zip(u, v)) / sum(b * b for b in v))


def matmul_zip(x):
    A = [[float(x[3 * i + j]) for j in range(3)] for i in range(3)]
    B = [[float(x[9 + 3 * i + j]) for j in range(3)] for i in range(3)]
    C = [[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] for row in A]
    return sum(c * c for row in C for c in row)


def lu_numpy(x):
    a = x[:16].reshape(4, 4) + 3.0 * np.eye(4)
    a = a.copy()
    n = 4
    perm = list(range(n))
    for j in range(n):
        jp = j + int(np.argmax(np.abs(a[j:, j])))
        if jp != j:
            a[[j, jp]] = a[[jp, j]]
            perm[j], perm[jp] = perm[jp], perm[j]
        a[j + 1 :, j] /= a[j, j]
        a[j + 1 :, j + 1 :] -= np.outer(a[j + 1 :, j], a[j, j + 1 :])
    return np.sum(np.abs(np.diag(a))) + np.sum(a**2) + perm[0]


def thomas(x):
    n = 6
    a = [0.1 + 0.05 * float(t) for t in x[:n]]
    b = [2.0 + 0.1 * float(t) for t in x[n : 2 * n]]
    c = [0.2 + 0.05 * float(t) for t in x[2 * n : 3 * n]]
    d = [float(t) for t in x[3 * n : 4 * n]]
    cp = [0.0] * n
    dp = [0.0] * n
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    xs = [0.0] * n
    xs[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        xs[i] = dp[i] - cp[i] * xs[i + 1]
    return sum(v * v for v in xs)


def nbody_arrays_swapped(x):
    pos = x[:9].reshape(3, 3) + np.arange(3.0)[:, None] * 2
    vel = 0.1 * x[9:18].reshape(3, 3)
    m = np.array([1.0, 1.2, 1.4])
    for _ in range(4):
        d = pos[:, None, :] - pos[None, :, :]
        r2 = np.sum(d * d, axis=-1) + np.eye(3)
        inv = r2**-1.5 * (1 - np.eye(3))
        acc = -np.einsum("ij,ijk,j->ik", inv, d, m)
        vel += 0.01 * acc
        pos += 0.01 * vel
    return np.sum(pos**2) + np.sum(m[:, None] * vel**2)


def mc_random_helper(x):
    rnd = random.Random(7)

    def draw():
        return rnd.random(), rnd.random()

    k = 1.0 + 0.3 * float(x[0])
    acc = 0.0
    for _ in range(30):
        u, v = draw()
        if u * u + v * v < k:
            acc += math.exp(-k * u) * v
    return acc


def bitrev_numpy(x):
    a = x[:8].copy()
    n = 8
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[i], a[j] = a[j], a[i]
    return np.sum(a * np.arange(1.0, 9.0) ** 2)


def bitrev_numpy_rows(x):
    a = x[:8].reshape(4, 2).copy()
    n = 4
    j = 0
    for i in range(1, n):
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j ^= bit
        if i < j:
            a[[i, j]] = a[[j, i]]
    return np.sum(a * np.arange(1.0, 9.0).reshape(4, 2) ** 2)


_RMUL = (
    "`p = t * d` runs `V.__rmul__` (`__rmul__ = __mul__`) on `d`, the result of another "
    "`(1.0 / d.norm()) * d` whose class srcad does not know when it makes the derivative: "
    "refused when the code runs (before bench22: a product rule, a crash in reverse mode)"
)


def _hvp(fn, x=XB, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    Case(ray_dispatch, (XB,), (0,), xfail=refused_when_differentiated(_RMUL)),
    _hvp(spectral_map),
    _hvp(matmul_zip),
    _hvp(lu_numpy),
    _hvp(thomas),
    _hvp(nbody_arrays_swapped),
    _hvp(mc_random_helper),
    _hvp(bitrev_numpy),
    _hvp(bitrev_numpy_rows),
]
