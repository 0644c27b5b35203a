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
