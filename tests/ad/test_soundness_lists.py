"""`+` and `*` on lists and tuples whose type only the arguments tell: concatenation and repetition,
not addition and multiplication, in forward and reverse mode (srcad.ad.seqs).

Every derivative here is written out by hand and checked exactly (the numbers are small integers
or exact binary fractions), and against central finite differences (`srcad.testing.check_grads`).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

# -- C1: concatenation of slices of list/tuple arguments ------------------------------------------


def slice_cat(row):
    sub = row[:1] + row[2:]
    return sub[0] * sub[1]


def two_lists(xs, ys):
    z = xs + ys
    return z[0] * z[3]


def append_one(xs, x):
    z = xs + [x]
    return z[0] * z[2]


def reversed_cat(row):
    z = row[::-1] + row  # [r2, r1, r0, r0, r1, r2]
    return z[0] * z[1] + z[5]


def det_minors(A):
    n = len(A)
    if n == 1:
        return A[0][0]
    s = 0.0
    sign = 1.0
    for j in range(n):
        sub = [row[:j] + row[j + 1 :] for row in A[1:]]
        s += sign * A[0][j] * det_minors(sub)
        sign = -sign
    return s


def test_slice_concatenation_of_a_list_grad_vjp_jvp():
    assert srcad.grad(slice_cat)([1.0, 2.0, 3.0]) == [3.0, 0.0, 1.0]  # was a ValueError
    out, pullback = srcad.vjp(slice_cat, [1.0, 2.0, 3.0])
    assert out == 3.0
    assert pullback(1.0) == ([3.0, 0.0, 1.0],)
    assert srcad.jvp(slice_cat, ([1.0, 2.0, 3.0],), ([1.0, 10.0, 100.0],)) == (3.0, 103.0)
    np.testing.assert_array_equal(srcad.jacrev(slice_cat)([1.0, 2.0, 3.0]), [3.0, 0.0, 1.0])


def test_slice_concatenation_of_a_tuple():
    assert srcad.grad(slice_cat)((1.0, 2.0, 3.0)) == (3.0, 0.0, 1.0)
    assert srcad.jvp(slice_cat, ((1.0, 2.0, 3.0),), ((1.0, 10.0, 100.0),)) == (3.0, 103.0)


def test_two_list_arguments_and_a_list_literal():
    assert srcad.grad(two_lists, wrt=(0, 1))([1.0, 2.0], [3.0, 4.0]) == ([4.0, 0.0], [0.0, 1.0])
    assert srcad.jvp(two_lists, ([1.0, 2.0], [3.0, 4.0]), ([1.0, 0.0], [0.0, 1.0])) == (4.0, 5.0)
    assert srcad.grad(append_one, wrt=(0, 1))([1.0, 2.0], 3.0) == ([3.0, 0.0], 1.0)


def test_reversed_slice_concatenated_with_itself():
    assert srcad.grad(reversed_cat)([1.0, 2.0, 3.0]) == [0.0, 3.0, 3.0]
    assert srcad.jvp(reversed_cat, ([1.0, 2.0, 3.0],), ([1.0, 1.0, 1.0],)) == (9.0, 6.0)


def test_determinant_by_minors_of_a_list_of_lists():
    A = [[2.0, 1.0, 0.5], [0.25, 3.0, 1.0], [1.0, 0.5, 4.0]]
    expected = np.linalg.det(np.array(A)) * np.linalg.inv(np.array(A)).T  # the cofactor matrix
    g = srcad.grad(det_minors)(A)
    assert type(g) is list and all(type(r) is list for r in g)
    np.testing.assert_allclose(np.array(g), expected, rtol=1e-12)
    np.testing.assert_allclose(np.array(srcad.jacrev(det_minors)(A)), expected, rtol=1e-12)
    _, d = srcad.jvp(det_minors, (A,), ([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],))
    assert d == pytest.approx(expected[0, 0], rel=1e-12)


def test_list_of_arrays():
    params = [np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([5.0, 6.0])]

    def drop_layer(ps):
        kept = ps[:1] + ps[2:]
        return np.sum(kept[0] * kept[1])

    g = srcad.grad(drop_layer)(params)
    np.testing.assert_array_equal(g[0], [5.0, 6.0])
    np.testing.assert_array_equal(g[1], [0.0, 0.0])
    np.testing.assert_array_equal(g[2], [1.0, 2.0])


def test_forward_mode_with_one_list_constant():
    """The tangent of ``xs[:1] + ys`` when only `xs` varies is ``dxs[:1] + zeros``, not the
    tangent broadcast to the result's length (it gave 5.0 and 4.0, silently)."""

    def f(xs, ys):
        z = xs[:1] + ys  # [x0, y0, y1]
        return z[0] * z[1] + z[2]

    def g(xs, ys):
        z = xs + ys[1:]  # [x0, x1, y1]
        return z[0] * z[1] + z[2]

    p = ([1.0, 2.0], [3.0, 4.0])
    assert srcad.jvp(f, p, ([1.0, 1.0], None)) == (7.0, 3.0)
    assert srcad.jvp(f, p, (None, [1.0, 1.0])) == (7.0, 2.0)
    assert srcad.jvp(g, p, ([1.0, 1.0], None)) == (6.0, 3.0)
    assert srcad.jvp(g, p, (None, [1.0, 1.0])) == (6.0, 1.0)


