"""Ported cases (session 26, lib26), written anew as user code: library calls srcad refused
before, now differentiated: ``np.roots`` on every NumPy (2.5's ``eigvals`` is complex),
``np.emath`` functions where their result is real, ``scipy.linalg.pinvh``; the frozen
``scipy.stats.multivariate_normal(mean, cov)`` and ``dirichlet(alpha)``.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); most
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from scipy import stats

from . import Case


def lib26_pole_sensitivity(p):
    """Closed-loop poles of a plant with a gain and a zero: the roots of the characteristic
    polynomial (real here), pushed towards targets; the dominant pole weighted."""
    k, z = 0.2 + p[0], 0.5 + p[1]
    den = np.polymul(np.array([1.0, 3.0, 2.0]), np.array([1.0, 4.0]))
    char = np.polyadd(den, k * np.array([1.0, z]))
    poles = np.sort(np.roots(char))
    return np.sum((poles - np.array([-3.9, -2.2, -0.9])) ** 2) + 0.1 * poles[-1] ** 2


def lib26_emath_geometry(p):
    """Distances and angles with np.emath (real here: nonnegative radicands, |cos| <= 1)."""
    a, b = p[:2], p[2:]
    r = np.emath.sqrt(a * a + b * b)
    ang = np.emath.arccos(a / (r + 0.1))
    return np.sum(r * ang) + np.sum(np.emath.log(r + 1.0)) + np.emath.log10(np.sum(r) + 2.0)


def lib26_whitened_residual(p):
    """A Gauss-Newton step with a symmetric normal matrix inverted by scipy's pinvh (one
    triangle read); the residual of the whitened data."""
    J = np.array([[1.0, 0.2], [0.4, 1.5], [0.3, -0.7]]) * (1.0 + p[:2])
    N = J.T @ J + 0.1 * np.eye(2)
    step = sla.pinvh(N) @ (J.T @ np.array([0.3, -0.2, 0.5]))
    return np.sum(step**2) + np.sum(sla.pinvh(N, lower=False) * p[2])


def lib26_gaussian_mixture_frozen(p):
    """A two-component Gaussian mixture written with frozen multivariate normals, plus a
    Dirichlet prior on the weights (frozen too)."""
    w = np.exp(p[:2]) / np.sum(np.exp(p[:2]))
    c1 = stats.multivariate_normal(mean=p[2:4], cov=np.array([[1.0, 0.3], [0.3, 0.8]]))
    c2 = stats.multivariate_normal(np.zeros(2), np.eye(2) * (1.0 + p[4] ** 2), seed=0)
    data = np.array([[0.2, -0.1], [1.1, 0.4], [-0.5, 0.3]])
    like = w[0] * c1.pdf(data) + w[1] * c2.pdf(data)
    prior = stats.dirichlet(np.array([2.0, 3.0])).logpdf(w)
    return -np.sum(np.log(like)) - prior + c1.logpdf(np.array([0.0, 0.0]))


CASES = [
    Case(lib26_pole_sensitivity, (np.array([0.1, -0.05]),), (0,), extra="hvp"),
    Case(lib26_emath_geometry, (np.array([0.4, 0.7, 0.3, -0.5]),), (0,), extra="hvp"),
    Case(lib26_whitened_residual, (np.array([0.2, -0.1, 0.6]),), (0,), extra="hvp"),
    Case(lib26_gaussian_mixture_frozen, (np.array([0.1, -0.2, 0.3, 0.2, 0.4]),), (0,), extra="hvp"),
]
