"""Neighbours of what refuse21 accepts (tests/corpus/users_refuse21.py): rows of a list of lists
bound by one tuple assignment (``gi, gim1 = grid[i], grid[i - 1]``) are rewritten into reads and
writes of ``grid[i]`` only while ``grid[i]`` certainly is the object the name holds.
Must stay refused (Python would see the write through another holder srcad does not rewrite):

- the row also held by another list (``keep = [g[1]]``, ``other.append(gi)``) and read there;
- ``g[1]`` replaced while the name lives, the index rebound (``i = i + 1``), an index reading a
  name the same assignment binds (``i, gi = i + 1, g[i]``: the old `i`);
- the name read before its binding in a loop (the previous round's row).

The refusal of a row read through a name that is not rewritten names what the source reads
(``gip1``), not the comprehension that made the rows (it said "an element of `acc`")."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.7, 1.1, -0.4])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def same_row(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gj = g[1], g[1]
    gi[0] = gi[0] * x[0]
    return gj[0] + g[1][0]


def swapped(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gk = g[1], g[0]
    gi, gk = gk, gi
    gi[0] = gi[0] * x[0]
    return g[0][0] + g[1][0] + gk[0]


def sor_rows(x):
    n = 4
    grid = [[x[(i + j) % 4] for j in range(n)] for i in range(n)]
    for _ in range(2):
        for i in range(1, n - 1):
            gi, gim1, gip1 = grid[i], grid[i - 1], grid[i + 1]
            for j in range(1, n - 1):
                gi[j] = 0.25 * (gim1[j] + gip1[j] + gi[j - 1] + gi[j + 1]) * x[1]
    return sum(sum(v * v for v in row) for row in grid)


@pytest.mark.parametrize("f", [same_row, swapped, sor_rows])
def test_tuple_bound_rows_accepted(f):
    np.testing.assert_allclose(srcad.grad(f)(X), _fd(f, X), rtol=1e-6, atol=1e-8)


def kept(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    keep = [g[1]]
    gi, gk = g[1], g[0]
    gi[0] = gi[0] * x[0]
    return keep[0][0] + gk[1]


def appended(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    other = []
    gi, gk = g[1], g[0]
    other.append(gi)
    gi[0] = gi[0] * x[0]
    return other[0][0] + gk[0]


def replaced(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gk = g[1], g[0]
    r = g[1]
    g[1] = [x[1], x[1]]
    gi[0] = gi[0] * x[0]
    return r[0] + gk[0]


def index_changed(x):
    g = [[x[0], x[1]], [x[2], x[3]], [x[0], x[3]]]
    s = 0.0
    for i in range(2):
        gi, gk = g[i], g[i + 1]
        i = i + 1
        gi[0] = gi[0] * x[1]
        s += gk[0] + g[i][0]
    return s + g[0][0]


def index_bound_too(x):
    g = [[x[0], x[1]], [x[2], x[3]], [x[0], x[3]]]
    s = 0.0
    for i in range(2):
        i, gi = i + 1, g[i]
        gi[0] = gi[0] * x[1]
        s += g[i][0] + gi[0]
    return s + g[0][0] + g[1][0]


def read_before_binding(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    s = 0.0
    gi = g[0]
    for _ in range(2):
        s += gi[0]
        gi, gk = g[1], g[0]
        gi[0] = gi[0] * x[0] + gk[0]
    return s


@pytest.mark.parametrize(
    "f",
    [read_before_binding],  # (kept, appended, ...: right since nbody43, test_nbody43.py)
)
def test_rows_held_elsewhere_refused(f):
    with pytest.raises(srcad.SrcadError, match="read after the object it shares"):
        srcad.grad(f)(X)


def unstable_index(x):
    grid = [[x[(i + j) % 4] for j in range(4)] for i in range(4)]
    for i in range(1, 3):
        k = 0
        gi, gip1 = grid[i], grid[i + k + 1]  # `k` is no loop variable: not rewritten
        k = 1
        for j in range(1, 3):
            gi[j] = 0.5 * (gip1[j] + gi[j - 1])
    return sum(sum(v * v for v in row) for row in grid)


def test_refusal_names_the_source_read():
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(unstable_index)(X)
    assert "an element of `gip1`" in str(e.value)
    assert "`acc`" not in str(e.value)


# -- helpers updating a caller's list of lists (rows, swaps) --------------------------------------


def _scale_swap(a, c):
    for i in range(len(a)):
        for j in range(len(a[i])):
            a[i][j] *= c
    a[0], a[1] = a[1], a[0]


def _eliminate(a):
    n = len(a)
    for j in range(n):
        for ii in range(j + 1, n):
            aii, aj = a[ii], a[j]
            f = aii[j] / aj[j]
            for jj in range(j, n):
                aii[jj] -= f * aj[jj]


def helper_rows(x):
    a = [[x[0] + 3.0, x[1]], [x[2], x[3] + 3.0]]
    _scale_swap(a, x[0])
    _eliminate(a)
    return a[1][1] * a[0][0] + a[0][1]


def swapped_rows(x):
    a = [[x[0], x[1]], [x[2], x[3]]]
    t = a[0]
    a[0] = a[1]
    a[1] = t
    a[0][0] = 2.0 * a[0][0]
    a[1], a[0] = a[0], a[1]
    a[1][1] *= x[2]
    return a[0][0] + 2 * a[1][0] + a[1][1]


@pytest.mark.parametrize("f", [helper_rows, swapped_rows])
def test_helper_rows_and_swaps_accepted(f):
    np.testing.assert_allclose(srcad.grad(f)(X), _fd(f, X), rtol=1e-6, atol=1e-8)


def row_held_over_call(x):
    a = [[x[0], x[1]], [x[2], x[3]]]
    r = a[0]
    _scale_swap(a, x[0])
    return a[0][0] * a[1][1] + r[0]


def inner_list_held(x):
    y = [x[0], x[1]]
    a = [y, [x[2], x[3]]]
    _scale_swap(a, x[1])
    return a[0][0] + y[0]


def duplicated_row(x):
    a = [[x[0], x[1]], [x[2], x[3]]]
    a[0] = a[1]
    a[0][0] = 2.0 * a[0][0]
    return a[0][0] + 2 * a[1][0]


def not_a_swap(x):
    a = [[x[0], x[1]], [x[2], x[3]]]
    a[0], a[1] = a[1], a[1]
    a[0][0] = 2.0 * a[0][0]
    return a[0][0] + 2 * a[1][0]


def second_read_after_write(x):
    a = [[x[0], x[1]], [x[2], x[3]]]
    a[0] = a[1]
    a[1] = a[0]  # (the new item: both slots hold one row)
    a[0][0] = 2.0 * a[0][0]
    return a[0][0] + 2 * a[1][0]


def _two(a, b):
    r = a[0]
    b[0] = [9.0, 9.0]
    r[0] = r[0] * 2.0


def one_object_two_params(x):
    m = [[x[0], x[1]], [x[2], x[3]]]
    o = m
    _two(m, o)
    return m[0][0] + m[1][0]


def _keep(a, out):
    r = a[1]
    out.append(r)
    r[0] = r[0] * 2.0


def row_appended_by_helper(x):
    m = [[x[0], x[1]], [x[2], x[3]]]
    out = []
    _keep(m, out)
    return out[0][0] + m[1][0]


# row_held_over_call, inner_list_held, duplicated_row, not_a_swap, second_read_after_write,
# one_object_two_params, row_appended_by_helper: refused until nbody43, right since
# (lower/listobjs.py; checked in tests/soundness/test_nbody43.py)


def _two_rows(a, b):
    r = a[0]
    r[0] = r[0] * 2.0
    b[0] = [9.0, r[1]]  # (may be `a`'s item: the row name is not rewritten past it)
    r[1] = r[1] * 3.0


def two_params(x):
    m = [[x[0], x[1]], [x[2], x[3]]]
    o = [[x[1], x[1]], [x[0], x[3]]]
    _two_rows(m, o)
    return m[0][0] + m[0][1] + o[0][1] * m[1][0]


def same_object_two_params(x):
    m = [[x[0], x[1]], [x[2], x[3]]]
    o = m
    _two_rows(m, o)
    return m[0][0] + m[0][1] + m[1][0]


@pytest.mark.parametrize("f", [two_params, same_object_two_params])
def test_write_through_another_parameter_right_or_refused(f):
    try:
        g = srcad.grad(f)(X)
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, _fd(f, X), rtol=1e-6, atol=1e-8)


# -- items of a list of ints are ints ----------------------------------------------------------


def pivot_indexes(x):
    pivot = [0] * 3
    for j in range(3):
        pivot[j] = 2 - j
    b = [1.0 + x[0], 2.0 * x[1], -1.0]
    for i in range(3):
        p = pivot[i]
        b[i], b[p] = b[p], b[i]
    return b[0] * b[1] + b[2] * x[2]


def test_int_list_items_index_a_swap():
    f = pivot_indexes
    np.testing.assert_allclose(srcad.grad(f)(X), _fd(f, X), rtol=1e-6, atol=1e-8)


def slice_written(x):
    pivot = [0] * 3
    pivot[0:2] = [[1], [0]]  # (not an int item: lists)
    b = [[x[0]], [x[1]], [x[2]]]
    p = pivot[0]
    r = b[1]
    b[p][0] = b[p][0] * 2.0  # `p` is `[1]`: a TypeError in Python, never an int index
    return r[0]


def test_int_list_slice_write_not_an_int():
    with pytest.raises((srcad.SrcadError, TypeError)):
        srcad.grad(slice_written)(X)


# -- n-body's refusal says why a product may share an object ---------------------------------------


def test_product_read_after_update_says_why():
    from tests.corpus.ported_corp11_bench import XB, bench_nbody

    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(bench_nbody)(XB)
    text = str(e.value)
    assert "`b2m` is read after the object it shares with another name is modified" in text
    assert "`b2m` is computed by `*`, whose operands srcad cannot tell are numbers" in text
