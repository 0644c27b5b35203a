"""Ported cases (session 50, hunt50a): statistics, machine learning and engineering programs
written as users write them. Normalising flows (planar, radial, affine coupling) with their
log-determinants, an ARD Gaussian-process kernel with a jitter loop, Cox partial likelihood with
ties (Breslow and Efron), a Weibull AFT model with censoring, ordinal regression with ordered
cut points, Poisson and negative-binomial GLMs with offsets, pinball loss, Dirichlet-multinomial,
an HMM's forward-backward in log space, a Kalman filter's likelihood, ISTA unrolled, log-domain
Sinkhorn, mixup with label smoothing, EM steps of a Gaussian mixture.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import digamma, expit, gammaln, logsumexp

from . import Case

_R = np.random.default_rng(50)


# -- normalising flows ----------------------------------------------------------------------------
def planar_flow(params, z):
    logdet = np.zeros(z.shape[0])
    for layer in params:
        u, w, b = layer["u"], layer["w"], layer["b"]
        a = z @ w + b
        h = np.tanh(a)
        z = z + np.outer(h, u)
        psi = (1 - h**2)[:, None] * w[None, :]
        logdet += np.log(np.abs(1 + psi @ u) + 1e-8)
    base = -0.5 * np.sum(z**2, axis=1) - 0.5 * z.shape[1] * np.log(2 * np.pi)
    return -np.mean(base + logdet)


def radial_flow(theta, z, z0):
    alpha = np.exp(theta[0])
    beta = -alpha + np.log1p(np.exp(theta[1]))
    diff = z - z0
    r = np.linalg.norm(diff, axis=1, keepdims=True)
    h = 1.0 / (alpha + r)
    out = z + beta * h * diff
    d = z.shape[1]
    hp = -1.0 / (alpha + r) ** 2
    logdet = (d - 1) * np.log1p(beta * h) + np.log1p(beta * h + beta * hp * r)
    return np.sum(out**2) - np.sum(logdet)


def affine_coupling(W, x):
    d = x.shape[1] // 2
    x1, x2 = x[:, :d], x[:, d:]
    hidden = np.tanh(x1 @ W["h"])
    s = np.tanh(hidden @ W["s"])
    t = hidden @ W["t"]
    y2 = x2 * np.exp(s) + t
    y = np.concatenate([x1, y2], axis=1)
    log_det = s.sum(axis=1)
    nll = 0.5 * np.sum(y**2, axis=1) - log_det
    return nll.mean()


# -- Gaussian processes ---------------------------------------------------------------------------
def ard_kernel(X1, X2, log_ls, log_sf):
    ls = np.exp(log_ls)
    A = X1 / ls
    B = X2 / ls
    sq = np.sum(A**2, 1)[:, None] + np.sum(B**2, 1)[None, :] - 2 * A @ B.T
    sq = np.maximum(sq, 0.0)
    return np.exp(2 * log_sf) * np.exp(-0.5 * sq)


def gp_jitter_nll(hyp, X, y):
    n = len(y)
    K = ard_kernel(X, X, hyp[:-2], hyp[-2]) + np.exp(2 * hyp[-1]) * np.eye(n)
    jitter = 1e-10
    for _ in range(5):
        try:
            L = np.linalg.cholesky(K + jitter * np.eye(n))
            break
        except np.linalg.LinAlgError:
            jitter *= 10
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * n * math.log(2 * math.pi)


# -- survival analysis ----------------------------------------------------------------------------
def cox_breslow(beta, X, times, events):
    eta = X @ beta
    ll = 0.0
    for i in range(len(times)):
        if events[i] == 0:
            continue
        at_risk = times >= times[i]
        ll += eta[i] - logsumexp(eta[at_risk])
    return -ll


def cox_efron(beta, X, times, events):
    eta = X @ beta
    w = np.exp(eta)
    ll = 0.0
    for t in np.unique(times[events == 1]):
        dead = (times == t) & (events == 1)
        risk = times >= t
        d = int(dead.sum())
        s_risk = w[risk].sum()
        s_dead = w[dead].sum()
        ll += eta[dead].sum()
        for k in range(d):
            ll -= np.log(s_risk - k / d * s_dead)
    return -ll


def weibull_aft(params, X, t, delta):
    beta, log_sigma = params[:-1], params[-1]
    sigma = np.exp(log_sigma)
    z = (np.log(t) - X @ beta) / sigma
    log_f = z - np.exp(z) - log_sigma - np.log(t)
    log_S = -np.exp(z)
    return -np.sum(delta * log_f + (1 - delta) * log_S)


# -- ordinal and count regression -----------------------------------------------------------------
def ordinal_logit(params, X, y, K=4):
    p = X.shape[1]
    beta = params[:p]
    raw = params[p:]
    cuts = np.cumsum(np.concatenate([raw[:1], np.exp(raw[1:])]))
    eta = X @ beta
    cum = expit(cuts[None, :] - eta[:, None])
    cum = np.hstack([np.zeros((len(y), 1)), cum, np.ones((len(y), 1))])
    probs = cum[np.arange(len(y)), y + 1] - cum[np.arange(len(y)), y]
    return -np.sum(np.log(np.clip(probs, 1e-12, None)))


def poisson_offset(beta, X, y, exposure):
    log_mu = X @ beta + np.log(exposure)
    mu = np.exp(log_mu)
    return -np.sum(y * log_mu - mu - gammaln(y + 1))


def negbin_glm(params, X, y, offset):
    beta, log_r = params[:-1], params[-1]
    r = np.exp(log_r)
    mu = np.exp(X @ beta + offset)
    ll = (
        gammaln(y + r)
        - gammaln(r)
        - gammaln(y + 1)
        + r * np.log(r / (r + mu))
        + y * np.log(mu / (r + mu))
    )
    return -ll.sum()


def negbin_score_norm(params, X, y):
    beta, r = params[:-1], math.exp(params[-1])
    mu = np.exp(X @ beta)
    dr = digamma(y + r) - digamma(r) + np.log(r / (r + mu)) + (mu - y) / (r + mu)
    return np.sum(dr**2)


def pinball(pred, y, qs=(0.1, 0.5, 0.9)):
    total = 0.0
    for j, q in enumerate(qs):
        e = y - pred[:, j]
        total += np.mean(np.maximum(q * e, (q - 1) * e))
    return total


def dirichlet_multinomial(log_alpha, counts):
    alpha = np.exp(log_alpha)
    a0 = alpha.sum()
    ll = 0.0
    for x in counts:
        n = x.sum()
        ll += gammaln(a0) - gammaln(n + a0) + np.sum(gammaln(x + alpha) - gammaln(alpha))
    return -ll


# -- sequence models ------------------------------------------------------------------------------
def hmm_posterior(log_A, log_B, log_pi, obs):
    T = len(obs)
    S = log_A.shape[0]
    log_A = log_A - logsumexp(log_A, axis=1, keepdims=True)
    la = np.zeros((T, S))
    lb = np.zeros((T, S))
    la[0] = log_pi + log_B[:, obs[0]]
    for t in range(1, T):
        la[t] = logsumexp(la[t - 1][:, None] + log_A, axis=0) + log_B[:, obs[t]]
    for t in range(T - 2, -1, -1):
        lb[t] = logsumexp(log_A + log_B[:, obs[t + 1]][None, :] + lb[t + 1][None, :], axis=1)
    log_z = logsumexp(la[-1])
    gamma = np.exp(la + lb - log_z)
    return log_z + np.sum(gamma[:, 0] ** 2)


def kalman_loglik(theta, ys):
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    Q = np.exp(theta[0]) * np.eye(2)
    R = np.exp(theta[1]) * np.eye(1)
    m = np.zeros(2)
    P = np.eye(2)
    ll = 0.0
    for y in ys:
        m = F @ m
        P = F @ P @ F.T + Q
        S = H @ P @ H.T + R
        v = y - H @ m
        sign, logdet = np.linalg.slogdet(S)
        ll -= 0.5 * (logdet + v @ np.linalg.solve(S, v) + math.log(2 * math.pi))
        K = P @ H.T @ np.linalg.inv(S)
        m = m + K @ v
        P = (np.eye(2) - K @ H) @ P
    return ll


# -- sparse coding, transport, augmentation, EM ----------------------------------------------------
def soft_threshold(z, lam):
    return np.sign(z) * np.maximum(np.abs(z) - lam, 0.0)


def ista(D, x, lam=0.1, n_iter=8):
    L = np.linalg.norm(D, 2) ** 2
    z = np.zeros(D.shape[1])
    for _ in range(n_iter):
        z = soft_threshold(z - D.T @ (D @ z - x) / L, lam / L)
    return 0.5 * np.sum((D @ z - x) ** 2) + lam * np.sum(np.abs(z))


def sinkhorn_log(C, a, b, eps=0.1, n_iter=30):
    f = np.zeros_like(a)
    g = np.zeros_like(b)
    for _ in range(n_iter):
        f = eps * np.log(a) - eps * logsumexp((g[None, :] - C) / eps, axis=1)
        g = eps * np.log(b) - eps * logsumexp((f[:, None] - C) / eps, axis=0)
    P = np.exp((f[:, None] + g[None, :] - C) / eps)
    return np.sum(P * C)


def mixup_smooth_ce(W, X, y, lam=0.7, smooth=0.1, n_classes=3):
    perm = np.array([2, 0, 3, 1])
    Xm = lam * X + (1 - lam) * X[perm]
    onehot = np.eye(n_classes)[y]
    target = onehot * (1 - smooth) + smooth / n_classes
    tm = lam * target + (1 - lam) * target[perm]
    logits = Xm @ W
    logp = logits - logsumexp(logits, axis=1, keepdims=True)
    return -np.mean(np.sum(tm * logp, axis=1))


def gmm_em(mu, x, n_steps=3):
    K = len(mu)
    var = np.ones(K)
    pi = np.full(K, 1.0 / K)
    for _ in range(n_steps):
        logp = -0.5 * (x[:, None] - mu[None, :]) ** 2 / var - 0.5 * np.log(2 * np.pi * var)
        logr = np.log(pi) + logp
        logr -= logsumexp(logr, axis=1, keepdims=True)
        r = np.exp(logr)
        Nk = r.sum(0)
        mu = (r * x[:, None]).sum(0) / Nk
        var = (r * (x[:, None] - mu) ** 2).sum(0) / Nk + 1e-6
        pi = Nk / len(x)
    ll = logsumexp(np.log(pi) - 0.5 * (x[:, None] - mu) ** 2 / var - 0.5 * np.log(var), axis=1)
    return -ll.sum()


# -- inputs ---------------------------------------------------------------------------------------
_ZF = _R.standard_normal((5, 2))
_FLOW = [
    {"u": _R.standard_normal(2) * 0.5, "w": _R.standard_normal(2), "b": 0.1},
    {"u": _R.standard_normal(2) * 0.5, "w": _R.standard_normal(2), "b": -0.2},
]
_Z0 = np.array([0.3, -0.1])
_ZR = np.vstack([_ZF, _Z0 + 0.5])
_AC = {
    "h": _R.standard_normal((2, 3)) * 0.5,
    "s": _R.standard_normal((3, 2)) * 0.5,
    "t": _R.standard_normal((3, 2)) * 0.5,
}
_XG = _R.standard_normal((6, 2))
_YG = np.sin(_XG[:, 0]) + 0.1 * _R.standard_normal(6)
_XS = _R.standard_normal((8, 2))
_TS = np.array([5.0, 3.0, 3.0, 8.0, 1.0, 3.0, 6.0, 8.0])
_ES = np.array([1, 1, 0, 1, 1, 1, 0, 1])
_TW = np.exp(_R.standard_normal(8) * 0.5 + 1.0)
_DW = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0])
_XO = _R.standard_normal((7, 2))
_YO = np.array([0, 1, 3, 2, 1, 0, 3])
_XP = np.column_stack([np.ones(7), _R.standard_normal(7) * 0.5])
_YP = np.array([0.0, 2.0, 1.0, 4.0, 0.0, 3.0, 1.0])
_EXP = np.array([1.0, 2.0, 1.5, 3.0, 0.5, 2.0, 1.0])
_QP = _R.standard_normal((6, 3))
_QY = np.round(_R.standard_normal(6))
_DMC = np.array([[3.0, 0.0, 2.0], [1.0, 4.0, 0.0], [2.0, 2.0, 2.0]])
_LA = _R.standard_normal((3, 3))
_LB = np.log(_R.dirichlet(np.ones(4), size=3))
_LPI = np.log(np.array([0.5, 0.3, 0.2]))
_OBS = [0, 2, 3, 1, 1, 0]
_YK = np.cumsum(_R.standard_normal(6)).reshape(6, 1)
_D = _R.standard_normal((5, 7))
_XD = _R.standard_normal(5)
_CM = np.abs(_R.standard_normal((4, 3)))
_AM = np.full(4, 0.25)
_BM = np.array([0.5, 0.3, 0.2])
_XM = _R.standard_normal((4, 3))
_YM = np.array([0, 2, 1, 2])
_XE = np.concatenate([_R.standard_normal(5) - 2, _R.standard_normal(5) + 2])

CASES = [
    Case(planar_flow, (_FLOW, _ZF), (1,), extra="hvp"),
    Case(radial_flow, (np.array([0.1, 0.3]), _ZR, _Z0), (0, 1), extra="hvp"),
    Case(affine_coupling, (_AC, _R.standard_normal((5, 4))), (0, 1)),
    Case(gp_jitter_nll, (np.array([0.1, -0.2, 0.0, -1.0]), _XG, _YG), (0, 1), extra="hvp"),
    Case(cox_breslow, (np.array([0.3, -0.5]), _XS, _TS, _ES), (0, 1), extra="hvp"),
    Case(cox_efron, (np.array([0.3, -0.5]), _XS, _TS, _ES), (0, 1), extra="hvp"),
    Case(weibull_aft, (np.array([0.2, -0.1, 0.1]), _XS, _TW, _DW), (0,), extra="hvp"),
    Case(ordinal_logit, (np.array([0.5, -0.3, -1.0, 0.0, 0.2]), _XO, _YO), (0,), extra="hvp"),
    Case(poisson_offset, (np.array([0.1, 0.3]), _XP, _YP, _EXP), (0,), extra="hvp"),
    Case(negbin_glm, (np.array([0.1, 0.3, 0.5]), _XP, _YP, np.log(_EXP)), (0,), extra="hvp"),
    Case(negbin_score_norm, (np.array([0.1, 0.3, 0.5]), _XP, _YP), (0,), extra="hvp"),
    Case(pinball, (_QP, _QY), (0,)),
    Case(dirichlet_multinomial, (np.array([0.1, -0.2, 0.3]), _DMC), (0,), extra="hvp"),
    Case(hmm_posterior, (_LA, _LB, _LPI, _OBS), (0, 1, 2), extra="hvp"),
    Case(kalman_loglik, (np.array([-1.0, -0.5]), _YK), (0, 1), extra="hvp"),
    Case(ista, (_D, _XD), (0, 1)),
    Case(sinkhorn_log, (_CM, _AM, _BM), (0, 1, 2), extra="hvp"),
    Case(mixup_smooth_ce, (_R.standard_normal((3, 3)), _XM, _YM), (0, 1), extra="hvp"),
    Case(gmm_em, (np.array([-1.0, 1.0]), _XE), (0, 1), extra="hvp"),
]
