"""Python idioms users write that srcad used to refuse or get wrong (session 10, `refuse10`):
``zip(*rows)`` of a list a helper returns (lowered once: lower/idioms_more.zip_star) and
``a, b = zip(...)`` (unpacked from a list: lower/idioms_more.unpacked_iterator); helpers that
update their arguments in place (npbench's ``build_up_b(b, ...)``, ``pressure_poisson(nit, p,
...)``: inlined, the caller's variable updated, lower/argwrites.py); logging to module-level
containers (``HIST.append(float(loss))``, ``CNT["n"] += 1``: effects, lower/globaleffects.py);
a function taken from a list passed to a helper (``apply(fs[-1], v)``), ``math.hypot(*x)``,
``z.clip(lo, hi, out=z)``, ``scipy.stats.binom``/``nbinom`` ``logpmf``/``pmf`` (in p); a
generator function's call bound to a name, then consumed (``g = terms(x); sum(g)``:
lower/lazygen.py); ``ls[1:3] = [a, b]`` into a list of known length (its items written:
lower/idioms_more.slice_items, in reverse mode too); ``match`` with sequence, mapping and
class patterns (lower/matches.py).
Each is checked
forward, reverse and (``extra="hvp"``) at second order (tests/soundness/test_refuse10.py, with
the neighbours that must stay refused)."""

from __future__ import annotations

import math

import numpy as np
import scipy.stats

from . import Case

V4 = np.array([0.31, -0.72, 1.13, 0.57])


# -- zip(*rows) ----------------------------------------------------------------------------------
def zip_star_unpacked(x):
    a, b = zip(*[(x[0], x[1]), (x[2], x[3])])
    return sum(a) * sum(b)


def zip_star_of_helper(x):
    calls = [0]

    def pairs():
        calls[0] += 1  # runs once, as in Python
        return [(x[0], x[1]), (x[2], x[3])]

    a, b = zip(*pairs())
    s = 0.0
    for p, q in zip(*pairs()):
        s = s + p * np.sin(q)
    return sum(a) * sum(b) + s * calls[0]


def zip_unpacked(x):
    (p, q), r = zip([x[0], x[1]], [x[2], x[3]])
    i, (u, v) = enumerate([x[1], x[2]])
    return p * q + r[1] * v + u


# -- helpers updating their arguments in place (npbench cavity_flow, vadv) -------------------------
def _build_up_b(b, u, dt):
    b[1:-1] = (u[2:] - u[:-2]) / dt - ((u[2:] - u[:-2]) / 2.0) ** 2


def _pressure_poisson(nit, p, b):
    for _ in range(nit):
        pn = p.copy()
        p[1:-1] = 0.5 * (pn[2:] + pn[:-2]) - 0.1 * b[1:-1]
        p[0] = p[1]
        p[-1] = 0.0


def _cavity(nt, u, p, b):
    for _ in range(nt):
        un = u.copy()
        _build_up_b(b, u, 0.5)
        _pressure_poisson(2, p, b)  # p: this helper's argument, passed on
        u[1:-1] = un[1:-1] - 0.1 * (p[2:] - p[:-2])


def cavity_like(x):
    u = np.sin(x) * 0.5
    p = np.zeros_like(x)
    b = np.zeros(x.shape)
    _cavity(2, u, p, b)
    return np.sum(u**2) + np.sum(p * b)


def _push(out, v):
    out.append(v * 2.0)


def helper_appends(x):
    out = []
    for i in range(3):
        _push(out, x[i])
    return sum(out) * out[1]


def nested_helper_writes(x):
    a = np.sin(x)

    def put(v, k):
        v[k] = x[k] * v[k + 1]

    for k in range(3):
        put(a, k)
    if x[0] > 0:
        put(a, 0)
    return np.sum(a**2)


def _scale_into(a, s=2.0):
    a[:] = a * s


def helper_by_keyword(x):
    a = np.cos(x)
    _scale_into(s=x[2], a=a)
    return np.sum(a**3)


# -- logging to globals -------------------------------------------------------------------------
LOSSES: list = []
CALLS = {"n": 0}
SEEN: set = set()


