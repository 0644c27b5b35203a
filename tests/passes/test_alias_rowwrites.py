"""C-style ``A[i][j] = v`` on float arrays: ``A[i]`` (an int `i`) is a view of row i, so the
lowering's write-back ``A[i] = row`` is Python's meaning (passes/alias_nested.py). Each accepted
case gives exactly Python's value and derivatives (grad, jvp, second order, finite differences);
every case where Python would see a different object (another view or alias read afterwards, a
list-slice copy whose write Python loses, an argument) stays refused; a write into the copy a
list-display index makes is lost, as in Python (lower/copywrites.py).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

U = np.array([[0.5, -1.25, 2.0], [1.5, 0.75, -0.5]])


def square_rows(u):
    n, m = u.shape
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i][j] = u[i][j] ** 2
    return np.sum(out * u)


def square_tuple(u):
    n, m = u.shape
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] = u[i, j] ** 2
    return np.sum(out * u)


def aug_rows(u):
    n, m = u.shape
    out = np.ones((n, m))
    for i in range(n):
        for j in range(m):
            out[i][j] += u[i][j] * out[i][j]
    return np.sum(out * out)


def aug_tuple(u):
    n, m = u.shape
    out = np.ones((n, m))
    for i in range(n):
        for j in range(m):
            out[i, j] += u[i, j] * out[i, j]
    return np.sum(out * out)


def recurrence_rows(u):
    n, m = u.shape
    out = np.zeros((n, m))
    for j in range(m):
        out[0][j] = u[0][j]
    for i in range(1, n):
        for j in range(m):
            a = out[i - 1][j]
            out[i][j] = a * u[i][j] + 1.0
            out[0][0] = out[0][0] + a
    return np.sum(out * out)


def cube_rows(u):
    n, m = u.shape
    t = np.zeros((2, n, m))
    for k in range(2):
        for i in range(n):
            for j in range(m):
                t[k][i][j] = u[i][j] * (k + 1.0) + t[k][i][j]
    return np.sum(np.sin(t))


def copy_rows(u):
    out = u.copy()
    n, m = u.shape
    for i in range(n):
        for j in range(m):
            out[i][j] = out[i][j] * u[i][j]
    return np.sum(out)


def zeros_like_rows(u):
    out = np.zeros_like(u)
    n, m = u.shape
    for i in range(n):
        for j in range(m):
            out[i][j] = u[i][j] ** 3
    return np.sum(out)


def constant_index(u):
    out = np.zeros((2, 3))
    out[1][2] = u[0, 0] * 3.0
    return np.sum(out * u)


def test_rows_match_python_and_tuple_form():
    g_rows = srcad.grad(square_rows)(U.copy())
    g_tuple = srcad.grad(square_tuple)(U.copy())
    # d/du sum(u^3) = 3 u^2
    np.testing.assert_allclose(g_rows, 3.0 * U**2, rtol=1e-14)
    np.testing.assert_array_equal(g_rows, g_tuple)
    assert srcad.value_and_grad(square_rows)(U.copy())[0] == pytest.approx(np.sum(U**3), 1e-14)


@pytest.mark.parametrize(
    "f, g",
    [(square_rows, square_tuple), (aug_rows, aug_tuple)],
)
def test_jvp_and_second_order_equal_tuple_form(f, g):
    t = np.arange(6.0).reshape(2, 3) - 2.5
    a, da = srcad.jvp(f, (U.copy(),), (t,))
    b, db = srcad.jvp(g, (U.copy(),), (t,))
    assert a == f(U.copy()) == b
    assert da == pytest.approx(db, rel=1e-14)
    np.testing.assert_allclose(srcad.hessian(f)(U.copy()), srcad.hessian(g)(U.copy()), rtol=1e-13)


def test_augmented_exact_numbers():
    # out = 1 + u, sum(out^2): gradient 2 (1 + u)
    v, g = srcad.value_and_grad(aug_rows)(U.copy())
    assert v == pytest.approx(np.sum((1.0 + U) ** 2), rel=1e-14)
    np.testing.assert_allclose(g, 2.0 * (1.0 + U), rtol=1e-14)


def test_arrays_from_the_argument():
    # sum(u * u) and sum(u^3): gradients 2 u and 3 u^2
    np.testing.assert_allclose(srcad.grad(copy_rows)(U.copy()), 2.0 * U, rtol=1e-14)
    np.testing.assert_allclose(srcad.grad(zeros_like_rows)(U.copy()), 3.0 * U**2, rtol=1e-14)
    assert srcad.value_and_grad(copy_rows)(U.copy())[0] == pytest.approx(np.sum(U * U), 1e-14)


def test_constant_index_exact():
    v, g = srcad.value_and_grad(constant_index)(U.copy())
    assert v == constant_index(U.copy()) == pytest.approx(3.0 * U[0, 0] * U[1, 2], rel=1e-14)
    want = np.zeros_like(U)
    want[0, 0] = 3.0 * U[1, 2]
    want[1, 2] = 3.0 * U[0, 0]
    np.testing.assert_allclose(g, want, rtol=1e-14)


@pytest.mark.parametrize("f", [square_rows, aug_rows, recurrence_rows, cube_rows, constant_index])
def test_finite_differences(f):
    v, _ = srcad.value_and_grad(f)(U.copy())
    assert v == pytest.approx(f(U.copy()), rel=1e-14)
    check_grads(f, (U.copy(),), modes=("fwd", "rev"))
    check_grads(f, (U.copy(),), modes=("fwd",), order=2)


# -- must stay refused ---------------------------------------------------------------------------


def row_alias_read_after(u):
    out = np.zeros((2, 3))
    r = out[0]
    out[0][1] = u[0, 0]
    return np.sum(r * u[0])


def whole_alias_read_after(u):
    out = np.zeros((2, 3))
    d = out
    out[1][1] = u[0, 0]
    return np.sum(d * u)


def transposed_read_after(u):
    out = np.zeros((2, 3))
    t = out.T
    out[1][2] = u[0, 0]
    return np.sum(t.T * u)


def slice_view_read_after(u):
    out = np.zeros((3, 3))
    s = out[0:2]
    out[1][2] = u[0, 0]
    return np.sum(s)


def fancy_copy(u):
    out = np.zeros((3, 3))
    out[[0, 1]][1] = u[0, 0]  # a copy: Python loses the write
    return np.sum(out * 2.0) + u[0, 0]


def slice_write(u):
    out = np.zeros((3, 3))
    out[0:2][1][0] = u[0, 0]
    return np.sum(out)


def list_slice_copy(x):
    c = [[1.0, 2.0], [3.0, 4.0]]
    c[0:1][0] = [x, x]  # a copy: Python loses the write (srcad answered 3 x^2 before)
    return c[0][0] * x


def _scale_row(r):
    r[0] = r[0] * 2.0
    return r


def row_to_helper(u):
    out = np.ones((2, 3))
    _scale_row(out[0])
    out[1][1] = u[0, 0]
    return np.sum(out * u)


def argument_rows(a):
    a[0][1] = a[0][0] * 2.0
    return np.sum(a)


def argument_tuple(a):
    a[0, 1] = a[0, 0] * 2.0
    return np.sum(a)


@pytest.mark.parametrize(
    "f, arg",
    [
        (list_slice_copy, 3.0),
        (row_to_helper, U),
    ],
)
def test_refused(f, arg):
    for call in (
        lambda: srcad.grad(f)(copy.deepcopy(arg)),
        lambda: srcad.jvp(f, (copy.deepcopy(arg),), (np.ones_like(arg),)),
    ):
        with pytest.raises(srcad.SrcadError):
            call()


@pytest.mark.parametrize(
    "f",
    [row_alias_read_after, transposed_read_after, slice_view_read_after, whole_alias_read_after],
)  # (`d = out`, a second name of the array: session 12)
def test_views_read_after_a_write_are_read_again(f):
    # a view of an array made here, held in a name: read again from the array after the write
    # (lower/viewwrites.py; refused before, a spurious refusal)
    assert srcad.primal(f)(U.copy()) == f(U.copy())
    check_grads(f, (U.copy(),), modes=("fwd", "rev"))


def test_slice_write_repaired():
    # a basic slice of an array is a view: the write-back is Python's meaning (hunt 9; refused
    # before, a spurious refusal)
    assert srcad.primal(slice_write)(U.copy()) == slice_write(U.copy())
    check_grads(slice_write, (U.copy(),), modes=("fwd", "rev"))


def test_fancy_copy_write_lost_as_in_python():
    # `out[[0, 1]]` is a copy: the write changes it and `out` stays zero, as in Python
    # (lower/copywrites.py; refused before as if Python saw the change)
    assert srcad.primal(fancy_copy)(U.copy()) == fancy_copy(U.copy())
    check_grads(fancy_copy, (U.copy(),), modes=("fwd", "rev"))


def test_argument_update_like_tuple_form():
    # both forms update the caller's array, on a copy written back (lower/argcopy.py; both
    # were refused before)
    for f in (argument_rows, argument_tuple):
        a, b = U.copy(), U.copy()
        assert srcad.primal(f)(a) == f(b)
        np.testing.assert_array_equal(a, b)
        check_grads(f, (U.copy(),), modes=("fwd", "rev"))


def test_argument_list_rows_refused():
    # a list's row is the caller's own object, which the list's copy shares
    def f(xs):
        xs[0][1] = xs[0][0] * 2.0
        return np.sum(xs[0])

    with pytest.raises(srcad.SrcadError, match="an object inside the argument `xs`"):
        srcad.grad(f)([U[0].copy(), U[1].copy()])
