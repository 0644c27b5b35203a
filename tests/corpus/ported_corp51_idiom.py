"""Ported cases (session 51, idiom51): everyday Python idioms computing scalar losses, and the
calls session 51 lifted: a function chosen by a condition known only when the code runs then
called (``f = np.sin if mode else np.cos``, skimage's ``filter_func = gaussian if use_gaussian
else uniform``; ``if``/``else`` binding a name to two functions; nested functions chosen so),
``[functools.partial(f, x[i]) for i in range(n)]`` then called, a helper updating in place
what another helper returned (``bump(bump(np.sin(x)))``), ``next(it)`` of ``it = iter(...)``
in a loop. Idioms: dataclasses with operators and properties, NamedTuple ``__call__``, dict
comprehensions sorted by value, ``functools.reduce``, ``itertools``, ``math.dist``, class
hierarchies with ``super()``, ``match``, ``zip(strict=True)``, ``enumerate(start=1)``.

Float64 arrays -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import Case

X4 = np.array([0.7, 1.3, 0.9, 1.6])


def _gaussian(v, sigma=1.0):
    return np.exp(-(v**2) / (2 * sigma**2))


def _uniform(v, sigma=1.0):
    return np.clip(1.0 - np.abs(v) / (3 * sigma), 0.0, None)


def windowed(x, use_gaussian=True):
    filter_func = _gaussian if use_gaussian else _uniform
    w = filter_func(x - np.mean(x), sigma=x[0])
    return float(np.sum(w * x**2))


def activation_by_name(x, act="tanh"):
    if act == "tanh":
        f = np.tanh
    else:
        f = np.sin
    h = f(x * 0.5)
    return float(np.sum(f(h) ** 2))


def nested_choice(x, k=2):
    def soft(v):
        return np.log1p(np.exp(v)) * x[0]

    def hard(v):
        return np.maximum(v, 0.0) * x[1]

    g = soft if k > 1 else hard
    return float(sum(np.sum(g(x * i)) for i in range(3)))


def _mul(a, b, scale=1.0):
    return a * b * scale


def partial_terms(x):
    fs = [functools.partial(_mul, x[i], scale=0.5) for i in range(4)]
    return sum(f(x[(i + 1) % 4]) for i, f in enumerate(fs))


def _normalize_inplace(a):
    a /= np.sum(a)
    return a


def _clip_first(a):
    a[0] = min(a[0], 0.9)
    return a


def chained_updates(x):
    w = _clip_first(_normalize_inplace(np.exp(x)))
    return float(np.sum(w * x))


def iterator_steps(x):
    it = iter([x[0], x[1], x[2], x[3]])
    s = next(it) ** 2
    for _ in range(3):
        s = s * 0.5 + next(it) * x[0]
    return s


@dataclass
class Vec:
    a: float
    b: float

    def __add__(self, o):
        return Vec(self.a + o.a, self.b + o.b)

    def __mul__(self, k):
        return Vec(self.a * k, self.b * k)

    @property
    def norm2(self):
        return self.a**2 + self.b**2


def vec_ops(x):
    return (Vec(x[0], x[1]) + Vec(x[2], x[3]) * 2.0).norm2


class Poly(NamedTuple):
    c0: float
    c1: float
    c2: float = 0.0

    def __call__(self, t):
        return self.c0 + self.c1 * t + self.c2 * t * t


def poly_call(x):
    p = Poly(x[0], x[1], x[2])
    return sum(p(t) ** 2 for t in (0.5, 1.0, x[3]))


def top_two(x):
    d = {k: v for k, v in zip("abcd", x)}
    top = sorted(d, key=d.get, reverse=True)[:2]
    return sum(d[k] ** 2 for k in top)


def tools(x):
    s = functools.reduce(operator.mul, x, 1.0) + sum(itertools.accumulate(x, max))
    s += sum(v * w for v, w in itertools.product(x[:2], repeat=2))
    s += sum(itertools.chain(x[:2], [x[3] ** 2]))
    return s + math.dist(x[:2], x[2:]) + math.hypot(*x)


class Base:
    def __init__(self, w):
        self.w = w

    def f(self, v):
        return self.w * v


class Child(Base):
    def __init__(self, w, b):
        super().__init__(w)
        self.b = b

    def f(self, v):
        return super().f(v) + self.b


def hierarchy(x):
    return Child(x[0], x[1]).f(x[2]) ** 2 + x[3]


def matched(x, kind="quad"):
    match kind:
        case "quad":
            return float(np.sum(x**2))
        case "abs":
            return float(np.sum(np.abs(x)))
        case _:
            return 0.0


def zipped(x):
    s = sum(a * b for a, b in zip(x, x[::-1], strict=True))
    return s + sum(i * v for i, v in enumerate(x, start=1))


CASES = [
    Case(windowed, (X4,), (0,)),
    Case(activation_by_name, (X4,), (0,)),
    Case(nested_choice, (X4,), (0,)),
    Case(partial_terms, (X4,), (0,)),
    Case(chained_updates, (X4,), (0,)),
    Case(iterator_steps, (X4,), (0,)),
    Case(vec_ops, (X4,), (0,)),
    Case(poly_call, (X4,), (0,)),
    Case(top_two, (X4,), (0,)),
    Case(tools, (X4,), (0,)),
    Case(hierarchy, (X4,), (0,)),
    Case(matched, (X4,), (0,)),
    Case(zipped, (X4,), (0,)),
]
