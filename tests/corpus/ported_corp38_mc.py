"""Ported cases (session 38, corp38_mc): log-probability functions as emcee's and dynesty's
tutorials write them: a line fit with an underestimated-variance term (`log_f`), a box prior
returning `-np.inf` outside and `if not np.isfinite(lp): return -np.inf`, the quickstart's
multivariate normal by `np.linalg.solve`, a bimodal target by `np.logaddexp`, emcee's
Rosenbrock density, dynesty's eggbox, Gaussian shells (two rings joined by `logaddexp`) and
correlated normal with its normalising constant, a prior transform from the unit cube composed
with the likelihood, a mixture model's foreground/background likelihood, and an `*args`
signature as `EnsembleSampler(..., args=(x, y, yerr))` calls it.

Parameter vectors -> float scalars."""

from __future__ import annotations

import numpy as np
from scipy import special as sps
from scipy import stats

from . import Case

R = np.random.default_rng(38004)
XD = np.sort(10 * R.random(12))
YERR = 0.1 + 0.5 * R.random(12)
YD = -0.9594 * XD + 4.294 + 0.5 * R.standard_normal(12)


def log_likelihood(theta, x, y, yerr):
    m, b, log_f = theta
    model = m * x + b
    sigma2 = yerr**2 + model**2 * np.exp(2 * log_f)
    return -0.5 * np.sum((y - model) ** 2 / sigma2 + np.log(sigma2))


def log_prior(theta):
    m, b, log_f = theta
    if -5.0 < m < 0.5 and 0.0 < b < 10.0 and -10.0 < log_f < 1.0:
        return 0.0
    return -np.inf


def log_probability(theta, x, y, yerr):
    lp = log_prior(theta)
    if not np.isfinite(lp):
        return -np.inf
    return lp + log_likelihood(theta, x, y, yerr)


def emcee_line_fit(theta):
    return log_probability(theta, XD, YD, YERR)


def emcee_args_signature(theta, *args):
    x, y, yerr = args
    return log_probability(theta, x, y, yerr)


def emcee_args_call(theta):
    return emcee_args_signature(theta, XD, YD, YERR)


COV = np.array([[1.0, 0.4, 0.1], [0.4, 2.0, -0.3], [0.1, -0.3, 0.8]])
MU = np.array([0.2, -0.5, 1.0])


def quickstart_log_prob(x, mu, cov):
    diff = x - mu
    return -0.5 * np.dot(diff, np.linalg.solve(cov, diff))


def bimodal(x):
    mu = np.array([1.5, -0.5])
    return np.logaddexp(-0.5 * np.sum((x - mu) ** 2), -0.5 * np.sum((x + mu) ** 2))


def rosenbrock_density(p):
    a1 = 100.0
    a2 = 20.0
    return -(a1 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2) / a2


def eggbox(x):
    tmax = 5.0 * np.pi
    t = 2.0 * tmax * x - tmax
    return (2.0 + np.cos(t[0] / 2.0) * np.cos(t[1] / 2.0)) ** 5.0


def _logcirc(theta, c, r, w):
    d = np.sqrt(np.sum((theta - c) ** 2, axis=-1))
    return -0.5 * (d - r) ** 2 / w**2 - np.log(np.sqrt(2.0 * np.pi * w**2))


def gaussian_shells(theta):
    r, w = 2.0, 0.1
    c1 = np.array([-3.5, 0.0])
    c2 = np.array([3.5, 0.0])
    return np.logaddexp(_logcirc(theta, c1, r, w), _logcirc(theta, c2, r, w))


NDIM = 3
CORR = np.identity(NDIM)
CORR[CORR == 0] = 0.95
CINV = np.linalg.inv(CORR)
LNORM = -0.5 * (np.log(2 * np.pi) * NDIM + np.log(np.linalg.det(CORR)))


def correlated_normal(x):
    return -0.5 * np.dot(x, np.dot(CINV, x)) + LNORM


def prior_transform(u):
    x = np.array(u)
    x[0] = 2.0 * u[0] - 1.0  # uniform on [-1, 1)
    x[1] = stats.norm.ppf(u[1], loc=0.5, scale=0.3)
    x[2] = 10.0 ** (2.0 * u[2] - 1.0)  # log-uniform
    return x


def loglike_of_unit_cube(u):
    m, b, s = prior_transform(u)
    model = m * XD + b
    return -0.5 * np.sum((YD - model) ** 2 / s**2 + np.log(2 * np.pi * s**2))


def mixture_foreground_background(params, x, y, yerr):
    m, b, q, mb, lvb = params
    model = m * x + b
    var_fg = yerr**2
    ll_fg = -0.5 * ((y - model) ** 2 / var_fg + np.log(2 * np.pi * var_fg))
    var_bg = yerr**2 + np.exp(lvb)
    ll_bg = -0.5 * ((y - mb) ** 2 / var_bg + np.log(2 * np.pi * var_bg))
    return np.sum(np.logaddexp(np.log(q) + ll_fg, np.log1p(-q) + ll_bg))


def hierarchical_eight_schools(params, y, sigma):
    mu, log_tau = params[0], params[1]
    eta = params[2:]
    tau = np.exp(log_tau)
    theta = mu + tau * eta
    lp = stats.norm.logpdf(eta).sum() + stats.norm.logpdf(mu, 0, 5) + log_tau
    lp += stats.cauchy.logpdf(tau, 0, 5)
    return lp + np.sum(stats.norm.logpdf(y, theta, sigma))


def student_t_robust(theta, x, y):
    m, b, log_nu = theta
    nu = np.exp(log_nu)
    r = y - (m * x + b)
    return np.sum(
        sps.gammaln((nu + 1) / 2)
        - sps.gammaln(nu / 2)
        - 0.5 * np.log(nu * np.pi)
        - (nu + 1) / 2 * np.log1p(r**2 / nu)
    )


SCHOOLS_Y = np.array([28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0])
SCHOOLS_S = np.array([15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0])
CASES = [
    Case(emcee_line_fit, (np.array([-1.0, 4.4, np.log(0.5)]),), (0,), extra="hvp"),
    Case(emcee_args_call, (np.array([-1.0, 4.4, np.log(0.5)]),), (0,)),
    Case(quickstart_log_prob, (np.array([0.4, 0.1, -0.3]), MU, COV), (0, 1, 2)),
    Case(bimodal, (np.array([0.8, -0.2]),), (0,), extra="hvp"),
    Case(rosenbrock_density, (np.array([0.8, 0.5]),), (0,)),
    Case(eggbox, (np.array([0.31, 0.62]),), (0,)),
    Case(gaussian_shells, (np.array([-1.6, 0.4]),), (0,)),
    Case(correlated_normal, (np.array([0.3, -0.2, 0.5]),), (0,)),
    Case(loglike_of_unit_cube, (np.array([0.2, 0.6, 0.55]),), (0,)),
    Case(
        mixture_foreground_background,
        (np.array([-0.9, 4.2, 0.7, 1.0, np.log(2.0)]), XD, YD, YERR),
        (0,),
        extra="hvp",
    ),
    Case(
        hierarchical_eight_schools,
        (np.concatenate([[4.0, 1.2], R.standard_normal(8)]), SCHOOLS_Y, SCHOOLS_S),
        (0,),
    ),
    Case(student_t_robust, (np.array([-0.9, 4.2, 1.0]), XD, YD), (0,)),
]
