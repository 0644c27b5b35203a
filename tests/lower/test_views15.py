"""Neighbours of the writes through second names that lower/viewwrites.py rewrites since
refuse15 (tests/corpus/users_refuse15.py holds the accepted forms): each is right (primal,
argument effects, derivatives to second order) or refused, never wrong.

- a number argument or value aliased then updated with ``op=`` rebinds only the name updated
  (``t = x; t += 1.0``), so it is not rewritten (`_Rewriter.rebinds`);
- the items of a 1-D argument are numbers: ``for v in x: v += 1.0`` is no row loop;
- a list argument's slice is a copy: ``v = xs[1:]; v[0] = 5.0`` leaves ``xs`` unchanged;
- ``a, b = b, a`` swaps, and a view bound with a name of the same tuple assignment
  (``a, r = ..., a[1:]``) reads the array before the assignment;
- ``t = d; t.fill(c)`` of a dict raises AttributeError in Python: refused when it runs;
- a matrix product of two 1-D arrays is a number (``t = v @ w; t += 1.0``).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.lower.rightref import right_or_refused

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X3 = np.array([0.31, -0.72, 1.13])
G1 = np.array([0.3, -1.2, 0.8])


def number_alias(x):
    t = x
    t += 1.0
    return x * t


def number_base_updated(x):
    t = x
    x += 1.0
    return x * t


def array_alias_updated_op(x):
    t = x
    t *= 2.0
    return np.sum(x**2) + np.sum(t)


def one_d_items(x):
    s = 0.0
    for v in x:
        v += 1.0
        s = s + v * v
    return s + np.sum(x)


def list_slice_copy(xs):
    v = xs[1:]
    v[0] = 5.0
    return xs[0] + xs[1] * v[0]


def swapped(x):
    a = np.sin(x) * 1.0
    b = np.cos(x) * 1.0
    a, b = b, a
    r = a[1:]
    r *= 2.0
    return np.sum(a) + np.sum(b)


def tuple_view_reads_before(x):
    a = np.outer(x, x) + 1.0
    a2, r = np.cos(x) * 1.0, a[1]
    r *= 2.0
    return np.sum(a) + np.sum(a2) + np.sum(r)


def dict_fill(d):
    t = d
    t.fill(1.0)
    return t["a"]


def vector_dot_number(x):
    a = G1 @ np.sin(x)
    t = a
    t += 1.0
    return a * t


def argument_rows(m):
    for r in m:
        r[1:] = r[:2] * 0.5
    return np.sum(m**2)


def float_alias_item_write_not_run(x):
    t = x
    if x > 5.0:
        t[0] = 1.0
    t += 1.0
    return x * t


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (number_alias, (0.7,)),
        (number_base_updated, (0.7,)),
        (float_alias_item_write_not_run, (0.7,)),
        (array_alias_updated_op, (X3,)),
        (one_d_items, (X3,)),
        (list_slice_copy, ([0.3, -0.4, 0.9],)),
        (swapped, (X3,)),
        (tuple_view_reads_before, (X3,)),
        (dict_fill, ({"a": 0.5},)),
        (vector_dot_number, (X3,)),
        (argument_rows, (np.array([[0.3, 0.5, 0.7], [0.1, 0.2, 0.4]]),)),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_right_or_refused(f, args) -> None:
    right_or_refused(f, args, grads_of=(float, np.ndarray))


def test_numbers_keep_their_semantics() -> None:
    # accepted before refuse15 and still (no rewrite of a float's alias)
    assert srcad.primal(number_alias)(0.7) == pytest.approx(0.7 * 1.7)
    assert srcad.grad(number_base_updated)(0.7) == pytest.approx(1.7 + 0.7)


def test_dict_fill_refused_when_it_runs() -> None:
    with pytest.raises(srcad.SrcadError, match="not a NumPy array"):
        srcad.primal(dict_fill)({"a": 0.5})
