"""Session 24 (fuzz24): what the fuzz generators (tests/fuzz) found with new seeds.

- ``w[::2] = v`` with a value of more dimensions than ``w[::2]`` (NumPy drops a value's leading
  length-1 axes: ``np.where(m, e, e)`` of a (1, 1) mask written into a (1,) slice) crashed the
  gradient with "IndexError: tuple index out of range" in `unbroadcast` (wild seed 24100088):
  `setitem_vjp_v` now gives the cotangent those axes back, `unbroadcast` aligns shapes at the
  right (as NumPy broadcasts) and `broadcast_like` drops such axes (the helper's transpose).
"""

from __future__ import annotations

import numpy as np

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, -0.7, 1.1, 2.0])


def write_leading_axes(x):
    w = x * 1.0
    w[1:3] = np.sin(x[None, :2])  # a (1, 2) value into a (2,) slice
    return np.sum(w * w * x[0])


def write_leading_axes_broadcast(x):
    w = x * 1.0
    w[1:] = np.cos(x[None, None, :1])  # (1, 1, 1) into (3,)
    return np.sum(w**3)


def test_value_with_leading_axes() -> None:
    check_scalar(write_leading_axes, X)
    check_scalar(write_leading_axes_broadcast, X)


def test_wild_24100088() -> None:
    def f(x0):
        e3 = x0[0]
        w5 = np.array(e3, dtype=float)
        w5[::2] = np.where(x0 >= 0.1, e3, e3)
        return np.sum(w5 * w5)

    x = np.array([[-1.3931]])
    np.testing.assert_allclose(srcad.grad(f)(x), 2 * x)
