"""Spurious refusals of ordinary Python lifted in session 47 (idiom47b), checked by value.

1. ``g = (e for v in xs)`` read by ``next(g, d)`` (and ``max(g, default=d)`` /
   ``min(g, default=d)``) besides ``next(g)`` / ``sum(g)``: "`next()` of `g`, a one-shot
   iterator srcad treats as a list" (7% of the wild46 fuzz grammar's programs).
   lower/nextgens.py marks the call; lower/iterstate.py evaluates `d`, then the item's
   expression when an item is left (Python's late binding kept).
2. ``g = (e for v in xs if c)`` whose one read is the next statement ``t = next(g[, d])``:
   written into the call, which lower/iterstate.py lowers as ``next(<generator>[, d])``.
3. ``with contextlib.ExitStack() as st:`` whose body reads `st` only as
   ``st.enter_context(contextlib.nullcontext(e))``: the body, each such call as `e`
   (lower/withs.py); "`with` statements are not supported" before.
4. ``itertools.starmap(f, pairs)`` of a list of tuples (not a ``zip``), `f` a lambda or a
   module-level function of fixed arity: ``[f(u0, u1) for u0, u1 in pairs]``
   (lower/iterlists.py); "the nested function `<lambda>` is used as a value" before.
5. ``dataclasses.astuple(q)`` of ``q = dataclasses.replace(DP(...), a=v)`` (a record made by a
   call, not a name: lower/dcfields.py follows `_srcad.record_replace`).
6. ``P = collections.namedtuple("P", ["a", "b"])`` inside the function, its arguments written as
   constants: the class made at transform time (lower/stdlib.py); "cannot tell which function
   this call invokes" before.
7. ``@functools.lru_cache``/``@functools.cache`` on a nested function no call can observe the
   cache of (no effects, the enclosing names it reads bound once, each result consumed at
   once): the decorator dropped (lower/lrucache.py); "the nested function is used as a value"
   before. Otherwise (an enclosing name rebound between calls, an effect, a cached array bound
   and updated in place, a loop variable read) it stays refused.
8. An iterator class (``__iter__`` returning ``self``, ``__next__`` raising StopIteration)
   iterated where it is made (``for v in It(x)``, ``sum(It(x))``, a comprehension):
   ``__next__`` as a generator (lower/selfiter.py) whose items are listed; "iterating a
   `It.__iter__` that returns no `iter(...)` here" before. A named iterator whose fields the
   loop could read, a loop leaving early, or one writing what the items are read from stay
   refused.
9. ``np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)`` with strides written
   from ``x.strides``: the gather of the flat indices the view reads (lower/strided_np.py,
   rules/checks.strided_index); "no derivative rule for `as_strided`" before. A writeable view,
   constant strides, srcad's private copy of an updated argument, a non-contiguous array or a
   view reaching past the memory stay refused.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import itertools
import math
import operator

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def _check(f, x):
    """The primal as Python's, then both modes to order 2 against finite differences."""
    want = f(x.copy())
    got = srcad.primal(f)(x.copy())
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


def next_default_rest(x):
    g = (np.sin(e) * 0.7 + e for e in x)
    t = next(g)
    rest = next(g, 0.0)
    rest = rest + sum(g)
    return x * t + rest


def next_default_three(x):
    g = (e * e for e in x)
    a = next(g, 1.5)
    b = next(g, 2.5)
    c = next(g, 3.5)
    return a * b + c


def next_default_late(x):
    k = 2.0
    g = (e * k for e in x)
    a = next(g, 0.0)
    k = 3.0  # (Python's generator reads `k` when the item is taken)
    b = next(g, 5.0)
    return a + b * x[0]


def max_default_rest(x):
    g = (np.sin(e) * 0.7 + e for e in x)
    t = next(g)
    rest = max(g, default=0.0)
    return x * t + rest


def min_default_rest(x):
    g = (np.cos(e) * e for e in x)
    t = next(g)
    rest = min(g, default=-1.0)
    return x * t - rest


