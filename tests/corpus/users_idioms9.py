"""Python idioms users write that srcad used to refuse (session 9, `refuse9`): decorators whose
wrapper passes ``*args, **kwargs`` on (``functools.wraps``: srcad.grad of the decorated function,
lower/wrappers.py; any wrapper called from transformed code is inlined, lower/varargs.py), and
generator functions used as helpers (``sum(terms(x))``, ``list(...)``, ``for t in terms(x)``:
lower/generators.py). Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/soundness/test_refuse9.py, with the neighbours that must stay refused)."""

from __future__ import annotations

import functools
import math
import time

import numpy as np

from . import Case

V3 = np.array([0.3, -0.7, 1.2])


# -- decorators ---------------------------------------------------------------------------------
def passthrough(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        _elapsed = time.perf_counter() - t0
        return out

    return wrapper


def logged(fn):  # no functools.wraps: inlined where it is called
    def wrapper(*args, **kwargs):
        result = fn(*args, **kwargs)
        if len(args) > 3:
            print("called", fn.__name__, "with", len(args), "arguments")
        return result

    return wrapper


def scaled(c):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*a, **k):
            return c * fn(*a, **k)

        return wrapper

    return deco


@passthrough
def decorated_energy(x, k=2.0):
    return np.sum(np.sin(x) * x) * k


@timed
def timed_norm(x):
    return np.sqrt(np.sum(x**2) + 1.0)


@logged
def logged_cube(x):
    return x**3


@passthrough
@scaled(0.5)
def stacked_decorators(x, *, shift=0.25):
    return np.sum(np.tanh(x + shift) ** 2)


@functools.cache
def _coef(k):
    return 1.0 / math.factorial(k)


def calls_decorated(x):
    return (
        decorated_energy(x)
        + decorated_energy(x, k=3.0)
        + timed_norm(x * 2.0)
        + np.sum(logged_cube(x))
        + stacked_decorators(x, shift=0.5)
        + sum(_coef(k) * x[0] ** k for k in range(4))
    )


# -- generator functions ------------------------------------------------------------------------
def _terms(x, n=6):
    for k in range(n):
        yield x**k / math.factorial(k)


def _pairs(xs):
    for i in range(len(xs) - 1):
        yield xs[i], xs[i + 1]


def _chained(x):
    yield from _terms(x, 3)
    yield math.sin(x)
    if x > 10.0:
        return
    yield x * x


def generator_sum(x):
    return sum(_terms(x[0])) + max(_terms(x[1], 4)) + sum(_chained(x[2]))


def generator_list(x):
    ts = list(_terms(x[0], 3))
    return np.sum(np.array(ts) * x) + sum(a * b for a, b in _pairs(x))


def generator_loops(x):
    s = 0.0
    for t in _terms(x[1], 5):
        s = s + t * x[0]
    for i, (a, b) in enumerate(_pairs(x)):
        s = s + (i + 1) * a * b
    return s


def nested_generator(x):
    def powers(v):
        for k in range(1, 4):
            yield (v * x[0]) ** k

    return sum(powers(x[1])) + sorted(powers(x[2]))[-1]


CASES = [
    Case(decorated_energy, (V3,), (0,), extra="hvp"),
    Case(timed_norm, (V3,), (0,), extra="hvp"),
    Case(stacked_decorators, (V3,), (0,), extra="hvp"),
    Case(calls_decorated, (V3,), (0,), extra="hvp"),
    Case(generator_sum, (V3,), (0,), extra="hvp"),
    Case(generator_list, (V3,), (0,), extra="hvp"),
    Case(generator_loops, (V3,), (0,), extra="hvp"),
    Case(nested_generator, (V3,), (0,), extra="hvp"),
]


# -- functions passed to helpers ----------------------------------------------------------------
def _apply(f, x):
    return f(x)


def _integrate(f, a, b, n=16):
    h = (b - a) / n
    s = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        s = s + f(a + i * h)
    return s * h


def _act(x, f=np.tanh):
    return f(x) * 2.0


def _square(v):
    return v * v


def functions_as_arguments(x):
    k = x[0] * 2.0

    def bump(t):
        return np.exp(-((t - x[1]) ** 2))

    s = np.sum(_apply(np.tanh, x)) + np.sum(_apply(_square, x)) + _apply(lambda v: v**3, x[2])
    s = s + _integrate(lambda t: np.sin(k * t), 0.0, x[1]) + _integrate(bump, 0.0, 1.0)
    for fn in (np.sin, np.cos):
        s = s + np.sum(_apply(fn, x))
    return s + np.sum(_act(x)) + np.sum(_act(x, f=np.arctan))


# -- scipy.stats and scipy.special --------------------------------------------------------------
def frozen_distributions(x):
    import scipy.stats as st

    d = st.norm(x[0], 1.5)
    g = st.gamma(2.0, scale=x[2] ** 2 + 1.0)
    s = np.sum(d.logpdf(x)) + d.cdf(x[1]) + np.sum(g.logpdf(np.abs(x) + 0.1))
    return s + st.norm(loc=x[1], scale=2.0).logsf(x[2])


def norm_quantile_and_loggamma(x):
    import scipy.special as sp
    from scipy.stats import norm

    q = 1.0 / (1.0 + np.exp(-x))
    return np.sum(norm.ppf(q, x[0], 2.0)) + np.sum(sp.loggamma(x + 2.0))


CASES += [
    Case(functions_as_arguments, (V3,), (0,), extra="hvp"),
    Case(frozen_distributions, (V3,), (0,), extra="hvp"),
    Case(norm_quantile_and_loggamma, (V3,), (0,), extra="hvp"),
]
