"""Ported cases (session 26, corp26), written anew as user code after the Hock-Schittkowski test
problems 21-40 (three and four variables): the objective plus penalties of the constraints, as
a user hands them to an unconstrained method. Besides the quadratic penalty: an augmented
Lagrangian with fixed multipliers (``f - lam h + mu/2 h**2``), a log-barrier of strictly
satisfied inequalities (``-t sum log g``), an exact-penalty-smoothed form with ``np.logaddexp``,
and HS25's data-fitting sum over 99 points in a loop and vectorised. A small ``Problem`` class
holds objective and constraints as methods (``Problem.merit`` calls ``self.eq`` and
``self.ineq``), the way CUTEst-like wrappers do.

Float vector -> float scalar (checked at second order with ``extra="hvp"``), each example point
away from the kinks of ``min(0, g)``."""

from __future__ import annotations

import numpy as np

from . import Case

MU = 10.0
SQ3 = np.sqrt(3.0)


def quad_pen(f, eq=(), ineq=(), mu=MU):
    out = f
    for h in eq:
        out = out + mu * h * h
    for g in ineq:
        out = out + mu * np.minimum(0.0, g) ** 2
    return out


def barrier(f, ineq, t=0.1):
    return f - t * np.sum(np.log(np.asarray(ineq)))


def aug_lag(f, eq, lam, mu=MU):
    h = np.asarray(eq)
    return f - np.dot(lam, h) + 0.5 * mu * np.dot(h, h)


def hs21(x):
    f = 0.01 * x[0] ** 2 + x[1] ** 2 - 100.0
    return quad_pen(f, ineq=[10.0 * x[0] - x[1] - 10.0, x[0] - 2.0, 50.0 - x[0]])


def hs22(x):
    f = (x[0] - 2.0) ** 2 + (x[1] - 1.0) ** 2
    return barrier(f, [-x[0] - x[1] + 2.0, -(x[0] ** 2) + x[1]])


def hs23(x):
    x1, x2 = x
    g = np.array(
        [x1 + x2 - 1.0, x1**2 + x2**2 - 1.0, 9 * x1**2 + x2**2 - 9.0, x1**2 - x2, x2**2 - x1]
    )
    return x1**2 + x2**2 + MU * np.sum(np.minimum(g, 0) ** 2)


def hs24(x):
    f = ((x[0] - 3.0) ** 2 - 9.0) * x[1] ** 3 / (27.0 * SQ3)
    g = [x[0] / SQ3 - x[1], x[0] + SQ3 * x[1], -x[0] - SQ3 * x[1] + 6.0, x[0], x[1]]
    return barrier(f, g, t=0.05)


def _hs25_u():
    i = np.arange(1, 100)
    return 25.0 + (-50.0 * np.log(0.01 * i)) ** (2.0 / 3.0)


U25 = _hs25_u()


def hs25(x):
    total = 0.0
    for i in range(1, 100):
        ui = U25[i - 1]
        total += (-0.01 * i + np.exp(-((ui - x[1]) ** x[2]) / x[0])) ** 2
    return total


def hs25_vec(x):
    r = -0.01 * np.arange(1, 100) + np.exp(-((U25 - x[1]) ** x[2]) / x[0])
    return r @ r


def hs26(x):
    f = (x[0] - x[1]) ** 2 + (x[1] - x[2]) ** 4
    return aug_lag(f, [(1.0 + x[1] ** 2) * x[0] + x[2] ** 4 - 3.0], np.array([0.3]))


def hs27(x):
    f = 0.01 * (x[0] - 1.0) ** 2 + (x[1] - x[0] ** 2) ** 2
    return quad_pen(f, eq=[x[0] + x[2] ** 2 + 1.0])


def hs28(x):
    f = (x[0] + x[1]) ** 2 + (x[1] + x[2]) ** 2
    a = np.array([1.0, 2.0, 3.0])
    return f + MU * (a @ x - 1.0) ** 2


def hs29(x):
    f = -x[0] * x[1] * x[2]
    return barrier(f, [-(x[0] ** 2) - 2 * x[1] ** 2 - 4 * x[2] ** 2 + 48.0], t=1.0)


def hs30(x):
    return np.sum(x**2) + quad_pen(0.0, ineq=[x[0] ** 2 + x[1] ** 2 - 1.0])


def hs31(x):
    w = np.array([9.0, 1.0, 9.0])
    return np.sum(w * x * x) + MU * min(0.0, x[0] * x[1] - 1.0) ** 2


def hs32(x):
    f = (x[0] + 3 * x[1] + x[2]) ** 2 + 4 * (x[0] - x[1]) ** 2
    return quad_pen(f, eq=[1.0 - x.sum()], ineq=[6 * x[1] + 4 * x[2] - x[0] ** 3 - 3.0])


def hs33(x):
    f = (x[0] - 1.0) * (x[0] - 2.0) * (x[0] - 3.0) + x[2]
    g1 = x[2] ** 2 - x[0] ** 2 - x[1] ** 2
    g2 = x[0] ** 2 + x[1] ** 2 + x[2] ** 2 - 4.0
    return quad_pen(f, ineq=(g1, g2))


