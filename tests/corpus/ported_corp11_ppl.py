"""Ported cases (session 11, corp11), written anew after the log densities of probabilistic-programming
examples (PyMC, NumPyro and Stan's example models): eight schools centered and non-centered,
logistic and Poisson regression, a hierarchical model gathering group effects by index arrays,
stochastic volatility (a random walk by cumsum, Student-t returns), a GP latent model by
Cholesky, Gaussian mixtures by logsumexp, Stan's unconstraining transforms with their log
Jacobians (lower bounds, stick-breaking simplexes, a Cholesky correlation factor filled in place),
Neal's funnel, ordinal regression with ordered cutpoints, negative-binomial, zero-inflated
Poisson and beta-binomial counts, a change point by a sigmoid switch and an AR(1) series.

Small user functions of an unconstrained parameter vector -> `CASES`; every row is scalar-valued
and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.special import betaln, expit, gammaln, log_expit, logsumexp

from . import Case

R = np.random.default_rng(18600022)
XP = np.round(R.standard_normal(48) * 0.3, 3)
SCHOOL_Y = np.array([28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0])
SCHOOL_S = np.array([15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0])
LR_X = R.standard_normal((10, 3))
LR_Y = (R.uniform(size=10) < expit(LR_X @ np.array([1.0, -0.5, 0.3]))).astype(float)
PO_Y = R.poisson(np.exp(LR_X @ np.array([0.3, 0.2, -0.4]) + 0.5)).astype(float)
GROUP = np.array([0, 0, 1, 2, 2, 2, 3, 1, 0, 3])
RET = 0.02 * R.standard_normal(12)
MIX_Y = np.concatenate([R.normal(-1.0, 0.4, 6), R.normal(1.5, 0.6, 6)])
ORD_Y = np.array([0, 1, 2, 1, 0, 2, 2, 1, 0, 1])
AR_Y = np.cumsum(0.3 * R.standard_normal(10))
CP_T = np.arange(10.0)
LOG2PI = math.log(2 * math.pi)


def _normal_lpdf(y, mu, sigma):
    return -0.5 * ((y - mu) / sigma) ** 2 - np.log(sigma) - 0.5 * LOG2PI


def ppl_eight_schools_noncentered(x):
    mu, log_tau, theta_tilde = 2 * x[0], x[1], x[2:10]
    tau = np.exp(log_tau)
    theta = mu + tau * theta_tilde
    lp = _normal_lpdf(mu, 0.0, 5.0) + stats.halfcauchy.logpdf(tau, scale=5.0) + log_tau
    lp += np.sum(stats.norm.logpdf(theta_tilde))
    lp += np.sum(stats.norm.logpdf(SCHOOL_Y, loc=theta, scale=SCHOOL_S))
    return -lp


def ppl_eight_schools_centered(x):
    mu, tau = 2 * x[0], np.exp(x[1])
    theta = 3 * x[2:10]
    lp = _normal_lpdf(mu, 0.0, 5.0) + math.log(2) - np.log(np.pi * 5 * (1 + (tau / 5) ** 2))
    lp += x[1]
    for j in range(8):
        lp += _normal_lpdf(theta[j], mu, tau) + _normal_lpdf(SCHOOL_Y[j], theta[j], SCHOOL_S[j])
    return -lp


def ppl_logistic_regression(x):
    beta, alpha = x[:3], x[3]
    eta = LR_X @ beta + alpha
    ll = np.sum(LR_Y * log_expit(eta) + (1 - LR_Y) * log_expit(-eta))
    prior = np.sum(stats.norm.logpdf(beta, 0, 2.5)) + stats.t.logpdf(alpha, df=3, scale=2.5)
    return -(ll + prior)


def ppl_poisson_regression(x):
    beta, alpha = x[:3], 0.5 + x[3]
    log_rate = LR_X @ beta + alpha
    ll = np.sum(PO_Y * log_rate - np.exp(log_rate) - gammaln(PO_Y + 1))
    ll2 = np.sum(stats.poisson.logpmf(PO_Y, np.exp(log_rate)))
    return -(ll + ll2) / 2 + 0.5 * np.sum(beta**2)


def ppl_hierarchical(x):
    mu_a, log_sa, a_raw, b, log_sigma = x[0], x[1], x[2:6], x[6], x[7]
    sa, sigma = np.exp(log_sa), np.exp(log_sigma)
    a = mu_a + sa * a_raw
    yhat = a[GROUP] + b * LR_X[:, 0]
    lp = np.sum(_normal_lpdf(PO_Y * 0.3, yhat, sigma))
    lp += np.sum(_normal_lpdf(a_raw, 0.0, 1.0)) + _normal_lpdf(mu_a, 0.0, 10.0)
    lp += stats.expon.logpdf(sa) + log_sa + stats.gamma.logpdf(sigma, a=2.0) + log_sigma
    return -lp


def ppl_stochastic_volatility(x):
    mu, log_sigma, nu_raw = x[0] - 4.0, x[1] - 1.0, x[2]
    sigma, nu = np.exp(log_sigma), 2.0 + np.exp(nu_raw + 1.0)
    steps = x[3:15]
    h = mu + sigma * np.cumsum(steps)
    lp = np.sum(_normal_lpdf(steps, 0.0, 1.0)) + log_sigma + nu_raw
    lp += np.sum(stats.t.logpdf(RET, df=nu, scale=np.exp(h / 2)))
    lp += stats.expon.logpdf(sigma, scale=0.5) + stats.expon.logpdf(nu - 2.0, scale=10.0)
    return -lp


def ppl_gp_latent(x):
    ls, amp = np.exp(x[0]), np.exp(x[1])
    t = np.linspace(0, 1, 8)
    k = amp**2 * np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2 / ls**2) + 1e-6 * np.eye(8)
    chol = np.linalg.cholesky(k)
    f = chol @ x[2:10]
    ll = np.sum(PO_Y[:8] * f - np.exp(f))
    prior = np.sum(_normal_lpdf(x[2:10], 0.0, 1.0)) + stats.invgamma.logpdf(ls, 5.0, scale=5.0)
    return -(ll + prior + x[0])


def ppl_gp_marginal(x):
    ls, amp, noise = np.exp(x[0]), np.exp(x[1]), np.exp(x[2] - 1.0)
    t = np.linspace(0, 1, 8)
    k = amp**2 * np.exp(-0.5 * ((t[:, None] - t) / ls) ** 2) + noise**2 * np.eye(8)
    chol = np.linalg.cholesky(k)
    z = np.linalg.solve(chol, AR_Y[:8])
    return 0.5 * z @ z + np.sum(np.log(np.diagonal(chol))) + 4 * LOG2PI


def ppl_gaussian_mixture(x):
    logits = np.array([0.0, x[0]])
    log_w = logits - logsumexp(logits)
    mus = np.array([-1.0 + x[1], 1.5 + x[2]])
    sig = np.exp(np.array([x[3], x[4]]) - 0.5)
    comp = log_w[None, :] + _normal_lpdf(MIX_Y[:, None], mus[None, :], sig[None, :])
    return -np.sum(logsumexp(comp, axis=1)) + 0.5 * np.sum(mus**2)


def ppl_mixture_loop(x):
    w = 1 / (1 + np.exp(-x[0]))
    mu1, mu2 = -1.0 + x[1], 1.5 + x[2]
    s1, s2 = np.exp(x[3] - 0.5), np.exp(x[4] - 0.5)
    lp = 0.0
    for y in MIX_Y:
        a = math.log(w) + stats.norm.logpdf(y, mu1, s1)
        b = math.log(1 - w) + stats.norm.logpdf(y, mu2, s2)
        lp += np.logaddexp(a, b)
    return -lp


def _stick_breaking(y):
    """Stan's simplex transform: K-1 unconstrained -> K simplex, with its log |J|."""
    k = y.shape[0] + 1
    z = expit(y - np.log(k - np.arange(1, k)))
    rest = np.concatenate([[1.0], np.cumprod(1 - z)])
    x = np.concatenate([z, [1.0]]) * rest
    log_j = np.sum(np.log(z) + np.log1p(-z) + np.log(rest[:-1]))
    return x, log_j


