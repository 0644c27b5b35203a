"""A factor's cotangent from the product (srcad/passes/factor_products.py) and arithmetic into a
dead buffer whose shape only the run time confirms (``out=_srcad.spare(t, other)``,
srcad/passes/inplace_ops.py): the GMM's reverse sweep keeps `z`, not ``X[:, None] - means``.

Each case pins the generated text (these fail before the change: ``bz * _t7``, ``z = _t7 * _t9``
with a new array) and checks the gradient against central differences and the JVP, with the
arguments unchanged, for sizes where the buffer is used and where it is not (a broadcast that
grows the result: `spare` returns None, a new array).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.rules.numpy_inplace import spare
from srcad.testing import check_grads

RNG = np.random.default_rng(45)


def gmm_nll(alphas, means, logsig, X):
    am = np.max(alphas)
    logw = alphas - am - np.log(np.sum(np.exp(alphas - am)))
    z = (X[:, None, :] - means[None, :, :]) * np.exp(-logsig)[None, :, :]
    logp = logw - 0.5 * np.sum(z**2, axis=2) - np.sum(logsig, axis=1)
    m = np.max(logp, axis=1, keepdims=True)
    return -np.sum(np.log(np.sum(np.exp(logp - m), axis=1)) + m[:, 0])


def scaled(a, u):
    z = (a * 2.0) * np.exp(u)  # the cotangent of `u`: unbroadcast(g * (2a), e) * e
    return np.sum(np.sin(z))


def _gmm_args(n: int, k_means: int, k_sig: int, d: int) -> tuple:
    return (
        RNG.standard_normal(max(k_means, k_sig)),
        RNG.standard_normal((k_means, d)),
        0.3 * RNG.standard_normal((k_sig, d)),
        RNG.standard_normal((n, d)),
    )


def _check(f, args: tuple, wrt: tuple) -> None:
    before = copy.deepcopy(args)
    check_grads(f, args, modes=("fwd", "rev"), wrt=wrt)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)


def test_gmm_keeps_z() -> None:
    args = _gmm_args(7, 3, 3, 2)
    src = srcad.source(gmm_nll, mode="grad", wrt=(0, 1, 2), args=args)
    assert "_srcad.unbroadcast(np.multiply(bz, z, out=z), " in src, src
    assert "out=_srcad.spare(_t7, " in src, src  # z written into X[:, None] - means
    assert src.count("_t7") == 3, src  # made, then read by z's product only


@pytest.mark.parametrize(
    "sizes",
    [(7, 3, 3, 2), (7, 1, 3, 2), (7, 3, 1, 2), (1, 3, 3, 2), (7, 3, 3, 1), (6, 1, 1, 3)],
    ids=["equal", "one_mean", "one_logsig", "one_row", "d1", "one_each"],
)
def test_gmm_gradient(sizes) -> None:
    """One mean and three scales: `z` is larger than ``X[:, None] - means``, so `spare` gives a
    new array; the other sizes write into it."""
    args = _gmm_args(*sizes)
    _check(gmm_nll, args, (0, 1, 2))
    g1 = srcad.grad(gmm_nll, (0, 1, 2))(*args)  # twice: no buffer is shared between calls
    g2 = srcad.grad(gmm_nll, (0, 1, 2))(*args)
    for a, b in zip(g1, g2):
        np.testing.assert_array_equal(a, b)


def test_product_of_a_factor() -> None:
    """A product's factor and its exponential (shapes.py already sums ``g * e`` first there:
    the `u` cotangent writes ``g * e * (2a)`` into ``2a``, a broadcast checked at run time)."""
    args = (RNG.standard_normal((4, 3)), RNG.standard_normal(3))
    src = srcad.source(scaled, mode="grad", wrt=(0, 1), args=args)
    assert "out=_srcad.spare(_t1, _t5)" in src, src
    _check(scaled, args, (0, 1))
    _check(scaled, (RNG.standard_normal(3), RNG.standard_normal((4, 3))), (0, 1))


def test_spare() -> None:
    t = np.zeros((2, 3))
    assert spare(t, np.ones(3)) is t
    assert spare(t, 2.0) is t
    assert spare(t, np.ones((2, 1))) is t
    assert spare(t, np.ones((4, 2, 3))) is None
    assert spare(t, np.ones((2, 4))) is None  # (NumPy's own error from the ufunc)
    assert spare(np.zeros((1, 3)), np.ones((2, 3))) is None


def test_plain_factor() -> None:
    """The cotangent of `u` alone: ``unbroadcast(g * (2a), e) * e`` without an index is
    ``unbroadcast(g * z, e)``; `z` written into ``2a`` when `e` does not broadcast it up."""
    args = (RNG.standard_normal((4, 3)), RNG.standard_normal(3))
    src = srcad.source(scaled, mode="grad", wrt=(1,), args=args)
    assert "bu = _srcad.unbroadcast(np.multiply(_t4, z, out=z), _t2)" in src, src
    assert "z = np.multiply(_t1, _t2, out=_srcad.spare(_t1, _t2))" in src, src
    _check(scaled, args, (1,))
    _check(scaled, (RNG.standard_normal(3), RNG.standard_normal((4, 3))), (1,))
    _check(scaled, (RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))), (1,))
