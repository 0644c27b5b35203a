"""Ported cases (session 31, corp31), written anew as user code after posteriordb's Stan example
models as NumPy log densities: eight schools (centred, and non-centred with the parameters
unpacked from one flat vector), a hierarchical logistic regression with a dict of group -> rows,
a stochastic-volatility AR(1) log density, the coal-mining change-point model with the discrete
switch point marginalised by log-sum-exp over a list of per-point terms, a Gaussian mixture with
``log_sum_exp`` over components, a Poisson GLMM with random intercepts, and ``scipy.special``'s
``logsumexp``/``gammaln`` in the change point.

Float parameters (scalars, flat vectors, dicts of arrays) -> float scalar log densities."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln, logsumexp

from . import Case

R = np.random.default_rng(31001)
LOG_2PI = math.log(2.0 * math.pi)

# eight schools (Rubin 1981): the estimated effects and their standard errors
Y8 = np.array([28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0])
SIGMA8 = np.array([15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0])


def normal_lpdf(y, mu, sigma):
    z = (y - mu) / sigma
    return -0.5 * z * z - np.log(sigma) - 0.5 * LOG_2PI


def cauchy_lpdf(y, loc, scale):
    z = (y - loc) / scale
    return -math.log(math.pi) - math.log(scale) - np.log1p(z * z)


def eight_schools_centered(mu, log_tau, theta):
    # the centred parameterisation; tau on the log scale with its Jacobian term
    tau = math.exp(log_tau)
    lp = normal_lpdf(mu, 0.0, 5.0)
    lp += cauchy_lpdf(tau, 0.0, 5.0) + log_tau
    lp += np.sum(normal_lpdf(theta, mu, tau))
    lp += np.sum(normal_lpdf(Y8, theta, SIGMA8))
    return lp


def unpack(params, J):
    # a flat unconstrained vector, as samplers hand it over: mu, log tau, J raw effects
    return {
        "mu": params[0],
        "tau": np.exp(params[1]),
        "log_tau": params[1],
        "eta": params[2 : 2 + J],
    }


def eight_schools_noncentered(params):
    p = unpack(params, len(Y8))
    theta = p["mu"] + p["tau"] * p["eta"]
    lp = normal_lpdf(p["mu"], 0.0, 5.0) + cauchy_lpdf(p["tau"], 0.0, 5.0) + p["log_tau"]
    lp = lp + np.sum(normal_lpdf(p["eta"], 0.0, 1.0))
    for j in range(len(Y8)):
        lp = lp + normal_lpdf(Y8[j], theta[j], SIGMA8[j])
    return lp


# hierarchical logistic regression: N rows in G groups, a group intercept around a global one
NG, G, K = 18, 3, 2
XH = np.round(R.normal(size=(NG, K)), 3)
GROUP = [i % G for i in range(NG)]
YH = (R.uniform(size=NG) < 0.5).astype(float)


def group_rows(groups):
    rows = {}
    for i, g in enumerate(groups):
        rows.setdefault(g, []).append(i)
    return rows


def log1p_exp(x):
    # Stan's log1p_exp, the stable branch written out
    return np.where(x > 0, x + np.log1p(np.exp(-x)), np.log1p(np.exp(x)))


def hier_logistic(params):
    mu_a, log_sigma_a = params["hyper"][0], params["hyper"][1]
    sigma_a = np.exp(log_sigma_a)
    a, beta = params["a"], params["beta"]
    lp = normal_lpdf(mu_a, 0.0, 2.0) + normal_lpdf(sigma_a, 0.0, 1.0) + log_sigma_a
    lp = lp + np.sum(normal_lpdf(a, mu_a, sigma_a)) + np.sum(normal_lpdf(beta, 0.0, 2.5))
    for g, rows in group_rows(GROUP).items():
        eta = a[g] + XH[rows] @ beta
        y = YH[rows]
        # bernoulli_logit: y * eta - log(1 + exp(eta))
        lp = lp + np.sum(y * eta - log1p_exp(eta))
    return lp


# stochastic volatility: h_t = mu + phi (h_{t-1} - mu) + sigma eta_t, y_t ~ N(0, exp(h_t / 2))
YSV = np.round(R.normal(size=10) * 0.8, 3)


def stochastic_volatility(theta, h_std):
    mu = theta[0]
    phi = math.tanh(theta[1])  # (-1, 1)
    sigma = math.exp(theta[2])
    lp = normal_lpdf(mu, 0.0, 10.0) + theta[2] + math.log(1.0 - phi * phi)
    h = np.zeros(len(YSV))
    h[0] = mu + h_std[0] * sigma / math.sqrt(1.0 - phi * phi)
    for t in range(1, len(YSV)):
        h[t] = mu + phi * (h[t - 1] - mu) + h_std[t] * sigma
    lp += np.sum(normal_lpdf(h_std, 0.0, 1.0))
    lp += np.sum(normal_lpdf(YSV, 0.0, np.exp(h / 2.0)))
    return lp


# change point (coal-mining disasters): rates e before the switch, l after, switch s marginalised
DISASTERS = np.array([4, 5, 4, 1, 0, 4, 3, 4, 0, 6, 3, 3, 4, 0, 2, 6, 3, 3, 5, 4, 5, 3, 1, 4])
DISASTERS = DISASTERS.astype(float)


def poisson_lpmf(k, rate):
    return k * np.log(rate) - rate - gammaln(k + 1.0)


def change_point_lp(log_rates):
    e, l = math.exp(log_rates[0]), math.exp(log_rates[1])  # noqa: E741
    T = len(DISASTERS)
    lp_s = []
    for s in range(1, T + 1):
        before = np.sum(poisson_lpmf(DISASTERS[: s - 1], e))
        after = np.sum(poisson_lpmf(DISASTERS[s - 1 :], l))
        lp_s.append(-math.log(T) + before + after)
    prior = -e + log_rates[0] - l + log_rates[1]  # exponential(1) priors and the log Jacobians
    return prior + logsumexp(np.array(lp_s))


def change_point_dynamic(log_rates):
    # the Stan manual's linear-time version: cumulative sums of the per-year terms
    e, l = np.exp(log_rates[0]), np.exp(log_rates[1])  # noqa: E741
    T = len(DISASTERS)
    lp = np.full(T, -np.log(T))
    lp_e = np.concatenate([[0.0], np.cumsum(poisson_lpmf(DISASTERS, e))])
    lp_l = np.concatenate([[0.0], np.cumsum(poisson_lpmf(DISASTERS, l))])
    for s in range(T):
        lp[s] += lp_e[s] + lp_l[T] - lp_l[s]
    m = np.max(lp)
    return -e - l + np.sum(log_rates) + m + np.log(np.sum(np.exp(lp - m)))


# a Gaussian mixture: log_sum_exp over components, point by point
XM = np.concatenate([R.normal(-1.5, 0.5, 7), R.normal(1.0, 0.7, 8)]).round(3)


def log_sum_exp(v):
    m = max(v)
    return m + math.log(sum(math.exp(x - m) for x in v))


def softmax_weights(logits):
    z = np.exp(logits - np.max(logits))
    return z / np.sum(z)


def gaussian_mixture(mus, log_sigmas, logits):
    w = softmax_weights(logits)
    sigmas = np.exp(log_sigmas)
    lp = 0.0
    for n in range(len(XM)):
        terms = []
        for k in range(len(mus)):
            terms.append(math.log(w[k]) + normal_lpdf(XM[n], mus[k], sigmas[k]))
        lp += log_sum_exp(terms)
    lp += float(np.sum(normal_lpdf(mus, 0.0, 3.0))) + float(
        np.sum(normal_lpdf(log_sigmas, 0.0, 1.0))
    )
    return lp


# Poisson GLMM: counts with a covariate and a random intercept per subject
NS, NOBS = 4, 3
XG = np.round(R.normal(size=(NS, NOBS)), 3)
CG = np.array([[2, 0, 1], [4, 3, 5], [0, 1, 0], [2, 2, 3]], dtype=float)


class PoissonGLMM:
    def __init__(self, x, counts):
        self.x = x
        self.counts = counts
        self.n_subjects = x.shape[0]

    def log_density(self, beta, log_sd, u):
        sd = np.exp(log_sd)
        lp = np.sum(normal_lpdf(beta, 0.0, 5.0)) + normal_lpdf(sd, 0.0, 1.0) + log_sd
        for i in range(self.n_subjects):
            lp += normal_lpdf(u[i], 0.0, sd)
            log_mu = beta[0] + beta[1] * self.x[i] + u[i]
            lp += np.sum(self.counts[i] * log_mu - np.exp(log_mu) - gammaln(self.counts[i] + 1))
        return lp


def glmm_lp(beta, log_sd, u):
    return PoissonGLMM(XG, CG).log_density(beta, log_sd, u)


# GARCH(1,1): the conditional variance recursion over returns
RET = np.round(R.normal(size=12) * 0.7, 3)


def garch11(params):
    mu = params[0]
    alpha0 = math.exp(params[1])
    alpha1 = 1.0 / (1.0 + math.exp(-params[2]))
    beta1 = (1.0 - alpha1) / (1.0 + math.exp(-params[3]))
    sigma = [math.exp(params[4])]
    for t in range(1, len(RET)):
        sigma.append(
            math.sqrt(alpha0 + alpha1 * (RET[t - 1] - mu) ** 2 + beta1 * sigma[t - 1] ** 2)
        )
    lp = 0.0
    for t in range(len(RET)):
        lp += normal_lpdf(RET[t], mu, sigma[t])
    return lp


# AR(K) with the lags read by slicing
YAR = np.round(np.cumsum(R.normal(size=15)) * 0.3, 3)


def ar_k(alpha, beta, log_sigma):
    K = len(beta)
    sigma = math.exp(log_sigma)
    lp = 0.0
    for t in range(K, len(YAR)):
        mu = alpha
        for k in range(K):
            mu += beta[k] * YAR[t - k - 1]
        lp += normal_lpdf(YAR[t], mu, sigma)
    return lp


# radon-style varying intercepts: measurements grouped by county in a dict of lists
COUNTY = ["a", "b", "a", "c", "b", "a", "c", "c", "b", "a"]
FLOOR = [0, 1, 0, 0, 1, 1, 0, 1, 0, 0]
LOGRADON = np.round(R.normal(1.0, 0.8, size=10), 3)


def radon_lp(theta):
    counties = sorted(set(COUNTY))
    idx = {c: i for i, c in enumerate(counties)}
    a = theta[: len(counties)]
    mu_a, log_sigma_a, b, log_sigma_y = theta[len(counties) :]
    sigma_a, sigma_y = np.exp(log_sigma_a), np.exp(log_sigma_y)
    lp = normal_lpdf(mu_a, 0.0, 10.0) + log_sigma_a + log_sigma_y + normal_lpdf(b, 0.0, 10.0)
    lp = lp + np.sum(normal_lpdf(a, mu_a, sigma_a))
    by_county = {}
    for i, c in enumerate(COUNTY):
        by_county.setdefault(c, []).append(i)
    for c, rows in by_county.items():
        yhat = a[idx[c]] + b * np.array([FLOOR[i] for i in rows], dtype=float)
        lp = lp + np.sum(normal_lpdf(LOGRADON[rows], yhat, sigma_y))
    return lp


# two-parameter IRT: students x items, a correct/incorrect matrix
CORRECT = (R.uniform(size=(5, 4)) < 0.6).astype(float)


def irt_2pl(ability, log_disc, difficulty):
    disc = np.exp(log_disc)
    eta = disc[None, :] * (ability[:, None] - difficulty[None, :])
    ll = np.sum(CORRECT * eta - np.logaddexp(0.0, eta))
    prior = np.sum(normal_lpdf(ability, 0.0, 1.0)) + np.sum(normal_lpdf(log_disc, 0.0, 0.5))
    return ll + prior + np.sum(normal_lpdf(difficulty, 0.0, 2.0))


def _p(*shape, s=0.5):
    return np.round(R.normal(size=shape) * s, 3)


CASES = [
    Case(eight_schools_centered, (4.4, 1.2, Y8 * 0.3 + 2.0), (0, 1, 2)),
    Case(eight_schools_noncentered, (np.concatenate([[4.0, 1.1], _p(8)]),), (0,)),
    Case(
        hier_logistic,
        ({"hyper": np.array([0.3, -0.2]), "a": _p(G), "beta": _p(K)},),
        (0,),
    ),
    Case(stochastic_volatility, (np.array([-0.5, 1.2, -1.0]), _p(len(YSV), s=1.0)), (0, 1)),
    Case(change_point_lp, (np.array([1.2, 0.9]),), (0,)),
    Case(change_point_dynamic, (np.array([1.2, 0.9]),), (0,)),
    Case(
        gaussian_mixture,
        (np.array([-1.2, 0.8]), np.array([-0.5, -0.3]), np.array([0.1, -0.2])),
        (0, 1, 2),
    ),
    Case(garch11, (np.array([0.05, -1.0, -1.5, 1.0, -0.2]),), (0,)),
    Case(ar_k, (0.1, np.array([0.6, 0.2]), -0.5), (0, 1, 2)),
    Case(radon_lp, (np.array([0.9, 1.1, 0.7, 1.0, -0.5, 0.3, -0.3]),), (0,)),
    Case(irt_2pl, (_p(5), _p(4, s=0.3), _p(4)), (0, 1, 2)),
    Case(glmm_lp, (np.array([0.4, 0.3]), -0.4, _p(NS)), (0, 1, 2)),
]
