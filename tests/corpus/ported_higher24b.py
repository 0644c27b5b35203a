"""Ported cases (session 24, higher24, second batch): srcad called inside user code at second
order and beyond: Newton in a while loop with srcad.grad and a break, srcad.value_and_grad,
srcad.hessian and srcad.hvp inside, a Laplace approximation whose mode comes from an inner Newton
loop of srcad.hessian/srcad.grad, gradients collected in a list, srcad.jacfwd of a function
writing ``out[i] = ..``; MAML-style ``inner(w - lr * srcad.grad(inner)(w))`` through writes,
np.where, scipy.special, eigh/det, a while loop and the spectral norm (a third derivative);
and plain second order: eigvalsh, pinv, qr, matrix_power, lstsq, scipy.linalg expm /
solve_triangular / cho_solve, gammainc, log_softmax, logsumexp with b, zeta in q, erfcx, Bessel,
complex arithmetic, rfft/irfft, max/inf/3-norms, cumsum/cumprod, sort, interp, polyval, a full
SVD of a square matrix; pairwise distances under a root masked by ``1 - np.eye(n)`` (inline, in a
loop, from a helper ``offdiag(3)``), ``np.eye(n, dtype=bool)``, ``np.tri(n, k=-1)``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar, all checked at
second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
import scipy.special as sp

import srcad

from . import Case

R = np.random.default_rng(11)
A0 = R.standard_normal((3, 3))


def newton_while(c):
    f = lambda z: z**3 - c[0] * z - c[1]
    z = 2.0
    it = 0
    while it < 50:
        g = srcad.grad(f)(z)
        step = f(z) / g
        z = z - step
        if abs(step) < 1e-13:
            break
        it += 1
    return z**2 + c[0] * z


def vag_inside(w):
    val, g = srcad.value_and_grad(lambda v: np.sum(np.sin(v) * v**2))(w)
    return val * np.sum(g**2)


def hess_trace_inside(w):
    H = srcad.hessian(lambda v: np.sum(np.exp(v * w[0])) + v[0] * v[1] ** 2)(w)
    return np.trace(H) + np.sum(H**2)


def jac_inplace(x):
    def field(z):
        out = np.zeros(3)
        out[0] = z[0] * z[1]
        out[1] = np.sin(z[2])
        out[2] = z[0] ** 2 - z[2]
        return out

    J = srcad.jacfwd(field)(x)
    return np.linalg.det(J + 2 * np.eye(3))


def eig_things(a):
    A = a.reshape(3, 3)
    S = A + A.T + 6 * np.eye(3)
    return (
        np.sum(np.linalg.eigvalsh(S) ** 3)
        + np.sum(np.linalg.pinv(A + 3 * np.eye(3)))
        + np.sum(np.linalg.qr(A + 3 * np.eye(3))[1] ** 2)
        + np.sum(np.linalg.matrix_power(A, 3))
        + np.sum(np.linalg.lstsq(A + 3 * np.eye(3), np.ones(3), rcond=None)[0] ** 2)
    )


def expm_loss(a):
    A = a.reshape(3, 3) * 0.3
    return np.sum(sla.expm(A)) + np.sum(
        sla.solve_triangular(np.triu(A) + 2 * np.eye(3), np.ones(3))
    )


def special3(x):
    y = np.abs(x) + 0.5
    return (
        np.sum(sp.gammainc(2.0, y))
        + np.sum(sp.log_softmax(x))
        + sp.logsumexp(x, b=np.array([1.0, 2.0, 0.5]))
        + np.sum(sp.zeta(2.5, y))
        + np.sum(sp.expm1(x) * sp.log1p(y))
        + np.sum(sp.sinc(x))
        + np.sum(sp.erfcx(y))
        + np.sum(sp.j0(x) + sp.y0(y))
    )


def cholesky_solve_loop(x):
    A = np.outer(x, x) + np.diag([2.0, 3.0, 4.0])
    L = np.linalg.cholesky(A)
    b = np.array([1.0, 2.0, 3.0])
    for _ in range(2):
        b = sla.cho_solve((L, True), b)
    return np.sum(b * x) + np.sum(np.log(np.diag(L)))


def laplace_inner_newton(theta):
    def nlp(w):
        return np.sum(np.logaddexp(0.0, -w * theta[0])) + 0.5 * np.sum(w**2) * theta[1]

    w = np.zeros(2)
    for _ in range(5):
        w = w - np.linalg.solve(srcad.hessian(nlp)(w), srcad.grad(nlp)(w))
    H = srcad.hessian(nlp)(w)
    return nlp(w) + 0.5 * np.linalg.slogdet(H)[1]


def list_accum_grad(w):
    gs = []
    for k in range(3):
        gs.append(srcad.grad(lambda v: np.sum(np.cos(v * (k + 1))))(w))  # noqa: B023
    return np.sum(np.array(gs) ** 2)


def early_break(x):
    s = 0.0
    for i in range(10):
        s = s + np.exp(-i * x[0]) * x[1]
        if i * x[0] > 2.0:
            break
    return s**2 + x[0] * x[1] ** 3


def piecewise_max(x):
    return max(x[0] * x[1], x[1] ** 2) + min(np.sin(x[0]), 0.3) + abs(x[0] - 2 * x[1]) ** 3


def int_pow_branches(x):
    r = 0.0
    for p in range(1, 5):
        if p % 2:
            r = r + x[0] ** p / math.factorial(p)
        else:
            r = r - np.cos(x[1]) ** p
    return r * x[0]


def norm_fro_axes(x):
    T = x.reshape(2, 2, 2)
    return np.sum(np.linalg.norm(T, axis=(1, 2)) ** 2.5) + np.linalg.norm(T[0], 2) * np.linalg.norm(
        T[1], "nuc"
    )


def full_svd_sq(a):
    U, s, Vt = np.linalg.svd(a.reshape(3, 3))
    return np.sum(s**2 * np.arange(1.0, 4.0)) + np.sum(U[:, 0] ** 4) + np.sum(Vt[0] ** 4)


def hvp_outer(w):
    f = lambda v: np.sum(v**4) + v[0] * v[1] * v[2]
    _, hv = srcad.hvp(f, (w,), (w,))
    return np.dot(hv, w)


XD = np.random.default_rng(2).standard_normal((5, 2))


def meta_setitem(w):
    def inner(v):
        out = np.zeros(2)
        for i in range(2):
            out[i] = np.sum(np.tanh(XD[:, i] * v[i]))
        return np.sum(out**2)

    return np.sum(np.sin(w - 0.1 * srcad.grad(inner)(w)) ** 2)


def meta_norm2(a):
    def inner(b):
        return np.linalg.norm(b.reshape(2, 3), 2) ** 2 + np.sum(b**4)

    return inner(a - 0.05 * srcad.grad(inner)(a))


def meta_where(w):
    def inner(v):
        return np.sum(np.where(v > 0, np.sqrt(np.abs(v) + 1.0), v**2))

    return np.sum((w - 0.2 * srcad.grad(inner)(w)) ** 3)


def meta_special(w):
    def inner(v):
        return np.sum(sp.gammaln(v**2 + 1.0) + sp.expit(v) * v)

    return np.sum(np.cos(w - 0.1 * srcad.grad(inner)(w)))


def meta_eigh(a):
    def inner(b):
        B = b.reshape(2, 2)
        S = B @ B.T + np.eye(2)
        return np.sum(np.linalg.eigh(S)[0] ** 2) + np.log(np.linalg.det(S))

    return inner(a - 0.05 * srcad.grad(inner)(a))


def meta_while(w):
    def inner(v):
        s = v[0]
        k = 0
        while k < 3:
            s = s * np.cos(v[1]) + v[0] ** 2
            k += 1
        return s

    g = srcad.grad(inner)(w)
    return np.sum(g**2) + inner(w)


def complex_loss(x):
    z = x[0] + 1j * x[1]
    w = np.exp(z) * z**2 + np.conj(z) * 2.0
    return np.abs(w) ** 2 + np.real(np.log(z))


def fft_loss(x):
    F = np.fft.rfft(x)
    return np.sum(np.abs(F) ** 2 * np.arange(1.0, 4.0)) + np.sum(np.fft.irfft(F * F, n=4))


def hess_of_maxnorm(x):
    return np.max(np.abs(x)) ** 2 + np.linalg.norm(x, np.inf) * x[0] + np.linalg.norm(x, 3) ** 2


def cumsum_prod(x):
    c = np.cumsum(x * x)
    p = np.cumprod(1 + 0.1 * x)
    return np.sum(np.sqrt(c) * p) + np.prod(x) ** 2


def sort_top(x):
    s = np.sort(x)
    return np.sum(s[-2:] ** 3) + np.sum(np.sort(x**2)[:2] * np.array([1.0, 2.0]))


def interp_poly(x):
    xp = np.array([0.0, 1.0, 2.0, 3.0])
    return np.sum(np.interp(x, xp, xp**2) ** 2) + np.polyval(x, 0.7) ** 2


def offdiag(n):
    return 1.0 - np.eye(n)


def dist_helper(x):
    P = x.reshape(3, 2)
    d2 = np.sum((P[:, None] - P[None]) ** 2, -1)
    return np.sum(np.sqrt(d2 * offdiag(3)) ** 3)


def dist_loop(x):
    P = x.reshape(3, 2)
    tot = 0.0
    for k in range(2):
        d2 = np.sum((P[:, None] - P[None]) ** 2, -1) + k
        tot = tot + np.sum(np.sqrt(d2 * (1 - np.eye(3))))
    return tot


def eye_bool(x):
    P = x.reshape(3, 2)
    G = P @ P.T
    m = np.eye(3, dtype=bool)
    return np.sum(np.sqrt(np.abs(G) * m)) + np.sum(np.log1p(np.abs(G) * ~m))


def tri_lower(x):
    P = x.reshape(3, 2)
    G = (P @ P.T) ** 2
    return np.sum(np.sqrt(G * np.tri(3, k=-1))) + np.sum(G)


def eye_where(x):
    P = x.reshape(3, 2)
    d2 = np.sum((P[:, None] - P[None]) ** 2, -1)
    d = np.sqrt(d2 + np.eye(3))
    return np.sum(np.where(np.eye(3) > 0, 0.0, 1.0 / d))


CASES = [
    Case(newton_while, (np.array([1.0, 2.0]),), (0,), extra="hvp"),
    Case(vag_inside, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(hess_trace_inside, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(jac_inplace, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(eig_things, (R.standard_normal(9) * 0.5,), (0,), extra="hvp"),
    Case(expm_loss, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(special3, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(cholesky_solve_loop, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(laplace_inner_newton, (np.array([1.3, 0.7]),), (0,), extra="hvp"),
    Case(list_accum_grad, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(early_break, (np.array([0.7, 1.1]),), (0,), extra="hvp"),
    Case(piecewise_max, (np.array([0.7, 1.1]),), (0,), extra="hvp"),
    Case(int_pow_branches, (np.array([0.7, 1.1]),), (0,), extra="hvp"),
    Case(norm_fro_axes, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(full_svd_sq, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(hvp_outer, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(meta_setitem, (np.array([0.3, -0.7]),), (0,), extra="hvp"),
    Case(meta_norm2, (np.random.default_rng(5).standard_normal(6),), (0,), extra="hvp"),
    Case(meta_where, (np.array([0.3, -0.7, 1.2]),), (0,), extra="hvp"),
    Case(meta_special, (np.array([0.3, -0.7, 1.2]),), (0,), extra="hvp"),
    Case(meta_eigh, (np.array([0.3, -0.7, 1.2, 0.4]),), (0,), extra="hvp"),
    Case(meta_while, (np.array([0.3, -0.7]),), (0,), extra="hvp"),
    Case(complex_loss, (np.array([0.3, -0.7]),), (0,), extra="hvp"),
    Case(fft_loss, (np.array([0.3, -0.7, 1.2, 0.4]),), (0,), extra="hvp"),
    Case(hess_of_maxnorm, (np.array([0.3, -0.7, 1.2, 0.4]),), (0,), extra="hvp"),
    Case(cumsum_prod, (np.array([0.3, -0.7, 1.2, 0.4]),), (0,), extra="hvp"),
    Case(sort_top, (np.array([0.3, -0.7, 1.2, 0.4]),), (0,), extra="hvp"),
    Case(interp_poly, (np.array([0.3, 1.7, 1.2, 2.4]),), (0,), extra="hvp"),
    Case(dist_helper, (np.random.default_rng(4).standard_normal(6),), (0,), extra="hvp"),
    Case(dist_loop, (np.random.default_rng(4).standard_normal(6),), (0,), extra="hvp"),
    Case(eye_bool, (np.random.default_rng(4).standard_normal(6),), (0,), extra="hvp"),
    Case(tri_lower, (np.random.default_rng(4).standard_normal(6),), (0,), extra="hvp"),
    Case(eye_where, (np.random.default_rng(4).standard_normal(6),), (0,), extra="hvp"),
]
