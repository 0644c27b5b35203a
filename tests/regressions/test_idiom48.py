"""What idiom48 lifts, checked by value (``srcad.testing.check_grads`` forward and reverse to
second order, the primal against Python's):

1. ``scipy.signal.lfilter(b, a, x, zi=zi)`` along the last axis (``(y, zf)``),
   ``scipy.signal.lfilter_zi(b, a)`` and the default ``scipy.signal.filtfilt(b, a, x)`` (odd
   padding, ``padlen`` given or not), in every argument: lower/library_lib24 calls the NumPy code
   of srcad/libsignal.py, which srcad differentiates through its source (before: refused, "no
   derivative rule for `scipy.signal.lfilter`" with ``zi``).
2. ``for v in np.nditer(x)`` (one operand, no flags; loops and comprehensions): the items of
   ``x.ravel()`` as 0-d views, once ``x`` is checked when it runs to be in C order, the order
   NumPy's iterator then yields (srcad/rules/iterorder.py; another layout is refused when it
   runs, tests/soundness/test_idiom48.py). Before: "no derivative rule for `numpy.nditer`".
3. ``functools.partial(functools.reduce, operator.add)`` (a library function or a lambda bound
   as a partial's argument stays the function it is: lower/partials._bound); before: "cannot
   differentiate through `add`" / "the nested function `<lambda>` is used as a value".
4. ``operator.methodcaller("sum", ...)`` called, in ``map`` or a comprehension (lower/partials:
   ``obj.name(*args, **kw)``); before: "cannot tell which function this call invokes" / "no
   derivative rule for `map`" (tests/soundness/test_soundness_rules.p_methodcaller: now RIGHT).
5. ``itertools.starmap(pow, pairs)``: a builtin with optional parameters takes its required
   ones from each item (lower/iterlists._arity; a longer item raises when unpacked, where
   Python would pass it on: an error, never a value).
6. ``with swallow():`` of a ``@contextmanager`` whose one ``yield`` sits in ``try: yield`` /
   ``except E: pass``: inlined as ``try: <body> except E: pass`` then the code after the
   manager's ``try`` (lower/withgens.py; before: "`with` statements are not supported").
7. A nested recursive function with defaults, to a depth known only when it runs (``def go(i,
   acc=0.0): return acc if i == n else go(i + 1, acc + x[i])``): lifted when every recursive
   call passes every parameter, the outermost call binding the defaults made at the ``def``
   (lower/recursion.py; before: "it has defaults, ...").
8. ``len(LOG)`` after ``LOG.append(x)`` on a module-level list: a count reads no stored value
   (ad/effects._checked_only); reading an item back (``LOG[-1]``) stays refused
   (tests/soundness/test_idiom48.py).
9. ``c.most_common(n)`` of a local ``collections.Counter()`` accumulated from float weights:
   ``sorted(c.items(), key=itemgetter(1), reverse=True)[:n]`` (lower/counters.py; before: "no
   derivative rule for `.most_common()`"); a parameter's ``most_common`` is left as before.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import itertools
import operator

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

signal = pytest.importorskip("scipy.signal")

RNG = np.random.default_rng(48)
B = np.array([0.5, -0.3, 0.2])
A = np.array([1.2, -0.4, 0.1])
X12 = RNG.normal(size=12)


def _both(f, *args, order=2):
    check_grads(f, args, modes=("fwd", "rev"), order=order)


# -- 1. lfilter with initial conditions, lfilter_zi, filtfilt ------------------------------------
def lfilter_state(b, a, x, zi):
    y, zf = signal.lfilter(b, a, x, zi=zi)
    return np.sum(y**2) + np.sum(zf * y[:2])


def lfilter_zi_sin(b, a):
    return np.sum(np.sin(signal.lfilter_zi(b, a)))


def filtfilt_sq(b, a, x):
    return np.sum(signal.filtfilt(b, a, x) ** 2)


def filtfilt_padlen(x):
    return np.sum(signal.filtfilt([0.2, 0.3], [1.0, -0.5], x, padlen=3) ** 3)


def steady_start(x, dz):  # the usual idiom: start at the steady state of the first sample
    zi = signal.lfilter_zi([0.2, 0.3], [1.0, -0.5])
    y, zf = signal.lfilter([0.2, 0.3], [1.0, -0.5], x, zi=zi * x[0] + dz)
    return np.sum(y * y) + zf[0]


def batched_state(xs):  # rows filtered along the last axis, one state per row
    y, zf = signal.lfilter(B, A, xs, zi=np.zeros((3, 2)))
    return np.sum(np.tanh(y)) + np.sum(zf**2)


def batched_filtfilt(xs):
    return np.sum(signal.filtfilt([0.2, 0.3, 0.1], [1.0, -0.5], xs) ** 2)


def unequal_lengths(b, a, x, zi):  # len(b) != len(a): SciPy pads the shorter with zeros
    y, zf = signal.lfilter(b, a, x, zi=zi)
    return np.sum(y * x) + np.sum(zf**2)


def short_signal(b, a, x, zi):  # fewer samples than the state: zf keeps part of zi
    y, zf = signal.lfilter(b, a, x, zi=zi)
    return np.sum(y**2) + np.sum(np.sin(zf))


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (lfilter_state, (B, A, X12, RNG.normal(size=2))),
        (lfilter_zi_sin, (B, A)),
        (lfilter_zi_sin, (np.array([0.3, 0.1]), np.array([0.9, -0.2, 0.3]))),
        (filtfilt_sq, (B, A, X12)),
        (filtfilt_padlen, (X12[:7],)),
        (steady_start, (X12, np.array([0.1]))),
        (batched_state, (RNG.normal(size=(3, 5)),)),
        (batched_filtfilt, (RNG.normal(size=(2, 12)),)),
        (unequal_lengths, (RNG.normal(size=4), np.array([1.1, 0.3]), X12[:6], RNG.normal(size=3))),
        (
            unequal_lengths,
            (np.array([0.4]), np.array([0.8, 0.3, -0.2]), X12[:6], RNG.normal(size=2)),
        ),
        (short_signal, (RNG.normal(size=5), np.array([1.3, 0.2]), X12[:2], RNG.normal(size=4))),
    ],
)
def test_lfilter_state_and_filtfilt(f, args) -> None:
    value, _ = srcad.value_and_grad(f)(*args)
    np.testing.assert_allclose(value, f(*args), rtol=1e-13, atol=1e-14)
    _both(f, *args)


def test_filtfilt_too_short_raises_as_scipy() -> None:
    def short(x):
        return np.sum(signal.filtfilt([0.2, 0.3], [1.0, -0.5], x))

    with pytest.raises(ValueError, match="greater than padlen"):
        short(X12[:5])
    with pytest.raises(ValueError, match="greater than padlen"):
        srcad.grad(short)(X12[:5])


# -- 2. np.nditer read-only loops ---------------------------------------------------------------
def nditer_sq(x):
    s = 0.0
    for v in np.nditer(x):
        s += v * v
    return s


def nditer_gen(m):
    return sum(np.sin(v) * v for v in np.nditer(m))


def nditer_ordered(m):  # the order matters: each item weighted by its position
    out = []
    for v in np.nditer(m * 2.0):
        out.append(v**3)
    return np.sum(np.array(out) * np.arange(len(out)))


def nditer_fortran_arg(m):  # m.T of a Fortran-ordered argument is C-contiguous: C order
    s, k = 0.0, 0.0
    for v in np.nditer(m.T):
        k += 1.0
        s += v * k
    return s


M23 = np.arange(6.0).reshape(2, 3) * 0.3 + 0.1


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (nditer_sq, (X12[:4],)),
        (nditer_sq, (M23,)),
        (nditer_gen, (M23,)),
        (nditer_ordered, (M23,)),
        (nditer_fortran_arg, (np.asfortranarray(M23),)),
    ],
)
def test_nditer_loops(f, args) -> None:
    value, _ = srcad.value_and_grad(f)(*args)
    np.testing.assert_allclose(value, f(*args), rtol=1e-13)
    _both(f, *args)


# -- 3.-5. partial of reduce, methodcaller, starmap of pow -----------------------------------
def partial_reduce(x):
    total = functools.partial(functools.reduce, operator.add)
    return total([x[0], x[1] * x[2], x[3]])


def partial_reduce_lambda(x):
    prod = functools.partial(functools.reduce, lambda a, b: a * b)
    return prod([x[0], x[1], np.sin(x[2])], 1.5)


def methodcaller_map(rows):
    return sum(map(operator.methodcaller("sum"), rows**2))


def methodcaller_args(rows):
    f = operator.methodcaller("sum", axis=0)
    g = operator.methodcaller("clip", 0.25, 1.15)  # (no item at a kink)
    return np.sum(f(rows) ** 2) + np.sum(g(rows) ** 3) + sum(f(r) for r in rows)


def starmap_pow(x):
    pairs = [(x[0], 2), (x[1], 3), (x[2], 2.5)]
    return sum(itertools.starmap(pow, pairs))


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (partial_reduce, (X12[:4],)),
        (partial_reduce_lambda, (X12[:4],)),
        (methodcaller_map, (M23,)),
        (methodcaller_args, (M23,)),
        (starmap_pow, (np.array([0.3, 1.2, 0.8]),)),
    ],
)
def test_partial_methodcaller_starmap(f, args) -> None:
    value, _ = srcad.value_and_grad(f)(*args)
    np.testing.assert_allclose(value, f(*args), rtol=1e-13)
    _both(f, *args)


def test_starmap_pow_longer_item_raises() -> None:
    def f(x):
        return x * sum(itertools.starmap(pow, [(2, 3, 5), (1, 2, 3)]))

    assert f(1.5) == 6.0  # (Python's pow(2, 3, 5))
    with pytest.raises(ValueError, match="unpack"):
        srcad.grad(f)(1.5)


# -- 6. a context manager that swallows an exception ----------------------------------------------
@contextlib.contextmanager
def _swallow():
    try:
        yield
    except ValueError:
        pass


@contextlib.contextmanager
def _scaled(c):
    k = c * 2.0
    try:
        yield k
    except (ValueError, ZeroDivisionError):
        pass
    k = k + 1.0  # (after the try: runs whether or not the body raised)


def ctx_swallow(x):
    s = 0.0
    with _swallow():
        s = np.sum(x**2)
        if s > 1.0:
            raise ValueError("big")
        s = s * 3.0
    return s


def ctx_scaled(x):
    s = x[0]
    with _scaled(1.5) as k:
        s = s * k + np.sin(x[1])
        if x[2] > 0.0:
            raise ZeroDivisionError
        s = s * 10.0
    return s * x[3]


@pytest.mark.parametrize("scale", [1.0, 0.1, -1.0])
@pytest.mark.parametrize("f", [ctx_swallow, ctx_scaled])
def test_swallowing_context_manager(f, scale) -> None:
    x = X12[:4] * scale
    value, _ = srcad.value_and_grad(f)(x)
    np.testing.assert_allclose(value, f(x), rtol=1e-13)
    _both(f, x)


def test_swallowing_manager_dead_raising_statement() -> None:
    """test_sound44's pinned refusal, lifted: the dead ``z = 1 / 0`` still stops the body."""
    from tests.regressions.test_sound44 import through_swallowing

    assert srcad.value_and_grad(through_swallowing)(0.7) == pytest.approx((1.4, 2.0))
    _both(through_swallowing, 0.7)


