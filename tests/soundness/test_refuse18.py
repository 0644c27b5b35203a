"""A helper whose mutation hazards depend on its arguments' types is checked with what its
caller knows of them (ad/callfacts.py: numbers, float arrays of a known rank), as the function
differentiated directly is. Where Python's meaning differs for the types the caller passes, the
call must stay refused:

- ``y[0], y[1] = y[1], y[0]`` of a 2-D array: the rows are views, Python copies row 1 into both;
- ``r = a[0]; a[0] = ...; r`` of a 2-D array: `r` is a view and sees the write;
- ``t = s; s += v`` of an array: `t` is the same array;
- the same helper called with a 1-D array (accepted) and a 2-D one, in one function or in two
  transforms one after the other: the version checked for 1-D arrays is not reused;
- an argument whose rank the caller does not know (an element of a list).

Each refused program is also run by Python to show the difference."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def swap_rows(y):
    y = y * 1.0
    y[0], y[1] = y[1], y[0]
    return np.sum(y * np.arange(1.0, 1.0 + y.size).reshape(y.shape))


def first_then_edit(a):
    r = a[0]
    a[0] = a[1] * 2.0
    return np.sum(r) + np.sum(a)


def product_of_update(s, v):
    t = s
    s += v
    return np.sum(t * s)


def swap_2d(z):
    return swap_rows(z.reshape(2, 3))


def swap_1d_and_2d(z):
    return swap_rows(z) + swap_rows(z.reshape(3, 2))


def swap_of_listed(z):
    parts = [z, z * 2.0]
    return swap_rows(parts[1])


def edit_2d(z):
    return first_then_edit(z.reshape(3, 2) * 1.0)


def update_array(z):
    return product_of_update(z[:3] * 1.0, z[3:])


def swap_1d(z):
    return swap_rows(z)


def update_0d(z):  # a 0-d array: `s += v` updates it in place, `t` sees it
    return product_of_update(np.array(z[0]), 1.0) + product_of_update(z[:1].reshape(()), z[1])


# update_array: (accepted since iter41c, checked in tests/regressions/test_iter41c.py: lower/opfork.py)
REFUSED = [swap_2d, swap_1d_and_2d, swap_of_listed, edit_2d, update_0d]


@pytest.mark.parametrize("f", REFUSED, ids=lambda f: f.__name__)
def test_refused_where_python_shares(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X6.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.jvp(f, (X6.copy(),), (np.ones(6),))


def test_python_shares_in_the_refused_programs():
    # (the row swap of a 2-D array does not swap: both rows end as row 1)
    y = np.arange(6.0).reshape(2, 3)
    y[0], y[1] = y[1], y[0]
    assert np.array_equal(y[0], y[1])


def test_accepted_version_not_reused_for_another_rank():
    g = srcad.grad(swap_1d)(X6.copy())
    np.testing.assert_allclose(g, [2.0, 1.0, 3.0, 4.0, 5.0, 6.0])
    with pytest.raises(srcad.SrcadError):
        srcad.grad(swap_2d)(X6.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(swap_1d_and_2d)(X6.copy())


# -- ``p[0] += v`` on a list / dict argument (Spec.numbers) -----------------------------------


def bump_first(p, v):
    p[0] += v
    return p[0] * p[1]


def bump_entry(d, v):
    d["b"] += v
    return d["a"] * d["b"]


def bump_alias(p, v):
    q = p
    p[0] += v
    return q[0] * p[1]


def test_list_of_numbers_updated_as_python():
    p = [0.5, 2.0]
    g = srcad.grad(bump_first, wrt=1)(p, 3.0)
    assert g == pytest.approx(2.0)
    assert p == [3.5, 2.0]  # written back, as Python leaves it
    d = {"a": 2.0, "b": 1.5}
    assert srcad.grad(bump_entry, wrt=1)(d, 0.5) == pytest.approx(2.0)
    assert d == {"a": 2.0, "b": 2.0}


@pytest.mark.parametrize(
    "p",
    [
        [np.array([0.5, 1.0]), np.array([2.0, 3.0])],  # the arrays updated in place
        [0.5, np.array([2.0, 3.0])],
        [[0.5], 2.0],
    ],
    ids=["arrays", "mixed", "nested"],
)
def test_list_holding_objects_stays_refused(p):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(bump_first, wrt=1)(p, 3.0)


def test_list_version_not_reused_for_arrays():
    assert srcad.grad(bump_first, wrt=1)([0.5, 2.0], 3.0) == pytest.approx(2.0)
    # (of a list or dict of arrays: lower/argitems.py, tests/regressions/test_idiom44.py)


def test_alias_of_the_list_right_or_refused():
    p = [0.5, 2.0]
    try:
        g = srcad.grad(bump_alias, wrt=1)(p, 3.0)
    except srcad.SrcadError:
        return
    assert g == pytest.approx(2.0)  # q is p: Python reads the updated item
    assert p == [3.5, 2.0]
