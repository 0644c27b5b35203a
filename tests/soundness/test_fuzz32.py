"""Session 32 (fuzz32): what the fuzzer (tests/fuzz, seeds 32500000+) found.

- Crash (wild seed 32500066): the cotangent of ``np.diff(a, n, axis)`` when ``n`` is at least the
  length of ``a`` along ``axis`` (NumPy's output is then empty: ``np.diff(x[:1], n=2)``, a
  ``keepdims`` mean differenced twice) padded the empty cotangent back ``n`` times, to a length
  other than ``a``'s, and raised a broadcast ``ValueError`` in the generated code. Such an ``a``
  reaches no output element: its cotangent is now zeros of its shape.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X5 = np.array([0.0204, 1.3645, 0.6553, 0.2015, 0.9891])
M23 = np.array([[0.3, -0.7, 1.1], [0.5, 0.9, -1.2]])


def diff_past_length(x):
    return np.sum(np.diff(x[:1], n=2)) + np.sum(x * x)


def diff_keepdims_mean(x):
    y = np.diff((x**2).mean(axis=0, keepdims=True), axis=-1, n=2)
    return np.sum(np.tanh(y)) + np.sum(np.sin(x))


def diff_equal_length(x):
    return np.sum(np.diff(x[:3], n=3) ** 2) + np.sum(x[3:])


def diff_axis0_past(m):
    return np.sum(np.diff(m, n=3, axis=0) ** 2) + np.sum(np.diff(m, n=2, axis=1) ** 2)


CASES = [
    (diff_past_length, (X5,)),
    (diff_keepdims_mean, (X5,)),
    (diff_equal_length, (X5,)),
    (diff_axis0_past, (M23,)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_diff_longer_than_axis(f, args):
    check_grads(f, args, modes=("fwd", "rev"))
    g = srcad.grad(f)(*args)
    assert np.shape(g) == np.shape(args[0])


def test_diff_past_length_grad_value():
    np.testing.assert_allclose(srcad.grad(diff_past_length)(X5), 2.0 * X5)
