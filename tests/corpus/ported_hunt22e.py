"""Ported cases (session 22, hunt22e), written anew after statistics programs with in-place updates
and derivatives inside: an HMM forward pass into a preallocated table with ``alpha[t] /= c[t]``
and its backward pass, a Kalman filter updating ``P[0, 0] += q`` and ``x += K * v`` in place and one
by Cholesky (solve_triangular, cho_solve), GARCH in a list, t-SNE with np.fill_diagonal and its
hand-written gradient as the output, Box-Cox with a series branch near 0, Dirichlet-multinomial
in scalar loops, a non-centered hierarchical model, a reparameterised ELBO, a Matern GP, an
ordinal logit with +-inf cut points, a Laplace approximation (slogdet of ``srcad.hessian``
inside the loss), closures differentiated by ``srcad.grad``/``value_and_grad``/``jacfwd``/
``jvp``/``hessian``/``vjp`` inside the loss (perturbation confusion: the inner derivative must
not see the outer variable's tangent).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
from scipy.special import expit, gammaln, logsumexp

import srcad

from . import Case

XD = np.random.default_rng(4).standard_normal((6, 2))
YD = np.array([1, 0, 1, 1, 0, 1])


def hmm_prealloc(params):
    A = np.exp(params[:4].reshape(2, 2))
    A /= A.sum(axis=1)[:, None]
    mus = params[4:6]
    obs = np.array([0.2, 1.5, 1.1, -0.3, 0.4])
    T = len(obs)
    alpha = np.zeros((T, 2))
    c = np.zeros(T)
    B = np.exp(-0.5 * (obs[:, None] - mus[None, :]) ** 2)
    alpha[0] = 0.5 * B[0]
    c[0] = alpha[0].sum()
    alpha[0] /= c[0]
    for t in range(1, T):
        alpha[t] = alpha[t - 1] @ A * B[t]
        c[t] = alpha[t].sum()
        alpha[t] /= c[t]
    return np.log(c).sum()


def hmm_backward(params):
    A = np.exp(params[:4].reshape(2, 2))
    A = A / A.sum(1, keepdims=True)
    mus = params[4:6]
    obs = np.array([0.2, 1.5, 1.1, -0.3])
    T = len(obs)
    B = np.exp(-0.5 * (obs[:, None] - mus) ** 2)
    beta = np.ones((T, 2))
    for t in range(T - 2, -1, -1):
        beta[t, :] = A @ (B[t + 1] * beta[t + 1, :])
        beta[t, :] = beta[t, :] / beta[t, :].sum()
    gamma = 0.5 * B[0] * beta[0]
    return np.log(gamma.sum()) + beta[1, 0]


def kalman_inplace(theta):
    q, r = np.exp(theta[0]), np.exp(theta[1])
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    H = np.array([1.0, 0.0])
    x = np.array([0.0, 0.0])
    P = np.eye(2) * 10.0
    ll = 0.0
    for y in [0.1, 0.5, 1.2, 1.9, 3.1, 4.2]:
        x = F @ x
        P = F @ P @ F.T
        P[0, 0] += q
        P[1, 1] += q
        S = H @ P @ H + r
        K = P @ H / S
        v = y - H @ x
        ll += -0.5 * (np.log(2 * np.pi * S) + v * v / S)
        x += K * v
        P -= np.outer(K, K) * S
    return ll


def garch_list(theta):
    w, a, b = np.exp(theta[0]), theta[1], theta[2]
    r = [0.1, -0.2, 0.15, -0.3, 0.05, 0.2]
    s2 = [sum(x * x for x in r) / len(r)]
    nll = 0.0
    for t in range(1, len(r)):
        s2.append(w + a * r[t - 1] ** 2 + b * s2[-1])
        nll += 0.5 * (math.log(s2[t]) + r[t] ** 2 / s2[t])
    return nll


def tsne_fill(yflat):
    Yl = yflat.reshape(5, 2)
    P = np.full((5, 5), 1.0 / 20)
    np.fill_diagonal(P, 0.0)
    d = np.sum((Yl[:, None] - Yl[None]) ** 2, -1)
    num = 1 / (1 + d)
    np.fill_diagonal(num, 0.0)
    Q = num / num.sum()
    mask = P > 0
    return np.sum(P[mask] * np.log(P[mask] / Q[mask]))


def tsne_grad_manual(yflat):
    Yl = yflat.reshape(5, 2)
    P = np.full((5, 5), 1.0 / 20)
    np.fill_diagonal(P, 0.0)
    d = np.sum((Yl[:, None] - Yl[None]) ** 2, -1)
    num = 1 / (1 + d)
    np.fill_diagonal(num, 0.0)
    Q = num / num.sum()
    PQ = P - Q
    g = 4 * np.sum((PQ * num)[:, :, None] * (Yl[:, None] - Yl[None]), axis=1)
    return np.sum(g**2)


def boxcox_branches(lam):
    y = np.array([0.5, 1.2, 2.3, 3.1, 0.8])
    if lam == 0:
        t = np.log(y)
    elif abs(lam) < 0.01:
        ly = np.log(y)
        t = ly + lam * ly**2 / 2 + lam**2 * ly**3 / 6
    else:
        t = np.expm1(lam * np.log(y)) / lam
    return np.sum((t - t.mean()) ** 2)


def stick_loop_inplace(v_raw):
    K = len(v_raw) + 1
    v = 1 / (1 + np.exp(-v_raw))
    w = np.zeros(K)
    remaining = 1.0
    for k in range(K - 1):
        w[k] = v[k] * remaining
        remaining *= 1 - v[k]
    w[-1] = remaining
    return -np.sum(w * np.log(w))


def dm_loglik_loop(log_alpha):
    alpha = np.exp(log_alpha)
    x = np.array([[3, 0, 2, 1], [0, 0, 5, 1], [2, 2, 2, 0]])
    ll = 0.0
    for i in range(x.shape[0]):
        n = 0
        for j in range(x.shape[1]):
            n += x[i, j]
            ll += gammaln(x[i, j] + alpha[j]) - gammaln(alpha[j])
        ll += gammaln(alpha.sum()) - gammaln(n + alpha.sum())
    return ll


def mixture_em_loglik(params):
    mu = params[:2]
    log_s = params[2:4]
    logit_pi = params[4]
    x = np.array([-1.2, -0.8, -1.0, 0.9, 1.1, 1.4, 0.2])
    pi = expit(logit_pi)
    logw = np.log(np.array([pi, 1 - pi]))
    lp = logw - 0.5 * ((x[:, None] - mu) / np.exp(log_s)) ** 2 - log_s - 0.5 * np.log(2 * np.pi)
    return logsumexp(lp, axis=1).sum()


def studentt_nu_loop(nu):
    y = [0.3, -1.2, 2.5, 0.7]
    ll = 0.0
    for yi in y:
        ll += (
            math.lgamma((nu + 1) / 2)
            - math.lgamma(nu / 2)
            - 0.5 * math.log(nu * math.pi)
            - (nu + 1) / 2 * math.log1p(yi * yi / nu)
        )
    return ll


def _nlp(theta):
    z = XD @ theta
    return np.sum(np.logaddexp(0, z) - YD * z) + 0.5 * theta @ theta


def laplace_evidence(theta):
    H = srcad.hessian(_nlp)(theta)
    sign, ld = np.linalg.slogdet(H)
    return _nlp(theta) + 0.5 * ld


def kalman_chol(theta):
    q, r = np.exp(theta[0]), np.exp(theta[1])
    F = np.array([[1.0, 0.1], [0.0, 1.0]])
    H = np.array([[1.0, 0.0], [0.0, 1.0]])
    ys = np.array([[0.1, 1.0], [0.25, 1.1], [0.3, 0.9], [0.45, 1.2]])
    x = np.zeros(2)
    P = np.eye(2)
    ll = 0.0
    for y in ys:
        x = F @ x
        P = F @ P @ F.T + q * np.eye(2)
        S = H @ P @ H.T + r * np.eye(2)
        L = np.linalg.cholesky(S)
        v = y - H @ x
        a = sla.solve_triangular(L, v, lower=True)
        ll -= 0.5 * a @ a + np.sum(np.log(np.diag(L)))
        K = sla.cho_solve((L, True), H @ P).T
        x = x + K @ v
        P = P - K @ S @ K.T
    return ll


def hier_noncentered(params):
    mu, log_tau = params[0], params[1]
    eta = params[2:]
    theta = mu + np.exp(log_tau) * eta
    y = np.array([28.0, 8.0, -3.0, 7.0]) / 10
    sigma = np.array([15.0, 10.0, 16.0, 11.0]) / 10
    lp = -0.5 * np.sum(((y - theta) / sigma) ** 2)
    lp += -0.5 * np.sum(eta**2) - 0.5 * mu**2 / 25 + log_tau - np.exp(log_tau)
    return -lp


def elbo_gauss(lam):
    rng = np.random.default_rng(1)
    eps = rng.standard_normal((20, 2))
    mu, log_s = lam[:2], lam[2:]
    z = mu + np.exp(log_s) * eps
    logp = -0.5 * np.sum(z**2, axis=1) - 0.5 * np.sum((z[:, 0] * z[:, 1] - 0.5) ** 2)
    ent = np.sum(log_s)
    return -(logp.mean() + ent)


def gp_matern(theta):
    ell, sf, sn = np.exp(theta)
    x = np.linspace(0, 1, 6)
    y = np.sin(3 * x)
    r = np.abs(x[:, None] - x[None, :])
    K = (
        sf**2
        * (1 + math.sqrt(5) * r / ell + 5 * r**2 / (3 * ell**2))
        * np.exp(-math.sqrt(5) * r / ell)
    )
    K = K + sn**2 * np.eye(6)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L)))


def dirichlet_ll_vec(log_alpha):
    alpha = np.exp(log_alpha)
    X = np.array([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3], [0.4, 0.4, 0.2]])
    n = X.shape[0]
    return -(n * (gammaln(alpha.sum()) - gammaln(alpha).sum()) + np.sum((alpha - 1) * np.log(X)))


def ordinal_logit(params):
    beta = params[:2]
    cuts = np.cumsum(np.concatenate([[params[2]], np.exp(params[3:])]))
    y = np.array([0, 2, 1, 3, 1, 0])
    eta = XD @ beta
    cdf = lambda t: 1 / (1 + np.exp(-t))
    ext = np.concatenate([[-np.inf], cuts, [np.inf]])
    p = cdf(ext[y + 1] - eta) - cdf(ext[y] - eta)
    return -np.sum(np.log(p))


def mixture_logsumexp_loop(params):
    x = [-1.2, -0.8, 0.9, 1.1, 0.2]
    mus = params[:2]
    logits = np.array([params[2], 0.0])
    logpi = logits - logsumexp(logits)
    total = 0.0
    for xi in x:
        comps = [logpi[k] - 0.5 * (xi - mus[k]) ** 2 for k in range(2)]
        total += logsumexp(comps)
    return total


def closure1(x):
    def inner(y):
        return x * y**2

    return srcad.grad(inner)(1.5)


def closure2(x):
    # classic perturbation confusion: d/dx [x * d/dy (x + y)] = 1
    return x * srcad.grad(lambda y: x + y)(1.0)


def closure3(x):
    g = srcad.grad(lambda y: math.sin(x * y) * y)
    return g(x) + g(0.3)


def closure5(w):
    def loss(v):
        return np.sum(np.tanh(v * w) ** 2)

    g = srcad.grad(loss)(np.ones_like(w))
    return np.sum(g * w)


def closure6(w):
    def inner(v, s):
        return np.sum((v - s * w) ** 2) + s * np.sum(v)

    gv, gs = srcad.grad(inner, wrt=(0, 1))(w * 0.5, 2.0)
    return np.sum(gv**2) + gs * np.sum(w)


def closure7(w):
    val, g = srcad.value_and_grad(lambda v: np.sum(np.exp(v * w[0]) * v))(w)
    return val + np.sum(g * g)


def closure8(w):
    J = srcad.jacfwd(lambda v: np.tanh(v * w))(w)
    return np.sum(J**2)


def closure9(w):
    _, jv = srcad.jvp(lambda v: np.sin(v) * w, (w,), (np.ones_like(w),))
    return np.sum(jv * w)


def closure10(w):
    H = srcad.hessian(lambda v: np.sum(v**3 * w))(w)
    return np.trace(H) + np.sum(H)


def closure11(x):
    def inner(y, k=x):
        return k * y**3

    return srcad.grad(inner)(x)


def closure12(x):
    # grad of a function that itself calls grad of the closure over x
    def h(y):
        return srcad.grad(lambda z: x * z * y)(1.0) * y

    return srcad.grad(h)(2.0) * x


def closure13(w):
    out, pb = srcad.vjp(lambda v: np.cos(v) * w, w)
    (g,) = pb(np.ones_like(w))
    return np.sum(g * w) + np.sum(out)


P6 = np.array([0.5, -0.5, -0.2, 0.3, 0.0, 1.2])
W3 = np.array([0.3, -0.8, 0.5])
CASES = [
    Case(hmm_prealloc, (P6,), (0,), extra="hvp"),
    Case(hmm_backward, (P6,), (0,), extra="hvp"),
    Case(kalman_inplace, (np.array([-1.0, -0.5]),), (0,), extra="hvp"),
    Case(garch_list, (np.array([-3.0, 0.1, 0.8]),), (0,), extra="hvp"),
    Case(tsne_fill, (np.random.default_rng(1).standard_normal(10),), (0,), extra="hvp"),
    Case(tsne_grad_manual, (np.random.default_rng(2).standard_normal(10),), (0,), extra="hvp"),
    Case(boxcox_branches, (0.5,), (0,), extra="hvp"),
    Case(
        boxcox_branches,
        (0.005,),
        (0,),
        name="ported_hunt22e.boxcox_branches_series",
        jitter=0.001,
        extra="hvp",
    ),
    Case(stick_loop_inplace, (np.array([0.2, -0.4, 0.1, 0.3]),), (0,), extra="hvp"),
    Case(dm_loglik_loop, (np.array([0.1, -0.4, 0.6, 0.2]),), (0,), extra="hvp"),
    Case(mixture_em_loglik, (np.array([-1.0, 1.0, 0.1, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(studentt_nu_loop, (3.5,), (0,), extra="hvp"),
    Case(laplace_evidence, (np.array([0.3, -0.2]),), (0,), extra="hvp"),
    Case(kalman_chol, (np.array([-1.0, -0.5]),), (0,), extra="hvp"),
    Case(hier_noncentered, (np.array([0.5, -0.3, 0.1, -0.2, 0.4, 0.0]),), (0,), extra="hvp"),
    Case(elbo_gauss, (np.array([0.1, -0.2, -0.5, 0.3]),), (0,), extra="hvp"),
    Case(gp_matern, (np.array([-0.5, 0.1, -1.0]),), (0,), extra="hvp"),
    Case(dirichlet_ll_vec, (np.array([0.1, 0.3, -0.2]),), (0,), extra="hvp"),
    Case(ordinal_logit, (np.array([0.3, -0.2, -1.0, 0.1, 0.2]),), (0,), extra="hvp"),
    Case(mixture_logsumexp_loop, (np.array([-1.0, 1.0, 0.2]),), (0,), extra="hvp"),
    Case(closure1, (0.7,), (0,), extra="hvp"),
    Case(closure2, (0.7,), (0,), extra="hvp"),
    Case(closure3, (0.7,), (0,), extra="hvp"),
    Case(closure5, (W3,), (0,), extra="hvp"),
    Case(closure6, (W3,), (0,), extra="hvp"),
    Case(closure7, (W3,), (0,), extra="hvp"),
    Case(closure8, (W3,), (0,), extra="hvp"),
    Case(closure9, (W3,), (0,), extra="hvp"),
    Case(closure10, (W3,), (0,), extra="hvp"),
    Case(closure11, (0.7,), (0,), extra="hvp"),
    Case(closure12, (0.7,), (0,), extra="hvp"),
    Case(closure13, (W3,), (0,), extra="hvp"),
]
