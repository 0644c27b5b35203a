"""Soundness hunt 8: user-style programs. Crashes and hangs found and fixed here (each test fails
before its fix), and spurious refusals removed."""

from __future__ import annotations

import itertools
import math
from itertools import count, cycle, repeat

import numpy as np
import pytest

import srcad

X6 = np.array([0.3, -0.7, 1.05, 0.45, 0.9, -0.2])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


def _check(f, x=X6):
    np.testing.assert_allclose(srcad.primal(f)(x.copy()), f(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), _fd(f, x), rtol=1e-6, atol=1e-8)
    v = np.linspace(-1.0, 1.0, x.size)
    _, t = srcad.jvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(t, _fd(f, x) @ v, rtol=1e-6, atol=1e-8)


# -- an endless itertools iterator was listed: memory filled until MemoryError (a hang), in
# srcad.primal and every derivative mode. Now zip(count(a, b), xs) / zip(xs, repeat(v)) index
# them; any other use is refused when it runs.
def zip_count(x):
    return sum(i * v for i, v in zip(count(1), x))


def zip_count_kw_neg(x):
    return sum(v * k for v, k in zip(x, itertools.count(start=10, step=-3)))


def zip_repeat(x):
    s = 0.0
    for v, w in zip(x, repeat(x[0] ** 2)):
        s = s * 0.5 + v * w
    return s


def comp_zip_count(x):
    return np.sum(np.array([i * v * v for i, v in zip(count(), x)]))


@pytest.mark.parametrize("f", [zip_count, zip_count_kw_neg, zip_repeat, comp_zip_count])
def test_zip_with_endless_iterator(f):
    _check(f)


def for_count_break(x):
    s = 0.0
    for k in itertools.count():
        s += x[k] ** 2
        if k >= 3:
            break
    return s


def enumerate_cycle(x):
    s = 0.0
    for i, w in enumerate(cycle([1.0, 2.0])):
        if i >= 5:
            break
        s += w * x[i]
    return s


def zip_cycle(x):
    return sum(a * b for a, b in zip(cycle(x[:2]), x))


@pytest.mark.parametrize("f", [for_count_break, enumerate_cycle, zip_cycle])
@pytest.mark.parametrize("mode", ["primal", "grad"])
def test_endless_iterator_refused(f, mode):
    with pytest.raises(srcad.SrcadError):
        getattr(srcad, mode)(f)(X6.copy())


def zip_strict_count(x):
    return sum(i * v for i, v in zip(count(), x, strict=True))


def test_zip_strict_endless_refused():
    with pytest.raises(srcad.SrcadError, match="strict"):
        srcad.grad(zip_strict_count)(X6.copy())


# -- next() of a generator expression: srcad.primal called next() of a list (TypeError), the
# derivatives refused it. Items that cannot raise are listed and the first taken.
def next_first(x):
    return next((v * 2 for v in x if v > 0.5 and v < 1.0), x[0]) + x[1]


def next_default(x):
    return next((v for v in x if v > 5), x[2] ** 2)


def next_pairs(x):
    ps = list(zip(x, x[1:]))
    return next(u * w for u, w in ps if u > w)


@pytest.mark.parametrize("f", [next_first, next_default, next_pairs])
def test_next_of_generator_expression(f):
    _check(f)


def next_may_raise(x):
    return next((math.log(v) for v in x if v > 0), 0.0)


@pytest.mark.parametrize("mode", ["primal", "grad"])
def test_next_of_raising_generator_refused(mode):
    with pytest.raises(srcad.SrcadError, match="may raise"):
        getattr(srcad, mode)(next_may_raise)(X6.copy())


# -- spurious refusals removed: itertools.product and compress consumed at once
def product_pairs(x):
    return sum(a * b for a, b in itertools.product(x[:3], x[3:]))


def product_repeat(x):
    return sum(a * b - c for a, b, c in itertools.product(x[:2], repeat=3))


def product_loop(x):
    s = 0.0
    for i, j in itertools.product(range(3), range(2)):
        s += x[i] * x[3 + j] ** 2
    return s


def compress_mask(x):
    return sum(v**2 for v in itertools.compress(x, x > 0.4)) + sum(
        itertools.compress(x, [1, 0, 1, 1, 0, 1])
    )


@pytest.mark.parametrize("f", [product_pairs, product_repeat, product_loop, compress_mask])
def test_product_and_compress(f):
    _check(f)
