"""Soundness fixes of session 27's hunt27: user-style programs that srcad got wrong, crashed on,
or refused. Input: small functions; output: assertions against Python and central differences
(tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad
from tests.lower.test_idioms16 import property_setter_augmented
from tests.soundness.numeric import check_scalar


class Grid:
    def __init__(self, n):
        self.data = np.zeros((n, n))

    def __setitem__(self, ij, v):
        self.data[ij] = v

    def __getitem__(self, ij):
        return self.data[ij]


class NoSet:
    def __init__(self, n):
        self.data = np.zeros((n, n))

    def __getitem__(self, ij):
        return self.data[ij]


class LoudGrid(Grid):
    def __init__(self, n):
        print("made", n)
        self.data = np.zeros((n, n))


class DoubledList(list):
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 2)


class Missing(dict):
    def __missing__(self, k):
        return 0.5


def grid_writes(x):
    g = Grid(2)
    g[0, 0] = x[0]
    g[1] = x * 2
    g[0, 1] += x[1] * g[0, 0]
    return np.sum(g.data**2)


def grid_loop(x):
    g = Grid(2)
    for i in range(2):
        g[i, i] = x[i] ** 2
        g[i, 1 - i] = g[i, i] * x[1 - i]
    return np.sum(g.data**2)


def grid_nested(x):
    g = Grid(2)
    g[0][1] = x[0]
    return np.sum(g.data**2)


def noset_write(x):
    g = NoSet(2)
    g[0, 1] = x[0]
    return np.sum(g.data**2)


def loud_write(x):
    g = LoudGrid(2)
    g[0, 0] = x[0]
    return np.sum(g.data**2)


def doubled_list(x):
    lst = DoubledList([0.0, 0.0])
    lst[0] = x[0] ** 2
    return lst[0] * 3


def dict_missing(x):
    d = Missing()
    d["a"] = x[0]
    return d["a"] * d["b"] + x[1]


def user_dict(x):
    d = collections.UserDict()
    d["a"] = x[0]
    d["b"] = x[1] ** 2
    return d["a"] * d["b"]


X2 = np.array([0.3, 0.5])


@pytest.mark.parametrize("f", [grid_writes, grid_loop])
def test_object_setitem_inlined(f):
    """`obj[k] = v` of an object built here runs its class's `__setitem__` (crashed before:
    the object was made at run time and copied by `.copy()`, which it has not)."""
    check_scalar(f, X2)


@pytest.mark.parametrize(
    "f, match",
    [
        (grid_nested, "item of an item"),
        (noset_write, "no `__setitem__`"),
        (loud_write, "defines `__setitem__` in Python"),
        (doubled_list, "defines `__setitem__` in Python"),
        (dict_missing, "defines `__missing__` in Python"),
        (user_dict, "defines `__setitem__` in Python"),
    ],
)
def test_object_setitem_refused(f, match, capsys):
    """Item writes Python would route through a class's own `__setitem__` that srcad cannot
    inline: refused (before: an AttributeError, or for a list subclass a wrong derivative,
    the override skipped: d/dx0 of 3 * (2 * x0**2) given as 6 * x0; a KeyError for a dict
    subclass's `__missing__`, an IndexError in getitem_vjp for a `UserDict`)."""
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X2.copy())


class Temp:
    def __init__(self, k):
        self._k = k

    @property
    def celsius(self):
        return self._k - 273.15

    @celsius.setter
    def celsius(self, c):
        self._k = c + 273.15


class Body:
    def __init__(self, p):
        self._p = p * 1.0

    @property
    def pos(self):
        return self._p

    @pos.setter
    def pos(self, v):
        self._p = v * 1.0


def temp_aug(x):
    t = Temp(x[0] + 300.0)
    t.celsius = t.celsius * 2
    t.celsius += x[1] ** 2
    return t._k**2 * 1e-4


def body_aug(x):
    b = Body(x)
    for _ in range(2):
        b.pos += x**2
    b.pos *= 2.0
    return np.sum(b.pos**2)


def body_aug_alias(x):
    b = Body(x)
    old = b.pos
    b.pos += 1.0  # `old` is `b._p`, updated in place by `+=` before the setter runs
    return np.sum(old * b.pos)


@pytest.mark.parametrize("f", [temp_aug, body_aug, property_setter_augmented])
def test_property_aug_assign(f):
    """`obj.prop op= v` of a property with a setter: getter, op, setter inlined (refused before:
    "`celsius` is not a field `Temp.__init__` sets")."""
    check_scalar(f, np.array([0.3, 0.5, 1.1]))


def test_property_aug_assign_alias_refused():
    """The getter's array updated in place by `+=` while another name holds it: refused."""
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(body_aug_alias)(np.array([0.3, 0.5]))


class Scaled:
    def __init__(self, a):
        self.a = a.reshape(2, 2).copy()

    def __getitem__(self, k):
        return self.a[k]

    def __setitem__(self, k, v):
        self.a[k] = v * 10.0

    def __len__(self):
        return 2


def rows_updated_by_loop(x):
    h = Scaled(x)
    for r in h:  # Python iterates by __getitem__ and updates the row views: no __setitem__
        r *= 2.0
    return np.sum(h.a**2)


def test_loop_over_object_updating_items_refused():
    """A loop over an object updating its items through the loop variable is not rewritten
    into calls of its `__setitem__` (Python never calls it there)."""
    with pytest.raises(srcad.SrcadError):
        srcad.grad(rows_updated_by_loop)(np.array([0.3, -0.5, 0.2, 0.7]))


class Spring:
    def __init__(self, k, rest):
        self.k = k
        self.rest = rest

    def energy(self, d):
        return 0.5 * self.k * (d - self.rest) ** 2


def springs_in_tuples(x):
    springs = [(0, 1, Spring(2.0, x[0])), (1, 2, Spring(1.0, 0.3))]
    return sum(s.energy(x[j] - x[i]) for i, j, s in springs)


def springs_loop_writes(x):
    springs = [(0, Spring(2.0, x[0])), (1, Spring(1.0, 0.3))]
    for _, s in springs:
        s.k = s.k * x[1]
    t = 0.0
    for pair in springs:
        i, s = pair
        t += s.energy(x[i + 1])
    return t


@pytest.mark.parametrize("f", [springs_in_tuples, springs_loop_writes])
def test_objects_in_tuples_of_a_list(f):
    """`for i, j, s in [(0, 1, Spring(...)), ...]`: each `s` is the object built here (refused
    before: "no derivative rule for `.energy()`", the tuples made at run time)."""
    check_scalar(f, np.array([0.3, 0.5, 1.1]))


def springs_passed_on(x):
    springs = [(0, Spring(2.0, x[0])), (1, Spring(1.0, 0.3))]
    springs.append((0, Spring(3.0, x[1])))
    return sum(s.energy(x[i]) for i, s in springs)


def test_objects_in_tuples_appended_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(springs_passed_on)(np.array([0.3, 0.5, 1.1]))