def test_a_concatenation_read_twice_sums_its_cotangents_entrywise():
    def f(xs, ys):
        z = xs + ys
        return z[0] * z[3] + z[1]

    assert srcad.grad(f, wrt=(0, 1))([1.0, 2.0], [3.0, 4.0]) == ([4.0, 1.0], [0.0, 1.0])


def test_concatenation_in_a_loop_and_through_a_dict():
    def grow(xs):
        acc = xs
        for i in range(3):
            acc = acc + xs[i : i + 1]  # xs + xs
        return acc[0] * acc[-1] + acc[4]

    def via_dict(xs):
        d = {"a": xs, "b": xs[::-1]}
        z = d["a"] + d["b"]
        return z[0] * z[-1] + z[1]

    assert srcad.grad(grow)([1.0, 2.0, 3.0]) == [3.0, 1.0, 1.0]
    assert srcad.grad(via_dict)([1.0, 2.0, 3.0]) == [2.0, 1.0, 0.0]


# -- C2: repetition --------------------------------------------------------------------------------


def repeat_right(xs):
    ys = xs * 2
    return ys[0] * ys[3]


def repeat_left(xs):
    ys = 2 * xs
    return ys[0] * ys[3]


def repeat_n(xs, n):
    ys = xs * n
    return ys[0] * ys[-1]


def test_repetition_by_a_constant():
    for f in (repeat_right, repeat_left):
        assert srcad.grad(f)([1.0, 2.0]) == [2.0, 1.0]  # was a ValueError
        assert srcad.jvp(f, ([1.0, 2.0],), ([1.0, 1.0],)) == (2.0, 3.0)
        assert srcad.grad(f)((1.0, 2.0)) == (2.0, 1.0)


def test_repetition_by_an_int_argument():
    assert srcad.grad(repeat_n)([1.0, 2.0], 3) == [2.0, 1.0]
    assert srcad.jvp(repeat_n, ([1.0, 2.0], 3), ([1.0, 10.0], None)) == (2.0, 12.0)


def test_repetition_of_a_list_literal():
    def f(a, n):
        z = [a, 2.0 * a] * n
        return z[0] * z[3]  # 2 a**2

    assert srcad.grad(f)(1.5, 2) == 6.0
    assert srcad.jvp(f, (1.5, 2), (1.0, None)) == (4.5, 6.0)


def test_repetition_by_an_element_that_is_an_int():
    def f(xs, ys):
        z = xs[0] * ys  # xs[0] == 2: ys repeated twice
        return z[0] * z[-1] + xs[1]

    assert srcad.grad(f, wrt=1)([2, 1.0], [3.0, 4.0]) == [4.0, 3.0]


# -- a list literal with an array: arithmetic, not concatenation/repetition ------------------------


def test_list_literal_plus_array_is_addition():
    def f(a, arr):
        z = [a, 2.0 * a] + arr  # an array
        return np.sum(z * arr)

    ga, garr = srcad.grad(f, wrt=(0, 1))(1.5, np.array([1.0, 2.0]))
    assert ga == 5.0
    np.testing.assert_array_equal(garr, [3.5, 7.0])  # was [1, 2]: the product's part was lost


def test_list_literal_times_array_is_multiplication():
    def f(a, arr):
        return np.sum([a, 2.0 * a] * arr)

    ga, garr = srcad.grad(f, wrt=(0, 1))(1.5, np.array([1.0, 2.0]))
    assert ga == 5.0
    np.testing.assert_array_equal(garr, [1.5, 3.0])


