"""Ported cases (session 30, hunt30a), written anew after user code that leans on Python's
semantics: a value with an infinite local derivative (``np.sqrt``, ``v ** 0.5``, ``np.log``,
``np.arccos``, a division) computed before an ``if``/``elif``/ternary and read in one branch
only (the nan of ``0 * inf`` from the branch not taken, ad/branchmasks.py), also in loops, under
``and``, in a helper and through a non-affine op; generators consumed by a ``for`` loop whose
body leaves what they read alone; ``try``/``except``/``else``/``finally`` around ``math`` domain
errors; ``for``/``while`` with ``else``; ``match`` on strings and tuples; ``functools.reduce``,
``itertools.accumulate`` with a function, ``min``/``max`` with ``key=``/``default=``; dict
``setdefault``/``update``/``pop``/``|=``; operator overloads and properties with setters.
Refused and should not be (strict xfails): ``with`` blocks, ``try``/``finally`` that returns,
``cond and xs.append(v)`` as a statement.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from . import Case, refused_everywhere

XN = np.array([-0.73, 0.218, -0.437, 1.1213, -0.9371, 0.3521])
XP = np.abs(XN) + 0.1


def sqrt_or_line(x):
    s = 0.0
    for v in x:
        r = np.sqrt(v)
        if v < 0:
            s += 2.0 * v
        else:
            s += r
    return s


def root_ladder(x):
    s = 0.0
    for v in x:
        r = np.sin(v**0.5)
        lg = np.log(v)
        if v < -0.5:
            s += v
        elif v < 0:
            s += v**2
        elif v < 1:
            s += r
        else:
            s += lg
    return s


def nan_checked_root(x):
    s = 0.0
    for v in x:
        r = v**0.5
        s += v if np.isnan(r) else r
    return s


def guarded_reciprocal(x):
    s = 0.0
    for v in x:
        inv = 1.0 / v
        if abs(v) < 0.3 and v != 0:
            s += v * 10
        else:
            s += inv
    return s


def both_positive_root(x):
    r = np.sqrt(x[0] * x[1])
    if x[0] > 0 and x[1] > 0:
        return r + x[2]
    return x[0] - x[1]


def angle_or_identity(x):
    def h(v):
        a = np.arccos(v)
        if abs(v) <= 1:
            return a
        return v

    return sum(h(v) for v in 1.5 * x)


def vector_log_branch(x):
    lg = np.log(x)
    if np.all(x > 0):
        return np.sum(lg * x)
    return np.sum(x**2)


def generator_steps(x):
    scale = x[0]

    def steps(n):
        for k in range(n):
            yield scale * (k + 1)

    s = 0.0
    for v in steps(3):
        s += v * x[1]
    return s + x[2]


def log_or_square(x):
    s = 0.0
    n = 0
    for v in x:
        try:
            s += math.log(v)
        except ValueError:
            s -= v**2
        else:
            s *= 1.01
        finally:
            n += 1
    return s * n


def first_big_else(x):
    s = 1.0
    for v in x:
        if v > 5.0:
            s += v
            break
        s *= 1 + 0.1 * v
    else:
        s = -s
    return s


def match_modes(x):
    s = 0.0
    for mode, v in zip(["sq", "lin", "sq", "cube"], x):
        match mode:
            case "sq":
                s = s + v**2
            case "lin":
                s = s * v
            case _:
                s = s + v**3
    pair = (x[4], x[5])
    match pair:
        case (a, b) if a > b:
            s += a * b
        case (a, b):
            s += a - b
    return s


def folds(x):
    r = functools.reduce(lambda a, b: a * 0.5 + b, x, 1.0)
    acc = list(itertools.accumulate(x, lambda a, b: a * 0.9 + b))
    best = min(zip(x, x[1:]), key=lambda p: p[0] ** 2 + p[1] ** 2)
    top = max([v for v in x if v > 9], default=x[0])
    return r + sum(v * v for v in acc) + best[0] * best[1] + top


def dict_updates(x):
    d = {"a": x[0]}
    d.setdefault("b", x[1] ** 2)
    d.setdefault("a", 100.0)
    d.update({"c": x[2], "a": d["a"] * 2})
    p = d.pop("c")
    q = d.pop("zz", x[4])
    d |= {"f": x[5] ** 3}
    return d.get("a", 0.0) * d["b"] + p * q + d["f"]


class Temp:
    def __init__(self, c):
        self._c = c

    @property
    def f(self):
        return self._c * 1.8 + 32

    @f.setter
    def f(self, v):
        self._c = (v - 32) / 1.8


def property_setter(x):
    t = Temp(x[0])
    t.f = x[1] ** 2 + t.f
    return t._c * x[2] + t.f


class Scale:
    def __init__(self):
        self.k = 1.0

    def __enter__(self):
        self.k = 2.0
        return self

    def __exit__(self, *exc):
        self.k = 1.0
        return False


def with_block(x):
    c = Scale()
    with c:
        a = c.k * x[0]
    return a * c.k + x[1]


def finally_returns(x):
    def h(a):
        try:
            return a[0] * 2
        finally:
            a = a * 3

    return h(x) * x[2]


def append_in_and(x):
    acc = []
    for v in x:
        v > 0 and acc.append(v**2)
    return sum(acc)


_WITH = "`with` statements are not supported"
_APPEND = "`.append()` is supported as a statement on a local variable only"

CASES = [
    Case(sqrt_or_line, (XN,), (0,), extra="hvp"),
    Case(sqrt_or_line, (XP,), (0,), name="ported_hunt30a.sqrt_or_line_pos", extra="hvp"),
    Case(root_ladder, (XN,), (0,), extra="hvp"),
    Case(root_ladder, (XP * 2,), (0,), name="ported_hunt30a.root_ladder_pos", extra="hvp"),
    Case(nan_checked_root, (XN,), (0,), extra="hvp"),
    Case(guarded_reciprocal, (XN,), (0,), extra="hvp"),
    Case(both_positive_root, (XN,), (0,), extra="hvp"),
    Case(both_positive_root, (XP,), (0,), name="ported_hunt30a.both_positive_pos", extra="hvp"),
    Case(angle_or_identity, (XN,), (0,), extra="hvp"),
    Case(vector_log_branch, (XN,), (0,), extra="hvp"),
    Case(vector_log_branch, (XP,), (0,), name="ported_hunt30a.vector_log_pos", extra="hvp"),
    Case(generator_steps, (XN,), (0,), extra="hvp"),
    Case(log_or_square, (XN,), (0,), extra="hvp"),
    Case(first_big_else, (XN,), (0,), extra="hvp"),
    Case(match_modes, (XN,), (0,), extra="hvp"),
    Case(folds, (XN,), (0,), extra="hvp"),
    Case(dict_updates, (XN,), (0,), extra="hvp"),
    Case(property_setter, (XN,), (0,), extra="hvp"),
    Case(with_block, (XN,), (0,), xfail=refused_everywhere(_WITH)),
    Case(finally_returns, (XN,), (0,), extra="hvp"),  # (refuse34b: the `finally` part copied)
    Case(append_in_and, (XN,), (0,), xfail=refused_everywhere(_APPEND)),
]
