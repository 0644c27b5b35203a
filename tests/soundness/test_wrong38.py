"""Session 38 (wrong38): what the ``wild38`` fuzz grammar (tests/fuzz/gen_wild_38.py: typed,
shape-directed expressions over NumPy arrays, writes through slices, views and ``out=``) found.

No wrong derivative and no crash in 1,400 programs (first and second order). Its commonest
spurious refusal: a write through a slice, ``a[::-1][i] += v`` / ``a[1:][0] = v``, into an array
`a` that ``np.sort``, ``np.cumsum``/``np.cumprod``, ``np.flip``, ``np.roll`` or ``.ravel()`` made
("`a` is read after the object it shares with another name is modified"): the mutation check
(passes/alias_flow.py) takes such a write for an exact write-back only into a float array of a
known rank (passes/ranks.py), and those calls had none, while ``a = np.sin(x)`` had. They now
keep their operand's rank or give a 1-D array (passes/ranks_reorder.py). The nested writes are
checked numerically (both modes, Hessian), the argument a view made by ``x.ravel()`` shares
updated as Python updates it, and the real view writes stay refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -1.2, 0.5, 0.8])
A = np.array([[0.3, -1.2, 0.5], [0.7, 0.1, -0.4]])


def sort_write(x):
    a = np.sort(x)
    a[1:][0] += 1.0
    return np.sum(a**2)


def sort_scaled_write(x):
    a = np.sort(x) * 1.0
    a[::-1][1] += x[1] ** 2
    return np.sum(a**3)


def cumsum_write(x):
    a = np.cumsum(x)
    a[::-1][0] *= 3.0
    return np.sum(a**2)


def flip_copy_write(x):
    a = np.flip(x) + 0.0
    a[::-1][1] += x[1]
    return np.sum(a**2)


def sort_axis_write(x):
    b = np.sort(np.outer(x, x), axis=0)
    b[1:][0, 1] += 1.0
    return np.sum(b**2)


def reorders_2d(m):
    a = np.roll(np.sin(m), 1, axis=0)
    a[1:][0, 1] *= 3.0
    c = np.cumsum(m)  # flattened
    c[::-1][1] += m[0, 0]
    d = np.sort(m, axis=None)  # flattened
    d[::2][1] -= 2.0 * m[1, 1]
    e = m.cumsum(0)
    e[1:][0, 2] += 1.0
    return np.sum(a**2) + np.sum(c**2) + np.sum(d**3) + np.sum(e**2)


def sort_in_loop(x):
    a = np.sin(x)
    for i in range(3):
        a = np.sort(a) * 0.9 + x
        a[::-1][i] += x[i] ** 2
    return np.sum(a**2)


def ravel_view_write(m):
    a = np.sin(m)
    b = a.ravel()  # a view of `a`: Python's `a` changes too
    b[1:][0] *= 3.0
    return np.sum(a**2) + np.sum(b)


LIFTED = [
    (sort_write, (X,)),
    (sort_scaled_write, (X,)),
    (cumsum_write, (X,)),
    (flip_copy_write, (X,)),
    (sort_axis_write, (X,)),
    (reorders_2d, (A,)),
    (sort_in_loop, (X,)),
    (ravel_view_write, (X,)),
    (ravel_view_write, (A,)),
]


@pytest.mark.parametrize(("f", "args"), LIFTED, ids=lambda v: getattr(v, "__name__", ""))
def test_nested_write_into_reordered_array(f, args) -> None:
    check_grads(f, args, order=2)


def argument_ravel_write(x):
    a = x.ravel()  # a view of the argument
    a[1:][0] += 1.0
    return np.sum(a**2)


def test_argument_written_through_ravel_as_python() -> None:
    xp, xs = X.copy(), X.copy()
    want = argument_ravel_write(xp)
    v, g = srcad.value_and_grad(argument_ravel_write)(xs)
    assert v == pytest.approx(want)
    np.testing.assert_allclose(xs, xp)  # the caller's array updated as Python updates it
    np.testing.assert_allclose(g, 2 * xp)


def flip_argument_write(x):
    a = np.flip(x)  # a view of the argument
    a[1:][0] += 1.0
    return np.sum(a**2)


def flip_view_then_read(x):
    a = np.sin(x)
    b = np.flip(a)
    b[1:][0] += 1.0
    return np.sum(a**2)


def sort_view_then_read(x):
    a = np.sort(x)
    b = a[::-1]
    b[0] += 1.0
    return np.sum(a**2) + np.sum(b)


@pytest.mark.parametrize("f", [flip_argument_write, flip_view_then_read, sort_view_then_read])
def test_view_writes_stay_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())
