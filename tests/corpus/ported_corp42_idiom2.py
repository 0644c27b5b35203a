"""Ported cases (session 42, idiom42): Python function, control-flow and data idioms inside a
differentiated function: a ``functools.wraps`` decorator and a decorator factory, ``lru_cache`` on
a helper of integers, a closure factory (``make_loss(data)``), ``functools.partial``,
keyword-only and default arguments, ``*args``/``**kwargs`` forwarding, recursion, late-binding
lambdas in a comprehension, ``nonlocal`` counters, ``getattr(np, name)``, ``try``/``except``/
``else``, ``while True`` with ``break``, ``match`` on tuples and mappings, a walrus in a
``while`` test, an exception used to leave a loop, retries with ``continue``/``else: break``,
``itertools`` (accumulate, pairwise, product, chain), ``zip``/``reversed``/``sorted``, star
unpacking, ``x[..., None]``/``np.newaxis``, in-place updates of slices and views, dict
comprehensions and merges (``{**d}``, ``|=``), list methods (sort, insert, reverse).

Float64 arrays and floats -> floats. Each checked forward, reverse and at second order."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from . import Case

X3 = np.array([0.3, -0.7, 1.2])
W23 = np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4]])


def _logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def _scaled(factor):
    def deco(fn):
        @functools.wraps(fn)
        def w(x):
            return factor * fn(x)

        return w

    return deco


@_logged
def _bump(x, scale=1.0):
    return scale * np.exp(-(x**2))


@_scaled(3.0)
def _cube_sum(x):
    return np.sum(x**3)


def decorators(x):
    return np.sum(_bump(x, scale=3.0)) + _cube_sum(x) + _cube_sum(2 * x)


@functools.lru_cache(maxsize=128)
def _binom(n, k):
    return math.comb(n, k)


def lru_cache_bernstein(t):
    return sum(_binom(4, k) * t**k * (1 - t) ** (4 - k) * (k + 1) for k in range(5))


def _make_loss(data, reg):
    def loss(w):
        r = data @ w - 1.0
        return r @ r + reg * (w @ w)

    return loss


def _kern(x, y, ell=1.0):
    return np.exp(-np.sum((x - y) ** 2) / (2 * ell**2))


def _energy(x, *, k=2.0, x0=0.0):
    return 0.5 * k * np.sum((x - x0) ** 2)


def _apply(f, *args, **kwargs):
    return f(*args, **kwargs)


def closures_partial_forwarding(w):
    f = _make_loss(np.eye(3) * 2.0, 0.1)
    k = functools.partial(_kern, ell=0.5)
    return (
        f(w) * f(w * 0.5)
        + k(w, np.zeros(3))
        + functools.partial(_kern, w)(np.ones(3))
        + _energy(w)
        + _energy(w, k=3.0, x0=1.0)
        + _apply(_energy, w, k=4.0)
    )


def _power(x, n):
    if n == 0:
        return np.ones_like(x)
    half = _power(x, n // 2)
    return half * half * (x if n % 2 else 1.0)


def recursion_getattr(x):
    tot = np.sum(_power(x, 5))
    for nm in ("sin", "cos", "exp"):
        tot = tot + np.sum(getattr(np, nm)(x))
    return tot


def late_binding_nonlocal(x):
    fs = [lambda z: z * i for i in range(3)]  # noqa: B023 (late binding: i == 2 in all)
    gs = [lambda z, i=i: z * i**2 for i in range(3)]
    total = sum(np.sum(f(x)) for f in fs) + sum(np.sum(g(x) ** 2) for g in gs)

    def add(v):
        nonlocal total
        total = total + v

    for e in x:
        add(e**2)
    return total


def _safe_log(v):
    try:
        if v <= 0:
            raise ValueError("neg")
        r = math.log(v)
    except ValueError:
        r = 0.0
    else:
        r = r * 2.0
    return r


def try_else_while_true(x):
    s = sum(_safe_log(v) * v for v in x)
    a = 1.0
    n = 0
    while True:
        a = 0.5 * (a + (x[2] + 1.0) / a)
        n += 1
        if n >= 6:
            break
    return s + a


def exception_leaves_loop(x):
    total = 0.0
    try:
        for v in x:
            if v > 1.0:
                raise StopIteration
            total = total + v**2
    except StopIteration:
        total = total * 10
    res = None
    for attempt in range(3):
        try:
            if attempt < 2:
                raise RuntimeError("retry")
            res = np.sum(np.sin(x)) * attempt
        except RuntimeError:
            continue
        else:
            break
    return total + res


def match_idioms(x):
    out = 0.0
    for spec in [("scale", 2.0), ("shift", 1.0), ("pow", 3)]:
        match spec:
            case ("scale", s):
                x = x * s
            case ("shift", s):
                x = x + s
            case ("pow", int(p)):
                x = x**p
    cfg = {"act": "tanh", "layers": [3, 2]}
    match cfg:
        case {"act": "tanh", "layers": [a, b]}:
            out = np.sum(np.tanh(x)) * a * b
        case _:
            out = np.sum(x)
    return out


def walrus_early_return(x):
    i = 0
    while (v := x[i]) < 1.0:
        i += 1
    for a in x:
        for b in x:
            if a * b < -0.5:
                return a * b * 3.0 + v * i
    return np.sum(x)


def itertools_builtins(x):
    acc = list(itertools.accumulate(x))
    pairs = sum(a * b for a, b in itertools.pairwise(x))
    prod = sum(a - b * b for a, b in itertools.product(x, x[:2]))
    ch = sum(itertools.chain(x, [x[0] ** 2]))
    s = 0.0
    for i, (a, b) in enumerate(zip(x, reversed([1.0, 2.0, 3.0]))):
        s += i * a * b
    for v in sorted(x):
        s = s * 0.5 + v
    return acc[-1] * pairs + prod + ch + s


def unpacking_newaxis(x):
    (a, b), c = (x[0], x[1]), x[2]
    first, *rest = x
    *init, last = list(x)
    D = x[:, None] - x[None, :]
    E = x[np.newaxis, :] * x[..., np.newaxis]
    return a * b * c + first * sum(rest) + sum(init) * last + np.sum(D**2 * E)


def inplace_slices(x):
    y = np.zeros(5)
    y[1:4] += x
    y[::2] *= 2.0
    v = y[1:3]
    v += x[:2] ** 2
    y[-1] -= x[0]
    z = np.copy(x)
    z[0] = z[0] ** 2
    return np.sum(y * np.arange(5)) + np.sum(z * x)


def dict_idioms(W):
    params = {"W1": W, "b1": np.array([0.1, -0.1])}
    grads = {k: 2 * v for k, v in params.items()}
    new = {k: params[k] - 0.1 * grads[k] for k in params}
    new = {**new, "c": W[0, 0]}
    new |= {"d": W[1, 1] ** 2}
    h = np.tanh(new["W1"] @ X3 + new["b1"])
    return np.sum(h) + sum(np.sum(v**2) for v in new.values())


def list_methods(x):
    lst = [x[0], x[1], x[2]]
    lst.sort()
    lst.append(lst[0] * lst[-1])
    lst.insert(0, 1.0)
    lst.reverse()
    return sum(v * (i + 1) for i, v in enumerate(lst))


CASES = [
    Case(decorators, (X3,), (0,), extra="hvp"),
    Case(lru_cache_bernstein, (0.3,), (0,), extra="hvp"),
    Case(closures_partial_forwarding, (X3,), (0,), extra="hvp"),
    Case(recursion_getattr, (X3,), (0,), extra="hvp"),
    Case(late_binding_nonlocal, (X3,), (0,), extra="hvp"),
    Case(try_else_while_true, (X3,), (0,), extra="hvp"),
    Case(exception_leaves_loop, (X3,), (0,), extra="hvp"),
    Case(match_idioms, (X3,), (0,), extra="hvp"),
    Case(walrus_early_return, (X3,), (0,), extra="hvp"),
    Case(itertools_builtins, (X3,), (0,), extra="hvp"),
    Case(unpacking_newaxis, (X3,), (0,), extra="hvp"),
    Case(inplace_slices, (X3,), (0,), extra="hvp"),
    Case(dict_idioms, (W23,), (0,), extra="hvp"),
    Case(list_methods, (X3,), (0,), extra="hvp"),
]
