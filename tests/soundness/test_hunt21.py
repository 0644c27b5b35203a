"""Session 21 (hunt21): forward mode through buffers a write leaves partly constant.

Pairwise distances whose diagonal is set to exactly 0 by a write (``np.fill_diagonal(D2, 0.0)``,
``D2[np.arange(n), np.arange(n)] = 0.0``, ``D2[np.eye(n, dtype=bool)] = 0.0``) or left 0 by a
constant buffer filled in a loop (``D = np.zeros((n, n)); D[i, j] = ...`` for i < j), then
``np.sqrt``: the function is smooth (the diagonal is a constant), but the tangent there was
``0 * inf = nan``: srcad.jvp, jacfwd and hvp gave nan (grad was right). Also constant writes at
slices and fancy indices, and a boolean-mask write into a zero buffer; lists and np.pad with
constants; a selection's zeros moved by a reshape, a sort, a sum, np.putmask. ad/fpartial.py.
And a product by a float mask (``np.where(x > 0, 1.0, 0.0)``, ``(x > 0) * 1.0``,
``np.heaviside(x, 0.0)``) under a singular op: nan in grad too (fmasks.boolish).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

X = np.array([0.1, 0.3, 1.0, -0.4, 0.5, 0.9, -0.7, 0.2])
V = np.random.default_rng(0).standard_normal(8)


def fill_diag(x):
    P = x.reshape(4, 2)
    sq = np.sum(P**2, 1)
    D2 = sq[:, None] + sq[None, :] - 2 * P @ P.T
    D2 = np.maximum(D2, 0.0)
    np.fill_diagonal(D2, 0.0)
    return np.sum(np.exp(-np.sqrt(D2)))


def arange_diag(x):
    P = x.reshape(4, 2)
    D2 = np.sum((P[:, None, :] - P[None, :, :]) ** 2, -1)
    D2[np.arange(4), np.arange(4)] = 0.0
    return np.sum(np.exp(-np.sqrt(D2)))


def gram_diag(x):
    P = x.reshape(4, 2)
    G = P @ P.T
    d = np.diag(G)
    D2 = d[:, None] + d[None, :] - 2 * G
    D2[np.diag_indices(4)] = 0.0
    return np.sum(np.sqrt(D2) * np.arange(16).reshape(4, 4))


def matern(x):
    P = x.reshape(4, 2)
    D2 = np.sum((P[:, None] - P[None]) ** 2, -1)
    np.fill_diagonal(D2, 0.0)
    r = np.sqrt(D2)
    K = (1 + np.sqrt(3) * r) * np.exp(-np.sqrt(3) * r)
    return np.sum(K @ np.ones(4))


def upper_loop(x):
    P = x.reshape(4, 2)
    D = np.zeros((4, 4))
    for i in range(4):
        for j in range(i + 1, 4):
            D[i, j] = np.sum((P[i] - P[j]) ** 2)
    D = D + D.T
    return np.sum(np.sqrt(D) ** 3)


def while_buffer(x):
    D = np.zeros(8)
    i = 0
    while i < 8:
        D[i] = x[i] ** 2 + 0.1
        i += 3
    return np.sum(np.sqrt(D) * np.arange(8))


def slice_const(x):
    y = x.copy()
    y[::2] = 0.0
    return np.sum(np.sqrt(np.cosh(y) - 1.0) * 2)


def fancy_const(x):
    y = x**2
    y[[0, 2, 5]] = 0.0
    return np.sum(np.log1p(np.sqrt(y)))


def mask_into_zeros(x):
    y = np.zeros(8)
    y[x > 0] = x[x > 0]
    return np.sum(np.log1p(np.sqrt(y)))


def scatter_into_zeros(x):
    y = np.zeros(5)
    np.add.at(y, [0, 1, 1, 3], x[:4] ** 2)
    return np.sum(y**0.5)


def where_reshaped(x):
    y = np.where(x > 0, x, 0.0)
    return np.sum(np.sqrt(y.reshape(2, 4).T) * np.arange(8).reshape(4, 2))


def clip_sorted(x):
    return np.sum(np.sqrt(np.sort(np.clip(x, 0.0, None))) * np.arange(8))


def putmask_zero(x):
    y = x.copy()
    np.putmask(y, y < 0, 0.0)
    return np.sum(np.sqrt(y))


def padded(x):
    return np.sum(np.sqrt(np.pad(x[1:3] ** 2 + 0.5, 1)))


def array_with_zero(x):
    return np.sum(np.sqrt(np.array([x[1] ** 2, 0.0, x[3] ** 2 + 1.0])))


def relu_sum_root(x):
    y = np.maximum(x - 2.0, 0.0)  # all negative: the sum is 0 near X
    return np.sqrt(np.sum(y)) + np.sum(np.sqrt(np.cumsum(np.maximum(x, 0.0))))


def float_mask_where(x):
    m = np.where(x > 0, 1.0, 0.0)
    return np.sum(np.sqrt(x * m))


def float_mask_scaled(x):
    m = (x > 0) * 1.0
    return np.sum((x * m) ** 1.5 + np.sqrt(m * x))


def heaviside_relu(x):
    return np.sum(np.sqrt(np.heaviside(x, 0.0) * x))


def list_buffer(x):
    vals = [0.0] * 9
    for i in range(8):
        vals[i] = x[i] ** 2
    return sum(math.sqrt(t) for t in vals)


def appended_to_a_constant(x):
    out = [0.0]
    for i in range(8):
        out.append(x[i] ** 2)
    return np.sum(np.sqrt(np.array(out)))


CASES = [
    list_buffer,
    appended_to_a_constant,
    float_mask_where,
    float_mask_scaled,
    heaviside_relu,
    where_reshaped,
    clip_sorted,
    putmask_zero,
    padded,
    array_with_zero,
    relu_sum_root,
    fill_diag,
    arange_diag,
    gram_diag,
    matern,
    upper_loop,
    while_buffer,
    slice_const,
    fancy_const,
    mask_into_zeros,
    scatter_into_zeros,
]


def _fd_grad(f, x, h=1e-6):
    e = np.eye(x.size)
    return np.array([(f(x + h * e[i]) - f(x - h * e[i])) / (2 * h) for i in range(x.size)])


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_forward_mode_through_a_partly_constant_buffer(f) -> None:
    x = X.copy()
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x)
        _, t = srcad.jvp(f, (x,), (V,))
        J = srcad.jacfwd(f)(x)
        H = srcad.hessian(f)(x)
        _, hv = srcad.hvp(f, (x,), (V,))
    np.testing.assert_allclose(g, _fd_grad(f, x), rtol=1e-6, atol=1e-8)
    assert np.isfinite(t) and np.all(np.isfinite(J)) and np.all(np.isfinite(hv))
    np.testing.assert_allclose(t, g @ V, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(J, g, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hv, H @ V, rtol=1e-9, atol=1e-11)
    Hfd = np.array([_fd_grad(lambda z, i=i: srcad.grad(f)(z)[i], x, 1e-5) for i in range(8)])
    np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-6)


def test_a_varied_write_keeps_its_tangent() -> None:
    """The mask is where the operand's tangent is zero when the code runs: a written value with
    a nonzero tangent passes (the diagonal written from x here, not a constant)."""

    def f(x):
        D2 = np.zeros((4, 4))
        D2[np.arange(4), np.arange(4)] = x[:4] ** 2
        return np.sum(np.sqrt(D2 + 1.0))

    x = X.copy()
    _, t = srcad.jvp(f, (x,), (V,))
    np.testing.assert_allclose(t, srcad.grad(f)(x) @ V, rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(x), _fd_grad(f, x), rtol=1e-6, atol=1e-9)
