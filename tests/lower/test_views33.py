"""``r = A[i]; r op= v`` where `A`'s rank is not known when lowering (lower/viewbranch.py): a
row view of a 2-D `A` (Python writes into `A`) or a number of a 1-D one (Python rebinds `r`).
Both were refused before (the mutation check: `A` read after `r` was updated in place).

The lifted programs: differentiated in both modes and to second order, for each rank. The
neighbours (another write into `A` while `r` is bound, `r` read after, a list argument's copy,
a list of lists, a view of an argument, `r @= m`): each right or refused, never wrong."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.lower.rightref import python_run, right_or_refused, same

M3 = np.arange(9.0).reshape(3, 3) / 4.0 + 0.5
S3 = np.array([0.5, -1.2, 2.0])


def _double_row(u):
    B = u.copy()
    w = B[2]
    w += w
    return np.sum(B * B) + np.sum(w)


def _double_row_param(u):
    u = u * 1.0
    w = u[2]
    w += w
    return np.sum(u * np.arange(1.0, 1.0 + u.size).reshape(u.shape))


def _scale_rows(A, s):
    B = A.copy()
    for i in range(B.shape[0]):
        r = B[i]
        r *= s[i]
    return np.sum(B * B)


def _scale_rows_twice(A, s):
    B = A * 1.0
    t = 0.0
    for i in range(len(s)):
        r = B[i]
        r *= s[i]
        r -= s[0] * r
        t = t + np.sum(r**2)
    return t + np.sum(np.sin(B))


LIFTED = [
    (_double_row, (M3,)),
    (_double_row, (S3,)),
    (_double_row_param, (M3,)),
    (_double_row_param, (S3,)),
    (_scale_rows, (M3, S3)),
    (_scale_rows, (S3, S3)),
    (_scale_rows_twice, (M3, S3)),
    (_scale_rows_twice, (S3, S3)),
]


@pytest.mark.parametrize("k", range(len(LIFTED)))
def test_lifted(k):
    f, args = LIFTED[k]
    check_grads(f, args, modes=("fwd", "rev"))
    want = f(*[np.copy(a) for a in args])
    np.testing.assert_allclose(srcad.primal(f)(*args), want, rtol=1e-13)


@pytest.mark.parametrize("k", [0, 1, 4])
def test_lifted_hessian(k):
    f, args = LIFTED[k]
    check_grads(f, args, modes=("fwd", "rev"), order=2)
    if len(args) == 1:
        h = srcad.hessian(f)(args[0])
        assert h.shape == args[0].shape * 2


def test_row_written_in_place_code():
    text = srcad.source(_scale_rows, args=(M3, S3))
    assert "ndim >= 2" in text or "*=" in text or "*" in text


def _other_write(u):
    B = u.copy()
    w = B[1]
    B[1, 0] = 7.0  # Python: `w` sees it
    w += w
    return np.sum(B * B) + np.sum(w)


def _read_after(u):
    B = u * 1.0
    w = B[1]
    w *= 3.0
    B[1, 1] = -2.0  # Python: `w` sees it
    return np.sum(w) + np.sum(B)


def _alias_row(u):
    B = u * 1.0
    w = B[0]
    v = B[0]
    w += 1.0
    return np.sum(v * v)


def _arg_row(u):
    w = u[1]
    w += w
    return np.sum(u * u)


def _matmul_row(u):
    B = u * 1.0
    w = B[0]
    w @= np.eye(3)
    return np.sum(B)


def _rebound_base(u):
    B = u * 1.0
    w = B[0]
    B = B + 1.0
    w += 1.0
    return np.sum(B) + np.sum(w)


def _list_copy(p):
    B = p.copy()
    w = B[0]
    w += w
    return B, w


def _nested_write(u):
    B = u * 1.0
    w = B[1]
    for k in range(2):
        if k:
            w *= 2.0
        w += B[0]
    return np.sum(B**2) + np.sum(w)


NEIGHBOURS = [
    (_other_write, (M3,)),
    (_other_write, (S3,)),
    (_read_after, (M3,)),
    (_read_after, (S3,)),
    (_alias_row, (M3,)),
    (_alias_row, (S3,)),
    (_arg_row, (M3,)),
    (_arg_row, (S3,)),
    (_matmul_row, (M3,)),
    (_rebound_base, (M3,)),
    (_rebound_base, (S3,)),
    (_nested_write, (M3,)),
    (_nested_write, (S3,)),
]


@pytest.mark.parametrize("k", range(len(NEIGHBOURS)))
def test_neighbours_right_or_refused(k):
    f, args = NEIGHBOURS[k]
    right_or_refused(f, args)


@pytest.mark.parametrize("p", [[1.0, 2.0], [[1.0], [2.0]]])
def test_list_copy_right_or_refused(p):
    """A list argument's copy: `w` a number (rebound) or a list (extended in place, the
    argument's own item): Python's value and argument after, or refused."""
    kind, want, after = python_run(_list_copy, (p,))
    got_args = copy.deepcopy((p,))
    try:
        got = srcad.primal(_list_copy)(*got_args)
    except srcad.SrcadError:
        return
    assert same(list(got), list(want)) and same(got_args[0], after[0])
