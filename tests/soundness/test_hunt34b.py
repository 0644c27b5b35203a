"""Soundness fixes of session 34's hunt34b: Python idioms and control flow as users write them.
Input: small functions over one 1-D array; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give.

- A ``zip``/``enumerate`` made from an array, or a generator expression handed to a helper,
  then the array updated in place by a helper (``normalize(ys)``) before the items were read:
  srcad computed the items where the iterator was written, Python reads the updated array.
  The check of later statements (lower/closures.check_later) did not see a helper's update of
  its argument (no assignment is written): wrong values, now refused.
- ``enumerate(xs)`` and ``reversed(xs)`` as values (bound to a name, an argument of ``zip``,
  ``dict`` or another ``enumerate``) stayed runtime calls with no derivative rule: refused when
  differentiated. They are now the generator expression they equal, as ``zip`` already was.
- Rebinding a name only the first iterable of such an iterator read (``z = zip(x * k, w)`` in
  a loop over ``k``) was refused, although Python evaluated it when the iterator was made.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, -0.7, 1.2, 0.5])
W = [1.0, 2.0, 3.0, 4.0]

# -- an iterator made, then its array updated by a helper before it is read ----------------------


def _bump(a):
    a[1] = 5.0


def _ident(g):
    return g


def zip_then_helper_update(x):
    ys = x * 1.0
    z = zip(ys, W)
    _bump(ys)
    return sum(a * b for a, b in z)


def enumerate_then_helper_update(x):
    ys = x * 1.0
    e = enumerate(ys)
    _bump(ys)
    return sum(i * v for i, v in e)


def genexpr_to_helper_then_update(x):
    ys = x * 2
    t = _ident(v * 2 for v in ys)
    _bump(ys)
    return sum(t)


def genexpr_reads_updated_later(x):
    ys = x * 2
    t = _ident(ys[1] * v for v in x)
    _bump(ys)
    return sum(t)


@pytest.mark.parametrize(
    "f",
    [
        zip_then_helper_update,
        enumerate_then_helper_update,
        genexpr_to_helper_then_update,
        genexpr_reads_updated_later,
    ],
)
def test_iterator_read_after_helper_update_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="rebound or updated by a later statement"):
        srcad.primal(f)(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


# -- enumerate / reversed as values ---------------------------------------------------------------


def zip_of_enumerate(x):
    s = 0.0
    for (i, v), w in zip(enumerate(x), W):
        s = s + v * w * (i + 1)
    return s


def zip_of_enumerate_start(x):
    return sum(i * a * b for (i, a), b in zip(enumerate(x, start=1), W, strict=True))


def enumerate_bound(x):
    e = enumerate(x, 1)
    s = 0.0
    for i, v in e:
        s = s + i * v**2
    return s


def reversed_bound(x):
    r = reversed(x)
    s = 0.0
    for k, v in enumerate(r):
        s = s * 0.5 + v * np.sin(v) * k
    return s


def dict_of_enumerate(x):
    d = dict(enumerate(x))
    return d[0] * d[3] + d[1] ** 2


def enumerate_of_enumerate(x):
    return sum(i * j * v**2 for i, (j, v) in enumerate(enumerate(x, 1)))


def enumerate_of_dict_values(x):
    d = {"a": x[0], "b": x[1]}
    return sum(i * v * w for (i, v), w in zip(enumerate(d.values()), [2.0, 3.0]))


# -- names only the first iterable read, rebound later ---------------------------------------------


def zip_made_in_loop(x):
    s = 0.0
    for k in range(2):
        z = zip(x * (k + 1), W)
        s = s + sum(v * v * w for v, w in z)
    return s


def reversed_made_in_loop(x):
    s = 0.0
    for k in range(2):
        r = reversed(x * (k + 1))
        s = s + sum(v * v * i for i, v in enumerate(r))
    return s


def enumerate_source_rebound(x):
    y = x
    e = enumerate(y)
    y = x * 2
    return sum(i * v**2 for i, v in e) + y[0]


def genexpr_source_rebound(x):
    ys = x * 2
    t = _ident(v * v for v in ys)
    ys = x**2
    return sum(t) + ys[0]


@pytest.mark.parametrize(
    "f",
    [
        zip_of_enumerate,
        zip_of_enumerate_start,
        enumerate_bound,
        reversed_bound,
        dict_of_enumerate,
        enumerate_of_enumerate,
        enumerate_of_dict_values,
        zip_made_in_loop,
        reversed_made_in_loop,
        enumerate_source_rebound,
        genexpr_source_rebound,
    ],
)
def test_iterator_values(f) -> None:
    check_scalar(f, X.copy())


# -- what stays refused: the object the iterator holds changed before it is read -----------------


def enumerate_source_updated(x):
    y = x.copy()
    e = enumerate(y)
    y[1] = 5.0
    return sum(i * v for i, v in e)


def enumerate_alias_updated(x):
    ys = x * 1.0
    zs = ys
    e = enumerate(ys)
    zs[1] = 5.0
    return sum(i * v for i, v in e)


def enumerate_source_iadd(x):
    ys = x * 1.0
    e = enumerate(ys)
    ys += 1.0
    return sum(i * v for i, v in e)


def reversed_list_appended(x):
    lst = [x[0], x[1]]
    r = reversed(lst)
    lst.append(x[2])
    return sum(r)


def enumerate_copyto(x):
    ys = x * 1.0
    e = enumerate(ys)
    np.copyto(ys, x**2)
    return sum(i * v for i, v in e)


def enumerate_read_twice(x):
    e = enumerate(x)
    a = sum(i * v for i, v in e)
    b = sum(i * v for i, v in e)
    return a + 10 * b


@pytest.mark.parametrize(
    "f",
    [
        enumerate_source_updated,
        enumerate_alias_updated,
        enumerate_source_iadd,
        reversed_list_appended,
        enumerate_copyto,
        enumerate_read_twice,
    ],
)
def test_changed_iterator_source_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.primal(f)(X.copy())
