"""perf50l: `passes/shapes_matmul._given` took ``np.sin``/``np.cos`` as finite for every operand
but nan, and their operands' sums and products as given (an overflow taken as harmless under a
bounded function); but ``np.sin(inf)`` is nan. ``A = np.sin(X * X)`` with a row of `X` at 1e200
holds nan in that row; ``(A @ W)[0]`` never reads it, and the plain ``A.T @ g`` the rewrite wrote
for W's cotangent gave nan where the derivative is ``A[0]`` (the helper drops those ``0 * nan``
terms). Checked against the closed form."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def sin_rows(X, W):
    A = np.sin(X * X)
    return np.sum((A @ W)[0])


def cos_rows(X, W):
    A = np.cos(X * X + X)
    return np.sum((A @ W)[0])


@pytest.mark.parametrize(("f", "g"), [(sin_rows, lambda X: np.sin(X * X)),
                                      (cos_rows, lambda X: np.cos(X * X + X))])  # fmt: skip
def test_unread_overflow_row(f, g):
    X = np.array([[0.3, 0.4], [1e200, 0.5]])
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    with np.errstate(all="ignore"):
        _, bW = srcad.grad(f, wrt=(0, 1))(X, W)
        A = g(X)
    want = np.repeat(A[0][:, None], 2, axis=1)  # d/dW[k, j] of sum_j (A @ W)[0, j] = A[0, k]
    np.testing.assert_allclose(bW, want, rtol=1e-12)
