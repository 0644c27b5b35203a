"""`passes/shapes_matmul.py`: each case of its table (ranks of ``a @ b``, which operand), and the
global 2-D matrix of the default `Spec()`, numerically: the gradient against central differences
(grad's generated function is the one the rewrite runs on), and ``matmul_vjp(`` gone from its text
(the plain product stays, checked at run time: ``matmul_vjp_checked``)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

A2 = np.array([[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]])


def prod_sq(a, b):
    return np.sum(np.sin(a @ b) ** 2)


def glob_sq(w):
    return np.sum(np.tanh(A2 @ w) ** 2)


def glob_right(v):
    return np.sum(np.cos(v @ A2.T) * 1.5)


def _fd(f, args, k, h=1e-6):
    out = np.zeros_like(args[k])
    for i in np.ndindex(out.shape):
        up, dn = [a.copy() for a in args], [a.copy() for a in args]
        up[k][i] += h
        dn[k][i] -= h
        out[i] = (f(*up) - f(*dn)) / (2 * h)
    return out


_rng = np.random.default_rng(7)
CASES = [  # (shape of a, shape of b)
    ((2, 3), (3, 4)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((3,), (3,)),
    ((2, 2, 3), (3, 4)),  # (3-D: the helper stays, the numbers are checked all the same)
    ((2, 2, 3), (2, 3, 4)),
]


@pytest.mark.parametrize("sa,sb", CASES, ids=str)
def test_ranks_table(sa, sb) -> None:
    args = (_rng.standard_normal(sa), _rng.standard_normal(sb))
    got = srcad.grad(prod_sq, wrt=(0, 1))(*args)
    for k in (0, 1):
        np.testing.assert_allclose(got[k], _fd(prod_sq, args, k), rtol=1e-6, atol=1e-8)
    src = srcad.source(srcad.grad(prod_sq, wrt=(0, 1)), args=args)
    # (1-D by 1-D: the product may be a NumPy scalar, whose cotangent's shape is not known)
    assert ("matmul_vjp(" in src) == (len(sa) == len(sb) == 1 or 3 in (len(sa), len(sb))), src


@pytest.mark.parametrize("shape", [(3,), (3, 2), (4, 3, 2)], ids=str)
@pytest.mark.parametrize("known", [True, False])
def test_global_matrix(shape, known) -> None:
    """``A2 @ w`` of a global 2-D `A2`: ``A2.T @ g`` for `w` of any rank, known (the call's
    Spec) or not (`srcad.source` without arguments)."""
    w = _rng.standard_normal(shape)
    np.testing.assert_allclose(srcad.grad(glob_sq)(w), _fd(glob_sq, (w,), 0), rtol=1e-6, atol=1e-8)
    src = srcad.source(glob_sq, args=(w,) if known else None)
    assert "A2.T @ " in src and "matmul_vjp(" not in src, src


@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 2, 3)], ids=str)
def test_global_matrix_on_the_right(shape) -> None:
    v = _rng.standard_normal(shape)
    got = srcad.grad(glob_right)(v)
    np.testing.assert_allclose(got, _fd(glob_right, (v,), 0), rtol=1e-6, atol=1e-8)
    assert "matmul_vjp(" not in srcad.source(glob_right, args=(v,))
