"""Ported cases (session 19, hunt19), written anew after programs users write: scikit-learn-style
losses (log loss with clipping, softmax cross-entropy with np.take_along_axis, soft k-means,
Tweedie deviance), log densities (Student t through gammaln, von Mises through i0e, a mixture
with logsumexp, an ordinal logit, a Gaussian-process marginal likelihood, a zero-inflated
Poisson), simulations (an n-body energy with np.fill_diagonal, a 1-D FEM assembly with
``K[i:i+2, i:i+2] += ke``, RK4 over a Python list of states, a queue with a while loop, an
ODE with an early return at its event), finance (Black-Scholes with math.erf, SABR's implied
volatility, a yield by Newton's method), signal code (bilinear sampling with
``np.floor(...).astype(int)``, a reflect-padded Laplacian, sliding_window_view), dynamic
programming and filters (Thomas' algorithm, soft-DTW, an HMM forward pass, a Kalman filter, an
LSTM cell) and Python idioms (match on sequences, itertools, generators with ``yield from``,
try/except/else/finally, Bellman-Ford relaxations with math.inf).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import itertools
import math
import operator

import numpy as np
import scipy.special as sp
from numpy.lib.stride_tricks import sliding_window_view

from . import Case

R = np.random.default_rng(19)
XD = R.standard_normal((7, 3))
YB = np.array([0, 1, 1, 0, 1, 0, 1])
YC = np.array([0, 2, 1, 1, 0, 2, 2])
DATA = np.array([0.3, 1.2, -0.5, 2.2, 0.9, -1.4, 0.1])
UNIT = np.array([0.1, 0.4, 0.7, 0.25, 0.9, 0.55, 0.33])
X6 = np.array([0.53, -1.17, 0.71, 2.09, -0.33, 1.61])
W0 = np.array([0.3, -0.8, 0.5])
W33 = R.standard_normal((3, 3))
TH2 = np.array([0.3, -0.2])
TH3 = np.array([0.3, -0.2, 0.6])
IMG = R.standard_normal((6, 7))


# -- scikit-learn-style losses --------------------------------------------------------------------
def ml_log_loss_clipped(w):
    p = 1 / (1 + np.exp(-(XD @ w)))
    eps = np.finfo(p.dtype).eps
    p = np.clip(p, eps, 1 - eps)
    return -np.mean(YB * np.log(p) + (1 - YB) * np.log(1 - p))


def ml_softmax_take_along(W):
    z = XD @ W
    z = z - z.max(axis=1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -np.take_along_axis(lp, YC[:, None], axis=1).mean() + 0.01 * np.sum(W**2)


def ml_soft_kmeans(C, beta=2.0):
    d2 = ((XD[:, None, :] - C[None, :, :]) ** 2).sum(-1)
    r = sp.softmax(-beta * d2, axis=1)
    return np.sum(r * d2)


def ml_tweedie(w, p=1.5):
    mu = np.exp(XD @ w)
    y = np.array([0.0, 1, 3, 0, 2, 1, 0])
    dev = (
        np.power(np.maximum(y, 0), 2 - p) / ((1 - p) * (2 - p))
        - y * np.power(mu, 1 - p) / (1 - p)
        + np.power(mu, 2 - p) / (2 - p)
    )
    return np.mean(2 * dev)


# -- log densities --------------------------------------------------------------------------------
def ld_student_t(th):
    mu, s, nu = th[0], np.exp(th[1]), np.exp(th[2])
    z = (DATA - mu) / s
    return np.sum(
        sp.gammaln((nu + 1) / 2) - sp.gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - np.log(s)
        - (nu + 1) / 2 * np.log1p(z**2 / nu)
    )  # fmt: skip


def ld_von_mises(th):
    mu, kappa = th[0], np.exp(th[1])
    return np.sum(kappa * (np.cos(DATA - mu) - 1) - np.log(2 * np.pi * sp.i0e(kappa)))


def ld_mixture(th):
    logits, mus = th[:3], th[3:]
    lw = logits - sp.logsumexp(logits)
    ll = lw[None, :] - 0.5 * (DATA[:, None] - mus[None, :]) ** 2 - 0.5 * math.log(2 * math.pi)
    return sp.logsumexp(ll, axis=1).sum()


def ld_ordinal_logit(th):
    cuts = np.cumsum(np.concatenate([[th[0]], np.exp(th[1:3])]))
    eta = 0.5 * DATA
    y = np.array([0, 2, 1, 3, 2, 0, 1])
    cdf = sp.expit(cuts[None, :] - eta[:, None])
    cdf = np.concatenate([np.zeros((7, 1)), cdf, np.ones((7, 1))], axis=1)
    return np.log(cdf[np.arange(7), y + 1] - cdf[np.arange(7), y]).sum()


def ld_gp_marginal(th):
    ls, sf, sn = np.exp(th)
    d = DATA[:, None] - DATA[None, :]
    K = sf**2 * np.exp(-0.5 * d**2 / ls**2) + sn**2 * np.eye(7)
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(L.T, np.linalg.solve(L, UNIT))
    return -0.5 * UNIT @ a - np.log(np.diag(L)).sum() - 3.5 * np.log(2 * np.pi)


def ld_zero_inflated(th):
    pi, lam = sp.expit(th[0]), np.exp(th[1])
    y = np.array([0, 0, 1, 3, 0, 2])
    ll0 = np.log(pi + (1 - pi) * np.exp(-lam))
    llp = np.log1p(-pi) + y * np.log(lam) - lam - sp.gammaln(y + 1)
    return np.where(y == 0, ll0, llp).sum()


# -- simulations ----------------------------------------------------------------------------------
def sim_nbody_energy(p):
    d = p[:, None, :] - p[None, :, :]
    r2 = np.sum(d**2, axis=-1)
    np.fill_diagonal(r2, 1.0)
    inv = 1.0 / np.sqrt(r2)
    np.fill_diagonal(inv, 0.0)
    return -0.5 * np.sum(inv)


def sim_fem_assembly(k):
    n = len(k)
    K = np.zeros((n + 1, n + 1))
    for i in range(n):
        K[i : i + 2, i : i + 2] += k[i] * np.array([[1.0, -1.0], [-1.0, 1.0]])
    f = np.ones(n) / n
    return f @ np.linalg.solve(K[1:, 1:], f)


def sim_rk4_list(y0):
    def rhs(t, y):
        return np.array([y[1], -np.sin(y[0]) - 0.1 * y[1] + 0.05 * t])

    ys, t, h = [y0.copy()], 0.0, 0.1
    for _ in range(10):
        y = ys[-1]
        k1 = rhs(t, y)
        k2 = rhs(t + h / 2, y + h / 2 * k1)
        k3 = rhs(t + h / 2, y + h / 2 * k2)
        k4 = rhs(t + h, y + h * k3)
        ys.append(y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4))
        t += h
    return np.sum(np.array(ys)[:, 0] ** 2)


def sim_queue_while(x):
    arrivals = np.cumsum(np.abs(x) + 0.1)
    service = 0.3 + 0.1 * x**2
    t_free, wait, i = 0.0, 0.0, 0
    while i < len(arrivals):
        start = max(arrivals[i], t_free)
        wait += start - arrivals[i]
        t_free = start + service[i]
        i += 1
    return wait + t_free


def sim_event_return(y0):
    y, v, t, dt = y0[0] + 2.0, y0[1], 0.0, 0.05
    for _ in range(200):
        v -= 9.81 * dt
        y += v * dt
        t += dt
        if y < 0:
            return t - y / v  # back to the crossing (y / v: the time since it)
    return t


# -- finance --------------------------------------------------------------------------------------
def fin_black_scholes_erf(th):
    S, K, T, r, sig = th[0], 1.0, 0.8, 0.02, th[1]
    d1 = (math.log(S / K) + (r + 0.5 * sig**2) * T) / (sig * math.sqrt(T))
    d2 = d1 - sig * math.sqrt(T)

    def N(z):
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))

    return S * N(d1) - K * math.exp(-r * T) * N(d2)


def fin_sabr_vol(th, F=1.0, K=1.1, T=1.0, beta=0.5):
    alpha, rho, nu = th
    fk = F * K
    z = nu / alpha * fk ** ((1 - beta) / 2) * math.log(F / K)
    xz = math.log((math.sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho))
    a = alpha / (fk ** ((1 - beta) / 2) * (1 + (1 - beta) ** 2 / 24 * math.log(F / K) ** 2))
    b = (
        1
        + (
            (1 - beta) ** 2 / 24 * alpha**2 / fk ** (1 - beta)
            + rho * beta * nu * alpha / (4 * fk ** ((1 - beta) / 2))
            + (2 - 3 * rho**2) / 24 * nu**2
        )
        * T
    )
    return a * z / xz * b


def fin_yield_newton(c):
    cf = np.array([c[0], c[0], c[0] + 100.0])
    t = np.arange(1, 4)
    y = 0.05
    for _ in range(30):
        p = np.sum(cf / (1 + y) ** t)
        dp = np.sum(-t * cf / (1 + y) ** (t + 1))
        y = y - (p - c[1]) / dp
    return y


# -- signal and image -----------------------------------------------------------------------------
def sig_bilinear(pts):
    pts = pts.reshape(-1, 2)
    r0 = np.floor(pts[:, 0]).astype(int)
    c0 = np.floor(pts[:, 1]).astype(int)
    fr, fc = pts[:, 0] - r0, pts[:, 1] - c0
    v = (IMG[r0, c0] * (1 - fr) * (1 - fc) + IMG[r0 + 1, c0] * fr * (1 - fc)
         + IMG[r0, c0 + 1] * (1 - fr) * fc + IMG[r0 + 1, c0 + 1] * fr * fc)  # fmt: skip
    return np.sum(v**2)


def sig_reflect_laplacian(img):
    k = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], float)
    p = np.pad(img, 1, mode="reflect")
    out = np.zeros_like(img)
    for di in range(3):
        for dj in range(3):
            out += k[di, dj] * p[di : di + img.shape[0], dj : dj + img.shape[1]]
    return np.sum(out**2)


def sig_sliding_windows(x):
    w = sliding_window_view(x, 3)
    return np.sum((w @ np.array([0.2, 0.5, 0.3])) ** 2) + np.sum(sliding_window_view(x, 2) ** 3)


# -- dynamic programming and filters --------------------------------------------------------------
def dp_thomas(d):
    n = len(d)
    a, b, c = np.full(n, -1.0), np.full(n, 4.0) + d**2, np.full(n, -1.0)
    cp, dp = np.zeros(n), np.zeros(n)
    cp[0], dp[0] = c[0] / b[0], d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def dp_soft_dtw(x, gamma=0.5):
    y = np.array([0.0, 1.0, 0.5, -0.5])
    n, m = len(x), len(y)
    R = np.full((n + 1, m + 1), np.inf)
    R[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            r = np.array([R[i - 1, j - 1], R[i - 1, j], R[i, j - 1]])
            rmin = np.min(r)
            soft = -gamma * np.log(np.sum(np.exp(-(r - rmin) / gamma))) + rmin
            R[i, j] = (x[i - 1] - y[j - 1]) ** 2 + soft
    return R[n, m]


def dp_hmm_forward(logA):
    A = logA.reshape(2, 3)[:, 1:]
    E = np.array([[-0.5, -1.0], [-1.2, -0.3]])
    obs = [0, 1, 1, 0, 1]
    a = np.array([-0.7, -0.7]) + E[:, obs[0]]
    for o in obs[1:]:
        m = a.max()
        a = m + np.log(np.exp(a - m) @ np.exp(A)) + E[:, o]
    m = a.max()
    return m + np.log(np.sum(np.exp(a - m)))


def dp_kalman(q):
    m, P, ll = 0.0, 1.0, 0.0
    for y in (0.1, 0.5, 0.3, 0.9, 1.2):
        P = P + q[0] ** 2
        S = P + q[1] ** 2
        K = P / S
        ll += -0.5 * (math.log(2 * math.pi * S) + (y - m) ** 2 / S)
        m, P = m + K * (y - m), (1 - K) * P
    return ll


def dp_lstm(x):
    W = np.linspace(-0.5, 0.5, 24).reshape(8, 3)
    h, c = np.zeros(2), np.zeros(2)
    for t in range(3):
        z = W @ np.concatenate([x[2 * t : 2 * t + 1], h])
        i, f, o, g = np.split(z, 4)
        i, f, o, g = 1 / (1 + np.exp(-i)), 1 / (1 + np.exp(-f)), 1 / (1 + np.exp(-o)), np.tanh(g)
        c = f * c + i * g
        h = o * np.tanh(c)
    return np.sum(h**2)


# -- Python idioms --------------------------------------------------------------------------------
def py_match_sequences(x):
    s = 0.0
    for p in [(x[0], x[1]), (x[2],), (x[3], x[4], x[5])]:
        match p:
            case (a, b):
                s += a * b
            case (a,):
                s += a**3
            case (a, b, c):
                s += a * b * c
    return s


def py_itertools(x):
    acc = list(itertools.accumulate(x))
    prods = list(itertools.accumulate(x, operator.mul))
    pw = sum(a * b for a, b in itertools.pairwise(x))
    pr = sum(a - b for a, b in itertools.product(x[:2], x[2:4]))
    ch = sum(v**2 for v in itertools.chain(x[:2], [x[5]], x[3:4]))
    return acc[-1] * acc[2] + prods[3] + pw + pr + ch


def py_yield_from(x):
    def doubled(v):
        for t in v:
            yield t * 2

    def items(v):
        yield from doubled(v[:3])
        yield v[3] ** 2
        yield from (t + 1 for t in v[4:])

    return sum(t * t for t in items(x))


def py_try_else_finally(x):
    s = 0.0
    for v in x:
        try:
            if v < 0:
                raise ValueError
            r = math.sqrt(v)
        except ValueError:
            r = -v * 2
        else:
            r = r * 3
        finally:
            s += 0.1 * v
        s += r
    return s


EDGES = [(0, 1, 0), (0, 2, 1), (1, 2, 2), (1, 3, 3), (2, 3, 4), (3, 4, 5)]


def py_bellman_ford(x):
    w = x**2 + 0.1
    dist = [0.0] + [math.inf] * 4
    for _ in range(4):
        for a, b, k in EDGES:
            if dist[a] + w[k] < dist[b]:
                dist[b] = dist[a] + w[k]
    return dist[4] + 0.5 * dist[3]


CASES = [
    Case(ml_log_loss_clipped, (W0,), (0,), extra="hvp"),
    Case(ml_softmax_take_along, (W33,), (0,), extra="hvp"),
    Case(ml_soft_kmeans, (W33,), (0,), extra="hvp"),
    Case(ml_tweedie, (W0,), (0,), extra="hvp"),
    Case(ld_student_t, (TH3,), (0,), extra="hvp"),
    Case(ld_von_mises, (TH2,), (0,), extra="hvp"),
    Case(ld_mixture, (np.array([0.1, -0.3, 0.2, -1.0, 0.5, 1.5]),), (0,), extra="hvp"),
    Case(ld_ordinal_logit, (TH3,), (0,), extra="hvp"),
    Case(ld_gp_marginal, (TH3,), (0,), extra="hvp"),
    Case(ld_zero_inflated, (TH2,), (0,), extra="hvp"),
    Case(sim_nbody_energy, (R.standard_normal((4, 2)),), (0,), extra="hvp"),
    Case(sim_fem_assembly, (np.abs(X6) + 0.5,), (0,), extra="hvp"),
    Case(sim_rk4_list, (np.array([0.5, 0.1]),), (0,), extra="hvp"),
    Case(sim_queue_while, (X6,), (0,), extra="hvp"),
    Case(sim_event_return, (np.array([0.3, 1.1]),), (0,), extra="hvp"),
    Case(fin_black_scholes_erf, (np.array([1.05, 0.25]),), (0,), extra="hvp"),
    Case(fin_sabr_vol, (np.array([0.3, -0.2, 0.4]),), (0,), extra="hvp"),
    Case(fin_yield_newton, (np.array([5.0, 98.0]),), (0,), extra="hvp"),
    Case(sig_bilinear, (np.array([0.3, 1.7, 2.5, 3.2, 1.1, 2.2]),), (0,), extra="hvp"),
    Case(sig_reflect_laplacian, (IMG,), (0,), extra="hvp"),
    Case(sig_sliding_windows, (X6,), (0,), extra="hvp"),
    Case(dp_thomas, (X6,), (0,)),
    Case(dp_soft_dtw, (X6,), (0,), extra="hvp"),
    Case(dp_hmm_forward, (X6,), (0,), extra="hvp"),
    Case(dp_kalman, (np.array([0.4, 0.7]),), (0,), extra="hvp"),
    Case(dp_lstm, (X6,), (0,), extra="hvp"),
    Case(py_match_sequences, (X6,), (0,), extra="hvp"),
    Case(py_itertools, (X6,), (0,), extra="hvp"),
    Case(py_yield_from, (X6,), (0,), extra="hvp"),
    Case(py_try_else_finally, (X6,), (0,), extra="hvp"),
    Case(py_bellman_ford, (X6,), (0,), extra="hvp"),
]
