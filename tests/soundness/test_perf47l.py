"""`matmul_vjp` of two matrices computes the product inline (perf47l, issue 11's LSTM): the same
values as `_matmul_vjp`'s first case, and the same ``0 * inf`` fix afterwards, for either operand,
a non-finite entry in a row or column the cotangent never reads, read ones, float32 operands,
and an empty operand.
"""

from __future__ import annotations

import numpy as np
import pytest

from srcad.rules import products


def _reference(g, x, y, which):
    """The cotangent as the sum without the terms whose cotangent factor is 0 (the fix's
    meaning), term by term."""
    x, y, g = (np.asarray(v, dtype=float) for v in (x, y, g))
    if which == 0:
        out = np.zeros(x.shape)
        for i in range(x.shape[0]):
            for k in range(x.shape[1]):
                out[i, k] = sum(g[i, j] * y[k, j] for j in range(y.shape[1]) if g[i, j] != 0)
        return out
    out = np.zeros(y.shape)
    for k in range(y.shape[0]):
        for j in range(y.shape[1]):
            out[k, j] = sum(x[i, k] * g[i, j] for i in range(x.shape[0]) if g[i, j] != 0)
    return out


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("bad", [False, True])
def test_matrices_inline_and_fix(which: int, bad: bool) -> None:
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    g = rng.standard_normal((2, 4))
    if bad:  # a non-finite entry of the other operand whose terms the cotangent never reads
        if which == 0:
            y[1, 2] = np.inf
            g[:, 2] = 0.0
        else:
            x[1, 0] = -np.inf
            g[1, :] = 0.0
    r = products.matmul_vjp(g, x, y, which)
    np.testing.assert_allclose(r, _reference(g, x, y, which), rtol=1e-12, atol=1e-14)
    assert r.shape == (x if which == 0 else y).shape


@pytest.mark.parametrize("which", [0, 1])
def test_matrices_read_nonfinite_keeps_it(which: int) -> None:
    x, y = np.ones((2, 2)), np.ones((2, 2))
    (y if which == 0 else x)[0, 0] = np.inf
    g = np.ones((2, 2))
    r = products.matmul_vjp(g, x, y, which)
    assert np.isinf(r).any()


def test_float32_and_empty() -> None:
    x = np.ones((2, 3), np.float32)
    y = np.ones((3, 4), np.float32)
    g = np.ones((2, 4), np.float32)
    np.testing.assert_array_equal(products.matmul_vjp(g, x, y, 0), g @ y.T)
    np.testing.assert_array_equal(products.matmul_vjp(g, x, y, 1), x.T @ g)
    e = np.zeros((0, 3))
    r = products.matmul_vjp(np.zeros((0, 4)), e, np.ones((3, 4)), 1)
    np.testing.assert_array_equal(r, np.zeros((3, 4)))
