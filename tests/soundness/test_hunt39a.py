"""Held-out-style hunt (session 39, hunt39a): user programs in styles the corpus lacked, that
srcad refused or got wrong.

- Spurious refusal: a loop over the columns or a slice of rows of an array made in the function,
  written through its items (``for c in A.T: c /= np.linalg.norm(c)``, ``for row in A[1:]:
  row[0] = ...``, ``for i, row in enumerate(A[::-1])``, ``np.transpose(A)``, ``A.T[:, ::2]``).
  ``for row in A`` was rewritten over positions (lower/viewwrites.row_loop) but any other
  iterable was left to the mutation check, which refused the writes through the items. A whole
  transpose and slices of a base of known rank >= 2, reading no other name, are views of that
  rank whatever the values and the same object each time the loop reads them: the loop now runs
  ``for k in range(len(A.T)): c = A.T[k]; ...`` (`_rows_of`), whose writes through `c` are
  writes into `A`. A transpose with axes, an int index, a copy (``a.copy()``: maybe 1-D, whose
  items are numbers) or an argument stay as before.
- Spurious refusal: two views of one array bound one after the other, the first written and the
  second read (``left = y[:-1]; right = y[1:]; left *= 2.0; np.sum(right ** 2)``, two rows
  ``r0 = A[0]; r1 = A[1]``, ``c, d = y, y`` when lower/chained.py leaves both copies to
  lower/viewwrites.py: any ``a = b = 1.0`` before them). The region of the second view counted
  writes through its own name, the base and names bound later, not through a view bound
  before it and still active, so its reads were not rewritten and the mutation check refused
  them. Those names count now (`_Rewriter._region`), and so do the items of a later loop over
  one of them (``v = A[0]; for row in A: row *= 2.0``, then `v` read).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus.ported_corp39a import (  # (the corpus runs them too)
    cols_every_other,
    cols_normalize,
    rows_after_first,
    rows_reversed,
)

X5 = np.array([0.3, -1.2, 0.8, 2.1, -0.4])


def blocks_T(x):
    A = (np.outer(x, x[:4]) + 1.0).reshape(5, 2, 2) * 1.0
    for blk in A.transpose():
        blk[0] += blk[1] * 0.5
    return np.sum(A**2)


@pytest.mark.parametrize(
    "f", [cols_normalize, rows_after_first, rows_reversed, cols_every_other, blocks_T]
)
def test_loop_over_a_view_of_rows(f):
    check_grads(f, (X5,), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(f)(X5.copy()), f(X5.copy()))


def _copy_rows(a):
    A = a.copy()
    for row in A[1:]:
        row -= row.mean()  # a 1-D `a`: numbers, `A` unchanged (Python's)
    return np.sum(A**3)


def test_rows_of_a_copy_stay_as_before():
    check_grads(_copy_rows, (X5,), modes=("fwd", "rev"), order=2)


def _axes(x):
    A = (np.outer(x, x[:4]) + 1.0).reshape(5, 2, 2) * 1.0
    for c in np.transpose(A, (1, 0, 2)):
        c *= c[0, 1]
    return np.sum(A**2)


def test_transpose_with_axes_still_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(_axes)(X5)


def two_views(x):
    y = np.zeros(5) + x
    left = y[:-1]
    right = y[1:]
    left *= 2.0
    return np.sum(right**2) + np.sum(y)


def two_rows(x):
    A = np.outer(x, x[:3]) + 1.0
    r0 = A[0]
    r1 = A[1]
    r0[1] = r0[2] * 3.0
    return np.sum(r1**2) + np.sum(A)


def two_names_after_chained(x):
    a = b = 1.0
    y = x.copy()
    c, d = y, y
    c[2] = x[3] * 5 * a
    return np.sum(d**2) + b


def view_in_branch(x):
    y = np.zeros(5) + x
    left = y[:-1]
    right = y[1:]
    if x[0] > 0:
        left *= 2.0
    return np.sum(right**2)


@pytest.mark.parametrize("f", [two_views, two_rows, two_names_after_chained, view_in_branch])
def test_second_view_sees_a_write_through_the_first(f):
    check_grads(f, (X5,), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(f)(X5.copy()), f(X5.copy()))


def view_then_row_loop(x):
    A = np.outer(x, x[:3]) + 1.0
    v = A[0]
    for row in A:
        row *= 2.0 + row[1]
    return np.sum(v**2) + np.sum(A)


def slice_then_col_loop(x):
    A = np.outer(x, x[:3]) + 1.0
    v = A[1:]
    for c in A.T[:, 1:]:
        c *= A[0, 1] * 0.1
    v = v * 1.5
    return np.sum(v**2) + np.sum(A)


@pytest.mark.parametrize("f", [view_then_row_loop, slice_then_col_loop])
def test_view_sees_a_later_row_loop(f):
    check_grads(f, (X5,), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(f)(X5.copy()), f(X5.copy()))
