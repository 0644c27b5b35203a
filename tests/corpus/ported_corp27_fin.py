"""Ported cases (session 27, corp27), written anew as user code after quantitative-finance and
econometrics programs (Hull's "Options, Futures and Other Derivatives", QuantLib examples, the
`arch` package's GARCH/EGARCH recursions, statsmodels' ARMA conditional likelihood, Hagan et al.'s
SABR formula, Heston's characteristic function as in Albrecher et al.'s "little Heston trap"):
Black-Scholes prices and greeks, a CRR binomial tree by backward induction over a shrinking
array, the Heston call price by a fixed Gauss-Laguerre / trapezoid quadrature of a complex
integrand, SABR implied vol, GARCH(1,1), EGARCH and GJR log-likelihoods (a recursive variance
loop), ARMA(1,1) conditional likelihood, and mean-variance portfolio utilities with penalties.

Float parameter vectors / scalars -> float scalar, checked at second order where marked."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from . import Case

R = np.random.default_rng(1927)


def norm_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def norm_pdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def bs_call(S, K, T, r, sigma):
    d1 = (math.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    return S * norm_cdf(d1) - K * math.exp(-r * T) * norm_cdf(d2)


def bs_put_parity(S, K, T, r, sigma):
    """Put by put-call parity, squared plus the call (a scalar of the five inputs)."""
    c = bs_call(S, K, T, r, sigma)
    p = c - S + K * math.exp(-r * T)
    return p**2 + c


def bs_vector(p):
    """Vectorised Black-Scholes over a strike grid with scipy.special.ndtr: the sum of prices."""
    S, T, r, sigma = p[0], p[1], p[2], p[3]
    K = np.array([80.0, 90.0, 100.0, 110.0, 120.0])
    sq = sigma * np.sqrt(T)
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / sq
    d2 = d1 - sq
    return np.sum(S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2))


def bs_greeks(S, sigma):
    """Closed-form delta, gamma, vega, theta of a call combined into one risk number."""
    K, T, r = 100.0, 0.75, 0.02
    sq = sigma * math.sqrt(T)
    d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / sq
    d2 = d1 - sq
    delta = norm_cdf(d1)
    gamma = norm_pdf(d1) / (S * sq)
    vega = S * norm_pdf(d1) * math.sqrt(T)
    theta = -S * norm_pdf(d1) * sigma / (2 * math.sqrt(T)) - r * K * math.exp(-r * T) * norm_cdf(d2)
    return delta + 50.0 * gamma + 0.1 * vega + 0.01 * theta


def implied_vol_newton(price, S):
    """Implied vol by 6 Newton steps from 0.3 (a fixed iteration count, differentiated through)."""
    K, T, r = 100.0, 1.0, 0.01
    sig = 0.3
    for _ in range(6):
        d1 = (math.log(S / K) + (r + 0.5 * sig * sig) * T) / (sig * math.sqrt(T))
        vega = S * norm_pdf(d1) * math.sqrt(T)
        sig = sig - (bs_call(S, K, T, r, sig) - price) / vega
    return sig


def smooth_max(a, b, eps=0.5):
    return 0.5 * (a + b + np.sqrt((a - b) ** 2 + eps * eps))


def binomial_american_put(S, sigma, r):
    """CRR tree, 40 steps: backward induction over a shrinking array with early exercise. The
    max of payoff and continuation is smoothed (width 0.5), as AAD practitioners smooth payoffs
    for stable greeks: with np.maximum the price has kinks in S 0.2 apart."""
    K, T, n = 100.0, 1.0, 40
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1.0 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    ST = S * u ** np.arange(n, -1, -1) * d ** np.arange(0, n + 1)
    V = smooth_max(K - ST, 0.0)
    for _ in range(n):
        ST = ST[:-1] * d
        V = disc * (p * V[:-1] + (1 - p) * V[1:])
        V = smooth_max(V, K - ST)
    return V[0]


def binomial_european_call(params):
    """CRR tree for a European call, 30 steps, values rolled back with slices (no exercise)."""
    S, sigma = params[0], params[1]
    K, T, r, n = 95.0, 0.5, 0.03, 30
    dt = T / n
    u = np.exp(sigma * np.sqrt(dt))
    d = 1 / u
    q = (np.exp(r * dt) - d) / (u - d)
    j = np.arange(n + 1)
    V = np.maximum(S * u**j * d ** (n - j) - K, 0.0)
    for _ in range(n):
        V = np.exp(-r * dt) * (q * V[1:] + (1 - q) * V[:-1])
    return V[0]


def trinomial_call(S, sigma):
    """Trinomial tree, 20 steps, a Python loop over nodes of each level."""
    K, T, r, n = 100.0, 1.0, 0.02, 20
    dt = T / n
    dx = sigma * math.sqrt(3 * dt)
    nu = r - 0.5 * sigma**2
    pu = 0.5 * ((sigma**2 * dt + nu**2 * dt**2) / dx**2 + nu * dt / dx)
    pd = 0.5 * ((sigma**2 * dt + nu**2 * dt**2) / dx**2 - nu * dt / dx)
    pm = 1.0 - pu - pd
    disc = math.exp(-r * dt)
    V = [max(S * math.exp((j - n) * dx) - K, 0.0) for j in range(2 * n + 1)]
    for i in range(n - 1, -1, -1):
        V = [disc * (pu * V[j + 2] + pm * V[j + 1] + pd * V[j]) for j in range(2 * i + 1)]
    return V[0]


# Gauss-Legendre nodes on (0, 100] for the Heston integral
_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)
U_NODES = 50.0 * (_GL_X + 1.0) + 1e-8
U_WEIGHTS = 50.0 * _GL_W


def heston_cf(u, T, kappa, theta, sigma, rho, v0, r):
    """Heston characteristic function of log S_T / S_0 ("little trap" form)."""
    xi = kappa - sigma * rho * 1j * u
    d = np.sqrt(xi**2 + sigma**2 * (u**2 + 1j * u))
    g = (xi - d) / (xi + d)
    e = np.exp(-d * T)
    C = r * 1j * u * T + kappa * theta / sigma**2 * (
        (xi - d) * T - 2.0 * np.log((1 - g * e) / (1 - g))
    )
    D = (xi - d) / sigma**2 * (1 - e) / (1 - g * e)
    return np.exp(C + D * v0)


def heston_call(p):
    """Call price: S P1 - K e^{-rT} P2 with the two Gil-Pelaez integrals by quadrature."""
    kappa, theta, sigma, rho, v0 = p
    S, K, T, r = 100.0, 105.0, 0.5, 0.01
    u = U_NODES
    k = np.log(K / S)
    phi = heston_cf(u, T, kappa, theta, sigma, rho, v0, r)
    phi1 = heston_cf(u - 1j, T, kappa, theta, sigma, rho, v0, r) / heston_cf(
        -1j, T, kappa, theta, sigma, rho, v0, r
    )
    P1 = 0.5 + np.sum(U_WEIGHTS * np.real(np.exp(-1j * u * k) * phi1 / (1j * u))) / np.pi
    P2 = 0.5 + np.sum(U_WEIGHTS * np.real(np.exp(-1j * u * k) * phi / (1j * u))) / np.pi
    return S * P1 - K * np.exp(-r * T) * P2


def heston_calibration(p):
    """Squared pricing error against three target prices (a calibration objective)."""
    err = 0.0
    for target, scale in ((4.2, 1.0), (4.5, 1.05), (3.9, 0.97)):
        err += (heston_call(p * scale ** np.array([0, 0, 0, 0, 1.0])) - target) ** 2
    return err


def sabr_vol(F, K, T, alpha, beta, rho, nu):
    """Hagan's lognormal SABR implied volatility (K != F branch)."""
    fk = F * K
    logfk = math.log(F / K)
    z = nu / alpha * fk ** ((1 - beta) / 2) * logfk
    x = math.log((math.sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho))
    a = alpha / (
        fk ** ((1 - beta) / 2)
        * (1 + (1 - beta) ** 2 / 24 * logfk**2 + (1 - beta) ** 4 / 1920 * logfk**4)
    )
    b = (
        1
        + (
            (1 - beta) ** 2 / 24 * alpha**2 / fk ** (1 - beta)
            + rho * beta * nu * alpha / (4 * fk ** ((1 - beta) / 2))
            + (2 - 3 * rho**2) / 24 * nu**2
        )
        * T
    )
    return a * z / x * b


