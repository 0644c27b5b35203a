"""Ported cases (session 29, hunt29b), written anew around the API surface and its caches: helpers
with dict, list and object defaults (``opts=CONFIG``, ``opts={}``), a helper with ``*args`` and a
dict default, ``functools.wraps`` decorators with and without a factor, ``functools.partial`` and
``functools.reduce`` inside the differentiated code, lambdas bound to a default in a comprehension,
static and class methods called through an instance, ``srcad.custom_vjp``/``custom_jvp``/
``checkpoint`` and ``srcad.grad`` called inside, and SciPy calls
(``logsumexp`` with ``b=``/``axis=``, ``xlogy``, ``softmax``, ``cho_solve``, ``eigh``).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
import scipy.special as sps

import srcad

from . import Case

X3 = np.array([0.3, -0.5, 0.8])
X4 = np.array([0.3, -0.5, 0.8, 0.45])
CONFIG = {"k": 2.0, "b": 0.5}
COEFS = [1.5, -0.5]


@dataclass
class Opts:
    scale: float = 1.5
    shift: float = 0.25


OPTS = Opts()


def _scaled(x, opts=CONFIG):
    return np.sum(opts["k"] * x**2 + opts["b"] * x)


def _maybe(x, opts={}):  # noqa: B006 (a user's mutable default)
    return np.sum(np.tanh(x)) * opts.get("k", 3.0)


def _poly(x, c=COEFS):
    return np.sum(c[0] * x**3 + c[1] * x)


def _shifted(x, o=OPTS):
    return np.sum(o.scale * np.sin(x + o.shift))


def defaults_of_helpers(x):
    return _scaled(x) + _maybe(x) + _poly(x) + _shifted(x) + _scaled(x, {"k": 1.0, "b": 0.0})


def _star(x, *rest, opts=CONFIG, c=COEFS):
    return np.sum(opts["k"] * c[0] * np.exp(x)) + len(rest)


def varargs_dict_default(x):
    return _star(x) + _star(x, 1.0, 2.0)


def _twice(fn):
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        return 2.0 * fn(*a, **kw)

    return wrapper


def _times(k):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(x):
            return k * fn(x)

        return wrapper

    return deco


@_twice
def _energy(x):
    return np.sum(np.sin(x) ** 2)


@_times(-0.5)
def _tilt(x):
    return np.sum(np.exp(x))


def wrapped_helpers(x):
    return _energy(x) + _tilt(x)


def _affine(x, a, b=1.0):
    return np.sum(a * np.sin(b * x))


def partial_and_reduce(x):
    f = functools.partial(_affine, a=2.0, b=3.0)
    g = functools.partial(_affine, 0.5)
    prod = functools.reduce(lambda u, v: u * v + np.sin(v), [x[0], x[1], x[2]])
    total = functools.reduce(np.add, [np.sin(x), x**2, x], 1.0)
    return f(x) + g(x) + prod + np.sum(total)


def lambdas_with_defaults(x):
    fs = [lambda z, k=k: np.sum(np.sin(k * z)) for k in (1.0, 2.0, 3.0)]
    return sum(f(x) for f in fs)


class Model:
    k = 2.0

    def __init__(self, w):
        self.w = w

    @staticmethod
    def cube(x):
        return np.sum(x**3)

    @classmethod
    def scaled(cls, x):
        return np.sum(cls.k * x**2)

    def loss(self, x):
        return np.sum(np.tanh(self.w * x)) + self.cube(x) + self.scaled(x)


def methods_kinds(x):
    return Model(np.array([1.0, 2.0, 3.0])).loss(x)


@srcad.custom_vjp
def _cube(x):
    return x**3


def _cube_fwd(x):
    return _cube(x), x


def _cube_bwd(x, g):
    return (3.0 * x**2 * g,)


_cube.defvjp(_cube_fwd, _cube_bwd)


@srcad.custom_jvp
def _xexp(x):
    return np.exp(x) * x


@_xexp.defjvp
def _xexp_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    return _xexp(x), (np.exp(x) * x + np.exp(x)) * dx


_soft = srcad.checkpoint(lambda x: np.tanh(x) * np.exp(x))


def custom_rules_inside(x):
    return np.sum(_cube(x) * np.sin(x)) + np.sum(_xexp(x) ** 2) + np.sum(_soft(x) ** 2)


def _inner(w, z):
    return np.sum(np.tanh(w * z))


def grad_inside(w):
    g = srcad.grad(_inner, wrt=1)(w, X3)
    return np.sum(g**2)


def scipy_special_mix(x):
    b = np.array([1.0, 2.0, 0.5])
    m = np.outer(x, x)
    return (
        sps.logsumexp(x, b=b)
        + np.sum(sps.logsumexp(m, b=b, axis=1))
        + np.sum(sps.xlogy(x**2, x**2 + 1.0))
        + np.sum(sps.softmax(m, axis=0) * np.arange(9.0).reshape(3, 3))
        + np.sum(sps.gammaln(x**2 + 1.0) * sps.expit(x))
    )


def scipy_linalg_mix(x):
    m = x[:9].reshape(3, 3) + 2.0 * np.eye(3)
    s = m @ m.T + np.eye(3)
    b = np.array([0.5, -1.0, 2.0])
    w = np.linalg.eigh(s)[0]
    return np.sum(sla.cho_solve(sla.cho_factor(s), b) ** 2) + np.sum(w * np.array([1.0, 2.0, 3.0]))


X9 = np.array([0.12, -0.3, 0.25, 0.4, -0.15, 0.05, -0.22, 0.31, 0.18])

CASES = [
    Case(defaults_of_helpers, (X3,), (0,), extra="hvp"),
    Case(varargs_dict_default, (X3,), (0,), extra="hvp"),
    Case(wrapped_helpers, (X3,), (0,), extra="hvp"),
    Case(partial_and_reduce, (X3,), (0,), extra="hvp"),
    Case(lambdas_with_defaults, (X4,), (0,), extra="hvp"),
    Case(methods_kinds, (X3,), (0,), extra="hvp"),
    Case(custom_rules_inside, (X3,), (0,), extra="hvp"),
    Case(grad_inside, (np.array([1.0, 2.0, 3.0]),), (0,)),
    Case(scipy_special_mix, (X3,), (0,), extra="hvp"),
    Case(scipy_linalg_mix, (X9,), (0,), extra="hvp"),
]
