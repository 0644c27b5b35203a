"""Soundness hunt 17: wrong first derivatives found by probes written like users' code.

- WRONG derivative (nan): a sigmoid written out other than as ``1 / (1 + np.exp(-u))`` where its
  exponential overflows (a saturated or steep sigmoid): ``1 / (1 + np.exp(-k * (x - t)))``,
  ``1 / (1 + np.exp(-(x - t) / T))``, SiLU ``x / (1 + np.exp(-x))``, ``2 / (1 + np.exp(-x)) - 1``,
  ``1 / (1 + np.exp(x))``, ``np.reciprocal(1 + np.exp(-x))``, ``(1 + np.exp(-x)) ** -1``: the
  chain rule through the intermediates gives ``n * (e dv) / d**2 = inf / inf = nan``, in both
  modes, where the derivative is 0. The exact form ``1 / (1 + np.exp(-u))`` was right in reverse
  mode only (a peephole of the reverse sweep); forward mode (jvp, jacfwd) gave nan for it too.
  Both sweeps now read the derivative from ``q = 1 / (1 + exp(v))``: ``e / d**2 = q (1 - q)``
  (ad/sigmoid.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

XS = np.array([-1000.0, -50.0, 0.3, 50.0, 800.0, -0.7])  # exp(-x) overflows at -1000
XN = np.array([-1.0, -0.5, 0.3, 1.5, 0.8, -0.7])
N2 = np.arange(1.0, 13.0).reshape(2, 6)


def _classic(x):
    return np.sum(1 / (1 + np.exp(-x)) * np.arange(6.0))


def _steep(x):
    return np.sum(1.0 / (1.0 + np.exp(-2.0 * (x - 0.1))))


def _temperature(x):
    return np.sum(1 / (1 + np.exp(-(x - 0.1) / 0.5)))


def _silu(x):
    return np.sum(x / (1 + np.exp(-x)))


def _tanh_like(x):
    return np.sum(2 / (1 + np.exp(-x)) - 1)


def _flipped(x):
    return np.sum(1 / (np.exp(x) + 1))


def _reciprocal(x):
    return np.sum(np.reciprocal(1.0 + np.exp(-(x - 0.2))) + (np.exp(x * 2) + 1) ** -1)


def _broadcast_numerator(x):
    return np.sum(N2 / (1.0 + np.exp(-x / 0.01)))


def _broadcast_exponent(x):
    return np.sum(x[0] / (1.0 + np.exp(-x[:, None] * np.array([1.0, 2.0]))))


def _scalars_in_a_loop(x):
    s = 0.0
    for v in x:
        s = s + 2.0 / (1.0 + np.exp(-3.0 * v))
    return s


def _exponent_read_again(x):
    v = -(x - 0.1) * 5
    return np.sum(1 / (1 + np.exp(v)) + v * 1e-3)


def _layers(x):
    h = x * 1.0
    for _ in range(3):
        h = h / (1 + np.exp(-h * 2.0)) + 0.1
    return np.sum(h)


CASES = [
    _classic,
    _steep,
    _temperature,
    _silu,
    _tanh_like,
    _flipped,
    _reciprocal,
    _broadcast_numerator,
    _broadcast_exponent,
    _scalars_in_a_loop,
    _exponent_read_again,
    _layers,
]


def _fd(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


@pytest.mark.parametrize("x", [XS, XN], ids=["saturated", "moderate"])
@pytest.mark.parametrize("f", CASES)
def test_sigmoid_chains_first_order(f, x) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ref = _fd(f, x)
        g = srcad.grad(f)(x)
        _, dout = srcad.jvp(f, (x,), (XN,))
        _, pull = srcad.vjp(f, x)
        jf = srcad.jacfwd(f)(x)
    np.testing.assert_allclose(g, ref, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(pull(1.0)[0], ref, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(jf, ref, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(dout, ref @ XN, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("f", [_steep, _silu, _broadcast_exponent, _layers])
def test_sigmoid_chains_second_order(f) -> None:
    H = srcad.hessian(f)(XN)
    g = srcad.grad(f)
    Hfd = np.array([(g(XN + 1e-5 * e) - g(XN - 1e-5 * e)) / 2e-5 for e in np.eye(6)])
    np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-6)
    _, hv = srcad.hvp(f, (XN,), (XN,))
    np.testing.assert_allclose(hv, H @ XN, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("f", [_classic, _steep, _silu, _tanh_like])
def test_sigmoid_chains_hessian_where_saturated(f) -> None:
    # the gradient's own division by 1 + exp(v) is a chain too (reverse then forward)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        H = srcad.hessian(f)(XS)
        g = srcad.grad(f)
        Hfd = np.array([(g(XS + 1e-5 * e) - g(XS - 1e-5 * e)) / 2e-5 for e in np.eye(6)])
    np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-6)
