"""Ported cases (session 28, hunt28b), written anew after the standard library's functional and
container tools on Python floats: ``functools.reduce`` with a lambda and ``operator.add``/``mul``,
``functools.partial`` binding a keyword and a position, ``lru_cache`` on integer coefficients, a
``functools.wraps`` decorator with ``*args, **kwargs`` and a decorator factory, ``itertools``
``accumulate`` (with ``operator.mul`` and ``max``), ``product`` (``repeat=2``; of ``enumerate``:
refused), ``combinations`` of 2 and 3, ``pairwise`` segment lengths by ``math.hypot``,
``chain``/``islice`` (taken since refuse35) and ``starmap`` (taken since idiom47b),
``defaultdict(list)`` groups
(refused) and ``defaultdict(float)`` totals, ``Counter`` weights, ``OrderedDict.move_to_end`` (refused),
a ``deque(maxlen=3)`` moving average, ``deque.rotate`` (refused; its round trip was wrong before
this session: CSE merged ``d[0]`` across ``d.rotate``), function factories called in a
comprehension whose target shadows the factory's variable (wrong values before this session) and
lists of closures made by a comprehension (refused).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections import Counter, OrderedDict, defaultdict, deque

import numpy as np

from . import Case

X3 = np.array([0.3, -0.5, 0.8])
X5 = np.array([0.3, -0.5, 0.8, 0.45, 1.1])


def reduce_mul(x):
    return functools.reduce(lambda a, b: a * b + 0.1, x, 1.0)


def reduce_op(x):
    s = functools.reduce(operator.add, [v * v for v in x])
    p = functools.reduce(operator.mul, x)
    return s + p


def _scaled(a, b, scale=1.0):
    return scale * a * b


def partial_kw(x):
    f = functools.partial(_scaled, scale=2.5)
    g = functools.partial(_scaled, x[0])
    return f(x[1], x[2]) + g(x[1], scale=0.5)


@functools.lru_cache(maxsize=32)
def _coeff(k):
    return 1.0 / math.factorial(k)


def lru_series(x):
    return sum(_coeff(k) * x[0] ** k for k in range(6)) + _coeff(2) * x[1]


def _logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        return out

    return wrapper


@_logged
def _energy(a, b, k=1.0):
    return k * (a - b) ** 2


def wraps_deco(x):
    return _energy(x[0], x[1], k=3.0) + _energy(x[1], x[2])


def _scale_by(s):
    def deco(fn):
        def inner(v):
            return s * fn(v)

        return inner

    return deco


@_scale_by(2.0)
def _sq(v):
    return v * v


def param_deco(x):
    return _sq(x[0]) + _sq(x[1] + x[2])


def accumulate_run(x):
    cs = list(itertools.accumulate(x))
    cp = list(itertools.accumulate(x, operator.mul))
    cm = list(itertools.accumulate(x, max))
    return sum(cs) + cp[-1] + cm[-1] * 0.5


def product_repeat(x):
    s = 0.0
    for a, b in itertools.product(x, repeat=2):
        s += a * b * 0.1 + (a - b) ** 2
    return s


def product_enumerate(x):
    s = 0.0
    for (i, a), (j, b) in itertools.product(enumerate(x), enumerate(x[:2])):
        s += (i + 1) * a - j * b**2
    return s


def combos(x):
    s = 0.0
    for a, b in itertools.combinations(x, 2):
        s += (a - b) ** 2
    for a, b, c in itertools.combinations(list(x), 3):
        s += a * b * c
    return s


def pairwise_len(x):
    pts = [(x[0], x[1]), (x[2], 0.5), (1.0, x[0])]
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(pts))


def chain_islice(x):
    vals = itertools.chain(x, [1.0, 2.0], (v * 2 for v in x))
    head = list(itertools.islice(vals, 5))
    return sum(h * h for h in head)


def starmap_mul(x):
    pairs = list(zip(x, x[::-1]))
    return sum(itertools.starmap(operator.mul, pairs))


def ddict_list(x):
    groups = defaultdict(list)
    keys = ["a", "b", "a", "c", "b"]
    for k, v in zip(keys, x):
        groups[k].append(v)
    return sum(len(vs) * sum(vs) ** 2 for vs in groups.values())


def ddict_float(x):
    tot = defaultdict(float)
    for i, v in enumerate(x):
        tot[i % 2] += v**2
        tot["all"] += v
    return tot[0] * tot[1] + tot["all"]


def counter_weights(x):
    labels = ["cat", "dog", "cat", "bird", "cat"]
    c = Counter(labels)
    n = sum(c.values())
    return sum(v * n / c[lab] for v, lab in zip(x, labels))


def ordered(x):
    od = OrderedDict()
    od["w"] = x[0]
    od["b"] = x[1]
    od["g"] = x[2]
    od.move_to_end("w")
    vals = list(od.values())
    return vals[0] * 2 + vals[-1] ** 3


def deque_window(x):
    win = deque(maxlen=3)
    s = 0.0
    for v in x:
        win.append(v)
        s += sum(win) / len(win)
    return s


def deque_rotate(x):
    d = deque(x)
    d.rotate(1)
    a = d[0]
    d.rotate(-2)
    return a * d[0] + d[-1]


def _make(k):
    def f(v):
        return k * v * v

    return f


def factory_shadowed(x):
    k = 5.0
    return sum([_make(k)(v) for k, v in zip(x, x[::-1])]) + k


def factory_generator(x):
    return sum(_make(k)(1.0) + _make(2.0)(k) for k in x)


def factory_list(x):
    fs = [_make(k) for k in (1.0, 2.0, 3.0)]
    return sum(f(v) for f, v in zip(fs, x))


def factory_literal(x):
    fs = [_make(1.0), _make(2.0), _make(3.0)]
    return sum(f(v) for f, v in zip(fs, x))


CASES = [
    Case(reduce_mul, (X3,), (0,), extra="hvp"),
    Case(reduce_op, (X3,), (0,), extra="hvp"),
    Case(partial_kw, (X3,), (0,), extra="hvp"),
    Case(lru_series, (X3,), (0,), extra="hvp"),
    Case(wraps_deco, (X3,), (0,), extra="hvp"),
    Case(param_deco, (X3,), (0,), extra="hvp"),
    Case(accumulate_run, (X3,), (0,), extra="hvp"),
    Case(product_repeat, (X3,), (0,), extra="hvp"),
    Case(product_enumerate, (X3,), (0,), extra="hvp"),  # (enumerate as a value: hunt34b)
    Case(combos, (X3,), (0,), extra="hvp"),
    Case(pairwise_len, (X3,), (0,), extra="hvp"),
    Case(chain_islice, (X3,), (0,), extra="hvp"),  # (a chain bound to a name: refuse35)
    Case(starmap_mul, (X3,), (0,), extra="hvp"),  # (a list of pairs: idiom47b)
    Case(ddict_list, (X5,), (0,), extra="hvp"),  # (`groups[k].append(v)`: alias_calls)
    Case(ddict_float, (X5,), (0,), extra="hvp"),
    Case(counter_weights, (X5,), (0,), extra="hvp"),
    Case(ordered, (X3,), (0,), extra="hvp"),  # (`move_to_end`: lower/ordereddicts.py)
    Case(deque_window, (X5,), (0,), extra="hvp"),
    Case(deque_rotate, (X3,), (0,)),  # (`deque.rotate`: a list rotation, lower/deques.py)
    Case(factory_shadowed, (X3,), (0,), extra="hvp"),
    Case(factory_generator, (X3,), (0,), extra="hvp"),
    Case(factory_list, (X3,), (0,)),  # (refuse38: a comprehension of factory calls)
    Case(factory_literal, (X3,), (0,), extra="hvp"),
]