def next_filtered_default(x):
    g = (e * 2.0 for e in x if e > 0.5)
    t = next(g, 0.25)
    return np.sum(x * t)


def next_filtered(x):
    g = (v * v for v in x if v > 0.5)
    first = next(g)
    return first * x.sum()


def next_default_in_loop(x):
    g = (np.sin(e) * 2.0 for e in x)
    s = 0.0
    for k in range(5):  # (past the end: the default)
        t = next(g, -1.0)
        s = s + t * (k + 1)
    return s


def next_none_sentinel(x):
    g = (e * e for e in x)
    s = 0.0
    while True:
        t = next(g, None)
        if t is None:
            break
        s = s + t
    return s


FUNCS = [next_default_in_loop, next_none_sentinel, next_default_rest, next_default_three,
         next_default_late, max_default_rest, min_default_rest, next_filtered_default]  # fmt: skip
POINTS = [np.array([0.3, 0.7, 1.2]), np.array([0.3]), np.array([0.6]), np.array([0.3, 0.45])]


@pytest.mark.parametrize("x", POINTS, ids=["three", "one_low", "one_high", "two_low"])
@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_next_default(f, x):
    _check(f, x)


def test_next_filtered():
    _check(next_filtered, np.array([0.3, 0.7, 1.2]))


def test_next_filtered_exhausted_raises():
    with pytest.raises((StopIteration, IndexError)):
        srcad.primal(next_filtered)(np.array([0.3, 0.2]))


# -- 3. ExitStack entering null contexts --------------------------------------------------------


def exitstack_null(x):
    with contextlib.ExitStack() as st:
        v = st.enter_context(contextlib.nullcontext(x * 2.0))
        w = st.enter_context(contextlib.nullcontext())
        st.enter_context(contextlib.nullcontext(x))
        y = np.sin(v) * (1.0 if w is None else 2.0)
    return np.sum(y**2)


def test_exitstack_null():
    _check(exitstack_null, np.array([0.3, 0.7, -1.1]))


def test_exitstack_callback_stays_refused():
    def f(x):
        with contextlib.ExitStack() as st:
            st.enter_context(contextlib.nullcontext())
            st.callback(print, "done")
            y = np.sin(x)
        return np.sum(y)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, 0.7]))


def test_exitstack_read_after_stays_refused():
    def f(x):
        with contextlib.ExitStack() as st:
            y = np.sin(x) * st.enter_context(contextlib.nullcontext(2.0))
        st.enter_context(contextlib.nullcontext())
        return np.sum(y)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, 0.7]))


# -- 4. starmap over a list of tuples -----------------------------------------------------------


def _mul3(a, b, c):
    return a * b + c


def starmap_lambda(x):
    pairs = [(x[0], x[1]), (x[1], x[2]), (x[2], x[0])]
    return sum(itertools.starmap(lambda a, b: a * np.sin(b), pairs))


def starmap_zipped_list(x):
    pairs = list(zip(x[:-1], x[1:]))
    return sum(itertools.starmap(lambda a, b: (a - b) ** 2, pairs))


def starmap_module_fn(x):
    trip = [(x[0], x[1], 2.0), (x[1], x[2], 3.0)]
    pairs = [(x[0], x[2])]
    return sum(itertools.starmap(_mul3, trip)) + sum(itertools.starmap(operator.mul, pairs))


def starmap_list(x):
    out = list(itertools.starmap(lambda a, b: a / b, [(x[0], 2.0), (3.0, x[1])]))
    return out[0] * out[1]


@pytest.mark.parametrize(
    "f", [starmap_lambda, starmap_zipped_list, starmap_module_fn, starmap_list],
    ids=lambda f: f.__name__,
)  # fmt: skip
def test_starmap(f):
    _check(f, np.array([0.3, 0.7, -1.1]))


def test_starmap_wrong_length_raises():
    def f(x):
        return sum(itertools.starmap(lambda a, b: a * b, [(x[0], x[1], x[2])]))

    with pytest.raises(TypeError):
        f(np.array([0.3, 0.7, -1.1]))
    with pytest.raises((TypeError, ValueError)):
        srcad.primal(f)(np.array([0.3, 0.7, -1.1]))


