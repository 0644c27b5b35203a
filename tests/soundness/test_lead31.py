"""Session 31 (lead): a comprehension's ``:=`` target is a local of the whole function.

Input: functions reading a name before a comprehension binds it with ``:=``. Output: srcad
refuses the early read as Python raises UnboundLocalError there (PEP 572: the target belongs to
the enclosing function), instead of reading a global of the same name (refuse31's f614663 let
the target start as None when it has no value before the comprehension; the early read then
found the module's `Y`)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

Y = 3.0


def read_before_walrus(x):
    s = x * Y  # noqa: F823 (Python raises UnboundLocalError here)
    vals = [Y := x * v for v in (1.0, 2.0)]  # noqa: F841
    return s + vals[0]


def read_after_walrus(x):
    vals = [y := x * v for v in (1.0, 2.0)]
    return y * vals[0]


def test_read_before_the_comprehension_binds_it_is_refused():
    with pytest.raises(UnboundLocalError):
        read_before_walrus(2.0)
    with pytest.raises(srcad.SrcadError, match="read before it is assigned"):
        srcad.grad(read_before_walrus)(2.0)


def test_read_after_the_comprehension():
    assert srcad.grad(read_after_walrus)(2.0) == pytest.approx(4.0 * 2.0)
    check_grads(read_after_walrus, (np.float64(2.0),))


# -- an `op=` whose operand is an elementwise function of its target cannot grow it ----------------
def relu_sqrt(x):
    y = x.copy()
    y *= y > 0  # (no run-time growth check: the bool product stays visible to the mask pass)
    return np.sum(np.sqrt(y))


def relu_sqrt_of_arg_mask(x):
    y = x.copy()
    y *= (x > 0) * 1.0
    return np.sum(np.sqrt(y) + y**2)


def grows_by_an_argument(x, a0):
    a = a0.copy()
    a *= x > 0  # (a0 (1, 3), x (2, 3): NumPy raises)
    return np.sum(a)


def test_relu_sqrt_gradient_is_zero_where_clipped():
    x = np.array([-0.5, 0.7, -1.2, 1.5])
    want = np.where(x > 0, 0.5 / np.sqrt(np.abs(x)), 0.0)
    np.testing.assert_allclose(srcad.grad(relu_sqrt)(x), want, rtol=1e-12)
    assert "inplace_cast" not in srcad.source(relu_sqrt, mode="grad", args=(x,))
    want2 = np.where(x > 0, 0.5 / np.sqrt(np.abs(x)) + 2 * x, 0.0)
    np.testing.assert_allclose(srcad.grad(relu_sqrt_of_arg_mask)(x), want2, rtol=1e-12)


def test_growth_through_another_array_still_raises():
    x, a0 = np.ones((2, 3)), np.ones((1, 3))
    with pytest.raises(ValueError):
        grows_by_an_argument(x, a0)
    with pytest.raises(ValueError):
        srcad.grad(grows_by_an_argument, wrt=1)(x, a0)