def ppl_dirichlet_simplex(x):
    theta, log_j = _stick_breaking(x[:4])
    counts = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    alpha = np.full(5, 1.5)
    lp = np.sum((alpha - 1) * np.log(theta)) + gammaln(alpha.sum()) - np.sum(gammaln(alpha))
    return -(lp + np.sum(counts * np.log(theta)) + log_j)


def _corr_cholesky(cpcs, k):
    """Stan's Cholesky factor of a correlation matrix from canonical partial correlations."""
    z = np.tanh(cpcs)
    L = np.zeros((k, k))
    L[0, 0] = 1.0
    pos = 0
    log_j = 0.0
    for i in range(1, k):
        L[i, 0] = z[pos]
        acc = 1.0 - z[pos] ** 2
        log_j += 0.5 * np.log(acc)
        pos += 1
        for j in range(1, i):
            L[i, j] = z[pos] * np.sqrt(acc)
            log_j += 0.5 * np.log(acc)
            acc -= L[i, j] ** 2
            pos += 1
        L[i, i] = np.sqrt(acc)
    log_j += np.sum(np.log1p(-(z**2)))
    return L, log_j


def ppl_lkj_correlation(x):
    L, log_j = _corr_cholesky(x[:6], 4)
    eta = 2.0
    lkj = np.sum((4 - np.arange(2, 5) + 2 * eta - 2) * np.log(np.diag(L)[1:]))
    sd = np.exp(x[6:10] * 0.5)
    cov_l = sd[:, None] * L
    y = LR_X[:5, :] @ np.ones((3, 4)) * 0.2
    z = np.linalg.solve(cov_l, (y - 0.1).T)
    ll = -0.5 * np.sum(z**2) - 5 * np.sum(np.log(np.diag(cov_l)))
    return -(ll + lkj + log_j + np.sum(x[6:10] * 0.5))


