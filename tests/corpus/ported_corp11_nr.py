"""Ported cases (session 11, corp11), written anew in the style of numerical-recipes code: Newton's
method and bisection with while loops and tolerances (the root differentiated in the equation's
parameters), the secant method, an adaptive RK45 (Dormand-Prince) with step control, Simpson's
and the trapezoid rule (loops and ``np.trapezoid``), natural cubic splines by a tridiagonal
solve and ``np.interp``, power iteration with a Rayleigh quotient, conjugate gradients,
Gauss-Seidel and Jacobi sweeps, Horner's rule, Romberg integration, golden-section search,
fixed-point iteration and Richardson extrapolation.

Small user functions -> `CASES`; scalar-valued, second order where ``extra="hvp"`` (the bisection's
root and the golden section's minimizer are piecewise constant in the inputs: two Newton steps
after each give the smooth root's first and second derivatives)."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(18600044)
XN = np.round(R.standard_normal(48) * 0.2, 3)
A_SPD = np.array([[4.0, 1.0, 0.5, 0.0], [1.0, 3.0, 0.2, 0.1], [0.5, 0.2, 2.5, 0.3],
                  [0.0, 0.1, 0.3, 2.0]])  # fmt: skip
KNOTS = np.linspace(0.0, 2.0, 6)


def nr_newton_sqrt(x):
    """Newton on t^2 - a = 0 to a tolerance: the root's derivative in `a` is 1/(2 sqrt a)."""
    a = 2.0 + x[0]
    t = a
    it = 0
    while abs(t * t - a) > 1e-12 and it < 50:
        t = t - (t * t - a) / (2 * t)
        it += 1
    return t + 0.0 * it


def nr_newton_kepler(x):
    """Kepler's equation E - e sin E = M by Newton, vectorized over several mean anomalies."""
    e = 0.3 + 0.1 * x[0]
    m = np.array([0.5, 1.0, 2.0]) + 0.1 * x[1:4]
    ecc = m.copy()
    for _ in range(30):
        f = ecc - e * np.sin(ecc) - m
        step = f / (1 - e * np.cos(ecc))
        ecc = ecc - step
        if np.max(np.abs(step)) < 1e-13:
            break
    return np.sum(np.sin(ecc)) + np.sum(ecc**2)


def nr_bisection(x):
    """Bisection for the root of t^3 + p t - q: the root moves with p, q (the bracket does not)."""
    p, q = 1.0 + 0.1 * x[0], 0.5 + 0.1 * x[1]
    lo, hi = 0.0, 2.0
    while hi - lo > 1e-13:
        mid = 0.5 * (lo + hi)
        if mid**3 + p * mid - q > 0:
            hi = mid
        else:
            lo = mid
    r = 0.5 * (lo + hi)
    # Newton steps restore the root's dependence on p and q lost by the comparisons (two: the
    # second derivative too, the Newton map's own derivative in r being 0 at the root)
    for _ in range(2):
        r = r - (r**3 + p * r - q) / (3 * r**2 + p)
    return r


def nr_secant(x):
    c = 1.0 + 0.1 * x[0]
    t0, t1 = 0.5, 1.0
    f0 = math.cos(t0) - c * t0
    for _ in range(40):
        f1 = math.cos(t1) - c * t1
        if abs(f1) < 1e-14 or f1 == f0:
            break
        t0, t1, f0 = t1, t1 - f1 * (t1 - t0) / (f1 - f0), f1
    return t1**2


_DP_C = [0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0]
_DP_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_DP_B5 = [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0]
_DP_B4 = [5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]


def _rk45(f, y0, t_end, tol):
    t, y, h = 0.0, y0, 0.1
    while t < t_end:
        h = min(h, t_end - t)
        ks = []
        for i in range(7):
            yi = y
            for j, a in enumerate(_DP_A[i]):
                yi = yi + h * a * ks[j]
            ks.append(f(t + _DP_C[i] * h, yi))
        y5 = y + h * sum(b * k for b, k in zip(_DP_B5, ks))
        y4 = y + h * sum(b * k for b, k in zip(_DP_B4, ks))
        err = np.max(np.abs(y5 - y4))
        if err <= tol:
            t, y = t + h, y5
        h = h * min(5.0, max(0.2, 0.9 * (tol / max(err, 1e-16)) ** 0.2))
    return y


