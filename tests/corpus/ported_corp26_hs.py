"""Ported cases (session 26, corp26), written anew as user code after the Hock-Schittkowski test
problems 1-20 (Lecture Notes in Economics and Mathematical Systems 187, 1981) as CUTEst / Pyomo
users pose them to an unconstrained solver: the objective plus a quadratic penalty
``mu * (sum h(x)**2 + sum min(0, g(x))**2)`` of the equality and inequality constraints and of
the variable bounds. The constraints are written three ways: scipy.optimize's list of dicts
``{"type": "ineq", "fun": ...}`` walked by a shared penalty function, tuples of lambdas, and
inline ``np.minimum`` terms; bounds as ``(lo, hi)`` pairs with ``None`` for no bound.

Float vector -> float scalar (checked at second order with ``extra="hvp"``). Each example point
keeps every constraint at least 0.05 away from its kink at zero, where the penalty is smooth."""

from __future__ import annotations

import math

import numpy as np

from . import Case, refused_everywhere

MU = 10.0


def _rosen2(x):
    return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2


def penalized(f, x, constraints=(), bounds=None, mu=MU):
    """f(x) + mu * violation, scipy-style constraint dicts, bounds as (lo, hi) or None."""
    total = f(x)
    for con in constraints:
        v = con["fun"](x)
        if con["type"] == "eq":
            total = total + mu * np.sum(np.asarray(v) ** 2)
        else:
            total = total + mu * np.sum(np.minimum(0.0, v) ** 2)
    return total + bound_penalty(x, bounds, mu)


def bound_penalty(x, bounds, mu=MU):
    total = 0.0
    if bounds is not None:
        for i, (lo, hi) in enumerate(bounds):
            if lo is not None:
                total = total + mu * min(0.0, x[i] - lo) ** 2
            if hi is not None:
                total = total + mu * min(0.0, hi - x[i]) ** 2
    return total


def penalty(eq=(), ineq=(), mu=MU):
    """mu * (sum h**2 + sum min(0, g)**2) of constraint values."""
    out = 0.0
    for h in eq:
        out += mu * h**2
    for g in ineq:
        out += mu * min(0.0, g) ** 2
    return out


_PASSED_DICTS = dict.fromkeys(
    ("fwd", "rev"),
    "a list of scipy-style constraint dicts holding lambdas, passed to a helper that calls"
    " `con['fun'](x)`: 'cannot tell which function this call invokes' (ad/callees)",
)
_LAMBDA_VALUE = refused_everywhere(
    "a local tuple of constraint dicts holding lambdas: 'the nested function `<lambda>` is used"
    " as a value' (lowering)"
)
_LOOPED_DICTS = dict.fromkeys(
    ("fwd", "rev"),
    "a module-level list of dicts holding lambdas, looped over in the differentiated function"
    " (`for con in CONS: con['fun'](x)`): 'cannot tell which function this call invokes'",
)


def hs01(x):
    return _rosen2(x) + bound_penalty(x, [(None, None), (-1.5, None)])


def hs02(x):
    return _rosen2(x) + bound_penalty(x, [(None, None), (1.5, None)])


def hs03(x):
    f = x[1] + 1e-5 * (x[1] - x[0]) ** 2
    return f + bound_penalty(x, ((None, None), (0, None)))


def hs04(x):
    x1, x2 = x
    f = (x1 + 1.0) ** 3 / 3.0 + x2
    return f + MU * (min(0.0, x1 - 1.0) ** 2 + min(0.0, x2) ** 2)


def hs05(x):
    def obj(z):
        return math.sin(z[0] + z[1]) + (z[0] - z[1]) ** 2 - 1.5 * z[0] + 2.5 * z[1] + 1.0

    return obj(x) + bound_penalty(x, [(-1.5, 4.0), (-3.0, 3.0)])


HS06_CONS = [{"type": "eq", "fun": lambda x: 10.0 * (x[1] - x[0] ** 2)}]


def hs06(x):
    return penalized(lambda z: (1.0 - z[0]) ** 2, x, HS06_CONS)


def hs07(x):
    cons = ({"type": "eq", "fun": lambda z: (1 + z[0] ** 2) ** 2 + z[1] ** 2 - 4.0},)
    return penalized(lambda z: np.log(1 + z[0] ** 2) - z[1], x, cons)


def hs08(x):
    h = np.array([x[0] ** 2 + x[1] ** 2 - 25.0, x[0] * x[1] - 9.0])
    return -1.0 + MU * h @ h


def hs09(x):
    f = np.sin(np.pi * x[0] / 12.0) * np.cos(np.pi * x[1] / 16.0)
    return f + MU * (4.0 * x[0] - 3.0 * x[1]) ** 2


HS10_G = (lambda x: -3.0 * x[0] ** 2 + 2.0 * x[0] * x[1] - x[1] ** 2 + 1.0,)


def hs10(x):
    pen = sum(min(0.0, g(x)) ** 2 for g in HS10_G)
    return x[0] - x[1] + MU * pen


HS11_CONS = [{"type": "ineq", "fun": lambda z: -(z[0] ** 2) + z[1]}]


def hs11(x):
    f = (x[0] - 5.0) ** 2 + x[1] ** 2 - 25.0
    for con in HS11_CONS:
        f = f + MU * min(0.0, con["fun"](x)) ** 2
    return f


