"""Ported cases (session 37, corp37_bench), rewritten from pyperformance-style benchmark programs
over floats: the Factor float benchmark (a `__slots__` point normalised in place, maximised by a
method returning `self`), a chaos-game B-spline evaluated by de Boor's recursion in a class with
`__call__`, a GVector with operator methods and a linear combination, scimark's SOR sweep, LU with
partial pivoting by row swaps, a sparse (CSR) mat-vec, a Monte-Carlo integral over fixed draws,
a richards-like task queue over float payloads, a Barnes-Hut-like recursive quadtree mass summary,
and value iteration on a small MDP.

Float parameters -> float scalars (or arrays)."""

from __future__ import annotations

import math
from math import cos, sin, sqrt

import numpy as np

from . import Case, refused_when_differentiated

R = np.random.default_rng(37002)


class FPoint:
    __slots__ = ("x", "y", "z")

    def __init__(self, i, s):
        self.x = x = sin(i * s)
        self.y = cos(i * s) * 3
        self.z = (x * x) / 2 + 0.1

    def normalize(self):
        x, y, z = self.x, self.y, self.z
        norm = sqrt(x * x + y * y + z * z)
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self


def float_bench(s):
    points = [FPoint(i + 1, s) for i in range(6)]
    for p in points:
        p.normalize()
    nxt = points[0]
    for p in points[1:]:
        nxt = nxt.maximize(p)
    return nxt.x + 2 * nxt.y + 3 * nxt.z + points[0].x


def float_bench_prealloc(s):
    # the benchmark's own form: a list of None filled by position
    points = [None] * 4
    for i in range(4):
        points[i] = FPoint(i + 1, s)
    for p in points:
        p.normalize()
    return points[0].x + points[3].z


class GVector:
    def __init__(self, x=0.0, y=0.0, z=0.0):
        self.x, self.y, self.z = x, y, z

    def mag(self):
        return math.sqrt(self.x**2 + self.y**2 + self.z**2)

    def __add__(self, other):
        return GVector(self.x + other.x, self.y + other.y, self.z + other.z)

    def __sub__(self, other):
        return self + other * -1

    def __mul__(self, other):
        return GVector(self.x * other, self.y * other, self.z * other)

    def linear_combination(self, other, l1, l2=None):
        if l2 is None:
            l2 = 1 - l1
        return GVector(
            self.x * l1 + other.x * l2, self.y * l1 + other.y * l2, self.z * l1 + other.z * l2
        )


class Spline:
    def __init__(self, points, degree, knots):
        self.points, self.degree, self.knots = points, degree, knots

    def domain(self):
        return self.knots[self.degree - 1], self.knots[len(self.knots) - self.degree]

    def index(self, u):
        for k in range(self.degree - 1, len(self.knots) - self.degree):
            if self.knots[k] <= u < self.knots[k + 1]:
                found = k
                break
        else:
            found = self.domain()[1] - 1
        return found

    def __call__(self, u):
        lo, hi = self.domain()
        if u < lo or u > hi:
            raise ValueError("outside the domain")
        if u == hi:
            return self.points[-1]
        at = self.index(u)
        d = [self.points[at - self.degree + 1 + k] for k in range(self.degree + 1)]
        kn = self.knots
        for ik in range(1, self.degree + 1):
            for k in range(at - self.degree + ik + 1, at + 2):
                ua, ub = kn[k + self.degree - ik], kn[k - 1]
                c1 = (ua - u) / (ua - ub)
                slot = k - at + self.degree - ik - 1
                d[slot] = d[slot].linear_combination(d[slot + 1], c1, (u - ub) / (ua - ub))
        return d[0]


def chaos_spline(px, u):
    pts = [GVector(px[k], px[k + 1], 0.0) for k in range(0, len(px) - 1, 2)]
    sp = Spline(pts, 3, [0, 0, 0, 1, 1, 1])
    a, b = sp(u), sp(0.5 * u)
    return (a - b).mag() + a.x * b.y


def sor_sweep(G, omega):
    G = G.copy()
    m, n = G.shape
    omega_over_four = omega * 0.25
    one_minus_omega = 1.0 - omega
    for _ in range(2):
        for i in range(1, m - 1):
            Gi, Gim1, Gip1 = G[i], G[i - 1], G[i + 1]
            for j in range(1, n - 1):
                Gi[j] = omega_over_four * (Gim1[j] + Gip1[j] + Gi[j - 1] + Gi[j + 1]) + (
                    one_minus_omega * Gi[j]
                )
    return np.sum(G**2)


def lu_pivot_solve(A, b):
    A = [list(row) for row in A]
    n = len(A)
    piv = list(range(n))
    for j in range(n):
        jp = max(range(j, n), key=lambda i: abs(A[i][j]))
        if jp != j:
            A[j], A[jp] = A[jp], A[j]
            piv[j], piv[jp] = piv[jp], piv[j]
        for i in range(j + 1, n):
            A[i][j] /= A[j][j]
            for k in range(j + 1, n):
                A[i][k] -= A[i][j] * A[j][k]
    y = [b[p] for p in piv]
    for i in range(n):
        y[i] -= sum(A[i][k] * y[k] for k in range(i))
    for i in reversed(range(n)):
        y[i] = (y[i] - sum(A[i][k] * y[k] for k in range(i + 1, n))) / A[i][i]
    return sum(v * (k + 1) for k, v in enumerate(y))


