"""Ported cases (session 25, lib25), written anew as user code: library calls srcad refused
before, now differentiated: scipy.ndimage's linear filters (``gaussian_filter``,
``uniform_filter``, ``correlate``/``convolve`` in the image and the kernel, their 1-D forms, the
boundary modes), ``scipy.signal.convolve2d``/``correlate2d`` and ``savgol_filter``; the
``scipy.stats.weibull_min`` methods in the shape, loc and scale; NumPy's ``trim_zeros``,
``np.polynomial.polynomial.polyfit`` and ``polyvander``; ``nbinom`` in its dispersion ``n``;
``scipy.special.lambertw`` (branches 0 and -1); ``np.roots`` of polynomials with real roots;
``scipy.linalg.polar`` and ``expm_frechet``.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); most
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from scipy import ndimage, signal, special, stats

from . import Case

IMG = np.array([[0.2, 0.9, 0.4, 0.1], [0.7, 0.3, 0.8, 0.5], [0.6, 0.1, 0.2, 0.9]])
EDGE = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def lib25_denoise(p):
    """A smoothness-regularised denoiser: data term plus the energy of the blurred residual."""
    u = p.reshape(3, 4)
    blur = ndimage.gaussian_filter(u, sigma=1.0, mode="nearest")
    return np.sum((u - IMG) ** 2) + 0.5 * np.sum((blur - ndimage.uniform_filter(IMG, 3)) ** 2)


def lib25_learned_kernel(p):
    """Fit a 3x3 kernel so the filtered image matches a target (the kernel is differentiated)."""
    k = p.reshape(3, 3)
    target = ndimage.convolve(IMG, EDGE, mode="reflect")
    out = ndimage.convolve(IMG, k, mode="reflect")
    return np.sum((out - target) ** 2) + 0.01 * np.sum(k**2)


def lib25_edges(p):
    """Sobel-like edge energy of an image, with a constant boundary and a cval."""
    u = IMG + p.reshape(3, 4)
    gx = ndimage.correlate(u, EDGE, mode="constant", cval=0.5)
    gy = ndimage.correlate1d(u, np.array([-1.0, 0.0, 1.0]), axis=0, mode="mirror")
    return np.sum(np.sqrt(gx**2 + gy**2 + 0.5))


def lib25_signal_smooth(p):
    """A 1-D signal smoothed three ways, compared with its samples."""
    t = np.linspace(0.0, 1.0, 12)
    y = p[0] * np.sin(4.0 * t) + p[1] * t**2
    s1 = ndimage.gaussian_filter1d(y, 1.5, mode="wrap")
    s2 = ndimage.uniform_filter1d(y, 4, mode="reflect", origin=-1)
    s3 = signal.savgol_filter(y, 5, 2)
    d = signal.savgol_filter(y, 7, 3, deriv=1, delta=t[1] - t[0], mode="nearest")
    return np.sum((s1 - y) ** 2) + np.sum((s2 - s3) ** 2) + 0.01 * np.sum(d**2)


def lib25_conv2d(p):
    """A tiny conv layer: convolve2d / correlate2d of an image with a learned 2x2 kernel."""
    k = p.reshape(2, 2)
    full = signal.convolve2d(IMG, k)
    same = signal.correlate2d(IMG, k, mode="same")
    valid = signal.correlate2d(IMG, k, mode="valid")
    return np.sum(np.tanh(full) ** 2) + np.sum(same * IMG) + np.sum(valid**2)


def lib25_derivative_of_gaussian(p):
    u = IMG * p[0] + p[1]
    gy = ndimage.gaussian_filter(u, (0.8, 1.2), order=(1, 0), mode="mirror")
    return np.sum(gy**2) + np.sum(ndimage.convolve1d(u, np.array([0.5, 0.5]), axis=1) ** 2)


FAILURES = np.array([0.4, 1.1, 1.9, 2.6, 3.8])


def lib25_weibull_mle(p):
    """The negative log-likelihood of a Weibull fit (log-parametrised shape and scale), with a
    censored tail (logsf) and a prior on the median through the cdf."""
    c, scale = np.exp(p[0]), np.exp(p[1])
    nll = -np.sum(stats.weibull_min.logpdf(FAILURES, c, scale=scale))
    nll -= stats.weibull_min.logsf(4.5, c, 0.0, scale)
    return nll + (stats.weibull_min.cdf(2.0, c, scale=scale) - 0.5) ** 2


def lib25_trimmed_energy(p):
    """A zero-padded response trimmed before its energy is taken."""
    padded = np.concatenate([np.zeros(3), np.tanh(p) * np.array([1.0, 2.0, 0.5]), np.zeros(2)])
    core = np.trim_zeros(padded)
    return np.sum(core**2) + np.sum(np.trim_zeros(padded, "b")) * p[0]


def lib25_poly_features(p):
    """Least-squares polynomial fit (new-style coefficients, lowest first) and a Vandermonde
    feature map of the fitted curve's sample points."""
    t = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    y = np.sin(p[0] * t) + p[1] * t
    coef = np.polynomial.polynomial.polyfit(t, y, 2)
    feats = np.polynomial.polynomial.polyvander(y, 3)
    return np.sum(coef**2) + np.sum(feats @ np.array([0.1, -0.2, 0.3, 0.05]))


