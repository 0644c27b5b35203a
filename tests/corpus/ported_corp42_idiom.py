"""Ported cases (session 42, idiom42): object-oriented Python as scientists write it, each
inside a differentiated function: inheritance with ``super()`` (a diamond too), an abstract base
with subclasses dispatched through ``__call__``, ``@property`` with a setter and overridden in
subclasses, ``functools.cached_property``, ``@classmethod`` factories and ``@staticmethod``
helpers, operator overloading (``__add__``/``__radd__``/``__mul__``/``__neg__``/``__matmul__``/
``__getitem__``/``__len__``/``__iter__``/``__iadd__``), frozen dataclasses rebuilt with
``dataclasses.replace``, ``__post_init__`` and ``field(default_factory=...)``, NamedTuple
``_replace``, IntEnum values, class attributes as constants overridden in a subclass,
``functools.total_ordering`` objects under ``max``/``min``, a method returning ``self``,
a stateful integrator and an Adam optimizer object, a tree of node objects, a Gaussian process.

Float64 arrays and floats -> floats. Each checked forward, reverse and at second order."""

from __future__ import annotations

import dataclasses
import enum
import functools
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import Case

X3 = np.array([0.3, -0.7, 1.2])
W23 = np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]])


class _Base:
    def __init__(self, scale):
        self.scale = scale

    def f(self, x):
        return self.scale * np.sin(x)


class _Child(_Base):
    def __init__(self, scale, shift):
        super().__init__(scale)
        self.shift = shift

    def f(self, x):
        return super().f(x) + self.shift * x**2


def super_chain(x):
    return np.sum(_Child(2.0, 0.5).f(x))


class _A:
    def f(self, x):
        return x


class _B(_A):
    def f(self, x):
        return super().f(x) * 2


class _C(_A):
    def f(self, x):
        return super().f(x) + 1


class _D(_B, _C):
    def f(self, x):
        return super().f(x) ** 2


def diamond_mro(x):
    return np.sum(np.sin(_D().f(x)))


class _Layer(ABC):
    @abstractmethod
    def forward(self, x): ...


class _Dense(_Layer):
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return self.W @ x + self.b


class _Tanh(_Layer):
    def forward(self, x):
        return np.tanh(x)


class _Seq:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x


def abc_dispatch(W, x):
    return np.sum(_Seq([_Dense(W, np.ones(2)), _Tanh()])(x) ** 2)


class _Param:
    def __init__(self, raw):
        self._raw = raw

    @property
    def value(self):
        return np.exp(self._raw)

    @value.setter
    def value(self, v):
        self._raw = np.log(v)


def property_setter(x):
    p = _Param(x)
    p.value = p.value * 2.0 + 1.0
    return np.sum(p._raw * p.value)


class _Poly:
    def __init__(self, coefs):
        self.coefs = coefs

    @classmethod
    def quadratic(cls, a, b, c):
        return cls([a, b, c])

    @staticmethod
    def horner(coefs, x):
        acc = 0.0
        for c in coefs:
            acc = acc * x + c
        return acc

    def __call__(self, x):
        return _Poly.horner(self.coefs, x)


def classmethod_factory(a, x):
    return np.sum(_Poly.quadratic(a, 2.0 * a, -1.0)(x))


class _Vec:
    def __init__(self, d):
        self.d = d

    def __add__(self, o):
        return _Vec(self.d + (o.d if isinstance(o, _Vec) else o))

    def __radd__(self, o):
        return self.__add__(o)

    def __mul__(self, s):
        return _Vec(self.d * s)

    __rmul__ = __mul__

    def __neg__(self):
        return _Vec(-self.d)

    def __matmul__(self, o):
        return self.d @ o.d

    def __getitem__(self, i):
        return self.d[i]

    def __len__(self):
        return len(self.d)

    def __iter__(self):
        return iter(self.d)


def operator_overloads(x):
    v = _Vec(x)
    w = 2.0 * v + (-v) * 0.5 + 1.0
    s = 0.0
    for e in w:
        s = s + e**2
    return (v @ w) + w[1] * len(w) + s


@dataclass
class _Config:
    lr: float = 0.1
    weights: list = field(default_factory=lambda: [1.0, 2.0, 3.0])

    def __post_init__(self):
        self.total = sum(self.weights)


@dataclass(frozen=True)
class _State:
    pos: np.ndarray
    vel: np.ndarray
    m: float = 1.0


def dataclass_post_init(x):
    cfg = _Config()
    s = _State(x, np.zeros_like(x))
    for _ in range(3):
        s = _State(s.pos + cfg.lr * s.vel, s.vel - cfg.lr * np.sin(s.pos))
    return np.sum(s.pos * np.array(cfg.weights)) / cfg.total


def _leapfrog(s, dt):
    p = s.vel - 0.5 * dt * s.pos
    q = s.pos + dt * p / s.m
    return dataclasses.replace(s, pos=q, vel=p - 0.5 * dt * q)


def dataclass_replace(q0):
    s = _State(q0, np.zeros(3), m=2.0)
    for _ in range(4):
        s = _leapfrog(s, 0.2)
    return np.sum(s.pos**2 + s.vel**2)


class _Params(NamedTuple):
    w: np.ndarray
    b: float


def namedtuple_replace(w, b):
    p = _Params(w, b)
    p2 = p._replace(b=p.b * 2)
    return np.sum((X3 * p2.w + p2.b) ** 2) + p2.w[0] * p.b


