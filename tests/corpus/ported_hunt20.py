"""Ported cases (session 20, hunt20), written anew after the numerical recipes users paste from Rosetta
Code and textbooks: Simpson, Romberg, Gauss-Legendre and adaptive (recursive) Simpson quadrature of
a parametrised integrand, Horner's rule, Newton and secant root finding with tolerances, Clenshaw's
Chebyshev sum and np.polynomial.chebyshev, a continued fraction, power iteration, Gram-Schmidt,
Cholesky by hand, LU with partial pivoting by row swaps ``A[[k, p]] = A[[p, k]]``, a natural cubic
spline (tridiagonal solve, np.searchsorted), a polynomial class with ``__call__``, a memoised
recursion; and Python/NumPy idioms: chained indexing ``B[i][j] = ...``, strided and masked writes,
np.ix_, np.copyto/putmask/fill, arrays built from lists and blocks, f-strings and asserts on
values, a function writing into its argument, a loop variable read after a break.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

A3 = np.array([[2.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 1.5]])
A4 = np.array(
    [[0.5, 2.0, 1.0, 0.3], [3.0, 1.0, -1.0, 0.2], [1.0, -2.0, 4.0, 1.0], [0.1, 0.4, 0.3, 2.0]]
)
M3 = np.random.default_rng(0).standard_normal((3, 3))


def chained_index(A):
    B = A.copy()
    for i in range(B.shape[0]):
        for j in range(B.shape[1]):
            if i != j:
                B[i][j] = B[i][j] * B[j][i]
    return np.sum(B**2)


def strided_writes(x):
    y = x.copy()
    y[::2] += y[1::2] ** 2
    y[::-1][:2] *= 3
    return np.sum(y * np.arange(len(y)))


def mask_fancy(A):
    B = A.copy()
    mask = np.array([True, False, True])
    B[mask, 1] = B[mask, 0] ** 2
    B[np.ix_([0, 2], [0, 2])] += 1.5 * B[1, 1]
    return np.sum(B * np.arange(1.0, 10.0).reshape(3, 3))


def fill_copyto(A):
    B = np.empty_like(A)
    np.copyto(B, A * 2)
    C = np.zeros_like(A)
    C.fill(A[0, 0])
    np.putmask(B, B > 0.5, A**2)
    return np.sum(B) + np.sum(C)


def build_arrays(x):
    a = np.array([x[0], 1.0, x[1] ** 2])
    b = np.array([a, a * 2])
    c = np.block([[b, b], [b * x[2], b]])
    d = np.vstack([a, a]) + np.hstack([b[:, :1], b[:, 1:]])
    e = np.stack([x[:2], x[1:3]], axis=1)
    return np.sum(c) + np.sum(d**2) + np.sum(e) + sum(x.tolist()) + x[0].item() * x[1]


def fmt_assert(x):
    s = np.sum(x**2)
    msg = f"loss={s:.3f} x0={x[0]}"
    assert s >= 0, msg
    assert np.isfinite(s)
    if np.isclose(s, 0.0):
        return 0.0
    return s * len(msg) * 0 + s


def mutate_arg(x):
    for i in range(len(x)):
        x[i] = x[i] ** 2 + (x[i - 1] if i > 0 else 0.0)
    return np.sum(x)


def loop_var_after(x):
    for i, v in enumerate(x):  # noqa: B007 (read after the loop)
        if v > 1.0:
            break
    return v * i + x[i] ** 2


def early_return_nested(x):
    for i in range(len(x)):
        for j in range(i):
            if x[i] * x[j] > 0.5:
                return x[i] * x[j] + i
    return np.sum(x)


def simpson(f, a, b, n):
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n, 2):
        s += 4 * f(a + i * h)
    for i in range(2, n - 1, 2):
        s += 2 * f(a + i * h)
    return s * h / 3


def quad_simpson(p):
    g = lambda t: math.exp(-p[0] * t * t) * math.cos(p[1] * t)
    return simpson(g, 0.0, p[2], 10)


def romberg(p):
    f = lambda t: np.exp(-p[0] * t) * np.sin(p[1] * t)
    a, b = 0.0, 2.0
    R = np.zeros((5, 5))
    h = b - a
    R[0, 0] = 0.5 * h * (f(a) + f(b))
    for i in range(1, 5):
        h /= 2
        s = 0.0
        for k in range(1, 2**i, 2):
            s += f(a + k * h)
        R[i, 0] = 0.5 * R[i - 1, 0] + h * s
        for j in range(1, i + 1):
            R[i, j] = R[i, j - 1] + (R[i, j - 1] - R[i - 1, j - 1]) / (4**j - 1)
    return R[4, 4]


def gauss_legendre(p):
    x, w = np.polynomial.legendre.leggauss(6)
    a, b = 0.0, p[2]
    t = 0.5 * (b - a) * x + 0.5 * (b + a)
    return 0.5 * (b - a) * np.sum(w * np.exp(-p[0] * t**2) * np.cos(p[1] * t))


def horner(c):
    x = 1.3
    r = 0.0
    for a in reversed(c):
        r = r * x + a
    return r


def horner_x(x):
    coeffs = [1.0, -3.0, 0.5, 2.0]
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc


def newton_root(p):
    x = 1.0
    for _ in range(50):
        fx = x**3 - p[0] * x - p[1]
        dfx = 3 * x**2 - p[0]
        step = fx / dfx
        x -= step
        if abs(step) < 1e-12:
            break
    return x


def secant_root(p):
    f = lambda x: math.cos(x) - p[0] * x
    x0, x1 = 0.0, 1.0
    while abs(x1 - x0) > 1e-13:
        x0, x1 = x1, x1 - f(x1) * (x1 - x0) / (f(x1) - f(x0))
    return x1


def cheb_series(c):
    x = 0.3
    # Clenshaw
    b1 = 0.0
    b2 = 0.0
    for k in range(len(c) - 1, 0, -1):
        b1, b2 = 2 * x * b1 - b2 + c[k], b1
    return x * b1 - b2 + c[0]


def cheb_np(c):
    return np.polynomial.chebyshev.chebval(0.3, c) + np.sum(
        np.polynomial.chebyshev.chebval(np.array([0.1, -0.5]), c) ** 2
    )


def cont_frac(x):
    # tan via Lentz-like continued fraction, fixed depth
    t = x[0]
    r = 0.0
    for k in range(12, 0, -1):
        r = t * t / ((2 * k + 1) - r)
    return t / (1 - r) + x[1] * 0


def power_iter(A):
    v = np.ones(A.shape[0])
    for _ in range(60):
        w = A @ v
        v = w / np.linalg.norm(w)
    return v @ A @ v


def gram_schmidt(A):
    n = A.shape[1]
    Q = np.zeros_like(A)
    for j in range(n):
        v = A[:, j].copy()
        for i in range(j):
            v -= (Q[:, i] @ A[:, j]) * Q[:, i]
        Q[:, j] = v / np.linalg.norm(v)
    return np.sum(Q * np.arange(1.0, A.size + 1).reshape(A.shape))


def cholesky_hand(A):
    M = A @ A.T + 3 * np.eye(A.shape[0])
    n = M.shape[0]
    L = np.zeros_like(M)
    for i in range(n):
        for j in range(i + 1):
            s = M[i, j] - np.dot(L[i, :j], L[j, :j])
            if i == j:
                L[i, j] = np.sqrt(s)
            else:
                L[i, j] = s / L[j, j]
    return np.sum(np.log(np.diag(L))) + L[2, 0]


def lu_pivot(A):
    A = A.copy()
    n = A.shape[0]
    b = np.arange(1.0, n + 1)
    perm = np.arange(n)
    for k in range(n - 1):
        p = k + np.argmax(np.abs(A[k:, k]))
        if p != k:
            A[[k, p]] = A[[p, k]]
            perm[[k, p]] = perm[[p, k]]
        for i in range(k + 1, n):
            A[i, k] /= A[k, k]
            A[i, k + 1 :] -= A[i, k] * A[k, k + 1 :]
    # solve
    y = b[perm].copy()
    for i in range(n):
        y[i] -= A[i, :i] @ y[:i]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - A[i, i + 1 :] @ x[i + 1 :]) / A[i, i]
    return np.sum(x**2)


def cubic_spline(yv):
    xs = np.linspace(0.0, 4.0, len(yv))
    n = len(xs) - 1
    h = np.diff(xs)
    # natural spline second derivatives by tridiagonal solve
    a = np.zeros(n + 1)
    b = np.ones(n + 1)
    c = np.zeros(n + 1)
    d = np.zeros(n + 1)
    for i in range(1, n):
        a[i] = h[i - 1]
        b[i] = 2 * (h[i - 1] + h[i])
        c[i] = h[i]
        d[i] = 6 * ((yv[i + 1] - yv[i]) / h[i] - (yv[i] - yv[i - 1]) / h[i - 1])
    for i in range(1, n + 1):
        m = a[i] / b[i - 1]
        b[i] = b[i] - m * c[i - 1]
        d[i] = d[i] - m * d[i - 1]
    M = np.zeros(n + 1)
    M[n] = d[n] / b[n]
    for i in range(n - 1, -1, -1):
        M[i] = (d[i] - c[i] * M[i + 1]) / b[i]
    q = np.array([0.3, 1.7, 2.2, 3.9])
    k = np.clip(np.searchsorted(xs, q) - 1, 0, n - 1)
    t0 = xs[k + 1] - q
    t1 = q - xs[k]
    hk = h[k]
    s = (
        (M[k] * t0**3 + M[k + 1] * t1**3) / (6 * hk)
        + (yv[k] / hk - M[k] * hk / 6) * t0
        + (yv[k + 1] / hk - M[k + 1] * hk / 6) * t1
    )
    return np.sum(s**2)


def adaptive_simpson(p):
    f = lambda t: math.exp(-p[0] * t) * math.sin(p[1] * t) ** 2

    def simp(a, b, fa, fm, fb):
        return (b - a) / 6 * (fa + 4 * fm + fb)

    def rec(a, b, fa, fm, fb, whole, eps, depth):
        m = (a + b) / 2
        lm, rm = (a + m) / 2, (m + b) / 2
        flm, frm = f(lm), f(rm)
        left = simp(a, m, fa, flm, fm)
        right = simp(m, b, fm, frm, fb)
        if depth <= 0 or abs(left + right - whole) <= 15 * eps:
            return left + right + (left + right - whole) / 15
        return rec(a, m, fa, flm, fm, left, eps / 2, depth - 1) + rec(
            m, b, fm, frm, fb, right, eps / 2, depth - 1
        )

    a, b = 0.0, 3.0
    fa, fb, fm = f(a), f(b), f(1.5)
    return rec(a, b, fa, fm, fb, simp(a, b, fa, fm, fb), 1e-12, 4)


class Poly:
    def __init__(self, c):
        self.c = c

    def __call__(self, t):
        r = 0.0
        for a in self.c[::-1]:
            r = r * t + a
        return r

    def deriv(self):
        return Poly([k * a for k, a in enumerate(self.c)][1:])


def poly_newton(c):
    p = Poly(c)
    dp = p.deriv()
    x = 2.0
    for _ in range(30):
        x = x - p(x) / dp(x)
    return x


def memo_fib(x):
    memo = {}

    def F(n):
        if n in memo:
            return memo[n]
        r = x[0] if n == 0 else (x[1] if n == 1 else F(n - 1) * 0.5 + F(n - 2) * x[2])
        memo[n] = r
        return r

    return F(10)


CASES = [
    Case(quad_simpson, (np.array([0.7, 1.3, 1.5]),), (0,), extra="hvp"),
    Case(romberg, (np.array([0.7, 1.3]),), (0,), extra="hvp"),
    Case(gauss_legendre, (np.array([0.7, 1.3, 1.5]),), (0,), extra="hvp"),
    Case(horner, (np.array([1.0, -0.5, 0.25, 2.0]),), (0,), extra="hvp"),
    Case(horner_x, (1.7,), (0,), extra="hvp"),
    Case(newton_root, (np.array([2.0, 5.0]),), (0,), extra="hvp"),
    Case(secant_root, (np.array([0.7]),), (0,), extra="hvp"),
    Case(cheb_series, (np.array([1.0, -0.5, 0.25, 2.0, 0.3]),), (0,), extra="hvp"),
    Case(cheb_np, (np.array([1.0, -0.5, 0.25, 2.0, 0.3]),), (0,), extra="hvp"),
    Case(cont_frac, (np.array([0.6, 0.2]),), (0,), extra="hvp"),
    Case(power_iter, (A3,), (0,), extra="hvp"),
    Case(gram_schmidt, (A4[:, :3],), (0,), extra="hvp"),
    Case(cholesky_hand, (A4,), (0,), extra="hvp"),
    Case(lu_pivot, (A4,), (0,), extra="hvp"),
    Case(cubic_spline, (np.array([0.0, 1.0, 0.5, -0.3, 0.8, 1.2]),), (0,), extra="hvp"),
    Case(adaptive_simpson, (np.array([0.3, 1.2]),), (0,), extra="hvp"),
    Case(poly_newton, (np.array([-6.0, 1.0, 1.0]),), (0,), extra="hvp"),
    Case(memo_fib, (np.array([0.3, 0.7, 1.3]),), (0,), extra="hvp"),
    Case(chained_index, (M3,), (0,), extra="hvp"),
    Case(strided_writes, (np.arange(8.0) * 0.3 - 0.5,), (0,), extra="hvp"),
    Case(mask_fancy, (M3,), (0,), extra="hvp"),
    Case(fill_copyto, (M3,), (0,), extra="hvp"),
    Case(build_arrays, (np.array([0.3, 0.7, 1.3]),), (0,), extra="hvp"),
    Case(fmt_assert, (np.array([0.3, 0.7, 1.3]),), (0,), extra="hvp"),
    Case(mutate_arg, (np.array([0.3, 0.7, 1.3]),), (0,), extra="hvp"),
    Case(loop_var_after, (np.array([0.3, 0.7, 1.3, 0.2]),), (0,), extra="hvp"),
    Case(early_return_nested, (np.array([0.3, 0.7, 1.3, 0.2]),), (0,), extra="hvp"),
]
