"""Ported cases (session 27, corp27), written anew as user code after the Hock-Schittkowski test
problems 61-80, posed as a pycutest / NLopt user hands them to an unconstrained method: a
problem as a dict of plain functions and bound arrays walked by a generic merit function, a
``Problem`` base class whose subclasses override ``objective`` and ``constraints`` (the merit
lives in the base class), NLopt-style constraint callbacks ``c(x, grad)`` that ignore ``grad``,
and penalties summed over ``zip`` of constraint values and their kinds.

Float vector -> float scalar (checked at second order), each example point at least 0.05 away
from the kinks of the penalties."""

from __future__ import annotations

import numpy as np

from . import Case, refused_when_differentiated

_DICT_OF_FUNCTIONS = refused_when_differentiated(
    "a problem dict holding functions (`{'f': _hs71_f, 'c': _hs71_c, ...}`) passed to the helper"
    " `dict_merit`, which calls `prob['f'](x)`: 'cannot tell which function this call invokes'"
    " (documented: not once such a dict is passed to a helper; corp26_hs's dicts of lambdas too)"
)

MU = 10.0
SQ2 = np.sqrt(2.0)


class Problem:
    """A pycutest-like problem: subclasses define objective(x), eq(x), ineq(x) (g >= 0)."""

    mu = MU
    lower = None
    upper = None

    def eq(self, x):
        return np.zeros(0)

    def ineq(self, x):
        return np.zeros(0)

    def merit(self, x):
        h = self.eq(x)
        g = self.ineq(x)
        pen = np.sum(h**2) + np.sum(np.minimum(g, 0.0) ** 2)
        if self.lower is not None:
            pen = pen + np.sum(np.minimum(x - self.lower, 0.0) ** 2)
        if self.upper is not None:
            pen = pen + np.sum(np.minimum(self.upper - x, 0.0) ** 2)
        return self.objective(x) + self.mu * pen


class HS61(Problem):
    def objective(self, x):
        return 4 * x[0] ** 2 + 2 * x[1] ** 2 + 2 * x[2] ** 2 - 33 * x[0] + 16 * x[1] - 24 * x[2]

    def eq(self, x):
        return np.array([3 * x[0] - 2 * x[1] ** 2 - 7, 4 * x[0] - x[2] ** 2 - 11])


class HS62(Problem):
    lower = np.zeros(3)
    upper = np.ones(3)

    def objective(self, x):
        a = x[0] + x[1] + x[2] + 0.03
        b = 0.09 * x[0] + x[1] + x[2] + 0.03
        c = x[1] + x[2] + 0.03
        d = 0.07 * x[1] + x[2] + 0.03
        e = x[2] + 0.03
        f = 0.13 * x[2] + 0.03
        return -32.174 * (255 * np.log(a / b) + 280 * np.log(c / d) + 290 * np.log(e / f))

    def eq(self, x):
        return np.array([np.sum(x) - 1.0])


class HS63(Problem):
    lower = np.zeros(3)

    def objective(self, x):
        return 1000 - x[0] ** 2 - 2 * x[1] ** 2 - x[2] ** 2 - x[0] * x[1] - x[0] * x[2]

    def eq(self, x):
        return np.array([8 * x[0] + 14 * x[1] + 7 * x[2] - 56, x @ x - 25])


class HS64(Problem):
    lower = np.full(3, 1e-5)
    mu = 1.0

    def objective(self, x):
        return 5 * x[0] + 50000 / x[0] + 20 * x[1] + 72000 / x[1] + 10 * x[2] + 144000 / x[2]

    def ineq(self, x):
        return np.array([1 - 4 / x[0] - 32 / x[1] - 120 / x[2]])


class HS65(Problem):
    lower = np.array([-4.5, -4.5, -5.0])
    upper = -lower

    def objective(self, x):
        return (x[0] - x[1]) ** 2 + (x[0] + x[1] - 10) ** 2 / 9 + (x[2] - 5) ** 2

    def ineq(self, x):
        return np.array([48 - x @ x])


def hs61(x):
    return HS61().merit(x)


def hs62(x):
    return HS62().merit(x)


def hs63(x):
    return HS63().merit(x)


def hs64(x):
    return HS64().merit(x)


def hs65(x):
    return HS65().merit(x)


