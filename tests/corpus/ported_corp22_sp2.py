"""Ported cases (session 22, corp22), written anew as user code after autograd's tests/test_scipy.py
(second part): broadcast loc/scale/df parameters of norm and t (every argument differentiated),
poisson with broadcast rates, multivariate normal with respect to x, mean and a symmetrised
covariance (also batched and ``allow_singular``), its entropy, the Dirichlet density with
respect to a normalised x, logsumexp over 3-D arrays with ``b``/``axis``/``keepdims``, 1-D and
2-D ``scipy.signal.convolve`` in every mode, betainc/gammaincc in x, iv/ive/jn/yn with integer
orders, and scipy.linalg's sqrtm (symmetric), solve_sylvester and solve_banded.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); scalar
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as spla
from scipy import signal, special, stats
from scipy.special import logsumexp

from . import Case, refused_when_differentiated

R = np.random.default_rng(22000322)
X43 = np.round(R.standard_normal((4, 3)), 3)
PAR = np.round(R.standard_normal(24), 3)
KP = np.round(R.standard_normal((4, 3)) ** 2)
PSD4 = (lambda a: a @ a.T + 4 * np.eye(4))(R.standard_normal((4, 4)))


def sp2_norm_broadcast_all(p):
    x = p[:12].reshape(4, 3)
    loc = p[12:15].reshape(1, 3)
    scale = p[15:19].reshape(4, 1) ** 2 + 1.1
    return (
        np.sum(stats.norm.logpdf(x, loc, scale))
        + np.sum(stats.norm.cdf(x, loc, scale))
        + np.sum(stats.norm.logsf(x, loc, scale))
        + np.sum(stats.norm.pdf(x, loc=loc, scale=scale) ** 2)
    )


def sp2_t_broadcast_all(p):
    x = p[:12].reshape(4, 3)
    df = p[12:15].reshape(1, 3) ** 2 + 2.1
    loc = p[15:19].reshape(4, 1)
    scale = p[19:23].reshape(4, 1) ** 2 + 2.1
    return np.sum(stats.t.logpdf(x, df, loc, scale)) + np.sum(stats.t.pdf(x, df, loc, scale))


def sp2_t_cdf_loc(p):
    x = p[:12].reshape(4, 3)
    loc = p[12:24].reshape(4, 3)
    return np.sum(stats.t.cdf(x, 3.3, loc, 2.5)) + np.sum(stats.t.logcdf(x, 4.1, loc, 1.7))


def sp2_poisson_broadcast(p):
    mu = p[:4].reshape(4, 1) ** 2 + 1.1
    return (
        np.sum(stats.poisson.logpmf(KP, mu))
        + np.sum(stats.poisson.pmf(KP, mu))
        + np.sum(stats.poisson.cdf(KP, mu))
    )


def _sym(a):
    return 0.5 * (a + a.T)


def sp2_mvn_all_args(p):
    x = p[:4]
    mean = p[4:8]
    cov = _sym(PSD4 + 0.3 * p[8:24].reshape(4, 4))
    return stats.multivariate_normal.logpdf(x, mean, cov) + stats.multivariate_normal.pdf(
        x, mean, cov
    )


def sp2_mvn_broadcast_x(p):
    xs = p[:20].reshape(5, 4)
    cov = _sym(PSD4 + 0.2 * np.outer(p[20:24], p[20:24]))
    return np.sum(stats.multivariate_normal.logpdf(xs, p[20:24], cov))


def sp2_mvn_entropy(p):
    cov = _sym(PSD4 + 0.3 * p[:16].reshape(4, 4))
    return stats.multivariate_normal.entropy(p[16:20], cov)


def sp2_mvn_singular(p):
    cov = np.zeros((4, 4))
    cov[0, 0] = cov[1, 1] = 1.0
    mean = np.concatenate([p[2:4], np.zeros(2)])
    x = np.concatenate([p[:2], mean[2:]])
    return stats.multivariate_normal.logpdf(x, mean, cov, allow_singular=True)


def sp2_dirichlet_normalised(x):
    alpha = np.array([1.4, 2.2, 1.9, 1.3])
    p = x / np.sum(x)
    return stats.dirichlet.logpdf(p, alpha) + stats.dirichlet.pdf(p, alpha)


def sp2_dirichlet_pdf_alpha(a):
    return stats.dirichlet.pdf(np.array([0.1, 0.4, 0.3, 0.2]), a)


def sp2_logsumexp_3d(p):
    t = p.reshape(2, 3, 4)
    b = np.exp(np.linspace(-1.0, 1.0, 24).reshape(2, 3, 4))
    return (
        logsumexp(t, b=b)
        + np.sum(logsumexp(t, axis=0, b=b) ** 2)
        + np.sum(logsumexp(t, axis=1, b=b, keepdims=True) * t)
        + np.sum(logsumexp(t, axis=(0, 2)))
    )


def sp2_logsumexp_keepdims_row(p):
    a = p[:5].reshape(1, 5)
    return np.sum(logsumexp(a, axis=1, keepdims=True) ** 3) + logsumexp(p[5:9], keepdims=True)[0]


def sp2_logsumexp_return_sign(p):
    b = np.array([1.0, -0.5, 2.0, 0.3])
    v, s = logsumexp(p[:4], b=b, return_sign=True)
    return v * s


def sp2_convolve_1d(p):
    a = p[:6]
    k = p[6:9]
    return (
        np.sum(signal.convolve(a, k) ** 2)
        + np.sum(signal.convolve(a, k, mode="valid") ** 2)
        + np.sum(signal.convolve(a, k, mode="same") * a)
    )


def sp2_convolve_2d(p):
    a = p[:12].reshape(4, 3)
    k = p[12:16].reshape(2, 2)
    return (
        np.sum(signal.convolve(a, k) ** 2)
        + np.sum(signal.convolve(a, k, mode="valid"))
        + np.sum(signal.convolve(a, k, mode="same") ** 2)
        + np.sum(signal.correlate(a, k, mode="valid") ** 2)
    )


def sp2_convolve2d(p):
    a = p[:12].reshape(4, 3)
    k = p[12:16].reshape(2, 2)
    return np.sum(signal.convolve2d(a, k, mode="same") ** 2) + np.sum(
        signal.correlate2d(a, k, mode="full")
    )


def sp2_betainc_x(u):
    a = np.array([1.5, 2.3, 3.1, 1.2])
    b = np.array([2.1, 1.4, 1.8, 3.3])
    return np.sum(special.betainc(a, b, u))


def sp2_gammaincc_x(x):
    return np.sum(special.gammaincc(1.0, x)) + np.sum(special.gammaincc(2.5, x) ** 2)


def sp2_bessel_orders(x):
    return (
        np.sum(special.iv(np.array([1.0, 3.0, 7.0, 12.0]), x))
        + np.sum(special.ive(np.array([2.0, 5.0, 1.0, 20.0]), x))
        + np.sum(special.jn(2, x))
        + np.sum(special.yn(2, x))
    )


def sp2_gammasgn_rgamma(x):
    return np.sum(special.gammasgn(x) * special.gammaln(np.abs(x))) + np.sum(special.rgamma(x))


def sp2_sqrtm_sym(p):
    a = p[:9].reshape(3, 3)
    s = a @ a.T + np.eye(3)
    r = spla.sqrtm(s)
    return np.sum(np.real(r) ** 2) + np.trace(np.real(r))


def sp2_sylvester(p):
    a = p[:9].reshape(3, 3) + 3.0 * np.eye(3)
    b = p[9:18].reshape(3, 3) + 3.0 * np.eye(3)
    q = p[18:24].reshape(3, 2) @ np.ones((2, 3))
    return np.sum(spla.solve_sylvester(a, b, q) ** 2)


def sp2_solve_banded(p):
    ab = p[:15].reshape(3, 5)
    ab = ab + np.array([0.0, 4.0, 0.0]).reshape(3, 1)
    return np.sum(spla.solve_banded((1, 1), ab, p[15:20]) ** 2)


CASES = [
    Case(sp2_norm_broadcast_all, (PAR,), (0,), extra="hvp"),
    Case(sp2_t_broadcast_all, (PAR,), (0,), extra="hvp"),
    Case(sp2_t_cdf_loc, (PAR,), (0,), extra="hvp"),
    Case(sp2_poisson_broadcast, (PAR[:4],), (0,), extra="hvp"),
    Case(sp2_mvn_all_args, (PAR,), (0,), extra="hvp"),
    Case(sp2_mvn_broadcast_x, (PAR,), (0,), extra="hvp"),
    Case(sp2_mvn_entropy, (PAR[:20],), (0,), extra="hvp"),
    Case(
        sp2_mvn_singular,
        (np.array([0.3, -0.4, 0.1, 0.2]),),
        (0,),
        xfail=refused_when_differentiated(
            "multivariate_normal derivatives need allow_singular=False"
        ),
    ),
    Case(sp2_dirichlet_normalised, (np.array([0.2, 0.3, 0.35, 0.15]),), (0,), extra="hvp"),
    Case(sp2_dirichlet_pdf_alpha, (np.array([1.4, 2.2, 1.9, 1.3]),), (0,), extra="hvp"),
    Case(sp2_logsumexp_3d, (PAR,), (0,), extra="hvp"),
    Case(sp2_logsumexp_keepdims_row, (PAR[:9],), (0,), extra="hvp"),
    Case(sp2_logsumexp_return_sign, (PAR[:4],), (0,), extra="hvp"),
    Case(sp2_convolve_1d, (PAR[:9],), (0,), extra="hvp"),
    Case(sp2_convolve_2d, (PAR[:16],), (0,), extra="hvp"),
    Case(
        sp2_convolve2d,
        (PAR[:16],),
        (0,),
    ),
    Case(sp2_betainc_x, (np.array([0.2, 0.45, 0.6, 0.85]),), (0,), extra="hvp", jitter=0.01),
    Case(sp2_gammaincc_x, (np.array([0.6, 1.3, 2.2, 3.4]),), (0,), extra="hvp"),
    Case(sp2_bessel_orders, (np.array([1.6, 2.3, 4.2, 3.1]),), (0,), extra="hvp"),
    Case(sp2_gammasgn_rgamma, (np.array([-1.5, -0.4, 0.7, 2.6]),), (0,), extra="hvp", jitter=0.01),
    Case(sp2_sqrtm_sym, (PAR[:9],), (0,), extra="hvp"),
    Case(sp2_sylvester, (PAR,), (0,), extra="hvp"),
    Case(sp2_solve_banded, (PAR[:20],), (0,), extra="hvp"),
]
