"""Ported cases (session 27, corp27), written anew as user code after the Hock-Schittkowski test
problems 41-60 (four to seven variables), posed the way an IPOPT / cyipopt user writes them:
``constraints(x)`` returns one array ``c`` with bounds ``cl <= c <= cu`` (equalities have
``cl == cu``, a missing bound is ``np.inf``), and the merit function penalises
``max(cl - c, 0)**2 + max(c - cu, 0)**2`` and the variable bounds the same way; besides: the
Lagrangian of (x, lambda) (differentiated in both: a KKT residual's ingredients), a smoothed
exact L1 penalty ``sqrt(h**2 + eps**2)``, and a ``math.log`` barrier in a loop.

Float vector -> float scalar (checked at second order), each example point at least 0.05 away
from the kinks of the penalties."""

from __future__ import annotations

import math

import numpy as np

from . import Case, refused_when_differentiated

MU = 10.0
INF = np.inf


def merit(f, c, cl, cu, x=None, xl=None, xu=None, mu=MU):
    """f + mu * (bound violations of c and of x)**2, IPOPT-style bounds arrays."""
    c = np.asarray(c)
    v = np.sum(np.maximum(cl - c, 0.0) ** 2) + np.sum(np.maximum(c - cu, 0.0) ** 2)
    if x is not None:
        v = v + np.sum(np.maximum(xl - x, 0.0) ** 2) + np.sum(np.maximum(x - xu, 0.0) ** 2)
    return f + mu * v


def l1_smooth(f, eq=(), ineq=(), mu=MU, eps=0.3):
    out = f
    for h in eq:
        out = out + mu * np.sqrt(h * h + eps * eps)
    for g in ineq:
        out = out + mu * 0.5 * (np.sqrt(g * g + eps * eps) - g)
    return out


def log_barrier(f, gs, t=0.05):
    total = f
    for g in gs:
        total -= t * math.log(g)
    return total


def hs41(x):
    f = 2.0 - x[0] * x[1] * x[2]
    c = [x[0] + 2 * x[1] + 2 * x[2] - x[3]]
    return merit(f, c, 0.0, 0.0, x, np.zeros(4), np.array([1.0, 1.0, 1.0, 2.0]))


def hs42(x):
    f = np.sum((x - np.arange(1.0, 5.0)) ** 2)
    c = np.array([x[0] - 2.0, x[2] ** 2 + x[3] ** 2 - 2.0])
    return merit(f, c, np.zeros(2), np.zeros(2))


def hs43_constraints(x):
    x1, x2, x3, x4 = x
    return np.array(
        [
            8 - x1**2 - x2**2 - x3**2 - x4**2 - x1 + x2 - x3 + x4,
            10 - x1**2 - 2 * x2**2 - x3**2 - 2 * x4**2 + x1 + x4,
            5 - 2 * x1**2 - x2**2 - x3**2 - 2 * x1 + x2 + x4,
        ]
    )


def hs43(x):
    """Rosen-Suzuki."""
    x1, x2, x3, x4 = x
    f = x1**2 + x2**2 + 2 * x3**2 + x4**2 - 5 * x1 - 5 * x2 - 21 * x3 + 7 * x4
    return merit(f, hs43_constraints(x), np.zeros(3), np.full(3, INF))


def hs43_barrier(x):
    x1, x2, x3, x4 = x
    f = x1**2 + x2**2 + 2 * x3**2 + x4**2 - 5 * x1 - 5 * x2 - 21 * x3 + 7 * x4
    return log_barrier(f, hs43_constraints(x))


HS44_A = np.array(
    [[1, 2, 0, 0], [4, 1, 0, 0], [3, 4, 0, 0], [0, 0, 2, 1], [0, 0, 1, 2], [0, 0, 1, 1]]
)
HS44_B = np.array([8.0, 12.0, 12.0, 8.0, 8.0, 5.0])


def hs44(x):
    x1, x2, x3, x4 = x
    f = x1 - x2 - x3 - x1 * x3 + x1 * x4 + x2 * x3 - x2 * x4
    return merit(f, HS44_A @ x, -INF, HS44_B, x, 0.0, INF)


