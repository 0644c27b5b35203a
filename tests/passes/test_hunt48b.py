"""passes/rowelems.py: ``A[i][j]`` of a 2-D float array read and written as ``A[i, j]`` before a
transform (session 48, hunt48b). The C form copied the row and the whole array for every
element written (a gradient 55x slower than with ``A[i, j]`` on a 6x6 loop); values must not
change: each function is checked against central differences, forward and reverse, and the
rewrite must leave alone what it cannot prove (3-D arrays, lists of lists, a row kept by name).
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
            a[k] = xs.tolist() if isinstance(args[k], list) else xs
            out.append(f(*a))
        g[idx] = (out[0] - out[1]) / (2 * h)
    return g


def gemm_c(C, A, B):
    n, m = C.shape
    for i in range(n):
        for j in range(m):
            C[i][j] *= 1.2
        for k in range(A.shape[1]):
            for j in range(m):
                C[i][j] += 1.5 * A[i][k] * B[k][j]
    return np.sum(C * C)


def transpose_rw(A):
    C = np.zeros(A.shape)
    n = A.shape[0]
    for i in range(n):
        for j in range(n):
            C[i][j] = A[j][i] * 2.0 + C[j][i]
    return np.sum(C**2)


def negative_index(A):
    C = A.copy()
    C[-1][-2] = C[0][-1] * C[-1][0]
    C[0][0] += C[-1][-2]
    return np.sum(np.sin(C))


def argmax_row(A):
    C = A.copy()
    i = np.argmax(np.sum(A, axis=1))
    C[i][0] = C[i][1] ** 2
    return np.sum(C * A)


def cube_rows(T):
    C = T.copy()
    for i in range(C.shape[0]):
        C[i][1] = C[i][0] * 2.0  # a row of a 3-D array: left alone
    return np.sum(C**2)


def list_rows(L):
    n = len(L)
    M = [list(r) for r in L]
    for i in range(n):
        M[i][i] = M[i][i] ** 2 + M[i][n - 1 - i]
    return sum(v * v for r in M for v in r)


def row_read_twice(A):
    C = np.zeros(A.shape)
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            C[i][j] = A[i][j] * A[i][0]
        C[i][0] += np.sum(A[i])  # the whole row as well
    return np.sum(C * C)


def row_then_elements(A):
    C = A.copy()
    out = 0.0
    for i in range(C.shape[0]):
        C[i][1] = C[i][0] * 3.0
        out += np.sum(C[i] * C[i])  # the written row read back whole
    return out


R = np.random.default_rng(48)
CASES = [
    (gemm_c, (R.standard_normal((3, 4)), R.standard_normal((3, 2)), R.standard_normal((2, 4)))),
    (transpose_rw, (R.standard_normal((4, 4)),)),
    (negative_index, (R.standard_normal((3, 4)),)),
    (argmax_row, (R.standard_normal((4, 3)),)),
    (cube_rows, (R.standard_normal((2, 3, 2)),)),
    (list_rows, (R.standard_normal((3, 3)).tolist(),)),
    (row_read_twice, (R.standard_normal((3, 4)),)),
    (row_then_elements, (R.standard_normal((3, 4)),)),
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
        tangents.append(t.tolist() if isinstance(args[k], list) else t)
    _, jv = srcad.jvp(f, copy.deepcopy(args), tangents)
    assert jv == pytest.approx(dot, rel=1e-9, abs=1e-12)


def test_hessian_of_c_form() -> None:
    A = R.standard_normal((3, 3))
    H = srcad.hessian(transpose_rw)(A.copy())
    v = R.standard_normal(A.shape)
    _, hv = srcad.hvp(transpose_rw, (A.copy(),), (v,))
    np.testing.assert_allclose(np.tensordot(H, v, axes=2), hv, rtol=1e-9, atol=1e-12)


def test_c_form_writes_in_place() -> None:
    """The gradient's forward sweep writes ``C[i, j]`` into `C`: no copy of the row or array."""
    args = CASES[0][1]
    src = srcad.source(gemm_c, "grad", wrt=(0, 1, 2), args=copy.deepcopy(args))
    assert "layout_copy" not in src
    assert "getitem_vjp" not in src


def test_out_of_bounds_still_raises() -> None:
    def oob(A):
        C = A.copy()
        n = C.shape[0]
        C[n][0] = 1.0
        return np.sum(C)

    with pytest.raises(IndexError):
        srcad.grad(oob)(np.ones((2, 2)))
