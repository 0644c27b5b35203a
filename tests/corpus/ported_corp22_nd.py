"""Ported cases (session 22, corp22), written anew as user code after numdifftools' tests
(test_numdifftools.py: the scalar, vector and matrix-valued test functions, Rosenbrock's
directional derivative, the Hessians of ``x y z + exp(x) y`` and ``cos(x - y)``, the elementary
functions of example_functions.py differentiated twice by nested ``srcad.grad`` so that the
Hessian check would reach the fourth derivative: still refused) and NumPyro-style log densities
as users write them by hand (Normal, HalfCauchy, LogNormal, Gamma, Beta, StudentT, a mixture, a
hierarchical eight-schools model with a non-centred parameterisation).

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); scalar
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

import srcad

from . import Case

XDATA = np.arange(0, 1, 0.1)
YDATA = 1 + 2 * np.exp(0.75 * XDATA)
SCHOOL_Y = np.array([28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0])
SCHOOL_S = np.array([15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0])
OBS = np.array([0.6, 1.3, 2.2, 0.9, 1.7])


def nd_scalar(x):
    return x[0] * x[1] * x[2] + np.exp(x[0]) * x[1]


def nd_vector_valued(c):
    return (c[0] + c[1] * np.exp(c[2] * XDATA) - YDATA) ** 2


def nd_matrix_valued(x):
    x = np.atleast_1d(x)
    f0 = x[0] ** 2 + x[1] ** 2
    f1 = x[0] ** 3 + x[1] ** 3
    return np.array([f0, f1])


def nd_issue_25(x):
    out = np.zeros((2, 2))
    out[0] = x
    out[1] = x * x
    return out


def nd_vstack(x):
    return np.vstack((x[0] * x[1] * x[2] ** 2, x[0] * x[1] * x[2]))


def nd_rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def nd_cos_xy(xy):
    return np.cos(xy[0] - xy[1])


def nd_hessdiag(x):
    return x[0] + x[1] ** 2 + x[2] ** 3


def nd_complex_inner(x):
    return np.real(1j * np.inner(x, x) * (-1j))


def _elementary(t):
    return (
        np.cos(t) + np.sin(t) + np.tan(t) + np.cosh(t) + np.sinh(t) + np.tanh(t) + np.arcsinh(t)
        + np.exp(t) + np.expm1(t) + np.exp2(t) + np.square(t) + np.sqrt(t + 1.0)
        + np.log(t + 1.0) + np.log1p(t) + np.log10(t + 1.0) + np.log2(t + 1.0)
        + np.arccos(t) + np.arcsin(t) + np.arctan(t)
    )  # fmt: skip


def nd_second_derivative(x):
    # numdifftools checks derivatives up to order 4: this case's Hessian is the 4th derivative
    d2 = srcad.grad(srcad.grad(_elementary))
    return sum(d2(float(t)) * (i + 1) for i, t in enumerate(x))


def _normal_lp(x, loc, scale):
    return -0.5 * ((x - loc) / scale) ** 2 - np.log(scale) - 0.5 * math.log(2 * math.pi)


def ppl_eight_schools(p):
    mu, log_tau = p[0], p[1]
    tau = np.exp(log_tau)
    eta = p[2:10]
    theta = mu + tau * eta
    lp = _normal_lp(mu, 0.0, 5.0)
    lp = lp + math.log(2.0) - np.log(math.pi * 5.0 * (1.0 + (tau / 5.0) ** 2)) + log_tau
    lp = lp + np.sum(_normal_lp(eta, 0.0, 1.0))
    return lp + np.sum(_normal_lp(SCHOOL_Y, theta, SCHOOL_S))


def ppl_lognormal_gamma(p):
    mu, log_s, log_a, log_b = p
    s, a, b = np.exp(log_s), np.exp(log_a), np.exp(log_b)
    lx = np.log(OBS)
    ln = np.sum(-lx - np.log(s) - 0.5 * math.log(2 * math.pi) - 0.5 * ((lx - mu) / s) ** 2)
    gm = np.sum(a * np.log(b) - gammaln(a) + (a - 1.0) * lx - b * OBS)
    return ln + gm + log_s + log_a + log_b


def ppl_beta_studentt(p):
    a, b = np.exp(p[0]), np.exp(p[1])
    u = np.array([0.2, 0.5, 0.7, 0.35])
    beta = np.sum(
        (a - 1) * np.log(u) + (b - 1) * np.log1p(-u) - (gammaln(a) + gammaln(b) - gammaln(a + b))
    )
    nu, loc, scale = np.exp(p[2]) + 1.0, p[3], np.exp(p[4])
    z = (OBS - loc) / scale
    st = np.sum(
        gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(nu * math.pi) - np.log(scale)
        - (nu + 1) / 2 * np.log1p(z**2 / nu)
    )  # fmt: skip
    return beta + st


def ppl_mixture(p):
    w = np.exp(p[:2]) / np.sum(np.exp(p[:2]))
    mus, log_s = p[2:4], p[4:6]
    comp = np.log(w)[:, None] + _normal_lp(OBS[None, :], mus[:, None], np.exp(log_s)[:, None])
    m = np.max(comp, axis=0)
    return np.sum(m + np.log(np.sum(np.exp(comp - m), axis=0)))


CASES = [
    Case(nd_scalar, (np.array([3.0, 5.0, 7.0]) * 0.2,), (0,), extra="hvp"),
    Case(nd_vector_valued, (np.array([1.0, 2.0, 0.75]),), (0,)),
    Case(nd_matrix_valued, (np.array([1.0, 2.0]),), (0,)),
    Case(nd_issue_25, (np.array([1.0, 2.0]),), (0,)),
    Case(nd_vstack, (np.array([1.0, 2.0, 3.0]),), (0,)),
    Case(nd_rosen, (np.array([-1.2, 1.0, 0.5, 0.8]),), (0,), extra="hvp"),
    Case(nd_cos_xy, (np.array([0.0, 0.0]),), (0,), extra="hvp"),
    Case(nd_hessdiag, (np.array([1.0, 2.0, 3.0]),), (0,), extra="hvp"),
    Case(nd_complex_inner, (np.array([0.3, -0.5, 1.1]),), (0,), extra="hvp"),
    Case(nd_second_derivative, (np.array([0.1, 0.37, -0.2]),), (0,)),  # (higher27)
    Case(ppl_eight_schools, (np.linspace(-0.8, 0.9, 10),), (0,), extra="hvp"),
    Case(ppl_lognormal_gamma, (np.array([0.2, -0.3, 0.4, 0.1]),), (0,), extra="hvp"),
    Case(ppl_beta_studentt, (np.array([0.3, 0.5, 1.0, 1.1, -0.2]),), (0,), extra="hvp"),
    Case(ppl_mixture, (np.array([0.1, -0.2, 0.8, 1.9, -0.5, -0.1]),), (0,), extra="hvp"),
]
