"""scipy.stats half-Cauchy, half-normal, inverse-gamma and Gumbel laws written as NumPy formulas
(srcad.lower.stats_np3): values against SciPy (inside and outside the support, bad parameters as
NaN), derivatives against central differences (first and second order)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

st = pytest.importorskip("scipy.stats")

X = np.array([0.15, 0.4, 0.9, 1.7, 3.2])
LOC_SCALE = ("halfcauchy", "halfnorm", "gumbel_r", "gumbel_l")
METHODS = ("logpdf", "pdf", "cdf", "sf")


def f_half(x, loc, scale):
    a = st.halfcauchy.logpdf(x, loc, scale) + st.halfcauchy.cdf(x, scale=scale)
    b = st.halfnorm.logpdf(x, loc=loc, scale=scale) + st.halfnorm.sf(x, loc) + st.halfnorm.pdf(x)
    return a + b + st.halfcauchy.sf(x, loc, scale) * st.halfnorm.cdf(x, scale=scale)


def f_gumbel(x, loc, scale):
    a = st.gumbel_r.logpdf(x, loc, scale) + st.gumbel_r.cdf(x, scale=scale) + st.gumbel_r.sf(x)
    b = st.gumbel_l.logpdf(x, loc=loc, scale=scale) + st.gumbel_l.cdf(x, loc) + st.gumbel_l.sf(x)
    return a + b + st.gumbel_r.pdf(x, loc) * st.gumbel_l.pdf(x, scale=scale)


def f_invgamma(x, a, scale):
    # differentiable in x, a and scale (logpdf/pdf); cdf/sf in x and scale only
    lp = st.invgamma.logpdf(x, a, scale=scale) + st.invgamma.pdf(x, a + 1.0, 0.05, scale)
    return lp + st.invgamma.cdf(x, 2.5, scale=scale) + st.invgamma.sf(x, 3.0, -0.05, scale)


@pytest.mark.parametrize("f", [f_half, f_gumbel, f_invgamma])
def test_against_central_differences(f) -> None:
    args = (X.copy(), 0.1 if f is not f_invgamma else 2.2, 1.3)
    np.testing.assert_allclose(srcad.primal(f)(*args), f(*args), rtol=1e-12)
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


@pytest.mark.parametrize("name", [*LOC_SCALE, "invgamma"])
@pytest.mark.parametrize("method", METHODS)
def test_values_as_scipy(name: str, method: str) -> None:
    fn = getattr(getattr(st, name), method)
    points = np.array([-40.0, -1.5, -0.5, 0.0, 0.25, 0.5, 1.0, 3.0, 40.0])
    for loc, scale in ((0.0, 1.0), (-0.5, 2.0), (0.3, 0.0), (0.1, -1.0)):
        with np.errstate(all="ignore"):
            if name == "invgamma":
                for a in (2.5, 0.7, 0.0, -1.0):
                    want = fn(points, a, loc, scale)
                    got = srcad.primal(lambda x, a, lo, s: fn(x, a, lo, s))(points, a, loc, scale)
                    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
                continue
            want = fn(points, loc, scale)
            got = srcad.primal(lambda x, loc, scale: fn(x, loc, scale))(points, loc, scale)
            got1 = srcad.primal(lambda x, s=scale: fn(x, scale=s))(0.25)
            want1 = fn(0.25, scale=scale)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(got1, want1, rtol=1e-12)


def test_invgamma_cdf_in_the_shape_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument `a`"):
        srcad.grad(lambda a: st.invgamma.cdf(1.5, a))(2.0)
