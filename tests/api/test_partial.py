"""`functools.partial` objects: given to `srcad.grad`/`jvp`/... (`wrt` counts the partial's
remaining positional parameters, as JAX does; its keywords are passed unless the call gives them
again) and called inside differentiated code (a module-level partial: the call of its function
with its arguments, read from the partial at run time). Exact values, central differences in
both modes, second order."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def base(x, c, d=1.0):
    return np.sum(np.sin(x) * c) * d


part = functools.partial(base, c=2.0)
part_front = functools.partial(base, np.array([0.1, 0.2]), d=3.0)  # remaining: c
psum = functools.partial(np.sum, axis=0)


def uses_partials(x):
    return part(x) + part_front(x, d=0.5) + np.sum(psum(x * x))


class Model:
    def __init__(self, k):
        self.k = k

    def f(self, x, p):
        return np.sum(x**p) * self.k


class Scale:
    def __call__(self, x, k):
        return x * k


method_part = functools.partial(Model(2.0).f, p=3.0)
object_part = functools.partial(Scale(), k=2.0)


def uses_method_partial(x):
    return method_part(x)


def uses_object_partial(x):
    return np.sum(object_part(x))


X = np.array([0.3, 0.5])


def test_grad_of_partial():
    np.testing.assert_allclose(srcad.grad(part)(X), 2.0 * np.cos(X), rtol=1e-15)
    # call-site keywords override the partial's
    np.testing.assert_allclose(srcad.grad(part)(X, c=3.0), 3.0 * np.cos(X), rtol=1e-15)
    np.testing.assert_allclose(srcad.grad(part_front)(X), 3.0 * np.sin([0.1, 0.2]), rtol=1e-15)
    np.testing.assert_allclose(
        srcad.grad(part_front, wrt="c")(X), 3.0 * np.sin([0.1, 0.2]), rtol=1e-15
    )
    out, t = srcad.jvp(part, (X,), (np.ones(2),))
    assert out == base(X, 2.0)
    assert t == pytest.approx(2.0 * np.sum(np.cos(X)), rel=1e-15)
    v, g = srcad.value_and_grad(part)(X)
    assert v == base(X, c=2.0)
    np.testing.assert_allclose(srcad.jacrev(part)(X), g, rtol=1e-15)
    np.testing.assert_allclose(srcad.jacfwd(part)(X), g, rtol=1e-15)


def test_partial_of_a_method():
    class Scaled:
        def __init__(self, k):
            self.k = k

        def f(self, x, p):
            return np.sum(x**p) * self.k

    g = srcad.grad(functools.partial(Scaled(2.0).f, p=3.0))(X)
    np.testing.assert_allclose(g, 6.0 * X**2, rtol=1e-15)


def test_second_order_of_partial():
    np.testing.assert_allclose(
        srcad.hessian(part)(X), np.diag(-2.0 * np.sin(X)), rtol=1e-15, atol=0
    )
    cube = functools.partial(lambda a, b: a**3 * b, b=2.0)
    assert srcad.grad(srcad.grad(cube))(1.5) == pytest.approx(18.0, rel=1e-15)  # 6 a b
    check_grads(part, (X,), modes=("fwd", "rev"), order=2)
    check_grads(part_front, (X,), modes=("fwd", "rev"), order=2)


def test_partial_called_inside():
    assert srcad.primal(uses_partials)(X) == uses_partials(X)
    expected = 2.0 * np.cos(X) + 0.5 * np.sin([0.1, 0.2]) + 2.0 * X  # [2.5606, 2.8545]
    np.testing.assert_allclose(srcad.grad(uses_partials)(X), expected, rtol=1e-15)
    check_grads(uses_partials, (X,), modes=("fwd", "rev"), order=2)
    h = srcad.hessian(uses_partials)(X)
    np.testing.assert_allclose(h, np.diag(-2.0 * np.sin(X) + 2.0), rtol=1e-15)


def test_partial_of_a_method_called_inside():
    # `self` is the method's object, not the partial (it was taken for the partial: AttributeError)
    assert srcad.primal(uses_method_partial)(X) == uses_method_partial(X)
    np.testing.assert_allclose(srcad.grad(uses_method_partial)(X), 6.0 * X**2, rtol=1e-15)
    np.testing.assert_allclose(
        srcad.hessian(uses_method_partial)(X), np.diag(12.0 * X), rtol=1e-15, atol=0
    )
    check_grads(uses_method_partial, (X,), modes=("fwd", "rev"), order=2)


def test_partial_of_a_callable_object_is_refused():
    with pytest.raises(srcad.SrcadError, match="partial object `object_part`"):
        srcad.grad(uses_object_partial)(X)
