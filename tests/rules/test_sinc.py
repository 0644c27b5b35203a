"""``np.sinc`` and its derivatives of every order, ``_srcad.sinc_d(x, k)`` (rules/elementwise.py).

Input: the helper, and `srcad.grad`/`srcad.jvp` of functions calling ``np.sinc`` or the helper (as
generated code does). Output: failures where a derivative differs from the exact value.

The reference values below are exact to the last digit: mpmath at 150 digits, summing the
Maclaurin series of sin(t) / t differentiated k times (``sum_n (-1)^n t^(2n-k) / ((2n + 1)
(2n - k)!)`` at t = pi x, times pi^k), cross-checked against ``mpmath.diff`` of sin(pi x) / (pi x)
at 60 digits (agreement to 1e-40). They pin the bugs of the helper this one replaced,
``sinc_dx(x) = (cos(pi x) - sinc(x)) / x``, which cancelled catastrophically near 0: at x = 1e-8
it gave -2.22e-8 for the first derivative (-3.29e-8) and -5.43 for the second (-3.29), at
x = 1e-12 0.0 and -9.87, and the fourth derivative at 0 came out 0 (pi^4 / 5 = 19.48).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
import srcad.runtime as _srcad
from srcad.runtime import sinc_d

# x -> (sinc_d(x, 1), ..., sinc_d(x, 8)), exact values rounded to float64
REFERENCE = {
    0.0: (0.0, -3.289868133696453, 0.0, 19.481818206800487, 0.0, -137.34131336790063, 0.0,
          1054.2812240078415),
    1e-12: (-3.289868133696453e-12, -3.289868133696453, 1.9481818206800487e-11,
            19.481818206800487, -1.3734131336790064e-10, -137.34131336790063,
            1.0542812240078415e-09, 1054.2812240078415),
    1e-08: (-3.2898681336964526e-08, -3.289868133696452, 1.9481818206800485e-07,
            19.48181820680048, -1.3734131336790061e-06, -137.34131336790057,
            1.0542812240078414e-05, 1054.281224007841),
    0.0001: (-0.0003289868101226756, -3.2898680362873622, 0.00194818179778983,
             19.481817520093927, -0.013734131161076527, -137.34130809649454,
             0.10542812098187436, 1054.2811814405475),
    0.3: (-0.9020281301388888, -2.4584852862661744, 5.24749315292437, 13.648773849855683,
          -36.627473667589356, -92.70094533007024, 279.3874253785803, 694.5638207944879),
    1.0: (-1.0, 2.0, 3.8696044010893584, -15.478417604357434, -20.017003012215266,
          120.10201807329159, 120.67506706226331, -965.4005364981065),
    2.5: (-0.05092958178940651, -1.215893396004392, 1.4590720752052706, 10.067995351791495,
          -20.13599070358299, -74.0814962255134, 207.42818943143754, 544.3470849301167),
    40.0: (0.025, -0.00125, -0.24664636002723397, 0.024664636002723398, 2.4321441963497206,
           -0.36482162945245805, -23.97088605422843, 4.794177210845686),
}  # fmt: skip
XS = list(REFERENCE)
RTOL = 1e-14  # the helper's worst relative error on this table is 1.2e-15


def _want(k: int) -> np.ndarray:
    return np.array([REFERENCE[x][k - 1] for x in XS])


@pytest.mark.parametrize("k", range(1, 9))
def test_reference_values(k: int) -> None:
    want = _want(k)
    got = sinc_d(np.array(XS), k)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0.0)
    for x, w in zip(XS, want):
        g = sinc_d(x, k)
        assert type(g) is float
        assert g == pytest.approx(w, rel=RTOL, abs=0.0), (x, k)
        assert sinc_d(-x, k) == pytest.approx((-1) ** k * w, rel=RTOL, abs=0.0)  # parity
    # exact at 0: (-1)^(k/2) pi^k / (k + 1) for even k, 0 for odd
    assert sinc_d(0.0, k) == pytest.approx(
        (-1) ** (k // 2) * math.pi**k / (k + 1) if k % 2 == 0 else 0.0, rel=1e-15, abs=0.0
    )


def test_types() -> None:
    assert type(sinc_d(0, 2)) is float and sinc_d(0, 2) == sinc_d(0.0, 2)
    assert math.copysign(1.0, sinc_d(0.0, 1)) == 1.0  # 0.0, not -0.0
    zero_d = sinc_d(np.array(0.3), 1)
    assert zero_d.shape == () and zero_d == pytest.approx(REFERENCE[0.3][0], rel=RTOL)
    assert sinc_d(np.zeros((2, 3)), 2).shape == (2, 3)
    assert sinc_d(np.array([1e-8]), np.int64(2))[0] == pytest.approx(REFERENCE[1e-08][1], rel=RTOL)
    for bad in (math.inf, -math.inf, math.nan):  # as np.sinc
        assert math.isnan(sinc_d(bad, 1))
        assert np.isnan(sinc_d(np.array([bad, 0.5]), 3)[0])
    with pytest.raises(ValueError, match="order k must be >= 0"):
        sinc_d(0.5, -1)
    with pytest.raises(TypeError):
        sinc_d(0.5, 1.0)


def test_order_zero_is_sinc() -> None:
    xs = np.array([0.0, 1e-12, 1e-8, 1e-4, 0.3, 1.0, 1.27, 1.28, 2.5, 7.75, -3.1])
    np.testing.assert_allclose(sinc_d(xs, 0), np.sinc(xs), rtol=1e-15, atol=1e-16)
    # sin(pi x) from x mod 2: np.sinc(40.0) is 3.9e-17 from the rounding of pi * 40, this is 0
    assert sinc_d(40.0, 0) == 0.0 and abs(np.sinc(40.0)) < 1e-16


@pytest.mark.parametrize("k", range(1, 10))
def test_central_differences(k: int) -> None:
    # both sides of the threshold |pi x| = 4 (x = 1.273), and at it
    xs = np.array([0.0, 1e-8, 0.3, -0.9, 4 / math.pi, 1.3, -2.5, 6.2, 40.0])
    h = 1e-5
    fd = (sinc_d(xs + h, k - 1) - sinc_d(xs - h, k - 1)) / (2 * h)
    np.testing.assert_allclose(sinc_d(xs, k), fd, rtol=0.0, atol=2e-8 * math.pi**k)


def _sum_sinc(x):
    return np.sum(np.sinc(x))


def _scalar_sinc(x):
    return np.sinc(x) * 2.0


def _sum_d1(x):
    return np.sum(_srcad.sinc_d(x, 1))


def _sum_d2(x):
    return np.sum(_srcad.sinc_d(x, 2))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_np_sinc_through_srcad(k: int) -> None:
    # the first derivative of np.sinc, in both modes; and of the helper (how generated code
    # calls it), whose rule gives the next order: grad(sinc_d(., 1)) is the second derivative
    x = np.array(XS)
    f = {1: _sum_sinc, 2: _sum_d1, 3: _sum_d2}[k]
    np.testing.assert_allclose(srcad.grad(f)(x), _want(k), rtol=RTOL, atol=0.0)
    _, dout = srcad.jvp(f, (x,), (np.ones_like(x),))
    assert dout == pytest.approx(np.sum(_want(k)), rel=RTOL)
    _, pullback = srcad.vjp(f, x)
    np.testing.assert_allclose(pullback(1.0)[0], _want(k), rtol=RTOL, atol=0.0)


def _d3(x):
    return _srcad.sinc_d(x, 3)


def test_fourth_derivative_at_zero() -> None:
    # the old rule of the old helper picked a constant at 0, so this was 0
    assert srcad.grad(_d3)(0.0) == pytest.approx(math.pi**4 / 5, rel=1e-15)
    assert srcad.grad(_d3)(0.0) == pytest.approx(REFERENCE[0.0][3], rel=RTOL)


def test_python_floats_through_srcad() -> None:
    for x in (1e-12, 1e-8, 0.3, 40.0):
        assert srcad.grad(_scalar_sinc)(x) == pytest.approx(2.0 * REFERENCE[x][0], rel=RTOL)
        g = srcad.grad(_sum_d1)(x)  # the second derivative, the old one's worst case
        assert type(g) is float and g == pytest.approx(REFERENCE[x][1], rel=RTOL)
