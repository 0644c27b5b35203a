"""Ported cases (session 24, lib24), written anew as user code: library calls srcad refused
before, now differentiated: scipy.integrate's trapezoid / simpson / cumulative rules, the
descriptive statistics of scipy.stats (skew, kurtosis, zscore, sem, gmean, hmean, moment,
entropy), scipy.spatial.distance (an RBF kernel from ``cdist``, a stress function from
``pdist`` / ``squareform``), scipy.linalg's structured matrices (toeplitz, circulant, hankel),
``scipy.signal.fftconvolve`` and ``lfilter``, ``np.fft.hfft``, ``np.linalg.cond`` in the Frobenius norm and
``scipy.special.exprel`` / ``wrightomega`` / ``ndtri_exp`` / ``ellipk`` / ``ellipe``.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); most
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from scipy import integrate, signal, special, stats
from scipy.spatial import distance

from . import Case

T = np.array([0.0, 0.3, 0.7, 1.2, 1.6, 2.0])
X_TRAIN = np.array([[0.1, 0.5], [1.2, -0.3], [-0.7, 0.9], [0.4, 1.4]])


def lib24_decay_energy(p):
    """The energy of a damped signal on an uneven grid, three quadratures."""
    y = p[0] * np.exp(-(p[1] ** 2) * T) * np.cos(3.0 * T)
    return (
        integrate.trapezoid(y**2, T) + integrate.simpson(y**2, x=T) + integrate.simpson(y, dx=0.4)
    )


def lib24_cumulative_work(p):
    force = p[0] + p[1] * T + p[2] * T**2
    work = integrate.cumulative_trapezoid(force, T, initial=0)
    path = integrate.cumulative_simpson(force**2, dx=0.25)
    return np.sum(work**2) + np.sum(path)


def lib24_shape_stats(p):
    """Moment matching: skewness and excess kurtosis of a transformed sample toward targets."""
    z = np.sinh(p[0] + p[1] * np.linspace(-1.5, 2.0, 9))
    return (stats.skew(z) - 0.2) ** 2 + (stats.kurtosis(z) - 0.5) ** 2 + stats.moment(z, 3)


def lib24_standardised(p):
    x = p.reshape(2, 3)
    zs = stats.zscore(x, axis=1, ddof=1)
    return np.sum(zs * np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.3]])) + np.sum(stats.sem(x, axis=0))


def lib24_means(p):
    a = np.exp(p)
    return stats.gmean(a) - stats.hmean(a, weights=np.arange(1.0, a.shape[0] + 1))


def lib24_entropy(p):
    probs = special.softmax(p)
    ref = np.array([0.1, 0.2, 0.3, 0.4])
    return stats.entropy(probs) + stats.entropy(probs, ref, base=2.0)


def lib24_rbf_ridge(p):
    """The log marginal likelihood's data term of a GP with an RBF kernel from ``cdist``."""
    ls = np.exp(p[0])
    k = np.exp(-0.5 * distance.cdist(X_TRAIN / ls, X_TRAIN / ls, "sqeuclidean"))
    y = np.array([0.3, -0.2, 0.8, 0.1])
    return y @ np.linalg.solve(k + 0.1 * np.eye(4), y)


def lib24_stress(p):
    """Multidimensional-scaling stress of 2-D points against target distances."""
    pts = p.reshape(3, 2)
    target = np.array([1.0, 1.5, 0.8])
    d = distance.pdist(pts)
    full = distance.squareform(d)
    return np.sum((d - target) ** 2) + 0.1 * np.sum(full[0]) + np.sum(distance.pdist(pts, "cosine"))


def lib24_cross_dist(p):
    a = p.reshape(2, 3)
    b = np.array([[0.0, 1.0, 0.5], [1.0, -1.0, 2.0], [0.3, 0.3, 0.3]])
    return (
        np.sum(distance.cdist(a, b))
        + np.sum(distance.cdist(a, b, "minkowski", p=3))
        + distance.euclidean(a[0], a[1])
        + distance.cosine(a[0], b[1])
    )


def lib24_structured(p):
    t = sla.toeplitz(p[:3], np.array([0.0, 0.5, -0.2]))
    c = sla.circulant(p[1:])
    h = sla.hankel(p[:3])
    v = np.array([1.0, -0.5, 2.0])
    return v @ t @ v + np.sum(c @ p[1:]) + np.sum(h**2)


