"""Soundness fixes of session 27's hunt27: user-style programs that srcad got wrong, crashed on,
or refused. Input: small functions; output: assertions against Python and central differences
(tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
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
    ],
)
def test_object_setitem_refused(f, match, capsys):
    """Item writes Python would route through a class's own `__setitem__` that srcad cannot
    inline: refused (before: an AttributeError, or for a list subclass a wrong derivative,
    the override skipped: d/dx0 of 3 * (2 * x0**2) given as 6 * x0)."""
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X2.copy())