# -- 5. astuple of a replaced dataclass record --------------------------------------------------


@dataclasses.dataclass
class _DP:
    a: float
    b: float
    c: float = 0.5


def astuple_of_replace(x):
    q = dataclasses.replace(_DP(x[0], x[1]), a=2.0 * x[1])
    a, b, c = dataclasses.astuple(q)
    return a * b + c * x[0]


def test_astuple_of_replace():
    _check(astuple_of_replace, np.array([0.3, 0.7, -1.1]))


# -- 6. a namedtuple class made inside the function ---------------------------------------------


def namedtuple_local(x):
    P = collections.namedtuple("P", ["a", "b"])
    p = P(x[0], x[1] * 2.0)
    q = p._replace(b=p.b + 1.0)
    return p.a * q.b + sum(q)


def namedtuple_local_defaults(x):
    P = collections.namedtuple("P", "a b c", defaults=(1.5,))
    ps = [P(v, b=v * v) for v in x]
    return sum(q.a * q.c + q.b for q in ps)


@pytest.mark.parametrize(
    "f", [namedtuple_local, namedtuple_local_defaults], ids=lambda f: f.__name__
)
def test_namedtuple_local(f):
    _check(f, np.array([0.3, 0.7, -1.1]))


def test_namedtuple_local_class():
    def f(x):
        P = collections.namedtuple("P", ["a", "b"])
        return P(x[0], x[1])

    x = np.array([0.3, 0.7])
    got, want = srcad.primal(f)(x), f(x)
    assert got == want and type(got).__name__ == "P" and type(got)._fields == ("a", "b")
    assert type(got).__module__ == __name__


def test_namedtuple_computed_fields_stays_refused():
    def f(x, names):
        P = collections.namedtuple("P", names)
        return P(x[0], x[1]).a * x[1]

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, 0.7]), ["a", "b"])


# -- 7. a nested function under lru_cache -------------------------------------------------------


def lru_coefs(x):
    @functools.lru_cache(maxsize=64)
    def coef(k):
        return 1.0 / (k + 1)

    return sum(coef(i) * x[i] ** 2 for i in range(len(x)))


def cached_weights(x):
    s = 2.0

    @functools.cache
    def w(a, b):
        """A weight."""
        t = a * s
        if b > 0:
            t += math.sin(b)
        return t

    return w(x[0], 1) * w(x[1], 0) + w(x[0], 1)


def cached_max(x):
    @functools.lru_cache
    def f(v):
        return np.exp(v) * 2.0

    return max(f(v) for v in x) + f(x[0]) - f(x[1])


@pytest.mark.parametrize("f", [lru_coefs, cached_weights, cached_max], ids=lambda f: f.__name__)
def test_lru_cache_nested(f):
    _check(f, np.array([0.3, 0.7, -1.1]))


def _rebound(x):
    s = 1.0

    @functools.cache
    def w(a):
        return a * s

    r = w(2) * x[0]
    s = 5.0
    return r + w(2) * x[1]  # Python: the cached 2.0


def _effect(x):
    log = []

    @functools.cache
    def w(a):
        log.append(a)
        return a * 2.0

    return w(1) * x[0] + w(1) * x[1] + len(log)


def _bound_result(x):
    @functools.cache
    def w(a):
        return np.ones(2) * a

    r = w(1)
    r += x[:2]  # updates the cached array
    return np.sum(w(1) * x[:2])


def _loop_variable(x):
    tot = 0.0
    for k in range(3):

        @functools.cache
        def w(a):
            return a * k  # noqa: B023

        tot = tot + w(1) * x[0]
    return tot


@pytest.mark.parametrize("f", [_rebound, _effect, _bound_result, _loop_variable])
def test_lru_cache_observable_stays_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, 0.7, -1.1]))


# -- 8. an iterator class -------------------------------------------------------------------------


