"""Ported cases (session 28, hunt28a), written anew after numerical methods as users hand-write
them, updating arrays in place in loops: the Thomas algorithm (with ``cp``/``dp`` tables and the
classic variant overwriting ``b`` and ``d``, a back substitution over ``reversed(range(...))`` and a
negative-step range), a natural cubic spline (its coefficients by a tridiagonal sweep, evaluated by
``np.searchsorted`` and ``np.clip``; differentiated in the values and in the knots), Doolittle LU by
``U[i, k:] -= L[i, k] * U[k, k:]``, Gram-Schmidt writing ``Q[:, j]``, a hand-written Cholesky with
``math.sqrt``, Jacobi eigenvalue sweeps by rotation matrices with a ``continue`` on small entries,
conjugate gradients with a tolerance ``break``, a truss stiffness matrix assembled by
``K[np.ix_(dofs, dofs)] += k`` and solved on the free degrees of freedom of a boolean mask, an
adaptive RK23 storing accepted steps in lists (strict xfail: refused, ``t += h`` with ``h`` from an
error norm of a nested function's values is not known to rebind a number), FFT smoothing by
``rfft``/``irfft``, a Lindley queue recursion with ``max(0.0, ...)``, a Laplace approximation whose
mode is found by Newton steps inside the loss.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def thomas(a, b, c, d):
    n = len(d)
    cp = np.zeros(n - 1)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        den = b[i] - a[i - 1] * cp[i - 1]
        if i < n - 1:
            cp[i] = c[i] / den
        dp[i] = (d[i] - a[i - 1] * dp[i - 1]) / den
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in reversed(range(n - 1)):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def thomas_loss(p):
    n = 5
    a = np.full(n - 1, -1.0) * p[0]
    c = np.full(n - 1, -1.0) * p[1]
    b = np.full(n, 2.0 + p[2])
    d = np.sin(np.arange(1.0, n + 1)) * p[3]
    return np.sum(thomas(a, b, c, d) ** 2)


def thomas_vec(p):
    n = 4
    return thomas(-p[:3], 3.0 + p[3:7], -p[7:10], np.ones(n))


def thomas_inplace(d):
    # the classic in-place variant overwriting b and d
    n = len(d)
    a = np.full(n, -1.0)
    b = np.full(n, 2.5)
    c = np.full(n, -1.0)
    d = d.copy()
    for i in range(1, n):
        w = a[i] / b[i - 1]
        b[i] -= w * c[i - 1]
        d[i] -= w * d[i - 1]
    x = d.copy()
    x[-1] = d[-1] / b[-1]
    for i in range(n - 2, -1, -1):
        x[i] = (d[i] - c[i] * x[i + 1]) / b[i]
    return x @ x


def cubic_spline(ys, xs, xq):
    n = len(xs)
    h = np.diff(xs)
    alpha = np.zeros(n)
    for i in range(1, n - 1):
        alpha[i] = 3 / h[i] * (ys[i + 1] - ys[i]) - 3 / h[i - 1] * (ys[i] - ys[i - 1])
    lk = np.ones(n)
    mu = np.zeros(n)
    z = np.zeros(n)
    for i in range(1, n - 1):
        lk[i] = 2 * (xs[i + 1] - xs[i - 1]) - h[i - 1] * mu[i - 1]
        mu[i] = h[i] / lk[i]
        z[i] = (alpha[i] - h[i - 1] * z[i - 1]) / lk[i]
    c = np.zeros(n)
    b = np.zeros(n - 1)
    d = np.zeros(n - 1)
    for j in range(n - 2, -1, -1):
        c[j] = z[j] - mu[j] * c[j + 1]
        b[j] = (ys[j + 1] - ys[j]) / h[j] - h[j] * (c[j + 1] + 2 * c[j]) / 3
        d[j] = (c[j + 1] - c[j]) / (3 * h[j])
    k = np.clip(np.searchsorted(xs, xq) - 1, 0, n - 2)
    t = xq - xs[k]
    return ys[k] + b[k] * t + c[k] * t**2 + d[k] * t**3


def spline_loss(ys, xs):
    xq = np.array([0.25, 0.8, 1.7, 2.2])
    return np.sum(cubic_spline(ys, xs, xq) ** 2)


def doolittle_det(A):
    n = A.shape[0]
    U = A.copy()
    L = np.eye(n)
    for k in range(n):
        for i in range(k + 1, n):
            L[i, k] = U[i, k] / U[k, k]
            U[i, k:] -= L[i, k] * U[k, k:]
    return np.prod(np.diag(U)) + np.sum(L**2)


def gram_schmidt(A):
    m, n = A.shape
    Q = np.zeros((m, n))
    R = np.zeros((n, n))
    for j in range(n):
        v = A[:, j].copy()
        for i in range(j):
            R[i, j] = Q[:, i] @ A[:, j]
            v -= R[i, j] * Q[:, i]
        R[j, j] = np.linalg.norm(v)
        Q[:, j] = v / R[j, j]
    return np.sum(np.log(np.abs(np.diag(R)))) + np.sum(Q[:, 0] * np.arange(m))


def chol_hand(p):
    A = np.outer(p, p) + 3 * np.eye(len(p))
    n = len(p)
    L = np.zeros_like(A)
    for j in range(n):
        s = A[j, j] - np.dot(L[j, :j], L[j, :j])
        L[j, j] = math.sqrt(s)
        for i in range(j + 1, n):
            L[i, j] = (A[i, j] - np.dot(L[i, :j], L[j, :j])) / L[j, j]
    return 2 * np.sum(np.log(np.diag(L))) + L[-1, 0]


def jacobi_eig(p):
    A = np.array([[2.0, p[0], p[1]], [p[0], 3.0, p[2]], [p[1], p[2], 5.0]])
    for _sweep in range(6):
        for i in range(3):
            for j in range(i + 1, 3):
                if abs(A[i, j]) < 1e-14:
                    continue
                th = 0.5 * math.atan2(2 * A[i, j], A[j, j] - A[i, i])
                c, s = math.cos(th), math.sin(th)
                J = np.eye(3)
                J[i, i] = c
                J[j, j] = c
                J[i, j] = s
                J[j, i] = -s
                A = J.T @ A @ J
    ev = np.sort(np.diag(A))
    return ev @ np.array([1.0, 2.0, 3.0])


def cg_solve(p):
    A = np.diag(np.array([4.0, 3.0, 2.0, 5.0])) + 0.1 * np.outer(p, p)
    b = np.array([1.0, -1.0, 0.5, 0.2])
    x = np.zeros(4)
    r = b - A @ x
    d = r.copy()
    rs = r @ r
    for _ in range(10):
        Ad = A @ d
        alpha = rs / (d @ Ad)
        x += alpha * d
        r -= alpha * Ad
        rs_new = r @ r
        if rs_new < 1e-20:
            break
        d = r + (rs_new / rs) * d
        rs = rs_new
    return x @ b


def truss(areas):
    nodes = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.8], [1.5, 0.8]])
    elems = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]
    K = np.zeros((8, 8))
    for e, (i, j) in enumerate(elems):
        d = nodes[j] - nodes[i]
        L = np.linalg.norm(d)
        c, s = d / L
        k = areas[e] / L * np.outer([-c, -s, c, s], [-c, -s, c, s])
        dofs = [2 * i, 2 * i + 1, 2 * j, 2 * j + 1]
        K[np.ix_(dofs, dofs)] += k
    free = np.ones(8, dtype=bool)
    free[[0, 1, 3]] = False
    F = np.zeros(8)
    F[7] = -1.0
    u = np.zeros(8)
    u[free] = np.linalg.solve(K[np.ix_(free, free)], F[free])
    return F @ u


def rk23_adaptive(y0, k):
    def f(t, y):
        return np.array([y[1], -k[0] * y[0] - k[1] * y[1] ** 3])

    t, T, h = 0.0, 1.0, 0.1
    y = np.asarray(y0, float)
    ts, ys = [t], [y]
    while t < T:
        h = min(h, T - t)
        k1 = f(t, y)
        k2 = f(t + h / 2, y + h / 2 * k1)
        k3 = f(t + 3 * h / 4, y + 3 * h / 4 * k2)
        ynew = y + h * (2 * k1 + 3 * k2 + 4 * k3) / 9
        k4 = f(t + h, ynew)
        err = h * np.linalg.norm(-5 * k1 / 72 + k2 / 12 + k3 / 9 - k4 / 8)
        if err < 1e-4:
            t += h
            y = ynew
            ts.append(t)
            ys.append(y)
        h *= min(2.0, max(0.2, 0.9 * (1e-4 / (err + 1e-16)) ** (1 / 3)))
    Y = np.array(ys)
    return np.interp(0.55, np.array(ts), Y[:, 0])


def fft_smooth(x):
    n = len(x)
    X = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(n)
    H = np.exp(-(freqs**2) / 0.02)
    y = np.fft.irfft(X * H, n)
    return np.sum(y**2) + y[1]


def lindley_queue(p):
    arrivals = np.array([0.5, 0.3, 0.9, 0.2, 0.7, 0.4])
    service = p[0] * np.array([0.6, 0.4, 0.5, 0.8, 0.3, 0.9]) + p[1]
    w = 0.0
    tot = 0.0
    for a, s in zip(arrivals, service):
        w = max(0.0, w + s - a)
        tot += w
    return tot


def laplace_logistic(p):
    X = np.array([[1.0, 0.3], [1.0, -0.8], [1.0, 1.2], [1.0, 0.1], [1.0, -0.4]])
    y = np.array([1, 0, 1, 1, 0])
    tau = math.exp(p[0])
    w = np.zeros(2)
    for _ in range(25):
        s = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (y - s) - w / tau
        Hm = -(X.T * (s * (1 - s))) @ X - np.eye(2) / tau
        step = np.linalg.solve(Hm, g)
        w = w - step
        if np.max(np.abs(step)) < 1e-13:
            break
    s = 1 / (1 + np.exp(-X @ w))
    ll = np.sum(y * np.log(s) + (1 - y) * np.log(1 - s)) - 0.5 * w @ w / tau - math.log(tau)
    Hm = (X.T * (s * (1 - s))) @ X + np.eye(2) / tau
    return ll - 0.5 * np.linalg.slogdet(Hm)[1] + p[1] * w[1]


_RK23 = (
    "`t += h` where `h *= min(2.0, max(0.2, ...))` of `err = h * np.linalg.norm(...)` of a nested "
    "function's values: `h` is not known to be a number, so `ts.append(t)` then `t += h` is taken "
    "for an update of the array `ts` holds"
)
YS = np.array([0.0, 0.8, 0.9, 0.1, -0.7])
XS = np.array([0.0, 0.5, 1.1, 2.0, 2.6])

CASES = [
    Case(thomas_loss, (np.array([0.8, 1.1, 0.3, 0.7]),), (0,), extra="hvp"),
    Case(thomas_vec, (np.linspace(0.2, 1.0, 10),), (0,)),
    Case(thomas_inplace, (np.array([0.8, 1.1, 0.3, 0.7]),), (0,), extra="hvp"),
    Case(spline_loss, (YS, XS), (0, 1), extra="hvp", jitter=0.0),
    Case(
        doolittle_det,
        (np.array([[4.0, 1.0, 0.5], [1.2, 3.0, 0.3], [0.4, 0.7, 2.0]]),),
        (0,),
        extra="hvp",
    ),
    Case(
        gram_schmidt,
        (np.array([[4.0, 1.0, 0.5], [1.2, 3.0, 0.3], [0.4, 0.7, 2.0], [0.1, 0.2, 0.3]]),),
        (0,),
        extra="hvp",
    ),
    Case(chol_hand, (np.array([0.3, -0.5, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(jacobi_eig, (np.array([0.3, -0.5, 0.8]),), (0,), extra="hvp"),
    Case(cg_solve, (np.array([0.3, -0.5, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(truss, (np.array([1.0, 0.8, 1.2, 0.9, 1.1]),), (0,), extra="hvp"),
    Case(
        rk23_adaptive,
        (np.array([1.0, 0.0]), np.array([4.0, 0.5])),
        (0, 1),
        xfail=dict.fromkeys(("primal", "fwd", "rev"), _RK23),
    ),
    Case(fft_smooth, (np.sin(np.arange(8.0)),), (0,), extra="hvp"),
    Case(lindley_queue, (np.array([1.1, 0.2]),), (0,), extra="hvp", jitter=0.0),
    Case(laplace_logistic, (np.array([0.3, 0.5]),), (0,), extra="hvp"),
]
