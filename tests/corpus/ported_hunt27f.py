"""Ported cases (session 27, hunt27f), written anew after user classes using Python's protocols:
``__iter__``/``__len__``/``__bool__`` in a loop and a test, ``__radd__`` under ``sum(..., start)``,
``__rmul__``, a property with a setter updated by ``t.celsius += v`` (refused before this
session), a context manager object (``with``: refused), ``__eq__``/``__neg__``/``__abs__``, a class
attribute default shadowed by an instance field set in a branch (refused), a class-level counter
bumped in ``__init__`` (refused), ``getattr(cfg, name, default)``, ``__index__``; objects whose class
has ``__setitem__`` written by ``b[k] = v``, ``b[k] += v``, slices and inside its own methods as
``self[i] = v`` (crashed before this session); ``defaultdict(float)``, ``ChainMap`` configs and a
``deque(maxlen=2)`` window.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import collections
import math

import numpy as np

from . import Case, refused_when_differentiated


class Poly:
    def __init__(self, c):
        self.c = c

    def __iter__(self):
        return iter(self.c)

    def __len__(self):
        return len(self.c)

    def __bool__(self):
        return len(self.c) > 0

    def __contains__(self, v):
        return any(abs(v - ci) < 1e-9 for ci in self.c)


def iter_obj(x):
    p = Poly(x * 2.0)
    s = 0.0
    if p:
        for k, ck in enumerate(p):
            s += ck * 0.5**k
    return s**2 + len(p)


class Scalar:
    def __init__(self, v):
        self.v = v

    def __float__(self):
        return float(self.v)

    def __radd__(self, o):
        return Scalar(o + self.v)

    def __add__(self, o):
        return Scalar(self.v + (o.v if isinstance(o, Scalar) else o))

    def __mul__(self, o):
        return Scalar(self.v * (o.v if isinstance(o, Scalar) else o))

    __rmul__ = __mul__


def radd_obj(x):
    s = sum([Scalar(v) for v in x], Scalar(0.0))
    t = 2.0 * s + 1.0
    return t.v**2


def sum_default_start(x):
    s = sum(Scalar(v) * v for v in x)
    return s.v


class Temp:
    def __init__(self, k):
        self._k = k

    @property
    def celsius(self):
        return self._k - 273.15

    @celsius.setter
    def celsius(self, c):
        self._k = c + 273.15


def prop_roundtrip(x):
    t = Temp(x[0] + 300.0)
    t.celsius = t.celsius * 2
    t.celsius += x[1]
    return t._k**2 * 1e-4


class Counter:
    def __init__(self):
        self.n = 0
        self.total = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def add(self, v):
        self.n += 1
        self.total += v


def with_obj(x):
    with Counter() as c:
        for v in x:
            c.add(v * v)
    return c.total / c.n


class Vec2:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __eq__(self, o):
        return abs(self.a - o.a) < 1e-12 and abs(self.b - o.b) < 1e-12

    def __neg__(self):
        return Vec2(-self.a, -self.b)

    def __sub__(self, o):
        return Vec2(self.a - o.a, self.b - o.b)

    def __abs__(self):
        return math.hypot(self.a, self.b)

    def __getitem__(self, i):
        return (self.a, self.b)[i]


def vec_ops(x):
    u = Vec2(x[0], x[1])
    w = Vec2(x[2], x[3])
    d = u - (-w)
    same = u == w
    return abs(d) * (2.0 if same else 1.0) + d[0] * d[1]


class Default:
    scale = 2.0

    def __init__(self, v, scale=None):
        self.v = v
        if scale is not None:
            self.scale = scale

    def out(self):
        return self.v * self.scale


def class_attr_shadow(x):
    a = Default(x[0])
    b = Default(x[1], scale=x[0])
    assert Default.scale == 2.0  # the class default is unchanged
    return a.out() ** 2 + b.out()


class Layer:
    count = 0

    def __init__(self, w):
        self.w = w
        Layer.count += 1

    def __call__(self, h):
        return np.tanh(self.w * h)


def class_counter(x):
    layers = [Layer(v) for v in x]
    h = 0.5
    for layer in layers:
        h = layer(h)
    return h


def getattr_default(x):
    class Cfg:
        lr = 0.1

    cfg = Cfg()
    mom = getattr(cfg, "momentum", 0.9)
    lr = cfg.lr
    v = np.zeros_like(x)
    w = x.copy()
    for _ in range(3):
        v = mom * v - lr * 2 * w
        w = w + v
    return np.sum(w**2)


def index_dunder(x):
    class Idx:
        def __init__(self, i):
            self.i = i

        def __index__(self):
            return self.i

    return x[Idx(1)] * x[Idx(2)] ** 2


class Buf:
    def __init__(self, n):
        self.vals = [0.0] * n
        self.writes = 0

    def __setitem__(self, k, v):
        self.vals[k] = v
        self.writes += 1

    def __getitem__(self, k):
        return self.vals[k]

    def fill_from(self, x):
        for i in range(len(self.vals)):
            self[i] = x[i] * 2.0


def buf_list(x):
    b = Buf(3)
    b.fill_from(x)
    b[0] += x[1] * b[2]
    return sum(v**2 for v in b.vals) + b.writes


class DictStore:
    def __init__(self):
        self.d = {}

    def __setitem__(self, k, v):
        self.d[k] = v * 1.0

    def __getitem__(self, k):
        return self.d.get(k, 0.0)


def dict_store(x):
    s = DictStore()
    s["a"] = x[0]
    s["b"] = s["a"] * x[1] + s["zz"]
    s["a"] *= 3.0
    return s["a"] + s["b"] ** 2


class Arr:
    def __init__(self, a):
        self.a = np.array(a, dtype=float)

    def __setitem__(self, k, v):
        self.a[k] = v

    def __getitem__(self, k):
        return self.a[k]


def arr_slices(x):
    g = Arr(np.zeros(4))
    g[1:3] = x[:2]
    g[::2] += x[2] * 2
    g[-1] = g[1] * g[2]
    return np.sum(g.a**2) + g[0:2].sum()


def arr_in_while(x):
    g = Arr(np.zeros(3))
    i = 0
    while i < 3:
        g[i] = x[i] + (g[i - 1] if i > 0 else 0.0)
        i += 1
    return np.sum(g.a**2)


def defaultdict_acc(x):
    d = collections.defaultdict(float)
    for i, v in enumerate(x):
        d[i % 2] += v**2
    return d[0] * d[1] + d[5]


def chainmap_cfg(x):
    base = {"lr": 0.1, "steps": 3}
    cm = collections.ChainMap({"lr": 0.2}, base)
    w = x.copy()
    for _ in range(cm["steps"]):
        w = w - cm["lr"] * 2 * w
    return np.sum(w**2)


def deque_window(x):
    win = collections.deque(maxlen=2)
    out = 0.0
    for v in x:
        win.append(v)
        out += sum(win) ** 2
    return out


CASES = [
    Case(iter_obj, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    # a run-time list of objects summed as the loop of their `+` (ad/objsumloop.py)
    Case(radd_obj, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(sum_default_start, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(prop_roundtrip, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(with_obj, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),  # (lower/withs.py)
    Case(vec_ops, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(
        class_attr_shadow,
        (np.array([0.3, -0.5]),),
        (0,),
        xfail=refused_when_differentiated(
            "`if scale is not None: self.scale = scale` over a class-level default: "
            "the object is made at run time"
        ),
    ),
    Case(
        class_counter,
        (np.array([0.3, -0.5, 0.2]),),
        (0,),
        xfail=refused_when_differentiated(
            "`Layer.count += 1` in `__init__`: the objects are made at run time"
        ),
    ),
    Case(getattr_default, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(index_dunder, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(buf_list, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(dict_store, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(arr_slices, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(arr_in_while, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(defaultdict_acc, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(chainmap_cfg, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(deque_window, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
]
