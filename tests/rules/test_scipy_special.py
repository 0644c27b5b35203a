"""scipy.special through srcad as users write it (srcad/rules/scipy_special.py).

Input: loss functions calling scipy.special in each import form (``from scipy.special import
logsumexp``, ``import scipy.special as sp``, ``from scipy import special``). Output: failures where
a form does not resolve, the generated code does not run, a gradient differs from plain NumPy or
the closed form, is not finite at extreme inputs, or a second (third) derivative differs from
central differences of srcad's own lower-order derivative.

Singular points pinned here: ``xlogy(0, y)``: d/dy = 0 (also at y = 0), d/dx = log(y);
``entr'(0) = +inf``; ``rgamma'(-n) = (-1)^n n!``; ``log_ndtr'`` at -1e4 (pdf/cdf would be 0/0).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("scipy")

import scipy.special as sp  # noqa: E402
from scipy import special  # noqa: E402
from scipy.special import expit, log_expit, log_softmax, logsumexp  # noqa: E402

import srcad  # noqa: E402
from srcad.errors import SrcadError  # noqa: E402
from srcad.testing import check_grads  # noqa: E402

rng = np.random.default_rng(7)


def fd_grad(f, x, h=1e-6):
    """Central differences of a scalar `f` at array `x`."""
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def fd_jac(g, x, h=1e-6):
    """Central differences of an array-valued `g` (a gradient): shape x.shape + x.shape."""
    cols = []
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        cols.append((np.asarray(g(x + e)) - np.asarray(g(x - e))) / (2 * h))
    return np.moveaxis(np.array(cols).reshape(x.shape + x.shape), list(range(x.ndim)),
                       list(range(x.ndim, 2 * x.ndim)))  # fmt: skip


# -- the three import forms --------------------------------------------------------------------
def loss_from_import(x):
    return logsumexp(x) + np.sum(expit(x))


def loss_module_alias(x):
    return sp.logsumexp(x) + np.sum(sp.expit(x))


def loss_submodule(x):
    return special.logsumexp(x) + np.sum(special.expit(x))


@pytest.mark.parametrize("f", [loss_from_import, loss_module_alias, loss_submodule])
def test_import_forms_resolve_and_run(f):
    x = np.array([0.3, -1.2, 2.0])
    s = np.exp(x) / np.sum(np.exp(x))
    e = 1.0 / (1.0 + np.exp(-x))
    want = s + e * (1.0 - e)
    np.testing.assert_allclose(srcad.grad(f)(x), want, rtol=1e-13)
    src = srcad.source(f)
    assert "scipy.special" in src and "logsumexp" in src, src
    assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-15)
    check_grads(f, (x,), modes=("fwd", "rev"))


# -- logistic regression and softmax cross-entropy: same gradient as NumPy, finite at extremes ---
def logreg_naive(w, X, y):
    return np.sum(np.log(1.0 + np.exp(-y * (X @ w))))


def logreg_log_expit(w, X, y):
    return -np.sum(log_expit(y * (X @ w)))


def logreg_logsumexp(w, X, y):
    z = y * (X @ w)
    return np.sum(logsumexp(np.stack([np.zeros_like(z), -z]), axis=0))


def logreg_grad(w, X, y):
    """The closed form: -X^T (y expit(-y X w))."""
    return -X.T @ (y * sp.expit(-y * (X @ w)))


def test_logistic_regression_matches_numpy_and_stays_finite():
    X = rng.standard_normal((6, 3))
    y = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    w = rng.standard_normal(3)
    want = srcad.grad(logreg_naive)(w, X, y)
    np.testing.assert_allclose(want, logreg_grad(w, X, y), rtol=1e-12)
    for f in (logreg_log_expit, logreg_logsumexp):
        np.testing.assert_allclose(srcad.grad(f)(w, X, y), want, rtol=1e-12, atol=1e-15)
    big = w * 1000.0  # margins of +-1000: exp overflows in the naive form
    with np.errstate(over="ignore", invalid="ignore"):
        naive = srcad.grad(logreg_naive)(big, X, y)
    assert not np.all(np.isfinite(naive)) or not np.isfinite(logreg_naive(big, X, y))
    exact = logreg_grad(big, X, y)
    for f in (logreg_log_expit, logreg_logsumexp):
        g = srcad.grad(f)(big, X, y)
        assert np.all(np.isfinite(g)) and np.isfinite(f(big, X, y))
        np.testing.assert_allclose(g, exact, rtol=1e-12, atol=1e-12)


def xent_naive(Z, Y):
    return -np.sum(Y * (Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))))


def xent_log_softmax(Z, Y):
    return -np.sum(Y * log_softmax(Z, axis=1))


def test_softmax_cross_entropy_matches_numpy_and_stays_finite():
    Z = rng.standard_normal((4, 3))
    Y = np.eye(3)[[0, 2, 1, 2]]
    want = sp.softmax(Z, axis=1) - Y
    np.testing.assert_allclose(srcad.grad(xent_naive)(Z, Y), want, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(srcad.grad(xent_log_softmax)(Z, Y), want, rtol=1e-12, atol=1e-15)
    big = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0], [0.0, 1.0, 2.0],
                    [1000.0, 1000.0, -1000.0]])  # fmt: skip
    with np.errstate(over="ignore", invalid="ignore"):
        assert not np.isfinite(xent_naive(big, Y))
    g = srcad.grad(xent_log_softmax)(big, Y)
    np.testing.assert_allclose(g, sp.softmax(big, axis=1) - Y, rtol=1e-12, atol=1e-15)
    assert g[1, 1] == pytest.approx(1.0 / (1.0 + math.exp(-1.0)))  # softmax(1000, 999) weight


def lse_b(a, b):
    return logsumexp(a, b=b)


def test_logsumexp_in_b_and_extremes():
    a = np.array([1000.0, 999.0, -1000.0])
    b = np.array([0.5, 2.0, 1.0])
    ga, gb = srcad.grad(lse_b, wrt=(0, 1))(a, b)
    w = b * np.exp(a - logsumexp(a, b=b))
    np.testing.assert_allclose(ga, w, rtol=1e-14)
    np.testing.assert_allclose(gb, np.exp(a - logsumexp(a, b=b)), rtol=1e-14)
    assert ga[2] == 0.0 and np.all(np.isfinite(gb))


def lse_sign(a):
    return logsumexp(a, return_sign=True)[0]


def test_logsumexp_return_sign():
    # differentiated since session 12 (lower/stats_np2.logsumexp_sign): the value's derivative
    a = np.array([0.1, 0.2])
    np.testing.assert_allclose(srcad.grad(lse_sign)(a), np.exp(a - logsumexp(a)), rtol=1e-14)


# -- singular points ---------------------------------------------------------------------------
def f_xlogy(x, y):
    return np.sum(sp.xlogy(x, y))


def f_xlog1py(x, y):
    return np.sum(sp.xlog1py(x, y))


def test_xlogy_at_x_zero():
    x = np.array([0.0, 0.0, 2.0])
    y = np.array([3.0, 0.0, 0.5])
    gx, gy = srcad.grad(f_xlogy, wrt=(0, 1))(x, y)
    np.testing.assert_array_equal(gy, [0.0, 0.0, 4.0])  # x / y, 0 where x == 0
    np.testing.assert_array_equal(gx, [math.log(3.0), -np.inf, math.log(0.5)])  # log(y)
    gx, gy = srcad.grad(f_xlog1py, wrt=(0, 1))(x, y - 1.0)
    np.testing.assert_array_equal(gy, [0.0, 0.0, 4.0])
    np.testing.assert_allclose(gx, [math.log(3.0), -np.inf, math.log(0.5)])
    _, dy = srcad.jvp(lambda_y_only, (y,), (np.ones(3),))
    assert dy == 4.0


def lambda_y_only(y):
    return f_xlogy(np.array([0.0, 0.0, 2.0]), y)


def f_entr(x):
    return np.sum(sp.entr(x))


def test_entr_derivative_and_zero():
    x = np.array([0.0, 0.5, 2.0])
    with np.errstate(divide="ignore"):
        g = srcad.grad(f_entr)(x)
    np.testing.assert_array_equal(g, [np.inf, -(math.log(0.5) + 1.0), -(math.log(2.0) + 1.0)])


def f_log_ndtr(x):
    return np.sum(sp.log_ndtr(x))


def test_log_ndtr_far_left():
    x = np.array([-1e4, -1000.0, -40.0, 0.0, 3.0])
    # pdf/cdf by mpmath at 60 digits
    want = [10000.000099999997, 1000.000999998, 40.02496884720726, 0.7978845608028654,
            0.004437839042125664]  # fmt: skip
    np.testing.assert_allclose(srcad.grad(f_log_ndtr)(x), want, rtol=1e-15)
    h = np.diag(srcad.hessian(f_log_ndtr)(x))
    want2 = [-0.9999999900000006, -0.999999000006, -0.9993773316214086, -0.6366197723675814,
             -0.013333211541740806]  # fmt: skip
    np.testing.assert_allclose(h, want2, rtol=1e-14)


def f_rgamma(x):
    return np.sum(sp.rgamma(x))


def test_rgamma_at_its_zeros():
    x = np.array([0.0, -1.0, -2.0, -3.0])
    np.testing.assert_allclose(srcad.grad(f_rgamma)(x), [1.0, -1.0, 2.0, -6.0], rtol=1e-13)
    assert np.all(np.isfinite(srcad.hessian(f_rgamma)(x)))


def f_zeta(x, q):
    return np.sum(sp.zeta(x, q))


def test_zeta_in_q_and_refused_in_x():
    x, q = np.array([2.0, 3.0]), np.array([1.5, 0.7])
    np.testing.assert_allclose(srcad.grad(f_zeta, wrt=1)(x, q), -x * sp.zeta(x + 1, q), rtol=1e-14)
    with pytest.raises(SrcadError, match="not differentiable in its argument `x`"):
        srcad.grad(f_zeta, wrt=0)(x, q)


# -- second order: every function, srcad.hessian vs central differences of srcad.grad ---------
def h_logsumexp(x):
    return logsumexp(x.reshape(2, 2), axis=1, b=np.array([0.5, 2.0])).sum() + logsumexp(x)


def h_softmax(x):
    return np.sum(sp.softmax(x) * np.arange(4.0)) + np.sum(log_softmax(x) ** 2)


def h_expit(x):
    return np.sum(expit(x) ** 2 + sp.logit(expit(x) * 0.5) + log_expit(x) * x)


def h_gamma(x):
    return np.sum(sp.gammaln(x) + sp.digamma(x) + sp.psi(x) * x + sp.gamma(x) + sp.rgamma(x))


def h_polygamma(x):
    return np.sum(sp.polygamma(2, x) + sp.multigammaln(x + 1.0, 2) + sp.zeta(3.0, x))


def h_erf(x):
    y = x * 0.3
    return np.sum(sp.erf(x) * sp.erfc(x) + sp.erfinv(y) + sp.erfcinv(y + 1.0))


def h_ndtr(x):
    return np.sum(sp.ndtr(x) + sp.log_ndtr(x) * x)


def h_xlogy(x):
    return np.sum(sp.xlogy(x, x * x) + sp.xlog1py(x, x) + sp.entr(x))


def h_beta(x):
    return np.sum(sp.beta(x, x[::-1]) + sp.betaln(x, 2.0 * x))


SECOND = [h_logsumexp, h_softmax, h_expit, h_gamma, h_polygamma, h_erf, h_ndtr, h_xlogy, h_beta]


@pytest.mark.parametrize("f", SECOND, ids=[f.__name__ for f in SECOND])
def test_hessian_matches_fd_of_gradient(f):
    x = np.array([0.7, 1.3, 2.1, 0.9])
    g = srcad.grad(f)
    np.testing.assert_allclose(g(x), fd_grad(f, x), rtol=1e-6, atol=1e-7)
    H = srcad.hessian(f)(x)
    np.testing.assert_allclose(H, fd_jac(g, x), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-12)


def t_scalar(x):
    return sp.gammaln(x) + sp.log_ndtr(-x) + sp.rgamma(-x) + sp.xlogy(x, x)


def test_third_order():
    d1 = srcad.grad(t_scalar)
    d2 = srcad.grad(d1)
    d3 = srcad.grad(d2)
    x, h = 1.7, 1e-5
    assert d3(x) == pytest.approx((d2(x + h) - d2(x - h)) / (2 * h), rel=1e-7)
