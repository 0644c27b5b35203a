"""Ported cases (session 34, hunt34b): Python idioms and control flow as users write them, each
function mixing a few: ``match`` on ints, strings, sequences, mappings and classes; ``:=`` in a
``while`` condition and in comprehensions; ``functools.reduce``, ``itertools`` (accumulate,
chain, product, pairwise, islice, starmap); generator functions with ``yield``/``yield from``;
``zip(strict=True)``, ``enumerate(start=1)``, ``enumerate``/``reversed`` bound to names or
passed to ``zip``/``dict``; nested, dict and conditional comprehensions; star unpacking,
keyword-only and positional-only parameters, array defaults; closures over loop variables;
fixed-depth recursion over nested tuples; ``try``/``except``, ``for``/``else``, ``while``/
``else``, early returns and flags in nested loops; dispatch tables of functions; ``math`` on
NumPy scalars; casts and chained comparisons.

Float parameters -> float scalars, every case also checked at second order."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from dataclasses import dataclass

import numpy as np

from . import Case

X = np.array([0.3, -0.7, 1.2, 0.5])
W = [1.0, 2.0, 3.0, 4.0]


@dataclass
class _Lin:
    w: float
    b: float


class _Quad:
    __match_args__ = ("a", "c")

    def __init__(self, a, c):
        self.a = a
        self.c = c


def _activation(kind, v):
    match kind:
        case "tanh":
            return np.tanh(v)
        case "sin" | "sine":
            return np.sin(v)
        case _:
            return v


def match_dispatch(x):
    s = 0.0
    for kind in ("tanh", "sine", "id"):
        s = s + np.sum(_activation(kind, x) ** 2)
    match len(x):
        case 0:
            return s
        case 4:
            s = s * 1.5
    match (x[0], x[1]):
        case (a, b):
            s = s + a * b
    return s


def match_structures(x):
    s = 0.0
    for o in [_Lin(x[0], x[1]), _Quad(x[2], x[3]), {"w": x[1], "b": x[2]}, [x[0], x[3], x[2]]]:
        match o:
            case _Lin(w=w, b=b):
                s = s + w * np.exp(b)
            case _Quad(a, c):
                s = s + a**2 * c
            case {"w": w, "b": b}:
                s = s + w * b**2
            case [first, *rest]:
                s = s + first * sum(rest)
    return s


def match_nested_patterns(x):
    s = 0.0
    events = [("move", (x[0], x[1])), ("scale", x[2]), ("zoom", x[3]), ("move", (x[3], x[2]))]
    for ev in events:
        match ev:
            case ("move", (dx, dy) as step) if dx > 0.4:
                s = s + dx * dy + len(step)
            case ("move", (dx, _)):
                s = s + np.sin(dx)
            case ("scale", f) | ("zoom", f):
                s = s * 0.5 + f**2
    cfg = {"lr": x[0], "decay": x[1], "momentum": x[2]}
    match cfg:
        case {"lr": lr, **others}:
            s = s + lr * sum(others.values())
    return s


def match_guards(x):
    s = 0.0
    for v in x:
        match v:
            case v if v > 0.4:
                s = s + v**3
            case v if v > 0:
                s = s + np.sin(v)
            case _:
                s = s - 2 * v
    return s


def walrus_loops(x):
    s = x[2]
    i = 0
    while (t := s * 0.6) > 0.05 and i < 12:
        s = t + 0.01 * x[1] ** 2
        i += 1
    ys = [y for v in x if (y := np.sin(v)) > -0.5]
    return s * x[0] + sum(y * y for y in ys) + (n if (n := np.sum(x**2)) > 1.0 else 0.0)


def reductions(x):
    p = functools.reduce(operator.mul, list(x), 2.0)
    r = functools.reduce(lambda a, b: a * 0.5 + np.sin(b), x, 1.0)
    acc = list(itertools.accumulate(x))
    run = list(itertools.accumulate(x, lambda a, b: 0.5 * a + b, initial=1.0))
    return p + r + sum(c**2 for c in acc) + run[-1] * run[1]


def itertools_mix(x):
    s = 0.0
    for v in itertools.chain(x[:2], [x[3] * 2]):
        s = s + v**3
    for a, b in itertools.product(x[:2], x[2:]):
        s = s + a * b
    s = s + sum((b - a) ** 2 for a, b in itertools.pairwise(x))
    s = s + sum(v * v for v in itertools.islice(x, 1, 3))
    return s + sum(itertools.starmap(lambda a, b: a * b, zip(x, x[1:])))


def _squares(xs):
    for v in xs:
        yield v * v


def _running(xs):
    total = 0.0
    for v in xs:
        total = total + v
        yield total


def _with_tail(xs):
    yield from _squares(xs)
    yield xs[0] * 10


def generators(x):
    a = sum(_squares(x))
    b = sum(v**2 for v in _running(x))
    c = sum(_with_tail(x))
    return a * b + c + np.sum(np.array(list(_squares(x))) * x)


def zips_and_enumerates(x):
    s = sum(a * b for a, b in zip(x, W, strict=True))
    for i, v in enumerate(x, start=1):
        s = s + i * v**2
    for (i, v), w in zip(enumerate(x), W):
        s = s + i * v * w
    e = enumerate(reversed(x), 1)
    s = s + sum(i * np.sin(v) for i, v in e)
    d = dict(enumerate(x))
    return s + d[0] * d[3]


def comprehensions(x):
    pairs = sum(a * b for i, a in enumerate(x) for j, b in enumerate(x) if i < j and a * b > -0.5)
    m = [[x[i] * x[j] for j in range(len(x)) if j != i] for i in range(len(x))]
    d = {f"k{i}": v**2 for i, v in enumerate(x) if i % 2 == 0}
    names = dict(zip(["a", "b", "c", "d"], x))
    return pairs + sum(sum(r) for r in m) + d["k0"] + 3 * d["k2"] + names["a"] * names["d"]


def _affine(a, b, /, c, *, scale=1.0, shift=0.0):
    return (a - b) * c * scale + shift


def _weighted(v, w=np.array([1.0, 2.0, 3.0, 4.0])):  # noqa: B008 (an array default)
    return np.dot(v, w)


def signatures(x):
    first, *rest = x
    a, *mid, b = list(x)
    args = (x[0], x[1])
    kw = {"scale": x[3], "shift": x[2]}
    return (
        first * sum(rest)
        + a * b
        + sum(m**2 for m in mid)
        + _affine(*args, x[2], **kw)
        + _weighted(x)
        + _weighted(x, w=x)
    )


def closures(x):
    late = [lambda t: t * i for i in range(3)]  # noqa: B023 (late binding: i == 2)
    early = [lambda t, i=i: t * i for i in range(3)]
    fs = []
    for k in range(3):

        def g(t):
            return t**2 * k  # noqa: B023 (late binding: k == 2)

        fs.append(g)
    a = 2.0

    def h():
        return a * x[0] ** 2

    r1 = h()
    a = 3.0
    return (
        sum(f(x[0]) for f in late)
        + sum(f(x[1]) for f in early)
        + sum(f(x[2]) for f in fs)
        + r1
        + h()
    )


def _horner(cs, t):
    if len(cs) == 1:
        return cs[0]
    return cs[0] + t * _horner(cs[1:], t)


def _tree_sum(t):
    if isinstance(t, tuple):
        return sum(_tree_sum(c) for c in t)
    return np.sin(t) * t


def recursion(x):
    p = _horner([1.0, x[0], x[1], 0.5], x[2])
    return p + _tree_sum(((x[0], x[1]), (x[2], (x[3], x[0] * x[1]))))


def exceptions(x):
    a, b = float(x[0]), float(x[1])
    try:
        r = b / (a - a)
    except ZeroDivisionError:
        r = x[1] * 3.0
    try:
        q = x[1] / x[0]
    except ZeroDivisionError:
        q = 0.0
    else:
        q = q * 2
    try:
        k = int("three")
    except ValueError:
        k = 2
    assert x.shape == (4,), "one vector"
    return r + q + x[2] ** k


def loop_exits(x):
    s = 0.0
    for v in x:
        if v > 5:
            break
        s = s + v**2
    else:
        s = s * 2
    i = 0
    t = x[0]
    while i < 10:
        t = t * 1.5 + x[3]
        if t > 2:
            break
        i += 1
    else:
        t = -t
    found = False
    for i in range(4):
        for j in range(4):
            s = s + x[i] * x[j]
            if s > 1.5:
                found = True
                break
        if found:
            break
    return s + t * x[1]


def _first_big(x):
    for i in range(len(x)):
        for j in range(len(x)):
            if x[i] * x[j] > 1.0:
                return x[i] * x[j] + i
    return np.sum(x)


def _sq(v):
    return v * v


_TABLE = {"sq": _sq, "cube": lambda v: v**3, "sin": np.sin}


def dispatch_and_math(x):
    s = _first_big(x)
    for name in ("sq", "cube", "sin"):
        s = s + np.sum(_TABLE[name](x))
    t = np.sum(x)
    s = s + math.sin(t) * np.cos(x[1]) + math.exp(np.float64(x[0])) + math.hypot(x[0], x[1])
    s = s + math.atan2(x[1], x[2]) + math.log1p(x[3] ** 2) + math.pow(abs(x[1]) + 1, 1.5)
    n = int(len(x) * 1.5)
    return s + float(x[0]) * n + round(2.4) * x[1] + x[int(x[2] * 2)] ** 2


def comparisons(x):
    s = 0.0
    for v in x:
        if -0.5 < v < 1.0:
            s = s + v**2
        elif 1.0 <= v <= 2.0:
            s = s + v**3
    y = x * 2 if x[0] > 0 else x * 3
    z = np.sin(y) if np.sum(y) > 0 else np.cos(y)
    if np.any(x > 1.0) and not np.all(x > 0):
        s = s + np.sum(x**2)
    if all(x > -1) and any(v > 1.1 for v in x):
        s = s + np.sum(np.exp(x))
    return s + np.sum(z)


CASES = [
    Case(match_dispatch, (X,), (0,), extra="hvp"),
    Case(match_structures, (X,), (0,), extra="hvp"),
    Case(match_nested_patterns, (X,), (0,), extra="hvp"),
    Case(match_guards, (X,), (0,), extra="hvp"),
    Case(walrus_loops, (X,), (0,), extra="hvp"),
    Case(reductions, (X,), (0,), extra="hvp"),
    Case(itertools_mix, (X,), (0,), extra="hvp"),
    Case(generators, (X,), (0,), extra="hvp"),
    Case(zips_and_enumerates, (X,), (0,), extra="hvp"),
    Case(comprehensions, (X,), (0,), extra="hvp"),
    Case(signatures, (X,), (0,), extra="hvp"),
    Case(closures, (X,), (0,), extra="hvp"),
    Case(recursion, (X,), (0,), extra="hvp"),
    Case(exceptions, (X,), (0,), extra="hvp"),
    Case(loop_exits, (X,), (0,), extra="hvp"),
    Case(dispatch_and_math, (X,), (0,), extra="hvp"),
    Case(comparisons, (X,), (0,), extra="hvp"),
]
