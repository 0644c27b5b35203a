"""Ported cases (session 42, hunt42), part 2 (part 1: ported_corp42_hunt): operator
overloading, FFT filtering, matrix norms, statistics, a raytracer on small vector classes, a soft
edit distance over a dict, a Kalman filter, ``np.diff``/``np.pad`` modes, ``np.interp`` in its
knots, ``np.dot`` of 3-D arrays, NumPy 2 functions (``unstack``, ``vecdot``, ``matvec``,
``cumulative_sum``, ``.mT``), ndarray methods, a dataclass n-body integrator, causal attention, a
layer norm with GELU, ``cmath``, and a complex Hermitian matrix's eigenvalues.

Float64 arrays and floats -> floats."""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

import numpy as np

from . import Case

V6 = np.array([0.33, -0.55, 0.8, 0.13, 0.91, -0.7])
V8 = np.array([0.33, -0.55, 0.8, 0.13, 0.21, -0.7, 0.4, 0.9])
V12 = np.array([0.33, -0.55, 0.8, 0.13, 0.91, -0.7, 0.4, 0.9, -0.2, 0.6, 0.05, -0.3])
V18 = np.random.default_rng(7).normal(size=18) * 0.6


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, s):
        return Vec(self.x * s, self.y * s)

    __rmul__ = __mul__

    def __abs__(self):
        return math.hypot(self.x, self.y)

    def dot(self, o):
        return self.x * o.x + self.y * o.y

    def __neg__(self):
        return Vec(-self.x, -self.y)


def vec_ops(p):
    a = Vec(p[0], p[1])
    b = Vec(p[2], p[3])
    c = 2.0 * a - b * 0.5 + (-a)
    return abs(c) + c.dot(a) + abs(a - b) ** 2


def fft_roundtrip(x):
    F = np.fft.rfft(x * np.hanning(len(x)))
    F[2:] = 0
    y = np.fft.irfft(F, n=len(x))
    return np.sum(y**3)


def norms(x):
    A = x[:6].reshape(3, 2)
    return (
        np.linalg.norm(A, 2)
        + np.linalg.norm(A, "nuc")
        + np.linalg.norm(A, np.inf)
        + np.linalg.norm(A, 1)
        + np.linalg.norm(x, np.inf)
        + np.linalg.norm(x, -np.inf)
        + np.linalg.norm(x, 1)
        + np.linalg.norm(A, -2)
    )


def stats(x):
    M = x.reshape(2, 4)
    return (
        np.std(x, ddof=1)
        + np.sum(np.var(M, axis=(0,)))
        + np.average(x, weights=np.arange(1.0, 9.0))
        + np.sum(np.cov(M))
        + np.sum(np.corrcoef(M))
        + np.average(M, axis=1, weights=[1.0, 2.0, 3.0, 4.0]).sum()
    )


class V3:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def scale(self, s):
        return V3(self.x * s, self.y * s, self.z * s)

    def add(self, o):
        return V3(self.x + o.x, self.y + o.y, self.z + o.z)

    def sub(self, o):
        return V3(self.x - o.x, self.y - o.y, self.z - o.z)

    def mag(self):
        return math.sqrt(self.dot(self))

    def norm(self):
        return self.scale(1.0 / self.mag())


class Sphere:
    def __init__(self, c, r):
        self.c = c
        self.r = r

    def hit(self, o, d):
        oc = o.sub(self.c)
        b = oc.dot(d)
        cc = oc.dot(oc) - self.r * self.r
        disc = b * b - cc
        if disc < 0:
            return None
        t = -b - math.sqrt(disc)
        return t if t > 1e-6 else None


def trace(o, d, spheres, depth):
    best = None
    bs = None
    for s in spheres:
        t = s.hit(o, d)
        if t is not None and (best is None or t < best):
            best, bs = t, s
    if best is None:
        return 0.1 * d.y
    p = o.add(d.scale(best))
    n = p.sub(bs.c).norm()
    light = V3(1.0, 1.0, -1.0).norm()
    shade = max(n.dot(light), 0.0)
    if depth < 2:
        r = d.sub(n.scale(2 * d.dot(n)))
        return shade + 0.5 * trace(p, r, spheres, depth + 1)
    return shade


