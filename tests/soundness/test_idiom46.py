"""Wrong values found by idiom46 (session 46), checked by value.

1. A NaN where the function does not depend on an input, through an item of a list, tuple or dict
   argument (fuzz wild45 seed 4690): ``a = params["scale"] * np.sin(x) + params["shift"]``,
   ``b = np.log(a + 0.392)``, ``np.sum(np.sin((b * a + 1.0)[[1]]))`` with ``a[0] + 0.392 < 0``.
   An item of such an argument is of unknown kind, so the arithmetic on it goes through
   ``_srcad.plain_receiver`` (ad/receivers.py); the partial-read masks (ad/partreads.py) did not
   follow a singular op's value through that guard, and the reverse sweep gave
   ``0 * (1 / (a + 0.392))`` = nan at position 0 (the same function of separate arguments gave 0;
   central differences give 0). ad/branchmasks._kind now passes a made value through the guard
   (the guard is `x` itself or a run-time refusal).
"""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

import srcad

X = np.array([0.8333, 0.8218])
SCALE = np.array([-1.0338, 0.3429])
SHIFT = -0.6293


def _dict_items(x, params):
    a1 = params["scale"] * np.sin(x) + params["shift"]
    bad = np.log(a1 + 0.392)
    return np.sum(np.sin((bad * a1 + 1.0)[[1]]))


def _seq_items(x, params):
    a1 = params[0] * np.sin(x) + params[1]
    bad = np.log(a1 + 0.392)
    return np.sum(np.sin((bad * a1 + 1.0)[[1]]))


def _separate(x, scale, shift):
    a1 = scale * np.sin(x) + shift
    bad = np.log(a1 + 0.392)
    return np.sum(np.sin((bad * a1 + 1.0)[[1]]))


def _sgd_step(p, lr, g):
    for q in p:
        p[q] -= lr * (p[q] - g)


def _fuzz4690(x0, params):
    _sgd_step(params, 0.189, np.sin(float(np.sum(x0))))
    a1 = params["scale"] * np.sin(x0) + params["shift"]
    bad2 = np.log(a1 - -0.392)
    return np.sum(np.sin((bad2 * a1 + 1.0)[[1]]))


def _fd(f, args, k, eps=1e-6):
    out = np.zeros_like(args[k])
    for i in range(out.size):
        up, dn = copy.deepcopy(args), copy.deepcopy(args)
        up[k][i] += eps
        dn[k][i] -= eps
        out[i] = (f(*up) - f(*dn)) / (2 * eps)
    return out


@pytest.mark.parametrize(
    "fn, params",
    [
        (_dict_items, {"scale": SCALE, "shift": SHIFT}),
        (_dict_items, {"scale": SCALE, "shift": np.full(2, SHIFT)}),
        (_seq_items, [SCALE, SHIFT]),
        (_seq_items, (SCALE, SHIFT)),
        (_fuzz4690, {"scale": SCALE, "shift": SHIFT}),
    ],
)
def test_singular_value_of_container_items_masked(fn, params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        args = [X.copy(), copy.deepcopy(params)]
        want = _fd(fn, args, 0)
        g = srcad.grad(fn)(X.copy(), copy.deepcopy(params))
        _, t = srcad.jvp(fn, (X.copy(), copy.deepcopy(params)), (np.ones(2), None))
        sep = srcad.grad(_separate)(X.copy(), SCALE.copy(), SHIFT)
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(t, np.sum(want), rtol=1e-5, atol=1e-7)
    if fn is not _fuzz4690:
        np.testing.assert_allclose(g, sep, rtol=1e-12)
