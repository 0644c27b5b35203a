"""Held-out-style hunt (session 41, hunt41b): NumPy idioms, simulations, Python idioms.

- Primal differs from Python: ``for idx, v in np.ndenumerate(a)`` took the index tuple from
  ``np.unravel_index`` (NumPy ints), where NumPy's ndenumerate yields Python ints; so
  ``tot += v * (i + 2 * j)`` of a float32 `a` was float64 in srcad's code (the NumPy int is not
  a weak scalar) and float32 in Python's. The tuples now come from ``np.ndindex`` of the shape,
  listed once before the loop.
"""

from __future__ import annotations

import numpy as np

import srcad
from srcad.testing import check_grads


def ndenumerate_weighted(a):
    tot = 0.0
    for (i, j), v in np.ndenumerate(a):
        tot += v * (i + 2 * j)
    return tot


def ndenumerate_0d(a):
    tot = 1.0
    for idx, v in np.ndenumerate(a * 2.0):
        tot = tot * v + len(idx)
    return tot


def test_ndenumerate_index_is_python_int():
    a = np.array([[0.5, -1.25], [2.0, 0.75]], dtype=np.float32)
    want = ndenumerate_weighted(a)
    got = srcad.primal(ndenumerate_weighted)(a)
    assert type(got) is type(want) is np.float32
    assert got == want
    g = srcad.grad(ndenumerate_weighted)(a)
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g, np.array([[0.0, 2.0], [1.0, 3.0]], np.float32))


def test_ndenumerate_derivatives():
    check_grads(ndenumerate_weighted, (np.array([[0.5, -1.2], [2.0, 0.7]]),), ("fwd", "rev"), 2)
    check_grads(ndenumerate_0d, (np.array(0.7),), ("fwd", "rev"), 2)
    assert srcad.primal(ndenumerate_0d)(np.array(0.7)) == ndenumerate_0d(np.array(0.7))
