"""Python idioms users write that srcad used to refuse (session 5, `refuse`): nested helpers
that write the enclosing function's variables (``nonlocal``, ``xs.append``, ``d[k] = v``),
called in loops, branches and comprehensions (lower/closures.py); ``import scipy.linalg`` in
the body; module-level lists of NumPy functions; ``namedtuple._replace`` and
``dataclasses.replace``; ``functools.reduce``, ``itertools.accumulate``, ``statistics.mean`` and
its kin (lower/stdlib.py); ``for k, v in d.items(): d[k] = ...``; objects of classes whose
``__init__`` computes fields (``self.w2 = w * 2.0``), built and used here (lower/objects.py).
Each is checked forward, reverse and (``extra="hvp"``) at second order; the neighbours that must
stay refused are in tests/soundness/test_refuse5.py."""

from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import math
import operator
import statistics

import numpy as np

from . import Case
from .ported_semantics2 import sy_closure_counter


def nl_loop(x):
    acc = 0.0

    def add(v):
        nonlocal acc
        acc += v * x[0]

    for v in [1.0, 2.0, x[1]]:
        add(v)
    return acc * x[2]


def nl_counter_while(x):
    n = 0
    s = x[0]

    def step():
        nonlocal n, s
        n += 1
        s = s * x[1] + 0.5

    while n < 3:
        step()
    return s


def nl_comprehension(x):
    total = 0.0

    def push(v):
        nonlocal total
        total = total + v**2
        return total

    ys = [push(x[i]) for i in range(3)]
    return ys[0] * ys[-1] + total


def append_helper(x):
    out = []

    def emit(v):
        out.append(np.sin(v) * x[0])

    for i in range(3):
        emit(x[i])
    return sum(out)


def dict_helper(x):
    stats = {"s": 0.0, "m": x[0]}

    def update(v):
        stats["s"] = stats["s"] + v
        stats["m"] = max(stats["m"], v)

    for v in x:
        update(v * 2.0)
    return stats["s"] * stats["m"]


def nested_twice(x):
    acc = x[0]

    def outer_step(v):
        def inner(w):
            nonlocal acc
            acc = acc * w

        inner(v)
        inner(v + 1.0)

    for i in range(1, 3):
        outer_step(x[i])
    return acc


def nl_branch(x):
    best = x[0]

    def consider(v):
        nonlocal best
        if v > best:
            best = v

    for v in x:
        consider(v * v)
    return best * x[1]


def nl_early_return(x):
    acc = 0.0

    def add(v):
        nonlocal acc
        if v < 0:
            return 0.0
        acc = acc + v
        return v

    r = 0.0
    for v in x:
        r = r + add(v) * 2.0
    return acc * r


def nl_overwrite_in_loop_in_helper(x):
    last = 0.0

    def scan(xs):
        nonlocal last
        for v in xs:
            last = v * 3.0

    scan(x)
    return last * x[0]


def nl_list_of_funcs(x):
    acc = 1.0

    def mul(v):
        nonlocal acc
        acc = acc * v

    def add(v):
        nonlocal acc
        acc = acc + v

    for g in [mul, add, mul]:
        g(x[1])
    return acc * x[0]


def local_import_submodule(x):
    import scipy.linalg

    A = np.outer(x, x) * 0.1
    return scipy.linalg.expm(A).sum()


def local_import_from(x):
    import numpy as onp
    from scipy import special

    return (special.expit(x) * onp.pi).sum()


LAYERS = [np.tanh, np.sin]


def _twice(v):
    return v * 2.0


MIXED = (np.exp, _twice, math.sin)


def numpy_layers(x):
    for g in LAYERS:
        x = g(x)
    return x.sum()


def mixed_layers(x):
    s = 0.0
    for k, g in enumerate(MIXED):
        s = s + g(x[k]) * x[2]
    return s


_P = collections.namedtuple("_P", "a b")


@dataclasses.dataclass(frozen=True)
class _State:
    u: np.ndarray
    t: float


def namedtuple_replace(x):
    p = _P(x[0], x[1])
    q = p._replace(a=x[2] * p.b)
    return q.a * q.b + p.a


def dataclass_replace_loop(x):
    s = _State(x * 1.0, 0.0)
    for i in range(3):
        s = dataclasses.replace(s, u=s.u * x[i], t=s.t + np.sum(s.u))
    return s.t + np.sum(s.u**2)


def _affine(a, b):
    return a * 0.5 + b


def reduce_lambda(x):
    return functools.reduce(lambda a, b: a * 0.5 + b, [x[0], x[0] * x[1], 3.0])


def reduce_initial(x):
    return functools.reduce(_affine, x, 1.0)


def reduce_operator_nested(x):
    def comb(a, b):
        return np.sin(a) + b * x[2]

    return functools.reduce(comb, [x[0], x[1], x[2]]) * functools.reduce(operator.mul, list(x))


