"""Products by one (passes/unit_factors.py): ``1.0 * g`` is `g` and ``-1.0 * g`` is ``-g`` in
generated code where the type cannot change and no one can see the product is `g` itself;
the derivatives are the same numbers, of the same dtype, never an argument's own array."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.linspace(0.1, 0.9, 5)
W = np.linspace(1.0, 2.0, 5)


def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def neg_log(x):
    return -np.sum(np.log(x))


def rows(p, y):
    return np.sum(np.log1p(np.mean((p - y) ** 2, axis=1)))


def two_sums(x, y):
    a = np.exp(x) * np.sin(y)
    b = np.cos(x) / np.exp(y)
    return np.sum(a * b) + np.sum((a - b) ** 2)


FOLDED = [  # (f, args, a line of its gradient)
    (logsumexp, (X,), "bx = np.multiply(np.reciprocal(_t2), _t1, out=_t1)"),
    (neg_log, (X,), "bx = -np.reciprocal(x)"),
    (
        rows,
        (X.reshape(1, 5), W.reshape(1, 5)),
        "(2.0 * np.reciprocal(np.add(1.0, _t3, out=_t3)) / ",
    ),
    (two_sums, (X, W), "ba += b"),
]


@pytest.mark.parametrize(("f", "args", "line"), FOLDED, ids=[f.__name__ for f, *_ in FOLDED])
def test_folded(f, args, line) -> None:
    wrt = tuple(range(len(args)))
    src = srcad.source(f, mode="grad", args=args, wrt=wrt)
    assert line in src, src
    assert "1.0 * " not in src and "* 1.0" not in src, src
    check_grads(f, args, modes=("fwd", "rev"))
    for g in srcad.grad(f, wrt=wrt)(*args):
        assert g.dtype == np.float64
        assert not any(np.shares_memory(g, a) for a in args)


def int_weights(x, n):
    return np.sum(n * x)


def exp_sum(x):
    return np.sum(np.exp(x))


def test_int_operand_kept() -> None:
    """``1.0 * n`` of an int array is a float array: not `n`."""
    n = np.arange(5)
    g = srcad.grad(int_weights)(X, n)
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g, n.astype(float))
    check_grads(int_weights, (X, n), modes=("fwd", "rev"), wrt=(0,))


def test_returned_product_kept() -> None:
    """The product is the gradient itself: it stays a new array (folded, it would be the
    primal's ``np.exp(x)``: a second call's gradient is not the first's)."""
    g1 = srcad.grad(exp_sum)(X)
    g2 = srcad.grad(exp_sum)(X)
    assert g1 is not g2 and not np.shares_memory(g1, X)
    g1 *= 0.0
    np.testing.assert_allclose(g2, np.exp(X))
    check_grads(exp_sum, (X,), modes=("fwd", "rev"))


def scalars(x, y):
    return x * y + x


def test_python_floats() -> None:
    g = srcad.grad(scalars, wrt=(0, 1))(0.5, 2.0)
    assert g == (3.0, 0.5) and all(type(v) is float for v in g)
