"""Soundness of what hunt26 found wrong, checked numerically (value, gradient against central
differences, the JVP/VJP dot test, the Hessian against differences of the gradient):

- a nested def inlined where it is called (lower/closures.inline) whose own nested def writes the
  first one's variable (``nonlocal tot``) inside a loop, comprehension or generator of its body:
  the loop did not carry the variable (`lw.enclosing_writes` named only the writes of functions
  nested in the transformed function, not in the inlined one), so every call saw its first
  value; wrong values and derivatives on main.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.5, -0.7])


def nl_loop(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        out = []
        for xi in x:
            out.append(add(xi * xi))
        return out

    return sum(outer())


def nl_generator(x):
    def gen():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        for xi in x:
            yield add(xi * xi)

    return sum(gen())


def nl_comprehension(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        return [add(xi * xi) for xi in x]

    return sum(outer())


def nl_three_levels(x):
    def a():
        def b():
            tot = 1.0

            def c(v):
                nonlocal tot
                tot *= v

            for xi in x:
                c(xi + 2.0)
            return tot

        return b()

    return a()


def nl_generator_for(x):
    def gen():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        for xi in x:
            yield add(xi * xi)

    s = 0.0
    for v in gen():
        s += v * v
    return s


@pytest.mark.parametrize(
    "f", [nl_loop, nl_generator, nl_comprehension, nl_three_levels, nl_generator_for]
)
def test_nonlocal_in_inlined_nested_def(f):
    check_scalar(f, X.copy())


def nl_while(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot = tot * 0.5 + v

        i = 0
        while i < len(x):
            add(x[i] ** 2)
            i += 1
        return tot

    return outer() * 2


def test_nonlocal_in_inlined_while():
    check_scalar(nl_while, X.copy())


# -- a ``while`` condition with a call, the body (or the condition) calling a nested function
# that writes an enclosing variable: lowered as ``while True: if not cond: break; ...``
# (lower/stmts.stmt_While), the loop carrying the variable; refused on main


def while_cond_writes(x):
    acc = 0.0
    k = 0

    def step():
        nonlocal acc, k
        acc = acc + x[0] * x[0]
        k += 1
        return acc

    while step() < 2.0 and k < 20:
        acc *= 1.01
    return acc * x[1] + k


def while_else_body_writes(x):
    tot = 0.0

    def add(v):
        nonlocal tot
        tot += v

    i = 0
    while i < len(x):
        add(x[i] ** 2)
        i += 1
    else:
        tot *= 2
    return tot


def test_while_condition_with_writer():
    check_scalar(while_cond_writes, np.array([0.55, 0.7]))
    check_scalar(while_else_body_writes, X.copy())


# -- spurious refusals lifted: a deque read by math.fsum (lower/deques.py); ``obj[k]``,
# ``len(obj)``, ``abs(obj)`` of an object built here whose class defines ``__getitem__`` /
# ``__len__`` / ``__abs__`` and whose ``__init__`` computes a field (lower/objitems.py)


def deque_fsum(x):
    hist = deque(maxlen=2)
    for v in x:
        hist.append(v * v)
    return math.fsum(hist) + float(np.prod(hist)) + max(hist)


class Params:
    def __init__(self, w):
        self._w = list(w)

    def __len__(self):
        return len(self._w)

    def __getitem__(self, i):
        return self._w[i]

    def __abs__(self):
        return math.sqrt(sum(v * v for v in self._w))


def params_items(x):
    p = Params(x)
    s = 0.0
    for i in range(len(p)):
        s += p[i] * (i + 1)
    return s + p[-1] ** 3 + p[1:3][0] * abs(p)


class Cache:
    def __init__(self, w):
        self.w = w * 2.0
        self.hits = 0.0

    def __getitem__(self, i):
        self.hits = self.hits + self.w[i]
        return self.w[i] * self.hits


def getitem_updates_field(x):
    c = Cache(x)
    a = c[0]
    b = c[1]
    return a * b + c.hits


class Grid:
    def __init__(self, w):
        self.data = w.reshape(2, 2) * 1.0

    def __getitem__(self, i):
        return self.data[i]


def getitem_tuple_and_slice(x):
    g = Grid(x)
    return g[0, 1] * g[1, 0] + np.sum(g[:, 1] ** 2)


@pytest.mark.parametrize(
    "f", [deque_fsum, params_items, getitem_updates_field, getitem_tuple_and_slice]
)
def test_lifted_refusals(f):
    check_scalar(f, np.array([0.3, -0.2, 0.5, 1.1]))


def getitem_view_written(x):
    g = Grid(x)
    row = g[0]
    row += 1.0
    return np.sum(g.data**2)


def test_getitem_view_written_right_or_refused():
    x = np.array([0.3, -0.2, 0.5, 1.1])
    try:
        srcad.grad(getitem_view_written)(x.copy())
    except srcad.SrcadError:
        return
    check_scalar(getitem_view_written, x)
