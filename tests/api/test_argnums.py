"""JAX's spellings: `argnums=` for `wrt=` (public calls and calls inside transformed code) and
`srcad.jacobian` for `jacrev`."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def loss(w, b, x):
    return np.sum(np.tanh(x @ w + b) ** 2)


def vec(w, b):
    return np.sin(w) * b


def uses_argnums(w, b):
    g = srcad.grad(loss, argnums=1)(w, b, np.ones((2, 3)))
    return np.sum(g * b)


W = np.array([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]])
B = np.array([0.1, -0.3])
X = np.array([[1.0, 0.5, -0.2], [0.3, -0.7, 0.9]])


@pytest.mark.parametrize("maker", ["grad", "value_and_grad", "jacfwd", "jacrev", "hessian"])
@pytest.mark.parametrize("argnums", [1, (0, 1), [0, 1]])
def test_argnums_is_wrt(maker, argnums):
    fn = loss if maker in ("grad", "value_and_grad", "hessian") else vec
    args = (W, B, X) if fn is loss else (W, B)
    m = getattr(srcad, maker)
    wrt = tuple(argnums) if isinstance(argnums, list) else argnums
    got, want = m(fn, argnums=argnums)(*args), m(fn, wrt=wrt)(*args)
    for a, b in zip(_leaves(got), _leaves(want), strict=True):
        np.testing.assert_array_equal(a, b)


def test_argnums_decorator_and_conflict():
    g = srcad.grad(argnums=1)(loss)(W, B, X)
    np.testing.assert_array_equal(g, srcad.grad(loss, wrt=1)(W, B, X))
    with pytest.raises(TypeError, match="not both"):
        srcad.grad(loss, wrt=1, argnums=0)


def test_argnums_inside_transformed_code():
    eps = 1e-6
    g = srcad.grad(uses_argnums)(W, B)
    num = np.zeros_like(W)
    for i in np.ndindex(W.shape):
        e = np.zeros_like(W)
        e[i] = eps
        num[i] = (uses_argnums(W + e, B) - uses_argnums(W - e, B)) / (2 * eps)
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-8)


def test_jacobian_is_jacrev():
    np.testing.assert_array_equal(srcad.jacobian(vec)(W, B), srcad.jacrev(vec)(W, B))
    assert srcad.jacobian(vec, argnums=1)(W, B).shape == (3, 2, 2)


def _leaves(x):
    if isinstance(x, tuple):
        return [leaf for item in x for leaf in _leaves(item)]
    return [np.asarray(x)]
