"""Ported cases (session 24, corp24), written anew as user code after statsmodels' likelihoods
(and the ``arch`` package's GARCH recursion): the conditional-sum-of-squares ARMA(1, 1) by its
residual recursion, an AR(2) exact Gaussian likelihood, the local-level Kalman filter's
prediction-error decomposition (diffuse start), GLM log-likelihoods of the Poisson (log link),
Gamma (log and inverse-power links), negative binomial (``alpha``), binomial (logit and probit
through ``scipy.special.ndtr``) and inverse Gaussian families written as statsmodels'
``loglike_obs`` with ``gammaln``, the discrete Logit's ``q = 2 y - 1`` form, a Student-t
regression, GARCH(1, 1) with its variance recursion started at the sample variance, Holt's
linear exponential smoothing SSE, and Huber's T robust criterion (a ``np.where`` on ``|r| <= t``).

Float parameter vectors -> float scalar log-likelihoods (checked at second order with
``extra="hvp"``) or float vectors (filtered states, residual series)."""

from __future__ import annotations

import numpy as np
from scipy.special import expit, gammaln, ndtr

from . import Case

R = np.random.default_rng(24000004)
N = 30
Y = np.zeros(N)
_e = R.standard_normal(N)
for _t in range(1, N):
    Y[_t] = 0.5 * Y[_t - 1] + _e[_t] + 0.3 * _e[_t - 1]
Y = np.round(Y, 4)
LEVEL = np.round(np.cumsum(0.3 * R.standard_normal(25)) + 0.5 * R.standard_normal(25), 4)
XD = np.column_stack([np.ones(12), np.round(R.uniform(-1.0, 1.0, (12, 2)), 3)])
COUNTS = np.array([2.0, 0.0, 3.0, 1.0, 5.0, 2.0, 1.0, 0.0, 4.0, 2.0, 3.0, 1.0])
POSY = np.round(R.gamma(2.0, 1.0, 12) + 0.1, 4)
BIN = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
TRIALS = np.array([5.0, 3.0, 6.0, 4.0, 5.0, 2.0, 7.0, 3.0, 4.0, 5.0, 6.0, 3.0])
SUCC = np.array([3.0, 1.0, 4.0, 2.0, 1.0, 0.0, 5.0, 1.0, 3.0, 4.0, 2.0, 2.0])
RET = np.round(R.standard_t(5, 40), 4)  # percent returns, as arch advises
SERIES = np.round(10.0 + 0.4 * np.arange(20) + R.standard_normal(20), 3)


def arma11_css(params):
    phi, theta, sigma2 = params
    e = np.zeros(N)
    for t in range(1, N):
        e[t] = Y[t] - phi * Y[t - 1] - theta * e[t - 1]
    ssr = np.sum(e[1:] ** 2)
    nobs = N - 1
    return -nobs / 2.0 * (np.log(2 * np.pi) + np.log(sigma2)) - ssr / (2.0 * sigma2)


def arma11_residuals(params):
    phi, theta = params
    resid = [0.0]
    for t in range(1, N):
        resid.append(Y[t] - phi * Y[t - 1] - theta * resid[-1])
    return np.array(resid)


def ar2_exact_loglike(params):
    c, p1, p2, s2 = params
    # the stationary covariance of the first two observations
    g0 = s2 * (1 - p2) / ((1 + p2) * ((1 - p2) ** 2 - p1**2))
    g1 = g0 * p1 / (1 - p2)
    mu = c / (1 - p1 - p2)
    V = np.array([[g0, g1], [g1, g0]])
    d = Y[:2] - mu
    ll = -np.log(2 * np.pi) - 0.5 * np.log(np.linalg.det(V)) - 0.5 * d @ np.linalg.solve(V, d)
    resid = Y[2:] - c - p1 * Y[1:-1] - p2 * Y[:-2]
    ll += -0.5 * (N - 2) * np.log(2 * np.pi * s2) - 0.5 * np.sum(resid**2) / s2
    return ll


