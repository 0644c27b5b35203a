"""lib25's rewrites of SciPy/NumPy calls: what stays refused (an active sigma of a gaussian
filter), the run-time errors instead of a silent difference (an integer image, an N-d
``trim_zeros``), and values equal to the library's where the rewrite could differ (a sigma
known at run time, ``correlate2d``'s "same" centring)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as nd
import scipy.signal as ss

import srcad

X = np.array([0.3, 1.1, 0.2, 0.9, 1.7, 0.4])


def _blur(x, s):
    return np.sum(nd.gaussian_filter(x, s, mode="nearest") ** 2)


def test_gaussian_sigma_known_at_run_time() -> None:
    for s in (0.0, 0.8, 2.3):
        v, g = srcad.value_and_grad(_blur)(X, s)
        assert v == pytest.approx(_blur(X, s), rel=1e-12)
        fd = [(_blur(X + 1e-6 * e, s) - _blur(X - 1e-6 * e, s)) / 2e-6 for e in np.eye(6)]
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


def test_active_sigma_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="not differentiable"):
        srcad.grad(_blur, wrt=(0, 1))(X, 1.0)


def _int_image(x):
    return np.sum(nd.uniform_filter(np.array([1, 4, 2, 8]), 3)) * x[0]


def test_integer_image_raises() -> None:
    with pytest.raises(TypeError, match="integer"):
        srcad.grad(_int_image)(X)


def _trim2d(x):
    return np.sum(np.trim_zeros(np.reshape(x[:4], (2, 2)) * np.array([[0.0, 1.0], [1.0, 0.0]])))


def test_trim_zeros_nd_raises() -> None:
    # NumPy >= 2.2 trims each axis of an n-d array (2.0 raises): refused, not a TypeError
    with pytest.raises(srcad.SrcadError, match="not 1-D"):
        srcad.grad(_trim2d)(X)


def _corr_same(x):
    return ss.correlate2d(np.reshape(x, (2, 3)), np.array([[1.0, 0.5], [0.2, 1.0]]), mode="same")


def test_correlate2d_same_values() -> None:
    out, tangent = srcad.jvp(_corr_same, (X,), (np.ones(6),))
    np.testing.assert_allclose(out, _corr_same(X), rtol=1e-13)
    np.testing.assert_allclose(tangent, _corr_same(np.ones(6)), rtol=1e-13)


def _complex_roots(x):
    return np.sum(np.real(np.roots(np.array([1.0, x[0], x[1], x[2]]))))


def test_roots_complex_refused() -> None:
    # lib25: np.roots is eigvals of the companion matrix; complex roots are refused as eigvals
    with pytest.raises(srcad.SrcadError, match="complex eigenvalues"):
        srcad.grad(_complex_roots)(np.array([0.0, 1.0, 0.0]))


def _const_roots(x):
    r = np.roots(np.array([1.0, 0.0, 1.0]))  # complex, not differentiated
    return np.sum(x**2) * np.abs(r[0]) + np.sum(np.real(r)) + np.size(np.roots(np.zeros(2)))


def test_roots_constant_and_degenerate_values() -> None:
    v, g = srcad.value_and_grad(_const_roots)(X)
    assert v == pytest.approx(_const_roots(X), rel=1e-13)
    np.testing.assert_allclose(g, 2 * X, rtol=1e-13)
