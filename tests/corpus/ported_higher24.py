"""Ported cases (session 24, higher24): user code that takes second derivatives or calls srcad
inside the differentiated function: Newton's method with srcad.grad/srcad.hessian in the loop,
Gauss-Newton with srcad.jacfwd of residuals, a Laplace approximation (log-det and Cholesky of a
Hessian), meta-learning (one and two inner gradient steps), a gradient-norm penalty, an hvp
inside, the log-det of a flow's Jacobian, leapfrog through a Hamiltonian's gradients; and plain
programs checked at second order: a fixed point by iteration, Newton in while/for loops, writes
``y[i] = v``, early returns, np.where/abs/max/min/clip away from their kinks, linalg (solve,
inv, det, eigh, svd, cholesky, norms including 2 and 'nuc'), scipy.special, CG, a GP marginal
likelihood, pairwise distances with ``np.eye`` masks under a root, MDS stress.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar, all checked at
second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.special as sp

import srcad

from . import Case

R = np.random.default_rng(3)
XD = R.standard_normal((8, 3))
YD = XD @ np.array([0.5, -1.0, 2.0]) + 0.1 * R.standard_normal(8)
LAB = (R.random(8) > 0.5).astype(float)


def logistic_loss(w):
    z = XD @ w
    return np.sum(np.logaddexp(0.0, z) - LAB * z) + 0.05 * np.dot(w, w)


def newton_steps(theta):
    # user runs Newton on an inner loss; the outer is differentiable in theta
    w = np.zeros(3) + 0.1 * theta
    for _ in range(3):
        g = srcad.grad(logistic_loss)(w)
        H = srcad.hessian(logistic_loss)(w)
        w = w - np.linalg.solve(H, g)
    return np.sum(w**2) * theta[0] + logistic_loss(w)


def meta_step(w):
    def inner(v):
        return np.sum((XD[:4] @ v - YD[:4]) ** 2)

    def outer(v):
        return np.sum((XD[4:] @ v - YD[4:]) ** 2)

    return outer(w - 0.01 * srcad.grad(inner)(w))


def meta_two(w):
    def inner(v):
        return np.sum(np.tanh(XD[:4] @ v) - YD[:4] * (XD[:4] @ v) * 0.1) + 0.5 * np.sum(v**4)

    v = w
    for _ in range(2):
        v = v - 0.05 * srcad.grad(inner)(v)
    return np.sum(np.sin(XD[4:] @ v) ** 2)


def residuals(p):
    t = np.linspace(0.0, 1.0, 6)
    return p[0] * np.exp(-p[1] * t) + p[2] - np.cos(t)


def gauss_newton(p0):
    p = p0
    for _ in range(3):
        J = srcad.jacfwd(residuals)(p)
        r = residuals(p)
        p = p - np.linalg.solve(J.T @ J + 1e-3 * np.eye(3), J.T @ r)
    return np.sum(residuals(p) ** 2) + np.sum(p**2)


def neg_log_post(w):
    return np.sum(np.logaddexp(0.0, XD @ w) - LAB * (XD @ w)) + 0.5 * np.sum(w**2)


def laplace_logdet(w):
    H = srcad.hessian(neg_log_post)(w)
    sign, ld = np.linalg.slogdet(H)
    return neg_log_post(w) + 0.5 * ld


def laplace_chol(w):
    H = srcad.hessian(neg_log_post)(w)
    L = np.linalg.cholesky(H)
    return neg_log_post(w) + np.sum(np.log(np.diag(L)))


def fisher_trace(w):
    p = sp.expit(XD @ w)
    F = (XD * (p * (1 - p))[:, None]).T @ XD
    return np.trace(np.linalg.inv(F + np.eye(3)))


def hamiltonian(q, p):
    return 0.5 * np.sum(p**2) + np.sum(1 - np.cos(q)) + 0.1 * q[0] * q[1]


def trajectory_loss(q0):
    q = q0
    p = np.zeros_like(q0)
    dt = 0.1
    for _ in range(5):
        p = p - 0.5 * dt * srcad.grad(hamiltonian, 0)(q, p)
        q = q + dt * srcad.grad(hamiltonian, 1)(q, p)
        p = p - 0.5 * dt * srcad.grad(hamiltonian, 0)(q, p)
    return np.sum((q - np.array([0.3, -0.2])) ** 2) + hamiltonian(q, p)


def implicit_fixed_point(a):
    # x = tanh(A x + a): solve by iteration, derivative by hand via implicit function theorem
    A = np.array([[0.2, -0.1], [0.3, 0.1]])
    x = np.zeros(2)
    for _ in range(40):
        x = np.tanh(A @ x + a)
    return np.sum(x**2 * a)


def while_newton_sqrt(c):
    x = c
    k = 0
    while k < 20:
        x = 0.5 * (x + c / x)
        k += 1
    return x**3


def newton_cubic_root(p):
    x = 1.0
    for _ in range(30):
        fx = x**3 + p[0] * x - p[1]
        x = x - fx / (3 * x**2 + p[0])
    return x * p[0] + x**2


def setitem_loop(x):
    y = np.zeros(4)
    for i in range(4):
        y[i] = x[i] * x[(i + 1) % 4]
    y[2] = np.sin(x[0])
    return np.sum(y**2) + y[1] * y[3]


def early_return(x):
    s = np.sum(x**2)
    if s > 10.0:
        return np.sqrt(s)
    for i in range(len(x)):
        if x[i] > 0.9:
            return s * x[i]
    return s**1.5 + np.prod(x)


def where_kinks(x):
    y = np.where(x > 0, x**3, np.sin(x) * x)
    return np.sum(y) + np.sum(np.abs(x) ** 2.5) + np.max(x) ** 2 - np.min(x * x[0])


def abs_max_min(x):
    return (
        abs(x[0] - x[1]) * max(x[2], x[0]) + min(x[1] ** 2, x[2] ** 3) + np.linalg.norm(x, 1) ** 2
    )


def linalg_mix(a):
    A = a.reshape(3, 3) + 3 * np.eye(3)
    S = A @ A.T
    b = np.array([1.0, -2.0, 0.5])
    w, V = np.linalg.eigh(S)
    return (
        np.sum(np.linalg.solve(A, b) ** 2)
        + np.sum(np.linalg.inv(S))
        + np.log(np.linalg.det(S))
        + np.sum(w**2 * np.log(w))
        + np.sum(V[:, 0] ** 4)
        + np.sum(np.linalg.cholesky(S))
        + np.linalg.norm(A) ** 3
    )


def svd_loss(a):
    A = a.reshape(4, 3)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return np.sum(s**3) + np.sum(U[:, 0] ** 4) + np.sum(Vt[0] ** 4) + np.sum(np.log(s))


def spectral_norms(a):
    A = a.reshape(3, 3)
    return (
        np.linalg.norm(A, "fro") ** 2
        + np.linalg.norm(A, 1)
        + np.linalg.norm(A, np.inf) ** 2
        + np.linalg.norm(A, -1)
    )


def special_second(x):
    return (
        np.sum(sp.gammaln(x + 2.0))
        + np.sum(sp.digamma(x + 1.5) * x)
        + np.sum(sp.erf(x) * sp.erfc(x / 2))
        + np.sum(sp.expit(x) * sp.log_expit(x))
        + sp.logsumexp(x * 2)
        + np.sum(sp.xlogy(x + 2, x + 3))
        + np.sum(sp.i0(x))
        + np.sum(sp.softmax(x) * x)
        + np.sum(sp.ndtr(x))
        + np.sum(sp.log_ndtr(x))
    )


def special_more(x):
    y = x + 2.0
    return (
        np.sum(sp.betaln(y, y[::-1]))
        + np.sum(sp.polygamma(1, y))
        + np.sum(sp.erfinv(x / 3))
        + np.sum(sp.gamma(y))
        + np.sum(sp.entr(y))
        + np.sum(sp.kl_div(y, y[::-1]))
        + np.sum(sp.rel_entr(y, 1.5))
        + np.sum(sp.logit(sp.expit(x)))
        + np.sum(sp.ndtri(sp.ndtr(x / 2)))
    )


def cg_solve(b):
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])
    x = np.zeros(3)
    r = b - A @ x
    p = r.copy()
    rs = r @ r
    for _ in range(3):
        Ap = A @ p
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        p = r + rs_new / rs * p
        rs = rs_new
    return np.sum(x**2 * b)


def gp_marginal(logp):
    ell, sf, sn = np.exp(logp)
    X = np.linspace(0, 1, 5)
    y = np.sin(3 * X)
    D = (X[:, None] - X[None, :]) ** 2
    K = sf**2 * np.exp(-0.5 * D / ell**2) + sn**2 * np.eye(5)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))


def pairwise_dist(x):
    P = x.reshape(4, 2)
    d2 = np.sum((P[:, None, :] - P[None, :, :]) ** 2, -1)
    d = np.sqrt(np.maximum(d2, 1e-12) * (1 - np.eye(4)) + np.eye(4))
    return np.sum(1.0 / d) + np.sum(d**2)


def sqrt_diag_eye(a):
    A = a.reshape(3, 2)
    return np.sum(np.sqrt(np.maximum(A @ A.T, 1e-3) * np.eye(3)))


def stress_mds(x):
    P = x.reshape(4, 2)
    T = np.array([[0, 1, 1.4, 1], [1, 0, 1, 1.4], [1.4, 1, 0, 1], [1, 1.4, 1, 0.0]])
    s = 0.0
    for i in range(4):
        for j in range(i + 1, 4):
            d = np.linalg.norm(P[i] - P[j])
            s += (d - T[i, j]) ** 2
    return s


def softmax_xent(W):
    W = W.reshape(3, 2)
    z = XD @ W
    z = z - np.max(z, axis=1, keepdims=True)
    lp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.sum(lp[np.arange(8), (LAB > 0).astype(int)])


def grad_norm_penalty(w):
    g = srcad.grad(logistic_loss)(w)
    return logistic_loss(w) + 0.5 * np.sum(g**2)


def hvp_inside(w):
    v = np.array([1.0, 0.5, -0.3])
    _, hv = srcad.hvp(logistic_loss, (w,), (v,))
    return np.sum(hv**2)


def jacobian_logdet(x):
    def flow(z):
        return z + 0.3 * np.tanh(np.array([[1.0, 0.5], [-0.2, 0.8]]) @ z)

    J = srcad.jacfwd(flow)(x)
    return np.linalg.slogdet(J)[1] + 0.5 * np.sum(flow(x) ** 2)


def jacrev_frob(x):
    def field(z):
        return np.array([z[0] * z[1], np.sin(z[0]) + z[1] ** 2, np.exp(0.3 * z[0])])

    J = srcad.jacrev(field)(x)
    return np.sum(J**2)


def constant_assign(x):
    y = x * 2.0
    c = 0.0
    for _ in range(3):
        c = 1.0
        y = y * c + x
    z = np.zeros(3)
    z[:] = 0.5
    z[1] = x[1]
    return np.sum(y**2) + np.sum(np.sqrt(z**2 + x**2))


def energy_dist(x):
    P = x.reshape(3, 2)
    e = 0.0
    for i in range(3):
        for j in range(3):
            if i != j:
                r = np.sqrt(np.sum((P[i] - P[j]) ** 2))
                e = e + 1.0 / r
    return e


def lbfgs_like(x0):
    x = x0
    for _ in range(4):
        g = srcad.grad(lambda z: np.sum(z**4) + np.sum(z**2) - z[0] * z[1])(x)
        x = x - 0.1 * g / (1 + np.linalg.norm(g))
    return np.sum(x**2)


def huber_loss(w):
    r = XD @ w - YD
    a = np.abs(r)
    return np.sum(np.where(a < 1.0, 0.5 * r**2, a - 0.5))


def kink_logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m))) + np.sum(np.clip(x, -0.5, 0.5) ** 2)


def spectral_step(a):
    X = a.reshape(3, 2)
    L = np.linalg.norm(X, 2) ** 2
    w = np.zeros(2)
    for _ in range(4):
        w = w - X.T @ (X @ w - np.array([1.0, -1.0, 0.5])) / L
    return np.sum(w**2) + np.linalg.norm(X, -2)


def nuclear_reg(a):
    W = a.reshape(2, 3)
    return 0.5 * np.sum((W - 1.0) ** 2) + 0.3 * np.linalg.norm(W, "nuc")


CASES = [
    Case(newton_steps, (np.array([1.0, 0.5, -0.5]),), (0,), extra="hvp"),
    Case(meta_step, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(meta_two, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(gauss_newton, (np.array([1.0, 1.5, 0.2]),), (0,), extra="hvp"),
    Case(laplace_logdet, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(laplace_chol, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(fisher_trace, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(trajectory_loss, (np.array([0.5, 0.2]),), (0,), extra="hvp"),
    Case(implicit_fixed_point, (np.array([0.5, -0.3]),), (0,), extra="hvp"),
    Case(while_newton_sqrt, (2.3,), (0,), extra="hvp"),
    Case(newton_cubic_root, (np.array([1.5, 2.0]),), (0,), extra="hvp"),
    Case(setitem_loop, (np.array([0.5, -0.3, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(early_return, (np.array([0.5, -0.3, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(
        early_return,
        (np.array([0.5, -0.3, 0.95, 0.2]),),
        (0,),
        extra="hvp",
        name="ported_higher24.early_return2",
    ),
    Case(where_kinks, (np.array([0.5, -0.3, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(abs_max_min, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
    Case(linalg_mix, (R.standard_normal(9) * 0.3,), (0,), extra="hvp"),
    Case(svd_loss, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(spectral_norms, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(special_second, (np.array([0.5, -0.3, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(special_more, (np.array([0.5, -0.3, 0.8, 0.2]),), (0,), extra="hvp"),
    Case(cg_solve, (np.array([1.0, -0.5, 0.3]),), (0,), extra="hvp"),
    Case(gp_marginal, (np.array([-0.5, 0.1, -1.0]),), (0,), extra="hvp"),
    Case(pairwise_dist, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(sqrt_diag_eye, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(stress_mds, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(softmax_xent, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(grad_norm_penalty, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(hvp_inside, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(jacobian_logdet, (np.array([0.3, -0.2]),), (0,), extra="hvp"),
    Case(jacrev_frob, (np.array([0.3, -0.2]),), (0,), extra="hvp"),
    Case(constant_assign, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(energy_dist, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(lbfgs_like, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(huber_loss, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(kink_logsumexp, (np.array([0.3, -0.2, 0.45, 0.9]),), (0,), extra="hvp"),
    Case(spectral_step, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(nuclear_reg, (R.standard_normal(6),), (0,), extra="hvp"),
]