def ppl_neals_funnel(x):
    v, z = 3 * x[0], x[1:9]
    return -(_normal_lpdf(v, 0.0, 3.0) + np.sum(_normal_lpdf(z, 0.0, np.exp(v / 2))))


def ppl_ordinal(x):
    beta = x[:3]
    c = np.concatenate([[x[3]], x[3] + np.cumsum(np.exp(x[4:5]))])
    eta = LR_X @ beta
    cum = expit(c[None, :] - eta[:, None])
    probs = np.diff(np.concatenate([np.zeros((10, 1)), cum, np.ones((10, 1))], axis=1), axis=1)
    return -np.sum(np.log(probs[np.arange(10), ORD_Y])) - x[4]


def ppl_negbin_zip(x):
    mu = np.exp(LR_X @ x[:3] + 0.5)
    phi = np.exp(x[3] + 1.0)
    nb = (
        gammaln(PO_Y + phi) - gammaln(phi) - gammaln(PO_Y + 1)
        + phi * (np.log(phi) - np.log(phi + mu)) + PO_Y * (np.log(mu) - np.log(phi + mu))
    )  # fmt: skip
    pi = expit(x[4])
    lam = np.exp(LR_X @ x[5:8])
    zero = np.logaddexp(np.log(pi), np.log1p(-pi) - lam)
    nonzero = np.log1p(-pi) + stats.poisson.logpmf(PO_Y, lam)
    zip_ll = np.where(PO_Y == 0, zero, nonzero)
    return -(np.sum(nb) + np.sum(zip_ll))


def ppl_beta_binomial(x):
    a, b = np.exp(x[0] + 1), np.exp(x[1] + 1)
    n = np.array([10.0, 12.0, 8.0, 15.0])
    k = np.array([3.0, 7.0, 2.0, 9.0])
    lp = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    lp = lp + betaln(k + a, n - k + b) - betaln(a, b)
    return -np.sum(lp) - stats.beta.logpdf(expit(x[2]), a, b)


def ppl_changepoint(x):
    tau = 5.0 + x[0]
    mu1, mu2 = x[1], 1 + x[2]
    w = 1 / (1 + np.exp(-4 * (CP_T - tau)))
    mu = (1 - w) * mu1 + w * mu2
    return -np.sum(stats.norm.logpdf(AR_Y, mu, 0.5))


def ppl_ar1(x):
    alpha, rho, log_s = x[0], np.tanh(x[1]), x[2] - 0.5
    s = np.exp(log_s)
    lp = _normal_lpdf(AR_Y[0], alpha / (1 - rho), s / np.sqrt(1 - rho**2))
    for t in range(1, len(AR_Y)):
        lp = lp + _normal_lpdf(AR_Y[t], alpha + rho * AR_Y[t - 1], s)
    return -(lp + np.log1p(-(rho**2)) + log_s)


def _hvp(fn, x=XP, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(ppl_eight_schools_noncentered),
    _hvp(ppl_eight_schools_centered),
    _hvp(ppl_logistic_regression),
    _hvp(ppl_poisson_regression),
    _hvp(ppl_hierarchical),
    _hvp(ppl_stochastic_volatility),
    _hvp(ppl_gp_latent),
    _hvp(ppl_gp_marginal),
    _hvp(ppl_gaussian_mixture),
    _hvp(ppl_mixture_loop),
    _hvp(ppl_dirichlet_simplex),
    _hvp(ppl_lkj_correlation),
    _hvp(ppl_neals_funnel),
    _hvp(ppl_ordinal),
    _hvp(ppl_negbin_zip),
    _hvp(ppl_beta_binomial),
    _hvp(ppl_changepoint),
    _hvp(ppl_ar1),
]
