"""``isinstance`` decided from the call's Spec (ad/typeswitch.py, `Spec.exact_types`): only
exact Python floats and ints and exact ndarrays are decided, so a NumPy scalar (a float subclass
and an `np.generic`), a 0-d array or a float32 scalar takes the branch Python takes. Each kind
is called in turn on one decorated function (its cache holds one specialization per kind), and
lower/opfork.py's ``c = b; b += x`` keeps both names' behaviour for each kind."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def dispatch(x, y):
    if isinstance(x, float):
        return x * y
    if isinstance(x, int):
        return 2.0 * y
    if isinstance(x, np.generic):
        return y * 5.0
    if isinstance(x, np.ndarray):
        return np.sum(x) * y * 3.0
    return y * 4.0


def shared(x, y):
    s = x
    s += y  # an ndarray: `x` changes too (s - x == 0); a number: `s` is rebound
    s *= 2.0
    s -= x
    return np.sum(s * s) + np.sum(x) * y


KINDS = [
    1.5,
    2,
    np.float64(1.5),
    np.float32(1.5),
    np.array(1.5),
    np.array([1.5, 2.0]),
    np.array([1.5, 2.0], dtype=np.float32),
    True,
    1.5,  # (the float again, after the others: the cache's first specialization)
]


def _copy(x):
    return x.copy() if isinstance(x, np.ndarray) else x


@pytest.mark.parametrize("f", [dispatch, shared])
def test_kinds_in_turn(f):
    g = srcad.grad(f, wrt=1)
    p = srcad.primal(f)
    for x in KINDS:
        want = f(_copy(x), 0.7)
        assert np.allclose(p(_copy(x), 0.7), want), (f.__name__, x)
        h = 1e-2  # (both are at most quadratic in y: central differences exact but for rounding)
        fd = (f(_copy(x), 0.7 + h) - f(_copy(x), 0.7 - h)) / (2 * h)
        assert np.allclose(g(_copy(x), 0.7), fd, rtol=1e-3, atol=1e-6), (f.__name__, x)


@pytest.mark.parametrize("x", [1.5, np.float64(1.5), np.array(1.5), np.array([1.5, 2.0])])
def test_shared_in_x(x):
    check_grads(shared, (x, 0.7), modes=("fwd", "rev"), order=2)


def test_specializations():
    """A float `x`: no ``isinstance`` left; an ndarray: the in-place branch only; a NumPy
    scalar (not decided): both branches, as before."""
    assert "isinstance" not in srcad.source(shared, mode="grad", wrt=1, args=(1.5, 0.7))
    arr = srcad.source(shared, mode="primal", args=(np.array([1.5, 2.0]), 0.7))
    assert "isinstance" not in arr and "inplace_cast" in arr
    assert "isinstance" in srcad.source(shared, mode="primal", args=(np.float64(1.5), 0.7))
