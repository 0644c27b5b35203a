"""Ported cases (session 50, idiom50): everyday Python idioms computing scalar losses, and the
library calls and statements session 50 lifted. Idioms: dataclasses with methods, properties and
``field(default_factory=list)``, NamedTuple methods and ``_replace``, ``enumerate``/``zip``/
``reversed``, dict comprehensions with str keys, ``sorted`` with a key, ``functools.reduce``,
``itertools.accumulate``/``product``/``combinations``/``pairwise``, ``math.fsum``/``prod``/
``hypot``, ``try``/``except`` in a helper, ``while``/``else``, closures, class hierarchies with
``super()``, ``statistics``, ``heapq``, ``bisect``, the walrus, star unpacking. Lifted in session
50: item writes under ``with np.errstate(all="raise")`` and in a ``try`` body,
``scipy.signal.lfilter`` with ``zi`` along axis 0, ``x.strides`` read as a number.

Float64 arrays -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import math
import operator
import statistics
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.signal

from . import Case

X4 = np.array([0.7, 1.3, 0.9, 1.6])
GRAV = 9.81


@dataclass
class Spring:
    k: float
    rest: float

    def energy(self, x):
        return 0.5 * self.k * (x - self.rest) ** 2

    @property
    def stiff(self):
        return self.k * 2.0


def springs(x):
    ss = [Spring(x[0], 1.0), Spring(x[1], 0.5)]
    return sum(s.energy(x[2]) + s.stiff for s in ss)


class Pt(NamedTuple):
    x: float
    y: float

    def norm2(self):
        return self.x**2 + self.y**2


def points(x):
    pts = [Pt(x[0], x[1]), Pt(x[2], x[3])]
    return sum(p.norm2() for p in pts) + pts[0]._replace(y=2.0).norm2()


def zip_reversed(x):
    s = 0.0
    for i, (a, b) in enumerate(zip(x, reversed(x))):
        s += (i + 1) * a * b
    return s


def ranked(x):
    items = sorted(zip(["a", "b", "c", "d"], x), key=lambda kv: kv[1])
    d = {f"k{i}": v**2 for i, (_, v) in enumerate(items)}
    return sum((i + 1) * d[k] for i, k in enumerate(sorted(d)))


def iter_tools(x):
    acc = sum(itertools.accumulate(x, operator.mul))
    prod = sum(a * b for a, b in itertools.product(x[:2], x[2:]))
    comb = sum((a - b) ** 2 for a, b in itertools.combinations(x, 2))
    pair = sum((b - a) ** 2 for a, b in zip(x[:-1], x[1:]))
    red = functools.reduce(lambda c, v: c * 0.5 + v**2, x, 1.0)
    return acc + prod + comb + pair + red


def math_sums(x):
    return math.fsum([x[0], x[1] ** 2]) + math.prod([x[2], x[3]]) + math.hypot(x[0], x[1], x[2])


def _safe_log(v):
    try:
        return math.log(v)
    except ValueError:
        return -1e3


def logs_with_fallback(x):
    return sum(_safe_log(v - 0.8) for v in x)


def while_else(x):
    i, s = 0, 0.0
    while i < len(x):
        if x[i] > 10:
            break
        s += x[i] ** 2
        i += 1
    else:
        s += 1.0
    return s * GRAV


class Shape:
    def __init__(self, s):
        self.s = s

    def area(self):
        return 0.0

    def loss(self):
        return self.area() ** 2


class Square(Shape):
    def area(self):
        return self.s**2


class Circle(Shape):
    def __init__(self, r):
        super().__init__(r)
        self.r = r

    def area(self):
        return math.pi * self.r**2


def shapes(x):
    return sum(sh.loss() for sh in [Square(x[0]), Circle(x[1])])


@dataclass
class Acc:
    vals: list = field(default_factory=list)

    def add(self, v):
        self.vals.append(v)

    def total(self):
        return sum(self.vals)


def accumulator(x):
    a = Acc()
    for v in x:
        a.add(v * 2)
    return a.total() ** 2


def stdlib_mix(x):
    edges = [0.5, 1.0, 1.5]
    s = statistics.mean(x) * statistics.pstdev(x)
    s += sum(heapq.nsmallest(2, x)) + heapq.nlargest(1, x)[0] ** 2
    s += sum(v * (bisect.bisect(edges, v) + 1) for v in x)
    first, *mid, last = x
    return s + first * last + sum(y for v in mid if (y := v**2) > 0.5)


def errstate_stencil(x):
    y = np.zeros(len(x))
    with np.errstate(all="raise"):
        for i in range(len(x)):
            y[i] = np.exp(x[i]) * x[(i + 1) % len(x)]
    return float(np.sum(y**2))


def guarded_rows(x):
    rows = [0.0, 0.0, 0.0]
    try:
        for i in range(len(x)):
            rows[i] = x[i] * x[(i + 1) % len(x)]
    except IndexError:
        rows[0] = rows[0] + x[-1] ** 2
    return sum(rows)


def filtered_columns(x):
    sig = np.stack([x, x[::-1] ** 2], axis=1)
    b, a = np.array([0.4, 0.3]), np.array([1.0, -0.5])
    zi = scipy.signal.lfilter_zi(b, a)
    y, zf = scipy.signal.lfilter(b, a, sig, axis=0, zi=np.outer(zi, sig[0]))
    return float(np.sum(y**2) + np.sum(zf))


def stride_weighted(x):
    m = np.outer(x, x)
    return float(np.sum(m.T * (m.strides[0] / m.itemsize)))


CASES = [
    Case(springs, (X4,), (0,)),
    Case(points, (X4,), (0,)),
    Case(zip_reversed, (X4,), (0,)),
    Case(ranked, (X4,), (0,)),
    Case(iter_tools, (X4,), (0,)),
    Case(math_sums, (X4,), (0,)),
    Case(logs_with_fallback, (X4,), (0,)),
    Case(while_else, (X4,), (0,)),
    Case(shapes, (X4,), (0,)),
    Case(accumulator, (X4,), (0,)),
    Case(stdlib_mix, (X4,), (0,)),
    Case(errstate_stencil, (X4,), (0,)),
    Case(guarded_rows, (X4,), (0,)),
    Case(filtered_columns, (X4,), (0,)),
    Case(stride_weighted, (X4,), (0,)),
]
