"""Ported cases (session 23, lib23), written anew as user code: library calls srcad refused
before, now differentiated: scipy.special's exp10, stdtr in t, expn in x and the Box-Cox
transforms in their exponent (a Box-Cox likelihood in lambda); random draws in their parameters
(reparameterised Monte Carlo estimates with a generator seeded inside, NumPy's legacy functions
after ``np.random.seed``, ``scipy.stats.norm.rvs``); log cdf / log sf of the logistic, Laplace,
Cauchy and exponential distributions, the multivariate normal's entropy; NumPy 2's
``np.linalg.cross`` and ``np.fft.ihfft``.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); scalar
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from . import Case

DATA = np.array([0.5, 1.2, 2.0, 3.7, 5.1, 0.9])


def lib23_boxcox_llf(p):
    lmbda = p[0]
    y = special.boxcox(DATA, lmbda)
    return (lmbda - 1.0) * np.sum(np.log(DATA)) - 0.5 * DATA.shape[0] * np.log(np.var(y))


def lib23_boxcox_roundtrip(p):
    y = special.boxcox1p(p[:3], p[3])
    return np.sum(special.inv_boxcox1p(y * 1.1, p[3]) ** 2)


def lib23_student_cdf(p):
    t = p[:3] / (1.0 + p[3] ** 2)
    return np.sum(special.stdtr(4.5, t) * special.exp10(-(p[:3] ** 2)))


def lib23_expn_mix(p):
    x = p**2 + 0.3
    return np.sum(special.expn(1, x) + 0.5 * special.expn(3, x))


def lib23_reparam_elbo(p):
    """A reparameterised ELBO estimate of a Gaussian posterior (mu, log sigma) for a toy model."""
    rng = np.random.default_rng(2023)
    mu, log_sigma = p[:2], p[2:]
    z = rng.normal(mu, np.exp(log_sigma), size=(8, 2))
    log_lik = -0.5 * np.sum((z - np.array([1.0, -0.5])) ** 2, axis=1)
    return np.mean(log_lik) + np.sum(log_sigma)


def lib23_mc_option(p):
    """A Monte Carlo call price in (spot, volatility) from lognormal terminal prices."""
    rng = np.random.RandomState(11)
    s_t = p[0] * rng.lognormal(-0.5 * p[1] ** 2, p[1], 16)
    return np.mean(np.logaddexp(0.0, 4.0 * (s_t - 1.0)) / 4.0)


def lib23_legacy_draws(p):
    np.random.seed(5)
    u = np.random.uniform(p[0], p[0] + p[1] ** 2, 4)
    e = np.random.exponential(p[1] ** 2 + 0.1, 4)
    return np.sum(u * e) + np.sum(stats.norm.rvs(p[0], p[1] ** 2 + 0.2, size=3, random_state=9))


def lib23_noise_kinds(p):
    rng = np.random.default_rng(7)
    a = rng.laplace(p[0], p[1] ** 2 + 0.1, 3)
    b = rng.gumbel(p[0], p[1] ** 2 + 0.1, 3)
    c = rng.logistic(p[1], p[0] ** 2 + 0.1, 3)
    return np.sum(np.tanh(a) * b) + np.sum(c**2)


def lib23_tail_logprobs(p):
    x = p[:3]
    return (
        np.sum(stats.logistic.logcdf(x, p[3], 1.3))
        + np.sum(stats.laplace.logsf(x, 0.2, p[3] ** 2 + 0.5))
        + np.sum(stats.cauchy.logcdf(x * p[3]))
        + np.sum(stats.expon.logsf(x**2, 0.0, 1.5))
    )


def lib23_mvn_entropy(p):
    a = p.reshape(3, 3)
    return stats.multivariate_normal.entropy(np.zeros(3), a @ a.T + np.eye(3))


def lib23_torque(p):
    r = p[:6].reshape(2, 3)
    f = np.array([0.3, -1.0, 0.5]) * p[6]
    return np.sum(np.linalg.cross(r, f) ** 2)


def lib23_hermitian_spectrum(p):
    spec = np.fft.ihfft(p * np.hanning(p.shape[0]))
    return np.sum(np.abs(spec) ** 2) + np.sum(np.fft.ihfft(p, norm="ortho").real)


CASES = [
    Case(lib23_boxcox_llf, (np.array([0.35]),), (0,), extra="hvp"),
    Case(lib23_boxcox_roundtrip, (np.array([0.4, 1.3, 2.2, 0.6]),), (0,), extra="hvp"),
    Case(lib23_student_cdf, (np.array([0.4, -1.3, 2.2, 0.6]),), (0,), extra="hvp"),
    Case(lib23_expn_mix, (np.array([0.4, -1.3, 0.8]),), (0,), extra="hvp"),
    Case(lib23_reparam_elbo, (np.array([0.2, -0.3, -0.5, 0.1]),), (0,), extra="hvp", jitter=0),
    Case(lib23_mc_option, (np.array([1.05, 0.3]),), (0,), extra="hvp", jitter=0),
    Case(lib23_legacy_draws, (np.array([0.3, 0.9]),), (0,), extra="hvp", jitter=0),
    Case(lib23_noise_kinds, (np.array([0.3, 0.9]),), (0,), extra="hvp", jitter=0),
    Case(lib23_tail_logprobs, (np.array([0.4, -1.3, 2.2, 0.6]),), (0,), extra="hvp"),
    Case(lib23_mvn_entropy, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2, 0.3, 0.5, 0.9]),), (0,)),
    Case(lib23_torque, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2, 0.7]),), (0,), extra="hvp"),
    Case(lib23_hermitian_spectrum, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2, 0.7]),), (0,)),
]
