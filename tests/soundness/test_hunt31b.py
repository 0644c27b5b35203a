"""Soundness fixes of session 31's hunt31b: NumPy's aliasing, indexing and dtype semantics.
Input: small functions written like users' code; output: assertions against NumPy and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

from tests.soundness.numeric import check_scalar

X = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])


# -- np.identity(n, dtype) positionally: an integer matrix ----------------------------------------
# The second positional argument of np.identity is its dtype (np.eye's is M): the reverse sweep
# took ``np.identity(3, int)`` for a float matrix, so ``a[0, 1] = v`` (truncated by NumPy, no
# derivative) passed the cotangent to `v` as if stored (gradient 13.27 where NumPy's is 5.54).


def identity_int_positional(x):
    a = np.identity(3, int)
    a[0, 1] = x[0] * 10
    return np.sum(a * np.outer(x[:3], x[3:]))


def identity_int_element(x):
    a = np.identity(3, np.int64)
    a[2, 0] = x[1] * 4.0 - x[2]
    return np.sum(a * x[:3]) + x[1] ** 2


def identity_float_positional(x):
    a = np.identity(3, float)
    a[0, 1] = x[0] * 10
    return np.sum(a * np.outer(x[:3], x[3:]))


@pytest.mark.parametrize(
    "f", [identity_int_positional, identity_int_element, identity_float_positional]
)
def test_identity_dtype_positional(f):
    check_scalar(f, X.copy())
