"""Classes and objects users write that srcad used to refuse (session 6, `objs`): class methods
calling ``cls.sq(v)`` (the class passed on to the callee, ad/callees.py) and called through an
instance, static methods and class methods of objects built here (lower/objects.py),
``type(self).f(v)``, properties of records and of classes the transform knows (ad/properties.py),
dataclasses with methods updated by ``dataclasses.replace`` in a loop (the replaced record keeps
its class: ad/receivers.py); methods that update ``self`` (``self.total += v``, ``self.h =
tanh(...)``) and field writes in the function (``b.pos = b.pos + dt * b.vel``) of objects built
here, in loops, branches, comprehensions and nested functions, through aliases
(lower/objstate.py). Each is checked forward and reverse (tests/corpus/test_corpus.py)
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


class _Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total += v
        self.n += 1

    def mean(self):
        return self.total / self.n


class _Cell:
    def __init__(self, w):
        self.w = w * 1.0
        self.h = 0.0

    def __call__(self, u):
        self.h = np.tanh(self.w * self.h + u)
        return self.h

    def step(self, u):
        self.h = np.tanh(self.w * self.h + u)


class _Body:
    def __init__(self, p, v):
        self.pos = p * 1.0
        self.vel = v * 1.0


class _Point:  # a record: its fields written in the function
    def __init__(self, p, q):
        self.p = p
        self.q = q


class _Guard:
    def __init__(self, k):
        self.k = k * 1.0
        self.s = 0.0

    def step(self, v):
        if v > 0:
            self.s = self.s + self.k * v
            return self.s
        self.s = self.s - v * v
        return -1.0

    def run(self, xs):
        out = 0.0
        for v in xs:
            out = out + self.step(v)
        return out


class _Buffer:
    def __init__(self, n):
        self.buf = np.zeros(n)

    def push(self, v):
        self.buf += v


def accumulator_in_loop(x):
    a = _Acc()
    for i in range(3):
        a.add(x[i] ** 2)
    return a.total + a.mean()


def accumulator_alias(x):
    a = _Acc()
    b = a
    b.add(x[0] ** 2)
    a.add(x[1])
    return a.total * b.total + a.mean()


def accumulator_branches(x):
    a = _Acc()
    if x[0] > 0:
        a.add(x[1] ** 2)
    else:
        a.add(x[2])
    a.add(x[0])
    return a.total * a.n


def accumulator_comprehension_and_closure(x):
    a = _Acc()
    [a.add(v * v) for v in x]

    def push(v):
        a.add(v * 2.0)

    for v in x:
        push(v)
    return a.total


def accumulator_while(x):
    a = _Acc()
    while a.n < 4:
        a.add(np.sin(x[a.n % 3]))
    return a.total


def rnn_state_in_loop(x):
    c = _Cell(x[2])
    for v in x:
        c.step(v)
    return c.h


def rnn_call_comprehension(x):
    c = _Cell(x[2])
    ys = [c(v) for v in x]
    return sum(ys) + c.h


def body_fields_in_loop(x):
    b = _Body(x[0], x[1])
    dt = 0.1
    for _ in range(5):
        b.vel = b.vel - dt * b.pos * x[2]
        b.pos = b.pos + dt * b.vel
    return b.pos**2 + b.vel


def record_fields_written(x):
    r = _Point(x[0], x[1])
    for i in range(3):
        r.p = r.p * x[i]
    r.q, r.p = r.p, r.q
    return r.p * r.q + r.q


def method_early_return_writes(x):
    g = _Guard(x[2])
    r = g.run(x)
    return r + g.s


def array_field_updated(x):
    b = _Buffer(3)
    b.push(x)
    b.push(x * x)
    return np.sum(b.buf**2)


def fresh_object_per_iteration(x):
    s = 0.0
    for i in range(3):
        a = _Acc()
        a.add(x[i])
        a.add(x[i] ** 2)
        s = s + a.total
    return s


V3 = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(classmethod_cls_call, (V3,), (0,), extra="hvp"),
    Case(methods_static_class_chain, (V3,), (0,), extra="hvp"),
    Case(subclass_type_self, (V3,), (0,), extra="hvp"),
    Case(record_classmethod_via_self, (V3,), (0,), extra="hvp"),
    Case(record_passed_to_helper, (V3,), (0,), extra="hvp"),
    Case(record_properties, (V3,), (0,), extra="hvp"),
    Case(dataclass_methods_replace_loop, (V3,), (0,), extra="hvp"),
    Case(accumulator_in_loop, (V3,), (0,), extra="hvp"),
    Case(accumulator_alias, (V3,), (0,), extra="hvp"),
    Case(accumulator_branches, (V3,), (0,), extra="hvp"),
    Case(accumulator_branches, (-V3,), (0,), name="users_objects6.accumulator_branches_neg"),
    Case(accumulator_comprehension_and_closure, (V3,), (0,), extra="hvp"),
    Case(accumulator_while, (V3,), (0,), extra="hvp"),
    Case(rnn_state_in_loop, (V3,), (0,), extra="hvp"),
    Case(rnn_call_comprehension, (V3,), (0,), extra="hvp"),
    Case(body_fields_in_loop, (V3,), (0,), extra="hvp"),
    Case(record_fields_written, (V3,), (0,), extra="hvp"),
    Case(method_early_return_writes, (V3,), (0,), extra="hvp"),
    Case(array_field_updated, (V3,), (0,), extra="hvp"),
    Case(fresh_object_per_iteration, (V3,), (0,), extra="hvp"),
]
