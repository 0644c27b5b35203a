"""Functions srcad builds from generated text keep their source after `linecache.clearcache()`.

IPython and traceback printers clear `linecache`; srcad's library trampolines (`grad(math.sin)`)
are memoised, so a later transform reading the same trampoline must find its text again
(found by a test order that cleared the cache first: "cannot find the source of `sin`")."""

from __future__ import annotations

import linecache
import math

import numpy as np

import srcad
from srcad.passes import prepare


def _inside(x):
    return srcad.grad(math.sin)(x[0]) * x[1] + srcad.grad(np.tanh)(x[1])


def _forget():
    # what a long session does: the transforms and lowered IR evicted, linecache cleared
    srcad.cache_clear()
    prepare._lowered.clear()
    linecache.clearcache()


def test_trampoline_source_survives_clearcache():
    x = np.array([0.4, -0.3])
    assert srcad.grad(math.sin)(0.4) == math.cos(0.4)  # the trampoline exists, memoised
    _forget()
    assert srcad.grad(math.sin)(0.4) == math.cos(0.4)  # transformed again: reads its text
    gt = srcad.grad(np.tanh)(-0.3)
    np.testing.assert_allclose(gt, 1 - np.tanh(-0.3) ** 2, rtol=1e-12)
    _forget()
    g = srcad.grad(_inside)(x)  # the trampolines called inside, transformed again
    want = [-math.sin(0.4) * -0.3, math.cos(0.4) - 2 * np.tanh(-0.3) * (1 - np.tanh(-0.3) ** 2)]
    np.testing.assert_allclose(g, want, rtol=1e-12)
    np.testing.assert_allclose(_inside(x), math.cos(0.4) * -0.3 + 1 - np.tanh(-0.3) ** 2)


def _second(x):
    return srcad.grad(srcad.grad(math.sin))(x[0]) * x[1]


def test_deeper_helper_source_survives_clearcache():
    # higher27's generated grad_grad_sin (lower/deeper.py) is memoised like the trampolines: a
    # new transform using it after linecache was cleared must read its text again
    x = np.array([0.4, -0.3])
    g = srcad.grad(_second)(x)
    np.testing.assert_allclose(g, [-math.cos(0.4) * -0.3, -math.sin(0.4)], rtol=1e-12)
    prepare._lowered.clear()
    linecache.clearcache()
    h = srcad.hessian(_second)(x)
    want = [[math.sin(0.4) * -0.3, -math.cos(0.4)], [-math.cos(0.4), 0.0]]
    np.testing.assert_allclose(h, want, rtol=1e-12, atol=1e-15)
