"""Ported cases (session 44, hunt44, part 2 of 2): an Adam optimiser class in a training loop
with early stopping, a spring network of objects holding each other, Newton solves in
``while True`` loops, recursion with a constant depth and a memoising closure; Python corners:
inheritance with ``super()``, ``__iadd__``, ``yield from``, ``match``, a dataclass method
appending to a ``default_factory`` list, f-string keys, ``zip(strict=True)``,
``deque(maxlen=)``, ``itertools`` helpers, ``math.fsum``, a user Vector with operators and
``__iter__``, properties with a setter and a classmethod factory, a class constant shadowed by
an instance attribute and a list of objects read by two builtins (the last two fixed in this
session: tests/regressions/test_hunt44).

Float64 arrays -> floats."""

from __future__ import annotations

import collections
import dataclasses
import itertools
import math

import numpy as np

from . import Case

V6 = np.array([0.7, -0.4, 1.2, 0.3, -0.9, 0.55])


class Adam:
    def __init__(self, lr=0.05, b1=0.9, b2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.m = None
        self.v = None
        self.t = 0

    def step(self, w, g):
        if self.m is None:
            self.m = np.zeros_like(w)
            self.v = np.zeros_like(w)
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        mh = self.m / (1 - self.b1**self.t)
        vh = self.v / (1 - self.b2**self.t)
        return w - self.lr * mh / (np.sqrt(vh) + self.eps)


XD = np.array([[0.1, 0.2], [0.5, -0.3], [-0.7, 0.4], [0.9, 0.9]])
YD = np.array([0.2, 0.1, -0.5, 0.8])


def adam_training(w0):
    w = w0[:2].copy()
    opt = Adam()
    hist = {"loss": []}
    for _ in range(5):
        pred = np.tanh(XD @ w)
        r = pred - YD
        hist["loss"].append(np.mean(r**2))
        w = opt.step(w, 2 * XD.T @ (r * (1 - pred**2)) / len(YD))
        if len(hist["loss"]) > 2 and hist["loss"][-1] > hist["loss"][-2]:
            break
    return np.mean((np.tanh(XD @ w) - YD) ** 2) + sum(hist["loss"])


class Mass:
    def __init__(self, x, m):
        self.x, self.v, self.m = x, np.zeros(2), m
        self.f = np.zeros(2)


class Spring:
    def __init__(self, a, b, k, rest):
        self.a, self.b, self.k, self.rest = a, b, k, rest

    def apply(self):
        d = self.b.x - self.a.x
        r = np.sqrt(d @ d)
        f = self.k * (r - self.rest) * d / r
        self.a.f = self.a.f + f
        self.b.f = self.b.f - f


def spring_network(p):
    ms = [Mass(p[0:2], 1.0), Mass(p[2:4], 2.0), Mass(np.array([p[4], 1.0]), 1.5)]
    ss = [
        Spring(ms[0], ms[1], 3.0, 1.0),
        Spring(ms[1], ms[2], 2.0, 0.5),
        Spring(ms[0], ms[2], 1.0, 1.2),
    ]
    for _ in range(4):
        for q in ms:
            q.f = np.zeros(2)
        for s in ss:
            s.apply()
        for q in ms:
            q.v = q.v + 0.05 * q.f / q.m
            q.x = q.x + 0.05 * q.v
    return sum(np.sum(q.x**2) for q in ms)


def newton_cubic(x):
    out = 0.0
    for a in x:
        t, it = 1.0, 0
        while True:
            ft = t**3 + t - a
            if abs(ft) < 1e-13 or it > 50:
                break
            t -= ft / (3 * t**2 + 1)
            it += 1
        out += t * t
    return out


def _rec_pow(x, n):
    if n == 0:
        return 1.0
    h = _rec_pow(x, n // 2)
    return h * h * (x if n % 2 else 1.0)


def memo_recursion(x):
    cache = {}

    def f(n):
        if n in cache:
            return cache[n]
        r = x[0] if n < 2 else f(n - 1) * 0.5 + f(n - 2) * x[1]
        cache[n] = r
        return r

    return f(8) + _rec_pow(x[2], 7)


class Layer:
    def __init__(self, w, b):
        self.w, self.b = w, b

    def __call__(self, x):
        return np.tanh(self.w * x + self.b)


class ScaledLayer(Layer):
    def __init__(self, w, b, s=2.0):
        super().__init__(w, b)
        self.s = s

    def __call__(self, x):
        return self.s * super().__call__(x)


def super_layers(x):
    l1, l2 = ScaledLayer(x[0], x[1]), Layer(x[2], 0.1)
    h = 0.5
    for layer in (l1, l2, l1):
        h = layer(h)
    return h


class Acc:
    def __init__(self, a):
        self.a = a

    def __iadd__(self, o):
        self.a = self.a + o.a
        return self


def iadd_yield_match(x):
    acc = Acc(np.zeros(2))
    for i in range(3):
        acc += Acc(x[2 * i : 2 * i + 2] * (i + 1))
    s = float(np.sum(acc.a**2))

    def squares(v):
        yield from (t * t for t in v[:3])
        yield from (math.sin(t) for t in v[3:])

    s += sum(squares(x))
    for i, v in enumerate(x):
        match i % 3:
            case 0:
                s += v**2
            case 1:
                s += math.sin(v)
            case _:
                s -= v
    return s


@dataclasses.dataclass
class Oscillator:
    pos: float
    vel: float
    hist: list = dataclasses.field(default_factory=list)

    def step(self, dt):
        self.vel -= dt * self.pos
        self.pos += dt * self.vel
        self.hist.append(self.pos)


def dataclass_history(x):
    s = Oscillator(x[0], x[1])
    for _ in range(5):
        s.step(0.1)
    return sum(s.hist) + s.vel


def keys_windows_itertools(x):
    d = {f"w{i}": v for i, v in enumerate(x)}
    s = sum(v * len(k) for k, v in sorted(d.items()))
    s += sum(a * b for a, b in zip(x[:3], x[3:], strict=True))
    w = collections.deque(maxlen=3)
    for v in x:
        w.append(v)
        s += sum(w) / len(w) * v
    c = list(itertools.accumulate(x))
    s += c[-1] * sum(a * b for a, b in itertools.pairwise(x))
    s += sum(a * b for a, b in itertools.product(x[:2], x[2:4]))
    return s + math.fsum(v * v for v in x) + d["w2"] ** 2


class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __radd__(self, o):
        return self if o == 0 else self + o

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __abs__(self):
        return math.hypot(self.x, self.y)

    def __matmul__(self, o):
        return self.x * o.x + self.y * o.y

    def __iter__(self):
        yield self.x
        yield self.y


def vector_class(x):
    vs = [Vec(x[i], x[i + 1]) for i in range(0, 6, 2)]
    s = sum(vs)
    t = 2 * vs[0] - vs[1] * 3.0
    a, b = t
    return abs(s) + (s @ t) + a * b


class Circle:
    scale = 1.0

    def __init__(self, r):
        self._r = r

    @property
    def area(self):
        return self.scale * math.pi * self._r**2

    @property
    def r(self):
        return self._r

    @r.setter
    def r(self, v):
        self._r = abs(v)

    @classmethod
    def of_diameter(cls, d):
        return cls(d / 2)


def circle_properties(x):
    c = Circle.of_diameter(x[0])
    c.r = c.r * x[1]
    c.scale = 0.5
    return c.area + Circle(1.0).area * x[2]


class Money:
    def __init__(self, a):
        self.a = a

    def __lt__(self, o):
        return self.a < o.a


def extremes_of_objects(x):
    ms = [Money(v) for v in (x[0], x[1], x[2], x[3])]
    hi = max(ms, key=lambda o: o.a)
    lo = min(ms, key=lambda o: o.a)
    return hi.a**2 + lo.a + sorted(ms)[1].a * len(ms)


CASES = [
    Case(adam_training, (V6,), (0,), jitter=0.0),
    Case(spring_network, (V6,), (0,), extra="hvp"),
    Case(newton_cubic, (V6,), (0,), extra="hvp", jitter=0.0),
    Case(memo_recursion, (V6,), (0,), extra="hvp"),
    Case(super_layers, (V6,), (0,), extra="hvp"),
    Case(iadd_yield_match, (V6,), (0,), extra="hvp"),
    Case(dataclass_history, (V6,), (0,), extra="hvp"),
    Case(keys_windows_itertools, (V6,), (0,), extra="hvp"),
    Case(vector_class, (V6,), (0,), extra="hvp"),
    Case(circle_properties, (np.abs(V6) + 0.1,), (0,), extra="hvp"),
    Case(extremes_of_objects, (np.array([0.8, 0.5, 1.3, 0.45]),), (0,), extra="hvp"),
]
