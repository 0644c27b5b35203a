"""Session 48's adversarial review of session 47's code (fuzz48): each case gave a wrong value or
answered where Python raises on a375cf7d.

1. A nested ``@functools.cache`` function reading an object the enclosing function changes
   through another name (``v = w; v[0] = ..``, ``for row in w``, ``np.copyto(w[:1], ..)``, a
   helper appending to a global list): Python's cache answers the old value, the plain call the
   new one; now refused (lower/lrushare.py).
   Likewise a cached function telling apart arguments its cache takes for one key
   (``math.copysign(1.0, a)`` of 0.0 and -0.0, ``isinstance(a, int)`` of 1 and 1.0).
2. An unhashable argument (an array, a list) of a cached nested function: Python raises
   TypeError; srcad answered (the plain function takes anything); now the same TypeError.
3. An iterator object (``__iter__`` returning ``self``) bound to a name and consumed whole
   twice (``sum(it) + sum(it)``, ``list(it)``): Python's second pass sees no item, srcad listed
   them again (31.0 for 15.5); now refused (lower/objiter.py).
4. A reverse loop (its body no user code) under ``np.errstate(all="raise")`` or warnings as
   errors: the gradient, infinite at ``sqrt`` 0 / ``arcsin`` 1 where the primal is finite,
   raised FloatingPointError; the loop now runs under the sweep's ``np.errstate(all="ignore")``
   (ad/maskemit.quiet_sweep).
5. ``np.seterr(all="raise")`` inside the function: its call was dropped as unused, so the
   derivative answered where Python raises FloatingPointError; now refused (passes/prepare.py).
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pytest

import srcad
import srcad.testing

LOG: list = []


def alias_write(x):
    w = x * 1.0

    @functools.cache
    def g(i):
        return w[i] * 2.0

    s = g(0) * 1.0
    v = w
    v[0] = 10.0
    return s + g(0) * x[1]


def copyto_view(x):
    w = x * 1.0

    @functools.cache
    def g(i):
        return w[i] * 2.0

    s = g(0) * 1.0
    np.copyto(w[:1], 7.0)
    return s + g(0) * x[1]


def row_views(x):
    w = np.outer(x, x)

    @functools.cache
    def g(i):
        return w[0, i] * 2.0

    s = g(0) * 1.0
    for row in w:
        row[0] = 1.0
    return s + g(0) * x[1]


def shallow_list(x):
    w = [[x[0], x[1]], [x[2], x[3]]]

    @functools.cache
    def g(i):
        return w[0][i] * 2.0

    s = g(0) * 1.0
    r = list(w)
    r[0][0] = 3.0
    return s + g(0) * x[1]


def ufunc_positional_out(x):
    w = x * 1.0

    @functools.cache
    def g(i):
        return w[i] * 2.0

    s = g(0) * 1.0
    np.exp(w, w)  # (the output given by position)
    return s + g(0) * x[1]


def list_extended(x):
    w = [[x[0]], [x[1]]]

    @functools.cache
    def g(i):
        return w[i][0] * 2.0

    s = g(0) * 1.0
    t = []
    t += w
    t[0][0] = 9.0
    return s + g(0) * x[1]


def signed_zero_keys(x):
    @functools.cache
    def g(a):
        return math.copysign(1.0, a)

    return (g(0.0) + g(-0.0)) * x[0]  # Python: the cached 1.0 twice (0.0 == -0.0)


def int_float_keys(x):
    @functools.cache
    def g(a, b):
        return 1.0 if isinstance(a, int) else 2.0

    return g(1, 0) * x[0] + g(1.0, 0) * x[1]  # Python: 1.0 twice ((1, 0) == (1.0, 0))


def _log_one():
    LOG.append(1)


def global_appended_by_helper(x):
    @functools.cache
    def g(i):
        return len(LOG) * 1.0 + i

    s = g(0) * x[0]
    _log_one()
    return s + g(0) * x[1]


@pytest.mark.parametrize(
    "f",
    [alias_write, copyto_view, row_views, shallow_list, global_appended_by_helper,
     ufunc_positional_out, list_extended, signed_zero_keys, int_float_keys],
    ids=lambda f: f.__name__,
)  # fmt: skip
def test_cache_seen_through_another_name_is_refused(f):
    LOG.clear()
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.5, 1.5, 2.0, 3.0]))


def cached_of_array(x):
    @functools.cache
    def g(a):
        return np.sum(a * a)

    return g(x) * 1.0


def cached_of_list(x):
    @functools.lru_cache(maxsize=8)
    def g(a, *rest):
        return sum(a) + len(rest)

    return g([x[0], x[1]], 2) * 1.0


@pytest.mark.parametrize("f", [cached_of_array, cached_of_list], ids=lambda f: f.__name__)
def test_unhashable_argument_raises_as_python(f):
    x = np.array([0.5, 1.5])
    with pytest.raises(TypeError, match="unhashable"):
        f(x)
    with pytest.raises(TypeError, match="unhashable"):
        srcad.grad(f)(x)
    with pytest.raises(TypeError, match="unhashable"):
        srcad.hessian(f)(x)


def cached_pure_reads(x):
    w = x * 1.0

    @functools.cache
    def g(i):
        return np.square(w[i]) + len(w)

    t = np.sum(w) * 0.5 + w[0] * w.sum() + np.max(w) + np.dot(w, w) + np.sum(np.exp(w))
    return sum(g(i % 2) * x[i] for i in range(4)) + t


def test_plain_reads_of_the_cached_object_still_differentiate():
    x = np.array([0.5, 1.5, 2.0, 3.0])
    srcad.testing.check_grads(cached_pure_reads, (x,), modes=("fwd", "rev"), order=2)


# -- 3. an iterator object named, consumed whole -------------------------------------------------


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


def named_iterator_summed_twice(x):
    it = _It(x)
    return sum(it) + sum(it)  # Python: the second sum is 0 (exhausted)


def named_iterator_listed_twice(x):
    it = _It(x)
    a = list(it)
    return sum(a) + len(list(it))


@pytest.mark.parametrize(
    "f", [named_iterator_summed_twice, named_iterator_listed_twice], ids=lambda f: f.__name__
)
def test_named_self_iterator_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="iterator object"):
        srcad.grad(f)(np.array([0.5, 1.5, 2.0]))


def test_self_iterator_made_in_the_call_still_differentiates():
    def f(x):
        return sum(_It(x)) * 2.0

    srcad.testing.check_grads(f, (np.array([0.5, 1.5, 2.0]),), modes=("fwd", "rev"), order=2)


# -- 4. a reverse loop under np.errstate(all="raise") -------------------------------------------


def loop_sqrt(x):
    s = 0.0
    for i in range(2):
        s = s + np.sum(np.sqrt(x) * (i + 1.0))
    return s


def loop_arcsin(x):
    s = 0.0
    i = 0
    while i < 2:
        for j in range(2):
            s = s + np.sum(np.arcsin(x) * (j + 1.0))
        i += 1
    return s


@pytest.mark.parametrize(
    "f, x",
    [(loop_sqrt, np.array([0.0, 1.0])), (loop_arcsin, np.array([1.0, 0.5]))],
    ids=["loop_sqrt", "loop_arcsin"],
)
@pytest.mark.parametrize("kind", ["raise", "error"])
def test_reverse_loop_runs_quiet_under_strict_settings(f, x, kind):
    """The primal runs without a report; the gradient (infinite at the special point) must not
    raise either: the reverse loop's body has no user code, so it runs under the sweep's
    ``np.errstate(all="ignore")`` (it raised FloatingPointError / RuntimeWarning on a375cf7d)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        plain = srcad.grad(f)(x)
    with warnings.catch_warnings():
        if kind == "error":
            warnings.simplefilter("error")
            ctx = np.errstate(all="warn")
        else:
            ctx = np.errstate(all="raise")
        with ctx:
            f(x)
            got = srcad.grad(f)(x)
    np.testing.assert_array_equal(got, plain)