ROW = np.array([0, 2, 5, 6, 8])
COL = np.array([0, 3, 1, 2, 3, 0, 1, 2])


def csr_matvec(val, x):
    y = np.zeros(len(ROW) - 1)
    for _ in range(2):
        for r in range(len(ROW) - 1):
            s = 0.0
            for i in range(ROW[r], ROW[r + 1]):
                s += x[COL[i]] * val[i]
            y[r] += s
        x = np.tanh(y)
    return y


U2 = R.uniform(0, 1, (40, 2))


def monte_carlo_pi(scale):
    under = 0.0
    for x, y in U2:
        r2 = (x * scale) ** 2 + y**2
        if r2 <= 1.0:
            under += 1.0 - r2
    return under / len(U2) * 4.0


def richards_queue(payload):
    # tasks pass float packets around a ring; the scheduler picks by priority
    queue = [(3, "dev", payload[0]), (1, "work", payload[1]), (2, "handler", payload[2])]
    acc = {"dev": 0.0, "work": 0.0, "handler": 0.0}
    for _ in range(7):
        queue.sort(key=lambda t: t[0])
        pri, name, v = queue.pop(0)
        if name == "work":
            acc[name] += v * 0.5
            queue.append((pri + 2, "handler", v * 1.1))
        elif name == "handler":
            acc[name] += math.sin(v)
            queue.append((pri + 1, "dev", v - 0.3))
        else:
            acc[name] += v * v
            queue.append((pri + 3, "work", v + 0.2))
    return acc["dev"] + 2 * acc["work"] + 3 * acc["handler"]


def _quad(points, masses, x0, y0, size, depth):
    if len(points) == 0:
        return 0.0, 0.0, 0.0
    if len(points) == 1 or depth == 0:
        m = np.sum(masses)
        cx = np.sum(masses * points[:, 0]) / m
        cy = np.sum(masses * points[:, 1]) / m
        return m, cx, cy
    h = size / 2
    total, sx, sy = 0.0, 0.0, 0.0
    for qx in (0, 1):
        for qy in (0, 1):
            lx, ly = x0 + qx * h, y0 + qy * h
            inside = (
                (points[:, 0] >= lx)
                & (points[:, 0] < lx + h)
                & (points[:, 1] >= ly)
                & (points[:, 1] < ly + h)
            )
            m, cx, cy = _quad(points[inside], masses[inside], lx, ly, h, depth - 1)
            total += m
            sx += m * cx
            sy += m * cy
    return total, sx / total, sy / total


def barnes_hut_force(points, masses):
    m, cx, cy = _quad(points, masses, 0.0, 0.0, 1.0, 2)
    # force of the whole cluster on a probe at (2, 2), plus near pairs directly
    dx, dy = 2.0 - cx, 2.0 - cy
    return m / (dx * dx + dy * dy) ** 1.5 * dx


P_MDP = R.dirichlet(np.ones(3), size=(2, 3))  # [action, state] -> next state


def value_iteration(rewards, gamma):
    v = np.zeros(3)
    for _ in range(6):
        q = np.stack([rewards[a] + gamma * P_MDP[a] @ v for a in range(2)])
        v = np.max(q, axis=0)
    return v @ np.array([1.0, 0.5, 0.25])


CASES = [
    Case(float_bench, (0.37,), (0,), extra="hvp"),
    Case(
        float_bench_prealloc,
        (0.37,),
        (0,),
        xfail=refused_when_differentiated("the object is a run-time value here"),
    ),
    Case(
        chaos_spline,
        (np.array([0.1, 0.2, 0.7, 0.9, 1.3, -0.2, 2.0, 0.4]), 0.6),
        (0, 1),
        xfail=refused_when_differentiated("no derivative rule for `.linear_combination()`"),
    ),
    Case(sor_sweep, (R.standard_normal((5, 6)), 1.25), (0, 1), extra="hvp"),
    Case(lu_pivot_solve, (R.standard_normal((4, 4)) + 2 * np.eye(4), R.standard_normal(4)), (0, 1)),
    Case(csr_matvec, (R.standard_normal(8), R.standard_normal(4)), (0, 1)),
    Case(monte_carlo_pi, (0.9,), (0,), jitter=0.0),
    Case(richards_queue, (np.array([0.4, -0.3, 1.1]),), (0,), extra="hvp"),
    Case(barnes_hut_force, (R.uniform(0, 1, (7, 2)), R.uniform(0.5, 1.5, 7)), (0, 1), jitter=0.0),
    Case(value_iteration, (R.standard_normal((2, 3)), 0.9), (0, 1)),
]
