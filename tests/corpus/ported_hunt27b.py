"""Ported cases (session 27, hunt27b), written anew after Python idioms: gradient descent, momentum
and an L-BFGS two-loop recursion over lists of arrays unrolled inside the loss, recursion (Horner
on slices, a binary tree of dicts evaluated recursively, a memoised recursion with a dict in a
closure), generators (nested ``yield`` pipelines, refused; ``max``/``sum`` of generator
expressions, ``np.fromiter``), ``match`` over tuples and class patterns, a frozen dataclass with a
method and ``dataclasses.replace``, NamedTuple ``_replace``, an Enum-keyed dict, walrus in a
comprehension and a ``while`` condition, ``assert`` on values, a module-level counter mutated via
``global`` (refused), a DFT by loops over complex numbers, ``np.fft.fft``/``rfft`` power spectra,
complex ``exp``/``angle``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, replace
from enum import Enum
from typing import NamedTuple

import numpy as np

from . import Case, refused_everywhere


# ---- unrolled optimisers
def gd_inner(x):
    A = np.array([[2.0, 0.3], [0.3, 1.0]])
    w = np.zeros(2)
    for _ in range(6):
        g = A @ w - x[:2]
        w -= 0.3 * g
    return np.sum((w - x[2:]) ** 2)


def momentum_inner(x):
    w = x.copy()
    v = np.zeros_like(w)
    for _ in range(5):
        g = 2 * w + np.sin(w)
        v = 0.9 * v - 0.1 * g
        w = w + v
    return np.sum(w**2) + np.sum(v * x)


def lbfgs_two_loop(g, s_list, y_list):
    q = g.copy()
    alphas = []
    for s, y in zip(reversed(s_list), reversed(y_list)):
        rho = 1.0 / (y @ s)
        a = rho * (s @ q)
        q = q - a * y
        alphas.append(a)
    if s_list:
        gamma = (s_list[-1] @ y_list[-1]) / (y_list[-1] @ y_list[-1])
    else:
        gamma = 1.0
    r = gamma * q
    for s, y, a in zip(s_list, y_list, reversed(alphas)):
        rho = 1.0 / (y @ s)
        b = rho * (y @ r)
        r = r + s * (a - b)
    return r


def lbfgs_inner(x):
    c = x

    def grad_f(w):
        return 2 * (w - c) + 0.2 * w**3

    w = np.zeros(len(x))
    s_list, y_list = [], []
    g = grad_f(w)
    for _ in range(4):
        d = -lbfgs_two_loop(g, s_list, y_list)
        w_new = w + 0.5 * d
        g_new = grad_f(w_new)
        s_list.append(w_new - w)
        y_list.append(g_new - g)
        if len(s_list) > 2:
            s_list.pop(0)
            y_list.pop(0)
        w, g = w_new, g_new
    return np.sum(w**2) + np.sum(w * c)


# ---- recursion
def horner_rec(c, t):
    if len(c) == 1:
        return c[0]
    return c[0] + t * horner_rec(c[1:], t)


def poly_rec(x):
    return horner_rec(x, 0.7) * horner_rec(x[::-1], -0.4)


def build_tree(depth, i):
    if depth == 0:
        return {"leaf": i}
    return {
        "op": "add" if depth % 2 else "mul",
        "l": build_tree(depth - 1, 2 * i),
        "r": build_tree(depth - 1, 2 * i + 1),
    }


TREE = build_tree(2, 0)


def eval_tree(node, x):
    if "leaf" in node:
        return x[node["leaf"]]
    a = eval_tree(node["l"], x)
    b = eval_tree(node["r"], x)
    if node["op"] == "add":
        return a + b
    return a * b


def tree_eval(x):
    return eval_tree(TREE, x) ** 2


def memo_fib(x):
    memo = {}

    def f(n):
        if n in memo:
            return memo[n]
        if n < 2:
            r = x[n]
        else:
            r = 0.5 * f(n - 1) + np.sin(f(n - 2))
        memo[n] = r
        return r

    return f(6)


# ---- generators
def pipeline(x):
    def scaled(it):
        for v in it:
            yield 2.0 * v

    def shifted(it, c):
        for v in it:
            yield v - c

    return sum(v * v for v in shifted(scaled(x), 0.3))


def gen_max(x):
    return max(abs(v - 0.1) for v in x) + sum(math.exp(v) for v in x if v > 0)


def fromiter_loss(x):
    a = np.fromiter((v**2 for v in x), dtype=float)
    return np.sum(a * np.arange(1, len(x) + 1))


# ---- match
def match_tuple(x):
    tot = 0.0
    for i, v in enumerate(x):
        match (i % 3, v > 0):
            case (0, True):
                tot += v**2
            case (0, False):
                tot -= v
            case (1, _):
                tot += np.sin(v)
            case _:
                tot += v * 3
    return tot


@dataclass
class Circle:
    r: float


@dataclass
class Rect:
    w: float
    h: float


def area(s):
    match s:
        case Circle(r=r):
            return math.pi * r * r
        case Rect(w, h):
            return w * h
    return 0.0


def match_class(x):
    shapes = [Circle(x[0]), Rect(x[1], x[2]), Circle(x[2])]
    return sum(area(s) for s in shapes)


# ---- dataclasses
@dataclass(frozen=True)
class Params:
    a: float
    b: float

    def energy(self, t):
        return self.a * t**2 + self.b * np.cos(t)


def frozen_replace(x):
    p = Params(x[0], x[1])
    q = replace(p, b=p.b * 2)
    r = dataclasses.replace(q, a=q.a + x[2])
    return p.energy(0.5) + q.energy(1.0) + r.energy(x[0])


class State(NamedTuple):
    pos: float
    vel: float


def nt_replace(x):
    s = State(x[0], x[1])
    for _ in range(5):
        s = s._replace(vel=s.vel - 0.1 * s.pos)
        s = s._replace(pos=s.pos + 0.1 * s.vel)
    return s.pos**2 + s.vel**2


class Species(Enum):
    A = 1
    B = 2


def enum_dict(x):
    conc = {Species.A: x[0], Species.B: x[1]}
    for _ in range(4):
        r = 0.3 * conc[Species.A]
        conc[Species.A] -= r
        conc[Species.B] += r * conc[Species.B]
    return conc[Species.B] + sum(v**2 for v in conc.values())


# ---- walrus / assert / global
def walrus_comp(x):
    return sum(y for v in x if (y := v * v - 0.1) > 0) + (z := np.sum(x)) * z


def walrus_while(x):
    v = x.copy()
    n = 0
    while (m := np.max(np.abs(v))) > 0.1 and n < 10:
        v = v * 0.5 + 0.01 * v**2
        n += 1
    return np.sum(v) * m


def assert_val(x):
    s = np.sum(x**2)
    assert s > 0, "positive"
    assert x.shape == (3,)
    return np.sqrt(s)


CALLS = 0


def count_global(x):
    global CALLS
    CALLS += 1
    tot = 0.0
    for v in x:
        CALLS += 1
        tot += v * v
    return tot * 2


# ---- complex
def dft_loop(x):
    n = len(x)
    tot = 0.0
    for k in range(n):
        s = 0j
        for t in range(n):
            s += x[t] * complex(
                math.cos(-2 * math.pi * k * t / n), math.sin(-2 * math.pi * k * t / n)
            )
        tot += abs(s) ** 2 * (k + 1)
    return tot


def fft_power(x):
    X = np.fft.fft(x)
    return np.sum(np.abs(X) ** 2 * np.arange(len(x)))


def rfft_power(x):
    X = np.fft.rfft(x)
    p = (X * X.conj()).real
    return np.sum(p[1:]) + np.abs(X[0])


def complex_exp(x):
    z = x[0] + 1j * x[1]
    w = np.exp(1j * z) * z
    return w.real**2 + np.abs(w) + np.angle(z + 2)


CASES = [
    Case(gd_inner, (np.array([0.3, -0.5, 0.2, 0.1]),), (0,), extra="hvp"),
    Case(momentum_inner, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(lbfgs_inner, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(poly_rec, (np.array([0.3, -0.5, 0.2, 1.1]),), (0,), extra="hvp"),
    Case(tree_eval, (np.array([0.3, -0.5, 0.2, 1.1]),), (0,), extra="hvp"),
    Case(memo_fib, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(
        pipeline,
        (np.array([0.3, -0.5, 0.2]),),
        (0,),
        xfail=refused_everywhere(
            "`shifted(scaled(x), 0.3)`: a generator passed to another generator is not supported"
        ),
    ),
    Case(gen_max, (np.array([0.3, -0.4, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(fromiter_loss, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(match_tuple, (np.array([0.3, -0.5, 0.2, -0.7, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(match_class, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(frozen_replace, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(nt_replace, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
    Case(enum_dict, (np.array([0.3, 0.5]),), (0,), extra="hvp"),
    Case(walrus_comp, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(walrus_while, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(assert_val, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(count_global, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(dft_loop, (np.array([0.3, -0.5, 0.2, 0.9]),), (0,), extra="hvp"),
    Case(fft_power, (np.array([0.3, -0.5, 0.2, 0.9]),), (0,), extra="hvp"),
    Case(rfft_power, (np.array([0.3, -0.5, 0.2, 0.9, 0.1]),), (0,), extra="hvp"),
    Case(complex_exp, (np.array([0.3, -0.5]),), (0,), extra="hvp"),
]
