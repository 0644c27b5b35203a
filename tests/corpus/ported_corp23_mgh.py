"""Ported cases (session 23, corp23): the Moré-Garbow-Hillstrom unconstrained test problems
(ACM TOMS 7(1), 1981), as NumPy users write them for least-squares solvers: each problem's residual
vector r(x) (checked as a Jacobian: jacfwd against jacrev, the JVP/VJP dot test) and its sum of
squares f(x) = sum(r(x)**2) (gradient, and at second order, ``extra="hvp"``).

The residuals are written the ways such code is: loops filling ``np.zeros`` by index, list
comprehensions turned into arrays, vectorised ``np.arange`` weights, ``np.concatenate`` of parts,
branches on the sign of a variable (the helical valley's arctan), recurrences (Chebyshev
polynomials), cumulative sums (the discrete integral equation). Float vector -> float vector, and
float vector -> scalar."""

from __future__ import annotations

import math

import numpy as np

from . import Case

BEALE_Y = np.array([1.5, 2.25, 2.625])
BARD_Y = np.array(
    [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]
)
GAUSS_Y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989])
GAUSS_Y = np.concatenate([GAUSS_Y, GAUSS_Y[-2::-1]])
MEYER_Y = np.array(
    [34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0,
     8261.0, 7030.0, 6005.0, 5147.0, 4427.0, 3820.0, 3307.0, 2872.0]
)  # fmt: skip
KO_Y = np.array(
    [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
)
KO_U = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])
OSB1_Y = np.array(
    [0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718,
     0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467,
     0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406]
)  # fmt: skip
OSB2_Y = np.array(
    [1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679,
     0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644,
     0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391,
     0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668,
     0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
     0.428, 0.292, 0.162, 0.098, 0.054]
)  # fmt: skip


def rosenbrock_r(x):
    return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])


def freudenstein_roth_r(x):
    x1, x2 = x
    return np.array(
        [-13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2, -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2]
    )


def powell_badly_scaled_r(x):
    return np.array([1e4 * x[0] * x[1] - 1.0, np.exp(-x[0]) + np.exp(-x[1]) - 1.0001])


def brown_badly_scaled_r(x):
    r = np.empty(3)
    r[0] = x[0] - 1e6
    r[1] = x[1] - 2e-6
    r[2] = x[0] * x[1] - 2.0
    return r


def beale_r(x):
    i = np.arange(1, 4)
    return BEALE_Y - x[0] * (1.0 - x[1] ** i)


def jennrich_sampson_r(x, m=10):
    i = np.arange(1.0, m + 1.0)
    return 2.0 + 2.0 * i - (np.exp(i * x[0]) + np.exp(i * x[1]))


def helical_valley_r(x):
    x1, x2, x3 = x[0], x[1], x[2]
    if x1 > 0:
        theta = np.arctan(x2 / x1) / (2.0 * np.pi)
    elif x1 < 0:
        theta = np.arctan(x2 / x1) / (2.0 * np.pi) + 0.5
    else:
        theta = 0.25 if x2 >= 0 else -0.25
    return np.array([10.0 * (x3 - 10.0 * theta), 10.0 * (np.sqrt(x1**2 + x2**2) - 1.0), x3])


def bard_r(x):
    out = []
    for k in range(15):
        u = k + 1.0
        v = 15.0 - k
        w = min(u, v)
        out.append(BARD_Y[k] - (x[0] + u / (v * x[1] + w * x[2])))
    return np.array(out)


def gaussian_r(x):
    t = (8.0 - np.arange(1, 16)) / 2.0
    return x[0] * np.exp(-x[1] * (t - x[2]) ** 2 / 2.0) - GAUSS_Y


def meyer_scaled_r(x):
    # the scaled variant: x1 * 1e-2 * exp(10 x2 / (u + x3) - 13) with u = 0.45 + 0.05 i
    u = 0.45 + 0.05 * np.arange(16)
    return 1e-2 * x[0] * np.exp(10.0 * x[1] / (u + x[2]) - 13.0) - MEYER_Y * 1e-3


def box3d_r(x, m=10):
    r = np.zeros(m)
    for i in range(m):
        t = 0.1 * (i + 1)
        r[i] = np.exp(-t * x[0]) - np.exp(-t * x[1]) - x[2] * (np.exp(-t) - np.exp(-10.0 * t))
    return r


