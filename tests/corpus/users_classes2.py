"""User classes srcad used to refuse (session 4, `classes`): an ``__init__`` storing its arguments
with one tuple assignment (pyperformance raytrace's ``Vector``), reflected operators with a
Python number on the left (``2.0 * v`` runs ``v.__rmul__(2.0)``, ``__rmul__ = __mul__`` or its
own method), ``super().f(x)`` in a subclass's method and ``super().__init__(w)`` storing
the base's fields (single inheritance). Each is checked
forward, reverse and (``extra="hvp"``) at second order; the variants that must stay refused (an
array or NumPy scalar on the left, multiple inheritance) are in
tests/soundness/test_soundness_objects.py and tests/ad/test_dispatch.py."""

from __future__ import annotations

import numpy as np

from . import Case


class Vector:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def scale(self, k):
        return Vector(self.x * k, self.y * k, self.z * k)

    def __add__(self, o):
        return Vector(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vector(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return self.scale(k)

    __rmul__ = __mul__

    def normalized(self):
        return self.scale(1.0 / np.sqrt(self.dot(self)))


class Swapped:
    def __init__(self, a, b):
        """The tuple's names are read before any attribute is stored."""
        self.a, self.b = b, a


class Affine:
    def __init__(self, w, b):
        self.w, self.b = w, b

    def __call__(self, x):
        return self.w * x + self.b

    def __rsub__(self, c):
        return Affine(c - self.w, c - self.b)

    def __radd__(self, c):
        return Affine(self.w + c, self.b + 2.0 * c)


def vector_dot(x):
    v = Vector(x[0], x[1], x[2])
    return v.dot(v)


def vector_reflect(x):
    d = Vector(x[0], x[1], x[2]).normalized()
    n = Vector(0.0, 1.0, 0.0)
    r = d - n * (2.0 * d.dot(n))
    return r.dot(Vector(1.0, 2.0, 3.0))


def vector_rmul_loop(x):
    v = Vector(x[0], x[1], x[2])
    acc = Vector(0.0, 0.0, 0.0)
    for i in range(3):
        acc = acc + 0.5 * v + v * x[i]
    return acc.dot(v)


def swapped_fields(x):
    s = Swapped(x[0], x[1] * x[2])
    return s.a * np.sin(s.b)


def affine_reflected(x):
    f = Affine(x[0], x[1])
    g = 1.0 - f
    h = 3 + g
    return h(x[2]) * f(x[1])


def scalar_times_object(c, x):
    v = Vector(x[0], x[1], x[2])
    return (c * v).dot(v + v * c)


class Layer:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w * x)

    def energy(self, x):
        return np.sum(self(x) ** 2)


class Scaled(Layer):
    def __init__(self, w, s):
        super().__init__(w)
        self.s = s

    def __call__(self, x):
        return self.s * super().__call__(x)


class Shifted(Layer):
    def __init__(self, w, s):
        self.w, self.s = w, s

    def __call__(self, x):
        return super().__call__(x) + self.s * x


class Twice(Shifted):
    def __init__(self, w, s):
        self.w, self.s = w, s

    def __call__(self, x):
        return super().__call__(x) * 2.0  # Shifted's, which calls Layer's

    def energy(self, x):
        return super().energy(x) + np.sum(x)


def super_call(x):
    return np.sum(Scaled(0.5, 2.0)(x))


def super_init(x):
    s = Scaled(x[0], x[1] * x[2])  # Scaled.__init__ calls super().__init__(w)
    return np.sum(s(x)) * s.w


def super_chain(x):
    t = Twice(x[0], x[1])
    return np.sum(t(x)) + t.energy(x)


V3 = np.array([0.3, -0.5, 0.9])

CASES = [
    Case(vector_dot, (V3,), (0,), extra="hvp"),
    Case(vector_reflect, (V3,), (0,), extra="hvp"),
    Case(vector_rmul_loop, (V3,), (0,), extra="hvp"),
    Case(swapped_fields, (V3,), (0,), extra="hvp"),
    Case(affine_reflected, (V3,), (0,), extra="hvp"),
    Case(scalar_times_object, (0.7, V3), (0, 1), extra="hvp"),
    Case(super_call, (V3,), (0,), extra="hvp"),
    Case(super_chain, (V3,), (0,), extra="hvp"),
    Case(super_init, (V3,), (0,), extra="hvp"),
]
