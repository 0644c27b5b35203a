"""Ported cases (session 26, hunt26b), written anew after statistics and ML programs: weighted
least squares (a quadratic form and a closed-form solve in the log-weights), a Tobit likelihood by
``math.erfc`` over ``zip(..., strict=True)``, a zero-inflated Poisson with a branch on the count,
an ordinal logistic with cutpoints by ``np.cumsum(np.exp(...))`` and a per-row lambda, a Gaussian
mixture EM objective, Student-t and probit likelihoods (scipy), causal attention masked by
``np.triu`` and ``-np.inf``, LayerNorm / RMSNorm classes (``super().__init__``, a class-level
``eps``) in residual blocks with a tanh GELU, conv1d by loops and by ``sliding_window_view`` (of
the data and of the input), max-pooling away from ties, dropout with a fixed mask, Adam steps
unrolled inside the loss.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from . import Case

R_c = np.random.default_rng(262)


XD = R_c.standard_normal((8, 2))


YD = XD @ np.array([0.7, -0.3]) + 0.1 * R_c.standard_normal(8)


WD = np.linspace(0.5, 1.5, 8)


def wls(x):
    resid = YD - XD @ x
    return resid @ (WD * resid)


def wls_closed(x):
    W = np.diag(np.exp(x[:8]))
    beta = np.linalg.solve(XD.T @ W @ XD, XD.T @ W @ YD)
    return np.sum(beta**2)


YC = np.array([0.0, 0.3, 1.2, 0.0, 0.8, 2.1, 0.0, 0.5])


LIM = 0.0


def tobit_nll(x):
    beta, log_s = x[:2], x[2]
    s = math.exp(log_s)
    mu = XD @ beta
    nll = 0.0
    for yi, mi in zip(YC, mu, strict=True):
        if yi <= LIM:
            nll -= math.log(0.5 * math.erfc((mi - LIM) / (s * math.sqrt(2))))
        else:
            z = (yi - mi) / s
            nll -= -0.5 * z * z - math.log(s * math.sqrt(2 * math.pi))
    return nll


COUNTS = np.array([0, 0, 1, 3, 0, 2, 0, 5])


def zip_nll(x):
    logit_pi, log_lam = x
    pi = 1 / (1 + np.exp(-logit_pi))
    lam = np.exp(log_lam)
    ll = 0.0
    for k in COUNTS:
        if k == 0:
            ll += np.log(pi + (1 - pi) * np.exp(-lam))
        else:
            ll += np.log(1 - pi) + k * log_lam - lam - special.gammaln(k + 1)
    return -ll


YO = np.array([0, 2, 1, 2, 0, 1, 1, 2])


def ordinal_nll(x):
    beta = x[:2]
    cut = np.cumsum(np.concatenate(([x[2]], np.exp(x[3:4]))))
    eta = XD @ beta
    nll = 0.0
    for i, k in enumerate(YO):
        cdf = lambda c: 1 / (1 + np.exp(-(c - eta[i])))  # noqa: B023
        hi = cdf(cut[k]) if k < len(cut) else 1.0
        lo = cdf(cut[k - 1]) if k > 0 else 0.0
        nll -= np.log(hi - lo)
    return nll


DATA = np.concatenate([R_c.normal(-1, 0.5, 6), R_c.normal(1.5, 0.7, 6)])


def gmm_q(x):
    mu, log_sig, logit_w = x[:2], x[2:4], x[4]
    sig = np.exp(log_sig)
    w = np.array([1 / (1 + math.exp(-logit_w)), 0.0])
    w[1] = 1 - w[0]
    # E step with parameters fixed at the old point (constants)
    resp = np.array([[0.9, 0.1]] * 6 + [[0.2, 0.8]] * 6)
    ll = 0.0
    for k in range(2):
        lp = np.log(w[k]) - 0.5 * ((DATA - mu[k]) / sig[k]) ** 2 - np.log(sig[k])
        ll += resp[:, k] @ lp
    return -ll


def student_t_nll(x):
    loc, log_scale, log_df = x
    return -np.sum(stats.t.logpdf(DATA, df=np.exp(log_df), loc=loc, scale=np.exp(log_scale)))


def probit_nll(x):
    y = (YD > 0).astype(float)
    eta = XD @ x
    p = special.ndtr(eta)
    return -np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))


R_d = np.random.default_rng(263)


XS = R_d.standard_normal((4, 3))


def causal_attn(x):
    W = x.reshape(3, 3)
    q = XS @ W
    k = XS @ W.T
    v = XS
    s = q @ k.T / math.sqrt(3)
    mask = np.triu(np.ones((4, 4), dtype=bool), k=1)
    s = np.where(mask, -np.inf, s)
    s = s - s.max(axis=-1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=-1, keepdims=True)
    return np.sum((p @ v) ** 2)


class LayerNorm:
    eps = 1e-5

    def __init__(self, g, b):
        self.g, self.b = g, b

    def __call__(self, h):
        mean = h.mean(axis=-1, keepdims=True)
        var = ((h - mean) ** 2).mean(axis=-1, keepdims=True)
        return self.g * (h - mean) / np.sqrt(var + self.eps) + self.b


class RMSNorm(LayerNorm):
    def __init__(self, g):
        super().__init__(g, 0.0)

    def __call__(self, h):
        rms = np.sqrt(np.mean(h * h, axis=-1, keepdims=True) + self.eps)
        return self.g * h / rms


def gelu(z):
    return 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3)))


class Residual:
    def __init__(self, W, norm):
        self.W = W
        self.norm = norm

    def __call__(self, h):
        return h + gelu(self.norm(h) @ self.W)


def resblocks(x):
    W = x.reshape(3, 3)
    blocks = [
        Residual(W, LayerNorm(np.ones(3), np.zeros(3))),
        Residual(0.5 * W, RMSNorm(np.full(3, 1.2))),
    ]
    h = XS
    for blk in blocks:
        h = blk(h)
    return np.sum(h**2)


SEQ = R_d.standard_normal(10)


def conv1d_loop(x):
    k = len(x)
    out = np.zeros(len(SEQ) - k + 1)
    for i in range(len(out)):
        for j in range(k):
            out[i] += SEQ[i + j] * x[j]
    return np.sum(np.tanh(out) ** 2)


def conv1d_swv(x):
    win = np.lib.stride_tricks.sliding_window_view(SEQ, len(x))
    out = win @ x
    return np.sum(np.tanh(out) ** 2)


def conv1d_swv_input(x):
    win = np.lib.stride_tricks.sliding_window_view(x, 3)
    out = win @ np.array([0.2, -0.5, 0.3])
    return np.sum(out**2) + np.sum(win[:, 1] ** 3)


def maxpool(x):
    h = x.reshape(-1, 2)
    return np.sum(h.max(axis=1) ** 2) + np.sum(np.max(x.reshape(3, 2), axis=0))


MASK = R_d.uniform(size=6) > 0.4


def dropout_fixed(x, p=0.4):
    h = np.tanh(x)
    h = h * MASK / (1 - p)
    return np.sum(h**2)


def adam_inside(x, lr=0.1, b1=0.9, b2=0.999, eps=1e-8):
    w = np.zeros(2)
    m = np.zeros(2)
    v = np.zeros(2)
    A = x.reshape(2, 2)
    for t in range(1, 4):
        g = 2 * A.T @ (A @ w - 1.0)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mh = m / (1 - b1**t)
        vh = v / (1 - b2**t)
        w = w - lr * mh / (np.sqrt(vh) + eps)
    return np.sum((A @ w - 1.0) ** 2)


CASES = [
    Case(wls, (np.array([0.5, -0.1]),), (0,), extra="hvp"),
    Case(wls_closed, (0.1 * R_c.standard_normal(8),), (0,), extra="hvp"),
    Case(tobit_nll, (np.array([0.4, -0.2, -0.3]),), (0,), extra="hvp"),
    Case(zip_nll, (np.array([0.2, 0.4]),), (0,), extra="hvp"),
    Case(ordinal_nll, (np.array([0.3, -0.4, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(gmm_q, (np.array([-0.8, 1.2, -0.5, -0.3, 0.1]),), (0,), extra="hvp"),
    Case(student_t_nll, (np.array([0.1, -0.2, 1.0]),), (0,), extra="hvp"),
    Case(probit_nll, (np.array([0.5, -0.2]),), (0,), extra="hvp"),
    Case(causal_attn, (0.5 * R_d.standard_normal(9),), (0,), extra="hvp"),
    Case(resblocks, (0.5 * R_d.standard_normal(9),), (0,), extra="hvp"),
    Case(conv1d_loop, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(conv1d_swv, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(conv1d_swv_input, (R_d.standard_normal(6),), (0,), extra="hvp"),
    Case(maxpool, (np.array([0.3, -0.2, 0.5, 1.1, -0.7, 0.9]),), (0,), extra="hvp"),
    Case(dropout_fixed, (R_d.standard_normal(6),), (0,), extra="hvp"),
    Case(adam_inside, (np.array([1.0, 0.3, -0.2, 0.8]),), (0,), extra="hvp"),
]