def test_swallowing_manager_other_errors_propagate() -> None:
    def other(x):
        s = 0.0
        with _swallow():
            s = np.sum(x)
            raise KeyError("k")
        return s

    with pytest.raises(KeyError):
        other(X12[:3])
    with pytest.raises(KeyError):
        srcad.grad(other)(X12[:3])


# -- 7. nested recursion with defaults ----------------------------------------------------------
def rec_default(x):
    n = len(x)

    def go(i, acc=0.0):
        return acc if i == n else go(i + 1, acc + x[i])

    return go(0) ** 2


def rec_default_from_x(x):
    n = len(x)
    scale = x[0] * 0.5

    def go(i, acc=scale, w=2.0):
        if i == n:
            return acc
        return go(i + 1, acc * w * 0.5 + np.sin(x[i]), w)

    first = go(1)
    scale = 100.0  # (the default was made at the `def`)
    return first + go(2, 1.0)


@pytest.mark.parametrize("f", [rec_default, rec_default_from_x])
def test_nested_recursion_with_defaults(f) -> None:
    x = X12[:5]
    value, _ = srcad.value_and_grad(f)(x)
    np.testing.assert_allclose(value, f(x), rtol=1e-13)
    _both(f, x)


# -- 8. len of a module-level log the function appends to ---------------------------------------
LOG: list = []