def raytrace(x):
    spheres = [Sphere(V3(x[0], 0.0, 3.0), x[1]), Sphere(V3(-0.8, x[2], 4.0), 0.7)]
    tot = 0.0
    for px in (-0.2, 0.0, 0.15):
        for py in (-0.1, 0.1):
            d = V3(px, py, 1.0).norm()
            tot += trace(V3(0.0, 0.0, 0.0), d, spheres, 0)
    return tot


def soft_edit_distance(x):
    a = x[:3]
    b = x[3:6]
    n, m = len(a), len(b)
    D = {}
    for i in range(n + 1):
        D[i, 0] = float(i)
    for j in range(m + 1):
        D[0, j] = float(j)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            c = (a[i - 1] - b[j - 1]) ** 2
            opts = np.array([D[i - 1, j] + 1, D[i, j - 1] + 1, D[i - 1, j - 1] + c])
            D[i, j] = -np.log(np.sum(np.exp(-opts)))
    return D[n, m]


def kalman_1d(q):
    ys = [0.2, 0.5, 0.1, 0.9, 1.1]
    m, P = 0.0, 1.0
    ll = 0.0
    for y in ys:
        P = P + q[0] ** 2
        S = P + q[1] ** 2
        K = P / S
        ll += -0.5 * (math.log(2 * math.pi * S) + (y - m) ** 2 / S)
        m = m + K * (y - m)
        P = (1 - K) * P
    return ll


def diff_pad(x):
    d = np.diff(x, prepend=0.0, append=x[-1] * 2)
    p1 = np.pad(x[:4], 2, mode="reflect")
    p2 = np.pad(x[:4].reshape(2, 2), ((1, 0), (0, 2)), mode="edge")
    p3 = np.pad(x[:4], (1, 3), mode="wrap")
    p4 = np.pad(x[:4], 1, constant_values=x[5])
    return (
        np.sum(d**2)
        + np.sum(p1 * np.arange(8.0))
        + np.sum(p2**2 * np.arange(12.0).reshape(3, 4))
        + np.sum(p3 * np.arange(8.0))
        + np.sum(p4**3)
    )


def interp_wrt_knots(x):
    xp = np.cumsum(np.abs(x[:4]) + 0.1)
    fp = np.sin(x[4:8])
    return np.sum(np.interp(np.array([0.3, 0.9, 1.4, 5.0, -1.0]), xp, fp)) + np.interp(
        0.7, xp, fp, left=x[0], right=0.0
    )


def dot_nd(x):
    A = x[:12].reshape(2, 3, 2)
    B = x[:12].reshape(3, 2, 2) ** 2
    return np.sum(np.dot(A, B) * np.arange(36.0).reshape(2, 3, 3, 2)) + np.sum(
        np.dot(A, x[:2]) ** 2
    )


def np2_funcs(x):
    M = x[:6].reshape(2, 3)
    a, b = np.unstack(M)
    return (
        np.sum(np.vecdot(M, M))
        + np.sum(np.concat([a, b * 2]) ** 2)
        + np.sum(np.permute_dims(M, (1, 0)) * np.arange(6.0).reshape(3, 2))
        + np.sum(np.cumulative_sum(x) ** 2)
        + np.sum(np.cumulative_sum(M, axis=1, include_initial=True))
        + np.sum(np.cumulative_prod(1 + 0.1 * x))
        + np.sum(M.mT * np.arange(6.0).reshape(3, 2))
        + np.sum(np.astype(M, np.float64) ** 3)
        + np.sum(np.matvec(np.outer(x[:3], x[:3]), x[3:6]))
        + np.sum(np.vecmat(x[:2], M) ** 2)
    )


def methods(x):
    M = x[:6].reshape(2, 3)
    return (
        M.sum(axis=0).prod()
        + M.clip(-0.3, 0.5).sum()
        + M.dot(x[:3]).sum()
        + M.cumsum(axis=1).max()
        + M.max(initial=-5.0)
        + M.mean(where=M > 0)
        + M.std(ddof=1)
        + M.var(axis=1).sum()
        + M[:, :2].trace()
        + M.diagonal().sum()
        + M.repeat(2, axis=0).sum() * M[0, 0]
        + M.take([0, 5]).sum()
        + M.swapaxes(0, 1)[2, 1]
        + M.conj().real.sum()
        + M.min(axis=1).sum()
        + x.round(2).sum() * 0
        + M.squeeze().sum()
    )


