"""Ported cases (session 22, hunt22c), written anew after numerical programs: implicit Euler with
Newton inner iterations in a while loop, RK4 with its state in a dict, a shooting method by secant
steps, Gauss-Legendre quadrature on np.polynomial.legendre.leggauss nodes, Horner's rule, a
Chebyshev recurrence, a continued fraction, Newton's method for sqrt and cbrt in while loops,
bisection with an early exit and a Newton polish, fixed-point iteration, power iteration,
conjugate gradients, finite-difference Laplacians by slicing, explicit heat steps with boundary rows written
``u[0] = ...``, a linear spline through np.searchsorted, np.trapezoid and Simpson integration.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(2204)
SPDM = R.standard_normal((4, 4))
SPDM = SPDM @ SPDM.T + 4 * np.eye(4)


def implicit_euler(k):
    y = 1.0
    h = 0.1
    for _ in range(5):
        z = y
        it = 0
        while True:
            g = z - y - h * (-k * z**3 + math.sin(z))
            dg = 1 + h * (3 * k * z**2 - math.cos(z))
            dz = g / dg
            z = z - dz
            it += 1
            if abs(dz) < 1e-12 or it > 50:
                break
        y = z
    return y


def rk4_dict(p):
    state = {"x": 1.0, "v": 0.0}

    def deriv(s):
        return {"x": s["v"], "v": -p[0] * s["x"] - p[1] * s["v"]}

    dt = 0.1
    for _ in range(10):
        k1 = deriv(state)
        k2 = deriv({k: state[k] + 0.5 * dt * k1[k] for k in state})
        k3 = deriv({k: state[k] + 0.5 * dt * k2[k] for k in state})
        k4 = deriv({k: state[k] + dt * k3[k] for k in state})
        state = {k: state[k] + dt / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]) for k in state}
    return state["x"] ** 2 + state["v"]


def _shoot(s, a):
    y, v = 0.0, s
    h = 0.05
    for _ in range(20):
        acc = -a * math.sin(y)
        y, v = y + h * v, v + h * acc
    return y - 1.0


def shooting(a):
    s0, s1 = 0.5, 2.0
    f0, f1 = _shoot(s0, a), _shoot(s1, a)
    for _ in range(30):
        if abs(f1) < 1e-13:
            break
        s0, s1 = s1, s1 - f1 * (s1 - s0) / (f1 - f0)
        f0, f1 = f1, _shoot(s1, a)
    return s1


def gauss_legendre(theta):
    xs, ws = np.polynomial.legendre.leggauss(6)
    a, b = 0.0, 2.0
    t = 0.5 * (b - a) * xs + 0.5 * (b + a)
    f = np.exp(-theta[0] * t) * np.cos(theta[1] * t)
    return 0.5 * (b - a) * np.sum(ws * f)


def horner(c):
    x = 0.7
    acc = 0.0
    for ci in c[::-1]:
        acc = acc * x + ci
    return acc**2


def horner_x(x):
    coeffs = [1.0, -3.0, 0.5, 2.0, -1.0]
    acc = coeffs[0]
    for c in coeffs[1:]:
        acc = acc * x + c
    return acc


def chebyshev(x):
    c = [0.5, -1.0, 0.25, 0.8, -0.3]
    t0, t1 = 1.0, x
    s = c[0] * t0 + c[1] * t1
    for k in range(2, len(c)):
        t0, t1 = t1, 2 * x * t1 - t0
        s += c[k] * t1
    return s


def contfrac_tan(x):
    n = 10
    acc = 2 * n + 1.0
    for k in range(n, 0, -1):
        acc = (2 * k - 1) - x * x / acc
    return x / acc


def newton_sqrt(a):
    x = a if a > 1 else 1.0
    while abs(x * x - a) > 1e-14 * a:
        x = 0.5 * (x + a / x)
    return x


def newton_cbrt(a):
    x = 1.0
    for _ in range(100):
        xn = x - (x**3 - a) / (3 * x**2)
        if abs(xn - x) < 1e-15:
            return xn
        x = xn
    return x


def bisect_root(c):
    lo, hi = 0.0, 3.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = mid**3 - c * mid - 1.0
        if abs(fm) < 1e-14:
            break
        if fm > 0:
            hi = mid
        else:
            lo = mid
    x = 0.5 * (lo + hi)
    for _ in range(2):
        x = x - (x**3 - c * x - 1.0) / (3 * x**2 - c)
    return x


def fixed_point(a):
    x = 0.5
    for _ in range(200):
        xn = math.cos(a * x)
        if abs(xn - x) < 1e-15:
            break
        x = xn
    return x


def power_iter(m):
    A = m.reshape(3, 3)
    A = A + A.T + 6 * np.eye(3)
    v = np.ones(3) / np.sqrt(3)
    lam = 0.0
    for _ in range(200):
        w = A @ v
        v = w / np.linalg.norm(w)
        lam = v @ A @ v
    return lam


def cg_solve(b):
    A = SPDM
    x = np.zeros_like(b)
    r = b - A @ x
    p = r.copy()
    rs = r @ r
    for _ in range(len(b)):
        Ap = A @ p
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        if np.sqrt(rs_new) < 1e-12:
            break
        p = r + (rs_new / rs) * p
        rs = rs_new
    return np.sum(x**2) + x[0]


def laplacian_energy(u):
    U = u.reshape(5, 5)
    lap = np.zeros_like(U)
    lap[1:-1, 1:-1] = U[2:, 1:-1] + U[:-2, 1:-1] + U[1:-1, 2:] + U[1:-1, :-2] - 4 * U[1:-1, 1:-1]
    return 0.5 * np.sum(lap**2) + np.sum(U**4) * 0.01


def heat_explicit(u0):
    u = u0.copy()
    n = len(u)
    r = 0.3
    for _ in range(8):
        un = u.copy()
        un[1:-1] = u[1:-1] + r * (u[2:] - 2 * u[1:-1] + u[:-2])
        un[0] = 0.0
        un[-1] = un[-2]
        u = un
    return np.sum(u**2) + u[n // 2]


def heat_loop_bc(alpha):
    n = 8
    u = np.sin(np.linspace(0, np.pi, n))
    for _ in range(6):
        new = np.empty(n)
        for i in range(1, n - 1):
            new[i] = u[i] + alpha * (u[i + 1] - 2 * u[i] + u[i - 1])
        new[0] = 0.0
        new[n - 1] = 0.5 * new[n - 2]
        u = new
    return float(np.sum(u))


KN = np.array([0.0, 0.5, 1.1, 1.8, 2.5])


def spline_eval(vals):
    xq = np.array([0.2, 0.5, 0.9, 1.5, 2.4, 0.05])
    idx = np.searchsorted(KN, xq) - 1
    idx = np.clip(idx, 0, len(KN) - 2)
    t = (xq - KN[idx]) / (KN[idx + 1] - KN[idx])
    y = (1 - t) * vals[idx] + t * vals[idx + 1]
    return np.sum(y**2)


def spline_query(xq):
    vals = np.array([0.0, 1.0, 0.5, -0.5, 0.2])
    idx = np.clip(np.searchsorted(KN, xq) - 1, 0, len(KN) - 2)
    t = (xq - KN[idx]) / (KN[idx + 1] - KN[idx])
    return np.sum(((1 - t) * vals[idx] + t * vals[idx + 1]) ** 3)


def trapz_int(theta):
    x = np.linspace(0, 2, 21)
    f = np.exp(-theta[0] * x**2) * (1 + theta[1] * x)
    trap = np.trapezoid if hasattr(np, "trapezoid") else np.trapz
    return trap(f, x) + trap(f**2, dx=0.1)


def simpson(theta):
    n = 10
    a, b = 0.0, 1.0
    h = (b - a) / n
    s = 0.0
    for i in range(n + 1):
        x = a + i * h
        fx = math.exp(theta * x) / (1 + x * x)
        if i == 0 or i == n:
            s += fx
        elif i % 2 == 1:
            s += 4 * fx
        else:
            s += 2 * fx
    return s * h / 3


CASES = [
    Case(implicit_euler, (0.8,), (0,), extra="hvp"),
    Case(rk4_dict, (np.array([2.0, 0.3]),), (0,), extra="hvp"),
    Case(shooting, (1.5,), (0,), extra="hvp"),
    Case(gauss_legendre, (np.array([0.7, 1.3]),), (0,), extra="hvp"),
    Case(horner, (np.array([1.0, -0.5, 0.3, 2.0]),), (0,), extra="hvp"),
    Case(horner_x, (0.9,), (0,), extra="hvp"),
    Case(chebyshev, (0.35,), (0,), extra="hvp"),
    Case(contfrac_tan, (0.6,), (0,), extra="hvp"),
    Case(newton_sqrt, (2.5,), (0,), extra="hvp"),
    Case(newton_cbrt, (4.0,), (0,), extra="hvp"),
    Case(bisect_root, (1.2,), (0,)),
    Case(fixed_point, (0.9,), (0,), extra="hvp"),
    Case(power_iter, (R.standard_normal(9) * 0.3,), (0,), extra="hvp"),
    Case(cg_solve, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(laplacian_energy, (R.standard_normal(25),), (0,), extra="hvp"),
    Case(heat_explicit, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(heat_loop_bc, (0.25,), (0,), extra="hvp"),
    Case(spline_eval, (np.array([0.0, 1.0, 0.5, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(spline_query, (np.array([0.2, 0.7, 1.3, 2.2]),), (0,), extra="hvp"),
    Case(trapz_int, (np.array([0.5, 0.3]),), (0,), extra="hvp"),
    Case(simpson, (0.4,), (0,), extra="hvp"),
]
