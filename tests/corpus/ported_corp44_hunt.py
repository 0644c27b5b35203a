"""Ported cases (session 44, hunt44, part 1 of 2: ported_corp44_hunt2): held-out-style
scientific programs written fresh that srcad gets right (fwd, rev, hvp): explicit heat stencils
(``u[1:-1] = ...`` and an ``x[i, j] = ...`` double loop), an upwind finite-volume step,
Lennard-Jones with a cutoff ``np.where`` and a velocity-Verlet run, SPH densities,
Lax-Friedrichs shallow water, a sphere-traced ray march, spline evaluation with
``searchsorted``, a ``vander``/``polyval`` fit, Black-Scholes and a GBM Monte Carlo with fixed
draws, an HMM forward pass in log space, a GP marginal likelihood with Cholesky/solve/slogdet,
a filterpy-like Kalman filter class whose methods update ``self`` and an RTS smoother,
spectral-norm, an LSTM cell, causal attention, EM for a Gaussian mixture and a 1-D FEM assembly
with ``np.ix_``.

Float64 arrays -> floats."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import logsumexp, ndtr

from . import Case

V6 = np.array([0.7, -0.4, 1.2, 0.3, -0.9, 0.55])


def heat_slices(u0):
    u = u0.copy()
    for _ in range(10):
        u[1:-1] = u[1:-1] + 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
    return np.sum(u**2) + u[2] * u[3]


def heat_loops(p):
    g = np.zeros((4, 5))
    g[1:3, 1:4] = p.reshape(2, 3)
    for _ in range(3):
        new = g.copy()
        for i in range(1, 3):
            for j in range(1, 4):
                lap = g[i + 1, j] + g[i - 1, j] + g[i, j + 1] + g[i, j - 1] - 4 * g[i, j]
                new[i, j] = g[i, j] + 0.1 * lap
        g = new
    return np.sum(g**3)


def upwind(q0):
    q = q0.copy()
    for _ in range(6):
        flux = 0.8 * q
        q[1:] = q[1:] - 0.5 * (flux[1:] - flux[:-1])
        q[0] = q[0] - 0.5 * (flux[0] - flux[-1])
    return q @ q


def _lj_forces(p):
    d = p[:, None, :] - p[None, :, :]
    r2 = np.sum(d**2, -1) + np.eye(3)
    inv6 = 1 / r2**3
    f = (48 * inv6**2 - 24 * inv6) / r2
    f = np.where(r2 < 9.0, f, 0.0) * (1 - np.eye(3))
    return np.sum(f[:, :, None] * d, axis=1)


def lj_verlet(pos0):
    p = pos0.reshape(3, 2).copy()
    v = np.zeros_like(p)
    a = _lj_forces(p)
    for _ in range(5):
        p = p + 0.005 * v + 0.5 * 0.005**2 * a
        an = _lj_forces(p)
        v = v + 0.0025 * (a + an)
        a = an
    return np.sum(p**2) + np.sum(v**2)


def sph_density(xp):
    r = np.abs(xp[:, None] - xp[None, :]) / 0.8
    w = np.where(r < 1, 1 - 1.5 * r**2 + 0.75 * r**3, np.where(r < 2, 0.25 * (2 - r) ** 3, 0.0))
    return np.sum((np.sum(w, axis=1) / 0.8) ** 2)


def shallow_water(h0):
    h = 1.0 + 0.1 * h0
    hu = np.zeros_like(h)
    c = 0.05 / 2
    for _ in range(4):
        f1 = hu
        f2 = hu * hu / h + 0.5 * 9.81 * h**2
        hn = 0.5 * (np.roll(h, 1) + np.roll(h, -1)) - c * (np.roll(f1, -1) - np.roll(f1, 1))
        hun = 0.5 * (np.roll(hu, 1) + np.roll(hu, -1)) - c * (np.roll(f2, -1) - np.roll(f2, 1))
        h, hu = hn, hun
    return np.sum(h**2) + np.sum(hu**2)


def ray_march(c):
    o = np.array([0.0, 0.0, -4.0])
    d = np.array([0.05, 0.02, 1.0])
    d = d / np.linalg.norm(d)
    t = 0.0
    for _ in range(30):
        q = o + t * d
        t += np.sqrt(np.sum((q - c) ** 2) + 1e-12) - 1.0
    return t + (o + t * d)[0]


KNOTS = np.linspace(0.0, 1.0, 6)


def spline_lookup(y):
    xs = np.array([0.05, 0.31, 0.5, 0.77, 0.99])
    i = np.clip(np.searchsorted(KNOTS, xs) - 1, 0, len(KNOTS) - 2)
    t = (xs - KNOTS[i]) / (KNOTS[i + 1] - KNOTS[i])
    v = (1 - t) * y[i] + t * y[i + 1]
    return np.sum(v**2 * np.sin(v))


def vander_fit(c):
    xs = np.linspace(-1, 1, 7)
    yhat = np.polyval(c[:4], xs)
    return np.sum((np.vander(xs, 4) @ c[:4] - np.sin(xs)) ** 2) + np.sum(yhat**2) * c[4]


def black_scholes(p):
    s, k, t, r = p[0] + 100, 100.0, 1.0, 0.03
    sig = abs(p[1]) * 0.1 + 0.2
    d1 = (np.log(s / k) + (r + 0.5 * sig**2) * t) / (sig * np.sqrt(t))
    d2 = d1 - sig * np.sqrt(t)
    return s * ndtr(d1) - k * np.exp(-r * t) * ndtr(d2)


DRAWS = np.random.default_rng(3).standard_normal((50, 8))


def gbm_call(p):
    mu, sig = p[0] * 0.1, abs(p[1]) * 0.2 + 0.1
    s = np.full(50, 1.0)
    for k in range(8):
        s = s + mu * s / 8 + sig * s * np.sqrt(1 / 8) * DRAWS[:, k]
    return np.mean(np.maximum(s - 1.0, 0.0))


def hmm_forward(lp):
    a = np.exp(lp[:4].reshape(2, 2))
    a = a / a.sum(1, keepdims=True)
    obs = [0, 1, 1, 0, 1]
    b = np.array([[0.7, 0.3], [0.2, 0.8]])
    la = np.log(np.array([0.5, 0.5])) + np.log(b[:, obs[0]])
    for o in obs[1:]:
        m = la[:, None] + np.log(a)
        mx = np.max(m, axis=0)
        la = mx + np.log(np.sum(np.exp(m - mx), axis=0)) + np.log(b[:, o])
    return logsumexp(la) + lp[4] * lp[5]


XT = np.linspace(0, 1, 5)
YT = np.sin(3 * XT)


def gp_marginal(th):
    ls, sf, sn = np.exp(th[0]), np.exp(th[1]), np.exp(th[2])
    k = sf**2 * np.exp(-0.5 * (XT[:, None] - XT[None, :]) ** 2 / ls**2) + sn**2 * np.eye(5)
    low = np.linalg.cholesky(k)
    alpha = np.linalg.solve(low.T, np.linalg.solve(low, YT))
    _, logdet = np.linalg.slogdet(k)
    return 0.5 * YT @ alpha + 0.5 * logdet + np.sum(np.log(np.diag(low)))


class KalmanFilter:
    def __init__(self, dim_x, dim_z):
        self.x = np.zeros(dim_x)
        self.P = np.eye(dim_x)
        self.F = np.eye(dim_x)
        self.H = np.zeros((dim_z, dim_x))
        self.R = np.eye(dim_z)
        self.Q = np.eye(dim_x)
        self.log_likelihood = 0.0

    def predict(self):
        self.x = self.F @ self.x
        self.P = self.F @ self.P @ self.F.T + self.Q

    def update(self, z):
        y = z - self.H @ self.x
        s = self.H @ self.P @ self.H.T + self.R
        k = self.P @ self.H.T @ np.linalg.inv(s)
        self.x = self.x + k @ y
        ikh = np.eye(len(self.x)) - k @ self.H
        self.P = ikh @ self.P @ ikh.T + k @ self.R @ k.T
        self.log_likelihood += -0.5 * (
            y @ np.linalg.solve(s, y) + np.log(np.linalg.det(2 * np.pi * s))
        )


def kalman_class(q):
    kf = KalmanFilter(2, 1)
    kf.F = np.array([[1.0, 0.5], [0.0, 1.0]])
    kf.H[0, 0] = 1.0
    kf.Q *= q[0] ** 2
    kf.R[0, 0] = q[1] ** 2
    kf.P *= 10.0
    for z in [0.3, 0.8, 1.1, 1.9, 2.2]:
        kf.predict()
        kf.update(np.array([z]))
    return kf.log_likelihood + kf.x[1]


def rts_smoother(q):
    f = np.array([[1.0, 1.0], [0.0, 1.0]])
    qm = np.diag([q[0] ** 2, q[1] ** 2])
    x, p = np.zeros(2), np.eye(2)
    xs, ps, xps, pps = [], [], [], []
    for z in [0.2, 0.9, 2.1, 2.8]:
        xp, pp = f @ x, f @ p @ f.T + qm
        k = pp[:, 0] / (pp[0, 0] + 0.5)
        x, p = xp + k * (z - xp[0]), pp - np.outer(k, pp[0])
        xs.append(x)
        ps.append(p)
        xps.append(xp)
        pps.append(pp)
    xsm = xs[-1]
    out = xsm @ xsm
    for k in range(2, -1, -1):
        c = ps[k] @ f.T @ np.linalg.inv(pps[k + 1])
        xsm = xs[k] + c @ (xsm - xps[k + 1])
        out += xsm @ xsm
    return out


def spectral_norm(x):
    def a(i, j):
        return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)

    u = x[:4].copy()
    for _ in range(3):
        v = np.array([sum(a(i, j) * u[j] for j in range(4)) for i in range(4)])
        u = np.array([sum(a(j, i) * v[j] for j in range(4)) for i in range(4)])
    return math.sqrt(sum(ui * vi for ui, vi in zip(u, v)) / sum(vi * vi for vi in v))


def lstm_cell(w):
    wx = w[:4] * np.array([1.0, 0.5, -0.3, 0.8])
    b = np.array([0.1, 0.0, -0.1, w[5]])
    h, c = 0.0, 0.0
    for xt in [0.5, -0.2, 0.9, 0.3]:
        z = wx * xt + w[4] * h + b
        i, f, o = 1 / (1 + np.exp(-z[:3]))
        c = f * c + i * np.tanh(z[3])
        h = o * np.tanh(c)
    return h**2 + c


def causal_attention(w):
    xs = np.array([[0.1, 0.3], [0.5, -0.2], [-0.4, 0.8]])
    q = xs @ w[:4].reshape(2, 2)
    k = xs @ np.array([[w[4], 0.3], [0.1, w[5]]])
    s = np.where(np.triu(np.ones((3, 3), bool), 1), -np.inf, q @ k.T / math.sqrt(2))
    s = s - s.max(axis=-1, keepdims=True)
    a = np.exp(s)
    a /= a.sum(-1, keepdims=True)
    return np.sum((a @ xs) ** 2)


def gmm_em(mu0):
    data = np.array([-1.2, -0.8, -1.0, 0.9, 1.3, 1.1, 0.2])
    mu, var, pi = mu0[:2].copy(), np.array([1.0, 1.0]), np.array([0.5, 0.5])
    for _ in range(3):
        ll = -0.5 * (data[:, None] - mu) ** 2 / var - 0.5 * np.log(2 * np.pi * var) + np.log(pi)
        r = np.exp(ll - ll.max(1, keepdims=True))
        r /= r.sum(1, keepdims=True)
        nk = r.sum(0)
        mu = (r * data[:, None]).sum(0) / nk
        var = (r * (data[:, None] - mu) ** 2).sum(0) / nk + 1e-3
        pi = nk / len(data)
    return np.sum(mu**2) + np.sum(var)


def fem_bar(k):
    n, h = 6, 1.0 / 6
    km = np.zeros((n + 1, n + 1))
    for e in range(n):
        idx = [e, e + 1]
        km[np.ix_(idx, idx)] += k[e] / h * np.array([[1.0, -1.0], [-1.0, 1.0]])
    f = np.full(n + 1, h)
    f[0] = f[-1] = h / 2
    u = np.linalg.solve(km[1:-1, 1:-1], f[1:-1])
    return u @ f[1:-1]


CASES = [
    Case(heat_slices, (V6,), (0,), extra="hvp"),
    Case(heat_loops, (V6,), (0,), extra="hvp"),
    Case(upwind, (V6,), (0,), extra="hvp"),
    Case(lj_verlet, (np.array([0.0, 0.0, 1.12, 0.0, 0.5, 1.0]),), (0,), extra="hvp"),
    Case(sph_density, (np.array([0.0, 0.5, 1.1, 1.4]),), (0,), extra="hvp", jitter=0.0),
    Case(shallow_water, (V6,), (0,), extra="hvp"),
    Case(ray_march, (np.array([0.3, -0.1, 0.5]),), (0,), extra="hvp"),
    Case(spline_lookup, (V6,), (0,), extra="hvp"),
    Case(vander_fit, (V6[:5],), (0,), extra="hvp"),
    Case(black_scholes, (np.array([1.0, 0.5]),), (0,), extra="hvp"),
    Case(gbm_call, (np.array([0.5, 0.7]),), (0,), jitter=0.0),
    Case(hmm_forward, (V6,), (0,), extra="hvp"),
    Case(gp_marginal, (np.array([-0.5, 0.1, -1.0]),), (0,), extra="hvp"),
    Case(kalman_class, (np.array([0.3, 0.5]),), (0,), extra="hvp"),
    Case(rts_smoother, (np.array([0.3, 0.5]),), (0,), extra="hvp"),
    Case(spectral_norm, (np.abs(V6),), (0,), extra="hvp"),
    Case(lstm_cell, (V6,), (0,), extra="hvp"),
    Case(causal_attention, (V6,), (0,), extra="hvp"),
    Case(gmm_em, (np.array([-0.5, 0.5]),), (0,), extra="hvp"),
    Case(fem_bar, (np.abs(V6) + 0.5,), (0,), extra="hvp"),
]
