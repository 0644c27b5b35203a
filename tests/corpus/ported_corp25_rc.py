"""Ported cases (session 25, corp25), written anew as user code after Rosetta Code's numerical
tasks as their Python entries solve them: Runge-Kutta (y' = t sqrt(y)) and Euler's method
(Newton cooling), Horner's rule (by ``functools.reduce`` and by a reversed loop), numerical
integration (left/right/mid rectangles, trapezium, Simpson, Romberg, adaptive Simpson by
recursion, Gauss-Legendre with nodes from Newton's method on Legendre polynomials), Newton's and
the secant method in ``while`` loops, the nth root, roots of a quadratic (the cancellation-free
formula), the arithmetic-geometric mean, Taylor series to a tolerance, generalised continued
fractions, Kahan summation, the cumulative standard deviation (a closure with ``nonlocal``),
the Pythagorean means, gradient descent and the Bezier curve by de Casteljau.

Float scalars / arrays -> float scalar (checked at second order with ``extra="hvp"``) or arrays."""

from __future__ import annotations

import math
from functools import reduce

import numpy as np

from . import Case, refused_everywhere


def rk4_sqrt(y0, dt):
    def f(t, y):
        return t * math.sqrt(y)

    t, y = 0.0, y0
    ys = [y]
    while t < 2.0 - 1e-9:
        dy1 = dt * f(t, y)
        dy2 = dt * f(t + dt / 2, y + dy1 / 2)
        dy3 = dt * f(t + dt / 2, y + dy2 / 2)
        dy4 = dt * f(t + dt, y + dy3)
        t, y = t + dt, y + (dy1 + 2 * dy2 + 2 * dy3 + dy4) / 6
        ys.append(y)
    return sum(ys)


def euler_cooling(k, T0):
    temps = []
    T, t, h = T0, 0.0, 2.0
    while t <= 100.0:
        temps.append(T)
        T = T + h * (-k * (T - 20.0))
        t += h
    return np.array(temps)


def horner_reduce(coeffs, x):
    return reduce(lambda acc, c: acc * x + c, reversed(coeffs), 0.0)


def horner_loop(coeffs, x):
    acc = 0.0
    for c in coeffs[::-1]:
        acc = acc * x + c
    return acc


def _integrate(f, a, b, n, method):
    h = (b - a) / n
    if method == "left":
        return h * sum(f(a + i * h) for i in range(n))
    if method == "right":
        return h * sum(f(a + (i + 1) * h) for i in range(n))
    if method == "mid":
        return h * sum(f(a + (i + 0.5) * h) for i in range(n))
    if method == "trapezium":
        return h * (f(a) / 2 + sum(f(a + i * h) for i in range(1, n)) + f(b) / 2)
    total = f(a) + f(b)
    for i in range(1, n):
        total += (4 if i % 2 else 2) * f(a + i * h)
    return total * h / 3


def integrals(p):
    f = lambda x: x**3 * p[0] + math.exp(-p[1] * x)  # noqa: E731
    return sum(
        _integrate(f, 0.0, p[2], 10, m) for m in ("left", "right", "mid", "trapezium", "simpson")
    )


def romberg(p):
    f = lambda x: np.sin(p[0] * x) / (1 + x * x)  # noqa: E731
    a, b = 0.0, p[1]
    Rt = [[0.0] * 5 for _ in range(5)]
    h = b - a
    Rt[0][0] = 0.5 * h * (f(a) + f(b))
    for i in range(1, 5):
        h /= 2
        Rt[i][0] = 0.5 * Rt[i - 1][0] + h * sum(
            f(a + (2 * k - 1) * h) for k in range(1, 2 ** (i - 1) + 1)
        )
        for j in range(1, i + 1):
            Rt[i][j] = Rt[i][j - 1] + (Rt[i][j - 1] - Rt[i - 1][j - 1]) / (4**j - 1)
    return Rt[4][4]


def _asr(f, a, fa, b, fb, m, fm, whole, eps, depth):
    lm, rm = (a + m) / 2, (m + b) / 2
    flm, frm = f(lm), f(rm)
    left = (m - a) / 6 * (fa + 4 * flm + fm)
    right = (b - m) / 6 * (fm + 4 * frm + fb)
    if depth <= 0:
        return left + right + (left + right - whole) / 15
    return _asr(f, a, fa, m, fm, lm, flm, left, eps / 2, depth - 1) + _asr(
        f, m, fm, b, fb, rm, frm, right, eps / 2, depth - 1
    )


def adaptive_simpson(s):
    f = lambda x: math.sin(s * x)  # noqa: E731
    a, b = 0.0, 1.0
    fa, fb, m = f(a), f(b), 0.5
    fm = f(m)
    whole = (b - a) / 6 * (fa + 4 * fm + fb)
    return _asr(f, a, fa, b, fb, m, fm, whole, 1e-9, 3)


def _legendre_nodes(n):
    xs, ws = [], []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-15:
                break
        xs.append(x)
        ws.append(2 / ((1 - x * x) * dp * dp))
    return xs, ws


GL_X, GL_W = _legendre_nodes(5)


def gauss_legendre_exp(a, b):
    total = 0.0
    for x, w in zip(GL_X, GL_W):
        total += w * math.exp((b - a) / 2 * x + (a + b) / 2)
    return (b - a) / 2 * total


def newton_root(c):
    x = 1.0
    while True:
        fx = x**3 - c * x - 1.0
        step = fx / (3 * x**2 - c)
        x -= step
        if abs(step) < 1e-14:
            return x


