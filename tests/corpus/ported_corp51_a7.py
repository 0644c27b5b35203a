"""Ported cases (session 51, hunt51a): more finance, econometrics and physics: a Merton jump-
diffusion series with math.factorial, an American put on a CRR tree, a Nelson-Siegel fit, risk
parity, EWMA-scaled Sharpe with drawdown, exact AR(1) likelihood, two-sided tobit by boolean
masks, ordered probit with infinite edges, an SIR peak with an early stop, an Ewald reciprocal
sum, a mean-field free energy with masked logs.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import log_ndtr, ndtr

from . import Case


# Merton jump-diffusion price: Poisson-weighted BS sum with math.factorial
def merton_price(p, S=100.0, K=100.0, T=1.0, r=0.02, nmax=12):
    sigma, lam, mu_j, del_j = p
    price = 0.0
    k = math.exp(mu_j + 0.5 * del_j**2) - 1
    lam_p = lam * (1 + k)
    for n in range(nmax):
        sig_n = math.sqrt(sigma**2 + n * del_j**2 / T)
        r_n = r - lam * k + n * math.log(1 + k) / T
        d1 = (math.log(S / K) + (r_n + 0.5 * sig_n**2) * T) / (sig_n * math.sqrt(T))
        d2 = d1 - sig_n * math.sqrt(T)
        bs = S * ndtr(d1) - K * math.exp(-r_n * T) * ndtr(d2)
        w = math.exp(-lam_p * T) * (lam_p * T) ** n / math.factorial(n)
        price += w * bs
    return price


# binomial tree american put with early exercise max
def crr_american_put(p, S0=100.0, K=100.0, T=0.5, steps=20):
    sigma, r = p[0], p[1]
    dt = T / steps
    u = np.exp(sigma * np.sqrt(dt))
    d = 1 / u
    q = (np.exp(r * dt) - d) / (u - d)
    disc = np.exp(-r * dt)
    j = np.arange(steps + 1)
    S = S0 * u ** (steps - j) * d**j
    V = np.maximum(K - S, 0.0)
    for i in range(steps - 1, -1, -1):
        S = S0 * u ** (i - np.arange(i + 1)) * d ** np.arange(i + 1)
        V = disc * (q * V[:-1] + (1 - q) * V[1:])
        V = np.maximum(V, K - S)
    return V[0]


# Nelson-Siegel yield curve fit
def nelson_siegel_sse(beta, mats, yields):
    b0, b1, b2, tau = beta
    x = mats / tau
    f1 = (1 - np.exp(-x)) / x
    f2 = f1 - np.exp(-x)
    model = b0 + b1 * f1 + b2 * f2
    return np.sum((model - yields) ** 2)


# risk parity objective
def risk_parity(w, cov):
    w = np.abs(w) / np.sum(np.abs(w))
    port_var = w @ cov @ w
    mrc = cov @ w
    rc = w * mrc / port_var
    target = np.ones_like(w) / len(w)
    return np.sum((rc - target) ** 2)


# EWMA vol + sharpe with drawdown
def ewma_sharpe(w, R, lam=0.94):
    port = R @ w
    var = port[0] ** 2
    vols = []
    for t in range(1, len(port)):
        var = lam * var + (1 - lam) * port[t - 1] ** 2
        vols.append(np.sqrt(var))
    vols = np.array(vols)
    scaled = port[1:] / vols
    wealth = np.cumprod(1 + port)
    peak = np.maximum.accumulate(wealth)
    dd = np.max(1 - wealth / peak)
    return -scaled.mean() / scaled.std() + dd


# AR(1) exact Gaussian log-likelihood
def ar1_exact(theta, y):
    c, phi, log_s = theta
    s2 = np.exp(2 * log_s)
    mu0 = c / (1 - phi)
    v0 = s2 / (1 - phi**2)
    ll = -0.5 * (np.log(2 * np.pi * v0) + (y[0] - mu0) ** 2 / v0)
    e = y[1:] - c - phi * y[:-1]
    ll += -0.5 * np.sum(np.log(2 * np.pi * s2) + e**2 / s2)
    return -ll


# heckman-ish selection probit + tobit right-censored
def tobit_two_sided(theta, X, y, lo=0.0, hi=1.0):
    beta, log_s = theta[:-1], theta[-1]
    s = np.exp(log_s)
    mu = X @ beta
    ll = np.zeros(len(y))
    low = y <= lo
    high = y >= hi
    mid = ~(low | high)
    ll[low] = log_ndtr((lo - mu[low]) / s)
    ll[high] = log_ndtr((mu[high] - hi) / s)
    ll[mid] = -0.5 * ((y[mid] - mu[mid]) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)
    return -np.sum(ll)


# ordered probit with cumulative thresholds
def ordered_probit(theta, X, y, K=3):
    p = X.shape[1]
    beta = theta[:p]
    cuts = np.concatenate([[theta[p]], theta[p] + np.cumsum(np.exp(theta[p + 1 :]))])
    eta = X @ beta
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])
    upper = ndtr(edges[y + 1] - eta)
    lower = ndtr(edges[y] - eta)
    return -np.sum(np.log(upper - lower))


# SIR with stochastic-free RK4 written inline, early stop when infected < threshold
def sir_peak(p, N=1000.0, days=40):
    beta, gamma = p
    S, I, R = N - 1.0, 1.0, 0.0  # noqa: E741, F841
    peak = I
    h = 0.5
    for _ in range(int(days / h)):

        def f(S, I):  # noqa: E741
            return -beta * S * I / N, beta * S * I / N - gamma * I

        a1, b1 = f(S, I)
        a2, b2 = f(S + h / 2 * a1, I + h / 2 * b1)
        a3, b3 = f(S + h / 2 * a2, I + h / 2 * b2)
        a4, b4 = f(S + h * a3, I + h * b3)
        S = S + h / 6 * (a1 + 2 * a2 + 2 * a3 + a4)
        I = I + h / 6 * (b1 + 2 * b2 + 2 * b3 + b4)  # noqa: E741
        peak = max(peak, I)
        if I < 0.5:
            break
    return peak


# Ewald reciprocal-space sum with k vectors as loops
def ewald_recip(pos, q, L=4.0, alpha=0.8, kmax=2):
    V = L**3
    E = 0.0
    for nx in range(-kmax, kmax + 1):
        for ny in range(-kmax, kmax + 1):
            for nz in range(-kmax, kmax + 1):
                if nx == 0 and ny == 0 and nz == 0:
                    continue
                k = 2 * np.pi * np.array([nx, ny, nz]) / L
                k2 = k @ k
                phase = pos @ k
                Sr = np.sum(q * np.cos(phase))
                Si = np.sum(q * np.sin(phase))
                E += np.exp(-k2 / (4 * alpha**2)) / k2 * (Sr**2 + Si**2)
    return 2 * np.pi / V * E


# Ising mean-field free energy with entropy using xlogy-like masked logs
def mean_field_free_energy(m, J, h, beta=2.0):
    p = (1 + m) / 2
    ent = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0) + np.where(
        p < 1, (1 - p) * np.log(np.where(p < 1, 1 - p, 1.0)), 0.0
    )
    E = -0.5 * m @ J @ m - h @ m
    return E + ent.sum() / beta


_R = np.random.default_rng(62)
A = _R.standard_normal((3, 3))
COV = A @ A.T / 3 + 0.1 * np.eye(3)
RR = _R.standard_normal((10, 3)) * 0.02 + 0.002
X3 = _R.standard_normal((8, 2))
Y3 = np.array([0.0, 0.3, 1.0, 0.7, 0.0, 1.0, 0.5, 0.2])
YO = np.array([0, 1, 2, 1, 0, 2, 1, 1])
J4 = _R.standard_normal((4, 4)) * 0.3
J4 = (J4 + J4.T) / 2

CASES = [
    Case(merton_price, (np.array([0.2, 0.5, -0.1, 0.15]),), (0,)),
    Case(crr_american_put, (np.array([0.25, 0.04]),), (0,)),
    Case(
        nelson_siegel_sse,
        (
            np.array([0.04, -0.02, 0.01, 1.5]),
            np.array([0.5, 1.0, 2.0, 5.0, 10.0]),
            np.array([0.021, 0.024, 0.028, 0.033, 0.036]),
        ),
        (0,),
    ),
    Case(risk_parity, (np.array([0.3, 0.5, 0.2]), COV), (0,)),
    Case(ewma_sharpe, (np.array([0.3, 0.5, 0.2]), RR), (0,)),
    Case(ar1_exact, (np.array([0.1, 0.6, -0.5]), _R.standard_normal(8)), (0,)),
    Case(tobit_two_sided, (np.array([0.3, 0.2, -1.0]), X3, Y3), (0,)),
    Case(ordered_probit, (np.array([0.3, -0.2, -0.5, 0.1]), X3, YO), (0,)),
    Case(sir_peak, (np.array([0.5, 0.1]),), (0,)),
    Case(ewald_recip, (_R.uniform(0, 4, (3, 3)), np.array([1.0, -0.5, -0.5])), (0, 1)),
    Case(
        mean_field_free_energy,
        (np.array([0.3, -0.5, 0.9, 0.1]), J4, np.array([0.1, 0.0, -0.2, 0.3])),
        (0,),
    ),
]
