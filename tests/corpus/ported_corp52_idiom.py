"""Ported cases (session 52, idiom52): everyday Python idioms computing scalar losses: frozen
dataclasses updated with ``dataclasses.replace``, ``NamedTuple._replace``, enum-keyed dicts,
``sorted(params.items())``, ``dict.setdefault``, ``defaultdict(list)`` accumulation then
``np.array``, ``itertools.groupby`` over sorted keys, ``zip(*pairs)`` transposes, ``any``/``all``
guards raising ValueError, ``match`` on tuples and classes, ``functools.reduce(np.add, ...)``,
``operator.mul``/``itemgetter``, ``math.fsum`` of a generator, ``np.vectorize`` of a scalar
helper, ``np.apply_along_axis``, ``np.frompyfunc``, ``np.einsum`` with ``...`` and implicit
output, ``np.linalg.norm`` with ord/axis (spectral, nuclear), string-keyed parameter tables,
``**params`` calls, ``namedtuple._asdict``, ``itertools.starmap``, ``dataclasses.astuple``/
``asdict``, ``min``/``max`` by key, ``sorted(d.items(), key=...)``, classmethod constructors,
``__iter__`` unpacking, Newton ``while`` loops, ``isinstance`` dispatch, ``list.sort(key=...)``,
the walrus in a comprehension, ``*args, **kwargs`` forwarding, ``lru_cache`` weights, f-string
keys, and what session 52 lifted (particles built over named slices, ``np.frompyfunc``, lists
of partials over a run-time length, a lazy ``map`` of a partial, ``interp1d`` filled with the
data's end values).

Float64 arrays -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import collections
import dataclasses
import enum
import functools
import itertools
import math
import operator
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.interpolate import interp1d

from . import Case

X4 = np.array([0.7, 1.3, 0.9, 1.6])
X6 = np.array([0.4, 1.1, 0.8, 1.5, 0.6, 1.2])
M34 = np.array([[0.5, -0.3, 1.2, 0.4], [0.9, 0.2, -0.8, 1.1], [0.3, 0.7, 0.6, -0.5]])


@dataclass(frozen=True)
class State:
    pos: float
    vel: float
    t: float = 0.0


def frozen_replace(x):
    s = State(x[0], x[1])
    for _ in range(3):
        acc = -x[2] * s.pos - 0.1 * s.vel
        s = dataclasses.replace(s, vel=s.vel + 0.1 * acc)
        s = dataclasses.replace(s, pos=s.pos + 0.1 * s.vel, t=s.t + 0.1)
    return s.pos**2 + s.vel * x[3] + s.t


class Params(NamedTuple):
    mu: float
    sigma: float
    weight: float = 1.0


def namedtuple_replace(x):
    p = Params(x[0], x[1])
    p = p._replace(sigma=p.sigma * 2.0, weight=x[2])
    q = p._replace(mu=p.mu + x[3])
    return p.weight * (q.mu - p.mu) ** 2 / p.sigma + q.sigma


class Kind(enum.Enum):
    LINEAR = 1
    QUAD = 2
    SINE = 3


def enum_keyed(x):
    coef = {Kind.LINEAR: x[0], Kind.QUAD: x[1], Kind.SINE: x[2]}
    terms = {Kind.LINEAR: x[3], Kind.QUAD: x[3] ** 2, Kind.SINE: np.sin(x[3])}
    return sum(coef[k] * terms[k] for k in Kind)


def sorted_items(x):
    params = {"w2": x[1], "b": x[3], "w1": x[0], "a": x[2]}
    flat = [v for _, v in sorted(params.items())]
    return float(np.dot(np.array(flat), np.arange(1.0, 5.0)))


def setdefault_groups(x):
    groups = {}
    for i, v in enumerate(x):
        groups.setdefault(i % 2, []).append(v)
    return sum(sum(g) ** 2 for g in groups.values())


def defaultdict_lists(x):
    acc = defaultdict(list)
    for i, v in enumerate(x):
        acc["even" if i % 2 == 0 else "odd"].append(v * v)
    a = np.array(acc["even"])
    b = np.array(acc["odd"])
    return float(np.sum(a * b))


def grouped_by_key(x):
    rows = sorted([("b", x[0]), ("a", x[1]), ("b", x[2]), ("a", x[3])], key=lambda r: r[0])
    total = 0.0
    for key, grp in itertools.groupby(rows, key=lambda r: r[0]):
        vals = [v for _, v in grp]
        total += (2.0 if key == "a" else 1.0) * max(vals) * sum(vals)
    return total


def zip_transpose(x):
    pairs = [(x[0], x[1]), (x[2], x[3]), (x[1], x[2])]
    xs, ys = zip(*pairs)
    return sum(a * b for a, b in zip(xs, ys)) + max(xs) * min(ys)


def guarded(x):
    if any(v <= 0 for v in x):
        raise ValueError("positive values expected")
    if not all(np.isfinite(x)):
        raise ValueError("finite values expected")
    return float(np.sum(np.log(x) * x))


@dataclass
class Circle:
    r: float


@dataclass
class Rect:
    w: float
    h: float


def _area(shape):
    match shape:
        case Circle(r=r):
            return math.pi * r**2
        case Rect(w, h):
            return w * h
        case _:
            return 0.0


def match_classes(x):
    shapes = [Circle(x[0]), Rect(x[1], x[2]), Circle(x[3])]
    return sum(_area(s) for s in shapes)


def match_tuples(x):
    total = 0.0
    for item in [("scale", x[0]), ("shift", x[1], x[2]), ("pow", x[3])]:
        match item:
            case ("scale", a):
                total = total * a + a
            case ("shift", a, b):
                total = total + a - b
            case ("pow", p):
                total = total**2 * p
    return total


def reduce_add(x):
    parts = [np.sin(x * k) for k in range(1, 4)]
    s = functools.reduce(np.add, parts)
    return float(np.sum(s**2))


def operator_tools(x):
    prod = functools.reduce(operator.mul, x)
    rows = [(x[0], x[1]), (x[2], x[3])]
    second = list(map(operator.itemgetter(1), rows))
    return prod + sum(second) * operator.add(x[0], x[3])


def fsum_generator(x):
    return math.fsum(v * v / (1.0 + v) for v in x) + math.fsum([x[0], x[1]])


def _huber(v, delta=1.0):
    return 0.5 * v * v if abs(v) <= delta else delta * (abs(v) - 0.5 * delta)


def vectorized(x):
    h = np.vectorize(_huber)
    return float(np.sum(h(x - 1.0)))


def _row_energy(r):
    return np.sum(r**2) - r[0] * r[-1]


def along_axis(x):
    m = np.outer(x, x[::-1])
    return float(np.sum(np.apply_along_axis(_row_energy, 1, m)))


def _soft(a, b):
    return a * b / (a + b)


def frompyfunc_soft(x):
    f = np.frompyfunc(_soft, 2, 1)
    return float(np.sum(f(x, x[::-1]).astype(float)))


def einsum_ellipsis(x):
    a = np.outer(x, x).reshape(2, 2, 4)
    b = np.einsum("...i,...i", a, a)
    c = np.einsum("ij,jk", a[0], a[1].T)
    return float(np.sum(b) + np.trace(c))


def norms(x):
    m = np.outer(x, x[:3]) + np.eye(4, 3)
    return (
        np.linalg.norm(x, ord=1)
        + np.linalg.norm(x, ord=3)
        + np.sum(np.linalg.norm(m, axis=0))
        + np.linalg.norm(m, ord="fro")
        + np.sum(np.linalg.norm(m, ord=np.inf, axis=1))
    )


TABLE = {"relu": (0.0, 1.0), "leaky": (0.1, 1.0), "linear": (1.0, 1.0)}


def string_table(x, kind="leaky"):
    lo, hi = TABLE[kind]
    y = np.where(x > 1.0, hi * x, lo * x)
    return float(np.sum(y**2))


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel


def particles(x):
    P, V = x[:3], x[3:]
    ps = [Particle(p, v) for p, v in zip(P, V)]
    for _ in range(4):
        for p in ps:
            p.vel = p.vel - 0.1 * p.pos
            p.pos = p.pos + 0.1 * p.vel
    return sum(0.5 * p.vel**2 + 0.5 * p.pos**2 for p in ps)


def _model(t, a, b, c=0.0):
    return a * t**2 + b * t + c


def dict_kwargs(x):
    params = dict(zip(("a", "b", "c"), x[:3]))
    return sum(_model(t, **params) ** 2 for t in (0.5, x[3]))


Pt = collections.namedtuple("Pt", ["x", "y"])


def namedtuple_asdict(x):
    p = Pt(x[0], x[1])
    d = p._asdict()
    return sum(v * v for v in d.values()) + d["x"] * x[2]


def starmap_mul(x):
    pairs = list(zip(x, x[::-1]))
    return sum(itertools.starmap(operator.mul, pairs)) + sum(map(operator.mul, x, x))


@dataclass
class Cfg:
    lr: float
    mom: float


def dataclass_astuple(x):
    c = Cfg(x[0], x[1])
    lr, mom = dataclasses.astuple(c)
    d = dataclasses.asdict(c)
    return lr * mom + d["lr"] ** 2


def min_by_key(x):
    cands = [(x[0], "a"), (x[1] * 0.5, "b"), (x[2], "c")]
    best = min(cands, key=lambda c: c[0])
    worst = max(cands, key=operator.itemgetter(0))
    return best[0] * x[3] + worst[0]


def einsum_implicit(x):
    m = np.outer(x, x) + np.eye(4)
    return np.einsum("ii", m) + np.einsum("ij,ij", m, m) + float(np.sum(np.einsum("ij", m)))


def sorted_by_value(x):
    d = {"p": x[0], "q": x[1], "r": x[2], "s": x[3]}
    total = 0.0
    for rank, (_k, v) in enumerate(sorted(d.items(), key=lambda kv: kv[1])):
        total += (rank + 1) * v
    return total


class Poly2:
    def __init__(self, coefs):
        self.coefs = list(coefs)

    @classmethod
    def from_array(cls, a):
        return cls(a[:3])

    @staticmethod
    def basis(t, k):
        return t**k

    def __call__(self, t):
        return sum(c * self.basis(t, k) for k, c in enumerate(self.coefs))


def classmethod_ctor(x):
    p = Poly2.from_array(x)
    return p(x[3]) ** 2


class Triple:
    def __init__(self, a, b, c):
        self.a, self.b, self.c = a, b, c

    def __iter__(self):
        yield self.a
        yield self.b
        yield self.c


def iter_protocol(x):
    t = Triple(x[0], x[1] * x[2], x[3])
    a, b, c = t
    return sum(t) + a * c - b


def newton_sqrt(x):
    out = 0.0
    for v in x:
        g = v
        while abs(g * g - v) > 1e-12:
            g = 0.5 * (g + v / g)
        out += g
    return out


def isinstance_dispatch(x):
    items = [x[0], (x[1], x[2]), [x[3], 2.0]]
    s = 0.0
    for it in items:
        if isinstance(it, tuple):
            s += it[0] * it[1]
        elif isinstance(it, list):
            s += sum(it)
        else:
            s += it**2
    return s


def list_sort_key(x):
    rows = [[x[0], 3.0], [x[1], 1.0], [x[2], 2.0]]
    rows.sort(key=lambda r: r[1])
    return sum(i * r[0] for i, r in enumerate(rows)) + x[3]


def walrus_comp(x):
    vals = [y for v in x if (y := v * v - 1.0) > 0.0]
    return sum(vals) + len(vals)


def _wrapped(f, *args, **kwargs):
    return 2.0 * f(*args, **kwargs)


def forwarding(x):
    return _wrapped(_model, x[0], x[1], b=x[2], c=x[3])


def prod_cumsum(x):
    return math.prod(x) + float(np.sum(np.cumsum(x) * np.diff(x, prepend=0.0)))


@functools.lru_cache(maxsize=8)
def _weight(k):
    return 1.0 / (k + 1)


def lru_weights(x):
    return sum(_weight(k) * v for k, v in enumerate(x))


def fstring_keys(x):
    d = {f"w{i}": v for i, v in enumerate(x)}
    return sum(d[f"w{i}"] * d["w" + str(3 - i)] for i in range(4))


def spectral_norm(x):
    m = np.outer(x[:2], x[2:]) + np.diag(x[:2])
    return np.linalg.norm(m, ord=2) + np.linalg.norm(m, ord=-2) + np.linalg.norm(m, ord="nuc")


def _shifted(a, b, c=1.0):
    return c * np.tanh(a - b)


def partial_list(x):
    fs = [functools.partial(_shifted, v, c=x[0]) for v in x]
    return sum(f(0.5) ** 2 for f in fs) + fs[0](x[1]) * len(fs)


def lazy_partial_map(x):
    scale = x[0]
    terms = map(functools.partial(_shifted, scale, c=scale), x)
    scale = 2.0
    total = 0.0
    for t in terms:
        total += t * scale
    return total


XP5 = np.array([0.0, 0.5, 1.0, 1.5])


def interp_clamped(x):
    y = np.cumsum(x**2)
    f = interp1d(XP5, y, fill_value=(y[0], y[-1]), bounds_error=False)
    q = np.array([-0.2, 0.3, 0.9, 1.2, 1.8])
    return float(np.sum(f(q) * q))


CASES = [
    Case(frozen_replace, (X4,), (0,)),
    Case(namedtuple_replace, (X4,), (0,)),
    Case(enum_keyed, (X4,), (0,)),
    Case(sorted_items, (X4,), (0,)),
    Case(setdefault_groups, (X4,), (0,)),
    Case(defaultdict_lists, (X4,), (0,)),
    Case(grouped_by_key, (X4,), (0,)),
    Case(zip_transpose, (X4,), (0,)),
    Case(guarded, (X4,), (0,)),
    Case(match_classes, (X4,), (0,)),
    Case(match_tuples, (X4,), (0,)),
    Case(reduce_add, (X4,), (0,)),
    Case(operator_tools, (X4,), (0,)),
    Case(fsum_generator, (X4,), (0,)),
    Case(vectorized, (X4,), (0,)),
    Case(along_axis, (X4,), (0,)),
    Case(frompyfunc_soft, (X4,), (0,)),
    Case(einsum_ellipsis, (X4,), (0,)),
    Case(norms, (X4,), (0,)),
    Case(string_table, (X4,), (0,)),
    Case(particles, (X6,), (0,)),
    Case(dict_kwargs, (X4,), (0,)),
    Case(namedtuple_asdict, (X4,), (0,)),
    Case(starmap_mul, (X4,), (0,)),
    Case(dataclass_astuple, (X4,), (0,)),
    Case(min_by_key, (X4,), (0,)),
    Case(einsum_implicit, (X4,), (0,)),
    Case(sorted_by_value, (X4,), (0,)),
    Case(classmethod_ctor, (X4,), (0,)),
    Case(iter_protocol, (X4,), (0,)),
    Case(newton_sqrt, (X4,), (0,)),
    Case(isinstance_dispatch, (X4,), (0,)),
    Case(list_sort_key, (X4,), (0,)),
    Case(walrus_comp, (X4,), (0,)),
    Case(forwarding, (X4,), (0,)),
    Case(prod_cumsum, (X4,), (0,)),
    Case(lru_weights, (X4,), (0,)),
    Case(fstring_keys, (X4,), (0,)),
    Case(spectral_norm, (X4,), (0,)),
    Case(partial_list, (X4,), (0,)),
    Case(lazy_partial_map, (X4,), (0,)),
    Case(interp_clamped, (X4,), (0,)),
]
