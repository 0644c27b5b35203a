"""Neighbours of the forms refuse17 accepts (tests/corpus/users_refuse17.py): each is right
(primal, argument effects, derivatives to second order) or refused, never wrong.

Objects whose class defines ``__iter__`` (lower/objiter.py lists them where they are taken
whole, unpacked, enumerated or constructed in the ``for`` line):
- a loop over ``enumerate(obj)`` / ``obj`` whose body writes what ``__iter__`` reads (Python's
  iterator sees the write, the items are listed first): refused;
- such a loop that may leave early (``break``) over a generator ``__iter__``: refused;
- the list the object iterates, written between the object's making and ``sum(obj)``;
- a comprehension over ``C(xs)`` that appends to ``xs``: refused;
- ``dict(obj)`` of a class that also defines ``keys`` (``dict`` reads it by its keys);
- ``zip(obj, xs)``: refused (a generator zip consumes lazily);
- a user-class argument taken by ``sum``: refused when it runs.

A helper updating its parameter with ``op=``, given a reduction's value (a NumPy scalar when it
reduces every axis of a float array): an array passed and read after (``h(y)``), a reduction
over one axis, with ``keepdims``, of a user object's ``.sum()`` or a list of arrays: right or
refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.lower.rightref import right_or_refused

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X4 = np.array([0.35, -0.6, 0.9, 1.2])


class Bag:
    def __init__(self, vals):
        self.vals = vals

    def __iter__(self):
        return iter(self.vals)


class Doubled:
    def __init__(self, x):
        self.x = x

    def __iter__(self):
        for v in self.x:
            yield v * 2.0


class Table:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __iter__(self):
        yield "a", self.a

    def keys(self):
        return ["a", "b"]

    def __getitem__(self, k):
        return self.a if k == "a" else self.b * 3.0


def enumerate_written(x):
    b = Bag([x[0], x[1], x[2]])
    t = 0.0
    for i, v in enumerate(b):
        if i + 1 < 3:
            b.vals[i + 1] = v * 3.0
        t = t + v * v
    return t


def loop_written(x):
    b = Bag([x[0], x[1], x[2]])
    t = 0.0
    for v in b:
        b.vals[2] = v * 3.0
        t = t + v * v
    return t


def enumerate_break(x):
    t = 0.0
    for i, v in enumerate(Doubled(x[:3])):
        if v > 0.5:
            break
        t = t + v * i
    return t + x[3]


def enumerate_source_written(x):
    xs = [x[0], x[1], x[2]]
    t = 0.0
    for i, v in enumerate(Doubled(xs)):
        if i + 1 < 3:
            xs[i + 1] = v * 0.5
        t = t + v * v
    return t


def source_written_before_sum(x):
    xs = [x[0], x[1], x[2]]
    g = Doubled(xs)
    xs[0] = x[3]
    return sum(g)


def comprehension_appends(x):
    xs = [x[0], x[1], x[2]]
    out = [xs.append(v) or v for v in Doubled(xs[:2])]
    return sum(out) + sum(xs)


def dict_of_keyed(x):
    d = dict(Table(x[0], x[1]))
    return d["a"] * d["b"]


def zipped(x):
    return sum(u * v for u, v in zip(Doubled(x[:3]), x[1:]))


def sum_then_append(x):
    b = Bag([x[0], x[1]])
    s = sum(b)
    b.vals.append(x[2])
    return s * sum(b)


def shifted(v):
    v -= 0.3
    return v * 2.0


class Holder:
    def __init__(self, a):
        self.a = a

    def sum(self):
        return self.a


def array_passed_then_read(x):
    y = x * 2.0
    return np.sum(shifted(y)) + np.sum(y)


def axis_reduction(x):
    m = np.outer(x, x)
    s = m.sum(axis=0)
    return np.sum(shifted(s)) + np.sum(s)


def keepdims_reduction(x):
    s = np.sum(x, keepdims=True)
    return np.sum(shifted(s)) + np.sum(s)


def object_sum(x):
    h = Holder(x * 1.0)
    s = h.sum()
    return np.sum(shifted(s)) + np.sum(h.a)


def list_reduction(x):
    rows = [x, x * 2.0]
    s = np.sum(rows)
    return shifted(s) + s


@pytest.mark.parametrize(
    "f",
    [
        array_passed_then_read,
        axis_reduction,
        keepdims_reduction,
        object_sum,
        list_reduction,
        enumerate_written,
        loop_written,
        enumerate_break,
        enumerate_source_written,
        source_written_before_sum,
        comprehension_appends,
        dict_of_keyed,
        zipped,
        sum_then_append,
    ],
    ids=lambda f: f.__name__,
)
def test_right_or_refused(f) -> None:
    right_or_refused(f, (X4,))


def test_writes_while_iterating_refused() -> None:
    for f in (enumerate_written, enumerate_break, enumerate_source_written):
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(X4.copy())


def test_user_iterable_argument_refused_when_it_runs() -> None:
    def total(c, y):
        return sum(c) * y

    with pytest.raises(srcad.SrcadError, match="__iter__"):
        srcad.grad(total, wrt=(0, 1))(Doubled(np.array([0.3, -0.5])), 1.5)
