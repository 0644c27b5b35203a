"""Classes and objects users write that srcad refused (session 9, `objs9`): classes defined
inside the function or a helper (lower/localclass.py); objects built here, and lists of them,
passed to module-level helpers, which are inlined so the objects stay objects (lower/objcalls.py:
``energy(particles)``, ``step(model, x)``, helpers writing fields, in loops and branches);
operators of user classes (``__add__``, ``__radd__``, ``__mul__``, ``__rmul__``, ``__neg__``,
``__matmul__``) run as Python picks them (lower/objops.py), on Vector/Dual classes, records
included; ``isinstance(obj, C)`` of an object built here a constant; ``self.hist.append(v)`` in a
method; ``__init__`` bodies calling ``super().__init__(...)``, looping over a class constant
(``for i in range(self.N)``) or branching (lower/objinit.py); objects of two classes joined at an
``if`` on a run-time bool (lower/objsplit.py). Each is checked forward and
reverse (tests/corpus/test_corpus.py) and at second order (tests/soundness/test_objs9.py, which
also holds the neighbours that must stay refused)."""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from . import Case

SCALE = 3.0


# -- classes defined in the function ---------------------------------------------------------
def local_class(x):
    class Lin:
        def __init__(self, w):
            self.w = w * 1.0

        def __call__(self, v):
            return self.w * v

    m = Lin(x[0])
    return np.sum(m(x) ** 2)


def _helper_with_class(x):
    class Sq:
        k = 2.0

        def __init__(self, k):
            self.k2 = k * SCALE

        def go(self, v):
            return self.k2 * v * v * self.k

    return Sq(x[0]).go(x[1])


def local_class_in_helper(x):
    return _helper_with_class(x) + x[2]


def local_dataclass(x):
    @dataclasses.dataclass
    class Layer:
        W: float
        b: float

        def __call__(self, v):
            return np.tanh(self.W * v + self.b)

    return np.sum(Layer(x[0], 0.5)(x))


def local_namedtuple(x):
    class P(NamedTuple):
        a: float
        b: float

    p = P(x[0], x[1])
    return p.a * p.b + x[2]


def local_vector_self_reference(x):
    class V:
        def __init__(self, a, b):
            self.a = a * 1.0
            self.b = b * 1.0

        def __add__(self, o):
            return V(self.a + o.a, self.b + o.b)

        def dot(self, o):
            return self.a * o.a + self.b * o.b

    u = V(x[0], x[1]) + V(x[2], x[0])
    return u.dot(u)


def local_subclass(x):
    class A:
        def __init__(self, w):
            self.w = w * 2.0

        def f(self, v):
            return self.w * v

    class B(A):
        def f(self, v):
            return np.sin(self.w * v)

    return B(x[0]).f(x[1]) + A(x[1]).f(x[2])


def local_class_in_loop(x):
    s = 0.0
    for i in range(3):

        class C:
            def __init__(self, v):
                self.v = v * 1.0

            def sq(self):
                return self.v**2

        s = s + C(x[i]).sq()
    return s


def local_static_class_property(x):
    class C:
        def __init__(self, v):
            self.v = v * 1.0

        @property
        def sq(self):
            return self.v**2

        @staticmethod
        def two(v):
            return 2.0 * v

        @classmethod
        def make(cls, v):
            return cls(v)

    return C(x[0]).sq + C.two(x[1]) + C.make(x[2]).sq


# -- objects passed to module-level helpers --------------------------------------------------
class _Model:
    def __init__(self, w):
        self.w = w * 1.0
        self.n = 0

    def __call__(self, v):
        return np.tanh(self.w * v)


class _Particle:
    def __init__(self, p, m):
        self.p = p * 1.0
        self.m = m


def _energy(particles):
    e = 0.0
    for q in particles:
        e = e + 0.5 * q.m * q.p**2
    return e


def _step(model, v):
    return model(v) + v


def _bump(m, k):
    m.w = m.w + k
    m.n += 1


def _returns(m):
    return m


def _swap(a, b):
    a.w, b.w = b.w, a.w


def _twice(a, b):
    _bump(a, 1.0)
    _bump(b, 2.0)


def _apply(x, model=None):
    return model(x)


def model_to_helper(x):
    m = _Model(x[0])
    return np.sum(_step(m, x))


def particles_to_helper(x):
    ps = [_Particle(x[0], 1.0), _Particle(x[1], 2.0), _Particle(x[2], 3.0)]
    return _energy(ps)


def helper_writes_in_loop(x):
    m = _Model(x[0])
    for _ in range(3):
        _bump(m, x[1])
    return m.w * m.n + np.sum(m(x))


def helper_writes_in_branch(x):
    m = _Model(x[0])
    if x[1] > 0:
        _bump(m, x[2])
    else:
        _bump(m, 2.0 * x[2])
    return m.w**2


def helper_returns_object(x):
    m = _Model(x[0])
    _bump(_returns(m), x[1])
    return m.w * x[2]


def helper_swaps_fields(x):
    a = _Model(x[0])
    b = _Model(x[1] ** 2)
    _swap(a, b)
    return a.w * 3.0 + b.w


def helper_same_object_twice(x):
    m = _Model(x[0])
    _twice(m, m)
    return m.w * x[1]


def helper_object_by_keyword(x):
    return np.sum(_apply(x, model=_Model(x[0])))