def local_level_loglike(params):
    sigma2_eps, sigma2_eta = np.exp(params)
    a, P = 0.0, 1e4  # (nearly) diffuse
    llf = 0.0
    for t in range(len(LEVEL)):
        v = LEVEL[t] - a
        F = P + sigma2_eps
        K = P / F
        a = a + K * v
        P = P * (1 - K) + sigma2_eta
        if t > 0:  # the diffuse first observation is left out
            llf = llf - 0.5 * (np.log(2 * np.pi) + np.log(F) + v**2 / F)
    return llf


def local_level_filtered(params):
    s_eps, s_eta = params
    n = len(LEVEL)
    filtered = np.zeros(n)
    a, P = LEVEL[0], s_eps
    filtered[0] = a
    for t in range(1, n):
        P = P + s_eta
        K = P / (P + s_eps)
        a = a + K * (LEVEL[t] - a)
        P = (1.0 - K) * P
        filtered[t] = a
    return filtered


def poisson_glm(beta):
    lin = XD @ beta
    mu = np.exp(lin)
    return np.sum(COUNTS * np.log(mu) - mu - gammaln(COUNTS + 1))


def poisson_glm_offset(beta):
    exposure = np.linspace(1.0, 2.0, 12)
    mu = np.exp(XD @ beta + np.log(exposure))
    return np.sum(-mu + COUNTS * np.log(mu) - gammaln(COUNTS + 1))


def _gamma_ll_obs(endog, mu, scale, var_weights=1.0):
    endog_mu = endog / mu
    weight_scale = var_weights / scale
    return (
        weight_scale * np.log(weight_scale * endog_mu)
        - weight_scale * endog_mu
        - np.log(endog)
        - gammaln(weight_scale)
    )


def gamma_glm_log_link(p):
    mu = np.exp(XD @ p[:3])
    return np.sum(_gamma_ll_obs(POSY, mu, np.exp(p[3])))


def gamma_glm_inverse_link(p):
    mu = 1.0 / (XD @ p[:3])  # the canonical link: eta = 1 / mu
    return np.sum(_gamma_ll_obs(POSY, mu, p[3]))


def negbin_glm(p):
    alpha = p[3]
    mu = np.exp(XD @ p[:3])
    ll_obs = (
        COUNTS * np.log(alpha * mu / (1 + alpha * mu))
        - np.log(1 + alpha * mu) / alpha
        + gammaln(COUNTS + 1 / alpha)
        - gammaln(1 / alpha)
        - gammaln(COUNTS + 1)
    )
    return np.sum(ll_obs)


def binomial_logit_glm(beta):
    mu = expit(XD @ beta)
    n = TRIALS
    y = SUCC / n
    comb = gammaln(n + 1) - gammaln(n * y + 1) - gammaln(n - n * y + 1)
    return np.sum(comb + n * y * np.log(mu / (1 - mu)) + n * np.log(1 - mu))


def binomial_probit_glm(beta):
    mu = ndtr(XD @ beta)
    mu = np.clip(mu, 1e-12, 1 - 1e-12)
    return np.sum(BIN * np.log(mu) + (1 - BIN) * np.log(1 - mu))


def inverse_gaussian_glm(p):
    mu = np.exp(XD @ p[:3])
    scale = p[3]
    ll_obs = -1.0 / (2 * scale) * (POSY - mu) ** 2 / (POSY * mu**2)
    ll_obs -= 0.5 * np.log(2 * np.pi * scale * POSY**3)
    return np.sum(ll_obs)


def logit_discrete(params):
    q = 2 * BIN - 1
    return np.sum(np.log(1.0 / (1.0 + np.exp(-q * np.dot(XD, params)))))


def logit_score(params):
    L = 1.0 / (1.0 + np.exp(-np.dot(XD, params)))
    return np.dot(BIN - L, XD)


