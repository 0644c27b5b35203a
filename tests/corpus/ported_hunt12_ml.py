"""Ported cases (session 12, hunt12), written anew after the losses and models users write and
autograd's examples: softmax cross-entropy (vectorized and per row with math), attention with a
causal mask, layer and batch norm, a Gaussian mixture's and a VAE's objectives, GP marginal
likelihood by Cholesky, logistic regression with L1/L2, Huber, quantile, focal losses, a
dataclass layer; RNN/LSTM cells, a convolution with max pooling, semi-Lagrangian advection
(floor-indexed bilinear interpolation), an ODE net; MAML-style inner steps and hyperparameter
gradients through srcad.grad/hessian called inside, an HMC leapfrog.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import srcad

from . import Case

# -- ml --------------------------------------------------------------------------------

X_ML = np.array([-0.1599, -0.3129, 0.3954, 0.351, -1.0466, -0.2217, 1.1842, -0.3111, 0.6211])


R = np.random.default_rng(19300001)


X = R.standard_normal((6, 3))


Y = np.array([0, 2, 1, 1, 0, 2])


YB = (R.uniform(size=6) > 0.5).astype(float)


def ml_softmax_ce(w):
    W = w.reshape(3, 3)
    logits = X @ W
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(Y)), Y])


def ml_softmax_ce_onehot_loop(w):
    W = w.reshape(3, 3)
    total = 0.0
    for i in range(X.shape[0]):
        z = X[i] @ W
        m = max(z)
        s = sum(math.exp(zj - m) for zj in z)
        total += -(z[Y[i]] - m - math.log(s))
    return total / X.shape[0]


def ml_attention(w):
    q = X[:4] * w[:3]
    k = X[1:5] + w[3:6]
    v = X[2:6] * w[6:9]
    s = q @ k.T / np.sqrt(3.0)
    s = s - np.max(s, axis=-1, keepdims=True)
    a = np.exp(s)
    a /= a.sum(-1, keepdims=True)
    return np.sum((a @ v) ** 2)


def ml_causal_attention(w):
    q = X[:4] * w[:3]
    k = X[:4] * w[3:6]
    s = q @ k.T
    mask = np.tril(np.ones((4, 4), dtype=bool))
    s = np.where(mask, s, -1e9)
    a = np.exp(s - s.max(axis=1, keepdims=True))
    a = a / a.sum(axis=1, keepdims=True)
    return float(np.sum(a @ (X[:4] + w[6:9])))


def ml_layernorm(w):
    h = X * w[:3] + w[3:6]
    mu = h.mean(axis=-1, keepdims=True)
    var = ((h - mu) ** 2).mean(axis=-1, keepdims=True)
    y = (h - mu) / np.sqrt(var + 1e-5)
    return np.sum(y * w[6:9]) + np.sum(y**2 * 0.1)


def ml_gmm_nll(w):
    mus = w[:3]
    log_s = 0.3 * w[3:6]
    logits = w[6:9]
    logpi = logits - np.log(np.sum(np.exp(logits)))
    x = X[:, 0]
    comp = (
        -0.5 * ((x[:, None] - mus[None, :]) / np.exp(log_s)) ** 2 - log_s - 0.5 * np.log(2 * np.pi)
    ) + logpi
    m = comp.max(axis=1)
    return -np.sum(m + np.log(np.exp(comp - m[:, None]).sum(axis=1)))


def ml_vae_elbo(w):
    eps = np.array([0.3, -1.2, 0.5])
    mu, logvar = w[:3], 0.5 * w[3:6]
    z = mu + np.exp(0.5 * logvar) * eps
    recon = np.tanh(z * w[6:9])
    rec_loss = np.sum((recon - X[0]) ** 2)
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return rec_loss + kl


def ml_gp_nll(w):
    x = X[:, 0]
    y = X[:, 1]
    ls = np.exp(0.3 * w[0])
    sf2 = np.exp(0.3 * w[1])
    sn2 = np.exp(0.3 * w[2]) + 1e-3
    K = sf2 * np.exp(-0.5 * (x[:, None] - x[None, :]) ** 2 / ls**2) + sn2 * np.eye(len(x))
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + np.sum(w[3:] ** 2) * 0.01


def ml_logreg_l1l2(w):
    z = X @ w[:3] + w[3]
    p = 1 / (1 + np.exp(-z))
    nll = -np.mean(YB * np.log(p + 1e-12) + (1 - YB) * np.log(1 - p + 1e-12))
    return nll + 0.1 * np.sum(np.abs(w[:3])) + 0.05 * np.dot(w[:3], w[:3]) + 0 * np.sum(w[4:])


def ml_huber_loop(w):
    total = 0.0
    for xi, yi in zip(X, YB):
        r = float(xi @ w[:3]) - yi
        if abs(r) <= 1.0:
            total += 0.5 * r * r
        else:
            total += abs(r) - 0.5
    return total + w[3] * w[4] * w[5] - w[6] ** 2 + w[7] * w[8]


def ml_quantile(w):
    r = X[:, 1] - (X @ w[:3] + w[3])
    taus = np.array([0.1, 0.5, 0.9])
    losses = [np.mean(np.maximum(t * r, (t - 1) * r)) for t in taus]
    return sum(losses) + 0.01 * np.sum(w**2)


@dataclass
class Dense:
    W: np.ndarray
    b: np.ndarray

    def __call__(self, h):
        return np.tanh(h @ self.W + self.b)


def ml_mlp_dataclass(w):
    l1 = Dense(w[:6].reshape(3, 2), w[6:8])
    h = l1(X)
    return np.sum(h**2) * w[8] + np.sum(h[:, 0] * h[:, 1])


def ml_focal(w):
    z = X @ w[:3]
    p = 1.0 / (1.0 + np.exp(-z))
    pt = np.where(YB > 0.5, p, 1 - p)
    gamma = 2.0
    return -np.sum((1 - pt) ** gamma * np.log(np.clip(pt, 1e-8, 1.0))) + np.sum(w[3:] ** 2)


def ml_batchnorm(w):
    h = X * w[:3]
    mean = h.mean(axis=0)
    var = h.var(axis=0)
    hn = (h - mean) / np.sqrt(var + 1e-5)
    return np.sum(hn * w[3:6] + w[6:9]) + np.sum(hn[:2] ** 3)


# -- ag --------------------------------------------------------------------------------

X_AG = np.array(
    [
        -0.5302,
        0.4158,
        -0.3895,
        -0.1348,
        1.3318,
        0.092,
        -0.0654,
        -0.1845,
        -0.043,
        -0.3899,
        0.0418,
        -0.0995,
    ]
)


R = np.random.default_rng(19300002)


SEQ = R.standard_normal((5, 2))


IMG = R.standard_normal((6, 6))


def ag_rnn(w):
    Wx = w[:4].reshape(2, 2)
    Wh = w[4:8].reshape(2, 2) * 0.5
    b = w[8:10]
    h = np.zeros(2)
    hs = []
    for t in range(SEQ.shape[0]):
        h = np.tanh(SEQ[t] @ Wx + h @ Wh + b)
        hs.append(h)
    out = np.array(hs)
    return np.sum(out[-1] * w[10:12]) + 0.1 * np.sum(out**2)


def _sigmoid(z):
    return 0.5 * (np.tanh(z / 2) + 1)


def ag_lstm(w):
    W = w[:8].reshape(2, 4) * 0.7
    bias = np.concatenate([w[8:10], w[8:10] * 0.5])
    h = np.zeros(1)
    c = np.zeros(1)
    for x in SEQ:
        z = x @ W + bias + np.concatenate([h, h, h, h]) * w[10]
        i, f, o, g = _sigmoid(z[0]), _sigmoid(z[1]), _sigmoid(z[2]), np.tanh(z[3])
        c = f * c + i * g
        h = o * np.tanh(c)
    return float(h[0] * w[11] + np.sum(c**2))


def ag_conv2d(w):
    k = w[:9].reshape(3, 3)
    out = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            out[i, j] = np.sum(IMG[i : i + 3, j : j + 3] * k)
    pooled = out.reshape(2, 2, 2, 2).max(axis=(1, 3))
    return np.sum(np.maximum(pooled, 0) * w[9]) + np.sum(out**2) * 0.01 + w[10] * w[11]


def ag_fluid_advect(w):
    n = 6
    f = IMG * (1 + 0.1 * w[0])
    vx = 0.3 + 0.1 * w[1:7][None, :] * np.ones((n, 1))
    vy = 0.2 + 0.1 * w[6:12][:, None] * np.ones((1, n))
    for _ in range(2):
        rows, cols = np.mgrid[0:n, 0:n].astype(float)
        x = (cols - vx) % (n - 1)
        y = (rows - vy) % (n - 1)
        x0 = np.floor(x).astype(int)
        y0 = np.floor(y).astype(int)
        dx, dy = x - x0, y - y0
        f = (1 - dx) * ((1 - dy) * f[y0, x0] + dy * f[y0 + 1, x0]) + dx * (
            (1 - dy) * f[y0, x0 + 1] + dy * f[y0 + 1, x0 + 1]
        )
    return np.sum(f**2)


def ag_mixture_logsumexp(w):
    from scipy.special import logsumexp

    x = SEQ.ravel()
    means = w[:3]
    logw = w[3:6] - logsumexp(w[3:6])
    ll = logsumexp(logw - 0.5 * (x[:, None] - means) ** 2, axis=1)
    return -np.sum(ll) + np.sum(w[6:] ** 2)


def ag_ode_net_euler(w):
    W = w[:4].reshape(2, 2) * 0.5
    b = w[4:6]
    z = SEQ[0].copy()
    for _t in range(10):
        z = z + 0.1 * np.tanh(W @ z + b)
    return np.sum((z - SEQ[1]) ** 2) + np.sum(w[6:] * 0.0)


def ag_rkhs_like(w):
    xs = np.linspace(-1, 1, 6)
    alpha = w[:6]
    ls = 0.5 + 0.1 * w[6] ** 2

    def k(a, b):
        return np.exp(-((a - b) ** 2) / ls)

    f = lambda t: sum(alpha[i] * k(xs[i], t) for i in range(6))
    return sum((f(t) - math.sin(3 * t)) ** 2 for t in np.linspace(-1, 1, 5)) + np.sum(w[7:] ** 2)


# -- meta --------------------------------------------------------------------------------

X_META = np.array([-0.8592, -0.5766, -0.0753, 0.0466])


R = np.random.default_rng(19300006)


XS = R.standard_normal((5, 3))


YS = XS @ np.array([0.5, -1.0, 2.0]) + 0.1


def _loss(w, X, y):
    return np.mean((X @ w - y) ** 2)


def meta_maml_inner_grad(p):
    w = p[:3]
    lr = 0.05 + 0.01 * p[3] ** 2
    for _ in range(3):
        w = w - lr * srcad.grad(_loss)(w, XS, YS)
    return _loss(w, XS[::-1], YS[::-1])


def _loss2(w, lam):
    return np.sum(np.tanh(XS @ w) ** 2) + lam * np.sum(w**2)


def meta_hyper_l2(p):
    lam = np.exp(p[3])
    w = p[:3].copy()
    g = srcad.grad(_loss2)
    for _ in range(4):
        w = w - 0.1 * g(w, lam)
    return np.sum((XS @ w - YS) ** 2)


def _energy(q):
    return 0.5 * np.sum(q**2) + 0.1 * np.sum(q**4)


def meta_hmc_leapfrog(p):
    q = p[:2].copy()
    mom = p[2:4].copy()
    eps = 0.1
    gU = srcad.grad(_energy)
    mom = mom - 0.5 * eps * gU(q)
    for _ in range(3):
        q = q + eps * mom
        mom = mom - eps * gU(q)
    mom = mom + 0.5 * eps * gU(q)
    return _energy(q) + 0.5 * np.sum(mom**2)


def meta_newton_step_hessian(p):
    f = lambda w: np.sum(np.exp(w * 0.3)) + np.sum((w - 1) ** 2)
    w = p.copy()
    for _ in range(2):
        H = srcad.hessian(f)(w)
        w = w - np.linalg.solve(H, srcad.grad(f)(w))
    return np.sum(w**2) + f(p)


CASES = [
    Case(ml_softmax_ce, (X_ML,), (0,), extra="hvp"),
    Case(ml_softmax_ce_onehot_loop, (X_ML,), (0,), extra="hvp"),
    Case(ml_attention, (X_ML,), (0,), extra="hvp"),
    Case(ml_causal_attention, (X_ML,), (0,), extra="hvp"),
    Case(ml_layernorm, (X_ML,), (0,), extra="hvp"),
    Case(ml_gmm_nll, (X_ML,), (0,), extra="hvp"),
    Case(ml_vae_elbo, (X_ML,), (0,), extra="hvp"),
    Case(ml_gp_nll, (X_ML,), (0,), extra="hvp"),
    Case(ml_logreg_l1l2, (X_ML,), (0,), extra="hvp"),
    Case(ml_huber_loop, (X_ML,), (0,), extra="hvp"),
    Case(ml_quantile, (X_ML,), (0,), extra="hvp"),
    Case(ml_mlp_dataclass, (X_ML,), (0,), extra="hvp"),
    Case(ml_focal, (X_ML,), (0,), extra="hvp"),
    Case(ml_batchnorm, (X_ML,), (0,), extra="hvp"),
    Case(ag_rnn, (X_AG,), (0,), extra="hvp"),
    Case(ag_lstm, (X_AG,), (0,), extra="hvp"),
    Case(ag_conv2d, (X_AG,), (0,), extra="hvp"),
    Case(ag_fluid_advect, (X_AG,), (0,), extra="hvp"),
    Case(ag_mixture_logsumexp, (X_AG,), (0,), extra="hvp"),
    Case(ag_ode_net_euler, (X_AG,), (0,), extra="hvp"),
    Case(ag_rkhs_like, (X_AG,), (0,), extra="hvp"),
    Case(meta_maml_inner_grad, (X_META,), (0,), extra="hvp"),
    Case(meta_hyper_l2, (X_META,), (0,), extra="hvp"),
    Case(meta_hmc_leapfrog, (X_META,), (0,), extra="hvp"),
    Case(meta_newton_step_hessian, (X_META,), (0,), extra="hvp"),
]