def lib24_ar_covariance(p):
    """A Toeplitz AR(1) covariance's Gaussian log-density of a fixed series."""
    rho = np.tanh(p[0])
    cov = sla.toeplitz(rho ** np.arange(4.0)) + 0.1 * np.eye(4)
    y = np.array([0.5, -0.1, 0.3, 0.8])
    sign, logdet = np.linalg.slogdet(cov)
    return -0.5 * (logdet + y @ np.linalg.solve(cov, y))


def lib24_smoothing(p):
    kernel = np.exp(-(np.linspace(-1.0, 1.0, 3) ** 2) / p[0] ** 2)
    out = signal.fftconvolve(p[1:], kernel / np.sum(kernel), mode="same")
    return np.sum(out**2)


def lib24_spectra(p):
    a = np.fft.hfft(p[:4])
    m = p[4:].reshape(2, 2) + 2.0 * np.eye(2)
    return np.sum(a**2) / 10.0 + np.linalg.cond(m, "fro")


def lib24_discounted_returns(p):
    """RL: discounted returns with ``lfilter`` (the reversed-filter idiom), a value baseline."""
    rewards = np.tanh(p[1:])
    gamma = 0.9 + 0.05 * np.tanh(p[0])
    returns = signal.lfilter([1.0], [1.0, -gamma], rewards[::-1])[::-1]
    return np.sum((returns - 0.5) ** 2)


def lib24_iir_fit(p):
    """Least squares fit of a first-order IIR filter's coefficients to a target response."""
    u = np.array([1.0, 0.0, 0.5, -0.3, 0.8, 0.2])
    target = np.array([0.5, 0.3, 0.4, 0.05, 0.45, 0.3])
    y = signal.lfilter(p[:2], np.array([1.0, p[2]]), u)
    return np.sum((y - target) ** 2)


def lib24_special(p):
    return np.sum(special.exprel(p) + special.wrightomega(p) ** 2)


def lib24_log_quantile(p):
    """Gaussian quantiles of tiny log-probabilities (``ndtri_exp``), as in extreme-value code."""
    logq = -np.exp(p)
    return np.sum(special.ndtri_exp(logq) ** 2)


def lib24_ellipse_perimeter(p):
    """The perimeter of an ellipse with semi-axes (a, b), a >= b: 4 a E(1 - b^2 / a^2)."""
    a, b = 1.0 + p[0] ** 2, 0.5 + 0.3 * np.tanh(p[1])
    return 4.0 * a * special.ellipe(1.0 - b**2 / a**2) + 0.1 * special.ellipk(b**2 / a**2)


CASES = [
    Case(lib24_decay_energy, (np.array([1.3, 0.6]),), (0,), extra="hvp"),
    Case(lib24_cumulative_work, (np.array([0.4, -1.3, 0.6]),), (0,), extra="hvp"),
    Case(lib24_shape_stats, (np.array([0.2, 0.7]),), (0,), extra="hvp"),
    Case(lib24_standardised, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2]),), (0,), extra="hvp"),
    Case(lib24_means, (np.array([0.4, -1.3, 0.2, 0.6]),), (0,), extra="hvp"),
    Case(lib24_entropy, (np.array([0.4, -1.3, 0.2, 0.6]),), (0,), extra="hvp"),
    Case(lib24_rbf_ridge, (np.array([0.1]),), (0,), extra="hvp"),
    Case(lib24_stress, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2]),), (0,), extra="hvp"),
    Case(lib24_cross_dist, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2]),), (0,), extra="hvp"),
    Case(lib24_structured, (np.array([0.4, -1.3, 0.2, 0.6]),), (0,), extra="hvp"),
    Case(lib24_ar_covariance, (np.array([0.5]),), (0,), extra="hvp"),
    Case(lib24_smoothing, (np.array([0.8, 0.4, -1.3, 0.2, 0.6, 1.1]),), (0,), extra="hvp"),
    Case(lib24_spectra, (np.array([0.4, -1.3, 0.2, 0.6, 1.1, -0.2, 0.3, 0.5]),), (0,), extra="hvp"),
    Case(lib24_discounted_returns, (np.array([0.3, 0.4, -1.3, 0.2, 0.6]),), (0,), extra="hvp"),
    Case(lib24_iir_fit, (np.array([0.4, 0.2, -0.5]),), (0,), extra="hvp"),
    Case(lib24_special, (np.array([0.4, -1.3, 0.0, 0.6]),), (0,), extra="hvp"),
    Case(lib24_log_quantile, (np.array([0.4, -1.3, 3.0]),), (0,), extra="hvp"),
    Case(lib24_ellipse_perimeter, (np.array([0.4, -1.3]),), (0,), extra="hvp"),
]
