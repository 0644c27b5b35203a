"""Ported cases (session 51, hunt51a): finance and econometrics: Black-Scholes prices and greeks
through ndtr/erf, implied volatility by Newton with a tolerance break, VaR/CVaR of a sorted loss
vector, a GARCH(1,1) likelihood loop, Heston Euler paths with fixed normals, a par-bond bootstrap,
ARMA conditional sums of squares, probit and tobit likelihoods.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, log_ndtr, ndtr

from . import Case


def bs_call(S, K, T, r, sigma):
    if T <= 0:
        return max(S - K, 0.0)
    sq = sigma * math.sqrt(T)
    d1 = (math.log(S / K) + (r + 0.5 * sigma**2) * T) / sq
    d2 = d1 - sq
    return S * ndtr(d1) - K * math.exp(-r * T) * ndtr(d2)


def bs_vec(p):
    S, K, T, r, sigma = p
    return bs_call(S, K, T, r, sigma)


def _ncdf(x):
    return 0.5 * (1.0 + erf(x / np.sqrt(2.0)))


def bs_greeks_book(spots, strikes, params):
    vol, rate, tau = params["vol"], params["rate"], params["tau"]
    d1 = (np.log(spots[:, None] / strikes[None, :]) + (rate + 0.5 * vol**2) * tau) / (
        vol * np.sqrt(tau)
    )
    d2 = d1 - vol * np.sqrt(tau)
    call = spots[:, None] * _ncdf(d1) - strikes[None, :] * np.exp(-rate * tau) * _ncdf(d2)
    put = call - spots[:, None] + strikes[None, :] * np.exp(-rate * tau)
    delta = _ncdf(d1)
    gamma = np.exp(-0.5 * d1**2) / np.sqrt(2 * np.pi) / (spots[:, None] * vol * np.sqrt(tau))
    return np.sum(call) + 0.5 * np.sum(put) + np.sum(delta * gamma)


def book_wrap(vol_rate_tau, spots, strikes):
    p = {"vol": vol_rate_tau[0], "rate": vol_rate_tau[1], "tau": vol_rate_tau[2]}
    return bs_greeks_book(spots, strikes, p)


def implied_vol(price, S, K, T, r, tol=1e-10):
    sigma = 0.3
    for it in range(100):  # noqa: B007
        sq = sigma * math.sqrt(T)
        d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sq
        d2 = d1 - sq
        model = S * ndtr(d1) - K * math.exp(-r * T) * ndtr(d2)
        vega = S * math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) * math.sqrt(T)
        diff = model - price
        if abs(diff) < tol:
            break
        sigma = sigma - diff / vega
    return sigma


def iv_loss(x):
    return implied_vol(x[0], x[1], 100.0, 0.5, 0.01) ** 2 + x[1] * 0.0


def portfolio_var_cvar(w, returns, alpha=0.8):
    w = w / np.sum(w)
    port = returns @ w
    losses = -port
    srt = np.sort(losses)
    n = len(srt)
    k = int(np.ceil(alpha * n))
    var = srt[k - 1]
    tail = srt[k:]
    cvar = var + np.sum(tail - var) / ((1 - alpha) * n)
    cov = np.cov(returns, rowvar=False)
    return w @ cov @ w + 0.1 * cvar


def garch_nll(theta, r):
    omega, alpha, beta = theta
    n = r.shape[0]
    h = np.var(r)
    nll = 0.0
    for t in range(n):
        if t > 0:
            h = omega + alpha * r[t - 1] ** 2 + beta * h
        nll += 0.5 * (np.log(2 * np.pi) + np.log(h) + r[t] ** 2 / h)
    return nll


def heston_euler(theta, Z1, Z2, S0=100.0, K=100.0, dt=0.02):
    kappa, vbar, xi, rho, v0 = theta
    n_paths, n_steps = Z1.shape
    S = np.full(n_paths, S0)
    v = np.full(n_paths, v0)
    for t in range(n_steps):
        vp = np.maximum(v, 0.0)
        dW1 = Z1[:, t] * np.sqrt(dt)
        dW2 = (rho * Z1[:, t] + np.sqrt(1 - rho**2) * Z2[:, t]) * np.sqrt(dt)
        S = S * np.exp(-0.5 * vp * dt + np.sqrt(vp) * dW1)
        v = v + kappa * (vbar - vp) * dt + xi * np.sqrt(vp) * dW2
    payoff = np.maximum(S - K, 0.0)
    return payoff.mean()


def bootstrap_curve(prices, maturities, coupon=0.05):
    # par bonds with annual coupons: solve discount factors one at a time
    dfs = []
    for i, (p, m) in enumerate(zip(prices, maturities)):  # noqa: B007
        c = coupon * 100.0
        pv_coupons = 0.0
        for j in range(i):
            pv_coupons += c * dfs[j]
        df = (p - pv_coupons) / (100.0 + c)
        dfs.append(df)
    dfs = np.array(dfs)
    zero = -np.log(dfs) / maturities
    fwd = np.diff(np.log(dfs)) * -1.0
    return np.sum(zero**2) + np.sum(fwd)


def arma_css(params, y, p=2, q=1):
    phi = params[:p]
    theta = params[p : p + q]
    n = len(y)
    e = np.zeros(n)
    for t in range(n):
        pred = 0.0
        for i in range(p):
            if t - i - 1 >= 0:
                pred += phi[i] * y[t - i - 1]
        for j in range(q):
            if t - j - 1 >= 0:
                pred += theta[j] * e[t - j - 1]
        e[t] = y[t] - pred
    return 0.5 * np.sum(e[p:] ** 2)


def probit_nll(beta, X, y):
    eta = X @ beta
    p = ndtr(eta)
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))


def probit_logndtr(beta, X, y):
    eta = X @ beta
    s = 2 * y - 1
    return -np.sum(log_ndtr(s * eta))


def tobit_nll(theta, X, y, c=0.0):
    beta = theta[:-1]
    sigma = np.exp(theta[-1])
    mu = X @ beta
    censored = y <= c
    z = (y - mu) / sigma
    ll_unc = -0.5 * z**2 - np.log(sigma) - 0.5 * np.log(2 * np.pi)
    ll_cen = log_ndtr((c - mu) / sigma)
    ll = np.where(censored, ll_cen, ll_unc)
    return -ll.sum()


_R = np.random.default_rng(51)
RET = _R.standard_normal((12, 3)) * 0.02 + 0.001
GR = _R.standard_normal(15)
Z1 = _R.standard_normal((6, 10))
Z2 = _R.standard_normal((6, 10))
Y_ARMA = _R.standard_normal(12)
XP = _R.standard_normal((10, 3))
YP = (XP @ np.array([0.5, -1.0, 0.3]) + _R.standard_normal(10) > 0).astype(float)
YT = np.maximum(XP @ np.array([0.5, -1.0, 0.3]) + 0.3 * _R.standard_normal(10), 0.0)

CASES = [
    Case(bs_vec, (np.array([100.0, 95.0, 0.5, 0.02, 0.25]),), (0,)),
    Case(
        book_wrap,
        (np.array([0.2, 0.03, 0.75]), np.array([90.0, 100.0, 110.0]), np.array([95.0, 105.0])),
        (0, 1),
    ),
    Case(iv_loss, (np.array([8.0, 102.0]),), (0,)),
    Case(portfolio_var_cvar, (np.array([0.3, 0.5, 0.2]), RET), (0,)),
    Case(garch_nll, (np.array([0.2, 0.1, 0.7]), GR), (0,)),
    Case(heston_euler, (np.array([1.5, 0.04, 0.3, -0.7, 0.04]), Z1, Z2), (0,)),
    Case(
        bootstrap_curve, (np.array([99.0, 97.5, 96.0, 94.0]), np.array([1.0, 2.0, 3.0, 4.0])), (0,)
    ),
    Case(arma_css, (np.array([0.5, -0.2, 0.3]), Y_ARMA), (0,)),
    Case(probit_nll, (np.array([0.4, -0.8, 0.2]), XP, YP), (0,)),
    Case(probit_logndtr, (np.array([0.4, -0.8, 0.2]), XP, YP), (0,)),
    Case(tobit_nll, (np.array([0.4, -0.8, 0.2, -0.5]), XP, YT), (0,)),
]
