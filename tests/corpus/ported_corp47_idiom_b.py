"""Ported cases (session 47, idiom47b): ordinary Python refused before: ``next(g, d)`` and
``max(g, default=d)`` of a generator also read by ``next(g)``, a filtered generator read by one
``next``, ``with ExitStack() as st`` entering null contexts, ``itertools.starmap`` over a list
of pairs, a namedtuple class made inside the function, ``dataclasses.astuple`` of a replaced
record, an ``lru_cache``d nested helper, and an iterator class (``__iter__`` returning
``self``).

Float64 arrays -> floats. Each checked forward, reverse and at second order."""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import itertools

import numpy as np

from . import Case

X3 = np.array([0.3, -0.7, 1.2])
X4 = np.array([0.4, 0.9, -0.5, 1.3])


def first_then_rest(x):
    g = (np.sin(e) * 0.7 + e for e in x)
    head = next(g)
    second = next(g, 0.0)
    tail = max(g, default=0.0)
    return head * second + tail


def first_above(x):
    g = (v * v for v in x if v > 0.5)
    big = next(g, 0.25)
    return big * np.sum(np.tanh(x))


def stacked_contexts(x):
    with contextlib.ExitStack() as st:
        scale = st.enter_context(contextlib.nullcontext(2.0 + x[0]))
        st.enter_context(contextlib.nullcontext())
        y = np.cos(x) * scale
    return np.sum(y**2)


def pair_products(x):
    pairs = list(zip(x[:-1], x[1:]))
    return sum(itertools.starmap(lambda a, b: a * np.exp(-b), pairs))


def local_record(x):
    Point = collections.namedtuple("Point", ["px", "py"])
    pts = [Point(x[i], x[i + 1] ** 2) for i in range(len(x) - 1)]
    moved = [p._replace(py=p.py + 1.0) for p in pts]
    return sum(p.px * q.py for p, q in zip(pts, moved))


@dataclasses.dataclass
class _Layer:
    w: float
    b: float


def replaced_layer(x):
    layer = dataclasses.replace(_Layer(x[0], x[1]), b=x[2] * 0.5)
    w, b = dataclasses.astuple(layer)
    return np.sum(np.tanh(w * x + b))


def cached_basis(x):
    @functools.lru_cache(maxsize=32)
    def weight(k):
        return 1.0 / (1.0 + k * k)

    return sum(weight(k) * np.sin(k * x[k % len(x)]) for k in range(6))


class _Steps:
    def __init__(self, xs, h):
        self.xs, self.h, self.k = xs, h, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.k >= len(self.xs) - 1:
            raise StopIteration
        d = (self.xs[self.k + 1] - self.xs[self.k]) / self.h
        self.k += 1
        return d


def finite_differences(x):
    tot = 0.0
    for d in _Steps(x, 0.5):
        tot = tot + d**2
    return tot + max(_Steps(x, 2.0))


CASES = [
    Case(first_then_rest, (X3,), (0,), extra="hvp"),
    Case(first_above, (X4,), (0,), extra="hvp"),
    Case(stacked_contexts, (X3,), (0,), extra="hvp"),
    Case(pair_products, (X4,), (0,), extra="hvp"),
    Case(local_record, (X4,), (0,), extra="hvp"),
    Case(replaced_layer, (X3,), (0,), extra="hvp"),
    Case(cached_basis, (X4,), (0,), extra="hvp"),
    Case(finite_differences, (X4,), (0,), extra="hvp"),
]
