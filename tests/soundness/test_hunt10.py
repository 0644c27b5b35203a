"""Soundness hunt 10: what the NumPy-API random programs (tests/fuzz/gen_api.py: chains of NumPy
calls with their argument variants) found.

- Wrong forward-mode derivatives: ``np.pad(x, w, mode='maximum')`` (also 'minimum', 'median')
  took the tangent as ``np.pad(dx, w, mode)``, the maximum of the tangent, where the border's
  tangent is the tangent of the maximal element (``jvp``, ``jacfwd``: [2, 1, .5, -.3, 2, 2, 2]
  instead of [-.3, 1, .5, -.3, 2, -.3, -.3]). Reverse mode refused these modes and 'mean' and
  'linear_ramp' only when the pullback ran (a DiffError raised from generated code). Now both
  modes follow NumPy's axis-by-axis padding (rules/pad_modes.py).
- Crash: ``np.piecewise(x, ...)`` of a Python float ``x`` ("'float' object is not subscriptable"
  in the generated code): NumPy makes `x` an array first, the lowering did not.
- Crash: ``np.ldexp(x, e)`` (and ``math.ldexp``) under a complex cotangent (x feeding
  ``x + 1j * ...``): its VJP called ``np.ldexp(g, e)``, which has no complex loop (TypeError);
  now ``g * 2.0**e``.
- Primal dtype: ``np.cov``/``np.corrcoef`` of float32 data returned float32 (NumPy computes in
  float64: ``result_type(m, float64)``).
- Spurious refusals fixed: ``np.put_along_axis``/``np.put`` into a local array, ``u.sort(axis=0)``
  on an array (``u.sort()`` without arguments was accepted).
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X2 = np.array([[0.3, -1.2, 0.8, 0.1], [1.1, 0.4, -0.6, 0.9], [-0.2, 0.5, 1.7, -1.4]])


def _fd_jvp(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


@pytest.mark.parametrize("mode", ["maximum", "minimum", "median"])
def test_pad_statistic_modes_forward_tangent(mode: str) -> None:
    def f(x):
        return np.pad(x, (1, 2), mode=mode)

    x = np.array([0.3, -1.2, 0.8, 0.1])
    v = np.array([1.0, 0.5, -0.3, 2.0])
    _, t = srcad.jvp(f, (x,), (v,))
    np.testing.assert_allclose(t, _fd_jvp(f, x, v), atol=1e-8)


@pytest.mark.parametrize("mode", ["maximum", "minimum", "median", "mean", "linear_ramp"])
@pytest.mark.parametrize("width", [1, ((1, 2), (0, 3)), (2, 0)])
def test_pad_statistic_modes_both_modes_and_second_order(mode: str, width) -> None:
    def f(x):
        return np.sum(np.sin(np.pad(x * x, width, mode=mode)))

    check_grads(f, (X2.copy(),), modes=("fwd", "rev"))
    check_grads(f, (X2.copy(),), modes=("fwd",), order=2)


def test_pad_empty_mode_is_refused_not_guessed() -> None:
    def f(x):
        return np.pad(x, 1, mode="empty")

    with pytest.raises(srcad.SrcadError):
        srcad.jvp(f, (X2,), (X2,))


def _piece(x):
    return np.sum(np.sin(np.piecewise(x, [x > 0.4, x <= 0.4], [lambda z: z**2, np.sin])))


def _piece_default(x):
    return np.piecewise(x, [x > 0.4], [lambda z: z**2, 1.5]) * x


@pytest.mark.parametrize("f", [_piece, _piece_default])
@pytest.mark.parametrize("x", [0.7, 0.1])
def test_piecewise_of_a_python_float(f, x: float) -> None:
    want = f(copy.copy(x))
    got = srcad.primal(f)(x)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert np.shape(got) == np.shape(want)
    check_grads(f, (x,), modes=("fwd", "rev"))


# -- a complex cotangent through np.ldexp / math.ldexp ---------------------------------------------
def _ldexp_angle(x):
    return np.sum(np.angle(x + 1j * np.ldexp(x, 2)))


def _ldexp_abs(x):
    return np.sum(np.abs(x + 1j * np.ldexp(x, np.array([1, -1, 2]))))


def _math_ldexp(x):
    return np.real((1.0 + 1j * math.ldexp(x[0], 3)) ** 2) * x[1]


@pytest.mark.parametrize("f", [_ldexp_angle, _ldexp_abs, _math_ldexp])
def test_ldexp_under_a_complex_cotangent(f) -> None:
    """A real value scaled by ldexp feeds a complex expression: its cotangent is complex while it
    flows back (the real part is taken at the argument); ``np.ldexp(g, e)`` raised TypeError."""
    check_grads(f, (np.array([0.3, -1.2, 0.8]),), modes=("fwd", "rev"))


# -- np.put_along_axis / np.put into a local array (were refused) ---------------------------------
def _put_along_argmax(x):
    u = x.copy()
    np.put_along_axis(u, np.argmax(x, axis=1, keepdims=True), x[:, :1] * 2.0, axis=1)
    return np.sum(np.sin(u))


def _put_repeats(x):
    u = x * 1.0
    np.put(u, [0, 5, 5, -1], x[0, :2] ** 2)  # values repeat cyclically; the last write wins
    return np.sum(np.sin(u) * u)


def _put_along_repeats(x):
    u = x * 1.0
    np.put_along_axis(u, np.array([[0, 0], [1, 3], [2, 2]]), x[:, 1:3], 1)
    return np.sum(u**3)


def _put_modes(x):
    u = np.zeros(5)
    np.put(u, [0, 7], x[0, 1:3], mode="wrap")
    np.put(u, [1], 3.0)
    return np.sum(u * np.cos(u))


@pytest.mark.parametrize("f", [_put_along_argmax, _put_repeats, _put_along_repeats, _put_modes])
def test_put_into_a_local_array(f) -> None:
    np.testing.assert_allclose(srcad.primal(f)(X2.copy()), f(X2.copy()), rtol=1e-12)
    check_grads(f, (X2.copy(),), modes=("fwd", "rev"))
    check_grads(f, (X2.copy(),), modes=("fwd",), order=2)


def _put_into_argument(x):
    np.put(x, [0], 1.0)
    return np.sum(x)


def test_put_into_an_argument_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(_put_into_argument)(X2.copy())


# -- dtypes of the primal ----------------------------------------------------------------------
def _cov32(x):
    return np.cov(x)


def _corrcoef32(x):
    return np.corrcoef(x, rowvar=False)


@pytest.mark.parametrize("f", [_cov32, _corrcoef32])
def test_cov_of_float32_data_is_float64_as_numpys(f) -> None:
    x = X2.astype(np.float32)
    want, got = f(x.copy()), srcad.primal(f)(x.copy())
    assert got.dtype == want.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12)


# -- an array's in-place sort with its arguments (was refused) ------------------------------------
def _sort_axis0(x):
    u = x.copy()
    u.sort(axis=0)
    return np.sum(np.sin(u) * np.arange(4.0))


def _sort_positional(x):
    u = x * 2.0
    u.sort(0, kind="stable")
    return np.sum(u[0] * u[-1])


def _sort_list_or_array(x, k):
    u = list(x[0]) if k > 0 else x.copy()
    u.sort(axis=-1)
    return np.sum(np.asarray(u) ** 2)


@pytest.mark.parametrize("f", [_sort_axis0, _sort_positional])
def test_array_sort_method_with_axis(f) -> None:
    np.testing.assert_allclose(srcad.primal(f)(X2.copy()), f(X2.copy()), rtol=1e-12)
    check_grads(f, (X2.copy(),), modes=("fwd", "rev"))


def test_list_sort_with_an_axis_raises_as_python() -> None:
    np.testing.assert_allclose(
        srcad.primal(_sort_list_or_array)(X2, -1.0), _sort_list_or_array(X2, -1.0)
    )
    check_grads(_sort_list_or_array, (X2.copy(), -1.0), modes=("fwd", "rev"), wrt=0)
    with pytest.raises(TypeError):
        _sort_list_or_array(X2, 1.0)
    with pytest.raises(TypeError):
        srcad.primal(_sort_list_or_array)(X2, 1.0)
