"""Ported cases (session 28, hunt28b), written anew after user classes in Python rather than NumPy:
a polynomial class with ``__add__``/``__radd__``/``__mul__``/``__rmul__``/``__neg__``/``__call__``/
``__len__``/``__getitem__``/``__iter__`` (refused: its operators build objects whose ``__init__``
stores ``list(coeffs)`` in branches and comprehensions), a layer hierarchy with ``super().__init__``
and an overriding ``act`` calling ``super().act``, ``@property`` with a setter, ``@staticmethod`` and a
``@classmethod`` constructor, callable activation objects chosen by a string config, dataclasses with
``field(default_factory=list)`` (with ``__post_init__``: refused), a ``Vec`` built by ``*`` of a
generator (refused), a ``list`` subclass clamping ``__getitem__`` (refused), an accumulator whose
``add`` returns ``self``, chained as a statement (refused before this session), two objects holding
one array (refused), springs as dataclasses with an ``energy`` method, a callable counter appending
to a list field, objects in a list updated and sorted by ``key=``, a classmethod on a local class.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import Case, refused_everywhere, refused_when_differentiated

X3 = np.array([0.3, -0.5, 0.8])
X4 = np.array([0.3, -0.5, 0.8, 0.45])


class Poly:
    def __init__(self, coeffs):
        self.c = list(coeffs)

    def __len__(self):
        return len(self.c)

    def __getitem__(self, i):
        return self.c[i] if i < len(self.c) else 0.0

    def __iter__(self):
        return iter(self.c)

    def __add__(self, other):
        if not isinstance(other, Poly):
            other = Poly([other])
        n = max(len(self), len(other))
        return Poly([self[i] + other[i] for i in range(n)])

    __radd__ = __add__

    def __neg__(self):
        return Poly([-a for a in self.c])

    def __sub__(self, other):
        return self + (-other)

    def __mul__(self, other):
        if not isinstance(other, Poly):
            return Poly([a * other for a in self.c])
        out = [0.0] * (len(self) + len(other) - 1)
        for i, a in enumerate(self.c):
            for j, b in enumerate(other.c):
                out[i + j] += a * b
        return Poly(out)

    def __rmul__(self, other):
        return self * other

    def __call__(self, t):
        acc = 0.0
        for a in reversed(self.c):
            acc = acc * t + a
        return acc


def poly_ops(x):
    p = Poly([x[0], x[1], 1.0])
    q = Poly([1.0, -x[2]])
    r = p * q - 2.0 * p + 0.5
    return r(0.7) + sum(r) + len(r)


def poly_sum_list(x):
    ps = [Poly([a, a * a]) for a in x]
    tot = sum(ps)
    return tot(1.3) * tot[1]


class Layer:
    def __init__(self, w):
        self.w = w

    def act(self, z):
        return z

    def __call__(self, h):
        return self.act(h @ self.w)


class TanhLayer(Layer):
    def __init__(self, w, scale=1.0):
        super().__init__(w * scale)
        self.scale = scale

    def act(self, z):
        return np.tanh(z)


class SoftLayer(TanhLayer):
    def act(self, z):
        return super().act(z) + 0.1 * z


def hierarchy(x):
    W = x.reshape(2, 2)
    layers = [Layer(W), TanhLayer(W, 0.5), SoftLayer(W.T, 2.0)]
    h = np.array([0.3, -0.2])
    for L in layers:
        h = L(h)
    return np.sum(h**2)


class Circle:
    PI = math.pi

    def __init__(self, r):
        self._r = r

    @property
    def r(self):
        return self._r

    @r.setter
    def r(self, v):
        self._r = abs(v)

    @property
    def area(self):
        return self.PI * self.r**2

    @staticmethod
    def perim_of(r):
        return 2 * Circle.PI * r

    @classmethod
    def unit_scaled(cls, s):
        return cls(s)


def props(x):
    c = Circle.unit_scaled(x[0])
    a = c.area
    c.r = x[1] * 2.0
    return a + c.area + Circle.perim_of(c.r)


class Act:
    def __init__(self, kind, slope=0.1):
        self.kind = kind
        self.slope = slope

    def __call__(self, z):
        if self.kind == "tanh":
            return np.tanh(z)
        elif self.kind == "leaky":
            return np.where(z > 0, z, self.slope * z)
        elif self.kind == "softplus":
            return np.log1p(np.exp(z))
        return z


def act_config(x):
    cfg = {"acts": ["tanh", "leaky", "softplus", "id"], "slope": 0.2}
    h = x
    for name in cfg["acts"]:
        h = Act(name, cfg["slope"])(h) * 1.1
    return float(np.sum(h))


@dataclass
class Model:
    w: np.ndarray
    history: list = field(default_factory=list)
    lr: float = 0.1

    def __post_init__(self):
        self.w = np.asarray(self.w, dtype=float) * 1.0
        self.n = len(self.w)

    def step(self):
        g = 2 * self.w + np.sin(self.w)
        self.w = self.w - self.lr * g
        self.history.append(float(np.sum(self.w**2)))


def dataclass_hist(x):
    m = Model(x)
    for _ in range(3):
        m.step()
    return sum(m.history) / m.n


@dataclass
class Buffer:
    items: list = field(default_factory=list)
    scale: float = 2.0

    def push(self, v):
        self.items.append(v * self.scale)

    def total(self):
        return sum(np.sum(v) for v in self.items)


def dataclass_buffer(x):
    b = Buffer()
    b2 = Buffer(scale=0.5)
    for i in range(len(x)):
        b.push(x[i] ** 2)
        b2.push(x[: i + 1])
    return b.total() * b2.total()


class Vec:
    def __init__(self, *xs):
        self.xs = tuple(xs)

    def __iter__(self):
        yield from self.xs

    def __add__(self, o):
        return Vec(*(a + b for a, b in zip(self, o)))

    def __mul__(self, s):
        return Vec(*(a * s for a in self))

    __rmul__ = __mul__

    def dot(self, o):
        return sum(a * b for a, b in zip(self, o))

    def __abs__(self):
        return math.sqrt(self.dot(self))


def vec_iter(x):
    a = Vec(x[0], x[1], x[2])
    b = Vec(1.0, x[0], -x[1])
    c = 0.5 * a + b * 3.0
    return abs(c) + a.dot(b)


class ClampedList(list):
    def __getitem__(self, i):
        i = min(max(i, 0), len(self) - 1)
        return super().__getitem__(i)


def clamped_list(x):
    L = ClampedList([x[0], x[1], x[2]])
    return L[-1] * L[5] + L[1] ** 2


class Accum:
    def __init__(self, n):
        self.buf = np.zeros(n)

    def add(self, v, w=1.0):
        self.buf += w * v
        return self

    def value(self):
        return np.dot(self.buf, self.buf)


def accum_chain(x):
    a = Accum(len(x))
    a.add(x).add(x**2, w=0.5).add(np.sin(x))
    snap = a.buf.copy()
    a.add(snap)
    return a.value() + snap[0]


class Holder:
    def __init__(self, arr):
        self.arr = arr

    def bump(self, k):
        self.arr[0] += k


def shared_holders(x):
    a = x.copy()
    h1 = Holder(a)
    h2 = Holder(a)
    h1.bump(x[1] ** 2)
    h2.bump(x[2])
    return np.sum(h1.arr * h2.arr) + a[0]


@dataclass
class Spring:
    k: float
    rest: float

    def energy(self, d):
        return 0.5 * self.k * (d - self.rest) ** 2


def springs_obj(x):
    springs = [Spring(2.0, 0.5), Spring(1.0, 1.0), Spring(3.0, 0.2)]
    pos = [0.0, x[0], x[1], x[2]]
    return sum(s.energy(pos[i + 1] - pos[i]) for i, s in enumerate(springs))


class Tally:
    def __init__(self, scale):
        self.scale = scale
        self.seen = []

    def __call__(self, v):
        self.seen.append(v)
        return self.scale * v**2


def callable_state(x):
    c = Tally(1.5)
    tot = c(x[0]) + c(x[1])
    tot += c(x[2] * tot)
    return tot + sum(c.seen) * len(c.seen)


def objects_list_update(x):
    class P:
        def __init__(self, v):
            self.v = v

    ps = [P(x[0]), P(x[1]), P(x[2])]
    for p in ps:
        p.v = p.v * 2.0 + 0.1
    ps.sort(key=lambda p: p.v)
    return ps[0].v * ps[-1].v


def classmethod_ctor(x):
    class Gauss:
        def __init__(self, mu, sig):
            self.mu = mu
            self.sig = sig

        @classmethod
        def standard(cls):
            return cls(0.0, 1.0)

        def logpdf(self, v):
            return -0.5 * ((v - self.mu) / self.sig) ** 2 - math.log(self.sig)

    g = Gauss.standard()
    h = Gauss(x[0], 2.0)
    return sum(g.logpdf(v) + h.logpdf(v) for v in x)


_INIT = (
    "`{}(...)` built {}: srcad builds an object whose `__init__` computes a field (`list(c)`, "
    "`np.asarray(w)`) only in straight-line code of the function"
)

CASES = [
    Case(poly_ops, (X3,), (0,)),  # (lifted in session 47: hunt47b's isinstance branches)
    Case(
        poly_sum_list,
        (X3,),
        (0,),
        xfail=refused_when_differentiated(_INIT.format("Poly", "in a comprehension")),
    ),
    Case(hierarchy, (X4,), (0,), extra="hvp"),
    Case(props, (np.array([0.7, 0.4]),), (0,), extra="hvp"),
    Case(act_config, (X3,), (0,), extra="hvp"),
    Case(dataclass_hist, (X3,), (0,)),  # (a `__post_init__` and a `default_factory` field)
    Case(dataclass_buffer, (X3,), (0,), extra="hvp"),
    Case(
        vec_iter,
        (X3,),
        (0,),
        xfail=refused_everywhere("`Vec(*(a + b for ...))`: `*` of a generator in a call"),
    ),
    Case(
        clamped_list,
        (X3,),
        (0,),
        xfail=refused_when_differentiated("a `list` subclass overriding `__getitem__`"),
    ),
    Case(accum_chain, (X3,), (0,), extra="hvp"),
    # two objects holding one array, updated through both (refused as an alias until session 36)
    Case(shared_holders, (X3,), (0,), extra="hvp"),
    Case(springs_obj, (X3,), (0,), extra="hvp"),
    Case(callable_state, (X3,), (0,), extra="hvp"),
    Case(objects_list_update, (X3,), (0,), extra="hvp"),
    Case(classmethod_ctor, (X3,), (0,), extra="hvp"),
]