def powell_singular_r(x):
    return np.array(
        [
            x[0] + 10.0 * x[1],
            math.sqrt(5.0) * (x[2] - x[3]),
            (x[1] - 2.0 * x[2]) ** 2,
            math.sqrt(10.0) * (x[0] - x[3]) ** 2,
        ]
    )


def wood_r(x):
    x1, x2, x3, x4 = x
    return np.array(
        [
            10.0 * (x2 - x1 * x1),
            1.0 - x1,
            math.sqrt(90.0) * (x4 - x3 * x3),
            1.0 - x3,
            math.sqrt(10.0) * (x2 + x4 - 2.0),
            (x2 - x4) / math.sqrt(10.0),
        ]
    )


def kowalik_osborne_r(x):
    u2 = KO_U * KO_U
    return KO_Y - x[0] * (u2 + KO_U * x[1]) / (u2 + KO_U * x[2] + x[3])


def brown_dennis_r(x):
    t = np.arange(1, 21) / 5.0
    a = x[0] + t * x[1] - np.exp(t)
    b = x[2] + x[3] * np.sin(t) - np.cos(t)
    return a**2 + b**2


def osborne1_r(x):
    t = 10.0 * np.arange(33)
    return OSB1_Y - (x[0] + x[1] * np.exp(-t * x[3]) + x[2] * np.exp(-t * x[4]))


def biggs_exp6_r(x):
    t = 0.1 * np.arange(1, 14)
    y = np.exp(-t) - 5.0 * np.exp(-10.0 * t) + 3.0 * np.exp(-4.0 * t)
    return x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) + x[5] * np.exp(-t * x[4]) - y


def osborne2_r(x):
    t = np.arange(65) / 10.0
    model = x[0] * np.exp(-t * x[4])
    for k in range(3):
        model = model + x[1 + k] * np.exp(-((t - x[8 + k]) ** 2) * x[5 + k])
    return OSB2_Y - model


def watson_r(x):
    n = x.shape[0]
    r = np.zeros(31)
    for i in range(29):
        t = (i + 1) / 29.0
        s1 = 0.0
        for j in range(1, n):
            s1 += j * x[j] * t ** (j - 1)
        s2 = 0.0
        for j in range(n):
            s2 += x[j] * t**j
        r[i] = s1 - s2 * s2 - 1.0
    r[29] = x[0]
    r[30] = x[1] - x[0] ** 2 - 1.0
    return r


def extended_rosenbrock_r(x):
    odd, even = x[0::2], x[1::2]
    return np.concatenate([10.0 * (even - odd**2), 1.0 - odd])


def extended_powell_r(x):
    b = x.reshape(-1, 4)
    r = np.stack(
        [
            b[:, 0] + 10.0 * b[:, 1],
            np.sqrt(5.0) * (b[:, 2] - b[:, 3]),
            (b[:, 1] - 2.0 * b[:, 2]) ** 2,
            np.sqrt(10.0) * (b[:, 0] - b[:, 3]) ** 2,
        ],
        axis=1,
    )
    return r.ravel()


def penalty1_r(x):
    a = 1e-5
    return np.append(np.sqrt(a) * (x - 1.0), np.dot(x, x) - 0.25)


def penalty2_r(x):
    n = len(x)
    a = 1e-5
    r = [x[0] - 0.2]
    for i in range(1, n):
        y = np.exp((i + 1) / 10.0) + np.exp(i / 10.0)
        r.append(np.sqrt(a) * (np.exp(x[i] / 10.0) + np.exp(x[i - 1] / 10.0) - y))
    for i in range(1, n):
        r.append(np.sqrt(a) * (np.exp(x[i] / 10.0) - np.exp(-0.1)))
    w = np.arange(n, 0, -1)
    r.append(np.sum(w * x**2) - 1.0)
    return np.array(r)


def variably_dimensioned_r(x):
    j = np.arange(1, x.size + 1)
    s = np.sum(j * (x - 1.0))
    return np.concatenate([x - 1.0, [s, s**2]])


def trigonometric_r(x):
    n = x.size
    i = np.arange(1, n + 1)
    return n - np.sum(np.cos(x)) + i * (1.0 - np.cos(x)) - np.sin(x)


