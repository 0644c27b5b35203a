"""Ported cases (session 14, hunt14), written anew after the shapes of ML losses, simulations and
other projects' examples: a focal loss, an NT-Xent contrastive loss whose diagonal is masked with
-inf, the KL divergence of two diagonal Gaussians, causal attention masked with -inf, a layer norm
by hand, GRU and LSTM cells in loops (the LSTM's gates in a list), a leapfrog n-body step with a
nested force function, an explicit heat equation writing ``u[1:-1]``, Runge-Kutta 4 on lists of
values with a nested right-hand side, a reaction-diffusion stencil with ``np.roll``, a Gaussian
process marginal likelihood (Cholesky and two solves), a semi-Lagrangian advection with
interpolation weights; and this session's fixes: ``np.nan_to_num`` of values with an infinite
derivative and a value under two different ``np.where`` conditions (nan gradients before), and
``np.gradient`` with differentiated coordinates (refused before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])
X24 = np.concatenate([X, 0.7 * X[::-1] + 0.1])
LABELS = np.array([0, 2, 1, 2])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# -- ML losses ----------------------------------------------------------------------------------
def ml_focal(x):
    logits = x.reshape(4, 3)
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    pt = p[np.arange(4), LABELS]
    return float(np.mean(-((1 - pt) ** 2.0) * np.log(pt)))


def ml_ntxent(x):
    e = x.reshape(4, 3)
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    sim = e @ e.T / 0.5
    np.fill_diagonal(sim, -np.inf)
    lse = np.log(np.sum(np.exp(sim), axis=1))
    return np.mean(lse - sim[np.arange(4), np.array([1, 0, 3, 2])])


def ml_kl_gauss(x):
    mu1, ls1, mu2, ls2 = x[:3], x[3:6], x[6:9], x[9:12]
    s1, s2 = np.exp(ls1), np.exp(ls2)
    return np.sum(ls2 - ls1 + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - 0.5)


def ml_causal_attention(x):
    q, k, v = x[:8].reshape(4, 2), x[8:16].reshape(4, 2), x[16:24].reshape(4, 2)
    s = q @ k.T
    s[np.triu_indices(4, 1)] = -np.inf
    w = np.exp(s - np.max(s, axis=1, keepdims=True))
    w = w / w.sum(1, keepdims=True)
    return float(np.sum(w @ v * v))


def ml_layernorm(x):
    h, g, b = x[:12].reshape(3, 4), x[12:16], x[16:20]
    mu = h.mean(-1, keepdims=True)
    var = ((h - mu) ** 2).mean(-1, keepdims=True)
    return np.sum(np.tanh((h - mu) / np.sqrt(var + 1e-5) * g + b))


def ml_gru(x):
    w, u = x[:12].reshape(3, 2, 2), x[12:24].reshape(3, 2, 2)
    h = np.zeros(2)
    for t in range(3):
        xt = np.array([np.sin(t), np.cos(t)])
        z = _sigmoid(w[0] @ xt + u[0] @ h)
        r = _sigmoid(w[1] @ xt + u[1] @ h)
        hh = np.tanh(w[2] @ xt + u[2] @ (r * h))
        h = (1 - z) * h + z * hh
    return np.sum(h**2)


def ml_lstm(x):
    w, b = x[:16].reshape(4, 2, 2), x[16:24].reshape(4, 2)
    h, c = np.zeros(2), np.zeros(2)
    hs = []
    for t in range(4):
        xt = np.array([0.5 * t, 1.0]) + h
        gates = [w[i] @ xt + b[i] for i in range(4)]
        c = _sigmoid(gates[1]) * c + _sigmoid(gates[0]) * np.tanh(gates[3])
        h = _sigmoid(gates[2]) * np.tanh(c)
        hs.append(h)
    return np.sum(np.stack(hs) ** 2)


# -- simulations --------------------------------------------------------------------------------
def sim_leapfrog(x):
    pos, vel = x[:6].reshape(3, 2).copy(), np.zeros((3, 2))
    m = np.array([1.0, 2.0, 1.5])

    def acc(p):
        d = p[:, None, :] - p[None, :, :]
        inv = (np.sum(d**2, -1) + 0.1) ** -1.5
        np.fill_diagonal(inv, 0.0)
        return -np.sum(d * (inv * m[None, :])[..., None], axis=1)

    a = acc(pos)
    for _ in range(4):
        vel += 0.005 * a
        pos += 0.01 * vel
        a = acc(pos)
        vel += 0.005 * a
    return np.sum(pos**2) + np.sum(vel**2)


def sim_heat(x):
    u = np.concatenate([[0.0], x[:8], [0.0]])
    for _ in range(5):
        u[1:-1] = u[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return np.sum(u**2)


def sim_rk4_lists(x):
    k = x[0] ** 2 + 0.5

    def rhs(s):
        return [s[1], -k * s[0] - 0.1 * s[1]]

    y, h = [x[1], x[2]], 0.1
    for _ in range(4):
        k1 = rhs(y)
        k2 = rhs([a + h / 2 * b for a, b in zip(y, k1)])
        k3 = rhs([a + h / 2 * b for a, b in zip(y, k2)])
        k4 = rhs([a + h * b for a, b in zip(y, k3)])
        y = [a + h / 6 * (p + 2 * q + 2 * r + s) for a, p, q, r, s in zip(y, k1, k2, k3, k4)]
    return float(y[0] ** 2 + y[1])


def sim_roll_stencil(x):
    u = x[:9].reshape(3, 3)
    for _ in range(3):
        lap = np.roll(u, 1, 0) + np.roll(u, -1, 0) + np.roll(u, 1, 1) + np.roll(u, -1, 1) - 4 * u
        u = u + 0.1 * lap - 0.05 * u**3
    return np.sum(u**2)


def ex_gp_nll(x):
    t = np.linspace(-1, 1, 6)
    y = np.sin(3 * t)
    ls, sig, noise = np.exp(x[0]), np.exp(x[1]), np.exp(x[2]) + 0.01
    k = sig * np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2 / ls**2) + noise * np.eye(6)
    chol = np.linalg.cholesky(k)
    alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(chol)))


def sim_advect(x):
    n = 8
    f = x[:8]
    vel = 0.3 + 0.1 * np.sin(np.arange(n)) + 0.05 * x[8]
    for _ in range(3):
        src = (np.arange(n) - vel) % n
        i0 = np.floor(src).astype(int)
        s = src - i0
        f = (1 - s) * f[i0] + s * f[(i0 + 1) % n]
    return np.sum(f**2 * np.arange(n))


# -- this session's fixes -----------------------------------------------------------------------
def fix_nan_to_num_wheres(x):
    y = np.sqrt(x)
    a = np.sum(np.nan_to_num(y, nan=x[0] * 2) * x) + np.sum(np.where(x > 0, y, 0.0))
    return a + np.sum(np.where(x > 0.3, y, 1.0) ** 2) + np.sum(np.nan_to_num(np.log(x)) ** 2)


def fix_gradient_coords(x):
    t = np.cumsum(np.exp(x[:6]))
    v = np.gradient(np.sin(x[:6]) * x[6:], t)
    return np.sum(np.gradient(v, t, edge_order=2) ** 2) + np.sum(
        np.gradient(x.reshape(2, 6), t, axis=1) ** 2
    )


CASES = [
    Case(ml_focal, (X,), (0,), extra="hvp"),
    Case(ml_ntxent, (X,), (0,), extra="hvp"),
    Case(ml_kl_gauss, (X,), (0,), extra="hvp"),
    Case(ml_causal_attention, (X24,), (0,), extra="hvp"),
    Case(ml_layernorm, (X24,), (0,), extra="hvp"),
    Case(ml_gru, (X24,), (0,), extra="hvp"),
    Case(ml_lstm, (X24,), (0,), extra="hvp"),
    Case(sim_leapfrog, (X,), (0,), extra="hvp"),
    Case(sim_heat, (X,), (0,), extra="hvp"),
    Case(sim_rk4_lists, (X,), (0,), extra="hvp"),
    Case(sim_roll_stencil, (X,), (0,), extra="hvp"),
    Case(sim_advect, (X,), (0,), extra="hvp"),
    Case(ex_gp_nll, (X,), (0,), extra="hvp"),
    Case(fix_nan_to_num_wheres, (X,), (0,), extra="hvp"),
    Case(fix_gradient_coords, (X,), (0,), extra="hvp"),
]
