"""Ported cases (session 37, corp37_ppl): likelihoods as pyhf and probabilistic-programming
tests write them, and autograd's test_scipy functions: a HistFactory-style channel (Poisson
main measurement, Gaussian / Poisson constraint terms, normsys and histosys interpolation),
`scipy.stats` log-densities with array parameters (poisson with a continuous rate through
`xlogy`, gamma, beta, dirichlet, multivariate_normal, t, binom through `gammaln`), a Laplace
approximation's log-determinant by `cho_factor`, an ordinal-regression likelihood with
`log_ndtr`, a zero-inflated Poisson, `xlog1py` / `betaln` / `log_expit`, `solve_triangular`,
`lu_factor` / `lu_solve`, and `scipy.linalg.expm` of a generator matrix.

Float parameters -> float scalars."""

from __future__ import annotations

import numpy as np
from scipy import linalg as sla
from scipy import special as sps
from scipy import stats

from . import Case

R = np.random.default_rng(37005)
OBS = np.array([52.0, 61.0, 48.0])
NOM = np.array([50.0, 55.0, 45.0])
SIG = np.array([5.0, 8.0, 3.0])
UP = np.array([53.0, 58.0, 47.0])
DN = np.array([47.0, 53.0, 44.0])


def _interp_code0(alpha, nom, up, dn):
    # piecewise-linear histosys: the slope switches at alpha = 0
    return np.where(alpha >= 0, nom + alpha * (up - nom), nom + alpha * (nom - dn))


def _interp_code1(alpha, lo, hi):
    # exponential normsys: hi ** alpha above, lo ** -alpha below
    return np.where(alpha >= 0, hi**alpha, lo ** (-alpha))


def histfactory_nll(pars):
    mu, alpha, gamma_stat = pars[0], pars[1], pars[2:]
    bkg = _interp_code0(alpha, NOM, UP, DN) * _interp_code1(alpha, 0.9, 1.1)
    lam = mu * SIG + bkg * gamma_stat
    main = -np.sum(sps.xlogy(OBS, lam) - lam - sps.gammaln(OBS + 1))
    cons = 0.5 * alpha**2 - np.sum(
        stats.poisson.logpmf(np.array([100.0, 80.0, 60.0]), 0.0 + 1) * 0.0
    )
    tau = np.array([100.0, 80.0, 60.0])
    aux = -np.sum(sps.xlogy(tau, tau * gamma_stat) - tau * gamma_stat - sps.gammaln(tau + 1))
    return main + cons + aux


def scipy_stats_logpdfs(a, b, x):
    return (
        np.sum(stats.gamma.logpdf(x, a, scale=1.0 / b))
        + np.sum(stats.beta.logpdf(x / (1 + x), a, b))
        + np.sum(stats.t.logpdf(x, df=a + 2.0, loc=b, scale=0.7))
        + np.sum(stats.norm.logcdf(x - a))
        + np.sum(stats.expon.logpdf(x, scale=b))
    )


def dirichlet_mvn(alpha, mu, L):
    p = np.array([0.2, 0.5, 0.3])
    cov = L @ L.T + 0.1 * np.eye(3)
    return stats.dirichlet.logpdf(p, alpha) + stats.multivariate_normal.logpdf(
        np.array([0.1, -0.2, 0.3]), mu, cov
    )


def binom_by_gammaln(logit_p, n):
    k = np.array([3.0, 5.0, 1.0, 7.0])
    p = sps.expit(logit_p)
    logc = sps.gammaln(n + 1) - sps.gammaln(k + 1) - sps.gammaln(n - k + 1)
    return np.sum(logc + sps.xlogy(k, p) + sps.xlog1py(n - k, -p))


def laplace_logdet(theta, X, y):
    logits = X @ theta
    p = sps.expit(logits)
    H = X.T @ (X * (p * (1 - p))[:, None]) + np.eye(len(theta))
    c, low = sla.cho_factor(H)
    logdet = 2 * np.sum(np.log(np.diag(c)))
    ll = np.sum(y * sps.log_expit(logits) + (1 - y) * sps.log_expit(-logits))
    return ll - 0.5 * logdet - 0.5 * theta @ sla.cho_solve((c, low), theta)


YORD = np.array([0, 2, 1, 1, 0, 2])


def ordinal_probit(beta, cuts, X):
    eta = X @ beta
    c = np.concatenate(
        [[-np.inf], np.cumsum(np.concatenate([cuts[:1], np.exp(cuts[1:])])), [np.inf]]
    )
    upper = c[YORD + 1] - eta
    lower = c[YORD] - eta
    return np.sum(np.log(sps.ndtr(upper) - sps.ndtr(lower) + 1e-12)) + np.sum(
        sps.log_ndtr(-np.abs(eta))
    )


YZ = np.array([0.0, 0.0, 3.0, 1.0, 0.0, 5.0])


def zero_inflated_poisson(logit_pi, log_lam):
    pi = sps.expit(logit_pi)
    lam = np.exp(log_lam)
    zero = np.log(pi + (1 - pi) * np.exp(-lam))
    pos = np.log1p(-pi) + stats.poisson.logpmf(YZ, lam)
    return np.sum(np.where(YZ == 0, zero, pos))


def beta_binomial(a, b):
    k, n = np.array([2.0, 4.0, 7.0]), 10.0
    return np.sum(sps.betaln(k + a, n - k + b) - sps.betaln(a, b))


def triangular_solves(L, b):
    Lt = np.tril(L) + 2 * np.eye(3)
    z = sla.solve_triangular(Lt, b, lower=True)
    w = sla.solve_triangular(Lt.T, z, lower=False, trans=0)
    lu, piv = sla.lu_factor(Lt @ Lt.T + np.eye(3))
    v = sla.lu_solve((lu, piv), b)
    return np.sum(w * b) + np.sum(v**2)


def ctmc_expm(rates, t):
    Q = np.array([[0.0, rates[0], 0.0], [rates[1], 0.0, rates[2]], [0.0, rates[3], 0.0]])
    Q = Q - np.diag(Q.sum(axis=1))
    P = sla.expm(Q * t)
    return np.log(P[0, 2]) + np.log(P[2, 1]) + np.trace(P)


X6 = R.standard_normal((6, 2))
CASES = [
    Case(histfactory_nll, (np.array([1.1, 0.3, 1.02, 0.97, 1.01]),), (0,), extra="hvp"),
    Case(scipy_stats_logpdfs, (1.7, 0.8, np.array([0.4, 1.3, 2.2])), (0, 1, 2), extra="hvp"),
    Case(
        dirichlet_mvn,
        (
            np.array([1.5, 2.0, 0.8]),
            np.zeros(3) + 0.1,
            np.tril(R.standard_normal((3, 3))) + np.eye(3),
        ),
        (0, 1, 2),
    ),
    Case(binom_by_gammaln, (np.array([0.2, -0.4, 0.9, 0.1]), 9.5), (0, 1), extra="hvp"),
    Case(laplace_logdet, (np.array([0.3, -0.6]), X6, (X6[:, 0] > 0).astype(float)), (0, 1)),
    Case(ordinal_probit, (np.array([0.4, -0.3]), np.array([-0.5, 0.2]), X6), (0, 1, 2)),
    Case(zero_inflated_poisson, (-0.3, 0.6), (0, 1), extra="hvp"),
    Case(beta_binomial, (1.3, 2.4), (0, 1), extra="hvp"),
    Case(triangular_solves, (R.standard_normal((3, 3)), R.standard_normal(3)), (0, 1)),
    Case(ctmc_expm, (np.array([0.5, 0.3, 0.7, 0.4]), 1.3), (0, 1)),
]
