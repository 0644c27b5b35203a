"""What the wild43 fuzz grammar (tests/fuzz/gen_wild_43*.py) found, each checked against central
differences in both modes and at second order:

a. a product whose *other* operand holds a nan in a row/column no read reaches
   (``(A @ np.sqrt(B))[:, 0]`` differentiated in `A`): `matmul_vjp` drops that ``0 * nan``
   (rules/unread.py), but passes/shapes_matmul.py replaced the helper by the plain ``g @ b.T``
   when the shapes were known, so the gradient of `A` was nan. The summing forms are now written
   only for a parameter or constant operand.
b. ``np.outer(a, b)`` read in part: its cotangents were ``g @ b`` and ``a @ g`` (nan from an
   unread entry of the other operand), and no mask went back through it (nan for the unread
   entry of ``np.sqrt(a)``); now matmul_vjp's cotangents and a gather mask (``"outer"``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

A = np.array([[1.0, 2.0], [3.0, 4.0]])
B = np.array([[1.0, -1.0], [2.0, -3.0]])  # (column 1: sqrt is nan there, never read)
V = np.array([0.7, -0.4])


def matmul_other(A, B):
    return np.sum((A @ np.sqrt(B))[:, 0] ** 2)


def matmul_other_t(A, B):
    return np.sum((np.sqrt(B.T) @ A.T)[0] * 1.5)


def vecmat_other(v, B):
    return (v @ np.sqrt(B))[0] ** 2


def matvec_other(A, B):
    return (np.sqrt(B.T) @ A[0])[0] ** 2


def outer_other(a, b):
    return np.sum(np.outer(np.log1p(a - 2.0), b)[[1]] ** 2)


def outer_masked(a, b):
    return np.sum(np.sin(np.outer(np.sqrt(a), b)[0]))


def outer_cols(a, b):
    return np.sum(np.outer(b, np.sqrt(a))[:, 0] ** 2)


def einsum_outer(a, b):
    return np.sum(np.einsum("i,j->ij", np.sqrt(a), b)[0] * b)


CASES = [
    (matmul_other, (A, B)),
    (matmul_other_t, (A, B)),
    (vecmat_other, (V, B)),
    (matvec_other, (A, B)),
    (outer_other, (np.array([0.5, 3.5]), V)),
    (outer_masked, (np.array([1.5, -0.5]), V)),
    (outer_cols, (np.array([1.5, -0.5]), V)),
    (einsum_outer, (np.array([1.5, -0.5]), V)),
]


def _fd(f, args, dirs, h=1e-6):
    plus = f(*(a + h * d for a, d in zip(args, dirs)))
    minus = f(*(a - h * d for a, d in zip(args, dirs)))
    return (plus - minus) / (2 * h)


@pytest.mark.parametrize("f,args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_nan_in_an_unread_part_of_the_other_operand(f, args):
    rng = np.random.default_rng(0)
    dirs = [rng.standard_normal(np.shape(a)) for a in args]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = _fd(f, args, dirs)
        assert np.isfinite(f(*args))
        g = srcad.grad(f, wrt=(0, 1))(*args)
        _, t = srcad.jvp(f, args, tuple(dirs))
        _, hv = srcad.hvp(f, args, tuple(dirs), wrt=(0, 1))
        gp = srcad.grad(f, wrt=(0, 1))(*(a + 1e-6 * d for a, d in zip(args, dirs)))
        gm = srcad.grad(f, wrt=(0, 1))(*(a - 1e-6 * d for a, d in zip(args, dirs)))
    assert all(np.all(np.isfinite(x)) for x in g), g
    got = sum(float(np.sum(x * d)) for x, d in zip(g, dirs))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(t, want, rtol=1e-6, atol=1e-8)
    for h, p, m in zip(hv, gp, gm):
        assert np.all(np.isfinite(h))
        np.testing.assert_allclose(h, (p - m) / 2e-6, rtol=1e-4, atol=1e-6)
