"""Known wrong derivative (found 2026-11-30, not fixed yet): a differentiated value assigned into
an integer array is truncated by NumPy, so its derivative through that element is zero; srcad's
setitem rules do not know the target's dtype and pass the value's derivative through. Strict
xfail: a fix turns these into passing tests (the issue is in the session note)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def int_target(x):
    out = np.zeros(3, dtype=int)
    out[0] = x[0] * 10  # int(3.0000000000000004) == 3: no derivative through out[0]
    return np.sum(out * x)


@pytest.mark.xfail(strict=True, reason="setitem into an int array keeps the value's derivative")
def test_setitem_into_an_int_array_has_no_derivative_through_the_value() -> None:
    x = np.array([0.3, 0.575, 0.85])
    np.testing.assert_allclose(srcad.grad(int_target)(x), [3.0, 0.0, 0.0])
    assert srcad.jvp(int_target, (x,), (np.ones(3),))[1] == pytest.approx(3.0)
