"""lower/classmemo.py: the per-class facts of lower/escapes, fieldlinks and argwrites are computed
once per class, and again when the class changed.

Before: each cache compared ``cls.__dict__`` by identity, a new mappingproxy on every access, so it
never hit (every object built in a function re-read the source of every method of its class).
"""

from __future__ import annotations

import numpy as np

import srcad
from srcad.lower import argwrites, escapes, fieldlinks
from srcad.lower.classmemo import ClassMemo
from srcad.testing import check_grads
from tests.soundness.numeric import central_differences

X = np.array([0.3, 0.7, 0.2])


def _fd(f, x):
    return central_differences(f, x)


def test_memo_hits_and_misses_on_each_kind_of_change() -> None:
    class Base:
        def m(self):
            return 1

    class C(Base):
        def n(self):
            return 2

    memo: ClassMemo[int] = ClassMemo()
    seen = []

    def compute(cls):
        seen.append(cls)
        return len(seen)

    assert memo.get(C, compute) == 1
    assert memo.get(C, compute) == 1  # a hit
    assert memo.computed == 1
    C.n = lambda self: 3  # a method of the class reassigned
    assert memo.get(C, compute) == 2
    assert memo.get(C, compute) == 2
    Base.m = lambda self: 4  # a base's method reassigned
    assert memo.get(C, compute) == 3
    C.extra = 5  # an attribute added
    assert memo.get(C, compute) == 4
    del C.extra  # and deleted
    assert memo.get(C, compute) == 5
    C.n.__code__ = (lambda self: 6).__code__  # a method's code replaced in place
    assert memo.get(C, compute) == 6
    assert memo.get(C, compute) == 6
    assert memo.computed == 6


class Walker:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def step(self, dt):
        self.pos = self.pos + dt * self.vel


class Holder:
    def __init__(self, params):
        self.params = params

    def update(self, g):
        self.params["w"] = self.params["w"] - 0.1 * g


def test_class_facts_are_computed_once() -> None:
    for memo, fact in [
        (escapes._STORES, escapes.self_stores),
        (escapes._CALLS, escapes.self_calls),
        (fieldlinks._FIELDS, fieldlinks.inplace_fields),
        (argwrites._METHODS, argwrites.method_updates),
    ]:
        before = memo.computed
        first = fact(Holder)
        assert fact(Holder) == first
        assert memo.computed == before + 1, fact.__name__
    assert escapes.self_stores(Walker) == {"pos"}


def test_a_reassigned_method_is_read_again() -> None:
    class Mover:
        def __init__(self, pos, vel):
            self.pos = pos
            self.vel = vel

        def step(self, dt):
            self.pos = self.pos + dt * self.vel

    assert escapes.self_stores(Mover) == {"pos"}
    assert fieldlinks.inplace_fields(Holder) == {"params"}

    def step_both(self, dt):
        self.pos = self.pos + dt * self.vel
        self.vel = self.vel * 0.5

    Mover.step = step_both
    assert escapes.self_stores(Mover) == {"pos", "vel"}


def _walk_once(x):
    objs = [Walker(x[0], x[1])]
    for b in objs:
        b.step(0.1)
    return objs[0].pos + x[2] * objs[0].vel


def _walk_again(x):
    objs = [Walker(x[0], x[1])]
    for b in objs:
        b.step(0.1)
    return objs[0].pos * objs[0].vel + x[2]


def test_gradient_after_a_method_changed_is_right_or_refused() -> None:
    # the second function is transformed after `Walker.step` also writes `vel`: the class's
    # facts are read again, so its gradient sees the new method (or it is refused)
    saved = Walker.step
    try:
        g = srcad.grad(_walk_once)(X.copy())
        np.testing.assert_allclose(g, _fd(_walk_once, X), rtol=1e-6, atol=1e-8)

        def step_both(self, dt):
            self.pos = self.pos + dt * self.vel
            self.vel = self.vel * 0.5

        Walker.step = step_both
        fd = _fd(_walk_again, X)
        try:
            g = srcad.grad(_walk_again)(X.copy())
        except srcad.SrcadError:
            return
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
        check_grads(_walk_again, (X.copy(),), modes=("fwd", "rev"), order=2)
    finally:
        Walker.step = saved