def t_regression(p):
    beta, df, scale = p[:3], p[3], p[4]
    resid = POSY - XD @ beta
    lPx = gammaln((df + 1) / 2) - gammaln(df / 2.0)
    lPx -= 0.5 * np.log(df * np.pi) + np.log(scale)
    lPx -= (df + 1) / 2.0 * np.log(1 + (resid / scale) ** 2 / df)
    return np.sum(lPx)


def garch11_loglike(params):
    mu, omega, alpha, beta = params
    resids = RET - mu
    nobs = resids.shape[0]
    sigma2 = np.zeros(nobs)
    backcast = np.mean(resids**2)
    sigma2[0] = omega + (alpha + beta) * backcast
    for t in range(1, nobs):
        sigma2[t] = omega + alpha * resids[t - 1] ** 2 + beta * sigma2[t - 1]
    lls = -0.5 * (np.log(2 * np.pi) + np.log(sigma2) + resids**2 / sigma2)
    return np.sum(lls)


def garch11_variance_path(params):
    omega, alpha, beta = params
    sigma2 = [np.var(RET)]
    for r in RET[:-1]:
        sigma2.append(omega + alpha * r * r + beta * sigma2[-1])
    return np.array(sigma2)


def holt_sse(params):
    alpha, beta = params
    level, trend = SERIES[0], SERIES[1] - SERIES[0]
    sse = 0.0
    for t in range(1, len(SERIES)):
        fcast = level + trend
        err = SERIES[t] - fcast
        sse += err * err
        new_level = alpha * SERIES[t] + (1 - alpha) * (level + trend)
        trend = beta * (new_level - level) + (1 - beta) * trend
        level = new_level
    return sse


def huber_t_criterion(beta):
    t = 1.345
    z = (POSY - XD @ beta) / 0.8
    test = np.less_equal(np.abs(z), t)
    rho = np.where(test, 0.5 * z**2, t * np.abs(z) - 0.5 * t**2)
    return np.sum(rho)


B3 = np.array([0.3, -0.2, 0.15])
CASES = [
    Case(arma11_css, (np.array([0.45, 0.25, 1.1]),), (0,), extra="hvp"),
    Case(arma11_residuals, (np.array([0.45, 0.25]),), (0,)),
    Case(ar2_exact_loglike, (np.array([0.1, 0.4, 0.2, 1.2]),), (0,), extra="hvp"),
    Case(local_level_loglike, (np.array([-1.0, -2.0]),), (0,), extra="hvp"),
    Case(local_level_filtered, (np.array([0.4, 0.1]),), (0,)),
    Case(poisson_glm, (B3,), (0,), extra="hvp"),
    Case(poisson_glm_offset, (B3,), (0,), extra="hvp"),
    Case(gamma_glm_log_link, (np.array([0.6, 0.1, -0.2, -0.4]),), (0,), extra="hvp"),
    Case(gamma_glm_inverse_link, (np.array([0.5, 0.05, -0.03, 0.6]),), (0,), extra="hvp"),
    Case(negbin_glm, (np.array([0.5, 0.2, -0.1, 0.7]),), (0,), extra="hvp"),
    Case(binomial_logit_glm, (B3,), (0,), extra="hvp"),
    Case(binomial_probit_glm, (B3,), (0,), extra="hvp"),
    Case(inverse_gaussian_glm, (np.array([0.6, 0.1, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(logit_discrete, (B3,), (0,), extra="hvp"),
    Case(logit_score, (B3,), (0,)),
    Case(t_regression, (np.array([1.5, 0.2, -0.1, 4.0, 0.9]),), (0,), extra="hvp"),
    Case(garch11_loglike, (np.array([0.05, 0.2, 0.1, 0.8]),), (0,), extra="hvp"),
    Case(garch11_variance_path, (np.array([0.2, 0.1, 0.8]),), (0,)),
    Case(holt_sse, (np.array([0.6, 0.2]),), (0,), extra="hvp"),
    Case(huber_t_criterion, (np.array([1.8, 0.1, -0.2]),), (0,), extra="hvp"),
]