def dict_merit(prob, x):
    """A problem as a dict {"f", "c", "kinds", "lb", "ub"}; `kinds` marks "eq" / "ineq"."""
    total = prob["f"](x)
    for ci, kind in zip(prob["c"](x), prob["kinds"]):
        total = total + MU * (ci**2 if kind == "eq" else min(ci, 0.0) ** 2)
    lo = np.maximum(prob["lb"] - x, 0.0)
    hi = np.maximum(x - prob["ub"], 0.0)
    return total + MU * (lo @ lo + hi @ hi)


def _hs66_f(x):
    return 0.2 * x[2] - 0.8 * x[0]


def _hs66_c(x):
    return [x[1] - np.exp(x[0]), x[2] - np.exp(x[1])]


HS66 = {
    "f": _hs66_f,
    "c": _hs66_c,
    "kinds": ("ineq", "ineq"),
    "lb": np.zeros(3),
    "ub": np.array([100.0, 100.0, 10.0]),
}


def hs66(x):
    return dict_merit(HS66, x)


def _hs71_f(x):
    return x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2]


def _hs71_c(x):
    return (np.prod(x) - 25.0, x @ x - 40.0)


HS71 = {
    "f": _hs71_f,
    "c": _hs71_c,
    "kinds": ("ineq", "eq"),
    "lb": np.ones(4),
    "ub": np.full(4, 5.0),
}


def hs71(x):
    return dict_merit(HS71, x)


def hs71_local_dict(x):
    """The same problem with the dict built inside the differentiated function."""
    prob = {
        "f": _hs71_f,
        "c": _hs71_c,
        "kinds": ("ineq", "eq"),
        "lb": np.ones(4),
        "ub": np.full(4, 5.0),
    }
    return dict_merit(prob, x)


def hs72(x):
    f = 1 + np.sum(x)
    g1 = 0.0401 - 4 / x[0] - 2.25 / x[1] - 1 / x[2] - 0.25 / x[3]
    g2 = 0.010085 - 0.16 / x[0] - 0.36 / x[1] - 0.64 / x[2] - 0.64 / x[3]
    return f + 1e4 * (min(g1, 0.0) ** 2 + min(g2, 0.0) ** 2)


def nlopt_hs73_con1(x, grad):
    if grad.size > 0:
        grad[:] = [2.3, 5.6, 11.1, 1.3]
    return 2.3 * x[0] + 5.6 * x[1] + 11.1 * x[2] + 1.3 * x[3] - 5


def nlopt_hs73_con2(x, grad):
    q = 0.28 * x[0] ** 2 + 0.19 * x[1] ** 2 + 20.5 * x[2] ** 2 + 0.62 * x[3] ** 2
    return 12 * x[0] + 11.9 * x[1] + 41.8 * x[2] + 52.1 * x[3] - 21 - 1.645 * np.sqrt(q)


def hs73(x):
    """NLopt-style constraint callbacks c(x, grad), called with an empty grad."""
    f = 24.55 * x[0] + 26.75 * x[1] + 39 * x[2] + 40.5 * x[3]
    pen = 0.0
    for con in (nlopt_hs73_con1, nlopt_hs73_con2):
        pen += min(con(x, np.array([])), 0.0) ** 2
    pen += (np.sum(x) - 1.0) ** 2
    return f + 100.0 * pen


def hs74_75(x, a):
    f = 3 * x[0] + 1e-6 * x[0] ** 3 + 2 * x[1] + 2e-6 / 3 * x[1] ** 3
    g = [x[3] - x[2] + a, x[2] - x[3] + a]
    h = [
        1000 * np.sin(-x[2] - 0.25) + 1000 * np.sin(-x[3] - 0.25) + 894.8 - x[0],
        1000 * np.sin(x[2] - 0.25) + 1000 * np.sin(x[2] - x[3] - 0.25) + 894.8 - x[1],
        1000 * np.sin(x[3] - 0.25) + 1000 * np.sin(x[3] - x[2] - 0.25) + 1294.8,
    ]
    pen = sum(hi**2 for hi in h) * 1e-4 + sum(min(gi, 0.0) ** 2 for gi in g)
    return 1e-3 * f + MU * pen


def hs76(x):
    f = (
        x[0] ** 2
        + 0.5 * x[1] ** 2
        + x[2] ** 2
        + 0.5 * x[3] ** 2
        - x[0] * x[2]
        + x[2] * x[3]
        - x[0]
        - 3 * x[1]
        + x[2]
        - x[3]
    )
    A = np.array([[-1.0, -2, -1, -1], [-3, -1, -2, 1], [0, 1, 4, 0]])
    b = np.array([-5.0, -4.0, 1.5])
    g = np.concatenate([A @ x - b, x])
    return f + MU * np.sum(np.where(g < 0, g, 0.0) ** 2)


