"""Neighbours of the loops over rows whose body writes into the iterated array that
lower/viewwrites.py runs over positions since refuse16 (lower/rowloops.py;
tests/corpus/users_refuse16.py holds the accepted forms): each is right (primal, argument
effects, derivatives to second order) or refused, never wrong.

- the items of a 1-D array are numbers read when the round starts (lower/loopsource.py);
- ``A`` rebound in the body: Python goes on over the first array;
- a row kept in a list after the loop, then the array written: the list's row is a view;
- an argument written with a tuple index only in a branch not taken: a 1-D argument is
  refused when the loop starts (assertion of two dimensions), a 2-D one right;
- a dict with tuple keys iterated and written: refused when the loop starts;
- a list argument of rows (``m[0][1] = v``: no tuple index into the list itself);
- ``r.fill(v)`` through a view with an array `v`: NumPy raises, srcad refuses when it runs;
- ``np.exp(x, out=r)`` into a view held in a name: refused (srcad writes ``out=`` into names);
- ``np.multiply(a, 2.5, out=a)`` of an integer array seen through an alias: raises as NumPy;
- ``out=`` of a user function: not NumPy's, refused or right;
- ``math.prod`` of arrays is an array: ``p *= 2.0`` changes the list holding it;
- a nested ``def`` writing a global that the helper calls: refused (a helper's global write);
- an argument rebound to a new array after a statement read it, or in a branch, or to a value
  that may be a number: no base (the argument's views before would be taken for the new
  array's): refused or right.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.lower.rightref import right_or_refused

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X3 = np.array([0.31, -0.72, 1.13])
M23 = np.array([[0.5, -0.4, 1.1], [0.9, 0.2, -0.6]])


def items_1d(x):
    a = np.sin(x) * 1.0
    s = 0.0
    for v in a:
        a[2] = a[2] * v + 1.0
        s = s + v * v
    return s + np.sum(a)


def base_rebound_in_body(x):
    b = np.outer(x, x) + 1.0
    s = 0.0
    for r in b:
        b[0, 0] = s
        s = s + np.sum(r)
        b = b * 1.0
    return s + np.sum(b)


def row_kept_in_list(x):
    b = np.outer(x, x) + 1.0
    keep = []
    for r in b:
        b[-1, -1] += 1.0
        keep.append(r)
    b[0, 0] = 7.0
    return np.sum(keep[0] * x) + np.sum(keep[2])


def tuple_write_not_taken(m, x):
    s = 0.0
    for r in m:
        if s > 100.0:
            m[0, 1] = 1.0
        s = s + np.sum(r * x)
    return s


def dict_tuple_keys(d, x):
    s = 0.0
    for k in d:
        d[0, 1] = x[0] * 2.0
        s = s + np.sum(d[k] * x) + len(k)
    return s


def list_of_rows(m, x):
    s = 0.0
    for r in m:
        m[0][1] = x[0]
        s = s + np.sum(r * x)
    return s


def fill_row_with_array(x):
    a = np.zeros((2, 3))
    r = a[1]
    r.fill(x)
    return np.sum(a * x)


def out_into_row_view(x):
    a = np.zeros((2, 3))
    r = a[1]
    np.exp(x, out=r)
    return np.sum(a * x)


def out_int_alias(x):
    a = np.arange(3)
    b = a
    np.multiply(a, 2.5, out=a)
    return np.sum(b * x)


def _scale(v, out=None):
    return v * 2.0


def out_of_user_function(x):
    c = np.zeros(3)
    _scale(x, out=c)
    return np.sum(c * x)


def prod_of_arrays(x):
    p = math.prod([x, x * 2.0])
    kept = [p]
    p *= 2.0
    return np.sum(kept[0])


GW = np.array([0.3, -1.2, 0.8])


def _helper_calls_def(m):
    def writes(t):
        GW[1] = t * 2.0
        return t

    return np.sum(m**2) + writes(m[0, 0])


def live_def_in_helper(x):
    return _helper_calls_def(np.stack([x, x * 2.0])) * x[1]


def argument_read_then_rebound(x):
    y = x[0]
    x = np.outer(x, x)
    r = x[1]
    r *= 3.0
    return np.sum(x) + y


def argument_rebound_in_branch(x):
    if x[0] > 0.0:
        x = np.outer(x, x)
    t = x
    x[0] = 1.5
    return np.sum(t * t)


def argument_rebound_maybe_number(x, s):
    x = s - (x + s)
    t = x.reshape(-1)
    t[0] -= 2.0
    return np.sum(x * x)


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (items_1d, (X3,)),
        (base_rebound_in_body, (X3,)),
        (row_kept_in_list, (X3,)),
        (tuple_write_not_taken, (M23, X3)),
        (tuple_write_not_taken, (np.array([0.2, 0.4, -0.3]), X3)),
        (dict_tuple_keys, ({(0, 1): X3 * 1.0, (1, 2): X3 * 2.0}, X3)),
        (list_of_rows, ([X3 * 1.0, X3 * 2.0], X3)),
        (fill_row_with_array, (X3,)),
        (out_into_row_view, (X3,)),
        (out_int_alias, (X3,)),
        (out_of_user_function, (X3,)),
        (prod_of_arrays, (X3,)),
        (argument_read_then_rebound, (X3,)),
        (argument_rebound_in_branch, (X3,)),
        (argument_rebound_in_branch, (-X3,)),
        (argument_rebound_maybe_number, (X3, 0.5)),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_right_or_refused(f, args) -> None:
    right_or_refused(f, args)


def test_one_d_argument_refused_when_the_loop_starts() -> None:
    with pytest.raises(srcad.SrcadError, match="2 or more dimensions"):
        srcad.primal(tuple_write_not_taken)(np.array([0.2, 0.4, -0.3]), X3)


def test_two_d_rows_accepted() -> None:
    # refused before refuse16 ("`r` is read after the object it shares ... is modified")
    check_grads(tuple_write_not_taken, (M23.copy(), X3.copy()), modes=("fwd", "rev"), order=2)
    check_grads(items_1d, (X3.copy(),), modes=("fwd", "rev"), order=2)


def test_fill_of_array_refused_when_it_runs() -> None:
    with pytest.raises(srcad.SrcadError, match="value with dimensions"):
        srcad.primal(fill_row_with_array)(X3.copy())


def test_helper_writing_a_global_through_a_called_def_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="GW"):
        srcad.grad(live_def_in_helper)(X3.copy())
