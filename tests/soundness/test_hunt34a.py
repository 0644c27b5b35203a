"""Soundness hunt 34a: wrong derivatives found by porting users' ML and statistics programs.

- WRONG derivative (nan): ``scipy.special.logsumexp`` and ``np.logaddexp.reduce`` over terms
  that are all -inf (the unreachable states of a CTC or HMM forward recursion in log space,
  started with ``np.full(S, -np.inf)``): the weights ``exp(a - lse)`` were ``exp(-inf - -inf)``,
  nan, and the nan reached every derivative through ``0 * nan``. A -inf term now weighs 0.
- Spurious refusal: a network whose ``__init__`` fills a dict field under constant keys,
  ``self.params = {}`` then ``self.params["W1"] = W1`` ("Deep Learning from Scratch"'s
  TwoLayerNet), was refused ("the object is a run-time value here"): only list appends were
  folded into the field's value. lower/initappends.py now folds these stores into ``self.params =
  {"W1": W1, ...}`` (not when a stored value reads the dict being made).
- WRONG derivative (nan, reverse mode): the entropy of a softmax over masked logits,
  ``lg = np.where(M, z, -np.inf); p = softmax(lg); lp = log_softmax(lg)`` then
  ``np.sum(np.where(M, p * lp, 0.0))`` (or ``np.nansum(p * lp)``): the sequence analysis did not
  know that scipy.special functions return NumPy values, so ``p * lp`` might have repeated a
  list, was not elementwise for ad/masks.py, and its cotangent 0 times ``lp = -inf`` was nan.
  scipy.special's elementwise functions, softmax, log_softmax and logsumexp are now numeric.
- WRONG derivative (nan, reverse mode): ``-np.sum(xlogy(p, p))`` of ``p = softmax(np.where(M,
  z, -np.inf))``: xlogy's cotangent of p is log(p) = -inf where p = 0, and softmax's VJP summed
  ``g * p`` = inf * 0 into every entry. An entry whose logit is -inf has a constant p = 0 (and
  log_softmax -inf): softmax's and log_softmax's VJPs now give its cotangent no weight.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.special import log_softmax, logsumexp, softmax, xlogy

import srcad
from srcad.testing import check_grads

NI = -np.inf


def _lse_all_neginf(x):
    a = logsumexp(np.array([NI, NI]) + x[0])
    return np.logaddexp(a, x[1])


def _lse_rows(x):
    a = logsumexp(np.array([[NI, NI], [x[0], x[1]]]), axis=1)
    return np.logaddexp(a[0], a[1])


def _lse_b(x):
    a = logsumexp(np.array([NI, NI]) + x[0], b=np.array([1.0, 2.0]))
    return np.logaddexp(a, x[1]) * x[0]


def _lae_reduce(x):
    a = np.logaddexp.reduce(np.array([NI, NI]) + x[0])
    return np.logaddexp(a, x[1]) ** 2


def _ctc(z):
    # a CTC-style forward recursion: blanks between the labels, -inf for unreached states
    lp = z - logsumexp(z, axis=1, keepdims=True)
    ext = [0, 1, 0, 2, 0]
    alpha = np.full(len(ext), NI)
    alpha[0], alpha[1] = lp[0, 0], lp[0, 1]
    for t in range(1, lp.shape[0]):
        new = np.full(len(ext), NI)
        for s in range(len(ext)):
            terms = [alpha[s]]
            if s > 0:
                terms.append(alpha[s - 1])
            if s > 1 and ext[s] != 0 and ext[s] != ext[s - 2]:
                terms.append(alpha[s - 2])
            new[s] = logsumexp(np.array(terms)) + lp[t, ext[s]]
        alpha = new
    return -np.logaddexp(alpha[-1], alpha[-2])


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


@pytest.mark.parametrize("fn", [_lse_all_neginf, _lse_rows, _lse_b, _lae_reduce, _ctc])
def test_logsumexp_of_neginf_terms(fn):
    x = np.array([0.3, 0.5]) if fn is not _ctc else np.linspace(-1.0, 1.0, 12).reshape(4, 3)
    v = np.random.default_rng(0).standard_normal(x.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = _fd(fn, x, v)
        g = srcad.grad(fn)(x)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(np.sum(g * v), want, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(srcad.jvp(fn, (x,), (v,))[1], want, rtol=1e-6, atol=1e-9)
        hv = srcad.hvp(fn, (x,), (v,))[1]
        np.testing.assert_allclose(
            hv,
            (srcad.grad(fn)(x + 1e-5 * v) - srcad.grad(fn)(x - 1e-5 * v)) / 2e-5,
            rtol=1e-4,
            atol=1e-6,
        )


# -- a dict field filled in __init__ -----------------------------------------------------------
_X = np.linspace(-1.0, 1.0, 12).reshape(4, 3)


class _Net:
    def __init__(self, W1, b1, W2):
        self.scale = 0.5
        self.params = {}
        self.params["W1"] = W1
        self.params["b1"] = b1 * self.scale
        self.params["W2"] = W2
        self.params["b1"] = b1  # a repeated key: its first place, its last value

    def predict(self, x):
        h = np.tanh(x @ self.params["W1"] + self.params["b1"])
        return h @ self.params["W2"]


def _net_loss(p):
    net = _Net(p[:6].reshape(3, 2), p[6:8], p[8:10])
    keys = list(net.params)
    assert keys == ["W1", "b1", "W2"], keys
    reg = sum(np.sum(v**2) for v in net.params.values())
    return np.sum(net.predict(_X) ** 2) + 0.1 * reg


class _ReadsItself:
    def __init__(self, a):
        self.d = {}
        self.d["x"] = a
        self.d["y"] = self.d["x"] * 2.0  # reads the dict being made: not folded


def _reads_itself(p):
    return _ReadsItself(p[0]).d["y"] * p[1]


def test_init_filling_a_dict_field():
    p = np.linspace(-0.8, 0.9, 10)
    val, g = srcad.value_and_grad(_net_loss)(p.copy())
    assert val == _net_loss(p.copy())
    check_grads(_net_loss, (p,), modes=("fwd", "rev"), order=2)


def test_init_dict_store_reading_the_dict_is_not_folded():
    p = np.array([0.3, 0.7])
    try:
        g = srcad.grad(_reads_itself)(p)
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, [1.4, 0.6])


# -- masked softmax entropies --------------------------------------------------------------------
_M = np.array([[1, 1, 0, 1], [1, 0, 1, 1], [0, 1, 1, 1]], dtype=bool)


def _masked_entropy(z):
    lg = np.where(_M, z, -np.inf)
    p = softmax(lg, axis=1)
    lp = log_softmax(lg, axis=1)
    return -np.sum(np.where(_M, p * lp, 0.0))


def _masked_entropy_exp(z):
    lp = log_softmax(np.where(_M, z, -np.inf), axis=1)
    return -np.sum(np.where(_M, np.exp(lp) * lp, 0.0))


def _masked_entropy_nansum(z):
    lg = np.where(_M, z, -np.inf)
    return -np.nansum(softmax(lg, axis=1) * log_softmax(lg, axis=1))


@pytest.mark.parametrize("fn", [_masked_entropy, _masked_entropy_exp, _masked_entropy_nansum])
def test_masked_softmax_entropy(fn):
    z = np.linspace(-1.0, 1.2, 12).reshape(3, 4)
    v = np.random.default_rng(1).standard_normal(z.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = _fd(fn, z, v)
        g = srcad.grad(fn)(z)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(np.sum(g * v), want, rtol=1e-6, atol=1e-9)
        check_grads(fn, (z,), modes=("fwd", "rev"), order=2)


def _masked_xlogy_entropy(z):
    p = softmax(np.where(_M, z, -np.inf), axis=1)
    return -np.sum(xlogy(p, p)) + np.sum(xlogy(p, p) ** 2)


def _masked_log_softmax_inf_cotangent(z):
    lp = log_softmax(np.where(_M, z, -np.inf), axis=1)
    return np.sum(xlogy(np.exp(lp), np.exp(lp)))


@pytest.mark.parametrize("fn", [_masked_xlogy_entropy, _masked_log_softmax_inf_cotangent])
def test_masked_softmax_infinite_cotangent(fn):
    z = np.linspace(-1.0, 1.2, 12).reshape(3, 4)
    v = np.random.default_rng(1).standard_normal(z.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = _fd(fn, z, v)
        g = srcad.grad(fn)(z)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(np.sum(g * v), want, rtol=1e-6, atol=1e-9)
        hv = srcad.hvp(fn, (z,), (v,))[1]
        hfd = (srcad.grad(fn)(z + 1e-5 * v) - srcad.grad(fn)(z - 1e-5 * v)) / 2e-5
        np.testing.assert_allclose(hv, hfd, rtol=1e-4, atol=1e-6)