def brown_almost_linear_r(x):
    n = len(x)
    r = x + np.sum(x) - (n + 1.0)
    r[-1] = np.prod(x) - 1.0
    return r


def discrete_boundary_r(x):
    n = len(x)
    h = 1.0 / (n + 1)
    t = h * np.arange(1, n + 1)
    xp = np.concatenate([[0.0], x, [0.0]])
    return 2.0 * x - xp[:-2] - xp[2:] + h * h * (x + t + 1.0) ** 3 / 2.0


def discrete_integral_r(x):
    n = len(x)
    h = 1.0 / (n + 1)
    t = h * np.arange(1, n + 1)
    c = (x + t + 1.0) ** 3
    low = np.cumsum(t * c)  # sum over j <= i
    high = np.cumsum(((1.0 - t) * c)[::-1])[::-1]  # sum over j >= i
    high = np.append(high[1:], 0.0)  # over j > i
    return x + h * ((1.0 - t) * low + t * high) / 2.0


def broyden_tridiagonal_r(x):
    n = len(x)
    r = np.zeros(n)
    for i in range(n):
        left = x[i - 1] if i > 0 else 0.0
        right = x[i + 1] if i < n - 1 else 0.0
        r[i] = (3.0 - 2.0 * x[i]) * x[i] - left - 2.0 * right + 1.0
    return r


def broyden_banded_r(x):
    n = len(x)
    r = np.zeros(n)
    for i in range(n):
        s = 0.0
        for j in range(max(0, i - 5), min(n, i + 2)):
            if j != i:
                s = s + x[j] * (1.0 + x[j])
        r[i] = x[i] * (2.0 + 5.0 * x[i] ** 2) + 1.0 - s
    return r


def linear_full_rank_r(x, m=7):
    n = x.size
    s = np.sum(x)
    head = x - 2.0 / m * s - 1.0
    tail = np.full(m - n, -2.0 / m * s - 1.0)
    return np.concatenate([head, tail])


def linear_rank1_r(x, m=6):
    j = np.arange(1, x.size + 1)
    i = np.arange(1, m + 1)
    return i * np.sum(j * x) - 1.0


def chebyquad_r(x):
    n = len(x)
    y = 2.0 * x - 1.0
    t_prev, t_cur = np.ones(n), y
    r = np.zeros(n)
    for i in range(1, n + 1):
        if i > 1:
            t_prev, t_cur = t_cur, 2.0 * y * t_cur - t_prev
        exact = -1.0 / (i * i - 1.0) if i % 2 == 0 else 0.0
        r[i - 1] = np.mean(t_cur) - exact
    return r


def _ssq(r):
    return np.sum(r * r)


def rosenbrock_f(x):
    return _ssq(rosenbrock_r(x))


def freudenstein_roth_f(x):
    return _ssq(freudenstein_roth_r(x))


def powell_badly_scaled_f(x):
    return _ssq(powell_badly_scaled_r(x))


def brown_badly_scaled_f(x):
    return np.sum(brown_badly_scaled_r(x) ** 2)


def beale_f(x):
    return np.sum(beale_r(x) ** 2)


def jennrich_sampson_f(x):
    return _ssq(jennrich_sampson_r(x))


def helical_valley_f(x):
    r = helical_valley_r(x)
    return r @ r


def bard_f(x):
    return _ssq(bard_r(x))


def gaussian_f(x):
    return _ssq(gaussian_r(x))


def meyer_scaled_f(x):
    return _ssq(meyer_scaled_r(x))


def box3d_f(x):
    return _ssq(box3d_r(x))


def powell_singular_f(x):
    return np.linalg.norm(powell_singular_r(x)) ** 2


def wood_f(x):
    return _ssq(wood_r(x))


def kowalik_osborne_f(x):
    return _ssq(kowalik_osborne_r(x))


def brown_dennis_f(x):
    return _ssq(brown_dennis_r(x))


def osborne1_f(x):
    return _ssq(osborne1_r(x))


def biggs_exp6_f(x):
    return _ssq(biggs_exp6_r(x))


def osborne2_f(x):
    return _ssq(osborne2_r(x))


def watson_f(x):
    return _ssq(watson_r(x))


def extended_rosenbrock_f(x):
    return _ssq(extended_rosenbrock_r(x))