def hs12(x):
    x1, x2 = x[0], x[1]
    f = 0.5 * x1**2 + x2**2 - x1 * x2 - 7.0 * x1 - 7.0 * x2
    g = 25.0 - 4.0 * x1**2 - x2**2
    return f + MU * np.minimum(0.0, g) ** 2


def hs13(x):
    g = (1.0 - x[0]) ** 3 - x[1]
    return (x[0] - 2.0) ** 2 + x[1] ** 2 + penalty(ineq=[g, x[0], x[1]])


HS14_CONS = [
    {"type": "eq", "fun": lambda z: z[0] - 2.0 * z[1] + 1.0},
    {"type": "ineq", "fun": lambda z: -(z[0] ** 2) / 4.0 - z[1] ** 2 + 1.0},
]


def hs14(x):
    return penalized(lambda z: (z[0] - 2.0) ** 2 + (z[1] - 1.0) ** 2, x, HS14_CONS)


def hs15(x):
    g = np.array([x[0] * x[1] - 1.0, x[0] + x[1] ** 2])
    return _rosen2(x) + MU * np.sum(np.minimum(g, 0.0) ** 2) + MU * min(0.0, 0.5 - x[0]) ** 2


def hs16(x):
    ineq = (x[0] + x[1] ** 2, x[0] ** 2 + x[1])
    return _rosen2(x) + penalty(ineq=ineq) + bound_penalty(x, [(-0.5, 0.5), (None, 1.0)])


def hs17(x):
    g = np.array([x[1] ** 2 - x[0], x[0] ** 2 - x[1]])
    viol = np.where(g < 0, g, 0.0)
    return _rosen2(x) + MU * viol @ viol + bound_penalty(x, [(-0.5, 0.5), (None, 1.0)])


HS18 = {
    "f": lambda z: 0.01 * z[0] ** 2 + z[1] ** 2,
    "ineq": [lambda z: z[0] * z[1] - 25.0, lambda z: z[0] ** 2 + z[1] ** 2 - 25.0],
    "bounds": [(2.0, 50.0), (0.0, 50.0)],
}


def hs18(x):
    out = HS18["f"](x)
    for g in HS18["ineq"]:
        out = out + MU * min(0.0, g(x)) ** 2
    return out + bound_penalty(x, HS18["bounds"])


def hs19(x):
    def f(z):
        return (z[0] - 10.0) ** 3 + (z[1] - 20.0) ** 3

    g1 = (x[0] - 5.0) ** 2 + (x[1] - 5.0) ** 2 - 100.0
    g2 = -((x[1] - 5.0) ** 2) - (x[0] - 6.0) ** 2 + 82.81
    return (
        f(x) + penalty(ineq=[g1, g2], mu=1.0) + bound_penalty(x, [(13.0, 100.0), (0.0, 100.0)], 1.0)
    )


def hs20(x):
    g = [x[0] + x[1] ** 2, x[0] ** 2 + x[1], x[0] ** 2 + x[1] ** 2 - 1.0]
    pen = 0.0
    for gi in g:
        if gi < 0:
            pen += gi**2
    return _rosen2(x) + MU * pen + MU * (min(0.0, x[0] + 0.5) ** 2 + min(0.0, 0.5 - x[0]) ** 2)


def _a(*v):
    return np.array(v, dtype=float)


CASES = [
    Case(hs01, (_a(-2.0, 1.0),), (0,), extra="hvp"),
    Case(hs02, (_a(-2.0, 1.0),), (0,), extra="hvp"),
    Case(hs03, (_a(10.0, -1.0),), (0,), extra="hvp"),
    Case(hs04, (_a(0.6, -0.3),), (0,), extra="hvp"),
    Case(hs05, (_a(-2.0, 3.5),), (0,), extra="hvp"),
    Case(hs06, (_a(-1.2, 1.0),), (0,), xfail=_PASSED_DICTS),
    Case(hs07, (_a(2.0, 2.0),), (0,), xfail=_LAMBDA_VALUE),
    Case(hs08, (_a(2.0, 1.0),), (0,), extra="hvp"),
    Case(hs09, (_a(0.7, 0.4),), (0,), extra="hvp"),
    Case(hs10, (_a(-10.0, 10.0),), (0,), extra="hvp"),
    Case(hs11, (_a(4.9, 0.1),), (0,)),  # (hunt38p: a module-level list of constraint dicts)
    Case(hs12, (_a(2.5, 1.0),), (0,), extra="hvp"),
    Case(hs13, (_a(-2.0, -2.0),), (0,), extra="hvp"),
    Case(hs14, (_a(2.0, 2.0),), (0,), xfail=_PASSED_DICTS),
    Case(hs15, (_a(-2.0, 1.0),), (0,), extra="hvp"),
    Case(hs16, (_a(-2.0, 0.8),), (0,), extra="hvp"),
    Case(hs17, (_a(-2.0, 0.8),), (0,), extra="hvp"),
    Case(hs18, (_a(2.0, 2.0),), (0,), xfail=_LOOPED_DICTS),
    Case(hs19, (_a(20.1, 5.84),), (0,), extra="hvp"),
    Case(hs20, (_a(-2.0, 1.0),), (0,), extra="hvp"),
]