def hs45(x):
    f = 2.0 - np.prod(x) / 120.0
    return merit(f, [], 0, 0, x, np.zeros(5), np.arange(1.0, 6.0))


def hs46(x):
    f = (x[0] - x[1]) ** 2 + (x[2] - 1) ** 2 + (x[3] - 1) ** 4 + (x[4] - 1) ** 6
    h1 = x[0] ** 2 * x[3] + np.sin(x[3] - x[4]) - 1.0
    h2 = x[1] + x[2] ** 4 * x[3] ** 2 - 2.0
    return l1_smooth(f, (h1, h2))


def hs47(x):
    x1, x2, x3, x4, x5 = x
    f = (x1 - x2) ** 2 + (x2 - x3) ** 3 + (x3 - x4) ** 4 + (x4 - x5) ** 4
    c = np.array([x1 + x2**2 + x3**3 - 3.0, x2 - x3**2 + x4 - 1.0, x1 * x5 - 1.0])
    return merit(f, c, 0.0, 0.0)


def hs48_lagrangian(x, lam):
    """L(x, lam) = f - lam . h of HS48 (linear equalities): a stationary point is the KKT point."""
    f = (x[0] - 1) ** 2 + (x[1] - x[2]) ** 2 + (x[3] - x[4]) ** 2
    h = np.array([np.sum(x) - 5.0, x[2] - 2 * (x[3] + x[4]) + 3.0])
    return f - lam @ h


def kkt_residual(x, lam):
    """||grad_x L||^2 + ||h||^2 for HS48, with grad_x L written out by hand (as users do)."""
    g = np.array(
        [
            2 * (x[0] - 1),
            2 * (x[1] - x[2]),
            -2 * (x[1] - x[2]),
            2 * (x[3] - x[4]),
            -2 * (x[3] - x[4]),
        ]
    )
    A = np.array([[1.0, 1, 1, 1, 1], [0, 0, 1, -2, -2]])
    h = np.array([np.sum(x) - 5.0, x[2] - 2 * (x[3] + x[4]) + 3.0])
    r = g - A.T @ lam
    return r @ r + h @ h


def hs49(x):
    f = (x[0] - x[1]) ** 2 + (x[2] - 1) ** 2 + (x[3] - 1) ** 4 + (x[4] - 1) ** 6
    A = np.array([[1.0, 1, 1, 4, 0], [0, 0, 1, 0, 5]])
    return merit(f, A @ x, np.array([7.0, 6.0]), np.array([7.0, 6.0]))


def hs50(x):
    d = np.diff(x)
    f = d[0] ** 2 + d[1] ** 2 + d[2] ** 4 + d[3] ** 2
    c = np.array([x[i] + 2 * x[i + 1] + 3 * x[i + 2] for i in range(3)])
    return merit(f, c, 6.0, 6.0)


def hs51(x):
    f = (x[0] - x[1]) ** 2 + (x[1] + x[2] - 2) ** 2 + (x[3] - 1) ** 2 + (x[4] - 1) ** 2
    return l1_smooth(f, (x[0] + 3 * x[1] - 4, x[2] + x[3] - 2 * x[4], x[1] - x[4]))


def hs52(x):
    f = (4 * x[0] - x[1]) ** 2 + (x[1] + x[2] - 2) ** 2 + (x[3] - 1) ** 2 + (x[4] - 1) ** 2
    c = [x[0] + 3 * x[1], x[2] + x[3] - 2 * x[4], x[1] - x[4]]
    return merit(f, c, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0])


def hs53(x):
    f = (x[0] - x[1]) ** 2 + (x[1] + x[2] - 2) ** 2 + (x[3] - 1) ** 2 + (x[4] - 1) ** 2
    c = [x[0] + 3 * x[1], x[2] + x[3] - 2 * x[4], x[1] - x[4]]
    return merit(f, c, 0.0, 0.0, x, -10.0, 10.0)


HS55_A = np.array(
    [
        [1, 2, 0, 0, 5, 0],
        [1, 1, 1, 0, 0, 0],
        [0, 0, 0, 1, 1, 1],
        [1, 0, 0, 1, 0, 0],
        [0, 1, 0, 0, 1, 0],
        [0, 0, 1, 0, 0, 1],
    ],
    dtype=float,
)
HS55_B = np.array([6.0, 3.0, 2.0, 1.0, 2.0, 2.0])


