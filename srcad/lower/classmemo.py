"""Per-class memo of what the lowering read from a user class's methods.

Input: a class and a function computing a fact about its methods (lower/escapes.self_stores,
self_calls, lower/fieldlinks.inplace_fields, lower/argwrites.method_updates). Output: the fact,
computed once per class while nothing it was computed from changed.

A hit needs the class's MRO to be the same tuple of classes, every class in it to hold the
same attributes (each compared by identity: a method reassigned, added or deleted misses), every
function among them the same code, and the reads the computation recorded (the callables its
methods' globals held, their code and defaults: lower/reads.py) still current. A hit records
those reads again for the transform running, as the computation did. (``cls.__dict__`` is a new
mappingproxy on each access: comparing it by identity never hits.)

    memo = ClassMemo()
    memo.get(C, compute)  # compute(C) runs
    memo.get(C, compute)  # cached
    C.m = other
    memo.get(C, compute)  # compute(C) runs again
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Generic, TypeVar

from srcad.lower.reads import attrs_current, recording_attrs, replay_attrs

T = TypeVar("T")
_MAX_CLASSES = 256


def _snapshot(cls: type) -> tuple:
    """The attributes of each class of `cls`'s MRO (not `object`), and its functions' code."""
    mro = cls.__mro__[:-1]
    attrs = tuple(dict(vars(k)) for k in mro)
    codes = tuple(v.__code__ for d in attrs for v in d.values() if type(v) is types.FunctionType)
    return (mro, attrs, codes)


def _same(a: tuple, b: tuple) -> bool:
    """Two snapshots whose classes, attributes (by identity) and code objects are the same."""
    if a[0] != b[0] or len(a[2]) != len(b[2]):
        return False
    for x, y in zip(a[1], b[1]):
        if len(x) != len(y):
            return False
        for k, v in x.items():
            if y.get(k, x) is not v:
                return False
    return all(p is q for p, q in zip(a[2], b[2]))


class ClassMemo(Generic[T]):
    """class -> (snapshot, reads, value) (see the module docstring)."""

    def __init__(self) -> None:
        self.entries: dict[type, tuple[tuple, list, T]] = {}
        self.computed = 0  # how often `compute` ran (tests)

    def get(self, cls: type, compute: Callable[[type], T]) -> T:
        """`compute(cls)`, or the value it gave while `cls` is as it was then."""
        snap = _snapshot(cls)
        hit = self.entries.get(cls)
        if hit is not None and _same(hit[0], snap) and attrs_current(hit[1]):
            replay_attrs(hit[1])
            return hit[2]
        self.computed += 1
        with recording_attrs() as reads:
            value = compute(cls)
        if len(self.entries) >= _MAX_CLASSES:  # (classes made in a loop: no unbounded growth)
            self.entries.clear()
        self.entries[cls] = (snap, list(reads), value)
        return value