def sabr_smile_fit(p):
    alpha, rho, nu = p
    strikes = (0.8, 0.9, 1.1, 1.2)
    market = (0.27, 0.235, 0.205, 0.21)
    return sum(
        (sabr_vol(1.0, k, 1.0, alpha, 0.5, rho, nu) - m) ** 2 for k, m in zip(strikes, market)
    )


RET = R.standard_normal(60)  # percent returns, as `arch` advises (omega ~ 0.1, not 1e-5)


def garch11_nll(params, y):
    """GARCH(1,1) negative log-likelihood with the sample variance as the initial h."""
    omega, alpha, beta = params
    h = np.var(y)
    nll = 0.0
    for t in range(len(y)):
        nll += 0.5 * (np.log(2 * np.pi) + np.log(h) + y[t] ** 2 / h)
        h = omega + alpha * y[t] ** 2 + beta * h
    return nll


def garch11_array(params, y):
    """GARCH(1,1) with a preallocated variance array sigma2[t] and a vectorised likelihood."""
    mu, omega, alpha, beta = params
    e = y - mu
    sigma2 = np.empty(len(y))
    sigma2[0] = np.mean(e**2)
    for t in range(1, len(y)):
        sigma2[t] = omega + alpha * e[t - 1] ** 2 + beta * sigma2[t - 1]
    return 0.5 * np.sum(np.log(sigma2) + e**2 / sigma2)


