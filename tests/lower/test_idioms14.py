"""Idioms users write that srcad refused before session 14: a ``:=`` in a comprehension binding a
name read only there (lower/closures.comprehension_writes); ``.fill(c)`` of a view expression
(``u[1:].fill(c)``, ``u.T[1].fill(c)``) or of a name bound to a view, then reading the base, for
bases made by arithmetic with a number (``x * 2.0``: asserted an ndarray when it runs) or by
``np.array(np.tile(...))`` (lower/viewfacts.py, viewwrites.sub_fill). Each is checked against
plain Python, central finite differences and the dot-product test, at first and second order;
the forms that stay refused are refused."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X4 = np.array([0.3, 1.2, -0.7, 0.9])


def walrus_filter(x):
    return sum(w for v in x if (w := math.exp(v)) > 1.0)


def walrus_in_element(x):
    return np.sum([(y := v * v) + y * 0.5 for v in x])


def walrus_then_len(x):
    ys = [z * 2.0 for v in x if (z := np.sin(v)) > -0.5]
    return sum(ys) * len(ys)


def walrus_in_loop(x):
    total = 0.0
    for k in range(2):
        total = total + sum(t for v in x if (t := v * (k + 1.0)) < 2.0)
    return total


def walrus_dict(x):
    d = {i: q for i, v in enumerate(x) if (q := v**2) > 0.1}
    return sum(d.values())


def fill_slice(x):
    u = x * 2.0
    u[1:].fill(0.25)
    return np.sum(u * x)


def fill_slice_in_loop(x):
    u = x * 2.0
    k = 0
    while k < 2:
        u[1:].fill(0.25)
        u[0] += k
        k += 1
    return np.sum(u * x)


def fill_column(x):
    u = np.outer(x, x)
    u[1:, 2].fill(-0.5)
    u.T[1].fill(1.5)
    u.reshape(-1)[::3].fill(0.5)
    return np.sum(u * u)


def fill_row_of_tiled(x):
    u = np.array(np.tile(x, (2, 1)))
    w = u[-1]
    w.fill(0.3)
    u[1, 1:] *= x[0]
    return np.sum(np.sin(u)) + np.mean(np.exp(np.sin(w)))


def fill_through_name(x):
    u = x * 2.0
    t = u[1:]
    t.fill(0.25)
    return np.sum(u * x) + np.sum(t)


def read_view_after_write(x):
    y = x * 2.0
    r = y[1:]
    y[1] = 7.0
    return np.sum(r * x[1:])


CASES = [walrus_filter, walrus_in_element, walrus_then_len, walrus_in_loop, walrus_dict,
         fill_slice, fill_slice_in_loop, fill_column, fill_row_of_tiled, fill_through_name,
         read_view_after_write]  # fmt: skip


@pytest.mark.parametrize("f", CASES)
def test_accepted(f):
    assert srcad.primal(f)(X4.copy()) == pytest.approx(f(X4.copy()), rel=1e-14)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"))
    check_grads(f, (X4.copy(),), order=2)


def walrus_read_after(x):
    s = sum(w for v in x if (w := v * 2.0) > 0)
    return s * w  # Python: the last `w`, or UnboundLocalError when no item is taken


def test_read_after():
    # accepted since refuse31 (tests/soundness/test_refuse31.py): the last `w`
    assert srcad.primal(walrus_read_after)(X4.copy()) == pytest.approx(walrus_read_after(X4.copy()))
    check_grads(walrus_read_after, (X4.copy(),), modes=("fwd", "rev"))


def number_row(x):
    y = x * 2.0
    r = y[0]  # a number when `x` is 1-D: its `+=` rebinds it, `y` stays
    r += 1.0
    return np.sum(y) + np.sum(r)


def number_alias(x):
    y = x * 2.0
    z = y  # `x` a float: `y += 1.0` rebinds `y`, `z` keeps the old value
    y += 1.0
    return np.sum(z)


def number_fill(x):
    y = x * 2.0
    r = y[-1]  # a number when `x` is 1-D: its `.fill` changes nothing
    r.fill(0.5)
    return np.sum(y * y)


@pytest.mark.parametrize(
    "f, x", [(number_row, X4), (number_alias, 0.7), (number_fill, X4)]
)  # fmt: skip
def test_numbers_of_arithmetic_bases_still_numbers(f, x):
    # `y = x * 2.0` may be a number: a name bound to it or to its item is not taken as a view
    # where Python's value is a number (these ran before session 14 and still do)
    assert srcad.primal(f)(copy.copy(x)) == pytest.approx(f(copy.copy(x)), rel=1e-14)
    check_grads(f, (copy.copy(x),), modes=("fwd", "rev"))


def list_alias_updated(x):
    y = [x[0], x[1]] * 2  # a list's repetition: never taken as an array base
    z = y
    z[0] = 1.0
    return y[0] * x[1]


GW = np.array([0.3, -1.2, 0.8])


def view_in_branch(x):
    s = 0.0
    if x[0, 0] > 0:
        u = np.array(np.roll(x, -1))
        w = u[-1]  # bound in the branch, never read after it: not joined (lower/deadjoin.py)
        w[...] = -1.0
        s = np.sum(u * x)
    return s


def alias_in_branch(x):
    a = x * 1.5
    if np.tanh(x[0]) < 0.9:
        b = a  # noqa: F841 (dead after the branch)
        a[2] = x[1] * x[1]
    return np.sum(a * x)


def global_updated_in_branch(x):
    # fuzz control seed 20100043: a global array written back at the end (lower/argcopy.py)
    # must stay joined though the source reads it nowhere after the branch (a KeyError before)
    if not x > 0.9:
        GW[1:] += (x * GW)[:2]
    return x * 2.0


def number_alias_in_branch(x):
    # fuzz control seed 20100120: arithmetic of numbers is no array base
    s = 0.1 + (0.1 - 0.9)
    if x[0] < 5.0:
        t = s
        t += max(s, t)
    return x * s


@pytest.mark.parametrize(
    "f, x",
    [(view_in_branch, np.array([[0.3, 1.2], [-0.7, 0.5]])), (alias_in_branch, X4),
     (number_alias_in_branch, X4)],
)  # fmt: skip
def test_names_dead_after_a_branch(f, x):
    assert np.allclose(srcad.primal(f)(x.copy()), f(x.copy()), rtol=1e-14)
    check_grads(f, (x.copy(),), modes=("fwd", "rev"))
    check_grads(f, (x.copy(),), order=2)


def test_global_written_back_after_a_branch():
    before = GW.copy()
    want = global_updated_in_branch(0.5)
    after_python = GW.copy()
    GW[...] = before
    assert srcad.primal(global_updated_in_branch)(0.5) == want
    np.testing.assert_array_equal(GW, after_python)
    GW[...] = before
