"""Ported cases (session 28, hunt28a), written anew after scientific and ML programs: an implicit
Euler step solved by Newton's method in a ``while True`` with a tolerance ``break``, a shooting
method by secant iterations on the initial slope (a helper returning a tuple), LQR gains by a
backward Riccati recursion with ``np.linalg.solve`` kept in a list then ``reverse()``-d for the
rollout, a GP marginal likelihood with the kernel filled by a double loop of ``math.exp`` and
``solve_triangular`` (and with ``scipy.linalg.cho_factor``/``cho_solve`` on broadcast ARD distances),
multi-head attention by ``reshape``/``transpose`` with a causal ``np.triu`` mask through
``np.where(mask, -1e9, s)``, layernorm and a tanh GELU, a VAE ELBO with a seeded
reparameterisation, planar flows and an affine coupling with ``slogdet``, InfoNCE on normalised
embeddings, GNN message passing by ``np.add.at`` and segment means by ``np.bincount(weights=)``,
ray-sphere shading with hit masks, a particle filter with systematic resampling by
``np.searchsorted`` of ``np.cumsum`` weights, a finite-volume Burgers step with a minmod limiter
and ``np.pad(mode="edge")``, a convolution by ``sliding_window_view`` and ``einsum``, bilinear
sampling with ``int(np.floor(u))``, CVaR of a softmax portfolio by ``np.sort`` with ``np.cov``, a
Cox partial likelihood with a reversed ``np.cumsum``, Huber/Tukey/quantile losses, a physics-informed
loss by finite differences of a small network.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
from scipy.linalg import solve_triangular

from . import Case


def implicit_euler_newton(p):
    k, y0 = p[0], p[1]
    y = y0
    h = 0.1
    for _ in range(5):
        z = y
        it = 0
        while True:
            r = z - y - h * (-k * z**3)
            dr = 1 + 3 * h * k * z**2
            dz = r / dr
            z = z - dz
            it += 1
            if abs(dz) < 1e-12 or it > 50:
                break
        y = z
    return y


def shoot_rhs(y, v, a):
    return v, -a * y


def shoot_end(s, a, n=20):
    y, v = 0.0, s
    h = 1.0 / n
    for _ in range(n):
        dy, dv = shoot_rhs(y, v, a)
        y, v = y + h * dy, v + h * dv
    return y


def shooting(p):
    a = p[0]
    target = p[1]
    s0, s1 = 0.5, 1.5
    f0, f1 = shoot_end(s0, a) - target, shoot_end(s1, a) - target
    for _ in range(6):
        s2 = s1 - f1 * (s1 - s0) / (f1 - f0)
        s0, f0 = s1, f1
        s1 = s2
        f1 = shoot_end(s1, a) - target
        if abs(f1) < 1e-13:
            break
    return s1 + a * s1**2


def lqr_riccati(p):
    A = np.array([[1.0, 0.1], [0.0, 1.0]])
    B = np.array([[0.0], [0.1]])
    Q = np.diag([p[0], p[1]])
    R = np.array([[p[2]]])
    P = Q.copy()
    Ks = []
    for _ in range(8):
        S = R + B.T @ P @ B
        K = np.linalg.solve(S, B.T @ P @ A)
        P = Q + A.T @ P @ (A - B @ K)
        Ks.append(K)
    Ks.reverse()
    x = np.array([1.0, 0.0])
    cost = 0.0
    for K in Ks:
        u = -K @ x
        cost += x @ Q @ x + u @ R @ u
        x = A @ x + B @ u
    return cost


def gp_double_loop(theta):
    X = np.array([0.0, 0.3, 0.9, 1.4, 2.0])
    y = np.array([0.1, 0.4, -0.2, 0.5, 0.3])
    ell, sf, sn = np.exp(theta)
    n = len(X)
    K = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            K[i, j] = sf**2 * math.exp(-0.5 * (X[i] - X[j]) ** 2 / ell**2)
    K[np.diag_indices(n)] += sn**2
    L = np.linalg.cholesky(K)
    a = solve_triangular(L, y, lower=True)
    return 0.5 * a @ a + np.log(np.diag(L)).sum() + 0.5 * n * np.log(2 * np.pi)


def gp_cho_factor(theta):
    X = np.array([[0.0, 0.1], [0.3, 0.5], [0.9, -0.2], [1.4, 0.7]])
    y = np.array([0.1, 0.4, -0.2, 0.5])
    ls = np.exp(theta[:2])
    sn = np.exp(theta[2])
    Z = X / ls
    d2 = ((Z[:, None, :] - Z[None, :, :]) ** 2).sum(-1)
    K = np.exp(-0.5 * d2) + sn**2 * np.eye(len(y))
    c, low = sla.cho_factor(K, lower=True)
    alpha = sla.cho_solve((c, low), y)
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(c)))


def mha(x):
    T, D, H = 3, 4, 2
    X = x.reshape(T, D)
    Wq = np.linspace(-0.5, 0.5, D * D).reshape(D, D)
    Wk = np.cos(np.arange(D * D)).reshape(D, D) * 0.3
    Wv = np.sin(np.arange(D * D)).reshape(D, D) * 0.3
    q = (X @ Wq).reshape(T, H, D // H).transpose(1, 0, 2)
    k = (X @ Wk).reshape(T, H, D // H).transpose(1, 0, 2)
    v = (X @ Wv).reshape(T, H, D // H).transpose(1, 0, 2)
    s = q @ k.transpose(0, 2, 1) / np.sqrt(D // H)
    mask = np.triu(np.ones((T, T), dtype=bool), k=1)
    s = np.where(mask, -1e9, s)
    s = s - s.max(axis=-1, keepdims=True)
    a = np.exp(s)
    a /= a.sum(axis=-1, keepdims=True)
    o = (a @ v).transpose(1, 0, 2).reshape(T, D)
    mu = o.mean(-1, keepdims=True)
    var = o.var(-1, keepdims=True)
    o = (o - mu) / np.sqrt(var + 1e-5)
    g = 0.5 * o * (1 + np.tanh(np.sqrt(2 / np.pi) * (o + 0.044715 * o**3)))
    return np.sum(g**2)


def vae_elbo(p):
    rng = np.random.default_rng(0)
    eps = rng.standard_normal((4, 2))
    x = np.array([0.2, -0.1, 0.5])
    W = p[:6].reshape(3, 2)
    mu = x @ W
    logvar = p[6:8]
    z = mu + np.exp(0.5 * logvar) * eps
    Wd = p[8:14].reshape(2, 3)
    xr = z @ Wd
    rec = -0.5 * np.sum((xr - x) ** 2, axis=1).mean()
    kl = -0.5 * np.sum(1 + logvar - mu**2 - np.exp(logvar))
    return rec - kl


def planar_flow(p):
    z = np.array([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]])
    logdet = np.zeros(len(z))
    for k in range(2):
        u = p[4 * k : 4 * k + 2]
        w = p[4 * k + 2 : 4 * k + 4]
        b = 0.1 * k
        a = np.tanh(z @ w + b)
        psi = (1 - a**2)[:, None] * w
        logdet += np.log(np.abs(1 + psi @ u))
        z = z + u * a[:, None]
    return np.sum(-0.5 * z**2) + logdet.sum()


def affine_coupling(p):
    x = np.array([[0.1, 0.2, -0.3, 0.4], [0.5, -0.6, 0.7, 0.1]])
    W = np.eye(4) + 0.1 * p[:16].reshape(4, 4)
    y = x @ W
    sign, ld = np.linalg.slogdet(W)
    x1, x2 = y[:, :2], y[:, 2:]
    s = np.tanh(x1 @ p[16:20].reshape(2, 2))
    t = x1 * p[20]
    y2 = x2 * np.exp(s) + t
    out = np.concatenate([x1, y2], axis=1)
    return -0.5 * np.sum(out**2) + len(x) * ld + s.sum()


def info_nce(p):
    E = p.reshape(3, 2)
    F = E[::-1] + 0.1
    E = E / np.linalg.norm(E, axis=1, keepdims=True)
    F = F / np.linalg.norm(F, axis=1, keepdims=True)
    S = E @ F.T / 0.5
    lse = np.log(np.exp(S).sum(axis=1))
    return np.mean(lse - np.diag(S))


def gnn_add_at(p):
    src = np.array([0, 1, 2, 2, 3])
    dst = np.array([1, 2, 0, 3, 0])
    h = p.reshape(4, 2)
    W = np.array([[0.5, -0.2], [0.3, 0.8]])
    for _ in range(2):
        msg = np.tanh(h[src] @ W)
        agg = np.zeros_like(h)
        np.add.at(agg, dst, msg)
        h = h + agg
    return np.sum(h**2)


def gnn_bincount(p):
    seg = np.array([0, 0, 1, 2, 2, 2])
    v = p**2 + np.sin(p)
    s = np.bincount(seg, weights=v, minlength=3)
    cnt = np.bincount(seg, minlength=3)
    m = s / cnt
    return np.sum(m**2) + s[2]


def ray_sphere(p):
    c = p[:3]
    r = p[3]
    d = np.array([[0.0, 0.0, 1.0], [0.1, 0.0, 0.995], [0.15, 0.1, 0.98], [0.9, 0.0, 0.43]])
    d = d / np.linalg.norm(d, axis=1, keepdims=True)
    b = d @ c
    disc = b**2 - (c @ c - r**2)
    hit = disc > 0
    t = np.where(hit, b - np.sqrt(np.where(hit, disc, 1.0)), 0.0)
    pts = t[:, None] * d
    n = (pts - c) / r
    shade = np.clip(n @ np.array([0.0, 0.6, -0.8]), 0.0, None)
    return np.sum(shade * hit)


def pf_resample(p):
    q, r = p[0], p[1]
    rng = np.random.default_rng(3)
    N = 8
    x = rng.standard_normal(N)
    obs = [0.2, 0.5, 0.1]
    ll = 0.0
    for y in obs:
        x = 0.9 * x + q * rng.standard_normal(N)
        w = np.exp(-0.5 * (y - x) ** 2 / r**2) / r
        ll += np.log(w.mean())
        w = w / w.sum()
        u = (np.arange(N) + 0.5) / N
        idx = np.searchsorted(np.cumsum(w), u)
        idx = np.minimum(idx, N - 1)
        x = x[idx]
    return ll


def minmod(a, b):
    return np.where(a * b > 0, np.sign(a) * np.minimum(np.abs(a), np.abs(b)), 0.0)


def fv_minmod(u0):
    u = u0.copy()
    dx, dt = 0.1, 0.02
    for _ in range(3):
        up = np.pad(u, 1, mode="edge")
        s = minmod(up[1:-1] - up[:-2], up[2:] - up[1:-1])
        uL = u + 0.5 * s
        uR = np.roll(u - 0.5 * s, -1)
        f = 0.5 * (0.5 * uL**2 + 0.5 * uR**2) - 0.5 * np.maximum(np.abs(uL), np.abs(uR)) * (uR - uL)
        u[1:] -= dt / dx * (f[1:] - f[:-1])
    return np.sum(u**2)


def conv_sliding(p):
    img = np.outer(np.linspace(0, 1, 5), np.linspace(1, 2, 5))
    k = p.reshape(2, 2)
    win = np.lib.stride_tricks.sliding_window_view(img, (2, 2))
    out = np.einsum("ijkl,kl->ij", win, k)
    return np.sum(np.tanh(out) ** 2)


def bilinear_sample(p):
    img = np.outer(np.sin(np.arange(4.0)), np.cos(np.arange(4.0))) + 1
    tot = 0.0
    for u, v in zip(p[::2], p[1::2]):
        x0, y0 = int(np.floor(u)), int(np.floor(v))
        fx, fy = u - x0, v - y0
        x1, y1 = min(x0 + 1, 3), min(y0 + 1, 3)
        val = (
            img[y0, x0] * (1 - fx) * (1 - fy)
            + img[y0, x1] * fx * (1 - fy)
            + img[y1, x0] * (1 - fx) * fy
            + img[y1, x1] * fx * fy
        )
        tot += val**2
    return tot


def cvar_portfolio(p):
    R = np.array(
        [[0.01, -0.02, 0.03], [0.02, 0.01, -0.01], [-0.03, 0.02, 0.01], [0.0, -0.01, 0.02],
         [0.015, 0.005, -0.02]]
    )  # fmt: skip
    w = np.exp(p) / np.exp(p).sum()
    loss = -(R @ w)
    s = np.sort(loss)[::-1]
    k = 2
    cvar = s[:k].mean()
    return cvar + 0.5 * w @ np.cov(R.T) @ w


def cox_ph(beta):
    X = np.array([[0.1, 1.0], [0.5, -0.2], [-0.3, 0.4], [0.8, 0.1], [0.2, -0.5]])
    t = np.array([5.0, 3.0, 4.0, 1.0, 2.0])
    e = np.array([1, 0, 1, 1, 0])
    o = np.argsort(t)
    X, e = X[o], e[o]
    eta = X @ beta
    risk = np.cumsum(np.exp(eta)[::-1])[::-1]
    return -np.sum(e * (eta - np.log(risk)))


def robust_losses(p):
    r = p - np.array([0.1, 0.5, -2.0, 3.0])
    c = 1.0
    hub = np.where(np.abs(r) <= c, 0.5 * r**2, c * (np.abs(r) - 0.5 * c))
    kt = 4.685
    tuk = np.where(np.abs(r) <= kt, kt**2 / 6 * (1 - (1 - (r / kt) ** 2) ** 3), kt**2 / 6)
    tau = 0.3
    qt = np.maximum(tau * r, (tau - 1) * r)
    return hub.sum() + tuk.sum() + qt.sum()


def pinn(p):
    W1 = p[:4].reshape(4, 1)
    b1 = p[4:8]
    w2 = p[8:12]

    def u(x):
        return np.tanh(x[:, None] @ W1.T + b1) @ w2

    xs = np.linspace(0.1, 0.9, 5)
    h = 1e-2
    uxx = (u(xs + h) - 2 * u(xs) + u(xs - h)) / h**2
    res = uxx + np.pi**2 * np.sin(np.pi * xs)
    bc = u(np.array([0.0, 1.0]))
    return np.mean(res**2) * 1e-3 + np.sum(bc**2)


CASES = [
    Case(implicit_euler_newton, (np.array([0.8, 1.2]),), (0,), extra="hvp"),
    Case(shooting, (np.array([1.3, 0.7]),), (0,), extra="hvp"),
    Case(lqr_riccati, (np.array([1.0, 0.5, 0.2]),), (0,), extra="hvp"),
    Case(gp_double_loop, (np.array([-0.2, 0.1, -1.5]),), (0,), extra="hvp"),
    Case(gp_cho_factor, (np.array([-0.2, 0.1, -1.5]),), (0,), extra="hvp"),
    Case(mha, (np.sin(np.arange(12.0)),), (0,), extra="hvp"),
    Case(vae_elbo, (np.cos(np.arange(14.0)) * 0.5,), (0,), extra="hvp"),
    Case(planar_flow, (np.cos(np.arange(8.0)) * 0.5,), (0,), extra="hvp"),
    Case(affine_coupling, (np.sin(np.arange(21.0)) * 0.5,), (0,), extra="hvp"),
    Case(info_nce, (np.array([0.3, 0.8, -0.5, 0.2, 0.7, -0.9]),), (0,), extra="hvp"),
    Case(gnn_add_at, (np.sin(np.arange(8.0)),), (0,), extra="hvp"),
    Case(gnn_bincount, (np.sin(np.arange(6.0)) + 0.3,), (0,), extra="hvp"),
    Case(ray_sphere, (np.array([0.1, 0.05, 3.0, 1.0]),), (0,), extra="hvp"),
    Case(pf_resample, (np.array([0.4, 0.6]),), (0,), extra="hvp", jitter=0.0),
    Case(fv_minmod, (np.array([0.3, 0.5, 0.9, 0.6, 0.2, 0.1]),), (0,), extra="hvp", jitter=0.0),
    Case(conv_sliding, (np.array([0.3, -0.2, 0.5, 0.1]),), (0,), extra="hvp"),
    Case(bilinear_sample, (np.array([0.3, 1.4, 2.2, 0.6]),), (0,), extra="hvp"),
    Case(cvar_portfolio, (np.array([0.1, -0.2, 0.3]),), (0,), extra="hvp", jitter=0.0),
    Case(cox_ph, (np.array([0.3, -0.4]),), (0,), extra="hvp"),
    Case(robust_losses, (np.array([0.4, 2.0, -1.3, 9.0]),), (0,), extra="hvp"),
    Case(pinn, (np.sin(np.arange(12.0)) * 0.5,), (0,), extra="hvp"),
]