def logged_count(x):
    k = len(LOG)
    LOG.append(x)
    LOG.append(x * 2.0)
    return x * (len(LOG) - k) ** 2 + np.sin(x)


def test_len_of_appended_global() -> None:
    LOG.clear()
    want = logged_count(0.7)
    LOG.clear()
    value, grad = srcad.value_and_grad(logged_count)(0.7)
    assert len(LOG) == 2 and value == pytest.approx(want)
    assert grad == pytest.approx(4.0 + np.cos(0.7))
    _both(logged_count, 0.7)


# -- 9. Counter.most_common ----------------------------------------------------------------------
KEYS = ["a", "b", "a", "c", "b"]


def counter_top(x):
    c = collections.Counter()
    for k, v in zip(KEYS, x):
        c[k] += v * v
    top = c.most_common(2)
    return sum(v for _, v in top) + top[0][1] * 2


def counter_all(x):
    c = collections.Counter()
    for k, v in zip(KEYS, x):
        c[k] += np.exp(v)
    return sum(v * (i + 1) for i, (_, v) in enumerate(c.most_common()))


@pytest.mark.parametrize("f", [counter_top, counter_all])
def test_counter_most_common(f) -> None:
    x = X12[:5]
    value, _ = srcad.value_and_grad(f)(x)
    np.testing.assert_allclose(value, f(x), rtol=1e-13)
    _both(f, x)


class _Ranked:
    def __init__(self, d):
        self.d = d

    def most_common(self, n):
        return sorted(self.d.items())[:n]


def test_most_common_of_a_parameter_as_before() -> None:
    def f(x, m):
        return x * len(m.most_common(1))

    assert srcad.value_and_grad(f)(1.5, _Ranked({"a": 1})) == (1.5, 1.0)
