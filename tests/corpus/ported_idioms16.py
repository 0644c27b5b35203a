"""Ported cases (session 16, idioms16): everyday Python idioms written as users write them, that
srcad refused before this session's fixes: ``itertools.chain.from_iterable`` of rows,
``bisect`` on a table of breakpoints (piecewise-linear interpolation), ``raise ... from err`` in
an input check, a dataclass subclass without its own ``@dataclass``, a ``__slots__`` vector
class, a property with a setter (a temperature), a class with ``__iter__`` (generator and
``return iter(...)``), ``takewhile``/``groupby`` with lambdas, ``scipy.linalg.svd``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15])

_XS = [0.0, 0.5, 1.0, 1.5, 2.0]
_YS = [0.0, 0.3, 1.2, 0.7, 0.1]


def _interp(t):
    i = min(max(bisect.bisect_right(_XS, t) - 1, 0), len(_XS) - 2)
    w = (t - _XS[i]) / (_XS[i + 1] - _XS[i])
    return _YS[i] * (1.0 - w) + _YS[i + 1] * w


def table_interp_flat_rows(x):
    rows = [[x[0], x[1]], [x[2] * x[3], x[4]], [x[5] ** 2]]
    return sum(_interp(abs(v)) * v + v**2 for v in itertools.chain.from_iterable(rows))


def _safe_log(v):
    try:
        return math.log(v)
    except ValueError as err:
        raise ValueError(f"log of a non-positive value {v}") from err


def checked_log_likelihood(x):
    return sum(_safe_log(v * v + 0.1) * v for v in x)


@dataclass
class Layer:
    w: np.ndarray
    b: float = 0.0

    def __call__(self, v):
        return np.tanh(self.w * v + self.b)


class Scaled(Layer):
    gain = 2.0

    def __call__(self, v):
        return self.gain * super().__call__(v)


def dataclass_subclass_layers(x):
    h = x[:4]
    layers = [Layer(x[4:]), Scaled(x[:4] * 0.5, b=0.1)]
    for layer in layers:
        h = layer(h)
    return np.sum(h**2)


class Vec2:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Vec2(self.x + o.x, self.y + o.y)

    def __mul__(self, s):
        return Vec2(self.x * s, self.y * s)

    def norm2(self):
        return self.x**2 + self.y**2


def slots_vectors(x):
    p, v = Vec2(x[0], x[1]), Vec2(x[2], x[3])
    for _ in range(3):
        p = p + v * 0.1
        v = v + Vec2(-p.x, -p.y) * 0.1
    return p.norm2() + v.norm2()


class Thermo:
    def __init__(self, kelvin):
        self._k = kelvin

    @property
    def celsius(self):
        return self._k - 273.15

    @celsius.setter
    def celsius(self, c):
        if c < -273.15:
            raise ValueError("below absolute zero")
        self._k = c + 273.15


def property_setter_thermo(x):
    t = Thermo(300.0 + x[0])
    for v in x[1:5]:
        t.celsius = t.celsius * 0.9 + v * 10.0
    return t.celsius**2 / 100.0


class Path:
    def __init__(self, pts):
        self.pts = pts

    def __iter__(self):
        for a, b in zip(self.pts[:-1], self.pts[1:]):
            yield math.hypot(b[0] - a[0], b[1] - a[1])


def iterable_class_length(x):
    path = Path([(x[0], x[1]), (x[2], x[3]), (x[4], x[5]), (x[6], x[7])])
    return sum(seg for seg in path) + sum(s**2 for s in path)


def takewhile_groupby(x):
    head = sum(v * v for v in itertools.takewhile(lambda v: abs(v) < 1.0, x))
    items = sorted([(int(abs(v) * 2), v) for v in x], key=lambda t: t[0])
    tot = 0.0
    for k, grp in itertools.groupby(items, key=lambda t: t[0]):
        vals = [v for _, v in grp]
        tot = tot + (k + 1.0) * (sum(vals) / len(vals)) ** 2
    return head + tot


def svd_spectrum(x):
    a = x.reshape(2, 4)
    u, s, vt = scipy.linalg.svd(a, full_matrices=False)
    return (
        np.sum(s**2)
        + s[0] * np.sum(np.abs(u[:, 0]))
        + np.sum(scipy.linalg.svd(a, compute_uv=False))
    )


CASES = [
    Case(table_interp_flat_rows, (X,), (0,), extra="hvp"),
    Case(checked_log_likelihood, (X,), (0,), extra="hvp"),
    Case(dataclass_subclass_layers, (X,), (0,), extra="hvp"),
    Case(slots_vectors, (X,), (0,), extra="hvp"),
    Case(property_setter_thermo, (X,), (0,), extra="hvp"),
    Case(iterable_class_length, (X,), (0,), extra="hvp"),
    Case(takewhile_groupby, (X,), (0,), extra="hvp"),
    Case(svd_spectrum, (X,), (0,), extra="hvp"),
]
