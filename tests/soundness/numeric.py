"""Numerical checks shared by the soundness tests of a scalar function of one 1-D array.

Input: a function `f` and a point `x`. Output: assertions (no return value): the value and
gradient against Python and central differences, the JVP against the gradient, the VJP/JVP dot
test, the Hessian against central differences of the gradient.
"""

from __future__ import annotations

import numpy as np

import srcad


def central_differences(f, x, eps=1e-6):
    """The gradient of `f` at `x` by central differences of step `eps`."""
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def check_scalar(f, x):
    """grad, jvp, vjp and hessian of `f` at `x` against Python and central differences."""
    val, g = srcad.value_and_grad(f)(x.copy())
    np.testing.assert_allclose(val, f(x.copy()), rtol=1e-12)
    np.testing.assert_allclose(g, central_differences(f, x), rtol=1e-5, atol=1e-7)
    u, w = np.cos(np.arange(len(x)) + 1.0), 1.7
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    np.testing.assert_allclose(t, np.dot(g, u), rtol=1e-10, atol=1e-12)
    _, pull = srcad.vjp(f, x.copy())
    np.testing.assert_allclose(w * t, np.dot(pull(w)[0], u), rtol=1e-10, atol=1e-12)
    h = srcad.hessian(f)(x.copy())
    hfd = np.array(
        [(srcad.grad(f)(x + 1e-5 * e) - srcad.grad(f)(x - 1e-5 * e)) / 2e-5 for e in np.eye(len(x))]
    )
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-6)