@dataclass
class Body:
    pos: np.ndarray
    vel: np.ndarray
    mass: float


def nbody_bench(x):
    bodies = [
        Body(x[0:2].copy(), np.array([0.0, 0.3]), 1.0),
        Body(x[2:4].copy(), np.array([0.1, -0.2]), 0.5),
        Body(np.array([0.0, 1.5]), np.zeros(2), x[4]),
    ]
    dt = 0.01
    for _step in range(15):
        for i, bi in enumerate(bodies):
            acc = np.zeros(2)
            for j, bj in enumerate(bodies):
                if i == j:
                    continue
                d = bj.pos - bi.pos
                r2 = d @ d + 0.01
                acc = acc + bj.mass * d / r2**1.5
            bi.vel = bi.vel + dt * acc
        for b in bodies:
            b.pos = b.pos + dt * b.vel
    e = 0.0
    for b in bodies:
        e += 0.5 * b.mass * (b.vel @ b.vel)
    return e + bodies[0].pos[1]


def attention(w):
    Q = w[:6].reshape(3, 2)
    Kk = w[6:12].reshape(3, 2)
    V = np.arange(6.0).reshape(3, 2) / 5
    s = Q @ Kk.T / math.sqrt(2)
    mask = np.triu(np.ones((3, 3), dtype=bool), 1)
    s = np.where(mask, -1e9, s)
    a = np.exp(s - s.max(-1, keepdims=True))
    a = a / a.sum(-1, keepdims=True)
    out = a @ V
    return np.sum(out**2) + np.sum(a * np.log(a + 1e-12))


def layernorm_mlp(w):
    X = np.array([[0.5, -1.0, 0.3], [1.5, 0.2, -0.7]])
    W1 = w[:9].reshape(3, 3)
    h = X @ W1
    mu = h.mean(-1, keepdims=True)
    var = h.var(-1, keepdims=True)
    hn = (h - mu) / np.sqrt(var + 1e-5)
    g = 0.5 * hn * (1 + np.tanh(math.sqrt(2 / math.pi) * (hn + 0.044715 * hn**3)))
    return np.sum(g @ w[9:12])


def cmath_fns(x):
    z = complex(x[0], x[1])
    w = cmath.sqrt(z) * cmath.exp(1j * x[2]) + cmath.log(z)
    return abs(w) + cmath.phase(w) + w.real * w.imag


def complex_matrix(x):
    A = np.array([[x[0], x[1] + 1j * x[2]], [x[1] - 1j * x[2], x[0] + 2]])
    w = np.linalg.eigvalsh(A)
    det = np.linalg.det(A)
    inv = np.linalg.inv(A)
    return np.sum(w**2) + det.real + np.sum(np.abs(inv) ** 2)


CASES = [
    Case(vec_ops, (V6,), (0,)),
    Case(fft_roundtrip, (V8,), (0,)),
    Case(norms, (V8,), (0,)),
    Case(stats, (V8,), (0,)),
    Case(raytrace, (np.array([0.1, 1.0, -0.2]),), (0,)),
    Case(soft_edit_distance, (V6,), (0,)),
    Case(kalman_1d, (np.array([0.3, 0.5]),), (0,)),
    Case(diff_pad, (V18,), (0,)),
    Case(interp_wrt_knots, (V18,), (0,)),
    Case(dot_nd, (V18,), (0,)),
    *([Case(np2_funcs, (V6,), (0,))] if hasattr(np, "matvec") else []),  # (NumPy >= 2.2)
    Case(methods, (V6,), (0,)),
    Case(nbody_bench, (np.array([1.0, 0.0, -1.0, 0.2, 0.8]),), (0,)),
    Case(attention, (V12,), (0,)),
    Case(layernorm_mlp, (V12,), (0,)),
    Case(cmath_fns, (np.array([0.6, 0.8, 0.3]),), (0,)),
    Case(complex_matrix, (np.array([1.5, 0.3, 0.4]),), (0,)),
]
