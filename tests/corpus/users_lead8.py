"""User programs from the lead's probes (session 8): constants of a class body read through an
instance (``self.scale`` with ``scale = 2.0`` in the class or a base, a ``ClassVar`` of a
dataclass, a constant of a NamedTuple class, an array constant): their derivative is zero, the
fields' derivatives flow as before. Checked forward, reverse and (``extra="hvp"``) at second
order; an instance attribute of the same name (set outside srcad's view) is refused at run time:
tests/soundness/test_lead8.py."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from . import Case

V3 = np.array([0.3, -0.8, 0.5])


class Scaled:
    scale = 2.0
    W = np.array([[1.0, 0.5, 0.0], [0.2, -1.0, 0.3]])
    kind = "l2"

    def __init__(self, w):
        self.w = w

    def f(self, x):
        return self.scale * x * self.w

    def g(self, v):
        return np.sum((self.W @ v) ** 2) * self.w if self.kind == "l2" else self.w


class Scaled3(Scaled):
    scale = 3.0


class ScaledSame(Scaled):
    pass


@dataclass
class Ratio:
    a: float
    eps: ClassVar[float] = 0.1

    def val(self):
        return self.a / (self.eps + self.a**2)


class Pair(typing.NamedTuple):
    a: float
    b: float
    c = 4.0

    def val(self):
        return self.a * self.c + self.b


def class_constant(x):
    return Scaled(x[1]).f(x[0]) + Scaled(x[2]).scale * x[0]


def class_constant_overridden(x):
    return Scaled3(x[1]).f(x[0]) + ScaledSame(x[2]).f(x[0])


def class_constant_array_and_string(x):
    b = Scaled(x[1])
    return b.g(x) + b.scale * x[2]


def class_constant_in_loop(x):
    s = 0.0
    b = Scaled3(x[0])
    for i in range(3):
        s = s + b.f(x[i]) * b.scale
    return s


def dataclass_classvar(x):
    return Ratio(x[0]).val() + Ratio(x[1]).val() * x[2]


def namedtuple_class_constant(x):
    return Pair(x[0], x[1]).val() * x[2]


def class_constant_argument(b, x):
    return b.f(x) + b.w**2


CASES = [
    Case(class_constant, (V3,), (0,), extra="hvp"),
    Case(class_constant_overridden, (V3,), (0,), extra="hvp"),
    Case(class_constant_array_and_string, (V3,), (0,), extra="hvp"),
    Case(class_constant_in_loop, (V3,), (0,), extra="hvp"),
    Case(dataclass_classvar, (V3,), (0,), extra="hvp"),
    Case(namedtuple_class_constant, (V3,), (0,), extra="hvp"),
    Case(class_constant_argument, (Scaled3(0.5), 1.5), (0, 1)),
]