# -- operators -----------------------------------------------------------------------------
class _Vec:  # a record: __init__ stores its arguments
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __add__(self, o):
        if isinstance(o, _Vec):
            return _Vec(self.a + o.a, self.b + o.b)
        return _Vec(self.a + o, self.b + o)

    def __radd__(self, o):
        return self.__add__(o)

    def __mul__(self, k):
        return _Vec(self.a * k, self.b * k)

    def __rmul__(self, k):
        return _Vec(self.a * k, self.b * k)

    def __neg__(self):
        return _Vec(-self.a, -self.b)

    def __matmul__(self, o):
        return self.a * o.a + self.b * o.b


class _Dual:
    def __init__(self, v, d):
        self.v = v * 1.0
        self.d = d * 1.0

    def __add__(self, o):
        return _Dual(self.v + o.v, self.d + o.d)

    def __mul__(self, o):
        return _Dual(self.v * o.v, self.v * o.d + self.d * o.v)

    def __rmul__(self, k):
        return _Dual(k * self.v, k * self.d)


def vector_operators(x):
    u = _Vec(x[0], x[1])
    v = _Vec(x[2], x[0])
    w = -(u + v) * 2.0 + 1.0
    w = 3.0 * w
    w = 1.0 + w
    return w @ u


def dual_numbers(x):
    a = _Dual(x[0], 1.0)
    b = a * a + 2.0 * a
    return b.d * x[1] + b.v


def sum_of_vectors(x):  # 0 + v0 runs __radd__; a start value too
    vs = [_Vec(x[0], x[1]), _Vec(x[1], x[2]), _Vec(x[2], x[0])]
    s = sum(vs)
    t = sum(vs, _Vec(1.0, 2.0))
    return s @ t


def isinstance_of_object(x):
    u = _Dual(x[0], x[1])
    return (x[2] if isinstance(u, (_Vec, int)) else u.v * 2.0) + float(isinstance(u, _Dual))


# -- self.hist.append(v) in a method ---------------------------------------------------------
class _History:
    def __init__(self, w):
        self.w = w * 1.0
        self.hist = [self.w]

    def step(self, v):
        self.w = self.w * v
        self.hist.append(self.w)


def history_append(x):
    h = _History(x[0])
    for v in x[1:]:
        h.step(v)
    return h.hist[0] + h.hist[1] * h.hist[2] + len(h.hist)


# -- __init__ that calls super().__init__, loops over a class constant, branches -----------------
class _Base:
    def __init__(self, w):
        self.w = w * 2.0


class _Derived(_Base):
    def __init__(self, w, b):
        super().__init__(w)
        self.b = b + self.w

    def f(self, v):
        return self.w * v + self.b


class _Derived2(_Derived):
    def __init__(self, w):
        super().__init__(w, 1.0)
        self.c = self.b * 2.0


class _Poly:
    N = 3

    def __init__(self, c):
        self.s = 0.0
        for i in range(self.N):
            self.s = self.s + c[i] * (i + 1)
        t = 0.0
        for i in range(_Poly.N):
            t = t + c[i] ** 2
        self.t = t

    def f(self, v):
        return self.s * v + self.t


class _Branchy:
    def __init__(self, v):
        self.v = v * 1.0
        if v > 0:
            self.v = self.v * 2.0
        self.v += 1.0


def super_init_computes(x):
    d = _Derived2(x[0])
    return d.c * x[1] + d.f(x[2]) + _Derived(x[1], x[2]).f(x[0])


def class_constant_loop_in_init(x):
    return _Poly(x).f(x[0])


def branch_in_init(x):
    return _Branchy(x[0]).v * x[1] + _Branchy(-x[2]).v


# -- objects of two classes joined at an `if` (lower/objsplit.py) -----------------------------
class _Sin:
    def __init__(self, w):
        self.w = w  # a record

    def f(self, v):
        return np.sin(self.w * v)


def _pick(x, flag):
    m = _Model(x[0]) if flag else _Sin(x[0])
    return m(x[1]) if isinstance(m, _Model) else m.f(x[1])


def joined_by_bool_argument(x):
    return _pick(x, True) + _pick(x, False)


def joined_at_if_statement(x):
    if x[0] > 0:
        m = _Derived(x[1], 1.0)
    else:
        m = _Sin(x[1])
    if x[2] > 0:
        return m.f(x[2]) * 2.0
    return m.f(x[0])


V3 = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(fn, (V3,), (0,), extra="hvp")
    for fn in (
        local_class,
        local_class_in_helper,
        local_dataclass,
        local_namedtuple,
        local_vector_self_reference,
        local_subclass,
        local_class_in_loop,
        local_static_class_property,
        model_to_helper,
        particles_to_helper,
        helper_writes_in_loop,
        helper_writes_in_branch,
        helper_returns_object,
        helper_swaps_fields,
        helper_same_object_twice,
        helper_object_by_keyword,
        vector_operators,
        dual_numbers,
        sum_of_vectors,
        isinstance_of_object,
        history_append,
        super_init_computes,
        class_constant_loop_in_init,
        branch_in_init,
        joined_by_bool_argument,
        joined_at_if_statement,
    )
]
CASES.append(Case(joined_at_if_statement, (-V3,), (0,), name="users_objects9.joined_neg"))
CASES.append(Case(helper_writes_in_branch, (-V3,), (0,), name="users_objects9.branch_neg"))
