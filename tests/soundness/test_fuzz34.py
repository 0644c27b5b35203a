"""Session 34 (fuzz34): what the fuzzer (tests/fuzz, seeds 34100000+, and the new ``wild34``
grammar's forms written out by hand) found.

- Spurious refusal: ``np.add.reduce(a, axis=0, where=m)`` (also ``np.multiply.reduce``,
  ``np.maximum.reduce(.., where=m, initial=v)``, ``np.minimum.reduce``) was refused ("cannot
  differentiate through `reduce`: it is not a Python function"), while ``np.sum(a, axis=0,
  where=m)``, which NumPy documents as the same reduction, was differentiated. The lowering
  rewrites these ufunc methods as np.sum/prod/max/min but let only ``axis``, ``dtype`` and
  ``keepdims`` through; ``initial=`` and ``where=`` now go through too.
- Spurious refusal: ``M[i][0] = A[i, 1] * 2.0`` in a loop over the rows of a float matrix made
  in the function (also ``r = M[i]; r[0] = v``) was refused ("`M` is read after the object it
  shares with another name is modified"), though the same statement outside a loop, or with a
  constant on the right, was differentiated. The alias analysis gives the row, whose objects it
  does not track, a new object holding the stored value, and marked that object as possibly
  holding it twice (``[y] * 2``), which the write-back check of ``M[i] = row`` refuses. A store
  at an int key holds the value once; the row's other readers (a view kept from before, a list
  of rows, a transpose) are still refused.
- NaN gradient (pre-existing, fixed in session 35): the untaken side of ``np.where(v >= c, v,
  -(c - v) ** 0.5)`` when `v` is ``np.abs(..)`` joined by an ``if`` with
  ``np.array(z.real, dtype=float)`` (wild34 seed 34310149, shrunk): operators on the join, of
  unknown receiver kind, go through ``_srcad.plain_receiver``, where `ad/masks.py` stopped.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

A3 = np.array([[0.3, -0.7, 1.2], [-0.1, 0.5, 0.8], [0.9, -0.4, 0.2]])


# -- ufunc reductions with where= / initial= ----------------------------------------------------


def add_reduce_where(a):
    return np.sum(np.add.reduce(a**2, axis=0, where=a > 0) * a[0])


def multiply_reduce_where(a):
    return np.sum(np.multiply.reduce(np.tanh(a) + 1.5, axis=1, where=a > 0, keepdims=True) * a)


def maximum_reduce_where(a):
    return np.sum(np.maximum.reduce(a**2, axis=0, where=a > 0, initial=0.0) * a[1])


def minimum_reduce_where(a):
    return np.sum(np.minimum.reduce(a, axis=None, where=a < 0.6, initial=5.0) * a)


def add_reduce_initial(a):
    return np.sum(np.add.reduce(a, axis=1, initial=2.0) ** 2)


@pytest.mark.parametrize(
    "f",
    [
        add_reduce_where,
        multiply_reduce_where,
        maximum_reduce_where,
        minimum_reduce_where,
        add_reduce_initial,
    ],
)
def test_ufunc_reduce_where_initial(f):
    check_grads(f, (A3,), modes=("fwd", "rev"), order=2)
    g = srcad.grad(f)(A3)
    assert g.shape == A3.shape


def test_ufunc_reduce_out_still_refused():
    def f(a):
        out = np.zeros(3)
        np.add.reduce(a, 0, None, out)
        return np.sum(out)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(A3)


# -- M[i][j] = v in a loop over the rows of a matrix made here ---------------------------------


def row_write_loop(a):
    m = a * 1.0
    for i in range(3):
        m[i][0] = a[i, 1] * 2.0
    return np.sum(m**2)


def row_name_write_loop(a):
    m = a * 1.0
    t = 0.0
    for i in range(3):
        r = m[i]
        r[0] = a[i, 1] * 2.0
        t = t + np.sum(r**2)
    return np.sum(m**2) + t


def row_write_reads_rows(a):
    m = a * 1.0
    for i in range(3):
        m[i][0] = m[(i + 1) % 3][1] * 2.0 + m[i][2]
    return np.sum(m**2)


def row_write_prev_row(a):
    m = a * 1.0
    prev = m[0]
    for i in range(1, 3):
        m[i][0] = prev[1] * 2.0
        prev = m[i]
    return np.sum(m**2) + np.sum(prev**3)


def two_row_writes(a):
    m = a * 1.0
    for i in range(3):
        m[i][0] = a[i, 1] * 2.0
        m[(i + 1) % 3][1] = m[i][0] * 0.5
    return np.sum(m**3)


@pytest.mark.parametrize(
    "f",
    [row_write_loop, row_name_write_loop, row_write_reads_rows, row_write_prev_row, two_row_writes],
)
def test_row_element_write_in_loop(f):
    check_grads(f, (A3,), modes=("fwd", "rev"), order=2)


def row_view_kept(a):
    m = a * 1.0
    r = m[0]
    for i in range(3):
        m[i][0] = a[i, 1] * 2.0
    return np.sum(m**2) + np.sum(r**3)


def transpose_kept(a):
    m = a * 1.0
    n = m.T
    for i in range(3):
        m[i][0] = a[i, 1] * 2.0
    return np.sum(m**2) + np.sum(n[0] ** 3)


def rows_listed_before(a):
    m = a * 1.0
    keep = []
    for i in range(3):
        keep.append(m[i])
        m[i][0] = a[i, 1] * 2.0
    return np.sum(np.stack(keep) ** 3)


def rows_listed_after(a):
    m = a * 1.0
    keep = []
    for i in range(3):
        m[i][0] = a[i, 1] * 2.0
        keep.append(m[(i + 1) % 3])
    return np.sum(np.stack(keep) ** 3)


def one_array_twice(a):
    z = a[0] * 1.0
    rows = [z, z]
    for i in range(2):
        rows[i][0] = a[2, i] * 3.0 + rows[1 - i][0]
    return np.sum(rows[0] ** 2) + np.sum(z**3)


@pytest.mark.parametrize(
    "f", [row_view_kept, transpose_kept, rows_listed_before, rows_listed_after, one_array_twice]
)
def test_row_element_write_seen_elsewhere_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(f)(A3)


# -- a NaN gradient through np.where's singular side (wild34 seed 34310149) ---------------


def where_root_joined_with_complex_real(x0, x2, k):
    w4 = np.array((np.exp(1j * x2) * x2**2).real, dtype=float)
    v5 = np.abs(x0 + np.zeros(3))
    if k == 0:
        v7 = v5
    else:
        v7 = -w4
    return np.sum(np.where(v7 >= 0.2, v7, -((0.2 - v7) ** 0.5)))


def test_where_root_joined_with_complex_real_open():
    """Wrong (wild34 seed 34310149, shrunk; also on 7860879): the gradient in `x0` was NaN where
    central differences give -3.0: the untaken side ``-(0.2 - v7) ** 0.5`` of the `where` is NaN
    at the selected elements and its derivative was not masked, `v7` being of unknown receiver
    kind (``np.array(.., dtype=float)``: the `float` read counted as a possible container of
    user objects), so its operators ran through ``_srcad.plain_receiver``, which the mask
    analysis did not pass (session 35: it does; tests/soundness/test_wrong35.py)."""
    g = srcad.grad(where_root_joined_with_complex_real, wrt=(0, 1))(-1.99, np.array([[0.43]]), 0)
    assert np.isfinite(g[0]) and abs(g[0] + 3.0) < 1e-8
