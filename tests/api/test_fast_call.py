"""The fast path of a cached call (srcad/gradcall.py `grad_caller`, srcad/backend/guard.py `Guard`):
calls with arguments of kinds seen before skip the key, and still re-transform whenever the key
would have changed: closure values, globals, defaults, code, user rules; new argument kinds and
keyword calls take the full path."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def helper(x):
    return x * x


def uses_helper(x):
    return helper(x) + 1.0


def test_rebinding_a_global_function_retransforms():
    global helper
    g = srcad.grad(uses_helper)
    assert g(3.0) == 6.0
    assert g(3.0) == 6.0  # fast path
    saved = helper
    try:
        helper = lambda x: x * x * x  # noqa: E731
        assert g(3.0) == 27.0
        assert g(2.0) == 12.0
    finally:
        helper = saved
    assert g(3.0) == 6.0


def test_closure_cell_and_defaults_retransform():
    def make():
        act = math.sin

        def f(x, c=2.0):
            return c * act(x)

        def rebind(a):
            nonlocal act
            act = a

        return f, rebind

    f, rebind = make()
    g = srcad.grad(f)
    x = 0.7
    assert g(x) == 2.0 * math.cos(x)
    assert g(x) == 2.0 * math.cos(x)
    rebind(math.tanh)
    assert g(x) == pytest.approx(2.0 * (1.0 - math.tanh(x) ** 2), rel=1e-15)
    f.__defaults__ = (5.0,)
    assert g(x) == pytest.approx(5.0 * (1.0 - math.tanh(x) ** 2), rel=1e-15)


def test_kinds_and_layouts():
    def f(x, y):
        return np.sum(np.sin(x) * y)

    g = srcad.grad(f, wrt=(0, 1))
    x32 = np.array([0.1, 0.2], dtype=np.float32)
    for _ in range(2):
        gx, gy = g(np.array([0.5, 1.0]), 2.0)
        np.testing.assert_allclose(gx, 2.0 * np.cos([0.5, 1.0]), rtol=1e-15)
        assert type(gy) is float and gy == pytest.approx(np.sin(0.5) + np.sin(1.0), rel=1e-15)
        gx, gy = g(x32, np.float64(3.0))
        assert gx.dtype == np.float32 and type(gy) is np.float64
        gx, gy = g(np.array(0.5), 2.0)  # 0-d: another kind
        assert gx.shape == () and isinstance(gx, np.ndarray)
        gx, gy = g(x=np.array([0.5]), y=1.0)  # keywords: the full path
        np.testing.assert_allclose(gx, np.cos([0.5]), rtol=1e-15)
    with pytest.raises(srcad.SrcadError, match="dtype int64"):
        g(np.array([1, 2]), 2.0)
    with pytest.raises(srcad.SrcadError, match="integer"):
        g(np.array([0.5, 1.0]), 2)
    check_grads(f, (np.array([0.5, 1.0]), 2.0))


def test_loss_checks_stay_on_the_fast_path():
    def f(x):
        return x * np.ones(2) if x > 1.0 else x * x

    g = srcad.grad(f)
    assert g(0.5) == 1.0
    assert g(0.5) == 1.0
    with pytest.raises(srcad.SrcadError, match="scalar output"):
        g(2.0)


def test_value_and_grad_and_rules_defined_later():
    def f(x):
        return np.sum(x**3)

    vg = srcad.value_and_grad(f)
    x = np.array([1.0, 2.0])
    for _ in range(2):
        v, gx = vg(x)
        assert v == 9.0
        np.testing.assert_array_equal(gx, [3.0, 12.0])
    before = srcad.cache_info().size
    srcad.cache_clear()  # what defining a user rule does: every guard is invalid
    v, gx = vg(x)
    np.testing.assert_array_equal(gx, [3.0, 12.0])
    assert srcad.cache_info().misses == 1 and before >= 1


def test_value_and_grad_with_aux_on_the_fast_path():
    def f(x, c):
        return np.sum(x**2) * c, {"n": x.size}

    vg = srcad.value_and_grad(f, has_aux=True)
    x = np.array([1.0, -2.0])
    for c in (3.0, 3.0, 0.5):
        (v, aux), gx = vg(x, c)
        assert v == 5.0 * c and aux == {"n": 2}
        np.testing.assert_array_equal(gx, 2.0 * c * x)
    g = srcad.grad(lambda x: (np.sum(x), 1.0), has_aux=True)
    for _ in range(2):
        gx, aux = g(x)
        np.testing.assert_array_equal(gx, [1.0, 1.0])
        assert aux == 1.0
    bad = srcad.grad(lambda x: np.sum(x), has_aux=True)
    for _ in range(2):
        with pytest.raises(srcad.SrcadError, match="pair"):
            bad(x)


def cube(x):
    return helper(x) * x


def test_jvp_fast_path_keeps_its_checks_and_guards():
    global helper
    x = np.array([0.5, 2.0])
    for _ in range(2):
        out, dout = srcad.jvp(cube, (x,), (np.array([1.0, 0.0]),))
        np.testing.assert_array_equal(out, x**3)
        np.testing.assert_array_equal(dout, [3 * 0.25, 0.0])
        out, dout = srcad.jvp(cube, (1.5,), (2.0,))
        assert (out, dout) == (1.5**3, 2.0 * 3 * 1.5**2)
    with pytest.raises(srcad.SrcadError, match="shape"):  # another shape: the full path's check
        srcad.jvp(cube, (x,), (np.ones(3),))
    out, dout = srcad.jvp(cube, (x,), (np.array([1, 0]),))  # ints: converted
    np.testing.assert_array_equal(dout, [3 * 0.25, 0.0])
    saved = helper
    try:
        helper = lambda x: x  # noqa: E731  (cube is now x**2)
        out, dout = srcad.jvp(cube, (1.5,), (2.0,))
        assert (out, dout) == (1.5**2, 2.0 * 2 * 1.5)
    finally:
        helper = saved
    assert srcad.jvp(cube, (1.5,), (2.0,))[1] == 2.0 * 3 * 1.5**2


def test_vjp_fast_path_keeps_its_checks_and_guards():
    global helper
    x = np.array([0.5, 2.0])
    for _ in range(2):
        out, pull = srcad.vjp(cube, x)
        np.testing.assert_array_equal(out, x**3)
        (gx,) = pull(np.array([1.0, 2.0]))
        np.testing.assert_array_equal(gx, 3 * x**2 * [1.0, 2.0])
        out, pull = srcad.vjp(cube, 1.5, wrt=0)
        assert pull(2.0) == 2.0 * 3 * 1.5**2 and type(pull(2.0)) is float
    out, pull = srcad.vjp(cube, x)
    with pytest.raises(srcad.SrcadError, match="cotangent is None"):
        pull(None)
    with pytest.raises(srcad.SrcadError, match="shape"):
        pull(np.ones(3))
    np.testing.assert_array_equal(pull(np.array([1, 0]))[0], [0.75, 0.0])  # ints: converted
    saved = helper
    try:
        helper = lambda x: x  # noqa: E731
        out, pull = srcad.vjp(cube, 1.5, wrt=0)
        assert (out, pull(1.0)) == (1.5**2, 3.0)
    finally:
        helper = saved


def test_hvp_fast_path_keeps_its_checks_and_guards():
    global helper
    x = np.array([0.5, 2.0])
    v = np.array([1.0, -1.0])
    f = lambda x: np.sum(cube(x))  # noqa: E731
    for _ in range(2):
        g, hv = srcad.hvp(f, (x,), (v,))
        np.testing.assert_array_equal(g, 3 * x**2)
        np.testing.assert_array_equal(hv, 6 * x * v)
        assert srcad.hvp(cube, (1.5,), (2.0,)) == (3 * 1.5**2, 6 * 1.5 * 2.0)
    with pytest.raises(srcad.SrcadError, match="shape"):
        srcad.hvp(f, (x,), (np.ones(3),))
    saved = helper
    try:
        helper = lambda x: x  # noqa: E731
        assert srcad.hvp(cube, (1.5,), (2.0,)) == (2 * 1.5, 2 * 2.0)
    finally:
        helper = saved
