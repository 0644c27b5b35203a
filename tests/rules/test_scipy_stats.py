"""scipy.stats distributions, Bessel/incomplete gamma-beta functions and scipy.signal.convolve as
users write them: the forms of the call (module path, imported singleton, keywords), a Gaussian
likelihood fit, second derivatives, and the refusals (shape parameters of cdfs, Bessel orders,
frozen distributions) -- exact numbers against closed forms and central differences."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytest.importorskip("scipy")
import scipy.signal  # noqa: E402
import scipy.special as sp  # noqa: E402
import scipy.stats  # noqa: E402
from scipy.stats import gamma, multivariate_normal, norm, t  # noqa: E402

DATA = np.array([0.3, -1.2, 2.1, 0.8, 1.7, -0.4])


def _fd_grad(f, x, h=1e-6):
    """Central differences of a scalar function of a 1-D array."""
    x = np.asarray(x, float)
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def _fd_jac(g, x, h=1e-5):
    """Central differences of a vector function (the rows of the Jacobian, flattened input)."""
    x = np.asarray(x, float)
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        cols.append((np.ravel(g(x + e)) - np.ravel(g(x - e))) / (2 * h))
    return np.stack(cols, axis=-1)


# -- the forms of the call -------------------------------------------------------------------------
def nll_module(mu, s):
    return -np.sum(scipy.stats.norm.logpdf(DATA, mu, s))


def nll_singleton(mu, s):
    return -np.sum(norm.logpdf(DATA, loc=mu, scale=s))


def nll_pdf(mu, s):
    return -np.sum(np.log(norm.pdf(DATA, scale=s, loc=mu)))


def test_norm_logpdf_forms_give_the_closed_form_gradient():
    mu, s = 0.4, 1.3
    z = (DATA - mu) / s
    want = (-np.sum(z) / s, np.sum(1.0 - z**2) / s)  # d/dmu, d/ds of -sum log N(x; mu, s)
    for f in (nll_module, nll_singleton, nll_pdf):
        got = srcad.grad(f, wrt=(0, 1))(mu, s)
        np.testing.assert_allclose(got, want, rtol=1e-12, err_msg=f.__name__)
    assert srcad.source(nll_singleton).count("scipy.stats.norm.logpdf") == 1


# -- a Gaussian-likelihood fit: mean and log-scale, gradient vs FD and by hand, one descent -------
def gauss_loss(p):
    mu, log_s = p[0], p[1]
    return -np.sum(norm.logpdf(DATA, mu, np.exp(log_s))) + 0.1 * mu**2


def test_gaussian_fit_gradient_and_hessian():
    p = np.array([0.2, -0.3])
    g = srcad.grad(gauss_loss)(p)
    s = np.exp(p[1])
    z = (DATA - p[0]) / s
    np.testing.assert_allclose(g, [-np.sum(z) / s + 0.2 * p[0], np.sum(1.0 - z**2)], rtol=1e-12)
    np.testing.assert_allclose(g, _fd_grad(gauss_loss, p), rtol=1e-7)
    h = srcad.hessian(gauss_loss)(p)
    n = DATA.size
    want = [[n / s**2 + 0.2, 2 * np.sum(z) / s], [2 * np.sum(z) / s, 2 * np.sum(z**2)]]
    np.testing.assert_allclose(h, want, rtol=1e-10)
    np.testing.assert_allclose(h, _fd_jac(srcad.grad(gauss_loss), p), rtol=1e-6)
    for _ in range(200):  # gradient descent reaches the maximum-likelihood estimate
        p = p - 0.05 * srcad.grad(gauss_loss)(p)
    assert abs(np.exp(p[1]) - np.std(DATA)) < 1e-3


# -- shapes and scales of the other families ------------------------------------------------------
def t_loss(q):
    return np.sum(t.logpdf(DATA, q[0], q[1], q[2]))


def gamma_loss(q):
    return np.sum(gamma.logpdf(np.abs(DATA) + 0.1, q[0], scale=q[1]))


def cdf_loss(q):
    return np.sum(norm.logcdf(DATA, q[0], q[1]) + t.cdf(DATA, 3.5, q[0], q[1]))


@pytest.mark.parametrize("f, q", [(t_loss, [4.3, 0.2, 1.4]), (gamma_loss, [1.7, 0.8]),
                                  (cdf_loss, [0.1, 1.2])])  # fmt: skip
def test_second_order_vs_fd_of_the_gradient(f, q):
    q = np.array(q)
    g = srcad.grad(f)(q)
    np.testing.assert_allclose(g, _fd_grad(f, q), rtol=1e-6, atol=1e-8)
    h = srcad.hessian(f)(q)
    np.testing.assert_allclose(h, _fd_jac(srcad.grad(f), q), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(h, h.T, rtol=1e-10, atol=1e-12)


def test_t_logpdf_df_derivative_exact():
    # d/d df of log t_df(0) = 0.5 (psi((df+1)/2) - psi(df/2) - 1/df)
    g = srcad.grad(lambda df: t.logpdf(0.0, df))(3.0)
    want = 0.5 * (sp.digamma(2.0) - sp.digamma(1.5) - 1.0 / 3.0)
    assert g == pytest.approx(want, rel=1e-13)


# -- multivariate normal: x, mean, cov (lower triangle, as scipy reads it) -------------------------
COV = np.array([[2.0, 0.3, -0.2], [0.3, 1.5, 0.4], [-0.2, 0.4, 1.2]])
X3 = np.array([[0.2, -0.5, 1.0], [1.1, 0.3, -0.7]])


def mvn_loss(mean, cov):
    return -np.sum(multivariate_normal.logpdf(X3, mean, cov))


def test_multivariate_normal_gradients_exact():
    mean = np.array([0.1, -0.2, 0.3])
    gm, gc = srcad.grad(mvn_loss, wrt=(0, 1))(mean, COV)
    inv = np.linalg.inv(COV)
    r = X3 - mean
    np.testing.assert_allclose(gm, -np.sum(r @ inv, axis=0), rtol=1e-12)
    sym = 0.5 * (len(X3) * inv - inv @ r.T @ r @ inv)  # d loss / d Sigma (symmetric)
    np.testing.assert_allclose(gc, np.tril(2 * sym) - np.diag(np.diag(sym)), rtol=1e-10)
    np.testing.assert_allclose(
        gc.ravel(), _fd_grad(lambda c: mvn_loss(mean, c.reshape(3, 3)), COV.ravel()), rtol=1e-6
    )
    h = srcad.hessian(mvn_loss)(mean, COV)
    np.testing.assert_allclose(h, len(X3) * inv, rtol=1e-10)


def mvn_diag(x):
    return multivariate_normal.logpdf(x, np.zeros(3), x**2 + 1.0)


def mvn_default_cov(x):
    return np.sum(multivariate_normal.logpdf(x.reshape(2, 3), x[:3]))


def mvn_one_dim(x):
    return np.sum(multivariate_normal.logpdf(x, cov=x[0] ** 2 + 1.0))


def _hvp_fd(fn, x, v):
    """Central differences of srcad.grad(fn) along v."""
    return _fd_grad(lambda z: srcad.grad(fn)(z) @ v, x)


def test_multivariate_normal_number_and_diagonal_covariances():
    # cov a number, 1-D or scipy's default 1 (the rules built np.tril(1) and crashed on 4ac6c7d)
    x = np.array([0.3, -0.6, 0.9])
    for fn, xs in ((mvn_diag, x), (mvn_default_cov, np.tile(x, 2)), (mvn_one_dim, x)):
        g = srcad.grad(fn)(xs)
        np.testing.assert_allclose(g, _fd_grad(fn, xs), rtol=1e-6, atol=1e-8)
        h = srcad.hessian(fn)(xs)
        np.testing.assert_allclose(h @ xs, _hvp_fd(fn, xs, xs), rtol=1e-5, atol=1e-8)


def mvn_3d(x):
    return np.sum(multivariate_normal.logpdf(x.reshape(2, 2, 3), np.zeros(3)))


def test_multivariate_normal_unsupported_form_refused():
    with pytest.raises(srcad.SrcadError, match="x of shape"):
        srcad.grad(mvn_3d)(np.ones(12))


# -- refusals at transform time: no closed form for these arguments --------------------------------
def gamma_cdf_shape(a):
    return gamma.cdf(1.5, a)


def iv_order(v):
    return sp.iv(v, 2.0)


def gammainc_a(a):
    return sp.gammainc(a, 2.0)


def betainc_b(b):
    return sp.betainc(2.0, b, 0.3)


def frozen(mu):
    return norm(mu, 1.0).logpdf(0.3)


@pytest.mark.parametrize(
    "f, arg",
    [(gamma_cdf_shape, "a"), (iv_order, "v"), (gammainc_a, "a"), (betainc_b, "b")],
)
def test_refused_where_no_derivative_is_known(f, arg):
    with pytest.raises(srcad.SrcadError, match=f"not differentiable in its argument `{arg}`") as e:
        srcad.grad(f)(1.5)
    assert "test_scipy_stats.py" in str(e.value)
    with pytest.raises(srcad.SrcadError):
        srcad.jvp(f, (1.5,), (1.0,))


def _logpdf_of(d):
    return d.logpdf(0.3)


def frozen_passed(mu):
    return _logpdf_of(norm(mu, 1.0))  # a frozen distribution as a value: refused


def test_frozen_distribution():
    # made in the function: the distribution's method with the frozen parameters (lower/frozen.py)
    np.testing.assert_allclose(srcad.grad(frozen)(0.2), 0.3 - 0.2, rtol=1e-12)
    f = frozen_passed
    for run in (lambda: srcad.grad(f)(0.2), lambda: srcad.jvp(f, (0.2,), (1.0,))):
        with pytest.raises(srcad.SrcadError, match="as a value") as e:
            run()
        assert "test_scipy_stats.py" in str(e.value)


def dirichlet_x(x):
    return scipy.stats.dirichlet.logpdf(x, np.array([1.5, 2.0, 3.0]))


def test_dirichlet_in_x_and_alpha_exact():
    x = np.array([0.2, 0.3, 0.5])
    alpha = np.array([1.5, 2.0, 3.0])
    # (session 23: refused in x before) the partials of the formula, (alpha - 1) / x
    np.testing.assert_allclose(srcad.grad(dirichlet_x)(x), (alpha - 1.0) / x, rtol=1e-13)
    g = srcad.grad(lambda a: scipy.stats.dirichlet.logpdf(x, a))(alpha)
    np.testing.assert_allclose(
        g, np.log(x) - sp.digamma(alpha) + sp.digamma(np.sum(alpha)), rtol=1e-13
    )


def masked_gammainc(x):
    return np.sum(np.where(x > 0, sp.gammainc(2.5, x), 0.0))


def test_where_masks_the_unselected_side():
    # gammainc(2.5, -1) is nan; np.where drops it, and its derivative too (elementwise fact)
    x = np.array([-1.0, 0.5, 2.0])
    g = srcad.grad(masked_gammainc)(x)
    np.testing.assert_allclose(g, [0.0, *(x[1:] ** 1.5 * np.exp(-x[1:]) / sp.gamma(2.5))],
                               rtol=1e-13)  # fmt: skip


# -- Bessel and incomplete gamma/beta: values of the derivative, second order ---------------------
def bessel_sum(x):
    return np.sum(sp.jv(1.5, x) + sp.iv(2, x) * sp.i0e(x) + sp.y1(x) + sp.gammainc(2.5, x))


def test_bessel_exact_and_second_order():
    x = np.array([0.4, 1.3, 2.7])
    g = srcad.grad(bessel_sum)(x)
    want = (
        sp.jvp(1.5, x)
        + sp.ivp(2, x) * sp.i0e(x)
        + sp.iv(2, x) * (sp.i1e(x) - sp.i0e(x))
        + sp.yvp(1, x)
        + x**1.5 * np.exp(-x) / sp.gamma(2.5)
    )
    np.testing.assert_allclose(g, want, rtol=1e-12)
    h = srcad.hessian(bessel_sum)(x)
    np.testing.assert_allclose(np.diag(h), _fd_grad(lambda y: srcad.grad(bessel_sum)(y).sum(), x),
                               rtol=1e-6)  # fmt: skip
    np.testing.assert_allclose(h, np.diag(np.diag(h)), atol=0)


def betainc_sum(x):
    return np.sum(sp.betainc(2.0, 3.5, x) * sp.gammaincc(1.5, x))


def test_incomplete_beta_second_order():
    x = np.array([0.15, 0.5, 0.85])
    g = srcad.grad(betainc_sum)(x)
    np.testing.assert_allclose(g, _fd_grad(betainc_sum, x), rtol=1e-7)
    h = srcad.hessian(betainc_sum)(x)
    np.testing.assert_allclose(h, _fd_jac(srcad.grad(betainc_sum), x), rtol=1e-5, atol=1e-9)


# -- scipy.signal.convolve: a 1-D filter fit, n-D, second order -----------------------------------
SIGNAL = np.array([0.5, -1.0, 2.0, 0.3, -0.7, 1.2, 0.1])
TARGET = np.array([0.1, 0.4, -0.2, 0.9, 0.3, -0.5, 0.2])


def filter_loss(k):
    return np.sum((scipy.signal.convolve(SIGNAL, k, mode="same") - TARGET) ** 2)


def conv2d_loss(img, k):
    return np.sum(scipy.signal.correlate(img, k, mode="valid") ** 2)


def test_convolve_gradients_and_hessian():
    k = np.array([0.2, -0.4, 0.7])
    g = srcad.grad(filter_loss)(k)
    np.testing.assert_allclose(g, _fd_grad(filter_loss, k), rtol=1e-8)
    h = srcad.hessian(filter_loss)(k)  # quadratic: 2 A^T A, A the convolution matrix
    a = np.stack([np.convolve(SIGNAL, e, mode="same") for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(h, 2 * a.T @ a, rtol=1e-10)
    rng = np.random.default_rng(3)
    img, k2 = rng.standard_normal((5, 6)), rng.standard_normal((2, 3))
    gi, gk = srcad.grad(conv2d_loss, wrt=(0, 1))(img, k2)
    np.testing.assert_allclose(
        gk.ravel(), _fd_grad(lambda kk: conv2d_loss(img, kk.reshape(2, 3)), k2.ravel()), rtol=1e-7
    )
    np.testing.assert_allclose(
        gi.ravel(), _fd_grad(lambda ii: conv2d_loss(ii.reshape(5, 6), k2), img.ravel()), rtol=1e-7
    )
