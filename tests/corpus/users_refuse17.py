"""Programs srcad used to refuse (or got wrong), session 17 (`refuse17`):

- an object built in the function whose class defines ``__iter__``, taken whole by ``sum``,
  ``max``, ``min``, ``sorted``, ``list``, ``tuple``, ``dict``, ``math.fsum``, ``math.prod``,
  unpacked (``a, b = obj``, ``f(*obj)``), iterated through ``enumerate(obj)`` or constructed in
  the ``for`` line (``for v in C(x)``): the items its ``__iter__`` gives (lower/objiter.py, the
  method inlined with ``self`` the object; ``sum(obj)`` was a WRONG gradient on main);
- a helper updating its parameter with ``op=`` (``v -= 0.3``), given a NumPy reduction over every
  axis of a float array (``np.sum(x)``, ``x.mean()``, ``np.linalg.norm(x)``): a NumPy scalar,
  which ``op=`` only rebinds (ad/base.refuse_argument_mutation; control fuzz seed 20400274).

Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/corpus/test_second_order.py); tests/lower/test_views17.py holds the neighbours that
must stay refused or right."""

from __future__ import annotations

import math

import numpy as np

from . import Case

V4 = np.array([0.35, -0.6, 0.9, 1.2])


class Scaled:
    def __init__(self, xs, k):
        self.xs = xs
        self.k = k

    def __iter__(self):
        for v in self.xs:
            yield self.k * v


class Pair:
    def __init__(self, lo, hi):
        self.lo = lo
        self.hi = hi

    def __iter__(self):
        return iter((self.hi, self.lo))


class Named:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __iter__(self):
        yield "w", self.w
        yield "b", self.b * 2.0


def total_of_scaled(x):
    return sum(Scaled(x[:3], 2.0)) * x[3]


def stats_of_scaled(x):
    s = Scaled(x, 0.5)
    return max(s) - min(s) + math.fsum(s) / 4.0


def sorted_scaled(x):
    lo, mid, *rest = sorted(Scaled(x[:3], x[3]))
    return lo * mid + sum(rest)


def product_of_scaled(x):
    return math.prod(Scaled(x[:3], 1.5))


def unpacked_pair(x):
    hi, lo = Pair(x[0] * x[1], x[2])
    return hi * 2.0 + lo


def norm_of_pair(x):
    return math.hypot(*Pair(x[0], x[1] ** 2))


def params_as_dict(x):
    p = dict(Named(x[0], x[1]))
    return p["w"] * p["b"] + x[2]


def enumerated_scaled(x):
    t = 0.0
    for i, v in enumerate(Scaled(x, 1.0), start=1):
        t = t + i * v * v
    return t


def loop_over_constructed(x):
    t = 0.0
    for v in Scaled(x[1:], x[0]):
        t = t + np.sin(v)
    return t


def listed_then_stacked(x):
    rows = list(Pair(x[:2], x[2:]))
    return np.sum(np.stack(rows) ** 2)


def shifted(v, c):
    v -= c
    v *= 2.0
    return v * v


def helper_updates_reductions(x):
    m = np.outer(x, x)
    a = shifted(np.sum(x), 0.3)
    b = shifted(x.mean(), x[0])
    c = shifted(np.linalg.norm(m), 1.0)
    return a + b * c + shifted(m.max(), 0.5)


CASES = [
    Case(f, (V4.copy(),), (0,), extra="hvp")
    for f in (
        total_of_scaled,
        stats_of_scaled,
        sorted_scaled,
        product_of_scaled,
        unpacked_pair,
        norm_of_pair,
        params_as_dict,
        enumerated_scaled,
        loop_over_constructed,
        listed_then_stacked,
        helper_updates_reductions,
    )
]