class _It:
    def __init__(self, xs):
        self.xs = xs
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.i >= len(self.xs):
            raise StopIteration
        v = self.xs[self.i]
        self.i += 1
        return v * v


class _Count:
    def __init__(self, n, scale):
        self.n, self.k, self.scale = n, 0, scale

    def __iter__(self):
        return self

    def __next__(self):
        self.k += 1
        if self.k > self.n:
            raise StopIteration()
        return self.scale * self.k


def iterator_loop(x):
    s = 0.0
    for v in _It(x):
        s = s + np.sin(v)
    return s


def iterator_consumed(x):
    return sum(_It(x)) + max(v for v in _It(x))


def iterator_counted(x):
    return [v * 2.0 for v in _Count(3, x[0])][2] + sum(_Count(2, x[1]))


@pytest.mark.parametrize(
    "f", [iterator_loop, iterator_consumed, iterator_counted], ids=lambda f: f.__name__
)
def test_iterator_class(f):
    _check(f, np.array([0.3, 0.7, -1.1]))


def _writes_source(x):
    y = x.copy()
    s = 0.0
    for v in _It(y):
        y[1] = 5.0  # Python's next `__next__` reads it
        s = s + v
    return s


def _named(x):
    it = _It(x)
    s = 0.0
    for v in it:
        s = s + v * it.i  # Python: the position after each item
    return s


def _leaves_early(x):
    s = 0.0
    for v in _It(x):
        if v > 0.3:
            break
        s = s + v
    return s


@pytest.mark.parametrize("f", [_writes_source, _named, _leaves_early])
def test_iterator_class_observable_stays_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, 0.7, -1.1]))


# -- 9. as_strided read-only windows --------------------------------------------------------------

as_strided = np.lib.stride_tricks.as_strided


def strided_windows(x):
    n = x.shape[0] - 2
    w = as_strided(x, shape=(n, 3), strides=(x.strides[0], x.strides[0]), writeable=False)
    return np.sum(w.sum(axis=1) ** 2)


def strided_hops(x):
    s = x.strides[0]
    w = as_strided(x, shape=(3, 2), strides=(s, 2 * s), writeable=False)
    return np.sum(np.tanh(w) * np.arange(6.0).reshape(3, 2))


def strided_patches(m):
    s0, s1 = m.strides
    w = as_strided(m, shape=(2, 2, 2, 2), strides=(s0, s1, s0, s1), writeable=False)
    return np.sum(w.prod(axis=(2, 3)))


def strided_of_result(x):
    y = np.sin(x)
    w = as_strided(y, shape=(3, 2), strides=(y.strides[0], y.strides[0]), writeable=False)
    return np.sum(w**2)


X6 = np.array([0.3, 0.7, -1.1, 0.4, 0.9, 0.2])


@pytest.mark.parametrize(
    "f", [strided_windows, strided_hops, strided_of_result], ids=lambda f: f.__name__
)
def test_as_strided(f):
    _check(f, X6)


def test_as_strided_patches():
    _check(strided_patches, np.arange(9.0).reshape(3, 3) / 9 - 0.3)


def _writeable(x):
    return np.sum(as_strided(x, shape=(2,), strides=(x.strides[0],)))


def _constant_strides(x):
    return np.sum(as_strided(x, shape=(2, 2), strides=(8, 8), writeable=False))


def _updated_argument(x):
    x[0] = 2.0
    w = as_strided(x, shape=(3, 2), strides=(x.strides[0], x.strides[0]), writeable=False)
    return np.sum(w**2)


def _past_the_end(x):
    return np.sum(as_strided(x, shape=(10,), strides=(x.strides[0],), writeable=False))


def _not_contiguous(x):
    y = x[::2]
    return np.sum(as_strided(y, shape=(2,), strides=(y.strides[0],), writeable=False))


@pytest.mark.parametrize(
    "f", [_writeable, _constant_strides, _updated_argument, _past_the_end, _not_contiguous]
)
def test_as_strided_stays_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X6.copy())
