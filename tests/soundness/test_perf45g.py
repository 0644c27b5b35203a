"""Where writing into a dead buffer would change a value someone still reads, after a factor's
cotangent is taken from the product (srcad/passes/factor_products.py) and a buffer's shape is
confirmed at run time (``_srcad.spare``): arguments and their views, an operand read again, the
product returned, a view of the buffer as the other operand. Each: the gradient (or pullback)
against central differences and the JVP, the arguments and outputs unchanged.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

RNG = np.random.default_rng(4545)
X = RNG.standard_normal((5, 2))
M = RNG.standard_normal((3, 2))
S = 0.3 * RNG.standard_normal((3, 2))


def view_of_argument(X, s):
    z = X[:, None, :] * np.exp(-s)[None, :, :]  # `a` is a view of the caller's X
    return np.sum(np.sin(z))


def argument_itself(a, s):
    z = a * np.exp(-s)[None, :, :]  # `a` is the caller's array
    return np.sum(z**2)


def read_again(X, m, s):
    a = X[:, None, :] - m[None, :, :]
    z = a * np.exp(-s)[None, :, :]
    return np.sum(z**2) + np.sum(np.cos(a))  # `a` read after `z`


def reversed_view(x):
    t = np.exp(x)
    s = np.sum(t)
    r = t * t[::-1]  # the other operand is a view of `t`
    return np.sum(np.sin(r)) + s


def grown(m, s):
    a = np.exp(m)[None, :, :] - 1.0  # (1, 1, d) when m has one row
    z = a * np.exp(-s)[None, :, :]  # (1, K, d): larger than `a`
    return np.sum(z**2)


CASES = [
    (view_of_argument, (X, S), (0, 1)),
    (argument_itself, (RNG.standard_normal((4, 3, 2)), S), (0, 1)),
    (read_again, (X, M, S), (0, 1, 2)),
    (reversed_view, (RNG.standard_normal(4),), (0,)),
    (grown, (RNG.standard_normal((1, 2)), S), (0, 1)),
]


@pytest.mark.parametrize(("f", "args", "wrt"), CASES, ids=[c[0].__name__ for c in CASES])
def test_buffers_nobody_reads(f, args, wrt) -> None:
    before = copy.deepcopy(args)
    check_grads(f, args, modes=("fwd", "rev"), wrt=wrt)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)
    g1 = srcad.grad(f, wrt)(*args)
    g2 = srcad.grad(f, wrt)(*args)
    for a, b in zip(g1, g2):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)


def returns_z(X, m, s):
    z = (X[:, None, :] - m[None, :, :]) * np.exp(-s)[None, :, :]
    return np.sum(z**2), z


def test_product_returned() -> None:
    """`z` is an output: the reverse sweep's ``bz * z`` must not be written into it."""
    out, pull = srcad.vjp(returns_z, X, M, S)
    want = (X[:, None, :] - M[None, :, :]) * np.exp(-S)[None, :, :]
    np.testing.assert_array_equal(out[1], want)
    pull((1.0, np.zeros_like(want)))
    np.testing.assert_array_equal(out[1], want)
    gm = pull((1.0, np.zeros_like(want)))[1]
    fd = np.zeros_like(M)
    for i in np.ndindex(M.shape):
        e = np.zeros_like(M)
        e[i] = 1e-6
        fd[i] = (returns_z(X, M + e, S)[0] - returns_z(X, M - e, S)[0]) / 2e-6
    np.testing.assert_allclose(gm, fd, rtol=1e-6, atol=1e-6)


def gmm_part(m, s):
    z = (X[:, None, :] - m[None, :, :]) * np.exp(-s)[None, :, :]
    return np.sum(np.log(np.sum(np.exp(-0.5 * np.sum(z**2, axis=2)), axis=1)))


def test_hessian_of_the_rewritten_chain() -> None:
    """Forward over reverse differentiates the gradient before any buffer is chosen: the
    Hessian in `s` against central differences of the gradient."""
    H = srcad.hessian(gmm_part, wrt=1)(M, S)
    g = srcad.grad(gmm_part, wrt=1)
    fd = np.zeros(S.shape + S.shape)
    for i in np.ndindex(S.shape):
        e = np.zeros_like(S)
        e[i] = 1e-5
        fd[(...,) + i] = (g(M, S + e) - g(M, S - e)) / 2e-5
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-6)
