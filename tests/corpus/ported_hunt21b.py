"""Ported cases (session 21, hunt21b), written anew after ML objectives users write by hand:
word2vec negative sampling with repeated indices (loops, gathers, np.add.at), matrix factorisation
over observed pairs, GNN message passing over an edge list (np.add.at, np.bincount, loops), a
planar flow's log-determinant, RealNVP couplings with binary masks, a VAE ELBO with fixed noise,
Gaussian-process marginal likelihoods (cholesky + solve_triangular, solve + slogdet, cho_factor),
log-domain Sinkhorn (by hand and with scipy.special.logsumexp).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg

from . import Case

R = np.random.default_rng(1)
V, E = 5, 3
CTX = np.array([0, 1, 1, 3, 0])
TGT = np.array([2, 2, 4, 4, 2])
NEG = np.array([[1, 3], [3, 3], [0, 0], [1, 2], [4, 4]])


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def w2v_negsamp(theta):
    Win = theta[: V * E].reshape(V, E)
    Wout = theta[V * E :].reshape(V, E)
    loss = 0.0
    for c, t, negs in zip(CTX, TGT, NEG):
        vc = Win[c]
        loss -= np.log(sig(Wout[t] @ vc))
        for n in negs:
            loss -= np.log(sig(-Wout[n] @ vc))
    return loss


def w2v_vectorised(theta):
    Win = theta[: V * E].reshape(V, E)
    Wout = theta[V * E :].reshape(V, E)
    vc = Win[CTX]
    pos = np.sum(vc * Wout[TGT], axis=1)
    neg = np.einsum("bne,be->bn", Wout[NEG], vc)
    return -np.sum(np.log(sig(pos))) - np.sum(np.log(sig(-neg)))


def w2v_sgd_addat(theta):
    Win = theta[: V * E].reshape(V, E).copy()
    Wout = theta[V * E :].reshape(V, E)
    for step in range(2):  # noqa: B007
        vc = Win[CTX]
        s = sig(np.sum(vc * Wout[TGT], axis=1))
        g = (s - 1)[:, None] * Wout[TGT]
        np.add.at(Win, CTX, -0.1 * g)
    return np.sum(Win**2) + np.sum(Win[CTX] @ Wout.T)


OBS = [(0, 1, 4.0), (0, 2, 3.0), (1, 0, 5.0), (2, 2, 1.0), (1, 1, 2.5), (0, 1, 3.5)]


def mf_loss(theta):
    U = theta[:6].reshape(3, 2)
    Vm = theta[6:].reshape(3, 2)
    loss = 0.0
    for i, j, r in OBS:
        pred = U[i] @ Vm[j]
        loss += (r - pred) ** 2
    loss += 0.01 * (np.sum(U**2) + np.sum(Vm**2))
    return loss


II = np.array([o[0] for o in OBS])
JJ = np.array([o[1] for o in OBS])
RR = np.array([o[2] for o in OBS])


def mf_vec(theta):
    U = theta[:6].reshape(3, 2)
    Vm = theta[6:].reshape(3, 2)
    pred = np.sum(U[II] * Vm[JJ], axis=1)
    return np.mean((RR - pred) ** 2) + 0.01 * np.linalg.norm(U) ** 2


EDGES = np.array([[0, 1], [1, 2], [2, 0], [2, 3], [3, 1], [0, 3]])
XN = R.standard_normal((4, 3))


def gnn_step(w):
    W = w.reshape(3, 3)
    src, dst = EDGES[:, 0], EDGES[:, 1]
    msg = XN[src] @ W
    agg = np.zeros((4, 3))
    np.add.at(agg, dst, msg)
    deg = np.bincount(dst, minlength=4).astype(float)
    h = np.tanh(agg / np.maximum(deg, 1)[:, None] + XN)
    return np.sum(h**2)


def gnn_loop(x):
    X = x.reshape(4, 3)
    W = np.eye(3) * 0.5 + 0.1
    for layer in range(2):  # noqa: B007
        new = X.copy()
        for s, d in EDGES:
            new[d] += np.tanh(X[s] @ W)
        X = new
    return np.sum(X[:, 0] * X[:, 1])


Z0 = R.standard_normal((5, 2))


def planar_flow(p):
    u, w, b = p[:2], p[2:4], p[4]
    z = Z0
    lin = z @ w + b
    f = z + np.outer(np.tanh(lin), u)
    psi = (1 - np.tanh(lin) ** 2)[:, None] * w
    logdet = np.log(np.abs(1 + psi @ u))
    logp = -0.5 * np.sum(f**2, axis=1) - math.log(2 * math.pi)
    return -np.mean(logp + logdet)


MSK = np.array([1.0, 0.0, 1.0, 0.0])
ZR = R.standard_normal((6, 4))


def realnvp(theta):
    W1 = theta[:16].reshape(4, 4) * 0.3
    W2 = theta[16:32].reshape(4, 4) * 0.3
    x = ZR
    ldj = np.zeros(x.shape[0])
    for m in (MSK, 1 - MSK):
        xm = x * m
        s = np.tanh(xm @ W1) * (1 - m)
        t = (xm @ W2) * (1 - m)
        x = xm + (1 - m) * (x * np.exp(s) + t)
        ldj += s.sum(axis=1)
    return -np.mean(-0.5 * np.sum(x**2, 1) + ldj)


XV = R.standard_normal((4, 3))
EPS = R.standard_normal((4, 2))


def vae_elbo(theta):
    We = theta[:12].reshape(3, 4)
    Wd = theta[12:18].reshape(2, 3)
    h = XV @ We
    mu, logvar = h[:, :2], h[:, 2:]
    std = np.exp(0.5 * logvar)
    z = mu + std * EPS
    xr = z @ Wd
    rec = 0.5 * np.sum((XV - xr) ** 2)
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return rec + kl


XG = np.linspace(0, 2, 5)[:, None]
YG = np.sin(XG[:, 0] * 2)


def gp_nll(p):
    ls, sf, sn = np.exp(p)
    d2 = (XG - XG.T) ** 2
    K = sf**2 * np.exp(-0.5 * d2 / ls**2) + (sn**2 + 1e-8) * np.eye(len(XG))
    L = np.linalg.cholesky(K)
    a = scipy.linalg.solve_triangular(L, YG, lower=True)
    alpha = scipy.linalg.solve_triangular(L.T, a, lower=False)
    return 0.5 * YG @ alpha + np.sum(np.log(np.diag(L))) + 0.5 * len(YG) * np.log(2 * np.pi)


def gp_nll_solve(p):
    ls, sf, sn = np.exp(p)
    d = XG[:, 0][:, None] - XG[:, 0][None, :]
    K = sf**2 * np.exp(-0.5 * (d / ls) ** 2) + sn**2 * np.eye(5)
    sign, logdet = np.linalg.slogdet(K)
    return 0.5 * YG @ np.linalg.solve(K, YG) + 0.5 * logdet


def gp_cho(p):
    ls, sf, sn = np.exp(p)
    K = (
        sf**2 * np.exp(-0.5 * scipy.spatial.distance.cdist(XG, XG, "sqeuclidean") / ls**2)
        if False
        else sf**2 * np.exp(-0.5 * (XG - XG.T) ** 2 / ls**2)
    )
    K = K + sn**2 * np.eye(5)
    c, low = scipy.linalg.cho_factor(K, lower=True)
    alpha = scipy.linalg.cho_solve((c, low), YG)
    return 0.5 * YG @ alpha + np.sum(np.log(np.diag(c)))


AS = np.array([0.2, 0.3, 0.5])
BS = np.array([0.4, 0.6])
XS = np.array([[0.0], [1.0], [2.0]])
YS = np.array([[0.5], [1.5]])


def sinkhorn_log(y):
    C = (XS - y[None, :]) ** 2
    eps = 0.5
    f = np.zeros(3)
    g = np.zeros(2)
    for _ in range(30):
        f = -eps * logsumexp((g[None, :] - C) / eps, axis=1) + eps * np.log(AS)
        g = -eps * logsumexp((f[:, None] - C) / eps, axis=0) + eps * np.log(BS)
    P = np.exp((f[:, None] + g[None, :] - C) / eps)
    return np.sum(P * C)


def logsumexp(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def sinkhorn_scipy(y):
    from scipy.special import logsumexp as lse

    C = (XS - y[None, :]) ** 2
    eps = 0.3
    f = np.zeros(3)
    g = np.zeros(2)
    it = 0
    while it < 25:
        f = eps * np.log(AS) - eps * lse((g - C) / eps, axis=1)
        g = eps * np.log(BS) - eps * lse((f[:, None] - C) / eps, axis=0)
        it += 1
    return np.sum(f * AS) + np.sum(g * BS)


CASES = [
    Case(w2v_negsamp, (R.standard_normal(30) * 0.5,), (0,), extra="hvp"),
    Case(w2v_vectorised, (R.standard_normal(30) * 0.5,), (0,), extra="hvp"),
    Case(w2v_sgd_addat, (R.standard_normal(30) * 0.5,), (0,), extra="hvp"),
    Case(mf_loss, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(mf_vec, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(gnn_step, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(gnn_loop, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(planar_flow, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(realnvp, (R.standard_normal(32),), (0,), extra="hvp"),
    Case(vae_elbo, (R.standard_normal(18) * 0.5,), (0,), extra="hvp"),
    Case(gp_nll, (np.array([0.1, 0.2, -1.0]),), (0,), extra="hvp"),
    Case(gp_nll_solve, (np.array([0.1, 0.2, -1.0]),), (0,), extra="hvp"),
    Case(gp_cho, (np.array([0.1, 0.2, -1.0]),), (0,), extra="hvp"),
    Case(sinkhorn_log, (np.array([0.3, 1.2]),), (0,), extra="hvp"),
    Case(sinkhorn_scipy, (np.array([0.3, 1.2]),), (0,), extra="hvp"),
]
