"""User-defined derivatives at higher order (issue 10): the rule functions are ordinary Python
that srcad differentiates again, so Hessians through custom_vjp/custom_jvp/checkpoint/
stop_gradient are exact. References: closed forms and central differences of srcad's gradient."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def fd_jac(g, x, eps=1e-5):
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        cols.append((g(x + e) - g(x - e)) / (2 * eps))
    return np.stack(cols, axis=-1)


@srcad.custom_vjp
def softplus(x):
    return np.logaddexp(x, 0.0)


def softplus_fwd(x):
    return softplus(x), x


def softplus_bwd(x, g):
    return (g * sigmoid(x),)


softplus.defvjp(softplus_fwd, softplus_bwd)


def loop_loss(x):
    s = 0.0
    for i in range(1, 4):
        s = s + np.sum(softplus(x * i) * x)
    return s


def test_hessian_of_custom_vjp_in_a_loop():
    x = np.array([0.3, -1.2, 2.0])
    H = srcad.hessian(loop_loss)(x)
    # d/dx sum_i softplus(i x) x = sum_i (i sigmoid(i x) x + softplus(i x)); its derivative:
    ref = sum(i * i * sigmoid(i * x) * (1 - sigmoid(i * x)) * x + 2 * i * sigmoid(i * x)
              for i in range(1, 4))  # fmt: skip
    np.testing.assert_allclose(H, np.diag(ref), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(H, fd_jac(srcad.grad(loop_loss), x), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(srcad.hvp(loop_loss, (x,), (np.ones(3),))[1], ref, rtol=1e-13)


def test_hessian_at_top_level_and_third_order():
    x = np.array(0.7)
    assert srcad.hessian(softplus)(x) == pytest.approx(sigmoid(0.7) * (1 - sigmoid(0.7)), 1e-14)
    s = sigmoid(0.7)
    g3 = srcad.grad(srcad.grad(srcad.grad(softplus)))(x)
    assert g3 == pytest.approx(s * (1 - s) * (1 - 2 * s), rel=1e-12)


@srcad.custom_jvp
def cube(x):
    return x**3


@cube.defjvp
def cube_jvp(primals, tangents):
    (x,) = primals
    (t,) = tangents
    return cube(x), 3.0 * x**2 * t


def cube_loss(x, y):
    return np.sum(cube(x) * y)


def test_hessian_of_custom_jvp_under_grad():
    x, y = np.array([0.5, -2.0]), np.array([1.5, 3.0])
    H = srcad.hessian(cube_loss)(x, y)
    np.testing.assert_allclose(H, np.diag(6.0 * x * y), rtol=1e-14)
    gxy = srcad.jacfwd(srcad.grad(cube_loss, wrt=0), wrt=1)(x, y)
    np.testing.assert_allclose(gxy, np.diag(3.0 * x**2), rtol=1e-14)


def stop_loss(x):
    return np.sum(x**2 * srcad.stop_gradient(x**2))


def test_stop_gradient_second_order():
    x = np.array([0.5, -2.0])
    np.testing.assert_allclose(srcad.grad(stop_loss)(x), 2.0 * x**3)
    np.testing.assert_allclose(srcad.hessian(stop_loss)(x), np.diag(2.0 * x**2))
    g = srcad.grad(lambda_free_stop)(x)
    np.testing.assert_allclose(g, 0.0 * x)
    np.testing.assert_allclose(srcad.hessian(lambda_free_stop)(x), np.zeros((2, 2)))


def lambda_free_stop(x):
    return np.sum(srcad.stop_gradient(x**3))


def block(h, W):
    return np.tanh(W @ h)


cblock = srcad.checkpoint(block)


def net(h, W):
    for _ in range(3):
        h = cblock(h, W)
    return np.sum(h**2)


def net_plain(h, W):
    for _ in range(3):
        h = block(h, W)
    return np.sum(h**2)


def test_hessian_through_checkpoint():
    rng = np.random.default_rng(1)
    h, W = rng.normal(size=4), 0.5 * rng.normal(size=(4, 4))
    H = srcad.hessian(net)(h, W)
    np.testing.assert_allclose(H, srcad.hessian(net_plain)(h, W), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(H, fd_jac(lambda z: srcad.grad(net)(z, W), h), rtol=1e-6, atol=1e-8)


def maml_like(x):
    return np.sum(softplus(x - 0.1 * srcad.grad(inner)(x)))


def inner(x):
    return np.sum(softplus(x) ** 2)


def test_custom_vjp_inside_a_derivative_called_in_differentiated_code():
    x = np.array([0.3, -0.4])
    g = srcad.grad(maml_like)(x)
    np.testing.assert_allclose(g, fd_jac(lambda z: np.array(maml_like(z)), x), rtol=1e-7)