def loop_raising_primal(x):
    s = 0.0
    for i in range(2):
        s = s + np.sum(np.log(x - i))
    return s


def test_reverse_loop_keeps_the_primal_error():
    with np.errstate(all="raise"), pytest.raises(FloatingPointError):
        srcad.grad(loop_raising_primal)(np.array([0.5, 2.0]))


# -- 5. np.seterr inside the function ---------------------------------------------------------


def seterr_raise_then_log(x):
    np.seterr(all="raise")
    y = np.sum(np.log(x))
    np.seterr(all="ignore")
    return y


def seterr_merged(x):
    a = np.sum(np.log(x))
    np.seterr(divide="raise")
    b = np.sum(np.log(x))  # Python raises here at x == 0; CSE would merge it into `a`
    np.seterr(divide="warn")
    return a + b


@pytest.mark.parametrize("f", [seterr_raise_then_log, seterr_merged], ids=lambda f: f.__name__)
def test_seterr_in_the_function_is_refused(f):
    """Python raises FloatingPointError (log of 0 after ``np.seterr(.., "raise")``); srcad
    dropped the call as unused and answered (a375cf7d)."""
    x = np.array([0.0, 1.0])
    old = np.seterr(all="ignore")
    try:
        with pytest.raises(FloatingPointError):
            f(x)
        np.seterr(all="ignore")
        for t in (srcad.grad(f), lambda v: srcad.jvp(f, (v,), (np.ones(2),))):
            with pytest.raises(srcad.SrcadError, match="seterr"):
                t(x)
    finally:
        np.seterr(**old)