def hs55(x):
    f = x[0] + 2 * x[1] + 4 * x[4] + np.exp(x[0] * x[3])
    xu = np.array([1.0, INF, INF, 1.0, INF, INF])
    return merit(f, HS55_A @ x, HS55_B, HS55_B, x, 0.0, xu)


def hs56(x):
    s = np.sin(x[3:]) ** 2
    c = np.array(
        [
            x[0] - 4.2 * s[0],
            x[1] - 4.2 * s[1],
            x[2] - 4.2 * s[2],
            x[0] + 2 * x[1] + 2 * x[2] - 7.2 * s[3],
        ]
    )
    return merit(-x[0] * x[1] * x[2], c, 0.0, 0.0)


HS57_A = np.array(
    [8, 8, 10, 10, 10, 10, 12, 12, 12, 12, 14, 14, 14, 16, 16, 16, 18, 18, 20, 20, 20, 22, 22]
    + [22, 24, 24, 24, 26, 26, 26, 28, 28, 30, 30, 30, 32, 32, 34, 36, 36, 38, 38, 40, 42],
    dtype=float,
)
HS57_B = np.array(
    [
        0.49,
        0.49,
        0.48,
        0.47,
        0.48,
        0.47,
        0.46,
        0.46,
        0.45,
        0.43,
        0.45,
        0.43,
        0.43,
        0.44,
        0.43,
        0.43,
        0.46,
        0.45,
    ]
    + [
        0.42,
        0.42,
        0.43,
        0.41,
        0.41,
        0.40,
        0.42,
        0.40,
        0.40,
        0.41,
        0.40,
        0.41,
        0.41,
        0.40,
        0.40,
        0.40,
        0.38,
        0.41,
    ]
    + [0.40, 0.40, 0.41, 0.38, 0.40, 0.40, 0.39, 0.39]
)


def hs57(x):
    """Data fitting (44 points) with one inequality and lower bounds."""
    r = HS57_B - x[0] - (0.49 - x[0]) * np.exp(-x[1] * (HS57_A - 8.0))
    f = np.sum(r**2)
    c = [0.49 * x[1] - x[0] * x[1] - 0.09]
    return merit(f, c, 0.0, INF, x, np.array([0.4, -4.0]), INF)


def hs57_loop(x):
    a, b = x
    f = 0.0
    for ai, bi in zip(HS57_A, HS57_B):
        f += (bi - a - (0.49 - a) * math.exp(-b * (ai - 8.0))) ** 2
    return log_barrier(f, (0.49 * b - a * b - 0.09, a - 0.4, b + 4.0), t=1e-3)


def hs57_barrier(x):
    """The vectorised fit handed to the float barrier helper: `np.sum` of an expression of the
    global data arrays, passed on as `f` (``total = f; total -= ...`` in the helper): a new value
    no other name holds (session 50's callfacts.new_numbers; refused before)."""
    r = HS57_B - x[0] - (0.49 - x[0]) * np.exp(-x[1] * (HS57_A - 8.0))
    f = np.sum(r**2)
    return log_barrier(f, (0.49 * x[1] - x[0] * x[1] - 0.09, x[0] - 0.4, x[1] + 4.0), t=1e-3)


def hs59(x):
    x1, x2 = x
    f = (
        -75.196
        + 3.8112 * x1
        + 0.0020567 * x1**3
        - 1.0345e-5 * x1**4
        + 6.8306 * x2
        - 0.030234 * x1 * x2
        + 1.28134e-3 * x2 * x1**2
        + 2.266e-7 * x1**4 * x2
        - 0.25645 * x2**2
        + 0.0034604 * x2**3
        - 1.3514e-5 * x2**4
        + 28.106 / (x2 + 1.0)
        + 5.2375e-6 * x1**2 * x2**2
        + 6.3e-8 * x1**3 * x2**2
        - 7e-10 * x1**3 * x2**3
        - 3.405e-4 * x1 * x2**2
        + 1.6638e-6 * x1 * x2**3
        + 2.8673 * np.exp(0.0005 * x1 * x2)
        - 3.5256e-5 * x1**3 * x2
    )
    c = np.array([x1 * x2 - 700.0, x2 - x1**2 / 125.0, (x2 - 50.0) ** 2 - 5.0 * (x1 - 55.0)])
    return merit(f, c, 0.0, INF, x, np.zeros(2), np.array([75.0, 65.0]), mu=0.01)


