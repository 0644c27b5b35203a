"""lib26: NumPy's ``roots`` rewritten as the eigenvalues of the companion matrix on every NumPy:
from 2.5 on, ``eigvals`` is always complex and ``roots`` makes real eigenvalues real itself
(``_srcad.real_eigvals``); complex roots stay refused. A NumPy before 2.5 runs the 2.5 case
with ``np.linalg.eigvals`` made complex (monkeypatched)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad import runtime

X = np.array([6.0, 11.0, 6.3])


def _cubic(x):
    r = np.roots(np.array([1.0, -x[0], x[1], -x[2]]))
    return np.sum(r**3) + r[0] * x[1]


def _complex_roots(x):
    return np.sum(np.real(np.roots(np.array([3.0, x[0], x[1]]))))


@pytest.fixture(params=["numpy", "complex_eigvals"])
def eigvals_kind(request, monkeypatch):
    if request.param == "complex_eigvals":
        real = np.linalg.eigvals
        monkeypatch.setattr(np.linalg, "eigvals", lambda a: real(a).astype(complex))
    return request.param


def test_real_eigvals_helper() -> None:
    w = runtime.real_eigvals(np.array([1.0 + 0j, -2.0 + 0j]))
    assert w.dtype == np.float64 and list(w) == [1.0, -2.0]
    z = np.array([1.0 + 1j, 1.0 - 1j])
    assert runtime.real_eigvals(z) is z
    v = np.array([0.5, 2.0])
    assert runtime.real_eigvals(v) is v


def test_roots_real_on_every_numpy(eigvals_kind) -> None:
    v, g = srcad.value_and_grad(_cubic)(X)
    assert v == pytest.approx(_cubic(X), rel=1e-12)
    fd = [(_cubic(X + 1e-6 * e) - _cubic(X - 1e-6 * e)) / 2e-6 for e in np.eye(3)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)
    _, t = srcad.jvp(_cubic, (X,), (np.array([0.3, -0.2, 0.1]),))
    assert t == pytest.approx(g @ np.array([0.3, -0.2, 0.1]), rel=1e-10)
    H = srcad.hessian(_cubic)(X)
    hfd = [(srcad.grad(_cubic)(X + 1e-5 * e) - srcad.grad(_cubic)(X - 1e-5 * e)) / 2e-5
           for e in np.eye(3)]  # fmt: skip
    np.testing.assert_allclose(H, hfd, rtol=1e-5, atol=1e-6)


def test_complex_roots_refused(eigvals_kind) -> None:
    with pytest.raises(srcad.SrcadError, match="complex eigenvalues"):
        srcad.grad(_complex_roots)(np.array([1.0, 2.0]))


# -- np.emath where real (srcad/rules/numpy_lib26.py) ---------------------------------------------
def _emath_real_part(x):
    return np.sum(np.real(np.emath.sqrt(x - 1.0)))


def _emath_constant(x):
    z = np.emath.sqrt(np.array([-1.0, 4.0]))  # complex, not differentiated
    return np.sum(np.abs(z) * x) + np.sum(np.emath.log(x))


def test_emath_negative_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="np.emath.sqrt of negative numbers is complex"):
        srcad.grad(_emath_real_part)(np.array([0.5, 2.0]))
    with pytest.raises(srcad.SrcadError, match="np.emath.sqrt of negative numbers is complex"):
        srcad.jvp(_emath_real_part, (np.array([0.5, 2.0]),), (np.ones(2),))
    g = srcad.grad(_emath_real_part)(np.array([1.5, 2.0]))
    np.testing.assert_allclose(g, 0.5 / np.sqrt([0.5, 1.0]), rtol=1e-14)


def test_emath_constant_complex_runs() -> None:
    x = np.array([0.5, 2.0])
    v, g = srcad.value_and_grad(_emath_constant)(x)
    assert v == pytest.approx(_emath_constant(x), rel=1e-14)
    np.testing.assert_allclose(g, [1.0 + 2.0, 2.0 + 0.5], rtol=1e-14)


# -- scipy.linalg.pinvh (srcad/lower/library_lib26.py) --------------------------------------------
def _pinvh_lower(x):
    import scipy.linalg as sla

    m = np.array([[2.0 + x[0], 7.0], [x[1], 3.0]])  # one triangle read
    return np.sum(sla.pinvh(m) ** 2)


def _pinvh_upper(x):
    import scipy.linalg as sla

    m = np.array([[2.0 + x[0], 7.0], [x[1], 3.0]])
    return np.sum(sla.pinvh(m, lower=False) ** 2)


def test_pinvh_one_triangle() -> None:
    x = np.array([0.3, -0.4])
    for f in (_pinvh_lower, _pinvh_upper):
        v, g = srcad.value_and_grad(f)(x)
        assert v == pytest.approx(f(x), rel=1e-12)
        fd = [(f(x + 1e-6 * e) - f(x - 1e-6 * e)) / 2e-6 for e in np.eye(2)]
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-9)
    assert srcad.grad(_pinvh_upper)(x)[1] == 0.0


def _pinvh_rank1(x):
    import scipy.linalg as sla

    return np.sum(sla.pinvh(np.outer(x, x)))


def test_pinvh_rank_deficient_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="rank-deficient"):
        srcad.grad(_pinvh_rank1)(np.array([0.3, 0.8]))


# -- frozen multivariate_normal / dirichlet (srcad/lower/frozen.py) -------------------------------
def _mvn_frozen(x):
    from scipy import stats

    rv = stats.multivariate_normal(x[:2], np.diag(x[2:] + 1.0), seed=3)
    d = stats.dirichlet(x[:3] + 1.0)
    return rv.logpdf(np.array([0.1, 0.2])) + d.logpdf(np.array([0.2, 0.3, 0.5])) + rv.pdf(x[:2])


def _mvn_frozen_cdf(x):
    from scipy import stats

    return stats.multivariate_normal(x[:2], np.eye(2)).cdf(np.array([0.1, 0.2]))


def test_frozen_multivariate() -> None:
    x = np.array([0.3, -0.2, 0.5, 0.1])
    v, g = srcad.value_and_grad(_mvn_frozen)(x)
    assert v == pytest.approx(_mvn_frozen(x), rel=1e-12)
    fd = [(_mvn_frozen(x + 1e-6 * e) - _mvn_frozen(x - 1e-6 * e)) / 2e-6 for e in np.eye(4)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    with pytest.raises(srcad.SrcadError, match="cdf"):
        srcad.grad(_mvn_frozen_cdf)(x)
