"""Session 30 (fix30h): second derivatives next to a std slice without degrees of freedom.

``np.std``/``np.nanstd`` (with or without ``where=``) scale the variance's cotangent by
``std_scale(s) = 0.5 / s``, a constant 1 where the std ``s`` is inf/NaN (no degrees of freedom
left) so that the var helpers see whether the cotangent is 0. The rule of ``std_scale`` still
multiplied the tangent of ``s`` -- NaN there, as ``s`` -- into that constant's derivative, and
forward-over-reverse took ``0 * NaN``: the Hessian had a NaN row for an input only the unread
slice depends on (``np.nanstd(a, axis=0, ddof=1)`` of a column with one value left). Now the
Hessian is exact there (0) and NaN only where the value read is NaN or inf."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

X6 = np.array([0.3, -1.1, 1.2, -0.7, 2.0, 0.5])
M = np.array([[True, False, True], [True, False, False]])


def nanstd_unread_column(x):
    a = x.reshape(2, 3).copy()
    a[0, 1] = np.nan  # column 1 keeps x[4] alone: its ddof=1 std is NaN, and not read
    s = np.nanstd(a * 2.0, axis=0, ddof=1)
    return s[0] ** 2 + s[2] ** 2


def std_where_unread_column(x):
    s = np.std(x.reshape(2, 3), axis=0, where=M)  # column 1: nothing selected
    return s[0] ** 2 + s[0] * x[2]


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


def _fd_hessian(f, x, h=1e-5):
    g = srcad.grad(f)
    cols = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = h
        cols.append((_quiet(g, x + e) - _quiet(g, x - e)) / (2 * h))
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("f", [nanstd_unread_column, std_where_unread_column])
def test_hessian_beside_a_slice_without_dof_is_finite(f):
    H = _quiet(srcad.hessian(f), X6.copy())
    assert np.all(np.isfinite(H)), H
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    np.testing.assert_allclose(H, _fd_hessian(f, X6), rtol=1e-6, atol=1e-6)
    v = np.linspace(-1.0, 1.0, 6)
    _, hv = _quiet(srcad.hvp, f, (X6.copy(),), (v,))
    np.testing.assert_allclose(hv, H @ v, rtol=1e-12, atol=1e-12)


def std_read_row(x):
    s = np.std(x.reshape(2, 3), axis=1, ddof=3)  # ddof = n: inf, and row 1 is read
    return np.sum(x**2) + s[1]


def test_hessian_where_the_value_is_inf_stays_nan():
    H = _quiet(srcad.hessian(std_read_row), X6.copy())
    assert np.all(np.isnan(H[3:])), H
    np.testing.assert_allclose(H[:3, :3], 2.0 * np.eye(3))