def hs60(x):
    f = (x[0] - 1) ** 2 + (x[0] - x[1]) ** 2 + (x[1] - x[2]) ** 4
    h = x[0] * (1 + x[1] ** 2) + x[2] ** 4 - 4 - 3 * np.sqrt(2.0)
    return l1_smooth(f, (h,), (x[0] + 10, 10 - x[0], x[1] + 10, 10 - x[1], x[2] + 10, 10 - x[2]))


def _a(*v):
    return np.array(v, dtype=float)


CASES = [
    Case(hs41, (_a(0.5, 0.6, 0.4, 1.3),), (0,), extra="hvp"),
    Case(hs42, (_a(1.5, 1.8, 0.9, 1.2),), (0,), extra="hvp"),
    Case(hs43, (_a(0.3, 0.8, 1.9, -0.7),), (0,), extra="hvp"),
    Case(hs43_barrier, (_a(0.1, 0.9, 1.5, -0.6),), (0,), extra="hvp"),
    Case(hs44, (_a(0.5, 1.0, 1.5, 1.2),), (0,), extra="hvp"),
    Case(hs45, (_a(0.8, 1.7, 2.6, 3.5, 4.4),), (0,), extra="hvp"),
    Case(hs46, (_a(0.8, 1.6, 0.6, 1.9, 2.1),), (0,), extra="hvp"),
    Case(hs47, (_a(2.1, 1.3, -0.9, 0.7, 0.6),), (0,), extra="hvp"),
    Case(hs48_lagrangian, (_a(3.0, 5.0, -3.0, 2.0, -2.0), _a(0.5, -0.3)), (0, 1), extra="hvp"),
    Case(kkt_residual, (_a(3.0, 5.0, -3.0, 2.0, -2.0), _a(0.5, -0.3)), (0, 1), extra="hvp"),
    Case(hs49, (_a(10.0, 7.0, 2.0, -2.9, 0.9),), (0,), extra="hvp"),
    Case(hs50, (_a(3.5, -3.1, 1.1, 0.5, -0.5),), (0,), extra="hvp"),
    Case(hs51, (_a(2.3, 0.6, 1.8, -0.8, 0.7),), (0,), extra="hvp"),
    Case(hs52, (_a(2.0, 1.9, 2.2, 1.7, 2.1),), (0,), extra="hvp"),
    Case(hs53, (_a(2.0, 1.9, 2.2, 1.7, 2.1),), (0,), extra="hvp"),
    Case(hs55, (_a(0.6, 1.2, 1.1, 0.3, 0.7, 0.8),), (0,), extra="hvp"),
    Case(hs56, (_a(1.0, 1.0, 1.0, 0.6, 0.6, 0.6, 0.9),), (0,), extra="hvp"),
    Case(hs57, (_a(0.46, 6.0),), (0,), extra="hvp"),
    Case(
        hs57_loop,
        (_a(0.46, 6.0),),
        (0,),
        jitter=0.0,
        xfail=refused_when_differentiated(
            "`f = 0.0; for ai, bi in zip(HS57_A, HS57_B): f += ...` (global float arrays) passed"
            " to `log_barrier`, whose `total = f; total -= ...` only rebinds a float: refused,"
            " '`log_barrier` modifies its argument `f` in place' (ad/base.py"
            " refuse_argument_mutation: the loop's sum is not known to be a number)"
        ),
    ),
    Case(
        hs57_barrier,
        (_a(0.46, 6.0),),
        (0,),
        jitter=0.0,
    ),
    Case(hs59, (_a(60.0, 30.0),), (0,), extra="hvp"),
    Case(hs60, (_a(2.0, 2.0, 2.0),), (0,), extra="hvp"),
]
