"""scipy.stats location-scale distributions written as NumPy formulas (srcad.lower.stats_np):
values against SciPy (inside and outside the support, scale <= 0 as NaN), derivatives against
central differences (first and second order)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

st = pytest.importorskip("scipy.stats")

X = np.array([-1.5, -0.2, 0.05, 0.3, 0.9, 2.5])
DISTS = ("expon", "laplace", "cauchy", "logistic", "uniform")
METHODS = ("logpdf", "pdf", "cdf", "sf")


def _dist(name):
    return getattr(st, name)


def f_logpdf(x, loc, scale):
    return st.laplace.logpdf(x, loc, scale) + st.cauchy.logpdf(x, loc=loc, scale=scale)


def f_mixed(x, loc, scale):
    a = st.logistic.logpdf(x * 30.0, scale=scale) + st.logistic.cdf(x, loc) + st.logistic.sf(x)
    b = st.cauchy.cdf(x, scale=scale) + st.cauchy.sf(x, loc) + st.laplace.cdf(x, loc, scale)
    return a + b + st.laplace.sf(x, scale=scale) + st.laplace.pdf(x) + st.cauchy.pdf(x, loc)


def f_support(x, loc, scale):
    # expon/uniform at points inside their support (the kinks at its ends are not sampled)
    y = np.abs(x) + 0.1
    e = (
        st.expon.logpdf(y, loc=-0.05, scale=scale)
        + st.expon.cdf(y, -0.05)
        + st.expon.sf(y, 0.0, scale)
    )
    u = st.uniform.logpdf(0.5, loc=loc - 1.0, scale=scale + 2.0) + st.uniform.cdf(x, -2.0, 5.0)
    return e + u + st.uniform.pdf(0.3, loc - 1.0, scale + 1.0) + st.uniform.sf(x, loc - 3.0, 6.0)


@pytest.mark.parametrize("f", [f_logpdf, f_mixed, f_support])
def test_against_central_differences(f) -> None:
    args = (X.copy(), 0.2, 1.3)
    np.testing.assert_allclose(srcad.primal(f)(*args), f(*args), rtol=1e-12)
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


@pytest.mark.parametrize("name", DISTS)
@pytest.mark.parametrize("method", METHODS)
def test_values_as_scipy(name: str, method: str) -> None:
    fn = getattr(_dist(name), method)
    points = np.array([-40.0, -1.5, -0.5, 0.0, 0.25, 0.5, 1.0, 3.0, 40.0])
    for loc, scale in ((0.0, 1.0), (-0.5, 2.0), (0.3, 0.0), (0.1, -1.0)):
        with np.errstate(all="ignore"):
            want = fn(points, loc, scale)
            got = srcad.primal(lambda x, loc, scale: fn(x, loc, scale))(points, loc, scale)
            got1 = srcad.primal(lambda x, s=scale: fn(x, scale=s))(0.25)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(got1, fn(0.25, scale=scale), rtol=1e-12)


def test_no_derivative_outside_the_support() -> None:
    # expon.logpdf is -inf below loc whatever the scale: its derivative there is 0
    g = srcad.grad(lambda s: np.sum(np.maximum(st.expon.logpdf(X, 0.0, s), -50.0)))(1.5)
    y = X[X >= 0.0]
    np.testing.assert_allclose(g, np.sum(y / 1.5**2 - 1.0 / 1.5))


def f_norm_quantiles(x, loc, scale):
    q = 0.05 + 0.9 / (1.0 + np.exp(-x))  # inside (0, 1)
    return st.norm.ppf(q, loc, scale) + st.norm.isf(q, loc=loc, scale=scale) * 0.5 + st.norm.ppf(q)


def test_norm_quantiles() -> None:
    args = (X.copy(), 0.2, 1.3)
    np.testing.assert_allclose(srcad.primal(f_norm_quantiles)(*args), f_norm_quantiles(*args))
    check_grads(f_norm_quantiles, args, modes=("fwd", "rev"))
    check_grads(f_norm_quantiles, args, modes=("fwd",), order=2)
    qs = np.array([-0.1, 0.0, 1e-300, 0.2, 0.5, 0.9, 1.0, 1.5])
    for method in ("ppf", "isf"):
        fn = getattr(st.norm, method)
        for loc, scale in ((0.0, 1.0), (-0.5, 2.0), (0.3, 0.0), (0.1, -1.0)):
            with np.errstate(all="ignore"):
                want = fn(qs, loc, scale)
                got = srcad.primal(lambda q, loc, scale, fn=fn: fn(q, loc, scale))(qs, loc, scale)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