def extended_powell_f(x):
    return _ssq(extended_powell_r(x))


def penalty1_f(x):
    return _ssq(penalty1_r(x))


def penalty2_f(x):
    return _ssq(penalty2_r(x))


def variably_dimensioned_f(x):
    return _ssq(variably_dimensioned_r(x))


def trigonometric_f(x):
    return _ssq(trigonometric_r(x))


def brown_almost_linear_f(x):
    return _ssq(brown_almost_linear_r(x))


def discrete_boundary_f(x):
    return _ssq(discrete_boundary_r(x))


def discrete_integral_f(x):
    return _ssq(discrete_integral_r(x))


def broyden_tridiagonal_f(x):
    return _ssq(broyden_tridiagonal_r(x))


def broyden_banded_f(x):
    return _ssq(broyden_banded_r(x))


def linear_full_rank_f(x):
    return _ssq(linear_full_rank_r(x))


def linear_rank1_f(x):
    return _ssq(linear_rank1_r(x))


def chebyquad_f(x):
    return _ssq(chebyquad_r(x))


_R = np.random.default_rng(23000023)
POINTS = {
    "rosenbrock": np.array([-1.2, 1.0]),
    "freudenstein_roth": np.array([0.5, -2.0]),
    "powell_badly_scaled": np.array([1e-3, 1.5]),
    "brown_badly_scaled": np.array([1.3, 0.7]),
    "beale": np.array([1.2, 0.4]),
    "jennrich_sampson": np.array([0.3, 0.4]),
    "helical_valley": np.array([-1.0, 0.3, 0.2]),
    "bard": np.array([1.0, 1.0, 1.0]),
    "gaussian": np.array([0.4, 1.0, 0.1]),
    "meyer_scaled": np.array([8.85, 4.0, 2.5]),
    "box3d": np.array([0.4, 9.0, 2.0]),
    "powell_singular": np.array([3.0, -1.0, 0.2, 1.0]),
    "wood": np.array([-3.0, -1.0, -3.0, -1.0]),
    "kowalik_osborne": np.array([0.25, 0.39, 0.415, 0.39]),
    "brown_dennis": np.array([25.0, 5.0, -5.0, -1.0]),
    "osborne1": np.array([0.5, 1.5, -1.0, 0.01, 0.02]),
    "biggs_exp6": np.array([1.0, 2.0, 1.0, 1.0, 1.0, 1.0]),
    "osborne2": np.array([1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5]),
    "watson": np.array([0.1, -0.2, 0.3, 0.15, -0.1, 0.05]),
    "extended_rosenbrock": np.tile([-1.2, 1.0], 3),
    "extended_powell": np.tile([3.0, -1.0, 0.5, 1.0], 2),
    "penalty1": 0.3 + 0.1 * np.arange(5),
    "penalty2": 0.5 + 0.05 * np.arange(5),
    "variably_dimensioned": 1.0 - np.arange(1, 6) / 5.0,
    "trigonometric": np.full(5, 0.2) + 0.01 * np.arange(5),
    "brown_almost_linear": np.array([0.5, 0.6, 0.4, 0.7, 0.55]),
    "discrete_boundary": np.array([-0.1, -0.2, -0.25, -0.2, -0.12]),
    "discrete_integral": np.array([-0.1, -0.2, -0.25, -0.2, -0.12]),
    "broyden_tridiagonal": -np.ones(6) + 0.05 * np.arange(6),
    "broyden_banded": -np.ones(8) + 0.03 * np.arange(8),
    "linear_full_rank": np.array([1.0, 0.5, -0.3, 0.8]),
    "linear_rank1": np.array([1.0, 0.5, -0.3, 0.8]),
    "chebyquad": np.arange(1, 6) / 6.0 + 0.01 * _R.standard_normal(5),
}

# sums of squares whose central differences do not converge at the example point (f ~ 1e12 for
# Brown's badly scaled problem; Osborne 1's exp(-320 x4)): their residuals' Jacobians only
NO_SSQ = ("brown_badly_scaled", "osborne1")

CASES = []
for _name, _x in POINTS.items():
    CASES.append(Case(globals()[f"{_name}_r"], (_x,), (0,)))
    if _name not in NO_SSQ:
        CASES.append(Case(globals()[f"{_name}_f"], (_x,), (0,), extra="hvp"))
