"""Closures over floats share one transform (srcad/backend/cache.py `_shared_build`, issue 11
item 5): a float closure value is a runtime value of the generated code, re-bound per value, so a
closure made in a loop does not re-transform per value; ints stay part of the key (a range bound,
an exponent, an index) and plain-number globals are read live. Every derivative is checked
against the analytic one and central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

W = np.array([0.3, -1.2, 2.0])


def loss(w):
    return np.sum(np.sin(w))


def _fd(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)])


def test_closure_in_a_loop_transforms_once():
    srcad.cache_clear()
    lams = [0.0, 0.1, 0.5, 1.0, 2.0, -3.0, 10.0, 1e-3, 7.5, 0.25]
    for lam in lams:
        f = lambda w: loss(w) + lam * np.sum(w**2)  # noqa: E731, B023
        g = srcad.grad(f)(W)
        np.testing.assert_allclose(g, np.cos(W) + 2 * lam * W, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(g, _fd(f, W), rtol=1e-7, atol=1e-7)
    info = srcad.cache_info()
    assert info.misses == 1 and info.hits == len(lams) - 1


def test_cells_of_the_user_are_not_touched():
    lam = 0.5
    f = lambda w: lam * np.sum(w**2)  # noqa: E731
    before = f.__closure__[0].cell_contents
    srcad.grad(f)(W)
    assert f.__closure__[0].cell_contents is before


def test_nonlocal_rebinding_on_the_fast_path():
    def make():
        lam = 1.0

        def f(w):
            return lam * np.sum(w * w) + lam**2 * w[0]

        def set_lam(v):
            nonlocal lam
            lam = v

        return f, set_lam

    f, set_lam = make()
    g = srcad.grad(f)
    srcad.cache_clear()
    for v in [1.0, 2.0, 3.5, 2.0, -0.25]:
        set_lam(v)
        for _ in range(2):  # the second call takes the fast path
            expected = 2 * v * W + np.array([v**2, 0.0, 0.0])
            np.testing.assert_allclose(g(W), expected, rtol=1e-15)
    assert srcad.cache_info().misses == 1


def test_branch_and_division_on_a_closure_float():
    def make(a, b):
        def f(w):
            if a > 0:
                s = np.sum(w**3) / a
            else:
                s = b * np.sum(np.exp(w))
            return s + w[1] / b

        return f

    srcad.cache_clear()
    for a, b in [(2.0, 3.0), (-1.0, 0.5), (0.5, -4.0), (-2.5, 2.0)]:
        f = make(a, b)
        g = srcad.grad(f)(W)
        d = 3 * W**2 / a if a > 0 else b * np.exp(W)
        np.testing.assert_allclose(g, d + np.array([0.0, 1 / b, 0.0]), rtol=1e-14)
        np.testing.assert_allclose(g, _fd(f, W), rtol=1e-6, atol=1e-6)
    assert srcad.cache_info().misses == 1


def test_jvp_vjp_hessian_of_closures_over_floats():
    srcad.cache_clear()
    for lam in [0.5, -2.0, 3.0]:
        f = lambda w: np.sum(np.sin(lam * w)) + lam * w[0] ** 2  # noqa: E731, B023
        grad = lam * np.cos(lam * W) + np.array([2 * lam * W[0], 0.0, 0.0])
        out, dout = srcad.jvp(f, (W,), (np.ones(3),))
        assert out == f(W)
        np.testing.assert_allclose(dout, grad.sum(), rtol=1e-14)
        out, pull = srcad.vjp(f, W)
        np.testing.assert_allclose(pull(1.0)[0], grad, rtol=1e-14)
        hess = np.diag(-(lam**2) * np.sin(lam * W))
        hess[0, 0] += 2 * lam
        np.testing.assert_allclose(srcad.hessian(f)(W), hess, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_int_closures_stay_in_the_key(n):
    """A closure int as a range bound, an exponent and an index: each value its own transform,
    each derivative exact."""

    def make(n):
        def f(w):
            s = 0.0
            for i in range(n):
                s = s + w[i] ** n
            return s + w[n - 1] * 2.0

        return f

    f = make(n)
    g = srcad.grad(f)(W)
    expected = np.array([n * W[i] ** (n - 1) if i < n else 0.0 for i in range(3)])
    expected[n - 1] += 2.0
    np.testing.assert_allclose(g, expected, rtol=1e-15)
    np.testing.assert_allclose(g, _fd(f, W), rtol=1e-7, atol=1e-7)


def test_int_closure_changed_between_calls():
    def make():
        k = 2

        def f(w):
            return np.sum(w**k) + w[k - 1]

        def set_k(v):
            nonlocal k
            k = v

        return f, set_k

    f, set_k = make()
    g = srcad.grad(f)
    for k in [2, 3, 1, 2]:
        set_k(k)
        expected = k * W ** (k - 1)
        expected[k - 1] += 1.0
        np.testing.assert_allclose(g(W), expected, rtol=1e-15)
        np.testing.assert_allclose(g(W), expected, rtol=1e-15)


SCALE = 2.0
POWER = 2


def scaled(w):
    return SCALE * np.sum(w**POWER)


def test_global_numbers_rebound_between_calls():
    global SCALE, POWER
    g = srcad.grad(scaled)
    try:
        for s, p in [(2.0, 2), (3.0, 2), (3.0, 3), (-1.5, 1), (2.0, 2)]:
            SCALE, POWER = s, p
            for _ in range(2):  # the second call takes the fast path
                np.testing.assert_allclose(g(W), s * p * W ** (p - 1), rtol=1e-15)
    finally:
        SCALE, POWER = 2.0, 2


def test_source_of_a_closure_is_unchanged():
    lam = 0.5
    f = lambda w: lam * np.sum(w**2)  # noqa: E731
    text = srcad.source(f, args=(W,))
    assert "lam * " in text and "0.5" not in text
