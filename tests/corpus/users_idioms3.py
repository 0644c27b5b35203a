"""Python idioms users write that srcad used to refuse (session 5, `refuse`): nested helpers
that write the enclosing function's variables (``nonlocal``, ``xs.append``, ``d[k] = v``),
called in loops, branches and comprehensions (lower/closures.py); ``import scipy.linalg`` in
the body; module-level lists of NumPy functions; ``namedtuple._replace`` and
``dataclasses.replace``. Each is checked forward,
reverse and (``extra="hvp"``) at second order; the neighbours that must stay refused are in
tests/soundness/test_refuse5.py."""

from __future__ import annotations

import collections
import dataclasses
import math

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
]
