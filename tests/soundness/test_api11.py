"""Session 11, NumPy/SciPy API use (helper api11).

- Copies made by advanced indexing (``x[np.ix_(i, j)]``, ``x[np.arange(k)]``, ``x[i, j]`` with
  ``i, j = np.tril_indices(n)``) updated in place were refused as updates of the argument; a slice
  update of an array column copy was refused as a list splice in reverse mode.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


# -- advanced-index copies updated in place (were refused as updates of the argument) ----------
def ix_copy(x):
    t = x[np.ix_([1, 1, 0], [2, 0, 1])]
    t += 1.0
    return np.sum(t * np.cos(t)) + np.sum(np.sin(x))


def index_tuple_copies(x):
    t = x[np.arange(2)]
    t *= 3.0
    i, j = np.tril_indices(3)
    s = x[i, j]
    s += 1
    return np.sum(t**2) + np.sum(x) + np.sum(s**3)


def column_copy_sliced_update(x):
    # u is an array (a column of an array, copied): a slice update of it is no list splice
    u = np.insert(x, 0, 2, axis=1)[:, -2].copy()
    u[1:] *= u[:-1]
    return np.sum(np.tanh(u))


@pytest.mark.parametrize("f", [ix_copy, index_tuple_copies, column_copy_sliced_update])
def test_updates_of_copies_are_differentiated(f):
    x = np.arange(12.0).reshape(3, 4) / 7 - 0.4
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()))
    check_grads(f, (x,), modes=("fwd", "rev"))
    check_grads(f, (x,), modes=("fwd",), order=2)