def nr_rk45_adaptive(x):
    k = 1.0 + 0.1 * x[0]
    y0 = np.array([1.0 + 0.1 * x[1], 0.1 * x[2]])

    def rhs(t, y):
        return np.array([y[1], -k * y[0] - 0.1 * y[1] + 0.2 * np.sin(t)])

    y = _rk45(rhs, y0, 1.5, 1e-9)
    return y[0] ** 2 + y[1]


def nr_simpson_loop(x):
    a, w = 0.5 + 0.1 * x[0], 1.0 + 0.1 * x[1]
    n = 20
    h = 2.0 / n
    s = math.exp(-a * 0.0) + math.exp(-a * 2.0) * math.cos(w * 2.0)
    for i in range(1, n):
        t = i * h
        s += (4 if i % 2 else 2) * math.exp(-a * t) * math.cos(w * t)
    return s * h / 3


def nr_trapezoid(x):
    t = np.linspace(0.0, 1.0, 21)
    f = np.exp(-(1.0 + 0.1 * x[0]) * t**2) * (1 + x[1] * t)
    manual = np.sum((f[1:] + f[:-1]) * np.diff(t)) / 2
    return manual + np.trapezoid(f**2, t) + np.trapezoid(f, dx=0.05)


def nr_romberg(x):
    c = 1.0 + 0.2 * x[0]

    def g(t):
        return 1.0 / (1.0 + c * t * t)

    r = [[0.5 * (g(0.0) + g(1.0))]]
    for k in range(1, 5):
        n = 2**k
        h = 1.0 / n
        mid = sum(g((2 * i - 1) * h) for i in range(1, n // 2 + 1))
        row = [0.5 * r[k - 1][0] + h * mid]
        for j in range(1, k + 1):
            row.append(row[j - 1] + (row[j - 1] - r[k - 1][j - 1]) / (4**j - 1))
        r.append(row)
    return r[-1][-1]


def _natural_spline_second_derivs(xs, ys):
    n = len(xs)
    h = np.diff(xs)
    a = np.zeros((n, n))
    rhs = np.zeros(n)
    a[0, 0] = a[-1, -1] = 1.0
    for i in range(1, n - 1):
        a[i, i - 1] = h[i - 1]
        a[i, i] = 2 * (h[i - 1] + h[i])
        a[i, i + 1] = h[i]
        rhs[i] = 6 * ((ys[i + 1] - ys[i]) / h[i] - (ys[i] - ys[i - 1]) / h[i - 1])
    return np.linalg.solve(a, rhs)


def _spline_eval(xs, ys, m, t):
    i = min(max(int(np.searchsorted(xs, t)) - 1, 0), len(xs) - 2)
    h = xs[i + 1] - xs[i]
    u, v = xs[i + 1] - t, t - xs[i]
    return (
        m[i] * u**3 / (6 * h) + m[i + 1] * v**3 / (6 * h)
        + (ys[i] / h - m[i] * h / 6) * u + (ys[i + 1] / h - m[i + 1] * h / 6) * v
    )  # fmt: skip


def nr_cubic_spline(x):
    ys = np.sin(KNOTS) + 0.1 * x[:6]
    m = _natural_spline_second_derivs(KNOTS, ys)
    return sum(_spline_eval(KNOTS, ys, m, t) ** 2 for t in (0.15, 0.7, 1.25, 1.9))


def nr_interp(x):
    ys = np.cos(KNOTS) + 0.1 * x[:6]
    q = np.array([0.1, 0.55, 1.3, 1.75]) + 0.02 * x[6:10]
    return np.sum(np.interp(q, KNOTS, ys) ** 2) + np.interp(0.9, KNOTS, ys * ys)


def nr_power_iteration(x):
    a = A_SPD + 0.1 * np.diag(x[:4])
    v = np.ones(4) / 2
    lam = 0.0
    for _ in range(200):
        w = a @ v
        v_new = w / np.linalg.norm(w)
        lam_new = v_new @ a @ v_new
        if abs(lam_new - lam) < 1e-14:
            break
        v, lam = v_new, lam_new
    return lam_new


def nr_conjugate_gradient(x):
    a = A_SPD + 0.1 * np.diag(x[:4])
    b = np.array([1.0, 2.0, 0.5, -1.0]) + 0.1 * x[4:8]
    sol = np.zeros(4)
    r = b - a @ sol
    p = r.copy()
    rs = r @ r
    for _ in range(10):
        ap = a @ p
        alpha = rs / (p @ ap)
        sol = sol + alpha * p
        r = r - alpha * ap
        rs_new = r @ r
        if math.sqrt(rs_new) < 1e-12:
            break
        p = r + (rs_new / rs) * p
        rs = rs_new
    return np.sum(sol**2) + sol[0]


def nr_gauss_seidel(x):
    a = A_SPD + 0.1 * np.diag(x[:4])
    b = np.array([1.0, 2.0, 0.5, -1.0]) + 0.1 * x[4:8]
    sol = np.zeros(4)
    for _ in range(40):
        for i in range(4):
            s = b[i] - a[i, :i] @ sol[:i] - a[i, i + 1 :] @ sol[i + 1 :]
            sol[i] = s / a[i, i]
    return np.sum(sol**2)


def nr_jacobi(x):
    a = A_SPD + 0.1 * np.diag(x[:4])
    b = np.array([1.0, 2.0, 0.5, -1.0]) + 0.1 * x[4:8]
    d = np.diag(a)
    off = a - np.diagflat(d)
    sol = np.zeros_like(b)
    for _ in range(60):
        sol = (b - off @ sol) / d
    return sol @ sol


def nr_horner(x):
    coeffs = [1.0, -0.5 + x[0], 0.25, 0.1 * x[1], -0.05]
    total = 0.0
    for t in (0.3, 0.9, -0.4):
        p = 0.0
        for c in reversed(coeffs):
            p = p * t + c
        total += p * p
    return total + np.polyval(np.array(coeffs[::-1]), 0.5 + 0.1 * x[2])


def nr_golden_section(x):
    """The minimizer of (t - c)^2 + s t^4 by golden section polished by two Newton steps on
    f'(t) = 0 (the comparisons lose the minimizer's dependence on c and s), then its value."""
    c, s = 0.7 + 0.1 * x[0], 0.3 + 0.05 * x[1]

    def f(t):
        return (t - c) ** 2 + s * t**4

    gr = (math.sqrt(5) - 1) / 2
    lo, hi = -1.0, 2.0
    while hi - lo > 1e-10:
        m1, m2 = hi - gr * (hi - lo), lo + gr * (hi - lo)
        if f(m1) < f(m2):
            hi = m2
        else:
            lo = m1
    t = 0.5 * (lo + hi)
    for _ in range(2):
        t = t - (2 * (t - c) + 4 * s * t**3) / (2 + 12 * s * t**2)
    return f(t)


def nr_fixed_point(x):
    """t = cos(a t) by iteration to a tolerance."""
    a = 0.8 + 0.1 * x[0]
    t, prev = 0.5, 0.0
    while abs(t - prev) > 1e-14:
        prev, t = t, math.cos(a * t)
    return t


def nr_richardson(x):
    c = 1.0 + 0.1 * x[0]

    def f(t):
        return math.exp(c * t) * math.sin(t)

    def central(h):
        return (f(0.5 + h) - f(0.5 - h)) / (2 * h)

    h = 0.1
    d1, d2 = central(h), central(h / 2)
    return (4 * d2 - d1) / 3


def _hvp(fn, x=XN, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(nr_newton_sqrt),
    _hvp(nr_newton_kepler),
    _hvp(nr_bisection),
    _hvp(nr_secant),
    _hvp(nr_rk45_adaptive),
    _hvp(nr_simpson_loop),
    _hvp(nr_trapezoid),
    _hvp(nr_romberg),
    _hvp(nr_cubic_spline),
    _hvp(nr_interp),
    _hvp(nr_power_iteration),
    _hvp(nr_conjugate_gradient),
    _hvp(nr_gauss_seidel),
    _hvp(nr_jacobi),
    _hvp(nr_horner),
    _hvp(nr_golden_section),
    _hvp(nr_fixed_point),
    _hvp(nr_richardson),
]
