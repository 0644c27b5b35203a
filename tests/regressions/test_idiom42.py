"""What idiom42 accepts in object-oriented user code, checked numerically, and the neighbours
that stay refused, cleanly:

a. an accumulator object rebound in a loop by a method that returns ``self`` through another
   method (``def __iadd__(self, v): return self.add(v)``, ``add`` ending in ``return self``):
   lower/selfreturn._returns_self follows ``return self.m(...)`` to a method of the object's
   class that returns ``self`` itself, so ``acc += v`` / ``acc = acc.step(v)`` keeps the one
   object built here (its fields carried by the loop) instead of a run-time value whose
   ``__iadd__`` was refused when the code ran. A method returning a new object through another
   method is not taken (the loop's name stays a run-time value: refused, located).
b. a ``@property`` getter that stores to ``self``: a lazily cached value (``if self._c is None:
   self._c = ...``) or a read counter. lower/escapes.self_stores took a property's setter only,
   so the getter's store was refused ("srcad did not see this write coming"), with a hint to set
   the field in ``__init__``, which the class already did; the getter's stores are fields too.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus.ported_corp42_idiom import _Acc as _CorpusAcc

X3 = np.array([0.3, -0.7, 1.2])


class _Acc(_CorpusAcc):  # (the corpus's accumulator, with a branching step)
    def step(self, v):
        if v > 0:
            return self.add(v * v)
        return self.add(np.sin(v))


class _Fresh(_Acc):
    def add(self, v):
        out = _Fresh()
        out.total = self.total + v
        return out


def iadd_through_method(x):
    acc = _Acc()
    for v in x:
        acc += np.sin(v) * v
    return acc.total / acc.n


def rebind_through_method(x):
    acc = _Acc()
    for v in x:
        acc = acc.step(v)
    return acc.total * acc.n


def fresh_through_method(x):
    acc = _Fresh()
    for v in x:
        acc += v * v
    return acc.total


@pytest.mark.parametrize("f", [iadd_through_method, rebind_through_method])
def test_self_returned_through_a_method(f):
    assert np.isclose(srcad.primal(f)(X3), f(X3))
    check_grads(f, (X3,), modes=("fwd", "rev"), order=2)


def test_new_object_returned_through_a_method_stays_refused():
    assert fresh_through_method(X3) == pytest.approx(np.sum(X3**2))
    with pytest.raises(srcad.SrcadError):
        srcad.grad(fresh_through_method)(X3)


class _Lazy:
    def __init__(self, x):
        self.x = x
        self._gram = None

    @property
    def gram(self):
        if self._gram is None:
            self._gram = np.outer(self.x, self.x)
        return self._gram


class _Counting:
    def __init__(self, x):
        self.x = x
        self.reads = 0

    @property
    def value(self):
        self.reads += 1
        return self.x * self.reads


def lazy_cached_property(x):
    g = _Lazy(x)
    a = np.sum(g.gram) + np.trace(g.gram)
    return a * np.sum(np.sin(_Lazy(x * 2.0).gram))


def counting_property(x):
    c = _Counting(x)
    s = 0.0
    for _ in range(3):
        s = s + np.sum(c.value**2)
    return s * c.reads


@pytest.mark.parametrize("f", [lazy_cached_property, counting_property])
def test_property_getter_writing_self(f):
    assert np.isclose(srcad.primal(f)(X3), f(X3))
    check_grads(f, (X3,), modes=("fwd", "rev"), order=2)
