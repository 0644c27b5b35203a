"""Session 47's lead: a nested ``@functools.lru_cache`` function is dropped only where no call can
tell (lower/lrucache.py): a cached random draw, or a cache over an array another call writes
into, is refused, not differentiated as the plain function (whose values differ)."""

from __future__ import annotations

import functools
import random

import numpy as np
import pytest

import srcad


def cached_draw(x):
    @functools.lru_cache(maxsize=128)
    def noise(i):
        return random.random()

    return sum(noise(i % 2) * x[i] for i in range(4))


def cached_np_draw(x):
    @functools.cache
    def noise(i):
        return np.random.standard_normal()

    return sum(noise(i % 2) * x[i] for i in range(4))


def cached_over_written_array(x):
    w = x * 1.0

    @functools.cache
    def g(i):
        return w[i] * 2.0

    s = g(0) * 1.0
    np.add.at(w, [0], 1.0)
    return s + g(0) * x[1]


def cached_pure(x):
    w = x * 1.0

    @functools.cache
    def g(i):
        return np.square(w[i]) + len(w)

    return sum(g(i % 2) * x[i] for i in range(4))


@pytest.mark.parametrize("f", [cached_draw, cached_np_draw, cached_over_written_array])
def test_observable_caches_are_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.arange(4.0))


def test_a_pure_cache_is_still_differentiated():
    x = np.arange(1.0, 5.0)
    eps = 1e-6
    want = np.array(
        [(cached_pure(x + eps * e) - cached_pure(x - eps * e)) / (2 * eps) for e in np.eye(4)]
    )
    np.testing.assert_allclose(srcad.grad(cached_pure)(x), want, rtol=1e-6, atol=1e-8)
