"""Ported cases (session 24, hunt24b), written anew after simulation and numerical-recipe programs:
an adaptive RK45 (Cash-Karp) integrator with ``while t < T``, step rejection by ``continue`` and
``h = min(h, T - t)``, RK4 with its state in a dataclass, a Kalman filter loop with
``P = (I - K @ H) @ P``, particles with ``np.add.at`` over pair index arrays, graph message
passing with ``h[src]`` gathers, a COO sparse mat-vec loop ``y[rows[k]] += vals[k] * x[cols[k]]``,
Gauss-Seidel sweeps reading updated entries, an explicit heat step through a view ``v = u[1:-1];
v += ...``, Brent/secant root finding in a while loop, Romberg with a list-of-lists table,
Horner over ``c[::-1]``, Clenshaw for Legendre, Lentz's continued fraction for tan, a Gaussian-
process marginal likelihood by cholesky + solve_triangular with ``K[np.diag_indices_from(K)] +=``,
functools.reduce composing transfer matrices, itertools.accumulate, a leapfrog with tuple swaps.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular

from . import Case

R = np.random.default_rng(241)


def _f_ode(t, y, k):
    return np.array([y[1], -k * y[0] - 0.1 * y[1] + 0.2 * math.sin(t)])


_CK_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [3 / 10, -9 / 10, 6 / 5],
    [-11 / 54, 5 / 2, -70 / 27, 35 / 27],
    [1631 / 55296, 175 / 512, 575 / 13824, 44275 / 110592, 253 / 4096],
]
_CK_C = [0, 1 / 5, 3 / 10, 3 / 5, 1, 7 / 8]
_CK_B5 = np.array([37 / 378, 0, 250 / 621, 125 / 594, 0, 512 / 1771])
_CK_B4 = np.array([2825 / 27648, 0, 18575 / 48384, 13525 / 55296, 277 / 14336, 1 / 4])


def rk45_adaptive(k):
    t, T = 0.0, 2.0
    y = np.array([1.0, 0.0])
    h = 0.3
    nrej = 0
    while t < T:
        h = min(h, T - t)
        ks = []
        for i in range(6):
            yi = y.copy()
            for j, a in enumerate(_CK_A[i]):
                yi += h * a * ks[j]
            ks.append(_f_ode(t + _CK_C[i] * h, yi, k))
        K = np.array(ks)
        y5 = y + h * (_CK_B5 @ K)
        y4 = y + h * (_CK_B4 @ K)
        err = np.max(np.abs(y5 - y4)) + 1e-14
        if err > 1e-5:
            h *= max(0.2, 0.9 * (1e-5 / err) ** 0.25)
            nrej += 1
            continue
        t += h
        y = y5
        h *= min(4.0, 0.9 * (1e-5 / err) ** 0.2)
    return y[0] ** 2 + y[1]


@dataclass
class OdeState:
    t: float
    y: np.ndarray


def rk4_dataclass(y0):
    s = OdeState(0.0, y0.copy())
    h = 0.1
    for _ in range(8):
        k1 = _f_ode(s.t, s.y, 2.0)
        k2 = _f_ode(s.t + h / 2, s.y + h / 2 * k1, 2.0)
        k3 = _f_ode(s.t + h / 2, s.y + h / 2 * k2, 2.0)
        k4 = _f_ode(s.t + h, s.y + h * k3, 2.0)
        s.y = s.y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        s.t += h
    return np.sum(s.y**2)


F_KF = np.array([[1.0, 0.1], [0.0, 1.0]])
H_KF = np.array([[1.0, 0.0]])
Z_KF = np.array([0.1, 0.25, 0.28, 0.5, 0.61, 0.7])


def kalman_loop(theta):
    q, r = np.exp(theta[0]), np.exp(theta[1])
    x = np.zeros(2)
    P = np.eye(2)
    Q = q * np.eye(2)
    I2 = np.eye(2)
    nll = 0.0
    for z in Z_KF:
        x = F_KF @ x
        P = F_KF @ P @ F_KF.T + Q
        S = H_KF @ P @ H_KF.T + r
        K = P @ H_KF.T / S[0, 0]
        v = z - (H_KF @ x)[0]
        x = x + K[:, 0] * v
        P = (I2 - K @ H_KF) @ P
        nll += 0.5 * (np.log(2 * np.pi * S[0, 0]) + v**2 / S[0, 0])
    return nll


PAIRS_I = np.array([0, 0, 1, 2, 1, 3])
PAIRS_J = np.array([1, 2, 2, 3, 3, 0])


def particles_add_at(x):
    P = x.reshape(4, 2)
    d = P[PAIRS_I] - P[PAIRS_J]
    r2 = np.sum(d * d, axis=-1, keepdims=True)
    f = d / (r2 + 0.5) ** 2
    F = np.zeros_like(P)
    np.add.at(F, PAIRS_I, f)
    np.subtract.at(F, PAIRS_J, f)
    V = P.copy()
    for _ in range(2):
        V += 0.1 * F
    return np.sum(V**2) + np.sum(F[:, 0] * F[:, 1])


SRC = np.array([0, 1, 2, 3, 0, 2])
DST = np.array([1, 2, 3, 0, 2, 0])
WMP = 0.5 * R.standard_normal((2, 2))


def message_passing(h):
    H = h.reshape(4, 2)
    for _ in range(2):
        msg = np.tanh(H[SRC] @ WMP)
        agg = np.zeros_like(H)
        np.add.at(agg, DST, msg)
        deg = np.bincount(DST, minlength=4)[:, np.newaxis]
        H = H + agg / np.maximum(deg, 1)
    return np.sum(H**2)


ROWS = np.array([0, 0, 1, 2, 2, 3, 3])
COLS = np.array([0, 2, 1, 0, 3, 1, 3])


def coo_matvec(vals):
    x = np.array([1.0, -0.5, 0.3, 2.0])
    for _ in range(2):
        y = np.zeros(4)
        for k in range(len(vals)):
            y[ROWS[k]] += vals[k] * x[COLS[k]]
        x = y / (1.0 + np.abs(y).sum())
    return np.sum(x**2) + x[0]


A_GS = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 5.0]])


def gauss_seidel(b):
    x = np.zeros(3)
    n = len(b)
    for _sweep in range(4):
        for i in range(n):
            s = b[i]
            for j in range(n):
                if j != i:
                    s -= A_GS[i, j] * x[j]
            x[i] = s / A_GS[i, i]
    return np.sum(x * np.arange(1, 4))


def heat_view(u0):
    u = u0.copy()
    r = 0.2
    for _ in range(5):
        lap = u[2:] - 2 * u[1:-1] + u[:-2]
        v = u[1:-1]
        v += r * lap
    return np.sum(u**3)


def secant_root(a):
    def g(x):
        return x**3 + a * x - 2.0

    x0, x1 = 0.5, 1.5
    it = 0
    while abs(x1 - x0) > 1e-13 and it < 50:
        f0, f1 = g(x0), g(x1)
        x0, x1 = x1, x1 - f1 * (x1 - x0) / (f1 - f0)
        it += 1
    return x1**2


def romberg(c):
    def f(x):
        return np.exp(-c * x * x)

    a, b = 0.0, 1.0
    Rt = [[0.5 * (b - a) * (f(a) + f(b))]]
    for i in range(1, 5):
        h = (b - a) / 2**i
        s = sum(f(a + (2 * k - 1) * h) for k in range(1, 2 ** (i - 1) + 1))
        row = [0.5 * Rt[i - 1][0] + h * s]
        for j in range(1, i + 1):
            row.append(row[j - 1] + (row[j - 1] - Rt[i - 1][j - 1]) / (4**j - 1))
        Rt.append(row)
    return Rt[-1][-1]


def horner_rev(c):
    x = 0.7
    acc = 0.0
    for ci in c[::-1]:
        acc = acc * x + ci
    d = 0.0
    for i, ci in enumerate(c[:0:-1]):
        d = d * x + (len(c) - 1 - i) * ci
    return acc * d


def clenshaw_legendre(c):
    x = 0.3
    b1 = b2 = 0.0
    for k in range(len(c) - 1, -1, -1):
        alpha = (2 * k + 1) / (k + 1) * x
        beta = -(k + 1) / (k + 2)
        b1, b2 = c[k] + alpha * b1 + beta * b2, b1
    return b1**2


def lentz_tan(x):
    tiny = 1e-30
    f = tiny
    C, D = f, 0.0
    j = 1
    while True:
        a = x if j == 1 else -x * x
        b = 2 * j - 1
        D = b + a * D
        D = tiny if D == 0 else D
        C = b + a / C
        C = tiny if C == 0 else C
        D = 1.0 / D
        delta = C * D
        f *= delta
        if abs(delta - 1.0) < 1e-15:
            break
        j += 1
    return f


XG = np.linspace(0, 1, 5)[:, np.newaxis]
YG = np.sin(3 * XG[:, 0])


def gp_nll(theta):
    ell, sf, sn = np.exp(theta)
    d2 = (XG - XG.T) ** 2
    K = sf**2 * np.exp(-0.5 * d2 / ell**2)
    K[np.diag_indices_from(K)] += sn**2
    L = cholesky(K, lower=True)
    alpha = solve_triangular(L.T, solve_triangular(L, YG, lower=True), lower=False)
    return 0.5 * YG @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(YG) * np.log(2 * np.pi)


def gp_cho_solve(theta):
    ell, sn = np.exp(theta[0]), np.exp(theta[1])
    K = np.exp(-0.5 * (XG - XG.T) ** 2 / ell**2) + sn**2 * np.eye(5)
    L = np.linalg.cholesky(K)
    a = cho_solve((L, True), YG)
    return 0.5 * np.dot(YG, a) + np.log(np.diag(L)).sum()


def transfer_reduce(d):
    def layer(di):
        c, s = np.cos(di), np.sin(di)
        return np.array([[c, s / 1.5], [-1.5 * s, c]])

    M = functools.reduce(lambda A, B: A @ B, [layer(di) for di in d], np.eye(2))
    return M[0, 0] ** 2 + 0.3 * M[1, 0] ** 2


def accumulate_returns(r):
    growth = list(itertools.accumulate(1.0 + r, lambda a, b: a * b))
    peak = list(itertools.accumulate(growth, max))
    dd = [g / p for g, p in zip(growth, peak)]
    return sum(dd) + growth[-1]


def leapfrog_swap(q0):
    q, p = q0[0], q0[1]
    dt = 0.1
    for _ in range(10):
        p = p - 0.5 * dt * math.sin(q)
        q, p = q + dt * p, p
        p = p - 0.5 * dt * math.sin(q)
    return 0.5 * p * p - math.cos(q)


CASES = [
    Case(rk45_adaptive, (1.3,), (0,), extra="hvp", jitter=0.0),
    Case(rk4_dataclass, (np.array([1.0, 0.2]),), (0,), extra="hvp"),
    Case(kalman_loop, (np.array([-2.0, -1.5]),), (0,), extra="hvp"),
    Case(particles_add_at, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(message_passing, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(coo_matvec, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(gauss_seidel, (np.array([1.0, -0.5, 2.0]),), (0,), extra="hvp"),
    Case(heat_view, (np.sin(np.linspace(0, 3, 7)),), (0,), extra="hvp"),
    Case(secant_root, (1.5,), (0,), extra="hvp", jitter=0.0),
    Case(romberg, (1.2,), (0,), extra="hvp"),
    Case(horner_rev, (np.array([0.5, -1.0, 0.3, 2.0]),), (0,), extra="hvp"),
    Case(clenshaw_legendre, (np.array([0.5, -1.0, 0.3, 2.0]),), (0,), extra="hvp"),
    Case(lentz_tan, (0.8,), (0,), extra="hvp", jitter=0.0),
    Case(gp_nll, (np.array([-0.5, 0.1, -2.0]),), (0,), extra="hvp"),
    Case(gp_cho_solve, (np.array([-0.5, -2.0]),), (0,), extra="hvp"),
    Case(transfer_reduce, (np.array([0.3, 0.7, 1.1]),), (0,), extra="hvp"),
    Case(accumulate_returns, (np.array([0.05, -0.1, 0.03, 0.15, -0.02]),), (0,), extra="hvp"),
    Case(leapfrog_swap, (np.array([0.8, 0.1]),), (0,), extra="hvp"),
]
