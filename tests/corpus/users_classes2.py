"""User classes srcad used to refuse (session 4, `classes`): an ``__init__`` storing its arguments
with one tuple assignment (pyperformance raytrace's ``Vector``), and reflected operators with a
Python number on the left (``2.0 * v`` runs ``v.__rmul__(2.0)``, ``__rmul__ = __mul__`` or its
own method). Each is checked forward, reverse and (``extra="hvp"``) at second order; the variants
that must stay refused (an array or NumPy scalar on the left) are in
tests/soundness/test_soundness_objects.py."""

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


V3 = np.array([0.3, -0.5, 0.9])

CASES = [
    Case(vector_dot, (V3,), (0,), extra="hvp"),
    Case(vector_reflect, (V3,), (0,), extra="hvp"),
    Case(vector_rmul_loop, (V3,), (0,), extra="hvp"),
    Case(swapped_fields, (V3,), (0,), extra="hvp"),
    Case(affine_reflected, (V3,), (0,), extra="hvp"),
    Case(scalar_times_object, (0.7, V3), (0, 1), extra="hvp"),
]