def test_list_argument_plus_array_argument():
    def f(x, xs):
        return np.sum((x + xs) ** 2)

    gx, gxs = srcad.grad(f, wrt=(0, 1))(np.array([1.0, 2.0]), [3.0, 4.0])
    np.testing.assert_array_equal(gx, [8.0, 12.0])
    assert gxs == [8.0, 12.0]


# -- kinds known only at run time: the helpers look at the values -----------------------------------


def add_first_two(A):
    z = A[0] + A[1]
    if isinstance(z, list):
        return z[0] * z[-1]
    return np.sum(z * z)


def test_elements_of_mixed_kinds():
    assert srcad.grad(add_first_two)([[1.0, 2.0], [3.0, 4.0]]) == [[4.0, 0.0], [0.0, 1.0]]
    g = srcad.grad(add_first_two)([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    np.testing.assert_array_equal(g[0], [8.0, 12.0])
    np.testing.assert_array_equal(g[1], [8.0, 12.0])
    g = srcad.grad(add_first_two)([[1.0, 2.0], np.array([3.0, 4.0])])  # list + array: addition
    assert g[0] == [8.0, 12.0]
    np.testing.assert_array_equal(g[1], [8.0, 12.0])


def _cat(a, b):
    return a + b


_GLOBAL = [1.5, 2.5]


def test_helper_and_global_list():
    def via_helper(xs, ys):
        z = _cat(xs, ys)
        return z[0] * z[-1]

    def with_global(xs):
        z = xs + _GLOBAL
        return z[0] * z[2] + z[3] * z[1]

    assert srcad.grad(via_helper, wrt=(0, 1))([1.0, 2.0], [3.0, 4.0]) == ([4.0, 0.0], [0.0, 1.0])
    assert srcad.grad(with_global)([1.0, 2.0]) == [1.5, 2.5]


def test_sum_and_np_array_of_a_concatenation():
    def total(xs):
        return np.sum(xs[:1] + xs[2:]) * xs[1]

    def squares(xs):
        return np.sum(np.array(xs[:1] + xs[2:]) ** 2)

    def builtin_sum(xs):
        return sum(xs[:1] + xs[2:]) * xs[0]

    assert srcad.grad(total)([1.0, 2.0, 3.0]) == [2.0, 4.0, 2.0]
    assert srcad.grad(squares)([1.0, 2.0, 3.0]) == [2.0, 0.0, 6.0]
    assert srcad.grad(builtin_sum)([1.0, 2.0, 3.0]) == [5.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "f, args",
    [
        (slice_cat, ([0.3, -1.2, 2.1],)),
        (slice_cat, ((0.3, -1.2, 2.1),)),
        (two_lists, ([0.3, -1.2], [2.1, 0.7])),
        (reversed_cat, ([0.3, -1.2, 2.1],)),
        (det_minors, ([[2.0, 1.0, 0.5], [0.3, 3.0, 1.0], [1.0, 0.2, 4.0]],)),
        (repeat_right, ([0.3, -1.2],)),
        (repeat_left, ((0.3, -1.2),)),
        (add_first_two, ([[0.3, -1.2], [2.1, 0.7]],)),
    ],
)
def test_against_finite_differences(f, args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- array code keeps its rules -------------------------------------------------------------------


def test_array_code_does_not_dispatch():
    def f(x, y, w):
        h = x + y * w
        for _ in range(2):
            h = h * w + x[0]
        return np.sum(h * h) + w

    x = np.array([1.0, 2.0])
    src = srcad.source(f, wrt=(0, 1, 2), args=(x, x, 0.5))
    assert "concat" not in src and "mul_vjp" not in src
    src = srcad.source(f, mode="jvp", wrt=(0, 1, 2), args=(x, x, 0.5))
    assert "concat" not in src


def test_short_list_broadcast_against_an_array():
    def f(a, arr):
        z = [a] + arr  # a + arr
        return np.sum(z * arr)

    def g(xs, arr):
        return np.sum((xs + arr) ** 2)

    ga, garr = srcad.grad(f, wrt=(0, 1))(1.5, np.array([1.0, 2.0, 3.0]))  # was a ValueError
    assert ga == 6.0
    np.testing.assert_array_equal(garr, [3.5, 5.5, 7.5])
    gxs, garr = srcad.grad(g, wrt=(0, 1))([1.0], np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert gxs == [28.0]
    np.testing.assert_array_equal(garr, [[4.0, 6.0], [8.0, 10.0]])
