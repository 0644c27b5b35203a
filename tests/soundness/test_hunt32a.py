"""Soundness fixes of session 32's hunt32a: ML code as people write it in NumPy (unrolled inner
training loops over parameter dicts, attention, losses, convnets).
Input: small functions; output: assertions against Python and central differences
(tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

R = np.random.default_rng(32)
XS, YS = R.standard_normal((6, 3)), R.standard_normal(6)
XQ, YQ = R.standard_normal((4, 3)), R.standard_normal(4)
TH = R.standard_normal(20) * 0.5


# -- `g = grads(params)` then `for k in g: g[k] = ...`: iterating a dict a call returned ----------
# the loop's keys were taken for the dict's values, so rebinding `g[k]` made the next key "stale"
# and gradient clipping over a dict of gradients was refused (a spurious refusal)


def _grads(p, x, y):
    h = np.tanh(x @ p["W1"] + p["b1"])
    d = 2 * (h @ p["W2"] - y) / len(y)
    dh = np.outer(d, p["W2"]) * (1 - h**2)
    return {"W1": x.T @ dh, "b1": dh.sum(0), "W2": h.T @ d}


def _loss(p, x, y):
    return np.mean((np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] - y) ** 2)


def clip_then_step(theta):
    params = {"W1": theta[:12].reshape(3, 4).copy(), "b1": theta[12:16].copy(), "W2": theta[16:]}
    mom = {k: np.zeros_like(v) for k, v in params.items()}
    for _ in range(3):
        g = _grads(params, XS, YS)
        total = 0.0
        for k in g:
            total += np.sum(g[k] ** 2)
        norm = np.sqrt(total)
        if norm > 0.5:
            for k in g:
                g[k] = g[k] * (0.5 / norm)
        for k in params:
            mom[k] = 0.9 * mom[k] + g[k]
            params[k] = params[k] - 0.1 * mom[k]
    return _loss(params, XQ, YQ)


def _scaled(a, b):
    return {"a": a * 2.0, "b": b + 1.0}


def halve_returned_dict(x):
    g = _scaled(x[:2], x[2:])
    for k in g:
        g[k] = g[k] * 0.5
    return np.sum(g["a"] * g["b"])


@pytest.mark.parametrize("f, x", [(clip_then_step, TH), (halve_returned_dict, TH[:4])])
def test_rebinding_items_of_a_returned_dict(f, x):
    check_scalar(f, x.copy())


def bump_returned_dict(x):
    g = _scaled(x[:2], x[2:])
    a = g["a"]
    for k in g:
        g[k] += 1.0  # updates the array `a` names too
    return np.sum(a * g["b"])


def test_updating_items_of_a_returned_dict_stays_refused():
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(bump_returned_dict)(TH[:4].copy())