COUNTS = np.array([0.0, 3.0, 1.0, 7.0, 2.0, 0.0, 5.0])
DOSE = np.array([0.1, 0.9, 0.4, 1.6, 0.7, 0.2, 1.2])


def lib25_negbin_regression(p):
    """Negative binomial regression: log-mean linear in the dose, the dispersion r = exp(p[2])
    differentiated too (nbinom's n is real)."""
    mu = np.exp(p[0] + p[1] * DOSE)
    r = np.exp(p[2])
    prob = r / (r + mu)
    return -np.sum(stats.nbinom.logpmf(COUNTS, r, prob)) + 0.1 * stats.nbinom.pmf(2, r, 0.4)


def lib25_lambertw_models(p):
    """Closed forms through Lambert's W: the Shockley diode current of a series resistance, and
    the lower-branch time at which a decaying exponential meets a line."""
    i_s, r, vt = 1e-3, 0.5 + p[0] ** 2, 0.4
    v = np.array([0.2, 0.5, 0.9])
    arg = i_s * r / vt * np.exp((v + i_s * r) / vt)
    current = vt / r * np.real(special.lambertw(arg)) - i_s
    t_cross = -np.real(special.lambertw(-0.3 * np.exp(-1.0 - p[1] ** 2), -1))
    return np.sum(current**2) + t_cross


def lib25_characteristic_roots(p):
    """Place the (real) poles of a third-order system: the roots of its characteristic
    polynomial, with trailing zeros (two poles at the origin) and a leading zero."""
    poly = np.array([0.0, 1.0, -(6.0 + p[0]), 11.0 + p[1], -(6.0 + p[0] * p[1]), 0.0, 0.0])
    r = np.roots(poly)
    return np.sum((r - np.array([3.2, 2.1, 0.9, 0.0, 0.0])) ** 2)


def lib25_nearest_rotation(p):
    """Procrustes-like: the orthogonal polar factor of a perturbed matrix against a target,
    with the stretch factor (left side too) regularised."""
    a = np.array([[2.0, 0.3, 0.1], [-0.2, 1.5, 0.4], [0.3, -0.1, 1.1]]) + p.reshape(3, 3) * 0.3
    u, s_right = sla.polar(a)
    _, s_left = sla.polar(a, side="left")
    return np.sum((u - np.eye(3)) ** 2) + 0.1 * np.trace(s_right @ s_left)


def lib25_expm_sensitivity(p):
    """The sensitivity of a matrix exponential to a perturbation direction (a Frechet
    derivative), the generator differentiated."""
    a = np.array([[-0.5, p[0]], [p[1], -1.0 + p[0] * p[1]]])
    e, dl = sla.expm_frechet(a, np.array([[0.0, 1.0], [0.0, 0.0]]))
    only = sla.expm_frechet(a, a.T, compute_expm=False)
    return np.sum(e**2) + np.sum(dl) + np.sum(only * a)


CASES = [
    Case(lib25_denoise, (np.linspace(-0.5, 0.9, 12),), (0,), extra="hvp"),
    Case(lib25_learned_kernel, (np.linspace(-0.4, 0.8, 9),), (0,), extra="hvp"),
    Case(lib25_edges, (np.linspace(-0.2, 0.3, 12),), (0,), extra="hvp"),
    Case(lib25_signal_smooth, (np.array([0.8, -0.3]),), (0,), extra="hvp"),
    Case(lib25_conv2d, (np.array([0.4, -1.3, 0.2, 0.6]),), (0,), extra="hvp"),
    Case(lib25_derivative_of_gaussian, (np.array([1.3, 0.2]),), (0,), extra="hvp"),
    Case(lib25_weibull_mle, (np.array([0.3, 0.8]),), (0,), extra="hvp"),
    Case(lib25_trimmed_energy, (np.array([0.3, -0.8, 1.2]),), (0,), extra="hvp"),
    Case(lib25_poly_features, (np.array([0.7, -0.4]),), (0,), extra="hvp"),
    Case(lib25_negbin_regression, (np.array([0.3, 0.8, 0.4]),), (0,), extra="hvp"),
    Case(lib25_lambertw_models, (np.array([0.6, 0.4]),), (0,), extra="hvp"),
    Case(lib25_characteristic_roots, (np.array([0.1, -0.05]),), (0,), extra="hvp"),
    Case(lib25_nearest_rotation, (np.linspace(-0.4, 0.5, 9),), (0,), extra="hvp"),
    Case(lib25_expm_sensitivity, (np.array([0.3, -0.6]),), (0,), extra="hvp"),
]
