"""Ported cases (session 22, corp22), written anew as user code after autograd's tests/test_scipy.py:
scipy.special functions (gamma family, psi/polygamma, erf/erfinv/erfcinv, logit/expit, modified
and ordinary Bessel functions, multigammaln, xlogy/entr), logsumexp with ``b=``, ``axis`` and
``keepdims``, and scipy.stats log densities (norm, t, poisson, gamma, beta, dirichlet,
multivariate_normal) as pdf/logpdf/cdf/logcdf/sf, with scalars, vectors and keyword arguments.

Small user functions of float vectors -> `CASES` (tests/corpus/ported.py collects them); scalar
rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from scipy import special, stats
from scipy.special import logsumexp

from . import Case

R = np.random.default_rng(22000022)
U5 = np.array([0.15, 0.35, 0.55, 0.7, 0.9])
POS5 = np.array([0.6, 1.3, 2.2, 3.1, 4.5])
X5 = np.array([-1.2, -0.3, 0.4, 0.9, 1.6])
K5 = np.array([0, 1, 3, 2, 5])
M34 = R.standard_normal((3, 4))
SPD3 = np.array([[2.0, 0.3, -0.2], [0.3, 1.5, 0.4], [-0.2, 0.4, 1.2]])


def sp_gamma_family(x):
    return np.sum(special.gamma(x) + special.gammaln(x) * 2.0 + special.rgamma(x))


def sp_psi_polygamma(x):
    return np.sum(special.psi(x) * x + special.polygamma(1, x) + special.polygamma(2, x) ** 2)


def sp_digamma_trigamma(x):
    return np.sum(special.digamma(x) ** 2) - np.sum(special.polygamma(1, x) * x)


def sp_beta_fns(x):
    a, b = x[:3], x[2:]
    return np.sum(special.beta(a, b)) + np.sum(special.betaln(a, b))


def sp_erf_family(x):
    return np.sum(special.erf(x) * special.erfc(x)) + np.sum(special.erfcx(np.abs(x)))


def sp_erfinv(u):
    return np.sum(special.erfinv(2.0 * u - 1.0) ** 2) + np.sum(special.erfcinv(u))


def sp_logit_expit(u):
    z = special.logit(u)
    return np.sum(special.expit(2.0 * z) * z)


def sp_log_expit(x):
    return np.sum(special.log_expit(x) + special.log_expit(-x) * 0.5)


def sp_bessel_i(x):
    return np.sum(special.i0(x) + special.i1(x) * x + special.i0e(x) + special.i1e(x))


def sp_bessel_iv(x):
    return np.sum(special.iv(1.5, x) + special.ive(0.5, x))


def sp_bessel_j(x):
    return np.sum(special.j0(x) * special.j1(x) + special.y0(x) + special.y1(x) ** 2)


def sp_bessel_jn(x):
    return np.sum(special.jv(2, x) + special.yv(1, x) + special.jn(3, x) + special.yn(2, x))


def sp_multigammaln(x):
    return special.multigammaln(x[0] + 3.0, 3) + special.multigammaln(x[1] + 2.0, 2)


def sp_xlogy_entr(u):
    return np.sum(special.xlogy(u, u + 1.0) + special.entr(u) + special.xlog1py(u, u))


def sp_rel_entr_kl(u):
    p = u / np.sum(u)
    q = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    return np.sum(special.rel_entr(p, q)) + np.sum(special.kl_div(p, q))


def sp_logsumexp_b(x):
    return logsumexp(x, b=np.array([1.0, 2.0, 0.5, 1.5, 0.25]))


def sp_logsumexp_axis(x):
    m = x.reshape(3, 4)
    a = logsumexp(m, axis=0)
    b = logsumexp(m, axis=1, keepdims=True)
    return np.sum(a**2) + np.sum(b * m)


def sp_logsumexp_neg_axis(x):
    return np.sum(logsumexp(x.reshape(3, 4), axis=-1) * np.array([1.0, -0.5, 2.0]))


def sp_softmax_logsoftmax(x):
    m = x.reshape(3, 4)
    return np.sum(special.softmax(m, axis=1) ** 2) + np.sum(special.log_softmax(m, axis=0)[0])


def sp_norm_all(x):
    return (
        np.sum(stats.norm.logpdf(x, loc=0.3, scale=1.7))
        + np.sum(stats.norm.pdf(x))
        + np.sum(stats.norm.cdf(x, 0.1, 2.0))
        + np.sum(stats.norm.logcdf(x))
        + np.sum(stats.norm.sf(x, scale=0.8))
        + np.sum(stats.norm.logsf(x))
    )


def sp_norm_params(p):
    # gradient with respect to loc and scale
    data = np.array([0.2, -1.0, 1.4, 0.7])
    return np.sum(stats.norm.logpdf(data, p[0], np.exp(p[1]))) + stats.norm.cdf(0.5, p[0], 1.5)


def sp_norm_ppf(u):
    return np.sum(stats.norm.ppf(u) ** 2)


def sp_t_dist(x):
    return np.sum(stats.t.logpdf(x, 3.5)) + np.sum(stats.t.pdf(x, 4.0, loc=0.2, scale=1.3))


def sp_t_cdf(x):
    return np.sum(stats.t.cdf(x, 5.0))


def sp_t_df(p):
    data = np.array([0.2, -1.0, 1.4, 0.7])
    return np.sum(stats.t.logpdf(data, np.exp(p[0]), p[1], np.exp(p[2])))


def sp_poisson_mu(mu):
    return np.sum(stats.poisson.logpmf(K5, mu)) + np.sum(stats.poisson.pmf(K5, mu))


def sp_poisson_cdf(mu):
    return np.sum(stats.poisson.cdf(K5, mu)) + np.sum(stats.poisson.sf(K5, mu))


def sp_gamma_dist(x):
    return np.sum(stats.gamma.logpdf(x, 2.5)) + np.sum(stats.gamma.pdf(x, 1.5, scale=2.0))


def sp_gamma_shape(a):
    return np.sum(stats.gamma.logpdf(POS5, a))


def sp_gamma_cdf(x):
    return np.sum(stats.gamma.cdf(x, 2.0)) + np.sum(special.gammainc(1.5, x))


def sp_beta_dist(u):
    return np.sum(stats.beta.logpdf(u, 2.0, 3.0)) + np.sum(stats.beta.pdf(u, 1.5, 2.5))


def sp_beta_params(p):
    return np.sum(stats.beta.logpdf(U5, p[0], p[1]))


def sp_dirichlet(x):
    alpha = np.array([1.5, 2.0, 0.7])
    p = np.exp(x) / np.sum(np.exp(x))
    return stats.dirichlet.logpdf(p, alpha) + stats.dirichlet.pdf(p, alpha + 1.0)


def sp_dirichlet_alpha(a):
    return stats.dirichlet.logpdf(np.array([0.2, 0.5, 0.3]), a)


def sp_mvn_x(x):
    return stats.multivariate_normal.logpdf(x, np.zeros(3), SPD3)


def sp_mvn_mean_cov(p):
    mean = p[:3]
    L = np.array([[1.0, 0.0, 0.0], [p[3], 1.0, 0.0], [p[4], p[5], 1.0]])
    cov = L @ L.T + 0.5 * np.eye(3)
    return stats.multivariate_normal.logpdf(np.array([0.3, -0.2, 0.9]), mean, cov)


def sp_mvn_batch(x):
    xs = x.reshape(4, 3)
    return np.sum(stats.multivariate_normal.logpdf(xs, mean=np.ones(3) * 0.1, cov=SPD3))


def sp_mvn_pdf(x):
    return stats.multivariate_normal.pdf(x, np.array([0.1, 0.0, -0.1]), SPD3)


def sp_logistic_laplace(x):
    return np.sum(stats.logistic.logpdf(x)) + np.sum(stats.laplace.logpdf(x, 0.0, 2.0))


def sp_expon_cauchy(x):
    return np.sum(stats.expon.logpdf(np.abs(x) + 0.1)) + np.sum(stats.cauchy.logpdf(x, 0.2, 1.3))


def sp_chi2(x):
    return np.sum(stats.chi2.logpdf(x, 3.0))


CASES = [
    Case(sp_gamma_family, (POS5,), (0,), extra="hvp"),
    Case(sp_psi_polygamma, (POS5,), (0,), extra="hvp"),
    Case(sp_digamma_trigamma, (POS5,), (0,), extra="hvp"),
    Case(sp_beta_fns, (POS5,), (0,), extra="hvp"),
    Case(sp_erf_family, (X5,), (0,), extra="hvp"),
    Case(sp_erfinv, (U5,), (0,), extra="hvp", jitter=0.01),
    Case(sp_logit_expit, (U5,), (0,), extra="hvp", jitter=0.01),
    Case(sp_log_expit, (X5,), (0,), extra="hvp"),
    Case(sp_bessel_i, (X5,), (0,), extra="hvp"),
    Case(sp_bessel_iv, (POS5,), (0,), extra="hvp"),
    Case(sp_bessel_j, (POS5,), (0,), extra="hvp"),
    Case(sp_bessel_jn, (POS5,), (0,), extra="hvp"),
    Case(sp_multigammaln, (np.array([0.4, 1.1]),), (0,), extra="hvp"),
    Case(sp_xlogy_entr, (U5,), (0,), extra="hvp", jitter=0.01),
    Case(sp_rel_entr_kl, (POS5,), (0,), extra="hvp"),
    Case(sp_logsumexp_b, (X5,), (0,), extra="hvp"),
    Case(sp_logsumexp_axis, (M34.ravel(),), (0,), extra="hvp"),
    Case(sp_logsumexp_neg_axis, (M34.ravel(),), (0,), extra="hvp"),
    Case(sp_softmax_logsoftmax, (M34.ravel(),), (0,), extra="hvp"),
    Case(sp_norm_all, (X5,), (0,), extra="hvp"),
    Case(sp_norm_params, (np.array([0.2, -0.3]),), (0,), extra="hvp"),
    Case(sp_norm_ppf, (U5,), (0,), extra="hvp", jitter=0.01),
    Case(sp_t_dist, (X5,), (0,), extra="hvp"),
    Case(sp_t_cdf, (X5,), (0,), extra="hvp"),
    Case(sp_t_df, (np.array([1.2, 0.1, -0.2]),), (0,), extra="hvp"),
    Case(sp_poisson_mu, (POS5,), (0,), extra="hvp"),
    Case(sp_poisson_cdf, (POS5,), (0,), extra="hvp"),
    Case(sp_gamma_dist, (POS5,), (0,), extra="hvp"),
    Case(sp_gamma_shape, (POS5,), (0,), extra="hvp"),
    Case(sp_gamma_cdf, (POS5,), (0,), extra="hvp"),
    Case(sp_beta_dist, (U5,), (0,), extra="hvp", jitter=0.01),
    Case(sp_beta_params, (np.array([1.7, 2.4]),), (0,), extra="hvp"),
    Case(sp_dirichlet, (np.array([0.2, -0.4, 0.5]),), (0,), extra="hvp"),  # (lib23: cadaced)
    Case(sp_dirichlet_alpha, (np.array([1.5, 2.0, 0.7]),), (0,), extra="hvp"),
    Case(sp_mvn_x, (np.array([0.3, -0.5, 0.8]),), (0,), extra="hvp"),
    Case(sp_mvn_mean_cov, (np.array([0.1, 0.2, -0.3, 0.4, -0.2, 0.3]),), (0,), extra="hvp"),
    Case(sp_mvn_batch, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(sp_mvn_pdf, (np.array([0.3, -0.5, 0.8]),), (0,), extra="hvp"),
    Case(sp_logistic_laplace, (X5,), (0,), extra="hvp"),
    Case(sp_expon_cauchy, (X5,), (0,), extra="hvp"),
    Case(sp_chi2, (POS5,), (0,), extra="hvp"),
]
