"""Session-27 fuzz findings (tests/fuzz, seeds 27000000+).

- Spurious refusal (control seed 27012053, size 12): ``s7, a8 = x4 ** 2, a5`` then
  ``a8[0] -= c`` and a read of `a5` was refused ("`a5` is read after the object it shares
  with another name is modified"): lower/chained.py reads a plain copy ``q = p`` as `p` after a
  write through `q`, not a copy made by a tuple assignment. lower/tuplecopies.py splits
  ``s, q = e, p`` into ``s = e; q = p`` (no value reads a target: the same program).
- Neighbours that must stay right or refused: a value reading a target (``a, q = e, a``: not
  split, still right), the swap ``a, b = b, a``, a copy of an argument written into, a copy
  rebound by ``op=`` (a number's rebinds: still refused), copies in a loop and in branches.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X3 = np.array([0.31, -0.72, 1.13])


def _right(f, x):
    want = f(copy.deepcopy(x))
    got = srcad.primal(f)(copy.deepcopy(x))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    check_grads(f, (x.copy(),), modes=("fwd", "rev"), order=2)


# -- copies made by a tuple assignment (control seed 27012053) ----------------------------------
def tuple_copy_item_write(x):
    a = x * 2.0
    s, b = 1.0, a
    b[0] -= np.tanh(x[1])
    return np.sum(a * a) * s


def tuple_copy_in_loop(x):
    a = np.sin(x)
    for i in range(3):
        s, b = float(i), a
        b[i] *= s + x[i]
    return np.sum(a * x)


def tuple_copy_first(x):
    a = np.cos(x) + 1.0
    q, s = a, np.sum(a)
    q[1] = s * x[2]
    return np.sum(a * x) + s


def fuzz_27012053(x):  # (its first lines, with `x` for the arguments)
    a5 = np.linalg.solve(np.eye(3) * 3.0, np.linspace(0.1, 1.0, 3)) - x
    s7, a8 = (x[0] ** 2), a5
    a8[0] -= np.tanh(np.sum(x))
    s7 = min((x[1] + s7), 0.9)
    lf9 = [(s7 / 2.0), 0.3]
    a10 = a5[::1]
    lf9[0] += np.linalg.solve(np.eye(3) * 2.0 + 0.1, a5) @ (a10 * a8)
    return sum(lf9) + np.sum(a5 * a8)


@pytest.mark.parametrize(
    "f", [tuple_copy_item_write, tuple_copy_in_loop, tuple_copy_first, fuzz_27012053]
)
def test_tuple_copies_differentiated(f):
    _right(f, X3)


# -- neighbours ----------------------------------------------------------------------------------
def value_reads_target(x):
    a = x * 1.0
    a, q = x * 3.0, a
    q[0] = x[1] ** 2
    return np.sum(a * q)


def swap_then_write(x):
    a, b = x * 1.0, x * 2.0
    a, b = b, a
    b[1] = x[0] * 3.0
    return np.sum(a * b)


def copy_rebound_later(x):
    a = np.cos(x)
    s, q = 2.0, a
    a = a * 2.0
    q[1] = s * x[2]
    return np.sum(a * x) + np.sum(q)


def copy_in_branch(x):
    a = np.cos(x) * 1.0
    if x[0] > 0:
        s, q = 2.0, a
        q[1] = s * x[2]
    return np.sum(a * x)


@pytest.mark.parametrize("f", [value_reads_target, swap_then_write, copy_rebound_later])
def test_neighbours_right(f):
    _right(f, X3)


def test_tuple_copy_in_branch_differentiated():  # (refused before, as the four above)
    _right(copy_in_branch, X3)


def copy_updated_by_op(x):
    a = np.cos(x)
    q, s = a, np.sum(a)
    q += x  # (`np.cos` of a float is a float: `q += x` may rebind `q` only)
    return np.sum(a) * s


def copy_of_argument_written_into_a_branch(x):
    a = np.cos(x)
    if x[0] > 0:
        s, q = 2.0, a
    else:
        s, q = 3.0, a * 1.0
    q[1] = s * x[2]  # (`q` is `a` on one path only)
    return np.sum(a * x)


# copy_updated_by_op: (accepted since iter41c, checked in tests/regressions/test_iter41c.py: lower/opfork.py)
@pytest.mark.parametrize("f", [copy_of_argument_written_into_a_branch])
def test_neighbours_refused(f):
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(f)(X3.copy())


# -- `u.sort()` of an array made here, then a write into a slice (idioms seed 27008069) -----------
# lower/idioms.py lowered ``u.sort()`` of a value of unknown kind as ``sorted(u) if
# isinstance(u, list) else np.sort(u)``: after the join the mutation check could not tell `u` an
# array, and ``u[1:] += c`` was refused. lower/arraymade.py: `u` made by ``np.array``,
# ``np.concatenate``, ... is an ndarray: ``np.sort(u)`` alone.
def sort_then_slice_update(x):
    u = np.array(x)
    u.sort()
    u[1:] += 0.5 * x[0]
    return np.sum(u * u)


def sort_axis_then_slice_update(x):  # (idioms seed 27008069: ``u1.sort(axis=-1)``)
    u = np.array(x)
    u.sort(axis=-1)
    u[1:] += 0.5 * x[0]
    return np.sum(u * u)


def sort_concatenated_then_strided_update(x):
    u = np.concatenate([x, x * 2.0])
    u.sort()
    u[::2] *= x[1]
    return np.sum(np.sin(u) * u)


@pytest.mark.parametrize(
    "f",
    [sort_then_slice_update, sort_axis_then_slice_update, sort_concatenated_then_strided_update],
)
def test_sort_of_made_array_differentiated(f):
    _right(f, X3)


def sort_of_alias_read(x):
    u = np.array(x)
    v = u
    u.sort()
    return np.sum(v * x)  # (`v` is the sorted array too)


def test_sort_alias_right():
    _right(sort_of_alias_read, X3)


def sort_under_a_view(x):
    u = np.array(x)
    w = u[1:]
    u.sort()
    return np.sum(w * x[1:])  # (`w` sees the sorted values: refused)


def sort_of_maybe_number(x):
    u = x * 1.0  # (a float `x`: a float, whose `.sort()` raises)
    u.sort()
    u[1:] += 0.5 * x[0]
    return np.sum(u * u)


@pytest.mark.parametrize("f", [sort_under_a_view, sort_of_maybe_number])
def test_sort_neighbours_refused(f):
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(f)(X3.copy())
