"""Programs srcad used to refuse, session 33 (`refuse33b`): classes and attributes as people use
them.

- a namedtuple built from an array slice spread into it, ``NT(*x[1:3])`` (lower/starcalls.py:
  the generated ``__new__`` names the items);
- ``collections.OrderedDict([(k, v), ...])`` built from pairs and read as a dict
  (lower/ordereddicts.py: ``dict(pairs)``);
- a global list of int tags passed to a helper that shifts a copy of one (``j = tags[i]; j +=
  1``): the caller knows the list holds numbers (ad/callfacts.global_numbers);
- layers stored with ``setattr(self, f"w{i}", ...)`` in a ``range(n)`` loop and read back with
  ``getattr(self, f"w{i}")`` (lower/attrloops.py unrolls the loop when `n` is known);
- a lambda given to a user class's constructor or method, ``Euler(lambda t, y: -k * y,
  y0).run()`` (lower/objfns.py: kept when the names it reads are fixed);
- ``__init__`` calling a helper that sets attributes of its argument, ``init_weights(self, w)``
  (lower/inithelpers.py).

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused or raise Python's error are in
tests/soundness/test_refuse33b.py."""

from __future__ import annotations

import collections
from typing import NamedTuple

import numpy as np

from . import Case


class Span(NamedTuple):
    lo: float
    hi: float
    scale: float = 2.0


Pair = collections.namedtuple("Pair", "a b")


def namedtuple_from_slice(w):
    s = Span(*w[1:3])
    return float(s.scale * (s.hi - s.lo) ** 2 + w[0] * s.lo)


def collections_namedtuple_from_slice(w):
    p = Pair(*np.tanh(w[:2]))
    return float(p.a * p.b**2 + w[2])


def ordered_dict_of_pairs(w):
    d = collections.OrderedDict([("a", w[0]), ("b", w[1] * 2.0), ("a", w[2] ** 2)])
    return float(d["a"] * d["b"] + len(d))


def ordered_dict_keywords_iterated(w):
    d = collections.OrderedDict(x=np.sin(w), y=w * w)
    tot = 0.0
    for k, v in d.items():
        tot = tot + np.sum(v) * (1.0 if k == "x" else 0.5)
    return float(tot)


_TAGS = [0, 2, 1]


def _shifted_squares(tags, x):
    s = 0.0
    for i in range(len(tags)):
        j = tags[i]
        j += 1
        s = s + x[j % 3] ** 2 * (i + 1)
    return s


def global_tags_helper(w):
    return float(_shifted_squares(_TAGS, w) * w[0])


class _Stack:
    def __init__(self, w, n):
        self.n = n
        setattr(self, "bias", w[0])  # noqa: B010 (what users write)
        for i in range(n):
            setattr(self, f"layer{i}", np.tanh(w * (i + 1.0)))

    def forward(self):
        h = self.bias
        for i in range(self.n):
            h = h + np.sum(getattr(self, f"layer{i}") ** 2) * h
        return h


def setattr_layers(w):
    return float(_Stack(w, 3).forward())


class _Euler:
    def __init__(self, rhs, y0, h=0.1):
        self.rhs = rhs
        self.y = y0
        self.h = h

    def run(self, steps):
        y = self.y
        for i in range(steps):
            y = y + self.h * self.rhs(i * self.h, y)
        return y


class _Descent:
    def minimize(self, grad, z0, lr=0.2):
        z = z0
        for _ in range(3):
            z = z - lr * grad(z)
        return z


def lambda_to_constructor(w):
    k = w[0]
    y = _Euler(lambda t, y: -k * y + np.sin(t), w[1:]).run(4)
    return float(np.sum(y**2))


def lambda_to_method(w):
    c = np.tanh(w)
    z = _Descent().minimize(lambda z: c * z - w[2], w)
    return float(np.sum(z**2))


def _init_weights(m, w, scale):
    m.W = np.outer(w, w) * scale
    m.b = np.tanh(w)


def _rescale(m, s):
    m.W = m.W * s


class _Dense:
    def __init__(self, w):
        _init_weights(self, w, 0.5)
        _rescale(self, 2.0)
        self.out = self.W @ self.b

    def __call__(self, v):
        return np.tanh(self.W @ v + self.b)


def init_helper_on_self(w):
    layer = _Dense(w)
    return float(np.sum(layer(w) ** 2) + np.sum(layer.out))


_W = np.array([0.4, -0.6, 0.9])

CASES = [
    Case(f, (_W.copy(),), (0,), extra="hvp")
    for f in (
        namedtuple_from_slice,
        collections_namedtuple_from_slice,
        ordered_dict_of_pairs,
        ordered_dict_keywords_iterated,
        global_tags_helper,
        setattr_layers,
        lambda_to_constructor,
        lambda_to_method,
        init_helper_on_self,
    )
]