def accumulate_sums(x):
    xs = [x[0], x[1], x[2]]
    return list(itertools.accumulate(xs))[-1] * x[0]


def accumulate_func_initial(x):
    s = 0.0
    for k, v in enumerate(itertools.accumulate(x, operator.mul, initial=2.0)):
        s = s + v * (k + 1)
    return s + sum(itertools.accumulate(x, max))


def statistics_moments(x):
    m = statistics.mean([x[0], x[1], x[0] * x[1]])
    return m * statistics.fmean(x) + statistics.variance(x) + statistics.pstdev(list(x))


def items_write_current(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    s = 0.0
    for k, v in d.items():
        d[k] += v * s
        s = s + d[k]
    return d["a"] * d["b"] + d["c"] * s


class _Lin:
    scale = 3.0

    def __init__(self, w, b=0.5):
        """A layer whose __init__ computes a field."""
        self.w = w
        n = 2.0
        self.w2 = w * n + b

    def __call__(self, v):
        return self.w2 * v + self.shift(v)

    def shift(self, v):
        return np.sin(self.w) * v * self.scale

    @property
    def sq(self):
        return self.w2**2


class _Net:
    def __init__(self, x):
        self.l1 = _Lin(x[0])
        self.l2 = _Lin(x[1], b=x[2])
        self.act = np.tanh

    def __call__(self, v):
        return self.act(self.l2(self.l1(v)))


def init_computes_field(x):
    return _Lin(x[0])(x[1])


def init_property_in_loop(x):
    m = _Lin(x[0], x[2])
    s = 0.0
    for i in range(3):
        s = s + m(x[i]) * m.sq
    return s


def init_nested_objects(x):
    return _Net(x)(x[2]) + _Net(x * 2.0).l1.w2


def init_built_in_loop(x):
    s = 0.0
    for i in range(3):
        m = _Lin(x[i])
        s = s + m(x[2])
    return s


def dict_keys_bare_loop(x):
    d = {"a": x[0], "b": x[1], "c": x[2]}
    for k in d:  # the keys, as `d.keys()`: a snapshot (Python raises if they change)
        d[k] = d[k] ** 2 + d["a"]
    return d["a"] * d["b"] + d["c"]


V3 = np.array([0.3, -0.7, 1.2])
V3P = np.array([0.6, 0.4, 1.3])

CASES = [
    Case(nl_loop, (V3,), (0,), extra="hvp"),
    Case(nl_counter_while, (V3,), (0,), extra="hvp"),
    Case(nl_comprehension, (V3,), (0,), extra="hvp"),
    Case(append_helper, (V3,), (0,), extra="hvp"),
    Case(dict_helper, (V3,), (0,), extra="hvp"),
    Case(nested_twice, (V3,), (0,), extra="hvp"),
    Case(nl_branch, (V3,), (0,), extra="hvp"),
    Case(nl_early_return, (V3,), (0,), extra="hvp"),
    Case(nl_overwrite_in_loop_in_helper, (V3,), (0,), extra="hvp"),
    Case(nl_list_of_funcs, (V3,), (0,), extra="hvp"),
    Case(nl_branch, (V3P,), (0,), name="users_idioms3.nl_branch_pos"),
    Case(nl_early_return, (V3P,), (0,), name="users_idioms3.nl_early_return_pos"),
    Case(sy_closure_counter, (0.7,), (0,), extra="hvp"),
    Case(local_import_submodule, (V3,), (0,), extra="hvp"),
    Case(local_import_from, (V3,), (0,), extra="hvp"),
    Case(numpy_layers, (V3,), (0,), extra="hvp"),
    Case(mixed_layers, (V3,), (0,), extra="hvp"),
    Case(namedtuple_replace, (V3,), (0,), extra="hvp"),
    Case(dataclass_replace_loop, (V3,), (0,), extra="hvp"),
    Case(reduce_lambda, (V3,), (0,), extra="hvp"),
    Case(reduce_initial, (V3,), (0,), extra="hvp"),
    Case(reduce_operator_nested, (V3,), (0,), extra="hvp"),
    Case(accumulate_sums, (V3,), (0,), extra="hvp"),
    Case(accumulate_func_initial, (V3,), (0,), extra="hvp"),
    Case(accumulate_func_initial, (V3P,), (0,), name="users_idioms3.accumulate_func_initial_pos"),
    Case(statistics_moments, (V3,), (0,), extra="hvp"),
    Case(items_write_current, (V3,), (0,), extra="hvp"),
    Case(dict_keys_bare_loop, (V3,), (0,), extra="hvp"),
    Case(init_computes_field, (V3,), (0,), extra="hvp"),
    Case(init_property_in_loop, (V3,), (0,), extra="hvp"),
    Case(init_nested_objects, (V3,), (0,), extra="hvp"),
    Case(init_built_in_loop, (V3,), (0,), extra="hvp"),
]
