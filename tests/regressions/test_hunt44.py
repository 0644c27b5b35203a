"""Spurious refusals found by hunt44 (session 44), fixed.

- ``m = Model(w); m.scale = 0.5`` where ``scale`` is a class constant (or any attribute
  ``__init__`` did not set) and no field ``__init__`` set is written: the class was a record
  nobody writes (lower/objects.construct, objrecord.wanted looked at the written names that are
  ``__init__``'s fields only), so `m` was a run-time value and the store refused ("assigning to
  attributes is not supported here"). An attribute that may be a new field counts now
  (objstate.writes_fields).
- A list of objects built here passed to two builtins (``max(ms, key=f)`` then
  ``min(ms, key=f)``, ``max(ms)`` then ``sorted(ms)``), or to one in a loop after a loop read it,
  was refused ("used as a value a second time": a helper given the list could append to it).
  ``len``/``max``/``min``/``sorted``/``sum``/``list``/``tuple``/``any``/``all``/``math.fsum``
  read it whole and keep nothing of it: such a use is a read now (objseq.READERS); the objects
  themselves stay guarded (a field read after one was used as a value and written is refused).
- Transform time without end: a nested recursive function making two calls per level with a
  constant depth argument (adaptive Simpson: ``rec(a, m, ..., depth - 1) + rec(m, b, ...)``
  until a tolerance holds, depth 12) was inlined as a call tree of 2 ** 12 bodies (the depth
  limit bounds the depth of the tree, not its size). Past 256 inlined calls it is lifted
  (a function of its own, lower/recursion.py) as past the depth limit, or refused when it
  cannot be.
- ``a if obj else b`` and ``v in obj`` / ``v not in obj`` of an object built here whose class
  defines ``__bool__`` / ``__contains__`` made the object a run-time value, refused when
  differentiated ("the object is a run-time value here"); ``if obj:`` inlined ``__bool__``
  already. The conditional expression takes the object's truth as ``if`` does, and the
  membership test inlines ``__contains__`` (objitems.known_compare).
- A property calling a static or class method through ``self`` (``self.k * self.sq(self.a)``)
  was taken to update the object (passes/shadowed_methods: any ``self.m(...)`` not a plain
  function), refused on an argument ("may update the object when read"). Such a method gets
  no ``self``: it updates the object only through an argument mentioning it, checked as
  ``self`` is (``self.push(self.hist, v)`` appending stays refused).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class Model:
    scale = 2.0

    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return self.scale * np.sum(self.w * x)


class Plain:
    def __init__(self, w):
        self.w = w


def shadow_class_constant(x):
    m = Model(x)
    before = m(x)
    m.scale = 0.5
    other = Model(2.0 * x)
    return before + m(x) + other(x) + Model.scale * m.scale


def new_attribute(x):
    p = Plain(x)
    p.extra = np.sin(x)
    return np.sum(p.extra * p.w)


def test_class_constant_shadowed_by_instance():
    x = np.array([0.3, -0.7, 1.1])
    assert np.isclose(srcad.primal(shadow_class_constant)(x), shadow_class_constant(x))
    g = srcad.grad(shadow_class_constant)(x)
    np.testing.assert_allclose(g, (4.0 + 1.0 + 8.0) * x, rtol=1e-12)
    check_grads(shadow_class_constant, (x,), modes=("fwd", "rev"), order=2)
    assert Model.scale == 2.0


def test_new_attribute_of_plain_record():
    x = np.array([0.3, -0.7, 1.1])
    assert np.isclose(srcad.primal(new_attribute)(x), new_attribute(x))
    g = srcad.grad(new_attribute)(x)
    np.testing.assert_allclose(g, np.cos(x) * x + np.sin(x), rtol=1e-12)
    check_grads(new_attribute, (x,), modes=("fwd", "rev"), order=2)


class Money:
    def __init__(self, a):
        self.a = a

    def __lt__(self, o):
        return self.a < o.a

    def __add__(self, o):
        return Money(self.a + o.a)

    def __radd__(self, o):
        return self if o == 0 else Money(self.a + o)


def extremes_by_key(x):
    ms = [Money(x[0]), Money(x[1]), Money(x[2])]
    hi = max(ms, key=lambda o: o.a)
    lo = min(ms, key=lambda o: o.a)
    return hi.a**2 + lo.a


def max_then_sorted(x):
    ms = [Money(x[0]), Money(x[1]), Money(x[2])]
    ms.append(Money(3.0 * x[3]))
    m = max(ms)
    s = sorted(ms)
    t = 0.0
    for k in range(3):
        t += k * min(ms, key=lambda o: o.a * (k - 1)).a
    return m.a**2 + s[1].a + len(ms) * sum(ms).a + t


def test_list_of_objects_read_by_two_builtins():
    x = np.array([0.8, 0.5, 1.3, 0.45])
    for f in (extremes_by_key, max_then_sorted):
        assert np.isclose(srcad.primal(f)(x), f(x))
        check_grads(f, (x,), modes=("fwd", "rev"), order=2)
    np.testing.assert_allclose(srcad.grad(extremes_by_key)(x), [0.0, 1.0, 2.6, 0.0])


def _integrand(t, p):
    return math.exp(-p[0] * t * t) * math.cos(p[1] * t)


def adaptive_simpson(p):
    def rec(a, b, fa, fm, fb, whole, eps, depth):
        m = (a + b) / 2
        flm, frm = _integrand((a + m) / 2, p), _integrand((m + b) / 2, p)
        left = (m - a) / 6 * (fa + 4 * flm + fm)
        right = (b - m) / 6 * (fm + 4 * frm + fb)
        if depth <= 0 or abs(left + right - whole) <= 15 * eps:
            return left + right + (left + right - whole) / 15
        return rec(a, m, fa, flm, fm, left, eps / 2, depth - 1) + rec(
            m, b, fm, frm, fb, right, eps / 2, depth - 1
        )

    fa, fm, fb = _integrand(0.0, p), _integrand(1.0, p), _integrand(2.0, p)
    return rec(0.0, 2.0, fa, fm, fb, (fa + 4 * fm + fb) / 3, 1e-9, 12)


def test_nested_binary_recursion_of_constant_depth_is_lifted():
    p = np.array([0.7, 1.3])
    assert srcad.primal(adaptive_simpson)(p) == adaptive_simpson(p)
    check_grads(adaptive_simpson, (p,), modes=("fwd", "rev"), order=2)


class Coeffs:
    def __init__(self, c):
        self.c = list(c)

    def __call__(self, t):
        return sum(ci * t**i for i, ci in enumerate(self.c))

    def __bool__(self):
        return any(ci != 0 for ci in self.c)

    def __contains__(self, v):
        return v in self.c


def truth_and_membership(x):
    p = Coeffs(x[:3])
    a = p(0.7) if p else 0.0
    b = 2.0 if 0.0 in p else x[3]
    c = x[4] if 5.0 not in p else 0.0
    return a * b + c


def test_conditional_expression_and_membership_of_an_object():
    x = np.array([0.8, 0.5, 1.3, 0.45, 0.2])
    assert srcad.primal(truth_and_membership)(x) == truth_and_membership(x)
    check_grads(truth_and_membership, (x,), modes=("fwd", "rev"), order=2)
    z = np.array([0.0, 0.0, 0.0, 0.45, 0.2])
    assert srcad.primal(truth_and_membership)(z) == truth_and_membership(z)
    np.testing.assert_allclose(srcad.grad(truth_and_membership)(z), [0, 0, 0, 0, 1.0])


class Charge:
    k = 1.5

    def __init__(self, a):
        self.a = a
        self.hist = [0.0]

    @staticmethod
    def sq(v):
        return v * v

    @staticmethod
    def push(h, v):
        h.append(v)
        return v

    @classmethod
    def scaled(cls, v):
        return cls.k * v

    @property
    def energy(self):
        return self.k * self.sq(self.a) + self.scaled(self.a)

    @property
    def logged(self):
        return self.push(self.hist, self.a * 2) + sum(self.hist)


def charge_energy(b, x):
    return b.energy * x


def charge_logged(b, x):
    return b.logged * x + b.logged


def test_property_calling_static_and_class_methods():
    assert srcad.grad(charge_energy, 1)(Charge(0.3), 1.3) == pytest.approx(1.5 * 0.09 + 0.45)
    check_grads(charge_energy, (Charge(0.3), 1.3), modes=("fwd", "rev"), wrt=1)
    with pytest.raises(srcad.SrcadError, match="may update the object when read"):
        srcad.grad(charge_logged, 1)(Charge(0.3), 1.3)
