"""Ported cases (session 17, hunt17), written anew after whole programs as users write them: a
transformer block (layer norm, causal attention, GELU, residuals) from a dict of parameters, a VAE
loss with fixed noise, a Gaussian-process likelihood through Cholesky and triangular solves, a
Kalman filter, a 1-D finite-element assembly, a Sobel filter over a padded image, an HMM forward
pass in log space, Black-Scholes with `ndtr`, a Poisson regression with `gammaln`, soft-DTW and
log-domain Sinkhorn, an American put on a binomial tree, an explicit heat equation, and this
session's fix: sigmoids written out, steep or SiLU, evaluated where `np.exp` overflows (nan
derivatives before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
import scipy.special

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])
W4 = np.array([[0.4, -0.2, 0.1, 0.3], [0.0, 0.5, -0.3, 0.2], [0.2, 0.1, 0.4, -0.1],
               [-0.3, 0.2, 0.0, 0.5]])  # fmt: skip


# -- ML programs ----------------------------------------------------------------------------------
def _layer_norm(x, g, b, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return g * (x - mu) / np.sqrt(var + eps) + b


def _gelu(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def _attention(q, k, v, mask):
    s = q @ k.T / np.sqrt(q.shape[-1])
    s = np.where(mask, s, -1e9)
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)) @ v


def ml_transformer_block(x):
    p = {"wq": W4, "wk": W4.T, "wv": W4 * 0.5, "g": np.ones(4), "b": np.zeros(4)}
    h = x.reshape(3, 4)
    n = _layer_norm(h, p["g"], p["b"])
    mask = np.tril(np.ones((3, 3), dtype=bool))
    heads = [_attention(n[:, i : i + 2] @ p["wq"][i : i + 2, i : i + 2],
                        n[:, i : i + 2], n[:, i : i + 2] @ p["wv"][i : i + 2, i : i + 2], mask)
             for i in (0, 2)]  # fmt: skip
    h = h + np.concatenate(heads, axis=-1)
    return np.sum(h + _gelu(_layer_norm(h, p["g"], p["b"]) @ p["wk"]) ** 2)


def ml_vae_loss(w):
    x = np.array([1.0, 0.0, 1.0])
    eps = np.array([0.3, -0.8])
    h = np.tanh(x @ w[:6].reshape(3, 2) * np.ones(2))
    mu, logvar = h, 0.5 * h - 0.2
    z = mu + np.exp(0.5 * logvar) * eps
    p = np.clip(1.0 / (1.0 + np.exp(-(z @ w[6:12].reshape(2, 3)))), 1e-7, 1 - 1e-7)
    rec = -np.sum(x * np.log(p) + (1 - x) * np.log1p(-p))
    return rec - 0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))


def ml_gp_nll(theta):
    xs = np.linspace(0.0, 3.0, 5)
    ys = np.sin(xs) + np.array([0.1, -0.05, 0.02, 0.08, -0.1])
    ls, var, noise = np.exp(theta[:3] * 0.5)
    K = var * np.exp(-0.5 * (xs[:, None] - xs[None, :]) ** 2 / ls**2) + (noise + 1e-3) * np.eye(5)
    L = np.linalg.cholesky(K)
    a = scipy.linalg.solve_triangular(L, ys, lower=True)
    return 0.5 * a @ a + np.sum(np.log(np.diag(L)))


def ml_logistic_l1(w):
    xs = X.reshape(4, 3)
    y = np.array([1.0, 0.0, 0.0, 1.0])
    z = xs @ w[:3]
    return np.sum(np.logaddexp(0.0, z) - y * z) + 0.1 * np.sum(np.abs(w[:3]))


def ml_poisson_gammaln(w):
    xs = X.reshape(6, 2)
    y = np.array([1.0, 0.0, 3.0, 2.0, 1.0, 4.0])
    eta = xs @ w[:2] + w[2]
    return -np.sum(y * eta - np.exp(eta) - scipy.special.gammaln(y + 1))


def ml_sigmoids_saturated(x):
    v = x * np.array([1.0, 900.0, 1.0, -900.0, 1.0, 1.0, 1.0, 800.0, 1.0, 1.0, -1000.0, 1.0])
    steep = 1.0 / (1.0 + np.exp(-(v - 0.1) / 0.5))
    silu = v / (1 + np.exp(-v))
    return np.sum(steep * np.arange(12.0)) + np.sum(silu) + np.sum(2 / (1 + np.exp(-v)) - 1)


# -- filters, HMMs, finance ------------------------------------------------------------------------
def sim_kalman(p):
    a, q, r = 0.8 + 0.1 * p[0], np.exp(p[1]), np.exp(p[2])
    F = np.array([[1.0, 1.0], [0.0, a]])
    H = np.array([[1.0, 0.0]])
    m, P, ll = np.zeros(2), np.eye(2), 0.0
    for y in (0.3, 0.9, 1.4, 2.2):
        m = F @ m
        P = F @ P @ F.T + q * np.eye(2)
        S = H @ P @ H.T + r
        K = P @ H.T / S[0, 0]
        resid = y - (H @ m)[0]
        ll += -0.5 * (np.log(2 * np.pi * S[0, 0]) + resid**2 / S[0, 0])
        m = m + K[:, 0] * resid
        P = (np.eye(2) - K @ H) @ P
    return ll


def sim_hmm_forward(x):
    log_a = np.log(scipy.special.softmax(x[:4].reshape(2, 2), axis=1))
    log_b = np.log(scipy.special.softmax(x[4:10].reshape(2, 3), axis=1))
    alpha = np.log(np.array([0.6, 0.4])) + log_b[:, 0]
    for o in (1, 1, 0, 2, 1):
        alpha = scipy.special.logsumexp(alpha[:, None] + log_a, axis=0) + log_b[:, o]
    return scipy.special.logsumexp(alpha)


def sim_black_scholes(x):
    S, sigma = 100.0 + 10.0 * x[0], 0.2 + 0.05 * x[1]
    K, T, r = np.array([90.0, 100.0, 110.0]), 0.5, 0.02
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * np.sqrt(T))
    d2 = d1 - sigma * np.sqrt(T)
    return np.sum(S * scipy.special.ndtr(d1) - K * np.exp(-r * T) * scipy.special.ndtr(d2))


def sim_american_put(x):
    S0, sigma, n = 95.0 + 5.0 * x[0], 0.2 + 0.05 * x[1], 12
    dt = 1.0 / n
    u = math.exp(sigma * math.sqrt(dt))
    p = (math.exp(0.05 * dt) - 1 / u) / (u - 1 / u)
    st = S0 * u ** np.arange(n, -n - 1, -2)
    v = np.maximum(100.0 - st, 0.0)
    for _ in range(n):
        st = st[:-1] / u
        v = np.maximum(math.exp(-0.05 * dt) * (p * v[:-1] + (1 - p) * v[1:]), 100.0 - st)
    return v[0]


# -- assembly, stencils, dynamic programming -------------------------------------------------------
def sim_fem_1d(x):
    k = np.exp(0.3 * x[:5])
    n = len(k)
    K = np.zeros((n + 1, n + 1))
    F = np.zeros(n + 1)
    for i in range(n):
        K[i : i + 2, i : i + 2] += k[i] * n * np.array([[1.0, -1.0], [-1.0, 1.0]])
        F[i : i + 2] += 0.5 / n
    u = np.linalg.solve(K[1:, 1:], F[1:])
    return u @ F[1:]


def sim_sobel_padded(x):
    img = x.reshape(3, 4)
    p = np.pad(img, 1, mode="reflect")
    kx = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    gx = np.zeros_like(img)
    gy = np.zeros_like(img)
    for i in range(3):
        for j in range(3):
            gx += kx[i, j] * p[i : i + 3, j : j + 4]
            gy += kx[j, i] * p[i : i + 3, j : j + 4]
    return np.sum(np.sqrt(gx**2 + gy**2 + 1e-3))


def sim_heat_inplace(x):
    u = np.concatenate([[0.0], x[:6], [0.0]])
    for _ in range(10):
        u[1:-1] = u[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return np.sum(u**2)


def sim_soft_dtw(x):
    a, b = x[:4], x[4:9]
    D = (a[:, None] - b[None, :]) ** 2
    R = np.full((5, 6), np.inf)
    R[0, 0] = 0.0
    for i in range(1, 5):
        for j in range(1, 6):
            m = np.array([R[i - 1, j], R[i, j - 1], R[i - 1, j - 1]])
            R[i, j] = D[i - 1, j - 1] - 0.1 * scipy.special.logsumexp(-m / 0.1)
    return R[4, 5]


def sim_sinkhorn_log(x):
    C = np.abs(x[:9].reshape(3, 3)) + 0.1
    a, b = np.array([0.2, 0.3, 0.5]), np.array([0.4, 0.4, 0.2])
    f, g = np.zeros(3), np.zeros(3)
    for _ in range(20):
        f = -0.1 * scipy.special.logsumexp((g[None, :] - C) / 0.1, b=b[None, :], axis=1)
        g = -0.1 * scipy.special.logsumexp((f[:, None] - C) / 0.1, b=a[:, None], axis=0)
    return f @ a + g @ b


CASES = [
    Case(ml_transformer_block, (X,), (0,), extra="hvp"),
    Case(ml_vae_loss, (X,), (0,), extra="hvp"),
    Case(ml_gp_nll, (X,), (0,), extra="hvp"),
    Case(ml_logistic_l1, (X,), (0,), extra="hvp"),
    Case(ml_poisson_gammaln, (X,), (0,), extra="hvp"),
    Case(ml_sigmoids_saturated, (X,), (0,), extra="hvp"),
    Case(sim_kalman, (X,), (0,), extra="hvp"),
    Case(sim_hmm_forward, (X,), (0,), extra="hvp"),
    Case(sim_black_scholes, (X,), (0,), extra="hvp"),
    Case(sim_american_put, (X,), (0,), extra="hvp"),
    Case(sim_fem_1d, (X,), (0,), extra="hvp"),
    Case(sim_sobel_padded, (X,), (0,), extra="hvp"),
    Case(sim_heat_inplace, (X,), (0,), extra="hvp"),
    Case(sim_soft_dtw, (X,), (0,), extra="hvp"),
    Case(sim_sinkhorn_log, (X,), (0,), extra="hvp"),
]
