"""Session 28 (hunt28b): what the hunt over Python idioms, objects and control flow found.

- A method call srcad runs as Python (a method of an argument's class, ``m.step()`` updating
  ``self.w``; ``d.rotate(1)`` of a deque) may update its receiver, but CSE merged a read of the
  receiver after the call with the same read before it (``m.w[0]`` before and after ``m.step()``:
  the gradient and the round trip used the old field), and `fold`/CSE's "values a call may reach"
  knew only `call` ops. A method op without a pure record is now such a call
  (passes/fold.py `updates_operands`); and a `call`'s callee counts among what it reaches (a
  bound method ``f = m.step; f()`` updates `m`).
- A function a factory returned, called inside a comprehension of the caller whose target has the
  name of a variable the function reads from the factory (``[_make(k)(v) for k, v in ...]``,
  ``_make(k)`` returning ``lambda v: k * v * v``), read the caller's binding of that name instead:
  `closures.unshadow` rebound the comprehension's targets in the carried environment too (a wrong
  value when the caller has its own `k`, else "name `k` is not defined"). lower/fnargs.call now
  lowers the body outside the caller's comprehensions.
- A chain of methods of an object built here written as a statement (``acc.add(x).add(y)``,
  each returning ``self``) was refused as "the in-place method `.add()`" (the name of
  ``set.add``); the statement is now lowered as the expression (lower/exprstmt.py), whose
  methods of non-objects refuse as before.
"""

from __future__ import annotations

import copy
from collections import deque

import numpy as np
import pytest

import srcad

from .numeric import check_scalar


class Stepper:
    def __init__(self, w):
        self.w = w

    def step(self):
        self.w *= 2.0

    def rebind(self):
        self.w = self.w * 2.0


def read_around_step(x, m):
    a = m.w[0] * x
    m.step()
    return a + m.w[0] * x


def read_around_rebind(x, m):
    a = m.w[0] * x
    m.rebind()
    return a + m.w[0] * x


def read_around_item_step(x, ms):
    a = ms[0].w[0] * x
    ms[0].step()
    return a + ms[0].w[0] * x


def read_around_bound_method(x, m):
    a = m.w[0] * x
    f = m.step
    f()
    return a + m.w[0] * x


@pytest.mark.parametrize("fn", [read_around_step, read_around_rebind, read_around_bound_method])
def test_method_updating_an_argument_object(fn):
    m = Stepper(np.array([1.0, 2.0]))
    want = fn(0.5, copy.deepcopy(m))  # 0.5 + 1.0
    assert srcad.primal(fn)(0.5, copy.deepcopy(m)) == pytest.approx(want)
    assert srcad.grad(fn)(0.5, copy.deepcopy(m)) == pytest.approx(3.0)
    _, t = srcad.jvp(fn, (0.5, copy.deepcopy(m)), (1.0, None))
    assert t == pytest.approx(3.0)


def test_method_updating_a_list_item_object():
    ms = [Stepper(np.array([1.0, 2.0]))]
    assert srcad.grad(read_around_item_step)(0.5, copy.deepcopy(ms)) == pytest.approx(3.0)


def deque_rotations(x):
    d = deque(x)
    d.rotate(1)
    a = d[0]
    d.rotate(-2)
    return a * d[0] + d[-1]


def test_deque_rotate_round_trip():
    x = np.array([0.3, -0.5, 0.8])
    assert srcad.primal(deque_rotations)(x) == pytest.approx(deque_rotations(x))


def _make(k):
    def f(v):
        return k * v * v

    return f


def factory_in_comprehension(x):
    k = 5.0
    return sum([_make(k)(v) for k, v in zip(x, x[::-1])]) + k


def factory_in_generator(x):
    return sum(_make(k)(1.0) for k in x)


@pytest.mark.parametrize("fn", [factory_in_comprehension, factory_in_generator])
def test_factory_closure_called_in_comprehension(fn):
    x = np.array([0.3, -0.5, 0.8])
    check_scalar(fn, x)


class Accum:
    def __init__(self, n):
        self.buf = np.zeros(n)

    def add(self, v, w=1.0):
        self.buf += w * v
        return self

    def value(self):
        return np.dot(self.buf, self.buf)


def fluent_chain(x):
    a = Accum(len(x))
    a.add(x).add(x**2, w=0.5).add(np.sin(x))
    return a.value()


def test_fluent_method_chain_statement():
    check_scalar(fluent_chain, np.array([0.3, -0.5, 0.8]))


class Shadowing:
    """Methods named like NumPy's array methods (`repeat` has rules, `sum` is pure) that update
    `self`, and a property counting its reads."""

    def __init__(self, w):
        self.w = w
        self.n = 0

    def repeat(self):
        self.w = self.w * 2.0
        return 1.0

    def sum(self):
        self.w = self.w * 2.0
        return 1.0

    @property
    def ticked(self):
        self.n += 1
        return self.n


def read_around_repeat(x, q):
    a = q.w[0] * x
    q.repeat()
    return a + q.w[0] * x


def read_around_sum(x, q):
    a = q.w[0] * x
    q.sum()  # a pure record's name: CSE merges the reads, DCE drops the call
    return a + q.w[0] * x


def property_read_twice(x, q):
    return q.ticked * x + q.ticked * x


def assigned_around_sum(x, q):
    a = q.w[0] * x
    t = q.sum()  # the result used: CSE still merged the reads around it
    return a + q.w[0] * x * t


@pytest.mark.parametrize("fn", [read_around_repeat, read_around_sum, assigned_around_sum])
def test_methods_named_like_numpy_updating_the_argument_refused(fn):
    """grad 2.0 where Python's is 3.0 before passes/shadowed_methods.py: the optimiser took the
    user's `sum`/`repeat` for NumPy's (pure / with rules). Now refused where it is called."""
    q = Shadowing(np.array([1.0, 2.0]))
    with pytest.raises(srcad.SrcadError, match="may update the object") as e:
        srcad.grad(fn)(0.5, copy.deepcopy(q))
    assert "test_hunt28b.py:" in str(e.value)
    with pytest.raises(srcad.SrcadError, match="may update the object"):
        srcad.primal(fn)(0.5, copy.deepcopy(q))


class PureShadow:
    def __init__(self, w):
        self.w = w

    def sum(self):
        return np.sum(self.w**2)

    def mean(self):
        return self.w.mean()  # a method of a field that only reads


def pure_sum(x, q):
    return q.sum() * x + q.w[0] * x**2 + q.mean() * x


def test_pure_method_named_like_numpy_still_differentiated():
    q = PureShadow(np.array([1.0, 2.0]))
    assert srcad.grad(pure_sum)(0.5, q) == pytest.approx(5.0 + 1.0 + 1.5)


def test_effectful_property_refused():
    """grad 2.0 on 8bd654f (Python reads `ticked` twice, 1 then 2: 3.0); refused since fuzz29
    (passes/shadowed_methods.effectful_getter; more in test_fuzz29.py)."""
    q = Shadowing(np.array([1.0, 2.0]))
    with pytest.raises(srcad.SrcadError, match="may update the object when read"):
        srcad.grad(property_read_twice)(0.5, copy.deepcopy(q))
