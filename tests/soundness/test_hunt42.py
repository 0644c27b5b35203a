"""Held-out-style hunt (session 42, hunt42): user programs (ML losses, simulations, Python and
NumPy idioms, NumPy 2 API, scipy.stats, FFTs, objects), checked against central differences.

- NaN gradient: ``r = np.sqrt(x)`` read in part through ``np.unstack(r.reshape(2, 3))[0]``,
  ``list(r)[k]`` or ``tuple(r)[k]`` had a NaN gradient at the positions never read where
  ``x < 0`` (0 * nan; NumPy gives the function a finite value there). ``np.unstack`` lowers to
  ``tuple(np.moveaxis(r, axis, 0))``, and ad/partreads.py did not follow ``builtins.list`` /
  ``builtins.tuple`` of an array: they are `LISTS` ops now (parts read by an index), their
  masks the rows ``_srcad.read_by`` finds in ``list(np.arange(r.size).reshape(r.shape))``.
- Spurious refusal: ``x.compress(c, axis=)`` ("no derivative rule for `.compress()`"), where
  ``np.compress(c, x, axis=)`` had rules: the method has the function's rules now.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

XN = np.array([0.7, -1.4, 0.3, -2.2, 0.9, 1.7])


def read_unstack_row(x):
    r = np.sqrt(x)
    return np.sum(np.unstack(r.reshape(3, 2))[2] ** 2) + np.unstack(r.reshape(3, 2), axis=1)[0][0]


def read_list_part(x):
    r = np.sqrt(x)
    return list(r)[0] * 2.0 + list(r)[4] ** 3


def read_tuple_rows(x):
    t = tuple(np.log(x) + 1.0)
    rows = tuple(np.sqrt(x).reshape(3, 2))
    return t[0] * t[5] + np.sum(rows[2] ** 2)


_UNSTACK = [read_unstack_row] if hasattr(np, "unstack") else []  # (NumPy >= 2.1)


@pytest.mark.parametrize("f", [*_UNSTACK, read_list_part, read_tuple_rows])
def test_partial_reads_of_list_and_tuple(f):
    with np.errstate(invalid="ignore"):
        g = srcad.grad(f)(XN)
        assert g[1] == 0.0 and g[3] == 0.0  # (NaN before)
        check_grads(f, (XN,), ("fwd", "rev"), 2)
        h = srcad.hessian(f)(XN)
    assert np.all(np.isfinite(h)) and np.all(h[[1, 3]] == 0.0)


def compress_method(x):
    m = x.reshape(2, 3)
    return np.sum(m.compress([True, False, True], axis=1) ** 2) + np.sum(x.compress(x > 0.5) ** 3)


def test_compress_method():
    x = np.array([0.7, 1.4, 0.3, 2.2, 0.9, 1.7])
    want = 2 * x * np.array([1.0, 0, 1, 1, 0, 1]) + 3 * x**2 * (x > 0.5)
    np.testing.assert_allclose(srcad.grad(compress_method)(x), want, rtol=1e-14)  # (refused)
    check_grads(compress_method, (x,), ("fwd", "rev"), 2)