def gjr_garch_nll(params, y):
    """GJR-GARCH: an extra gamma * e^2 term when the last shock was negative."""
    omega, alpha, gamma, beta = params
    h = np.mean(y**2)
    ll = 0.0
    for t in range(1, len(y)):
        e = y[t - 1]
        lev = gamma * e**2 if e < 0 else 0.0
        h = omega + alpha * e**2 + lev + beta * h
        ll -= 0.5 * (math.log(h) + y[t] ** 2 / h)
    return -ll


def egarch_nll(params, y):
    """EGARCH(1,1): log h_t = w + a (|z| - E|z|) + g z + b log h_{t-1}."""
    w, a, g, b = params
    logh = np.log(np.var(y))
    nll = 0.0
    c = np.sqrt(2 / np.pi)
    for t in range(len(y)):
        h = np.exp(logh)
        z = y[t] / np.sqrt(h)
        nll += 0.5 * (logh + z * z)
        logh = w + a * (np.abs(z) - c) + g * z + b * logh
    return nll


def student_t_garch(params, y):
    """GARCH(1,1) with Student-t innovations (nu free), gammaln from scipy."""
    from scipy.special import gammaln

    omega, alpha, beta, nu = params
    h = np.var(y)
    ll = 0.0
    for t in range(len(y)):
        ll += gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log((nu - 2) * np.pi * h)
        ll -= (nu + 1) / 2 * np.log(1 + y[t] ** 2 / ((nu - 2) * h))
        h = omega + alpha * y[t] ** 2 + beta * h
    return -ll


AR_Y = np.cumsum(0.3 * R.standard_normal(40)) * 0.2 + R.standard_normal(40)


def arma11_css(params, y):
    """ARMA(1,1) conditional sum of squares: e_t = y_t - c - phi y_{t-1} - theta e_{t-1}."""
    c, phi, theta, log_s2 = params
    e_prev = 0.0
    ss = 0.0
    for t in range(1, len(y)):
        e = y[t] - c - phi * y[t - 1] - theta * e_prev
        ss = ss + e * e
        e_prev = e
    n = len(y) - 1
    s2 = np.exp(log_s2)
    return 0.5 * n * (np.log(2 * np.pi) + log_s2) + 0.5 * ss / s2


def arma11_residuals(params, y):
    """The same model with a residual list appended to and converted by np.array."""
    phi, theta = params
    res = [0.0]
    for t in range(1, len(y)):
        res.append(y[t] - phi * y[t - 1] - theta * res[-1])
    r = np.array(res[1:])
    return np.log(np.mean(r**2))


MU_A = np.array([0.08, 0.12, 0.1, 0.05])
COV_A = np.array(
    [
        [0.04, 0.01, 0.0, 0.002],
        [0.01, 0.09, 0.02, 0.0],
        [0.0, 0.02, 0.0625, 0.001],
        [0.002, 0.0, 0.001, 0.01],
    ]
)


def mean_variance_penalty(w, gamma):
    """w mu - gamma/2 w S w, budget sum(w) = 1 and no-short w >= 0 by quadratic penalties."""
    util = w @ MU_A - 0.5 * gamma * w @ COV_A @ w
    pen = 100.0 * (np.sum(w) - 1.0) ** 2 + 100.0 * np.sum(np.minimum(w, 0.0) ** 2)
    return -util + pen


def softmax_portfolio(z):
    """Weights by softmax (budget by construction): negative Sharpe ratio."""
    w = np.exp(z - np.max(z))
    w = w / np.sum(w)
    return -(w @ MU_A - 0.02) / np.sqrt(w @ COV_A @ w)


def risk_parity(w):
    """Risk-parity objective sum_ij (w_i (Sw)_i - w_j (Sw)_j)^2, plus a budget penalty."""
    rc = w * (COV_A @ w)
    diff = rc[:, None] - rc[None, :]
    return np.sum(diff**2) + (np.sum(w) - 1.0) ** 2


