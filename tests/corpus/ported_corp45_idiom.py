"""Ported cases (session 45, idiom45): ordinary Python idioms srcad refused before session 45,
written as users write them: ``copy.deepcopy`` of a dataclass state, a dict comprehension of
particles updated over ``.items()``, layers as bound methods in a list, a nested ``def`` that
accumulates into an enclosing object, a subclass's step chosen by name, ``super().energy`` of a
property, ``permutations`` of a display, and ``next(g)`` of a generator expression before the
rest.

Float64 arrays -> floats."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass

import numpy as np

from . import Case

X4 = np.array([0.7, -0.4, 1.2, 0.3])


@dataclass
class _Sim:
    t: float
    u: np.ndarray


def snapshot_state(x):
    s = _Sim(0.0, x * 1.0)
    hist = []
    for _ in range(3):
        trial = copy.deepcopy(s)
        trial.u = trial.u + 0.1 * np.sin(trial.u)
        trial.t = trial.t + 0.1
        s.u = 0.5 * (s.u + trial.u)
        s.t = trial.t
        hist.append(copy.copy(s))
    return float(sum(h.t * np.sum(h.u**2) for h in hist))


class _Particle:
    def __init__(self, q):
        self.q = q
        self.p = 0.0


def particle_dict(x):
    ps = {i: _Particle(x[i]) for i in range(4)}
    for _ in range(2):
        for k, p in ps.items():
            p.p = p.p - 0.1 * np.sin(p.q) * (k + 1)
            p.q = p.q + 0.1 * p.p
    return float(sum(p.q**2 + 0.5 * p.p**2 for p in ps.values()))


class _Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def forward(self, h):
        return self.w * h + self.b


def bound_layers(x):
    layers = [_Dense(0.8, 0.1).forward, np.tanh, _Dense(1.3, -0.2).forward, np.sin]
    h = x
    for f in layers:
        h = f(h)
    return float(np.sum(h**2))


class _Stats:
    def __init__(self):
        self.total = 0.0
        self.count = 0


def nested_accumulator(x):
    st = _Stats()

    def observe(v):
        st.total = st.total + v * v
        st.count += 1

    for v in x:
        if v > -1.0:
            observe(np.exp(v))
    return float(st.total / st.count)


class _Solver:
    def __init__(self, y, h):
        self.y = y
        self.h = h

    def run(self, method, n):
        step = getattr(self, "_step_" + method)
        for _ in range(n):
            self.y = step()
        return self.y

    def _step_euler(self):
        return self.y + self.h * np.sin(self.y)


class _Heun(_Solver):
    def _step_heun(self):
        k1 = np.sin(self.y)
        k2 = np.sin(self.y + self.h * k1)
        return self.y + 0.5 * self.h * (k1 + k2)


def subclass_step(x, method):
    return float(np.sum(_Heun(x, 0.1).run(method, 3) ** 2))


class _Body:
    def __init__(self, m, v):
        self.m = m
        self.v = v

    @property
    def energy(self):
        return 0.5 * self.m * self.v**2


class _Charged(_Body):
    def __init__(self, m, v, q):
        super().__init__(m, v)
        self.q = q

    def total(self):
        return super().energy + self.q * self.v


def super_property(x):
    return float(np.sum(_Charged(1.5, x, 0.3).total()))


def permutation_sum(x):
    s = 0.0
    for a, b, c in itertools.permutations([x[0], x[1], x[2]]):
        s = s + a * b**2 - c
    return float(s)


def head_then_rest(x):
    g = (v * v - v for v in x)
    head = next(g)
    return float(head * 2.0 + sum(g))


CASES = [
    Case(snapshot_state, (X4,), (0,), extra="hvp"),
    Case(particle_dict, (X4,), (0,), extra="hvp"),
    Case(bound_layers, (X4,), (0,), extra="hvp"),
    Case(nested_accumulator, (X4,), (0,), extra="hvp"),
    Case(subclass_step, (X4, "heun"), (0,), extra="hvp"),
    Case(super_property, (X4,), (0,), extra="hvp"),
    Case(permutation_sum, (X4,), (0,), extra="hvp"),
    Case(head_then_rest, (X4,), (0,), extra="hvp"),
]
