"""Spurious refusals found porting the Polybench/C kernels (session 48, hunt48b).

``c[n - 1][j] = v`` with ``n = x.shape[0]``: the row ``c[n - 1]`` of a float array is a view (the
write reaches `c`), but the mutation check did not know a shape's items are Python ints, so it
took ``c[k]`` for a possible copy and refused (``for i in range(n)`` indexes were known).
Each function checked against central differences; a user object's ``.shape`` holding a list (a
fancy index: ``c[idx]`` is a copy, Python loses the write) is still refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def _fd_grad(f, x, h=1e-6):
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        d = np.zeros(x.shape)
        d[idx] = h
        g[idx] = (f(x + d) - f(x - d)) / (2 * h)
    return g


def corr_tail(x):
    n = x.shape[0]
    c = np.zeros((n, n))
    for i in range(n - 1):
        c[i][i] = x[i] ** 2
    c[n - 1][n - 1] = 1.0  # polybench correlation's last diagonal entry
    return np.sum(c * x)


def shape_pair(x):
    n, m = x.shape
    c = np.zeros((n, m))
    c[n - 1][m - 1] = x[0, 0] ** 2
    c[n - 2][m - 1] += x[1, 1]
    return np.sum(c * x)


def np_shape_item(x):
    c = np.zeros((3, 3))
    i = np.shape(x)[0] - 2
    c[i][1] = x[0] * 2.0
    return np.sum(c * c)


def adi_boundary(u):
    n = u.shape[0]
    v = np.zeros((n, n))
    for i in range(1, n - 1):
        v[0][i] = u[i][0]
        v[n - 1][i] = u[i][n - 1] * 2.0
        for j in range(n - 2, 0, -1):
            v[j][i] = 0.5 * v[j + 1][i] + u[j][i]
    return np.sum(v**2)


def local_shape(x):
    c = np.zeros((len(x), 2))
    k = c.shape[0] - 1
    c[k][1] = np.sin(x[0])
    return np.sum(c) * x[1]


@pytest.mark.parametrize(
    "f, x",
    [
        (corr_tail, np.array([0.5, -1.2, 0.8, 1.5])),
        (shape_pair, np.arange(1.0, 7.0).reshape(2, 3) * 0.3),
        (np_shape_item, np.array([0.7, -0.4, 1.1])),
        (adi_boundary, np.arange(16.0).reshape(4, 4) * 0.1 - 0.5),
        (local_shape, np.array([0.3, 1.7, -0.2])),
    ],
)
def test_shape_item_row_write(f, x) -> None:
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
    g = srcad.grad(f)(x.copy())
    np.testing.assert_allclose(g, _fd_grad(f, x), rtol=1e-6, atol=1e-7)
    _, jv = srcad.jvp(f, (x.copy(),), (np.ones_like(x),))
    np.testing.assert_allclose(jv, np.sum(g), rtol=1e-9, atol=1e-12)


class _Shaped:
    def __init__(self) -> None:
        self.shape = ([0, 1], 2)  # not an ndarray: `.shape[0]` is a list, a fancy index


def _fancy(x, b):
    c = np.zeros((3, 3))
    i = b.shape[0]
    c[i][0] = x[0]  # `c[i]` is a copy: Python loses the write
    return np.sum(c) + x[1]


def test_user_shape_still_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="read after the object"):
        srcad.grad(_fancy)(np.array([1.0, 2.0, 3.0]), _Shaped())
