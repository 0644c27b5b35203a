"""Classes and objects users write that srcad used to refuse (session 6, `objs`): class methods
calling ``cls.sq(v)`` (the class passed on to the callee, ad/callees.py) and called through an
instance, static methods and class methods of objects built here (lower/objects.py),
``type(self).f(v)``, properties of records and of classes the transform knows (ad/properties.py),
dataclasses with methods updated by ``dataclasses.replace`` in a loop (the replaced record keeps
its class: ad/receivers.py). Each is checked forward and reverse (tests/corpus/test_corpus.py)
and at second order (tests/soundness/test_objs6.py); the neighbours that must stay refused are
there too."""

from __future__ import annotations

import dataclasses

import numpy as np

from . import Case


class _Scaler:
    gain = 2.0

    def __init__(self, k):
        self.k = k * 1.5  # a computed field: built here (lower/objects.py)

    @staticmethod
    def sq(v):
        return v * v

    @classmethod
    def cube(cls, v):
        return cls.sq(v) * v * cls.gain

    def helper(self, v):
        return self.k * self.sq(v) + self.cube(v)

    def outer(self, v):
        return self.helper(v) + type(self).cube(v)


class _SinScaler(_Scaler):
    gain = 3.0

    @staticmethod
    def sq(v):
        return np.sin(v)


class _Rec:  # a record: __init__ only stores its arguments
    def __init__(self, a, c):
        self.a = a
        self.c = c

    @staticmethod
    def sq(v):
        return v * v

    @classmethod
    def twice(cls, v):
        return cls.sq(v) * 2.0

    def go(self, v):
        return self.twice(v) + self.sq(self.a)

    @property
    def lead(self):
        return self.c[-1] * self.a

    @property
    def degree(self):
        return len(self.c) - 1


@dataclasses.dataclass
class _Osc:
    p: float
    q: float

    def energy(self):
        return 0.5 * self.p**2 + 0.5 * self.q**2

    def step(self, dt):
        s = dataclasses.replace(self, p=self.p - dt * self.q)
        return dataclasses.replace(s, q=s.q + dt * s.p)


def classmethod_cls_call(x):
    return np.sum(_Scaler.cube(x) + _SinScaler.cube(x))


def methods_static_class_chain(x):
    m = _Scaler(x[0])
    return np.sum(m.outer(x))


def subclass_type_self(x):
    m = _SinScaler(x[1])
    return np.sum(m.outer(x) * m.k)


def record_classmethod_via_self(x):
    r = _Rec(x[0], [x[1], x[2]])
    return np.sum(r.go(x))


def _takes_record(r, x):
    return np.sum(r.go(x) * r.a)


def record_passed_to_helper(x):
    return _takes_record(_Rec(x[1], [x[0]]), x)


def record_properties(x):
    q = _Rec(x[0], [x[1], x[2], 1.0])
    return q.lead * q.degree + q.lead**2


def dataclass_methods_replace_loop(x):
    s = _Osc(x[0], x[1])
    for _ in range(4):
        s = s.step(0.1 * x[2])
    return s.energy() * x[2]


V3 = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(classmethod_cls_call, (V3,), (0,), extra="hvp"),
    Case(methods_static_class_chain, (V3,), (0,), extra="hvp"),
    Case(subclass_type_self, (V3,), (0,), extra="hvp"),
    Case(record_classmethod_via_self, (V3,), (0,), extra="hvp"),
    Case(record_passed_to_helper, (V3,), (0,), extra="hvp"),
    Case(record_properties, (V3,), (0,), extra="hvp"),
    Case(dataclass_methods_replace_loop, (V3,), (0,), extra="hvp"),
]
