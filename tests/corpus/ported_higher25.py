"""Ported cases (session 25, higher25): realistic user code taken to second order and beyond:
a trust-region step and Newton-CG (srcad.hvp in a CG loop) inside the differentiated function,
natural gradient with a Fisher from srcad.jacfwd, influence functions (an HVP solve), bilevel
optimisation through unrolled inner steps with momentum, implicit-function-theorem
hypergradients, a flow's log-det from srcad.jacrev, hvp of a function that calls srcad.hvp,
third derivatives (srcad.jacfwd of srcad.hessian inside); and plain second order: loops with
``x[i] = v``, while, early return, np.where/abs/max away from kinks, slogdet, cholesky, solve,
inv, expm, eigh, svd, scipy.special (gammaln, digamma, erf, logsumexp, expit, xlogy),
``np.linalg.eigvalsh(M) @ c`` where M's eigenvalues repeat (srcad/ad/termzeros.py).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar, all checked at
second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import scipy.special as sp

import srcad

from . import Case

R = np.random.default_rng(25)
XD = R.standard_normal((10, 3))
YD = XD @ np.array([0.7, -0.4, 1.1]) + 0.2 * R.standard_normal(10)
LAB = (R.random(10) > 0.5).astype(float)
CNT = np.array([0.0, 1.0, 3.0, 2.0, 0.0, 5.0, 1.0, 2.0, 4.0, 0.0])
XV = R.standard_normal((6, 3))
YV = XV @ np.array([0.6, -0.5, 1.0]) + 0.1 * R.standard_normal(6)


def quartic(x):
    return (
        np.sum(x**4) / 12.0
        + 0.5 * x @ np.array([[2.0, 0.3, 0.0], [0.3, 1.5, 0.2], [0.0, 0.2, 1.0]]) @ x
        + np.sum(np.sin(x))
    )


def trust_region_step(x):
    # one trust-region step: Levenberg-shifted Newton step, shrunk to the radius
    g = srcad.grad(quartic)(x)
    H = srcad.hessian(quartic)(x)
    lam = max(0.0, 0.1 - np.linalg.eigvalsh(H)[0])
    p = -np.linalg.solve(H + lam * np.eye(3), g)
    n = np.linalg.norm(p)
    radius = 0.5
    if n > radius:
        p = p * (radius / n)
    return quartic(x + p) + 0.1 * np.dot(p, p)


def newton_cg(x):
    # truncated Newton: CG on H p = -g with srcad.hvp products, a fixed number of iterations
    g = srcad.grad(quartic)(x)
    p = np.zeros(3)
    r = -g
    d = r.copy()
    for _ in range(3):
        _, Hd = srcad.hvp(quartic, (x,), (d,))
        alpha = np.dot(r, r) / np.dot(d, Hd)
        p = p + alpha * d
        r_new = r - alpha * Hd
        beta = np.dot(r_new, r_new) / np.dot(r, r)
        d = r_new + beta * d
        r = r_new
    return quartic(x + 0.5 * p)


def log_probs(theta):
    z = XD @ theta
    return -np.logaddexp(0.0, -z)


def natural_gradient(theta):
    J = srcad.jacfwd(log_probs)(theta)
    p = np.exp(log_probs(theta))
    F = (J * (1 - p)[:, None]).T @ J / len(p) + 0.1 * np.eye(3)
    g = XD.T @ (sp.expit(XD @ theta) - LAB) / len(LAB)
    step = np.linalg.solve(F, g)
    t2 = theta - 0.5 * step
    return np.mean(np.logaddexp(0.0, XD @ t2) - LAB * (XD @ t2))


def train_loss(w):
    z = XD @ w
    return np.mean(np.logaddexp(0.0, z) - LAB * z) + 0.05 * np.dot(w, w)


def influence(w):
    # influence of the training point 0 on a test loss: -g_test^T H^{-1} g_0
    H = srcad.hessian(train_loss)(w)
    z0 = XD[0] @ w
    g0 = (sp.expit(z0) - LAB[0]) * XD[0]
    gt = srcad.grad(lambda v: np.sum((XV @ v - YV) ** 2) / 6.0)(w)
    return -gt @ np.linalg.solve(H, g0) + 0.1 * np.sum(w**2)


def influence_cg(w):
    # the same solve by CG with srcad.hvp (LiSSA-style, fixed steps)
    g0 = (sp.expit(XD[0] @ w) - LAB[0]) * XD[0]
    v = np.zeros(3)
    r = g0.copy()
    d = r.copy()
    for _ in range(3):
        _, Hd = srcad.hvp(train_loss, (w,), (d,))
        a = np.dot(r, r) / np.dot(d, Hd)
        v = v + a * d
        rn = r - a * Hd
        d = rn + np.dot(rn, rn) / np.dot(r, r) * d
        r = rn
    return np.dot(v, XV[0]) ** 2 + np.sum(w**2)


def inner_loss(w, lam):
    return np.sum((XD @ w - YD) ** 2) / 10.0 + lam[0] * np.sum(w**2) + lam[1] * np.sum(w**4)


def bilevel_momentum(lam):
    # hyperparameters through K unrolled heavy-ball steps, srcad.grad inside
    w = np.zeros(3)
    v = np.zeros(3)
    for _ in range(4):
        v = 0.7 * v + srcad.grad(inner_loss)(w, lam)
        w = w - 0.1 * v
    return np.sum((XV @ w - YV) ** 2)


def ridge_solution(lam):
    return np.linalg.solve(XD.T @ XD / 10.0 + lam * np.eye(3), XD.T @ YD / 10.0)


def ift_hypergrad(lam):
    # hypergradient by the implicit function theorem, its size penalised (third derivatives)
    w = ridge_solution(lam[0])

    def inner(v, lm):
        return 0.5 * np.sum((XD @ v - YD) ** 2) / 10.0 + 0.5 * lm[0] * np.sum(v**2)

    H = srcad.hessian(inner)(w, lam)
    gv = srcad.grad(lambda v: np.sum((XV @ v - YV) ** 2))(w)
    mixed = w  # d/dlam of grad_w inner = w
    hg = -gv @ np.linalg.solve(H, mixed)
    return np.sum((XV @ w - YV) ** 2) + 0.3 * hg**2 + lam[1] * hg


def flow_map(x):
    return x + 0.3 * np.tanh(np.array([[0.5, -0.2, 0.1], [0.3, 0.4, -0.3], [0.0, 0.2, 0.6]]) @ x)


def flow_logdet(x):
    J = srcad.jacrev(flow_map)(x)
    sign, ld = np.linalg.slogdet(J)
    return ld - 0.5 * np.sum(flow_map(x) ** 2)


def hvp_inside(x):
    v = np.array([0.3, -0.5, 0.8])
    _, hv = srcad.hvp(quartic, (x,), (v,))
    return np.sum(hv**2) + quartic(x)


def small(x):
    return np.sin(x[0]) * x[1] ** 2 + np.exp(0.3 * x[0] * x[1]) + x[1] ** 3 * x[0]


def third_order(x):
    # third derivatives: srcad.jacfwd of a nested function returning srcad.hessian
    def hess(v):
        return srcad.hessian(small)(v)

    T = srcad.jacfwd(hess)(x)
    return np.sum(T * np.array([[[1.0, 0.5], [0.2, -0.3]], [[0.1, 0.4], [-0.2, 0.7]]]))


def grad_norm_of_hessian(x):
    H = srcad.hessian(small)(x)
    return np.sum(H**2) + small(x)


def loops_writes(x):
    y = np.zeros(5)
    for i in range(5):
        y[i] = x[i % 3] * (i + 1) + np.sin(x[(i + 1) % 3])
    k = 0
    acc = 0.0
    while k < 5 and acc < 50.0:
        acc = acc + y[k] ** 2
        k += 1
    y[2] = acc * 0.1
    return np.sum(y**3) + acc


def early_exit(x):
    total = 0.0
    for i in range(len(x)):
        t = x[i] ** 2 + 0.5 * x[i]
        if t > 5.0:
            return total + np.sqrt(t)
        total = total + t * np.cos(x[i])
    return total**2


def piecewise(x):
    y = np.where(x > 0.1, np.log1p(x**2), -(x**3) + np.sin(x))
    m = np.maximum(x, -0.5) ** 2
    return np.sum(y) + np.sum(np.abs(x - 0.05) ** 3) + np.sum(m * x) + max(x[0], x[1]) * x[2]


def huber(x):
    r = XD @ x - YD
    d = 1.0
    return np.sum(np.where(np.abs(r) < d, 0.5 * r**2, d * (np.abs(r) - 0.5 * d)))


def spd(a):
    A = a.reshape(3, 3)
    return A @ A.T + 2.0 * np.eye(3)


def slogdet_loss(a):
    s, ld = np.linalg.slogdet(spd(a))
    s2, ld2 = np.linalg.slogdet(a.reshape(3, 3) + 3.0 * np.eye(3))
    return ld + s2 * ld2 * 0.5


def chol_solve_inv(a):
    S = spd(a)
    L = np.linalg.cholesky(S)
    b = np.array([1.0, -0.5, 2.0])
    z = np.linalg.solve(L, b)
    alpha = sla.cho_solve((L, True), b)
    return (
        np.dot(z, z) + np.sum(alpha) + np.trace(np.linalg.inv(S)) + 2.0 * np.sum(np.log(np.diag(L)))
    )


def expm_loss(a):
    A = 0.3 * a.reshape(3, 3)
    E = sla.expm(A - A.T + 0.2 * np.diag(np.diag(A)))
    return np.sum(E[0] ** 2) + np.trace(E @ E.T) * 0.1


def eigh_loss(a):
    S = spd(a) + np.diag([0.0, 1.0, 3.0])
    w, V = np.linalg.eigh(S)
    f = V @ np.diag(np.log(w)) @ V.T  # matrix logarithm
    return np.sum(f * np.array([[1.0, 0.2, 0.0], [0.2, 0.5, 0.1], [0.0, 0.1, 2.0]])) + w[-1] ** 2


def svd_nuc(a):
    A = a.reshape(4, 3) + np.eye(4, 3) * np.array([3.0, 2.0, 1.0])
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return (
        np.sum(np.log(s))
        + np.sum((U @ np.diag(s**2) @ Vt) ** 2) * 0.01
        + np.sum(U[:, 0] * Vt[0, 0])
    )


def special_mix(x):
    a = np.exp(x) + 0.5
    return (
        np.sum(sp.gammaln(a) * x)
        + np.sum(sp.digamma(a) ** 2)
        + np.sum(sp.erf(x * 0.7) * x)
        + sp.logsumexp(x * np.array([1.0, 2.0, -1.0]))
        + np.sum(sp.expit(x) * np.log1p(a))
        + np.sum(sp.xlogy(a, a + x**2))
    )


def poisson_glm(w):
    eta = XD @ w
    return np.sum(np.exp(eta) - sp.xlogy(CNT, np.exp(eta)) + sp.gammaln(CNT + 1.0)) + 0.1 * w @ w


def student_t_nll(p):
    mu, log_s, log_nu = p[0], p[1], p[2]
    s, nu = np.exp(log_s), np.exp(log_nu) + 1.0
    z = (YD - mu) / s
    ll = (sp.gammaln((nu + 1) / 2) - sp.gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - log_s
          - (nu + 1) / 2 * np.log1p(z**2 / nu))  # fmt: skip
    return -np.sum(ll)


def dirichlet_nll(la):
    alpha = np.exp(la)
    P = np.array([[0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.4, 0.4, 0.2], [0.3, 0.3, 0.4]])
    ll = (
        sp.gammaln(np.sum(alpha))
        - np.sum(sp.gammaln(alpha))
        + np.sum((alpha - 1) * np.log(P), axis=1)
    )
    return -np.sum(ll) + np.sum(sp.digamma(alpha)) * 0.1


def gaussian_kl(p):
    # KL(N(m, L L^T) || N(0, I)) with L lower-triangular built from p
    m = p[:2]
    L = np.array([[np.exp(p[2]), 0.0], [p[3], np.exp(p[4])]])
    S = L @ L.T
    return 0.5 * (np.trace(S) + m @ m - 2 - 2 * np.sum(np.log(np.abs(np.diag(L)))))


def gp_evidence(h):
    ls, sf, sn = np.exp(h)
    X = XD[:6, :2]
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = sf**2 * np.exp(-0.5 * d2 / ls**2) + (sn**2 + 1e-6) * np.eye(6)
    L = sla.cholesky(K, lower=True)
    alpha = sla.cho_solve((L, True), YD[:6])
    return 0.5 * YD[:6] @ alpha + np.sum(np.log(np.diag(L)))


def mixture_nll(p):
    mus = p[:2]
    logit = p[2]
    w = sp.expit(logit)
    comp = np.stack([np.log(w) - 0.5 * (YD - mus[0]) ** 2, np.log1p(-w) - 0.5 * (YD - mus[1]) ** 2])
    return -np.sum(sp.logsumexp(comp, axis=0))


def sinkhorn(a):
    C = (XD[:4, :2][:, None, :] - XD[4:8, :2][None, :, :]) ** 2
    C = np.sum(C, axis=-1) * np.exp(a[0])
    eps = 0.5
    f = np.zeros(4)
    g = np.zeros(4)
    mu = sp.softmax(np.array([0.0, a[1], 0.2, -0.1]))
    nu = np.full(4, 0.25)
    for _ in range(15):
        f = -eps * sp.logsumexp((g[None, :] - C) / eps + np.log(nu)[None, :], axis=1)
        g = -eps * sp.logsumexp((f[:, None] - C) / eps + np.log(mu)[:, None], axis=0)
    return np.dot(f, mu) + np.dot(g, nu)


def rk4_fit(k):
    def rhs(y):
        return np.array([y[1], -k[0] * y[0] - k[1] * y[1] + 0.1 * np.sin(y[0])])

    y = np.array([1.0, 0.0])
    h = 0.1
    out = 0.0
    for i in range(10):
        k1 = rhs(y)
        k2 = rhs(y + 0.5 * h * k1)
        k3 = rhs(y + 0.5 * h * k2)
        k4 = rhs(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out = out + (y[0] - np.cos(0.1 * (i + 1))) ** 2
    return out


def ridge_validation(lam):
    w = ridge_solution(np.exp(lam[0]))
    return np.sum((XV @ w - YV) ** 2) + lam[0] ** 2 * 0.01


def backtracking(x):
    # Armijo line search in a while loop (the step is piecewise constant in x)
    g = srcad.grad(quartic)(x)
    t = 1.0
    while quartic(x - t * g) > quartic(x) - 0.3 * t * np.dot(g, g):
        t = 0.5 * t
    return quartic(x - t * g)


def log_barrier(x):
    A = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, -1.0], [-1.0, 0.0, 1.0]])
    b = np.array([3.0, 2.0, 2.5])
    s = b - A @ x
    return np.sum(x**2) - np.sum(np.log(s)) + np.sum(np.exp(-s))


def matfun_weights(a):
    S = spd(a)
    w = np.linalg.eigvalsh(S)
    return w @ np.array([1.0, -0.5, 2.0]) + np.dot(np.array([0.1, 0.2, 0.3]), w**2)


def eig_top_weighted(x):
    # eigenvalues of I + x x^T: 1, 1, 1 + |x|^2 (repeated): a constant weight vector
    w = np.linalg.eigvalsh(np.eye(3) + np.outer(x, x))
    return w @ np.array([1.0, 2.0, 3.0]) + np.einsum("i,i", np.array([0.5, 0.0, 1.0]), w)


def gauss_newton_jacrev(p):
    t = np.linspace(0.0, 1.0, 7)

    def res(q):
        return q[0] * np.exp(-q[1] * t) + q[2] * t - np.sin(2 * t)

    for _ in range(2):
        J = srcad.jacrev(res)(p)
        p = p - np.linalg.solve(J.T @ J + 0.01 * np.eye(3), J.T @ res(p))
    return np.sum(res(p) ** 2) + 0.1 * np.sum(p**2)


def softmax_jac(z):
    J = srcad.jacfwd(lambda u: sp.softmax(u))(z)  # (sp.softmax itself: its source)
    return np.sum(J * np.outer(np.arange(3.0), np.ones(3))) + sp.logsumexp(z) ** 2


def newton_inner_loop(lam):
    # an inner Newton solve with srcad.grad/srcad.hessian of a function of lam
    def f(v):
        return np.sum(np.cosh(v - lam)) + 0.5 * np.sum(v**2) * lam[0] ** 2

    v = np.zeros(3)
    for _ in range(4):
        v = v - np.linalg.solve(srcad.hessian(f)(v), srcad.grad(f)(v))
    return np.sum(v**3) + np.sum(lam * v)


CASES = [
    Case(trust_region_step, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(newton_cg, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(natural_gradient, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(influence, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(influence_cg, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(bilevel_momentum, (np.array([0.1, 0.05]),), (0,), extra="hvp"),
    Case(ift_hypergrad, (np.array([0.2, 0.3]),), (0,), extra="hvp"),
    Case(flow_logdet, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(hvp_inside, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(third_order, (np.array([0.4, -0.3]),), (0,), extra="hvp"),
    Case(grad_norm_of_hessian, (np.array([0.4, -0.3]),), (0,), extra="hvp"),
    Case(loops_writes, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(early_exit, (np.array([0.4, -0.3, 0.6, 2.5]),), (0,), extra="hvp"),
    Case(
        early_exit,
        (np.array([0.4, -0.3, 0.6, 0.2]),),
        (0,),
        extra="hvp",
        name="ported_higher25.early_exit2",
    ),
    Case(piecewise, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(huber, (np.array([0.5, -0.2, 0.9]),), (0,), extra="hvp"),
    Case(slogdet_loss, (R.standard_normal(9) * 0.4,), (0,), extra="hvp"),
    Case(chol_solve_inv, (R.standard_normal(9) * 0.4,), (0,), extra="hvp"),
    Case(expm_loss, (R.standard_normal(9) * 0.5,), (0,), extra="hvp"),
    Case(eigh_loss, (R.standard_normal(9) * 0.4,), (0,), extra="hvp"),
    Case(svd_nuc, (R.standard_normal(12) * 0.3,), (0,), extra="hvp"),
    Case(special_mix, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(poisson_glm, (np.array([0.2, -0.1, 0.3]),), (0,), extra="hvp"),
    Case(student_t_nll, (np.array([0.1, 0.2, 0.5]),), (0,), extra="hvp"),
    Case(dirichlet_nll, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(gaussian_kl, (np.array([0.3, -0.2, 0.1, 0.4, -0.3]),), (0,), extra="hvp"),
    Case(gp_evidence, (np.array([0.2, 0.1, -1.0]),), (0,), extra="hvp"),
    Case(mixture_nll, (np.array([-0.5, 0.8, 0.3]),), (0,), extra="hvp"),
    Case(sinkhorn, (np.array([0.1, 0.3]),), (0,), extra="hvp"),
    Case(rk4_fit, (np.array([1.5, 0.3]),), (0,), extra="hvp"),
    Case(ridge_validation, (np.array([-1.0]),), (0,), extra="hvp"),
    Case(backtracking, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(log_barrier, (np.array([0.4, -0.3, 0.6]),), (0,), extra="hvp"),
    Case(matfun_weights, (R.standard_normal(9) * 0.4,), (0,), extra="hvp"),
    Case(eig_top_weighted, (np.array([0.3, -0.5, 0.7]),), (0,), extra="hvp"),
    Case(gauss_newton_jacrev, (np.array([1.0, 1.5, 0.2]),), (0,), extra="hvp"),
    Case(softmax_jac, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(newton_inner_loop, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
]