def secant_root(c):
    f = lambda x: math.cos(x) - c * x  # noqa: E731
    x0, x1 = 0.0, 1.0
    while abs(x1 - x0) > 1e-13:
        x0, x1 = x1, x1 - f(x1) * (x1 - x0) / (f(x1) - f(x0))
    return x1


def nth_root(a, n=5):
    x = a / n
    delta = 1.0
    while abs(delta) > 1e-14 * abs(x):
        x_new = ((n - 1) * x + a / x ** (n - 1)) / n
        delta, x = x_new - x, x_new
    return x


def quadratic_roots(a, b, c):
    d = math.sqrt(b * b - 4 * a * c)
    if b >= 0:
        q = -(b + d) / 2
    else:
        q = -(b - d) / 2
    return q / a, c / q


def agm(a0, g0, tolerance=1e-14):
    an, gn = (a0 + g0) / 2.0, math.sqrt(a0 * g0)
    while abs(an - gn) > tolerance:
        an, gn = (an + gn) / 2.0, math.sqrt(an * gn)
    return an


def exp_taylor(x):
    total, term, n = 1.0, 1.0, 1
    while abs(term) > 1e-17:
        term = term * x / n
        total += term
        n += 1
    return total


def cf_tan(x):
    # Lambert: tan x = x / (1 - x^2 / (3 - x^2 / (5 - ...))), evaluated from the back
    b = lambda n: 2 * n + 1.0  # noqa: E731
    a = lambda n: -x * x  # noqa: E731
    t = b(12)
    for n in range(11, 0, -1):
        t = b(n) + a(n) / t
    return x / (1 - x * x / t)


def kahan_sum(xs):
    total, c = 0.0, 0.0
    for x in xs:
        y = x - c
        t = total + y
        c = (t - total) - y
        total = t
    return total


def _sd_accumulator():
    n, s, s2 = 0, 0.0, 0.0

    def add(x):
        nonlocal n, s, s2
        n += 1
        s += x
        s2 += x * x
        return math.sqrt(s2 / n - (s / n) ** 2)

    return add


def cumulative_sd(xs):
    acc = _sd_accumulator()
    return sum(acc(x) for x in xs[1:]) + 0.0 * acc(xs[0])


def pythagorean_means(xs):
    n = len(xs)
    am = sum(xs) / n
    gm = reduce(lambda p, x: p * x, xs, 1.0) ** (1.0 / n)
    hm = n / sum(1.0 / x for x in xs)
    return am + 2 * gm + 3 * hm


def gradient_descent(x0):
    def g(x):
        return (x[0] - 1) ** 2 * np.exp(-(x[1] ** 2)) + x[1] * (x[1] + 2) * np.exp(-2 * x[0] ** 2)

    def grad_g(x):
        e1, e2 = np.exp(-(x[1] ** 2)), np.exp(-2 * x[0] ** 2)
        return np.array(
            [
                2 * (x[0] - 1) * e1 - 4 * x[0] * e2 * x[1] * (x[1] + 2),
                -2 * (x[0] - 1) ** 2 * x[1] * e1 + e2 * (2 * x[1] + 2),
            ]
        )

    x = x0.copy()
    for _ in range(20):
        x = x - 0.1 * grad_g(x)
    return g(x)


def bezier_casteljau(pts):
    out = []
    for t in np.linspace(0.1, 0.9, 5):
        q = [p for p in pts]
        while len(q) > 1:
            q = [(1 - t) * q[i] + t * q[i + 1] for i in range(len(q) - 1)]
        out.append(q[0])
    return np.array(out)


COEF = np.array([-19.0, 7.0, -4.0, 6.0])
CASES = [
    Case(rk4_sqrt, (1.0, 0.1), (0,), extra="hvp"),
    Case(euler_cooling, (0.07, 100.0), (0, 1)),
    Case(horner_reduce, (COEF, 3.1), (0, 1), extra="hvp"),
    Case(horner_loop, (COEF, -1.3), (0, 1), extra="hvp"),
    Case(integrals, (np.array([0.5, 1.3, 2.0]),), (0,), extra="hvp"),
    Case(romberg, (np.array([1.7, 2.5]),), (0,), extra="hvp"),
    Case(adaptive_simpson, (2.3,), (0,), extra="hvp"),
    Case(gauss_legendre_exp, (-1.5, 2.0), (0, 1), extra="hvp"),
    Case(newton_root, (2.0,), (0,), extra="hvp"),
    Case(secant_root, (0.8,), (0,), extra="hvp"),
    Case(nth_root, (34.0,), (0,), extra="hvp"),
    Case(quadratic_roots, (1.0, -10.5, 2.0), (0, 1, 2)),
    Case(agm, (1.0, 1 / math.sqrt(2)), (0, 1), extra="hvp"),
    Case(exp_taylor, (1.3,), (0,), extra="hvp"),
    Case(cf_tan, (0.7,), (0,), extra="hvp"),
    Case(kahan_sum, (np.array([1.0, 1e-3, -0.5, 2.5e-4, 0.75]),), (0,)),
    Case(
        cumulative_sd,
        (np.array([2.0, 4.0, 4.5, 4.0, 5.0, 5.5, 7.0, 9.0]),),
        (0,),
        xfail=refused_everywhere(
            "a closure that updates its maker's variables (`nonlocal`) called in a generator"
            " expression: srcad keeps that state only for calls in the block that made it"
        ),
    ),
    Case(pythagorean_means, (np.arange(1.0, 11.0),), (0,), extra="hvp"),
    Case(gradient_descent, (np.array([0.1, -0.2]),), (0,), extra="hvp"),
    Case(bezier_casteljau, (np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 2.5], [4.0, 0.5]]),), (0,)),
]