def logs_to_globals(x):
    loss = np.sum(np.sin(x) ** 2)
    LOSSES.append(float(loss))
    CALLS["n"] += 1
    for i in range(2):
        SEEN.add(i)
        LOSSES.append(loss * i)
    return loss * x[0]


# -- functions from lists, hypot(*x), method out=, binomial likelihoods --------------------------
def _apply(f, v):
    return f(v)


def functions_from_a_list(x):
    fs = [lambda v: v * 2.0, np.tanh, lambda v: np.sin(v) * v]
    acts = {"sq": lambda v: v * v}
    return _apply(fs[-1], x[0]) + _apply(fs[1], x[1]) + _apply(acts["sq"], x[2])


def hypot_of_array(x):
    return math.hypot(*x) * x[0] + math.hypot(*x[1:3])


def clip_into_itself(x):
    z = x * 2.0
    z.clip(-0.5, 0.5, out=z)
    w = x * 1.0
    w.cumsum(out=w)
    return np.sum(z**2) + np.sum(w * z)


def binomial_likelihood(x):
    p = 1.0 / (1.0 + np.exp(-x))
    k = np.array([0.0, 2.0, 3.0, 5.0])
    ll = np.sum(scipy.stats.binom.logpmf(k, 6, p)) + np.sum(scipy.stats.nbinom.logpmf(k, 4, p))
    return ll + scipy.stats.binom.pmf(2, 5, p[0])


# -- a generator bound to a name ----------------------------------------------------------------
def _terms(x, n=3):
    for i in range(n):
        yield x[i] ** 2


def generator_bound_then_consumed(x):
    g = _terms(x)
    total = sum(g)
    h = _terms(x, n=4)
    s = 0.0
    for t in h:
        s = s + np.sin(t)

    def halves(v):
        for e in v:
            yield e * 0.5

    k = halves(x[1:])
    return total * s + max(k)


def list_slice_assigned(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[1:3] = [x[2] * 2.0, x[1] * 3.0]
    ls[-2:] = (ls[0], ls[1] * ls[2])
    ls[:1] = [np.sin(ls[3])]
    return ls[0] * ls[1] + ls[2] * ls[3]


class _Circle:
    pass


def _shape_term(item, x):
    match item:
        case ("scale", v):
            return v * 3.0
        case [first, *rest, last] if first > 0:
            return first * last + sum(rest)
        case [first, *rest]:
            return first - len(rest)
        case {"k": a, "v": b}:
            return a * 2.0 + b
        case _Circle():
            return x[0] * x[1]
        case _:
            return np.sum(x * 2.0)


def match_patterns(x):
    items = [("scale", x[0]), [x[1], x[2], x[3]], [x[0], x[1]], {"k": x[2], "v": x[3]}, x]
    return sum(_shape_term(it, x) for it in items) + _shape_term(_Circle(), x)


CASES = [
    Case(zip_star_unpacked, (V4,), (0,), extra="hvp"),
    Case(zip_star_of_helper, (V4,), (0,), extra="hvp"),
    Case(zip_unpacked, (V4,), (0,), extra="hvp"),
    Case(cavity_like, (V4,), (0,), extra="hvp"),
    Case(helper_appends, (V4,), (0,), extra="hvp"),
    Case(nested_helper_writes, (V4,), (0,), extra="hvp"),
    Case(helper_by_keyword, (V4,), (0,), extra="hvp"),
    Case(logs_to_globals, (V4,), (0,), extra="hvp"),
    Case(functions_from_a_list, (V4,), (0,), extra="hvp"),
    Case(hypot_of_array, (V4,), (0,), extra="hvp"),
    Case(clip_into_itself, (V4,), (0,), extra="hvp"),
    Case(binomial_likelihood, (V4,), (0,), extra="hvp"),
    Case(generator_bound_then_consumed, (V4,), (0,), extra="hvp"),
    Case(list_slice_assigned, (V4,), (0,), extra="hvp"),
    Case(match_patterns, (V4,), (0,), extra="hvp"),
]