class _Mode(enum.IntEnum):
    A = 1
    B = 2


def intenum_values(x):
    s = 0.0
    for m in _Mode:
        s = s + np.sum(x**m.value) * m
    return s


class _Kernel:
    power = 2

    def __call__(self, r):
        return np.exp(-(r**self.power))


class _Cubic(_Kernel):
    power = 3


class _Gram:
    def __init__(self, x):
        self.x = x

    @functools.cached_property
    def K(self):
        return np.exp(-((self.x[:, None] - self.x[None, :]) ** 2))


def class_attr_override_cached(x):
    g = _Gram(x)
    return sum(np.sum(k(x)) for k in (_Kernel(), _Cubic())) + np.trace(g.K @ g.K)


@functools.total_ordering
class _Cand:
    def __init__(self, score, w):
        self.score, self.w = score, w

    def __eq__(self, o):
        return self.score == o.score

    def __lt__(self, o):
        return self.score < o.score


def total_ordering_max(x):
    cands = [_Cand(float(v), v * 2) for v in x]
    return max(cands).w * min(cands).w


class _Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total = self.total + v
        self.n += 1
        return self

    def __iadd__(self, v):
        return self.add(v)


def returns_self_iadd(x):
    a = _Acc()
    for v in x:
        a.add(v * v)
    b = _Acc()
    for v in x:
        b += np.sin(v)
    return a.total / a.n * b.total


class _Integrator:
    def __init__(self, x0, dt):
        self.x = x0.copy()
        self.t = 0.0
        self.dt = dt
        self.history = []

    def step(self):
        self.x += self.dt * np.cos(self.x)
        self.t += self.dt
        self.history.append(self.x.copy())

    def run(self, n):
        for _ in range(n):
            self.step()
        return self


def stateful_integrator(x0):
    it = _Integrator(x0, 0.1).run(4)
    return np.sum(it.x) + sum(np.sum(h) for h in it.history) * it.t


class _Adam:
    def __init__(self, lr=0.1, b1=0.9, b2=0.99):
        self.lr, self.b1, self.b2 = lr, b1, b2
        self.m, self.v, self.t = {}, {}, 0

    def update(self, params, grads):
        self.t += 1
        out = {}
        for k in params:
            g = grads[k]
            self.m[k] = self.b1 * self.m.get(k, 0.0) + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v.get(k, 0.0) + (1 - self.b2) * g * g
            mh = self.m[k] / (1 - self.b1**self.t)
            vh = self.v[k] / (1 - self.b2**self.t)
            out[k] = params[k] - self.lr * mh / (np.sqrt(vh) + 1e-8)
        return out


def adam_object(w):
    params = {"w": w, "b": np.array(0.1)}
    opt = _Adam()
    for _ in range(3):
        grads = {"w": 2 * params["w"] + params["b"], "b": params["b"] * 3 + np.sum(params["w"])}
        params = opt.update(params, grads)
    return np.sum(params["w"] ** 2) + params["b"]


class _TNode:
    def __init__(self, w, children=()):
        self.w = w
        self.children = list(children)

    def eval(self, x):
        s = self.w * x
        for c in self.children:
            s = s + np.tanh(c.eval(x))
        return s


def object_tree(w):
    t = _TNode(w, [_TNode(w * 2), _TNode(0.5, [_TNode(w)])])
    return np.sum(t.eval(X3))


class _GP:
    def __init__(self, ell, sf):
        self.ell, self.sf = ell, sf

    def kernel(self, A, B):
        d = A[:, None, :] - B[None, :, :]
        return self.sf**2 * np.exp(-0.5 * np.sum(d**2, -1) / self.ell**2)

    def nll(self, Xt, y, noise=0.1):
        K = self.kernel(Xt, Xt) + noise * np.eye(len(Xt))
        L = np.linalg.cholesky(K)
        a = np.linalg.solve(L.T, np.linalg.solve(L, y))
        return 0.5 * y @ a + np.sum(np.log(np.diag(L)))


def gp_object(theta):
    gp = _GP(*np.exp(theta))
    return gp.nll(np.array([[0.0], [0.5], [1.3]]), np.array([0.2, -0.1, 0.4]))


CASES = [
    Case(super_chain, (X3,), (0,), extra="hvp"),
    Case(diamond_mro, (X3,), (0,), extra="hvp"),
    Case(abc_dispatch, (W23, X3), (0, 1), extra="hvp"),
    Case(property_setter, (X3,), (0,), extra="hvp"),
    Case(classmethod_factory, (0.7, X3), (0, 1), extra="hvp"),
    Case(operator_overloads, (X3,), (0,), extra="hvp"),
    Case(dataclass_post_init, (X3,), (0,), extra="hvp"),
    Case(dataclass_replace, (X3,), (0,), extra="hvp"),
    Case(namedtuple_replace, (X3, 0.4), (0, 1), extra="hvp"),
    Case(intenum_values, (X3,), (0,), extra="hvp"),
    Case(class_attr_override_cached, (np.abs(X3),), (0,), extra="hvp"),
    Case(total_ordering_max, (X3,), (0,), extra="hvp"),
    Case(returns_self_iadd, (X3,), (0,), extra="hvp"),
    Case(stateful_integrator, (X3,), (0,), extra="hvp"),
    Case(adam_object, (X3,), (0,), extra="hvp"),
    Case(object_tree, (0.7,), (0,), extra="hvp"),
    Case(gp_object, (np.array([0.1, -0.2]),), (0,), extra="hvp"),
]