def hs77(x):
    f = (x[0] - 1) ** 2 + (x[0] - x[1]) ** 2 + (x[2] - 1) ** 2 + (x[3] - 1) ** 4 + (x[4] - 1) ** 6
    h = np.array(
        [x[0] ** 2 * x[3] + np.sin(x[3] - x[4]) - 2 * SQ2, x[1] + x[2] ** 4 * x[3] ** 2 - 8 - SQ2]
    )
    return f + MU * np.linalg.norm(h) ** 2


def hs78_80_constraints(x):
    return np.array([x @ x - 10, x[1] * x[2] - 5 * x[3] * x[4], x[0] ** 3 + x[1] ** 3 + 1])


def hs78(x):
    return np.prod(x) + MU * np.sum(hs78_80_constraints(x) ** 2)


def hs79(x):
    d = x[:-1] - x[1:]
    f = (x[0] - 1) ** 2 + d[0] ** 2 + d[1] ** 2 + d[2] ** 4 + d[3] ** 4
    h = [
        x[0] + x[1] ** 2 + x[2] ** 3 - 2 - 3 * SQ2,
        x[1] - x[2] ** 2 + x[3] + 2 - 2 * SQ2,
        x[0] * x[4] - 2,
    ]
    return f + MU * np.dot(h, h)


def hs80(x):
    lo = np.array([-2.3, -2.3, -3.2, -3.2, -3.2])
    pen = (
        np.sum(hs78_80_constraints(x) ** 2)
        + np.sum(np.clip(x - lo, None, 0.0) ** 2)
        + np.sum(np.clip(-lo - x, None, 0.0) ** 2)
    )
    return np.exp(np.prod(x)) + MU * pen


def hs80_lagrangian(x, lam):
    """Augmented Lagrangian of HS80 in (x, lam): differentiated in both."""
    h = hs78_80_constraints(x)
    return np.exp(np.prod(x)) - lam @ h + 0.5 * MU * h @ h


def _a(*v):
    return np.array(v, dtype=float)


CASES = [
    Case(hs61, (_a(0.5, 0.3, -0.2),), (0,), extra="hvp"),
    Case(hs62, (_a(0.7, 0.2, 0.15),), (0,), extra="hvp"),
    Case(hs63, (_a(2.0, 2.0, 2.0),), (0,), extra="hvp"),
    Case(hs64, (_a(100.0, 200.0, 300.0),), (0,), extra="hvp"),
    Case(hs65, (_a(-4.0, 4.0, 0.5),), (0,), extra="hvp"),
    Case(hs66, (_a(0.2, 1.05, 2.9),), (0,), xfail=_DICT_OF_FUNCTIONS),
    Case(hs71, (_a(1.2, 4.5, 4.0, 1.5),), (0,), xfail=_DICT_OF_FUNCTIONS),
    Case(hs71_local_dict, (_a(1.2, 4.5, 4.0, 1.5),), (0,), xfail=_DICT_OF_FUNCTIONS),
    Case(hs72, (_a(200.0, 150.0, 300.0, 250.0),), (0,), extra="hvp"),
    Case(hs73, (_a(0.6, 0.2, 0.1, 0.15),), (0,), extra="hvp"),
    Case(hs74_75, (_a(700.0, 900.0, 0.1, -0.2), 0.55), (0, 1), extra="hvp"),
    Case(hs76, (_a(0.5, 0.6, 0.4, 0.7),), (0,), extra="hvp"),
    Case(hs77, (_a(2.0, 2.0, 2.0, 2.0, 2.0),), (0,), extra="hvp"),
    Case(hs78, (_a(-2.0, 1.5, 2.0, -1.0, -1.0),), (0,), extra="hvp"),
    Case(hs79, (_a(2.0, 2.0, 2.0, 2.0, 2.0),), (0,), extra="hvp"),
    Case(hs80, (_a(-2.0, 2.0, 2.0, -1.0, -1.0),), (0,), extra="hvp"),
    Case(
        hs80_lagrangian, (_a(-2.0, 2.0, 2.0, -1.0, -1.0), _a(0.1, -0.2, 0.3)), (0, 1), extra="hvp"
    ),
]
