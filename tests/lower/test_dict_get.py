"""`d.get(k)` and `d.get(k, default)` on dicts of arrays: the derivative flows to the entry when
`k` is in `d`, else to the default. Values against plain Python, derivatives exact and against
central finite differences (forward and reverse mode), second order by the Hessian."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, 0.5])
Y = np.array([1.5, -0.5])


def built_inside(x, y):
    d = {"a": x, "b": 2.0 * x}
    return np.sum(d.get("a") * 2.0 + d.get("c", y) * d.get("b", y))


def from_argument(d, y):
    return np.sum(d.get("a", y) ** 2 + d.get("z", y) * d.get("b"))


def missing_no_default(d):
    v = d.get("z")
    if v is None:
        return np.sum(d.get("a") ** 3)
    return np.sum(v)


def test_values():
    assert built_inside(X, Y) == pytest.approx(np.sum(2 * X + Y * 2 * X), rel=1e-15)
    assert srcad.primal(built_inside)(X, Y) == built_inside(X, Y)
    d = {"a": X, "b": np.array([2.0, 3.0])}
    assert srcad.primal(from_argument)(d, Y) == from_argument(d, Y)


def test_exact_gradients():
    gx, gy = srcad.grad(built_inside, wrt=(0, 1))(X, Y)
    np.testing.assert_allclose(gx, 2.0 + 2.0 * Y, rtol=1e-15)  # [5, 1]
    np.testing.assert_allclose(gy, 2.0 * X, rtol=1e-15)  # [0.6, 1]
    d = {"a": X, "b": np.array([2.0, 3.0])}
    gd, gy = srcad.grad(from_argument, wrt=(0, 1))(d, Y)
    np.testing.assert_allclose(gd["a"], 2.0 * X, rtol=1e-15)  # the entry, not the default
    np.testing.assert_allclose(gd["b"], Y, rtol=1e-15)
    np.testing.assert_allclose(gy, d["b"], rtol=1e-15)  # only through the missing key
    gd = srcad.grad(missing_no_default)(d)
    np.testing.assert_allclose(gd["a"], 3.0 * X**2, rtol=1e-15)
    np.testing.assert_allclose(gd["b"], 0.0)
    _, t = srcad.jvp(from_argument, (d, Y), ({"a": np.ones(2), "b": np.zeros(2)}, np.zeros(2)))
    assert t == pytest.approx(2 * 0.3 + 2 * 0.5, rel=1e-15)


@pytest.mark.parametrize("order", [1, 2])
def test_finite_differences(order):
    d = {"a": X, "b": np.array([2.0, 3.0])}
    check_grads(built_inside, (X, Y), modes=("fwd", "rev"), order=order)
    check_grads(from_argument, (d, Y), modes=("fwd", "rev"), order=order)
    check_grads(missing_no_default, (d,), modes=("fwd", "rev"), order=order)


def test_hessian():
    d = {"a": X, "b": np.array([2.0, 3.0])}
    h = srcad.hessian(lambda y: from_argument(d, y) * np.sum(y))(Y)
    # f(y) = (s + b.y) * sum(y) with s = sum(a^2): H = b 1^T + 1 b^T
    b = d["b"]
    np.testing.assert_allclose(h, np.outer(b, np.ones(2)) + np.outer(np.ones(2), b), rtol=1e-15)
