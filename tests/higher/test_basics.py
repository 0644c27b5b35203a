"""Second and higher derivatives: forward over reverse on the generated IR (srcad/higher.py,
srcad/ad/compose.py), checked against finite differences of srcad's gradient and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

RNG = np.random.default_rng(7)


def loop_loss(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(np.tanh(x * (i + 1)) ** 2)
    return s


def branchy(x, w):  # np.dot has no second-order rule yet: x @ x
    if np.sum(x) > 0:
        y = np.sin(x) * w
    else:
        y = np.cos(x) * w
    return np.sum(y * y) + (x @ x) * w


def poly(t):
    return math.sin(t) * t**3


def _fd_jac(g, x, h=1e-6):
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        cols.append((np.asarray(g(x + e)) - np.asarray(g(x - e))) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("f", [loop_loss, lambda x: branchy(x, 0.7)], ids=["loop", "branch"])
def test_hessian_matches_finite_differences_of_the_gradient(f) -> None:
    x = RNG.normal(size=4)
    H = srcad.hessian(f)(x)
    assert H.shape == (4, 4)
    np.testing.assert_allclose(H, _fd_jac(srcad.grad(f), x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(H, H.T, atol=1e-12)


def test_hvp_is_the_hessian_times_v_and_returns_the_gradient() -> None:
    x, v = RNG.normal(size=4), RNG.normal(size=4)
    g, hv = srcad.hvp(loop_loss, (x,), (v,))
    np.testing.assert_allclose(g, srcad.grad(loop_loss)(x), rtol=1e-12)
    np.testing.assert_allclose(hv, srcad.hessian(loop_loss)(x) @ v, rtol=1e-10, atol=1e-12)


def test_hessian_blocks_for_several_inputs() -> None:
    x = RNG.normal(size=3)
    (hxx, hxw), (hwx, hww) = srcad.hessian(branchy, wrt=(0, 1))(x, 0.7)
    assert hxx.shape == (3, 3) and hxw.shape == (3,) and hwx.shape == (3,) and np.shape(hww) == ()
    np.testing.assert_allclose(hxw, hwx, rtol=1e-10)
    gw = srcad.grad(branchy, wrt=1)
    np.testing.assert_allclose(hwx, _fd_jac(lambda z: gw(z, 0.7), x), rtol=1e-6, atol=1e-7)


def test_derivatives_of_a_scalar_function_to_fourth_order() -> None:
    t = 0.7
    d1 = srcad.grad(poly)
    d2 = srcad.grad(d1)
    d3 = srcad.grad(d2)
    d4 = srcad.grad(d3)
    s, c = math.sin(t), math.cos(t)
    assert d1(t) == pytest.approx(c * t**3 + 3 * t**2 * s, rel=1e-14)
    assert d2(t) == pytest.approx(-s * t**3 + 6 * t**2 * c + 6 * t * s, rel=1e-14)
    assert d3(t) == pytest.approx(-c * t**3 - 9 * t**2 * s + 18 * t * c + 6 * s, rel=1e-13)
    exact4 = s * t**3 - 12 * t**2 * c - 36 * t * s + 24 * c
    assert d4(t) == pytest.approx(exact4, rel=1e-12)
    assert srcad.value_and_grad(d1)(t) == pytest.approx((d1(t), d2(t)), rel=1e-14)


def test_jvp_of_grad_is_forward_over_reverse() -> None:
    x, v = RNG.normal(size=3), RNG.normal(size=3)
    g, dg = srcad.jvp(srcad.grad(loop_loss), (x,), (v,))
    np.testing.assert_allclose(dg, _fd_jac(srcad.grad(loop_loss), x) @ v, rtol=1e-6, atol=1e-7)


def test_first_and_second_order_of_one_function_do_not_share_a_cache_entry() -> None:
    # jvp_f(x, dx) and jvp_grad_f(x, dx) have the same arity: the cache key must tell them apart
    x, v = RNG.normal(size=3), RNG.normal(size=3)
    out, dout = srcad.jvp(loop_loss, (x,), (v,))
    g, hv = srcad.hvp(loop_loss, (x,), (v,))
    assert np.shape(dout) == () and hv.shape == (3,)
    np.testing.assert_allclose(dout, g @ v, rtol=1e-10)


def named_like_a_tangent(x, dx):
    return x * x * dx


def test_a_parameter_named_like_a_tangent() -> None:
    # jvp_f(x, dx, dx) was a SyntaxError in the generated code
    out, dout = srcad.jvp(named_like_a_tangent, (2.0, 3.0), (1.0, 0.0))
    assert (out, dout) == (12.0, 12.0)


def test_source_of_second_order_code_is_readable() -> None:
    src = srcad.source(srcad.hessian(loop_loss), args=(np.ones(3),))
    assert "def jvp_grad_loop_loss(x, dx):" in src and "tape.append(" in src


def vector_fn(x):
    return np.array([np.sin(x[0]) * x[1], x[0] ** 2 + np.exp(x[1]), x[0] * x[1] * x[2]])


def test_every_nesting_of_jacobians_gives_the_same_second_derivative() -> None:
    x = np.array([0.3, -0.5, 0.8])
    ref = _fd_jac(srcad.jacfwd(vector_fn), x)
    for outer in (srcad.jacfwd, srcad.jacrev):
        for inner in (srcad.jacfwd, srcad.jacrev):
            T = outer(inner(vector_fn))(x)
            assert T.shape == (3, 3, 3)
            np.testing.assert_allclose(T, ref, rtol=1e-7, atol=1e-8)


def test_reverse_mode_of_a_gradient_and_third_derivatives() -> None:
    x, u = RNG.normal(size=3), RNG.normal(size=3)
    H = srcad.hessian(loop_loss)(x)
    np.testing.assert_allclose(srcad.jacrev(srcad.grad(loop_loss))(x), H, rtol=1e-12)
    out, pullback = srcad.vjp(srcad.grad(loop_loss), x)
    np.testing.assert_allclose(out, srcad.grad(loop_loss)(x), rtol=1e-12)
    (bx,) = pullback(u)  # one cotangent per argument, as srcad.vjp of any function
    np.testing.assert_allclose(bx, H.T @ u, rtol=1e-10, atol=1e-12)
    T3 = srcad.jacfwd(srcad.hessian(loop_loss))(x)
    np.testing.assert_allclose(T3, _fd_jac(srcad.hessian(loop_loss), x), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(T3, np.transpose(T3, (1, 0, 2)), atol=1e-10)
    np.testing.assert_allclose(T3, np.transpose(T3, (2, 1, 0)), atol=1e-10)


H_SPLIT = 2


def sliced_product(w):
    return w[H_SPLIT:4] * w[0:2]


def calls_sliced_product(w):
    return np.sum(sliced_product(w))


def test_hvp_through_a_call_whose_residuals_hold_slices() -> None:
    # the callee's residuals carry slice(H_SPLIT, 4): zeros_like(slice) raised TypeError
    w, v = np.array([0.5, -1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0, 1.0])
    g, hv = srcad.hvp(calls_sliced_product, (w,), (v,))
    np.testing.assert_array_equal(g, [2.0, 3.0, 0.5, -1.0])  # w2*w0 + w3*w1
    np.testing.assert_array_equal(hv, [1.0, 1.0, 1.0, 1.0])
