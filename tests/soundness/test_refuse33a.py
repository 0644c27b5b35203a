"""Session 33 (refuse33a): ``y = np.asarray(t, dtype=np.float32)`` of a float64 argument `t` is
a copy (NumPy casts into a new array), so writing into `y` leaves `t` as it was: the mutation
check refused reading `t` after the write (it took `y` for `t` itself, as ``np.asarray(t)``
is). passes/alias_index.cast_copy: a new array when the transform knows `t` is a float64 array
and the dtype another one, or `t` a number. Neighbours: a float32 `t` (then `y` is `t`: the
caller's object updated, refused), ``dtype=np.float64`` (the same array), no dtype, a local
array of unknown dtype: refused or right, never wrong."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.lower.rightref import right_or_refused

T = np.array([0.5, 1.3, 2.4])  # (no int boundary within the finite-difference steps)


def _cast_written(t, v):
    y = np.asarray(t, dtype=np.float32)
    y[0] = v
    return np.sum(t * t) + v * np.sum(y)


def _cast_updated(t, v):
    y = np.asarray(t, dtype="float32")
    y += 1
    return np.sum(t * t) * v + np.sum(y) * 0.0


def _cast_int(t, v):
    y = np.asarray(t, dtype=np.int64)
    y[1] = 7
    return np.sum(np.sin(t)) * v + np.sum(y)


@pytest.mark.parametrize("f", [_cast_written, _cast_updated, _cast_int], ids=lambda f: f.__name__)
def test_cast_copy_written(f):
    # float32 values: finite differences need a larger step
    check_grads(f, (T, 0.3), modes=("fwd", "rev"), eps=1e-2, atol=2e-3, rtol=1e-3)
    assert srcad.primal(f)(T.copy(), 0.3) == pytest.approx(f(T.copy(), 0.3), rel=1e-12)


def _cast_int1(t):
    y = np.asarray(t, dtype=np.int64)
    y[1] = 7
    return np.sum(np.sin(t)) * 0.3 + np.sum(y)


def test_cast_copy_hessian():
    # (differentiated directly: a helper's caller does not tell it its arguments are float64)
    h = srcad.hessian(_cast_int1)(T)
    np.testing.assert_allclose(h, np.diag(-0.3 * np.sin(T)), atol=1e-12)


def _same_dtype(t, v):
    y = np.asarray(t, dtype=np.float64)
    y[0] = v
    return np.sum(t * t) + v


def _no_dtype(t, v):
    y = np.asarray(t)
    y[0] = v
    return np.sum(t * t) + v


def _local(t, v):
    u = np.cos(t)
    y = np.asarray(u, dtype=np.float32)
    y[0] = v
    return np.sum(u * u) + v


@pytest.mark.parametrize("f", [_cast_written, _same_dtype, _no_dtype, _local])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_neighbours_right_or_refused(f, dtype):
    right_or_refused(lambda t: f(t, 0.3), (T.astype(dtype),), grads_of=())


def test_float32_argument_is_the_same_array():
    with pytest.raises(srcad.SrcadError):
        srcad.primal(_cast_written)(T.astype(np.float32), 0.3)
