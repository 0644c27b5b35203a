"""Ported cases (session 12, hunt12), written anew after the Python idioms of users' code: dicts
of parameters, a dataclass accumulator with methods, a polynomial class, generators, enumerate/
zip, a Newton loop with a break, early returns, namedtuples, itertools, list methods, **kwargs,
try/except; objects built in the function (a method returning a lambda that reads a field
written later, dataclasses.replace in a loop, super() dispatch, an optax-style (init, update)
pair, a module holding a dict, operator overloading); random programs mixing them.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np

from . import Case

# -- py --------------------------------------------------------------------------------

X_PY = np.array([0.3, -0.4, 0.9, 0.2])


Params = namedtuple("Params", ["a", "b"])


def py_dict_params(w):
    params = {"w": w[:2], "b": w[2], "s": w[3]}
    out = 0.0
    for name, val in params.items():
        if name == "b":
            out += val**2
        else:
            out += np.sum(np.sin(val)) * (2.0 if name == "w" else 1.0)
    return out


@dataclass
class Acc:
    total: float = 0.0
    n: int = 0
    hist: list = field(default_factory=list)

    def add(self, v):
        self.total += v
        self.n += 1
        self.hist.append(v)

    def mean(self):
        return self.total / self.n


def py_dataclass_acc(w):
    acc = Acc()
    for v in w:
        acc.add(v * v + math.cos(v))
    return acc.mean() + acc.hist[-1] * acc.hist[0]


class Poly:
    def __init__(self, coeffs):
        self.c = list(coeffs)

    def __call__(self, x):
        r = 0.0
        for a in reversed(self.c):
            r = r * x + a
        return r

    def deriv(self):
        return Poly([i * a for i, a in enumerate(self.c)][1:])


def py_class_poly(w):
    p = Poly(w)
    return p(0.7) + p.deriv()(1.3) * p(w[0])


def py_generator_sum(w):
    def pairs(v):
        for i in range(len(v) - 1):
            yield v[i], v[i + 1]

    return sum(a * b - math.exp(-a * a) for a, b in pairs(w))


def py_while_break(w):
    x = float(w[0])
    it = 0
    while True:
        x = x - 0.3 * (x**3 - w[1] - 2.0) / (3 * x**2 + 1.0)
        it += 1
        if it >= 8:
            break
    return x * w[2] + w[3]


def _early(v):
    if v[0] > 0.5:
        return v[0] ** 2
    if v[1] < -0.2:
        return np.sin(v[1]) + v[2]
    return v[2] * v[3]


def py_early_returns(w):
    return _early(w) + _early(w[::-1]) * 2


def py_namedtuple(w):
    p = Params(w[0], w[1:3])
    q = p._replace(a=p.a * 2)
    return q.a * np.sum(q.b) + p.a**2 + w[3]


def py_itertools(w):
    s = 0.0
    for a, b in itertools.combinations(w, 2):
        s += a * b
    for a, b in itertools.pairwise(w):
        s += (a - b) ** 2
    return s + sum(itertools.accumulate(w))


def py_list_methods(w):
    xs = list(w)
    xs.sort()
    xs.insert(1, xs[0] * 2)
    y = xs.pop()
    xs.extend([y, y * y])
    return sum(xs) + xs.index(y) * y + max(xs) * min(xs)


def py_kwargs_dict(w):
    def model(x, **kw):
        return kw["a"] * x + kw.get("b", 0.0) * x**2 + kw.get("c", 1.0)

    cfg = dict(a=w[0], b=w[1])
    return model(w[2], **cfg) + model(w[3], a=1.0)


def py_try_except(w):
    s = 0.0
    for v in w:
        try:
            s += math.sqrt(v)
        except ValueError:
            s += v
    return s


# -- obj --------------------------------------------------------------------------------

X_OBJ = np.array([0.3, -0.4, 0.9, 0.2])


class Linear:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return x * self.w + self.b

    def make(self):
        return lambda v: self(v) * 2.0


def obj_method_lambda_after_write(x):
    lin = Linear(x[0], x[1])
    f = lin.make()
    a = f(x[2])
    lin.w = x[3] ** 2
    return a + f(x[2])


@dataclass
class Cfg:
    lr: float
    mom: float = 0.9


def obj_dataclass_replace_loop(x):
    c = Cfg(lr=x[0])
    v = 0.0
    p = x[1]
    for _i in range(5):
        g = 2 * p - x[2]
        v = c.mom * v + g
        p = p - c.lr * v
        c = dataclasses.replace(c, lr=c.lr * 0.9)
    return p**2 + c.lr * x[3]


class Base:
    def __init__(self, s):
        self.s = s

    def f(self, v):
        return v * self.s

    def g(self, v):
        return self.f(v) + 1.0


class Child(Base):
    def f(self, v):
        return super().f(v) ** 2


def obj_inheritance_dispatch(x):
    objs = [Base(x[0]), Child(x[1])]
    return sum(o.g(x[2]) for o in objs) + Child(x[3]).g(x[0])


class Prop:
    def __init__(self, r):
        self._r = r

    @property
    def area(self):
        return math.pi * self._r**2

    @staticmethod
    def unit():
        return 1.0

    @classmethod
    def from_d(cls, d):
        return cls(d / 2)


def make_opt(lr):
    def init(p):
        return {"p": p, "m": 0.0 * p}

    def update(state, g):
        m = 0.9 * state["m"] + g
        return {"p": state["p"] - lr * m, "m": m}

    return init, update


def obj_optax_style(x):
    init, update = make_opt(0.1 + 0.01 * x[3])
    st = init(x[:3])
    for _ in range(4):
        g = 2 * st["p"] - 1.0
        st = update(st, g)
    return np.sum(st["p"] ** 2) + np.sum(st["m"])


class Module:
    def __init__(self):
        self.params = {}

    def add(self, name, v):
        self.params[name] = v
        return self

    def forward(self, v):
        out = v
        for k in sorted(self.params):
            out = np.tanh(out * self.params[k])
        return out


def obj_module_dict_params(x):
    m = Module().add("b", x[1]).add("a", x[0])
    m.add("c", x[2])
    return m.forward(x[3]) + m.params["a"] ** 2


class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    __rmul__ = __mul__

    def norm2(self):
        return self.x**2 + self.y**2


def obj_operator_overload(x):
    a = Vec(x[0], x[1])
    b = Vec(x[2], x[3])
    c = a + 2.0 * b + a * x[0]
    return c.norm2() + (a + b).x


# -- mix --------------------------------------------------------------------------------

X_MIX = np.array([1.0351, 0.6714, 1.4513, -0.3742, -0.4306, 1.4903])


R = np.random.default_rng(19300003)


def mix_r1(x):
    acc = []
    for _i, v in enumerate(x):
        if v > 0:
            acc.append(v * acc[-1] if acc else v)
        else:
            acc.append(math.exp(v))
    return sum(acc) * acc[len(acc) // 2]


def mix_r3(x):
    y = np.zeros(6)
    k = 0
    while k < 6:
        y[k] = x[k] * (y[k - 1] if k > 0 else 1.0)
        if abs(y[k]) > 10:
            y[k] = 10.0
        k += 1
    return np.sum(y)


def mix_r4(x):
    def step(state, inp):
        h, c = state
        h = np.tanh(h * 0.5 + inp)
        c = c + h**2
        return (h, c), h * 2

    st = (0.0, 0.0)
    ys = []
    for inp in x:
        st, y = step(st, inp)
        ys.append(y)
    return st[1] + sum(ys)


def mix_r7(x):
    groups = {}
    for i, v in enumerate(x):
        key = "pos" if v > 0 else "neg"
        groups[key] = groups.get(key, 0.0) + v * (i + 1)
    return groups.get("pos", 0.0) ** 2 - groups.get("neg", 0.0)


def mix_r10(x):
    y = np.cumsum(x[::-1])[::-1]
    w = np.maximum.accumulate(x)
    return np.sum(y * w) + np.sum(np.minimum.accumulate(x) ** 2)


def mix_r13(x):
    s = 0.0
    i = 0
    while True:
        s += x[i % 6] / (1 + i)
        i += 1
        if i > 8 or s > 3.0:
            break
    return s * i


def mix_r17(x):
    cache = {}

    def fib(n):
        if n in cache:
            return cache[n]
        r = x[0] if n == 0 else (x[1] if n == 1 else fib(n - 1) + 0.5 * fib(n - 2))
        cache[n] = r
        return r

    return fib(5)


def mix_r19(x):
    y = np.empty(6)
    y[:3] = x[3:]
    y[3:] = x[:3] ** 2
    y[::-1] += x
    return y @ np.arange(1.0, 7.0) + y.var()


CASES = [
    Case(py_dict_params, (X_PY,), (0,), extra="hvp"),
    Case(py_dataclass_acc, (X_PY,), (0,), extra="hvp"),
    Case(py_class_poly, (X_PY,), (0,), extra="hvp"),
    Case(py_generator_sum, (X_PY,), (0,), extra="hvp"),
    Case(py_while_break, (X_PY,), (0,), extra="hvp"),
    Case(py_early_returns, (X_PY,), (0,), extra="hvp"),
    Case(py_namedtuple, (X_PY,), (0,), extra="hvp"),
    Case(py_itertools, (X_PY,), (0,), extra="hvp"),
    Case(py_list_methods, (X_PY,), (0,), extra="hvp"),
    Case(py_kwargs_dict, (X_PY,), (0,), extra="hvp"),
    Case(py_try_except, (X_PY,), (0,), extra="hvp"),
    Case(obj_method_lambda_after_write, (X_OBJ,), (0,), extra="hvp"),
    Case(obj_dataclass_replace_loop, (X_OBJ,), (0,), extra="hvp"),
    Case(obj_inheritance_dispatch, (X_OBJ,), (0,), extra="hvp"),
    Case(obj_optax_style, (X_OBJ,), (0,), extra="hvp"),
    Case(obj_module_dict_params, (X_OBJ,), (0,), extra="hvp"),
    Case(obj_operator_overload, (X_OBJ,), (0,), extra="hvp"),
    Case(mix_r1, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r3, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r4, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r7, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r10, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r13, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r17, (X_MIX,), (0,), extra="hvp"),
    Case(mix_r19, (X_MIX,), (0,), extra="hvp"),
]
