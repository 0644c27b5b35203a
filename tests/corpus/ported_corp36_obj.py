"""Ported cases (session 36, corp36 obj), written anew as users write Python around their numbers:
closures (late binding in a list of lambdas, a variable rebound after the def, a list a nested
function appends to), properties with setters, a container class with ``__getitem__`` /
``__setitem__`` / ``__iter__``, ``__iadd__`` / ``__radd__`` and ``sum`` of objects,
``functools.total_ordering`` and ``sorted`` of objects, a context manager, ``lru_cache``, a dict
of activation functions, ``**kwargs`` forwarding, a generator defined inside the function,
``classmethod`` constructors and ``staticmethod`` helpers; bodies in nested lists and dicts of
dataclasses, ``sum``/``reduce`` of objects with operators, a class defined in the function,
ufuncs with ``out=`` slices and ``where=``, reductions with ``where=``; an alternating sign
pattern by ``islice(cycle(...))`` (a file-like ``iter`` read by ``next``/``islice``/a loop is in
tests/soundness/test_hunt36.py: `iter` and `next` have no primitive record, tests/ad/test_records).

Float parameters -> float scalars."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass

import numpy as np

from . import Case, refused_everywhere


def late_binding(w, x):
    fs = [lambda t: t * w[i] for i in range(3)]  # noqa: B023 (every lambda sees the last i)
    return sum(f(x) for f in fs)


def late_binding_default(w, x):
    fs = [lambda t, i=i: t * w[i] for i in range(3)]
    return sum(f(x) ** 2 for f in fs)


def closure_rebound(a, x):
    def g(t):
        return t * a

    first = g(x)
    a = a * a + 1.0  # g reads the new a from now on
    return first + g(x)


def closure_list_mutated(x):
    acc = [x[0]]

    def push(v):
        acc.append(acc[-1] * v)

    for v in x[1:]:
        push(v)
    return sum(acc)


class Pt:
    def __init__(self, x):
        self._x = x

    @property
    def x(self):
        return self._x

    @x.setter
    def x(self, v):
        self._x = 2.0 * v

    @property
    def sq(self):
        return self._x * self._x


def property_setter(a):
    p = Pt(a)
    p.x = p.x + 1.0
    p.x = p.sq * 0.5
    return p.x + p.sq


class Grid:
    def __init__(self, n):
        self.data = [0.0] * n

    def __getitem__(self, i):
        return self.data[i]

    def __setitem__(self, i, v):
        self.data[i] = v

    def __len__(self):
        return len(self.data)

    def __iter__(self):
        return iter(self.data)


def user_container(x):
    g = Grid(len(x))
    for i in range(len(g)):
        g[i] = x[i] * (g[i - 1] if i else 1.0) + 0.5
    return sum(v * v for v in g)


class Acc:
    def __init__(self, v):
        self.v = v

    def __iadd__(self, o):
        self.v = self.v + 2.0 * o
        return self

    def __radd__(self, o):
        return Acc(self.v + o)

    def __add__(self, o):
        return Acc(self.v + (o.v if isinstance(o, Acc) else o))


def iadd_user(x):
    a = Acc(0.0)
    b = a
    for v in x:
        a += v * v
    return a.v + b.v


def sum_user_objects(x):
    objs = [Acc(v) for v in x]
    total = sum(objs)
    return total.v * x[0]


@functools.total_ordering
class Item:
    def __init__(self, key, val):
        self.key, self.val = key, val

    def __lt__(self, o):
        return self.key < o.key

    def __eq__(self, o):
        return self.key == o.key


def sorted_user(x, y):
    items = sorted(Item(a, b) for a, b in zip(x, y))
    return sum((i + 1) * it.val * it.key for i, it in enumerate(items)) + max(items).val


class Scaled:
    def __init__(self, box, s):
        self.box, self.s = box, s

    def __enter__(self):
        self.box[0] = self.box[0] * self.s
        return self.box

    def __exit__(self, *exc):
        self.box[0] = self.box[0] / self.s
        return False


def context_manager(a, s):
    box = [a]
    with Scaled(box, s) as b:
        mid = b[0] ** 2
    return mid + box[0]


@functools.cache
def _cached(a, n):
    return a**n / math.factorial(n)


def lru_cached(a):
    return sum(_cached(a, n) for n in range(6))


ACTS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sq": np.square}


def act_dispatch(W, x, cfg):
    h = x
    for act in cfg["acts"]:
        h = ACTS[act](W @ h)
    return float(np.sum(h))


def _mlp(x, *, w, b=0.0, act="tanh"):
    return ACTS[act](w * x + b)


def kwargs_forward(x, w):
    cfg = {"w": w, "b": 0.1}
    y = _mlp(x, **cfg)
    cfg["act"] = "sq"
    return np.sum(_mlp(y, **cfg))


def generator_fn(x, k):
    def gen():
        v = 1.0
        for xi in x:
            v = v * k + xi
            yield v

    return sum(g * g for g in gen())


class Model:
    n_calls = 0

    def __init__(self, w):
        self.w = w

    @classmethod
    def from_list(cls, ws):
        return cls(np.array(ws))

    @staticmethod
    def act(z):
        return z / (1 + abs(z))

    def __call__(self, x):
        return sum(self.act(wi * xi) for wi, xi in zip(self.w, x))


def classmethod_ctor(w, x):
    m = Model.from_list([w[0], w[1] * 2, w[2]])
    return m(x) + Model.act(w[0])


@dataclass
class B:
    x: float
    v: float
    m: float = 1.0


def list_fields_nested(x0, k):
    groups = [[B(x0, 0.0), B(-x0, 0.1)], [B(0.5 * x0, 0.2, 2.0)]]
    for _ in range(6):
        for g in groups:
            for b in g:
                b.v -= 0.1 * k * b.x / b.m
            for b in g:
                b.x += 0.1 * b.v
    return sum(b.x * b.v for g in groups for b in g)


def list_fields_dict(x0, k):
    bodies = {"a": B(x0, 0.0), "b": B(-x0, 0.0, 3.0)}
    for _ in range(5):
        f = k * (bodies["b"].x - bodies["a"].x)
        bodies["a"].v += 0.1 * f / bodies["a"].m
        bodies["b"].v -= 0.1 * f / bodies["b"].m
        for _name, b in bodies.items():
            b.x += 0.1 * b.v
    return bodies["a"].x * bodies["b"].x + bodies["b"].v


class V:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __add__(self, o):
        return V(self.a + o.a, self.b + o.b)

    def __mul__(self, s):
        return V(self.a * s, self.b * s)

    __rmul__ = __mul__


def obj_sums(x):
    objs = [V(u, u * u) for u in x]
    s1 = sum(objs[1:], objs[0])
    s2 = functools.reduce(operator.add, objs)
    s3 = sum((o * 2.0 for o in objs), V(0.0, 1.0))
    s4 = functools.reduce(lambda p, q: p + q * 0.5, objs, V(1.0, 0.0))
    return s1.a * s2.b + s3.a + s3.b * s4.a + s4.b


def local_class(x, w):
    class P:
        def __init__(self, v):
            self.v = v

        def __mul__(self, s):
            return P(self.v * s)

        __rmul__ = __mul__

        def norm(self):
            return np.sum(self.v**2)

    p = P(x)
    q = 2.0 * p * w
    return q.norm() + (p * 3.0).norm()


def ufunc_out_slices(x, y):
    x = x.copy()
    np.multiply(x[:3], y[:3], out=x[1:4])
    z = np.zeros(5)
    np.add(x, y, out=z, where=y > 0)
    w = np.full(5, -1.0)
    np.log(np.abs(x), out=w, where=np.abs(x) > 0.2)
    e = np.exp(y, where=x > 0, out=np.ones(5))
    return np.sum(x * x) + np.sum(z * z) + np.sum(w) + np.sum(e)


def where_reductions(x):
    m = x > 0
    return (
        np.sum(x**2, where=m)
        + np.mean(x, where=m)
        + np.max(x, where=~m, initial=-10.0)
        + np.std(x, where=m)
        + np.prod(x, where=m)
        + np.min(np.exp(x), where=m, initial=5.0)
    )


def alternating_signs(w):
    signs = np.array(list(itertools.islice(itertools.cycle([1.0, -1.0]), len(w))))
    return np.sum(signs * w**2) + np.dot(list(itertools.islice(itertools.count(1.0), 4)), w[:4])


X5 = np.array([0.6, -1.2, 0.9, 1.7, -0.35])

CASES = [
    Case(late_binding, (np.array([0.5, 1.5, -2.0]), 0.7), (0, 1), extra="hvp"),
    Case(late_binding_default, (np.array([0.5, 1.5, -2.0]), 0.7), (0, 1)),
    Case(closure_rebound, (0.6, 1.3), (0, 1)),
    Case(closure_list_mutated, (np.array([0.5, 1.5, -2.0, 0.3]),), (0,)),
    Case(property_setter, (0.7,), (0,), extra="hvp"),
    Case(user_container, (np.array([0.5, 1.5, -2.0, 0.3]),), (0,)),
    Case(iadd_user, (np.array([0.5, 1.5, -2.0]),), (0,)),  # (lower/selfreturn.py)
    Case(sum_user_objects, (np.array([0.5, 1.5, -2.0]),), (0,)),
    Case(sorted_user, (np.array([0.5, 1.5, -2.0]), np.array([0.2, 0.4, 0.9])), (0, 1), extra="hvp"),
    Case(context_manager, (0.7, 1.8), (0, 1), extra="hvp"),
    Case(lru_cached, (0.7,), (0,)),
    Case(
        act_dispatch,
        (
            np.array([[0.5, -0.2], [0.3, 0.8]]),
            np.array([0.4, 1.0]),
            {"acts": ["tanh", "relu", "sq"]},
        ),
        (0, 1),
    ),
    Case(
        kwargs_forward,
        (np.array([0.5, 1.5, -2.0]), 0.8),
        (0, 1),  # (a dict changed before `**cfg`: lower/kwdicts.py reads the callee's keywords)
    ),
    Case(generator_fn, (np.array([0.5, 1.5, -2.0]), 0.8), (0, 1)),
    Case(classmethod_ctor, (np.array([0.5, 1.5, -2.0]), np.array([0.2, 0.4, 0.9])), (0, 1)),
    Case(
        list_fields_nested,
        (1.0, 2.0),
        (0, 1),
        xfail=refused_everywhere("assigning to attributes is not supported here"),
    ),
    Case(
        list_fields_dict,
        (1.0, 0.7),
        (0, 1),
        xfail=refused_everywhere("`bodies` is rebound to a function or module inside a loop"),
    ),
    Case(obj_sums, (X5,), (0,)),  # (the comprehension's items known: hunt47b)
    Case(local_class, (X5, 0.7), (0, 1)),
    Case(ufunc_out_slices, (X5, X5[::-1] * 0.5 + 0.1), (0, 1)),
    Case(where_reductions, (X5,), (0,)),
    Case(alternating_signs, (X5,), (0,)),
]