def cvar_smoothed(w, losses, alpha):
    """Rockafellar-Uryasev CVaR with a softplus instead of max(., 0); VaR level w[-1]."""
    t = w[-1]
    x = losses @ w[:-1]
    excess = np.logaddexp(0.0, 20.0 * (x - t)) / 20.0
    return t + np.mean(excess) / (1 - alpha)


def vasicek_bond(r0, kappa, theta, sigma):
    """Vasicek zero-coupon bond price P(0, T) for T = 1..5, the sum of yields."""
    total = 0.0
    for T in range(1, 6):
        B = (1 - math.exp(-kappa * T)) / kappa
        A = math.exp((theta - sigma**2 / (2 * kappa**2)) * (B - T) - sigma**2 * B**2 / (4 * kappa))
        total += -math.log(A * math.exp(-B * r0)) / T
    return total


def nelson_siegel_fit(beta):
    """Nelson-Siegel curve fit to five yields (least squares in the four parameters)."""
    tau = np.array([0.5, 1.0, 2.0, 5.0, 10.0])
    y = np.array([0.02, 0.022, 0.025, 0.029, 0.031])
    b0, b1, b2, lam = beta
    x = tau / lam
    f1 = (1 - np.exp(-x)) / x
    fit = b0 + b1 * f1 + b2 * (f1 - np.exp(-x))
    return np.sum((fit - y) ** 2) * 1e4


CASES = [
    Case(bs_call, (100.0, 95.0, 0.5, 0.02, 0.25), (0, 1, 2, 3, 4), extra="hvp"),
    Case(bs_put_parity, (100.0, 105.0, 1.0, 0.03, 0.2), (0, 1, 2, 3, 4), extra="hvp"),
    Case(bs_vector, (np.array([100.0, 0.8, 0.02, 0.22]),), (0,), extra="hvp"),
    Case(bs_greeks, (98.0, 0.3), (0, 1), extra="hvp"),
    Case(implied_vol_newton, (9.0, 101.0), (0, 1), extra="hvp"),
    Case(binomial_american_put, (98.0, 0.25, 0.03), (0, 1, 2), extra="hvp", jitter=0.0),
    Case(binomial_european_call, (np.array([100.0, 0.3]),), (0,), extra="hvp", jitter=0.0),
    Case(trinomial_call, (101.0, 0.2), (0, 1), extra="hvp", jitter=0.0),
    Case(heston_call, (np.array([1.5, 0.04, 0.5, -0.6, 0.05]),), (0,), extra="hvp"),
    Case(heston_calibration, (np.array([1.5, 0.04, 0.5, -0.6, 0.05]),), (0,), extra="hvp"),
    Case(sabr_vol, (1.0, 1.15, 1.0, 0.2, 0.5, -0.3, 0.4), (0, 1, 2, 3, 4, 5, 6), extra="hvp"),
    Case(sabr_smile_fit, (np.array([0.21, -0.25, 0.45]),), (0,), extra="hvp"),
    Case(garch11_nll, (np.array([0.1, 0.08, 0.85]), RET), (0, 1), extra="hvp"),
    Case(garch11_array, (np.array([0.0, 0.1, 0.1, 0.8]), RET), (0, 1), extra="hvp"),
    Case(gjr_garch_nll, (np.array([0.1, 0.05, 0.08, 0.85]), RET), (0, 1), extra="hvp"),
    Case(egarch_nll, (np.array([0.02, 0.1, -0.05, 0.9]), RET), (0, 1), extra="hvp"),
    Case(student_t_garch, (np.array([0.1, 0.08, 0.85, 6.0]), RET), (0, 1), extra="hvp"),
    Case(arma11_css, (np.array([0.1, 0.5, 0.2, 0.0]), AR_Y), (0, 1), extra="hvp"),
    Case(arma11_residuals, (np.array([0.5, 0.2]), AR_Y), (0, 1), extra="hvp"),
    Case(mean_variance_penalty, (np.array([0.3, 0.2, 0.35, 0.2]), 3.0), (0, 1), extra="hvp"),
    Case(softmax_portfolio, (np.array([0.1, -0.2, 0.3, 0.0]),), (0,), extra="hvp"),
    Case(risk_parity, (np.array([0.3, 0.2, 0.25, 0.25]),), (0,), extra="hvp"),
    Case(
        cvar_smoothed,
        (np.array([0.3, 0.3, 0.4, 0.05]), 0.1 * R.standard_normal((20, 3)), 0.9),
        (0, 1),
        extra="hvp",
    ),
    Case(vasicek_bond, (0.03, 0.5, 0.04, 0.01), (0, 1, 2, 3), extra="hvp"),
    Case(nelson_siegel_fit, (np.array([0.03, -0.01, 0.01, 1.5]),), (0,), extra="hvp"),
]
