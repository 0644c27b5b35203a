"""passes/rowelems.py at any depth (session 49, hunt49b): ``A[i][j][k]`` of a 3-D float array
(and deeper) read and written as ``A[i, j, k]`` before a transform. Session 48 rewrote only 2-D
arrays, and Polybench's heat-3d as C writes it (``B[i][j][k] = ...``) took a gradient 12 times
as long as with ``B[i, j, k]`` (8x8x8: 497 ms -> 53 ms). Values must not change: each function
is checked against central differences, forward and reverse; views kept by name, rows written
whole and indexes out of bounds behave as Python's.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad


def _fd(f, args, k, h=1e-6):
    x = np.asarray(args[k], float)
    g = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        out = []
        for s in (h, -h):
            a = list(copy.deepcopy(args))
            xs = x.copy()
            xs[idx] += s
            a[k] = xs
            out.append(f(*a))
        g[idx] = (out[0] - out[1]) / (2 * h)
    return g


def heat3d_c(A):
    n = A.shape[0]
    B = A.copy()
    for i in range(1, n - 1):
        for j in range(1, n - 1):
            for k in range(1, n - 1):
                B[i][j][k] = (
                    0.125 * (A[i + 1][j][k] - 2.0 * A[i][j][k] + A[i - 1][j][k])
                    + 0.125 * (A[i][j + 1][k] - 2.0 * A[i][j][k] + A[i][j - 1][k])
                    + 0.125 * (A[i][j][k + 1] - 2.0 * A[i][j][k] + A[i][j][k - 1])
                    + A[i][j][k]
                )
    for i in range(1, n - 1):
        for j in range(1, n - 1):
            for k in range(1, n - 1):
                A[i][j][k] += 0.5 * B[i][j][k] * B[i][j][k - 1]
    return np.sum(A**3)


def stencil3_c(A):
    n = A.shape[0]
    B = np.zeros(A.shape)
    for i in range(1, n - 1):
        for j in range(1, n - 1):
            for k in range(1, n - 1):
                B[i][j][k] = A[i + 1][j][k] - 2.0 * A[i][j][k] + A[i - 1][j][k] * A[i][j][k + 1]
    return np.sum(B**2)


def accumulate3(T, W):
    out = np.zeros(T.shape)
    for i in range(T.shape[0]):
        for j in range(T.shape[1]):
            for k in range(T.shape[2]):
                out[i][j][k] *= 0.5
                out[i][j][k] += T[i][j][k] * W[j][k] + T[i][j][-1 - k]
    return np.sum(np.sin(out))


def four_d(X):
    Y = X.copy()
    for i in range(2):
        for j in range(2):
            Y[i][j][1][0] = Y[i][j][0][1] * X[j][i][1][1]
    return np.sum(Y * Y)


def mixed_depth(T):
    C = T.copy()
    for i in range(C.shape[0]):
        C[i][1] = C[i][0] * 2.0  # a row of a 3-D array, written whole
        C[i][0][1] = C[i][1][0] ** 2
    return np.sum(C**2)


def view_kept(T):
    C = T.copy()
    out = 0.0
    for i in range(C.shape[0]):
        plane = C[i]
        C[i][1][0] = plane[0][1] * 3.0  # `plane` sees the write
        out += np.sum(plane * plane) + C[i][1][0]
    return out


def plane_read_whole(T):
    C = np.zeros(T.shape)
    for i in range(T.shape[0]):
        for j in range(T.shape[1]):
            C[i][j][0] = T[i][j][1] * np.sum(T[i][j])  # the whole row read as well
        C[i][0][0] += np.sum(C[i])
    return np.sum(C * C)


def negative_indexes(T):
    C = T.copy()
    C[-1][-2][-1] = C[0][-1][0] * C[-1][0][1]
    C[0][0][0] += C[-1][-2][-1]
    return np.sum(np.sin(C))


R = np.random.default_rng(49)
CASES = [
    (heat3d_c, (R.standard_normal((4, 4, 4)),)),
    (stencil3_c, (R.standard_normal((4, 4, 4)),)),
    (accumulate3, (R.standard_normal((2, 3, 3)), R.standard_normal((3, 3)))),
    (four_d, (R.standard_normal((2, 2, 2, 2)),)),
    (mixed_depth, (R.standard_normal((3, 2, 2)),)),
    (view_kept, (R.standard_normal((2, 2, 2)),)),
    (plane_read_whole, (R.standard_normal((2, 3, 2)),)),
    (negative_indexes, (R.standard_normal((2, 3, 2)),)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_values_fwd_rev(f, args) -> None:
    wrt = tuple(range(len(args)))
    expected = f(*copy.deepcopy(args))
    assert srcad.primal(f)(*copy.deepcopy(args)) == pytest.approx(expected, rel=1e-12)
    grads = srcad.grad(f, wrt)(*copy.deepcopy(args))
    rng = np.random.default_rng(0)
    tangents, dot = [], 0.0
    for k, g in zip(wrt, grads):
        np.testing.assert_allclose(np.asarray(g, float), _fd(f, args, k), rtol=1e-6, atol=1e-6)
        t = rng.standard_normal(np.shape(args[k]))
        dot += float(np.sum(np.asarray(g, float) * t))
        tangents.append(t)
    _, jv = srcad.jvp(f, copy.deepcopy(args), tangents)
    assert jv == pytest.approx(dot, rel=1e-9, abs=1e-12)


def test_hessian_of_3d_c_form() -> None:
    A = R.standard_normal((3, 3, 3))
    v = R.standard_normal(A.shape)
    _, hv = srcad.hvp(heat3d_c, (A.copy(),), (v,))
    g = srcad.grad(heat3d_c)
    fd = (g(A + 1e-5 * v) - g(A - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f", [stencil3_c, four_d], ids=lambda f: f.__name__)
def test_3d_c_form_writes_in_place(f) -> None:
    """The gradient writes ``B[i, j, k]`` into `B`: no copy of a plane, a row or the array per
    element written, no plane-sized cotangent per element read."""
    args = next(a for g, a in CASES if g is f)
    src = srcad.source(f, "grad", args=copy.deepcopy(args))
    assert "layout_copy" not in src
    assert "getitem_vjp" not in src


def test_out_of_bounds_still_raises() -> None:
    def oob(A):
        C = A.copy()
        n = C.shape[1]
        C[0][n][0] = 1.0
        return np.sum(C)

    with pytest.raises(IndexError):
        srcad.grad(oob)(np.ones((2, 2, 2)))
