"""Ported cases (session 15, idioms15): everyday Python idioms written as users write them, that
srcad refused before this session's fixes: a ``match`` statement with class patterns
(``case Circle(r=r)``, ``case Rect(w, h)``: keyword and positional sub-patterns), a helper that
dispatches on its argument's class with ``isinstance`` (``if isinstance(s, Circle): ... elif
isinstance(s, Rect): ...``, the branch for the other class read fields its class lacks), a
module-level ``np.vectorize`` object called in the function (its `pyfunc` was lowered from
NumPy's own source before: ``*args`` refused), the series evaluations of ``np.polynomial``
(``chebyshev.chebval``, ``polynomial.polyval``, ...: no rule before), ``z = zip(a, b,
strict=True)`` bound to a name and read by a loop (any zip bound to a name was refused: no rule
for `zip`), ``itertools.chain(*parts)`` and ``islice`` iterated by a generator expression, dataclasses with
``__post_init__`` built in the function (``field(init=False)`` set there; refused before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15])


@dataclass
class Circle:
    r: float


@dataclass
class Rect:
    w: float
    h: float


class Seg(NamedTuple):
    a: float
    b: float


def _area_match(s):
    match s:
        case Circle(r=r):
            return np.pi * r * r
        case Rect(w, h) if w > 0:
            return w * h
        case Rect(w, 0.0):
            return w
        case Seg(a, b=b):
            return (b - a) ** 2
        case _:
            return 0.0


def match_class_patterns(x):
    shapes = [Circle(x[0]), Rect(x[1], x[2]), Rect(x[3] + 1.0, x[4]), Seg(x[5], x[6])]
    return sum(_area_match(s) for s in shapes) * np.sum(x**2)


def _area_isinstance(s):
    if isinstance(s, Circle):
        return np.pi * s.r**2
    elif isinstance(s, (Rect, Seg)):
        return s.w * s.h if not isinstance(s, Seg) else s.a * s.b
    raise TypeError(f"unknown shape {s!r}")


def isinstance_dispatch(x):
    total = _area_isinstance(Circle(x[0])) + _area_isinstance(Rect(x[1], x[2]))
    return total + _area_isinstance(Seg(x[3], x[4])) * np.sum(np.sin(x))


def _scale(v):
    match v:
        case float(t):
            return 2.0 * t
        case [a, b]:
            return a * b
    return v


def match_builtin_class(x):
    return _scale(float(x[0])) + _scale([x[1], x[2]]) + np.sum(_scale(x) ** 2)


def _hinge(t):
    return t * t if t > 0 else -0.5 * t


def _mix(a, b):
    return a * np.sin(b)


V_HINGE = np.vectorize(_hinge)
V_MIX = np.vectorize(_mix, otypes=[float])


def global_vectorize(x):
    return np.sum(V_HINGE(x) * x) + np.sum(V_MIX(x, x[::-1]) ** 2)


def poly_series(x):
    from numpy.polynomial import chebyshev, hermite_e, legendre
    from numpy.polynomial import polynomial as P

    t = np.tanh(x[:4])
    fit = chebyshev.chebval(t, x[4:]) - legendre.legval(t, [0.5, x[0], -0.25])
    return np.sum(fit**2) + P.polyval(x[1], x[2:6]) + np.sum(hermite_e.hermeval(t, x[5:]))


def zip_named(x):
    z = zip(x, np.cos(x), strict=True)
    pairs = zip(x[:4], x[4:])
    t = 0.0
    for a, b in pairs:
        t = t + a * b
    return sum(a * b for a, b in z) + t


def chain_islice_comprehensions(x):
    from itertools import chain, islice

    parts = [x[:3], x[3:5] * 2.0, np.sin(x[5:])]
    odd = sum(v**3 for v in islice(x, 1, None, 2))
    return sum(v * v for v in chain(*parts)) + odd + sum(chain(*parts[1:]))


@dataclass
class _Normed:
    w: np.ndarray
    eps: float = 1e-3
    scale: float = field(init=False, default=2.0)
    n: float = field(init=False)

    def __post_init__(self):
        self.n = np.sqrt(np.sum(self.w**2) + self.eps)
        self.scale = self.scale * self.n

    def value(self, v):
        return self.scale * np.sum(v / self.n)


@dataclass(kw_only=True)
class _Prod:
    a: float
    b: float = 3.0
    c: float = field(init=False)

    def __post_init__(self):
        self.c = self.a * self.b


def _use(m, v):
    return m.value(v) * m.n


def dataclass_post_init(x):
    m = _Normed(x[:3], eps=x[3] ** 2)
    ms = [m, _Normed(x * 2)]
    return _use(m, x) + sum(q.n for q in ms) + _Prod(a=x[0]).c + _Prod(a=x[1], b=x[2]).c


CASES = [
    Case(dataclass_post_init, (X,), (0,), extra="hvp"),
    Case(zip_named, (X,), (0,), extra="hvp"),
    Case(chain_islice_comprehensions, (X,), (0,), extra="hvp"),
    Case(poly_series, (X,), (0,), extra="hvp"),
    Case(global_vectorize, (X,), (0,), extra="hvp"),
    Case(match_class_patterns, (X,), (0,), extra="hvp"),
    Case(isinstance_dispatch, (X,), (0,), extra="hvp"),
    Case(match_builtin_class, (X,), (0,), extra="hvp"),
]