def hs34(x):
    g = np.array([x[1] - np.exp(x[0]), x[2] - np.exp(x[1])])
    return -x[0] + 0.1 * np.sum(np.logaddexp(0.0, -10.0 * g))


def hs35(x):
    H = np.array([[4.0, 2.0, 2.0], [2.0, 4.0, 0.0], [2.0, 0.0, 2.0]])
    c = np.array([-8.0, -6.0, -4.0])
    f = 9.0 + c @ x + 0.5 * x @ H @ x
    return quad_pen(f, ineq=[3.0 - x[0] - x[1] - 2.0 * x[2]])


def hs36(x):
    return barrier(-np.prod(x), [72.0 - x[0] - 2 * x[1] - 2 * x[2], *x], t=0.5)


class Problem:
    """A constrained problem as a class: objective, eq/ineq constraint vectors, a merit."""

    def __init__(self, mu=MU):
        self.mu = mu

    def objective(self, x):
        raise NotImplementedError

    def eq(self, x):
        return np.zeros(0)

    def ineq(self, x):
        return np.zeros(0)

    def merit(self, x):
        h, g = self.eq(x), self.ineq(x)
        return self.objective(x) + self.mu * (h @ h + np.sum(np.minimum(g, 0.0) ** 2))


class HS37(Problem):
    def objective(self, x):
        return -x[0] * x[1] * x[2]

    def ineq(self, x):
        s = x[0] + 2 * x[1] + 2 * x[2]
        return np.array([72.0 - s, s])


class HS38(Problem):
    def objective(self, x):
        x1, x2, x3, x4 = x
        return (
            100 * (x2 - x1**2) ** 2
            + (1 - x1) ** 2
            + 90 * (x4 - x3**2) ** 2
            + (1 - x3) ** 2
            + 10.1 * ((x2 - 1) ** 2 + (x4 - 1) ** 2)
            + 19.8 * (x2 - 1) * (x4 - 1)
        )

    def ineq(self, x):
        return np.concatenate([x + 10.0, 10.0 - x])


class HS39(Problem):
    def objective(self, x):
        return -x[0]

    def eq(self, x):
        return np.array([x[1] - x[0] ** 3 - x[2] ** 2, x[0] ** 2 - x[1] - x[3] ** 2])


class HS40(Problem):
    def objective(self, x):
        return -x[0] * x[1] * x[2] * x[3]

    def eq(self, x):
        return np.stack([x[0] ** 3 + x[1] ** 2 - 1.0, x[0] ** 2 * x[3] - x[2], x[3] ** 2 - x[1]])


def hs37(x):
    return HS37().merit(x)


def hs38(x):
    return HS38(mu=1.0).merit(x)


def hs39(x):
    return HS39().merit(x)


def hs40(x):
    return HS40(mu=5.0).merit(x)


def _a(*v):
    return np.array(v, dtype=float)


CASES = [
    Case(hs21, (_a(-1.0, -1.0),), (0,), extra="hvp"),
    Case(hs22, (_a(0.5, 0.6),), (0,), extra="hvp"),
    Case(hs23, (_a(3.0, 1.0),), (0,), extra="hvp"),
    Case(hs24, (_a(1.5, 0.3),), (0,), extra="hvp"),
    Case(hs25, (_a(30.0, 20.0, 1.5),), (0,), extra="hvp"),
    Case(hs25_vec, (_a(90.0, 13.5, 2.8),), (0,), extra="hvp"),
    Case(hs26, (_a(-2.6, 2.0, 2.0),), (0,), extra="hvp"),
    Case(hs27, (_a(2.0, 2.0, 2.0),), (0,), extra="hvp"),
    Case(hs28, (_a(-4.0, 1.0, 1.0),), (0,), extra="hvp"),
    Case(hs29, (_a(1.0, 1.0, 1.0),), (0,), extra="hvp"),
    Case(hs30, (_a(1.0, 1.0, 1.0),), (0,), extra="hvp"),
    Case(hs31, (_a(0.5, 1.0, 1.0),), (0,), extra="hvp"),
    Case(hs32, (_a(0.1, 0.7, 0.2),), (0,), extra="hvp"),
    Case(hs33, (_a(0.0, 0.0, 3.0),), (0,), extra="hvp"),
    Case(hs34, (_a(0.0, 1.05, 2.9),), (0,), extra="hvp"),
    Case(hs35, (_a(0.5, 0.5, 0.5),), (0,), extra="hvp"),
    Case(hs36, (_a(10.0, 10.0, 10.0),), (0,), extra="hvp"),  # `[g, *x]`: lower/starlits.py
    Case(hs37, (_a(10.0, 10.0, 10.0),), (0,), extra="hvp"),
    Case(hs38, (_a(-3.0, -1.0, -3.0, -1.0),), (0,), extra="hvp"),
    Case(hs39, (_a(2.0, 2.0, 2.0, 2.0),), (0,), extra="hvp"),
    Case(hs40, (_a(0.8, 0.8, 0.8, 0.8),), (0,), extra="hvp"),
]
