"""Ported cases (session 27, hunt27h), written anew after objects compared, accumulated and used as
configs: ``sorted``/``max`` of objects ordered by ``functools.total_ordering``'s ``__lt__``, ``min``
with a ``key`` lambda over objects, ``__iadd__`` rebuilding a list field, an ``AttrDict``
(``__getattr__ = dict.__getitem__``) read as a config, a ``types.SimpleNamespace`` state updated by
attribute writes (refused), a row of a field written by ``g.a[1][0] = v``, a callable object
updating its fields inside a list comprehension.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import types

import numpy as np

from . import Case


@functools.total_ordering
class Item:
    def __init__(self, w, v):
        self.w = w
        self.v = v

    def __lt__(self, o):
        return self.v < o.v

    def __eq__(self, o):
        return self.v == o.v


def sorted_lt(x):
    items = [Item(i + 1.0, v) for i, v in enumerate(x)]
    s = sorted(items)
    return s[0].v * s[0].w + s[-1].v ** 2


def max_objs(x):
    items = [Item(i + 1.0, v) for i, v in enumerate(x)]
    best = max(items)
    worst = min(items, key=lambda it: it.v * it.w)
    return best.v * 3 + worst.v


class Bag:
    def __init__(self, vals):
        self.vals = list(vals)

    def __iadd__(self, other):
        self.vals = [a + b for a, b in zip(self.vals, other)]
        return self


def iadd_bag(x):
    b = Bag(x)
    b += x**2
    b += [1.0, 2.0, 3.0]
    return sum(v * v for v in b.vals)


class AttrDict(dict):
    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__


def attrdict_cfg(x):
    cfg = AttrDict(lr=0.1, steps=3)
    w = x.copy()
    for _ in range(cfg.steps):
        w = w - cfg.lr * 2 * w
    return np.sum(w**2)


def namespace_state(x):
    s = types.SimpleNamespace(pos=x[0], vel=x[1])
    for _ in range(3):
        s.vel = s.vel - 0.1 * s.pos
        s.pos = s.pos + 0.1 * s.vel
    return s.pos**2 + s.vel


class G:
    def __init__(self, a):
        self.a = a.reshape(2, 2).copy()


def field_row_store(x):
    g = G(x)
    g.a[1][0] = x[2] * 3.0
    return np.sum(g.a**2)


class Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def __call__(self, v):
        self.total += v
        self.n += 1
        return self.total


def call_state_comp(x):
    acc = Acc()
    partial = [acc(v * v) for v in x]
    return sum(partial) + acc.total * acc.n


CASES = [
    Case(sorted_lt, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(max_objs, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(iadd_bag, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(attrdict_cfg, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(namespace_state, (np.array([0.3, -0.5]),), (0,), extra="hvp"),  # lower/objrecord.py
    Case(field_row_store, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(call_state_comp, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
]
